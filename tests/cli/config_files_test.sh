#!/usr/bin/env bash
# --config FILE for get, put, bench and demo: every file shipped in configs/ loads and its values
# reach the client (bench --json reports the scenario and the ClientOptions it ran with; a server
# answering 503 to everything counts the attempts the profile allows), command-line flags win over
# the file, and bad files are refused before any request, naming the file, the key and why.
set -euo pipefail
dvidxfer="$1"
configs="$2"
workdir=$(mktemp -d)
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT

# Starts `dvidxfer serve` with the given options; sets server_pid and url.
start_server() {
  # Emptied here, not by the redirection below: that runs in the child, and the loop could read
  # the previous server's address before it does.
  : >"$workdir/serve.out"
  "$dvidxfer" serve --listen 127.0.0.1:0 "$@" >"$workdir/serve.out" 2>"$workdir/serve.err" &
  server_pid=$!
  url=""
  for _ in $(seq 200); do
    url=$(sed -n 's/^listening on //p' "$workdir/serve.out")
    [ -n "$url" ] && break
    sleep 0.05
  done
  [ -n "$url" ] || { echo "dvidxfer serve did not start"; exit 1; }
}

# Stops the server (in this shell: only it can wait for the server); sets served_requests to how
# many requests it answered.
stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
  served_requests=$(sed -n 's/.*stopped on SIGTERM after \([0-9]*\) requests.*/\1/p' \
    "$workdir/serve.err")
}

# Reads bench --json on stdin; every key of the config file $1, with the command line's values $2
# (JSON) in place of the file's, must show in the scenario or client the bench ran with.
check_bench_json() {
  python3 -c '
import json, re, sys
config = json.load(open(sys.argv[1]))
config.update(json.loads(sys.argv[2]))
report = json.load(sys.stdin)
s, c = report["scenario"], report["client"]
modes = [mode["mode"] for mode in report["modes"]]
def size(value):
    if isinstance(value, int):
        return value
    number, suffix = re.fullmatch(r"(\d+)(B|K|M|G|Ki|Mi|Gi)?", value).groups()
    return int(number) * {None: 1, "B": 1, "K": 10**3, "M": 10**6, "G": 10**9, "Ki": 2**10,
                          "Mi": 2**20, "Gi": 2**30}[suffix]
observed = {
    "throttle": lambda v: s["throttle"] == v,
    "compress": lambda v: s["compress"] == v,
    "concurrency": lambda v: s["concurrency"] == v and c["max_connections"] == v,
    "chunk-bytes": lambda v: s["chunk_bytes"] == size(v),
    "op": lambda v: s["op"] == v,
    "type": lambda v: s["type"] == v,
    "shape": lambda v: s["shape_zyx"] == v,
    "offset": lambda v: s["offset_zyx"] == v,
    "repetitions": lambda v: s["repetitions"] == v,
    "baseline": lambda v: ("baseline" in modes) == v,
    "io-threads": lambda v: c["io_threads"] == v,
    "connect-timeout-ms": lambda v: c["connect_timeout_ms"] == v,
    "inactivity-timeout-ms": lambda v: c["inactivity_timeout_ms"] == v,
    "request-timeout-ms": lambda v: c["request_timeout_ms"] == v,
    "max-attempts": lambda v: c["max_attempts"] == v,
    "initial-backoff-ms": lambda v: c["initial_backoff_ms"] == v,
    "max-backoff-ms": lambda v: c["max_backoff_ms"] == v,
    "max-response-bytes": lambda v: c["max_response_bytes"] == size(v),
    "latency-ms": lambda v: report["emulated_network"]["latency_ms"] == v,
    "bandwidth": lambda v: report["emulated_network"]["bandwidth_bytes_per_second"] == size(v),
}
for key, value in config.items():
    assert key in observed, f"{sys.argv[1]}: no check for key {key!r}: add one here"
    assert observed[key](value), (sys.argv[1], key, value, s, c)
for mode in report["modes"]:
    assert mode["errors"] == 0 and mode["succeeded"] == mode["repetitions"], mode
' "$@"
}

# Every shipped file: bench scenarios run (small, the command line overriding shape and
# repetitions); client profiles run in bench and move a volume both ways with get and put.
start_server
uuid=$(python3 - "$url" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
def post(path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request) as answer:
        return answer.read()
uuid = json.loads(post("/api/repos", {"alias": "config test"}))["root"]
post(f"/api/repo/{uuid}/instance", {"typename": "labelblk", "dataname": "labels"})
print(uuid)
PY
)
python3 -c 'import os, sys; open(sys.argv[1], "wb").write(os.urandom(64 * 64 * 64 * 8))' \
  "$workdir/labels.raw"
shipped=0
for config in "$configs"/*.json; do
  shipped=$((shipped + 1))
  "$dvidxfer" bench --embedded --config "$config" --shape 32,32,32 --offset 32,0,0 \
    --repetitions 1 --json | check_bench_json "$config" '{"shape": [32, 32, 32],
    "offset": [32, 0, 0], "repetitions": 1}'
  if python3 -c 'import json, sys; sys.exit("op" in json.load(open(sys.argv[1])))' "$config"; then
    "$dvidxfer" put "$url" "$uuid" labels --config "$config" --shape 64,64,64 \
      --file "$workdir/labels.raw" >/dev/null
    "$dvidxfer" get "$url" "$uuid" labels --config "$config" --shape 64,64,64 \
      --file "$workdir/labels.out" >/dev/null
    cmp "$workdir/labels.raw" "$workdir/labels.out"
    rm "$workdir/labels.out"
  fi
  echo "loads: $config"
done
[ "$shipped" -ge 4 ] || { echo "expected the shipped configs in $configs, found $shipped"; exit 1; }

# Flags win over the file, in bench's report.
"$dvidxfer" bench --embedded --config "$configs/polite-shared-server.json" --shape 32,32,32 \
  --repetitions 1 --concurrency 3 --max-attempts 4 --throttle off --json |
  check_bench_json "$configs/polite-shared-server.json" '{"shape": [32, 32, 32],
  "repetitions": 1, "concurrency": 3, "max-attempts": 4, "throttle": false}'

# The bench scenario against a separate server, as docker/compose.yaml runs it: PUT as the file
# says, then GET by overriding its op.
"$dvidxfer" bench --config "$configs/bench-labels-put.json" "$url" "$uuid" labels \
  --shape 64,64,64 --repetitions 1 --json |
  check_bench_json "$configs/bench-labels-put.json" '{"shape": [64, 64, 64], "repetitions": 1}'
"$dvidxfer" bench --config "$configs/bench-labels-put.json" "$url" "$uuid" labels \
  --shape 64,64,64 --repetitions 1 --op get --json |
  check_bench_json "$configs/bench-labels-put.json" '{"shape": [64, 64, 64], "repetitions": 1,
  "op": "get"}'
stop_server

# demo takes the client's options (and not the volume switches).
cat >"$workdir/demo.json" <<'EOF_JSON'
{"concurrency": 2, "max-attempts": 3, "keys": 20, "value-bytes": "1K", "volume-shape": [32, 32, 32],
 "bench-repetitions": 1}
EOF_JSON
# To a file first: grep -q stops reading at its match, and the demo writes on (SIGPIPE).
"$dvidxfer" demo --config "$workdir/demo.json" >"$workdir/demo.out"
grep -q "wrote 20 keys of 1000 bytes" "$workdir/demo.out"

# max-attempts reaches the client: a server answering 503 to everything receives exactly that many
# requests for the node check, from the file, then from the flag overriding it.
echo '{"max-attempts": 2, "initial-backoff-ms": 1, "max-backoff-ms": 5}' >"$workdir/attempts.json"
for flags in "" "--max-attempts 3"; do
  start_server --fault-503 1
  # shellcheck disable=SC2086
  if "$dvidxfer" get "$url" 0123456789abcdef labels --shape 32,32,32 --file "$workdir/x" \
    --config "$workdir/attempts.json" $flags 2>/dev/null; then
    echo "get succeeded against a server answering 503"; exit 1
  fi
  stop_server
  want=$([ -z "$flags" ] && echo 2 || echo 3)
  [ "$served_requests" = "$want" ] || {
    echo "max-attempts $want: the server saw '$served_requests' requests"
    cat "$workdir/serve.err"
    exit 1
  }
done

# Bad files: exit status 2 and the message, before any request (nothing listens on the address:
# a request would fail with status 1 and a connection error instead).
nowhere="http://127.0.0.1:1"
expect_refusal() {
  local command="$1" content="$2" want="$3"
  local target=("$nowhere" 0123 labels --shape 32,32,32)
  [ "$command" = bench ] || target+=(--file "$workdir/x")
  printf '%s' "$content" >"$workdir/bad.json"
  set +e
  "$dvidxfer" "$command" --config "$workdir/bad.json" "${target[@]}" 2>"$workdir/stderr" >/dev/null
  local status=$?
  set -e
  if [ "$status" -ne 2 ] || ! grep -qF -- "$want" "$workdir/stderr"; then
    echo "expected status 2 and '$want' for $command --config with: $content"
    echo "got status $status and:"; cat "$workdir/stderr"
    exit 1
  fi
}
bad="$workdir/bad.json"
expect_refusal get '{"concurency": 4}' "$bad: unknown key 'concurency' (known keys: "
expect_refusal get '{"throttle": "on"}' "$bad: key 'throttle' expects true or false, got a string"
expect_refusal put '{"concurrency": "four"}' "$bad: key 'concurrency' expects an integer, got 'four'"
expect_refusal get '{"max-attempts": 2.5}' "$bad: key 'max-attempts' expects an integer, got a fractional number"
expect_refusal bench '{"shape": [1, 2]}' "$bad: key 'shape' expects an array of three integers [z, y, x], got 2 elements"
expect_refusal bench '{"offset": [0, "1", 2]}' "$bad: key 'offset' expects an array of three integers [z, y, x], got an array holding a string"
expect_refusal get '{"max-attempts": 0}' "$bad: key 'max-attempts' must be in 1..1000, got 0"
expect_refusal get '{"max-attempts": 18446744073709551615}' "$bad: key 'max-attempts' is out of range"
expect_refusal put '{"concurrency": 0}' "$bad: key 'concurrency' must be positive or auto"
expect_refusal bench '{"concurrency": 5000}' "$bad: key 'concurrency' must be at most 4096"
expect_refusal get '{"chunk-bytes": "12Q"}' "$bad: key 'chunk-bytes': unknown size suffix 'Q'"
expect_refusal get '{"initial-backoff-ms": 100, "max-backoff-ms": 10}' "$bad: key 'max-backoff-ms' (10) must not be less than $bad: key 'initial-backoff-ms' (100)"
expect_refusal bench '{"repetitions": -1}' "$bad: key 'repetitions' must be in 1..1000000"
expect_refusal get '{"op": "put"}' "$bad: key 'op' is not an option of this command"
expect_refusal get '{"baseline": false}' "$bad: key 'baseline' is not an option of this command"
expect_refusal get '{"concurrency": 1, "concurrency": 2}' "$bad: key 'concurrency' appears more than once"
expect_refusal get '{"throttle": true,' "$bad: not valid JSON"
expect_refusal get '[{"throttle": true}]' "$bad: expects a JSON object of option names and values, got an array"
rm "$bad"
expect_refusal_missing() {
  set +e
  "$dvidxfer" get "$nowhere" 0123 labels --shape 1,1,1 --file "$workdir/x" \
    --config "$workdir/missing.json" 2>"$workdir/stderr"
  local status=$?
  set -e
  [ "$status" -eq 2 ] && grep -qF -- "--config '$workdir/missing.json': No such file" "$workdir/stderr"
}
expect_refusal_missing || { cat "$workdir/stderr"; exit 1; }
# A flag on the command line is still checked as a flag.
set +e
"$dvidxfer" get "$nowhere" 0123 labels --shape 1,1,1 --file "$workdir/x" \
  --config "$configs/polite-shared-server.json" --max-attempts 0 2>"$workdir/stderr"
status=$?
set -e
[ "$status" -eq 2 ] && grep -qF -- "--max-attempts must be in 1..1000, got 0" "$workdir/stderr" ||
  { echo "got status $status and:"; cat "$workdir/stderr"; exit 1; }
echo "config files: ok"
