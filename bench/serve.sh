#!/usr/bin/env bash
# Load benchmark of `newsidx serve` (BENCHMARKS.md, "Serving"): oha at 16 connections against
# /api/search and the HTML results page, each URL one of the bench's queries, with the
# server's resident memory sampled every 5 seconds.
#
#   bench/serve.sh INDEX QUERIES [SECONDS] [OUT]
#
#   INDEX    an index folder (read only)
#   QUERIES  one query per line (bench/run.sh writes queries.txt beside its index)
#   SECONDS  length of each run (default 300)
#   OUT      folder for the oha reports and memory samples (default target/bench-serve)
#
# NEWSIDX names the binary (default target/release/newsidx). INGEST_CORPUS, when set, names a
# corpus folder: during the /api/search run, after INGEST_AFTER seconds (default 20), the
# script runs `newsidx ingest` on it and then `newsidx ingest --full` (a new generation swapped
# in), as a cron job would, so the figures show whether any request failed meanwhile. That
# writes into INDEX: give it a copy.
#
# oha: `cargo install oha --locked --root DIR` and put DIR/bin on PATH (or set OHA).
set -euo pipefail

INDEX=${1:?usage: bench/serve.sh INDEX QUERIES [SECONDS] [OUT]}
QUERIES=${2:?usage: bench/serve.sh INDEX QUERIES [SECONDS] [OUT]}
SECONDS_PER_RUN=${3:-300}
OUT=${4:-target/bench-serve}
NEWSIDX=${NEWSIDX:-target/release/newsidx}
OHA=${OHA:-oha}
CONNECTIONS=${CONNECTIONS:-16}
INGEST_AFTER=${INGEST_AFTER:-20}

command -v "$OHA" >/dev/null || { echo "oha not found: cargo install oha --locked --root DIR" >&2; exit 2; }
mkdir -p "$OUT"

# Start the server on a free loopback port; its first lines name the address.
"$NEWSIDX" --index "$INDEX" serve --addr 127.0.0.1:0 2>"$OUT/server.log" &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  ADDR=$(sed -n 's|^newsidx serve: listening on http://\(.*\)/$|\1|p' "$OUT/server.log")
  [ -n "$ADDR" ] && break
  sleep 0.1
done
[ -n "${ADDR:-}" ] || { echo "the server did not start:" >&2; cat "$OUT/server.log" >&2; exit 1; }
echo "server $SERVER on $ADDR"

# One URL per query for each route.
python3 - "$QUERIES" "$ADDR" "$OUT" <<'PY'
import sys, urllib.parse
queries, addr, out = sys.argv[1:]
lines = [q.strip() for q in open(queries, encoding="utf-8") if q.strip()]
for name, path in (("api", "/api/search?q="), ("page", "/cari?q=")):
    with open(f"{out}/urls-{name}.txt", "w") as f:
        for q in lines:
            f.write(f"http://{addr}{path}{urllib.parse.quote_plus(q)}\n")
PY

rss() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }

# Resident memory every 5 s while a run goes on.
sample() {
  local file=$1 start=$SECONDS
  : >"$file"
  while kill -0 "$SERVER" 2>/dev/null; do
    echo "$((SECONDS - start)) $(rss)" >>"$file"
    sleep 5
  done
}

run() {
  local name=$1
  echo "== $name: $CONNECTIONS connections, ${SECONDS_PER_RUN}s"
  sample "$OUT/rss-$name.txt" &
  local sampler=$!
  "$OHA" --urls-from-file "$OUT/urls-$name.txt" -c "$CONNECTIONS" -z "${SECONDS_PER_RUN}s" \
    --no-tui --output-format json -o "$OUT/oha-$name.json"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  python3 - "$OUT/oha-$name.json" "$OUT/rss-$name.txt" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
summary, pct = report["summary"], report["latencyPercentiles"]
codes = report.get("statusCodeDistribution", {})
errors = report.get("errorDistribution", {})
ok = codes.get("200", 0)
failed = sum(v for k, v in codes.items() if k != "200") + sum(errors.values())
rss = [int(line.split()[1]) for line in open(sys.argv[2]) if len(line.split()) == 2]
print(f"requests/s {summary['requestsPerSec']:.1f}  p50 {pct['p50']*1000:.1f} ms  "
      f"p99 {pct['p99']*1000:.1f} ms  200: {ok}  failed: {failed} {codes} {errors}")
if rss:
    first, last, top = rss[0], rss[-1], max(rss)
    # The first minute warms the page cache's share of the mapped index; flat is judged after it.
    settled = rss[min(12, len(rss) - 1):]
    print(f"RSS MB: first {first/1024:.0f}, after 1 min {settled[0]/1024:.0f}, "
          f"last {last/1024:.0f}, max {top/1024:.0f}; "
          f"change after 1 min {100*(last-settled[0])/settled[0]:+.1f}%")
PY
}

# Warm up: every query once on each route, so the runs measure a warm index.
"$OHA" --urls-from-file "$OUT/urls-api.txt" -c 4 -n "$(wc -l <"$OUT/urls-api.txt")" --no-tui --output-format quiet
"$OHA" --urls-from-file "$OUT/urls-page.txt" -c 4 -n "$(wc -l <"$OUT/urls-page.txt")" --no-tui --output-format quiet

if [ -n "${INGEST_CORPUS:-}" ]; then
  (
    sleep "$INGEST_AFTER"
    echo "== ingest $INGEST_CORPUS (in place), then --full (new generation)"
    /usr/bin/time -f "ingest: %e s" "$NEWSIDX" --index "$INDEX" ingest "$INGEST_CORPUS" --quiet --json >"$OUT/ingest.json"
    /usr/bin/time -f "ingest --full: %e s" "$NEWSIDX" --index "$INDEX" ingest "$INGEST_CORPUS" --full --quiet --json >"$OUT/ingest-full.json"
    echo "== ingests done"
  ) &
  INGEST=$!
  run api
  wait "$INGEST"
  grep -E "now serving|error" "$OUT/server.log" || true
else
  run api
  run page
fi
