#!/usr/bin/env bash
# `dvidxfer bench --embedded --json` with the baseline: valid JSON with every figure, no errors,
# for a label GET and a grayscale PUT over an emulated slow network.
set -euo pipefail
dvidxfer="$1"

check() {
  python3 -c '
import json, sys
report = json.load(sys.stdin)
want_type, want_op = sys.argv[1], sys.argv[2]
scenario = report["scenario"]
assert scenario["type"] == want_type and scenario["op"] == want_op, scenario
assert scenario["shape_zyx"] == [64, 64, 64], scenario
assert [mode["mode"] for mode in report["modes"]] == ["dvidxfer", "baseline"], report["modes"]
for mode in report["modes"]:
    for key in ("voxel_mb_per_s", "wire_mb_per_s", "requests_per_s", "seconds_median"):
        assert mode[key] > 0, (mode["mode"], key, mode)
    for key in ("p50", "p90", "p99"):
        assert mode["latency_ms"][key] > 0, (mode["mode"], key, mode)
    assert mode["errors"] == 0 and mode["retries"] == 0, mode
    assert mode["succeeded"] == mode["repetitions"] == 2, mode
    assert len(mode["seconds_per_repetition"]) == 2, mode
assert report["speedup_over_baseline"] > 0, report
print(want_type, want_op, "speedup", round(report["speedup_over_baseline"], 2))
' "$@"
}

"$dvidxfer" bench --embedded --type labelblk --op get --shape 64,64,64 --repetitions 2 --baseline \
  --json | check labelblk get
"$dvidxfer" bench --embedded --type uint8blk --op put --shape 64,64,64 --repetitions 2 --baseline \
  --latency-ms 5 --bandwidth 50M --concurrency 4 --chunk-bytes 64Ki --json | check uint8blk put

# A usage error exits 2 naming the option.
set +e
"$dvidxfer" bench --embedded --op delete 2>/dev/null
status=$?
set -e
[ "$status" -eq 2 ]
echo "bench json: ok"
