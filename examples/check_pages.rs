//! Whole-page checks: every fixture page in `tests/fixtures/sites/` and every shared page in
//! `../shared/data/extraction/`, each judged on the fields a reader sees.
//!
//! `cargo run --profile quick --example check_pages [-- PATH_TO_SHARED]` prints one line per
//! page: title, date, authors, the body's first and last sentence present, and no furniture in
//! the body ("-" where the page's expected data does not say), then the checks passed per set.
//! Without the shared folder only the fixtures are checked; `CHECK_VERBOSE=1` prints each
//! fixture's authors and body.
//!
//! What each check means: title equal after whitespace normalisation (for `crf-labelled`,
//! contained in the page's `<title>`); date within 60 s; authors equal as a list; first and last
//! sentence: the expected body's first and last sentence of at least [`SENTENCE_WORDS`] words is
//! in the extracted body (compared on lower-cased alphanumeric words; for the shared pages in
//! order with at most [`GAP_WORDS`] other words between two of them); furniture: none of the
//! fixture's listed furniture strings is in the body.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::DateTime;
use newsidx::extract::{extract, ExtractOptions};
use newsidx::Article;
use serde_json::Value;

/// Shortest sentence taken as the first or last one of an expected body: shorter ones are
/// signatures ("(ant)") and photo credits rather than the story's first or last words.
const SENTENCE_WORDS: usize = 4;

/// One page's verdicts; `None` where the expected data says nothing.
#[derive(Default)]
struct Verdict {
    title: Option<bool>,
    date: Option<bool>,
    authors: Option<bool>,
    first: Option<bool>,
    last: Option<bool>,
    furniture: Option<bool>,
}

impl Verdict {
    fn checks(&self) -> [Option<bool>; 6] {
        [
            self.title,
            self.date,
            self.authors,
            self.first,
            self.last,
            self.furniture,
        ]
    }
}

#[derive(Default)]
struct Tally {
    pages: usize,
    passed: [usize; 6],
    checked: [usize; 6],
}

impl Tally {
    fn add(&mut self, verdict: &Verdict) {
        self.pages += 1;
        for (at, check) in verdict.checks().iter().enumerate() {
            if let Some(ok) = check {
                self.checked[at] += 1;
                self.passed[at] += usize::from(*ok);
            }
        }
    }

    fn line(&self, name: &str) -> String {
        let names = ["title", "date", "authors", "first", "last", "furniture"];
        let mut line = format!("{name:<16} pages {:>3}", self.pages);
        for (at, check) in names.iter().enumerate() {
            if self.checked[at] > 0 {
                line += &format!("  {check} {}/{}", self.passed[at], self.checked[at]);
            }
        }
        let passed: usize = self.passed.iter().sum();
        let checked: usize = self.checked.iter().sum();
        line += &format!(
            "  all {passed}/{checked} ({:.1}%)",
            100.0 * passed as f64 / checked.max(1) as f64
        );
        line
    }
}

fn mark(check: Option<bool>) -> &'static str {
    match check {
        Some(true) => "ok",
        Some(false) => "FAIL",
        None => "-",
    }
}

/// With `CHECK_VERBOSE` set, what a failed first or last sentence check compared.
fn explain(verdict: &Verdict, article: &Article, body: &str) {
    if std::env::var_os("CHECK_VERBOSE").is_none() {
        return;
    }
    if verdict.first == Some(false) {
        println!("    want first: {}", first_sentence(body));
        println!(
            "    got  first: {}",
            article.body.chars().take(200).collect::<String>()
        );
    }
    if verdict.last == Some(false) {
        let tail: Vec<char> = article.body.chars().rev().take(200).collect();
        println!("    want last: {}", last_sentence(body));
        println!(
            "    got  last: {}",
            tail.into_iter().rev().collect::<String>()
        );
    }
}

fn report(name: &str, verdict: &Verdict) {
    let [title, date, authors, first, last, furniture] = verdict.checks();
    println!(
        "  {name:<48} title {:<4} date {:<4} authors {:<4} first {:<4} last {:<4} furniture {}",
        mark(title),
        mark(date),
        mark(authors),
        mark(first),
        mark(last),
        mark(furniture)
    );
}

fn main() -> anyhow::Result<()> {
    let shared = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let options = ExtractOptions::default();
    let mut sets: Vec<(String, Tally)> = Vec::new();

    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites");
    println!("fixtures ({}):", fixtures.display());
    let mut tally = Tally::default();
    let expected = std::fs::read_to_string(fixtures.join("expected.jsonl"))?;
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let want: Value = serde_json::from_str(line)?;
        let file = want["file"].as_str().unwrap_or_default();
        let article = run(&fixtures.join(file), file, &options)?;
        let verdict = judge_fixture(article.as_ref(), &want);
        report(file, &verdict);
        if std::env::var_os("CHECK_VERBOSE").is_some() {
            if let Some(article) = &article {
                println!(
                    "    authors {:?} editors {:?}",
                    article.authors, article.editors
                );
                println!("    body: {}", article.body.replace("\n\n", "\n    | "));
            }
        }
        tally.add(&verdict);
    }
    sets.push(("fixtures".to_string(), tally));

    let root = shared.join("data/extraction");
    if root.is_dir() {
        sets.push(("anpandu".to_string(), anpandu(&root, &options)?));
        sets.push((
            "mediaindonesia".to_string(),
            mediaindonesia(&root, &options)?,
        ));
        sets.push(("crf-labelled".to_string(), crf(&root, &options)?));
    } else {
        println!("({} not found: shared pages not checked)", root.display());
    }

    println!();
    let mut overall = Tally::default();
    for (name, tally) in &sets {
        println!("{}", tally.line(name));
        overall.pages += tally.pages;
        for at in 0..6 {
            overall.passed[at] += tally.passed[at];
            overall.checked[at] += tally.checked[at];
        }
    }
    println!("{}", overall.line("overall"));
    Ok(())
}

fn run(path: &Path, name: &str, options: &ExtractOptions) -> anyhow::Result<Option<Article>> {
    let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    Ok(match extract(&bytes, name, options) {
        Ok(mut articles) => Some(articles.remove(0)),
        Err(error) => {
            println!("  {name}: extraction failed: {error}");
            None
        }
    })
}

fn judge_fixture(article: Option<&Article>, want: &Value) -> Verdict {
    let Some(article) = article else {
        return failed(true, true);
    };
    let strings = |key: &str| -> Vec<String> {
        want[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let want_date = want["date"]
        .as_str()
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok());
    let furniture = strings("furniture");
    Verdict {
        title: Some(same_text(
            &article.title,
            want["title"].as_str().unwrap_or_default(),
        )),
        date: Some(near(article, want_date.map(|date| date.timestamp()))),
        authors: Some(article.authors == strings("authors")),
        first: Some(contains(
            &article.body,
            want["first"].as_str().unwrap_or_default(),
        )),
        last: Some(contains(
            &article.body,
            want["last"].as_str().unwrap_or_default(),
        )),
        furniture: Some(!furniture.iter().any(|text| article.body.contains(text))),
    }
}

/// A page that gave no article fails every check it has.
fn failed(authors: bool, furniture: bool) -> Verdict {
    Verdict {
        title: Some(false),
        date: Some(false),
        authors: authors.then_some(false),
        first: Some(false),
        last: Some(false),
        furniture: furniture.then_some(false),
    }
}

fn anpandu(root: &Path, options: &ExtractOptions) -> anyhow::Result<Tally> {
    let folder = root.join("anpandu");
    println!("\nanpandu:");
    let mut tally = Tally::default();
    let expected = std::fs::read_to_string(folder.join("expected.jsonl"))?;
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let record: Value = serde_json::from_str(line)?;
        let html = record["html"].as_str().unwrap_or_default();
        let want = &record["expected"];
        let verdict = match run(&folder.join(html), html, options)? {
            None => failed(false, false),
            Some(article) => {
                let body = want["content"].as_str().unwrap_or_default();
                let verdict = Verdict {
                    title: Some(same_text(
                        &article.title,
                        want["title"].as_str().unwrap_or_default(),
                    )),
                    date: Some(near(
                        &article,
                        want["date"].as_i64().map(|millis| millis / 1000),
                    )),
                    first: Some(contains_loosely(&article.body, &first_sentence(body))),
                    last: Some(contains_loosely(&article.body, &last_sentence(body))),
                    ..Verdict::default()
                };
                explain(&verdict, &article, body);
                verdict
            }
        };
        report(html, &verdict);
        tally.add(&verdict);
    }
    Ok(tally)
}

fn mediaindonesia(root: &Path, options: &ExtractOptions) -> anyhow::Result<Tally> {
    let folder = root.join("mediaindonesia");
    println!("\nmediaindonesia:");
    let mut tally = Tally::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.to_string_lossy().ends_with(".expected.json"))
        .collect();
    files.sort();
    for path in files {
        let want: Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let want = &want["V1"];
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().replace(".expected.json", ".html"))
            .unwrap_or_default();
        let verdict = match run(&folder.join(&name), &name, options)? {
            None => failed(true, false),
            Some(article) => {
                let paragraphs: Vec<&str> = want["body"]["sections"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|section| section["paragraphs"].as_array().into_iter().flatten())
                    .filter_map(Value::as_str)
                    .collect();
                let body = paragraphs.join("\n");
                let authors: Vec<String> = want["authors"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(normalize)
                    .collect();
                let got: Vec<String> = article.authors.iter().map(|name| normalize(name)).collect();
                let date = want["publishing_date"]
                    .as_str()
                    .and_then(|text| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%:z").ok());
                let verdict = Verdict {
                    title: Some(same_text(
                        &article.title,
                        want["title"].as_str().unwrap_or_default(),
                    )),
                    date: Some(near(&article, date.map(|date| date.timestamp()))),
                    authors: Some(got == authors),
                    first: Some(contains_loosely(&article.body, &first_sentence(&body))),
                    last: Some(contains_loosely(&article.body, &last_sentence(&body))),
                    furniture: None,
                };
                explain(&verdict, &article, &body);
                verdict
            }
        };
        report(&name, &verdict);
        tally.add(&verdict);
    }
    Ok(tally)
}

fn crf(root: &Path, options: &ExtractOptions) -> anyhow::Result<Tally> {
    let folder = root.join("crf-labelled");
    println!("\ncrf-labelled:");
    let mut tally = Tally::default();
    let expected = std::fs::read_to_string(folder.join("expected.jsonl"))?;
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let record: Value = serde_json::from_str(line)?;
        let html = record["html"].as_str().unwrap_or_default();
        let gold: Vec<&str> = record["gold_content_blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let body = gold.join("\n");
        let verdict = match run(&folder.join(html), html, options)? {
            None => failed(false, false),
            Some(article) => {
                let verdict = Verdict {
                    title: Some(
                        normalize(record["html_title"].as_str().unwrap_or_default())
                            .contains(&normalize(&article.title)),
                    ),
                    first: Some(contains_loosely(&article.body, &first_sentence(&body))),
                    last: Some(contains_loosely(&article.body, &last_sentence(&body))),
                    ..Verdict::default()
                };
                explain(&verdict, &article, &body);
                verdict
            }
        };
        report(html, &verdict);
        tally.add(&verdict);
    }
    Ok(tally)
}

fn near(article: &Article, want_seconds: Option<i64>) -> bool {
    match (article.date, want_seconds) {
        (Some(got), Some(want)) => (got.timestamp() - want).abs() <= 60,
        _ => false,
    }
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn same_text(got: &str, want: &str) -> bool {
    normalize(got) == normalize(want)
}

/// Lower-cased alphanumeric words, one space between: the form sentences are compared in.
fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn contains(body: &str, sentence: &str) -> bool {
    let sentence = words(sentence);
    !sentence.is_empty() && words(body).contains(&sentence)
}

/// Words between two consecutive words of an expected sentence that [`contains_loosely`]
/// allows: the shared gold texts leave out the words of in-text links ("Serikat Pekerja
/// Indonesia ( ) menyarankan") that the extractor rightly keeps.
const GAP_WORDS: usize = 3;

/// Whether the sentence's words appear in the body in order, at most [`GAP_WORDS`] apart.
fn contains_loosely(body: &str, sentence: &str) -> bool {
    let body = words(body);
    let body: Vec<&str> = body.split(' ').collect();
    let sentence = words(sentence);
    let wanted: Vec<&str> = sentence
        .split(' ')
        .filter(|word| !word.is_empty())
        .collect();
    let Some(first) = wanted.first() else {
        return false;
    };
    body.iter().enumerate().any(|(start, word)| {
        if word != first {
            return false;
        }
        let mut at = start;
        wanted[1..].iter().all(|next| {
            let end = (at + 2 + GAP_WORDS).min(body.len());
            match body[at + 1..end].iter().position(|word| word == next) {
                Some(found) => {
                    at += 1 + found;
                    true
                }
                None => false,
            }
        })
    })
}

/// The sentences of a text: split after ". ", "! ", "? " and at line ends.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let bytes = line.as_bytes();
        for at in 0..bytes.len() {
            if matches!(bytes[at], b'.' | b'!' | b'?') && bytes.get(at + 1) == Some(&b' ') {
                out.push(line[start..=at].to_string());
                start = at + 1;
            }
        }
        out.push(line[start..].to_string());
    }
    out.into_iter()
        .filter(|sentence| words(sentence).split(' ').count() >= SENTENCE_WORDS)
        .collect()
}

fn first_sentence(text: &str) -> String {
    sentences(text).into_iter().next().unwrap_or_default()
}

fn last_sentence(text: &str) -> String {
    sentences(text).into_iter().last().unwrap_or_default()
}
