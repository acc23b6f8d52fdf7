//! The set of articles a request matches, as one unscored query: what facets and trends count.
//!
//! Search ranks the same set (see [`super::search`]); here it is only narrowed, by the query's
//! own words and by the filters: a date range and the outlets or desks `--source` names.

use std::ops::Bound;

use tantivy::query::{AllQuery, BooleanQuery, EmptyQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::filter::DateBound;
use super::{analyzers, filtered, query, rank, Compiler};
use crate::index::NewsIndex;
use crate::outlet::{self, Selection};

/// Articles from any of the sources `names` means, or none when `names` is empty.
///
/// A name selects, each way the index can tell: the articles whose page-given source it names
/// ([`super::filter::matching_sources`], as before outlets were indexed), and the outlet it
/// names with all its desks, or one desk by its full host (`finance.detik.com`).
pub fn source_filter(
    news: &NewsIndex,
    names: &[String],
    known: &[String],
) -> Option<Box<dyn Query>> {
    if names.is_empty() {
        return None;
    }
    let fields = news.fields;
    // An index written before outlets were indexed has no such fields (until rebuilt).
    let has_outlets = news.index.schema().get_field("outlet").is_ok();
    let mut any: Vec<Box<dyn Query>> = Vec::new();
    for name in names {
        any.push(rank::source_filter(fields.source, name, known));
        let selected = match outlet::selection(name) {
            Some(_) if !has_outlets => None,
            Some(Selection::Host(host)) => Some(Term::from_field_text(fields.host, &host)),
            Some(Selection::Outlet(key)) => Some(Term::from_field_text(fields.outlet, &key)),
            None => None,
        };
        if let Some(term) = selected {
            any.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
    }
    Some(Box::new(BooleanQuery::union(any)))
}

/// Articles dated from the start of `since` to the end of `until` (instants, as search
/// narrows); none when neither is given.
pub fn date_filter(
    news: &NewsIndex,
    since: Option<DateBound>,
    until: Option<DateBound>,
) -> Option<Box<dyn Query>> {
    if since.is_none() && until.is_none() {
        return None;
    }
    let bound = |instant: chrono::DateTime<chrono::FixedOffset>| {
        Term::from_field_date(
            news.fields.date,
            tantivy::DateTime::from_timestamp_secs(instant.timestamp()),
        )
    };
    let lower = since.map_or(Bound::Unbounded, |since| {
        Bound::Included(bound(since.start()))
    });
    let upper = until.map_or(Bound::Unbounded, |until| {
        Bound::Excluded(bound(until.end()))
    });
    Some(Box::new(RangeQuery::new(lower, upper)))
}

/// Articles whose local date as published lies in the days `since` to `until` name (the
/// calendar of the article's own offset, as trends count it); none when neither is given.
pub fn local_date_filter(
    news: &NewsIndex,
    since: Option<DateBound>,
    until: Option<DateBound>,
) -> Option<Box<dyn Query>> {
    if since.is_none() && until.is_none() {
        return None;
    }
    let day = |date: chrono::DateTime<chrono::FixedOffset>| {
        Term::from_field_i64(
            news.fields.local_day,
            crate::period::day_number(date.date_naive()),
        )
    };
    let lower = since.map_or(Bound::Unbounded, |since| {
        Bound::Included(day(since.start()))
    });
    let upper = until.map_or(Bound::Unbounded, |until| Bound::Excluded(day(until.end())));
    Some(Box::new(RangeQuery::new(lower, upper)))
}

/// The articles `text` matches (every article for a query with no words), narrowed by
/// `filters`; none when nothing in the query can match. Also the notes of a lenient reading.
pub fn matching_query(
    news: &NewsIndex,
    text: &str,
    known: &[String],
    filters: &[Box<dyn Query>],
) -> (Box<dyn Query>, Vec<String>) {
    let parsed = query::parse(text);
    let (words, full) = analyzers(news);
    let compiled = Compiler::new(&news.fields, words, full, known).compile(&parsed);
    let base: Box<dyn Query> = match compiled.query {
        Some(query) => query,
        None if parsed.clauses.is_empty() => Box::new(AllQuery),
        None => Box::new(EmptyQuery),
    };
    (filtered(base, filters), parsed.notes)
}
