//! The walker thread and the extraction workers: files in, extracted documents out, over
//! bounded channels.

use std::collections::HashSet;
use std::io::ErrorKind;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crossbeam_channel::Sender;
use tantivy::TantivyDocument;

use super::corpus::Corpus;
use crate::extract::{extract_all, ExtractError, ExtractOptions};
use crate::index::manifest::{FileStamp, Manifest};
use crate::index::NewsIndex;
use crate::walk::{walk, CorpusFile, ProblemKind};

/// Counts shared by the walker and the applying thread.
#[derive(Default)]
pub(super) struct Counters {
    pub(super) seen: AtomicUsize,
    pub(super) unchanged: AtomicUsize,
    pub(super) processed: AtomicUsize,
}

/// What the walk met besides files, once it is over.
#[derive(Default)]
pub(super) struct WalkReport {
    pub(super) problems: Vec<crate::walk::WalkProblem>,
    /// Keys of folders that could not be read: their files are unknown, not gone.
    pub(super) unreadable: Vec<String>,
    /// True when the walk was cut short (a stop was asked for, or the run gave up).
    pub(super) stopped: bool,
}

/// A file to read and extract.
#[derive(Clone)]
pub(super) struct Job {
    pub(super) key: String,
    pub(super) file: CorpusFile,
    /// What the ids of its articles without a URL start with, if anything.
    pub(super) prefix: Option<Arc<str>>,
    /// Its stamp as recorded, when the manifest has one.
    pub(super) previous: Option<FileStamp>,
    /// True when the index may hold documents or a note of this file.
    pub(super) recorded: bool,
}

/// What a worker made of a job.
pub(super) enum Outcome {
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
pub(super) fn walk_corpora(
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
pub(super) fn process(job: Job, news: &NewsIndex, options: &ExtractOptions) -> Outcome {
    crate::index::health::fault_panic(&job.file.path);
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
