#!/usr/bin/env bash
# Benchmarks a running DVID with a bench scenario from configs/: creates a repo and a labelblk
# instance with DVID's own HTTP calls, runs the scenario (a PUT), then reads the box back by
# overriding the scenario's op on the command line.
#   bench_against_server.sh SERVER_URL SCENARIO.json
set -euo pipefail
server="$1"
scenario="$2"
uuid=$(python3 - "$server" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
def post(path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request) as answer:
        return answer.read()
uuid = json.loads(post("/api/repos", {"alias": "dvidxfer bench"}))["root"]
post(f"/api/repo/{uuid}/instance", {"typename": "labelblk", "dataname": "bench"})
print(uuid)
PY
)
dvidxfer bench --config "$scenario" "$server" "$uuid" bench
dvidxfer bench --config "$scenario" "$server" "$uuid" bench --op get
