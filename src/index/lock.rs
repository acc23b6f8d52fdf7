//! The one-writer lock: an OS advisory lock on `ingest.lock` in the index folder, held for a
//! whole ingest run. The OS drops it when the process ends, however it ends.

use std::fs::{self, File, OpenOptions};
use std::path::Path;
use std::time::{Duration, Instant};

use fs4::fs_std::FileExt;

use super::layout;
use crate::error::{Error, Result};

/// Held while an ingest runs; released on drop or process exit.
#[derive(Debug)]
pub struct IngestLock {
    _file: File,
}

/// Takes the lock of the index at `root` (creating the folder). When another process holds it:
/// [`Error::Locked`] at once, or after waiting up to `wait`.
pub fn acquire(root: &Path, wait: Option<Duration>) -> Result<IngestLock> {
    fs::create_dir_all(root).map_err(|source| Error::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let path = root.join(layout::LOCK);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
    let deadline = wait.map(|wait| Instant::now() + wait);
    loop {
        match file.try_lock_exclusive() {
            Ok(true) => return Ok(IngestLock { _file: file }),
            Ok(false) => {}
            Err(source) if source.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(source) => return Err(Error::Io { path, source }),
        }
        match deadline {
            Some(deadline) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            _ => {
                return Err(Error::Locked {
                    path: root.to_path_buf(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), None).unwrap();
        assert!(matches!(
            acquire(dir.path(), Some(Duration::from_millis(150))),
            Err(Error::Locked { .. })
        ));
        drop(first);
        assert!(acquire(dir.path(), None).is_ok());
    }
}
