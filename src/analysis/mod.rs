//! The Indonesian analyzer: text to index terms, the same at index time and at query time.
//!
//! ```
//! let mut analyzer = newsidx::analysis::indonesian();
//! let mut stream = analyzer.token_stream("Kerja sama militernya");
//! let mut terms = Vec::new();
//! while let Some(token) = stream.next() {
//!     terms.push(token.text.clone());
//! }
//! assert_eq!(terms, ["kerja", "sama", "militer"]);
//! ```

use tantivy::tokenizer::{
    LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::Index;

mod compounds;
mod lexicon;
mod lists;
mod stemmer;

/// The root of one normalised (lowercase) word, as the analyzer indexes it before compound
/// splitting: "mengatakan" → "kata", "negara-negara" → "negara".
pub fn stem(word: &str) -> String {
    stemmer::stem(&lexicon::LEXICON, &word.to_lowercase())
}

/// Name under which the analyzer is registered in every index.
pub const ANALYZER_NAME: &str = "indonesian";

/// Bumped whenever analysis output changes, so older indexes are rebuilt instead of mixed.
pub const ANALYZER_VERSION: u32 = 1;

/// The analyzer used for every analysed field and every query.
pub fn indonesian() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(CliticFilter)
        .build()
}

/// Name of the analyzer for exact word forms (quoted phrases): no stemming, no stopwords.
pub const EXACT_ANALYZER_NAME: &str = "indonesian_exact";

/// Exact word forms: tokenized and lowercased like [`indonesian`], nothing removed or stemmed.
pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// Registers both analyzers on `index`; call on every open.
pub fn register(index: &Index) {
    index.tokenizers().register(ANALYZER_NAME, indonesian());
    index.tokenizers().register(EXACT_ANALYZER_NAME, exact());
}

/// Strips the possessive and particle clitics (-nya, -lah, -kah).
#[derive(Clone, Copy)]
pub struct CliticFilter;

impl TokenFilter for CliticFilter {
    type Tokenizer<T: Tokenizer> = CliticTokenizer<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> CliticTokenizer<T> {
        CliticTokenizer(tokenizer)
    }
}

#[derive(Clone)]
pub struct CliticTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for CliticTokenizer<T> {
    type TokenStream<'a> = CliticStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CliticStream(self.0.token_stream(text))
    }
}

pub struct CliticStream<S>(S);

impl<S: TokenStream> TokenStream for CliticStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        for clitic in ["nya", "lah", "kah"] {
            if token.text.len() > clitic.len() + 3 && token.text.ends_with(clitic) {
                let keep = token.text.len() - clitic.len();
                token.text.truncate(keep);
                break;
            }
        }
        true
    }
    fn token(&self) -> &Token {
        self.0.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}
