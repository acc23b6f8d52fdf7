//! The live index of a running server: opened at start, reopened when an ingest publishes a new
//! generation, without a restart and without failing a request.
//!
//! Every request takes an [`Arc`] of the index that is live when it starts and searches that to
//! the end. A watcher compares the generation `CURRENT` names with the open one every
//! [`REFRESH_INTERVAL`] and opens the new one beside the old; the old one closes when its last
//! request ends (its files stay readable meanwhile: an open or mapped file outlives its name).
//! Commits into the live generation (an incremental ingest) are followed by the tantivy reader
//! itself.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use crate::index::stats::{self, Stats};
use crate::index::{layout, NewsIndex};

/// How often the watcher looks at `CURRENT` (and retries while no index can be opened).
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(1);

/// One opened generation, shared by the requests that started while it was live.
pub struct Opened {
    pub news: NewsIndex,
    /// [`Stats`] of this generation, with the reader generation they were counted on.
    stats: Mutex<Option<(u64, Arc<Stats>)>>,
}

impl Opened {
    /// The statistics of the index as its reader sees it now, counted once per commit.
    pub fn stats(&self) -> crate::Result<Arc<Stats>> {
        let searcher = self.news.reader()?.searcher();
        let generation = searcher.generation().generation_id();
        if let Ok(cached) = self.stats.lock() {
            if let Some((at, stats)) = cached.as_ref() {
                if *at == generation {
                    return Ok(Arc::clone(stats));
                }
            }
        }
        let counted = Arc::new(stats::collect(&self.news, &searcher)?);
        if let Ok(mut cached) = self.stats.lock() {
            *cached = Some((generation, Arc::clone(&counted)));
        }
        Ok(counted)
    }
}

/// The index a server searches, as it is now.
pub struct Live {
    path: PathBuf,
    current: RwLock<Option<Arc<Opened>>>,
    /// Why no index is open, when none is (for the log, not for clients).
    problem: Mutex<Option<String>>,
}

impl Live {
    /// Opens the index at `path` if it can; a server starts without one and answers 503 until
    /// one appears.
    pub fn open(path: &Path) -> Live {
        let live = Live {
            path: path.to_path_buf(),
            current: RwLock::new(None),
            problem: Mutex::new(None),
        };
        live.refresh();
        live
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The generation live now, if one is open.
    pub fn get(&self) -> Option<Arc<Opened>> {
        self.current.read().ok().and_then(|current| current.clone())
    }

    /// Why no index is open, if none is.
    pub fn problem(&self) -> Option<String> {
        self.problem.lock().ok().and_then(|problem| problem.clone())
    }

    /// Opens the generation `CURRENT` names when it is not the open one; returns true when it
    /// swapped one in. A failure leaves the open generation serving.
    pub fn refresh(&self) -> bool {
        let named = crate::index::health::catch_panic(|| layout::live(&self.path));
        let open_dir = self.get().map(|opened| opened.news.dir.clone());
        match named {
            Ok(Ok(Some(dir))) if Some(&dir) == open_dir.as_ref() => return false,
            Ok(Ok(None)) if open_dir.is_none() => {
                self.note(Some(format!("no index at {}", self.path.display())));
                return false;
            }
            _ => {}
        }
        let opened = crate::index::health::catch_panic(|| {
            let news = NewsIndex::open(&self.path)?;
            // Open the reader now, so that the first request does not pay for it.
            news.reader()?;
            Ok::<_, crate::Error>(news)
        });
        match opened {
            Ok(Ok(news)) => {
                let opened = Arc::new(Opened {
                    news,
                    stats: Mutex::new(None),
                });
                if let Ok(mut current) = self.current.write() {
                    *current = Some(opened);
                }
                self.note(None);
                true
            }
            Ok(Err(error)) => {
                self.note(Some(error.to_string()));
                false
            }
            Err(message) => {
                self.note(Some(format!("opening the index failed ({message})")));
                false
            }
        }
    }

    fn note(&self, problem: Option<String>) {
        if let Ok(mut slot) = self.problem.lock() {
            *slot = problem;
        }
    }
}
