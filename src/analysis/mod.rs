//! The Indonesian analyzer: text to index terms, the same at index time and at query time.
//!
//! [`indonesian`] chains, as tantivy token filters:
//! [`tokenizer`] (Indonesian word boundaries) → acronym aliases ([`aliases`]) →
//! [`normalize`] (lowercase, accents, apostrophes) → [`stopwords`] (removed, leaving position
//! gaps) → [`terms`] (aliases, the dictionary-guided [`stemmer`] over the [`lexicon`], closed
//! [`compounds`] split into consecutive positions).
//! [`exact`] stops after normalisation, for quoted phrases and stopword-only queries.
//!
//! ```
//! let mut analyzer = newsidx::analysis::indonesian();
//! let mut stream = analyzer.token_stream("Bekerjasama dengan militernya");
//! let mut terms = Vec::new();
//! while let Some(token) = stream.next() {
//!     terms.push((token.text.clone(), token.position));
//! }
//! assert_eq!(terms, [("kerja".into(), 0), ("sama".into(), 1), ("militer".into(), 3)]);
//! ```

use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

pub mod aliases;
pub mod compounds;
mod filter;
pub mod lexicon;
mod lists;
pub mod normalize;
pub mod stemmer;
pub mod stopwords;
pub mod terms;
pub mod tokenizer;

pub use lists::ListError;

use filter::MapFilter;
use tokenizer::IndonesianTokenizer;

/// Name under which the analyzer is registered in every index.
pub const ANALYZER_NAME: &str = "indonesian";

/// Bumped whenever analysis output changes, so older indexes are rebuilt instead of mixed.
pub const ANALYZER_VERSION: u32 = 5;

/// Name of the analyzer for exact word forms (quoted phrases): no stemming, no stopwords.
pub const EXACT_ANALYZER_NAME: &str = "indonesian_exact";

/// The analyzer used for every analysed field and every query.
pub fn indonesian() -> TextAnalyzer {
    indonesian_with(terms::TermFilter(None))
}

/// [`indonesian`] for finding only `wanted` terms in a text: a word that cannot give one of
/// them (see [`terms::Wanted`]) comes out unstemmed, so it is not one of them either.
pub fn indonesian_for(wanted: terms::Wanted) -> TextAnalyzer {
    indonesian_with(terms::TermFilter(Some(std::sync::Arc::new(wanted))))
}

/// The one chain of [`indonesian`] and [`indonesian_for`], so that they cannot drift apart.
fn indonesian_with(terms: terms::TermFilter) -> TextAnalyzer {
    TextAnalyzer::builder(IndonesianTokenizer::default())
        .filter(MapFilter(aliases::expand_acronym))
        .filter(MapFilter(normalize::normalize_token))
        .filter(MapFilter(stopwords::keep_token))
        .filter(terms)
        .build()
}

/// Exact word forms: tokenized and normalised like [`indonesian`], nothing removed, stemmed,
/// split or aliased.
pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(IndonesianTokenizer::default())
        .filter(MapFilter(normalize::normalize_token))
        .build()
}

/// Registers both analyzers on `index`; call on every open.
pub fn register(index: &Index) {
    index.tokenizers().register(ANALYZER_NAME, indonesian());
    index.tokenizers().register(EXACT_ANALYZER_NAME, exact());
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
