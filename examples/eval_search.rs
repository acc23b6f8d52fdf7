//! Search relevance on the shared news collection, for newsidx and two references.
//!
//! Indexes `articles.jsonl` (each line through newsidx's own JSON extractor; the line's `id` is
//! the document id the TREC qrels use), runs the query sets, and prints nDCG@10, P@10 and
//! MRR@10 for newsidx, for plain tantivy (default tokenizer, BM25, the same fields) and for
//! Xapian (Indonesian stemmer, BM25; `scripts/xapian_reference.py`, skipped with a message
//! when the python3-xapian package is missing).
//!
//! ```text
//! cargo run --release --example eval_search -- [--shared DIR] [--sets a,b] [--max-topics N]
//!     [--python PYTHON] [--no-xapian] [--all-copies] [--failures N]
//! ```

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};
use newsidx::extract::{extract, ExtractOptions};
use newsidx::index::NewsIndex;
use newsidx::search::{search, SearchRequest};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, Value, STORED, STRING, TEXT};
use tantivy::{doc, Index, TantivyDocument};

const DEPTH: usize = 10;
const SETS: [&str; 3] = ["detik_keyword", "knownitem_title", "knownitem_summary"];

struct Options {
    shared: PathBuf,
    sets: Vec<String>,
    max_topics: Option<usize>,
    python: Option<String>,
    xapian: bool,
    all_copies: bool,
    failures: usize,
    /// Query ids whose rankings are printed side by side.
    show: Vec<String>,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        shared: std::env::var_os("NEWSIDX_SHARED")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")),
        sets: SETS.iter().map(|set| set.to_string()).collect(),
        max_topics: None,
        python: std::env::var("NEWSIDX_PYTHON").ok(),
        xapian: true,
        all_copies: false,
        failures: 0,
        show: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--shared" => options.shared = PathBuf::from(value()?),
            "--sets" => options.sets = value()?.split(',').map(str::to_string).collect(),
            "--max-topics" => options.max_topics = Some(value()?.parse()?),
            "--python" => options.python = Some(value()?),
            "--no-xapian" => options.xapian = false,
            "--all-copies" => options.all_copies = true,
            "--failures" => options.failures = value()?.parse()?,
            "--show" => options.show = value()?.split(',').map(str::to_string).collect(),
            other => bail!(
                "unknown argument {other}; see the comment at the top of examples/eval_search.rs"
            ),
        }
    }
    Ok(options)
}

/// One query set: topics in order and graded judgements.
struct QuerySet {
    name: String,
    topics: Vec<(String, String)>,
    qrels: HashMap<String, HashMap<String, u32>>,
}

fn load_set(shared: &Path, name: &str, max: Option<usize>) -> anyhow::Result<QuerySet> {
    let folder = shared.join("data/queries");
    let topics_path = folder.join(format!("{name}.topics.tsv"));
    let qrels_path = folder.join(format!("{name}.qrels"));
    let mut qrels: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for line in std::fs::read_to_string(&qrels_path)
        .with_context(|| format!("reading {}", qrels_path.display()))?
        .lines()
    {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if let [query, _, doc, relevance] = parts.as_slice() {
            let relevance: u32 = relevance.parse().unwrap_or(0);
            if relevance > 0 {
                qrels
                    .entry(query.to_string())
                    .or_default()
                    .insert(doc.to_string(), relevance);
            }
        }
    }
    let mut topics: Vec<(String, String)> = std::fs::read_to_string(&topics_path)
        .with_context(|| format!("reading {}", topics_path.display()))?
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .filter(|(query, _)| qrels.contains_key(*query))
        .map(|(query, text)| (query.to_string(), text.to_string()))
        .collect();
    if let Some(max) = max {
        topics.truncate(max);
    }
    Ok(QuerySet {
        name: name.to_string(),
        topics,
        qrels,
    })
}

#[derive(Default, Clone, Copy)]
struct Scores {
    ndcg: f64,
    precision: f64,
    reciprocal_rank: f64,
}

fn score(ranked: &[String], judged: &HashMap<String, u32>) -> Scores {
    let gain = |doc: &String| f64::from(judged.get(doc).copied().unwrap_or(0));
    let dcg: f64 = ranked
        .iter()
        .take(DEPTH)
        .enumerate()
        .map(|(at, doc)| gain(doc) / (at as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<u32> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ideal_dcg: f64 = ideal
        .iter()
        .take(DEPTH)
        .enumerate()
        .map(|(at, gain)| f64::from(*gain) / (at as f64 + 2.0).log2())
        .sum();
    let relevant = ranked
        .iter()
        .take(DEPTH)
        .filter(|doc| judged.contains_key(*doc))
        .count();
    let first = ranked
        .iter()
        .take(DEPTH)
        .position(|doc| judged.contains_key(doc));
    Scores {
        ndcg: if ideal_dcg > 0.0 {
            dcg / ideal_dcg
        } else {
            0.0
        },
        precision: relevant as f64 / DEPTH as f64,
        reciprocal_rank: first.map_or(0.0, |at| 1.0 / (at as f64 + 1.0)),
    }
}

/// Runs: set → query id → ranked document ids.
type Runs = HashMap<String, HashMap<String, Vec<String>>>;

fn mean(set: &QuerySet, runs: &HashMap<String, Vec<String>>) -> Scores {
    let mut total = Scores::default();
    for (query, _) in &set.topics {
        let ranked = runs.get(query).cloned().unwrap_or_default();
        let scores = score(&ranked, &set.qrels[query]);
        total.ndcg += scores.ndcg;
        total.precision += scores.precision;
        total.reciprocal_rank += scores.reciprocal_rank;
    }
    let count = set.topics.len().max(1) as f64;
    Scores {
        ndcg: total.ndcg / count,
        precision: total.precision / count,
        reciprocal_rank: total.reciprocal_rank / count,
    }
}

/// (id, title, body, authors) of every line.
fn read_articles(path: &Path) -> anyhow::Result<Vec<(String, String, String, String)>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut records = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&line)?;
        let text = |key: &str| match &value[key] {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|item| item.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        };
        records.push((text("id"), text("title"), text("body"), line));
    }
    Ok(records)
}

fn build_newsidx(
    folder: &Path,
    records: &[(String, String, String, String)],
) -> anyhow::Result<NewsIndex> {
    let news = NewsIndex::open_or_create(folder)?;
    let mut writer: tantivy::IndexWriter = news.index.writer(200_000_000)?;
    let options = ExtractOptions::default();
    let mut skipped = 0;
    for (id, _, _, line) in records {
        match extract(line.as_bytes(), "articles.jsonl", &options) {
            Ok(articles) => {
                for mut article in articles {
                    article.id = id.clone();
                    writer.add_document(news.to_document(&article))?;
                }
            }
            Err(_) => skipped += 1,
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    if skipped > 0 {
        eprintln!("newsidx: {skipped} lines gave no article");
    }
    Ok(news)
}

fn run_newsidx(news: &NewsIndex, set: &QuerySet, all_copies: bool) -> anyhow::Result<Runs> {
    let mut runs: HashMap<String, Vec<String>> = HashMap::new();
    for (query, text) in &set.topics {
        let request = SearchRequest {
            query: text.clone(),
            limit: DEPTH,
            keep_duplicates: all_copies,
            ..SearchRequest::default()
        };
        let results = search(news, &request)?;
        runs.insert(
            query.clone(),
            results.hits.into_iter().map(|hit| hit.id).collect(),
        );
    }
    Ok(HashMap::from([(set.name.clone(), runs)]))
}

/// Plain tantivy: default tokenizer, BM25, the same fields, OR of the query's words.
fn run_tantivy(
    records: &[(String, String, String, String)],
    sets: &[QuerySet],
) -> anyhow::Result<Runs> {
    let mut builder = Schema::builder();
    let id = builder.add_text_field("id", STRING | STORED);
    let title = builder.add_text_field("title", TEXT);
    let body = builder.add_text_field("body", TEXT);
    let byline = builder.add_text_field("byline", TEXT);
    let index = Index::create_in_ram(builder.build());
    let mut writer: tantivy::IndexWriter = index.writer(200_000_000)?;
    for (doc_id, doc_title, doc_body, line) in records {
        let value: serde_json::Value = serde_json::from_str(line)?;
        let authors = value["authors"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        writer.add_document(doc!(id => doc_id.as_str(), title => doc_title.as_str(),
            body => doc_body.as_str(), byline => authors))?;
    }
    writer.commit()?;
    let searcher = index.reader()?.searcher();
    let parser = QueryParser::for_index(&index, vec![title, body, byline]);
    let mut runs = Runs::new();
    for set in sets {
        let mut set_runs = HashMap::new();
        for (query, text) in &set.topics {
            // Query syntax (`:`, quotes, `-`, parentheses) would make tantivy's parser drop or
            // misread parts of natural text; the reference gets the words alone.
            let words: String = text
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect();
            let (parsed, _) = parser.parse_query_lenient(&words);
            let top = searcher.search(&parsed, &TopDocs::with_limit(DEPTH).order_by_score())?;
            let mut ids = Vec::new();
            for (_, address) in top {
                let document: TantivyDocument = searcher.doc(address)?;
                if let Some(value) = document.get_first(id).and_then(|value| value.as_str()) {
                    ids.push(value.to_string());
                }
            }
            set_runs.insert(query.clone(), ids);
        }
        runs.insert(set.name.clone(), set_runs);
    }
    Ok(runs)
}

/// Xapian through the python script; None (with a message) when it cannot run.
fn run_xapian(options: &Options, articles: &Path, sets: &[QuerySet]) -> Option<Runs> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/xapian_reference.py");
    let mut arguments = vec![articles.display().to_string()];
    for set in sets {
        let topics = options
            .shared
            .join(format!("data/queries/{}.topics.tsv", set.name));
        arguments.push(format!("{}={}", set.name, topics.display()));
    }
    // Debian's python3-xapian installs for the system interpreter, which a version manager's
    // `python3` on PATH may hide; try that one too.
    let candidates: Vec<String> = match &options.python {
        Some(python) => vec![python.clone()],
        None => vec!["python3".to_string(), "/usr/bin/python3".to_string()],
    };
    let mut last_problem = String::from("no python found");
    for python in candidates {
        let output = match Command::new(&python).arg(&script).args(&arguments).output() {
            Ok(output) => output,
            Err(error) => {
                last_problem = format!("{python}: {error}");
                continue;
            }
        };
        if !output.status.success() {
            last_problem = format!(
                "{python}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
            continue;
        }
        let mut runs = Runs::new();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let parts: Vec<&str> = line.split('\t').collect();
            if let [set, query, _, doc] = parts.as_slice() {
                runs.entry(set.to_string())
                    .or_default()
                    .entry(query.to_string())
                    .or_default()
                    .push(doc.to_string());
            }
        }
        return Some(runs);
    }
    eprintln!("Xapian skipped: {last_problem}");
    None
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    let articles = options.shared.join("data/articles/articles.jsonl");
    if !articles.exists() {
        bail!(
            "{} not found; pass --shared DIR (the folder holding data/articles/)",
            articles.display()
        );
    }
    let sets: Vec<QuerySet> = options
        .sets
        .iter()
        .map(|name| load_set(&options.shared, name, options.max_topics))
        .collect::<anyhow::Result<_>>()?;
    let records = read_articles(&articles)?;

    let folder = tempfile::tempdir()?;
    let started = Instant::now();
    let news = build_newsidx(folder.path(), &records)?;
    eprintln!(
        "newsidx: indexed {} articles in {:.1}s",
        records.len(),
        started.elapsed().as_secs_f64()
    );
    report_index_size(&news)?;

    let mut systems: BTreeMap<&str, Runs> = BTreeMap::new();
    let mut newsidx_runs = Runs::new();
    for set in &sets {
        let started = Instant::now();
        newsidx_runs.extend(run_newsidx(&news, set, options.all_copies)?);
        eprintln!(
            "newsidx: {} {} queries in {:.1}s",
            set.topics.len(),
            set.name,
            started.elapsed().as_secs_f64()
        );
    }
    systems.insert("newsidx", newsidx_runs);
    systems.insert("tantivy (plain)", run_tantivy(&records, &sets)?);
    if options.xapian {
        if let Some(runs) = run_xapian(&options, &articles, &sets) {
            systems.insert("xapian", runs);
        }
    }

    println!(
        "{:<18} {:<16} {:>7} {:>8} {:>7} {:>7}",
        "set", "system", "topics", "nDCG@10", "P@10", "MRR@10"
    );
    for set in &sets {
        for (system, runs) in &systems {
            let empty = HashMap::new();
            let scores = mean(set, runs.get(&set.name).unwrap_or(&empty));
            println!(
                "{:<18} {:<16} {:>7} {:>8.4} {:>7.4} {:>7.4}",
                set.name,
                system,
                set.topics.len(),
                scores.ndcg,
                scores.precision,
                scores.reciprocal_rank
            );
        }
    }
    if !options.show.is_empty() {
        print_rankings(&sets, &systems, &options.show, &records);
    }
    if options.failures > 0 {
        print_failures(&sets, &systems, options.failures);
    }
    Ok(())
}

/// The queries where newsidx does worst against the best reference, for study.
fn print_failures(sets: &[QuerySet], systems: &BTreeMap<&str, Runs>, count: usize) {
    let empty = HashMap::new();
    for set in sets {
        let ours = systems["newsidx"].get(&set.name).unwrap_or(&empty);
        let mut rows: Vec<(f64, f64, &str, &str)> = Vec::new();
        for (query, text) in &set.topics {
            let judged = &set.qrels[query];
            let mine = score(ours.get(query).map_or(&[][..], |r| r), judged).ndcg;
            let best = systems
                .iter()
                .filter(|(name, _)| **name != "newsidx")
                .map(|(_, runs)| {
                    let ranked = runs
                        .get(&set.name)
                        .and_then(|runs| runs.get(query))
                        .map_or(&[][..], |r| r);
                    score(ranked, judged).ndcg
                })
                .fold(0.0, f64::max);
            rows.push((mine - best, mine, query, text));
        }
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        println!("\n{}: worst against the best reference", set.name);
        for (delta, mine, query, text) in rows.into_iter().take(count) {
            let short: String = text.chars().take(90).collect();
            println!("  {query:>5} ours {mine:.3} ({delta:+.3})  {short}");
        }
    }
}

/// Bytes of the whole index and of its document store.
fn report_index_size(news: &NewsIndex) -> anyhow::Result<()> {
    let usage = news.index.reader()?.searcher().space_usage()?;
    let store: u64 = usage
        .segments()
        .iter()
        .map(|segment| segment.store().total().get_bytes())
        .sum();
    let total = usage.total().get_bytes();
    eprintln!(
        "newsidx: index {} bytes, document store {} bytes ({:.1}%); examples/index_size.rs breaks \
         it down by field",
        total,
        store,
        100.0 * store as f64 / total.max(1) as f64
    );
    Ok(())
}

/// Each system's top results for the queries in `show`, relevant ones starred.
fn print_rankings(
    sets: &[QuerySet],
    systems: &BTreeMap<&str, Runs>,
    show: &[String],
    records: &[(String, String, String, String)],
) {
    let titles: HashMap<&str, &str> = records
        .iter()
        .map(|(id, title, _, _)| (id.as_str(), title.as_str()))
        .collect();
    for set in sets {
        for (query, text) in set.topics.iter().filter(|(query, _)| show.contains(query)) {
            println!("\n{} {query}: {text}", set.name);
            for (system, runs) in systems {
                println!("  {system}");
                let ranked = runs.get(&set.name).and_then(|runs| runs.get(query));
                for doc in ranked.into_iter().flatten() {
                    let mark = if set.qrels[query].contains_key(doc) {
                        "*"
                    } else {
                        " "
                    };
                    let title: String = titles
                        .get(doc.as_str())
                        .unwrap_or(&"")
                        .chars()
                        .take(70)
                        .collect();
                    println!("   {mark} {doc:<28} {title}");
                }
            }
        }
    }
}
