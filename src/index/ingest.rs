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
//!
//! Several files may hold an article with the same canonical URL (copies, moves, corrections);
//! the index keeps one, by one rule that depends only on the files as they are now ([`ranks`]):
//! the newest modification time, then the greatest key. Each file is decided as it is read,
//! against the URL's current holder; every URL whose set of claimants changed in ways that
//! decision cannot see (a holder changed or gone, a file that lost) is decided again at the end
//! of the run over all its claimants ([`Applier::settle`]), so the result never depends on the
//! order files were read in or on earlier runs. Those URLs are recorded with every commit, so a
//! run stopped before the end leaves them to the next.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::ErrorKind;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, RecvTimeoutError, Sender};
use serde::Serialize;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, TERMINATED};

use super::layout;
use super::lock;
use super::manifest::{FileColumns, FileStamp, Manifest, Note, Payload, RootStamp};
use super::{Access, NewsIndex};
use crate::error::{Error, Result};
use crate::extract::{extract_all, ExtractError, ExtractOptions};
use crate::walk::{escaped, key_to_path, relative_key, walk, CorpusFile, ProblemKind};

/// How many times one run decides contested URLs again before leaving the rest, recorded, to
/// the next run. Each round reads the files that win a URL back; a round starts another only
/// when a file read back changes another URL's claimants, which settles in two or three.
const SETTLE_ROUNDS: usize = 16;

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
    /// For tests of crash safety: fail the run after this many steps (files applied, commits,
    /// URLs decided again), keeping nothing since the last commit, as a kill would.
    #[doc(hidden)]
    pub abort_after: Option<usize>,
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
            abort_after: None,
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
    let mut corpora: Vec<Corpus> = Vec::new();
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
        let stamp = {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(&canonical)
                .ok()
                .map(|metadata| RootStamp {
                    device: metadata.dev(),
                    inode: metadata.ino(),
                })
        };
        corpora.push(Corpus {
            label: corpus_label(root, &canonical),
            root: root.clone(),
            canonical,
            stamp,
            skip: Vec::new(),
            prefix: None,
        });
    }
    // A folder given twice, or inside another one given, would be walked twice.
    let canonicals: Vec<PathBuf> = corpora
        .iter()
        .map(|corpus| corpus.canonical.clone())
        .collect();
    let mut kept = HashSet::new();
    corpora.retain(|corpus| {
        let inside_another = canonicals
            .iter()
            .any(|other| other != &corpus.canonical && corpus.canonical.starts_with(other));
        !inside_another && kept.insert(corpus.canonical.clone())
    });
    let mut labels = HashSet::new();
    for corpus in &corpora {
        if !labels.insert(corpus.label.clone()) {
            return Err(Error::Usage(format!(
                "two corpus folders are named {}: the index names each folder's files by the \
                 folder's name, so give folders with different names",
                corpus.label
            )));
        }
    }
    // With several folders in one run, an article without a URL is known by its folder's name
    // and its path, so that `2024/berita.txt` in two folders are two articles.
    if corpora.len() > 1 {
        for corpus in &mut corpora {
            corpus.prefix = Some(Arc::from(corpus.label.as_str()));
        }
    }
    let _lock = lock::acquire(index_path, options.wait)?;
    // An index kept inside a corpus folder is not part of the corpus.
    if let Ok(index_canonical) = std::fs::canonicalize(index_path) {
        for corpus in &mut corpora {
            if let Ok(inside) = index_canonical.strip_prefix(&corpus.canonical) {
                if !inside.as_os_str().is_empty() {
                    corpus.skip.push(corpus.root.join(inside));
                }
            }
        }
    }
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
    let mut payload = match super::manifest::read_payload(&news.index) {
        Ok(Some(payload)) if payload.mismatch(&timezone).is_none() => payload,
        _ => Payload::new(&timezone),
    };
    // A folder recorded under another name that is the very folder walked now (same device
    // and inode) was moved or renamed: its files are known again under the new name, and the
    // old name's records go at the end of a complete walk.
    let mut moved = Vec::new();
    for (label, stamp) in &payload.roots {
        let walked_now = corpora.iter().any(|corpus| &corpus.label == label);
        if !walked_now && corpora.iter().any(|corpus| corpus.stamp == Some(*stamp)) {
            moved.push(label.clone());
        }
    }
    for corpus in &corpora {
        if let Some(stamp) = corpus.stamp {
            payload.roots.insert(corpus.label.clone(), stamp);
        }
    }
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
                    let fallback = job.clone();
                    let outcome =
                        super::health::catch_panic(|| process(job, &news, &extract_options))
                            .unwrap_or_else(|message| Outcome::Unrecorded {
                                job: fallback,
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
            state.remove_vanished(
                &manifest,
                &corpora,
                &moved,
                &report.unreadable,
                &mut summary,
            )?;
            state.settle(&corpora, &mut summary, on_progress)?;
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

/// One corpus folder as given, and the name its files' keys start with.
struct Corpus {
    root: PathBuf,
    canonical: PathBuf,
    /// The folder's name: the first part of its files' keys.
    label: String,
    /// The folder's device and inode, when they could be read.
    stamp: Option<RootStamp>,
    /// Folders under `root` not to walk (the index, when it is kept inside).
    skip: Vec<PathBuf>,
    /// What ids of articles without a URL start with, when several folders are walked.
    prefix: Option<Arc<str>>,
}

impl Corpus {
    fn holds(&self, key: &str) -> bool {
        corpora_hold(std::slice::from_ref(&self.label), key)
    }

    /// The key of the file at `path` under this folder.
    fn key_of(&self, path: &Path) -> String {
        if path == self.root {
            return self.label.clone();
        }
        format!("{}/{}", self.label, relative_key(&self.root, path))
    }
}

/// The name a corpus folder's files are keyed under: the last part of the path as given (so a
/// link swapped to another folder keeps its name), or of the folder it leads to when the path
/// ends in `.` or `..`.
fn corpus_label(root: &Path, canonical: &Path) -> String {
    let given = match root.components().next_back() {
        Some(std::path::Component::Normal(name)) => Some(name),
        _ => None,
    };
    given
        .or_else(|| canonical.file_name())
        .map(|name| escaped(name, '%'))
        .unwrap_or_else(|| "/".to_string())
}

/// True when `key` lies strictly inside one of the folders (or folder names) `roots`.
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

/// A brand-new index in a new generation, live from its first commit; an unfinished rebuild
/// (`building`) is removed first. `rebuild` says why, when an index stood there before.
fn new_index(root: &Path, building: Option<PathBuf>, rebuild: Option<String>) -> Result<Target> {
    if let Some(stale) = building {
        layout::remove_generation(root, &stale)?;
    }
    let dir = layout::new_generation(root)?;
    let news = NewsIndex::create_dir(root, &dir, Access::Ingest)?;
    Ok(Target {
        news,
        rebuild,
        publish_now: true,
        replaced: None,
    })
}

/// Picks the generation to write: the live one when it can be updated in place, else a new
/// (or a resumed, unfinished) rebuild beside it.
fn choose_target(root: &Path, full: bool, timezone: &str) -> Result<Target> {
    let building = layout::building(root)?;
    let live = match layout::live(root) {
        Ok(live) => live,
        // A damaged `CURRENT` names nothing to update: a new index, live from its first commit.
        Err(Error::Damaged { detail, .. }) => return new_index(root, building, Some(detail)),
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
        return new_index(root, building, None);
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
#[derive(Clone)]
struct Job {
    key: String,
    file: CorpusFile,
    /// What the ids of its articles without a URL start with, if anything.
    prefix: Option<Arc<str>>,
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
            &corpus.skip,
            |file| {
                if stop.load(Ordering::Relaxed) != 0 {
                    stopped = true;
                    return ControlFlow::Break(());
                }
                files += 1;
                counters.seen.fetch_add(1, Ordering::Relaxed);
                let key = format!("{}/{}", corpus.label, file.key);
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
                    prefix: corpus.prefix.clone(),
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
                    report.unreadable.push(corpus.key_of(&problem.path));
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
            report.unreadable.push(corpus.label.clone());
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
    let (mut articles, problems) = match extract_all(&bytes, &job.file.relative, options) {
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
    if articles.len() > 1 {
        // A file holds a URL once: the first of its records with that URL.
        let mut urls = HashSet::new();
        articles.retain(|article| {
            article
                .url
                .as_ref()
                .is_none_or(|url| urls.insert(url.clone()))
        });
    }
    if let Some(prefix) = &job.prefix {
        for article in articles.iter_mut().filter(|article| article.url.is_none()) {
            article.id = format!("{prefix}/{}", article.id);
        }
    }
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

/// The rule for which of several files holds a canonical URL, the same in every run and in a
/// fresh build: the file with the newest modification time, then the greatest key (bytewise).
/// It depends only on the files as they are now, never on the order they were read in.
fn ranks(file: (i64, &str), over: (i64, &str)) -> bool {
    file > over
}

fn rank_of(holder: &Holder) -> (i64, &str) {
    (holder.stamp.modified, holder.key.as_str())
}

/// The `ingest_*` columns of one committed segment, for finding who holds a URL.
struct IngestColumns {
    segment: tantivy::SegmentReader,
    store: tantivy::store::StoreReader,
    files: FileColumns,
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
    /// URLs deleted by id since the last commit: their committed articles are gone.
    batch_deleted_urls: HashSet<String>,
    /// Files with URL articles written since the last commit.
    batch_written: HashSet<String>,
    /// For each contested URL, the recorded files whose article with it lost (from the notes).
    losers: HashMap<String, BTreeSet<String>>,
    /// URLs whose holder is to be decided again before the run ends.
    unsettled: BTreeSet<String>,
    /// Unsettled URLs whose claimants this run cannot read (a folder not walked this run).
    deferred: BTreeSet<String>,
    /// Steps left before the test hook [`IngestOptions::abort_after`] aborts the run.
    abort_in: Option<usize>,
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
    fn step(&mut self) -> Result<()> {
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
    fn note_loss(&mut self, key: &str, stamp: FileStamp, url: &str) {
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
    fn drop_url(&mut self, url: &str) {
        // An article's id is its URL when it has one.
        self.delete(Term::from_field_text(self.news.fields.id, url));
        self.batch_deleted_urls.insert(url.to_string());
        self.batch_urls.remove(url);
    }

    fn is_contested(&self, url: &str) -> bool {
        self.losers.get(url).is_some_and(|keys| !keys.is_empty())
    }

    fn load_columns(&mut self) -> Result<()> {
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

    /// Deletes every document of `key` (committed or of this batch) and its note; the
    /// contested URLs it held are decided again at the end. A file the index has no record of
    /// has nothing to delete, which saves a first build one lookup per file; nor is it kept in
    /// `handled`, which only recorded files are checked against (a first build of 800,000
    /// files would hold every path there until the end).
    fn forget(&mut self, key: &str, recorded: bool, summary: &mut IngestSummary) -> Result<()> {
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
    fn stored_id(&self, segment: usize, doc: tantivy::DocId) -> Result<String> {
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

    fn delete(&mut self, term: Term) {
        self.writer.delete_term(term);
    }

    /// The file that holds an article with canonical URL `url`, if any.
    fn url_holder(&self, url: &str) -> Result<Option<Holder>> {
        if let Some(holder) = self.batch_urls.get(url) {
            return Ok(Some(holder.clone()));
        }
        if self.batch_deleted_urls.contains(url) {
            return Ok(None);
        }
        Ok(self.committed_holders(url)?.into_iter().next())
    }

    /// The files whose committed, live articles have id `url` (normally one at most).
    fn committed_holders(&self, url: &str) -> Result<Vec<Holder>> {
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

    /// Removes recorded files under the walked corpora that the walk did not see, and every
    /// file recorded under the old name of a folder that was moved (`moved`).
    fn remove_vanished(
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
    fn settle(
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
    fn read_back(
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
    fn commit(&mut self, summary: &mut IngestSummary, force: bool) -> Result<()> {
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
