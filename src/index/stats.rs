//! What an index holds: its article count, sources, date range and size, for `newsidx stats`
//! and the server's `/api/stats`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use super::columns::source_names;
use super::{size_on_disk, NewsIndex};
use crate::error::Result;

/// The figures `newsidx stats --json` prints.
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// The index folder as it was named.
    pub index: String,
    pub documents: usize,
    /// Articles per source name (as indexed, lowercased).
    pub sources: BTreeMap<String, usize>,
    pub earliest: Option<String>,
    pub latest: Option<String>,
    pub size_bytes: u64,
}

/// The statistics of `news` as `searcher` sees it.
pub fn collect(news: &NewsIndex, searcher: &Searcher) -> Result<Stats> {
    let documents = searcher.num_docs() as usize;

    // Sources: every distinct term of the source field, counted over live documents.
    let mut sources = BTreeMap::new();
    let mut names = BTreeSet::new();
    for segment in searcher.segment_readers() {
        names.extend(source_names(segment, &news.fields).map_err(|source| news.error(source))?);
    }
    for name in names {
        let query = TermQuery::new(
            Term::from_field_text(news.fields.source, &name),
            IndexRecordOption::Basic,
        );
        let count = searcher
            .search(&query, &Count)
            .map_err(|source| news.error(source))?;
        if count > 0 {
            sources.insert(name, count);
        }
    }

    let date_at = |order: Order| -> Result<Option<String>> {
        let collector =
            TopDocs::with_limit(1).order_by_fast_field::<tantivy::DateTime>("date", order);
        let top: Vec<(Option<tantivy::DateTime>, DocAddress)> = searcher
            .search(&AllQuery, &collector)
            .map_err(|source| news.error(source))?;
        let Some((Some(_), address)) = top.first() else {
            return Ok(None);
        };
        let document: TantivyDocument = searcher
            .doc(*address)
            .map_err(|source| news.error(source))?;
        Ok(news.to_stored(&document).date.map(|date| date.to_rfc3339()))
    };
    Ok(Stats {
        index: news.path.display().to_string(),
        documents,
        sources,
        earliest: date_at(Order::Asc)?,
        latest: date_at(Order::Desc)?,
        size_bytes: size_on_disk(&news.path),
    })
}
