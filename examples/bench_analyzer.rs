//! Analyzer throughput over `../shared/data/articles/articles.jsonl`, against tantivy's default
//! analyzer (SimpleTokenizer + RemoveLongFilter + LowerCaser) on the same text, in the same run.
//!
//! `cargo run --release --example bench_analyzer [ARTICLES.jsonl]`
//!
//! The Indonesian analyzer is run twice: the first pass starts with an empty stem cache (as a
//! fresh ingest does), the second shows the cached rate.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};

fn main() -> ExitCode {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/articles/articles.jsonl")
        });
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!(
                "{}: {error}; pass the articles JSONL file as the first argument",
                path.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let mut documents = Vec::new();
    for line in text.lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        for field in ["title", "body"] {
            if let Some(text) = value.get(field).and_then(|v| v.as_str()) {
                documents.push(text.to_string());
            }
        }
    }
    let bytes: usize = documents.iter().map(String::len).sum();
    println!("{} texts, {:.1} MB", documents.len(), bytes as f64 / 1e6);

    // Load the lexicon and lists before timing.
    let _ = newsidx::analysis::stem("memuat");
    let tantivy_default = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build();
    run("tantivy default", tantivy_default, &documents, bytes);
    run(
        "indonesian (cold cache)",
        newsidx::analysis::indonesian(),
        &documents,
        bytes,
    );
    run(
        "indonesian (warm cache)",
        newsidx::analysis::indonesian(),
        &documents,
        bytes,
    );
    run(
        "indonesian, query words (no stopwords)",
        newsidx::analysis::indonesian_words(),
        &documents,
        bytes,
    );
    ExitCode::SUCCESS
}

fn run(name: &str, mut analyzer: TextAnalyzer, documents: &[String], bytes: usize) {
    let started = Instant::now();
    let mut tokens = 0usize;
    for document in documents {
        let mut stream = analyzer.token_stream(document);
        while stream.advance() {
            tokens += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name:<26} {tokens:>10} tokens  {seconds:>6.2} s  {:>12.0} tokens/s  {:>6.1} MB/s",
        tokens as f64 / seconds,
        bytes as f64 / 1e6 / seconds
    );
}
