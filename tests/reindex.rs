//! Reindexing from cron: the real binary run through add, change, delete, rename, touch, reruns,
//! overlapping runs, kills and rebuilds, on temporary folders.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use common::Sandbox;
use serde_json::Value;

/// A plain-text article whose body carries the unique word `penandaNNNNN`.
fn article(number: usize) -> String {
    format!(
        "Warga Desa Sukamaju Menanam Padi Bersama {number}\n\n\
         JAKARTA - Ratusan warga desa bergotong royong menanam padi di sawah milik desa. \
         Kepala desa mengatakan kegiatan ini rutin diadakan setiap musim tanam. \
         Kata kunci liputan ini adalah penanda{number:05}.\n\n\
         Hasil panen nantinya dibagikan kepada warga yang membutuhkan."
    )
}

/// A saved HTML page with a canonical URL, carrying the unique word `penandaNNNNN`.
fn page(number: usize, url: &str) -> String {
    format!(
        "<!doctype html><html><head><title>Banjir Surut di Kampung Melayu {number}</title>\
         <link rel=\"canonical\" href=\"{url}\"></head><body><article>\
         <h1>Banjir Surut di Kampung Melayu {number}</h1>\
         <p>JAKARTA - Banjir yang merendam permukiman warga akhirnya surut pada Selasa pagi.</p>\
         <p>Petugas membersihkan lumpur di jalan utama. Kata kunci liputan ini adalah \
         penanda{number:05}.</p></article></body></html>"
    )
}

fn ingest_json(sandbox: &Sandbox, dirs: &[&Path], extra: &[&str]) -> Value {
    let mut args = vec!["ingest", "--json"];
    args.extend_from_slice(extra);
    let dirs: Vec<&str> = dirs
        .iter()
        .map(|dir| dir.to_str().expect("utf-8 path"))
        .collect();
    args.extend_from_slice(&dirs);
    serde_json::from_str(&sandbox.ok(&args)).expect("ingest --json prints JSON")
}

fn ingest(sandbox: &Sandbox) -> Value {
    ingest_json(sandbox, &[&sandbox.corpus()], &[])
}

fn documents(sandbox: &Sandbox) -> u64 {
    let stats: Value = serde_json::from_str(&sandbox.ok(&["stats", "--json"])).expect("JSON");
    stats["documents"].as_u64().expect("documents")
}

/// How many articles carry the word `penandaNNNNN`, and the path of the first.
fn find(sandbox: &Sandbox, number: usize) -> (u64, Option<String>) {
    let results = sandbox.search_json(&format!("penanda{number:05}"), &[]);
    let path = results["hits"][0]["path"].as_str().map(str::to_string);
    (results["total"].as_u64().expect("total"), path)
}

fn count(summary: &Value, key: &str) -> u64 {
    summary[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} missing in {summary}"))
}

fn set_modified(path: &Path, time: SystemTime) {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open for mtime");
    file.set_modified(time).expect("set mtime");
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .expect("mtime")
}

fn spawn(sandbox: &Sandbox, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_newsidx"))
        .args(args)
        .current_dir(sandbox.dir.path())
        .env("NEWSIDX_INDEX", sandbox.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn newsidx")
}

/// The live generation's `meta.json`.
fn live_meta(sandbox: &Sandbox) -> std::path::PathBuf {
    let current = std::fs::read_to_string(sandbox.index().join("CURRENT")).expect("CURRENT");
    sandbox.index().join(current.trim()).join("meta.json")
}

/// Waits until the running ingest has committed at least one batch of articles (or ended).
fn wait_for_first_batch(sandbox: &Sandbox, child: &mut Child) {
    loop {
        if child.try_wait().expect("wait").is_some() {
            return;
        }
        let committed = std::fs::read_to_string(sandbox.index().join("CURRENT"))
            .ok()
            .and_then(|_| std::fs::read_to_string(live_meta(sandbox)).ok())
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|meta| {
                meta["segments"]
                    .as_array()
                    .map(|segments| !segments.is_empty())
            })
            .unwrap_or(false);
        if committed {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn write_many(sandbox: &Sandbox, total: usize) {
    for number in 0..total {
        sandbox.write(
            &format!("{:03}/{number:05}.txt", number / 100),
            article(number),
        );
    }
}

/// Every one of `total` articles is in the index exactly once.
fn assert_each_once(sandbox: &Sandbox, total: usize) {
    assert_eq!(documents(sandbox), total as u64);
    for number in (0..total).step_by(97).chain([total - 1]) {
        assert_eq!(find(sandbox, number).0, 1, "penanda{number:05}");
    }
}

#[test]
fn add_change_and_delete_keep_one_article_per_file() {
    let sandbox = Sandbox::new();
    sandbox.write("2024/a.txt", article(1));
    sandbox.write("2024/b.txt", article(2));
    let first = ingest(&sandbox);
    assert_eq!(count(&first, "files_added"), 2);
    assert_eq!(count(&first, "articles_indexed"), 2);

    sandbox.write("2024/a.txt", article(3));
    let changed = ingest(&sandbox);
    assert_eq!(count(&changed, "files_updated"), 1);
    assert_eq!(count(&changed, "files_unchanged"), 1);
    assert_eq!(count(&changed, "articles_removed"), 1);
    assert_eq!(find(&sandbox, 1).0, 0, "the old text is gone");
    assert_eq!(find(&sandbox, 3).0, 1);
    assert_eq!(documents(&sandbox), 2);

    sandbox.write("2024/c.txt", article(4));
    std::fs::remove_file(sandbox.corpus().join("2024/b.txt")).expect("remove");
    let deleted = ingest(&sandbox);
    assert_eq!(count(&deleted, "files_added"), 1);
    assert_eq!(count(&deleted, "files_removed"), 1);
    assert_eq!(find(&sandbox, 2).0, 0);
    assert_eq!(find(&sandbox, 4).0, 1);
    assert_eq!(documents(&sandbox), 2);
}

#[test]
fn a_second_run_changes_nothing_and_says_so() {
    let sandbox = Sandbox::new();
    for number in 0..5 {
        sandbox.write(&format!("{number}.txt"), article(number));
    }
    sandbox.write("kosong.txt", "");
    let first = ingest(&sandbox);
    assert_eq!(count(&first, "files_skipped"), 1);
    let meta = std::fs::read(live_meta(&sandbox)).expect("meta.json");

    let corpus = sandbox.corpus();
    let line = sandbox.ok(&["ingest", corpus.to_str().expect("utf-8")]);
    assert!(line.starts_with("nothing changed"), "{line}");
    let again = ingest(&sandbox);
    assert_eq!(count(&again, "files_seen"), 6);
    assert_eq!(count(&again, "files_unchanged"), 6);
    assert_eq!(count(&again, "articles_indexed"), 0);
    // The skipped file was recorded: it is not read, nor reported, again.
    assert_eq!(count(&again, "files_skipped"), 0);
    assert_eq!(count(&again, "commits"), 0);
    assert_eq!(std::fs::read(live_meta(&sandbox)).expect("meta.json"), meta);
    assert!(sandbox
        .ok(&["ingest", "--quiet", corpus.to_str().expect("utf-8")])
        .is_empty());
}

#[test]
fn touching_a_file_without_changing_it_keeps_one_article() {
    let sandbox = Sandbox::new();
    let path = sandbox.write("a.txt", article(7));
    ingest(&sandbox);
    set_modified(&path, modified(&path) + Duration::from_secs(3600));
    let touched = ingest(&sandbox);
    assert_eq!(count(&touched, "files_touched"), 1);
    assert_eq!(count(&touched, "files_updated"), 0);
    assert_eq!(find(&sandbox, 7).0, 1);
    let again = ingest(&sandbox);
    assert_eq!(count(&again, "files_unchanged"), 1);
    assert_eq!(count(&again, "commits"), 0);
}

#[test]
fn a_file_with_its_recorded_size_and_time_is_not_opened() {
    let sandbox = Sandbox::new();
    let path = sandbox.write("a.txt", article(11));
    ingest(&sandbox);
    let recorded = modified(&path);
    // Same length, same modification time, different words: only opening it would tell.
    sandbox.write("a.txt", article(12));
    set_modified(&path, recorded);
    let summary = ingest(&sandbox);
    assert_eq!(count(&summary, "files_unchanged"), 1);
    assert_eq!(find(&sandbox, 11).0, 1);
    assert_eq!(find(&sandbox, 12).0, 0);
}

#[test]
fn a_renamed_file_keeps_one_article() {
    let sandbox = Sandbox::new();
    sandbox.write("lama/a.txt", article(21));
    sandbox.write("lama/b.txt", article(22));
    ingest(&sandbox);
    std::fs::create_dir_all(sandbox.corpus().join("baru")).expect("folder");
    std::fs::rename(
        sandbox.corpus().join("lama/a.txt"),
        sandbox.corpus().join("baru/a.txt"),
    )
    .expect("rename");
    let summary = ingest(&sandbox);
    assert_eq!(count(&summary, "files_added"), 1);
    assert_eq!(count(&summary, "files_removed"), 1);
    assert_eq!(documents(&sandbox), 2);
    assert_eq!(find(&sandbox, 21), (1, Some("baru/a.txt".to_string())));
}

#[test]
fn files_with_the_same_canonical_url_keep_one_article() {
    let sandbox = Sandbox::new();
    let url = "https://www.kompas.com/read/2024/01/02/banjir-surut";
    let older = sandbox.write("2024/01/banjir.html", page(31, url));
    let newer = sandbox.write("2024/02/banjir-koreksi.html", page(32, url));
    set_modified(&older, SystemTime::now() - Duration::from_secs(7200));
    set_modified(&newer, SystemTime::now() - Duration::from_secs(3600));
    ingest(&sandbox);
    assert_eq!(documents(&sandbox), 1);
    assert_eq!(find(&sandbox, 32).0, 1, "the newer page wins");
    assert_eq!(find(&sandbox, 31).0, 0);

    let again = ingest(&sandbox);
    assert_eq!(count(&again, "files_unchanged"), 2);
    assert_eq!(count(&again, "commits"), 0);

    // When the winner goes, the other page's article comes back.
    std::fs::remove_file(&newer).expect("remove");
    let summary = ingest(&sandbox);
    assert_eq!(count(&summary, "files_removed"), 1);
    assert_eq!(documents(&sandbox), 1);
    assert_eq!(find(&sandbox, 31).0, 1);
}

#[test]
fn a_page_with_an_indexed_url_replaces_or_yields_to_its_article_in_a_later_run() {
    let sandbox = Sandbox::new();
    let url = "https://www.tempo.co/read/2024/03/04/gempa-susulan";
    let first = sandbox.write("2024/03/gempa.html", page(33, url));
    set_modified(&first, SystemTime::now() - Duration::from_secs(7200));
    ingest(&sandbox);
    assert_eq!(find(&sandbox, 33).0, 1);

    // A newer copy in a later run takes the URL's one place, found through the index.
    let newer = sandbox.write("2024/03/gempa-ralat.html", page(34, url));
    set_modified(&newer, SystemTime::now() - Duration::from_secs(3600));
    ingest(&sandbox);
    assert_eq!(documents(&sandbox), 1);
    assert_eq!(find(&sandbox, 34).0, 1, "the newer page wins");
    assert_eq!(find(&sandbox, 33).0, 0);

    // An older copy in a later run yields to the article already indexed.
    let older = sandbox.write("2024/03/gempa-arsip.html", page(35, url));
    set_modified(&older, SystemTime::now() - Duration::from_secs(10_800));
    ingest(&sandbox);
    assert_eq!(documents(&sandbox), 1);
    assert_eq!(find(&sandbox, 34).0, 1);
    assert_eq!(find(&sandbox, 35).0, 0);
}

#[test]
fn a_second_ingest_exits_75_naming_the_index() {
    let sandbox = Sandbox::new();
    sandbox.write("a.txt", article(41));
    let corpus = sandbox.corpus();
    let corpus = corpus.to_str().expect("utf-8");
    let held = newsidx::index::lock::acquire(&sandbox.index(), None).expect("lock");

    let output = sandbox.run(&["ingest", corpus]);
    assert_eq!(output.status.code(), Some(75));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&sandbox.index().display().to_string()),
        "{stderr}"
    );

    let output = sandbox.run(&["ingest", "--wait", "1", corpus]);
    assert_eq!(output.status.code(), Some(75));

    let releaser = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        drop(held);
    });
    sandbox.ok(&["ingest", "--quiet", "--wait", "60", corpus]);
    releaser.join().expect("thread");
    assert_eq!(find(&sandbox, 41).0, 1);
}

#[test]
fn a_killed_ingest_resumes_and_indexes_every_file_once() {
    let sandbox = Sandbox::new();
    let total = 1500;
    write_many(&sandbox, total);
    let corpus = sandbox.corpus();
    let corpus = corpus.to_str().expect("utf-8");
    let mut child = spawn(
        &sandbox,
        &["ingest", "--quiet", "--commit-every", "50", corpus],
    );
    wait_for_first_batch(&sandbox, &mut child);
    let _ = child.kill();
    let _ = child.wait();

    let summary = ingest_json(&sandbox, &[&sandbox.corpus()], &["--commit-every", "50"]);
    assert_eq!(count(&summary, "files_seen"), total as u64);
    assert_eq!(
        count(&summary, "files_added") + count(&summary, "files_unchanged"),
        total as u64
    );
    assert_each_once(&sandbox, total);
    let again = ingest(&sandbox);
    assert_eq!(count(&again, "files_unchanged"), total as u64);
}

fn stop_with(signal: &str, code: i32) {
    let sandbox = Sandbox::new();
    let total = 1500;
    write_many(&sandbox, total);
    let corpus = sandbox.corpus();
    let corpus = corpus.to_str().expect("utf-8");
    let mut child = spawn(&sandbox, &["ingest", "--commit-every", "50", corpus]);
    wait_for_first_batch(&sandbox, &mut child);
    Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill");
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The run may have ended before the signal came; otherwise it stops cleanly and says so.
    if output.status.code() != Some(0) {
        assert_eq!(output.status.code(), Some(code), "{stderr}");
        assert!(stderr.contains("run the same command again"), "{stderr}");
        assert!(documents(&sandbox) <= total as u64);
    }
    ingest(&sandbox);
    assert_each_once(&sandbox, total);
}

#[test]
fn sigterm_stops_at_a_batch_boundary() {
    stop_with("-TERM", 143);
}

#[test]
fn sigint_stops_at_a_batch_boundary() {
    stop_with("-INT", 130);
}

#[test]
fn an_index_from_another_analyzer_version_is_rebuilt() {
    let sandbox = Sandbox::new();
    for number in 0..3 {
        sandbox.write(&format!("{number}.txt"), article(number));
    }
    ingest(&sandbox);
    let before = std::fs::read_to_string(sandbox.index().join("CURRENT")).expect("CURRENT");
    // Make the index look as if an older newsidx, analysing differently, had written it.
    let meta_path = live_meta(&sandbox);
    let mut meta: Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).expect("meta")).expect("JSON");
    let mut payload: Value =
        serde_json::from_str(meta["payload"].as_str().expect("payload")).expect("payload JSON");
    payload["analyzer_version"] = Value::from(0);
    meta["payload"] = Value::from(payload.to_string());
    std::fs::write(&meta_path, meta.to_string()).expect("write meta");

    let corpus = sandbox.corpus();
    let output = sandbox.run(&["ingest", corpus.to_str().expect("utf-8")]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rebuilding"), "{stderr}");
    assert!(stderr.contains("analyzer is version 0"), "{stderr}");
    let after = std::fs::read_to_string(sandbox.index().join("CURRENT")).expect("CURRENT");
    assert_ne!(before, after);
    assert_eq!(documents(&sandbox), 3);
    let again = ingest(&sandbox);
    assert!(again["rebuilt"].is_null());
    assert_eq!(count(&again, "files_unchanged"), 3);
    // The replaced generation outlives the swap by one run, for searches opening it.
    assert!(
        !meta_path.exists(),
        "the old generation is removed by the next run"
    );
}

#[test]
fn searches_keep_working_during_a_full_rebuild() {
    let sandbox = Sandbox::new();
    let total = 800;
    write_many(&sandbox, total);
    ingest(&sandbox);
    let corpus = sandbox.corpus();
    let mut child = spawn(
        &sandbox,
        &[
            "ingest",
            "--full",
            "--json",
            corpus.to_str().expect("utf-8"),
        ],
    );
    let mut searches = 0;
    loop {
        let finished = child.try_wait().expect("wait").is_some();
        assert_eq!(find(&sandbox, 5).0, 1, "search number {searches}");
        searches += 1;
        if finished {
            break;
        }
    }
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success());
    let summary: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(summary["rebuilt"], "--full was given");
    assert_eq!(count(&summary, "files_added"), total as u64);
    assert_each_once(&sandbox, total);
}

#[test]
fn several_corpus_folders_are_kept_apart() {
    let sandbox = Sandbox::new();
    let kompas = sandbox.dir.path().join("kompas");
    let tempo = sandbox.dir.path().join("tempo");
    for (dir, first) in [(&kompas, 100), (&tempo, 200)] {
        for number in 0..3 {
            let path = dir.join(format!("2024/{number}.txt"));
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            std::fs::write(&path, article(first + number)).expect("write");
        }
    }
    let summary = ingest_json(&sandbox, &[&kompas, &tempo], &[]);
    assert_eq!(count(&summary, "files_added"), 6);
    assert_eq!(documents(&sandbox), 6);

    // A run over one folder leaves the other's articles alone.
    let one = ingest_json(&sandbox, &[&kompas], &[]);
    assert_eq!(count(&one, "files_removed"), 0);
    assert_eq!(documents(&sandbox), 6);

    // A folder inside another one given is not walked twice.
    let nested = ingest_json(&sandbox, &[&kompas, &kompas.join("2024"), &kompas], &[]);
    assert_eq!(count(&nested, "files_seen"), 3);
    assert_eq!(count(&nested, "files_unchanged"), 3);
    assert_eq!(documents(&sandbox), 6);

    std::fs::remove_file(tempo.join("2024/1.txt")).expect("remove");
    let both = ingest_json(&sandbox, &[&kompas, &tempo], &[]);
    assert_eq!(count(&both, "files_removed"), 1);
    assert_eq!(count(&both, "files_unchanged"), 5);
    assert_eq!(find(&sandbox, 201).0, 0);
    assert_eq!(find(&sandbox, 101).0, 1);
}

#[test]
fn an_emptied_corpus_folder_keeps_its_articles_until_a_full_rebuild() {
    let sandbox = Sandbox::new();
    sandbox.write("2024/a.txt", article(51));
    ingest(&sandbox);
    std::fs::remove_dir_all(sandbox.corpus().join("2024")).expect("remove");
    let corpus = sandbox.corpus();
    let output = sandbox.run(&["ingest", corpus.to_str().expect("utf-8")]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("they are kept"));
    assert_eq!(find(&sandbox, 51).0, 1);
    let full = ingest_json(&sandbox, &[&sandbox.corpus()], &["--full"]);
    assert_eq!(count(&full, "documents"), 0);
    assert_eq!(documents(&sandbox), 0);
}

#[test]
fn a_stopped_full_rebuild_says_the_next_full_starts_over() {
    let sandbox = Sandbox::new();
    let total = 1500;
    write_many(&sandbox, total);
    ingest(&sandbox);
    let corpus = sandbox.corpus();
    let child = spawn(
        &sandbox,
        &[
            "ingest",
            "--full",
            "--commit-every",
            "50",
            corpus.to_str().expect("utf-8"),
        ],
    );
    // Time for the run to set up its signal handlers and start the rebuild.
    std::thread::sleep(Duration::from_millis(300));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() == Some(143) && stderr.contains("stopped by SIGTERM") {
        assert!(!stderr.contains("run the same command again"), "{stderr}");
        assert!(
            stderr.contains("next --full starts the rebuild over"),
            "{stderr}"
        );
    }
    // The live index was left as it was.
    assert_each_once(&sandbox, total);
}
