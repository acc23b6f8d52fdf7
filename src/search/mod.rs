//! Search: parse a query, rank the articles, fold near-duplicates, and cut snippets with the
//! matched words marked.
//!
//! - [`query`] reads the query language (words, "phrases", `-not`, `OR`, `( )`, `field:`).
//! - [`rank`] turns it into one BM25 query with field weights and proximity boosts.
//! - [`any_field`] is one word looked up in every text field, cheap to seek.
//! - [`filter`] reads `--since`/`--until` dates and finds the sources `--source` means.
//! - [`dedup`] fingerprints bodies so the same wire story is shown once.
//! - [`top`] collects the best candidates in the requested order.
//! - [`snippet`] picks and marks the passages.

pub mod any_field;
pub mod dedup;
pub mod filter;
pub mod query;
pub mod rank;
pub mod snippet;
pub mod top;

use std::collections::HashSet;
use std::ops::Bound;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, RangeQuery,
};
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Searcher, SeekDangerResult, TantivyDocument, Term, TERMINATED};

use crate::analysis::ANALYZER_NAME;
use crate::error::Result;
use crate::index::columns::SegmentColumns;
use crate::index::NewsIndex;
use filter::DateBound;
use rank::Compiler;
pub use snippet::Snippet;
use top::{Found, TopCandidates};

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
    let columns = news.columns(&searcher);
    let sources = known_sources(&columns);
    let parsed = query::parse(&request.query);
    let (words, full) = analyzers(news);
    let compiled = Compiler::new(&fields, words, full, &sources).compile(&parsed);
    let mut notes = parsed.notes.clone();
    if let Some(reason) = &news.outdated {
        notes.push(format!(
            "the index was built by another version of newsidx ({reason}); results may miss \
             until `newsidx ingest` rebuilds it"
        ));
    }

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
    let any_word = compiled.any_word.filter(|_| filters.is_empty());
    let query = filtered(base, &filters);
    let all_words = compiled
        .all_words
        .map(|all_words| filtered(all_words, &filters));
    let plan = Plan {
        query: &*query,
        all_words: all_words.as_deref(),
        any_word: any_word.as_deref(),
        columns: &columns,
    };
    // A query with no words has no relevance to order by: newest first then.
    let sort = if empty_query && request.sort == Sort::Relevance {
        Sort::Newest
    } else {
        request.sort
    };

    // Proximity is scored for a window of the best candidates, so that window is fetched
    // even when fewer results are wanted.
    let window = if compiled.proximity.is_empty() {
        0
    } else {
        PROXIMITY_WINDOW
    };
    let wanted = request.offset + request.limit;
    // Room for a few copies to fold away (when more fold, the loop asks for four times as
    // many). Kept small, 20 for a page of 10: the all-words shortcut needs at least this many
    // articles holding every word, and the pruned union gets slower as its list grows.
    let mut fetch = wanted * 3 / 2 + 5;
    let (total, groups) = loop {
        let (total, mut found) = candidates(&searcher, &plan, sort, fetch, fetch.max(window))
            .map_err(|source| news.error(source))?;
        add_proximity(&searcher, &compiled.proximity, &mut found)
            .map_err(|source| news.error(source))?;
        // Past `fetch` the order is only known when every match is in the list.
        let exhausted = found.len() >= total;
        if !exhausted {
            found.truncate(fetch);
        }
        let groups = if request.keep_duplicates {
            found
                .iter()
                .map(|candidate| (candidate.address, Vec::new()))
                .collect()
        } else {
            fold_duplicates(&columns, &found)
        };
        if groups.len() >= wanted || exhausted {
            let groups = groups
                .into_iter()
                .map(|(address, copies)| {
                    let score = found
                        .iter()
                        .find(|candidate| candidate.address == address)
                        .map_or(0.0, |candidate| candidate.score);
                    (score, address, copies)
                })
                .collect::<Vec<_>>();
            break (total, groups);
        }
        fetch = (fetch * 4).min(total.max(fetch));
    };

    let mut marker = snippet::Marker::new(&compiled.highlights);
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

/// The analyzers of plain query words (no stopwords) and of phrases (the index's own, so
/// they are analysed exactly as documents were).
fn analyzers(news: &NewsIndex) -> (TextAnalyzer, TextAnalyzer) {
    let full = news
        .index
        .tokenizers()
        .get(ANALYZER_NAME)
        .unwrap_or_else(crate::analysis::indonesian);
    (crate::analysis::indonesian_words(), full)
}

/// Every source name in the index (lowercased, as indexed).
fn known_sources(columns: &[Arc<SegmentColumns>]) -> Vec<String> {
    let sources: std::collections::BTreeSet<&String> = columns
        .iter()
        .flat_map(|segment| &segment.sources)
        .collect();
    sources.into_iter().cloned().collect()
}

/// How many of the best candidates get their proximity boosts scored. Boosts reorder
/// articles that hold the query's words; one ranked below this many on its words alone
/// rarely climbs into the first page.
const PROXIMITY_WINDOW: usize = 200;

/// `query` restricted to the articles every one of `filters` lets through, which add nothing
/// to the score.
fn filtered(query: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    if filters.is_empty() {
        return query;
    }
    let mut parts = vec![(Occur::Must, query)];
    parts.extend(filters.iter().map(|filter| {
        let unscored: Box<dyn Query> = Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0));
        (Occur::Must, unscored)
    }));
    Box::new(BooleanQuery::new(parts))
}

/// The ways to find the best matches of one query, cheapest first.
struct Plan<'a> {
    /// Everything the request asks for, filters included.
    query: &'a dyn Query,
    /// The articles holding every word, filters included (see [`rank::Compiled::all_words`]).
    all_words: Option<&'a dyn Query>,
    /// A flat union of the words' terms, when the request is only plain words and no filters.
    any_word: Option<&'a dyn Query>,
    /// Each segment's columns, in segment order.
    columns: &'a [Arc<SegmentColumns>],
}

/// The best `limit` matches in `sort` order (at least the best `needed` exactly, the rest
/// to be reordered by proximity), and how many match in all.
///
/// Ranked by relevance, the articles holding every word come before all others (see
/// [`rank::ALL_WORDS_BONUS`]; proximity cannot undo that). When there are at least `needed` of
/// them the list is made of them alone, and the rest are only counted, not scored: in a large
/// archive most articles that hold one common word of a question lack another. When there
/// are fewer, the rest of the list comes from the flat union of the words' terms, where
/// postings that cannot reach the list are skipped; of the articles lacking a word, only the
/// best `needed` by their words are then in the list for proximity to reorder. Other requests
/// score every match.
fn candidates(
    searcher: &Searcher,
    plan: &Plan,
    sort: Sort,
    needed: usize,
    limit: usize,
) -> tantivy::Result<(usize, Vec<Found>)> {
    if sort != Sort::Relevance {
        return ranked(searcher, plan.query, plan.columns, sort, limit);
    }
    let mut holding_all = Vec::new();
    if let Some(all_words) = plan.all_words {
        let (count, mut found) = ranked(searcher, all_words, plan.columns, sort, limit)?;
        for candidate in &mut found {
            candidate.score += rank::ALL_WORDS_BONUS;
        }
        if count >= needed {
            let total = searcher.search(plan.any_word.unwrap_or(plan.query), &Count)?;
            return Ok((total, found));
        }
        holding_all = found;
    }
    let Some(any_word) = plan.any_word else {
        return ranked(searcher, plan.query, plan.columns, sort, limit);
    };
    // Articles lacking a word only fill the rest of the list, after every article holding
    // them all: those are left out of the union's list, so it is exactly as long as needed.
    let holding: HashSet<DocAddress> = holding_all.iter().map(|found| found.address).collect();
    let collector = TopCandidates {
        limit: needed - holding_all.len(),
        sort,
        newest: newest(plan.columns),
        columns: plan.columns,
        prune: true,
        except: &holding,
    };
    let (_, best) = searcher.search(any_word, &collector)?;
    let total = searcher.search(any_word, &Count)?;
    let mut found = holding_all;
    found.extend(best);
    top::sort_best_first(&mut found);
    found.truncate(limit.max(needed));
    Ok((total, found))
}

/// The best `limit` matches in `sort` order, scoring every match, and how many match in all.
fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    columns: &[Arc<SegmentColumns>],
    sort: Sort,
    limit: usize,
) -> tantivy::Result<(usize, Vec<Found>)> {
    let collector = TopCandidates {
        limit,
        sort,
        newest: newest(columns),
        columns,
        prune: false,
        except: &HashSet::new(),
    };
    searcher.search(query, &collector)
}

/// The latest article date in the index, in seconds: "recent" is measured from it, so an
/// archive ranks the same whenever it is searched.
fn newest(columns: &[Arc<SegmentColumns>]) -> Option<i64> {
    columns.iter().filter_map(|segment| segment.newest).max()
}

/// Adds each proximity boost to the candidates it matches, then puts them back in order.
/// The boosts are looked up in the candidates only: a phrase query over every article holding
/// a common word is the dearest part of a search in a large archive.
fn add_proximity(
    searcher: &Searcher,
    boosts: &[Box<dyn Query>],
    ranked: &mut [Found],
) -> tantivy::Result<()> {
    if boosts.is_empty() || ranked.is_empty() {
        return Ok(());
    }
    let scoring = EnableScoring::enabled_from_searcher(searcher);
    let weights = boosts
        .iter()
        .map(|boost| boost.weight(scoring))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut by_address: Vec<(DocAddress, usize)> = ranked
        .iter()
        .enumerate()
        .map(|(at, found)| (found.address, at))
        .collect();
    by_address.sort_unstable();
    for segment in by_address.chunk_by(|(a, _), (b, _)| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(segment[0].0.segment_ord);
        let first = segment[0].0.doc_id;
        for weight in &weights {
            // A phrase scorer made the usual way first finds the segment's first match, which
            // in a large segment costs more than checking every candidate. Made "around" the
            // first candidate, and moved by `seek_danger`, it only answers whether each
            // candidate matches (see `DocSet::seek_danger` for the rules followed here).
            let (mut found, mut scorer) = weight.scorer_danger(reader, first, 1.0)?;
            for (step, &(DocAddress { doc_id: doc, .. }, at)) in segment.iter().enumerate() {
                if step > 0 {
                    match found {
                        SeekDangerResult::SeekLowerBound(TERMINATED) => break,
                        SeekDangerResult::SeekLowerBound(bound) if doc < bound => continue,
                        // A scorer never moves back: what it passed over does not match.
                        _ if doc < scorer.doc() => continue,
                        _ => found = scorer.seek_danger(doc),
                    }
                }
                if found == SeekDangerResult::Found {
                    ranked[at].score += scorer.score();
                }
            }
        }
    }
    top::sort_best_first(ranked);
    Ok(())
}

/// Groups ranked results by story: each kept address with the addresses of its copies.
fn fold_duplicates(
    columns: &[Arc<SegmentColumns>],
    ranked: &[Found],
) -> Vec<(DocAddress, Vec<DocAddress>)> {
    let prints: Vec<dedup::Item> = ranked
        .iter()
        .map(|Found { address, .. }| {
            let Some(segment) = columns.get(address.segment_ord as usize) else {
                return dedup::Item::default();
            };
            let doc = address.doc_id;
            let mut sketch: Vec<u64> = segment
                .fingerprints
                .as_ref()
                .map(|column| column.values_for_doc(doc).map(dedup::from_column).collect())
                .unwrap_or_default();
            sketch.sort_unstable();
            let date = segment
                .dates
                .as_ref()
                .and_then(|column| column.first(doc))
                .map(|date| date.into_timestamp_secs());
            let site = segment.sites.as_ref().and_then(|column| column.first(doc));
            dedup::Item { sketch, date, site }
        })
        .collect();
    dedup::collapse(&prints)
        .into_iter()
        .map(|(kept, copies)| {
            (
                ranked[kept].address,
                copies
                    .into_iter()
                    .map(|copy| ranked[copy].address)
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Format};
    use crate::index::Access;

    /// An open test archive with what the tests read of it.
    struct Archive {
        _folder: tempfile::TempDir,
        news: NewsIndex,
        searcher: Searcher,
        columns: Vec<Arc<SegmentColumns>>,
    }

    impl Archive {
        fn compile(&self, text: &str) -> rank::Compiled {
            let (words, full) = analyzers(&self.news);
            Compiler::new(&self.news.fields, words, full, &[]).compile(&query::parse(text))
        }
    }

    /// A small archive from a few words, so that some word sets are in many articles, some
    /// in a few and some in none; two segments, dates spread over two years.
    fn archive() -> Archive {
        let folder = tempfile::tempdir().expect("temporary folder");
        let news = NewsIndex::create_dir(folder.path(), &folder.path().join("gen"), Access::Search)
            .expect("index created");
        let words: Vec<&str> = "banjir jakarta presiden harga beras pemilu gempa sekolah timnas \
            ekspor kopi pelabuhan militer kerja sama nelayan"
            .split_whitespace()
            .collect();
        let mut writer = news.index.writer(50_000_000).expect("writer");
        let mut state: u64 = 7;
        let mut next = |below: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % below
        };
        for at in 0..400 {
            let mut article = Article::new(&format!("a{at}.txt"), Format::Text);
            let title: Vec<&str> = (0..3).map(|_| words[next(words.len())]).collect();
            // Earlier words are likelier, as in real text.
            let body: Vec<&str> = (0..40 + next(60))
                .map(|_| {
                    let common = 1 + next(words.len());
                    words[next(common)]
                })
                .collect();
            article.title = title.join(" ");
            article.body = body.join(" ");
            // Later files are mostly newer, as in an archive walked folder by folder.
            let day = at as i64 * 3 / 2 + next(120) as i64;
            article.date = chrono::DateTime::parse_from_rfc3339("2023-01-01T08:00:00+07:00")
                .ok()
                .map(|date| date + chrono::Duration::days(day));
            writer
                .add_document(news.to_document(&article))
                .expect("added");
            if at == 200 {
                writer.commit().expect("first segment");
            }
        }
        writer.commit().expect("second segment");
        let searcher = news.reader().expect("reader").searcher();
        let columns = news.columns(&searcher);
        Archive {
            _folder: folder,
            news,
            searcher,
            columns,
        }
    }

    /// Proximity added by moving one scorer per phrase along the candidates is what a fresh
    /// scorer for each candidate finds.
    #[test]
    fn proximity_is_scored_as_fresh_scorers_score_it() {
        let archive = archive();
        let Archive {
            searcher, columns, ..
        } = &archive;
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let mut boosted = 0;
        for text in [
            "kerja sama",
            "harga beras naik",
            "nelayan pelabuhan kopi ekspor gempa",
        ] {
            let compiled = archive.compile(text);
            assert!(!compiled.proximity.is_empty(), "{text:?}");
            let query = compiled.query.expect("a query");
            let (_, found) =
                ranked(searcher, &*query, columns, Sort::Relevance, 120).expect("ranked");
            let mut expected = found.clone();
            for candidate in &mut expected {
                let reader = searcher.segment_reader(candidate.address.segment_ord);
                for boost in &compiled.proximity {
                    // A fresh scorer for each candidate, moved by plain `seek` only.
                    let weight = boost.weight(scoring).expect("weight");
                    let mut scorer = weight.scorer(reader, 1.0).expect("scorer");
                    let doc = candidate.address.doc_id;
                    if scorer.doc() < doc {
                        scorer.seek(doc);
                    }
                    if scorer.doc() == doc {
                        candidate.score += scorer.score();
                        boosted += 1;
                    }
                }
            }
            top::sort_best_first(&mut expected);
            let mut got = found;
            add_proximity(searcher, &compiled.proximity, &mut got).expect("boosted");
            assert_eq!(got.len(), expected.len());
            for (got, want) in got.iter().zip(&expected) {
                assert_eq!(got.address, want.address, "{text:?}");
                assert!((got.score - want.score).abs() < 1e-3, "{text:?}");
            }
        }
        assert!(boosted > 0);
    }

    /// The reference: tantivy's own top-docs collector over every match of `query`, scored
    /// with the freshness prior, and its own count.
    fn scoring_everything(
        searcher: &Searcher,
        query: &dyn Query,
        newest: Option<i64>,
        limit: usize,
    ) -> (usize, Vec<Found>) {
        let collector = tantivy::collector::TopDocs::with_limit(limit).tweak_score(
            move |segment: &tantivy::SegmentReader| {
                let dates = segment.fast_fields().date("date").ok();
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    let date = dates
                        .as_ref()
                        .and_then(|column| column.first(doc))
                        .map(|date| date.into_timestamp_secs());
                    score + rank::freshness(date, newest)
                }
            },
        );
        let (total, best) = searcher
            .search(query, &(Count, collector))
            .expect("searched");
        let found = best
            .into_iter()
            .map(|(score, address)| Found {
                order: 0,
                score,
                address,
            })
            .collect();
        (total, found)
    }

    /// The best `needed` candidates as the shortcuts find them are the best as tantivy's own
    /// collector finds them scoring every match of the full query: scores in order, and the
    /// count. (Proximity is checked by `proximity_is_scored_as_fresh_scorers_score_it`.)
    #[test]
    fn shortcuts_find_what_scoring_every_match_finds() {
        let archive = archive();
        let Archive {
            searcher, columns, ..
        } = &archive;
        let newest = newest(columns);
        let queries = [
            "banjir",
            "banjir jakarta",
            "presiden harga beras",
            "nelayan pelabuhan kopi ekspor",
            "kerja sama militer timnas sekolah",
            "gempa nelayan militer pelabuhan kopi ekspor sama",
        ];
        let mut shortcuts = 0;
        for text in queries {
            let compiled = archive.compile(text);
            let query = compiled.query.expect("a query");
            let fast = Plan {
                query: &*query,
                all_words: compiled.all_words.as_deref(),
                any_word: compiled.any_word.as_deref(),
                columns,
            };
            for needed in [1, 5, 20, 60] {
                let (total, mut found) =
                    candidates(searcher, &fast, Sort::Relevance, needed, needed * 2)
                        .expect("searched");
                found.truncate(needed);
                let (expected_total, expected) =
                    scoring_everything(searcher, &*query, newest, needed);
                assert_eq!(total, expected_total, "{text:?}");
                assert_eq!(found.len(), expected.len(), "{text:?}, {needed}");
                for (got, want) in found.iter().zip(&expected) {
                    assert!(
                        (got.score - want.score).abs() < 0.01,
                        "{text:?}, {needed}: {found:?} against {expected:?}"
                    );
                }
                shortcuts += usize::from(fast.any_word.is_some() && fast.all_words.is_some());
            }
        }
        assert!(shortcuts > 0);
    }
}
