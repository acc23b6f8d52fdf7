#!/usr/bin/env bash
# Load benchmark of `newsidx serve` (BENCHMARKS.md, "Serving"): wrk at 16 connections against
# /api/search and the HTML results page, each URL one of the bench's queries, with the
# server's resident memory sampled every 5 seconds.
#
#   bench/serve.sh INDEX QUERIES [SECONDS] [OUT]
#
#   INDEX    an index folder (read only)
#   QUERIES  one query per line (bench/run.sh writes queries.txt beside its index)
#   SECONDS  length of each run (default 300)
#   OUT      folder for the reports and memory samples (default target/bench-serve)
#
# NEWSIDX names the binary (default target/release/newsidx). INGEST_CORPUS, when set, names a
# corpus folder: during the /api/search run, after INGEST_AFTER seconds (default 20), the
# script runs `newsidx ingest` on it and then `newsidx ingest --full` (a new generation swapped
# in), as a cron job would, so the figures show whether any request failed meanwhile. That
# writes into INDEX: give it a copy. With INGEST_FROM set (a larger archive made by gencorpus
# with the same seed), its new and changed files are first copied into INGEST_CORPUS: the
# articles a night's crawl adds.
#
# wrk: Debian's `wrk` package (`apt-get install wrk`); bench/serve-load.lua picks the paths
# and prints the figures (requests/s, p50/p90/p99, errors: failed connections, reads,
# writes, timeouts and every answer that is not 2xx/3xx).
set -euo pipefail

INDEX=${1:?usage: bench/serve.sh INDEX QUERIES [SECONDS] [OUT]}
QUERIES=${2:?usage: bench/serve.sh INDEX QUERIES [SECONDS] [OUT]}
SECONDS_PER_RUN=${3:-300}
OUT=${4:-target/bench-serve}
NEWSIDX=${NEWSIDX:-target/release/newsidx}
WRK=${WRK:-wrk}
LUA=$(dirname "$0")/serve-load.lua
CONNECTIONS=${CONNECTIONS:-16}
INGEST_AFTER=${INGEST_AFTER:-20}

command -v "$WRK" >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 2; }
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

# One path per query for each route.
python3 - "$QUERIES" "$OUT" <<'PY'
import sys, urllib.parse
queries, out = sys.argv[1:]
lines = [q.strip() for q in open(queries, encoding="utf-8") if q.strip()]
for name, path in (("api", "/api/search?q="), ("page", "/cari?q=")):
    with open(f"{out}/paths-{name}.txt", "w") as f:
        for q in lines:
            f.write(f"{path}{urllib.parse.quote_plus(q)}\n")
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
  WRK_PATHS="$OUT/paths-$name.txt" "$WRK" -t 2 -c "$CONNECTIONS" -d "${SECONDS_PER_RUN}s" \
    --timeout 10s -s "$LUA" "http://$ADDR" | tail -1 >"$OUT/wrk-$name.json"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  python3 - "$OUT/wrk-$name.json" "$OUT/rss-$name.txt" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
failed = sum(report["errors"].values())
print(f"requests {report['requests']}  requests/s {report['rps']:.1f}  p50 {report['p50_ms']:.1f} ms  "
      f"p90 {report['p90_ms']:.1f} ms  p99 {report['p99_ms']:.1f} ms  max {report['max_ms']:.0f} ms  "
      f"failed: {failed} {report['errors']}")
rss = [int(line.split()[1]) for line in open(sys.argv[2]) if len(line.split()) == 2]
if rss:
    first, last, top = rss[0], rss[-1], max(rss)
    # The first minute warms the page cache's share of the mapped index; flat is judged after it.
    settled = rss[min(12, len(rss) - 1):]
    print(f"RSS MB: first {first/1024:.0f}, after 1 min {settled[0]/1024:.0f}, "
          f"last {last/1024:.0f}, max {top/1024:.0f}; "
          f"change after 1 min {100*(last-settled[0])/settled[0]:+.1f}%")
PY
}

# Warm up: every query about once on each route, so the runs measure a warm index.
for name in api page; do
  WRK_PATHS="$OUT/paths-$name.txt" "$WRK" -t 2 -c 4 -d 30s --timeout 10s -s "$LUA" "http://$ADDR" >/dev/null
done

if [ -n "${INGEST_CORPUS:-}" ]; then
  (
    sleep "$INGEST_AFTER"
    if [ -n "${INGEST_FROM:-}" ]; then
      python3 - "$INGEST_FROM" "$INGEST_CORPUS" <<'PY'
import filecmp, os, shutil, sys
source, target = sys.argv[1:]
copied = 0
for folder, _, files in os.walk(source):
    for name in files:
        path = os.path.join(folder, name)
        there = os.path.join(target, os.path.relpath(path, source))
        if not os.path.exists(there) or not filecmp.cmp(path, there, shallow=False):
            os.makedirs(os.path.dirname(there), exist_ok=True)
            shutil.copy2(path, there)
            copied += 1
print(f"copied {copied} new or changed files into {target}")
PY
    fi
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
