//! HTML pages: metadata from JSON-LD, OpenGraph and meta tags first, then the visible page.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use super::date::{date_from_url, parse_date};
use super::{normalize_space, source_from_url, ExtractError, ExtractOptions};
use crate::article::{Article, Format};

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

pub(crate) fn extract(
    text: &str,
    path: &str,
    options: &ExtractOptions,
) -> Result<Article, ExtractError> {
    let document = Html::parse_document(text);
    let mut article = Article::new(path, Format::Html);
    let ld = json_ld_article(&document);
    let meta = |names: &[&str]| -> Option<String> {
        names.iter().find_map(|name| {
            let css = format!(
                "meta[property=\"{name}\"], meta[name=\"{name}\"], meta[itemprop=\"{name}\"]"
            );
            document
                .select(&selector(&css))
                .find_map(|element| element.value().attr("content"))
                .map(normalize_space)
                .filter(|content| !content.is_empty())
        })
    };

    // Title.
    let ld_str = |key: &str| {
        ld.as_ref()
            .and_then(|ld| ld.get(key))
            .and_then(Value::as_str)
            .map(normalize_space)
    };
    article.title = ld_str("headline")
        .or_else(|| meta(&["og:title", "twitter:title", "title"]))
        .or_else(|| first_text(&document, "h1"))
        .or_else(|| first_text(&document, "title"))
        .unwrap_or_default();

    // URL and source.
    article.url = ld_str("url")
        .or_else(|| {
            document
                .select(&selector("link[rel=canonical]"))
                .find_map(|element| element.value().attr("href"))
                .map(str::to_string)
        })
        .or_else(|| meta(&["og:url"]))
        .filter(|url| url.starts_with("http"));
    article.source = ld
        .as_ref()
        .and_then(|ld| ld.get("publisher"))
        .and_then(|publisher| publisher.get("name"))
        .and_then(Value::as_str)
        .map(normalize_space)
        .or_else(|| meta(&["og:site_name"]))
        .or_else(|| article.url.as_deref().and_then(source_from_url));

    // Date.
    let date_text = ld_str("datePublished")
        .or_else(|| {
            meta(&[
                "article:published_time",
                "pubdate",
                "publishdate",
                "date",
                "dc.date",
                "datePublished",
            ])
        })
        .or_else(|| {
            document
                .select(&selector("time[datetime]"))
                .find_map(|element| element.value().attr("datetime"))
                .map(str::to_string)
        });
    article.date = date_text.and_then(|text| parse_date(&text, options.default_offset));
    if article.date.is_none() {
        if let Some(url) = &article.url {
            article.date = date_from_url(url, options.default_offset);
            article.date_inferred = article.date.is_some();
        }
    }

    // Byline.
    if let Some(author) = ld.as_ref().and_then(|ld| ld.get("author")) {
        article.authors = names(author);
    }
    if article.authors.is_empty() {
        if let Some(author) = meta(&["author", "article:author", "dc.creator"]) {
            if !author.starts_with("http") {
                article.authors = vec![author];
            }
        }
    }

    // Captions, then the body from the densest block of paragraphs.
    let mut captions = Vec::new();
    for element in document.select(&selector(
        "figcaption, .caption, .wp-caption-text, [class*=caption]",
    )) {
        let caption = normalize_space(&element.text().collect::<String>());
        if !caption.is_empty() && !captions.contains(&caption) {
            captions.push(caption);
        }
    }
    article.captions = captions;
    article.body = body_text(&document, &article.captions);
    article.language = document
        .select(&selector("html"))
        .next()
        .and_then(|html| html.value().attr("lang"))
        .map(|lang| lang.split('-').next().unwrap_or(lang).to_ascii_lowercase());

    if article.body.split_whitespace().count() < 20 {
        if let Some(description) = ld_str("articleBody") {
            article.body = description;
        }
    }
    if article.body.split_whitespace().count() < 5 {
        return Err(ExtractError::NoArticle);
    }
    if let Some(url) = &article.url {
        article.id = url.clone();
    }
    Ok(article)
}

fn first_text(document: &Html, css: &str) -> Option<String> {
    document
        .select(&selector(css))
        .map(|element| normalize_space(&element.text().collect::<String>()))
        .find(|text| !text.is_empty())
}

/// The JSON-LD object of type NewsArticle/Article (also inside `@graph` or arrays).
fn json_ld_article(document: &Html) -> Option<Value> {
    for script in document.select(&selector("script[type=\"application/ld+json\"]")) {
        let raw = script.text().collect::<String>();
        let Ok(value) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        if let Some(found) = find_article(&value) {
            return Some(found.clone());
        }
    }
    None
}

fn find_article(value: &Value) -> Option<&Value> {
    match value {
        Value::Array(items) => items.iter().find_map(find_article),
        Value::Object(object) => {
            let is_article = match object.get("@type") {
                Some(Value::String(kind)) => {
                    kind.ends_with("Article") || kind == "ReportageNewsArticle"
                }
                Some(Value::Array(kinds)) => kinds
                    .iter()
                    .any(|kind| kind.as_str().is_some_and(|kind| kind.ends_with("Article"))),
                _ => false,
            };
            if is_article {
                return Some(value);
            }
            object.get("@graph").and_then(find_article)
        }
        _ => None,
    }
}

fn names(value: &Value) -> Vec<String> {
    match value {
        Value::String(name) => vec![normalize_space(name)],
        Value::Array(items) => items.iter().flat_map(names).collect(),
        Value::Object(object) => object
            .get("name")
            .and_then(Value::as_str)
            .map(|name| vec![normalize_space(name)])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|name| !name.is_empty())
    .collect()
}

const BOILERPLATE: &[&str] = &[
    "baca juga",
    "simak juga",
    "lihat juga",
    "baca selengkapnya",
    "artikel terkait",
];

/// Paragraph text of the element holding the most paragraph words, without captions and link lists.
fn body_text(document: &Html, captions: &[String]) -> String {
    let paragraph = selector("p");
    let mut best: Option<(usize, ElementRef)> = None;
    let container = selector("article, [itemprop=articleBody], div, section, main");
    for element in document.select(&container) {
        let words: usize = element
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|child| child.value().name() == "p")
            .map(|child| {
                child
                    .text()
                    .map(|t| t.split_whitespace().count())
                    .sum::<usize>()
            })
            .sum();
        if best.map(|(count, _)| words > count).unwrap_or(words > 0) {
            best = Some((words, element));
        }
    }
    let Some((_, root)) = best else {
        return String::new();
    };
    root.select(&paragraph)
        .map(|p| normalize_space(&p.text().collect::<String>()))
        .filter(|text| {
            let lower = text.to_lowercase();
            !text.is_empty()
                && !captions.contains(text)
                && !BOILERPLATE.iter().any(|marker| lower.starts_with(marker))
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}
