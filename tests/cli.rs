//! The command-line contract: ingest, search, analyze, extract, show, stats and their errors,
//! run through the real binary on temporary folders.

mod common;

use common::{bundled_corpus, Sandbox};
use serde_json::Value;

const SEED: &str = "000_cdf2b438e2bb1883.txt";
const SEED_TITLE: &str = "AS Kecewa Saat Hubungan China dan Rusia Semakin Intim";

/// A sandbox holding a copy of the bundled corpus, ingested.
fn bundled() -> Sandbox {
    let sandbox = Sandbox::new();
    for entry in walkdir::WalkDir::new(bundled_corpus()) {
        let entry = entry.expect("walk corpus");
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(bundled_corpus())
                .expect("inside corpus");
            let bytes = std::fs::read(entry.path()).expect("read corpus file");
            sandbox.write(relative.to_str().expect("utf-8 name"), bytes);
        }
    }
    sandbox.ingest();
    sandbox
}

fn highlighted_words(hit: &Value) -> Vec<String> {
    let mut words = Vec::new();
    for snippet in hit["snippets"].as_array().expect("snippets array") {
        let text = snippet["text"].as_str().expect("snippet text");
        for range in snippet["highlights"].as_array().expect("highlights array") {
            let start = range[0].as_u64().expect("start") as usize;
            let end = range[1].as_u64().expect("end") as usize;
            words.push(text[start..end].to_lowercase());
        }
    }
    words
}

#[test]
fn seed_ranks_first_for_kerja_sama_militer_with_highlights() {
    let sandbox = bundled();
    let results = sandbox.search_json("kerja sama militer", &[]);
    let first = &results["hits"][0];
    assert_eq!(first["title"], SEED_TITLE);
    let words = highlighted_words(first);
    for word in ["kerja", "sama", "militer"] {
        assert!(
            words.iter().any(|w| w.contains(word)),
            "{word} not highlighted in {words:?}"
        );
    }
}

#[test]
fn search_json_has_every_field_of_the_contract() {
    let sandbox = bundled();
    let results = sandbox.search_json("kerja sama militer", &["--limit", "2"]);
    assert_eq!(results["query"], "kerja sama militer");
    assert!(results["total"].as_u64().expect("total is an integer") >= 1);
    assert!(results["took_ms"].as_f64().expect("took_ms is a number") >= 0.0);
    let hits = results["hits"].as_array().expect("hits array");
    assert!(!hits.is_empty() && hits.len() <= 2);
    let hit = &hits[0];
    let keys: Vec<&str> = hit
        .as_object()
        .expect("hit object")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "rank", "score", "id", "title", "date", "byline", "source", "url", "path", "snippets",
    ] {
        assert!(keys.contains(&key), "hit lacks {key}: {keys:?}");
    }
    assert_eq!(hit["rank"], 1);
    assert!(hit["score"].as_f64().expect("score") > 0.0);
    assert_eq!(hit["id"], SEED);
    assert_eq!(hit["path"], SEED);
    assert!(hit["url"].is_null());
    assert!(hit["byline"].is_null() || hit["byline"].is_string());
    assert_eq!(hit["source"], "Beritabaru.co");
    let date = hit["date"].as_str().expect("date is a string");
    let parsed = chrono::DateTime::parse_from_rfc3339(date).expect("date is RFC 3339");
    assert_eq!(
        parsed.format("%Y-%m-%d %:z").to_string(),
        "2022-12-30 +07:00"
    );
    for snippet in hit["snippets"].as_array().expect("snippets") {
        let field = snippet["field"].as_str().expect("field");
        assert!(
            field == "body" || field == "captions",
            "unexpected field {field}"
        );
        let text = snippet["text"].as_str().expect("text");
        for range in snippet["highlights"].as_array().expect("highlights") {
            let (start, end) = (
                range[0].as_u64().unwrap() as usize,
                range[1].as_u64().unwrap() as usize,
            );
            assert!(start < end && end <= text.len());
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
    }
}

#[test]
fn limit_and_offset_page_through_results() {
    let sandbox = Sandbox::new();
    for n in 0..5 {
        sandbox.write(
            &format!("berita-{n}.txt"),
            format!("Judul Berita Nomor {n}\n\nJAKARTA - Pemerintah membahas anggaran pendidikan tahun ini bersama dewan, rapat ke-{n} berlangsung lama."),
        );
    }
    sandbox.ingest();
    let all = sandbox.search_json("anggaran pendidikan", &["--limit", "5"]);
    assert_eq!(all["total"], 5);
    let page = sandbox.search_json("anggaran pendidikan", &["--limit", "2", "--offset", "2"]);
    let hits = page["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["rank"], 3);
    assert_eq!(hits[0]["id"], all["hits"][2]["id"]);
    assert_eq!(hits[1]["id"], all["hits"][3]["id"]);
}

#[test]
fn human_search_output_and_color_choice() {
    let sandbox = bundled();
    let plain = sandbox.ok(&["search", "kerja sama militer", "--color", "never"]);
    assert!(plain.contains(&format!("1. {SEED_TITLE}")), "{plain}");
    assert!(plain.contains("2022-12-30"));
    assert!(plain.contains("Beritabaru.co"));
    assert!(plain.contains(SEED));
    assert!(!plain.contains('\x1b'), "no escapes with --color never");
    let colored = sandbox.ok(&["search", "kerja sama militer", "--color", "always"]);
    assert!(
        colored.to_lowercase().contains("\x1b[1mmiliter"),
        "{colored}"
    );
    // Piped output defaults to no colour.
    let auto = sandbox.ok(&["search", "kerja sama militer"]);
    assert!(!auto.contains('\x1b'));
}

#[test]
fn analyze_prints_terms_and_json_offsets() {
    let sandbox = Sandbox::new();
    let out = sandbox.ok(&["analyze", "Militernya"]);
    assert_eq!(out.lines().collect::<Vec<_>>(), ["militer"]);
    let text = "Kerja sama militernya";
    let json: Value =
        serde_json::from_str(&sandbox.ok(&["analyze", "--json", text])).expect("json");
    let tokens = json.as_array().expect("array");
    assert!(!tokens.is_empty());
    let mut last_position = None;
    for token in tokens {
        let from = token["offset_from"].as_u64().expect("offset_from") as usize;
        let to = token["offset_to"].as_u64().expect("offset_to") as usize;
        assert_eq!(token["text"].as_str().expect("text"), &text[from..to]);
        assert!(token["term"].is_string());
        let position = token["position"].as_u64().expect("position");
        assert!(last_position.is_none_or(|last| position >= last));
        last_position = Some(position);
    }
    assert_eq!(tokens.last().unwrap()["term"], "militer");
}

#[test]
fn extract_shows_the_normalised_seed_article() {
    let sandbox = Sandbox::new();
    let path = bundled_corpus().join(SEED);
    let out = sandbox.ok(&["extract", "--json", path.to_str().unwrap()]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "one article, one line");
    let article: Value = serde_json::from_str(lines[0]).expect("json line");
    assert_eq!(article["title"], SEED_TITLE);
    assert_eq!(article["dateline"], "Washington");
    assert_eq!(article["source"], "Beritabaru.co");
    let body = article["body"].as_str().expect("body");
    assert!(body.contains("memperkuat kerja sama militer"));
    assert!(!body.contains("Play Store"));
    let human = sandbox.ok(&["extract", path.to_str().unwrap()]);
    assert!(human.contains(&format!("title:     {SEED_TITLE}")));
}

#[test]
fn show_prints_a_stored_article_and_rejects_unknown_ids() {
    let sandbox = bundled();
    let json: Value = serde_json::from_str(&sandbox.ok(&["show", SEED, "--json"])).expect("json");
    assert_eq!(json["title"], SEED_TITLE);
    assert!(json["body"]
        .as_str()
        .unwrap()
        .contains("kerja sama militer"));
    let human = sandbox.ok(&["show", SEED]);
    assert!(human.contains(SEED_TITLE));
    let missing = sandbox.run(&["show", "tidak-ada.txt"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("tidak-ada.txt"));
}

#[test]
fn stats_counts_documents_sources_and_dates() {
    let sandbox = bundled();
    let json: Value = serde_json::from_str(&sandbox.ok(&["stats", "--json"])).expect("json");
    let documents = json["documents"].as_u64().expect("documents");
    assert!(documents >= 1);
    assert!(json["size_bytes"].as_u64().expect("size") > 0);
    let sources = json["sources"].as_object().expect("sources");
    assert!(
        sources
            .keys()
            .any(|source| source.eq_ignore_ascii_case("beritabaru.co")),
        "{sources:?}"
    );
    let earliest = json["earliest"].as_str().expect("earliest");
    assert!(chrono::DateTime::parse_from_rfc3339(earliest).is_ok());
    let human = sandbox.ok(&["stats"]);
    assert!(human.contains(&format!("documents: {documents}")));
}

#[test]
fn ingest_summary_as_json_and_as_one_line() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "a.txt",
        "Judul Pertama\n\nJAKARTA - Isi berita pertama yang cukup panjang untuk dibaca orang.",
    );
    sandbox.write("kosong.txt", "");
    let corpus = sandbox.corpus();
    let output = sandbox.run(&["ingest", "--json", corpus.to_str().unwrap()]);
    assert!(output.status.success());
    let summary: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(summary["files_seen"], 2);
    assert_eq!(summary["articles_indexed"], 1);
    assert_eq!(summary["files_skipped"], 1);
    assert!(summary["elapsed_secs"].as_f64().is_some());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("kosong.txt") && stderr.contains("empty"),
        "{stderr}"
    );
    let line = sandbox.ok(&["ingest", corpus.to_str().unwrap()]);
    assert_eq!(line.trim().lines().count(), 1, "{line}");
    assert!(line.contains("2 files seen"), "{line}");
}

#[test]
fn search_without_index_is_a_one_line_error() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["search", "apa saja"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(sandbox.index().to_str().unwrap()));
    assert!(stderr.contains("newsidx ingest"));
    assert!(output.stdout.is_empty());
}

#[test]
fn index_flag_overrides_the_environment() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "a.txt",
        "Judul Pertama\n\nJAKARTA - Isi berita pertama yang cukup panjang untuk dibaca orang.",
    );
    let other = sandbox.dir.path().join("lain");
    let corpus = sandbox.corpus();
    sandbox.ok(&[
        "ingest",
        "--quiet",
        "--index",
        other.to_str().unwrap(),
        corpus.to_str().unwrap(),
    ]);
    assert!(
        other.join("meta.json").exists()
            || other
                .read_dir()
                .map(|mut d| d.next().is_some())
                .unwrap_or(false)
    );
    assert!(
        !sandbox.index().exists(),
        "NEWSIDX_INDEX must not be used when --index is given"
    );
}

#[test]
fn empty_corpus_warns_and_indexes_nothing() {
    let sandbox = Sandbox::new();
    let corpus = sandbox.corpus();
    let output = sandbox.run(&["ingest", "--json", corpus.to_str().unwrap()]);
    assert!(output.status.success());
    let summary: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(summary["files_seen"], 0);
    assert_eq!(summary["articles_indexed"], 0);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no files found"));
}

#[test]
fn missing_corpus_folder_is_a_usage_error() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["ingest", "tidak-ada"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("tidak-ada"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let sandbox = Sandbox::new();
    assert_eq!(
        sandbox.run(&["search", "--tidak-ada", "x"]).status.code(),
        Some(2)
    );
}

#[test]
fn unreadable_and_binary_files_are_reported_and_skipped() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "baik.txt",
        "Judul Baik\n\nJAKARTA - Isi berita yang baik dan cukup panjang untuk diindeks.",
    );
    sandbox.write("gambar.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let locked = sandbox.write(
        "terkunci.txt",
        "Judul Terkunci\n\nJAKARTA - Isi berita ini tidak boleh terbaca sama sekali.",
    );
    let mut permissions = std::fs::metadata(&locked).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o000);
    std::fs::set_permissions(&locked, permissions).unwrap();
    // Superusers read anything; the unreadable case is only checkable where permissions bind.
    let permissions_bind = std::fs::read(&locked).is_err();
    let corpus = sandbox.corpus();
    let output = sandbox.run(&["ingest", "--json", corpus.to_str().unwrap()]);
    assert!(output.status.success());
    let summary: Value = serde_json::from_slice(&output.stdout).expect("json");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("gambar.png") && stderr.contains("PNG"),
        "{stderr}"
    );
    if permissions_bind {
        assert!(stderr.contains("terkunci.txt"), "{stderr}");
        assert_eq!(summary["articles_indexed"], 1);
        assert_eq!(summary["files_skipped"], 2);
    } else {
        assert_eq!(summary["articles_indexed"], 2);
        assert_eq!(summary["files_skipped"], 1);
    }
}

#[test]
fn json_lines_record_problems_are_reported_per_line() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "ekspor.jsonl",
        concat!(
            "{\"judul\": \"Satu\", \"isi\": \"Isi berita pertama cukup panjang untuk diindeks.\"}\n",
            "ini bukan JSON\n",
            "{\"judul\": \"Tiga\", \"isi\": \"\"}\n",
            "{\"judul\": \"Empat\", \"isi\": \"Isi berita keempat juga cukup panjang.\"}\n",
        ),
    );
    let corpus = sandbox.corpus();
    let output = sandbox.run(&["ingest", "--json", corpus.to_str().unwrap()]);
    assert!(output.status.success());
    let summary: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(summary["articles_indexed"], 2);
    assert_eq!(summary["files_skipped"], 0);
    let records = summary["records_skipped"]
        .as_array()
        .expect("records_skipped");
    assert_eq!(records.len(), 2, "{records:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("ekspor.jsonl") && stderr.contains("line 2: invalid JSON"),
        "{stderr}"
    );
    assert!(stderr.contains("line 3: no article text"), "{stderr}");
}
