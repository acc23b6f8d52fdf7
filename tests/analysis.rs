//! The analyzer end to end: terms, positions and offsets, phrase search over a real tantivy
//! index, and `newsidx analyze`.

mod common;

use newsidx::analysis;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED};
use tantivy::{doc, Index, TantivyDocument};

/// The terms of plain query words (stopwords dropped).
fn terms(text: &str) -> Vec<String> {
    analysed(analysis::indonesian_words(), text)
}

/// The terms the index holds (stopwords kept).
fn indexed_terms(text: &str) -> Vec<String> {
    analysed(analysis::indonesian(), text)
}

fn analysed(mut analyzer: tantivy::tokenizer::TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[test]
fn stems_without_overstemming() {
    assert_eq!(
        terms("berita menteri mengatakan"),
        ["berita", "menteri", "kata"]
    );
    assert_eq!(
        terms("memukul menyapu mengirim menyelesaikan"),
        ["pukul", "sapu", "kirim", "selesai"]
    );
    assert_eq!(terms("Beijing Moskow"), ["beijing", "moskow"]);
}

#[test]
fn shipped_extra_roots_join_their_forms() {
    // "rinci" is missing from the dictionary: its forms used to stay whole and apart.
    assert_eq!(
        terms("rincian merinci dirincikan"),
        ["rinci", "rinci", "rinci"]
    );
    // The dictionary's analysis (mula + -i) gives way to the listed root, which keeps
    // "begin" apart from "at first".
    assert_eq!(
        terms("memulai dimulainya mulanya"),
        ["mulai", "mulai", "mula"]
    );
    assert_eq!(terms("bernafas"), ["nafas"]);
}

#[test]
fn reduplication_and_numbers() {
    assert_eq!(
        terms("negara-negara bermain-main sebaik-baiknya"),
        ["negara", "main", "baik"]
    );
    assert_eq!(
        terms("naik 2,5 persen atau Rp 1.000.000"),
        ["naik", "2,5", "persen", "rp", "1.000.000"]
    );
}

#[test]
fn compounds_and_aliases_take_consecutive_positions() {
    let mut analyzer = analysis::indonesian();
    let mut stream = analyzer.token_stream("Kerjasama A.S. dan Cina");
    let mut got = Vec::new();
    while let Some(token) = stream.next() {
        got.push((token.text.clone(), token.position));
    }
    let expected = [
        ("kerja", 0),
        ("sama", 1),
        ("amerika", 2),
        ("serikat", 3),
        ("~dan", 4),
        ("tiongkok", 5),
    ];
    let expected: Vec<(String, usize)> =
        expected.iter().map(|(t, p)| (t.to_string(), *p)).collect();
    assert_eq!(got, expected);
    // Lowercase "as" is a word, not the country.
    assert_eq!(terms("as roda"), ["as", "roda"]);
}

#[test]
fn the_index_keeps_stopwords_as_they_are_query_words_drop_them() {
    assert_eq!(
        indexed_terms("Yang bekerjasama dengan Jum'at"),
        ["~yang", "kerja", "sama", "~dengan", "jumat"]
    );
    // A stopword is kept whole and marked, not stemmed ("dikarenakan" would give "karena").
    assert_eq!(
        indexed_terms("Dikarenakan hujan"),
        ["~dikarenakan", "hujan"]
    );
    assert_eq!(terms("dikarenakannya"), ["karena"]);
    assert_eq!(
        terms("Yang bekerjasama dengan Jum'at"),
        ["kerja", "sama", "jumat"]
    );
    assert!(terms("yang dan di").is_empty());
}

#[test]
fn offsets_point_into_the_original_text() {
    let text = "Menteri «Luar Negeri» RI, Retno—berkata: negara-negara ASEAN bekerjasama.";
    let mut analyzer = analysis::indonesian();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        let slice = text.get(token.offset_from..token.offset_to);
        assert!(
            slice.is_some_and(|s| !s.is_empty()),
            "bad offsets for {:?}",
            token.text
        );
    }
}

/// An in-memory index of `bodies`, searched with the analyzer; returns the matching bodies.
fn search(bodies: &[&str], query: &str) -> Vec<String> {
    let mut schema = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analysis::ANALYZER_NAME)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let body = schema.add_text_field(
        "body",
        TextOptions::default().set_indexing_options(indexing) | STORED,
    );
    let index = Index::create_in_ram(schema.build());
    analysis::register(&index);
    let mut writer = index.writer(15_000_000).expect("writer");
    for text in bodies {
        writer.add_document(doc!(body => *text)).expect("add");
    }
    writer.commit().expect("commit");
    let searcher = index.reader().expect("reader").searcher();
    let parsed = QueryParser::for_index(&index, vec![body])
        .parse_query(query)
        .expect("query");
    let hits = searcher
        .search(&parsed, &TopDocs::with_limit(10).order_by_score())
        .expect("search");
    let mut found: Vec<String> = hits
        .into_iter()
        .map(|(_, address)| {
            let document: TantivyDocument = searcher.doc(address).expect("doc");
            document
                .get_first(body)
                .and_then(|value| tantivy::schema::Value::as_str(&value))
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    found.sort();
    found
}

#[test]
fn phrase_kerja_sama_militer_finds_every_spelling() {
    let bodies = [
        "Kedua negara bekerja sama militer sejak lama.",
        "Kerjasama militernya diperluas.",
        "Pemerintah memperkuat kerja sama militer dengan Jepang.",
        "Kerja keras, sama sekali bukan militer.",
        "Berita tentang Rita dan teri.",
    ];
    let found = search(&bodies, "\"kerja sama militer\"");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|body| !body.contains("keras")));
    // A phrase with a stopword in it still lines up.
    let found = search(&bodies, "\"kerja sama militer dengan Jepang\"");
    assert_eq!(
        found,
        ["Pemerintah memperkuat kerja sama militer dengan Jepang."]
    );
    // berita is not rita.
    assert!(search(&bodies, "rita")
        .iter()
        .all(|body| body.contains("Rita")));
    assert_eq!(search(&bodies, "berita").len(), 1);
}

#[test]
fn aliases_find_each_other() {
    let bodies = [
        "Kapal perang China tiba.",
        "Presiden AS bertemu.",
        "Tiongkok dan Amerika Serikat.",
    ];
    assert_eq!(search(&bodies, "tiongkok").len(), 2);
    assert_eq!(search(&bodies, "\"amerika serikat\"").len(), 2);
}

#[test]
fn analyze_command_prints_terms() {
    let sandbox = common::Sandbox::new();
    let output = sandbox.run(&["analyze", "Bekerjasama dengan militernya"]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "kerja\nsama\n~dengan\nmiliter\n"
    );
}

fn analyze_with_env(
    sandbox: &common::Sandbox,
    variable: &str,
    value: &std::path::Path,
    text: &str,
) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_newsidx"))
        .args(["analyze", text])
        .current_dir(sandbox.dir.path())
        .env(variable, value)
        .output()
        .expect("run newsidx")
}

#[test]
fn user_compound_and_alias_files_extend_the_shipped_lists() {
    let sandbox = common::Sandbox::new();
    let compounds = sandbox.dir.path().join("majemuk.txt");
    std::fs::write(
        &compounds,
        "# tambahan\nsalingpengertian saling pengertian\n",
    )
    .expect("write");
    let output = analyze_with_env(
        &sandbox,
        "NEWSIDX_COMPOUNDS",
        &compounds,
        "Salingpengertian kerjasama",
    );
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "saling\nerti\nkerja\nsama\n"
    );

    let aliases = sandbox.dir.path().join("alias.txt");
    std::fs::write(&aliases, "bandung | bdg | BDG\n").expect("write");
    let output = analyze_with_env(&sandbox, "NEWSIDX_ALIASES", &aliases, "Bdg dan China");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "bandung\n~dan\ntiongkok\n"
    );
}

#[test]
fn unreadable_user_list_is_an_error_naming_the_file() {
    let sandbox = common::Sandbox::new();
    let missing = sandbox.dir.path().join("tidak-ada.txt");
    let output = analyze_with_env(&sandbox, "NEWSIDX_ALIASES", &missing, "kata");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("tidak-ada.txt") && stderr.contains("NEWSIDX_ALIASES"),
        "{stderr}"
    );
}
