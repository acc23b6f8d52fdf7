//! The index folder's layout: generations, and the pointer that names the live one.
//!
//! ```text
//! index/
//!   CURRENT        name of the live generation, replaced atomically (write, fsync, rename)
//!   BUILDING       name of a rebuild in progress, so an interrupted rebuild resumes
//!   ingest.lock    held by the one running ingest
//!   gen-3/         a complete tantivy index
//! ```
//!
//! A rebuild writes a new generation beside the live one and swaps `CURRENT` at the end, so
//! readers see the old index or the new one and a failed rebuild leaves the old one untouched.
//! An index made before generations existed (tantivy files directly in the folder) still opens.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// File naming the live generation.
pub const CURRENT: &str = "CURRENT";
/// File naming a rebuild in progress.
pub const BUILDING: &str = "BUILDING";
/// Lock file held by a running ingest.
pub const LOCK: &str = "ingest.lock";

const GENERATION_PREFIX: &str = "gen-";

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The folder holding the live tantivy index under `root`, if there is one.
pub fn live(root: &Path) -> Result<Option<PathBuf>> {
    if let Some(name) = read_pointer(root, CURRENT)? {
        let dir = root.join(&name);
        if !dir.is_dir() {
            return Err(Error::Damaged {
                path: root.to_path_buf(),
                detail: format!("{CURRENT} names {name}, which is not there"),
            });
        }
        return Ok(Some(dir));
    }
    if is_legacy(root) {
        return Ok(Some(root.to_path_buf()));
    }
    Ok(None)
}

/// True when `root` holds tantivy files directly (an index made before generations).
pub fn is_legacy(root: &Path) -> bool {
    root.join("meta.json").is_file() && !root.join(CURRENT).exists()
}

/// The generation a previous, unfinished rebuild was writing, if it is still there.
/// A damaged `BUILDING` names none: the next rebuild starts afresh and replaces it.
pub fn building(root: &Path) -> Result<Option<PathBuf>> {
    Ok(read_pointer(root, BUILDING)
        .ok()
        .flatten()
        .map(|name| root.join(name))
        .filter(|path| path.is_dir()))
}

/// Creates a fresh, empty generation folder under `root` and records it as being built.
pub fn new_generation(root: &Path) -> Result<PathBuf> {
    fs::create_dir_all(root).map_err(io_error(root))?;
    let mut highest = 0u64;
    for entry in fs::read_dir(root).map_err(io_error(root))? {
        let entry = entry.map_err(io_error(root))?;
        let name = entry.file_name();
        let number = name
            .to_str()
            .and_then(|name| name.strip_prefix(GENERATION_PREFIX))
            .and_then(|number| number.parse::<u64>().ok());
        if let Some(number) = number {
            highest = highest.max(number);
        }
    }
    let name = format!("{GENERATION_PREFIX}{}", highest + 1);
    let path = root.join(&name);
    fs::create_dir(&path).map_err(io_error(&path))?;
    write_pointer(root, BUILDING, &name)?;
    Ok(path)
}

/// Makes `generation` the live index: `CURRENT` is replaced in one rename.
pub fn publish(root: &Path, generation: &Path) -> Result<()> {
    let name = generation
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| Error::Usage(format!("{}: not a generation", generation.display())))?;
    write_pointer(root, CURRENT, name)?;
    let building = root.join(BUILDING);
    if building.exists() {
        fs::remove_file(&building).map_err(io_error(&building))?;
    }
    Ok(())
}

/// Removes every generation under `root` except those in `keep`, and tantivy files of a
/// pre-generation index. Readers that already opened them keep their open files.
pub fn remove_others(root: &Path, keep: &[&Path]) -> Result<()> {
    if root.join("meta.json").is_file() {
        remove_legacy_files(root)?;
    }
    for entry in fs::read_dir(root).map_err(io_error(root))? {
        let entry = entry.map_err(io_error(root))?;
        let path = entry.path();
        let is_generation = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(GENERATION_PREFIX));
        if is_generation && !keep.contains(&path.as_path()) && path.is_dir() {
            fs::remove_dir_all(&path).map_err(io_error(&path))?;
        }
    }
    Ok(())
}

/// Removes a generation folder (an abandoned rebuild).
pub fn remove_generation(root: &Path, generation: &Path) -> Result<()> {
    if generation.is_dir() {
        fs::remove_dir_all(generation).map_err(io_error(generation))?;
    }
    let building = root.join(BUILDING);
    if building.exists() {
        fs::remove_file(&building).map_err(io_error(&building))?;
    }
    Ok(())
}

/// Removes the files tantivy manages directly under `root` (listed in `.managed.json`).
fn remove_legacy_files(root: &Path) -> Result<()> {
    let managed = root.join(".managed.json");
    let mut names: Vec<String> = match fs::read(&managed) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    names.push("meta.json".to_string());
    names.push(".managed.json".to_string());
    names.push(".tantivy-meta.lock".to_string());
    names.push(".tantivy-writer.lock".to_string());
    for name in names {
        // Only plain names: a damaged list must never reach outside the folder.
        if name.contains('/') || name.contains('\\') || name.starts_with("..") {
            continue;
        }
        let path = root.join(&name);
        if path.is_file() {
            fs::remove_file(&path).map_err(io_error(&path))?;
        }
    }
    Ok(())
}

fn read_pointer(root: &Path, file: &str) -> Result<Option<String>> {
    let path = root.join(file);
    let text = match fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Io { path, source }),
    };
    let name = text.trim();
    let generation = name
        .strip_prefix(GENERATION_PREFIX)
        .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()));
    if !generation {
        return Err(Error::Damaged {
            path: root.to_path_buf(),
            detail: format!("{file} does not name an index generation"),
        });
    }
    Ok(Some(name.to_string()))
}

/// Writes `name` into `root/file` so that readers see the old content or the new, never half.
fn write_pointer(root: &Path, file: &str, name: &str) -> Result<()> {
    let target = root.join(file);
    let temporary = root.join(format!("{file}.tmp"));
    {
        let mut out = fs::File::create(&temporary).map_err(io_error(&temporary))?;
        writeln!(out, "{name}").map_err(io_error(&temporary))?;
        out.sync_all().map_err(io_error(&temporary))?;
    }
    fs::rename(&temporary, &target).map_err(io_error(&target))?;
    // The rename itself must survive a power cut before the old generation is removed.
    if let Ok(folder) = fs::File::open(root) {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_switches_the_live_generation() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert_eq!(live(root).unwrap(), None);
        let first = new_generation(root).unwrap();
        assert_eq!(building(root).unwrap(), Some(first.clone()));
        publish(root, &first).unwrap();
        assert_eq!(live(root).unwrap(), Some(first.clone()));
        assert_eq!(building(root).unwrap(), None);
        let second = new_generation(root).unwrap();
        assert_ne!(first, second);
        publish(root, &second).unwrap();
        remove_others(root, &[&second]).unwrap();
        assert_eq!(live(root).unwrap(), Some(second));
        assert!(!first.exists());
    }

    #[test]
    fn a_pointer_outside_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(CURRENT), "../elsewhere\n").unwrap();
        assert!(live(dir.path()).is_err());
    }
}
