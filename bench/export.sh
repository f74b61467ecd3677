#!/usr/bin/env bash
# Benchmark of a large Engage contact export on loopback (product.md "Performance targets",
# issue 6). Everything is measured in this one invocation, so the numbers are ratios against
# references run on the same machine at the same time. The pages are generated once by the
# built-in sandbox, then served from memory by bench/serve_pages.py, so that the server's
# generator (slower than any client) does not set every time:
#
#   1. curl alone downloading the same pages to /dev/null (the transfer limit);
#   2. the curl | jq -r '… | @csv' pipeline a user would otherwise write;
#   3. wa-analytics campaigns export (default concurrency, and --concurrency 1);
#   4. peak memory of wa-analytics at ROWS/10 and ROWS rows (flat as rows grow);
#   5. with --latency 50 ms per request: 100 pages sequential vs concurrent.
#
# Usage: bash bench/export.sh [ROWS]        (default 1000000; needs curl, jq, GNU time)
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
for tool in curl jq /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool" >&2; exit 1; }
done

cargo build --release --quiet
BIN=$PWD/target/release/wa-analytics
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
  python3 bench/serve_pages.py "$BENCH_DIR/pages" "$PORT" &
  SANDBOX_PID=$!
  for _ in $(seq 300); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
    sleep 0.1
  done
}

# pages_config FILE OUTPUT: a curl config fetching every page of the export, each to OUTPUT.
pages_config() {
  local file=$1 output=$2 base total
  base="http://127.0.0.1:$PORT/engage/campaign/$ENC_NAME/details?$RANGE"
  total=$(curl -sf -H "X-Token: $(engage_value bot_token)" -H "Authorization: Bearer $(engage_value token)" \
    "$base&limit=$PAGE&offset=0" | jq '.pagination.total')
  {
    echo "header = \"X-Token: $(engage_value bot_token)\""
    echo "header = \"Authorization: Bearer $(engage_value token)\""
    echo "silent"
    echo "fail"
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
start_sandbox "$ROWS"
serve_pages
TOTAL=$(pages_config "$BENCH_DIR/pages-null.cfg" /dev/null)
pages_config "$BENCH_DIR/pages-stdout.cfg" - >/dev/null
echo "   $TOTAL rows in the window" >&2

measure curl curl -K "$BENCH_DIR/pages-null.cfg"
JQ='.data[] | [.contact, .name, .status, .sent_at, .delivered_at, .read_at, .engaged, .response, .error] | @csv'
measure curl_jq bash -c "curl -K '$BENCH_DIR/pages-stdout.cfg' | jq -r '$JQ' >'$BENCH_DIR/jq.csv'"
# export NAME BINARY OUTPUT [options]: one measured export of the campaign by BINARY.
export_with() {
  local name=$1 bin=$2 out=$3; shift 3
  measure_once "$name" "$bin" --config "$BENCH_DIR/config.toml" campaigns export "$CAMPAIGN" \
    --from "$FROM" --to "$TO" --page-size "$PAGE" -o "$out" "$@"
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

python3 - "$BENCH_DIR/results" "$TOTAL" "$ROWS_OUT" "$SMALL" <<'EOF'
import sys
import statistics
runs = {}
for line in open(sys.argv[1]):
    name, wall, user, sys_, rss = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
rows = {name: tuple(statistics.median(column) for column in zip(*r)) for name, r in runs.items()}
total, out, small = sys.argv[2], sys.argv[3], sys.argv[4]
label = {
    "curl": "curl, the same pages to /dev/null (transfer limit)",
    "curl_jq": "curl \\| jq -r '… \\| @csv'",
    "wa": "wa-analytics export (concurrency 4)",
    "wa_c1": "wa-analytics export --concurrency 1",
    "wa_ref": "reference build (REF_BIN), concurrency 4",
    "wa_ref_c1": "reference build (REF_BIN), --concurrency 1",
    "wa_small": f"wa-analytics export, {int(small):,} rows",
    "lat_seq": "50 ms latency: --concurrency 1",
    "lat_conc": "50 ms latency: --concurrency 8",
}
print(f"{total} rows in the window; wa-analytics wrote {out} CSV records.\n")
print("| run | wall s | CPU s | peak RSS MB |")
print("|---|---:|---:|---:|")
for k, (w, c, m) in rows.items():
    print(f"| {label[k]} | {w:.2f} | {c:.2f} | {m:.1f} |")
r = lambda a, b: rows[a][0] / rows[b][0]
print()
print(f"- jq pipeline / wa-analytics wall time: **{r('curl_jq', 'wa'):.1f}×** (target ≥ 20×)")
print(f"- wa-analytics / curl download wall time: **{r('wa', 'curl'):.2f}×** (target ≤ 5×)")
print(f"- peak memory {rows['wa'][2]:.1f} MB (target < 64 MB); "
      f"full / tenth of the rows: **{rows['wa'][2] / rows['wa_small'][2]:.2f}×** (target ≤ 1.5×)")
print(f"- 50 ms latency, sequential / concurrent: **{r('lat_seq', 'lat_conc'):.1f}×** (target ≥ 4×)")
if "wa_ref" in rows:
    c = lambda a, b: rows[a][1] / rows[b][1]
    print(f"- this build / reference, concurrency 4: wall **{r('wa', 'wa_ref'):.2f}×**, "
          f"CPU **{c('wa', 'wa_ref'):.2f}×**; --concurrency 1: wall **{r('wa_c1', 'wa_ref_c1'):.2f}×**, "
          f"CPU **{c('wa_c1', 'wa_ref_c1'):.2f}×** (files identical; ≤ 1 is no slower)")
EOF
