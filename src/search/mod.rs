//! Search: parse a query, rank the articles, fold near-duplicates, and cut snippets with the
//! matched words marked.
//!
//! - [`query`] reads the query language (words, "phrases", `-not`, `OR`, `( )`, `field:`).
//! - [`rank`] reads it into a first-stage BM25 query and the query's concepts; [`rank::model`]
//!   is the ranking model that rescores the first stage's best candidates.
//! - [`any_field`] is one word looked up in every text field, cheap to seek.
//! - [`filter`] reads `--since`/`--until` dates and finds the sources `--source` means.
//! - [`dedup`] fingerprints bodies so the same wire story is shown once.
//! - [`top`] collects the best candidates in the requested order.
//! - [`snippet`] picks and marks the passages.
//! - [`matching`] is the set a request matches, unscored; [`facets`] counts it by outlet and
//!   year, [`trend`] by period, and [`chart`] draws a trend.
//! - [`heading`] is what an article is shown under, a lead's words when it has no title.

pub mod any_field;
pub mod chart;
pub mod dedup;
pub mod facets;
pub mod filter;
pub mod heading;
pub mod matching;
pub mod query;
pub mod rank;
pub mod snippet;
pub mod top;
pub mod trend;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::analysis::ANALYZER_NAME;
use crate::error::Result;
use crate::index::columns::SegmentColumns;
use crate::index::stored::stored_text;
use crate::index::NewsIndex;
pub use facets::{facets, Facets};
use filter::DateBound;
use rank::model::{self, Concept, Explanation, Params};
use rank::Compiler;
pub use snippet::Snippet;
use top::{Found, TopCandidates};
pub use trend::{trend, Trend, TrendRequest};

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
    /// Break each hit's score into its parts ([`Hit::explain`], [`SearchResults::explain`]).
    pub explain: bool,
    /// The ranking model's parameters; the default is the tuned configuration.
    pub ranking: Params,
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
    /// The score's parts, when asked for ([`SearchRequest::explain`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Explanation>,
    /// What to show as its heading: the title, or its lead's first words when it has none.
    #[serde(skip)]
    pub heading: heading::Heading,
}

/// The query as the engine read it, and the model that scored it.
#[derive(Clone, Debug, Serialize)]
pub struct QueryReading {
    /// Words and phrases scored and counted for coverage, each with its index terms.
    pub concepts: Vec<Concept>,
    pub parameters: Params,
}

/// The answer to a [`SearchRequest`].
#[derive(Clone, Debug, Serialize)]
pub struct SearchResults {
    pub query: String,
    /// Articles that match, copies included.
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    /// How the query was read, when an explanation was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<QueryReading>,
    /// What was set aside while reading a malformed query; for people, not in the JSON.
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl SearchResults {
    /// The results as `search --json` prints them and `/api/search` serves them, without the
    /// line end.
    pub fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(self)
    }
}

/// The byte ranges of every form of `query`'s words (and of its phrases) in each of `texts`,
/// as search results mark them: for showing a whole article opened from a result.
pub fn mark(news: &NewsIndex, query: &str, texts: &[&str]) -> Result<Vec<Vec<[usize; 2]>>> {
    let searcher = news.reader()?.searcher();
    let columns = news.columns(&searcher);
    let sources = known_sources(&columns);
    let parsed = query::parse(query);
    let (words, full) = analyzers(news);
    let compiled = Compiler::new(&news.fields, words, full, &sources).compile(&parsed);
    let mut marker = snippet::Marker::new(&compiled.highlights);
    Ok(texts.iter().map(|text| marker.marks(text)).collect())
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

    let filters: Vec<Box<dyn Query>> = matching::date_filter(news, request.since, request.until)
        .into_iter()
        .chain(matching::source_filter(news, &request.sources, &sources))
        .collect();

    // A long query's candidates lacking a word come from its rarest words (filters applied),
    // a short one's from the union of all its words when nothing filters them.
    let rarest = compiled
        .rarest_words(&searcher, &fields, request.ranking.candidate_words)
        .map(|union| filtered(union, &filters));
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
                explain: None,
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
        rarest: rarest.as_deref(),
        columns: &columns,
    };
    // A query with no words has no relevance to order by: newest first then.
    let sort = if empty_query && request.sort == Sort::Relevance {
        Sort::Newest
    } else {
        request.sort
    };

    // The model rescores the first stage's best candidates (see `rank::model`), so that many
    // are fetched even when fewer results are wanted.
    let (depth, partial_depth) = if compiled.concepts.is_empty() {
        (0, 0)
    } else {
        (request.ranking.rerank_depth, request.ranking.partial_depth)
    };
    let newest = newest(&columns);
    let date_of = |address: DocAddress| date_of(&columns, address);
    let wanted = request.offset + request.limit;
    // Room for a few copies to fold away (when more fold, the loop asks for four times as
    // many).
    let mut fetch = wanted * 3 / 2 + 5;
    let mut listed = 0;
    let (total, groups, mut explained) = loop {
        let (total, mut found) = candidates(
            &searcher,
            &plan,
            sort,
            fetch.max(depth),
            fetch.max(partial_depth),
        )
        .map_err(|source| news.error(source))?;
        let explained = model::rescore(
            &searcher,
            &fields,
            &request.ranking,
            &compiled.concepts,
            &mut found,
            &date_of,
            newest,
            request.explain,
        )
        .map_err(|source| news.error(source))?;
        // Past `fetch` the order is only known when every match is in the list; a list that
        // stopped growing holds every candidate there is (a long query's candidates come from
        // its rarest words only, so it may hold fewer than `total`).
        let exhausted = found.len() >= total || found.len() <= listed;
        listed = found.len();
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
            break (total, groups, explained);
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
            let text = |field| stored_text(&document, field);
            duplicates.push(Duplicate {
                id: text(fields.id).unwrap_or_default(),
                source: text(fields.source),
                url: text(fields.url),
            });
        }
        hits.push(Hit {
            heading: heading::heading(&stored.title, &stored.body),
            rank: request.offset + at + 1,
            score,
            id: stored.id,
            title: stored.title,
            date: stored.date.map(|date| date.to_rfc3339()),
            byline: stored.byline,
            source: stored.source,
            url: stored.url,
            path: stored.path,
            explain: explained.remove(&address).map(|mut explanation| {
                explanation.folded_copies = duplicates.len();
                explanation
            }),
            snippets,
            duplicates,
        });
    }
    Ok(SearchResults {
        query: request.query.clone(),
        total,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        explain: request.explain.then(|| QueryReading {
            concepts: compiled.concepts.clone(),
            parameters: request.ranking,
        }),
        notes,
    })
}

/// An article's date in seconds, from its segment's columns.
fn date_of(columns: &[Arc<SegmentColumns>], address: DocAddress) -> Option<i64> {
    columns
        .get(address.segment_ord as usize)?
        .dates
        .as_ref()?
        .first(address.doc_id)
        .map(|date| date.into_timestamp_secs())
}

/// The analyzers of plain query words (no stopwords) and of phrases (the index's own, so
/// they are analysed exactly as documents were).
pub(crate) fn analyzers(news: &NewsIndex) -> (TextAnalyzer, TextAnalyzer) {
    let full = news
        .index
        .tokenizers()
        .get(ANALYZER_NAME)
        .unwrap_or_else(crate::analysis::indonesian);
    (crate::analysis::indonesian_words(), full)
}

/// Every source name in the index (lowercased, as indexed).
pub(crate) fn known_sources(columns: &[Arc<SegmentColumns>]) -> Vec<String> {
    let sources: std::collections::BTreeSet<&String> = columns
        .iter()
        .flat_map(|segment| &segment.sources)
        .collect();
    sources.into_iter().cloned().collect()
}

/// `query` restricted to the articles every one of `filters` lets through, which add nothing
/// to the score.
pub(crate) fn filtered(query: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
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
    /// For a query of many words, the union of its rarest words' terms, filters included:
    /// where the candidates lacking a word come from (see [`rank::MAX_CANDIDATE_WORDS`]).
    rarest: Option<&'a dyn Query>,
    /// Each segment's columns, in segment order.
    columns: &'a [Arc<SegmentColumns>],
}

/// The first stage: the best `limit` matches in `sort` order by BM25, and how many match in
/// all.
///
/// By relevance, when the query has several words, the best `limit` articles holding every
/// word and the best `partial` of the others are found apart and both kept: holding every word
/// is not enough to rank first (see [`rank::model`]), but in a large archive most articles
/// holding one common word of a question lack another, and the intersection finds the former
/// cheaply. The others come from the flat union of the words' terms, where postings that
/// cannot reach the list are skipped. Other requests score every match.
fn candidates(
    searcher: &Searcher,
    plan: &Plan,
    sort: Sort,
    limit: usize,
    partial: usize,
) -> tantivy::Result<(usize, Vec<Found>)> {
    if sort != Sort::Relevance {
        return ranked(searcher, plan.query, plan.columns, sort, limit);
    }
    let mut holding_all = Vec::new();
    let mut others = limit;
    if let Some(all_words) = plan.all_words {
        let (_, found) = ranked(searcher, all_words, plan.columns, sort, limit)?;
        holding_all = found;
        others = partial;
    }
    let holding: HashSet<DocAddress> = holding_all.iter().map(|found| found.address).collect();
    // A long query's rarest words, or all the words, in one flat union that skips postings;
    // the count is of everything the words match either way.
    let (total, best) = match plan.rarest.or(plan.any_word) {
        Some(union) => {
            let collector = TopCandidates {
                limit: others,
                sort,
                columns: plan.columns,
                prune: true,
                except: &holding,
            };
            let (_, best) = searcher.search(union, &collector)?;
            let counted = plan.any_word.unwrap_or(plan.query);
            (searcher.search(counted, &Count)?, best)
        }
        None => {
            let (total, best) = ranked(searcher, plan.query, plan.columns, sort, limit)?;
            let best = best
                .into_iter()
                .filter(|found| !holding.contains(&found.address))
                .take(others)
                .collect();
            (total, best)
        }
    };
    let mut found = holding_all;
    found.extend(best);
    top::sort_best_first(&mut found);
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

    /// The reference: tantivy's own top-docs collector over every match of `query`, and its
    /// own count.
    fn scoring_everything(
        searcher: &Searcher,
        query: &dyn Query,
        limit: usize,
    ) -> (usize, Vec<Found>) {
        let collector = tantivy::collector::TopDocs::with_limit(limit).order_by_score();
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
    /// count.
    #[test]
    fn shortcuts_find_what_scoring_every_match_finds() {
        let archive = archive();
        let Archive {
            searcher, columns, ..
        } = &archive;
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
                rarest: None,
                columns,
            };
            for needed in [1, 5, 20, 60] {
                let (total, mut found) =
                    candidates(searcher, &fast, Sort::Relevance, needed, needed).expect("searched");
                found.truncate(needed);
                let (expected_total, expected) = scoring_everything(searcher, &*query, needed);
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

    /// A long query takes its candidates lacking a word from the union of its rarest words'
    /// title and body terms, and still counts every article any word matches; `a OR b` of
    /// plain words stays in the flat union, each alternative a word of its own.
    #[test]
    fn a_long_query_finds_candidates_by_its_rarest_words_and_counts_every_match() {
        let archive = archive();
        let Archive {
            searcher,
            columns,
            news,
            ..
        } = &archive;
        let fields = &news.fields;
        let words = [
            "banjir", "jakarta", "presiden", "harga", "beras", "pemilu", "gempa", "sekolah",
            "timnas", "ekspor",
        ];
        let compiled = archive.compile(&words.join(" "));
        assert_eq!(compiled.word_terms.len(), words.len());
        assert!(compiled
            .rarest_words(searcher, fields, words.len())
            .is_none());
        let rarest = compiled
            .rarest_words(searcher, fields, 3)
            .expect("narrowed to three words");
        let prose = |word: &str| -> Box<dyn Query> {
            Box::new(BooleanQuery::union(
                [fields.title, fields.body]
                    .into_iter()
                    .map(|field| {
                        Box::new(tantivy::query::TermQuery::new(
                            tantivy::Term::from_field_text(field, word),
                            tantivy::schema::IndexRecordOption::Basic,
                        )) as Box<dyn Query>
                    })
                    .collect(),
            ))
        };
        let holding = |word: &str| searcher.search(&*prose(word), &Count).expect("counted");
        let mut by_count: Vec<(usize, &str)> =
            words.iter().map(|word| (holding(word), *word)).collect();
        by_count.sort();
        assert!(
            by_count[2].0 < by_count[3].0,
            "a tie at the cut: {by_count:?}"
        );
        let three: Vec<Box<dyn Query>> =
            by_count[..3].iter().map(|(_, word)| prose(word)).collect();
        let expected = searcher
            .search(&BooleanQuery::union(three), &Count)
            .expect("counted");
        assert_eq!(
            searcher.search(&*rarest, &Count).expect("counted"),
            expected
        );

        let query = compiled.query.as_deref().expect("a query");
        let plan = Plan {
            query,
            all_words: compiled.all_words.as_deref(),
            any_word: compiled.any_word.as_deref(),
            rarest: Some(&*rarest),
            columns,
        };
        let (total, found) = candidates(searcher, &plan, Sort::Relevance, 20, 20).expect("found");
        assert_eq!(total, scoring_everything(searcher, query, 1).0);
        assert!(!found.is_empty());

        let chain = archive.compile("banjir OR jakarta OR presiden OR yang");
        assert!(chain.any_word.is_some());
        assert_eq!(chain.word_terms.len(), 3);
        assert_eq!(chain.concepts.len(), 1);
    }

    /// The model scores a candidate the same whether it is rescored among many (postings moved
    /// forward along the sorted candidates) or alone, and orders the list best first.
    #[test]
    fn rescoring_many_candidates_scores_each_as_rescoring_it_alone() {
        let archive = archive();
        let Archive {
            searcher,
            columns,
            news,
            ..
        } = &archive;
        let newest = newest(columns);
        let dates = |address: DocAddress| date_of(columns, address);
        // Feedback would depend on which candidates are scored together: left out here.
        let params = Params {
            feedback: 0.0,
            ..Params::default()
        };
        let mut checked = 0;
        for text in [
            "banjir",
            "harga beras",
            "kerja sama militer",
            "nelayan \"kopi ekspor\"",
        ] {
            let compiled = archive.compile(text);
            assert!(!compiled.concepts.is_empty(), "{text:?}");
            let query = compiled.query.expect("a query");
            let (_, mut found) =
                ranked(searcher, &*query, columns, Sort::Relevance, 150).expect("ranked");
            let alone: Vec<(DocAddress, f32)> = found
                .iter()
                .map(|candidate| {
                    let mut one = [*candidate];
                    model::rescore(
                        searcher,
                        &news.fields,
                        &params,
                        &compiled.concepts,
                        &mut one,
                        &dates,
                        newest,
                        false,
                    )
                    .expect("rescored");
                    (one[0].address, one[0].score)
                })
                .collect();
            model::rescore(
                searcher,
                &news.fields,
                &params,
                &compiled.concepts,
                &mut found,
                &dates,
                newest,
                false,
            )
            .expect("rescored");
            assert!(found.windows(2).all(|pair| pair[0].score >= pair[1].score));
            for (address, score) in alone {
                let together = found
                    .iter()
                    .find(|candidate| candidate.address == address)
                    .expect("still listed");
                assert!((together.score - score).abs() < 1e-4, "{text:?}");
                assert!(score > 0.0, "{text:?}: a match scored nothing");
                checked += 1;
            }
        }
        assert!(checked > 200, "{checked}");
    }
}
