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
//! - A quoted phrase is the index analyzer's terms in order, stopwords included: "kerja sama
//!   dengan militer" finds "bekerja sama dengan militer" and "kerjasama dengan militer", not
//!   "kerja sama militer". Like plain words, it finds every form of its words.
//! - A query whose plain words are all stopwords looks them up as they are (the index keeps
//!   stopwords) instead of returning nothing.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur as TantivyOccur,
    PhraseQuery, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::any_field::AnyField;
use super::filter::matching_sources;
use super::query::{Clause, Node, Occur, ParsedQuery, QueryField};
use crate::analysis::FastSet;
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
    /// Index terms marked wherever they stand (plain words, one-word phrases). Looked up for
    /// every word of every shown article, so hashed with FNV rather than SipHash.
    pub terms: FastSet<String>,
    /// Quoted phrases, marked only where all their terms stand in order.
    pub phrases: Vec<Vec<PhraseWord>>,
}

/// One place of a quoted phrase: its distance in positions from the phrase's first place,
/// and the terms that may stand there.
#[derive(Clone, Debug, PartialEq, Eq)]
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
            proximity: Vec::new(),
            all_words: None,
            any_word: None,
        }
    }

    /// Compiles `parsed`, keeping stopwords when its words are nothing else.
    pub fn compile(mut self, parsed: &ParsedQuery) -> Compiled {
        let query = self.sequence(&parsed.clauses, false, true);
        let positive_words = has_positive_words(&parsed.clauses);
        if positive_words && !self.word_terms && !self.stopwords_only {
            self.stopwords_only = true;
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
            optional.push(Box::new(AnyField::new(unit_terms)));
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
