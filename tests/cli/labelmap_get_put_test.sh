#!/usr/bin/env bash
# `dvidxfer put`, `get` and `bench` on labelmap and labelarray instances of a separately started
# `dvidxfer serve`: a file goes in with --downres and comes back byte for byte at scale 0; scale 1
# reads the same over both wires; --ingest, --noindexing and --supervoxels round-trip; label
# options on a labelblk are refused; `bench --baseline` on a labelmap (synthetic and fixture
# volumes) reports the ratio, the CPU per GiB and the decode reference without errors.
set -euo pipefail
dvidxfer="$1"
workdir=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT

# shellcheck source=serve_in_background.sh
source "$(dirname "$0")/serve_in_background.sh"
start_serve "$dvidxfer" "$workdir"

# A labelmap with one lower scale, a labelarray and a labelblk, made with DVID's own HTTP calls.
uuid=$(python3 - "$url" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
def post(path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request) as answer:
        return answer.read()
uuid = json.loads(post("/api/repos", {"alias": "cli labelmap test"}))["root"]
post(f"/api/repo/{uuid}/instance",
     {"typename": "labelmap", "dataname": "seg", "BlockSize": "64,64,64", "MaxDownresLevel": "1"})
post(f"/api/repo/{uuid}/instance", {"typename": "labelarray", "dataname": "arr"})
post(f"/api/repo/{uuid}/instance", {"typename": "labelblk", "dataname": "labels"})
print(uuid)
PY
)

# 128^3 labels (z, y, x) constant on 8^3 cubes, as a segmentation is; none is 0.
python3 - "$workdir" <<'PY'
import os, random, struct, sys
os.chdir(sys.argv[1])
random.seed(7)
side, cell = 128, 8
cells = [random.randrange(1, 2**40) for _ in range((side // cell) ** 3)]
n = side // cell
with open("seg.raw", "wb") as out:
    for z in range(side):
        for y in range(side):
            row = [cells[((z // cell) * n + y // cell) * n + x // cell] for x in range(0, side, cell)]
            out.write(b"".join(struct.pack("<Q", label) * cell for label in row))
PY

"$dvidxfer" put "$url" "$uuid" seg --shape 128,128,128 --file "$workdir/seg.raw" --downres
"$dvidxfer" get "$url" "$uuid" seg --shape 128,128,128 --file "$workdir/seg.out" --concurrency 3
cmp "$workdir/seg.raw" "$workdir/seg.out"
"$dvidxfer" get "$url" "$uuid" seg --shape 128,128,128 --file "$workdir/seg.raw.out" --wire raw
cmp "$workdir/seg.raw" "$workdir/seg.raw.out"
"$dvidxfer" get "$url" "$uuid" seg --shape 64,64,64 --scale 1 --file "$workdir/s1.blocks" |
  grep -q 'scale 1'
"$dvidxfer" get "$url" "$uuid" seg --shape 64,64,64 --scale 1 --wire raw --compress off \
  --file "$workdir/s1.raw"
cmp "$workdir/s1.blocks" "$workdir/s1.raw"
# The down-sampled level holds labels (every 2x2x2 cell has some), not the zeros of no data.
python3 - "$workdir/s1.blocks" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert len(data) == 64 ** 3 * 8 and all(struct.unpack_from("<Q", data, i)[0] for i in range(0, len(data), 8 * 997))
PY

"$dvidxfer" put "$url" "$uuid" seg --shape 128,128,128 --offset 0,0,128 --file "$workdir/seg.raw" --ingest
"$dvidxfer" get "$url" "$uuid" seg --shape 128,128,128 --offset 0,0,128 --supervoxels \
  --file "$workdir/ingest.out"
cmp "$workdir/seg.raw" "$workdir/ingest.out"
"$dvidxfer" put "$url" "$uuid" arr --shape 128,128,128 --offset 64,0,0 --file "$workdir/seg.raw" \
  --noindexing
"$dvidxfer" get "$url" "$uuid" arr --shape 128,128,128 --offset 64,0,0 --file "$workdir/arr.out"
cmp "$workdir/seg.raw" "$workdir/arr.out"

# Expects exit status $1 and a message matching $2 on stderr from the rest of the command line.
expect_failure() {
  local want_status="$1" want_message="$2"
  shift 2
  set +e
  "$@" 2>"$workdir/stderr"
  local status=$?
  set -e
  if [ "$status" -ne "$want_status" ] || ! grep -q -- "$want_message" "$workdir/stderr"; then
    echo "expected status $want_status and '$want_message' from: $*"
    echo "got status $status and:"; cat "$workdir/stderr"
    exit 1
  fi
}
expect_failure 2 "--scale is for labelarray and labelmap instances; 'labels' is a labelblk" \
  "$dvidxfer" get "$url" "$uuid" labels --shape 32,32,32 --scale 1 --file "$workdir/x"
expect_failure 2 "--wire expects blocks or raw" \
  "$dvidxfer" get "$url" "$uuid" seg --shape 64,64,64 --wire dense --file "$workdir/x"
expect_failure 2 "unknown option --downres" \
  "$dvidxfer" get "$url" "$uuid" seg --shape 64,64,64 --downres --file "$workdir/x"
expect_failure 2 "POST /raw writes scale 0 only" \
  "$dvidxfer" bench "$url" "$uuid" seg --op put --scale 1 --shape 64,64,64 --baseline

# bench --baseline on the labelmap: GET (with the decode reference) and PUT, as JSON.
check() {
  python3 -c '
import json, sys
report = json.load(sys.stdin)
op, volume = sys.argv[1], sys.argv[2]
scenario = report["scenario"]
assert scenario["type"] == "labelmap" and scenario["op"] == op, scenario
assert scenario["volume"] == volume, scenario
assert [mode["mode"] for mode in report["modes"]] == ["dvidxfer", "baseline"], report["modes"]
for mode in report["modes"]:
    assert mode["errors"] == 0 and mode["succeeded"] == mode["repetitions"] == 2, mode
    assert mode["cpu_seconds_per_gib"] > 0, mode
assert report["speedup_over_baseline"] > 0, report
if op == "get":
    reference = report["decode_reference"]
    assert reference["matches"] and reference["blocks"] == 8, reference
    assert reference["cpu_seconds_per_gib"] > 0, reference
    assert report["cpu_over_decode_reference"] > 0, report
else:
    assert report["decode_reference"] is None, report
print("labelmap", op, volume, "speedup", round(report["speedup_over_baseline"], 2),
      "cpu/decode", report["cpu_over_decode_reference"])
' "$@"
}
"$dvidxfer" bench "$url" "$uuid" seg --shape 128,128,128 --repetitions 2 --baseline --json |
  check get stored
"$dvidxfer" bench "$url" "$uuid" seg --op put --volume fixtures --shape 128,128,128 \
  --repetitions 2 --baseline --json | check put fixtures
"$dvidxfer" bench --embedded --type labelmap --volume fixtures --shape 128,128,128 --repetitions 2 \
  --baseline --json | check get fixtures
"$dvidxfer" bench --embedded --type labelmap --shape 64,64,64 --repetitions 1 --baseline |
  grep -q "^dvidxfer's client CPU is .*x that"
echo "labelmap get, put and bench: ok"
