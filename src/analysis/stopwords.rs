//! Stopwords: the curated list in `data/stopwords.txt` (its header says what was kept and why).
//!
//! A removed word leaves its position unused, so "kerja sama dengan militer" still lines up as a
//! phrase; the exact analyzer keeps every word for queries made only of stopwords.

use once_cell::sync::Lazy;
use tantivy::tokenizer::Token;

use super::lists::{self, FastSet};

const LIST: &str = include_str!("../../data/stopwords.txt");

static STOPWORDS: Lazy<FastSet<&'static str>> = Lazy::new(|| lists::lines(LIST).collect());

/// Whether `word` (normalised) is a stopword.
pub fn is_stopword(word: &str) -> bool {
    STOPWORDS.contains(word)
}

/// Keeps a token unless it is a stopword.
pub fn keep_token(token: &mut Token) -> bool {
    !is_stopword(&token.text)
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
