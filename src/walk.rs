//! Walking corpus folders: every regular file, hidden entries skipped, links never followed.

use std::path::{Path, PathBuf};

/// One file found under a corpus root.
#[derive(Clone, Debug)]
pub struct CorpusFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its path relative to the root it was found under, with `/` separators.
    pub relative: String,
}

/// What the walk met instead of a file.
#[derive(Clone, Debug)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub reason: String,
}

/// Walks `root` in sorted order, calling `on_file` for each regular file and `on_problem` for
/// every entry that could not be read or was a link (not followed, so a walk never leaves the tree).
pub fn walk(
    root: &Path,
    mut on_file: impl FnMut(CorpusFile),
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
                });
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            on_problem(WalkProblem {
                path: entry.path().to_path_buf(),
                reason: "symbolic link, not followed".to_string(),
            });
            continue;
        }
        if !file_type.is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let relative = if relative.is_empty() {
            entry.file_name().to_string_lossy().into_owned()
        } else {
            relative
        };
        on_file(CorpusFile {
            path: entry.path().to_path_buf(),
            relative,
        });
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}
