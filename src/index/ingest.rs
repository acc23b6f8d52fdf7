//! Ingest: bring the index up to date with corpus folders, incrementally and crash-safely.
//!
//! Three kinds of threads share one run, joined by bounded channels so memory stays flat
//! whatever the corpus size:
//! - the walker streams files; one whose size and modification time match the manifest is only
//!   marked as seen, never opened;
//! - extraction workers (one per core) read, hash and extract new and changed files, and build
//!   their tantivy documents;
//! - the calling thread applies the results to tantivy's writer (which indexes on its own
//!   threads) and commits in batches, each commit carrying the manifest with it.
//!
//! A crash loses at most the batch being written; the next run finds those files unrecorded and
//! does them again. Every change is "delete the file's documents, add its new ones", so doing a
//! file twice leaves it indexed once. A rebuild (new schema or analyzer, or `--full`) is written
//! into a new generation and published at the end (see [`super::layout`]).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::ErrorKind;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, RecvTimeoutError, Sender};
use serde::Serialize;
use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, TERMINATED};

use super::layout;
use super::lock;
use super::manifest::{FileStamp, Manifest, Note, Payload};
use super::{Access, NewsIndex};
use crate::error::{Error, Result};
use crate::extract::{extract_all, ExtractError, ExtractOptions};
use crate::walk::{relative_path, walk, CorpusFile, ProblemKind};

/// Settings of one ingest run.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    pub extract: ExtractOptions,
    /// Rebuild the index from scratch (beside the live one) even when it is up to date.
    pub full: bool,
    /// How long to wait for another ingest to let go of the index; `None` fails at once.
    pub wait: Option<Duration>,
    /// Extraction threads; 0 means one per core.
    pub threads: usize,
    /// Commit after this many changed files...
    pub commit_files: usize,
    /// ...or after this much time, whichever comes first.
    pub commit_interval: Duration,
    /// Memory tantivy's writer may buffer before it writes a segment, in bytes.
    pub writer_memory: usize,
    /// Set to a non-zero value (a signal number) to stop at the next batch boundary.
    pub stop: Arc<AtomicUsize>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            extract: ExtractOptions::default(),
            full: false,
            wait: None,
            threads: 0,
            commit_files: 50_000,
            commit_interval: Duration::from_secs(60),
            writer_memory: 128 * 1024 * 1024,
            stop: Arc::new(AtomicUsize::new(0)),
        }
    }
}

/// A file that produced no article, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// What one ingest run did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct IngestSummary {
    /// The index folder.
    pub index: String,
    /// Files the walk found.
    pub files_seen: usize,
    /// Files indexed for the first time.
    pub files_added: usize,
    /// Files whose content changed, re-indexed.
    pub files_updated: usize,
    /// Files whose modification time changed but whose content did not.
    pub files_touched: usize,
    /// Files gone from the corpus, removed from the index.
    pub files_removed: usize,
    /// Files with the recorded size and modification time, not opened.
    pub files_unchanged: usize,
    /// Files (or walk entries) that gave no article this run; reasons in `skipped`.
    pub files_skipped: usize,
    pub skipped: Vec<Skipped>,
    /// Records inside indexed files that gave no article (a JSON Lines line that is not JSON),
    /// each with the file's path and the record's place and reason.
    pub records_skipped: Vec<Skipped>,
    /// Articles written this run.
    pub articles_indexed: usize,
    /// Articles deleted this run (replaced or gone).
    pub articles_removed: usize,
    /// Articles in the index after the run.
    pub documents: u64,
    /// Why the index was rebuilt from scratch, when it was.
    pub rebuilt: Option<String>,
    /// Commits made.
    pub commits: usize,
    /// True when a signal stopped the run early; the next run carries on.
    pub interrupted: bool,
    pub elapsed_secs: f64,
}

impl IngestSummary {
    /// True when the run changed nothing in the index.
    pub fn nothing_changed(&self) -> bool {
        self.files_added == 0
            && self.files_updated == 0
            && self.files_touched == 0
            && self.files_removed == 0
            && self.articles_removed == 0
            && self.rebuilt.is_none()
    }
}

/// Events reported while ingesting, for progress bars and logs.
pub enum Progress<'a> {
    /// The index is being rebuilt from scratch, and why.
    Rebuilding(&'a str),
    /// Files walked and files processed so far.
    Tick { seen: usize, processed: usize },
    /// One file skipped.
    Skipped(&'a Skipped),
}

/// Brings the index at `index_path` up to date with the files under `roots`: new and changed
/// files are (re)indexed, vanished ones removed, unchanged ones left unopened.
///
/// A failed write (a full disk) leaves the index as the last commit left it: what the run
/// wrote is removed, and a rebuild's unfinished generation with it. A panic while reading the
/// index (a damaged file) is [`Error::Damaged`]; a panic extracting one file skips that file.
pub fn ingest(
    index_path: &Path,
    roots: &[PathBuf],
    options: &IngestOptions,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<IngestSummary> {
    let outcome = super::health::guard(index_path, || {
        ingest_run(index_path, roots, options, on_progress)
    });
    if let Err(Error::Write { .. } | Error::Io { .. }) = &outcome {
        clean_after_failed_write(index_path);
    }
    outcome
}

/// Removes what a run that failed to write left behind, under the ingest lock; when another
/// ingest has taken it meanwhile, that one cleans up instead.
fn clean_after_failed_write(index_path: &Path) {
    let Ok(_lock) = lock::acquire(index_path, None) else {
        return;
    };
    if let Ok(Some(partial)) = layout::building(index_path) {
        let _ = layout::remove_generation(index_path, &partial);
    }
    if let Ok(Some(live)) = layout::live(index_path) {
        let _ = super::health::sweep(&live);
    }
}

fn ingest_run(
    index_path: &Path,
    roots: &[PathBuf],
    options: &IngestOptions,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<IngestSummary> {
    let started = Instant::now();
    let mut corpora = Vec::new();
    for root in roots {
        if !root.is_dir() {
            return Err(Error::Usage(format!(
                "{}: not a folder; pass the folder that holds the articles",
                root.display()
            )));
        }
        let canonical = std::fs::canonicalize(root).map_err(|source| Error::Io {
            path: root.clone(),
            source,
        })?;
        corpora.push(Corpus {
            root: root.clone(),
            key: canonical
                .to_string_lossy()
                .trim_end_matches('/')
                .to_string(),
        });
    }
    // A folder given twice, or inside another one given, would be walked twice.
    let keys: Vec<String> = corpora.iter().map(|corpus| corpus.key.clone()).collect();
    let mut kept = HashSet::new();
    corpora.retain(|corpus| {
        let inside_another = corpora_hold(&keys, &corpus.key);
        !inside_another && kept.insert(corpus.key.clone())
    });
    let _lock = lock::acquire(index_path, options.wait)?;
    let timezone = options.extract.default_offset.to_string();

    let mut summary = IngestSummary {
        index: index_path.display().to_string(),
        ..IngestSummary::default()
    };
    let target = choose_target(index_path, options.full, &timezone)?;
    if let Some(reason) = &target.rebuild {
        on_progress(Progress::Rebuilding(reason));
        summary.rebuilt = Some(reason.clone());
    }
    let news = Arc::new(target.news);
    let payload = match super::manifest::read_payload(&news.index) {
        Ok(Some(payload)) if payload.mismatch(&timezone).is_none() => payload,
        _ => Payload::new(&timezone),
    };
    let manifest =
        Arc::new(Manifest::load(&news.index, &payload.notes).map_err(|source| news.error(source))?);
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(2, |count| count.get())
    } else {
        options.threads
    };
    let writer: IndexWriter = news
        .index
        .writer_with_num_threads(threads.clamp(1, 8), options.writer_memory)
        .map_err(|source| match source {
            tantivy::TantivyError::LockFailure(..) => Error::Locked {
                path: index_path.to_path_buf(),
            },
            source => Error::write(index_path, &source),
        })?;
    let reader = news
        .index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|source| news.error(source))?;
    let mut state = Applier::new(Arc::clone(&news), writer, reader, payload, options)?;
    state.shadow_holders();
    if target.publish_now {
        // A first build is live from its first commit, so a crash resumes it like any update.
        state.commit(&mut summary, true)?;
        layout::publish(index_path, &news.dir)?;
    }

    let counters = Arc::new(Counters::default());
    let walked = std::thread::scope(|scope| -> Result<Option<WalkReport>> {
        let (job_sender, job_receiver) = bounded::<Job>(threads * 64);
        let (outcome_sender, outcome_receiver) = bounded::<Outcome>(threads * 16);
        let walker = {
            let manifest = Arc::clone(&manifest);
            let counters = Arc::clone(&counters);
            let corpora = &corpora;
            let stop = Arc::clone(&options.stop);
            scope.spawn(move || walk_corpora(corpora, &manifest, &counters, &stop, job_sender))
        };
        for _ in 0..threads {
            let jobs = job_receiver.clone();
            let outcomes = outcome_sender.clone();
            let news = Arc::clone(&news);
            let extract_options = options.extract.clone();
            scope.spawn(move || {
                for job in jobs {
                    // A panic on one file (a bug in extraction) skips that file, not the run.
                    let (key, file) = (job.key.clone(), job.file.clone());
                    let (previous, recorded) = (job.previous, job.recorded);
                    let outcome =
                        super::health::catch_panic(|| process(job, &news, &extract_options))
                            .unwrap_or_else(|message| Outcome::Unrecorded {
                                job: Job {
                                    key,
                                    file,
                                    previous,
                                    recorded,
                                },
                                reason: format!("extraction failed unexpectedly ({message})"),
                            });
                    if outcomes.send(outcome).is_err() {
                        break;
                    }
                }
            });
        }
        drop(job_receiver);
        drop(outcome_sender);
        let completed = state.apply_all(outcome_receiver, &counters, &mut summary, on_progress)?;
        // A walk that did not reach its end must not count unseen files as gone.
        let report = walker.join().map_err(|_| {
            Error::Usage("the corpus walk stopped unexpectedly; nothing was removed".to_string())
        })?;
        Ok((completed && !report.stopped).then_some(report))
    })?;

    summary.files_seen = counters.seen.load(Ordering::Relaxed);
    summary.files_unchanged = counters.unchanged.load(Ordering::Relaxed);
    match walked {
        Some(report) => {
            for problem in report.problems {
                let skipped = Skipped {
                    path: problem.path.display().to_string(),
                    reason: problem.reason,
                };
                on_progress(Progress::Skipped(&skipped));
                summary.skipped.push(skipped);
            }
            state.remove_vanished(&manifest, &corpora, &report.unreadable, &mut summary)?;
            state.resurrect(&corpora, &mut summary, on_progress)?;
            state.commit(&mut summary, target.rebuild.is_some())?;
            // Everything is committed; a stop asked for meanwhile skips waiting for merges.
            summary.documents = if options.stop.load(Ordering::Relaxed) != 0 {
                state.stop()
            } else {
                state.finish()?
            };
            if target.rebuild.is_some() {
                layout::publish(index_path, &news.dir)?;
                // The replaced generation stays until the next run: a search that read `CURRENT`
                // just before the swap may still be opening it.
                let mut keep = vec![news.dir.as_path()];
                keep.extend(target.replaced.as_deref());
                layout::remove_others(index_path, &keep)?;
            }
        }
        None => {
            // The batch in progress is dropped, not committed: committing it can take
            // seconds, and a stop must be honoured within one. The next run does it again.
            summary.interrupted = true;
            summary.documents = state.stop();
        }
    }
    summary.files_skipped = summary.skipped.len();
    summary.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// One corpus folder as given, and the key prefix of its files.
struct Corpus {
    root: PathBuf,
    key: String,
}

impl Corpus {
    fn holds(&self, key: &str) -> bool {
        corpora_hold(std::slice::from_ref(&self.key), key)
    }
}

/// True when `key` lies strictly inside one of the folders `roots`.
fn corpora_hold(roots: &[String], key: &str) -> bool {
    roots.iter().any(|root| {
        key.len() > root.len()
            && key.starts_with(root.as_str())
            && key.as_bytes()[root.len()] == b'/'
    })
}

/// Where this run writes, and whether that is a rebuild.
struct Target {
    news: NewsIndex,
    /// Why the index is rebuilt in a new generation, when it is.
    rebuild: Option<String>,
    /// A brand-new index, published as soon as it exists.
    publish_now: bool,
    /// The live generation a rebuild replaces.
    replaced: Option<PathBuf>,
}

/// Picks the generation to write: the live one when it can be updated in place, else a new
/// (or a resumed, unfinished) rebuild beside it.
fn choose_target(root: &Path, full: bool, timezone: &str) -> Result<Target> {
    let building = layout::building(root)?;
    let live = match layout::live(root) {
        Ok(live) => live,
        // A damaged `CURRENT` names nothing to update: a new index, live from its first commit.
        Err(Error::Damaged { detail, .. }) => {
            if let Some(stale) = building {
                layout::remove_generation(root, &stale)?;
            }
            let dir = layout::new_generation(root)?;
            let news = NewsIndex::create_dir(root, &dir, Access::Ingest)?;
            return Ok(Target {
                news,
                rebuild: Some(detail),
                publish_now: true,
                replaced: None,
            });
        }
        Err(error) => return Err(error),
    };
    let reason = match &live {
        None => None,
        Some(_) if full => Some("--full was given".to_string()),
        Some(dir) if layout::is_legacy(root) && dir == root => {
            Some("it was made by a newsidx without incremental ingest".to_string())
        }
        Some(dir) => match NewsIndex::open_dir(root, dir, Access::Search) {
            Err(Error::Damaged { detail, .. }) => Some(format!("it is damaged: {detail}")),
            Err(error) => Some(format!("it cannot be read ({error})")),
            Ok(news) => match super::manifest::read_payload(&news.index) {
                Err(error) => Some(format!("it cannot be read ({error})")),
                Ok(None) => Some("it was made by a newsidx without incremental ingest".to_string()),
                Ok(Some(payload)) => payload.mismatch(timezone),
            },
        },
    };
    let Some(live_dir) = live else {
        if let Some(stale) = building {
            layout::remove_generation(root, &stale)?;
        }
        let dir = layout::new_generation(root)?;
        let news = NewsIndex::create_dir(root, &dir, Access::Ingest)?;
        return Ok(Target {
            news,
            rebuild: None,
            publish_now: true,
            replaced: None,
        });
    };
    let Some(reason) = reason else {
        // Up to date in place; an abandoned `--full` rebuild and the generation the last
        // rebuild replaced are only taking disk space.
        if let Some(stale) = building {
            layout::remove_generation(root, &stale)?;
        }
        layout::remove_others(root, &[&live_dir])?;
        // Files no commit relies on, left by a run that failed to write or was killed.
        super::health::sweep(&live_dir)?;
        let news = NewsIndex::open_dir(root, &live_dir, Access::Ingest)?;
        return Ok(Target {
            news,
            rebuild: None,
            publish_now: false,
            replaced: None,
        });
    };
    if let Some(partial) = building {
        let resumable = !full
            && NewsIndex::open_dir(root, &partial, Access::Search)
                .ok()
                .is_some_and(|news| {
                    matches!(
                        super::manifest::read_payload(&news.index),
                        Ok(Some(payload)) if payload.mismatch(timezone).is_none()
                    )
                });
        if resumable {
            let news = NewsIndex::open_dir(root, &partial, Access::Ingest)?;
            return Ok(Target {
                news,
                rebuild: Some(format!("{reason}; resuming the unfinished rebuild")),
                publish_now: false,
                replaced: Some(live_dir),
            });
        }
        layout::remove_generation(root, &partial)?;
    }
    let dir = layout::new_generation(root)?;
    let news = NewsIndex::create_dir(root, &dir, Access::Ingest)?;
    Ok(Target {
        news,
        rebuild: Some(reason),
        publish_now: false,
        replaced: Some(live_dir),
    })
}

/// Counts shared by the walker and the applying thread.
#[derive(Default)]
struct Counters {
    seen: AtomicUsize,
    unchanged: AtomicUsize,
    processed: AtomicUsize,
}

/// What the walk met besides files, once it is over.
#[derive(Default)]
struct WalkReport {
    problems: Vec<crate::walk::WalkProblem>,
    /// Keys of folders that could not be read: their files are unknown, not gone.
    unreadable: Vec<String>,
    /// True when the walk was cut short (a stop was asked for, or the run gave up).
    stopped: bool,
}

/// A file to read and extract.
struct Job {
    key: String,
    file: CorpusFile,
    /// Its stamp as recorded, when the manifest has one.
    previous: Option<FileStamp>,
    /// True when the index may hold documents or a note of this file.
    recorded: bool,
}

/// What a worker made of a job.
enum Outcome {
    /// Read and extracted: its documents, each with its canonical URL.
    Extracted {
        job: Job,
        stamp: FileStamp,
        documents: Vec<(Option<String>, TantivyDocument)>,
        /// Records of the file that were left out, with their reasons.
        problems: Vec<String>,
    },
    /// Read, but no article in it: recorded, so it is not read again until it changes.
    Failed {
        job: Job,
        stamp: FileStamp,
        reason: String,
    },
    /// Not read (too large, unreadable): not recorded, so the next run tries again.
    Unrecorded { job: Job, reason: String },
    /// Gone between the walk and the read.
    Vanished { job: Job },
}

/// Walks every corpus, sending new and changed files as jobs.
fn walk_corpora(
    corpora: &[Corpus],
    manifest: &Manifest,
    counters: &Counters,
    stop: &AtomicUsize,
    jobs: Sender<Job>,
) -> WalkReport {
    let mut report = WalkReport::default();
    for corpus in corpora {
        let mut stopped = false;
        let mut files = 0usize;
        walk(
            &corpus.root,
            |file| {
                if stop.load(Ordering::Relaxed) != 0 {
                    stopped = true;
                    return ControlFlow::Break(());
                }
                files += 1;
                counters.seen.fetch_add(1, Ordering::Relaxed);
                let key = format!("{}/{}", corpus.key, file.relative);
                let previous = match manifest.files.get(&key) {
                    Some(entry) => {
                        entry.seen.store(true, Ordering::Relaxed);
                        if entry.stamp.size == file.size && entry.stamp.modified == file.modified {
                            counters.unchanged.fetch_add(1, Ordering::Relaxed);
                            return ControlFlow::Continue(());
                        }
                        Some(entry.stamp)
                    }
                    None => None,
                };
                let job = Job {
                    key,
                    file,
                    recorded: previous.is_some(),
                    previous,
                };
                if jobs.send(job).is_err() {
                    stopped = true;
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            },
            |problem| {
                if problem.kind == ProblemKind::Unreadable {
                    let relative = relative_path(&corpus.root, &problem.path);
                    let key = if problem.path == corpus.root {
                        corpus.key.clone()
                    } else {
                        format!("{}/{relative}", corpus.key)
                    };
                    report.unreadable.push(key);
                }
                report.problems.push(problem);
            },
        );
        if stopped {
            report.stopped = true;
            break;
        }
        if files == 0 && manifest.files.keys().any(|key| corpus.holds(key)) {
            // An empty corpus that used to hold files is more often a missing mount than a
            // deliberate purge: keep its articles and say so.
            report.unreadable.push(corpus.key.clone());
            report.problems.push(crate::walk::WalkProblem {
                path: corpus.root.clone(),
                reason: "no files found, but the index holds files from this folder: they are \
                         kept; rebuild with --full if they should go"
                    .to_string(),
                kind: ProblemKind::Unreadable,
            });
        }
    }
    report
}

/// Reads, hashes and extracts one file, and builds its documents.
fn process(job: Job, news: &NewsIndex, options: &ExtractOptions) -> Outcome {
    super::health::fault_panic(&job.file.path);
    if job.file.size > options.max_file_size {
        let reason = ExtractError::TooLarge {
            size: job.file.size,
            limit: options.max_file_size,
        }
        .to_string();
        return Outcome::Unrecorded { job, reason };
    }
    let bytes = match std::fs::read(&job.file.path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == ErrorKind::NotFound => return Outcome::Vanished { job },
        Err(error) => {
            return Outcome::Unrecorded {
                job,
                reason: error.to_string(),
            }
        }
    };
    // The stamp is the walk's, taken before the read: a write that lands during the read
    // changes the modification time again, so the next run reads the file once more.
    let stamp = FileStamp {
        size: job.file.size,
        modified: job.file.modified,
        hash: xxhash_rust::xxh3::xxh3_64(&bytes),
    };
    let (articles, problems) = match extract_all(&bytes, &job.file.relative, options) {
        Ok(extracted) if !extracted.articles.is_empty() => (extracted.articles, extracted.problems),
        Ok(_) => {
            return Outcome::Failed {
                job,
                stamp,
                reason: ExtractError::NoArticle.to_string(),
            }
        }
        Err(error) => {
            return Outcome::Failed {
                job,
                stamp,
                reason: error.to_string(),
            }
        }
    };
    let fields = &news.fields;
    let documents = articles
        .iter()
        .map(|article| {
            let mut document = news.to_document(article);
            document.add_text(fields.ingest_file, &job.key);
            document.add_u64(fields.ingest_size, stamp.size);
            document.add_i64(fields.ingest_mtime, stamp.modified);
            document.add_u64(fields.ingest_hash, stamp.hash);
            (article.url.clone(), document)
        })
        .collect();
    Outcome::Extracted {
        job,
        stamp,
        documents,
        problems,
    }
}

/// A file holding an article with some canonical URL.
#[derive(Clone)]
struct Holder {
    key: String,
    stamp: FileStamp,
}

/// The `ingest_*` columns of one committed segment, for finding who holds a URL.
struct IngestColumns {
    segment: tantivy::SegmentReader,
    files: StrColumn,
    sizes: Column<u64>,
    times: Column<i64>,
    hashes: Column<u64>,
}

/// Applies outcomes to the writer and keeps the manifest's changes until they are committed.
struct Applier {
    news: Arc<NewsIndex>,
    writer: IndexWriter,
    reader: IndexReader,
    payload: Payload,
    columns: Vec<IngestColumns>,
    /// URLs written since the last commit, and by which file.
    batch_urls: HashMap<String, Holder>,
    /// Files whose documents were deleted since the last commit.
    batch_deleted: HashSet<String>,
    /// Operations since the last commit.
    pending: usize,
    batch_started: Instant,
    commit_files: usize,
    commit_interval: Duration,
    /// For each file, the files that lost a URL to it (from the payload).
    shadowing: HashMap<String, Vec<String>>,
    /// Files to read again at the end because the file that shadowed them changed or went.
    to_resurrect: BTreeSet<String>,
    /// Recorded files handled this run (changed, removed), so that none of them is taken for
    /// vanished at the end.
    handled: HashSet<String>,
    extract: ExtractOptions,
    stop: Arc<AtomicUsize>,
}

impl Applier {
    fn new(
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
            shadowing: HashMap::new(),
            to_resurrect: BTreeSet::new(),
            handled: HashSet::new(),
            extract: options.extract.clone(),
            stop: Arc::clone(&options.stop),
        };
        applier.load_columns()?;
        Ok(applier)
    }

    /// Indexes who shadowed whom, from the payload.
    fn shadow_holders(&mut self) {
        for (key, note) in &self.payload.notes {
            for holder in &note.shadowed_by {
                self.shadowing
                    .entry(holder.clone())
                    .or_default()
                    .push(key.clone());
            }
        }
    }

    fn load_columns(&mut self) -> Result<()> {
        let searcher = self.reader.searcher();
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let error = |source| self.news.error(source);
            let Some(files) = fast.str("ingest_file").map_err(error)? else {
                continue;
            };
            columns.push(IngestColumns {
                segment: segment.clone(),
                files,
                sizes: fast.u64("ingest_size").map_err(error)?,
                times: fast.i64("ingest_mtime").map_err(error)?,
                hashes: fast.u64("ingest_hash").map_err(error)?,
            });
        }
        self.columns = columns;
        Ok(())
    }

    /// Applies outcomes until the workers are done (true) or a stop was asked for (false).
    fn apply_all(
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

    fn apply(
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
                let mut lost_to = BTreeSet::new();
                for (url, document) in documents {
                    if let Some(url) = url {
                        match self.url_holder(&url)? {
                            Some(holder) if holder.key != job.key => {
                                if (stamp.modified, job.key.as_str())
                                    > (holder.stamp.modified, holder.key.as_str())
                                {
                                    // An article's id is its URL when it has one.
                                    self.delete(Term::from_field_text(self.news.fields.id, &url));
                                    summary.articles_removed += 1;
                                    self.payload
                                        .notes
                                        .entry(holder.key.clone())
                                        .or_insert_with(|| Note {
                                            stamp: holder.stamp,
                                            skipped: None,
                                            shadowed_by: BTreeSet::new(),
                                        })
                                        .shadowed_by
                                        .insert(job.key.clone());
                                } else {
                                    lost_to.insert(holder.key);
                                    continue;
                                }
                            }
                            _ => {}
                        }
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
                if !lost_to.is_empty() {
                    self.payload.notes.insert(
                        job.key.clone(),
                        Note {
                            stamp,
                            skipped: None,
                            shadowed_by: lost_to,
                        },
                    );
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
                        shadowed_by: BTreeSet::new(),
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

    fn report_skip(
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

    /// Deletes every document of `key` and its note; files it shadowed get read again later.
    /// A file the index has no record of has nothing to delete, which saves a first build
    /// one lookup per file; nor is it kept in `handled`, which only recorded files are checked
    /// against (a first build of 800,000 files would hold every path there until the end).
    fn forget(&mut self, key: &str, recorded: bool, summary: &mut IngestSummary) -> Result<()> {
        if !recorded {
            return Ok(());
        }
        self.handled.insert(key.to_string());
        if let Some(shadowed) = self.shadowing.remove(key) {
            self.to_resurrect.extend(shadowed);
        }
        self.payload.notes.remove(key);
        let count = self.live_documents(key)?;
        if count > 0 {
            summary.articles_removed += count;
            self.delete(Term::from_field_text(self.news.fields.ingest_file, key));
        }
        self.batch_deleted.insert(key.to_string());
        Ok(())
    }

    fn delete(&mut self, term: Term) {
        self.writer.delete_term(term);
    }

    /// Committed, live documents of file `key` (not counting this batch's own).
    fn live_documents(&self, key: &str) -> Result<usize> {
        if self.batch_deleted.contains(key) {
            return Ok(0);
        }
        Ok(self.live_docs(self.news.fields.ingest_file, key)?.len())
    }

    /// The file that holds an article with canonical URL `url`, if any.
    fn url_holder(&self, url: &str) -> Result<Option<Holder>> {
        if let Some(holder) = self.batch_urls.get(url) {
            return Ok(Some(holder.clone()));
        }
        // An article's id is its URL when it has one; no other id looks like a URL.
        for (segment, doc) in self.live_docs(self.news.fields.id, url)? {
            let columns = &self.columns[segment];
            let mut key = String::new();
            if let Some(ordinal) = columns.files.term_ords(doc).next() {
                columns
                    .files
                    .ord_to_str(ordinal, &mut key)
                    .map_err(|source| self.news.error(source.into()))?;
            }
            if !key.is_empty() && !self.batch_deleted.contains(&key) {
                let stamp = FileStamp {
                    size: columns.sizes.first(doc).unwrap_or(0),
                    modified: columns.times.first(doc).unwrap_or(0),
                    hash: columns.hashes.first(doc).unwrap_or(0),
                };
                return Ok(Some(Holder { key, stamp }));
            }
        }
        Ok(None)
    }

    /// The committed, not deleted documents whose `field` holds `text`: (segment, doc) pairs.
    fn live_docs(
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

    /// Removes recorded files under the walked corpora that the walk did not see.
    fn remove_vanished(
        &mut self,
        manifest: &Manifest,
        corpora: &[Corpus],
        unreadable: &[String],
        summary: &mut IngestSummary,
    ) -> Result<()> {
        let mut gone: Vec<&String> = manifest
            .files
            .iter()
            .filter(|(key, entry)| {
                !entry.seen.load(Ordering::Relaxed)
                    && !self.handled.contains(key.as_str())
                    && corpora.iter().any(|corpus| corpus.holds(key))
                    && !unreadable.iter().any(|folder| key.as_str() == folder)
                    && !corpora_hold(unreadable, key)
            })
            .map(|(key, _)| key)
            .collect();
        gone.sort();
        for key in gone {
            self.forget(key, true, summary)?;
            summary.files_removed += 1;
            self.pending += 1;
        }
        Ok(())
    }

    /// Reads again the files whose article lost its URL to a file that has since changed or
    /// gone, so that their article comes back when it should.
    fn resurrect(
        &mut self,
        corpora: &[Corpus],
        summary: &mut IngestSummary,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        let keys: Vec<String> = std::mem::take(&mut self.to_resurrect).into_iter().collect();
        for key in keys {
            let Some(corpus) = corpora.iter().find(|corpus| corpus.holds(&key)) else {
                continue;
            };
            let relative = key[corpus.key.len() + 1..].to_string();
            let path = corpus.root.join(&relative);
            let Ok(metadata) = std::fs::metadata(&path) else {
                continue;
            };
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |since| {
                    i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
                });
            let previous = self.payload.notes.get(&key).map(|note| note.stamp);
            let job = Job {
                key,
                file: CorpusFile {
                    path,
                    relative,
                    size: metadata.len(),
                    modified,
                },
                previous,
                recorded: true,
            };
            let outcome = process(job, &self.news, &self.extract);
            // Coming back is not a change of the file itself: only its articles count.
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
        }
        Ok(())
    }

    /// Commits the batch with the manifest's notes, when anything is pending.
    /// `force` commits even an empty batch, so that a new index records its versions.
    fn commit(&mut self, summary: &mut IngestSummary, force: bool) -> Result<()> {
        if self.pending == 0 && !force {
            return Ok(());
        }
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
    fn stop(self) -> u64 {
        let documents = self.reader.searcher().num_docs();
        let writer = self.writer;
        std::thread::spawn(move || drop(writer));
        documents
    }

    /// Waits for background merges, so the run ends with a tidy index, and counts articles.
    fn finish(self) -> Result<u64> {
        self.writer
            .wait_merging_threads()
            .map_err(|source| Error::write(&self.news.path, &source))?;
        self.reader
            .reload()
            .map_err(|source| self.news.error(source))?;
        Ok(self.reader.searcher().num_docs())
    }
}
