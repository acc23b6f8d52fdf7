//! The corpus folders of a run: each folder's name, which its files' keys start with.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::index::manifest::RootStamp;
use crate::walk::{escaped, relative_key};

/// One corpus folder as given, and the name its files' keys start with.
pub(super) struct Corpus {
    pub(super) root: PathBuf,
    pub(super) canonical: PathBuf,
    /// The folder's name: the first part of its files' keys.
    pub(super) label: String,
    /// The folder's device and inode, when they could be read.
    pub(super) stamp: Option<RootStamp>,
    /// Folders under `root` not to walk (the index, when it is kept inside).
    pub(super) skip: Vec<PathBuf>,
    /// What ids of articles without a URL start with, when several folders are walked.
    pub(super) prefix: Option<Arc<str>>,
}

impl Corpus {
    pub(super) fn holds(&self, key: &str) -> bool {
        corpora_hold(std::slice::from_ref(&self.label), key)
    }

    /// The key of the file at `path` under this folder.
    pub(super) fn key_of(&self, path: &Path) -> String {
        if path == self.root {
            return self.label.clone();
        }
        format!("{}/{}", self.label, relative_key(&self.root, path))
    }
}

/// The name a corpus folder's files are keyed under: the last part of the path as given (so a
/// link swapped to another folder keeps its name), or of the folder it leads to when the path
/// ends in `.` or `..`.
pub(super) fn corpus_label(root: &Path, canonical: &Path) -> String {
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
pub(super) fn corpora_hold(roots: &[String], key: &str) -> bool {
    roots.iter().any(|root| {
        key.len() > root.len()
            && key.starts_with(root.as_str())
            && key.as_bytes()[root.len()] == b'/'
    })
}
