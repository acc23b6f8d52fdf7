//! Compiles the root dictionary (`data/lexicon/id_ID.dic`) into a perfect-hash map from each
//! lowercased root to its affix flags (`analysis::lexicon::Dictionary`), so that it is read in
//! place instead of parsed and hashed at the start of every process.

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
    // A perfect hash over the roots, written as offsets into one string: a table of pointers
    // would be patched by the dynamic loader at the start of every process (two relocations
    // per root, and every page of the table copied), for a command that may run one search.
    let keys: Vec<&str> = order.iter().map(String::as_str).collect();
    let state = phf_generator::generate_hash(&keys);
    let mut text = String::new();
    let mut entries = String::new();
    for &at in &state.map {
        let word = &order[at];
        let word_flags = &flags[word];
        let start = u32::try_from(text.len()).expect("the dictionary is under 4 GB");
        let word_len = u8::try_from(word.len()).expect("a root is under 256 bytes");
        let flags_len = u16::try_from(word_flags.len()).expect("flags are under 64 KB");
        text.push_str(word);
        text.push_str(word_flags);
        entries.push_str(&format!("({start}, {word_len}, {flags_len}), "));
    }
    let disps: Vec<String> = state
        .disps
        .iter()
        .map(|(first, second)| format!("({first}, {second})"))
        .collect();
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("roots.rs");
    let code = format!(
        "/// Lowercased roots → their affix flags (two characters each), from `{DIC}`.\n\
         static DICTIONARY: Dictionary = Dictionary {{\n\
             key: {key},\n\
             disps: &[{disps}],\n\
             entries: &[{entries}],\n\
             text: {text:?},\n\
         }};\n",
        key = state.key,
        disps = disps.join(", "),
    );
    fs::write(out, code).expect("OUT_DIR is writable");
}
