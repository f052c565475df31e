#!/usr/bin/env bash
# `dvidxfer serve --tls-cert --tls-key --auth-token` with a CA and certificate made here by the
# openssl command, and `dvidxfer put` / `get` against it over HTTPS with --token and --tls-ca-file
# (and DVID_TOKEN): volumes come back byte for byte; an untrusted certificate, a missing or wrong
# token and plain HTTP to the TLS port fail with a clear message that never shows the token.
set -euo pipefail
dvidxfer="$1"
workdir=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT
token="cli-token-0b5e8f"

cd "$workdir"
key=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${key[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=dvidxfer CLI test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req "${key[@]}" -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 2 \
  -extfile server.ext -out server.pem 2>/dev/null

"$dvidxfer" serve --listen 127.0.0.1:0 --tls-cert server.pem --tls-key server.key \
  --auth-token "$token" >out 2>err &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on https://' out && break
  sleep 0.05
done
url=$(sed -n 's/^listening on //p' out)
[ -n "$url" ] || { echo "dvidxfer serve did not start:"; cat err; exit 1; }

# A repo with a labelblk and a uint8blk instance, made with DVID's HTTP calls over TLS.
uuid=$(python3 - "$url" "$token" <<'PY'
import json, ssl, sys, urllib.request
url, token = sys.argv[1], sys.argv[2]
context = ssl.create_default_context(cafile="ca.pem")
def post(path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, context=context) as answer:
        return answer.read()
uuid = json.loads(post("/api/repos", {"alias": "cli tls test"}))["root"]
post(f"/api/repo/{uuid}/instance", {"typename": "labelblk", "dataname": "labels"})
post(f"/api/repo/{uuid}/instance", {"typename": "uint8blk", "dataname": "grayscale"})
print(uuid)
PY
)

python3 -c 'import os; open("labels.raw", "wb").write(os.urandom(32 * 64 * 96 * 8)); open("gray.raw", "wb").write(os.urandom(64 * 64 * 64))'

"$dvidxfer" put "$url" "$uuid" labels --shape 32,64,96 --offset 0,32,-32 --file labels.raw \
  --token "$token" --tls-ca-file ca.pem
"$dvidxfer" get "$url" "$uuid" labels --shape 32,64,96 --offset 0,32,-32 --file labels.out \
  --token "$token" --tls-ca-file ca.pem --chunk-bytes 64Ki
cmp labels.raw labels.out
DVID_TOKEN="$token" "$dvidxfer" put "${url/127.0.0.1/localhost}" "$uuid" grayscale \
  --shape 64,64,64 --file gray.raw --tls-ca-file ca.pem
DVID_TOKEN="$token" "$dvidxfer" get "$url" "$uuid" grayscale --shape 64,64,64 --file gray.out \
  --tls-ca-file ca.pem --concurrency 2
cmp gray.raw gray.out

# Expects exit status 1 and a message matching $1 on stderr from the rest of the command line,
# and the token nowhere in what it printed.
expect_failure() {
  local want_message="$1"
  shift
  set +e
  "$@" >stdout 2>stderr
  local status=$?
  set -e
  if [ "$status" -ne 1 ] || ! grep -q -- "$want_message" stderr || grep -q -- "$token" stdout stderr
  then
    echo "expected status 1, '$want_message' and no token from: $*"
    echo "got status $status and:"; cat stdout stderr
    exit 1
  fi
}
expect_failure "TLS certificate verification failed for host '127.0.0.1'" \
  "$dvidxfer" get "$url" "$uuid" grayscale --shape 32,32,32 --file x.out --token "$token"
expect_failure "dsg token required via Authorization header" \
  env -u DVID_TOKEN "$dvidxfer" get "$url" "$uuid" grayscale --shape 32,32,32 --file x.out \
  --tls-ca-file ca.pem
expect_failure "invalid DSG token" \
  env DVID_TOKEN="$token" "$dvidxfer" get "$url" "$uuid" grayscale --shape 32,32,32 --file x.out \
  --tls-ca-file ca.pem --token "x$token"
expect_failure "Client sent an HTTP request to an HTTPS server" \
  "$dvidxfer" get "${url/https:/http:}" "$uuid" grayscale --shape 32,32,32 --file x.out \
  --token "$token"
[ ! -e x.out ] || { echo "a failed get left its file behind"; exit 1; }
echo "tls and auth CLI test passed"
