//! A model-based test of incremental ingest: random sequences of file changes (add, edit,
//! delete, rename, move across folders, copy, URL change, touch, old modification times) and
//! ingests, some of them cut short at a random step as a kill would, on a real temporary
//! folder. After every ingest that runs to its end, the index must hold exactly what a fresh
//! build of the same folder holds: the same (id, title, source file) triples, each once.
//!
//! `cargo test` runs [`DEFAULT_CASES`] cases; `NEWSIDX_PROPTEST_CASES=5000 cargo test --test
//! ingest_model` runs more. Shrunk failures are kept below as named regression tests.

mod listing;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use newsidx::ingest::{ingest, IngestOptions};
use proptest::prelude::*;

/// Cases `cargo test` runs; `NEWSIDX_PROPTEST_CASES` overrides it.
const DEFAULT_CASES: u32 = 200;
/// Operations in one case, at most (an ingest closes every case).
const MAX_OPERATIONS: usize = 12;

/// What a file holds.
#[derive(Clone, Debug)]
enum Content {
    /// A saved page with a title and maybe a canonical URL.
    Page { title: u8, url: Option<u8> },
    /// A plain-text article.
    Text { title: u8 },
    /// JSON Lines records, each with a title and maybe a URL.
    Lines(Vec<(u8, Option<u8>)>),
    /// An empty file: recorded as skipped.
    Empty,
}

/// One step of a case.
#[derive(Clone, Debug)]
enum Op {
    /// Writes `folder/stem.ext` (new or over an existing file), `age` steps back in time.
    Write {
        folder: u8,
        stem: u8,
        content: Content,
        age: u8,
    },
    /// Deletes the `pick`th existing file.
    Delete { pick: u8 },
    /// Renames the `pick`th existing file to `folder/stem.ext` (its extension kept).
    Rename { pick: u8, folder: u8, stem: u8 },
    /// Copies the `pick`th existing file, keeping its modification time or not.
    Copy {
        pick: u8,
        folder: u8,
        stem: u8,
        keep_time: bool,
    },
    /// Sets the modification time of the `pick`th existing file.
    Touch { pick: u8, age: u8 },
    /// Ingests; `abort` cuts the run short after that many steps.
    Ingest { abort: Option<u8> },
}

fn content() -> impl Strategy<Value = Content> {
    let url = proptest::option::weighted(0.8, 0u8..3);
    prop_oneof![
        4 => (0u8..4, url.clone()).prop_map(|(title, url)| Content::Page { title, url }),
        1 => (0u8..4).prop_map(|title| Content::Text { title }),
        2 => proptest::collection::vec((0u8..4, url), 1..3).prop_map(Content::Lines),
        1 => Just(Content::Empty),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0u8..2, 0u8..3, content(), 0u8..3).prop_map(|(folder, stem, content, age)| Op::Write {
            folder,
            stem,
            content,
            age
        }),
        1 => any::<u8>().prop_map(|pick| Op::Delete { pick }),
        2 => (any::<u8>(), 0u8..2, 0u8..3).prop_map(|(pick, folder, stem)| Op::Rename {
            pick,
            folder,
            stem
        }),
        2 => (any::<u8>(), 0u8..2, 0u8..3, any::<bool>()).prop_map(
            |(pick, folder, stem, keep_time)| Op::Copy {
                pick,
                folder,
                stem,
                keep_time
            }
        ),
        1 => (any::<u8>(), 0u8..3).prop_map(|(pick, age)| Op::Touch { pick, age }),
        3 => proptest::option::weighted(0.4, 0u8..12).prop_map(|abort| Op::Ingest { abort }),
    ]
}

/// A temporary corpus, its incremental index and the clock the case writes with.
struct World {
    dir: tempfile::TempDir,
    /// Ingest `a` and `b` as two corpus folders instead of their parent as one.
    split: bool,
    /// Nanoseconds added to every time set, so that no two writes share a modification time
    /// unless a copy keeps one (a changed file with its recorded size and time is, by design,
    /// not opened).
    clock: u32,
}

impl World {
    fn new(split: bool) -> World {
        // Memory-backed when the system has it: every commit syncs its files.
        let memory = Path::new("/dev/shm");
        let dir = if memory.is_dir() {
            tempfile::tempdir_in(memory)
        } else {
            tempfile::tempdir()
        }
        .expect("temporary folder");
        // A file in each folder that no operation touches: an emptied corpus is, by design,
        // taken for a missing mount and its articles kept, which a fresh build cannot agree with.
        for folder in ["a", "b"] {
            write(
                &dir.path().join("corpus").join(folder).join(ANCHOR),
                format!("Judul Jangkar Tetap\n\nJAKARTA - {BODY}").as_bytes(),
            );
        }
        World {
            dir,
            split,
            clock: 0,
        }
    }

    fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    /// The folders given to ingest.
    fn roots(&self) -> Vec<PathBuf> {
        if self.split {
            vec![self.corpus().join("a"), self.corpus().join("b")]
        } else {
            vec![self.corpus()]
        }
    }

    /// The files of the corpus, sorted.
    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(self.corpus())
            .into_iter()
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_type().is_file() && entry.file_name() != ANCHOR)
            .map(|entry| entry.into_path())
            .collect();
        files.sort();
        files
    }

    fn pick(&self, pick: u8) -> Option<PathBuf> {
        let files = self.files();
        (!files.is_empty()).then(|| files[usize::from(pick) % files.len()].clone())
    }

    fn time(&mut self, age: u8) -> SystemTime {
        self.clock += 1;
        SystemTime::now() - Duration::from_secs(86_400 + 3600 * u64::from(age))
            + Duration::from_nanos(u64::from(self.clock))
    }

    /// `folder/stem.extension`; stem 2 is a name that is not UTF-8.
    fn path(&self, folder: u8, stem: u8, extension: &str) -> PathBuf {
        use std::os::unix::ffi::OsStrExt;
        let folder = ["a", "b"][usize::from(folder % 2)];
        let mut name = vec![b'0' + stem];
        if stem == 2 {
            name.push(0xff);
        }
        name.push(b'.');
        name.extend_from_slice(extension.as_bytes());
        self.corpus()
            .join(folder)
            .join(std::ffi::OsStr::from_bytes(&name))
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Write {
                folder,
                stem,
                content,
                age,
            } => {
                let (extension, bytes) = render(content);
                let path = self.path(*folder, *stem, extension);
                write(&path, bytes.as_bytes());
                let time = self.time(*age);
                set_time(&path, time);
            }
            Op::Delete { pick } => {
                if let Some(path) = self.pick(*pick) {
                    std::fs::remove_file(path).expect("delete");
                }
            }
            Op::Rename { pick, folder, stem } => {
                if let Some(from) = self.pick(*pick) {
                    let to = self.path(*folder, *stem, extension_of(&from));
                    if to != from {
                        std::fs::create_dir_all(to.parent().expect("folder")).expect("folder");
                        std::fs::rename(&from, &to).expect("rename");
                    }
                }
            }
            Op::Copy {
                pick,
                folder,
                stem,
                keep_time,
            } => {
                if let Some(from) = self.pick(*pick) {
                    let to = self.path(*folder, *stem, extension_of(&from));
                    if to != from {
                        let bytes = std::fs::read(&from).expect("read");
                        write(&to, &bytes);
                        let time = if *keep_time {
                            modified(&from)
                        } else {
                            self.time(0)
                        };
                        set_time(&to, time);
                    }
                }
            }
            Op::Touch { pick, age } => {
                if let Some(path) = self.pick(*pick) {
                    let time = self.time(*age);
                    set_time(&path, time);
                }
            }
            Op::Ingest { abort } => {
                let index = self.dir.path().join("index");
                let options = options(abort.map(usize::from));
                let result = ingest(&index, &self.roots(), &options, &mut |_| {});
                if abort.is_none() {
                    result.expect("ingest");
                }
            }
        }
    }

    /// The incremental index against a fresh build of the corpus as it is now.
    fn check(&self) -> Result<(), TestCaseError> {
        let index = self.dir.path().join("index");
        if !index.join("CURRENT").exists() {
            return Ok(());
        }
        let fresh = self.dir.path().join("fresh");
        let _ = std::fs::remove_dir_all(&fresh);
        ingest(&fresh, &self.roots(), &fresh_options(), &mut |_| {}).expect("fresh build");
        let live = listing::rows(&index);
        let expected = listing::rows(&fresh);
        prop_assert_eq!(&live, &expected, "incremental index vs fresh build");
        for (id, count) in listing::id_counts(&live) {
            prop_assert_eq!(count, 1, "{} indexed {} times", id, count);
        }
        Ok(())
    }
}

/// Options of the incremental runs: small batches, so that kills land between commits too.
fn options(abort_after: Option<usize>) -> IngestOptions {
    IngestOptions {
        commit_files: 3,
        abort_after,
        ..fresh_options()
    }
}

/// Options of the fresh builds: one thread and the smallest writer, as the corpus is tiny
/// (every tantivy segment writer clears its memory budget when it starts).
fn fresh_options() -> IngestOptions {
    IngestOptions {
        threads: 1,
        writer_memory: 15_000_000,
        ..IngestOptions::default()
    }
}

/// The file in each folder that no operation picks.
const ANCHOR: &str = "jangkar.txt";

const BODY: &str = "Ratusan warga desa bergotong royong menanam padi di sawah milik desa. \
                    Kepala desa mengatakan kegiatan ini rutin diadakan setiap musim tanam.";

fn render(content: &Content) -> (&'static str, String) {
    match content {
        Content::Page { title, url } => {
            let link = url
                .map(|url| format!("<link rel=\"canonical\" href=\"https://x.id/berita/{url}\">"))
                .unwrap_or_default();
            (
                "html",
                format!(
                    "<!doctype html><html><head><title>Judul Halaman {title}</title>{link}\
                     </head><body><article><h1>Judul Halaman {title}</h1><p>JAKARTA - {BODY}</p>\
                     </article></body></html>"
                ),
            )
        }
        Content::Text { title } => (
            "txt",
            format!("Judul Teks Nomor {title}\n\nJAKARTA - {BODY}"),
        ),
        Content::Lines(records) => (
            "jsonl",
            records
                .iter()
                .map(|(title, url)| {
                    let url = url
                        .map(|url| format!(", \"url\": \"https://x.id/berita/{url}\""))
                        .unwrap_or_default();
                    format!(
                        "{{\"title\": \"Judul Rekaman {title}\"{url}, \"content\": \"{BODY}\"}}\n"
                    )
                })
                .collect(),
        ),
        Content::Empty => ("txt", String::new()),
    }
}

fn extension_of(path: &Path) -> &str {
    path.extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or("txt")
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
    std::fs::write(path, bytes).expect("write");
}

fn set_time(path: &Path, time: SystemTime) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|file| file.set_modified(time))
        .expect("set mtime");
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .expect("mtime")
}

/// Runs `ops` then a last ingest, checking after every complete ingest; `split` ingests the
/// two folders as two corpus folders.
fn run(split: bool, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut world = World::new(split);
    for op in ops.iter().chain([&Op::Ingest { abort: None }]) {
        world.apply(op);
        if matches!(op, Op::Ingest { abort: None }) {
            world.check()?;
        }
    }
    Ok(())
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec(op(), 0..MAX_OPERATIONS)
}

fn cases() -> u32 {
    std::env::var("NEWSIDX_PROPTEST_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_ingest_equals_a_fresh_build(split in any::<bool>(), ops in ops()) {
        run(split, &ops)?;
    }
}

// Shrunk failures, kept as regression tests.

fn page(title: u8, url: Option<u8>) -> Content {
    Content::Page { title, url }
}

/// A file replaced, in one run, by a newer-named file with the URL of the one deleted: the new
/// file lost the URL to the deleted file's article, which then went as vanished.
#[test]
fn regression_a_new_file_loses_its_url_to_a_file_deleted_in_the_same_run() {
    let ops = [
        Op::Write {
            folder: 0,
            stem: 0,
            content: page(0, Some(2)),
            age: 0,
        },
        Op::Ingest { abort: None },
        Op::Delete { pick: 0 },
        Op::Write {
            folder: 0,
            stem: 1,
            content: page(0, None),
            age: 0,
        },
        Op::Write {
            folder: 1,
            stem: 0,
            content: page(0, None),
            age: 0,
        },
        Op::Copy {
            pick: 0,
            folder: 0,
            stem: 1,
            keep_time: false,
        },
        Op::Write {
            folder: 0,
            stem: 0,
            content: Content::Lines(vec![(0, Some(2))]),
            age: 1,
        },
    ];
    run(false, &ops).expect("incremental equals fresh");
}

/// A JSON Lines file with two records of the same URL indexed both.
#[test]
fn regression_json_lines_with_one_url_twice_holds_it_once() {
    let ops = [
        Op::Write {
            folder: 0,
            stem: 0,
            content: Content::Lines(vec![(0, Some(2)), (0, Some(2))]),
            age: 0,
        },
        Op::Write {
            folder: 0,
            stem: 0,
            content: page(0, None),
            age: 0,
        },
    ];
    run(false, &ops).expect("incremental equals fresh");
}

/// Runs killed at every step of a run that moves a page holding a URL over an older copy,
/// then a complete run.
#[test]
fn regression_kills_at_every_step_of_a_move_over_a_copy() {
    for abort in 0..12 {
        let ops = [
            Op::Write {
                folder: 1,
                stem: 2,
                content: page(1, Some(0)),
                age: 0,
            },
            Op::Copy {
                pick: 0,
                folder: 0,
                stem: 1,
                keep_time: false,
            },
            Op::Touch { pick: 0, age: 2 },
            Op::Ingest { abort: None },
            Op::Rename {
                pick: 1,
                folder: 0,
                stem: 0,
            },
            Op::Write {
                folder: 1,
                stem: 1,
                content: page(2, Some(0)),
                age: 1,
            },
            Op::Ingest { abort: Some(abort) },
        ];
        run(false, &ops).expect("incremental equals fresh");
    }
}
