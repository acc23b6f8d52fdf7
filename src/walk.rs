//! Walking corpus folders: every regular file with its size and modification time, hidden
//! entries skipped, links never followed. The walk streams: each file is handed over as soon as
//! it is found, so work can start before the walk ends.
//!
//! A file is known by its path relative to the corpus root, kept byte for byte: names that are
//! not UTF-8 are escaped ([`relative_key`]), never replaced, so two names that differ only in
//! invalid bytes stay two files.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// One file found under a corpus root.
#[derive(Clone, Debug)]
pub struct CorpusFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its path relative to the root it was found under, with `/` separators, for showing and
    /// as its article's path: bytes that are not UTF-8 are written `%XX`.
    pub relative: String,
    /// Its path relative to the root as an exact, reversible key ([`relative_key`]).
    pub key: String,
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
/// tree). Folders in `skip` (paths under `root` as walked, such as an index kept inside the
/// corpus) are passed over silently. Stops early when `on_file` returns [`ControlFlow::Break`].
pub fn walk(
    root: &Path,
    skip: &[PathBuf],
    mut on_file: impl FnMut(CorpusFile) -> ControlFlow<()>,
    mut on_problem: impl FnMut(WalkProblem),
) {
    let entries = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(is_hidden(entry.file_name())
                    || (entry.file_type().is_dir() && skip.iter().any(|dir| dir == entry.path())))
        });
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
        let key = relative_key(root, entry.path());
        // The shown path differs from the key only for a name that is not UTF-8.
        let relative = if key.contains(KEY_ESCAPE) {
            relative_path(root, entry.path())
        } else {
            key.clone()
        };
        let file = CorpusFile {
            path: entry.path().to_path_buf(),
            relative,
            key,
            size: metadata.len(),
            modified,
        };
        if on_file(file).is_break() {
            return;
        }
    }
}

/// `path` relative to `root` with `/` separators, bytes that are not UTF-8 written `%XX`; the
/// file name when `path` is `root` itself. For showing, and as an article's path.
pub fn relative_path(root: &Path, path: &Path) -> String {
    relative_with(root, path, SHOWN_ESCAPE)
}

/// `path` relative to `root` with `/` separators, as an exact key: a name that is UTF-8 is kept
/// as it is, and every byte of one that is not, that is not part of a UTF-8 character, is
/// written as a NUL and two hex digits. No file name holds a NUL, so two different paths never
/// share a key, and [`key_to_path`] gives the path back.
pub fn relative_key(root: &Path, path: &Path) -> String {
    relative_with(root, path, KEY_ESCAPE)
}

/// The path under `root` that [`relative_key`] made `key` from.
pub fn key_to_path(root: &Path, key: &str) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let mut bytes = Vec::with_capacity(key.len());
    let mut rest = key.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        let escaped = (first == KEY_ESCAPE as u8)
            .then(|| tail.get(..2))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                bytes.push(byte);
                rest = &tail[2..];
            }
            None => {
                bytes.push(first);
                rest = tail;
            }
        }
    }
    root.join(std::ffi::OsStr::from_bytes(&bytes))
}

/// What stands before the two hex digits of a byte that is not UTF-8, in shown paths.
const SHOWN_ESCAPE: char = '%';
/// ... and in keys: a character no file name can hold.
const KEY_ESCAPE: char = '\0';

fn relative_with(root: &Path, path: &Path, escape: char) -> String {
    let relative = path
        .strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|part| escaped(part.as_os_str(), escape))
        .collect::<Vec<_>>()
        .join("/");
    if relative.is_empty() {
        path.file_name()
            .map(|name| escaped(name, escape))
            .unwrap_or_default()
    } else {
        relative
    }
}

/// `name` as text, each byte that is not part of a UTF-8 character written `escape` + two hex
/// digits.
pub fn escaped(name: &std::ffi::OsStr, escape: char) -> String {
    use std::os::unix::ffi::OsStrExt;
    if let Some(text) = name.to_str() {
        return text.to_string();
    }
    let mut out = String::new();
    for chunk in name.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push(escape);
            out.push_str(&format!("{byte:02X}"));
        }
    }
    out
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

    #[test]
    fn names_that_are_not_utf8_keep_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let root = Path::new("arsip");
        let one = root.join(std::ffi::OsStr::from_bytes(b"a\xff.txt"));
        let two = root.join(std::ffi::OsStr::from_bytes(b"a\xfe.txt"));
        assert_ne!(relative_key(root, &one), relative_key(root, &two));
        assert_ne!(relative_path(root, &one), relative_path(root, &two));
        assert_eq!(relative_path(root, &one), "a%FF.txt");
        assert_eq!(key_to_path(root, &relative_key(root, &one)), one);
        let plain = root.join("2024").join("berita 100%.html");
        assert_eq!(relative_key(root, &plain), "2024/berita 100%.html");
        assert_eq!(key_to_path(root, &relative_key(root, &plain)), plain);
    }
}
