//! The ranking model: how an article's score is made from the query's concepts.
//!
//! Basis: BM25F (Robertson, Zaragoza and Taylor, "Simple BM25 extension to multiple weighted
//! fields", 2004) for the text, with bounded features beside it, computed in a second stage
//! over the best candidates of a cheap first stage (two-stage re-ranking):
//!
//! 1. **First stage** (`search::candidates`): tantivy's BM25 over each field, summed, finds the
//!    [`RERANK_DEPTH`] best articles holding every word and the [`RERANK_DEPTH_PARTIAL`] best
//!    of the rest (a flat union of terms, block-max pruned). It only chooses who is rescored.
//! 2. **Second stage** ([`rescore`]): each candidate's per-field term frequencies, positions
//!    and field lengths are read from the index (postings moved forward along the sorted
//!    candidates; field norms), and its score is
//!    `text × coverage^COVERAGE + proximity + freshness`:
//!    - **Text** (BM25F): for each concept, the field-weighted frequencies, each field
//!      length-normalised on its own ([`FieldParams::b`]), are added *before* saturation
//!      ([`K1`]), then multiplied by the concept's idf, and the concepts' parts added. A title
//!      hit plus scattered mentions no longer saturates twice; an article about the topic,
//!      which repeats its words, wins. The sum over concepts is itself a soft, idf-weighted
//!      coverage: lacking a rare concept costs its large idf, lacking a common one little.
//!    - **Coverage**: the idf-weighted share of the query's concepts held, raised to
//!      [`COVERAGE`], multiplies the text. Measured: exponents 0.5, 1 and 2 each lowered
//!      newsroom_train on both halves (nDCG@10 0.837 at 0, 0.833 at 0.5, 0.819 at 2), so the
//!      exponent is 0 and coverage is only shown by `--explain`. No tier: the old all-words
//!      bonus put any article mentioning each word once above every article about the topic.
//!    - **Proximity**: for each pair of neighbouring concepts, BM25TP-style pair weights (1/d²
//!      for each occurrence within [`PROXIMITY_WINDOW`] positions, in the title and body)
//!      saturated as `x / (1 + x)`, times the pair's smaller idf and [`PROXIMITY`]. So a pair
//!      adds at most [`PROXIMITY`] × its smaller idf, less than one well-matched concept
//!      earns: proximity reorders close matches, never beats a clearly better one. Measured:
//!      without it newsroom_train nDCG@10 falls 0.837 → 0.812 (odd half 0.838 → 0.791).
//!    - **Freshness**: [`FRESHNESS`] times a decay over [`FRESHNESS_DAYS`] from the newest
//!      article, for queries of one concept only ([`FRESHNESS_CONCEPTS`]). A one-word query (a
//!      tag, a name: "banjir", "KPK") says nothing about which of the many articles holding
//!      the word is wanted, and text scores barely separate them: the latest coverage is the
//!      useful answer, as a newsroom's own search gives it. A query of several concepts
//!      describes a topic, whose best answers are often years old, so the date stays out.
//!      Measured: on newsroom_train (all of whose queries have several concepts) freshness
//!      for every query cost MRR@10 (0.939 without, 0.921 with; nDCG@10 level); on
//!      detik_keyword (one- and two-word tags whose labels are recent articles) nDCG@10 is
//!      0.758 without freshness, 0.800 with it at 0.3 on one-concept queries and 0.806 at 0.8,
//!      against 0.817 with it for every query. `--sort newest` is the way to ask for recent
//!      articles first.
//!    - **Feedback** (RM3-style pseudo-relevance feedback, [`FEEDBACK`]): for queries of
//!      [`FEEDBACK_MIN_CONCEPTS`] concepts or more, the [`FEEDBACK_TERMS`] words weighing most
//!      in the [`FEEDBACK_DOCS`] best articles (each word's share of its article times the
//!      article's share of their scores) join the query at a small weight, and the best
//!      [`FEEDBACK_RESCORED`] candidates are scored again. Measured: newsroom_train nDCG@10
//!      0.813 → 0.837, better on both halves (odd 0.812 → 0.838, even 0.814 → 0.835). On
//!      one-word queries it drifted (detik_keyword fell 0.806 → 0.770), hence the minimum.
//!
//! A **concept** is one query word (with every term its analysis gives at one position:
//! aliases; `a OR b` of words is one concept too), or a phrase: a quoted phrase, one written
//! word that analyses to several terms (an acronym such as "KPK", indexed as its long form; a
//! closed compound such as "kerjasama"; "Covid-19"), or a run of words that spells a listed
//! alias's long form ("Komisi Pemberantasan Korupsi"). A phrase concept counts its
//! occurrences in order as its frequency and counts once for coverage and proximity, so an
//! acronym and its long form are read alike.
//!
//! The parameters were chosen by two-fold cross-validation on newsroom_train's odd and even
//! query ids, with floors on the other sets (`examples/eval_search.rs --tune`); EVALUATION.md
//! has the figures.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, Term, TERMINATED};

use super::PhraseWord;
use crate::index::Fields;
use crate::search::top::Found;

/// Candidates rescored by the model from the first stage's list of articles holding every
/// word (and from its only list, for other queries). Past a few hundred, the lists hold
/// articles the model ranks far below the first page.
pub const RERANK_DEPTH: usize = 200;
/// Candidates rescored from the first stage's list of articles lacking a word, when the
/// query has an all-words list too: few of them reach the first page.
pub const RERANK_DEPTH_PARTIAL: usize = 100;

/// BM25F's saturation: how fast repeated occurrences stop adding (chosen on both folds).
pub const K1: f32 = 0.8;
/// A title occurrence counts this many body occurrences. At 1 (the fields merely added):
/// newsroom_train nDCG@10 0.837 → 0.809, detik_keyword 0.817 → 0.703.
pub const TITLE_WEIGHT: f32 = 9.0;
/// Length normalisation of the title: short and similar across articles, so little.
pub const TITLE_B: f32 = 0.3;
pub const BODY_WEIGHT: f32 = 1.0;
/// Length normalisation of the body; at 0.75 newsroom_train nDCG@10 falls 0.837 → 0.813.
pub const BODY_B: f32 = 0.5;
pub const CAPTIONS_WEIGHT: f32 = 0.5;
pub const CAPTIONS_B: f32 = 0.75;
pub const BYLINE_WEIGHT: f32 = 0.2;
pub const BYLINE_B: f32 = 0.5;
/// Exponent of the idf-weighted coverage that multiplies the text score.
pub const COVERAGE: f32 = 0.0;
/// Most a pair of neighbouring concepts adds, as a share of its smaller idf.
pub const PROXIMITY: f32 = 1.0;
/// Occurrences further apart than this many positions are not near.
pub const PROXIMITY_WINDOW: u32 = 8;
/// Most a result's date adds to a one-concept query's score (see the module note), where one
/// concept's part is 2–10.
pub const FRESHNESS: f32 = 0.8;
/// Weight of the best feedback word next to a query word (RM3-style expansion; see
/// [`FEEDBACK_DOCS`]).
pub const FEEDBACK: f32 = 0.1;
/// Days over which freshness falls to about a third.
pub const FRESHNESS_DAYS: f32 = 1000.0;
/// Freshness counts for queries of at most this many concepts (see the module note).
pub const FRESHNESS_CONCEPTS: usize = 1;

/// Weight and length normalisation of one field.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FieldParams {
    pub weight: f32,
    pub b: f32,
}

/// The model's parameters; [`Params::default`] is the tuned configuration, the same for
/// every query.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Params {
    pub k1: f32,
    pub title: FieldParams,
    pub body: FieldParams,
    pub captions: FieldParams,
    pub byline: FieldParams,
    pub coverage: f32,
    pub proximity: f32,
    pub proximity_window: u32,
    pub freshness: f32,
    pub freshness_days: f32,
    /// Most concepts a query may have for freshness to count (see [`FRESHNESS_CONCEPTS`]).
    pub freshness_concepts: usize,
    /// Weight of the pseudo-relevance feedback terms (0: none).
    pub feedback: f32,
    /// Candidates rescored from the articles holding every word ([`RERANK_DEPTH`]).
    pub rerank_depth: usize,
    /// Candidates rescored from the articles lacking a word ([`RERANK_DEPTH_PARTIAL`]).
    pub partial_depth: usize,
    /// Words of a long query whose terms find the candidates lacking a word
    /// ([`crate::search::rank::MAX_CANDIDATE_WORDS`]).
    pub candidate_words: usize,
}

impl Params {
    /// Sets one parameter from `name=value` (`title.weight=2`, `k1=1.0`, `rerank_depth=100`),
    /// for evaluation and benchmark runs; the names are the fields', fields of a field joined
    /// by a dot.
    pub fn set(&mut self, setting: &str) -> Result<(), String> {
        let (name, value) = setting
            .split_once('=')
            .ok_or_else(|| format!("{setting}: expected name=value"))?;
        let number: f32 = value
            .parse()
            .map_err(|_| format!("{setting}: not a number"))?;
        let whole = || {
            if number >= 0.0 && number.fract() == 0.0 {
                Ok(number as usize)
            } else {
                Err(format!("{setting}: not a whole number"))
            }
        };
        let slot = match name {
            "k1" => &mut self.k1,
            "title.weight" => &mut self.title.weight,
            "title.b" => &mut self.title.b,
            "body.weight" => &mut self.body.weight,
            "body.b" => &mut self.body.b,
            "captions.weight" => &mut self.captions.weight,
            "captions.b" => &mut self.captions.b,
            "byline.weight" => &mut self.byline.weight,
            "byline.b" => &mut self.byline.b,
            "coverage" => &mut self.coverage,
            "proximity" => &mut self.proximity,
            "freshness" => &mut self.freshness,
            "freshness_days" => &mut self.freshness_days,
            "feedback" => &mut self.feedback,
            "proximity_window" => {
                self.proximity_window = whole()? as u32;
                return Ok(());
            }
            "freshness_concepts" => {
                self.freshness_concepts = whole()?;
                return Ok(());
            }
            "rerank_depth" => {
                self.rerank_depth = whole()?;
                return Ok(());
            }
            "partial_depth" => {
                self.partial_depth = whole()?;
                return Ok(());
            }
            "candidate_words" => {
                self.candidate_words = whole()?;
                return Ok(());
            }
            other => return Err(format!("unknown parameter {other}")),
        };
        *slot = number;
        Ok(())
    }
}

impl Default for Params {
    fn default() -> Params {
        Params {
            k1: K1,
            title: FieldParams {
                weight: TITLE_WEIGHT,
                b: TITLE_B,
            },
            body: FieldParams {
                weight: BODY_WEIGHT,
                b: BODY_B,
            },
            captions: FieldParams {
                weight: CAPTIONS_WEIGHT,
                b: CAPTIONS_B,
            },
            byline: FieldParams {
                weight: BYLINE_WEIGHT,
                b: BYLINE_B,
            },
            coverage: COVERAGE,
            proximity: PROXIMITY,
            proximity_window: PROXIMITY_WINDOW,
            freshness: FRESHNESS,
            freshness_days: FRESHNESS_DAYS,
            freshness_concepts: FRESHNESS_CONCEPTS,
            rerank_depth: RERANK_DEPTH,
            partial_depth: RERANK_DEPTH_PARTIAL,
            candidate_words: crate::search::rank::MAX_CANDIDATE_WORDS,
            feedback: FEEDBACK,
        }
    }
}

/// What a concept is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConceptKind {
    /// One position: any of its terms.
    Word,
    /// Several positions in order.
    Phrase,
}

/// One unit of meaning in the query, scored and counted for coverage as one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Concept {
    /// The query text it came from.
    pub text: String,
    pub kind: ConceptKind,
    /// Its places: a word has one; a phrase one per term position, with gaps kept.
    pub places: Vec<PhraseWord>,
}

impl Concept {
    /// Positions from the first place to the last.
    fn span(&self) -> u32 {
        self.places.last().map_or(0, |place| place.offset as u32)
    }
}

/// The four text fields in the order the model reads them.
const FIELD_NAMES: [&str; 4] = ["title", "body", "captions", "byline"];

fn field_list(fields: &Fields, params: &Params) -> [(Field, FieldParams); 4] {
    [
        (fields.title, params.title),
        (fields.body, params.body),
        (fields.captions, params.captions),
        (fields.byline, params.byline),
    ]
}

/// One field's part of a concept's score in one article.
#[derive(Clone, Debug, Serialize)]
pub struct FieldPart {
    pub field: &'static str,
    /// Occurrences (of the phrase, for a phrase concept).
    pub tf: u32,
    /// The field's length in terms, as the index keeps it.
    pub length: u32,
    /// What the field adds to the concept's weighted frequency: weight · tf / normalisation.
    pub weighted_tf: f32,
}

/// One concept's part of an article's score.
#[derive(Clone, Debug, Serialize)]
pub struct ConceptPart {
    pub concept: String,
    /// A word added by pseudo-relevance feedback, not written in the query.
    pub feedback: bool,
    /// Its share of the text score: 1 for the query's own concepts.
    pub weight: f32,
    pub idf: f32,
    /// The fields where it occurs.
    pub fields: Vec<FieldPart>,
    /// weight · idf · saturated weighted frequency.
    pub score: f32,
}

/// An article's score broken into its parts: `score = text · coverage_factor + proximity +
/// freshness`.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    pub score: f32,
    pub text: f32,
    pub concepts: Vec<ConceptPart>,
    /// The idf-weighted share of concepts held.
    pub coverage: f32,
    /// coverage ^ the coverage exponent.
    pub coverage_factor: f32,
    pub proximity: f32,
    pub freshness: f32,
    /// Near-identical copies folded into this result (they add nothing to the score).
    pub folded_copies: usize,
}

/// The query's concepts with their collection statistics.
struct Prepared<'a> {
    concepts: &'a [Concept],
    /// The query's own concepts: the first this many; the rest are feedback terms.
    original: usize,
    /// Each concept's share of the text score: 1 for the query's own.
    weights: Vec<f32>,
    idf: Vec<f32>,
    /// Average length of each field over the index.
    average: [f32; 4],
    fields: [(Field, FieldParams); 4],
}

/// BM25's idf of a term held by `df` of `n` articles.
fn idf(df: u64, n: u64) -> f32 {
    let (df, n) = (df as f32, n as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

fn prepare<'a>(
    searcher: &Searcher,
    fields: &Fields,
    params: &Params,
    concepts: &'a [Concept],
) -> tantivy::Result<Prepared<'a>> {
    let list = field_list(fields, params);
    let n = searcher.num_docs().max(1);
    let mut average = [0.0; 4];
    for (at, (field, _)) in list.iter().enumerate() {
        let mut tokens = 0u64;
        for reader in searcher.segment_readers() {
            tokens += reader.inverted_index(*field)?.total_num_tokens();
        }
        average[at] = (tokens as f32 / n as f32).max(1.0);
    }
    let mut idfs = Vec::with_capacity(concepts.len());
    for concept in concepts {
        // Articles holding a place: the most of any field (the body holds nearly every
        // article's words); a phrase is held by at most as many as its rarest place.
        let mut phrase_df = u64::MAX;
        for place in &concept.places {
            let mut place_df = 0;
            for (field, _) in &list {
                let mut df = 0;
                for term in &place.terms {
                    df += searcher.doc_freq(&Term::from_field_text(*field, term))?;
                }
                place_df = place_df.max(df.min(n));
            }
            phrase_df = phrase_df.min(place_df);
        }
        let df = if phrase_df == u64::MAX { 0 } else { phrase_df };
        idfs.push(if df == 0 { 0.0 } else { idf(df, n) });
    }
    Ok(Prepared {
        concepts,
        original: concepts.len(),
        weights: vec![1.0; concepts.len()],
        idf: idfs,
        average,
        fields: list,
    })
}

/// Postings of one place's terms in one field of a segment.
type PlacePostings = Vec<SegmentPostings>;

/// A concept's occurrences in one field of one article.
#[derive(Clone, Debug, Default)]
struct Seen {
    tf: u32,
    /// Where each occurrence starts; only read where proximity or a phrase needs them.
    positions: Vec<u32>,
}

/// The occurrences of `concept` in one field of `doc`, from its places' postings; the
/// positions are read only `with_positions` or for a phrase (decoding them is most of the
/// cost of rescoring).
fn occurrences(
    concept: &Concept,
    postings: &mut [PlacePostings],
    doc: DocId,
    with_positions: bool,
    scratch: &mut Vec<u32>,
) -> Seen {
    if !with_positions && postings.len() == 1 {
        let mut tf = 0;
        for posting in postings[0].iter_mut() {
            if posting.doc() < doc {
                posting.seek(doc);
            }
            if posting.doc() == doc {
                tf += posting.term_freq();
            }
        }
        return Seen {
            tf,
            positions: Vec::new(),
        };
    }
    let mut places: Vec<Vec<u32>> = Vec::with_capacity(postings.len());
    for place in postings.iter_mut() {
        let mut positions = Vec::new();
        for posting in place.iter_mut() {
            if posting.doc() < doc {
                posting.seek(doc);
            }
            if posting.doc() == doc {
                posting.positions(scratch);
                positions.extend_from_slice(scratch);
            }
        }
        if positions.is_empty() {
            return Seen::default();
        }
        positions.sort_unstable();
        positions.dedup();
        places.push(positions);
    }
    let Some((first, rest)) = places.split_first() else {
        return Seen::default();
    };
    let positions: Vec<u32> = first
        .iter()
        .copied()
        .filter(|&start| {
            rest.iter()
                .zip(&concept.places[1..])
                .all(|(positions, place)| {
                    positions
                        .binary_search(&(start + place.offset as u32))
                        .is_ok()
                })
        })
        .collect();
    Seen {
        tf: positions.len() as u32,
        positions,
    }
}

/// BM25TP-style closeness of two concepts' occurrences: 1/d² for each occurrence of `b`
/// within `window` positions of an occurrence of `a` (d counted from the end of one to the
/// start of the other).
fn closeness(a: &[u32], a_span: u32, b: &[u32], b_span: u32, window: u32) -> f32 {
    let mut total = 0.0;
    for &start in b {
        let end = start + b_span;
        let mut best = u32::MAX;
        // The occurrences of `a` around `start`.
        let at = a.partition_point(|&p| p < start);
        for &other in a[at.saturating_sub(1)..(at + 1).min(a.len())].iter() {
            let distance = if other > end {
                other - end
            } else if other + a_span < start {
                start - (other + a_span)
            } else {
                // Overlapping: the same words (an alias inside a phrase); not proximity.
                continue;
            };
            best = best.min(distance);
        }
        if best <= window {
            total += 1.0 / (best as f32 * best as f32);
        }
    }
    total
}

/// Rescores `found` (best first on return, in their requested order) and, with `explain`,
/// returns each candidate's breakdown by address.
#[allow(clippy::too_many_arguments)]
pub fn rescore(
    searcher: &Searcher,
    fields: &Fields,
    params: &Params,
    concepts: &[Concept],
    found: &mut [Found],
    dates: &dyn Fn(DocAddress) -> Option<i64>,
    newest: Option<i64>,
    explain: bool,
) -> tantivy::Result<HashMap<DocAddress, Explanation>> {
    let explained = HashMap::new();
    if concepts.is_empty() || found.is_empty() {
        return Ok(explained);
    }
    let mut params = *params;
    if concepts.len() > params.freshness_concepts {
        params.freshness = 0.0;
    }
    let params = &params;
    let prepared = prepare(searcher, fields, params, concepts)?;
    let explained = score_all(searcher, &prepared, params, found, dates, newest, explain)?;
    // A one-word query's best articles share little beyond that word: feedback from them
    // drifts (measured on detik_keyword), so it is for queries of two concepts or more.
    if params.feedback <= 0.0 || concepts.len() < FEEDBACK_MIN_CONCEPTS {
        return Ok(explained);
    }
    let (expansion, weights) = feedback_terms(searcher, fields, concepts, found)?;
    if expansion.is_empty() {
        return Ok(explained);
    }
    let all: Vec<Concept> = concepts.iter().cloned().chain(expansion).collect();
    let mut prepared = prepare(searcher, fields, params, &all)?;
    prepared.original = concepts.len();
    prepared.weights = vec![1.0; concepts.len()];
    prepared
        .weights
        .extend(weights.into_iter().map(|weight| params.feedback * weight));
    // Feedback reorders the best candidates only: it adds to their scores, so the rest, ranked
    // below them already, stay below.
    let best = found.len().min(FEEDBACK_RESCORED);
    let mut rescored = score_all(
        searcher,
        &prepared,
        params,
        &mut found[..best],
        dates,
        newest,
        explain,
    )?;
    let mut explained = explained;
    explained.extend(rescored.drain());
    Ok(explained)
}

/// Candidates that feedback rescores, the best of the first scoring.
pub const FEEDBACK_RESCORED: usize = 50;

/// Articles whose words expand the query (pseudo-relevance feedback).
pub const FEEDBACK_DOCS: usize = 5;
/// Fewest concepts of a query that gets feedback.
pub const FEEDBACK_MIN_CONCEPTS: usize = 2;
/// Words added to the query by feedback.
pub const FEEDBACK_TERMS: usize = 8;

/// RM3-style expansion from the best `found` (already scored, best first): the words of
/// their bodies weighted by each word's share of its article times the article's share of
/// the scores, the query's own terms left out; each with its weight relative to the best.
fn feedback_terms(
    searcher: &Searcher,
    fields: &Fields,
    concepts: &[Concept],
    found: &[Found],
) -> tantivy::Result<(Vec<Concept>, Vec<f32>)> {
    use tantivy::schema::Value;
    let query_terms: std::collections::HashSet<&str> = concepts
        .iter()
        .flat_map(|concept| concept.places.iter())
        .flat_map(|place| place.terms.iter().map(String::as_str))
        .collect();
    let best = &found[..found.len().min(FEEDBACK_DOCS)];
    let total: f32 = best.iter().map(|found| found.score.max(0.0)).sum();
    if total <= 0.0 {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut analyzer = crate::analysis::indonesian_words();
    let mut weights: HashMap<String, f32> = HashMap::new();
    for candidate in best {
        let document: tantivy::TantivyDocument = searcher.doc(candidate.address)?;
        let mut counts: HashMap<String, u32> = HashMap::new();
        let mut length = 0u32;
        for field in [fields.title, fields.body] {
            let Some(text) = document.get_first(field).and_then(|value| value.as_str()) else {
                continue;
            };
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                length += 1;
                let term = &token.text;
                let useful = term.chars().count() >= 3
                    && term.chars().any(char::is_alphabetic)
                    && !query_terms.contains(term.as_str());
                if useful {
                    *counts.entry(term.clone()).or_default() += 1;
                }
            }
        }
        let share = candidate.score.max(0.0) / total;
        for (term, count) in counts {
            *weights.entry(term).or_default() += share * count as f32 / length.max(1) as f32;
        }
    }
    let mut ranked: Vec<(String, f32)> = weights.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(FEEDBACK_TERMS);
    let top = ranked
        .first()
        .map_or(1.0, |(_, weight)| *weight)
        .max(f32::MIN_POSITIVE);
    let concepts = ranked
        .iter()
        .map(|(term, _)| Concept {
            text: term.clone(),
            kind: ConceptKind::Word,
            places: vec![PhraseWord {
                offset: 0,
                terms: vec![term.clone()],
            }],
        })
        .collect();
    let weights = ranked.iter().map(|(_, weight)| weight / top).collect();
    Ok((concepts, weights))
}

/// Scores every candidate of `found` with the prepared concepts; sorts them best first.
fn score_all(
    searcher: &Searcher,
    prepared: &Prepared,
    params: &Params,
    found: &mut [Found],
    dates: &dyn Fn(DocAddress) -> Option<i64>,
    newest: Option<i64>,
    explain: bool,
) -> tantivy::Result<HashMap<DocAddress, Explanation>> {
    let mut explained = HashMap::new();
    let concepts = prepared.concepts;
    let mut order: Vec<(DocAddress, usize)> = found
        .iter()
        .enumerate()
        .map(|(at, found)| (found.address, at))
        .collect();
    order.sort_unstable();
    let mut scratch = Vec::new();
    for segment in order.chunk_by(|(a, _), (b, _)| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(segment[0].0.segment_ord);
        let mut norms = Vec::with_capacity(4);
        // postings[concept][field][place][term]
        let mut postings: Vec<Vec<Vec<PlacePostings>>> = Vec::with_capacity(concepts.len());
        for (field, _) in &prepared.fields {
            norms.push(reader.get_fieldnorms_reader(*field)?);
        }
        for concept in concepts {
            let mut by_field = Vec::with_capacity(4);
            for (field, _) in &prepared.fields {
                let inverted = reader.inverted_index(*field)?;
                let mut places = Vec::with_capacity(concept.places.len());
                for place in &concept.places {
                    let mut terms = Vec::with_capacity(place.terms.len());
                    for term in &place.terms {
                        let term = Term::from_field_text(*field, term);
                        if let Some(posting) = inverted
                            .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?
                        {
                            if posting.doc() != TERMINATED {
                                terms.push(posting);
                            }
                        }
                    }
                    places.push(terms);
                }
                by_field.push(places);
            }
            postings.push(by_field);
        }
        for &(address, at) in segment {
            let doc = address.doc_id;
            let lengths: Vec<u32> = norms.iter().map(|norm| norm.fieldnorm(doc)).collect();
            // seen[concept][field]; positions in the title and body, for proximity, when the
            // query has two concepts or more.
            let mut seen: Vec<Vec<Seen>> = Vec::with_capacity(concepts.len());
            for (at, (concept, by_field)) in concepts.iter().zip(postings.iter_mut()).enumerate() {
                let near = at < prepared.original && prepared.original > 1;
                seen.push(
                    by_field
                        .iter_mut()
                        .enumerate()
                        .map(|(field_at, places)| {
                            let with_positions = field_at < 2 && near;
                            occurrences(concept, places, doc, with_positions, &mut scratch)
                        })
                        .collect(),
                );
            }
            let date = dates(address);
            let explanation = score_one(prepared, params, &seen, &lengths, date, newest);
            found[at].score = explanation.score;
            if explain {
                explained.insert(address, explanation);
            }
        }
    }
    super::super::top::sort_best_first(found);
    Ok(explained)
}

/// The model's score of one article from its concepts' occurrences per field.
fn score_one(
    prepared: &Prepared,
    params: &Params,
    seen: &[Vec<Seen>],
    lengths: &[u32],
    date: Option<i64>,
    newest: Option<i64>,
) -> Explanation {
    let mut text = 0.0;
    let mut parts = Vec::new();
    let (mut held, mut all) = (0.0, 0.0);
    for (at, occurrences) in seen.iter().enumerate() {
        let idf = prepared.idf[at];
        if idf <= 0.0 {
            continue;
        }
        let own = at < prepared.original;
        if own {
            all += idf;
        }
        let mut weighted = 0.0;
        let mut field_parts = Vec::new();
        for (field_at, seen) in occurrences.iter().enumerate() {
            if seen.tf == 0 {
                continue;
            }
            let (_, field) = prepared.fields[field_at];
            let tf = seen.tf;
            let length = lengths.get(field_at).copied().unwrap_or(0);
            let norm =
                1.0 - field.b + field.b * length as f32 / prepared.average[field_at].max(1.0);
            let part = field.weight * tf as f32 / norm.max(0.05);
            weighted += part;
            field_parts.push(FieldPart {
                field: FIELD_NAMES[field_at],
                tf,
                length,
                weighted_tf: part,
            });
        }
        if weighted <= 0.0 {
            continue;
        }
        if own {
            held += idf;
        }
        let score =
            prepared.weights[at] * idf * weighted * (params.k1 + 1.0) / (params.k1 + weighted);
        text += score;
        parts.push(ConceptPart {
            concept: prepared.concepts[at].text.clone(),
            feedback: !own,
            weight: prepared.weights[at],
            idf,
            fields: field_parts,
            score,
        });
    }
    let coverage = if all > 0.0 { held / all } else { 0.0 };
    let coverage_factor = coverage.powf(params.coverage);
    let mut proximity = 0.0;
    for pair in 0..prepared.original.saturating_sub(1) {
        let (a, b) = (pair, pair + 1);
        let smaller = prepared.idf[a].min(prepared.idf[b]);
        if smaller <= 0.0 {
            continue;
        }
        let (span_a, span_b) = (prepared.concepts[a].span(), prepared.concepts[b].span());
        // Title and body, where the words are prose; the title weighted as its field.
        let mut near = 0.0;
        let body_weight = prepared.fields[1].1.weight.max(f32::EPSILON);
        let fields = prepared.fields.iter().zip(seen[a].iter().zip(&seen[b]));
        for ((_, field), (in_a, in_b)) in fields.take(2) {
            near += field.weight / body_weight
                * closeness(
                    &in_a.positions,
                    span_a,
                    &in_b.positions,
                    span_b,
                    params.proximity_window,
                );
        }
        proximity += params.proximity * smaller * near / (1.0 + near);
    }
    let freshness = match (date, newest) {
        (Some(date), Some(newest)) if params.freshness > 0.0 => {
            let age_days = (newest - date).max(0) as f32 / 86_400.0;
            params.freshness * (-age_days / params.freshness_days.max(1.0)).exp()
        }
        _ => 0.0,
    };
    Explanation {
        score: text * coverage_factor + proximity + freshness,
        text,
        concepts: parts,
        coverage,
        coverage_factor,
        proximity,
        freshness,
        folded_copies: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closeness_counts_near_occurrences_only() {
        // "a b" adjacent once, and far apart once.
        assert_eq!(closeness(&[3], 0, &[4], 0, 8), 1.0);
        assert_eq!(closeness(&[3], 0, &[40], 0, 8), 0.0);
        // b before a, two positions apart.
        assert_eq!(closeness(&[10], 0, &[8], 0, 8), 0.25);
        // A phrase of span 2 ending at 6, then b at 7.
        assert_eq!(closeness(&[4], 2, &[7], 0, 8), 1.0);
    }

    #[test]
    fn idf_falls_as_articles_holding_the_term_grow() {
        assert!(idf(1, 1000) > idf(10, 1000));
        assert!(idf(999, 1000) > 0.0);
    }
}
