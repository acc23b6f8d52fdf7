//! Facets: how many of a search's matching articles each outlet and each year holds.
//!
//! Every matching article counts, each outlet's copy of a story included (each outlet
//! published it), and the search's filters narrow the counts as they narrow the results. The
//! counting is tantivy's aggregation module over fast fields: a terms aggregation on the
//! outlet key (`outlet::Outlet::key`), with the outlet's readable name as a sub-aggregation,
//! and a histogram of local months twelve wide for years.
//!
//! ```no_run
//! # fn main() -> newsidx::Result<()> {
//! use newsidx::index::NewsIndex;
//! use newsidx::search::{facets, SearchRequest};
//! let news = NewsIndex::open(std::path::Path::new("index"))?;
//! let request = SearchRequest { query: "banjir".into(), ..SearchRequest::default() };
//! for outlet in facets(&news, &request)?.source {
//!     println!("{} {}", outlet.value, outlet.count);
//! }
//! # Ok(()) }
//! ```

use serde::Serialize;
use serde_json::json;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, AggregationResults, BucketResult};
use tantivy::aggregation::{AggContextParams, AggregationCollector, Key};
use tantivy::collector::Count;
use tantivy::query::Query;

use super::{known_sources, matching, SearchRequest};
use crate::error::Result;
use crate::index::NewsIndex;

/// Outlets listed by name; the rest are counted together as [`OTHERS`].
pub const TOP_OUTLETS: usize = 10;

/// The value under which every outlet past the first [`TOP_OUTLETS`] is counted, with the
/// articles that name no outlet at all.
pub const OTHERS: &str = "lainnya";

/// Outlets a segment reports to the terms aggregation: far more than an archive holds, so that
/// every outlet's count is exact, not estimated from each segment's leaders.
const OUTLETS_COUNTED: u32 = 10_000;

/// One value of a facet and how many matching articles have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetCount<V> {
    pub value: V,
    pub count: u64,
}

/// The matching articles counted by outlet and by year.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// The [`TOP_OUTLETS`] outlets with most matching articles (most first, ties by name),
    /// then [`OTHERS`] when any article is left.
    pub source: Vec<FacetCount<String>>,
    /// Every year holding a matching article (by its local date as published), earliest
    /// first; undated articles are in no year.
    pub year: Vec<FacetCount<i64>>,
}

/// Counts the articles `request` matches (its query and filters; paging, order and folding
/// of copies play no part) by outlet and by year.
pub fn facets(news: &NewsIndex, request: &SearchRequest) -> Result<Facets> {
    let searcher = news.reader()?.searcher();
    let columns = news.columns(&searcher);
    let known = known_sources(&columns);
    let filters: Vec<Box<dyn Query>> = matching::date_filter(news, request.since, request.until)
        .into_iter()
        .chain(matching::source_filter(news, &request.sources, &known))
        .collect();
    let (query, _) = matching::matching_query(news, &request.query, &known, &filters);
    let collector = AggregationCollector::from_aggs(
        aggregations(
            news,
            json!({
                "outlet": {
                    "terms": {
                        "field": "outlet",
                        "size": OUTLETS_COUNTED,
                        "segment_size": OUTLETS_COUNTED,
                    },
                    "aggs": { "name": { "terms": { "field": "outlet_name", "size": 1 } } }
                },
                "year": {
                    "histogram": { "field": "local_month", "interval": 12.0, "min_doc_count": 1 }
                }
            }),
        )?,
        AggContextParams::default(),
    );
    let (total, results) = searcher
        .search(&*query, &(Count, collector))
        .map_err(|source| news.error(source))?;
    Ok(Facets {
        source: outlets(&results, total as u64),
        year: years(&results),
    })
}

/// An aggregation request from its JSON form; a malformed one is a fault of this program.
pub(crate) fn aggregations(news: &NewsIndex, request: serde_json::Value) -> Result<Aggregations> {
    serde_json::from_value(request).map_err(|error| {
        news.error(tantivy::TantivyError::InvalidArgument(format!(
            "aggregation request: {error}"
        )))
    })
}

/// The top outlets by count with their readable names, and the others as one.
fn outlets(results: &AggregationResults, total: u64) -> Vec<FacetCount<String>> {
    let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) =
        results.0.get("outlet")
    else {
        return Vec::new();
    };
    let mut counts: Vec<FacetCount<String>> = buckets
        .iter()
        .map(|bucket| {
            let name = match bucket.sub_aggregation.0.get("name") {
                Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) => {
                    buckets.first().and_then(|name| match &name.key {
                        Key::Str(name) => Some(name.clone()),
                        _ => None,
                    })
                }
                _ => None,
            };
            let key = match &bucket.key {
                Key::Str(key) => key.clone(),
                other => format!("{other:?}"),
            };
            FacetCount {
                value: name.unwrap_or(key),
                count: bucket.doc_count,
            }
        })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    counts.truncate(TOP_OUTLETS);
    let listed: u64 = counts.iter().map(|outlet| outlet.count).sum();
    if total > listed {
        counts.push(FacetCount {
            value: OTHERS.to_string(),
            count: total - listed,
        });
    }
    counts
}

/// The numbered buckets of histogram `name` in `results`: (key, count), in key order.
pub(crate) fn histogram(results: &AggregationResults, name: &str) -> Vec<(i64, u64)> {
    let Some(AggregationResult::BucketResult(BucketResult::Histogram { buckets })) =
        results.0.get(name)
    else {
        return Vec::new();
    };
    let mut counts: Vec<(i64, u64)> = buckets
        .iter()
        .filter(|bucket| bucket.doc_count > 0)
        .filter_map(|bucket| {
            let key = match bucket.key {
                Key::F64(key) => key.round() as i64,
                Key::I64(key) => key,
                Key::U64(key) => i64::try_from(key).ok()?,
                Key::Str(_) => return None,
            };
            Some((key, bucket.doc_count))
        })
        .collect();
    counts.sort_unstable();
    counts
}

fn years(results: &AggregationResults) -> Vec<FacetCount<i64>> {
    histogram(results, "year")
        .into_iter()
        .map(|(month, count)| FacetCount {
            value: month.div_euclid(12),
            count,
        })
        .collect()
}
