//! One word in any text field: the union of the word's term queries (one per field and term),
//! scored as their sum, to the bit as `BooleanQuery::union` of them scores it, but cheap to
//! seek.
//!
//! tantivy's union reads ahead: each time it passes the end of its window, it decodes the next
//! 4,096 documents of every term into a buffer. That pays when every match is visited. In the
//! intersection of a question's words, a rarer word decides where to look next and the common
//! words are only asked "this article or the next?", so most of what a common word's union
//! decoded was never used. [`AnyField`] moves each term by its own skip list instead.
//!
//! ```
//! use newsidx::search::any_field::AnyField;
//! use tantivy::query::{Query, TermQuery};
//! use tantivy::schema::{IndexRecordOption, Schema, TEXT};
//! use tantivy::Term;
//!
//! let mut schema = Schema::builder();
//! let title = schema.add_text_field("title", TEXT);
//! let body = schema.add_text_field("body", TEXT);
//! let terms: Vec<Box<dyn Query>> = [title, body]
//!     .into_iter()
//!     .map(|field| {
//!         let term = Term::from_field_text(field, "militer");
//!         Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>
//!     })
//!     .collect();
//! let word = AnyField::new(terms);
//! let mut seen = 0;
//! word.query_terms(&mut |_, _| seen += 1);
//! assert_eq!(seen, 2);
//! ```

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// The union of `terms`, scored by the sum of the terms that match.
#[derive(Debug)]
pub struct AnyField {
    terms: Vec<Box<dyn Query>>,
}

impl AnyField {
    pub fn new(terms: Vec<Box<dyn Query>>) -> AnyField {
        AnyField { terms }
    }
}

impl Clone for AnyField {
    fn clone(&self) -> AnyField {
        AnyField {
            terms: self.terms.iter().map(|term| term.box_clone()).collect(),
        }
    }
}

impl Query for AnyField {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self
            .terms
            .iter()
            .map(|term| term.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(AnyFieldWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for term in &self.terms {
            term.query_terms(visitor);
        }
    }
}

struct AnyFieldWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for AnyFieldWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = Vec::with_capacity(self.weights.len());
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            // A term missing from the segment has nothing to add.
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(Box::new(AnyFieldScorer::new(scorers, reader.num_docs())))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of the matching fields' terms", scorer.score());
        for weight in &self.weights {
            if let Ok(detail) = weight.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

/// [`AnyField`] in one segment: its terms' scorers, none of them empty, in query order.
struct AnyFieldScorer {
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
    /// Articles in the segment, for the size estimate.
    num_docs: u32,
}

impl AnyFieldScorer {
    fn new(scorers: Vec<Box<dyn Scorer>>, num_docs: u32) -> AnyFieldScorer {
        let doc = scorers
            .iter()
            .map(|scorer| scorer.doc())
            .min()
            .unwrap_or(TERMINATED);
        AnyFieldScorer {
            scorers,
            doc,
            num_docs,
        }
    }
}

impl DocSet for AnyFieldScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        let mut next = TERMINATED;
        for scorer in &mut self.scorers {
            let doc = if scorer.doc() == current {
                scorer.advance()
            } else {
                scorer.doc()
            };
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let mut next = TERMINATED;
        for scorer in &mut self.scorers {
            let doc = if scorer.doc() < target {
                scorer.seek(target)
            } else {
                scorer.doc()
            };
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    /// Estimated as tantivy estimates a union: as if the terms fell on articles independently,
    /// then a little less, since they tend to fall on the same ones.
    fn size_hint(&self) -> u32 {
        let num_docs = f64::from(self.num_docs.max(1));
        let outside_every_term: f64 = self
            .scorers
            .iter()
            .map(|scorer| 1.0 - f64::from(scorer.size_hint()) / num_docs * 0.8)
            .product();
        (num_docs * (1.0 - outside_every_term))
            .round()
            .min(num_docs) as u32
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|scorer| scorer.cost()).sum()
    }
}

impl Scorer for AnyFieldScorer {
    /// The matching terms' scores added in query order, from zero, as tantivy's union adds
    /// them: the same article gets the same score, to the bit, either way.
    fn score(&mut self) -> Score {
        let mut score = 0.0;
        for scorer in &mut self.scorers {
            if scorer.doc() == self.doc {
                score += scorer.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, DocSetCollector};
    use tantivy::query::{BooleanQuery, BoostQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, DocAddress, Index, IndexWriter, Searcher};

    /// An index of two fields over a small vocabulary, with articles deleted here and there.
    fn archive(seed: u64) -> (Searcher, Vec<tantivy::schema::Field>) {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["militer", "kerja", "sama", "negara", "banjir", "jakarta"];
        let mut state = seed;
        let mut next = move |bound: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % bound
        };
        let mut text = |longest: u64| {
            let length = next(longest + 1);
            (0..length)
                .map(|_| words[next(words.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        };
        for article in 0..3_000 {
            let title_text = text(2);
            let body_text = text(12);
            writer
                .add_document(doc!(title => title_text, body => body_text))
                .unwrap();
            // Two segments, so each is searched on its own.
            if article == 1_700 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        // Deleted articles still match; collectors leave them out.
        writer.delete_term(Term::from_field_text(title, "banjir"));
        writer.commit().unwrap();
        let reader = index.reader().unwrap();
        (reader.searcher(), vec![title, body])
    }

    fn terms(fields: &[tantivy::schema::Field], words: &[&str]) -> Vec<Box<dyn Query>> {
        let mut terms: Vec<Box<dyn Query>> = Vec::new();
        for (&field, weight) in fields.iter().zip([1.5, 1.0]) {
            for word in words {
                let term = TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                );
                terms.push(Box::new(BoostQuery::new(Box::new(term), weight)));
            }
        }
        terms
    }

    /// Every match of `query` with its score, in index order.
    fn scored(searcher: &Searcher, query: &dyn Query) -> Vec<(DocAddress, u32)> {
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(searcher))
            .unwrap();
        let mut found = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            weight
                .for_each(reader, &mut |doc, score| {
                    found.push((DocAddress::new(ord as u32, doc), score.to_bits()));
                })
                .unwrap();
        }
        found
    }

    /// Both queries count the same live articles and collect the same ones.
    fn assert_collectors_agree(searcher: &Searcher, ours: &dyn Query, theirs: &dyn Query) {
        assert_eq!(
            searcher.search(ours, &Count).unwrap(),
            searcher.search(theirs, &Count).unwrap()
        );
        assert_eq!(
            searcher.search(ours, &DocSetCollector).unwrap(),
            searcher.search(theirs, &DocSetCollector).unwrap()
        );
    }

    #[test]
    fn scores_every_match_as_the_boolean_union_does() {
        for seed in [1, 2, 3] {
            let (searcher, fields) = archive(seed);
            for words in [&["militer"][..], &["kerja", "sama"], &["absent", "negara"]] {
                let ours = AnyField::new(terms(&fields, words));
                let theirs = BooleanQuery::union(terms(&fields, words));
                let found = scored(&searcher, &ours);
                assert!(!found.is_empty(), "{words:?} matches nothing");
                assert_eq!(found, scored(&searcher, &theirs), "{words:?}, seed {seed}");
                assert_collectors_agree(&searcher, &ours, &theirs);
            }
        }
    }

    #[test]
    fn intersections_of_words_match_and_score_the_same() {
        let (searcher, fields) = archive(7);
        let words = [&["militer"][..], &["jakarta", "kerja"], &["negara"]];
        let ours = BooleanQuery::intersection(
            words
                .iter()
                .map(|word| Box::new(AnyField::new(terms(&fields, word))) as Box<dyn Query>)
                .collect(),
        );
        let theirs = BooleanQuery::intersection(
            words
                .iter()
                .map(|word| Box::new(BooleanQuery::union(terms(&fields, word))) as Box<dyn Query>)
                .collect(),
        );
        let found = scored(&searcher, &ours);
        let expected = scored(&searcher, &theirs);
        assert!(found.len() > 100, "only {} matches", found.len());
        assert_eq!(found.len(), expected.len());
        for (&(address, ours), &(expected_address, theirs)) in found.iter().zip(&expected) {
            assert_eq!(address, expected_address);
            // The words' scores are added in tantivy's order of the words' costs, which may
            // differ from the nested unions' order: the same sum, to rounding.
            let (ours, theirs) = (f32::from_bits(ours), f32::from_bits(theirs));
            assert!(
                (ours - theirs).abs() <= theirs.abs() * 1e-6,
                "{address:?}: {ours} against {theirs}"
            );
        }
        assert_collectors_agree(&searcher, &ours, &theirs);
    }

    #[test]
    fn seeking_lands_on_the_first_match_at_or_after_the_target() {
        let (searcher, fields) = archive(11);
        let query = AnyField::new(terms(&fields, &["banjir", "sama"]));
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let reader = &searcher.segment_readers()[0];
        let every: Vec<DocId> = scored(&searcher, &query)
            .into_iter()
            .filter(|(address, _)| address.segment_ord == 0)
            .map(|(address, _)| address.doc_id)
            .collect();
        let mut scorer = weight.scorer(reader, 1.0).unwrap();
        for target in (0..reader.max_doc() + 10).step_by(37) {
            let expected = every
                .iter()
                .copied()
                .find(|&doc| doc >= target)
                .unwrap_or(TERMINATED);
            let landed = if scorer.doc() < target {
                scorer.seek(target)
            } else {
                scorer.doc()
            };
            assert_eq!(landed, expected, "target {target}");
        }
        assert!(weight.explain(reader, every[0]).is_ok());
    }
}
