//! Extraction never panics, whatever the bytes. A few hundred cases run in `cargo test`;
//! `FUZZ_CASES=200000 cargo test --release --test extract_fuzz` runs a longer search.

use newsidx::extract::{extract, ExtractOptions};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(300)
}

/// Fragments that steer random input into the interesting paths of each extractor.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<html><head>".to_string()),
        Just("<meta property=\"article:published_time\" content=\"2022-12-30T14:05:00+07:00\">".to_string()),
        Just("<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"NewsArticle\",\"headline\":\"Judul\",\"author\":[{\"name\":\"Ani\"}]}]}</script>".to_string()),
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<div class=\"baca-juga\">Baca juga: ".to_string()),
        Just("<figure><figcaption>Foto: ".to_string()),
        Just("<br>".to_string()),
        Just("</div>".to_string()),
        Just("<a href=\"/x\">".to_string()),
        Just("JAKARTA, KOMPAS.com - ".to_string()),
        Just("Jumat (30/12) ".to_string()),
        Just("Selasa, 30 Des 2022 14:05 WIB ".to_string()),
        Just("30/12/2022 ".to_string()),
        Just("Penulis: Budi | Editor: Sari ".to_string()),
        Just("{\"judul\": \"x\", \"isi\": \"".to_string()),
        Just("\"}\n".to_string()),
        Just("\n\n".to_string()),
        "[ -~]{0,40}",
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048),
                                   name in prop_oneof![Just("a.html"), Just("a.txt"), Just("a.json"), Just("a.jsonl"), Just("a")]) {
        let _ = extract(&bytes, name, &ExtractOptions::default());
    }

    #[test]
    fn structured_noise_never_panics(parts in proptest::collection::vec(fragment(), 0..60),
                                     name in prop_oneof![Just("a.html"), Just("a.txt"), Just("a.json"), Just("a.jsonl"), Just("a")]) {
        let text = parts.concat();
        if let Ok(articles) = extract(text.as_bytes(), name, &ExtractOptions::default()) {
            for article in articles {
                prop_assert!(!article.body.trim().is_empty());
                prop_assert!(!article.id.is_empty());
            }
        }
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut page = String::from("<html><body>");
    for _ in 0..3_000 {
        page.push_str("<div><span>");
    }
    page.push_str(
        "<p>Isi berita yang tersembunyi jauh di dalam halaman, cukup panjang untuk dibaca.</p>",
    );
    let articles = extract(page.as_bytes(), "dalam.html", &ExtractOptions::default()).unwrap();
    assert!(articles[0].body.contains("Isi berita yang tersembunyi"));
}
