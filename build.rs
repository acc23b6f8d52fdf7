//! Compiles the root dictionary (`data/lexicon/id_ID.dic`) into a perfect-hash map from each
//! lowercased root to its affix flags, so that `analysis::lexicon` reads it in place instead of
//! parsing and hashing it at the start of every process.

use std::env;
use std::fs;
use std::path::PathBuf;

const DIC: &str = "data/lexicon/id_ID.dic";

fn main() {
    println!("cargo::rerun-if-changed={DIC}");
    let text = fs::read_to_string(DIC).expect("the dictionary ships with the source");
    // The first line is the entry count; every other line is "word" or "word/FLAGS".
    let mut order: Vec<String> = Vec::new();
    let mut flags: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for line in text.lines().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (word, word_flags) = line.split_once('/').unwrap_or((line, ""));
        let word = word.to_lowercase();
        // A word listed twice (once capitalised) has the flags of both entries.
        match flags.get_mut(&word) {
            Some(known) => known.push_str(word_flags),
            None => {
                flags.insert(word.clone(), word_flags.to_string());
                order.push(word);
            }
        }
    }
    let mut map = phf_codegen::Map::new();
    for word in &order {
        map.entry(word.as_str(), format!("{:?}", flags[word]));
    }
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("roots.rs");
    let code = format!(
        "/// Lowercased root → its affix flags (two characters each), from `{DIC}`.\n\
         static DICTIONARY: phf::Map<&'static str, &'static str> = {};\n",
        map.build()
    );
    fs::write(out, code).expect("OUT_DIR is writable");
}
