//! The Indonesian analyzer: text to index terms, the same at index time and at query time.
//!
//! [`indonesian`] chains, as tantivy token filters:
//! [`tokenizer`] (Indonesian word boundaries) → acronym aliases ([`aliases`]) →
//! [`normalize`] (lowercase, accents, apostrophes) → [`terms`] (aliases, the dictionary-guided
//! [`stemmer`] over the [`lexicon`], closed [`compounds`] split into consecutive positions;
//! [`stopwords`] kept unstemmed and marked: "dengan" → "~dengan").
//!
//! Stopwords stay in the index so that a quoted phrase matches them in place ("kerja sama
//! dengan militer") and a query made only of stopwords finds something. Plain query words go
//! through [`indonesian_words`], which drops them, so they never weigh in relevance.
//!
//! ```
//! fn terms(mut analyzer: tantivy::tokenizer::TextAnalyzer) -> Vec<(String, usize)> {
//!     let mut stream = analyzer.token_stream("Bekerjasama dengan militernya");
//!     let mut terms = Vec::new();
//!     while let Some(token) = stream.next() {
//!         terms.push((token.text.clone(), token.position));
//!     }
//!     terms
//! }
//! let indexed = terms(newsidx::analysis::indonesian());
//! let expected = [("kerja", 0), ("sama", 1), ("~dengan", 2), ("militer", 3)];
//! assert!(indexed.iter().map(|(t, p)| (t.as_str(), *p)).eq(expected));
//! let asked = terms(newsidx::analysis::indonesian_words());
//! assert!(asked.iter().map(|(t, p)| (t.as_str(), *p)).eq([("kerja", 0), ("sama", 1), ("militer", 3)]));
//! ```

use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

pub mod aliases;
mod cache;
pub mod compounds;
mod filter;
pub mod lexicon;
mod lists;
pub mod normalize;
pub mod stemmer;
pub mod stopwords;
mod stream;
pub mod terms;
pub mod tokenizer;

pub use lists::{FastSet, ListError};

use std::sync::Arc;

use filter::MapFilter;
use terms::Stopwords;
use tokenizer::IndonesianTokenizer;

/// Name under which the analyzer is registered in every index.
pub const ANALYZER_NAME: &str = "indonesian";

/// Bumped whenever analysis output changes, so older indexes are rebuilt instead of mixed.
pub const ANALYZER_VERSION: u32 = 6;

/// The analyzer of every analysed field, of quoted phrases and of `newsidx analyze`.
pub fn indonesian() -> TextAnalyzer {
    indonesian_with(None, Stopwords::Keep)
}

/// [`indonesian`] without stopwords, for plain query words.
pub fn indonesian_words() -> TextAnalyzer {
    indonesian_with(None, Stopwords::Drop)
}

/// [`indonesian`] for finding only `wanted` terms in a text: a word that cannot give one of
/// them (see [`terms::Wanted`]) comes out unstemmed, so it is not one of them either.
pub fn indonesian_for(wanted: terms::Wanted) -> TextAnalyzer {
    indonesian_with(Some(Arc::new(wanted)), Stopwords::Keep)
}

/// The one chain of the analyzers above, so that they cannot drift apart.
fn indonesian_with(wanted: Option<Arc<terms::Wanted>>, stopwords: Stopwords) -> TextAnalyzer {
    TextAnalyzer::builder(IndonesianTokenizer::default())
        .filter(MapFilter(aliases::expand_acronym))
        .filter(MapFilter(normalize::normalize_token))
        .filter(terms::TermFilter { wanted, stopwords })
        .build()
}

/// Registers the analyzer on `index`; call on every open.
pub fn register(index: &Index) {
    index.tokenizers().register(ANALYZER_NAME, indonesian());
}

/// The root of one word, as the analyzer indexes it before compound splitting:
/// "mengatakan" → "kata", "negara-negara" → "negara".
pub fn stem(word: &str) -> String {
    stemmer::stem(&lexicon::LEXICON, &normalize::normalize(word))
}

/// Whether the user's compound and alias files (`NEWSIDX_COMPOUNDS`, `NEWSIDX_ALIASES`), if
/// set, could be read. Without this check a bad file is ignored and only the shipped lists
/// are used, so commands should call it first.
pub fn check_user_lists() -> Result<(), ListError> {
    if let Some(error) = &compounds::COMPOUNDS.1 {
        return Err(error.clone());
    }
    if let Some(error) = &aliases::ALIASES.1 {
        return Err(error.clone());
    }
    Ok(())
}
