#!/usr/bin/env bash
# Byte-identical check of a restructuring: the outputs of `newsidx extract`, `analyze`, `ingest`,
# `search`, `show`, `stats`, `check` and every `--help` over the shared material, written to a
# folder and, given a second folder of an earlier run, compared with it.
#
#     scripts/identical.sh OUT [BASELINE]
#
# Reads ../shared (relative to the project's root) when it is there; without it only the help
# texts and the project's own corpus/ and test fixtures are used. Timings (`took_ms`, seconds)
# are taken out of the JSON before comparing. The binary is the `quick` profile build; set
# NEWSIDX_BIN to use another (named `newsidx`, as the help texts show the name). The index is
# built with one extraction thread, so that documents of equal score keep one order.
# `ANALYZE_EVERY=N` analyses every Nth shared article (default 8).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: scripts/identical.sh OUT [BASELINE]}
baseline=${2:-}
shared="$root/../shared"
every=${ANALYZE_EVERY:-8}

if [[ -z "${NEWSIDX_BIN:-}" ]]; then
    (cd "$root" && cargo build --quiet --profile quick)
    bin="$root/target/quick/newsidx"
else
    bin=$NEWSIDX_BIN
fi

rm -rf "$out"
mkdir -p "$out/help"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Help texts.
"$bin" --help >"$out/help/top.txt"
for command in ingest search analyze extract show stats check; do
    "$bin" "$command" --help >"$out/help/$command.txt"
    "$bin" "$command" -h >"$out/help/$command.short.txt"
done

# The pages: everything extraction is evaluated on, the seed, the test fixtures.
pages=()
while IFS= read -r -d '' file; do pages+=("$file"); done < <(
    { [[ -d "$shared/data/extraction" ]] && find "$shared/data/extraction" -type f \
        \( -name '*.html' -o -name '*.htm' \) -print0
      [[ -d "$shared/seed" ]] && find "$shared/seed" -type f -print0
      find "$root/tests/fixtures" "$root/corpus" -type f -print0 2>/dev/null || true
    } | sort -z)
(cd "$root" && "$bin" extract --json "${pages[@]}" >"$out/extract-pages.jsonl" \
    2>"$out/extract-pages.stderr" || echo "exit $?" >>"$out/extract-pages.stderr")
(cd "$root" && "$bin" extract "${pages[@]}" >"$out/extract-pages.txt" 2>/dev/null || true)
sed "s|$root/||g; s|$shared/||g" -i "$out/extract-pages.jsonl" "$out/extract-pages.txt" \
    "$out/extract-pages.stderr"

if [[ -f "$shared/data/articles/articles.jsonl" ]]; then
    articles="$shared/data/articles/articles.jsonl"
    "$bin" extract --json "$articles" | sed "s|$shared/||g" >"$out/extract-articles.jsonl"
    # analyze: title and body of every Nth article, one JSON array a line.
    python3 - "$bin" "$articles" "$every" >"$out/analyze.jsonl" <<'EOF'
import json, subprocess, sys
binary, path, every = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, encoding="utf-8") as lines:
    for number, line in enumerate(lines):
        if number % every:
            continue
        article = json.loads(line)
        for text in ((article.get("title") or ""), (article.get("body") or "")[:100000]):
            result = subprocess.run([binary, "analyze", "--json", text], capture_output=True)
            sys.stdout.buffer.write(result.stdout.rstrip(b"\n") + b"\n")
EOF
    # An index of the articles and the pages; searches, shows, stats and check over it.
    mkdir -p "$work/corpus/pages"
    cp "$articles" "$work/corpus/articles.jsonl"
    for page in "${pages[@]}"; do
        cp "$page" "$work/corpus/pages/$(echo "$page" | sed 's|.*/shared/||; s|/|_|g')"
    done
    strip='del(.took_ms) | del(.seconds) | del(.elapsed_ms)'
    "$bin" --index "$work/index" ingest --json --quiet --threads 1 "$work/corpus" \
        | sed "s|$work/||g" | python3 -c '
import json, sys
for line in sys.stdin:
    value = json.loads(line)
    for key in [k for k in value if k.endswith("_ms") or "sec" in k or "took" in k]:
        del value[key]
    print(json.dumps(value, sort_keys=True))' >"$out/ingest.json"
    "$bin" --index "$work/index" stats --json | sed "s|$work/||g" \
        | python3 -c 'import json,sys; v=json.load(sys.stdin); v.pop("size_bytes",None); v.pop("bytes",None); print(json.dumps(v, sort_keys=True))' \
        >"$out/stats.json"
    "$bin" --index "$work/index" check --json | sed "s|$work/||g" >"$out/check.json" || true
    queries=()
    for file in "$shared"/data/queries/newsroom_train.*; do
        [[ $file == *.tsv || $file == *.queries || $file == *.txt ]] || continue
        while IFS=$'\t' read -r id query _; do
            [[ $id == \#* || -z $query ]] || queries+=("$query")
        done <"$file"
    done
    queries+=('"kerja sama dengan"' 'banjir -jakarta' '(banjir OR longsor) bogor'
        'title:banjir' 'source:kompas presiden' '+banjir longsor' 'yang di' 'banjir "unclosed')
    : >"$out/search.jsonl"
    : >"$out/search.txt"
    for query in "${queries[@]}"; do
        for flags in "" "--sort newest" "--all-copies --limit 5" "--since 2020 --until 2023-06"; do
            # shellcheck disable=SC2086
            "$bin" --index "$work/index" search --json $flags -- "$query" 2>>"$out/search.stderr" \
                | sed "s|$work/||g" | python3 -c 'import json,sys; v=json.load(sys.stdin); v.pop("took_ms",None); print(json.dumps(v, sort_keys=True))' \
                >>"$out/search.jsonl" || echo "exit $? $query $flags" >>"$out/search.jsonl"
        done
        "$bin" --index "$work/index" search --color never --explain --limit 3 -- "$query" \
            2>>"$out/search.stderr" | sed "s|$work/||g; /took/d; / ms/d" >>"$out/search.txt" || true
    done
    python3 - "$articles" >"$work/ids" <<'EOF'
import json, sys
with open(sys.argv[1], encoding="utf-8") as lines:
    for number, line in enumerate(lines):
        if number % 500 == 0:
            print(json.loads(line)["url"])
EOF
    : >"$out/show.txt"
    while IFS= read -r id; do
        "$bin" --index "$work/index" show --json "$id" | sed "s|$work/||g" >>"$out/show.txt" || true
        "$bin" --index "$work/index" show "$id" | sed "s|$work/||g" >>"$out/show.txt" || true
    done <"$work/ids"
    { "$bin" --index "$work/index" show "no such id" 2>&1 || echo "exit $?"; } | sed "s|$work/||g" >>"$out/show.txt"
fi

if [[ -n "$baseline" ]]; then
    if diff -r "$baseline" "$out" >"$work/diff"; then
        echo "identical: $(find "$out" -type f | wc -l) files"
    else
        head -50 "$work/diff"
        echo "DIFFERENT"
        exit 1
    fi
fi
