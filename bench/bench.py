"""Archive-scale benchmark: newsidx against Xapian's omindex on one generated corpus.

    bench/run.sh SIZE [--seed N] [--queries N] [--work DIR]

Generates SIZE articles (examples/gencorpus.rs) unless that corpus is already there, then, on
the same files:

  1. ingest with newsidx and with `omindex -s indonesian` (the HTML and text pages; omindex
     reads no JSON Lines) -- wall time, articles/s, MB/s, peak RSS, index size on disk;
  2. the same ingest again with nothing changed;
  3. newsidx on the whole mix (pages and JSON Lines exports);
  3b. the HTML pages alone, newsidx and omindex: the heaviest kind of page, by itself;
  4. query latency p50/p95/p99 on one and two threads for real queries, in-process
     (examples/bench_search.rs against the Xapian Python bindings) and one process per query
     (`newsidx search --json` against `quest`);
  5. in process, plain search beside `search --facets` and `trend --by month`, for the same
     questions and for one-word queries that each match 5-20% of the archive.

Prints a table with newsidx/omindex ratios and writes results.json and results.md next to the
corpus. Standard library only; the Xapian part runs under a Python that has the xapian module.
`--search-only` measures query latency again on the indexes of the last run, keeping its ingest
figures (after a change to search). `--aggregations-only --index DIR` measures only step 5, on
any newsidx index of the corpus (one built elsewhere, e.g. after a schema change). `--no-omindex` measures newsidx alone (for archives too large for omindex to finish in hours);
omindex's columns then read "not run".
"""

import argparse
import concurrent.futures
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RELEASE = ROOT / "target" / "release"


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def percentile(sorted_samples, fraction):
    if not sorted_samples:
        return 0.0
    rank = math.ceil(fraction * len(sorted_samples))
    return sorted_samples[min(max(rank, 1), len(sorted_samples)) - 1]


def folder_bytes(path):
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def xapian_python():
    """A Python interpreter that can import xapian, or None."""
    for candidate in [os.environ.get("XAPIAN_PYTHON"), sys.executable, "/usr/bin/python3", "python3"]:
        if not candidate:
            continue
        try:
            done = subprocess.run([candidate, "-c", "import xapian"], capture_output=True)
        except OSError:
            continue
        if done.returncode == 0:
            return candidate
    return None


def cpu_seconds(time_path):
    """User plus system CPU seconds from a /usr/bin/time -v report, or None."""
    total, found = 0.0, False
    try:
        with open(time_path) as report:
            for line in report:
                if "User time (seconds)" in line or "System time (seconds)" in line:
                    total += float(line.rsplit(":", 1)[1])
                    found = True
    except OSError:
        return None
    return total if found else None


def memory_split(pid):
    """Resident memory of process `pid` in kB: (total, anonymous, file-backed), or None."""
    fields = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                    fields[name] = int(value.split()[0])
    except (OSError, ValueError):
        return None
    if "VmRSS" not in fields:
        return None
    return fields["VmRSS"], fields.get("RssAnon", 0), fields.get("RssFile", 0) + fields.get("RssShmem", 0)


def child_pids(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(child) for child in children.read().split()]
    except (OSError, ValueError):
        return []


def timed(command, log_path, cgroup=None):
    """Runs `command` under /usr/bin/time -v; returns wall seconds, peak RSS in MB, stdout, and
    the sampled split of resident memory. With `cgroup` (a folder from `memory_cgroup`), the
    command runs inside it, under its memory limit.

    `/usr/bin/time` reports the high-water mark of all resident pages, which counts pages of
    memory-mapped files (an index being merged) as well as the heap. The split is sampled from
    /proc every 0.1 s: the largest anonymous (heap) and file-backed parts seen, in MB. Sampling
    can miss a peak shorter than its interval.
    """
    time_path = str(log_path) + ".time"
    started = time.perf_counter()
    peak_anon = peak_file = 0
    with open(log_path, "w") as stderr, open(str(log_path) + ".out", "w+") as stdout:
        enter = None
        if cgroup is not None:
            def enter():
                (cgroup / "cgroup.procs").write_text(str(os.getpid()))
        process = subprocess.Popen(["/usr/bin/time", "-v", "-o", time_path] + command,
                                   stdout=stdout, stderr=stderr, text=True, preexec_fn=enter)
        while process.poll() is None:
            for pid in child_pids(process.pid):
                split = memory_split(pid)
                if split:
                    peak_anon = max(peak_anon, split[1])
                    peak_file = max(peak_file, split[2])
            time.sleep(0.1)
        stdout.seek(0)
        out = stdout.read()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}); see {log_path}")
    peak_kb = 0
    with open(time_path) as report:
        for line in report:
            if "Maximum resident set size" in line:
                peak_kb = int(line.rsplit(":", 1)[1])
    sampled = {"peak_anon_mb": peak_anon / 1024.0, "peak_file_mb": peak_file / 1024.0}
    return wall, peak_kb / 1024.0, out, sampled


def filesystem_type(path):
    """The type of the filesystem `path` is on ("ext4", "tmpfs", ...), or None."""
    try:
        mounts = [line.split()[1:3] for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return None
    target = str(Path(path).resolve())
    best = None
    for point, kind in mounts:
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > len(best[0])):
            best = (point, kind)
    return best[1] if best else None


def memory_cgroup(limit_mb):
    """A fresh memory cgroup limited to `limit_mb` (what the kernel counts there: the heap and
    the page cache of files read, written and mapped), as a folder, or the reason there is none.
    Needs a writable cgroup hierarchy (v1 memory controller, or v2 with memory delegated)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError as error:
        return None, str(error)
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            base, limit_file = Path("/sys/fs/cgroup/memory") / path.lstrip("/"), "memory.limit_in_bytes"
            break
    else:
        path = next((line.split(":", 2)[2] for line in lines if line.startswith("0::")), None)
        if path is None:
            return None, "no memory cgroup controller"
        base, limit_file = Path("/sys/fs/cgroup") / path.lstrip("/"), "memory.max"
    group = base / f"newsidx-bench-{os.getpid()}"
    try:
        group.mkdir(exist_ok=True)
        (group / limit_file).write_text(str(limit_mb * 1024 * 1024))
    except OSError as error:
        return None, f"cannot make a memory cgroup under {base}: {error.strerror}"
    return group, None


def read_topics(path, column=1):
    queries = []
    if not path.is_file():
        return queries
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) > column and parts[column].strip():
                queries.append(" ".join(parts[column].split()))
    return queries


def build_queries(count, out_path):
    """The detik keyword topics plus an even sample of MIRACL / Mr. TyDi questions."""
    keywords = read_topics(SHARED / "data/queries/detik_keyword.topics.tsv")
    questions = []
    folder = SHARED / "data/queries/miracl-mrtydi-id"
    for name in sorted(os.listdir(folder)) if folder.is_dir() else []:
        if name.startswith("topics."):
            questions += read_topics(folder / name)
    questions = sorted(set(questions))
    wanted = max(count - len(keywords), 0)
    step = max(len(questions) // wanted, 1) if wanted else 1
    sample = questions[::step][:wanted]
    queries = keywords + sample
    if not queries:
        # Without ../shared: titles of the corpus's own articles' words make do.
        queries = ["presiden", "harga beras", "banjir jakarta", "timnas indonesia", "inflasi"]
    out_path.write_text("\n".join(queries) + "\n", encoding="utf-8")
    return len(keywords), len(sample)


# One-word queries for the facet and trend latency runs: common words of Indonesian news, of
# which those matching 5-20% of the archive are kept (a tenth is the case the runs stand for).
COMMON_WORDS = [
    "pemerintah", "indonesia", "jakarta", "presiden", "warga", "polisi", "menteri", "harga",
    "rupiah", "ekonomi", "sekolah", "rumah", "kota", "daerah", "negara", "masyarakat", "tahun",
    "perusahaan", "pasar", "partai", "pemilu", "banjir", "kesehatan", "pendidikan", "politik",
    "hukum", "bank", "investasi", "pembangunan", "bandung", "surabaya", "timnas", "bola", "gempa",
    "covid", "vaksin", "jalan", "anak", "perempuan", "dunia", "program", "layanan", "data",
]
SHARE_LOW, SHARE_HIGH = 0.05, 0.20


def one_word_queries(newsidx, index, out_path, wanted=20):
    """Writes the COMMON_WORDS that match SHARE_LOW..SHARE_HIGH of the archive; their shares."""
    stats = json.loads(subprocess.run([newsidx, "--index", str(index), "stats", "--json"],
                                      capture_output=True, text=True, check=True).stdout)
    documents = max(stats["documents"], 1)
    kept = {}
    for word in COMMON_WORDS:
        out = subprocess.run([newsidx, "--index", str(index), "search", word, "--json", "--limit", "0"],
                             capture_output=True, text=True, check=True).stdout
        share = json.loads(out)["total"] / documents
        if SHARE_LOW <= share <= SHARE_HIGH:
            kept[word] = round(share, 3)
        if len(kept) >= wanted:
            break
    out_path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return kept


def aggregation_latency(newsidx, index, queries_path, work):
    """In-process p50/p95 of plain search, search + facets and trend by month, on one thread."""
    words_path = work / "one_word_queries.txt"
    words = one_word_queries(newsidx, index, words_path)
    log(f"one-word queries matching {SHARE_LOW:.0%}-{SHARE_HIGH:.0%}: {words}")
    runs = {"words": words}
    for label, path in (("questions", queries_path), ("one_word", words_path)):
        if not words and label == "one_word":
            continue
        for mode in ("search", "facets", "trend"):
            log(f"in-process latency, {label}, {mode}")
            out = subprocess.run([str(RELEASE / "examples" / "bench_search"), "--index", str(index),
                                  "--queries", str(path), "--threads", "1", "--mode", mode, "--json"],
                                 capture_output=True, text=True, check=True).stdout
            runs[f"{label}_{mode}"] = json.loads(out)
    return runs


def per_process_latency(commands, workers):
    """Runs each command as its own process, `workers` at a time; latencies in ms."""

    def one(command):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return (time.perf_counter() - started) * 1000.0

    # A warm-up pass so the index files are in the page cache for both engines alike.
    for command in commands[: min(len(commands), 20)]:
        one(command)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        # Every worker runs the whole list, as the in-process benchmarks do.
        jobs = [commands[(at + worker * len(commands) // workers) % len(commands)]
                for worker in range(workers) for at in range(len(commands))]
        latencies = sorted(pool.map(one, jobs))
    wall = time.perf_counter() - started
    return {
        "searches": len(latencies),
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "mean_ms": sum(latencies) / len(latencies),
        "queries_per_sec": len(latencies) / wall,
    }


def git_commit():
    done = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "src"],
                           cwd=ROOT, capture_output=True, text=True)
    commit = done.stdout.strip() or "unknown"
    return commit + ("+modified-src" if dirty.stdout.strip() else "")


def machine():
    memory = 0
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    memory = int(line.split()[1]) // 1024
    except OSError:
        pass
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "memory_mb": memory, "cpu": cpu, "kernel": platform.release()}


def ratio(numerator, denominator):
    return numerator / denominator if denominator else float("nan")


def main():
    options = argparse.ArgumentParser(description="newsidx vs omindex at archive scale")
    options.add_argument("size", type=int, help="number of articles to generate (1000 .. 1000000)")
    options.add_argument("--seed", type=int, default=1)
    options.add_argument("--queries", type=int, default=300, help="number of queries in the latency runs")
    options.add_argument("--process-queries", type=int, default=100,
                         help="how many of them to run one process per query (process start dominates)")
    options.add_argument("--work", type=Path, default=ROOT / "target" / "bench",
                         help="where corpora, indexes and results go (default target/bench)")
    options.add_argument("--no-build", action="store_true", help="use the binaries already built")
    options.add_argument("--skip-mix", action="store_true", help="skip the newsidx run over the whole mix")
    options.add_argument("--skip-html", action="store_true",
                         help="skip the runs over the HTML pages alone (a tree of hard links to them)")
    options.add_argument("--reuse-omindex", action="store_true",
                         help="keep the Xapian database and omindex figures of the last run of this size "
                              "(omindex does not change between newsidx commits; at 100k it takes half an hour)")
    options.add_argument("--no-omindex", action="store_true",
                         help="measure newsidx only: no omindex ingest, no Xapian or quest latency runs "
                              "(omindex needs hours at 1M articles)")
    options.add_argument("--search-only", action="store_true",
                         help="keep the ingest figures and indexes of the last run of this size and measure "
                              "query latency again (after a search change)")
    options.add_argument("--memory-limit", type=int, default=500, metavar="MB",
                         help="ingest the pages once more inside a memory cgroup of this many MB, where the "
                              "machine allows one (0: skip)")
    options.add_argument("--aggregations-only", action="store_true",
                         help="measure only plain search, search --facets and trend latency, on --index")
    options.add_argument("--index", type=Path,
                         help="with --aggregations-only: the newsidx index to measure (default: this size's)")
    options.add_argument("--render-only", action="store_true",
                         help="print the tables of the last run of this size again, without running anything")
    args = options.parse_args()
    if args.no_omindex and args.reuse_omindex:
        options.error("--no-omindex and --reuse-omindex exclude each other")

    work = args.work / str(args.size)
    if args.render_only:
        results = json.loads((work / "results.json").read_text())
        add_cpu_times(results, work)
        print(render(results))
        return
    if not args.aggregations_only:
        work.mkdir(parents=True, exist_ok=True)
    if args.aggregations_only:
        if not args.no_build:
            subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "newsidx",
                            "--example", "bench_search"], cwd=ROOT, check=True)
        # Results go beside the index measured, so a corpus folder shared with other runs is
        # only read.
        index = args.index or work / "newsidx"
        out = index.parent / f"{index.name}-aggregations"
        out.mkdir(parents=True, exist_ok=True)
        queries_path = work / "queries.txt"
        if not queries_path.is_file():
            queries_path = out / "queries.txt"
            build_queries(args.queries, queries_path)
        runs = aggregation_latency(str(RELEASE / "newsidx"), index, queries_path, out)
        (out / "aggregations.json").write_text(json.dumps(runs, indent=2))
        print(render_aggregations(runs))
        return
    if not args.no_build:
        log("building release binaries")
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "newsidx",
                        "--example", "gencorpus", "--example", "bench_search"], cwd=ROOT, check=True)
    newsidx = str(RELEASE / "newsidx")
    python_x = None if args.no_omindex else xapian_python()
    if not args.no_omindex and (shutil.which("omindex") is None or python_x is None
                                or shutil.which("quest") is None):
        raise SystemExit("needs omindex, quest and the xapian Python module: "
                         "apt-get install -y xapian-omega xapian-tools python3-xapian")

    # 1. The corpus, generated once per size and seed.
    manifest_path = work / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else None
    if manifest is None or manifest.get("seed") != args.seed or manifest.get("count") != args.size:
        log(f"generating {args.size} articles into {work}")
        started = time.perf_counter()
        subprocess.run([str(RELEASE / "examples" / "gencorpus"), "--count", str(args.size),
                        "--seed", str(args.seed), "--out", str(work)], check=True, stdout=subprocess.DEVNULL)
        log(f"generated in {time.perf_counter() - started:.1f} s")
        manifest = json.loads(manifest_path.read_text())
    pages, feeds = work / "pages", work / "feeds"
    page_articles = manifest["html"]["articles"] + manifest["text"]["articles"]
    page_mb = (manifest["html"]["bytes"] + manifest["text"]["bytes"]) / 1e6
    page_text_mb = (manifest["html"]["text_bytes"] + manifest["text"]["text_bytes"]) / 1e6
    all_articles = page_articles + manifest["jsonl"]["articles"]
    all_mb = page_mb + manifest["jsonl"]["bytes"] / 1e6
    results = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "machine": machine(),
        "size": args.size,
        "seed": args.seed,
        "manifest": manifest,
        "command": f"bench/run.sh {args.size}" + (f" --seed {args.seed}" if args.seed != 1 else "")
                   + (" --no-omindex" if args.no_omindex else "")
                   + (" --reuse-omindex" if args.reuse_omindex else "")
                   + (" --search-only" if args.search_only else ""),
    }
    if args.no_omindex:
        results["omindex_not_run"] = True

    if args.search_only:
        try:
            last = json.loads((work / "results.json").read_text())
        except (OSError, ValueError):
            raise SystemExit(f"--search-only: no earlier run in {work}")
        if not (work / "newsidx").is_dir():
            raise SystemExit(f"--search-only: no index in {work}")
        for key in ("ingest", "mix", "html", "limited", "omindex_not_run", "omindex_reused"):
            if key in last:
                results[key] = last[key]
        results["ingest_from"] = last.get("commit")
        newsidx_index, xapian_db = work / "newsidx", work / "xapian"
        if "omindex" not in results["ingest"]:
            args.no_omindex = True
    else:
        # 2. Ingest, then the same again with nothing changed.
        newsidx_index, xapian_db, mix_index = work / "newsidx", work / "xapian", work / "newsidx-mix"
        previous = None
        if args.reuse_omindex:
            try:
                previous = json.loads((work / "results.json").read_text())["ingest"]["omindex"]
            except (OSError, KeyError, ValueError):
                raise SystemExit(f"--reuse-omindex: no earlier run with omindex figures in {work}")
            if previous.get("articles") != page_articles or not xapian_db.is_dir():
                raise SystemExit(f"--reuse-omindex: the Xapian database in {work} is not of this corpus")
        # Without omindex, a Xapian database of an earlier run is left alone.
        for old in [newsidx_index, mix_index] + ([] if previous or args.no_omindex else [xapian_db]):
            shutil.rmtree(old, ignore_errors=True)
        ingest = {}
        log(f"newsidx ingest: {page_articles} pages ({page_mb:.0f} MB)")
        command = [newsidx, "--index", str(newsidx_index), "ingest", "--json", "--quiet", str(pages)]
        wall, rss, out, sampled = timed(command, work / "newsidx-ingest.log")
        summary = json.loads(out)
        ingest["newsidx"] = {"wall_s": wall, "peak_rss_mb": rss, **sampled,
                             "articles": summary.get("documents", summary.get("articles_indexed")),
                             "skipped": summary.get("files_skipped"),
                             "index_mb": folder_bytes(newsidx_index) / 1e6}
        log(f"  {wall:.1f} s, {rss:.0f} MB peak")
        wall, rss, out, _ = timed(command, work / "newsidx-rerun.log")
        ingest["newsidx"].update({"rerun_s": wall, "rerun_peak_rss_mb": rss})
        log(f"  no-change rerun {wall:.1f} s")

        if args.memory_limit:
            results["limited"] = limited_ingest(newsidx, pages, work, args.memory_limit)

        if args.no_omindex:
            log("omindex: not run (--no-omindex)")
        elif previous:
            log("omindex: figures and database of the last run kept")
            ingest["omindex"] = previous
            results["omindex_reused"] = True
        else:
            run_omindex(ingest, python_x, pages, xapian_db, work)
        for engine in ingest.values():
            engine["articles_per_s"] = engine["articles"] / engine["wall_s"]
            engine["mb_per_s"] = page_mb / engine["wall_s"]
            engine["index_to_text"] = engine["index_mb"] / page_text_mb

        if not args.skip_mix:
            log(f"newsidx ingest, whole mix: {all_articles} articles ({all_mb:.0f} MB)")
            command = [newsidx, "--index", str(mix_index), "ingest", "--json", "--quiet", str(pages), str(feeds)]
            wall, rss, out, sampled = timed(command, work / "newsidx-mix.log")
            summary = json.loads(out)
            results["mix"] = {"wall_s": wall, "peak_rss_mb": rss, **sampled, "articles": summary.get("articles_indexed"),
                              "articles_per_s": summary.get("articles_indexed", 0) / wall,
                              "mb_per_s": all_mb / wall, "index_mb": folder_bytes(mix_index) / 1e6}
            shutil.rmtree(mix_index, ignore_errors=True)
            log(f"  {wall:.1f} s")
        results["ingest"] = ingest

        if not args.skip_html:
            kept = previous_html(work) if previous else None
            results["html"] = html_alone(newsidx, None if args.no_omindex or kept else python_x,
                                         manifest, pages, work)
            if kept:
                results["html"]["omindex"] = kept

    # 3. Query latency.
    queries_path = work / "queries.txt"
    keyword_count, question_count = build_queries(args.queries, queries_path)
    queries = [line for line in queries_path.read_text(encoding="utf-8").splitlines() if line]
    results["queries"] = {"keywords": keyword_count, "questions": question_count}
    latency = {}
    step = max(len(queries) // max(args.process_queries, 1), 1)
    process_queries = queries[::step][: args.process_queries]
    results["queries"]["per_process"] = len(process_queries)
    for threads in (1, 2):
        log(f"in-process latency, {threads} thread(s)")
        out = subprocess.run([str(RELEASE / "examples" / "bench_search"), "--index", str(newsidx_index),
                              "--queries", str(queries_path), "--threads", str(threads), "--json"],
                             capture_output=True, text=True, check=True).stdout
        latency[f"newsidx_inprocess_{threads}"] = json.loads(out)
        if not args.no_omindex:
            out = subprocess.run([python_x, str(ROOT / "bench" / "xapian_search.py"), "--db", str(xapian_db),
                                  "--queries", str(queries_path), "--procs", str(threads), "--json"],
                                 capture_output=True, text=True, check=True).stdout
            latency[f"xapian_inprocess_{threads}"] = json.loads(out)
        log(f"per-process latency, {threads} at a time")
        latency[f"newsidx_process_{threads}"] = per_process_latency(
            [[newsidx, "--index", str(newsidx_index), "search", "--json", "--limit", "10", query]
             for query in process_queries], threads)
        if args.no_omindex:
            continue
        latency[f"quest_process_{threads}"] = per_process_latency(
            [["quest", "-d", str(xapian_db), "-s", "indonesian", "-m", "10", query] for query in process_queries],
            threads)
    results["latency"] = latency
    results["aggregations"] = aggregation_latency(newsidx, newsidx_index, queries_path, work)

    add_cpu_times(results, work)
    (work / "results.json").write_text(json.dumps(results, indent=2))
    markdown = render(results)
    (work / "results.md").write_text(markdown)
    print(markdown)


def limited_ingest(newsidx, pages, work, limit_mb):
    """The page ingest again, from scratch, inside a memory cgroup of `limit_mb`: whether it
    finishes, how fast, and what it kept resident. Under the limit the kernel reclaims page
    cache (input files, mapped index files) before it fails an allocation, so this shows what
    the ingest needs rather than what an unconstrained machine lets it keep."""
    group, reason = memory_cgroup(limit_mb)
    if group is None:
        log(f"ingest under {limit_mb} MB: not run ({reason})")
        return {"limit_mb": limit_mb, "not_run": reason}
    index = work / "newsidx-limited"
    if filesystem_type(work) == "tmpfs":
        # An index written to tmpfs is memory the cgroup is charged for and cannot reclaim:
        # the run would measure the limit against the index's size, not the ingest's needs.
        index = ROOT / "target" / "bench-limited" / work.name
        index.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(index, ignore_errors=True)
    log(f"newsidx ingest in a {limit_mb} MB memory cgroup")
    command = [newsidx, "--index", str(index), "ingest", "--json", "--quiet", str(pages)]
    figures = {"limit_mb": limit_mb}
    try:
        wall, rss, out, sampled = timed(command, work / "newsidx-limited.log", cgroup=group)
        summary = json.loads(out)
        articles = summary.get("documents", summary.get("articles_indexed"))
        figures.update({"wall_s": wall, "peak_rss_mb": rss, **sampled, "articles": articles,
                        "articles_per_s": articles / wall})
        log(f"  {wall:.1f} s, {rss:.0f} MB peak RSS")
    except SystemExit as failure:
        figures["failed"] = str(failure)
        log(f"  failed: {failure}")
    for name, key in [("memory.max_usage_in_bytes", "cgroup_peak_mb"), ("memory.peak", "cgroup_peak_mb"),
                      ("memory.failcnt", "limit_hits")]:
        try:
            value = int((group / name).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        figures[key] = value / 1e6 if key.endswith("_mb") else value
    shutil.rmtree(index, ignore_errors=True)
    try:
        group.rmdir()
    except OSError:
        pass
    return figures


def html_tree(pages, target):
    """A tree of hard links to the HTML pages of `pages` (copies where links fail)."""
    if target.is_dir():
        shutil.rmtree(target)
    for path in sorted(pages.rglob("*.html")):
        link = target / path.relative_to(pages)
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, link)
        except OSError:
            shutil.copy2(path, link)


def html_alone(newsidx, python_x, manifest, pages, work):
    """newsidx, and omindex when `python_x` is given, over the HTML pages alone."""
    html = {"articles": manifest["html"]["articles"], "mb": manifest["html"]["bytes"] / 1e6}
    tree = work / "html-pages"
    html_tree(pages, tree)
    log(f"the HTML pages alone: {html['articles']} pages ({html['mb']:.0f} MB)")
    index = work / "newsidx-html"
    shutil.rmtree(index, ignore_errors=True)
    wall, rss, out, _ = timed([newsidx, "--index", str(index), "ingest", "--json", "--quiet", str(tree)],
                              work / "newsidx-html.log")
    html["newsidx"] = {"wall_s": wall, "peak_rss_mb": rss, "cpu_s": cpu_seconds(work / "newsidx-html.log.time"),
                       "articles": json.loads(out).get("documents")}
    log(f"  newsidx {wall:.1f} s")
    shutil.rmtree(index, ignore_errors=True)
    if python_x:
        db = work / "xapian-html"
        shutil.rmtree(db, ignore_errors=True)
        wall, rss, _, documents = omindex_build(python_x, tree, db, work / "omindex-html.log")
        html["omindex"] = {"wall_s": wall, "peak_rss_mb": rss, "cpu_s": cpu_seconds(work / "omindex-html.log.time"),
                           "articles": documents}
        log(f"  omindex {wall:.1f} s")
        shutil.rmtree(db, ignore_errors=True)
    shutil.rmtree(tree, ignore_errors=True)
    for engine in ("newsidx", "omindex"):
        if engine in html:
            html[engine]["articles_per_s"] = html[engine]["articles"] / html[engine]["wall_s"]
    return html


def previous_html(work):
    """omindex's figures on the HTML pages alone in the last run of this corpus, if any."""
    try:
        return json.loads((work / "results.json").read_text())["html"]["omindex"]
    except (OSError, KeyError, ValueError):
        return None


def omindex_build(python_x, pages, db, log_path):
    """omindex over `pages` into a new database `db`, timed; also the documents it holds."""
    command = ["omindex", "--db", str(db), "--url", "/", "-s", "indonesian", "--overwrite", str(pages)]
    wall, rss, _, sampled = timed(command, log_path)
    documents = int(subprocess.run([python_x, str(ROOT / "bench" / "xapian_search.py"), "--db", str(db),
                                    "--count"], capture_output=True, text=True, check=True).stdout)
    return wall, rss, sampled, documents


def run_omindex(ingest, python_x, pages, xapian_db, work):
    """omindex over the pages, then again with nothing changed."""
    log("omindex -s indonesian: the same pages")
    wall, rss, sampled, documents = omindex_build(python_x, pages, xapian_db, work / "omindex.log")
    ingest["omindex"] = {"wall_s": wall, "peak_rss_mb": rss, **sampled, "articles": documents,
                         "index_mb": folder_bytes(xapian_db) / 1e6}
    log(f"  {wall:.1f} s, {rss:.0f} MB peak")
    command = ["omindex", "--db", str(xapian_db), "--url", "/", "-s", "indonesian", str(pages)]
    wall, rss, _, _ = timed(command, work / "omindex-rerun.log")
    ingest["omindex"].update({"rerun_s": wall, "rerun_peak_rss_mb": rss})
    log(f"  no-change rerun {wall:.1f} s")


def add_cpu_times(results, work):
    """CPU seconds of each ingest: on a shared machine they vary less than wall time."""
    for engine, key, log_name in [
        ("newsidx", "cpu_s", "newsidx-ingest.log"),
        ("newsidx", "rerun_cpu_s", "newsidx-rerun.log"),
        ("omindex", "cpu_s", "omindex.log"),
        ("omindex", "rerun_cpu_s", "omindex-rerun.log"),
    ]:
        if engine not in results["ingest"] or (results.get("omindex_reused") and engine == "omindex"):
            continue
        results["ingest"][engine][key] = cpu_seconds(work / (log_name + ".time"))
    if "mix" in results:
        results["mix"]["cpu_s"] = cpu_seconds(work / "newsidx-mix.log.time")
    if "wall_s" in results.get("limited", {}):
        results["limited"]["cpu_s"] = cpu_seconds(work / "newsidx-limited.log.time")


NOT_RUN = "not run"


def cell(engine, key, fmt, unit=""):
    """One figure of an engine's row, or "not run" when that engine or figure is missing."""
    value = engine.get(key) if engine else None
    if value is None:
        return NOT_RUN
    return format(value, fmt) + unit


def ratio_cell(ours, theirs, key):
    if not ours or not theirs or ours.get(key) is None or not theirs.get(key):
        return ""
    return f"{ours[key] / theirs[key]:.2f}"


def row(cells):
    """A Markdown table row; an empty cell is written `| |`."""
    return "|" + "".join(f" {text} |" if text else " |" for text in cells)


def render(results):
    manifest = results["manifest"]
    page_articles = manifest["html"]["articles"] + manifest["text"]["articles"]
    page_mb = (manifest["html"]["bytes"] + manifest["text"]["bytes"]) / 1e6
    page_text_mb = (manifest["html"]["text_bytes"] + manifest["text"]["text_bytes"]) / 1e6
    ingest, latency, m = results["ingest"], results.get("latency", {}), results["machine"]
    ours, theirs = ingest["newsidx"], ingest.get("omindex")
    notes = []
    if results.get("omindex_reused"):
        notes = ["", "omindex figures and database reused from an earlier run of this corpus (`--reuse-omindex`)."]
    elif theirs is None:
        notes = ["", "omindex was not run (`--no-omindex`): newsidx figures only."]
    if results.get("ingest_from"):
        notes += ["", f"Ingest figures and indexes from the run at commit {results['ingest_from']} "
                      "(`--search-only`); query latency measured at this commit."]
    lines = [
        f"### {results['size']:,} articles ({results['date']}, commit {results['commit']})",
        *notes,
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_mb'] / 1024:.1f} GiB; command `{results['command']}`.",
        f"Compared corpus: {page_articles:,} HTML and text pages, {page_mb:.0f} MB on disk, "
        f"{page_text_mb:.0f} MB of article text (title, body, captions).",
        "",
        "| ingest | newsidx | omindex | newsidx / omindex |",
        "|---|---:|---:|---:|",
    ]
    for label, key, fmt, unit, with_ratio in [
        ("wall time", "wall_s", ".1f", " s", True),
        ("CPU time (user + sys)", "cpu_s", ".1f", " s", True),
        ("articles indexed", "articles", ",", "", False),
        ("articles/s", "articles_per_s", ",.0f", "", True),
        ("MB/s (input)", "mb_per_s", ".1f", "", True),
        ("peak RSS", "peak_rss_mb", ".0f", " MB", True),
        ("  of it anonymous (sampled peak)", "peak_anon_mb", ".0f", " MB", True),
        ("  of it mapped files (sampled peak)", "peak_file_mb", ".0f", " MB", True),
        ("index size", "index_mb", ".0f", " MB", True),
        ("index / article text", "index_to_text", ".2f", "", False),
        ("no-change rerun", "rerun_s", ".1f", " s", True),
        ("no-change rerun, CPU", "rerun_cpu_s", ".1f", " s", True),
    ]:
        lines.append(row([label, cell(ours, key, fmt, unit), cell(theirs, key, fmt, unit),
                          ratio_cell(ours, theirs, key) if with_ratio else ""]))
    if "mix" in results:
        mix = results["mix"]
        lines += [
            "",
            f"newsidx over the whole mix (pages and JSON Lines, {mix['articles']:,} articles): "
            f"{mix['wall_s']:.1f} s, {mix['articles_per_s']:,.0f} articles/s, {mix['mb_per_s']:.1f} MB/s, "
            f"peak RSS {mix['peak_rss_mb']:.0f} MB (sampled peaks: anonymous "
            f"{mix.get('peak_anon_mb', float('nan')):.0f} MB, mapped files "
            f"{mix.get('peak_file_mb', float('nan')):.0f} MB), index {mix['index_mb']:.0f} MB.",
        ]
    html = results.get("html")
    if html:
        lines += ["", f"The HTML pages alone ({html['articles']:,} pages, {html['mb']:.0f} MB):", "",
                  "| HTML pages alone | newsidx | omindex | newsidx / omindex |", "|---|---:|---:|---:|"]
        a, b = html["newsidx"], html.get("omindex")
        for label, key, fmt, unit in [
            ("wall time", "wall_s", ".1f", " s"),
            ("CPU time (user + sys)", "cpu_s", ".1f", " s"),
            ("articles indexed", "articles", ",", ""),
            ("articles/s", "articles_per_s", ",.0f", ""),
            ("peak RSS", "peak_rss_mb", ".0f", " MB"),
        ]:
            lines.append(row([label, cell(a, key, fmt, unit), cell(b, key, fmt, unit),
                              "" if key == "articles" else ratio_cell(a, b, key)]))
    limited = results.get("limited")
    if limited and "not_run" in limited:
        lines += ["", f"Ingest in a {limited['limit_mb']} MB memory cgroup: not run ({limited['not_run']})."]
    elif limited and "failed" in limited:
        lines += ["", f"Ingest in a {limited['limit_mb']} MB memory cgroup: **failed** ({limited['failed']})."]
    elif limited:
        lines += [
            "",
            f"newsidx ingest of the same pages in a {limited['limit_mb']} MB memory cgroup (the kernel counts heap "
            f"and page cache there, and reclaims cache at the limit): {limited['wall_s']:.1f} s, "
            f"{limited['articles_per_s']:,.0f} articles/s ({limited['articles']:,} articles), "
            f"peak RSS {limited['peak_rss_mb']:.0f} MB (sampled peaks: anonymous "
            f"{limited.get('peak_anon_mb', float('nan')):.0f} MB, mapped files "
            f"{limited.get('peak_file_mb', float('nan')):.0f} MB), CPU {limited.get('cpu_s', float('nan')):.1f} s.",
        ]
    queries = results.get("queries")
    if not queries or not latency:
        return "\n".join(lines) + "\n"
    lines += [
        "",
        f"Query latency over {queries['keywords'] + queries['questions']} queries ({queries['keywords']} keyword "
        f"topics, {queries['questions']} MIRACL/Mr. TyDi questions; {queries['per_process']} of them for the "
        "one-process-per-query rows), top 10, warm page cache:",
        "",
        "| search | threads | p50 ms | p95 ms | p99 ms | queries/s | p50 ratio | p99 ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for ours_name, theirs_name, label_ours, label_theirs in [
        ("newsidx_inprocess", "xapian_inprocess", "newsidx library, snippets", "Xapian Python, snippets"),
        ("newsidx_process", "quest_process", "`newsidx search --json`", "`quest`"),
    ]:
        for threads in (1, 2):
            a, b = latency.get(f"{ours_name}_{threads}"), latency.get(f"{theirs_name}_{threads}")
            for label, figures, ratios in [
                (label_ours, a, [ratio_cell(a, b, "p50_ms"), ratio_cell(a, b, "p99_ms")]),
                (label_theirs, b, ["", ""]),
            ]:
                lines.append(row([label, str(threads), cell(figures, "p50_ms", ".2f"), cell(figures, "p95_ms", ".2f"),
                                  cell(figures, "p99_ms", ".2f"), cell(figures, "queries_per_sec", ".0f")] + ratios))
    if results.get("aggregations"):
        lines += ["", render_aggregations(results["aggregations"])]
    return "\n".join(lines) + "\n"


def render_aggregations(runs):
    """Plain search beside search --facets and trend --by month, in process, one thread."""
    lines = [
        "In-process latency of facets and trends beside plain search (one thread, warm page cache); "
        f"one-word queries: {', '.join(f'{word} ({share:.0%})' for word, share in runs.get('words', {}).items())}",
        "",
        "| queries | search | p50 ms | p95 ms | p99 ms |",
        "|---|---|---:|---:|---:|",
    ]
    for label, name in (("questions", "MIRACL questions and keywords"), ("one_word", "one word, 5-20% of the archive")):
        for mode, what in (("search", "`search`"), ("facets", "`search --facets`"), ("trend", "`trend --by month`")):
            figures = runs.get(f"{label}_{mode}")
            if figures:
                lines.append(row([name, what, cell(figures, "p50_ms", ".2f"), cell(figures, "p95_ms", ".2f"),
                                  cell(figures, "p99_ms", ".2f")]))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
