#!/usr/bin/env bash
# Reindexing benchmark: `newsidx ingest` against Xapian's `omindex` on the same generated files,
# in the same run: a first build, no-change reruns, and a rerun after 1% of the files changed.
#
#   bench/reindex.sh [COUNT] [WORKDIR]      (defaults: 100000 files, a new temporary folder)
#
# Needs python3, GNU time (/usr/bin/time) and omindex (Debian package xapian-omega). Prints a
# Markdown table of wall time and peak memory, with the ratio omindex / newsidx.
set -euo pipefail

COUNT=${1:-100000}
WORK=${2:-$(mktemp -d "${TMPDIR:-/tmp}/newsidx-reindex.XXXXXX")}
REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNS=3

command -v omindex >/dev/null || { echo "bench/reindex.sh: omindex not found; apt-get install xapian-omega" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/reindex.sh: GNU time not found; apt-get install time" >&2; exit 1; }

cargo build --release --quiet --manifest-path "$REPO/Cargo.toml"
NEWSIDX="$REPO/target/release/newsidx"
CORPUS="$WORK/corpus"
mkdir -p "$WORK"
rm -rf "$CORPUS" "$WORK/newsidx-index" "$WORK/xapian-db"

echo "generating $COUNT files under $CORPUS" >&2
python3 "$REPO/bench/reindex_corpus.py" generate "$CORPUS" "$COUNT"
BYTES=$(du -sb "$CORPUS" | cut -f1)

# measure NAME COMMAND...: runs COMMAND, records "seconds peak_kb" in $WORK/NAME.time.
measure() {
    local name=$1
    shift
    if ! /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
        echo "bench/reindex.sh: $name failed:" >&2
        cat "$WORK/$name.err" >&2
        exit 1
    fi
    tail -n 1 "$WORK/$name.time"
}

newsidx_run() { measure "$1" "$NEWSIDX" --index "$WORK/newsidx-index" ingest --quiet "$CORPUS"; }
omindex_run() { measure "$1" omindex --db "$WORK/xapian-db" --url / -s indonesian "$CORPUS"; }

# median SECONDS...: the middle value.
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

row() { # label newsidx_time newsidx_kb omindex_time omindex_kb
    awk -v label="$1" -v nt="$2" -v nk="$3" -v ot="$4" -v ok="$5" 'BEGIN {
        ratio = (nt > 0) ? sprintf("%.1f", ot / nt) : "-";
        printf "| %s | %.2f s | %.0f MB | %.2f s | %.0f MB | %s |\n", label, nt, nk / 1024, ot, ok / 1024, ratio
    }'
}

echo "first build" >&2
read -r n_first n_first_kb < <(newsidx_run newsidx-first)
read -r o_first o_first_kb < <(omindex_run omindex-first)

echo "no-change reruns" >&2
n_times=(); o_times=(); n_kb=0; o_kb=0
for run in $(seq 1 $RUNS); do
    read -r t kb < <(newsidx_run "newsidx-same-$run"); n_times+=("$t"); n_kb=$(( kb > n_kb ? kb : n_kb ))
    read -r t kb < <(omindex_run "omindex-same-$run"); o_times+=("$t"); o_kb=$(( kb > o_kb ? kb : o_kb ))
done
n_same=$(median "${n_times[@]}")
o_same=$(median "${o_times[@]}")

echo "changing 1% of the files" >&2
CHANGED=$(python3 "$REPO/bench/reindex_corpus.py" change "$CORPUS" 1)
read -r n_change n_change_kb < <(newsidx_run newsidx-change)
read -r o_change o_change_kb < <(omindex_run omindex-change)

DOCS=$("$NEWSIDX" --index "$WORK/newsidx-index" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
XDOCS=$(xapian-delve "$WORK/xapian-db" 2>/dev/null | sed -n 's/^number of documents = //p' || true)

echo
echo "$COUNT files ($(( BYTES / 1000000 )) MB), $CHANGED changed; newsidx holds $DOCS articles, omindex ${XDOCS:-?} documents."
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM; $(date -u +%Y-%m-%d)."
echo "No-change rows: median of $RUNS runs (peak memory: the highest)."
echo
echo "| run | newsidx | newsidx peak RSS | omindex | omindex peak RSS | omindex / newsidx time |"
echo "|---|---|---|---|---|---|"
row "first build" "$n_first" "$n_first_kb" "$o_first" "$o_first_kb"
row "no change" "$n_same" "$n_kb" "$o_same" "$o_kb"
row "1% changed" "$n_change" "$n_change_kb" "$o_change" "$o_change_kb"
echo
echo "Work folder (delete when done): $WORK" >&2
