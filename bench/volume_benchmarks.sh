#!/usr/bin/env bash
# The end-to-end volume benchmarks quoted in bench/README.md, each against the libdvid-style
# baseline of the same run. Usage: bench/volume_benchmarks.sh [path/to/dvidxfer] [repetitions]
set -euo pipefail
dvidxfer="${1:-build/bin/dvidxfer}"
repetitions="${2:-5}"
common=(bench --embedded --throttle off --baseline --repetitions "$repetitions")
remote=(--latency-ms 20 --bandwidth 100M)

run() {
  echo "\$ dvidxfer $*"
  "$dvidxfer" "$@"
  echo
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# (a) 512^3 uint64 labels, lz4, loopback
run "${common[@]}" --type labelblk --op get --shape 512,512,512
run "${common[@]}" --type labelblk --op put --shape 512,512,512
# (b) the same against an emulated remote DVID: 20 ms per response, 100 MB/s per connection
run "${common[@]}" --type labelblk --op get --shape 512,512,512 "${remote[@]}"
run "${common[@]}" --type labelblk --op put --shape 512,512,512 "${remote[@]}"
# (b') the same with raw labels, where the emulated network rather than the CPU is the limit
run "${common[@]}" --type labelblk --op get --shape 512,512,512 "${remote[@]}" --compress off \
  --concurrency 16
# (c) 1024^3 uint8 grayscale, raw, loopback
run "${common[@]}" --type uint8blk --op get --shape 1024,1024,1024
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
