//! From a normalised word to its index terms: aliases, the stemmer, closed compounds and
//! hyphenated words that are not reduplication. One word may give several terms
//! ("kerjasama" → kerja, sama; "AS" → amerika, serikat); they take consecutive positions and
//! the words after them move along, so phrases match however the text spelled them.
//! Results are cached per thread: a news archive repeats the same few hundred thousand words.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::aliases::ALIASES;
use super::compounds::COMPOUNDS;
use super::lexicon::LEXICON;
use super::lists::FastMap;
use super::stemmer;

/// Cached words per thread before the cache starts over.
const CACHE_LIMIT: usize = 200_000;

thread_local! {
    static CACHE: RefCell<FastMap<String, Rc<[String]>>> = RefCell::new(FastMap::default());
}

/// The index terms of a normalised word (cached).
pub fn terms(word: &str) -> Rc<[String]> {
    if let Some(hit) = CACHE.with(|cache| cache.borrow().get(word).cloned()) {
        return hit;
    }
    let mut out = Vec::with_capacity(1);
    compute(word, true, &mut out);
    let terms: Rc<[String]> = out.into();
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(word.to_string(), terms.clone());
    });
    terms
}

fn compute(word: &str, aliases: bool, out: &mut Vec<String>) {
    if word.contains(' ') {
        for part in word.split(' ').filter(|part| !part.is_empty()) {
            compute(part, aliases, out);
        }
        return;
    }
    // Numbers, URLs and addresses are terms as they are.
    if !word.chars().all(|c| c.is_alphanumeric() || c == '-')
        || !word.chars().any(char::is_alphabetic)
    {
        out.push(word.to_string());
        return;
    }
    if aliases {
        if let Some(canonical) = ALIASES.0.canonical(word) {
            return compute(canonical, false, out);
        }
    }
    let stem = stemmer::stem(&LEXICON, word);
    if aliases {
        if let Some(canonical) = ALIASES.0.canonical(&stem) {
            return compute(canonical, false, out);
        }
    }
    if let Some(parts) = COMPOUNDS.0.split(&stem) {
        // Parts are analysed as if written apart ("saling pengertian" → saling, erti).
        for part in parts.iter().filter(|part| **part != stem) {
            compute(part, aliases, out);
        }
    } else if stem.contains('-') && !LEXICON.contains(&stem) {
        // Covid-19, pasca-pemilu: the parts, so "pasca pemilu" finds it too.
        for part in stem.split('-').filter(|part| !part.is_empty()) {
            compute(part, aliases, out);
        }
    } else {
        out.push(stem);
    }
}

/// Replaces each token by its index terms.
#[derive(Clone, Copy)]
pub struct TermFilter;

impl TokenFilter for TermFilter {
    type Tokenizer<T: Tokenizer> = TermTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> TermTokenizer<T> {
        TermTokenizer(tokenizer)
    }
}

#[derive(Clone)]
pub struct TermTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for TermTokenizer<T> {
    type TokenStream<'a> = TermStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        TermStream {
            inner: self.0.token_stream(text),
            pending: VecDeque::new(),
            shift: 0,
            inner_position: usize::MAX,
        }
    }
}

pub struct TermStream<S> {
    inner: S,
    /// Further terms of the current word.
    pending: VecDeque<String>,
    /// Extra positions taken so far by words that gave several terms.
    shift: usize,
    /// Position of the current token as the tokenizer numbered it.
    inner_position: usize,
}

impl<S: TokenStream> TokenStream for TermStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop_front() {
            let token = self.inner.token_mut();
            token.text = next;
            token.position += 1;
            self.shift += 1;
            return true;
        }
        // The tokenizer counts positions on the token itself: give it back its own count.
        self.inner.token_mut().position = self.inner_position;
        while self.inner.advance() {
            let token = self.inner.token_mut();
            self.inner_position = token.position;
            let terms = terms(&token.text);
            let Some((first, rest)) = terms.split_first() else {
                continue;
            };
            token.text.clear();
            token.text.push_str(first);
            token.position += self.shift;
            self.pending.extend(rest.iter().cloned());
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_to_terms() {
        assert_eq!(&*terms("bekerjasama"), ["kerja", "sama"]);
        assert_eq!(&*terms("kerjasama"), ["kerja", "sama"]);
        assert_eq!(&*terms("militernya"), ["militer"]);
        assert_eq!(&*terms("china"), ["tiongkok"]);
        assert_eq!(&*terms("chinanya"), ["tiongkok"]);
        assert_eq!(&*terms("covid-19"), ["covid", "19"]);
        assert_eq!(&*terms("1.000.000"), ["1.000.000"]);
        assert_eq!(&*terms("amerika serikat"), ["amerika", "serikat"]);
    }
}
