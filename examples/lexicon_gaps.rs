//! Finds roots the lexicon lacks, from the words of a news corpus.
//!
//! `cargo run --release --example lexicon_gaps [ARTICLES.jsonl] [MIN]` reads the articles'
//! title and body (default `../shared/data/articles/articles.jsonl`), and lists every word that
//! the stemmer leaves whole although it starts with a prefix (ber-, ter-, me-, di-, pe-, ke-,
//! se-) or ends with a suffix, where some way of taking that affix off gives a word that is not in
//! the lexicon but stands alone in the corpus at least MIN times (default 5). Such a word is a
//! candidate root: "bernafas" is left whole because the dictionary spells the root "napas", while
//! "nafas" itself is common. The list is for a person to review, not to be added blindly: names
//! (Ternate is not ter + nate) and foreign words show up too.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::ExitCode;

use newsidx::analysis::{self, lexicon::LEXICON};

const PREFIXES: [(&str, &[&str]); 12] = [
    ("ber", &[""]),
    ("be", &[""]),
    ("ter", &[""]),
    ("mem", &["", "p"]),
    ("men", &["", "t"]),
    ("meng", &["", "k"]),
    ("meny", &["s"]),
    ("me", &[""]),
    ("di", &[""]),
    ("ke", &[""]),
    ("se", &[""]),
    ("pe", &[""]),
];
const SUFFIXES: [&str; 6] = ["kan", "an", "i", "nya", "lah", "pun"];

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/articles/articles.jsonl")
    });
    let min: usize = args
        .next()
        .and_then(|value| value.to_str().and_then(|value| value.parse().ok()))
        .unwrap_or(5);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in text.lines() {
        let Ok(record) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        for field in ["title", "body", "text", "content"] {
            if let Some(value) = record.get(field).and_then(|value| value.as_str()) {
                for word in value
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|word| word.chars().count() > 3)
                {
                    *counts.entry(word.to_lowercase()).or_default() += 1;
                }
            }
        }
    }
    // candidate root → (its own count, affixed words seen with their counts)
    let mut candidates: BTreeMap<String, (usize, Vec<(String, usize)>)> = BTreeMap::new();
    for (word, &count) in &counts {
        if LEXICON.contains(word) || analysis::stem(word) != *word {
            continue;
        }
        for root in strippings(word) {
            if root.chars().count() < 3 || LEXICON.contains(&root) {
                continue;
            }
            let Some(&alone) = counts.get(&root) else {
                continue;
            };
            if alone < min {
                continue;
            }
            let entry = candidates.entry(root).or_insert((alone, Vec::new()));
            if !entry.1.iter().any(|(seen, _)| seen == word) {
                entry.1.push((word.clone(), count));
            }
        }
    }
    let mut rows: Vec<_> = candidates.into_iter().collect();
    rows.sort_by_key(|(_, (alone, forms))| {
        std::cmp::Reverse(*alone + forms.iter().map(|(_, n)| n).sum::<usize>())
    });
    for (root, (alone, mut forms)) in rows {
        forms.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let forms: Vec<String> = forms.iter().map(|(w, n)| format!("{w} {n}")).collect();
        println!("{root}\t{alone}\t{}", forms.join(", "));
    }
    ExitCode::SUCCESS
}

/// Every word left by taking one prefix (with its nasal restored) and/or one suffix off `word`.
fn strippings(word: &str) -> Vec<String> {
    let mut bases = vec![word.to_string()];
    for (prefix, restores) in PREFIXES {
        if let Some(rest) = word.strip_prefix(prefix) {
            for restore in restores {
                bases.push(format!("{restore}{rest}"));
            }
        }
    }
    let mut out = Vec::new();
    for base in &bases {
        if base != word {
            out.push(base.clone());
        }
        for suffix in SUFFIXES {
            if let Some(rest) = base.strip_suffix(suffix) {
                out.push(rest.to_string());
            }
        }
    }
    out
}
