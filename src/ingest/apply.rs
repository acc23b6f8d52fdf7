//! The applier: outcomes into tantivy's writer, the manifest's changes kept until they are
//! committed, and the rule that decides which file holds a URL.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, IndexReader, IndexWriter, TantivyDocument, Term, TERMINATED};

use super::corpus::{corpora_hold, Corpus};
use super::work::{process, Counters, Job, Outcome};
use super::{IngestOptions, IngestSummary, Progress, Skipped, SETTLE_ROUNDS};
use crate::error::{Error, Result};
use crate::extract::ExtractOptions;
use crate::index::manifest::{FileColumns, FileStamp, Manifest, Note, Payload};
use crate::index::NewsIndex;
use crate::walk::{key_to_path, CorpusFile};

/// A file holding an article with some canonical URL.
#[derive(Clone)]
pub(super) struct Holder {
    pub(super) key: String,
    pub(super) stamp: FileStamp,
}

/// The rule for which of several files holds a canonical URL, the same in every run and in a
/// fresh build: the file with the newest modification time, then the greatest key (bytewise).
/// It depends only on the files as they are now, never on the order they were read in.
pub(super) fn ranks(file: (i64, &str), over: (i64, &str)) -> bool {
    file > over
}

pub(super) fn rank_of(holder: &Holder) -> (i64, &str) {
    (holder.stamp.modified, holder.key.as_str())
}

/// The `ingest_*` columns of one committed segment, for finding who holds a URL.
pub(super) struct IngestColumns {
    pub(super) segment: tantivy::SegmentReader,
    pub(super) store: tantivy::store::StoreReader,
    pub(super) files: FileColumns,
}

/// Applies outcomes to the writer and keeps the manifest's changes until they are committed.
pub(super) struct Applier {
    pub(super) news: Arc<NewsIndex>,
    pub(super) writer: IndexWriter,
    pub(super) reader: IndexReader,
    pub(super) payload: Payload,
    pub(super) columns: Vec<IngestColumns>,
    /// URLs written since the last commit, and by which file.
    pub(super) batch_urls: HashMap<String, Holder>,
    /// Files whose documents were deleted since the last commit.
    pub(super) batch_deleted: HashSet<String>,
    /// Operations since the last commit.
    pub(super) pending: usize,
    pub(super) batch_started: Instant,
    pub(super) commit_files: usize,
    pub(super) commit_interval: Duration,
    /// URLs deleted by id since the last commit: their committed articles are gone.
    pub(super) batch_deleted_urls: HashSet<String>,
    /// Files with URL articles written since the last commit.
    pub(super) batch_written: HashSet<String>,
    /// For each contested URL, the recorded files whose article with it lost (from the notes).
    pub(super) losers: HashMap<String, BTreeSet<String>>,
    /// URLs whose holder is to be decided again before the run ends.
    pub(super) unsettled: BTreeSet<String>,
    /// Unsettled URLs whose claimants this run cannot read (a folder not walked this run).
    pub(super) deferred: BTreeSet<String>,
    /// Steps left before the test hook [`IngestOptions::abort_after`] aborts the run.
    pub(super) abort_in: Option<usize>,
    /// Recorded files handled this run (changed, removed), so that none of them is taken for
    /// vanished at the end.
    pub(super) handled: HashSet<String>,
    pub(super) extract: ExtractOptions,
    pub(super) stop: Arc<AtomicUsize>,
}

impl Applier {
    pub(super) fn new(
        news: Arc<NewsIndex>,
        writer: IndexWriter,
        reader: IndexReader,
        payload: Payload,
        options: &IngestOptions,
    ) -> Result<Applier> {
        let mut applier = Applier {
            news,
            writer,
            reader,
            payload,
            columns: Vec::new(),
            batch_urls: HashMap::new(),
            batch_deleted: HashSet::new(),
            pending: 0,
            batch_started: Instant::now(),
            commit_files: options.commit_files.max(1),
            commit_interval: options.commit_interval,
            batch_deleted_urls: HashSet::new(),
            batch_written: HashSet::new(),
            losers: HashMap::new(),
            unsettled: BTreeSet::new(),
            deferred: BTreeSet::new(),
            abort_in: options.abort_after,
            handled: HashSet::new(),
            extract: options.extract.clone(),
            stop: Arc::clone(&options.stop),
        };
        applier.unsettled = std::mem::take(&mut applier.payload.pending);
        for (key, note) in &applier.payload.notes {
            for url in &note.lost {
                applier
                    .losers
                    .entry(url.clone())
                    .or_default()
                    .insert(key.clone());
            }
        }
        applier.load_columns()?;
        Ok(applier)
    }

    /// The test hook: counts one step, and fails the run (as a kill would end it: nothing
    /// since the last commit is kept) when [`IngestOptions::abort_after`] steps have passed.
    pub(super) fn step(&mut self) -> Result<()> {
        match self.abort_in {
            Some(0) => Err(Error::Usage(
                "stopped on purpose (abort_after) for a test".to_string(),
            )),
            Some(left) => {
                self.abort_in = Some(left - 1);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Records that `key`'s article with `url` lost to another file's.
    pub(super) fn note_loss(&mut self, key: &str, stamp: FileStamp, url: &str) {
        self.payload
            .notes
            .entry(key.to_string())
            .or_insert_with(|| Note {
                stamp,
                skipped: None,
                lost: BTreeSet::new(),
            })
            .lost
            .insert(url.to_string());
        self.losers
            .entry(url.to_string())
            .or_default()
            .insert(key.to_string());
    }

    /// Deletes every article with `url` as its id, committed or of this batch.
    pub(super) fn drop_url(&mut self, url: &str) {
        // An article's id is its URL when it has one.
        self.delete(Term::from_field_text(self.news.fields.id, url));
        self.batch_deleted_urls.insert(url.to_string());
        self.batch_urls.remove(url);
    }

    pub(super) fn is_contested(&self, url: &str) -> bool {
        self.losers.get(url).is_some_and(|keys| !keys.is_empty())
    }

    pub(super) fn load_columns(&mut self) -> Result<()> {
        let searcher = self.reader.searcher();
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            let error = |source| self.news.error(source);
            let Some(files) = FileColumns::open(segment).map_err(error)? else {
                continue;
            };
            columns.push(IngestColumns {
                store: segment
                    .get_store_reader(1)
                    .map_err(|source| error(source.into()))?,
                segment: segment.clone(),
                files,
            });
        }
        self.columns = columns;
        Ok(())
    }

    /// Applies outcomes until the workers are done (true) or a stop was asked for (false).
    pub(super) fn apply_all(
        &mut self,
        outcomes: Receiver<Outcome>,
        counters: &Counters,
        summary: &mut IngestSummary,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<bool> {
        loop {
            if self.stop.load(Ordering::Relaxed) != 0 {
                return Ok(false);
            }
            match outcomes.recv_timeout(Duration::from_millis(200)) {
                Ok(outcome) => {
                    self.step()?;
                    self.apply(outcome, summary, on_progress)?;
                    counters.processed.fetch_add(1, Ordering::Relaxed);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ok(true),
            }
            on_progress(Progress::Tick {
                seen: counters.seen.load(Ordering::Relaxed),
                processed: counters.processed.load(Ordering::Relaxed),
            });
            if self.pending > 0
                && (self.pending >= self.commit_files
                    || self.batch_started.elapsed() >= self.commit_interval)
            {
                self.commit(summary, false)?;
            }
        }
    }

    pub(super) fn apply(
        &mut self,
        outcome: Outcome,
        summary: &mut IngestSummary,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        match outcome {
            Outcome::Extracted {
                job,
                stamp,
                documents,
                problems,
            } => {
                for problem in problems {
                    let skipped = Skipped {
                        path: job.file.path.display().to_string(),
                        reason: problem,
                    };
                    on_progress(Progress::Skipped(&skipped));
                    summary.records_skipped.push(skipped);
                }
                self.forget(&job.key, job.recorded, summary)?;
                let mut lost = Vec::new();
                for (url, document) in documents {
                    if let Some(url) = url {
                        match self.url_holder(&url)? {
                            Some(holder) if holder.key != job.key => {
                                // Decided now against the holder; decided again at the end
                                // over every claimant, as the holder may yet change or go.
                                self.unsettled.insert(url.clone());
                                if ranks((stamp.modified, &job.key), rank_of(&holder)) {
                                    self.drop_url(&url);
                                    summary.articles_removed += 1;
                                    self.note_loss(&holder.key, holder.stamp, &url);
                                } else {
                                    lost.push(url);
                                    continue;
                                }
                            }
                            _ => {
                                if self.is_contested(&url) {
                                    self.unsettled.insert(url.clone());
                                }
                            }
                        }
                        self.batch_written.insert(job.key.clone());
                        self.batch_urls.insert(
                            url,
                            Holder {
                                key: job.key.clone(),
                                stamp,
                            },
                        );
                    }
                    self.writer
                        .add_document(document)
                        .map_err(|source| Error::write(&self.news.path, &source))?;
                    summary.articles_indexed += 1;
                }
                for url in lost {
                    self.note_loss(&job.key, stamp, &url);
                }
                match job.previous {
                    None => summary.files_added += 1,
                    Some(previous) if previous.hash == stamp.hash => summary.files_touched += 1,
                    Some(_) => summary.files_updated += 1,
                }
                self.pending += 1;
            }
            Outcome::Failed { job, stamp, reason } => {
                self.forget(&job.key, job.recorded, summary)?;
                self.payload.notes.insert(
                    job.key.clone(),
                    Note {
                        stamp,
                        skipped: Some(reason.clone()),
                        lost: BTreeSet::new(),
                    },
                );
                self.pending += 1;
                self.report_skip(&job.file.path, reason, summary, on_progress);
            }
            Outcome::Unrecorded { job, reason } => {
                self.report_skip(&job.file.path, reason, summary, on_progress);
            }
            Outcome::Vanished { job } => {
                if job.recorded {
                    self.forget(&job.key, job.recorded, summary)?;
                    summary.files_removed += 1;
                    self.pending += 1;
                }
            }
        }
        Ok(())
    }

    pub(super) fn report_skip(
        &self,
        path: &Path,
        reason: String,
        summary: &mut IngestSummary,
        on_progress: &mut dyn FnMut(Progress),
    ) {
        let skipped = Skipped {
            path: path.display().to_string(),
            reason,
        };
        on_progress(Progress::Skipped(&skipped));
        summary.skipped.push(skipped);
    }

    /// Deletes every document of `key` (committed or of this batch) and its note; the
    /// contested URLs it held are decided again at the end. A file the index has no record of
    /// has nothing to delete, which saves a first build one lookup per file; nor is it kept in
    /// `handled`, which only recorded files are checked against (a first build of 800,000
    /// files would hold every path there until the end).
    pub(super) fn forget(
        &mut self,
        key: &str,
        recorded: bool,
        summary: &mut IngestSummary,
    ) -> Result<()> {
        if !recorded {
            return Ok(());
        }
        self.handled.insert(key.to_string());
        if let Some(note) = self.payload.notes.remove(key) {
            for url in note.lost {
                if let Some(keys) = self.losers.get_mut(&url) {
                    keys.remove(key);
                    if keys.is_empty() {
                        self.losers.remove(&url);
                    }
                }
            }
        }
        if self.batch_written.remove(key) {
            let losers = &self.losers;
            let unsettled = &mut self.unsettled;
            self.batch_urls.retain(|url, holder| {
                if holder.key != key {
                    return true;
                }
                if losers.contains_key(url) {
                    unsettled.insert(url.clone());
                }
                false
            });
        }
        let documents = if self.batch_deleted.contains(key) {
            Vec::new()
        } else {
            self.live_docs(self.news.fields.ingest_file, key)?
        };
        summary.articles_removed += documents.len();
        if !self.losers.is_empty() {
            // A contested URL this file held has lost its holder: another claimant takes it.
            for (segment, doc) in documents {
                let id = self.stored_id(segment, doc)?;
                if self.losers.contains_key(&id) {
                    self.unsettled.insert(id);
                }
            }
        }
        // Also deletes what this batch wrote for the file (a file read back at the end).
        self.delete(Term::from_field_text(self.news.fields.ingest_file, key));
        self.batch_deleted.insert(key.to_string());
        Ok(())
    }

    /// The id of committed document `doc` of segment `segment`.
    pub(super) fn stored_id(&self, segment: usize, doc: tantivy::DocId) -> Result<String> {
        let document: TantivyDocument = self.columns[segment]
            .store
            .get(doc)
            .map_err(|source| self.news.error(source))?;
        Ok(document
            .get_first(self.news.fields.id)
            .and_then(|value| tantivy::schema::Value::as_str(&value))
            .unwrap_or_default()
            .to_string())
    }

    pub(super) fn delete(&mut self, term: Term) {
        self.writer.delete_term(term);
    }

    /// The file that holds an article with canonical URL `url`, if any.
    pub(super) fn url_holder(&self, url: &str) -> Result<Option<Holder>> {
        if let Some(holder) = self.batch_urls.get(url) {
            return Ok(Some(holder.clone()));
        }
        if self.batch_deleted_urls.contains(url) {
            return Ok(None);
        }
        Ok(self.committed_holders(url)?.into_iter().next())
    }

    /// The files whose committed, live articles have id `url` (normally one at most).
    pub(super) fn committed_holders(&self, url: &str) -> Result<Vec<Holder>> {
        let mut holders = Vec::new();
        // An article's id is its URL when it has one; no other id looks like a URL.
        for (segment, doc) in self.live_docs(self.news.fields.id, url)? {
            let columns = &self.columns[segment];
            let mut key = String::new();
            if let Some(ordinal) = columns.files.files.term_ords(doc).next() {
                columns
                    .files
                    .files
                    .ord_to_str(ordinal, &mut key)
                    .map_err(|source| self.news.error(source.into()))?;
            }
            if !key.is_empty() && !self.batch_deleted.contains(&key) {
                let stamp = columns.files.stamp(doc);
                holders.push(Holder { key, stamp });
            }
        }
        Ok(holders)
    }

    /// The committed, not deleted documents whose `field` holds `text`: (segment, doc) pairs.
    pub(super) fn live_docs(
        &self,
        field: tantivy::schema::Field,
        text: &str,
    ) -> Result<Vec<(usize, tantivy::DocId)>> {
        let term = Term::from_field_text(field, text);
        let mut found = Vec::new();
        for (segment, columns) in self.columns.iter().enumerate() {
            let inverted = columns
                .segment
                .inverted_index(field)
                .map_err(|source| self.news.error(source))?;
            let postings = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(|source| self.news.error(source.into()))?;
            let Some(mut postings) = postings else {
                continue;
            };
            let alive = columns.segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    found.push((segment, doc));
                }
                doc = postings.advance();
            }
        }
        Ok(found)
    }

    /// Removes recorded files under the walked corpora that the walk did not see, and every
    /// file recorded under the old name of a folder that was moved (`moved`).
    pub(super) fn remove_vanished(
        &mut self,
        manifest: &Manifest,
        corpora: &[Corpus],
        moved: &[String],
        unreadable: &[String],
        summary: &mut IngestSummary,
    ) -> Result<()> {
        let mut gone: Vec<&String> = manifest
            .files
            .iter()
            .filter(|(key, entry)| {
                !entry.seen.load(Ordering::Relaxed)
                    && !self.handled.contains(key.as_str())
                    && (corpora.iter().any(|corpus| corpus.holds(key)) || corpora_hold(moved, key))
                    && !unreadable.iter().any(|folder| key.as_str() == folder)
                    && !corpora_hold(unreadable, key)
            })
            .map(|(key, _)| key)
            .collect();
        gone.sort();
        for key in gone {
            self.step()?;
            self.forget(key, true, summary)?;
            summary.files_removed += 1;
            self.pending += 1;
        }
        for label in moved {
            self.payload.roots.remove(label);
        }
        Ok(())
    }

    /// Decides again who holds each unsettled URL, over all its claimants: the files whose
    /// committed article has it, and the recorded files whose article lost it. When the
    /// holder is not the one [`ranks`] puts first, the URL's articles are deleted, their files
    /// noted as losers, and the first file read back, which may unsettle other URLs: rounds
    /// go on until none is left (or [`SETTLE_ROUNDS`], the rest recorded for the next run).
    pub(super) fn settle(
        &mut self,
        corpora: &[Corpus],
        summary: &mut IngestSummary,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        for _ in 0..SETTLE_ROUNDS {
            if self.unsettled.is_empty() {
                break;
            }
            // Committed first, so that this run's articles are found like earlier ones.
            self.step()?;
            self.commit(summary, true)?;
            let urls = std::mem::take(&mut self.unsettled);
            let mut read_back = BTreeSet::new();
            for url in urls {
                let holders = self.committed_holders(&url)?;
                let mut claimants = holders.clone();
                for key in self.losers.get(&url).into_iter().flatten() {
                    if let Some(note) = self.payload.notes.get(key) {
                        claimants.push(Holder {
                            key: key.clone(),
                            stamp: note.stamp,
                        });
                    }
                }
                let Some(first) = claimants
                    .iter()
                    .reduce(|best, next| {
                        if ranks(rank_of(next), rank_of(best)) {
                            next
                        } else {
                            best
                        }
                    })
                    .cloned()
                else {
                    continue;
                };
                if holders.len() == 1 && holders[0].key == first.key {
                    continue;
                }
                if !corpora.iter().any(|corpus| corpus.holds(&first.key)) {
                    // Its folder is not walked this run: the URL waits for a run that walks it.
                    self.deferred.insert(url);
                    continue;
                }
                self.step()?;
                self.drop_url(&url);
                summary.articles_removed += holders.len();
                for holder in holders.iter().filter(|holder| holder.key != first.key) {
                    self.note_loss(&holder.key, holder.stamp, &url);
                }
                self.pending += 1;
                read_back.insert(first.key);
                // Checked once more after the first file is read back.
                self.unsettled.insert(url);
            }
            for key in read_back {
                self.step()?;
                self.read_back(key, corpora, summary, on_progress)?;
            }
        }
        Ok(())
    }

    /// Reads file `key` again and applies it as a change: it now holds the URLs it ranks
    /// first for. Its file counts do not change: it is the same file.
    pub(super) fn read_back(
        &mut self,
        key: String,
        corpora: &[Corpus],
        summary: &mut IngestSummary,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        let Some(corpus) = corpora.iter().find(|corpus| corpus.holds(&key)) else {
            return Ok(());
        };
        let path = key_to_path(&corpus.root, &key[corpus.label.len() + 1..]);
        let (size, modified) = match std::fs::metadata(&path) {
            Ok(metadata) => (
                metadata.len(),
                metadata
                    .modified()
                    .ok()
                    .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |since| {
                        i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
                    }),
            ),
            // Gone since the walk: processing it finds it vanished and forgets it.
            Err(_) => (0, 0),
        };
        let previous = self.payload.notes.get(&key).map(|note| note.stamp);
        let job = Job {
            file: CorpusFile {
                relative: crate::walk::relative_path(&corpus.root, &path),
                key: key[corpus.label.len() + 1..].to_string(),
                path,
                size,
                modified,
            },
            key,
            prefix: corpus.prefix.clone(),
            previous,
            recorded: true,
        };
        let outcome = process(job, &self.news, &self.extract);
        let counts = (
            summary.files_added,
            summary.files_updated,
            summary.files_touched,
        );
        self.apply(outcome, summary, on_progress)?;
        (
            summary.files_added,
            summary.files_updated,
            summary.files_touched,
        ) = counts;
        Ok(())
    }

    /// Commits the batch with the manifest's notes, when anything is pending.
    /// `force` commits even an empty batch, so that a new index records its versions.
    pub(super) fn commit(&mut self, summary: &mut IngestSummary, force: bool) -> Result<()> {
        let unsettled: BTreeSet<String> = self.unsettled.union(&self.deferred).cloned().collect();
        if self.pending == 0 && !force && unsettled == self.payload.pending {
            return Ok(());
        }
        self.step()?;
        self.payload.pending = unsettled;
        let payload = serde_json::to_string(&self.payload)
            .map_err(|error| Error::Usage(format!("cannot record the manifest: {error}")))?;
        let write_error = |source| Error::write(&self.news.path, &source);
        let mut prepared = self.writer.prepare_commit().map_err(write_error)?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(write_error)?;
        self.reader
            .reload()
            .map_err(|source| self.news.error(source))?;
        self.load_columns()?;
        self.batch_urls.clear();
        self.batch_deleted.clear();
        self.batch_deleted_urls.clear();
        self.batch_written.clear();
        self.pending = 0;
        self.batch_started = Instant::now();
        summary.commits += 1;
        Ok(())
    }

    /// Ends a run asked to stop, returning the committed articles. The uncommitted batch is
    /// dropped with the writer, on a thread of its own: tantivy's writer, dropped, still indexes
    /// the up to 10,000 documents queued for it before it lets go, and a process that exits
    /// ends that work. Background merges are not waited for either (a merge of large segments
    /// can take minutes). What either wrote is removed by the next run (`health::sweep`).
    pub(super) fn stop(self) -> u64 {
        let documents = self.reader.searcher().num_docs();
        let writer = self.writer;
        std::thread::spawn(move || drop(writer));
        documents
    }

    /// Waits for background merges, so the run ends with a tidy index, and counts articles.
    pub(super) fn finish(self) -> Result<u64> {
        self.writer
            .wait_merging_threads()
            .map_err(|source| Error::write(&self.news.path, &source))?;
        self.reader
            .reload()
            .map_err(|source| self.news.error(source))?;
        Ok(self.reader.searcher().num_docs())
    }
}
