//! Stemmer accuracy on the word → stem pair files in `../shared/data/stemming/`.
//!
//! `cargo run --release --example eval_stemmer [DIR]` prints, per file, how many pairs the
//! stemmer agrees with and every miss (word, expected, ours). DIR defaults to
//! `../shared/data/stemming` next to the crate.

use std::path::PathBuf;
use std::process::ExitCode;

const SETS: [&str; 3] = ["sastrawi_pairs.tsv", "lucene_pairs.tsv", "yoast_pairs.tsv"];

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/stemming")
        });
    let mut failed = false;
    for set in SETS {
        let path = dir.join(set);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!(
                    "{}: {error}; pass the folder holding {set} as the first argument",
                    path.display()
                );
                failed = true;
                continue;
            }
        };
        let mut total = 0;
        let mut misses = Vec::new();
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            let Some((word, expected)) = line.split_once('\t') else {
                continue;
            };
            total += 1;
            let ours = newsidx::analysis::stem(word.trim());
            if ours != expected.trim().to_lowercase() {
                misses.push(format!("  {word} → expected {expected}, got {ours}"));
            }
        }
        println!("{set}: {}/{total}", total - misses.len());
        for miss in &misses {
            println!("{miss}");
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
