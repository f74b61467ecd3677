#!/usr/bin/env bash
# Across accounts (product.md "Performance targets", issue 14): five profiles read with one
# --all-profiles run against the same five read one after another, on the built-in sandbox with
# 50 ms of latency per request. The command is `campaigns summary` (every campaign of the range:
# the list, then each campaign's summary), so each profile makes several requests in turn.
#
#   RUNS=5 bash bench/accounts.sh
#
# The five profiles: the sandbox's Engage, Insider and Wolkvox ones, and a second Engage and a
# second Insider profile (other names, the same accounts). Reports the median wall time of each
# way and their ratio (target: the fan-out at least 3x faster), and checks that the fan-out's
# rows, less `profile`/`vendor` and the columns of other vendors, are the five runs' rows.
set -euo pipefail

RUNS="${RUNS:-5}"
PORT="${PORT:-18766}"
LATENCY="${LATENCY:-50}"
BENCH_DIR="${BENCH_DIR:-$(mktemp -d)}"
cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="${BIN:-${CARGO_TARGET_DIR:-target}/release/wa-analytics}"

"$BIN" sandbox --port "$PORT" --latency "$LATENCY" >"$BENCH_DIR/base.toml" 2>"$BENCH_DIR/sandbox.err" &
SANDBOX=$!
trap 'kill $SANDBOX 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^\[profiles.engagive\]' "$BENCH_DIR/base.toml" 2>/dev/null && break
  sleep 0.1
done
# The config: the sandbox's profiles of the analytics vendors, and a copy of two of them. The
# Insider profiles use the sandbox's ready bearer token: minting one per run (client
# credentials) meets Insider's limit of mints a minute, which the sandbox enforces, within the
# first runs, and its 60 s wait would measure that limit, not the fan-out.
section() {
  sed -n "/^\[profiles.$1\]/,/^\[/{/^\[profiles.$1\]/d;/^\[/d;p}" "$BENCH_DIR/base.toml" |
    sed -e '/^client_id = /d' -e 's/^client_secret = .*/token = "sandbox-insider-static-token"/'
}
{
  for p in engage insider wolkvox; do echo "[profiles.$p]"; section "$p"; done
  echo "[profiles.engage2]"; section engage
  echo "[profiles.insider2]"; section insider
} >"$BENCH_DIR/config.toml"
chmod 600 "$BENCH_DIR/config.toml"
PROFILES=(engage insider wolkvox engage2 insider2)
export WA_ANALYTICS_CONFIG="$BENCH_DIR/config.toml"
ARGS=(-q -f jsonl campaigns summary --last 30d)

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: >"$BENCH_DIR/fan.times"
: >"$BENCH_DIR/seq.times"
for run in $(seq "$RUNS"); do
  t0=$(now)
  "$BIN" --all-profiles "${ARGS[@]}" >"$BENCH_DIR/fan.jsonl"
  t1=$(now)
  : >"$BENCH_DIR/seq.jsonl"
  for p in "${PROFILES[@]}"; do
    "$BIN" -p "$p" "${ARGS[@]}" >"$BENCH_DIR/seq-$p.jsonl"
  done
  t2=$(now)
  echo "$t1 - $t0" | bc >>"$BENCH_DIR/fan.times"
  echo "$t2 - $t1" | bc >>"$BENCH_DIR/seq.times"
  echo "run $run: fan-out $(tail -1 "$BENCH_DIR/fan.times") s, one after another $(tail -1 "$BENCH_DIR/seq.times") s" >&2
done

python3 - "$BENCH_DIR" "${PROFILES[@]}" <<'EOF'
import json, sys
d, profiles = sys.argv[1], sys.argv[2:]
fan = [json.loads(l) for l in open(f"{d}/fan.jsonl")]
rows = 0
for p in profiles:
    own = [json.loads(l) for l in open(f"{d}/seq-{p}.jsonl")]
    mine = [r for r in fan if r["profile"] == p]
    keys = set(own[0]) if own else set()
    projected = [{k: v for k, v in r.items() if k in keys} for r in mine]
    assert projected == own, f"{p}: the fan-out's rows differ from its own run's"
    assert all(v is None for r in mine for k, v in r.items() if k not in keys | {"profile", "vendor"})
    rows += len(own)
assert rows == len(fan), (rows, len(fan))
print(f"identical: {len(fan)} rows of {len(profiles)} profiles")
EOF

FAN=$(median <"$BENCH_DIR/fan.times")
SEQ=$(median <"$BENCH_DIR/seq.times")
echo
echo "five profiles, campaigns summary --last 30d, ${LATENCY} ms latency, median of $RUNS runs:"
printf '| run | wall s |\n|---|---:|\n'
printf '| five runs one after another | %.2f |\n' "$SEQ"
printf '| one --all-profiles run | %.2f |\n' "$FAN"
echo "one after another / fan-out: $(echo "scale=2; $SEQ / $FAN" | bc)x (target >= 3x)"
