//! Walking corpus folders: every regular file with its size and modification time, hidden
//! entries skipped, links never followed. The walk streams: each file is handed over as soon as
//! it is found, so work can start before the walk ends.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// One file found under a corpus root.
#[derive(Clone, Debug)]
pub struct CorpusFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its path relative to the root it was found under, with `/` separators.
    pub relative: String,
    /// Size in bytes when the walk saw it.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch when the walk saw it (0 when unknown).
    pub modified: i64,
}

/// What kind of entry the walk could not hand over as a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A folder or file that could not be read: what is under it is unknown, not gone.
    Unreadable,
    /// A symbolic link, which is never followed.
    Link,
}

/// What the walk met instead of a file.
#[derive(Clone, Debug)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub reason: String,
    pub kind: ProblemKind,
}

/// Walks `root` in sorted order, calling `on_file` for each regular file and `on_problem` for
/// every entry that could not be read or was a link (not followed, so a walk never leaves the
/// tree). Stops early when `on_file` returns [`ControlFlow::Break`].
pub fn walk(
    root: &Path,
    mut on_file: impl FnMut(CorpusFile) -> ControlFlow<()>,
    mut on_problem: impl FnMut(WalkProblem),
) {
    let entries = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(root).to_path_buf();
                on_problem(WalkProblem {
                    path,
                    reason: error.to_string(),
                    kind: ProblemKind::Unreadable,
                });
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            on_problem(WalkProblem {
                path: entry.path().to_path_buf(),
                reason: "symbolic link, not followed".to_string(),
                kind: ProblemKind::Link,
            });
            continue;
        }
        if !file_type.is_file() {
            continue;
        }
        let metadata = match entry.metadata() {
            Ok(metadata) => metadata,
            Err(error) => {
                on_problem(WalkProblem {
                    path: entry.path().to_path_buf(),
                    reason: error.to_string(),
                    kind: ProblemKind::Unreadable,
                });
                continue;
            }
        };
        let modified = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |since| {
                i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
            });
        let relative = relative_path(root, entry.path());
        let file = CorpusFile {
            path: entry.path().to_path_buf(),
            relative,
            size: metadata.len(),
            modified,
        };
        if on_file(file).is_break() {
            return;
        }
    }
}

/// `path` relative to `root` with `/` separators; the file name when `path` is `root` itself.
pub fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path
        .strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if relative.is_empty() {
        path.file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        relative
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_use_forward_slashes() {
        let root = Path::new("arsip");
        assert_eq!(
            relative_path(root, &root.join("2024").join("berita.html")),
            "2024/berita.html"
        );
        assert_eq!(relative_path(root, root), "arsip");
    }
}
