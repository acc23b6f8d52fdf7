//! JSON and JSON Lines exports: one article per object or per line, English or Indonesian keys.

use serde_json::{Map, Value};

use super::date::parse_date;
use super::{
    guess_language, normalize_space, source_from_url, ExtractError, ExtractOptions, Extracted,
    Words,
};
use crate::article::{Article, Format};

const TITLE: &[&str] = &["title", "judul", "headline"];
const DATE: &[&str] = &[
    "date",
    "tanggal",
    "published_at",
    "publishedAt",
    "datePublished",
    "pubdate",
    "published",
    "waktu",
];
const AUTHOR: &[&str] = &[
    "authors", "author", "penulis", "byline", "reporter", "wartawan",
];
const EDITOR: &[&str] = &["editor", "editors", "penyunting"];
const BODY: &[&str] = &[
    "content",
    "body",
    "isi",
    "text",
    "articleBody",
    "konten",
    "teks",
];
const URL: &[&str] = &["url", "link", "canonical_url", "tautan"];
const SOURCE: &[&str] = &["source", "sumber", "media", "publisher", "site"];
const CAPTIONS: &[&str] = &["captions", "caption", "keterangan_foto"];

pub(crate) fn extract(
    text: &str,
    path: &str,
    options: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let mut problems = Vec::new();
    // (id, where the record is, the record)
    let records: Vec<(String, String, Value)> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .into_iter()
            .enumerate()
            .map(|(at, item)| {
                (
                    format!("{path}#{}", at + 1),
                    format!("record {}", at + 1),
                    item,
                )
            })
            .collect(),
        Ok(value) => vec![(path.to_string(), "record".to_string(), value)],
        Err(whole_error) => {
            // JSON Lines: every non-empty line is its own record.
            let mut records = Vec::new();
            let mut lines = 0;
            for (at, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                lines += 1;
                match serde_json::from_str::<Value>(line) {
                    Ok(value) => records.push((
                        format!("{path}#{}", at + 1),
                        format!("line {}", at + 1),
                        value,
                    )),
                    Err(error) => problems.push(format!("line {}: invalid JSON: {error}", at + 1)),
                }
            }
            if records.is_empty() {
                // Not JSON Lines either: report the whole-document error, which is the telling one
                // for a single broken object, unless there were several lines all broken.
                let reason = match problems.first() {
                    Some(first) if lines > 1 => format!("{whole_error}; {first}"),
                    _ => whole_error.to_string(),
                };
                return Err(ExtractError::Json(reason));
            }
            records
        }
    };
    let mut articles = Vec::new();
    for (id, place, value) in records {
        let Some(object) = value.as_object() else {
            problems.push(format!("{place}: not a JSON object"));
            continue;
        };
        match record(object, &id, path, options) {
            Some(article) => articles.push(article),
            None => problems.push(format!(
                "{place}: no article text (none of the keys {} holds three words or more)",
                BODY.join(", ")
            )),
        }
    }
    if articles.is_empty() {
        return Err(ExtractError::NoArticle);
    }
    Ok(Extracted { articles, problems })
}

fn field<'a>(object: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|key| {
        object
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .map(|(_, value)| value)
            .filter(|value| !value.is_null())
    })
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(object) => object.get("name").map(strings).unwrap_or_default(),
        Value::Number(number) => vec![number.to_string()],
        _ => Vec::new(),
    }
}

fn record(
    object: &Map<String, Value>,
    id: &str,
    path: &str,
    options: &ExtractOptions,
) -> Option<Article> {
    let mut article = Article::new(path, Format::Json);
    article.id = id.to_string();
    let text = |keys: &[&str]| field(object, keys).map(|value| strings(value).join("\n\n"));
    article.title = text(TITLE)
        .map(|title| normalize_space(&title))
        .unwrap_or_default();
    article.body = text(BODY)?.trim().to_string();
    if article.body.at_most_words(2) {
        return None;
    }
    article.url = text(URL).filter(|url| url.starts_with("http"));
    article.source = text(SOURCE).or_else(|| article.url.as_deref().and_then(source_from_url));
    article.date = field(object, DATE).and_then(|value| match value {
        Value::Number(epoch) => epoch.as_i64().and_then(|epoch| {
            let seconds = if epoch > 100_000_000_000 {
                epoch / 1000
            } else {
                epoch
            };
            chrono::DateTime::from_timestamp(seconds, 0).map(|date| date.fixed_offset())
        }),
        other => strings(other)
            .first()
            .and_then(|text| parse_date(text, options.default_offset)),
    });
    article.authors = field(object, AUTHOR).map(strings).unwrap_or_default();
    article.editors = field(object, EDITOR).map(strings).unwrap_or_default();
    article.captions = field(object, CAPTIONS).map(strings).unwrap_or_default();
    article.dateline = article
        .body
        .split("\n\n")
        .next()
        .and_then(|first| super::dateline::parse(first, article.source.as_deref()))
        .map(|dateline| dateline.place);
    article.language = text(&["language", "lang", "bahasa"])
        .map(|lang| lang.trim().to_ascii_lowercase())
        .filter(|lang| lang.len() == 2)
        .or_else(|| guess_language(&article.body));
    if let Some(url) = &article.url {
        article.id = url.clone();
    }
    Some(article)
}
