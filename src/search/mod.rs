//! Search: parse a query, rank the articles, fold near-duplicates, and cut snippets with the
//! matched words marked.
//!
//! - [`query`] reads the query language (words, "phrases", `-not`, `OR`, `( )`, `field:`).
//! - [`rank`] turns it into one BM25 query with field weights and proximity boosts.
//! - [`filter`] reads `--since`/`--until` dates and finds the sources `--source` means.
//! - [`dedup`] fingerprints bodies so the same wire story is shown once.
//! - [`snippet`] picks and marks the passages.

pub mod dedup;
pub mod filter;
pub mod query;
pub mod rank;
pub mod snippet;

use std::ops::Bound;
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery};
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};

use crate::analysis::{ANALYZER_NAME, EXACT_ANALYZER_NAME};
use crate::error::Result;
use crate::index::NewsIndex;
use filter::DateBound;
use rank::Compiler;
pub use snippet::Snippet;

/// The order of results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Latest date first (undated articles last); ties by relevance.
    Newest,
    /// Earliest date first (undated articles last); ties by relevance.
    Oldest,
}

/// One search as asked for.
#[derive(Clone, Debug, Default)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    /// Only articles dated in or after this period.
    pub since: Option<DateBound>,
    /// Only articles dated in or before this period.
    pub until: Option<DateBound>,
    /// Only articles from these sources (any of them); see [`filter::matching_sources`].
    pub sources: Vec<String>,
    pub sort: Sort,
    /// Show every copy of a story instead of folding near-duplicates.
    pub keep_duplicates: bool,
}

/// Another copy of a result's story, folded into it.
#[derive(Clone, Debug, Serialize)]
pub struct Duplicate {
    pub id: String,
    pub source: Option<String>,
    pub url: Option<String>,
}

/// One ranked article.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub byline: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub path: String,
    pub snippets: Vec<Snippet>,
    /// Near-identical copies of this story elsewhere in the results, not listed as hits.
    pub duplicates: Vec<Duplicate>,
}

/// The answer to a [`SearchRequest`].
#[derive(Clone, Debug, Serialize)]
pub struct SearchResults {
    pub query: String,
    /// Articles that match, copies included.
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    /// What was set aside while reading a malformed query; for people, not in the JSON.
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// Runs `request` against `news`.
pub fn search(news: &NewsIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let fields = news.fields;
    let searcher = news.reader()?.searcher();
    let sources = known_sources(&searcher, news)?;
    let parsed = query::parse(&request.query);
    let (stemmed, exact) = analyzers(news);
    let compiled =
        Compiler::new(&fields, stemmed.clone(), exact.clone(), &sources).compile(&parsed);
    let mut notes = parsed.notes.clone();

    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    if request.since.is_some() || request.until.is_some() {
        let bound = |instant: chrono::DateTime<chrono::FixedOffset>| {
            Term::from_field_date(
                fields.date,
                tantivy::DateTime::from_timestamp_secs(instant.timestamp()),
            )
        };
        let lower = request.since.map_or(Bound::Unbounded, |since| {
            Bound::Included(bound(since.start()))
        });
        let upper = request.until.map_or(Bound::Unbounded, |until| {
            Bound::Excluded(bound(until.end()))
        });
        filters.push(Box::new(RangeQuery::new(lower, upper)));
    }
    if !request.sources.is_empty() {
        let any: Vec<Box<dyn Query>> = request
            .sources
            .iter()
            .map(|name| rank::source_filter(fields.source, name, &sources))
            .collect();
        filters.push(Box::new(BooleanQuery::union(any)));
    }

    let empty_query = parsed.clauses.is_empty();
    let base: Box<dyn Query> = match compiled.query {
        Some(query) => query,
        None if empty_query => Box::new(AllQuery),
        None => {
            notes.push("nothing in the query can match: every word was set aside".to_string());
            return Ok(SearchResults {
                query: request.query.clone(),
                total: 0,
                took_ms: started.elapsed().as_secs_f64() * 1000.0,
                hits: Vec::new(),
                notes,
            });
        }
    };
    let query: Box<dyn Query> = if filters.is_empty() {
        base
    } else {
        let mut parts = vec![(Occur::Must, base)];
        parts.extend(filters.into_iter().map(|filter| {
            let unscored: Box<dyn Query> = Box::new(ConstScoreQuery::new(filter, 0.0));
            (Occur::Must, unscored)
        }));
        Box::new(BooleanQuery::new(parts))
    };
    // A query with no words has no relevance to order by: newest first then.
    let sort = if empty_query && request.sort == Sort::Relevance {
        Sort::Newest
    } else {
        request.sort
    };

    let total = searcher
        .search(&*query, &Count)
        .map_err(|source| news.error(source))?;
    let wanted = request.offset + request.limit;
    let mut fetch = wanted * 2 + 20;
    let groups = loop {
        let ranked =
            ranked(&searcher, &*query, sort, fetch).map_err(|source| news.error(source))?;
        let groups = if request.keep_duplicates {
            ranked
                .iter()
                .map(|(_, address)| (*address, Vec::new()))
                .collect()
        } else {
            fold_duplicates(&searcher, &ranked)
        };
        let exhausted = ranked.len() < fetch || fetch >= total;
        if groups.len() >= wanted || exhausted {
            break groups
                .into_iter()
                .map(|(address, copies)| {
                    let score = ranked
                        .iter()
                        .find(|(_, at)| *at == address)
                        .map_or(0.0, |(score, _)| *score);
                    (score, address, copies)
                })
                .collect::<Vec<_>>();
        }
        fetch = (fetch * 4).min(total.max(fetch));
    };

    let mut marker = snippet::Marker::new(&compiled.highlights, stemmed, exact);
    let mut hits = Vec::new();
    for (at, (score, address, copies)) in groups
        .into_iter()
        .skip(request.offset)
        .take(request.limit)
        .enumerate()
    {
        let document: TantivyDocument =
            searcher.doc(address).map_err(|source| news.error(source))?;
        let stored = news.to_stored(&document);
        let snippets = marker.snippets(&stored.body, &stored.captions);
        let mut duplicates = Vec::new();
        for copy in copies {
            let document: TantivyDocument =
                searcher.doc(copy).map_err(|source| news.error(source))?;
            let text = |field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_str())
                    .map(str::to_string)
            };
            duplicates.push(Duplicate {
                id: text(fields.id).unwrap_or_default(),
                source: text(fields.source),
                url: text(fields.url),
            });
        }
        hits.push(Hit {
            rank: request.offset + at + 1,
            score,
            id: stored.id,
            title: stored.title,
            date: stored.date.map(|date| date.to_rfc3339()),
            byline: stored.byline,
            source: stored.source,
            url: stored.url,
            path: stored.path,
            snippets,
            duplicates,
        });
    }
    Ok(SearchResults {
        query: request.query.clone(),
        total,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        notes,
    })
}

/// The analyzers registered on the index, so queries are analysed exactly as documents were.
fn analyzers(news: &NewsIndex) -> (TextAnalyzer, TextAnalyzer) {
    let tokenizers = news.index.tokenizers();
    (
        tokenizers
            .get(ANALYZER_NAME)
            .unwrap_or_else(crate::analysis::indonesian),
        tokenizers
            .get(EXACT_ANALYZER_NAME)
            .unwrap_or_else(crate::analysis::exact),
    )
}

/// Every source name in the index (lowercased, as indexed).
fn known_sources(searcher: &Searcher, news: &NewsIndex) -> Result<Vec<String>> {
    let mut sources = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(news.fields.source)
            .map_err(|source| news.error(source))?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(|source| news.error(source.into()))?;
        while terms.advance() {
            if let Ok(name) = std::str::from_utf8(terms.key()) {
                sources.insert(name.to_string());
            }
        }
    }
    Ok(sources.into_iter().collect())
}

/// The best `limit` matches in `sort` order, with their BM25 scores.
fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    limit: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let newest = newest_date(searcher);
    let collector =
        TopDocs::with_limit(limit.max(1)).tweak_score(move |segment: &SegmentReader| {
            let dates = segment.fast_fields().date("date").ok();
            move |doc: DocId, score: Score| {
                let date = dates
                    .as_ref()
                    .and_then(|column| column.first(doc))
                    .map(|date| date.into_timestamp_secs());
                let order = match (sort, date) {
                    (Sort::Relevance, _) => 0,
                    (_, None) => i64::MIN,
                    (Sort::Newest, Some(seconds)) => seconds,
                    (Sort::Oldest, Some(seconds)) => -seconds,
                };
                (order, score + rank::freshness(date, newest))
            }
        });
    let found = searcher.search(query, &collector)?;
    Ok(found
        .into_iter()
        .map(|((_, score), address)| (score, address))
        .collect())
}

/// The latest article date in the index, in seconds: "recent" is measured from it, so an
/// archive ranks the same whenever it is searched.
fn newest_date(searcher: &Searcher) -> Option<i64> {
    searcher
        .segment_readers()
        .iter()
        .filter_map(|segment| segment.fast_fields().date("date").ok())
        .filter(|column| column.num_docs() > 0 && column.values.num_vals() > 0)
        .map(|column| column.max_value().into_timestamp_secs())
        .max()
}

/// Groups ranked results by story: each kept address with the addresses of its copies.
fn fold_duplicates(
    searcher: &Searcher,
    ranked: &[(Score, DocAddress)],
) -> Vec<(DocAddress, Vec<DocAddress>)> {
    let mut columns = Vec::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        columns.push((
            fast.u64("fingerprint").ok(),
            fast.date("date").ok(),
            fast.u64("site").ok(),
        ));
    }
    let prints: Vec<dedup::Item> = ranked
        .iter()
        .map(|(_, address)| {
            let (sketches, dates, sites) = match columns.get(address.segment_ord as usize) {
                Some((sketches, dates, sites)) => {
                    (sketches.as_ref(), dates.as_ref(), sites.as_ref())
                }
                None => (None, None, None),
            };
            let mut sketch: Vec<u64> = sketches
                .map(|column| column.values_for_doc(address.doc_id).collect())
                .unwrap_or_default();
            sketch.sort_unstable();
            let date = dates
                .and_then(|column| column.first(address.doc_id))
                .map(|date| date.into_timestamp_secs());
            let site = sites.and_then(|column| column.first(address.doc_id));
            dedup::Item { sketch, date, site }
        })
        .collect();
    dedup::collapse(&prints)
        .into_iter()
        .map(|(kept, copies)| {
            (
                ranked[kept].1,
                copies.into_iter().map(|copy| ranked[copy].1).collect(),
            )
        })
        .collect()
}
