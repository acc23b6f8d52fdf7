//! Extraction of every fixture shape, field by field.

mod common;

use newsidx::extract::{extract, ExtractError, ExtractOptions};
use newsidx::Article;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn one(name: &str) -> Article {
    let mut articles = extract(&fixture(name), name, &ExtractOptions::default())
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    assert_eq!(articles.len(), 1, "{name}");
    articles.remove(0)
}

fn date(article: &Article) -> String {
    article
        .date
        .map(|date| date.to_rfc3339())
        .unwrap_or_default()
}

#[test]
fn json_ld_graph_page() {
    let article = one("jsonld_graph.html");
    assert_eq!(
        article.title,
        "Pemkot Bogor Uji Coba Bus Listrik di Tiga Koridor"
    );
    assert_eq!(date(&article), "2023-09-04T08:15:00+07:00");
    assert!(!article.date_inferred);
    assert_eq!(article.authors, vec!["Rina Marlina"]);
    assert_eq!(article.source.as_deref(), Some("Kabar Bogor"));
    assert_eq!(
        article.url.as_deref(),
        Some("https://kabarbogor.example.id/kota/2023/09/04/bus-listrik-tiga-koridor")
    );
    assert_eq!(article.id, article.url.clone().unwrap_or_default());
    assert_eq!(article.dateline.as_deref(), Some("Bogor"));
    assert_eq!(article.language.as_deref(), Some("id"));
    assert_eq!(
        article.captions,
        vec!["Bus listrik melintas di Jalan Pajajaran, Bogor, Senin (4/9/2023)."]
    );
    let paragraphs: Vec<&str> = article.body.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 4, "{}", article.body);
    assert!(paragraphs[0].starts_with("BOGOR, Kabar Bogor - Pemerintah Kota Bogor"));
    assert!(paragraphs[3].starts_with("Warga menyambut baik"));
    for furniture in [
        "Beranda",
        "iklan",
        "Baca juga",
        "Angkot Bogor",
        "Simak juga",
        "Bagikan",
        "Komentar",
        "Hak cipta",
        "Bus listrik melintas",
    ] {
        assert!(!article.body.contains(furniture), "{furniture} in body");
    }
}

#[test]
fn meta_tags_only_page() {
    let article = one("meta_only.html");
    assert_eq!(article.title, "Nelayan Cilacap Panen Udang Rebon");
    assert_eq!(date(&article), "2021-07-19T06:30:00+07:00");
    assert_eq!(article.authors, vec!["Slamet Riyadi"]);
    assert_eq!(article.editors, vec!["Wahyu Nugroho"]);
    assert_eq!(article.source.as_deref(), Some("Warta Selatan"));
    assert_eq!(article.dateline.as_deref(), Some("Cilacap"));
    assert!(article.body.starts_with("CILACAP - Nelayan"));
    assert!(
        !article.body.contains("Penulis:"),
        "byline line kept out of the body"
    );
    assert!(!article.body.contains("Beranda"));
}

#[test]
fn visible_date_with_zone_and_byline_oleh() {
    let article = one("opengraph_visible_date.html");
    assert_eq!(
        article.title,
        "Gempa Magnitudo 5,1 Guncang Sumbawa, Tidak Berpotensi Tsunami"
    );
    assert_eq!(date(&article), "2022-12-30T14:05:00+08:00");
    assert!(!article.date_inferred);
    assert_eq!(article.authors, vec!["Made Sudarsana"]);
    assert_eq!(article.dateline.as_deref(), Some("Mataram"));
    assert_eq!(
        article.captions,
        vec!["Peta guncangan gempa Sumbawa yang dirilis BMKG."]
    );
    assert!(!article.body.contains("Peta guncangan"));
}

#[test]
fn day_month_mention_takes_year_from_url() {
    let article = one("year_from_url.html");
    assert_eq!(date(&article), "2022-12-30T00:00:00+07:00");
    assert!(article.date_inferred);
}

#[test]
fn timezone_option_applies_to_local_times() {
    let options = ExtractOptions {
        default_offset: chrono::FixedOffset::east_opt(9 * 3600).unwrap(),
        ..ExtractOptions::default()
    };
    let articles = extract(&fixture("year_from_url.html"), "a.html", &options).unwrap();
    assert_eq!(date(&articles[0]), "2022-12-30T00:00:00+09:00");
}

#[test]
fn windows_1252_page_decodes() {
    let article = one("windows1252.html");
    assert_eq!(article.title, "Kafe “Kopi Kenangan Lama” Dibuka di Braga");
    assert!(article.body.contains("kafé bernuansa kolonial"));
    assert!(article.body.contains("“Kami ingin"));
    assert_eq!(article.dateline.as_deref(), Some("Bandung"));
}

#[test]
fn broken_html_still_yields_the_story() {
    let article = one("broken.html");
    assert_eq!(article.title, "Pasar Malam Ramai Dikunjungi Warga");
    assert!(article.body.contains("Ratusan pedagang menjajakan makanan"));
    assert!(article.body.contains("lahan parkir terbatas"));
    assert!(article.body.split("\n\n").count() >= 3);
}

#[test]
fn section_index_is_no_article() {
    let result = extract(
        &fixture("section_index.html"),
        "indeks.html",
        &ExtractOptions::default(),
    );
    assert_eq!(result, Err(ExtractError::NoArticle));
}

#[test]
fn plain_text_scrape() {
    let article = one("scrape.txt");
    assert_eq!(
        article.title,
        "Polisi Siapkan Rekayasa Lalu Lintas untuk Arus Mudik Lebaran"
    );
    assert_eq!(article.source.as_deref(), Some("Kabarnusa.id"));
    assert_eq!(article.dateline.as_deref(), Some("Karawang"));
    assert_eq!(date(&article), "2022-04-21T00:00:00+07:00");
    assert!(article.date_inferred);
    assert_eq!(article.captions.len(), 1);
    assert!(article.captions[0].starts_with("Petugas memeriksa kendaraan"));
    assert!(!article.body.contains("Petugas memeriksa kendaraan"));
    assert!(!article.body.contains("Unduh aplikasi"));
    assert!(article
        .body
        .starts_with("Kabar Nusa, Karawang – Kepolisian"));
}

#[test]
fn seed_article() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/000_cdf2b438e2bb1883.txt");
    let bytes = std::fs::read(path).unwrap();
    let articles = extract(
        &bytes,
        "000_cdf2b438e2bb1883.txt",
        &ExtractOptions::default(),
    )
    .unwrap();
    let article = &articles[0];
    assert_eq!(
        article.title,
        "AS Kecewa Saat Hubungan China dan Rusia Semakin Intim"
    );
    assert_eq!(
        article
            .date
            .map(|date| date.format("%Y-%m-%d%:z").to_string()),
        Some("2022-12-30+07:00".to_string())
    );
    assert_eq!(article.source.as_deref(), Some("Beritabaru.co"));
    assert_eq!(article.dateline.as_deref(), Some("Washington"));
    let caption = "Presiden Rusia Vladimir Putin mengadakan pembicaraan";
    assert_eq!(
        article
            .captions
            .iter()
            .filter(|text| text.starts_with(caption))
            .count(),
        1
    );
    for absent in [
        caption,
        "Dapatkan aplikasi di Play Store",
        "Network",
        "Partner",
    ] {
        assert!(!article.body.contains(absent), "{absent} in body");
    }
    assert!(article.body.contains("kerja sama militer"));
}

#[test]
fn json_record_with_indonesian_keys() {
    let article = one("article.json");
    assert_eq!(
        article.title,
        "Kebun Raya Bogor Perpanjang Jam Buka Saat Libur Sekolah"
    );
    assert_eq!(date(&article), "2023-06-28T10:15:00+07:00");
    assert_eq!(article.authors, vec!["Sari Dewanti"]);
    assert_eq!(article.editors, vec!["Hasan Basri"]);
    assert_eq!(
        article.url.as_deref(),
        Some("https://kabarbogor.example.id/wisata/kebun-raya-jam-buka")
    );
    assert_eq!(article.source.as_deref(), Some("kabarbogor.example.id"));
    assert_eq!(
        article.captions,
        vec!["Pengunjung berjalan di jalur utama Kebun Raya Bogor."]
    );
    assert_eq!(article.dateline.as_deref(), Some("Bogor"));
}

#[test]
fn json_lines_one_article_per_line() {
    let articles = extract(
        &fixture("records.jsonl"),
        "records.jsonl",
        &ExtractOptions::default(),
    )
    .unwrap();
    let ids: Vec<&str> = articles.iter().map(|article| article.id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["records.jsonl#1", "records.jsonl#2", "records.jsonl#4"]
    );
    assert_eq!(
        articles[1].title,
        "Banjir Bandang Terjang Dua Desa di Garut"
    );
    assert_eq!(date(&articles[1]), "2024-07-16T19:45:00+07:00");
    assert_eq!(date(&articles[0]), "2024-07-15T08:00:00+08:00");
}

#[test]
fn json_lines_bad_line_is_reported_not_dropped() {
    let extracted = newsidx::extract::extract_all(
        &fixture("records.jsonl"),
        "records.jsonl",
        &ExtractOptions::default(),
    )
    .unwrap();
    assert_eq!(extracted.articles.len(), 3);
    assert_eq!(extracted.problems.len(), 1, "{:?}", extracted.problems);
    assert!(extracted.problems[0].starts_with("line 3: invalid JSON"));
}

#[test]
fn json_array_skips_records_without_text() {
    let articles = extract(
        &fixture("array.json"),
        "array.json",
        &ExtractOptions::default(),
    )
    .unwrap();
    let titles: Vec<&str> = articles
        .iter()
        .map(|article| article.title.as_str())
        .collect();
    assert_eq!(
        titles,
        vec![
            "Harga Telur Ayam Turun di Pasar Tradisional",
            "Pelabuhan Merak Siapkan Dermaga Tambahan"
        ]
    );
    assert_eq!(articles[1].id, "array.json#3");
}

#[test]
fn empty_binary_and_oversized_files_are_typed_skips() {
    let options = ExtractOptions::default();
    assert_eq!(
        extract(&fixture("empty.txt"), "empty.txt", &options),
        Err(ExtractError::Empty)
    );
    assert_eq!(
        extract(&fixture("binary.pdf"), "binary.pdf", &options),
        Err(ExtractError::Binary("PDF"))
    );
    let small = ExtractOptions {
        max_file_size: 100,
        ..ExtractOptions::default()
    };
    assert!(matches!(
        extract(&fixture("jsonld_graph.html"), "a.html", &small),
        Err(ExtractError::TooLarge { limit: 100, .. })
    ));
    assert!(matches!(
        extract(b"{\"judul\": ", "rusak.json", &options),
        Err(ExtractError::Json(_))
    ));
}

#[test]
fn extract_command_prints_fields_and_reports_skips() {
    let sandbox = common::Sandbox::new();
    let page = sandbox.fixture("opengraph_visible_date.html");
    let empty = sandbox.fixture("empty.txt");
    let output = sandbox.run(&[
        "extract",
        "--json",
        page.to_str().unwrap(),
        empty.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let record: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(record["dateline"], "Mataram");
    assert_eq!(record["date"], "2022-12-30T14:05:00+08:00");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("empty.txt: skipped: empty file"),
        "{stderr}"
    );
}

/// The site-shaped fixtures in `tests/fixtures/sites/`, each with its expected fields in
/// `expected.jsonl`: title, date, authors, the body's first and last sentence, strings that
/// must be in the body and furniture that must not.
#[test]
fn site_shaped_pages_give_every_field() {
    let expected = String::from_utf8(fixture("sites/expected.jsonl")).expect("UTF-8");
    let mut pages = 0;
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let want: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
        let file = want["file"].as_str().expect("file");
        let article = one(&format!("sites/{file}"));
        let strings = |key: &str| -> Vec<String> {
            want[key]
                .as_array()
                .expect(key)
                .iter()
                .map(|value| value.as_str().expect("string").to_string())
                .collect()
        };
        assert_eq!(
            article.title,
            want["title"].as_str().expect("title"),
            "{file}"
        );
        assert_eq!(
            date(&article),
            want["date"].as_str().expect("date"),
            "{file}"
        );
        assert_eq!(article.authors, strings("authors"), "{file}");
        let paragraphs: Vec<&str> = article.body.split("\n\n").collect();
        let first = want["first"].as_str().expect("first");
        let last = want["last"].as_str().expect("last");
        assert!(
            paragraphs[0].starts_with(first),
            "{file}: body starts {:?}",
            paragraphs[0]
        );
        assert!(
            paragraphs
                .last()
                .is_some_and(|paragraph| paragraph.ends_with(last)),
            "{file}: body ends {:?}",
            paragraphs.last()
        );
        for present in strings("present") {
            assert!(
                article.body.contains(&present),
                "{file}: {present:?} missing"
            );
        }
        for furniture in strings("furniture") {
            assert!(
                !article.body.contains(&furniture),
                "{file}: {furniture:?} in body:\n{}",
                article.body
            );
        }
        pages += 1;
    }
    assert_eq!(pages, 5);
}

#[test]
fn words_linked_inside_running_text_stay_in_the_paragraph() {
    let article = one("sites/inline_tag_links.html");
    assert!(article
        .body
        .contains("Menteri Perhubungan (Menhub) Budi Karya Sumadi"));
    assert!(!article.body.contains("( )"));
    // The credit box gives the editor; the comment's "Oleh" is no one's byline.
    assert_eq!(article.editors, vec!["Yoga Pratama"]);
}

#[test]
fn labels_alone_name_the_writer_and_far_names_do_not() {
    let article = one("sites/byline_elsewhere.html");
    assert_eq!(article.authors, vec!["Acep Nazmudin"]);
    assert_eq!(article.editors, vec!["Farid Assifa"]);
    // A label followed by another label names no one.
    let page = "<html><body><h1>Jalan Desa Akhirnya Diaspal Setelah Lima Tahun</h1>\
        <div><span>Penulis</span></div><div><span>Editor</span></div><div><span>Budi Santoso</span></div>\
        <div class=\"isi\"><p>Warga Desa Sukamaju akhirnya bisa menikmati jalan beraspal setelah lima tahun menunggu, kata kepala desa.</p>\
        <p>Pengaspalan sepanjang tiga kilometer itu dibiayai dana desa dan bantuan provinsi, dan selesai dalam dua bulan.</p></div></body></html>";
    let article = extract(page.as_bytes(), "a.html", &ExtractOptions::default())
        .expect("article")
        .remove(0);
    assert!(article.authors.is_empty(), "{:?}", article.authors);
    assert_eq!(article.editors, vec!["Budi Santoso"]);
}

#[test]
fn body_runs_across_ads_inserts_and_pagination() {
    let article = one("sites/paginated_body.html");
    assert_eq!(article.body.split("\n\n").count(), 7, "{}", article.body);
    let article = one("sites/caption_before_lead.html");
    assert_eq!(article.body.split("\n\n").count(), 7, "{}", article.body);
    assert!(article
        .captions
        .iter()
        .any(|caption| caption.starts_with("Warga melintasi genangan banjir")));
}

/// 100,000 nested `<div>` (1.1 MB) took 25 s to parse as written. Up to the element limit
/// a deep page is flattened to the depth limit and its text kept; past it, skipped with that
/// reason before parsing.
#[test]
fn deeply_nested_page_is_flattened_or_refused() {
    let nested = |depth: usize, closed: bool| {
        format!(
            "<html><head><title>Halaman Bersarang Sangat Dalam</title></head><body>{}<p>Kalimat terdalam di halaman ini cukup panjang untuk dianggap sebagai isi artikel berita.</p>{}</body></html>",
            "<div>".repeat(depth),
            if closed { "</div>".repeat(depth) } else { String::new() }
        )
    };
    for closed in [true, false] {
        let articles = extract(
            nested(90_000, closed).as_bytes(),
            "dalam.html",
            &ExtractOptions::default(),
        )
        .expect("a flattened page still gives its article");
        assert!(articles[0]
            .body
            .contains("Kalimat terdalam di halaman ini cukup panjang"));
        assert_eq!(articles[0].title, "Halaman Bersarang Sangat Dalam");
        match extract(
            nested(100_000, closed).as_bytes(),
            "dalam.html",
            &ExtractOptions::default(),
        ) {
            Err(ExtractError::TooManyElements { count, limit }) => {
                assert_eq!(count, 100_005);
                assert!(count > limit);
            }
            other => panic!("{other:?}"),
        }
    }
}

/// An 8 MB page of a million `<p>a</p>` took 617 MB to parse: it is refused before parsing.
#[test]
fn page_with_too_many_elements_is_a_typed_skip() {
    let page = format!("<html><body>{}</body></html>", "<p>a</p>".repeat(1_000_000));
    match extract(page.as_bytes(), "banyak.html", &ExtractOptions::default()) {
        Err(ExtractError::TooManyElements { count, limit }) => {
            assert!(count > limit, "{count} {limit}");
            assert!(count >= 1_000_000);
        }
        other => panic!("{other:?}"),
    }
}
