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
//! into a new generation and published at the end (see [`crate::index::layout`]).
//!
//! Several files may hold an article with the same canonical URL (copies, moves, corrections);
//! the index keeps one, by one rule that depends only on the files as they are now ([`ranks`]):
//! the newest modification time, then the greatest key. Each file is decided as it is read,
//! against the URL's current holder; every URL whose set of claimants changed in ways that
//! decision cannot see (a holder changed or gone, a file that lost) is decided again at the end
//! of the run over all its claimants ([`Applier::settle`]), so the result never depends on the
//! order files were read in or on earlier runs. Those URLs are recorded with every commit, so a
//! run stopped before the end leaves them to the next.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use serde::Serialize;
use tantivy::{IndexWriter, ReloadPolicy};

mod apply;
mod corpus;
mod target;
mod work;

use self::apply::Applier;
use self::corpus::{corpus_label, Corpus};
use self::target::choose_target;
use self::work::{process, walk_corpora, Counters, Job, Outcome, WalkReport};
use crate::error::{Error, Result};
use crate::extract::ExtractOptions;
use crate::index::layout;
use crate::index::lock;
use crate::index::manifest::{Manifest, Payload, RootStamp};

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
    let outcome = crate::index::health::guard(index_path, || {
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
        let _ = crate::index::health::sweep(&live);
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
    let mut payload = match crate::index::manifest::read_payload(&news.index) {
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
                        crate::index::health::catch_panic(|| process(job, &news, &extract_options))
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
