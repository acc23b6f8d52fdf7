//! Helpers for integration tests: a temporary corpus and index, and the real binary run on them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary folder holding a corpus (`corpus/`) and an index (`index/`).
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::create_dir_all(dir.path().join("corpus")).expect("corpus folder");
        Sandbox { dir }
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Writes `contents` to `relative` under the corpus, creating folders.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.corpus().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent folder");
        }
        std::fs::write(&path, contents).expect("write corpus file");
        path
    }

    /// Copies a fixture from `tests/fixtures/` into the corpus under the same name.
    pub fn fixture(&self, name: &str) -> PathBuf {
        let bytes = std::fs::read(fixture_path(name)).expect("fixture exists");
        self.write(name, bytes)
    }

    /// Runs `newsidx ARGS` with this sandbox's index, from the sandbox folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_newsidx"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NEWSIDX_INDEX", self.index())
            .env_remove("NO_COLOR")
            .output()
            .expect("run newsidx")
    }

    /// Runs `newsidx ARGS` and asserts it exits 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "newsidx {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8 stdout")
    }

    /// `newsidx ingest corpus --quiet`, asserted to succeed.
    pub fn ingest(&self) {
        let corpus = self.corpus();
        self.ok(&["ingest", "--quiet", corpus.to_str().expect("utf-8 path")]);
    }

    /// `newsidx search QUERY --json`, parsed.
    pub fn search_json(&self, query: &str, extra: &[&str]) -> serde_json::Value {
        let mut args = vec!["search", query, "--json"];
        args.extend_from_slice(extra);
        serde_json::from_str(&self.ok(&args)).expect("search --json prints JSON")
    }
}

/// Path of a fixture in `tests/fixtures/`.
pub fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// The repository's bundled `corpus/` folder.
pub fn bundled_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}
