//! Writes a synthetic Indonesian news archive of N articles for benchmarks.
//!
//! Every article is recombined from real sentences, titles and dates (from
//! `../shared/data/articles/articles.jsonl` when it is there, else from the files in `corpus/`), so
//! vocabulary and term frequencies are those of real news while no two articles are copies. The
//! archive is a mix of saved HTML pages and plain-text scrapes under `pages/YYYY/MM/DD/`, and JSON
//! Lines exports under `feeds/YYYY/MM/DD/`. Article `i` depends only on the seed and `i`, so a
//! smaller archive is the prefix of a larger one made with the same seed.
//!
//! ```text
//! cargo run --release --example gencorpus -- --count 10000 --out target/bench/10000
//! ```

use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Timelike};
use clap::Parser;
use serde_json::{json, Value};

/// Writes a synthetic news archive for benchmarks.
#[derive(Debug, Parser)]
struct Args {
    /// Number of articles to write.
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Output folder; `pages/`, `feeds/` and `manifest.json` are written inside it.
    #[arg(long)]
    out: PathBuf,
    /// Seed of the generator: the same seed and count give the same archive.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Source articles (JSON Lines with title, date, body); default
    /// `../shared/data/articles/articles.jsonl`, else the `corpus/` folder.
    #[arg(long)]
    source: Option<PathBuf>,
    /// Share of articles written as HTML pages, in percent.
    #[arg(long, default_value_t = 50)]
    html_percent: u64,
    /// Share of articles written as plain-text scrapes, in percent; the rest go to JSON Lines.
    #[arg(long, default_value_t = 30)]
    text_percent: u64,
}

/// SplitMix64: small, fast and good enough to pick sentences; fully determined by its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut rng = Rng(seed);
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One source article, cut into sentences.
struct SourceArticle {
    title: Option<String>,
    date: Option<DateTime<FixedOffset>>,
    category: Option<String>,
    /// Range into [`Pool::sentences`].
    first_sentence: usize,
    sentence_count: usize,
}

/// Everything real the generator recombines.
struct Pool {
    articles: Vec<SourceArticle>,
    sentences: Vec<String>,
    titles: Vec<String>,
}

impl Pool {
    fn add(
        &mut self,
        title: Option<String>,
        date: Option<DateTime<FixedOffset>>,
        category: Option<String>,
        body: &str,
    ) {
        let first_sentence = self.sentences.len();
        for paragraph in body.split('\n') {
            let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
            // Boilerplate lines of the sources ("SCROLL TO CONTINUE", "Baca juga: ...") are dropped.
            if paragraph.split(' ').count() < 5
                || paragraph.to_lowercase().starts_with("baca juga")
                || paragraph.chars().filter(|c| c.is_uppercase()).count() * 2 > paragraph.len()
            {
                continue;
            }
            let paragraph = strip_dateline(&paragraph);
            // Unpunctuated dumps would make one "sentence" of a whole story.
            self.sentences.extend(
                split_sentences(paragraph)
                    .into_iter()
                    .filter(|sentence| sentence.len() <= 600),
            );
        }
        let sentence_count = self.sentences.len() - first_sentence;
        if sentence_count == 0 {
            return;
        }
        if let Some(title) = &title {
            self.titles.push(title.clone());
        }
        self.articles.push(SourceArticle {
            title,
            date,
            category,
            first_sentence,
            sentence_count,
        });
    }

    fn sentences_of(&self, article: &SourceArticle) -> &[String] {
        &self.sentences[article.first_sentence..article.first_sentence + article.sentence_count]
    }
}

/// "JAKARTA, KOMPAS.com - Isi" → "Isi": the generator writes its own datelines.
fn strip_dateline(paragraph: &str) -> &str {
    for separator in [" - ", " – ", " -- ", " — "] {
        if let Some(at) = paragraph.find(separator) {
            let lead = &paragraph[..at];
            if at <= 48 && lead.chars().filter(|c| c.is_uppercase()).count() * 2 >= lead.len() / 2 {
                return &paragraph[at + separator.len()..];
            }
        }
    }
    paragraph
}

/// Splits at ". ", "? ", "! " followed by a capital letter or a quote.
fn split_sentences(paragraph: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let bytes = paragraph.as_bytes();
    for (at, _) in paragraph.match_indices(['.', '?', '!']) {
        let next = at + 1;
        if next + 1 < bytes.len() && bytes[next] == b' ' {
            let following = paragraph[next + 1..].chars().next().unwrap_or(' ');
            if following.is_uppercase() || following == '"' || following == '“' {
                let sentence = paragraph[start..next].trim();
                if sentence.split(' ').count() >= 4 {
                    sentences.push(sentence.to_string());
                }
                start = next + 1;
            }
        }
    }
    let rest = paragraph[start..].trim();
    if rest.split(' ').count() >= 4 {
        sentences.push(rest.to_string());
    }
    sentences
}

fn load_jsonl(path: &Path) -> Result<Pool> {
    let text =
        fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut pool = Pool {
        articles: Vec::new(),
        sentences: Vec::new(),
        titles: Vec::new(),
    };
    for (at, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: Value = serde_json::from_str(line)
            .with_context(|| format!("{}: line {}: invalid JSON", path.display(), at + 1))?;
        let text_of = |key: &str| {
            record
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_string)
        };
        let Some(body) = text_of("body") else {
            continue;
        };
        let date = text_of("date").and_then(|date| DateTime::parse_from_rfc3339(&date).ok());
        pool.add(text_of("title"), date, text_of("category"), &body);
    }
    Ok(pool)
}

/// Reads the repository's own `corpus/`: plain-text articles whose long lines are body text and
/// whose short lines without a full stop are headlines.
fn load_corpus_folder(folder: &Path) -> Result<Pool> {
    let mut pool = Pool {
        articles: Vec::new(),
        sentences: Vec::new(),
        titles: Vec::new(),
    };
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .collect();
    paths.sort();
    for path in paths {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let mut title = None;
        let mut body = String::new();
        for line in text.lines().map(str::trim) {
            let words = line.split_whitespace().count();
            if words > 15 {
                body.push_str(line);
                body.push('\n');
            } else if (3..=14).contains(&words) && !line.ends_with('.') && body.is_empty() {
                title = Some(line.to_string());
            }
        }
        pool.add(title, None, None, &body);
    }
    Ok(pool)
}

/// A news site the generated pages pretend to come from.
struct Site {
    name: &'static str,
    host: &'static str,
    /// How its datelines read; `{}` is the city.
    dateline: &'static str,
    /// Class of the element that holds the article text.
    body_class: &'static str,
}

const SITES: &[Site] = &[
    Site {
        name: "detikNews",
        host: "news.detik.com",
        dateline: "{} - ",
        body_class: "detail__body-text itp_bodycontent",
    },
    Site {
        name: "Kompas.com",
        host: "nasional.kompas.com",
        dateline: "{}, KOMPAS.com - ",
        body_class: "read__content",
    },
    Site {
        name: "ANTARA News",
        host: "www.antaranews.com",
        dateline: "{} (ANTARA) - ",
        body_class: "post-content clearfix",
    },
    Site {
        name: "CNN Indonesia",
        host: "www.cnnindonesia.com",
        dateline: "{}, CNN Indonesia -- ",
        body_class: "detail-text text-cnn_black",
    },
    Site {
        name: "Tempo.co",
        host: "nasional.tempo.co",
        dateline: "TEMPO.CO, {} - ",
        body_class: "detail-konten",
    },
    Site {
        name: "Republika Online",
        host: "news.republika.co.id",
        dateline: "REPUBLIKA.CO.ID, {} -- ",
        body_class: "article-content",
    },
    Site {
        name: "Okezone",
        host: "news.okezone.com",
        dateline: "{} - ",
        body_class: "read",
    },
    Site {
        name: "Suara.com",
        host: "www.suara.com",
        dateline: "Suara.com - ",
        body_class: "detail--content",
    },
];

const CITIES: &[&str] = &[
    "JAKARTA",
    "BANDUNG",
    "SURABAYA",
    "MEDAN",
    "MAKASSAR",
    "SEMARANG",
    "YOGYAKARTA",
    "DENPASAR",
    "PALEMBANG",
    "BALIKPAPAN",
    "PONTIANAK",
    "JAYAPURA",
];

const GIVEN_NAMES: &[&str] = &[
    "Andi", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gilang", "Hendra", "Indah", "Joko", "Kurnia",
    "Lestari", "Made", "Nur", "Putri", "Rizki", "Sari", "Taufik", "Wahyu", "Yuni",
];

const FAMILY_NAMES: &[&str] = &[
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Nugroho",
    "Siregar",
    "Pratama",
    "Lubis",
    "Santoso",
    "Harahap",
    "Kusuma",
    "Setiawan",
    "Rahmawati",
];

const SECTIONS: &[&str] = &[
    "Nasional",
    "Internasional",
    "Ekonomi",
    "Bisnis",
    "Olahraga",
    "Teknologi",
    "Hiburan",
    "Otomotif",
    "Politik",
    "Hukum",
    "Kesehatan",
    "Pendidikan",
    "Gaya Hidup",
    "Wisata",
    "Sains",
    "Daerah",
];

const DAYS: &[&str] = &[
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Text,
    Jsonl,
}

/// One generated article, before it is written in its format.
struct Generated {
    number: usize,
    kind: Kind,
    site: &'static Site,
    title: String,
    date: DateTime<FixedOffset>,
    author: String,
    editor: String,
    section: String,
    city: &'static str,
    caption: Option<String>,
    paragraphs: Vec<String>,
    related: Vec<String>,
}

impl Generated {
    fn slug(&self) -> String {
        let mut slug = String::new();
        for word in self.title.split_whitespace().take(8) {
            let word: String = word
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            if !word.is_empty() {
                if !slug.is_empty() {
                    slug.push('-');
                }
                slug.push_str(&word);
            }
        }
        slug
    }

    fn url(&self) -> String {
        format!(
            "https://{}/read/{}/{:07}/{}",
            self.site.host,
            self.date.format("%Y/%m/%d"),
            self.number,
            self.slug()
        )
    }

    fn dateline(&self) -> String {
        self.site.dateline.replace("{}", self.city)
    }

    /// "Senin, 21 Agu 2017 10:30 WIB".
    fn display_date(&self) -> String {
        format!(
            "{}, {} {} {} {:02}:{:02} WIB",
            DAYS[self.date.weekday().num_days_from_monday() as usize],
            self.date.day(),
            MONTHS[self.date.month0() as usize],
            self.date.year(),
            self.date.hour(),
            self.date.minute()
        )
    }

    /// Title, body and caption: the text an index has to hold.
    fn text_bytes(&self) -> usize {
        self.title.len()
            + self.paragraphs.iter().map(String::len).sum::<usize>()
            + self.caption.as_ref().map_or(0, String::len)
    }
}

fn generate(
    pool: &Pool,
    seed: u64,
    number: usize,
    html_percent: u64,
    text_percent: u64,
) -> Generated {
    let mut rng = Rng::new(seed ^ (number as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let roll = rng.below(100) as u64;
    let kind = if roll < html_percent {
        Kind::Html
    } else if roll < html_percent + text_percent {
        Kind::Text
    } else {
        Kind::Jsonl
    };
    let base = rng.pick(&pool.articles);
    let own = pool.sentences_of(base);

    // Mostly the base article's sentences in order, so a story stays on one topic, with sentences
    // of other articles mixed in, so that no two generated articles are the same.
    // Each of the base's sentences is used at most once.
    let mut cursor = rng.below(own.len());
    let mut unused = own.len();
    let paragraph_count = rng.between(3, 12);
    let mut paragraphs = Vec::with_capacity(paragraph_count);
    for _ in 0..paragraph_count {
        let sentence_count = rng.between(1, 3);
        let mut paragraph = String::new();
        for _ in 0..sentence_count {
            let sentence = if unused > 0 && rng.chance(70) {
                cursor = (cursor + 1) % own.len();
                unused -= 1;
                &own[cursor]
            } else {
                rng.pick(&pool.sentences)
            };
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(sentence);
        }
        paragraphs.push(paragraph);
    }

    let title = match (&base.title, pool.titles.is_empty()) {
        (Some(title), _) if rng.chance(60) => title.clone(),
        (_, false) => {
            // The head of one real title and the tail of another.
            let first: Vec<&str> = rng.pick(&pool.titles).split_whitespace().collect();
            let second: Vec<&str> = rng.pick(&pool.titles).split_whitespace().collect();
            let head = &first[..first.len().div_ceil(2)];
            let tail = &second[second.len() / 2..];
            head.iter()
                .chain(tail)
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        }
        (None, true) => own[0]
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" "),
        (Some(title), true) => title.clone(),
    };

    let wib = FixedOffset::east_opt(7 * 3600).expect("constant offset");
    let epoch = NaiveDate::from_ymd_opt(2016, 1, 1).expect("constant date");
    let day = match base.date {
        Some(date) if rng.chance(50) => {
            date.date_naive() + Duration::days(rng.below(61) as i64 - 30)
        }
        _ => epoch + Duration::days(rng.below(3650) as i64),
    };
    let seconds = rng.between(5 * 3600, 23 * 3600) as i64;
    let date = wib
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .unwrap_or_else(|| wib.from_utc_datetime(&epoch.and_hms_opt(0, 0, 0).expect("midnight")))
        + Duration::seconds(seconds);

    let name = |rng: &mut Rng| format!("{} {}", rng.pick(GIVEN_NAMES), rng.pick(FAMILY_NAMES));
    let author = name(&mut rng);
    let editor = name(&mut rng);
    let section = base
        .category
        .clone()
        .unwrap_or_else(|| rng.pick(SECTIONS).to_string());
    let caption = rng.chance(60).then(|| {
        format!(
            "{} Foto: ANTARA/{}",
            rng.pick(&pool.sentences),
            name(&mut rng)
        )
    });
    let related = if pool.titles.is_empty() {
        Vec::new()
    } else {
        (0..6).map(|_| rng.pick(&pool.titles).clone()).collect()
    };
    Generated {
        number,
        kind,
        site: rng.pick(SITES),
        title,
        date,
        author,
        editor,
        section,
        city: CITIES[rng.below(CITIES.len())],
        caption,
        paragraphs,
        related,
    }
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A saved article page: head metadata (JSON-LD, OpenGraph), navigation, the article with
/// "Baca juga" links between its paragraphs, related and popular lists, scripts, a footer.
fn render_html(article: &Generated) -> String {
    let url = article.url();
    let title = escape(&article.title);
    let site = article.site;
    let lead = escape(&article.paragraphs[0].chars().take(160).collect::<String>());
    let ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": article.title,
        "description": article.paragraphs[0].chars().take(160).collect::<String>(),
        "datePublished": article.date.to_rfc3339(),
        "dateModified": (article.date + Duration::minutes(17)).to_rfc3339(),
        "author": {"@type": "Person", "name": article.author},
        "editor": {"@type": "Person", "name": article.editor},
        "publisher": {"@type": "Organization", "name": site.name,
            "logo": {"@type": "ImageObject", "url": format!("https://{}/assets/logo.png", site.host)}},
        "image": {"@type": "ImageObject", "url": format!("https://cdn.{}/images/{:07}.jpg", site.host, article.number)},
        "articleSection": article.section,
    })
    .to_string()
    .replace("</", "<\\/");
    let mut page = String::with_capacity(24 * 1024);
    let _ = write!(
        page,
        r#"<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - {site_name}</title>
<meta name="description" content="{lead}">
<meta name="keywords" content="{section}, berita hari ini, berita terkini, {site_name}">
<meta name="author" content="{author}">
<meta name="robots" content="index, follow, max-image-preview:large">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{site_name}">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{lead}">
<meta property="og:url" content="{url}">
<meta property="og:image" content="https://cdn.{host}/images/{number:07}.jpg">
<meta property="article:published_time" content="{published}">
<meta property="article:section" content="{section}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@{handle}">
<meta name="twitter:title" content="{title}">
<link rel="canonical" href="{url}">
<link rel="amphtml" href="{url}?amp=1">
<link rel="preconnect" href="https://cdn.{host}">
<link rel="stylesheet" href="https://cdn.{host}/assets/css/main.min.css?v=20240311">
<script type="application/ld+json">{ld}</script>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{{"@type":"ListItem","position":1,"name":"Home","item":"https://{host}/"}},{{"@type":"ListItem","position":2,"name":"{section}","item":"https://{host}/{section_slug}"}}]}}</script>
<style>
body{{margin:0;font-family:Helvetica,Arial,sans-serif;color:#222;background:#fff}}
.header{{position:sticky;top:0;z-index:10;background:#fff;border-bottom:1px solid #e5e5e5}}
.nav a{{display:inline-block;padding:12px 10px;color:#333;text-decoration:none;font-weight:600}}
.container{{max-width:1040px;margin:0 auto;padding:0 16px}}
.ads{{min-height:250px;background:#f4f4f4;text-align:center;margin:16px 0}}
.related li,.popular li{{margin:8px 0;line-height:1.4}}
.footer{{background:#1b1b1b;color:#bbb;padding:32px 0;font-size:13px}}
</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());gtag('config','G-{number:07}X',{{'content_group':'{section}','page_type':'article'}});</script>
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>var googletag=googletag||{{}};googletag.cmd=googletag.cmd||[];googletag.cmd.push(function(){{googletag.defineSlot('/1234567/{handle}/detail/top',[[728,90],[970,250]],'div-gpt-ad-top').addService(googletag.pubads());googletag.defineSlot('/1234567/{handle}/detail/mr1',[[300,250]],'div-gpt-ad-mr1').addService(googletag.pubads());googletag.pubads().enableSingleRequest();googletag.pubads().setTargeting('kanal','{section}');googletag.enableServices();}});</script>
</head>
<body class="detail">
<header class="header"><div class="container">
<a class="logo" href="https://{host}/"><img src="https://cdn.{host}/assets/logo.png" alt="{site_name}"></a>
<nav class="nav"><ul>
"#,
        site_name = escape(site.name),
        section = escape(&article.section),
        section_slug = article.section.to_lowercase().replace(' ', "-"),
        author = escape(&article.author),
        host = site.host,
        handle = site.host.split('.').rev().nth(1).unwrap_or("news"),
        number = article.number,
        published = article.date.to_rfc3339(),
    );
    for section in SECTIONS {
        let _ = writeln!(
            page,
            r#"<li><a href="https://{}/{}">{}</a></li>"#,
            site.host,
            section.to_lowercase().replace(' ', "-"),
            section
        );
    }
    let _ = write!(
        page,
        r#"</ul></nav>
<div class="trending"><span>Trending:</span> <a href="/tag/pemilu">#Pemilu</a> <a href="/tag/timnas">#Timnas</a> <a href="/tag/cuaca">#Cuaca</a> <a href="/tag/harga-bbm">#HargaBBM</a></div>
</div></header>
<div class="ads" id="div-gpt-ad-top"><span>ADVERTISEMENT</span></div>
<main class="container">
<div class="breadcrumb"><a href="https://{host}/">Home</a> &raquo; <a href="https://{host}/{section_slug}">{section}</a></div>
<article class="detail__article">
<h1 class="detail__title">{title}</h1>
<div class="detail__author">{author} - {site_name}</div>
<div class="detail__date"><time datetime="{published}">{display}</time></div>
"#,
        host = site.host,
        section_slug = article.section.to_lowercase().replace(' ', "-"),
        section = escape(&article.section),
        site_name = escape(site.name),
        author = escape(&article.author),
        published = article.date.to_rfc3339(),
        display = article.display_date(),
    );
    if let Some(caption) = &article.caption {
        let _ = writeln!(
            page,
            r#"<figure class="detail__media"><img src="https://cdn.{}/images/{:07}.jpg" alt="{}" loading="lazy"><figcaption class="detail__media-caption">{}</figcaption></figure>"#,
            site.host,
            article.number,
            title,
            escape(caption)
        );
    }
    let _ = writeln!(page, r#"<div class="{}">"#, site.body_class);
    for (at, paragraph) in article.paragraphs.iter().enumerate() {
        if at == 0 {
            let _ = writeln!(
                page,
                "<p>{}{}</p>",
                escape(&article.dateline()),
                escape(paragraph)
            );
        } else {
            let _ = writeln!(page, "<p>{}</p>", escape(paragraph));
        }
        if (at == 1 || at == 4) && !article.related.is_empty() {
            let related = &article.related[at % article.related.len()];
            let _ = writeln!(
                page,
                r#"<p class="para_caption"><strong>Baca juga:</strong> <a href="https://{}/read/{}">{}</a></p>"#,
                site.host,
                escape(&related.to_lowercase().replace(' ', "-")),
                escape(related)
            );
        }
        if at == 2 {
            page.push_str(
                "<div class=\"ads\" id=\"div-gpt-ad-mr1\"><span>ADVERTISEMENT</span></div>\n\
                 <div class=\"scroll-info\">SCROLL TO CONTINUE WITH CONTENT</div>\n",
            );
        }
    }
    let _ = write!(
        page,
        r#"</div>
<div class="detail__editor">Editor: {editor}</div>
<div class="detail__tags"><span>Tag:</span> <a href="/tag/{section_slug}">{section}</a> <a href="/tag/berita-terkini">berita terkini</a></div>
<div class="share"><a href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a> <a href="https://twitter.com/intent/tweet?url={url}">Twitter</a> <a href="https://wa.me/?text={url}">WhatsApp</a></div>
</article>
<aside class="related"><h3>Berita Terkait</h3><ul>
"#,
        editor = escape(&article.editor),
        section_slug = article.section.to_lowercase().replace(' ', "-"),
        section = escape(&article.section),
    );
    for related in article.related.iter().take(3) {
        let _ = writeln!(
            page,
            r#"<li><a href="https://{}/read/{}">{}</a></li>"#,
            site.host,
            escape(&related.to_lowercase().replace(' ', "-")),
            escape(related)
        );
    }
    page.push_str("</ul></aside>\n<aside class=\"popular\"><h3>Terpopuler</h3><ol>\n");
    for related in article.related.iter().skip(3) {
        let _ = writeln!(
            page,
            r#"<li><a href="https://{}/read/{}">{}</a></li>"#,
            site.host,
            escape(&related.to_lowercase().replace(' ', "-")),
            escape(related)
        );
    }
    let _ = write!(
        page,
        r#"</ol></aside>
</main>
<footer class="footer"><div class="container">
<ul><li><a href="/redaksi">Redaksi</a></li><li><a href="/pedoman-media-siber">Pedoman Media Siber</a></li><li><a href="/karir">Karir</a></li><li><a href="/kontak">Kontak</a></li><li><a href="/privacy-policy">Kebijakan Privasi</a></li></ul>
<p>Copyright &copy; {year} {site_name}. All rights reserved.</p>
</div></footer>
<script src="https://cdn.{host}/assets/js/main.min.js?v=20240311" defer></script>
<script>(function(){{var s=document.createElement('script');s.async=true;s.src='https://cdn.{host}/assets/js/comments.js';document.body.appendChild(s);}})();</script>
</body>
</html>
"#,
        year = article.date.year(),
        site_name = escape(site.name),
        host = site.host,
    );
    page
}

/// A plain-text scrape: site header and navigation words, the caption twice, the date, the
/// headline, a dateline, the body with "Baca juga" lines, then the editor and a copyright line.
fn render_text(article: &Generated) -> String {
    let mut text = String::with_capacity(4096);
    let _ = writeln!(
        text,
        "{} Dapatkan aplikasi di Play Store\n\n Berita\n\n {}\n\n Network\n\n Partner\n",
        article.site.name, article.section
    );
    if let Some(caption) = &article.caption {
        let _ = writeln!(text, "{caption}\n{caption}\n");
    }
    let _ = writeln!(text, "{}\n", article.display_date());
    let _ = writeln!(text, "{}\n\n", article.title);
    for (at, paragraph) in article.paragraphs.iter().enumerate() {
        if at == 0 {
            let _ = writeln!(text, "{}{}\n", article.dateline(), paragraph);
        } else {
            let _ = writeln!(text, "{paragraph}\n");
        }
        if at == 1 && !article.related.is_empty() {
            let _ = writeln!(text, "Baca juga: {}\n", article.related[0]);
        }
    }
    let _ = writeln!(
        text,
        "Editor: {}\n\nCopyright {} {}",
        article.editor,
        article.date.year(),
        article.site.name
    );
    text
}

/// One JSON Lines record; half use English keys, half Indonesian ones, as exports do.
fn render_json(article: &Generated) -> String {
    let body = article.paragraphs.join("\n\n");
    let record = if article.number.is_multiple_of(2) {
        json!({
            "id": format!("{:07}", article.number),
            "url": article.url(),
            "title": article.title,
            "date": article.date.to_rfc3339(),
            "authors": [article.author],
            "editor": article.editor,
            "category": article.section,
            "source": article.site.host.trim_start_matches("www."),
            "captions": article.caption.iter().collect::<Vec<_>>(),
            "body": body,
        })
    } else {
        json!({
            "tautan": article.url(),
            "judul": article.title,
            "tanggal": article.date.format("%Y-%m-%d %H:%M:%S").to_string(),
            "penulis": article.author,
            "kanal": article.section,
            "sumber": article.site.name,
            "isi": body,
        })
    };
    record.to_string()
}

#[derive(Default, serde::Serialize)]
struct FormatCount {
    articles: usize,
    files: usize,
    bytes: u64,
    text_bytes: u64,
}

#[derive(Default, serde::Serialize)]
struct Manifest {
    count: usize,
    seed: u64,
    source: String,
    source_articles: usize,
    source_sentences: usize,
    html: FormatCount,
    text: FormatCount,
    jsonl: FormatCount,
}

fn write_file(path: &Path, contents: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, contents)
}

/// Articles per JSON Lines block; each block is written as one export file.
const JSONL_BLOCK: usize = 500;

fn main() -> Result<()> {
    let args = Args::parse();
    if args.html_percent + args.text_percent > 100 {
        bail!("--html-percent plus --text-percent must be at most 100");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/data/articles/articles.jsonl");
    let (pool, source) = match &args.source {
        Some(path) => (load_jsonl(path)?, path.display().to_string()),
        None if shared.is_file() => (
            load_jsonl(&shared)?,
            "../shared/data/articles/articles.jsonl".to_string(),
        ),
        None => (
            load_corpus_folder(&root.join("corpus"))?,
            "corpus/".to_string(),
        ),
    };
    if pool.articles.is_empty() {
        bail!("{source}: no article with body text to recombine; pass --source FILE.jsonl");
    }
    let pages = args.out.join("pages");
    let feeds = args.out.join("feeds");
    for folder in [&pages, &feeds] {
        if folder.exists() {
            fs::remove_dir_all(folder)
                .with_context(|| format!("{}: cannot clear", folder.display()))?;
        }
        fs::create_dir_all(folder)
            .with_context(|| format!("{}: cannot create", folder.display()))?;
    }

    let mut manifest = Manifest {
        count: args.count,
        seed: args.seed,
        source,
        source_articles: pool.articles.len(),
        source_sentences: pool.sentences.len(),
        ..Manifest::default()
    };
    let mut block: Option<(PathBuf, BufWriter<fs::File>)> = None;
    for number in 0..args.count {
        let article = generate(
            &pool,
            args.seed,
            number,
            args.html_percent,
            args.text_percent,
        );
        let day = article.date.format("%Y/%m/%d").to_string();
        let text_bytes = article.text_bytes() as u64;
        match article.kind {
            Kind::Html => {
                let page = render_html(&article);
                let path = pages.join(&day).join(format!(
                    "{}-{:07}.html",
                    article.site.host.trim_start_matches("www."),
                    number
                ));
                write_file(&path, page.as_bytes())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                manifest.html.articles += 1;
                manifest.html.files += 1;
                manifest.html.bytes += page.len() as u64;
                manifest.html.text_bytes += text_bytes;
            }
            Kind::Text => {
                let text = render_text(&article);
                let path = pages.join(&day).join(format!("{number:07}.txt"));
                write_file(&path, text.as_bytes())
                    .with_context(|| format!("{}: cannot write", path.display()))?;
                manifest.text.articles += 1;
                manifest.text.files += 1;
                manifest.text.bytes += text.len() as u64;
                manifest.text.text_bytes += text_bytes;
            }
            Kind::Jsonl => {
                let name = format!("export-{:05}.jsonl", number / JSONL_BLOCK);
                let same_block = block
                    .as_ref()
                    .is_some_and(|(path, _)| path.file_name() == Some(name.as_ref()));
                if !same_block {
                    if let Some((path, mut writer)) = block.take() {
                        writer
                            .flush()
                            .with_context(|| format!("{}: cannot write", path.display()))?;
                    }
                    let path = feeds.join(&day).join(&name);
                    if let Some(parent) = path.parent() {
                        fs::create_dir_all(parent)
                            .with_context(|| format!("{}: cannot create", parent.display()))?;
                    }
                    let file = fs::File::create(&path)
                        .with_context(|| format!("{}: cannot create", path.display()))?;
                    block = Some((path, BufWriter::new(file)));
                    manifest.jsonl.files += 1;
                }
                let line = render_json(&article);
                if let Some((path, writer)) = block.as_mut() {
                    writeln!(writer, "{line}")
                        .with_context(|| format!("{}: cannot write", path.display()))?;
                }
                manifest.jsonl.articles += 1;
                manifest.jsonl.bytes += line.len() as u64 + 1;
                manifest.jsonl.text_bytes += text_bytes;
            }
        }
    }
    if let Some((path, mut writer)) = block.take() {
        writer
            .flush()
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    let manifest_path = args.out.join("manifest.json");
    fs::write(&manifest_path, serde_json::to_string_pretty(&manifest)?)
        .with_context(|| format!("{}: cannot write", manifest_path.display()))?;
    println!("{}", serde_json::to_string(&manifest)?);
    Ok(())
}
