#!/usr/bin/env bash
# `dvidxfer serve` as users run it: a separate process on port 0 that announces its address, serves
# `dvidxfer demo` (key-value, small volumes and a labelmap with a lower scale) from another
# process, and stops cleanly on SIGTERM (and on SIGINT).
set -euo pipefail
dvidxfer="$1"
workdir=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT

for stop_signal in TERM INT; do
  : >"$workdir/out"  # emptied before the child starts, so the loop never reads the last address
  "$dvidxfer" serve --listen 127.0.0.1:0 >"$workdir/out" 2>"$workdir/err" &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q '^listening on http://' "$workdir/out" && break
    sleep 0.05
  done
  line=$(head -n1 "$workdir/out")
  [[ "$line" =~ ^listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]] || { echo "unexpected first line: '$line'"; exit 1; }
  url="${BASH_REMATCH[1]}"

  "$dvidxfer" demo --server "$url" --keys 300 --concurrency 4 --volume-shape 64,64,64 \
    --bench-repetitions 1 | tee "$workdir/demo"
  grep -q '^verified: 300 of 300 values identical, 300 keys listed$' "$workdir/demo"
  grep -q "^uint8blk 'demo_grayscale' 64x64x64: .* read back byte for byte identical$" "$workdir/demo"
  grep -q "^labelblk 'demo_labels' 64x64x64: .* read back byte for byte identical$" "$workdir/demo"
  grep -q "^labelmap 'demo_labelmap' 64x64x64 .* scale 0 read back byte for byte identical$" "$workdir/demo"
  grep -q "^labelmap 'demo_labelmap' scale 1 32x32x32: stored blocks and /raw?scale=1 agree; every voxel" "$workdir/demo"
  grep -q "^dvidxfer's client CPU is .*x that" "$workdir/demo"
  [ "$(grep -c '^dvidxfer is .*x the baseline' "$workdir/demo")" -eq 6 ]

  kill -s "$stop_signal" "$server_pid"
  wait "$server_pid"  # set -e: a non-zero exit status fails the test
  grep -q "stopped on SIG$stop_signal" "$workdir/err"
done

# Usage errors exit 2 with a message naming the option.
set +e
"$dvidxfer" serve --listen nonsense 2>"$workdir/usage"
status=$?
set -e
[ "$status" -eq 2 ] && grep -q -- '--listen' "$workdir/usage"
for bad in "--header-timeout 0" "--idle-timeout -1" "--max-connections 0"; do
  set +e
  # shellcheck disable=SC2086  # the option and its value are two words
  timeout 30 "$dvidxfer" serve --listen 127.0.0.1:0 $bad 2>"$workdir/usage"
  status=$?
  set -e
  [ "$status" -eq 2 ] && grep -q -- "${bad%% *}" "$workdir/usage" || { echo "serve $bad: status $status"; exit 1; }
done
echo "serve and demo: ok"
