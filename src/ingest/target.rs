//! Where a run writes: the live index, or a new generation when the index is rebuilt
//! (`--full`, a new schema or analyzer, a damaged `CURRENT`).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::index::layout;
use crate::index::{Access, NewsIndex};

/// Where this run writes, and whether that is a rebuild.
pub(super) struct Target {
    pub(super) news: NewsIndex,
    /// Why the index is rebuilt in a new generation, when it is.
    pub(super) rebuild: Option<String>,
    /// A brand-new index, published as soon as it exists.
    pub(super) publish_now: bool,
    /// The live generation a rebuild replaces.
    pub(super) replaced: Option<PathBuf>,
}

/// A brand-new index in a new generation, live from its first commit; an unfinished rebuild
/// (`building`) is removed first. `rebuild` says why, when an index stood there before.
pub(super) fn new_index(
    root: &Path,
    building: Option<PathBuf>,
    rebuild: Option<String>,
) -> Result<Target> {
    if let Some(stale) = building {
        layout::remove_generation(root, &stale)?;
    }
    let dir = layout::new_generation(root)?;
    let news = NewsIndex::create_dir(root, &dir, Access::Ingest)?;
    Ok(Target {
        news,
        rebuild,
        publish_now: true,
        replaced: None,
    })
}

/// Picks the generation to write: the live one when it can be updated in place, else a new
/// (or a resumed, unfinished) rebuild beside it.
pub(super) fn choose_target(root: &Path, full: bool, timezone: &str) -> Result<Target> {
    let building = layout::building(root)?;
    let live = match layout::live(root) {
        Ok(live) => live,
        // A damaged `CURRENT` names nothing to update: a new index, live from its first commit.
        Err(Error::Damaged { detail, .. }) => return new_index(root, building, Some(detail)),
        Err(error) => return Err(error),
    };
    let reason = match &live {
        None => None,
        Some(_) if full => Some("--full was given".to_string()),
        Some(dir) if layout::is_legacy(root) && dir == root => {
            Some("it was made by a newsidx without incremental ingest".to_string())
        }
        Some(dir) => match NewsIndex::open_dir(root, dir, Access::Search) {
            Err(Error::Damaged { detail, .. }) => Some(format!("it is damaged: {detail}")),
            Err(error) => Some(format!("it cannot be read ({error})")),
            Ok(news) => match crate::index::manifest::read_payload(&news.index) {
                Err(error) => Some(format!("it cannot be read ({error})")),
                Ok(None) => Some("it was made by a newsidx without incremental ingest".to_string()),
                Ok(Some(payload)) => payload.mismatch(timezone),
            },
        },
    };
    let Some(live_dir) = live else {
        return new_index(root, building, None);
    };
    let Some(reason) = reason else {
        // Up to date in place; an abandoned `--full` rebuild and the generation the last
        // rebuild replaced are only taking disk space.
        if let Some(stale) = building {
            layout::remove_generation(root, &stale)?;
        }
        layout::remove_others(root, &[&live_dir])?;
        // Files no commit relies on, left by a run that failed to write or was killed.
        crate::index::health::sweep(&live_dir)?;
        let news = NewsIndex::open_dir(root, &live_dir, Access::Ingest)?;
        return Ok(Target {
            news,
            rebuild: None,
            publish_now: false,
            replaced: None,
        });
    };
    if let Some(partial) = building {
        let resumable = !full
            && NewsIndex::open_dir(root, &partial, Access::Search)
                .ok()
                .is_some_and(|news| {
                    matches!(
                        crate::index::manifest::read_payload(&news.index),
                        Ok(Some(payload)) if payload.mismatch(timezone).is_none()
                    )
                });
        if resumable {
            let news = NewsIndex::open_dir(root, &partial, Access::Ingest)?;
            return Ok(Target {
                news,
                rebuild: Some(format!("{reason}; resuming the unfinished rebuild")),
                publish_now: false,
                replaced: Some(live_dir),
            });
        }
        layout::remove_generation(root, &partial)?;
    }
    let dir = layout::new_generation(root)?;
    let news = NewsIndex::create_dir(root, &dir, Access::Ingest)?;
    Ok(Target {
        news,
        rebuild: Some(reason),
        publish_now: false,
        replaced: Some(live_dir),
    })
}
