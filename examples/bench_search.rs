//! Times searches inside one process: opens an index once, then runs every query of a file on
//! one or more threads, each query with snippets, and prints latency percentiles.
//!
//! It uses only `NewsIndex::open` and the library's search calls, so it measures what the
//! command line would do minus process start and index opening: `--mode search` is `newsidx
//! search`, `--mode facets` is `newsidx search --facets` (the search, then its facets), and
//! `--mode trend` is `newsidx trend QUERY --by month`.
//!
//! ```text
//! cargo run --release --example bench_search -- --index target/bench/10000/newsidx \
//!     --queries target/bench/10000/queries.txt --threads 2
//! ```

use std::path::PathBuf;
use std::sync::Barrier;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;
use newsidx::index::NewsIndex;
use newsidx::period::Period;
use newsidx::search::rank::model::Params;
use newsidx::search::{facets, search, trend, SearchRequest, TrendRequest};

/// The allocator of the `newsidx` binary, so that searches here cost what they cost there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Times searches inside one process.
#[derive(Debug, Parser)]
struct Args {
    /// Index folder.
    #[arg(long)]
    index: PathBuf,
    /// Queries, one a line.
    #[arg(long)]
    queries: PathBuf,
    /// Threads searching at once; each runs every query.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Results per query.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Untimed passes over all queries first, on each searching thread, so the timed pass is
    /// warm.
    #[arg(long, default_value_t = 1)]
    warmup: usize,
    /// Print one JSON object instead of a line of text.
    #[arg(long)]
    json: bool,
    /// Ranking parameters other than the default, `name=value` (as `eval_search --param`).
    #[arg(long, value_delimiter = ',')]
    param: Vec<String>,
    /// What each query runs.
    #[arg(long, value_enum, default_value = "search")]
    mode: Mode,
}

/// The command timed for each query.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Mode {
    /// `newsidx search QUERY`.
    Search,
    /// `newsidx search QUERY --facets`.
    Facets,
    /// `newsidx trend QUERY --by month`.
    Trend,
}

/// The latency at `fraction` (0..=1) of sorted `samples`, nearest rank.
fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (fraction * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.threads == 0 {
        bail!("--threads must be at least 1");
    }
    let text = std::fs::read_to_string(&args.queries)
        .with_context(|| format!("{}: cannot read the queries", args.queries.display()))?;
    let queries: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if queries.is_empty() {
        bail!("{}: no queries", args.queries.display());
    }
    let news = NewsIndex::open(&args.index)
        .with_context(|| format!("{}: cannot open the index", args.index.display()))?;
    let mut ranking = Params::default();
    for setting in &args.param {
        ranking.set(setting).map_err(anyhow::Error::msg)?;
    }
    let run = |query: &str| -> Result<(f64, usize)> {
        let request = SearchRequest {
            query: query.to_string(),
            limit: args.limit,
            offset: 0,
            ranking,
            // Everything else as the command line's defaults: no filters, ranked by score.
            ..SearchRequest::default()
        };
        let started = Instant::now();
        let found = match args.mode {
            Mode::Search | Mode::Facets => {
                let results =
                    search(&news, &request).with_context(|| format!("query {query:?}"))?;
                if matches!(args.mode, Mode::Facets) {
                    facets(&news, &request).with_context(|| format!("facets {query:?}"))?;
                }
                results.hits.len()
            }
            Mode::Trend => {
                let request = TrendRequest {
                    queries: vec![query.to_string()],
                    by: Period::Month,
                    ..TrendRequest::default()
                };
                let trend = trend(&news, &request).with_context(|| format!("trend {query:?}"))?;
                trend.series.iter().map(|series| series.buckets.len()).sum()
            }
        };
        Ok((started.elapsed().as_secs_f64() * 1000.0, found))
    };
    // Each searching thread makes its own warm-up passes, so the caches a long-running
    // searcher keeps per thread (the analyzer's stems) are warm as well as the page cache;
    // the clock starts when every thread is ready.
    let ready = Barrier::new(args.threads + 1);
    let (started, outcomes) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..args.threads)
            .map(|thread| {
                let queries = &queries;
                let run = &run;
                let ready = &ready;
                scope.spawn(move || {
                    let warm = (0..args.warmup)
                        .flat_map(|_| queries.iter())
                        .try_for_each(|query| run(query).map(drop));
                    ready.wait();
                    warm?;
                    // Each thread starts at a different query so they do not walk in step.
                    let offset = thread * queries.len() / args.threads;
                    (0..queries.len())
                        .map(|at| run(queries[(at + offset) % queries.len()]))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        ready.wait();
        let started = Instant::now();
        let outcomes: Vec<Result<Vec<(f64, usize)>>> = handles
            .into_iter()
            .map(|handle| match handle.join() {
                Ok(outcome) => outcome,
                Err(_) => bail!("a search thread panicked"),
            })
            .collect();
        (started, outcomes)
    });
    let wall = started.elapsed().as_secs_f64();
    let mut latencies = Vec::new();
    let mut hits = 0;
    for outcome in outcomes {
        for (latency, count) in outcome? {
            latencies.push(latency);
            hits += count;
        }
    }
    latencies.sort_by(f64::total_cmp);
    let searches = latencies.len();
    let mean = latencies.iter().sum::<f64>() / searches as f64;
    let report = serde_json::json!({
        "mode": format!("{:?}", args.mode).to_lowercase(),
        "threads": args.threads,
        "searches": searches,
        "hits": hits,
        "p50_ms": percentile(&latencies, 0.50),
        "p95_ms": percentile(&latencies, 0.95),
        "p99_ms": percentile(&latencies, 0.99),
        "max_ms": percentile(&latencies, 1.0),
        "mean_ms": mean,
        "queries_per_sec": searches as f64 / wall,
    });
    if args.json {
        println!("{report}");
    } else {
        println!(
            "{} searches on {} thread(s): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, {:.0} queries/s",
            searches,
            args.threads,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.95),
            percentile(&latencies, 0.99),
            searches as f64 / wall
        );
    }
    Ok(())
}
