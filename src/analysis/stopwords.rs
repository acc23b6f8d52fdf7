//! Stopwords: the curated list in `data/stopwords.txt` (its header says what was kept and why).
//!
//! The index keeps stopwords as they are, unstemmed, for phrases ("kerja sama dengan militer")
//! and queries made only of stopwords; plain query words drop them (see [`super::terms`]).

use once_cell::sync::Lazy;

use super::lists::{self, FastSet};

const LIST: &str = include_str!("../../data/stopwords.txt");

static STOPWORDS: Lazy<FastSet<&'static str>> = Lazy::new(|| lists::lines(LIST).collect());

/// Whether `word` (normalised) is a stopword.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_function_words_keeps_news_words() {
        for word in ["yang", "dan", "dengan", "adalah", "tidak"] {
            assert!(is_stopword(word), "{word}");
        }
        for word in [
            "sama", "bekerja", "tahun", "hari", "baru", "masalah", "dalam", "antara",
        ] {
            assert!(!is_stopword(word), "{word}");
        }
    }
}
