//! `newsidx search`: ranking, the query language, filters, sort, copies and snippets, run
//! through the real binary on small corpora written here.

mod common;

use common::Sandbox;
use serde_json::Value;

/// A plain-text article: title, blank line, body (the text extractor's layout).
fn article(sandbox: &Sandbox, name: &str, title: &str, body: &str) {
    sandbox.write(name, format!("{title}\n\n{body}\n"));
}

/// A JSON article with a date, a source and authors.
fn json_article(sandbox: &Sandbox, name: &str, title: &str, date: &str, source: &str, body: &str) {
    let record = serde_json::json!({
        "title": title,
        "date": date,
        "source": source,
        "authors": ["Rina Wulandari"],
        "body": body,
    });
    sandbox.write(name, record.to_string());
}

fn titles(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits array")
        .iter()
        .map(|hit| hit["title"].as_str().expect("title").to_string())
        .collect()
}

fn marked(snippet: &Value) -> Vec<String> {
    let text = snippet["text"].as_str().expect("text");
    snippet["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|range| {
            let start = range[0].as_u64().expect("start") as usize;
            let end = range[1].as_u64().expect("end") as usize;
            text[start..end].to_string()
        })
        .collect()
}

const FILLER: &str = "Pertemuan itu berlangsung di ibu kota dan dihadiri banyak pejabat.";

#[test]
fn every_word_in_context_beats_one_word_repeated_and_partial_matches_still_come_back() {
    let sandbox = Sandbox::new();
    article(
        &sandbox,
        "a.txt",
        "Latihan Gabungan Angkatan Laut",
        &format!(
            "Latihan militer digelar pekan ini. Militer kedua negara ikut. Militer lagi. {FILLER}"
        ),
    );
    article(
        &sandbox,
        "b.txt",
        "Dua Negara Menjalin Kesepakatan",
        &format!("Kedua negara sepakat melanjutkan kerja sama di bidang militer. {FILLER}"),
    );
    sandbox.ingest();
    let results = sandbox.search_json("kerja sama militer", &[]);
    assert_eq!(results["total"], 2);
    assert_eq!(
        titles(&results),
        [
            "Dua Negara Menjalin Kesepakatan",
            "Latihan Gabungan Angkatan Laut"
        ]
    );
}

#[test]
fn words_standing_together_rank_above_scattered_words() {
    let sandbox = Sandbox::new();
    article(
        &sandbox,
        "scattered.txt",
        "Laporan Tahunan Kementerian",
        &format!("Kerja keras para pegawai diakui. Mereka sama sekali tidak lelah. Anggaran militer naik. {FILLER}"),
    );
    article(
        &sandbox,
        "together.txt",
        "Laporan Tahunan Kedutaan",
        &format!(
            "Pemerintah memperkuat kerja sama militer dengan negara tetangga. {FILLER} {FILLER}"
        ),
    );
    sandbox.ingest();
    let results = sandbox.search_json("kerja sama militer", &[]);
    assert_eq!(
        titles(&results),
        ["Laporan Tahunan Kedutaan", "Laporan Tahunan Kementerian"]
    );
}

#[test]
fn a_title_match_outranks_a_body_match() {
    let sandbox = Sandbox::new();
    article(
        &sandbox,
        "body.txt",
        "Kabar Dari Daerah",
        &format!("Warga melaporkan banjir di desa mereka. {FILLER}"),
    );
    article(
        &sandbox,
        "title.txt",
        "Banjir Rendam Desa",
        &format!("Warga mengungsi ke balai desa sejak pagi. {FILLER}"),
    );
    sandbox.ingest();
    let results = sandbox.search_json("banjir", &[]);
    assert_eq!(
        titles(&results),
        ["Banjir Rendam Desa", "Kabar Dari Daerah"]
    );
}

#[test]
fn quoted_phrases_match_their_words_in_order_stopwords_included() {
    let sandbox = Sandbox::new();
    article(
        &sandbox,
        "kerja.txt",
        "Kerja Sama Dagang",
        &format!("Kedua negara menandatangani kerja sama dagang. {FILLER}"),
    );
    article(
        &sandbox,
        "bekerja.txt",
        "Petani Bergotong Royong",
        &format!("Para petani bekerja sama membersihkan saluran irigasi. {FILLER}"),
    );
    article(
        &sandbox,
        "latihan.txt",
        "Latihan Gabungan",
        &format!("Indonesia bekerjasama dengan militer Australia. {FILLER}"),
    );
    article(
        &sandbox,
        "sekali.txt",
        "Hari Libur",
        &format!("Ia sama sekali tidak bekerja hari itu. {FILLER}"),
    );
    sandbox.ingest();
    // Every form of the words, closed compounds included; never the words out of order.
    let results = sandbox.search_json("\"bekerja sama\"", &[]);
    assert_eq!(results["total"], 3);
    let mut found = titles(&results);
    found.sort();
    assert_eq!(
        found,
        [
            "Kerja Sama Dagang",
            "Latihan Gabungan",
            "Petani Bergotong Royong"
        ]
    );
    // A stopword in the phrase must stand in its place.
    let results = sandbox.search_json("\"kerja sama dengan militer\"", &[]);
    assert_eq!(titles(&results), ["Latihan Gabungan"]);
    let snippet = &results["hits"][0]["snippets"][0];
    assert_eq!(marked(snippet), ["bekerjasama dengan militer"]);
    assert_eq!(
        sandbox.search_json("\"kerja sama militer\"", &[])["total"],
        0
    );
    // In an exclusion and in one field.
    let results = sandbox.search_json("sama -\"kerja sama\"", &[]);
    assert_eq!(titles(&results), ["Hari Libur"]);
    let results = sandbox.search_json("title:\"kerja sama\"", &[]);
    assert_eq!(titles(&results), ["Kerja Sama Dagang"]);
    assert_eq!(sandbox.search_json("title:\"sama kerja\"", &[])["total"], 0);
    // Plain words match wherever the words stand.
    assert_eq!(sandbox.search_json("kerja sama", &[])["total"], 4);
}

#[test]
fn exclusion_or_parentheses_and_fields() {
    let sandbox = Sandbox::new();
    article(
        &sandbox,
        "banjir-bogor.txt",
        "Banjir di Bogor",
        &format!("Hujan deras membuat sungai meluap di Bogor. {FILLER}"),
    );
    article(
        &sandbox,
        "longsor-bogor.txt",
        "Longsor di Bogor",
        &format!("Tebing runtuh menimpa rumah warga di Bogor. {FILLER}"),
    );
    article(
        &sandbox,
        "banjir-jakarta.txt",
        "Banjir di Jakarta",
        &format!("Hujan deras merendam jalan di Jakarta. Bogor juga disebut. {FILLER}"),
    );
    sandbox.ingest();
    let mut found = titles(&sandbox.search_json("bogor -jakarta", &[]));
    found.sort();
    assert_eq!(found, ["Banjir di Bogor", "Longsor di Bogor"]);

    let mut found = titles(&sandbox.search_json("title:(banjir OR longsor) +bogor", &[]));
    found.sort();
    assert_eq!(
        found,
        ["Banjir di Bogor", "Banjir di Jakarta", "Longsor di Bogor"]
    );

    let found = titles(&sandbox.search_json("title:bogor -title:banjir", &[]));
    assert_eq!(found, ["Longsor di Bogor"]);

    assert_eq!(sandbox.search_json("caption:bogor", &[])["total"], 0);
}

#[test]
fn malformed_queries_are_answered_without_failing() {
    let sandbox = Sandbox::new();
    article(
        &sandbox,
        "a.txt",
        "Gempa Guncang Cianjur",
        &format!("Gempa berkekuatan lima skala Richter mengguncang Cianjur. {FILLER}"),
    );
    sandbox.ingest();
    for query in [
        "\"gempa cianjur",
        "(gempa",
        "gempa )",
        "- gempa",
        "gempa OR",
        "title:",
        "-",
    ] {
        let output = sandbox.run(&["search", query, "--json"]);
        assert!(output.status.success(), "{query:?} failed: {output:?}");
        let results: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert!(results["total"].is_number(), "{query:?}");
    }
    let output = sandbox.run(&["search", "(gempa", "--color", "never"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unclosed `(`"), "{stderr}");
    assert_eq!(
        titles(&sandbox.search_json("(gempa", &[])),
        ["Gempa Guncang Cianjur"]
    );
}

#[test]
fn a_query_of_stopwords_still_finds_articles() {
    let sandbox = Sandbox::new();
    article(
        &sandbox,
        "a.txt",
        "Sebuah Catatan",
        &format!("Ini adalah yang terbaik dari yang ada. {FILLER}"),
    );
    article(&sandbox, "b.txt", "Kabar Cuaca", "Hujan turun sejak pagi.");
    sandbox.ingest();
    let results = sandbox.search_json("yang dan", &[]);
    assert_eq!(results["total"], 1);
    let snippet = &results["hits"][0]["snippets"][0];
    assert!(marked(snippet).iter().any(|word| word == "yang"));
    // Quoted stopwords: the exact words, in order.
    let results = sandbox.search_json("\"dari yang\"", &[]);
    assert_eq!(titles(&results), ["Sebuah Catatan"]);
    assert_eq!(sandbox.search_json("\"yang dari\"", &[])["total"], 0);
}

fn dated_corpus() -> Sandbox {
    let sandbox = Sandbox::new();
    json_article(
        &sandbox,
        "a.json",
        "Harga Cabai Naik di Akhir Tahun",
        "2022-12-30T10:00:00+07:00",
        "kompas.com",
        &format!("Harga cabai di pasar tradisional naik menjelang tahun baru. {FILLER}"),
    );
    json_article(
        &sandbox,
        "b.json",
        "Harga Cabai Turun Setelah Panen",
        "2023-03-15T08:00:00+07:00",
        "detik.com",
        &format!("Harga cabai turun karena panen raya di sentra produksi. {FILLER}"),
    );
    json_article(
        &sandbox,
        "c.json",
        "Harga Cabai Stabil",
        "2021-06-01T09:00:00+07:00",
        "tempo.co",
        &format!("Harga cabai stabil sepanjang bulan ini menurut pedagang. {FILLER}"),
    );
    sandbox.ingest();
    sandbox
}

#[test]
fn date_filters_cover_whole_periods_in_every_written_form() {
    let sandbox = dated_corpus();
    let mut found = titles(&sandbox.search_json("cabai", &["--since", "2022"]));
    found.sort();
    assert_eq!(
        found,
        [
            "Harga Cabai Naik di Akhir Tahun",
            "Harga Cabai Turun Setelah Panen"
        ]
    );
    let found = titles(&sandbox.search_json(
        "cabai",
        &["--until", "30 Desember 2022", "--since", "2022-12"],
    ));
    assert_eq!(found, ["Harga Cabai Naik di Akhir Tahun"]);
    let found = titles(&sandbox.search_json("cabai", &["--until", "2022-12-29"]));
    assert_eq!(found, ["Harga Cabai Stabil"]);

    let output = sandbox.run(&["search", "cabai", "--since", "kemarin"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("30 Desember 2022"));
}

#[test]
fn source_filter_is_repeatable_and_matches_by_name() {
    let sandbox = dated_corpus();
    let mut found =
        titles(&sandbox.search_json("cabai", &["--source", "kompas", "--source", "tempo.co"]));
    found.sort();
    assert_eq!(
        found,
        ["Harga Cabai Naik di Akhir Tahun", "Harga Cabai Stabil"]
    );
    assert_eq!(
        titles(&sandbox.search_json("cabai source:detik", &[])),
        ["Harga Cabai Turun Setelah Panen"]
    );
    assert_eq!(
        sandbox.search_json("cabai", &["--source", "republika"])["total"],
        0
    );
}

#[test]
fn sort_newest_and_oldest() {
    let sandbox = dated_corpus();
    assert_eq!(
        titles(&sandbox.search_json("cabai", &["--sort", "newest"])),
        [
            "Harga Cabai Turun Setelah Panen",
            "Harga Cabai Naik di Akhir Tahun",
            "Harga Cabai Stabil"
        ]
    );
    assert_eq!(
        titles(&sandbox.search_json("cabai", &["--sort", "oldest"])),
        [
            "Harga Cabai Stabil",
            "Harga Cabai Naik di Akhir Tahun",
            "Harga Cabai Turun Setelah Panen"
        ]
    );
}

#[test]
fn a_filter_only_search_shows_the_lead() {
    let sandbox = dated_corpus();
    let results = sandbox.search_json("", &["--source", "tempo"]);
    assert_eq!(results["total"], 1);
    let snippet = &results["hits"][0]["snippets"][0];
    assert_eq!(snippet["field"], "body");
    assert!(snippet["text"]
        .as_str()
        .expect("text")
        .starts_with("Harga cabai stabil sepanjang bulan ini"));
    assert_eq!(snippet["highlights"], serde_json::json!([]));
}

#[test]
fn json_output_field_by_field() {
    let sandbox = dated_corpus();
    let results = sandbox.search_json("cabai panen", &["--limit", "1"]);
    assert_eq!(results["query"], "cabai panen");
    assert_eq!(results["total"], 3);
    assert!(results["took_ms"].as_f64().expect("took_ms") >= 0.0);
    let hits = results["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit["rank"], 1);
    assert!(hit["score"].as_f64().expect("score") > 0.0);
    assert_eq!(hit["id"], "b.json");
    assert_eq!(hit["title"], "Harga Cabai Turun Setelah Panen");
    assert_eq!(hit["date"], "2023-03-15T08:00:00+07:00");
    assert_eq!(hit["byline"], "Rina Wulandari");
    assert_eq!(hit["source"], "detik.com");
    assert_eq!(hit["url"], Value::Null);
    assert_eq!(hit["path"], "b.json");
    assert_eq!(hit["duplicates"], serde_json::json!([]));
    let snippet = &hit["snippets"][0];
    assert_eq!(snippet["field"], "body");
    assert_eq!(
        snippet["text"],
        "Harga cabai turun karena panen raya di sentra produksi."
    );
    assert_eq!(marked(snippet), ["cabai", "panen"]);

    let page_two = sandbox.search_json("cabai panen", &["--limit", "1", "--offset", "1"]);
    assert_eq!(page_two["hits"][0]["rank"], 2);
    assert_ne!(page_two["hits"][0]["id"], "b.json");
}

#[test]
fn the_same_wire_story_on_several_sites_is_shown_once() {
    let sandbox = Sandbox::new();
    let story = "Badan Meteorologi, Klimatologi, dan Geofisika memperingatkan potensi hujan lebat \
        disertai angin kencang di sejumlah wilayah Jawa Barat selama tiga hari ke depan. Warga yang \
        tinggal di lereng bukit dan bantaran sungai diminta waspada terhadap banjir dan tanah \
        longsor. Kepala stasiun setempat mengatakan curah hujan tertinggi diperkirakan terjadi pada \
        sore hingga malam hari, sehingga masyarakat diimbau menunda perjalanan jauh dan memeriksa \
        saluran air di sekitar rumah masing-masing sebelum musim hujan mencapai puncaknya.";
    json_article(
        &sandbox,
        "a.json",
        "BMKG: Waspada Hujan Lebat",
        "2024-01-02",
        "antaranews.com",
        story,
    );
    json_article(
        &sandbox,
        "b.json",
        "Hujan Lebat Mengancam Jawa Barat",
        "2024-01-02",
        "suara.com",
        &format!("BANDUNG - {story}"),
    );
    json_article(
        &sandbox,
        "c.json",
        "Hujan Ringan di Jakarta",
        "2024-01-02",
        "tempo.co",
        &format!("Hujan ringan turun di Jakarta sepanjang pagi tanpa angin. {FILLER} {FILLER} {FILLER} {FILLER} {FILLER}"),
    );
    sandbox.ingest();
    let results = sandbox.search_json("hujan lebat", &[]);
    let hits = results["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 2, "{results}");
    let folded: Vec<&Value> = hits
        .iter()
        .filter(|hit| !hit["duplicates"].as_array().expect("array").is_empty())
        .collect();
    assert_eq!(folded.len(), 1);
    assert_eq!(folded[0]["duplicates"].as_array().expect("array").len(), 1);

    let all = sandbox.search_json("hujan lebat", &["--all-copies"]);
    assert_eq!(all["hits"].as_array().expect("hits").len(), 3);

    let human = sandbox.ok(&["search", "hujan lebat", "--color", "never"]);
    assert!(human.contains("also: 1 near-identical copy"), "{human}");
}

#[test]
fn a_story_copied_by_more_sites_than_a_page_holds_still_fills_the_page() {
    let sandbox = Sandbox::new();
    let story = "Harga cabai rawit di pasar tradisional Surabaya naik tajam menjelang akhir \
        pekan karena pasokan dari daerah penghasil berkurang setelah hujan deras merusak tanaman \
        petani. Pedagang mengatakan harga per kilogram kini hampir dua kali lipat dibanding bulan \
        lalu, sementara pembeli mulai mengurangi belanja dan beralih ke cabai kering. Dinas \
        perdagangan berjanji menggelar operasi pasar bersama distributor agar harga kembali stabil \
        sebelum hari raya tiba dan persediaan di gudang mencukupi kebutuhan warga.";
    // Twelve sites carry the story: more copies than the first look at a page of three holds.
    for site in 0..12 {
        json_article(
            &sandbox,
            &format!("salinan{site}.json"),
            &format!("Harga Cabai Rawit Naik {site}"),
            "2024-03-01",
            &format!("media{site}.example"),
            &format!("SURABAYA - {story}"),
        );
    }
    for other in 0..4 {
        json_article(
            &sandbox,
            &format!("lain{other}.json"),
            &format!("Harga Bawang di Pasar {other}"),
            "2024-03-01",
            "lokal.example",
            &format!("Harga bawang dan cabai bergerak pelan pekan ini. {FILLER} {FILLER} Laporan {other}."),
        );
    }
    sandbox.ingest();
    let results = sandbox.search_json("harga cabai", &["--limit", "3"]);
    let hits = results["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 3, "{results}");
    let copies: Vec<usize> = hits
        .iter()
        .map(|hit| hit["duplicates"].as_array().expect("array").len())
        .collect();
    assert_eq!(copies.iter().sum::<usize>(), 11, "{copies:?}");
    assert_eq!(results["total"], 16);
}

#[test]
fn human_output_marks_matches_in_bold_only_with_colour() {
    let sandbox = dated_corpus();
    let plain = sandbox.ok(&["search", "panen", "--color", "never"]);
    assert!(
        plain.contains("1. Harga Cabai Turun Setelah Panen"),
        "{plain}"
    );
    assert!(
        plain.contains("2023-03-15T08:00:00+07:00 | detik.com | b.json"),
        "{plain}"
    );
    assert!(
        plain.contains("   Harga cabai turun karena panen raya di sentra produksi.\n"),
        "{plain}"
    );
    assert!(!plain.contains('\u{1b}'));

    let bold = sandbox.ok(&["search", "panen", "--color", "always"]);
    assert!(bold.contains("\u{1b}[1mpanen\u{1b}[0m"), "{bold}");

    // Not a terminal, so `auto` means no colour; NO_COLOR is respected too.
    let auto = sandbox.ok(&["search", "panen"]);
    assert!(!auto.contains('\u{1b}'));
}

#[test]
fn closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let sandbox = Sandbox::new();
    // More output than a pipe buffer holds, so the writer really meets the closed pipe.
    for at in 0..300 {
        article(
            &sandbox,
            &format!("{at}.txt"),
            &format!("Berita Pasar Nomor {at}"),
            &format!(
                "Harga beras di pasar induk nomor {at} hari ini tercatat stabil. Pedagang beras \
                 menyebut pasokan cukup. Konsumen beras juga tenang menjelang akhir pekan. {FILLER}"
            ),
        );
    }
    sandbox.ingest();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsidx"))
        .args(["search", "beras", "--limit", "300"])
        .env("NEWSIDX_INDEX", sandbox.index())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn help_documents_the_query_language() {
    let sandbox = Sandbox::new();
    let help = sandbox.ok(&["search", "--help"]);
    for needle in [
        "QUERY LANGUAGE",
        "\"kerja sama dengan\"",
        "-jakarta",
        "OR",
        "title:",
        "--since",
        "duplicates",
    ] {
        assert!(help.contains(needle), "{needle} missing from:\n{help}");
    }
}

#[test]
fn an_index_built_by_another_analyzer_is_named_in_a_note() {
    let sandbox = Sandbox::new();
    article(
        &sandbox,
        "a.txt",
        "Banjir di Bogor",
        &format!("Hujan deras membuat sungai meluap di Bogor. {FILLER}"),
    );
    sandbox.ingest();
    let output = sandbox.run(&["search", "banjir", "--json"]);
    assert!(output.status.success());
    assert!(output.stderr.is_empty(), "{output:?}");

    // Commit the same index again with the analyzer version of another newsidx.
    let current = std::fs::read_to_string(sandbox.index().join("CURRENT")).expect("CURRENT");
    let index = tantivy::Index::open_in_dir(sandbox.index().join(current.trim())).expect("open");
    let payload = index.load_metas().expect("metas").payload.expect("payload");
    let mut payload: Value = serde_json::from_str(&payload).expect("payload JSON");
    let version = payload["analyzer_version"]
        .as_u64()
        .expect("analyzer_version");
    payload["analyzer_version"] = (version - 1).into();
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
    let mut commit = writer.prepare_commit().expect("prepare");
    commit.set_payload(&payload.to_string());
    commit.commit().expect("commit");
    drop(writer);

    let output = sandbox.run(&["search", "banjir", "--json"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("newsidx ingest"), "{stderr}");
    assert!(stderr.contains("analyzer is version"), "{stderr}");
    let results: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(results["total"], 1);
}

/// Each hit's score, in rank order.
fn scores(results: &Value) -> Vec<f64> {
    results["hits"]
        .as_array()
        .expect("hits array")
        .iter()
        .map(|hit| hit["score"].as_f64().expect("score"))
        .collect()
}

/// A few articles on other subjects, so that the query's words are rare, as in an archive.
fn background(sandbox: &Sandbox) {
    let subjects = [
        (
            "Timnas Menang Tipis",
            "Tim nasional menang tipis atas lawannya di stadion.",
        ),
        (
            "Harga Cabai Turun",
            "Pedagang di pasar induk menurunkan harga cabai pekan ini.",
        ),
        (
            "Sekolah Baru Dibuka",
            "Pemerintah daerah membuka sekolah baru di pinggir kota.",
        ),
        (
            "Nelayan Melaut Lagi",
            "Nelayan kembali melaut setelah cuaca membaik.",
        ),
        (
            "Kopi Ekspor Meningkat",
            "Ekspor kopi dari pelabuhan itu meningkat tahun ini.",
        ),
        (
            "Gempa Kecil Terasa",
            "Gempa kecil terasa di beberapa kecamatan tanpa kerusakan.",
        ),
    ];
    for (at, (title, body)) in subjects.iter().enumerate() {
        article(
            sandbox,
            &format!("background{at}.txt"),
            title,
            &format!("{body} {FILLER}"),
        );
    }
}

#[test]
fn an_article_about_the_topic_beats_one_that_mentions_every_word_once() {
    let sandbox = Sandbox::new();
    background(&sandbox);
    article(
        &sandbox,
        "sports.txt",
        "Timnas Berlatih Jelang Laga Tandang",
        &format!(
            "Pelatih memimpin latihan pagi di lapangan. Para pemain berlari dan berlatih umpan. \
             Sebelum latihan mereka berdoa untuk korban kecelakaan di laut dan penumpang pesawat \
             yang hilang. Latihan berlanjut sampai sore. {FILLER} {FILLER} {FILLER}"
        ),
    );
    article(
        &sandbox,
        "crash.txt",
        "Pesawat Jatuh di Perairan Karimata",
        &format!(
            "Sebuah pesawat penumpang jatuh di perairan Karimata. Tim SAR mencari puing pesawat \
             dan korban. Penyebab kecelakaan pesawat itu diselidiki. Kotak hitam pesawat \
             ditemukan nelayan. {FILLER}"
        ),
    );
    sandbox.ingest();
    let results = sandbox.search_json("kecelakaan pesawat penumpang", &[]);
    assert_eq!(titles(&results)[0], "Pesawat Jatuh di Perairan Karimata");
}

#[test]
fn a_strong_article_lacking_a_common_word_beats_a_weak_one_holding_every_word() {
    let sandbox = Sandbox::new();
    background(&sandbox);
    // "baru" is in several articles, "longsor" in two: lacking "baru" costs little.
    for at in 0..4 {
        article(
            &sandbox,
            &format!("new{at}.txt"),
            "Gedung Baru Diresmikan",
            &format!("Gedung baru itu diresmikan gubernur. {FILLER}"),
        );
    }
    article(
        &sandbox,
        "weak.txt",
        "Rapat Anggaran Daerah",
        &format!(
            "Dewan membahas anggaran daerah yang baru. Seorang anggota menyinggung longsor \
             tahun lalu. {FILLER} {FILLER} {FILLER}"
        ),
    );
    article(
        &sandbox,
        "strong.txt",
        "Longsor Timbun Rumah Warga",
        &format!(
            "Longsor menimbun lima rumah warga. Warga mengungsi karena longsor susulan \
             dikhawatirkan. Tim SAR menyisir lokasi longsor. {FILLER}"
        ),
    );
    sandbox.ingest();
    let results = sandbox.search_json("longsor baru", &[]);
    assert_eq!(titles(&results)[0], "Longsor Timbun Rumah Warga");
}

#[test]
fn an_acronym_and_its_long_form_rank_the_same_articles_alike() {
    let sandbox = Sandbox::new();
    background(&sandbox);
    article(
        &sandbox,
        "acronym.txt",
        "KPK Periksa Saksi",
        &format!("KPK memeriksa tiga saksi kasus suap. {FILLER}"),
    );
    article(
        &sandbox,
        "long.txt",
        "Komisi Pemberantasan Korupsi Periksa Saksi",
        &format!("Komisi Pemberantasan Korupsi memeriksa tiga saksi kasus suap. {FILLER}"),
    );
    article(
        &sandbox,
        "scattered.txt",
        "Komisi Dewan Bahas Korupsi",
        &format!("Komisi di dewan membahas korupsi dan pemberantasan narkoba. {FILLER}"),
    );
    sandbox.ingest();
    let short = sandbox.search_json("KPK", &[]);
    let long = sandbox.search_json("Komisi Pemberantasan Korupsi", &[]);
    // Both articles saying it, in either form, come first with the same score, whichever
    // form was asked for; the one with the words scattered comes after.
    for results in [&short, &long] {
        let order = titles(results);
        assert_eq!(order.len(), 3, "{order:?}");
        assert_eq!(order[2], "Komisi Dewan Bahas Korupsi");
        let scores = scores(results);
        assert!((scores[0] - scores[1]).abs() < 1e-4, "{scores:?}");
        assert!(scores[2] < scores[1] * 0.5, "{scores:?}");
    }
    assert_eq!(scores(&short), scores(&long));
    // Read as one concept, the same both ways.
    let reading = |query: &str| {
        let results = sandbox.search_json(query, &["--explain"]);
        results["explain"]["concepts"].clone()
    };
    let concepts = reading("KPK");
    assert_eq!(concepts.as_array().map(Vec::len), Some(1));
    assert_eq!(concepts[0]["kind"], "phrase");
    assert_eq!(
        concepts[0]["places"],
        reading("Komisi Pemberantasan Korupsi")[0]["places"]
    );
}

#[test]
fn proximity_alone_does_not_beat_a_clearly_better_match() {
    let sandbox = Sandbox::new();
    background(&sandbox);
    article(
        &sandbox,
        "adjacent.txt",
        "Rapat Koordinasi Bupati",
        &format!(
            "Bupati memimpin rapat koordinasi. Sempat dibahas pula harga beras sebelum rapat \
             ditutup. {FILLER} {FILLER} {FILLER}"
        ),
    );
    article(
        &sandbox,
        "about.txt",
        "Beras Langka di Pasar, Pedagang Menaikkan Harga",
        &format!(
            "Pasokan beras menipis di pasar induk. Pedagang beras mengeluh. Pemerintah \
             berjanji menambah stok beras. Pembeli mengeluhkan harga yang terus naik. \
             Operasi pasar beras disiapkan agar harga kembali turun. {FILLER}"
        ),
    );
    sandbox.ingest();
    let results = sandbox.search_json("harga beras", &["--explain"]);
    assert_eq!(
        titles(&results),
        [
            "Beras Langka di Pasar, Pedagang Menaikkan Harga",
            "Rapat Koordinasi Bupati",
            "Harga Cabai Turun"
        ]
    );
    // The adjacent mention earned more proximity, and it was not enough.
    let hits = results["hits"].as_array().expect("hits");
    let proximity = |at: usize| {
        hits[at]["explain"]["proximity"]
            .as_f64()
            .expect("proximity")
    };
    assert!(proximity(1) > proximity(0));
}

#[test]
fn an_older_article_about_the_topic_beats_a_newer_passing_mention() {
    let sandbox = Sandbox::new();
    json_article(
        &sandbox,
        "old.json",
        "Erupsi Gunung Merapi, Warga Mengungsi",
        "2018-05-11T08:00:00+07:00",
        "Kompas",
        "Gunung Merapi mengalami erupsi freatik. Erupsi itu memaksa warga mengungsi. Abu \
         erupsi Merapi menyebar ke desa sekitar.",
    );
    json_article(
        &sandbox,
        "new.json",
        "Festival Budaya di Lereng Gunung",
        "2025-05-11T08:00:00+07:00",
        "Kompas",
        "Festival budaya digelar di lereng gunung. Panitia mengenang erupsi Merapi bertahun \
         lalu. Pengunjung menikmati tari tradisional dan kuliner desa setempat sepanjang hari.",
    );
    sandbox.ingest();
    let results = sandbox.search_json("erupsi Merapi", &[]);
    assert_eq!(titles(&results)[0], "Erupsi Gunung Merapi, Warga Mengungsi");
    // Recent first is asked for with --sort newest.
    let results = sandbox.search_json("erupsi Merapi", &["--sort", "newest"]);
    assert_eq!(titles(&results)[0], "Festival Budaya di Lereng Gunung");
}

#[test]
fn explain_breaks_each_score_into_its_parts() {
    let sandbox = Sandbox::new();
    background(&sandbox);
    article(
        &sandbox,
        "a.txt",
        "Harga Cabai Naik Lagi",
        &format!("Harga cabai rawit naik di pasar. Cabai merah juga naik. {FILLER}"),
    );
    sandbox.ingest();
    let plain = sandbox.search_json("harga cabai", &[]);
    assert!(plain.get("explain").is_none());
    assert!(plain["hits"][0].get("explain").is_none());
    let results = sandbox.search_json("harga \"cabai rawit\"", &["--explain"]);
    let concepts = results["explain"]["concepts"].as_array().expect("concepts");
    let kinds: Vec<&str> = concepts
        .iter()
        .map(|concept| concept["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["word", "phrase"]);
    assert!(results["explain"]["parameters"]["k1"].as_f64().is_some());
    for hit in results["hits"].as_array().expect("hits") {
        let explain = &hit["explain"];
        let part = |name: &str| explain[name].as_f64().expect(name);
        let total = part("text") * part("coverage_factor") + part("proximity") + part("freshness");
        assert!(
            (total - hit["score"].as_f64().expect("score")).abs() < 1e-3,
            "{explain}"
        );
        let text: f64 = explain["concepts"]
            .as_array()
            .expect("concept parts")
            .iter()
            .map(|concept| concept["score"].as_f64().expect("concept score"))
            .sum();
        assert!((text - part("text")).abs() < 1e-3);
        assert!(explain["folded_copies"].as_u64().is_some());
    }
    let first = &results["hits"][0]["explain"]["concepts"];
    assert_eq!(first[1]["fields"][0]["field"], "body");
    assert_eq!(first[1]["fields"][0]["tf"], 1);
    // Human output names the parts too.
    let human = sandbox.ok(&["search", "harga cabai", "--explain"]);
    assert!(human.contains("read as: harga"), "{human}");
    assert!(human.contains("coverage"), "{human}");
}

#[test]
fn freshness_orders_a_one_word_query_only() {
    let sandbox = Sandbox::new();
    let body = "Banjir merendam permukiman warga di Jakarta. Petugas mengevakuasi warga.";
    for (name, date) in [
        ("old.json", "2019-02-01T08:00:00+07:00"),
        ("new.json", "2025-02-01T08:00:00+07:00"),
    ] {
        json_article(&sandbox, name, "Banjir di Jakarta", date, "Kompas", body);
    }
    sandbox.ingest();
    let freshness = |results: &Value| -> Vec<f64> {
        results["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|hit| hit["explain"]["freshness"].as_f64().expect("freshness"))
            .collect()
    };
    // One word: the texts tie, the newer article comes first.
    let results = sandbox.search_json("banjir", &["--explain"]);
    let dates: Vec<&str> = results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["date"].as_str().expect("date"))
        .collect();
    assert!(dates[0].starts_with("2025"), "{dates:?}");
    let parts = freshness(&results);
    assert!(parts[0] > parts[1] && parts[1] > 0.0, "{parts:?}");
    // Two words describe a topic: the date adds nothing.
    let results = sandbox.search_json("banjir jakarta", &["--explain"]);
    assert_eq!(freshness(&results), [0.0, 0.0]);
}

#[test]
fn a_long_query_whose_rare_words_match_few_articles_still_answers() {
    let sandbox = Sandbox::new();
    for at in 0..14 {
        article(
            &sandbox,
            &format!("umum{at}.txt"),
            &format!("Rapat Warga Kota {at}"),
            &format!("Warga kota menggelar rapat ke-{at} membahas jalan kampung."),
        );
    }
    article(
        &sandbox,
        "langka.txt",
        "Nelayan Teluk Tomini Menangkap Cakalang",
        "Nelayan Teluk Tomini menangkap cakalang dan tongkol memakai rumpon serta jaring \
         insang sebelum rapat koperasi.",
    );
    sandbox.ingest();
    // More words than find candidates: the eight rarest match one article, the ninth all.
    let query = "nelayan teluk tomini cakalang tongkol rumpon jaring insang rapat";
    let results = sandbox.search_json(query, &["--limit", "20"]);
    assert_eq!(
        titles(&results)[0],
        "Nelayan Teluk Tomini Menangkap Cakalang"
    );
    assert_eq!(results["total"], 15);
}
