//! Faults: a full disk, a read-only index, damaged index files, a panic on one file, and
//! queries built to be expensive, run through the real binary on temporary folders.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Sandbox;
use serde_json::Value;

/// A plain-text article whose body carries the unique word `penandaNNNNN`.
fn article(number: usize) -> String {
    format!(
        "Banjir Merendam Desa Sukamaju {number}\n\n\
         JAKARTA - Ratusan rumah warga desa terendam banjir setelah hujan deras semalam. \
         Kepala desa mengatakan warga mengungsi ke balai desa. \
         Kata kunci liputan ini adalah penanda{number:05}.\n\n\
         Petugas membagikan makanan kepada warga yang mengungsi."
    )
}

/// A sandbox with `total` articles, ingested.
fn indexed(total: usize) -> Sandbox {
    let sandbox = Sandbox::new();
    for number in 0..total {
        sandbox.write(&format!("{number:05}.txt"), article(number));
    }
    sandbox.ingest();
    sandbox
}

/// The live generation folder.
fn live(sandbox: &Sandbox) -> PathBuf {
    let current = std::fs::read_to_string(sandbox.index().join("CURRENT")).expect("CURRENT");
    sandbox.index().join(current.trim())
}

/// Files of the live generation with `extension`.
fn files_with(sandbox: &Sandbox, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(live(sandbox))
        .expect("generation")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect();
    files.sort();
    files
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn total(sandbox: &Sandbox, query: &str) -> u64 {
    sandbox.search_json(query, &[])["total"]
        .as_u64()
        .expect("total")
}

/// `newsidx ARGS` with extra environment variables.
fn run_with(sandbox: &Sandbox, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsidx"));
    command
        .args(args)
        .current_dir(sandbox.dir.path())
        .env("NEWSIDX_INDEX", sandbox.index());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run newsidx")
}

/// Every file of every generation, by name.
fn index_files(sandbox: &Sandbox) -> Vec<PathBuf> {
    walkdir::WalkDir::new(sandbox.index())
        .into_iter()
        .map(|entry| entry.expect("walk index"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.path().to_path_buf())
        .collect()
}

/// Asserts that the live generation holds no file its last commit does not rely on.
fn assert_no_leftovers(sandbox: &Sandbox) {
    let output = sandbox.run(&["check", "--json"]);
    let report: Value = serde_json::from_slice(&output.stdout).expect("check --json");
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert_eq!(report["unreferenced_files"], 0, "{report}");
}

fn corpus_arg(sandbox: &Sandbox) -> String {
    sandbox.corpus().to_str().expect("utf-8").to_string()
}

#[test]
fn a_full_disk_leaves_the_index_searchable_and_cleans_up() {
    let sandbox = indexed(40);
    for number in 40..400 {
        sandbox.write(&format!("{number:05}.txt"), article(number));
    }
    let before = index_files(&sandbox);
    let corpus = corpus_arg(&sandbox);
    for (limit, full) in [
        ("1000", false),
        ("6000", false),
        ("1000", true),
        ("6000", true),
    ] {
        let mut args = vec!["ingest", "--quiet", corpus.as_str()];
        if full {
            args.push("--full");
        }
        let output = run_with(&sandbox, &[("NEWSIDX_FAULT_WRITE_LIMIT", limit)], &args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{message}");
        assert_eq!(message.lines().count(), 1, "{message}");
        assert!(message.contains("no space left"), "{message}");
        assert!(message.contains("free disk space"), "{message}");
        assert!(!message.contains("--full"), "{message}");
        assert!(!message.contains("cannot be read"), "{message}");
        // The live index is the last complete one, and nothing of the failed run is left.
        assert_eq!(total(&sandbox, "penanda00007"), 1);
        assert_eq!(total(&sandbox, "penanda00300"), 0);
        assert_eq!(
            index_files(&sandbox),
            before,
            "limit {limit}, --full {full}"
        );
        assert_no_leftovers(&sandbox);
    }
    // With room again, the next run carries on.
    sandbox.ingest();
    assert_eq!(total(&sandbox, "penanda00300"), 1);
    assert_no_leftovers(&sandbox);
}

#[test]
fn index_files_are_readable_by_everyone_the_folder_lets_in() {
    let sandbox = indexed(5);
    let folder_mode = std::fs::metadata(live(&sandbox))
        .expect("generation")
        .permissions()
        .mode();
    for file in index_files(&sandbox) {
        let mode = std::fs::metadata(&file).expect("file").permissions().mode();
        assert_eq!(
            mode & 0o777,
            folder_mode & 0o666,
            "{} has mode {mode:o}, its folder {folder_mode:o}",
            file.display()
        );
    }
}

/// Makes every file and folder under `path` read-only (or writable again).
fn set_read_only(path: &Path, read_only: bool) {
    for entry in walkdir::WalkDir::new(path) {
        let entry = entry.expect("walk");
        let mut permissions = entry.metadata().expect("metadata").permissions();
        permissions.set_readonly(read_only);
        std::fs::set_permissions(entry.path(), permissions).expect("chmod");
    }
}

#[test]
fn search_show_and_stats_work_on_a_read_only_index_for_another_user() {
    let sandbox = indexed(5);
    // Searches must not need the lock file tantivy takes to read; remove it and forbid writes.
    std::fs::remove_file(live(&sandbox).join(".tantivy-meta.lock")).expect("meta lock");
    std::fs::set_permissions(sandbox.dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod sandbox");
    set_read_only(&sandbox.index(), true);
    // Root writes whatever the permissions say: run as nobody then, which also checks that
    // files written by one user can be read by another.
    let as_root = unsafe { libc::geteuid() } == 0;
    // The other user may not reach the build folder (a checkout under a private folder): give
    // it a copy of the binary in the sandbox, which it can read.
    let program = if as_root {
        let copy = sandbox.dir.path().join("newsidx");
        std::fs::copy(env!("CARGO_BIN_EXE_newsidx"), &copy).expect("copy the binary");
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755))
            .expect("chmod the binary");
        copy
    } else {
        std::path::PathBuf::from(env!("CARGO_BIN_EXE_newsidx"))
    };
    let run = |args: &[&str]| {
        let mut command = Command::new(&program);
        command
            .args(args)
            .arg("--index")
            .arg(sandbox.index())
            .current_dir("/");
        if as_root {
            std::os::unix::process::CommandExt::uid(&mut command, 65534);
            std::os::unix::process::CommandExt::gid(&mut command, 65534);
        }
        command.output().expect("run newsidx")
    };
    let searched = run(&["search", "penanda00003", "--json"]);
    assert_eq!(searched.status.code(), Some(0), "{}", stderr(&searched));
    let results: Value = serde_json::from_slice(&searched.stdout).expect("JSON");
    assert_eq!(results["total"], 1);
    let id = results["hits"][0]["id"].as_str().expect("id").to_string();
    let shown = run(&["show", &id]);
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));
    let stats = run(&["stats"]);
    assert_eq!(stats.status.code(), Some(0), "{}", stderr(&stats));
    let checked = run(&["check"]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    set_read_only(&sandbox.index(), false);
}

/// Asserts that a command on a damaged index fails clearly: exit 1, one line naming the index
/// and the remedy.
fn assert_damage_reported(sandbox: &Sandbox, output: &Output) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains(sandbox.index().to_str().expect("utf-8")),
        "{message}"
    );
    assert!(message.contains("ingest --full"), "{message}");
}

#[test]
fn a_deleted_positions_file_is_found_and_rebuilt() {
    let sandbox = indexed(30);
    let positions = files_with(&sandbox, "pos");
    std::fs::remove_file(&positions[0]).expect("remove .pos");
    let searched = sandbox.run(&["search", "\"banjir merendam\""]);
    assert_damage_reported(&sandbox, &searched);
    assert!(stderr(&searched).contains("missing"));
    assert_eq!(sandbox.run(&["check"]).status.code(), Some(1));
    // Ingest must not say "nothing changed" over a broken index: it rebuilds.
    let output = sandbox.ok(&["ingest", "--json", &corpus_arg(&sandbox)]);
    let summary: Value = serde_json::from_str(&output).expect("JSON");
    assert!(summary["rebuilt"].is_string(), "{summary}");
    assert_eq!(total(&sandbox, "\"banjir merendam\""), 30);
    assert_eq!(sandbox.run(&["check"]).status.code(), Some(0));
}

#[test]
fn a_damaged_current_pointer_gives_advice_and_ingest_recovers() {
    for damage in [&b"\xff\xfe garbage\n"[..], b"gen-99\n", b""] {
        let sandbox = indexed(10);
        std::fs::write(sandbox.index().join("CURRENT"), damage).expect("damage CURRENT");
        for args in [&["search", "banjir"][..], &["stats"], &["show", "x"]] {
            let output = sandbox.run(args);
            assert_damage_reported(&sandbox, &output);
            assert!(stderr(&output).contains("CURRENT"), "{}", stderr(&output));
        }
        assert_eq!(sandbox.run(&["check"]).status.code(), Some(1));
        sandbox.ingest();
        assert_eq!(total(&sandbox, "penanda00004"), 1);
        assert_eq!(sandbox.run(&["check"]).status.code(), Some(0));
    }
}

/// Flips `count` bits of `path`, chosen by a fixed generator from `seed`.
fn flip_bits(path: &Path, seed: u64, count: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for _ in 0..count {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let at = (state % bytes.len() as u64) as usize;
        bytes[at] ^= 1 << (state >> 61);
    }
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn flipped_bits_in_fast_and_positions_files_never_panic() {
    let pristine = indexed(60);
    let corpus = corpus_arg(&pristine);
    // Three flipped bits a file made the ingest or the search panic for about two seeds in five.
    for (extension, seeds) in [("fast", 0..12), ("pos", 0..4)] {
        for seed in seeds {
            let sandbox = Sandbox::new();
            let copy = |from: &Path, to: &Path| {
                for entry in walkdir::WalkDir::new(from) {
                    let entry = entry.expect("walk");
                    let target = to.join(entry.path().strip_prefix(from).expect("inside"));
                    if entry.file_type().is_dir() {
                        std::fs::create_dir_all(&target).expect("mkdir");
                    } else {
                        std::fs::copy(entry.path(), &target).expect("copy");
                    }
                }
            };
            copy(&pristine.index(), &sandbox.index());
            for file in files_with(&sandbox, extension) {
                flip_bits(&file, seed, 3);
            }
            let runs = [
                sandbox.run(&["ingest", "--quiet", &corpus]),
                sandbox.run(&["search", "\"banjir merendam\" penanda00042"]),
                sandbox.run(&["stats"]),
            ];
            for output in &runs {
                assert_ne!(output.status.code(), Some(101), "{}", stderr(output));
                if !output.status.success() {
                    assert_damage_reported(&sandbox, output);
                }
            }
            let checked = sandbox.run(&["check"]);
            assert_eq!(checked.status.code(), Some(1), "{extension} seed {seed}");
            assert!(String::from_utf8_lossy(&checked.stdout).contains(extension));
        }
    }
}

#[test]
fn a_panic_on_one_file_skips_that_file_and_the_run_goes_on() {
    let sandbox = Sandbox::new();
    for number in 0..20 {
        sandbox.write(&format!("{number:05}.txt"), article(number));
    }
    let output = run_with(
        &sandbox,
        &[("NEWSIDX_FAULT_PANIC_FILE", "00007.txt")],
        &["ingest", "--json", &corpus_arg(&sandbox)],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    let summary: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(summary["files_skipped"], 1, "{summary}");
    assert!(summary["skipped"][0]["path"]
        .as_str()
        .expect("path")
        .ends_with("00007.txt"));
    assert_eq!(summary["documents"], 19);
    // The skip is not recorded: once the cause is gone, the file is read.
    sandbox.ingest();
    assert_eq!(total(&sandbox, "penanda00007"), 1);
}

#[test]
fn a_field_with_nothing_after_it_matches_nothing() {
    let sandbox = indexed(5);
    assert_eq!(total(&sandbox, "title:"), 0);
    assert_eq!(total(&sandbox, "title:banjir"), 5);
    let output = sandbox.run(&["search", "title:"]);
    assert!(stderr(&output).contains("title:"), "{}", stderr(&output));
}

#[test]
fn a_pathological_query_gives_one_note_per_kind() {
    let sandbox = indexed(5);
    let nested = "(".repeat(10_000) + "banjir" + &")".repeat(10_000);
    let output = sandbox.run(&["search", &nested]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    let words: Vec<String> = (0..200).map(|at| format!("kata{at}")).collect();
    let output = sandbox.run(&["search", &words.join(" ")]);
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    let cap = newsidx::search::query::MAX_QUERY_WORDS.to_string();
    assert!(stderr(&output).contains(&cap), "{}", stderr(&output));
}
