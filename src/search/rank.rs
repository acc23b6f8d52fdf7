//! Ranking: a parsed query becomes a first-stage tantivy query (BM25 over weighted fields,
//! which chooses the candidates) and the query's concepts, which [`model`] scores.
//!
//! The ranking model itself, its basis, features and measured effects are in [`model`]; this
//! module reads the query:
//! - Every plain word is looked up in title, body, captions and byline through the index's own
//!   analyzer, weighted [`TITLE_WEIGHT`] > [`BODY_WEIGHT`] ≥ [`CAPTIONS_WEIGHT`] > [`BYLINE_WEIGHT`]
//!   (first stage only).
//! - The articles holding every word are also asked for on their own ([`Compiled::all_words`]),
//!   so the first stage finds the best of them cheaply at archive scale; they are not ranked
//!   above the others for it.
//! - Concepts ([`model::Concept`]): each plain word, each quoted phrase, and each written word
//!   that analyses to several terms (an acronym, a closed compound) or run of words spelling a
//!   listed alias's long form, as one phrase.
//! - A quoted phrase is the index analyzer's terms in order, stopwords included: "kerja sama
//!   dengan militer" finds "bekerja sama dengan militer" and "kerjasama dengan militer", not
//!   "kerja sama militer". Like plain words, it finds every form of its words.
//! - A query whose plain words are all stopwords looks them up as they are (the index keeps
//!   stopwords) instead of returning nothing.

pub mod model;

use once_cell::sync::Lazy;
use serde::Serialize;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur as TantivyOccur, PhraseQuery, Query,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::any_field::AnyField;
use super::filter::matching_sources;
use super::query::{Clause, Node, Occur, ParsedQuery, QueryField};
use crate::analysis::FastSet;
use crate::index::Fields;
use model::{Concept, ConceptKind};

/// First-stage weight of a title term (see [`model`] for the ranking's own weights).
pub const TITLE_WEIGHT: f32 = 1.5;
pub const BODY_WEIGHT: f32 = 1.0;
pub const CAPTIONS_WEIGHT: f32 = 0.8;
pub const BYLINE_WEIGHT: f32 = 0.5;

/// The listed aliases' long forms of several words, as plain query words analyse them:
/// a run of query words spelling one is one concept, as its acronym is.
static LONG_FORMS: Lazy<Vec<Vec<String>>> = Lazy::new(|| {
    let mut analyzer = crate::analysis::indonesian_words();
    let mut forms: Vec<Vec<String>> = crate::analysis::aliases::ALIASES
        .0
        .long_forms()
        .map(|form| {
            analyse(&mut analyzer, form)
                .into_iter()
                .filter_map(|unit| unit.terms.into_iter().next())
                .collect::<Vec<String>>()
        })
        .filter(|terms| terms.len() > 1)
        .collect();
    forms.sort();
    forms.dedup();
    forms
});

/// The terms a result's passages are marked with.
#[derive(Clone, Debug, Default)]
pub struct Highlights {
    /// Index terms marked wherever they stand (plain words, one-word phrases). Looked up for
    /// every word of every shown article, so hashed with FNV rather than SipHash.
    pub terms: FastSet<String>,
    /// Quoted phrases, marked only where all their terms stand in order.
    pub phrases: Vec<Vec<PhraseWord>>,
}

/// One place of a quoted phrase: its distance in positions from the phrase's first place,
/// and the terms that may stand there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PhraseWord {
    pub offset: usize,
    pub terms: Vec<String>,
}

impl Highlights {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.phrases.is_empty()
    }

    /// Every term to look for, phrase terms included.
    pub fn all_terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(String::as_str).chain(
            self.phrases
                .iter()
                .flatten()
                .flat_map(|word| word.terms.iter().map(String::as_str)),
        )
    }
}

/// A compiled query and what to highlight for it.
pub struct Compiled {
    /// None when nothing in the query can match a term (empty, or only set aside).
    pub query: Option<Box<dyn Query>>,
    /// The articles that hold every word, scored as `query` scores them; when the query has
    /// two words or more. The first stage takes its best candidates from this query and from
    /// [`Compiled::any_word`] apart, each cheap at archive scale.
    pub all_words: Option<Box<dyn Query>>,
    /// When the query is only plain words: one flat union of their term queries, matching
    /// what `query` matches and scoring it as `query` does without the bonus. A flat union
    /// of terms lets the search skip postings that cannot reach the best results.
    pub any_word: Option<Box<dyn Query>>,
    /// The terms of [`Compiled::any_word`] word by word (each alternative of `a OR b` apart),
    /// each with its first-stage weight: a long query takes its candidates lacking a word from
    /// its rarest words only ([`Compiled::rarest_words`]).
    pub word_terms: Vec<Vec<(Term, f32)>>,
    /// The query's concepts, in query order, as [`model`] scores them.
    pub concepts: Vec<Concept>,
    pub highlights: Highlights,
}

/// Most words whose terms make the flat union that finds candidates lacking a word. A union of
/// many common words cannot skip postings (every block may hold a match good enough), so its
/// cost grows with the number of words and their frequency: a pasted paragraph of 30 common
/// words took seconds at a million articles. The rarest words find the articles a long query
/// is about; every word is still scored (all-words list, the model) and counted.
pub const MAX_CANDIDATE_WORDS: usize = 8;

impl Compiled {
    /// A flat union of the terms of the `keep` words that the fewest articles hold, when the
    /// query has more words than that; None otherwise (the union of all words is as cheap).
    pub fn rarest_words(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        keep: usize,
    ) -> Option<Box<dyn Query>> {
        if self.word_terms.len() <= keep {
            return None;
        }
        let mut by_frequency: Vec<(u64, &Vec<(Term, f32)>)> = self
            .word_terms
            .iter()
            .map(|terms| {
                let frequency = terms
                    .iter()
                    .map(|(term, _)| searcher.doc_freq(term).unwrap_or(u64::MAX))
                    .fold(0u64, u64::saturating_add);
                (frequency, terms)
            })
            .collect();
        // Stable: among words as rare, the earlier ones.
        by_frequency.sort_by_key(|(frequency, _)| *frequency);
        // Title and body only: captions and bylines are short and seldom decide who is a
        // candidate, and each field's terms are postings to walk.
        let prose = [fields.title, fields.body];
        let queries: Vec<Box<dyn Query>> = by_frequency
            .into_iter()
            .take(keep)
            .flat_map(|(_, terms)| terms.iter())
            .filter(|(term, _)| prose.contains(&term.field()))
            .map(|(term, weight)| {
                boost(
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                    *weight,
                )
            })
            .collect();
        Some(Box::new(BooleanQuery::union(queries)))
    }
}

/// Turns parsed queries into tantivy queries for one index.
pub struct Compiler<'a> {
    fields: &'a Fields,
    /// Plain words: the index analyzer without stopwords.
    words: TextAnalyzer,
    /// Phrases and stopword-only queries: the index analyzer.
    full: TextAnalyzer,
    /// Every source name in the index, for `source:`.
    sources: &'a [String],
    /// Plain words keep their stopwords (the query is only stopwords).
    stopwords_only: bool,
    /// Whether a plain or field word (not a quoted phrase) gave a term to highlight.
    word_terms: bool,
    highlights: Highlights,
    concepts: Vec<Concept>,
    all_words: Option<Box<dyn Query>>,
    any_word: Option<Box<dyn Query>>,
    weighted_words: Vec<Vec<(Term, f32)>>,
}

/// One query word as the analyzer saw it: its position and the terms standing there.
#[derive(Clone, Debug)]
struct Unit {
    position: usize,
    terms: Vec<String>,
}

impl<'a> Compiler<'a> {
    /// `full` is the index's analyzer, `words` the same without stopwords.
    pub fn new(
        fields: &'a Fields,
        words: TextAnalyzer,
        full: TextAnalyzer,
        sources: &'a [String],
    ) -> Compiler<'a> {
        Compiler {
            fields,
            words,
            full,
            sources,
            stopwords_only: false,
            word_terms: false,
            highlights: Highlights::default(),
            concepts: Vec::new(),
            all_words: None,
            any_word: None,
            weighted_words: Vec::new(),
        }
    }

    /// Compiles `parsed`, keeping stopwords when its words are nothing else.
    pub fn compile(mut self, parsed: &ParsedQuery) -> Compiled {
        let query = self.sequence(&parsed.clauses, false, true);
        let positive_words = has_positive_words(&parsed.clauses);
        if positive_words && !self.word_terms && !self.stopwords_only {
            self.stopwords_only = true;
            let concepts = std::mem::take(&mut self.concepts);
            let all_words = self.all_words.take();
            let any_word = self.any_word.take();
            let weighted_words = std::mem::take(&mut self.weighted_words);
            let fallback = self.sequence(&parsed.clauses, false, true);
            if fallback.is_some() {
                return self.finish(fallback);
            }
            self.concepts = concepts;
            self.all_words = all_words;
            self.any_word = any_word;
            self.weighted_words = weighted_words;
        }
        self.finish(query)
    }

    fn finish(self, query: Option<Box<dyn Query>>) -> Compiled {
        Compiled {
            query,
            all_words: self.all_words,
            any_word: self.any_word,
            word_terms: self.weighted_words,
            concepts: self.concepts,
            highlights: self.highlights,
        }
    }

    /// A sequence of clauses: required, excluded and optional parts and, for the whole query
    /// (`top`), the all-words query of the first stage.
    fn sequence(&mut self, clauses: &[Clause], negated: bool, top: bool) -> Option<Box<dyn Query>> {
        let mut must: Vec<Box<dyn Query>> = Vec::new();
        let mut must_not: Vec<Box<dyn Query>> = Vec::new();
        let mut optional: Vec<Box<dyn Query>> = Vec::new();
        let mut run: Vec<&str> = Vec::new();
        // Every term query of the plain words, and whether the sequence is nothing else.
        let mut terms: Vec<Box<dyn Query>> = Vec::new();
        let mut word_terms: Vec<Vec<(Term, f32)>> = Vec::new();
        let mut words_only = true;
        for clause in clauses {
            let plain = matches!(&clause.node, Node::Word { field: None, .. });
            if plain && clause.occur == Occur::Should {
                if let Node::Word { text, .. } = &clause.node {
                    run.push(text);
                }
                continue;
            }
            // `a OR b` of plain words matches what the union of their terms matches: it stays
            // in the flat union (so a long chain of alternatives is pruned like plain words).
            let flat = match clause.occur {
                Occur::Should if !negated => self.flat_alternatives(&clause.node),
                _ => None,
            };
            words_only &= flat.is_some();
            self.flush_run(
                &mut run,
                negated,
                &mut optional,
                &mut terms,
                &mut word_terms,
            );
            if let Some(units) = flat {
                for unit in &units {
                    terms.extend(self.unit_terms(unit));
                    word_terms.push(self.weighted_terms(unit));
                }
            }
            let compiled = self.node(&clause.node, negated || clause.occur == Occur::MustNot);
            if let Some(query) = compiled {
                match clause.occur {
                    Occur::Should => optional.push(query),
                    Occur::Must => must.push(query),
                    Occur::MustNot => must_not.push(query),
                }
            }
        }
        self.flush_run(
            &mut run,
            negated,
            &mut optional,
            &mut terms,
            &mut word_terms,
        );
        if top && words_only && !terms.is_empty() {
            self.any_word = Some(Box::new(BooleanQuery::union(terms)));
            self.weighted_words = word_terms;
        }

        if must.is_empty() && optional.is_empty() {
            if must_not.is_empty() {
                return None;
            }
            must.push(Box::new(AllQuery));
        }
        let mut parts: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
        if top && optional.len() >= 2 {
            let mut scored: Vec<(TantivyOccur, Box<dyn Query>)> = optional
                .iter()
                .map(|query| (TantivyOccur::Must, query.box_clone()))
                .collect();
            scored.extend(
                must.iter()
                    .map(|query| (TantivyOccur::Must, query.box_clone())),
            );
            scored.extend(
                must_not
                    .iter()
                    .map(|query| (TantivyOccur::MustNot, query.box_clone())),
            );
            self.all_words = Some(Box::new(BooleanQuery::new(scored)));
        }
        if must.len() == 1 && optional.is_empty() && must_not.is_empty() {
            return must.pop();
        }
        if optional.len() == 1 && must.is_empty() && must_not.is_empty() {
            return optional.pop();
        }
        parts.extend(must.into_iter().map(|query| (TantivyOccur::Must, query)));
        parts.extend(
            must_not
                .into_iter()
                .map(|query| (TantivyOccur::MustNot, query)),
        );
        if parts.is_empty() {
            // Only optional words: at least one must match, the boosts only reorder.
            let any = BooleanQuery::new(
                optional
                    .into_iter()
                    .map(|query| (TantivyOccur::Should, query))
                    .collect(),
            );
            parts.push((TantivyOccur::Must, Box::new(any)));
        } else {
            parts.extend(
                optional
                    .into_iter()
                    .map(|query| (TantivyOccur::Should, query)),
            );
        }
        Some(Box::new(BooleanQuery::new(parts)))
    }

    /// Compiles a run of plain words: one optional clause per word; each word's term queries
    /// are also added to `terms`, and its concepts to the query's.
    fn flush_run(
        &mut self,
        run: &mut Vec<&str>,
        negated: bool,
        optional: &mut Vec<Box<dyn Query>>,
        terms: &mut Vec<Box<dyn Query>>,
        word_terms: &mut Vec<Vec<(Term, f32)>>,
    ) {
        if run.is_empty() {
            return;
        }
        let text = run.join(" ");
        if !negated {
            self.word_concepts(run);
        }
        run.clear();
        let units = self.units(&text, negated);
        for unit in &units {
            let unit_terms = self.unit_terms(unit);
            terms.extend(unit_terms.iter().map(|query| query.box_clone()));
            optional.push(Box::new(AnyField::new(unit_terms)));
            word_terms.push(self.weighted_terms(unit));
        }
    }

    /// A word's terms in each text field with the field's first-stage weight.
    fn weighted_terms(&self, unit: &Unit) -> Vec<(Term, f32)> {
        let mut weighted = Vec::new();
        for (field, weight) in self.text_fields() {
            for term in &unit.terms {
                weighted.push((Term::from_field_text(field, term), weight));
            }
        }
        weighted
    }

    /// The words of `a OR b OR …` when every alternative is a plain word of one position: what
    /// it matches is then the union of their terms.
    fn flat_alternatives(&mut self, node: &Node) -> Option<Vec<Unit>> {
        let Node::Or(alternatives) = node else {
            return None;
        };
        let analyzer = if self.stopwords_only {
            &mut self.full
        } else {
            &mut self.words
        };
        let mut units = Vec::new();
        for alternative in alternatives {
            let Node::Word { field: None, text } = alternative else {
                return None;
            };
            // A stopword alone gives no term and matches nothing here.
            let mut analysed = analyse(analyzer, text);
            if analysed.len() > 1 {
                return None;
            }
            units.append(&mut analysed);
        }
        Some(units)
    }

    /// The concepts of plain words: each word on its own (a phrase when it analyses to several
    /// terms), then runs of one-term words spelling a listed long form joined into a phrase.
    fn word_concepts(&mut self, words: &[&str]) {
        let analyzer = if self.stopwords_only {
            &mut self.full
        } else {
            &mut self.words
        };
        let mut concepts: Vec<Concept> = Vec::new();
        for word in words {
            let units = analyse(analyzer, word);
            if let Some(concept) = concept_of(word, &units) {
                concepts.push(concept);
            }
        }
        let mut at = 0;
        while at < concepts.len() {
            let joined = LONG_FORMS.iter().find_map(|form| {
                let end = at + form.len();
                let matches = end <= concepts.len()
                    && concepts[at..end].iter().zip(form).all(|(concept, term)| {
                        concept.kind == ConceptKind::Word
                            && concept.places[0].terms.first() == Some(term)
                    });
                matches.then_some(end)
            });
            if let Some(end) = joined {
                let parts: Vec<Concept> = concepts.drain(at..end).collect();
                let places = parts
                    .iter()
                    .enumerate()
                    .map(|(offset, part)| PhraseWord {
                        offset,
                        terms: part.places[0].terms.clone(),
                    })
                    .collect();
                let text = parts
                    .iter()
                    .map(|part| part.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                concepts.insert(
                    at,
                    Concept {
                        text,
                        kind: ConceptKind::Phrase,
                        places,
                    },
                );
            }
            at += 1;
        }
        self.concepts.extend(concepts);
    }

    /// Title, body, captions and byline with their weights.
    fn text_fields(&self) -> Vec<(Field, f32)> {
        let fields = self.fields;
        vec![
            (fields.title, TITLE_WEIGHT),
            (fields.body, BODY_WEIGHT),
            (fields.captions, CAPTIONS_WEIGHT),
            (fields.byline, BYLINE_WEIGHT),
        ]
    }

    /// The analyzer's view of plain words, grouped by position (aliases share one).
    fn units(&mut self, text: &str, negated: bool) -> Vec<Unit> {
        let analyzer = if self.stopwords_only {
            &mut self.full
        } else {
            &mut self.words
        };
        let units = analyse(analyzer, text);
        if !negated {
            for unit in &units {
                self.highlights.terms.extend(unit.terms.iter().cloned());
            }
            self.word_terms |= !units.is_empty() && !self.stopwords_only;
        }
        units
    }

    /// One word in any text field.
    fn unit_query(&self, unit: &Unit) -> Box<dyn Query> {
        Box::new(AnyField::new(self.unit_terms(unit)))
    }

    /// One word's term queries, a weighted one for each text field and each of its terms.
    fn unit_terms(&self, unit: &Unit) -> Vec<Box<dyn Query>> {
        let mut terms = Vec::new();
        for (field, weight) in self.text_fields() {
            for term in &unit.terms {
                terms.push(boost(term_query(field, term), weight));
            }
        }
        terms
    }

    fn node(&mut self, node: &Node, negated: bool) -> Option<Box<dyn Query>> {
        match node {
            Node::Word { field: None, text } => {
                if !negated {
                    self.word_concepts(&[text.as_str()]);
                }
                let units = self.units(text, negated);
                let mut queries: Vec<Box<dyn Query>> =
                    units.iter().map(|unit| self.unit_query(unit)).collect();
                match queries.len() {
                    0 => None,
                    1 => queries.pop(),
                    _ => Some(Box::new(BooleanQuery::intersection(queries))),
                }
            }
            Node::Word {
                field: Some(QueryField::Source),
                text,
            }
            | Node::Phrase {
                field: Some(QueryField::Source),
                text,
            } => Some(self.source_query(text)),
            Node::Word {
                field: Some(field),
                text,
            } => self.field_words(*field, text, negated),
            Node::Phrase { field, text } => self.quoted(*field, text, negated),
            Node::Or(alternatives) => {
                let before = self.concepts.len();
                let mut queries: Vec<Box<dyn Query>> = alternatives
                    .iter()
                    .filter_map(|alternative| self.node(alternative, negated))
                    .collect();
                self.merge_alternatives(before);
                match queries.len() {
                    0 => None,
                    1 => queries.pop(),
                    _ => Some(Box::new(BooleanQuery::union(queries))),
                }
            }
            Node::Group(clauses) => self.sequence(clauses, negated, false),
        }
    }

    /// Alternatives (`a OR b`) are one concept when each is one word: a word any of whose terms
    /// counts. Otherwise each alternative stays a concept of its own.
    fn merge_alternatives(&mut self, from: usize) {
        let added = &self.concepts[from..];
        if added.len() < 2 || added.iter().any(|c| c.kind != ConceptKind::Word) {
            return;
        }
        let mut terms: Vec<String> = Vec::new();
        for concept in added {
            for term in &concept.places[0].terms {
                if !terms.contains(term) {
                    terms.push(term.clone());
                }
            }
        }
        let text = added
            .iter()
            .map(|concept| concept.text.as_str())
            .collect::<Vec<_>>()
            .join(" OR ");
        self.concepts.truncate(from);
        self.concepts.push(Concept {
            text,
            kind: ConceptKind::Word,
            places: vec![PhraseWord { offset: 0, terms }],
        });
    }

    /// Articles from the sources `name` means; none when it means no source in the index.
    fn source_query(&self, name: &str) -> Box<dyn Query> {
        source_filter(self.fields.source, name, self.sources)
    }

    /// `title:word`, `byline:word`, `caption:word`: stemmed, in that field only.
    fn field_words(
        &mut self,
        field: QueryField,
        text: &str,
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        let units = analyse(&mut self.words, text);
        if units.is_empty() {
            // Only stopwords: look for them as they are.
            return self.quoted(Some(field), text, negated);
        }
        if !negated {
            for unit in &units {
                self.highlights.terms.extend(unit.terms.iter().cloned());
            }
            self.word_terms = true;
        }
        let target = match field {
            QueryField::Title => self.fields.title,
            QueryField::Byline => self.fields.byline,
            QueryField::Caption => self.fields.captions,
            QueryField::Source => self.fields.source,
        };
        phrase(target, &units, 0)
    }

    /// A quoted phrase: the index's terms, stopwords included, in order, in one field or in
    /// title, body and captions.
    fn quoted(
        &mut self,
        field: Option<QueryField>,
        text: &str,
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        let fields = self.fields;
        let targets = match field {
            None => vec![
                (fields.title, TITLE_WEIGHT),
                (fields.body, BODY_WEIGHT),
                (fields.captions, CAPTIONS_WEIGHT),
            ],
            Some(QueryField::Title) => vec![(fields.title, 1.0)],
            Some(QueryField::Caption) => vec![(fields.captions, 1.0)],
            Some(QueryField::Byline) => vec![(fields.byline, 1.0)],
            Some(QueryField::Source) => return Some(self.source_query(text)),
        };
        let units = analyse(&mut self.full, text);
        let first = units.first()?.position;
        if !negated && field.is_none() {
            self.concepts.extend(concept_of(text, &units));
        }
        if !negated {
            if let [unit] = units.as_slice() {
                self.highlights.terms.extend(unit.terms.iter().cloned());
            } else {
                self.highlights.phrases.push(
                    units
                        .iter()
                        .map(|unit| PhraseWord {
                            offset: unit.position - first,
                            terms: unit.terms.clone(),
                        })
                        .collect(),
                );
            }
        }
        let mut queries: Vec<Box<dyn Query>> = targets
            .into_iter()
            .filter_map(|(target, weight)| phrase(target, &units, 0).map(|q| boost(q, weight)))
            .collect();
        match queries.len() {
            0 => None,
            1 => queries.pop(),
            _ => Some(Box::new(BooleanQuery::union(queries))),
        }
    }
}

/// Articles whose source is one that `name` means among `known` (see [`matching_sources`]).
pub fn source_filter(field: Field, name: &str, known: &[String]) -> Box<dyn Query> {
    let terms: Vec<Term> = matching_sources(name, known)
        .into_iter()
        .map(|source| Term::from_field_text(field, &source.to_lowercase()))
        .collect();
    if terms.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(TermSetQuery::new(terms))
}

/// The concept of `text` analysed into `units`: a word for one unit, a phrase for several;
/// none for none.
fn concept_of(text: &str, units: &[Unit]) -> Option<Concept> {
    let first = units.first()?.position;
    let places: Vec<PhraseWord> = units
        .iter()
        .map(|unit| PhraseWord {
            offset: unit.position - first,
            terms: unit.terms.clone(),
        })
        .collect();
    Some(Concept {
        text: text.to_string(),
        kind: if places.len() == 1 {
            ConceptKind::Word
        } else {
            ConceptKind::Phrase
        },
        places,
    })
}

fn has_positive_words(clauses: &[Clause]) -> bool {
    fn positive(node: &Node) -> bool {
        match node {
            Node::Word { field: None, .. } => true,
            Node::Or(alternatives) => alternatives.iter().any(positive),
            Node::Group(clauses) => has_positive_words(clauses),
            _ => false,
        }
    }
    clauses
        .iter()
        .any(|clause| clause.occur != Occur::MustNot && positive(&clause.node))
}

fn analyse(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        if token.text.is_empty() {
            continue;
        }
        match units.last_mut() {
            Some(last) if last.position == token.position => {
                if !last.terms.contains(&token.text) {
                    last.terms.push(token.text.clone());
                }
            }
            _ => units.push(Unit {
                position: token.position,
                terms: vec![token.text.clone()],
            }),
        }
    }
    units
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boost(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if weight == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

/// The units in order as a phrase (a term for one unit); the first term of each unit stands
/// for it, and gaps the analyzer left (removed stopwords) are kept.
fn phrase(field: Field, units: &[Unit], slop: u32) -> Option<Box<dyn Query>> {
    let first = units.first()?;
    if units.len() == 1 {
        let alternatives: Vec<Box<dyn Query>> = first
            .terms
            .iter()
            .map(|term| term_query(field, term))
            .collect();
        return Some(match alternatives.len() {
            1 => alternatives.into_iter().next()?,
            _ => Box::new(BooleanQuery::union(alternatives)),
        });
    }
    let terms: Vec<(usize, Term)> = units
        .iter()
        .filter_map(|unit| {
            unit.terms.first().map(|term| {
                (
                    unit.position.saturating_sub(first.position),
                    Term::from_field_text(field, term),
                )
            })
        })
        .collect();
    Some(Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn compiler(fields: &Fields) -> Compiler<'_> {
        Compiler::new(
            fields,
            crate::analysis::indonesian_words(),
            crate::analysis::indonesian(),
            &[],
        )
    }

    fn word(offset: usize, term: &str) -> PhraseWord {
        PhraseWord {
            offset,
            terms: vec![term.to_string()],
        }
    }

    #[test]
    fn plain_words_are_highlighted_as_analysed() {
        let (_, fields) = crate::index::schema::build();
        let compiled = compiler(&fields).compile(&parse("Militernya dengan -jakarta"));
        assert!(compiled.query.is_some());
        let expected: FastSet<String> = ["militer".to_string()].into_iter().collect();
        assert_eq!(compiled.highlights.terms, expected);
    }

    #[test]
    fn phrases_keep_their_stopwords_and_positions() {
        let (_, fields) = crate::index::schema::build();
        let compiled =
            compiler(&fields).compile(&parse(r#""Bekerjasama dengan militer" "militernya""#));
        let expected = vec![
            word(0, "kerja"),
            word(1, "sama"),
            word(2, "~dengan"),
            word(3, "militer"),
        ];
        assert_eq!(compiled.highlights.phrases, vec![expected]);
        let single: FastSet<String> = ["militer".to_string()].into_iter().collect();
        assert_eq!(compiled.highlights.terms, single);
    }

    #[test]
    fn a_query_of_stopwords_keeps_them() {
        let (_, fields) = crate::index::schema::build();
        let compiled = compiler(&fields).compile(&parse("yang dan"));
        assert!(compiled.query.is_some());
        let expected: FastSet<String> = ["~yang".to_string(), "~dan".to_string()]
            .into_iter()
            .collect();
        assert_eq!(compiled.highlights.terms, expected);
    }

    #[test]
    fn plain_stopwords_beside_a_quoted_word_are_looked_up() {
        let (_, fields) = crate::index::schema::build();
        let compiled = compiler(&fields).compile(&parse(r#""banjir" yang"#));
        let expected: FastSet<String> = ["banjir".to_string(), "~yang".to_string()]
            .into_iter()
            .collect();
        assert_eq!(compiled.highlights.terms, expected);
    }

    #[test]
    fn nothing_to_match_is_none() {
        let (_, fields) = crate::index::schema::build();
        assert!(compiler(&fields).compile(&parse("")).query.is_none());
        assert!(compiler(&fields).compile(&parse("-  ()")).query.is_none());
        assert!(compiler(&fields).compile(&parse("-banjir")).query.is_some());
    }
}
