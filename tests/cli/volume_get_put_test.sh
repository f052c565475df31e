#!/usr/bin/env bash
# `dvidxfer put` and `get` against a separately started `dvidxfer serve`: raw files of uint64 labels
# and uint8 grayscale go in and come back byte for byte; a file that does not match --shape and an
# unaligned write are refused with a message before anything is sent.
set -euo pipefail
dvidxfer="$1"
workdir=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT

# shellcheck source=serve_in_background.sh
source "$(dirname "$0")/serve_in_background.sh"
start_serve "$dvidxfer" "$workdir"

# A repo with one labelblk and one uint8blk instance, made with DVID's own HTTP calls.
uuid=$(python3 - "$url" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
def post(path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request) as answer:
        return answer.read()
uuid = json.loads(post("/api/repos", {"alias": "cli test"}))["root"]
post(f"/api/repo/{uuid}/instance", {"typename": "labelblk", "dataname": "labels"})
post(f"/api/repo/{uuid}/instance", {"typename": "uint8blk", "dataname": "grayscale"})
print(uuid)
PY
)

# 64 x 96 x 128 labels (z, y, x) and 32 x 64 x 96 grayscale, random bytes.
python3 - "$workdir" <<'PY'
import os, sys
os.chdir(sys.argv[1])
open("labels.raw", "wb").write(os.urandom(64 * 96 * 128 * 8))
open("gray.raw", "wb").write(os.urandom(32 * 64 * 96))
PY

"$dvidxfer" put "$url" "$uuid" labels --shape 64,96,128 --offset 32,0,64 --file "$workdir/labels.raw"
"$dvidxfer" get "$url" "$uuid" labels --shape 64,96,128 --offset 32,0,64 --file "$workdir/labels.out" \
  --concurrency 3 --chunk-bytes 256Ki
cmp "$workdir/labels.raw" "$workdir/labels.out"
"$dvidxfer" get "$url" "$uuid" labels --shape 64,96,128 --offset 32,0,64 --file "$workdir/labels.raw.out" \
  --compress off --throttle on
cmp "$workdir/labels.raw" "$workdir/labels.raw.out"

"$dvidxfer" put "$url" "$uuid" grayscale --shape 32,64,96 --file "$workdir/gray.raw" --throttle on
"$dvidxfer" get "$url" "$uuid" grayscale --shape 32,64,96 --file "$workdir/gray.out"
cmp "$workdir/gray.raw" "$workdir/gray.out"
"$dvidxfer" get "$url" "$uuid" grayscale --shape 32,64,96 --file "$workdir/gray.blocks.out" --compress on
cmp "$workdir/gray.raw" "$workdir/gray.blocks.out"

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
# The label file holds 64*96*128 uint64 voxels; as grayscale of that shape it is 8 times too big.
expect_failure 2 "has 6291456 bytes but shape z,y,x 64,96,128 of uint8blk" \
  "$dvidxfer" put "$url" "$uuid" grayscale --shape 64,96,128 --file "$workdir/labels.raw"
expect_failure 2 "needs 6291456" \
  "$dvidxfer" put "$url" "$uuid" labels --shape 64,96,128 --file "$workdir/gray.raw"
expect_failure 1 "block aligned" \
  "$dvidxfer" put "$url" "$uuid" grayscale --shape 32,64,96 --offset 0,0,5 --file "$workdir/gray.raw"
expect_failure 2 "--shape expects three integers" \
  "$dvidxfer" get "$url" "$uuid" labels --shape 64,96 --file "$workdir/x"
expect_failure 2 "--compress expects on or off" \
  "$dvidxfer" get "$url" "$uuid" labels --shape 1,1,1 --compress yes --file "$workdir/x"
expect_failure 1 "no_such_instance" \
  "$dvidxfer" get "$url" "$uuid" no_such_instance --shape 1,1,1 --file "$workdir/x"
# A failed GET leaves no file behind that could pass for a result.
expect_failure 1 "nosuch" \
  "$dvidxfer" get "$url" "$uuid" labels --shape 64,96,128 --roi nosuch --file "$workdir/roi.out"
[ ! -e "$workdir/roi.out" ]
echo "volume get and put: ok"
