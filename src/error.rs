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
