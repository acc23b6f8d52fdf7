//! Reads every live article of an index as (id, title, source file key) triples, straight
//! from tantivy, so that tests can compare two indexes article for article.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use newsidx::index::NewsIndex;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// One article as the comparison sees it: its id, its title and the key of its file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub file: String,
}

/// Every live article of the index at `index`, sorted (duplicates kept, so a doubled article
/// shows as two equal rows).
pub fn rows(index: &Path) -> Vec<Row> {
    let news = NewsIndex::open(index).expect("open index");
    let reader = news.index.reader().expect("reader");
    let searcher = reader.searcher();
    let mut rows = Vec::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(0).expect("store");
        let files = segment
            .fast_fields()
            .str("ingest_file")
            .expect("ingest_file column")
            .expect("ingest_file is a string column");
        for doc in segment.doc_ids_alive() {
            let document: TantivyDocument = store.get(doc).expect("stored document");
            let text = |field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let mut file = String::new();
            if let Some(ordinal) = files.term_ords(doc).next() {
                files.ord_to_str(ordinal, &mut file).expect("file key");
            }
            rows.push(Row {
                id: text(news.fields.id),
                title: text(news.fields.title),
                file,
            });
        }
    }
    rows.sort();
    rows
}

/// How many live articles carry each id; an id held twice is a doubled article.
pub fn id_counts(rows: &[Row]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for row in rows {
        *counts.entry(row.id.clone()).or_insert(0) += 1;
    }
    counts
}
