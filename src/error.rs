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

impl Error {
    /// A failed write to the index at `path`: what failed, and what to do, which for a full
    /// disk is to free space (a rebuild would need more of it, not less).
    pub fn write(path: &std::path::Path, source: &tantivy::TantivyError) -> Error {
        let detail = match io_error(source) {
            Some(error) => error.to_string(),
            None => match crate::index::reads::last_write_error() {
                Some(error) => format!("{error} ({source})"),
                None => source.to_string(),
            },
        };
        // tantivy passes some I/O errors on only as text (from its indexing threads).
        let text = format!("{detail} {source}");
        let full = [libc::ENOSPC, libc::EDQUOT]
            .iter()
            .any(|code| text.contains(&format!("(os error {code})")));
        let detail = if full {
            "no space left on the disk (or over quota)".to_string()
        } else {
            detail
        };
        let advice = if full {
            "the index is as the last complete run left it and can still be searched; what \
             this run wrote was removed; free disk space, then run the same command again"
        } else {
            "the index is as the last complete run left it and can still be searched; what \
             this run wrote was removed; run the same command again once the cause is fixed"
        };
        Error::Write {
            path: path.to_path_buf(),
            detail,
            advice: advice.to_string(),
        }
    }
}

/// The I/O error inside `error`, when it is one.
fn io_error(error: &tantivy::TantivyError) -> Option<&std::io::Error> {
    use tantivy::directory::error::OpenWriteError;
    match error {
        tantivy::TantivyError::IoError(error) => Some(error),
        tantivy::TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => {
            Some(io_error)
        }
        _ => None,
    }
}
