//! Coverage over time: how many articles match each query in each period, beside how many
//! articles the archive holds in that period, so that the share shows attention in an archive
//! whose volume is uneven.
//!
//! Periods follow each article's own local date as published ([`crate::period`]); `since` and
//! `until` select by that date too, so a period is always counted whole. Every period from the
//! first to the last is listed, empty ones included. The counting is tantivy's histogram
//! aggregation over the local day or month fast field, one pass per query and one for the
//! totals.
//!
//! ```no_run
//! # fn main() -> newsidx::Result<()> {
//! use newsidx::index::NewsIndex;
//! use newsidx::period::Period;
//! use newsidx::search::{trend, TrendRequest};
//! let news = NewsIndex::open(std::path::Path::new("index"))?;
//! let request = TrendRequest {
//!     queries: vec!["banjir".into(), "longsor".into()],
//!     by: Period::Year,
//!     ..TrendRequest::default()
//! };
//! for bucket in &trend(&news, &request)?.series[0].buckets {
//!     println!("{} {} of {}", bucket.period, bucket.count, bucket.total);
//! }
//! # Ok(()) }
//! ```

use std::collections::HashMap;

use serde::Serialize;
use serde_json::json;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::query::{AllQuery, Query};
use tantivy::Searcher;

use super::facets::{aggregations, histogram};
use super::filter::DateBound;
use super::{filtered, known_sources, matching};
use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::period::{Period, MONDAY_OFFSET};

/// Periods one trend may list: ten years of days over again. A longer span (an archive with a
/// stray date centuries off, by day) asks for `--since`/`--until` or longer periods.
pub const MAX_PERIODS: i64 = 40_000;

/// One trend as asked for.
#[derive(Clone, Debug, Default)]
pub struct TrendRequest {
    /// One series per query, in this order.
    pub queries: Vec<String>,
    pub by: Period,
    /// Only articles of this period or later (by their local date).
    pub since: Option<DateBound>,
    /// Only articles of this period or earlier (by their local date).
    pub until: Option<DateBound>,
    /// Only articles of these outlets or desks (any of them), as `--source` reads them.
    pub sources: Vec<String>,
}

/// One period of one series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendBucket {
    /// `2023-01-05`, `2023-W01`, `2023-01` or `2023`.
    pub period: String,
    /// The period's first day, `YYYY-MM-DD`.
    pub start: String,
    /// Articles matching the query in the period.
    pub count: u64,
    /// Articles in the period, matching or not (the same outlet and date filters apply).
    pub total: u64,
    /// `count / total`; 0 for a period with no article.
    pub share: f64,
}

/// The periods of one query.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub query: String,
    pub buckets: Vec<TrendBucket>,
}

/// The answer to a [`TrendRequest`]: every series over the same periods.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trend {
    pub by: Period,
    pub series: Vec<Series>,
    /// What was set aside while reading malformed queries; for people, not in the JSON.
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// Counts, period by period, the articles each query of `request` matches and all articles.
pub fn trend(news: &NewsIndex, request: &TrendRequest) -> Result<Trend> {
    let searcher = news.reader()?.searcher();
    let columns = news.columns(&searcher);
    let known = known_sources(&columns);
    let filters: Vec<Box<dyn Query>> =
        matching::local_date_filter(news, request.since, request.until)
            .into_iter()
            .chain(matching::source_filter(news, &request.sources, &known))
            .collect();
    let by = request.by;
    let totals = counts(
        news,
        &searcher,
        &*filtered(Box::new(AllQuery), &filters),
        by,
    )?;
    let first = request
        .since
        .map(|since| by.of_date(since.start().date_naive()))
        .or_else(|| totals.keys().min().copied());
    let last = request
        .until
        .and_then(|until| until.end().date_naive().pred_opt())
        .map(|day| by.of_date(day))
        .or_else(|| totals.keys().max().copied());
    let periods = match (first, last) {
        (Some(first), Some(last)) if last - first >= MAX_PERIODS => {
            return Err(Error::Usage(format!(
                "{} {}s from {} to {} are too many to list; narrow them with --since and \
                 --until, or count by longer periods with --by",
                last - first + 1,
                by.name(),
                by.label(first),
                by.label(last)
            )));
        }
        (Some(first), Some(last)) => first..=last,
        #[allow(clippy::reversed_empty_ranges)]
        _ => 1..=0,
    };
    let mut notes = Vec::new();
    let mut series = Vec::new();
    for text in &request.queries {
        let (query, query_notes) = matching::matching_query(news, text, &known, &filters);
        notes.extend(
            query_notes
                .into_iter()
                .map(|note| format!("{text:?}: {note}")),
        );
        let matched = counts(news, &searcher, &*query, by)?;
        let buckets = periods
            .clone()
            .map(|number| {
                let count = matched.get(&number).copied().unwrap_or(0);
                let total = totals.get(&number).copied().unwrap_or(0);
                TrendBucket {
                    period: by.label(number),
                    start: by
                        .start(number)
                        .map(|day| day.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    count,
                    total,
                    share: if total == 0 {
                        0.0
                    } else {
                        count as f64 / total as f64
                    },
                }
            })
            .collect();
        series.push(Series {
            query: text.clone(),
            buckets,
        });
    }
    Ok(Trend { by, series, notes })
}

/// The articles `query` matches in each period that holds any, by period number.
fn counts(
    news: &NewsIndex,
    searcher: &Searcher,
    query: &dyn Query,
    by: Period,
) -> Result<HashMap<i64, u64>> {
    let (field, interval, offset) = match by {
        Period::Day => ("local_day", 1, 0),
        Period::Week => ("local_day", 7, MONDAY_OFFSET),
        Period::Month => ("local_month", 1, 0),
        Period::Year => ("local_month", 12, 0),
    };
    let mut histogram_request = json!({
        "field": field,
        "interval": interval as f64,
        // Empty periods are filled in by the caller, over the whole span asked for.
        "min_doc_count": 1,
    });
    if offset != 0 {
        histogram_request["offset"] = json!(offset as f64);
    }
    let collector = AggregationCollector::from_aggs(
        aggregations(
            news,
            json!({ "periods": { "histogram": histogram_request } }),
        )?,
        AggContextParams::default(),
    );
    let results = searcher
        .search(query, &collector)
        .map_err(|source| news.error(source))?;
    // A bucket's key is the first local day or month of its period.
    Ok(histogram(&results, "periods")
        .into_iter()
        .map(|(key, count)| {
            let number = match by {
                Period::Day => key,
                Period::Week => (key - MONDAY_OFFSET).div_euclid(7),
                Period::Month => key,
                Period::Year => key.div_euclid(12),
            };
            (number, count)
        })
        .collect())
}
