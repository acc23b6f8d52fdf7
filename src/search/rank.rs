//! Ranking: a parsed query becomes one tantivy query scored by BM25 over weighted fields.
//!
//! - Every plain word is looked up in title, body, captions and byline through the index's own
//!   analyzer, weighted [`TITLE_WEIGHT`] > [`BODY_WEIGHT`] ≥ [`CAPTIONS_WEIGHT`] > [`BYLINE_WEIGHT`].
//! - A document holding every word of a group gets [`ALL_WORDS_BONUS`], more than BM25 gives
//!   any document for the words themselves, so it ranks above documents holding only some.
//! - Proximity: neighbouring query words are also asked for as phrases (adjacent, and within a
//!   short window), so "kerja sama militer" standing together outranks the words scattered.
//!   These phrases are kept apart from the query ([`Compiled::proximity`]) and scored only for
//!   the best candidates (see `search`): looking each one up across every article that holds
//!   a common word costs more than the rest of the search at archive scale.
//! - Freshness: a recent article gains up to [`FRESHNESS_WEIGHT`] (measured from the newest
//!   article in the index), enough to settle near-ties, not to beat a clearly better match.
//! - Quoted phrases match the exact-form sub-fields (`*_exact`), so "bekerja sama" does not
//!   match "kerja sama".
//! - A query whose plain words are all stopwords for the analyzer is answered from the
//!   exact-form fields instead of returning nothing.

use std::collections::HashSet;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur as TantivyOccur,
    PhraseQuery, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::filter::matching_sources;
use super::query::{Clause, Node, Occur, ParsedQuery, QueryField};
use crate::index::Fields;

pub const TITLE_WEIGHT: f32 = 1.5;
pub const BODY_WEIGHT: f32 = 1.0;
pub const CAPTIONS_WEIGHT: f32 = 0.8;
pub const BYLINE_WEIGHT: f32 = 0.5;
/// Added once for a document that holds every word of a group.
pub const ALL_WORDS_BONUS: f32 = 1000.0;
/// Weight of two neighbouring query words found side by side.
pub const ADJACENT_WEIGHT: f32 = 0.6;
/// Weight of two neighbouring query words found within [`NEAR_SLOP`] words of each other.
pub const NEAR_WEIGHT: f32 = 0.3;
pub const NEAR_SLOP: u32 = 4;
/// Weight of a whole run of query words found as written.
pub const RUN_WEIGHT: f32 = 1.0;
/// Runs longer than this are only asked for pair by pair.
const MAX_RUN_PHRASE: usize = 8;

/// Most a result's date adds to its score, for an article as recent as the newest indexed.
pub const FRESHNESS_WEIGHT: f32 = 2.0;
/// Days over which that addition falls to about a third.
pub const FRESHNESS_DAYS: f32 = 365.0;

/// The freshness prior: news readers want the recent story when relevance is close. Small
/// next to BM25 differences between a good and a poor match; a tie-breaker among near-equals.
pub fn freshness(date: Option<i64>, newest: Option<i64>) -> f32 {
    let (Some(date), Some(newest)) = (date, newest) else {
        return 0.0;
    };
    let age_days = (newest - date).max(0) as f32 / 86_400.0;
    FRESHNESS_WEIGHT * (-age_days / FRESHNESS_DAYS).exp()
}

/// The terms a result's passages are marked with.
#[derive(Clone, Debug, Default)]
pub struct Highlights {
    /// Terms of the stemming analyzer (plain words).
    pub stemmed: HashSet<String>,
    /// Exact word forms of single-word phrases and of stopword-only queries.
    pub exact: HashSet<String>,
    /// Exact word forms of quoted phrases, in order.
    pub phrases: Vec<Vec<String>>,
}

impl Highlights {
    pub fn is_empty(&self) -> bool {
        self.stemmed.is_empty() && self.exact.is_empty() && self.phrases.is_empty()
    }
}

/// A compiled query and what to highlight for it.
pub struct Compiled {
    /// None when nothing in the query can match a term (empty, or only set aside).
    pub query: Option<Box<dyn Query>>,
    /// Proximity boosts, each already weighted: they add to the score of an article that
    /// `query` matched and never decide whether it matches.
    pub proximity: Vec<Box<dyn Query>>,
    /// The articles that hold every word, scored as `query` scores them less the
    /// [`ALL_WORDS_BONUS`]; when the query has such a bonus. Those articles rank above all
    /// others, so when there are enough of them the best are found from this query alone,
    /// without scoring every article that holds any one of the words.
    pub all_words: Option<Box<dyn Query>>,
    /// When the query is only plain words: one flat union of their term queries, matching
    /// what `query` matches and scoring it as `query` does without the bonus. A flat union
    /// of terms lets the search skip postings that cannot reach the best results.
    pub any_word: Option<Box<dyn Query>>,
    pub highlights: Highlights,
}

/// Turns parsed queries into tantivy queries for one index.
pub struct Compiler<'a> {
    fields: &'a Fields,
    stemmed: TextAnalyzer,
    exact: TextAnalyzer,
    /// Every source name in the index, for `source:`.
    sources: &'a [String],
    /// Plain words go to the exact-form fields (the query is only stopwords).
    exact_words: bool,
    highlights: Highlights,
    proximity: Vec<Box<dyn Query>>,
    all_words: Option<Box<dyn Query>>,
    any_word: Option<Box<dyn Query>>,
}

/// One query word as the analyzer saw it: its position and the terms standing there.
#[derive(Clone, Debug)]
struct Unit {
    position: usize,
    terms: Vec<String>,
}

impl<'a> Compiler<'a> {
    pub fn new(
        fields: &'a Fields,
        stemmed: TextAnalyzer,
        exact: TextAnalyzer,
        sources: &'a [String],
    ) -> Compiler<'a> {
        Compiler {
            fields,
            stemmed,
            exact,
            sources,
            exact_words: false,
            highlights: Highlights::default(),
            proximity: Vec::new(),
            all_words: None,
            any_word: None,
        }
    }

    /// Compiles `parsed`, falling back to exact forms when its words are all stopwords.
    pub fn compile(mut self, parsed: &ParsedQuery) -> Compiled {
        let query = self.sequence(&parsed.clauses, false, true);
        let positive_words = has_positive_words(&parsed.clauses);
        if positive_words && self.highlights.stemmed.is_empty() && !self.exact_words {
            self.exact_words = true;
            let proximity = std::mem::take(&mut self.proximity);
            let all_words = self.all_words.take();
            let any_word = self.any_word.take();
            let fallback = self.sequence(&parsed.clauses, false, true);
            if fallback.is_some() {
                return self.finish(fallback);
            }
            self.proximity = proximity;
            self.all_words = all_words;
            self.any_word = any_word;
        }
        self.finish(query)
    }

    fn finish(self, query: Option<Box<dyn Query>>) -> Compiled {
        Compiled {
            query,
            proximity: self.proximity,
            all_words: self.all_words,
            any_word: self.any_word,
            highlights: self.highlights,
        }
    }

    /// A sequence of clauses: required, excluded and optional parts and, for the whole query
    /// (`top`), the all-words bonus. A parenthesised group gets no bonus
    /// of its own: it would outweigh the rest of the query.
    fn sequence(&mut self, clauses: &[Clause], negated: bool, top: bool) -> Option<Box<dyn Query>> {
        let mut must: Vec<Box<dyn Query>> = Vec::new();
        let mut must_not: Vec<Box<dyn Query>> = Vec::new();
        let mut optional: Vec<Box<dyn Query>> = Vec::new();
        let mut boosts: Vec<Box<dyn Query>> = Vec::new();
        let mut run: Vec<&str> = Vec::new();
        // Every term query of the plain words, and whether the sequence is nothing else.
        let mut terms: Vec<Box<dyn Query>> = Vec::new();
        let mut words_only = true;
        for clause in clauses {
            let plain = matches!(&clause.node, Node::Word { field: None, .. });
            if plain && clause.occur == Occur::Should {
                if let Node::Word { text, .. } = &clause.node {
                    run.push(text);
                }
                continue;
            }
            words_only = false;
            self.flush_run(&mut run, negated, &mut optional, &mut terms);
            let compiled = self.node(&clause.node, negated || clause.occur == Occur::MustNot);
            if let Some(query) = compiled {
                match clause.occur {
                    Occur::Should => optional.push(query),
                    Occur::Must => must.push(query),
                    Occur::MustNot => must_not.push(query),
                }
            }
        }
        self.flush_run(&mut run, negated, &mut optional, &mut terms);
        if top && words_only && !terms.is_empty() {
            self.any_word = Some(Box::new(BooleanQuery::union(terms)));
        }

        if must.is_empty() && optional.is_empty() {
            if must_not.is_empty() {
                return None;
            }
            must.push(Box::new(AllQuery));
        }
        let mut parts: Vec<(TantivyOccur, Box<dyn Query>)> = Vec::new();
        if top && optional.len() >= 2 {
            let every: Vec<(TantivyOccur, Box<dyn Query>)> = optional
                .iter()
                .map(|query| (TantivyOccur::Must, query.box_clone()))
                .collect();
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
            let all_words = ConstScoreQuery::new(Box::new(BooleanQuery::new(every)), 1.0);
            boosts.push(Box::new(BoostQuery::new(
                Box::new(all_words),
                ALL_WORDS_BONUS,
            )));
        }
        if must.len() == 1 && optional.is_empty() && must_not.is_empty() && boosts.is_empty() {
            return must.pop();
        }
        if optional.len() == 1 && must.is_empty() && must_not.is_empty() && boosts.is_empty() {
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
        parts.extend(
            boosts
                .into_iter()
                .map(|query| (TantivyOccur::Should, query)),
        );
        Some(Box::new(BooleanQuery::new(parts)))
    }

    /// Compiles a run of plain words: one optional clause per word, plus proximity boosts
    /// (none for excluded words); each word's term queries are also added to `terms`.
    fn flush_run(
        &mut self,
        run: &mut Vec<&str>,
        negated: bool,
        optional: &mut Vec<Box<dyn Query>>,
        terms: &mut Vec<Box<dyn Query>>,
    ) {
        if run.is_empty() {
            return;
        }
        let text = run.join(" ");
        run.clear();
        let units = self.units(&text, negated);
        for unit in &units {
            let unit_terms = self.unit_terms(unit);
            terms.extend(unit_terms.iter().map(|query| query.box_clone()));
            optional.push(Box::new(BooleanQuery::union(unit_terms)));
        }
        if units.len() < 2 || negated {
            return;
        }
        let text_fields = self.text_fields();
        let boosts = &mut self.proximity;
        // Proximity counts in the title and the body, where the words are prose.
        for (field, weight) in text_fields.into_iter().take(2) {
            for pair in units.windows(2) {
                if let Some(query) = phrase(field, pair, 0) {
                    boosts.push(boost(query, weight * ADJACENT_WEIGHT));
                }
                if let Some(query) = phrase(field, pair, NEAR_SLOP) {
                    boosts.push(boost(query, weight * NEAR_WEIGHT));
                }
            }
            if units.len() > 2 && units.len() <= MAX_RUN_PHRASE {
                if let Some(query) = phrase(field, &units, 0) {
                    boosts.push(boost(query, weight * RUN_WEIGHT));
                }
            }
        }
    }

    /// Title, body, captions (and byline) with their weights, stemmed or exact.
    fn text_fields(&self) -> Vec<(Field, f32)> {
        let fields = self.fields;
        if self.exact_words {
            vec![
                (fields.title_exact, TITLE_WEIGHT),
                (fields.body_exact, BODY_WEIGHT),
                (fields.captions_exact, CAPTIONS_WEIGHT),
            ]
        } else {
            vec![
                (fields.title, TITLE_WEIGHT),
                (fields.body, BODY_WEIGHT),
                (fields.captions, CAPTIONS_WEIGHT),
                (fields.byline, BYLINE_WEIGHT),
            ]
        }
    }

    /// The analyzer's view of `text`, grouped by position (aliases share one).
    fn units(&mut self, text: &str, negated: bool) -> Vec<Unit> {
        let analyzer = if self.exact_words {
            &mut self.exact
        } else {
            &mut self.stemmed
        };
        let units = analyse(analyzer, text);
        if !negated {
            let target = if self.exact_words {
                &mut self.highlights.exact
            } else {
                &mut self.highlights.stemmed
            };
            for unit in &units {
                target.extend(unit.terms.iter().cloned());
            }
        }
        units
    }

    /// One word in any text field.
    fn unit_query(&self, unit: &Unit) -> Box<dyn Query> {
        Box::new(BooleanQuery::union(self.unit_terms(unit)))
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
            Node::Phrase { field, text } => self.exact_phrase(*field, text, negated),
            Node::Or(alternatives) => {
                let mut queries: Vec<Box<dyn Query>> = alternatives
                    .iter()
                    .filter_map(|alternative| self.node(alternative, negated))
                    .collect();
                match queries.len() {
                    0 => None,
                    1 => queries.pop(),
                    _ => Some(Box::new(BooleanQuery::union(queries))),
                }
            }
            Node::Group(clauses) => self.sequence(clauses, negated, false),
        }
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
        let units = analyse(&mut self.stemmed, text);
        if units.is_empty() {
            // A stopword: look for its exact form where there is one.
            return self.exact_phrase(Some(field), text, negated);
        }
        if !negated {
            for unit in &units {
                self.highlights.stemmed.extend(unit.terms.iter().cloned());
            }
        }
        let target = match field {
            QueryField::Title => self.fields.title,
            QueryField::Byline => self.fields.byline,
            QueryField::Caption => self.fields.captions,
            QueryField::Source => self.fields.source,
        };
        phrase(target, &units, 0)
    }

    /// A quoted phrase: exact forms, in order, in one field or in title, body and captions.
    fn exact_phrase(
        &mut self,
        field: Option<QueryField>,
        text: &str,
        negated: bool,
    ) -> Option<Box<dyn Query>> {
        let (analyzer, targets) = match field {
            None => (
                &mut self.exact,
                vec![
                    (self.fields.title_exact, TITLE_WEIGHT),
                    (self.fields.body_exact, BODY_WEIGHT),
                    (self.fields.captions_exact, CAPTIONS_WEIGHT),
                ],
            ),
            Some(QueryField::Title) => (&mut self.exact, vec![(self.fields.title_exact, 1.0)]),
            Some(QueryField::Caption) => (&mut self.exact, vec![(self.fields.captions_exact, 1.0)]),
            // Bylines are names: no exact-form copy, the stemmed field is close enough.
            Some(QueryField::Byline) => (&mut self.stemmed, vec![(self.fields.byline, 1.0)]),
            Some(QueryField::Source) => return Some(self.source_query(text)),
        };
        let units = analyse(analyzer, text);
        if units.is_empty() {
            return None;
        }
        if !negated {
            let words: Vec<String> = units
                .iter()
                .filter_map(|unit| unit.terms.first().cloned())
                .collect();
            if field == Some(QueryField::Byline) {
                self.highlights.stemmed.extend(words);
            } else if words.len() == 1 {
                self.highlights.exact.extend(words);
            } else {
                self.highlights.phrases.push(words);
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
            crate::analysis::indonesian(),
            crate::analysis::exact(),
            &[],
        )
    }

    #[test]
    fn plain_words_are_highlighted_as_analysed() {
        let (_, fields) = crate::index::schema::build();
        let compiled = compiler(&fields).compile(&parse("Militernya -jakarta"));
        assert!(compiled.query.is_some());
        let mut expected = HashSet::new();
        let mut analyzer = crate::analysis::indonesian();
        let mut stream = analyzer.token_stream("Militernya");
        while let Some(token) = stream.next() {
            expected.insert(token.text.clone());
        }
        assert_eq!(compiled.highlights.stemmed, expected);
    }

    #[test]
    fn phrases_keep_exact_forms_in_order() {
        let (_, fields) = crate::index::schema::build();
        let compiled = compiler(&fields).compile(&parse(r#""Bekerja Sama" "militer""#));
        assert_eq!(compiled.highlights.phrases, vec![vec!["bekerja", "sama"]]);
        assert!(compiled.highlights.exact.contains("militer"));
        assert!(compiled.highlights.stemmed.is_empty());
    }

    #[test]
    fn nothing_to_match_is_none() {
        let (_, fields) = crate::index::schema::build();
        assert!(compiler(&fields).compile(&parse("")).query.is_none());
        assert!(compiler(&fields).compile(&parse("-  ()")).query.is_none());
        assert!(compiler(&fields).compile(&parse("-banjir")).query.is_some());
    }
}
