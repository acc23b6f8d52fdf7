//! How ingest reads the index's own files: through the page cache, not through long-lived maps.
//!
//! tantivy's [`MmapDirectory`] maps each segment file whole and keeps the map while any part of
//! the segment is in use. A merge reads its input segments through once, so every page of them
//! becomes resident in the ingest process and stays so until the merge ends; at a million
//! articles that was two thirds of the ingest's peak resident memory. [`ReadDirectory`] writes
//! exactly as [`MmapDirectory`] does, but reads with `pread`: small reads are served from one
//! cached chunk per file (merges read each file front to back), and a large read (a segment's
//! whole document store, stacked by a merge) gets a map of its own range that is unmapped as
//! soon as the bytes are dropped. The pages stay in the kernel's page cache, which is shared
//! and reclaimable, instead of in the process.
//!
//! Searches keep [`MmapDirectory`]: they read few, scattered pages again and again, through
//! [`SearchDirectory`], which needs no write access to the folder.
//!
//! Both write (ingest) and read (search) so that an index written by one user can be searched
//! by others and on a read-only mount:
//! - files are created with the permissions the generation folder was given, less the execute
//!   bits: readable by all under the usual umask (tantivy's own atomic write makes `meta.json`
//!   and `.managed.json` private, 0600);
//! - a search takes tantivy's meta lock (which keeps an ingest's clean-up from deleting segment
//!   files while they are being opened) when it can, and opens the index without it when the
//!   folder cannot be written.
//!
//! Test hook: with `NEWSIDX_FAULT_WRITE_LIMIT=BYTES` in the environment, writes to the index
//! fail with "no space left on device" once the process has written BYTES bytes to it, so tests
//! can fill the disk without filling it. Nothing else changes: the same code writes and fails.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Write};
use std::ops::{Deref, Range};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes,
    TerminatingWrite, WatchCallback, WatchHandle, WritePtr, META_LOCK,
};
use tantivy::HasLen;

use crate::error::Error;

/// Reads of at most this many bytes are served from the file's cached chunk.
const CHUNK: usize = 256 * 1024;

/// Reads of at least this many bytes are mapped rather than copied.
const MAPPED: usize = 4 * 1024 * 1024;

/// The folder `root` as tantivy's own [`MmapDirectory`].
pub fn mapped(root: &Path) -> tantivy::Result<Box<dyn Directory>> {
    Ok(Box::new(MmapDirectory::open(root)?))
}

/// An [`MmapDirectory`] whose files are read with `pread` (see the module documentation).
#[derive(Clone, Debug)]
pub struct ReadDirectory {
    inner: MmapDirectory,
    root: PathBuf,
    /// Files open now, shared by every reader of them: one descriptor and one chunk each.
    open: Arc<Mutex<HashMap<PathBuf, Weak<ReadFile>>>>,
}

impl ReadDirectory {
    /// Opens the existing folder `root`.
    pub fn open(root: &Path) -> tantivy::Result<ReadDirectory> {
        Ok(ReadDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
            open: Arc::default(),
        })
    }
}

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if let Some(file) = open.get(path).and_then(Weak::upgrade) {
            return Ok(file);
        }
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|error| {
            if error.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(path.to_path_buf())
            } else {
                OpenReadError::wrap_io_error(error, path.to_path_buf())
            }
        })?;
        let len = file
            .metadata()
            .map_err(|error| OpenReadError::wrap_io_error(error, path.to_path_buf()))?
            .len() as usize;
        let file = Arc::new(ReadFile {
            file,
            len,
            path: path.to_path_buf(),
            chunk: Mutex::new(None),
        });
        if open.len() >= 256 {
            open.retain(|_, file| file.strong_count() > 0);
        }
        open.insert(path.to_path_buf(), Arc::downgrade(&file));
        Ok(file)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        // Handles already open keep reading the deleted file; a new open must not find it.
        self.open
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
            .remove(path);
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let writer = self.inner.open_write(path).inspect_err(|error| {
            if let OpenWriteError::IoError { io_error, .. } = error {
                record(io_error);
            }
        })?;
        let inner = writer.into_inner().map_err(|error| {
            OpenWriteError::wrap_io_error(error.into_error(), path.to_path_buf())
        })?;
        Ok(io::BufWriter::new(Box::new(Watched {
            inner,
            limit: write_limit(),
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        atomic_write(&self.root, path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

/// Writes `data` to `root/path` so that readers see the old content or the new, never half:
/// a temporary file beside it, synced, then renamed over it. Created as any file is (0666 less
/// the umask), unlike tantivy's own atomic write, whose temporary files are private.
fn atomic_write(root: &Path, path: &Path, data: &[u8]) -> io::Result<()> {
    let target = root.join(path);
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = root.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = File::create(&temporary)?;
        if let Some(limit) = write_limit() {
            take(limit, data.len())?;
        }
        file.write_all(data)?;
        file.sync_data()?;
        std::fs::rename(&temporary, &target)
    })();
    if let Err(error) = &written {
        record(error);
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// The OS error number of the last failed write to an index in this process, 0 for none.
static LAST_WRITE_ERROR: AtomicI32 = AtomicI32::new(0);

fn record(error: &io::Error) {
    if let Some(code) = error.raw_os_error() {
        LAST_WRITE_ERROR.store(code, Ordering::Relaxed);
    }
}

/// The last failed write to an index in this process, as an OS error. tantivy reports a write
/// that failed on one of its indexing threads only as "an index writer was killed".
pub fn last_write_error() -> Option<io::Error> {
    match LAST_WRITE_ERROR.load(Ordering::Relaxed) {
        0 => None,
        code => Some(io::Error::from_raw_os_error(code)),
    }
}

/// The test hook's byte budget (see the module documentation), read once.
fn write_limit() -> Option<&'static AtomicU64> {
    static LIMIT: once_cell::sync::OnceCell<Option<AtomicU64>> = once_cell::sync::OnceCell::new();
    LIMIT
        .get_or_init(|| {
            std::env::var("NEWSIDX_FAULT_WRITE_LIMIT")
                .ok()
                .and_then(|bytes| bytes.trim().parse().ok())
                .map(AtomicU64::new)
        })
        .as_ref()
}

/// Takes `len` bytes from the test hook's budget, or fails as a full disk does.
fn take(limit: &AtomicU64, len: usize) -> io::Result<()> {
    let len = len as u64;
    limit
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(len)
        })
        .map(|_| ())
        .map_err(|_| {
            limit.store(0, Ordering::Relaxed);
            io::Error::from_raw_os_error(libc::ENOSPC)
        })
}

/// A segment file being written: its failures are recorded (see [`last_write_error`]), and
/// the test hook's byte budget, when set, is taken from.
struct Watched {
    inner: Box<dyn TerminatingWrite + Send + Sync>,
    limit: Option<&'static AtomicU64>,
}

impl Write for Watched {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = match self.limit {
            Some(limit) => take(limit, buf.len()).and_then(|()| self.inner.write(buf)),
            None => self.inner.write(buf),
        };
        written.inspect_err(record)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().inspect_err(record)
    }
}

impl TerminatingWrite for Watched {
    fn terminate_ref(&mut self, token: AntiCallToken) -> io::Result<()> {
        self.inner.terminate_ref(token).inspect_err(record)
    }
}

/// The folder `root` as searches read it: [`MmapDirectory`], but the meta lock is skipped
/// when the folder cannot be written (see the module documentation).
#[derive(Clone, Debug)]
pub struct SearchDirectory {
    inner: MmapDirectory,
}

impl SearchDirectory {
    /// Opens the existing folder `root`.
    pub fn open(root: &Path) -> tantivy::Result<SearchDirectory> {
        Ok(SearchDirectory {
            inner: MmapDirectory::open(root)?,
        })
    }
}

impl Directory for SearchDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            // Without write access no ingest of ours is running with this folder's files, and
            // a reader has nothing to keep from being deleted.
            Err(LockError::IoError(error))
                if lock.filepath == META_LOCK.filepath && cannot_write(&error) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

/// Whether `error` says the folder cannot be written (permissions, a read-only mount).
fn cannot_write(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::PermissionDenied
        || error.kind() == io::ErrorKind::ReadOnlyFilesystem
        || error.raw_os_error() == Some(libc::EROFS)
        || error.raw_os_error() == Some(libc::EACCES)
}

/// One open segment file. The open descriptor keeps the data readable after a merge deletes
/// the file, as tantivy requires of a file handle.
struct ReadFile {
    file: File,
    len: usize,
    path: PathBuf,
    /// The last chunk read: its offset and bytes. Reads get copies, so no slice pins it.
    chunk: Mutex<Option<(usize, Vec<u8>)>>,
}

impl fmt::Debug for ReadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadFile")
            .field("path", &self.path)
            .field("len", &self.len)
            .finish()
    }
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{}: read of {range:?} past its {} bytes",
                    self.path.display(),
                    self.len
                ),
            ));
        }
        let wanted = range.end - range.start;
        if wanted == 0 {
            return Ok(OwnedBytes::empty());
        }
        if wanted >= MAPPED {
            return self.map(range);
        }
        if wanted > CHUNK {
            return self.copy(range.start, wanted);
        }
        let mut chunk = self
            .chunk
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        if let Some((start, bytes)) = chunk.as_ref() {
            if *start <= range.start && range.end <= start + bytes.len() {
                let from = range.start - start;
                return Ok(OwnedBytes::new(bytes[from..from + wanted].to_vec()));
            }
        }
        let mut bytes = chunk.take().map(|(_, bytes)| bytes).unwrap_or_default();
        let end = (range.start + CHUNK).min(self.len);
        bytes.resize(end - range.start, 0);
        self.file.read_exact_at(&mut bytes, range.start as u64)?;
        let read = OwnedBytes::new(bytes[..wanted].to_vec());
        *chunk = Some((range.start, bytes));
        Ok(read)
    }
}

impl ReadFile {
    /// `len` bytes from `start`, copied out of the page cache.
    fn copy(&self, start: usize, len: usize) -> io::Result<OwnedBytes> {
        let mut buffer = vec![0; len];
        self.file.read_exact_at(&mut buffer, start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }

    /// `range` through a map of its own, unmapped when the last slice of it is dropped.
    fn map(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let page = page_size();
        let offset = range.start / page * page;
        // SAFETY: tantivy never changes a segment file once written, and the open descriptor
        // keeps its data after it is deleted.
        let map = unsafe {
            memmap2::MmapOptions::new()
                .offset(offset as u64)
                .len(range.end - offset)
                .map(&self.file)?
        };
        let _ = map.advise(memmap2::Advice::Sequential);
        let skip = range.start - offset;
        Ok(OwnedBytes::new(Mapped(map)).slice(skip..range.end - offset))
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if size > 0 {
        size as usize
    } else {
        4096
    }
}

/// A map as the bytes of an [`OwnedBytes`].
struct Mapped(memmap2::Mmap);

impl Deref for Mapped {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

// SAFETY: the map's address does not change when `Mapped` moves.
unsafe impl stable_deref_trait::StableDeref for Mapped {}

/// The write error, made here because what failed last is recorded by the index's directory
/// ([`last_write_error`]).
impl Error {
    /// A failed write to the index at `path`: what failed, and what to do, which for a full
    /// disk is to free space (a rebuild would need more of it, not less).
    pub fn write(path: &std::path::Path, source: &tantivy::TantivyError) -> Error {
        let detail = match io_error(source) {
            Some(error) => error.to_string(),
            None => match last_write_error() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn directory_with(name: &str, data: &[u8]) -> (tempfile::TempDir, ReadDirectory) {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join(name), data).unwrap();
        let directory = ReadDirectory::open(folder.path()).unwrap();
        (folder, directory)
    }

    #[test]
    fn reads_of_every_size_return_the_file_bytes() {
        let data: Vec<u8> = (0..(MAPPED * 2 + 12_345))
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let (_folder, directory) = directory_with("f", &data);
        let file = directory.get_file_handle(Path::new("f")).unwrap();
        assert_eq!(file.len(), data.len());
        let ranges = [
            0..0,
            0..10,
            5..100,
            100..CHUNK + 100,
            CHUNK - 3..CHUNK + 3,
            CHUNK + 1..CHUNK * 3,
            4097..4097 + MAPPED,
            data.len() - MAPPED - 1..data.len(),
            0..data.len(),
            data.len() - 1..data.len(),
        ];
        for range in ranges {
            let bytes = file.read_bytes(range.clone()).unwrap();
            assert_eq!(bytes.as_slice(), &data[range.clone()], "{range:?}");
        }
    }

    #[test]
    fn a_read_past_the_end_is_an_error() {
        let (_folder, directory) = directory_with("f", b"0123456789");
        let file = directory.get_file_handle(Path::new("f")).unwrap();
        assert!(file.read_bytes(5..11).is_err());
        assert_eq!(file.read_bytes(5..10).unwrap().as_slice(), b"56789");
    }

    #[test]
    fn a_deleted_file_stays_readable_through_an_open_handle() {
        let (_folder, directory) = directory_with("f", b"still here");
        let file = directory.get_file_handle(Path::new("f")).unwrap();
        directory.delete(Path::new("f")).unwrap();
        assert_eq!(file.read_bytes(0..10).unwrap().as_slice(), b"still here");
        assert!(matches!(
            directory.get_file_handle(Path::new("f")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}
