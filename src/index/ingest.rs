//! Ingest: walk corpus folders, extract every file, write the articles into the index.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::NewsIndex;
use crate::error::{Error, Result};
use crate::extract::{extract, ExtractOptions};
use crate::walk::{walk, CorpusFile};

/// Settings of one ingest run.
#[derive(Clone, Debug, Default)]
pub struct IngestOptions {
    pub extract: ExtractOptions,
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
    pub files_seen: usize,
    pub articles_indexed: usize,
    pub files_skipped: usize,
    pub skipped: Vec<Skipped>,
    pub elapsed_secs: f64,
}

/// Events reported while ingesting, for progress bars and logs.
pub enum Progress<'a> {
    /// Total number of files found by the walk.
    Found(usize),
    /// One file done.
    File(&'a Path),
    /// One file skipped.
    Skipped(&'a Skipped),
}

/// Builds the index at `index_path` from the files under `roots`.
pub fn ingest(
    index_path: &Path,
    roots: &[PathBuf],
    options: &IngestOptions,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<IngestSummary> {
    let started = Instant::now();
    let mut summary = IngestSummary::default();
    for root in roots {
        if !root.is_dir() {
            return Err(Error::Usage(format!(
                "{}: not a folder; pass the folder that holds the articles",
                root.display()
            )));
        }
    }
    let news = NewsIndex::open_or_create(index_path)?;
    let mut writer: tantivy::IndexWriter =
        news.index
            .writer(100_000_000)
            .map_err(|source| match source {
                tantivy::TantivyError::LockFailure(..) => Error::Locked {
                    path: index_path.to_path_buf(),
                },
                source => news.error(source),
            })?;
    writer
        .delete_all_documents()
        .map_err(|source| news.error(source))?;

    let mut files: Vec<CorpusFile> = Vec::new();
    for root in roots {
        walk(
            root,
            |file| files.push(file),
            |problem| {
                summary.skipped.push(Skipped {
                    path: problem.path.display().to_string(),
                    reason: problem.reason,
                })
            },
        );
    }
    on_progress(Progress::Found(files.len()));
    for skipped in &summary.skipped {
        on_progress(Progress::Skipped(skipped));
    }
    for file in &files {
        summary.files_seen += 1;
        let outcome = std::fs::read(&file.path)
            .map_err(|error| error.to_string())
            .and_then(|bytes| {
                extract(&bytes, &file.relative, &options.extract).map_err(|error| error.to_string())
            });
        match outcome {
            Ok(articles) => {
                for article in &articles {
                    writer
                        .add_document(news.to_document(article))
                        .map_err(|source| news.error(source))?;
                    summary.articles_indexed += 1;
                }
            }
            Err(reason) => {
                let skipped = Skipped {
                    path: file.path.display().to_string(),
                    reason,
                };
                on_progress(Progress::Skipped(&skipped));
                summary.skipped.push(skipped);
            }
        }
        on_progress(Progress::File(&file.path));
    }
    writer.commit().map_err(|source| news.error(source))?;
    writer
        .wait_merging_threads()
        .map_err(|source| news.error(source))?;
    summary.files_skipped = summary.skipped.len();
    summary.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(summary)
}
