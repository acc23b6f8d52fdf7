//! The library's error type: every variant names the file or index involved.

use std::path::PathBuf;

/// Errors from the index and the commands built on it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {path}: run `newsidx ingest DIR` first, or point --index / NEWSIDX_INDEX at an existing index")]
    NoIndex { path: PathBuf },
    #[error(
        "index at {path} cannot be read: {source}; rebuild it with `newsidx ingest --full DIR`"
    )]
    Index {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("index at {path} is damaged: {detail}; `newsidx check --index {path}` lists what is wrong, and `newsidx ingest --full DIR` rebuilds it")]
    Damaged { path: PathBuf, detail: String },
    #[error("writing the index at {path} failed: {detail}; {advice}")]
    Write {
        path: PathBuf,
        detail: String,
        /// What to do, which depends on what failed (see [`Error::write`]).
        advice: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "index at {path} is held by another newsidx ingest; try again later or pass --wait SECONDS"
    )]
    Locked { path: PathBuf },
    #[error("{0}")]
    Usage(String),
}

pub type Result<T> = std::result::Result<T, Error>;
