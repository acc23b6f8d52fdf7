//! A damaged or half-written index: found cheaply when it is opened, read past tantivy's
//! panics, cleaned up after a failed write, and verified in full by `newsidx check`.
//!
//! tantivy trusts its own files: a flipped bit in a fast-field dictionary or a bit-packed
//! column can make it panic instead of returning an error. Every read of the index that could
//! meet such a file runs inside [`guard`], which turns the panic into [`Error::Damaged`]
//! naming the index and the remedy, and keeps the panic's own message off stderr.

use std::cell::Cell;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;

use tantivy::directory::Directory;
use tantivy::index::SegmentComponent;
use tantivy::postings::Postings;
use tantivy::schema::{FieldType, IndexRecordOption};
use tantivy::{DocSet, Index, TantivyDocument, TERMINATED};

use super::reads::SearchDirectory;
use super::{layout, manifest};
use crate::error::{Error, Result};

thread_local! {
    /// True while this thread runs inside [`catch_panic`]: its panics are reported by the
    /// caller, not printed by the panic hook.
    static CAUGHT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`, turning a panic into its message. The panic is not printed.
pub fn catch_panic<T>(work: impl FnOnce() -> T) -> std::result::Result<T, String> {
    quiet_caught_panics();
    let outer = CAUGHT.with(|caught| caught.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(work));
    CAUGHT.with(|caught| caught.set(outer));
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

/// Runs `work`, which reads the index at `path`; a panic in it is the index's damage.
pub fn guard<T>(path: &Path, work: impl FnOnce() -> Result<T>) -> Result<T> {
    catch_panic(work).unwrap_or_else(|message| {
        Err(Error::Damaged {
            path: path.to_path_buf(),
            detail: format!("reading it failed ({message})"),
        })
    })
}

/// Installs, once, a panic hook that keeps quiet about panics [`catch_panic`] reports.
fn quiet_caught_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CAUGHT.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Test hook: with `NEWSIDX_FAULT_PANIC_FILE=NAME` in the environment, reading a corpus file
/// named NAME panics, as a bug in extraction would. Nothing else changes.
/// The name is read once: the environment is not looked up for every file.
pub fn fault_panic(path: &Path) {
    static NAME: once_cell::sync::OnceCell<Option<std::ffi::OsString>> =
        once_cell::sync::OnceCell::new();
    let name = NAME.get_or_init(|| std::env::var_os("NEWSIDX_FAULT_PANIC_FILE"));
    if let Some(name) = name {
        if path.file_name() == Some(name.as_os_str()) {
            panic!("fault injected for {}", path.display());
        }
    }
}

/// The components tantivy writes for every segment (`<segment id>.<extension>`).
const COMPONENTS: [SegmentComponent; 6] = [
    SegmentComponent::Terms,
    SegmentComponent::Postings,
    SegmentComponent::Positions,
    SegmentComponent::Store,
    SegmentComponent::FieldNorms,
    SegmentComponent::FastFields,
];

/// The files the last commit of `index` relies on, its delete bitsets included.
pub fn committed_files(index: &Index) -> tantivy::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for segment in index.searchable_segment_metas()? {
        for component in COMPONENTS {
            files.push(segment.relative_path(component));
        }
        if segment.has_deletes() {
            files.push(segment.relative_path(SegmentComponent::Delete));
        }
    }
    Ok(files)
}

/// The first committed file missing from generation folder `dir`: a stat per file, cheap
/// enough for every open. tantivy opens an index with a segment's positions missing, and
/// fails (or panics) only when a phrase is looked up.
pub fn first_missing(index: &Index, dir: &Path) -> tantivy::Result<Option<PathBuf>> {
    Ok(committed_files(index)?
        .into_iter()
        .find(|file| !dir.join(file).is_file()))
}

/// Removes the files of generation folder `dir` that its last commit does not rely on: what a
/// failed commit or merge wrote. Returns the bytes freed. The caller holds the ingest lock.
pub fn sweep(dir: &Path) -> Result<u64> {
    let error = |source| Error::Index {
        path: dir.to_path_buf(),
        source,
    };
    let index = SearchDirectory::open(dir)
        .and_then(Index::open)
        .map_err(error)?;
    let keep: HashSet<PathBuf> = committed_files(&index)
        .map_err(error)?
        .into_iter()
        .collect();
    let segments: Vec<String> = index
        .searchable_segment_metas()
        .map_err(error)?
        .iter()
        .map(|segment| segment.id().uuid_string())
        .collect();
    // As tantivy's own clean-up does: no file goes while a search is opening the segments.
    let _meta_lock = index
        .directory()
        .acquire_lock(&tantivy::directory::META_LOCK)
        .ok();
    let mut freed = 0;
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        let tantivy_own = matches!(
            text.as_ref(),
            "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
        );
        // A segment file is `<32 hex digits>.<extension>`; anything else is not ours to judge.
        let segment_file = text.len() > 33
            && text.as_bytes()[32] == b'.'
            && text[..32].bytes().all(|byte| byte.is_ascii_hexdigit());
        // Ours (`.meta.json.PID.tmp`) and tantivy's (`.tmpXXXXXX`) atomic writes.
        let temporary =
            text.starts_with('.') && (text.ends_with(".tmp") || text.starts_with(".tmp"));
        let referenced = keep.contains(Path::new(&name))
            || (segment_file
                && !text.ends_with(".del")
                && segments
                    .iter()
                    .any(|segment| text.starts_with(segment.as_str())));
        if tantivy_own || referenced || !(segment_file || temporary) {
            continue;
        }
        let size = entry.metadata().map_or(0, |metadata| metadata.len());
        if std::fs::remove_file(entry.path()).is_ok() {
            freed += size;
        }
    }
    Ok(freed)
}

/// What `newsidx check` found.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub index: String,
    /// The live generation folder, when `CURRENT` names one.
    pub generation: Option<String>,
    pub segments: usize,
    pub documents: u64,
    /// Problems that make the index unsound.
    pub problems: Vec<String>,
    /// Files no commit relies on (left by a failed write), and their size: harmless.
    pub unreferenced_files: usize,
    pub unreferenced_bytes: u64,
}

impl Report {
    pub fn sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Verifies the index at `root`: its `CURRENT`, the files of every segment (present, and
/// matching their checksums), every field of every segment read through (terms, postings
/// and positions, field norms, fast columns, stored documents), and the manifest.
pub fn check(root: &Path) -> Report {
    let mut report = Report {
        index: root.display().to_string(),
        ..Report::default()
    };
    let dir = match layout::live(root) {
        Ok(Some(dir)) => dir,
        Ok(None) => {
            report
                .problems
                .push(format!("no index at {}", root.display()));
            return report;
        }
        Err(error) => {
            report.problems.push(error.to_string());
            return report;
        }
    };
    report.generation = Some(dir.display().to_string());
    let index = match catch_panic(|| SearchDirectory::open(&dir).and_then(Index::open)) {
        Ok(Ok(index)) => index,
        Ok(Err(error)) => {
            report.problems.push(format!("meta.json: {error}"));
            return report;
        }
        Err(panic) => {
            report.problems.push(format!("meta.json: {panic}"));
            return report;
        }
    };
    match committed_files(&index) {
        Ok(files) => {
            for file in files {
                if !dir.join(&file).is_file() {
                    report
                        .problems
                        .push(format!("{}: missing", dir.join(file).display()));
                }
            }
        }
        Err(error) => report.problems.push(format!("meta.json: {error}")),
    }
    if !report.problems.is_empty() {
        return report;
    }
    match catch_panic(|| index.validate_checksum()) {
        Ok(Ok(damaged)) => {
            let mut damaged: Vec<_> = damaged.into_iter().collect();
            damaged.sort();
            for file in damaged {
                report.problems.push(format!(
                    "{}: checksum does not match its contents",
                    dir.join(file).display()
                ));
            }
        }
        Ok(Err(error)) => report.problems.push(format!("checksums: {error}")),
        Err(panic) => report.problems.push(format!("checksums: {panic}")),
    }
    match manifest::read_payload(&index) {
        Ok(Some(payload)) => {
            if let Some(reason) = payload.outdated() {
                report.problems.push(format!(
                    "manifest: {reason}; the next `newsidx ingest` rebuilds it"
                ));
            }
        }
        Ok(None) => report
            .problems
            .push("manifest: meta.json has no newsidx manifest".to_string()),
        Err(error) => report.problems.push(format!("manifest: {error}")),
    }
    match catch_panic(|| read_through(&index)) {
        Ok(Ok((segments, documents, problems))) => {
            report.segments = segments;
            report.documents = documents;
            report.problems.extend(problems);
        }
        Ok(Err(error)) => report.problems.push(format!("opening segments: {error}")),
        Err(panic) => report.problems.push(format!("opening segments: {panic}")),
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let keep: HashSet<PathBuf> = committed_files(&index)
            .unwrap_or_default()
            .into_iter()
            .collect();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let text = name.to_string_lossy();
            let segment_file = text.len() > 33 && text.as_bytes()[32] == b'.';
            if segment_file && !keep.contains(Path::new(&name)) {
                report.unreferenced_files += 1;
                report.unreferenced_bytes += entry.metadata().map_or(0, |meta| meta.len());
            }
        }
    }
    report
}

/// Reads every segment of `index` through: (segments, live documents, problems).
fn read_through(index: &Index) -> tantivy::Result<(usize, u64, Vec<String>)> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let schema = index.schema();
    let mut problems = Vec::new();
    let segments = searcher.segment_readers();
    for segment in segments {
        let name = segment.segment_id().uuid_string();
        let mut note =
            |part: &str, outcome: std::result::Result<tantivy::Result<()>, String>| match outcome {
                Ok(Ok(())) => {}
                Ok(Err(error)) => problems.push(format!("segment {name}, {part}: {error}")),
                Err(panic) => problems.push(format!("segment {name}, {part}: {panic}")),
            };
        for (field, entry) in schema.fields() {
            let field_name = entry.name();
            if entry.is_indexed() {
                let outcome = catch_panic(|| -> tantivy::Result<()> {
                    let inverted = segment.inverted_index(field)?;
                    let record = match entry.field_type() {
                        FieldType::Str(options) => options
                            .get_indexing_options()
                            .map_or(IndexRecordOption::Basic, |indexing| indexing.index_option()),
                        _ => IndexRecordOption::Basic,
                    };
                    let mut terms = inverted.terms().stream()?;
                    let mut positions = Vec::new();
                    while terms.advance() {
                        let mut postings =
                            inverted.read_postings_from_terminfo(terms.value(), record)?;
                        while postings.doc() != TERMINATED {
                            if record.has_positions() {
                                positions.clear();
                                postings.positions(&mut positions);
                            }
                            postings.advance();
                        }
                    }
                    if let Some(norms) = segment.fieldnorms_readers().get_field(field)? {
                        for doc in 0..segment.max_doc() {
                            norms.fieldnorm(doc);
                        }
                    }
                    Ok(())
                });
                note(&format!("field {field_name} (terms and postings)"), outcome);
            }
            if entry.is_fast() {
                let outcome = catch_panic(|| -> tantivy::Result<()> {
                    for handle in segment.fast_fields().dynamic_column_handles(field_name)? {
                        if let tantivy::columnar::DynamicColumn::Str(column) = handle.open()? {
                            let mut stream = column.dictionary().stream()?;
                            while stream.advance() {}
                        }
                        if let Some(column) = handle.open_u64_lenient()? {
                            for doc in 0..segment.max_doc() {
                                column.values_for_doc(doc).for_each(drop);
                            }
                        }
                    }
                    Ok(())
                });
                note(&format!("field {field_name} (fast column)"), outcome);
            }
        }
        let outcome = catch_panic(|| -> tantivy::Result<()> {
            let store = segment.get_store_reader(1)?;
            for doc in segment.doc_ids_alive() {
                store.get::<TantivyDocument>(doc)?;
            }
            Ok(())
        });
        note("stored documents", outcome);
    }
    Ok((segments.len(), searcher.num_docs(), problems))
}
