//! A token filter from a plain function, for the one-token-in, at-most-one-out steps
//! (normalisation, stopwords, acronyms).

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Applies a function to every token; a token for which it returns `false` is dropped, and
/// its position stays unused (phrase positions stay honest).
#[derive(Clone, Copy)]
pub struct MapFilter(pub fn(&mut Token) -> bool);

impl TokenFilter for MapFilter {
    type Tokenizer<T: Tokenizer> = MapTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapTokenizer<T> {
        MapTokenizer {
            inner: tokenizer,
            map: self.0,
        }
    }
}

#[derive(Clone)]
pub struct MapTokenizer<T> {
    inner: T,
    map: fn(&mut Token) -> bool,
}

impl<T: Tokenizer> Tokenizer for MapTokenizer<T> {
    type TokenStream<'a> = MapStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapStream {
            inner: self.inner.token_stream(text),
            map: self.map,
        }
    }
}

pub struct MapStream<S> {
    inner: S,
    map: fn(&mut Token) -> bool,
}

impl<S: TokenStream> TokenStream for MapStream<S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            if (self.map)(self.inner.token_mut()) {
                return true;
            }
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
