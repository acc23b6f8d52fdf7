//! What a search reads of every segment besides postings, opened once per segment and kept
//! for as long as the segment is live: the fast-field columns read for each candidate (date,
//! sketch, site) and the segment's source names.
//!
//! Opening a column parses its header, which for a large segment's sketch column is tens of
//! thousands of block descriptions; doing that for every segment on every search cost more
//! than folding the duplicates itself.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DateTime, Searcher, SegmentReader};

use super::schema::field;
use super::Fields;

/// One segment's columns; a column is `None` in an index written without it.
pub struct SegmentColumns {
    pub dates: Option<Column<DateTime>>,
    /// The body sketches (see `search::dedup`), several values per article.
    pub fingerprints: Option<Column<u64>>,
    pub sites: Option<Column<u64>>,
    /// The segment's latest article date, in seconds.
    pub newest: Option<i64>,
    /// Source names as indexed (lowercased).
    pub sources: Vec<String>,
}

impl SegmentColumns {
    fn open(reader: &SegmentReader, fields: &Fields) -> SegmentColumns {
        let fast = reader.fast_fields();
        let dates = fast.date(field::DATE).ok();
        let newest = dates
            .as_ref()
            .filter(|column| column.num_docs() > 0 && column.values.num_vals() > 0)
            .map(|column| column.max_value().into_timestamp_secs());
        SegmentColumns {
            dates,
            fingerprints: fast.u64(field::FINGERPRINT).ok(),
            sites: fast.u64(field::SITE).ok(),
            newest,
            // A dictionary that cannot be read gives no names: `source:` then matches
            // nothing in that segment, and the rest of the search goes on.
            sources: source_names(reader, fields).unwrap_or_default(),
        }
    }
}

/// Every source term of a segment (lowercased, as indexed).
pub fn source_names(reader: &SegmentReader, fields: &Fields) -> tantivy::Result<Vec<String>> {
    let inverted = reader.inverted_index(fields.source)?;
    let mut terms = inverted.terms().stream()?;
    let mut names = Vec::new();
    while terms.advance() {
        names.push(String::from_utf8_lossy(terms.key()).into_owned());
    }
    Ok(names)
}

/// The columns of each live segment, shared by the searches of one index handle.
#[derive(Default)]
pub struct ColumnCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>,
}

impl ColumnCache {
    /// The columns of every segment of `searcher`, in its segment order. Segments merged
    /// away since the last call are forgotten.
    pub fn for_searcher(&self, searcher: &Searcher, fields: &Fields) -> Vec<Arc<SegmentColumns>> {
        // A search that panicked while holding the lock left the map whole: entries are
        // inserted complete or not at all.
        let mut segments = self.segments.lock().unwrap_or_else(PoisonError::into_inner);
        let live: HashSet<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(SegmentReader::segment_id)
            .collect();
        segments.retain(|id, _| live.contains(id));
        searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                segments
                    .entry(reader.segment_id())
                    .or_insert_with(|| Arc::new(SegmentColumns::open(reader, fields)))
                    .clone()
            })
            .collect()
    }
}
