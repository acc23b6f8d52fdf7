//! The analyzer's last step as a tantivy `TokenFilter`: each token replaced by its index
//! terms ([`super::terms`]), read through the per-thread [`super::cache`] a few words ahead so
//! that the cache's memory is fetched before it is needed. A word of several terms takes
//! consecutive positions and moves the words after it along.

use std::collections::VecDeque;
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::cache::{Word, WordCache, CACHE};
use super::terms::{Stopwords, Wanted, STOPWORD_MARK};

/// Replaces each token by its index terms. With [`Wanted`] terms, a word that cannot give
/// one of them comes out as it went in, unstemmed.
#[derive(Clone)]
pub struct TermFilter {
    pub wanted: Option<Arc<Wanted>>,
    pub stopwords: Stopwords,
}

impl TokenFilter for TermFilter {
    type Tokenizer<T: Tokenizer> = TermTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> TermTokenizer<T> {
        TermTokenizer(tokenizer, self)
    }
}

#[derive(Clone)]
pub struct TermTokenizer<T>(T, TermFilter);

impl<T: Tokenizer> Tokenizer for TermTokenizer<T> {
    type TokenStream<'a> = TermStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        TermStream {
            inner: self.0.token_stream(text),
            wanted: self.1.wanted.as_deref(),
            stopwords: self.1.stopwords,
            pending: VecDeque::new(),
            shift: 0,
            ahead: VecDeque::with_capacity(LOOKAHEAD),
            spare: Vec::new(),
            token: Token::default(),
            ended: false,
        }
    }
}

/// Words read ahead of the one being analysed. Each word's cache slot is fetched from memory
/// when it is read, and its entry when it is next: both are then in the processor's cache by
/// the time it is analysed, after tantivy has indexed the words before it. Without this, the
/// two cache misses of a lookup were most of its cost.
const LOOKAHEAD: usize = 3;

pub struct TermStream<'a, S> {
    inner: S,
    wanted: Option<&'a Wanted>,
    stopwords: Stopwords,
    /// Further terms of the current word.
    pending: VecDeque<String>,
    /// Extra positions taken so far by words that gave several terms.
    shift: usize,
    /// Tokens read from `inner` and not analysed yet, with their hashes.
    ahead: VecDeque<(Token, u64)>,
    /// Texts of tokens already given, for the next tokens read ahead.
    spare: Vec<String>,
    /// The token given.
    token: Token,
    /// Whether `inner` has given its last token.
    ended: bool,
}

impl<S: TokenStream> TermStream<'_, S> {
    /// Reads tokens from `inner` until [`LOOKAHEAD`] are waiting, and fetches their slots.
    fn read_ahead(&mut self, cache: &WordCache) {
        while self.ahead.len() < LOOKAHEAD && !self.ended {
            if !self.inner.advance() {
                self.ended = true;
                break;
            }
            let token = self.inner.token_mut();
            // The tokenizer clears the text it gets back before writing the next word.
            let mut text = self.spare.pop().unwrap_or_default();
            std::mem::swap(&mut text, &mut token.text);
            let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
            cache.prefetch_slot(hash);
            let token = Token {
                offset_from: token.offset_from,
                offset_to: token.offset_to,
                position: token.position,
                text,
                position_length: token.position_length,
            };
            self.ahead.push_back((token, hash));
        }
    }
}

impl<S: TokenStream> TokenStream for TermStream<'_, S> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop_front() {
            self.token.text = next;
            self.token.position += 1;
            self.shift += 1;
            return true;
        }
        loop {
            let word = CACHE.with(|cache| {
                let mut cache = cache.borrow_mut();
                self.read_ahead(&cache);
                let (token, hash) = self.ahead.pop_front()?;
                let given = std::mem::replace(&mut self.token, token);
                self.spare.push(given.text);
                let word =
                    cache.analyse(&mut self.token.text, hash, self.wanted, &mut self.pending);
                if let Some((_, next)) = self.ahead.front() {
                    cache.prefetch_entry(*next);
                }
                Some(word)
            });
            match word {
                None => return false,
                Some(Word::Stopword) if self.stopwords == Stopwords::Drop => continue,
                Some(Word::Stopword) => self.token.text.insert(0, STOPWORD_MARK),
                Some(Word::Empty) => continue,
                Some(Word::Unchanged | Word::Terms) => {}
            }
            self.token.position += self.shift;
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::filter::MapFilter;
    use crate::analysis::stopwords::is_stopword;
    use crate::analysis::terms::terms;
    use crate::analysis::tokenizer::IndonesianTokenizer;
    use tantivy::tokenizer::TextAnalyzer;

    /// Terms and positions of `text` as the stream gives them.
    fn streamed(text: &str, stopwords: Stopwords) -> Vec<(String, usize, usize, usize)> {
        let mut analyzer = super::super::indonesian_with(None, stopwords);
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                token.text.clone(),
                token.position,
                token.offset_from,
                token.offset_to,
            ));
        }
        out
    }

    /// The same, a word at a time from the uncached analysis: what the stream must give
    /// however far it reads ahead.
    fn word_by_word(text: &str, stopwords: Stopwords) -> Vec<(String, usize, usize, usize)> {
        let mut words = TextAnalyzer::builder(IndonesianTokenizer::default())
            .filter(MapFilter(crate::analysis::aliases::expand_acronym))
            .filter(MapFilter(crate::analysis::normalize::normalize_token))
            .build();
        let mut stream = words.token_stream(text);
        let mut out = Vec::new();
        let mut shift = 0;
        while let Some(token) = stream.next() {
            let place = |term: String, at: usize| (term, at, token.offset_from, token.offset_to);
            if is_stopword(&token.text) {
                if stopwords == Stopwords::Keep {
                    out.push(place(
                        format!("{STOPWORD_MARK}{}", token.text),
                        token.position + shift,
                    ));
                }
                continue;
            }
            let terms = terms(&token.text);
            let count = terms.len();
            for (index, term) in terms.into_iter().enumerate() {
                out.push(place(term, token.position + shift + index));
            }
            shift += count.saturating_sub(1);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_stream_gives_each_words_terms_in_place(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    "(dengan|yang|dan|di|kerjasama|bekerjasama|AS|A\\.S\\.|China|Covid-19)",
                    "(me|pe|ber|di|ke)?[a-z]{2,7}(kan|an|i)?(nya|lah)?",
                    "[A-Za-z0-9-]{1,9}",
                    "[.,;\n]",
                ],
                0..40,
            )
        ) {
            let text = words.join(" ");
            for stopwords in [Stopwords::Keep, Stopwords::Drop] {
                proptest::prop_assert_eq!(
                    streamed(&text, stopwords),
                    word_by_word(&text, stopwords)
                );
            }
        }
    }
}
