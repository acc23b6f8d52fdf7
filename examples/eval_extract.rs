//! Scores extraction against the saved pages in `../shared/data/extraction/`.
//!
//! `cargo run --release --example eval_extract [-- PATH_TO_SHARED]` prints per-site and overall
//! scores: title exact (whitespace-normalised), date within 60 s / exact, body token F1, authors
//! and captions where the expected data has them, and the checks on the seed article.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::DateTime;
use newsidx::extract::{extract, ExtractOptions};
use newsidx::Article;
use serde_json::Value;

#[derive(Default)]
struct Tally {
    pages: usize,
    failed: usize,
    titles: usize,
    dates_60s: usize,
    dates_exact: usize,
    dates_expected: usize,
    authors: usize,
    authors_expected: usize,
    captions_found: usize,
    captions_expected: usize,
    f1_sum: f64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.pages += other.pages;
        self.failed += other.failed;
        self.titles += other.titles;
        self.dates_60s += other.dates_60s;
        self.dates_exact += other.dates_exact;
        self.dates_expected += other.dates_expected;
        self.authors += other.authors;
        self.authors_expected += other.authors_expected;
        self.captions_found += other.captions_found;
        self.captions_expected += other.captions_expected;
        self.f1_sum += other.f1_sum;
    }

    fn line(&self, name: &str) -> String {
        let mut line = format!(
            "{name:<28} pages {:>3}  failed {:>2}  title {:>3}/{:<3}  body F1 {:.3}",
            self.pages,
            self.failed,
            self.titles,
            self.pages,
            self.f1_sum / self.pages.max(1) as f64
        );
        if self.dates_expected > 0 {
            line += &format!(
                "  date ≤60s {}/{} exact {}/{}",
                self.dates_60s, self.dates_expected, self.dates_exact, self.dates_expected
            );
        }
        if self.authors_expected > 0 {
            line += &format!("  authors {}/{}", self.authors, self.authors_expected);
        }
        if self.captions_expected > 0 {
            line += &format!(
                "  captions {}/{}",
                self.captions_found, self.captions_expected
            );
        }
        line
    }
}

fn main() -> anyhow::Result<()> {
    let shared = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let root = shared.join("data/extraction");
    let verbose = std::env::var_os("EVAL_VERBOSE").is_some();
    let options = ExtractOptions::default();
    let mut sites: BTreeMap<String, Tally> = BTreeMap::new();
    let mut spent = Duration::ZERO;
    let mut bytes_read = 0usize;

    let mut run = |path: &Path, name: &str| -> anyhow::Result<Option<Article>> {
        let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
        bytes_read += bytes.len();
        let started = Instant::now();
        let result = extract(&bytes, name, &options);
        spent += started.elapsed();
        Ok(match result {
            Ok(mut articles) => Some(articles.remove(0)),
            Err(error) => {
                println!("  {name}: extraction failed: {error}");
                None
            }
        })
    };

    // anpandu: url, title, date (epoch ms), content.
    let anpandu = root.join("anpandu");
    let expected = std::fs::read_to_string(anpandu.join("expected.jsonl"))
        .with_context(|| format!("{}: missing; pass the shared folder", anpandu.display()))?;
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let record: Value = serde_json::from_str(line)?;
        let html = record["html"].as_str().unwrap_or_default();
        let want = &record["expected"];
        let site = format!("anpandu/{}", want["source"].as_str().unwrap_or("?"));
        let tally = sites.entry(site).or_default();
        tally.pages += 1;
        tally.dates_expected += 1;
        let Some(article) = run(&anpandu.join(html), html)? else {
            tally.failed += 1;
            continue;
        };
        let title_ok = same_text(&article.title, want["title"].as_str().unwrap_or_default());
        tally.titles += title_ok as usize;
        let want_ms = want["date"].as_i64().unwrap_or_default();
        let got_ms = article.date.map(|date| date.timestamp_millis());
        let delta = got_ms.map(|got| (got - want_ms).abs());
        tally.dates_60s += delta.is_some_and(|delta| delta <= 60_000) as usize;
        tally.dates_exact += delta.is_some_and(|delta| delta < 1000) as usize;
        let f1 = token_f1(&article.body, want["content"].as_str().unwrap_or_default());
        tally.f1_sum += f1;
        if verbose || !title_ok || f1 < 0.9 || delta.is_none_or(|delta| delta > 60_000) {
            println!(
                "  {html}: title {} date {:?} (want {}) F1 {f1:.3}",
                if title_ok { "ok" } else { "WRONG" },
                article.date.map(|date| date.to_rfc3339()),
                want["date_iso_wib"].as_str().unwrap_or_default()
            );
            if !title_ok {
                println!("      got title {:?}", article.title);
            }
        }
    }

    // mediaindonesia: title, authors, publishing date with offset, paragraphs, captions.
    let media = root.join("mediaindonesia");
    let mut expected_files: Vec<PathBuf> = std::fs::read_dir(&media)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.to_string_lossy().ends_with(".expected.json"))
        .collect();
    expected_files.sort();
    for expected_path in expected_files {
        let want: Value = serde_json::from_str(&std::fs::read_to_string(&expected_path)?)?;
        let want = &want["V1"];
        let stem = expected_path
            .file_name()
            .map(|name| name.to_string_lossy().replace(".expected.json", ""))
            .unwrap_or_default();
        let name = format!("{stem}.html");
        let tally = sites.entry("mediaindonesia".to_string()).or_default();
        tally.pages += 1;
        tally.dates_expected += 1;
        tally.authors_expected += 1;
        let captions: Vec<String> = want["images"]
            .as_array()
            .map(|images| {
                images
                    .iter()
                    .filter_map(|image| image["caption"].as_str())
                    .map(normalize)
                    .collect()
            })
            .unwrap_or_default();
        tally.captions_expected += captions.len();
        let Some(article) = run(&media.join(&name), &name)? else {
            tally.failed += 1;
            continue;
        };
        let title_ok = same_text(&article.title, want["title"].as_str().unwrap_or_default());
        tally.titles += title_ok as usize;
        let want_authors: Vec<String> = want["authors"]
            .as_array()
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(normalize)
                    .collect()
            })
            .unwrap_or_default();
        let got_authors: Vec<String> = article.authors.iter().map(|a| normalize(a)).collect();
        tally.authors += (got_authors == want_authors) as usize;
        let want_date = want["publishing_date"]
            .as_str()
            .and_then(|text| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%:z").ok());
        let exact = match (article.date, want_date) {
            (Some(got), Some(want)) => got == want && got.offset() == want.offset(),
            _ => false,
        };
        let near = match (article.date, want_date) {
            (Some(got), Some(want)) => (got.timestamp() - want.timestamp()).abs() <= 60,
            _ => false,
        };
        tally.dates_exact += exact as usize;
        tally.dates_60s += near as usize;
        let found = captions
            .iter()
            .filter(|want| {
                article
                    .captions
                    .iter()
                    .any(|got| normalize(got).contains(*want))
            })
            .count();
        tally.captions_found += found;
        let paragraphs: Vec<&str> = want["body"]["sections"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|section| section["paragraphs"].as_array().into_iter().flatten())
            .filter_map(Value::as_str)
            .collect();
        let f1 = token_f1(&article.body, &paragraphs.join("\n"));
        tally.f1_sum += f1;
        if verbose
            || !title_ok
            || !exact
            || f1 < 0.9
            || found < captions.len()
            || got_authors != want_authors
        {
            println!(
                "  {name}: title {} date {:?} authors {:?} captions {:?} F1 {f1:.3}",
                if title_ok { "ok" } else { "WRONG" },
                article.date.map(|date| date.to_rfc3339()),
                article.authors,
                article.captions
            );
        }
    }

    // crf-labelled: gold content blocks.
    let crf = root.join("crf-labelled");
    let expected = std::fs::read_to_string(crf.join("expected.jsonl"))?;
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let record: Value = serde_json::from_str(line)?;
        let html = record["html"].as_str().unwrap_or_default();
        let site = record["site"].as_str().unwrap_or("?");
        let tally = sites.entry(format!("crf/{site}")).or_default();
        tally.pages += 1;
        let gold: Vec<&str> = record["gold_content_blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let Some(article) = run(&crf.join(html), html)? else {
            tally.failed += 1;
            continue;
        };
        let title = record["html_title"].as_str().unwrap_or_default();
        tally.titles += normalize(title).contains(&normalize(&article.title)) as usize;
        let f1 = token_f1(&article.body, &gold.join("\n"));
        tally.f1_sum += f1;
        if verbose || f1 < 0.9 {
            println!("  {html}: F1 {f1:.3} title {:?}", article.title);
        }
    }

    println!();
    let mut groups: BTreeMap<&str, Tally> = BTreeMap::new();
    for (site, tally) in &sites {
        println!("{}", tally.line(site));
        let group = match site.split_once('/') {
            Some(("crf", _)) => "crf-labelled",
            Some((group, _)) => group,
            None => site.as_str(),
        };
        groups.entry(group).or_default().add(tally);
    }
    println!();
    let mut overall = Tally::default();
    for (group, tally) in &groups {
        println!("{}", tally.line(&format!("== {group}")));
        overall.add(tally);
    }
    println!("{}", overall.line("== overall"));
    println!(
        "\nextraction time: {:.1} ms for {} pages ({:.1} MB), {:.2} ms/page",
        spent.as_secs_f64() * 1000.0,
        overall.pages,
        bytes_read as f64 / 1e6,
        spent.as_secs_f64() * 1000.0 / overall.pages.max(1) as f64
    );

    seed_checks(&options)?;
    Ok(())
}

/// The seed article's fields, as the product promises them.
fn seed_checks(options: &ExtractOptions) -> anyhow::Result<()> {
    let name = "000_cdf2b438e2bb1883.txt";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name);
    let bytes = std::fs::read(&path).with_context(|| format!("{}", path.display()))?;
    let articles = extract(&bytes, name, options)?;
    let article = &articles[0];
    let caption_once = article
        .captions
        .iter()
        .filter(|caption| caption.starts_with("Presiden Rusia Vladimir Putin mengadakan"))
        .count()
        == 1;
    let checks = [
        (
            "title",
            article.title == "AS Kecewa Saat Hubungan China dan Rusia Semakin Intim",
        ),
        (
            "date 2022-12-30 +07:00",
            article
                .date
                .is_some_and(|date| date.format("%Y-%m-%d%:z").to_string() == "2022-12-30+07:00"),
        ),
        (
            "source Beritabaru.co",
            article.source.as_deref() == Some("Beritabaru.co"),
        ),
        (
            "dateline Washington",
            article.dateline.as_deref() == Some("Washington"),
        ),
        ("caption once in captions", caption_once),
        (
            "caption not in body",
            !article
                .body
                .contains("Presiden Rusia Vladimir Putin mengadakan"),
        ),
        (
            "no site furniture in body",
            !["Dapatkan aplikasi di Play Store", "Network", "Partner"]
                .iter()
                .any(|word| article.body.contains(word)),
        ),
    ];
    println!("\nseed {name}:");
    for (check, ok) in checks {
        println!("  {:<28} {}", check, if ok { "ok" } else { "FAILED" });
    }
    Ok(())
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn same_text(got: &str, want: &str) -> bool {
    normalize(got) == normalize(want)
}

fn tokens(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for token in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|token| !token.is_empty())
    {
        *counts.entry(token.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

/// Bag-of-tokens F1 between extracted and expected text (lower-cased, alphanumeric runs).
fn token_f1(got: &str, want: &str) -> f64 {
    let got = tokens(got);
    let want = tokens(want);
    let got_total: usize = got.values().sum();
    let want_total: usize = want.values().sum();
    if got_total == 0 || want_total == 0 {
        return if got_total == want_total { 1.0 } else { 0.0 };
    }
    let common: usize = got
        .iter()
        .map(|(token, count)| (*count).min(want.get(token).copied().unwrap_or(0)))
        .sum();
    if common == 0 {
        return 0.0;
    }
    let precision = common as f64 / got_total as f64;
    let recall = common as f64 / want_total as f64;
    2.0 * precision * recall / (precision + recall)
}
