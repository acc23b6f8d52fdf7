//! Articles read back from the index: one by its id, every stored field of a document, and
//! what the index holds (documents, sources, date range), so that commands ask the library
//! instead of building tantivy queries.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use super::columns::source_names;
use super::schema::field;
use super::NewsIndex;
use crate::error::Result;

/// What an index holds.
#[derive(Clone, Debug)]
pub struct IndexStats {
    pub documents: usize,
    /// Every source name (lowercased, as indexed) with its number of live documents.
    pub sources: BTreeMap<String, usize>,
    pub earliest: Option<DateTime<FixedOffset>>,
    pub latest: Option<DateTime<FixedOffset>>,
}

/// The first text value of `field` in a stored document.
pub fn stored_text(document: &TantivyDocument, field: Field) -> Option<String> {
    document
        .get_first(field)
        .and_then(|value| value.as_str())
        .map(str::to_string)
}

impl NewsIndex {
    /// The stored article of a tantivy document.
    pub fn to_stored(&self, document: &TantivyDocument) -> StoredArticle {
        let fields = &self.fields;
        let text = |field| stored_text(document, field);
        StoredArticle {
            id: text(fields.id).unwrap_or_default(),
            path: text(fields.path).unwrap_or_default(),
            url: text(fields.url),
            source: text(fields.source),
            title: text(fields.title).unwrap_or_default(),
            byline: text(fields.byline),
            date: text(fields.date_text).and_then(|date| DateTime::parse_from_rfc3339(&date).ok()),
            date_inferred: document
                .get_first(fields.date_inferred)
                .and_then(|value| value.as_bool())
                .unwrap_or(false),
            body: text(fields.body).unwrap_or_default(),
            captions: document
                .get_all(fields.captions)
                .filter_map(|value| value.as_str())
                .map(str::to_string)
                .collect(),
            dateline: text(fields.dateline),
            language: text(fields.language),
            format: text(fields.format),
        }
    }

    /// The stored article with id `id` (its canonical URL, or its path in the corpus).
    pub fn get(&self, id: &str) -> Result<Option<StoredArticle>> {
        let searcher = self.reader()?.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|source| self.error(source))?;
        let Some((_, address)) = top.first() else {
            return Ok(None);
        };
        let document: TantivyDocument = searcher
            .doc(*address)
            .map_err(|source| self.error(source))?;
        Ok(Some(self.to_stored(&document)))
    }

    /// The number of documents, each source's count, and the earliest and latest dates.
    pub fn stats(&self) -> Result<IndexStats> {
        let searcher = self.reader()?.searcher();
        Ok(IndexStats {
            documents: searcher.num_docs() as usize,
            sources: self.source_counts(&searcher)?,
            earliest: self.date_at(&searcher, Order::Asc)?,
            latest: self.date_at(&searcher, Order::Desc)?,
        })
    }

    /// Every distinct term of the source field, counted over live documents.
    fn source_counts(&self, searcher: &Searcher) -> Result<BTreeMap<String, usize>> {
        let mut sources = BTreeMap::new();
        let mut names = BTreeSet::new();
        for segment in searcher.segment_readers() {
            names.extend(source_names(segment, &self.fields).map_err(|source| self.error(source))?);
        }
        for name in names {
            let query = TermQuery::new(
                Term::from_field_text(self.fields.source, &name),
                IndexRecordOption::Basic,
            );
            let count = searcher
                .search(&query, &Count)
                .map_err(|source| self.error(source))?;
            if count > 0 {
                sources.insert(name, count);
            }
        }
        Ok(sources)
    }

    /// The stored date of the first article in date `order`.
    fn date_at(&self, searcher: &Searcher, order: Order) -> Result<Option<DateTime<FixedOffset>>> {
        let collector =
            TopDocs::with_limit(1).order_by_fast_field::<tantivy::DateTime>(field::DATE, order);
        let top: Vec<(Option<tantivy::DateTime>, DocAddress)> = searcher
            .search(&AllQuery, &collector)
            .map_err(|source| self.error(source))?;
        let Some((Some(_), address)) = top.first() else {
            return Ok(None);
        };
        let document: TantivyDocument = searcher
            .doc(*address)
            .map_err(|source| self.error(source))?;
        Ok(self.to_stored(&document).date)
    }
}

/// An article as stored in the index.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StoredArticle {
    pub id: String,
    pub path: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: String,
    pub byline: Option<String>,
    pub date: Option<DateTime<FixedOffset>>,
    pub date_inferred: bool,
    pub body: String,
    pub captions: Vec<String>,
    pub dateline: Option<String>,
    pub language: Option<String>,
    pub format: Option<String>,
}
