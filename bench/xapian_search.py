"""Times Xapian searches in-process over an omindex database, the way bench_search times newsidx.

Each query is parsed with the Indonesian stemmer (as omega does: STEM_SOME, default operator
OR), the top 10 are fetched with their stored data, and a snippet of about 240 characters is cut
from each hit's stored sample. Run with a Python that has the `xapian` module (Debian's
python3-xapian installs it for /usr/bin/python3).

    python3 bench/xapian_search.py --db DB --queries FILE [--procs 2] [--json]
    python3 bench/xapian_search.py --db DB --count
"""

import argparse
import json
import math
import multiprocessing
import time

import xapian


def percentile(sorted_samples, fraction):
    if not sorted_samples:
        return 0.0
    rank = math.ceil(fraction * len(sorted_samples))
    return sorted_samples[min(max(rank, 1), len(sorted_samples)) - 1]


def open_searcher(path):
    database = xapian.Database(path)
    parser = xapian.QueryParser()
    stemmer = xapian.Stem("indonesian")
    parser.set_stemmer(stemmer)
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.set_database(database)
    parser.add_prefix("title", "S")
    enquire = xapian.Enquire(database)
    return database, parser, stemmer, enquire


def run_query(searcher, query, limit):
    database, parser, stemmer, enquire = searcher
    try:
        parsed = parser.parse_query(query, xapian.QueryParser.FLAG_DEFAULT)
    except xapian.QueryParserError:
        parsed = parser.parse_query(query, 0)
    enquire.set_query(parsed)
    matches = enquire.get_mset(0, limit)
    hits = 0
    for match in matches:
        data = match.document.get_data().decode("utf-8", "replace")
        fields = dict(line.split("=", 1) for line in data.split("\n") if "=" in line)
        matches.snippet(fields.get("sample", ""), 240, stemmer)
        hits += 1
    return hits


def worker(arguments):
    path, queries, limit, warmup, offset = arguments
    searcher = open_searcher(path)
    for _ in range(warmup):
        for query in queries:
            run_query(searcher, query, limit)
    latencies = []
    hits = 0
    started = time.perf_counter()
    for at in range(len(queries)):
        query = queries[(at + offset) % len(queries)]
        query_started = time.perf_counter()
        hits += run_query(searcher, query, limit)
        latencies.append((time.perf_counter() - query_started) * 1000.0)
    return latencies, hits, time.perf_counter() - started


def main():
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--db", required=True)
    options.add_argument("--queries")
    options.add_argument("--procs", type=int, default=1)
    options.add_argument("--limit", type=int, default=10)
    options.add_argument("--warmup", type=int, default=1)
    options.add_argument("--count", action="store_true", help="print the document count and stop")
    options.add_argument("--json", action="store_true")
    args = options.parse_args()
    if args.count:
        print(xapian.Database(args.db).get_doccount())
        return
    with open(args.queries, encoding="utf-8") as lines:
        queries = [line.strip() for line in lines if line.strip()]
    jobs = [
        (args.db, queries, args.limit, args.warmup, proc * len(queries) // args.procs)
        for proc in range(args.procs)
    ]
    # Processes, not threads: the bindings hold the GIL, and Xapian databases are per-process.
    if args.procs == 1:
        outcomes = [worker(jobs[0])]
    else:
        with multiprocessing.Pool(args.procs) as pool:
            # Warm up in every process first, then time a pass in which all of them search at once.
            pool.map(worker, [job[:3] + (job[3], 0) for job in jobs])
            outcomes = pool.map(worker, [job[:3] + (0, job[4]) for job in jobs])
    wall = max(outcome[2] for outcome in outcomes)
    latencies = sorted(latency for outcome in outcomes for latency in outcome[0])
    report = {
        "procs": args.procs,
        "searches": len(latencies),
        "hits": sum(outcome[1] for outcome in outcomes),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": latencies[-1] if latencies else 0.0,
        "mean_ms": sum(latencies) / len(latencies) if latencies else 0.0,
        "queries_per_sec": len(latencies) / wall if wall > 0 else 0.0,
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"{report['searches']} searches on {args.procs} process(es): p50 {report['p50_ms']:.2f} ms, "
            f"p95 {report['p95_ms']:.2f} ms, p99 {report['p99_ms']:.2f} ms"
        )


if __name__ == "__main__":
    main()
