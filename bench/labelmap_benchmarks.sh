#!/usr/bin/env bash
# The labelmap benchmarks quoted in bench/README.md: 512^3 uint64 segmentation moved as DVID's
# stored gzip'd blocks (GET /blocks?compression=blocks, POST /blocks) against one dense
# /raw?compression=lz4 request, as libdvid-cpp's get_labels3D sends it, on one `dvidxfer serve`
# in a separate process; synthetic cells and tiles of DVID's real fixtures; loopback and an
# emulated remote DVID. Needs curl.
# Usage: bench/labelmap_benchmarks.sh [path/to/dvidxfer] [repetitions] [shape]
set -euo pipefail
dvidxfer="${1:-build/bin/dvidxfer}"
repetitions="${2:-5}"
shape="${3:-512,512,512}"
log=$(mktemp)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -f "$log"' EXIT

# Starts `dvidxfer serve` with the given options and sets $url.
start_server() {
  "$dvidxfer" serve --listen 127.0.0.1:0 "$@" >"$log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do grep -q listening "$log" && break; sleep 0.05; done
  url=$(grep -o 'http://[0-9.:]*' "$log")
}

stop_server() {
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
}

# A new repo with a labelmap instance named $1; sets $uuid.
new_labelmap() {
  uuid=$(curl -sf -X POST "$url/api/repos" -d '{"alias":"labelmap-bench"}' |
    sed 's/.*"root": *"\([0-9a-f]*\)".*/\1/')
  curl -sf -X POST "$url/api/repo/$uuid/instance" -d "{\"typename\":\"labelmap\",\"dataname\":\"$1\"}" \
    >/dev/null
}

run() {
  echo "\$ dvidxfer $*"
  "$dvidxfer" "$@"
  echo
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for network in loopback remote; do
  if [ "$network" = remote ]; then start_server --latency-ms 20 --bandwidth 100M; else start_server; fi
  echo "== $network: dvidxfer serve at $url (pid $server_pid)"
  for volume in synthetic fixtures; do
    new_labelmap "seg-$volume"
    common=(bench "$url" "$uuid" "seg-$volume" --type labelmap --shape "$shape" --baseline
            --repetitions "$repetitions")
    run "${common[@]}" --op put --volume "$volume"
    run "${common[@]}" --op get
  done
  stop_server
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
