//! The ingest manifest: what every indexed file looked like when it was read, kept inside the
//! index so that the index and the record of what it holds commit together.
//!
//! Each article document carries its file's key, size, modification time and content hash
//! (the `ingest_*` fields). Files that are recorded without an article of their own (a skipped
//! file, or one whose article lost to another file with the same canonical URL) are listed in
//! tantivy's commit payload, together with the schema and analyzer versions of the index.
//!
//! A file's key is its corpus folder's name, `/`, and its path relative to that folder, kept
//! byte for byte ([`crate::walk::relative_key`]): it names the file wherever the folder is
//! mounted or linked from.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Index, SegmentReader};

use super::schema::{field, SCHEMA_VERSION};
use crate::analysis::ANALYZER_VERSION;

/// Version of the payload's own layout, and of how files are keyed. Format 2: keys relative to
/// the corpus folder (format 1 used absolute paths), and notes list the URLs a file lost.
const PAYLOAD_FORMAT: u32 = 2;

/// What a file looked like when it was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub size: u64,
    /// Nanoseconds since the epoch.
    pub modified: i64,
    /// XXH3 of the file's bytes.
    pub hash: u64,
}

/// A file recorded in the payload rather than (only) on its articles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    #[serde(flatten)]
    pub stamp: FileStamp,
    /// Why the file gave no article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Canonical URLs of this file's articles that another file's article holds instead.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub lost: BTreeSet<String>,
}

/// The identity of a corpus folder, to tell a moved folder from a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootStamp {
    pub device: u64,
    pub inode: u64,
}

/// The commit payload: versions the index was built with, and the noted files.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Payload {
    pub format: u32,
    pub schema_version: u32,
    pub analyzer_version: u32,
    /// The `--timezone` articles were read with: it changes every stored date.
    pub timezone: String,
    #[serde(default)]
    pub notes: BTreeMap<String, Note>,
    /// Canonical URLs whose holder must be decided again (a run stopped before it could).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub pending: BTreeSet<String>,
    /// Each corpus folder name the keys start with, and that folder's identity when last walked.
    #[serde(default)]
    pub roots: BTreeMap<String, RootStamp>,
}

impl Payload {
    /// A payload for an index built by this newsidx.
    pub fn new(timezone: &str) -> Payload {
        Payload {
            format: PAYLOAD_FORMAT,
            schema_version: SCHEMA_VERSION,
            analyzer_version: ANALYZER_VERSION,
            timezone: timezone.to_string(),
            notes: BTreeMap::new(),
            pending: BTreeSet::new(),
            roots: BTreeMap::new(),
        }
    }

    /// Why an index with this payload cannot be updated in place by this newsidx, if it cannot.
    pub fn mismatch(&self, timezone: &str) -> Option<String> {
        if let Some(reason) = self.outdated() {
            return Some(reason);
        }
        if self.timezone != timezone {
            return Some(format!(
                "it was read with --timezone {}, this run uses {timezone}",
                self.timezone
            ));
        }
        None
    }

    /// How the index's schema or analyzer differs from this newsidx's, if it does: a search
    /// then analyses queries differently from how the documents were indexed.
    pub fn outdated(&self) -> Option<String> {
        if self.format != PAYLOAD_FORMAT {
            return Some(format!(
                "it records its files in layout {}, this newsidx uses layout {PAYLOAD_FORMAT} \
                 (files named relative to their corpus folder)",
                self.format
            ));
        }
        if self.schema_version != SCHEMA_VERSION {
            return Some(format!(
                "its schema is version {}, this newsidx writes version {SCHEMA_VERSION}",
                self.schema_version
            ));
        }
        if self.analyzer_version != ANALYZER_VERSION {
            return Some(format!(
                "its analyzer is version {}, this newsidx analyses with version {ANALYZER_VERSION}",
                self.analyzer_version
            ));
        }
        None
    }
}

/// Reads the payload of the last commit; `None` for an index that has none (made before
/// incremental ingest, or never committed) or whose payload is not ours.
pub fn read_payload(index: &Index) -> tantivy::Result<Option<Payload>> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok()))
}

/// One recorded file, with whether this run's walk has seen it.
#[derive(Debug)]
pub struct Entry {
    pub stamp: FileStamp,
    pub seen: AtomicBool,
}

/// The `ingest_*` columns of one segment: the file each document came from, and that file's
/// stamp when it was read.
pub struct FileColumns {
    pub files: StrColumn,
    pub sizes: Column<u64>,
    pub times: Column<i64>,
    pub hashes: Column<u64>,
}

impl FileColumns {
    /// The columns of `segment`; none in a segment without an `ingest_file` column.
    pub fn open(segment: &SegmentReader) -> tantivy::Result<Option<FileColumns>> {
        let fast = segment.fast_fields();
        let Some(files) = fast.str(field::INGEST_FILE)? else {
            return Ok(None);
        };
        Ok(Some(FileColumns {
            files,
            sizes: fast.u64(field::INGEST_SIZE)?,
            times: fast.i64(field::INGEST_MTIME)?,
            hashes: fast.u64(field::INGEST_HASH)?,
        }))
    }

    /// The stamp of the file document `doc` came from.
    pub fn stamp(&self, doc: DocId) -> FileStamp {
        FileStamp {
            size: self.sizes.first(doc).unwrap_or(0),
            modified: self.times.first(doc).unwrap_or(0),
            hash: self.hashes.first(doc).unwrap_or(0),
        }
    }
}

/// Every file the index holds, by key.
#[derive(Debug, Default)]
pub struct Manifest {
    pub files: HashMap<String, Entry>,
}

impl Manifest {
    /// Reads the manifest from the `ingest_*` fast fields of every live document and `notes`.
    pub fn load(index: &Index, notes: &BTreeMap<String, Note>) -> tantivy::Result<Manifest> {
        let mut files: HashMap<String, Entry> = HashMap::new();
        let reader = index.reader()?;
        let searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            let Some(columns) = FileColumns::open(segment)? else {
                continue;
            };
            let keys = &columns.files;
            // Resolve the dictionary once, in order, instead of one lookup per document.
            let mut names = Vec::with_capacity(keys.num_terms());
            let mut stream = keys.dictionary().stream()?;
            while stream.advance() {
                names.push(String::from_utf8_lossy(stream.key()).into_owned());
            }
            for doc in segment.doc_ids_alive() {
                let Some(ordinal) = keys.term_ords(doc).next() else {
                    continue;
                };
                let Some(name) = names.get(ordinal as usize) else {
                    continue;
                };
                if files.contains_key(name) {
                    continue;
                }
                let stamp = columns.stamp(doc);
                files.insert(
                    name.clone(),
                    Entry {
                        stamp,
                        seen: AtomicBool::new(false),
                    },
                );
            }
        }
        for (key, note) in notes {
            files.insert(
                key.clone(),
                Entry {
                    stamp: note.stamp,
                    seen: AtomicBool::new(false),
                },
            );
        }
        Ok(Manifest { files })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips_and_spots_version_changes() {
        let mut payload = Payload::new("+07:00");
        payload.notes.insert(
            "arsip/kosong.txt".to_string(),
            Note {
                stamp: FileStamp {
                    size: 0,
                    modified: 12,
                    hash: 7,
                },
                skipped: Some("empty file".to_string()),
                lost: BTreeSet::new(),
            },
        );
        let text = serde_json::to_string(&payload).unwrap();
        let back: Payload = serde_json::from_str(&text).unwrap();
        assert_eq!(back.notes, payload.notes);
        assert_eq!(back.mismatch("+07:00"), None);
        assert!(back.mismatch("+08:00").is_some());
        let older = Payload {
            analyzer_version: ANALYZER_VERSION + 1,
            ..back
        };
        assert!(older.mismatch("+07:00").unwrap().contains("analyzer"));
        assert!(older.outdated().unwrap().contains("analyzer"));
        let first_layout = Payload {
            format: 1,
            ..Payload::new("+07:00")
        };
        assert!(first_layout.outdated().unwrap().contains("layout 1"));
        let other_zone = Payload {
            timezone: "+08:00".to_string(),
            ..Payload::new("+07:00")
        };
        assert_eq!(other_zone.outdated(), None);
    }
}
