//! Which file's article holds a canonical URL shared by several files, and which files the
//! index knows: the real binary on temporary folders, through moves, copies, URL changes,
//! deletions, odd file names and moved corpus roots. After each scenario the incremental
//! index must hold exactly what a fresh build of the same folders holds.

mod common;
mod listing;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::Sandbox;
use listing::{id_counts, rows, Row};
use serde_json::Value;

/// A saved page with a title and a canonical URL (`page T URL` of the issue).
fn page(title: &str, url: &str) -> String {
    format!(
        "<!doctype html><html><head><title>{title}</title>\
         <link rel=\"canonical\" href=\"{url}\"></head><body><article><h1>{title}</h1>\
         <p>JAKARTA - Banjir yang merendam permukiman warga akhirnya surut pada Selasa pagi.</p>\
         <p>Petugas membersihkan lumpur di jalan utama sepanjang hari bersama relawan.</p>\
         </article></body></html>"
    )
}

/// A plain-text article with a title.
fn text(title: &str) -> String {
    format!(
        "{title}\n\nJAKARTA - Ratusan warga desa bergotong royong menanam padi di sawah milik \
         desa. Kepala desa mengatakan kegiatan ini rutin diadakan setiap musim tanam."
    )
}

/// A JSON Lines record with a title and a URL.
fn record(title: &str, url: &str) -> String {
    format!(
        "{{\"title\": \"{title}\", \"url\": \"{url}\", \"content\": \"Ratusan warga desa \
         bergotong royong menanam padi di sawah milik desa setiap musim tanam.\"}}\n"
    )
}

fn set_age(path: &Path, seconds_ago: u64) {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open for mtime");
    file.set_modified(SystemTime::now() - Duration::from_secs(seconds_ago))
        .expect("set mtime");
}

fn utf8(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// `newsidx --index INDEX ingest --json EXTRA DIRS`, asserted to succeed.
fn ingest_into(sandbox: &Sandbox, index: &Path, dirs: &[&Path], extra: &[&str]) -> Value {
    let mut args = vec!["--index", utf8(index), "ingest", "--json"];
    args.extend_from_slice(extra);
    args.extend(dirs.iter().map(|dir| utf8(dir)));
    serde_json::from_str(&sandbox.ok(&args)).expect("ingest --json prints JSON")
}

fn ingest(sandbox: &Sandbox) -> Value {
    ingest_into(sandbox, &sandbox.index(), &[&sandbox.corpus()], &[])
}

/// A fresh build of `dirs` in a new index beside the sandbox's, and its articles.
fn fresh(sandbox: &Sandbox, dirs: &[&Path]) -> Vec<Row> {
    let index: PathBuf = sandbox.dir.path().join("fresh");
    let _ = std::fs::remove_dir_all(&index);
    ingest_into(sandbox, &index, dirs, &[]);
    rows(&index)
}

/// The incremental index holds what a fresh build holds, and no id twice.
fn assert_matches_fresh(sandbox: &Sandbox, dirs: &[&Path]) -> Vec<Row> {
    let live = rows(&sandbox.index());
    assert_eq!(
        live,
        fresh(sandbox, dirs),
        "incremental index vs fresh build"
    );
    for (id, count) in id_counts(&live) {
        assert_eq!(count, 1, "{id} is indexed {count} times");
    }
    live
}

/// The titles of `rows`, sorted.
fn titles(rows: &[Row]) -> Vec<&str> {
    let mut titles: Vec<&str> = rows.iter().map(|row| row.title.as_str()).collect();
    titles.sort_unstable();
    titles
}

#[test]
fn a_moved_page_with_a_canonical_url_keeps_its_article() {
    let sandbox = Sandbox::new();
    for number in 0..4 {
        sandbox.write(
            &format!("p{number}.html"),
            page(
                &format!("Berita {number}"),
                &format!("https://x.id/{number}"),
            ),
        );
    }
    sandbox.write("a.html", page("Pindah", "https://x.id/pindah"));
    ingest(&sandbox);
    // "a-moved.html" sorts before "a.html", so the new path meets the old one first.
    std::fs::rename(
        sandbox.corpus().join("a.html"),
        sandbox.corpus().join("a-moved.html"),
    )
    .expect("rename");
    ingest(&sandbox);
    let live = assert_matches_fresh(&sandbox, &[&sandbox.corpus()]);
    assert_eq!(live.len(), 5);
    assert!(titles(&live).contains(&"Pindah"));
    let again = ingest(&sandbox);
    assert_eq!(again["files_unchanged"], 5, "{again}");
    assert_eq!(rows(&sandbox.index()), live);
}

#[test]
fn a_page_moved_into_another_folder_keeps_its_article() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "b/berita.html",
        page("Pindah Folder", "https://x.id/folder"),
    );
    ingest(&sandbox);
    std::fs::create_dir_all(sandbox.corpus().join("a")).expect("folder");
    std::fs::rename(
        sandbox.corpus().join("b/berita.html"),
        sandbox.corpus().join("a/berita.html"),
    )
    .expect("rename");
    ingest(&sandbox);
    let live = assert_matches_fresh(&sandbox, &[&sandbox.corpus()]);
    assert_eq!(titles(&live), ["Pindah Folder"]);
}

#[test]
fn the_older_copy_comes_back_once_when_the_newer_goes() {
    let sandbox = Sandbox::new();
    let a = sandbox.write("a.html", page("A", "https://x.id/u"));
    let b = sandbox.write("b.html", page("B", "https://x.id/u"));
    set_age(&a, 7200);
    set_age(&b, 3600);
    ingest(&sandbox);
    assert_eq!(titles(&rows(&sandbox.index())), ["B"]);
    set_age(&a, 0);
    std::fs::remove_file(&b).expect("remove");
    ingest(&sandbox);
    let live = assert_matches_fresh(&sandbox, &[&sandbox.corpus()]);
    assert_eq!(titles(&live), ["A"]);
}

#[test]
fn json_lines_records_come_back_once_when_the_newer_copy_goes() {
    let sandbox = Sandbox::new();
    let lines = |tag: &str| {
        format!(
            "{}{}",
            record(&format!("Satu {tag}"), "https://x.id/1"),
            record(&format!("Dua {tag}"), "https://x.id/2")
        )
    };
    let a = sandbox.write("a.jsonl", lines("A"));
    let b = sandbox.write("b.jsonl", lines("B"));
    set_age(&a, 7200);
    set_age(&b, 3600);
    ingest(&sandbox);
    assert_eq!(titles(&rows(&sandbox.index())), ["Dua B", "Satu B"]);
    set_age(&a, 0);
    std::fs::remove_file(&b).expect("remove");
    ingest(&sandbox);
    let live = assert_matches_fresh(&sandbox, &[&sandbox.corpus()]);
    assert_eq!(titles(&live), ["Dua A", "Satu A"]);
}

#[test]
fn a_new_page_is_rechecked_when_the_holder_changes_its_url_in_the_same_run() {
    let sandbox = Sandbox::new();
    let holder = sandbox.write("p.html", page("Lama", "https://x.id/u"));
    set_age(&holder, 3600);
    ingest(&sandbox);
    // The new page is older, so it first loses the URL to the indexed page, which then
    // changes its own URL in the same run.
    let newcomer = sandbox.write("n.html", page("Baru", "https://x.id/u"));
    set_age(&newcomer, 7200);
    sandbox.write("p.html", page("Lama Ralat", "https://x.id/v"));
    ingest_into(
        &sandbox,
        &sandbox.index(),
        &[&sandbox.corpus()],
        &["--threads", "1"],
    );
    let live = assert_matches_fresh(&sandbox, &[&sandbox.corpus()]);
    assert_eq!(titles(&live), ["Baru", "Lama Ralat"]);
}

#[test]
fn the_holder_of_a_shared_url_does_not_depend_on_history() {
    let sandbox = Sandbox::new();
    let a = sandbox.write("a.html", page("Asli", "https://x.id/u"));
    set_age(&a, 3600);
    ingest(&sandbox);
    // A copy with the same modification time: the tie is broken by the file name, whatever
    // was indexed first.
    std::fs::copy(&a, sandbox.corpus().join("z.html")).expect("copy");
    let z = sandbox.corpus().join("z.html");
    set_age(&z, 3600);
    let time = std::fs::metadata(&a)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&z)
        .and_then(|file| file.set_modified(time))
        .expect("same mtime");
    ingest(&sandbox);
    assert_matches_fresh(&sandbox, &[&sandbox.corpus()]);
    std::fs::rename(&a, sandbox.corpus().join("m.html")).expect("rename");
    ingest(&sandbox);
    assert_matches_fresh(&sandbox, &[&sandbox.corpus()]);
    std::fs::rename(&z, sandbox.corpus().join("b.html")).expect("rename");
    ingest(&sandbox);
    let live = assert_matches_fresh(&sandbox, &[&sandbox.corpus()]);
    assert_eq!(live.len(), 1);
}

#[test]
fn names_differing_only_in_invalid_utf8_bytes_are_two_files() {
    use std::os::unix::ffi::OsStrExt;
    let sandbox = Sandbox::new();
    for (byte, title) in [(0xffu8, "Warga Desa Satu"), (0xfe, "Warga Desa Dua")] {
        let bytes = [b'a', byte, b'.', b't', b'x', b't'];
        let name = std::ffi::OsStr::from_bytes(&bytes);
        std::fs::write(sandbox.corpus().join(name), text(title)).expect("write");
    }
    ingest(&sandbox);
    let again = ingest(&sandbox);
    assert_eq!(again["files_unchanged"], 2, "{again}");
    assert_eq!(again["files_updated"], 0, "{again}");
    let live = assert_matches_fresh(&sandbox, &[&sandbox.corpus()]);
    assert_eq!(titles(&live), ["Warga Desa Dua", "Warga Desa Satu"]);
}

#[test]
fn a_moved_corpus_root_keeps_one_article_per_file() {
    let sandbox = Sandbox::new();
    let first = sandbox.dir.path().join("c1");
    std::fs::create_dir_all(&first).expect("folder");
    std::fs::write(first.join("a.txt"), text("Warga Tanpa Alamat")).expect("write");
    std::fs::write(
        first.join("p.html"),
        page("Dengan Alamat", "https://x.id/p"),
    )
    .expect("write");
    ingest_into(&sandbox, &sandbox.index(), &[&first], &[]);
    let second = sandbox.dir.path().join("c2");
    std::fs::rename(&first, &second).expect("move the root");
    ingest_into(&sandbox, &sandbox.index(), &[&second], &[]);
    let live = assert_matches_fresh(&sandbox, &[&second]);
    assert_eq!(titles(&live), ["Dengan Alamat", "Warga Tanpa Alamat"]);
}

#[test]
fn a_symlinked_root_swapped_to_a_copy_keeps_one_article_per_file() {
    let sandbox = Sandbox::new();
    let one = sandbox.dir.path().join("v1");
    std::fs::create_dir_all(&one).expect("folder");
    std::fs::write(one.join("a.txt"), text("Warga Tanpa Alamat")).expect("write");
    let link = sandbox.dir.path().join("arsip");
    std::os::unix::fs::symlink(&one, &link).expect("symlink");
    ingest_into(&sandbox, &sandbox.index(), &[&link], &[]);
    let two = sandbox.dir.path().join("v2");
    std::fs::create_dir_all(&two).expect("folder");
    std::fs::copy(one.join("a.txt"), two.join("a.txt")).expect("copy");
    std::fs::remove_file(&link).expect("unlink");
    std::os::unix::fs::symlink(&two, &link).expect("symlink");
    ingest_into(&sandbox, &sandbox.index(), &[&link], &[]);
    let live = assert_matches_fresh(&sandbox, &[&link]);
    assert_eq!(titles(&live), ["Warga Tanpa Alamat"]);
}

#[test]
fn the_same_name_in_two_corpus_folders_gives_two_ids() {
    let sandbox = Sandbox::new();
    let a = sandbox.dir.path().join("A");
    let b = sandbox.dir.path().join("B");
    for (dir, title) in [(&a, "Berita A"), (&b, "Berita B")] {
        std::fs::create_dir_all(dir).expect("folder");
        std::fs::write(dir.join("berita.txt"), text(title)).expect("write");
    }
    ingest_into(&sandbox, &sandbox.index(), &[&a, &b], &[]);
    let live = assert_matches_fresh(&sandbox, &[&a, &b]);
    assert_eq!(titles(&live), ["Berita A", "Berita B"]);
}

#[test]
fn an_index_inside_the_corpus_is_not_walked() {
    let sandbox = Sandbox::new();
    sandbox.write("a.txt", text("Satu"));
    let index = sandbox.corpus().join("indeks");
    let first = ingest_into(&sandbox, &index, &[&sandbox.corpus()], &[]);
    assert_eq!(first["files_seen"], 1, "{first}");
    let output = sandbox.run(&["--index", utf8(&index), "ingest", utf8(&sandbox.corpus())]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("indeks"), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("nothing changed: 1 files seen"),
        "{stdout}"
    );
}
