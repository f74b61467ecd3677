#!/usr/bin/env bash
# Benchmark of a large Engage contact export on loopback (product.md "Performance targets",
# issue 6). Everything is measured in this one invocation, so the numbers are ratios against
# references run on the same machine at the same time. The pages are generated once by the
# built-in sandbox and written to files, then served by a server that is not ours: nginx (Debian's
# nginx-light, installed with apt-get when missing and run as root), in the foreground with a config
# in $BENCH_DIR, each request's path and query mapped to its page file; plain HTTP on $PORT and
# HTTPS on $PORT+1 with a certificate for 127.0.0.1/localhost signed by a private CA made with
# openssl in $BENCH_DIR (curl --cacert; wa-analytics trusts it through SSL_CERT_FILE, which
# rustls-native-certs reads in place of the system roots). Only when nginx cannot be installed does
# bench/serve_pages.py (ours, in Python) serve plain HTTP instead, and the output says so.
#
#   1. curl alone downloading the same pages to /dev/null (the transfer limit);
#   2. the curl | jq -r '… | @csv' pipeline a user would otherwise write;
#   3. wa-analytics campaigns export (default concurrency, and --concurrency 1);
#   4. 1–3 again over HTTPS;
#   5. peak memory of wa-analytics at ROWS/10 and ROWS rows (flat as rows grow);
#   6. with --latency 50 ms per request (the sandbox itself): 100 pages sequential vs concurrent.
#
# Usage: bash bench/export.sh [ROWS]        (default 1000000; needs curl, jq, GNU time, python3,
#                                            nginx and openssl)
#        RUNS=N bash bench/export.sh        (each run N times, median shown; default 3)
#        REF_BIN=path bash bench/export.sh  (also runs another build's binary, e.g. the previous
#                                            release, on the same pages, alternating with this one,
#                                            and prints this build / reference ratios)
# Output: a Markdown table on stdout (paste it into BENCHMARKS.md); work files in $BENCH_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${1:-1000000}
PAGE=10000
CAMPAIGN="Black Friday 50% off" # 14 days of the sandbox's span: one 90-day details window
FROM=2026-07-01
TO=2026-08-01
BENCH_DIR=${BENCH_DIR:-$(mktemp -d)}
PORT=${BENCH_PORT:-18899}
TLS_PORT=$((PORT + 1))
for tool in curl jq python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool" >&2; exit 1; }
done

# The page server: nginx, installed from Debian when missing (needs root); else our Python server.
PATH=$PATH:/usr/sbin:/sbin
SERVER=nginx
if ! command -v nginx >/dev/null; then
  echo "bench: nginx is not installed; installing Debian's nginx-light (apt-get install -y nginx-light)" >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null &&
    { apt-get install -y -qq nginx-light >&2 || { apt-get update -qq >&2 && apt-get install -y -qq nginx-light >&2; }; } &&
    command -v nginx >/dev/null; then
    :
  else
    SERVER=python
    echo "bench: WARNING: nginx could not be installed; the pages are served by bench/serve_pages.py," >&2
    echo "bench: our own Python server, which may be slower than the transfer (the curl ratio then" >&2
    echo "bench: flatters wa-analytics), and the HTTPS runs are skipped" >&2
  fi
fi
TLS=yes
if [ "$SERVER" != nginx ]; then
  TLS=no
elif ! command -v openssl >/dev/null; then
  TLS=no
  echo "bench: WARNING: openssl is missing; the HTTPS runs are skipped" >&2
fi

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/wa-analytics
BIN=$(realpath "$BIN")
SANDBOX_PID=

stop_sandbox() {
  if [ -n "$SANDBOX_PID" ]; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
  SANDBOX_PID=
}
trap stop_sandbox EXIT

# start_sandbox ROWS [extra sandbox options]: serves on $PORT, config in $BENCH_DIR/config.toml.
start_sandbox() {
  stop_sandbox
  local rows=$1; shift
  "$BIN" sandbox --port "$PORT" --rows "$rows" "$@" >"$BENCH_DIR/config.toml" 2>"$BENCH_DIR/sandbox.err" &
  SANDBOX_PID=$!
  for _ in $(seq 100); do
    grep -q '^\[profiles.engage\]' "$BENCH_DIR/config.toml" 2>/dev/null && break
    sleep 0.1
  done
  chmod 600 "$BENCH_DIR/config.toml"
}

# The sandbox's Engage credentials and the campaign's details URL (the name percent-encoded).
engage_value() { sed -n "/^\[profiles.engage\]/,/^\[/s/^$1 = \"\(.*\)\"/\1/p" "$BENCH_DIR/config.toml"; }
ENC_NAME=$(jq -rn --arg n "$CAMPAIGN" '$n|@uri')
RANGE="from=2026-07-01%2000%3A00%3A00&to=2026-08-01%2023%3A59%3A59" # = --from $FROM --to $TO

# serve_pages: fetches every page of the export from the sandbox on $PORT into $BENCH_DIR/pages,
# stops the sandbox and serves the same URLs from memory on the same port.
serve_pages() {
  local total base off n=0
  rm -rf "$BENCH_DIR/pages"; mkdir -p "$BENCH_DIR/pages"
  base="/engage/campaign/$ENC_NAME/details?$RANGE"
  total=$(curl -sf -H "X-Token: $(engage_value bot_token)" -H "Authorization: Bearer $(engage_value token)" \
    "http://127.0.0.1:$PORT$base&limit=1&offset=0" | jq '.pagination.total')
  for ((off = 0; off < total; off += PAGE)); do
    curl -sf -H "X-Token: $(engage_value bot_token)" -H "Authorization: Bearer $(engage_value token)" \
      -o "$BENCH_DIR/pages/$n.json" "http://127.0.0.1:$PORT$base&limit=$PAGE&offset=$off"
    printf '%s\t%s\n' "$base&limit=$PAGE&offset=$off" "$n.json" >>"$BENCH_DIR/pages/index.tsv"
    n=$((n + 1))
  done
  stop_sandbox
  if [ "$SERVER" = nginx ]; then
    start_nginx
  else
    python3 bench/serve_pages.py "$BENCH_DIR/pages" "$PORT" &
    SANDBOX_PID=$!
  fi
  for _ in $(seq 300); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
    kill -0 "$SANDBOX_PID" 2>/dev/null || { echo "the page server ($SERVER) did not start" >&2; exit 1; }
    sleep 0.1
  done
  # Every page must come back byte for byte, or the references would measure something else.
  while IFS=$'\t' read -r target name; do
    curl -sf "http://127.0.0.1:$PORT$target" | cmp -s - "$BENCH_DIR/pages/$name" ||
      { echo "the page server ($SERVER) does not serve $name as written" >&2; exit 1; }
  done <"$BENCH_DIR/pages/index.tsv"
}

# make_certificate: a private CA and a certificate for 127.0.0.1 and localhost signed by it, in
# $BENCH_DIR/tls (ca.pem is what the clients trust; server.pem/server.key are nginx's).
make_certificate() {
  local d=$BENCH_DIR/tls
  mkdir -p "$d"
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 2 \
    -subj "/CN=wa-analytics bench CA" -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj "/CN=127.0.0.1" \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf '%s\n' "basicConstraints = critical, CA:FALSE" "keyUsage = critical, digitalSignature" \
    "extendedKeyUsage = serverAuth" "subjectAltName = IP:127.0.0.1, DNS:localhost" >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
    -days 2 -extfile "$d/server.ext" -out "$d/server.pem" 2>/dev/null
}

# start_nginx: nginx in the foreground (daemon off) on $PORT, and with TLS on $TLS_PORT, serving
# $BENCH_DIR/pages: a map from the request's exact path and query to its file (anything else 404).
start_nginx() {
  local d=$BENCH_DIR/nginx tls_server=
  rm -rf "$d"; mkdir -p "$d/tmp"
  while IFS=$'\t' read -r target name; do
    printf '    "%s" /%s;\n' "$target" "$name"
  done <"$BENCH_DIR/pages/index.tsv" >"$d/pages.map"
  if [ "$TLS" = yes ]; then
    tls_server="
  server {
    listen 127.0.0.1:$TLS_PORT ssl;
    ssl_certificate $BENCH_DIR/tls/server.pem;
    ssl_certificate_key $BENCH_DIR/tls/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root $BENCH_DIR/pages;
    location / { try_files \$page =404; }
  }"
  fi
  cat >"$d/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root;") # \$BENCH_DIR is private (mktemp -d)
worker_processes 1;
pid $d/nginx.pid;
lock_file $d/nginx.lock;
error_log $d/error.log;
events { worker_connections 64; }
http {
  access_log off;
  default_type application/json;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $d/tmp/body;
  proxy_temp_path $d/tmp/proxy;
  fastcgi_temp_path $d/tmp/fastcgi;
  uwsgi_temp_path $d/tmp/uwsgi;
  scgi_temp_path $d/tmp/scgi;
  map_hash_bucket_size 512;
  map_hash_max_size 8192;
  map \$request_uri \$page {
    default /-;
    include $d/pages.map;
  }
  server {
    listen 127.0.0.1:$PORT;
    root $BENCH_DIR/pages;
    location / { try_files \$page =404; }
  }$tls_server
}
CONF
  nginx -p "$d/" -c "$d/nginx.conf" -e "$d/error.log" -g 'daemon off;' 2>>"$d/error.log" &
  SANDBOX_PID=$!
}

# pages_config FILE OUTPUT [ORIGIN [CACERT]]: a curl config fetching every page of the export from
# ORIGIN (default http://127.0.0.1:$PORT), each to OUTPUT, trusting CACERT when given.
pages_config() {
  local file=$1 output=$2 origin=${3:-http://127.0.0.1:$PORT} cacert=${4:-} base total
  base="$origin/engage/campaign/$ENC_NAME/details?$RANGE"
  total=$(curl -sf ${cacert:+--cacert "$cacert"} -H "X-Token: $(engage_value bot_token)" \
    -H "Authorization: Bearer $(engage_value token)" "$base&limit=$PAGE&offset=0" | jq '.pagination.total')
  {
    echo "header = \"X-Token: $(engage_value bot_token)\""
    echo "header = \"Authorization: Bearer $(engage_value token)\""
    echo "silent"
    echo "fail"
    [ -z "$cacert" ] || echo "cacert = \"$cacert\""
    for ((off = 0; off < total; off += PAGE)); do
      echo "url = \"$base&limit=$PAGE&offset=$off\""
      [ "$output" = "-" ] || echo "output = \"$output\""
    done
  } >"$file"
  echo "$total"
}

# measure NAME COMMAND…: runs COMMAND $RUNS times under GNU time, each time appending
# "NAME wall user sys maxrss_kb"; the table shows the median of each column (shared machines are
# noisy, and one slow run of either side would otherwise decide a ratio).
RUNS=${RUNS:-3}
measure_once() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$BENCH_DIR/time.$name" "$@"
  echo "$name $(cat "$BENCH_DIR/time.$name")" >>"$BENCH_DIR/results"
}
measure() {
  for _ in $(seq "$RUNS"); do measure_once "$@"; done
}
REF_BIN=${REF_BIN:-}
if [ -n "$REF_BIN" ]; then
  REF_BIN=$(realpath "$REF_BIN")
  [ -x "$REF_BIN" ] || { echo "REF_BIN $REF_BIN is not an executable" >&2; exit 1; }
fi
: >"$BENCH_DIR/results"

echo "== $ROWS rows, pages of $PAGE (work files in $BENCH_DIR)" >&2
[ "$TLS" = no ] || make_certificate
start_sandbox "$ROWS"
serve_pages
TOTAL=$(pages_config "$BENCH_DIR/pages-null.cfg" /dev/null)
pages_config "$BENCH_DIR/pages-stdout.cfg" - >/dev/null
echo "   $TOTAL rows in the window, served by $SERVER$([ "$SERVER" = nginx ] && echo " ($(nginx -v 2>&1 | sed 's/.*: //'))")" >&2
if [ "$TLS" = yes ]; then
  CA=$BENCH_DIR/tls/ca.pem
  TLS_ORIGIN=https://127.0.0.1:$TLS_PORT
  pages_config "$BENCH_DIR/pages-null-tls.cfg" /dev/null "$TLS_ORIGIN" "$CA" >/dev/null
  pages_config "$BENCH_DIR/pages-stdout-tls.cfg" - "$TLS_ORIGIN" "$CA" >/dev/null
  sed "s#\"http://127.0.0.1:$PORT/#\"$TLS_ORIGIN/#" "$BENCH_DIR/config.toml" >"$BENCH_DIR/config-tls.toml"
  chmod 600 "$BENCH_DIR/config-tls.toml"
fi

measure curl curl -K "$BENCH_DIR/pages-null.cfg"
JQ='.data[] | [.contact, .name, .status, .sent_at, .delivered_at, .read_at, .engaged, .response, .error] | @csv'
measure curl_jq bash -c "curl -K '$BENCH_DIR/pages-stdout.cfg' | jq -r '$JQ' >'$BENCH_DIR/jq.csv'"
# export NAME BINARY OUTPUT [options]: one measured export of the campaign by BINARY, over HTTPS
# (trusting only the bench's CA) when NAME ends in _tls or _tls_c1.
export_with() {
  local name=$1 bin=$2 out=$3; shift 3
  case $name in
  *_tls | *_tls_c1)
    measure_once "$name" env SSL_CERT_FILE="$CA" "$bin" --config "$BENCH_DIR/config-tls.toml" \
      campaigns export "$CAMPAIGN" --from "$FROM" --to "$TO" --page-size "$PAGE" -o "$out" "$@" ;;
  *)
    measure_once "$name" "$bin" --config "$BENCH_DIR/config.toml" campaigns export "$CAMPAIGN" \
      --from "$FROM" --to "$TO" --page-size "$PAGE" -o "$out" "$@" ;;
  esac
}
# This build and the reference alternate run by run, so that a slow moment of the machine falls
# on both sides.
for _ in $(seq "$RUNS"); do
  export_with wa "$BIN" "$BENCH_DIR/wa.csv"
  [ -z "$REF_BIN" ] || export_with wa_ref "$REF_BIN" "$BENCH_DIR/wa-ref.csv"
done
for _ in $(seq "$RUNS"); do
  export_with wa_c1 "$BIN" "$BENCH_DIR/wa-c1.csv" --concurrency 1
  [ -z "$REF_BIN" ] || export_with wa_ref_c1 "$REF_BIN" "$BENCH_DIR/wa-ref-c1.csv" --concurrency 1
done
if [ -n "$REF_BIN" ]; then
  cmp -s "$BENCH_DIR/wa.csv" "$BENCH_DIR/wa-ref.csv" || { echo "this build and REF_BIN wrote different files" >&2; exit 1; }
  cmp -s "$BENCH_DIR/wa-c1.csv" "$BENCH_DIR/wa-ref-c1.csv" || { echo "this build and REF_BIN wrote different files (--concurrency 1)" >&2; exit 1; }
fi
if [ "$TLS" = yes ]; then
  echo "== the same over HTTPS (port $TLS_PORT)" >&2
  env SSL_CERT_FILE="$CA" "$BIN" --config "$BENCH_DIR/config-tls.toml" campaigns export "$CAMPAIGN" \
    --from "$FROM" --to "$TO" --page-size "$PAGE" -o "$BENCH_DIR/wa-tls.csv" >/dev/null ||
    { echo "wa-analytics could not export over HTTPS with SSL_CERT_FILE=$CA (see above)" >&2; exit 1; }
  measure curl_tls curl -K "$BENCH_DIR/pages-null-tls.cfg"
  measure curl_jq_tls bash -c "curl -K '$BENCH_DIR/pages-stdout-tls.cfg' | jq -r '$JQ' >'$BENCH_DIR/jq-tls.csv'"
  for _ in $(seq "$RUNS"); do export_with wa_tls "$BIN" "$BENCH_DIR/wa-tls.csv"; done
  for _ in $(seq "$RUNS"); do export_with wa_tls_c1 "$BIN" "$BENCH_DIR/wa-tls-c1.csv" --concurrency 1; done
  cmp -s "$BENCH_DIR/wa.csv" "$BENCH_DIR/wa-tls.csv" || { echo "the HTTPS export differs from the plain one" >&2; exit 1; }
  cmp -s "$BENCH_DIR/wa.csv" "$BENCH_DIR/wa-tls-c1.csv" || { echo "the HTTPS export differs from the plain one (--concurrency 1)" >&2; exit 1; }
fi
ROWS_OUT=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$BENCH_DIR/wa.csv")
cmp -s "$BENCH_DIR/wa.csv" "$BENCH_DIR/wa-c1.csv" || { echo "concurrent and sequential exports differ" >&2; exit 1; }

SMALL=$((ROWS / 10))
echo "== memory at $SMALL rows" >&2
start_sandbox "$SMALL"
serve_pages
measure wa_small "$BIN" --config "$BENCH_DIR/config.toml" campaigns export "$CAMPAIGN" \
  --from "$FROM" --to "$TO" --page-size "$PAGE" -o "$BENCH_DIR/wa-small.csv"

echo "== 50 ms latency, 100 pages of 1,000 rows" >&2
start_sandbox 100000 --latency 50
measure lat_seq "$BIN" --config "$BENCH_DIR/config.toml" campaigns export "$CAMPAIGN" \
  --from "$FROM" --to "$TO" --page-size 1000 --concurrency 1 -o "$BENCH_DIR/lat-seq.csv"
measure lat_conc "$BIN" --config "$BENCH_DIR/config.toml" campaigns export "$CAMPAIGN" \
  --from "$FROM" --to "$TO" --page-size 1000 --concurrency 8 -o "$BENCH_DIR/lat-conc.csv"
cmp -s "$BENCH_DIR/lat-seq.csv" "$BENCH_DIR/lat-conc.csv" || { echo "latency runs differ" >&2; exit 1; }
stop_sandbox

python3 - "$BENCH_DIR/results" "$TOTAL" "$ROWS_OUT" "$SMALL" "$SERVER" <<'EOF'
import sys
import statistics
runs = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_, rss = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
rows = {name: tuple(statistics.median(column) for column in zip(*r)) for name, r in runs.items()}
total, out, small, server = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
label = {
    "curl": "curl, the same pages to /dev/null (transfer limit)",
    "curl_jq": "curl \\| jq -r '… \\| @csv'",
    "wa": "wa-analytics export (concurrency 4)",
    "wa_c1": "wa-analytics export --concurrency 1",
    "wa_ref": "reference build (REF_BIN), concurrency 4",
    "wa_ref_c1": "reference build (REF_BIN), --concurrency 1",
    "curl_tls": "HTTPS: curl --cacert, the same pages to /dev/null",
    "curl_jq_tls": "HTTPS: curl --cacert \\| jq -r '… \\| @csv'",
    "wa_tls": "HTTPS: wa-analytics export (concurrency 4)",
    "wa_tls_c1": "HTTPS: wa-analytics export --concurrency 1",
    "wa_small": f"wa-analytics export, {int(small):,} rows",
    "lat_seq": "50 ms latency: --concurrency 1",
    "lat_conc": "50 ms latency: --concurrency 8",
}
served = {"nginx": "nginx (static page files)",
          "python": "bench/serve_pages.py (OUR OWN server: nginx could not be installed)"}[server]
print(f"{total} rows in the window, served by {served}; wa-analytics wrote {out} CSV records.\n")
print("| run | wall s | CPU s | peak RSS MB |")
print("|---|---:|---:|---:|")
for k, (w, c, m) in rows.items():
    print(f"| {label[k]} | {w:.2f} | {c:.2f} | {m:.1f} |")
r = lambda a, b: rows[a][0] / rows[b][0]
print()
print(f"- jq pipeline / wa-analytics wall time: **{r('curl_jq', 'wa'):.1f}×** (target ≥ 30×)")
print(f"- wa-analytics / curl download wall time: **{r('wa', 'curl'):.2f}×** (target ≤ 3×)")
if "wa_tls" in rows:
    print(f"- HTTPS: jq pipeline / wa-analytics **{r('curl_jq_tls', 'wa_tls'):.1f}×** (target ≥ 30×), "
          f"wa-analytics / curl **{r('wa_tls', 'curl_tls'):.2f}×** (target ≤ 3×); "
          f"wa-analytics HTTPS / plain **{r('wa_tls', 'wa'):.2f}×**, curl HTTPS / plain **{r('curl_tls', 'curl'):.2f}×**")
print(f"- peak memory {rows['wa'][2]:.1f} MB (target < 64 MB); "
      f"full / tenth of the rows: **{rows['wa'][2] / rows['wa_small'][2]:.2f}×** (target ≤ 1.5×)")
print(f"- 50 ms latency, sequential / concurrent: **{r('lat_seq', 'lat_conc'):.1f}×** (target ≥ 4×)")
if "wa_ref" in rows:
    c = lambda a, b: rows[a][1] / rows[b][1]
    print(f"- this build / reference, concurrency 4: wall **{r('wa', 'wa_ref'):.2f}×**, "
          f"CPU **{c('wa', 'wa_ref'):.2f}×**; --concurrency 1: wall **{r('wa_c1', 'wa_ref_c1'):.2f}×**, "
          f"CPU **{c('wa_c1', 'wa_ref_c1'):.2f}×** (files identical; ≤ 1 is no slower)")
EOF
