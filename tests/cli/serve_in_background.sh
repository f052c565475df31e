# Sourced by the CLI tests: start_serve DVIDXFER OUTDIR [serve options...] starts `dvidxfer serve`
# (plain HTTP) on a free loopback port in the background, its stdout and stderr in OUTDIR/out and OUTDIR/err,
# and sets server_pid and url (exits the test when no "listening on" line comes within 5 s).
start_serve() {
  local dvidxfer=$1 outdir=$2
  shift 2
  "$dvidxfer" serve --listen 127.0.0.1:0 "$@" >"$outdir/out" 2>"$outdir/err" &
  server_pid=$!
  for _ in $(seq 100); do
    grep -q '^listening on http://' "$outdir/out" && break
    sleep 0.05
  done
  url=$(sed -n 's/^listening on //p' "$outdir/out")
  [ -n "$url" ] || { echo "dvidxfer serve did not start:"; cat "$outdir/err"; exit 1; }
}
