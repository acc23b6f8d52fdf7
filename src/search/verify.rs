//! Quoted phrases without an exact-form index: candidates from the stemmed fields, checked
//! against the stored text.
//!
//! The index holds stemmed terms only. A quoted phrase ("bekerja sama") first matches as a
//! phrase of its stems in the stemmed fields; stems of a text are the same wherever it stands,
//! so every article holding the exact words is among those candidates. Each candidate is then
//! kept only if its stored title, body or captions hold the exact word forms in order, read
//! with the exact analyzer (the same normalisation, nothing stemmed or removed). A phrase of
//! stopwords only has no stems: every article is a candidate then.
//!
//! [`ExactPhrase`] is an ordinary tantivy query, so a verified phrase can be required,
//! excluded, or-ed and counted like any other, and hit counts stay exact.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, Value};
use tantivy::store::StoreReader;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyDocument, TantivyError, Term};

/// Stored blocks kept decompressed per segment while candidates are checked: candidates come
/// in doc order, so neighbours usually share a block.
const CACHED_BLOCKS: usize = 4;

/// Articles among `candidates` whose stored `fields` hold `words` at these relative
/// positions, as the exact analyzer reads them.
pub struct ExactPhrase {
    candidates: Box<dyn Query>,
    fields: Vec<Field>,
    /// (position relative to the first word, exact form).
    words: Vec<(usize, String)>,
    analyzer: TextAnalyzer,
    /// The candidates are every article (a stopword-only phrase): score by occurrences.
    scan: bool,
}

impl ExactPhrase {
    /// `candidates` must hold every article that has the phrase: the stems' phrase query, or
    /// every article when `scan` is set.
    pub fn new(
        candidates: Box<dyn Query>,
        fields: Vec<Field>,
        words: Vec<(usize, String)>,
        analyzer: TextAnalyzer,
        scan: bool,
    ) -> ExactPhrase {
        ExactPhrase {
            candidates,
            fields,
            words,
            analyzer,
            scan,
        }
    }
}

impl Clone for ExactPhrase {
    fn clone(&self) -> Self {
        ExactPhrase {
            candidates: self.candidates.box_clone(),
            fields: self.fields.clone(),
            words: self.words.clone(),
            analyzer: self.analyzer.clone(),
            scan: self.scan,
        }
    }
}

impl fmt::Debug for ExactPhrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExactPhrase")
            .field("candidates", &self.candidates)
            .field("fields", &self.fields)
            .field("words", &self.words)
            .field("scan", &self.scan)
            .finish()
    }
}

impl Query for ExactPhrase {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExactPhraseWeight {
            candidates: self.candidates.weight(enable_scoring)?,
            check: Check {
                fields: self.fields.clone(),
                words: self.words.clone(),
                analyzer: self.analyzer.clone(),
            },
            scan: self.scan,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.candidates.query_terms(visitor);
    }
}

struct ExactPhraseWeight {
    candidates: Box<dyn Weight>,
    check: Check,
    scan: bool,
}

impl Weight for ExactPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.candidates.scorer(reader, boost)?;
        let store = reader.get_store_reader(CACHED_BLOCKS)?;
        let mut scorer = ExactPhraseScorer {
            inner,
            store,
            check: self.check.clone(),
            occurrences: 0,
            scan: self.scan,
            boost,
        };
        scorer.next_verified();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not hold the exact phrase"
            )));
        }
        Ok(Explanation::new("exact phrase", scorer.score()))
    }
}

/// What a candidate must hold.
#[derive(Clone)]
struct Check {
    fields: Vec<Field>,
    words: Vec<(usize, String)>,
    analyzer: TextAnalyzer,
}

impl Check {
    /// How often the phrase occurs in `document`'s fields (0: not a match).
    fn occurrences(&mut self, document: &TantivyDocument) -> u32 {
        let mut count = 0;
        let mut tokens: Vec<(usize, String)> = Vec::new();
        for field in &self.fields {
            for value in document.get_all(*field) {
                let Some(text) = value.as_str() else {
                    continue;
                };
                tokens.clear();
                let mut stream = self.analyzer.token_stream(text);
                while let Some(token) = stream.next() {
                    tokens.push((token.position, token.text.clone()));
                }
                count += occurrences(&tokens, &self.words);
            }
        }
        count
    }
}

/// Occurrences of `words` (relative position, form) in `tokens` (position, form), both in
/// position order.
fn occurrences(tokens: &[(usize, String)], words: &[(usize, String)]) -> u32 {
    let Some((_, first)) = words.first() else {
        return 0;
    };
    let mut count = 0;
    for (at, (start, text)) in tokens.iter().enumerate() {
        if text != first {
            continue;
        }
        let rest = &tokens[at..];
        let found = words.iter().skip(1).all(|(offset, word)| {
            let wanted = start + offset;
            rest.iter()
                .take_while(|(position, _)| *position <= wanted)
                .any(|(position, text)| *position == wanted && text == word)
        });
        count += u32::from(found);
    }
    count
}

struct ExactPhraseScorer {
    inner: Box<dyn Scorer>,
    store: StoreReader,
    check: Check,
    /// Occurrences of the phrase in the current document.
    occurrences: u32,
    scan: bool,
    boost: Score,
}

impl ExactPhraseScorer {
    /// Whether the inner scorer's current document holds the phrase.
    fn verified(&mut self) -> bool {
        let doc = self.inner.doc();
        if doc == tantivy::TERMINATED {
            return true;
        }
        // A document the store cannot give back cannot be shown either: not a match.
        let Ok(document) = self.store.get::<TantivyDocument>(doc) else {
            return false;
        };
        self.occurrences = self.check.occurrences(&document);
        self.occurrences > 0
    }

    /// Moves the inner scorer forward to the first verified document from where it stands.
    fn next_verified(&mut self) -> DocId {
        while !self.verified() {
            self.inner.advance();
        }
        self.inner.doc()
    }
}

impl DocSet for ExactPhraseScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance();
        self.next_verified()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.inner.doc() >= target {
            return self.inner.doc();
        }
        self.inner.seek(target);
        self.next_verified()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        // Every candidate is read back from the store: far dearer than a posting.
        self.inner.cost().saturating_mul(16)
    }
}

impl Scorer for ExactPhraseScorer {
    fn score(&mut self) -> Score {
        if self.scan {
            // No stems to score by: more occurrences rank higher, saturating like BM25's tf.
            let tf = self.occurrences as Score;
            self.boost * tf / (tf + 1.2)
        } else {
            self.inner.score()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::occurrences;

    fn tokens(words: &[&str]) -> Vec<(usize, String)> {
        words
            .iter()
            .enumerate()
            .map(|(position, word)| (position, word.to_string()))
            .collect()
    }

    #[test]
    fn counts_the_phrase_in_order_only() {
        let text = tokens(&[
            "mereka", "bekerja", "sama", "lalu", "kerja", "sama", "pula", "bekerja",
        ]);
        let phrase = vec![(0, "bekerja".to_string()), (1, "sama".to_string())];
        assert_eq!(occurrences(&text, &phrase), 1);
        let other = vec![(0, "kerja".to_string()), (1, "sama".to_string())];
        assert_eq!(occurrences(&text, &other), 1);
        let reversed = vec![(0, "sama".to_string()), (1, "bekerja".to_string())];
        assert_eq!(occurrences(&text, &reversed), 0);
        let tail = vec![(0, "bekerja".to_string()), (1, "lagi".to_string())];
        assert_eq!(occurrences(&text, &tail), 0);
    }
}
