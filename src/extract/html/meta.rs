//! What a page says of itself in its head: JSON-LD's article object, the URL (canonical link,
//! `og:url`, JSON-LD), the outlet's name and the declared language.

use serde_json::Value;

use super::walk::Page;
use crate::extract::{guess_language, normalize_space, source_from_url};

/// The page's JSON-LD article object, when it has one.
#[derive(Clone, Copy)]
pub(super) struct LinkedData<'a>(pub(super) Option<&'a Value>);

impl<'a> LinkedData<'a> {
    pub(super) fn value(self) -> Option<&'a Value> {
        self.0
    }

    /// The text of `key`, white space collapsed, when not empty.
    pub(super) fn text(self, key: &str) -> Option<String> {
        self.0
            .and_then(|ld| ld.get(key))
            .and_then(Value::as_str)
            .map(normalize_space)
            .filter(|text| !text.is_empty())
    }
}

/// The article's URL: the canonical link, `og:url` or JSON-LD's, when it is a web address.
pub(super) fn url(page: &Page, ld: LinkedData) -> Option<String> {
    page.canonical
        .clone()
        .or_else(|| page.meta(&["og:url"]))
        .or_else(|| ld.text("url"))
        .filter(|url| url.starts_with("http"))
}

/// The outlet: JSON-LD's publisher, the site name when it is a name, else the URL's host.
pub(super) fn source(page: &Page, ld: LinkedData, url: Option<&str>) -> Option<String> {
    ld.value()
        .and_then(|ld| ld.get("publisher"))
        .and_then(|publisher| publisher.get("name"))
        .and_then(Value::as_str)
        .map(normalize_space)
        .filter(|name| !name.is_empty())
        // A site name that is only a section word ("nasional") says less than the host.
        .or_else(|| {
            page.meta(&["og:site_name", "application-name"])
                .filter(|name| name.chars().any(|c| c.is_uppercase() || c == '.'))
        })
        .or_else(|| url.and_then(source_from_url))
}

/// The language: the one the page declares, unless it declares "en" or "id" and the text
/// says which of the two it is; the text's guess when it declares none.
pub(super) fn language(page: &Page, body: &str) -> Option<String> {
    let declared = page
        .lang
        .clone()
        .or_else(|| page.meta(&["content-language", "language", "og:locale"]))
        .map(|lang| {
            lang.split(['-', '_'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        })
        .filter(|lang| lang.len() == 2)
        // "in" is the withdrawn ISO 639 code for Indonesian, still common in old pages.
        .map(|lang| if lang == "in" { "id".to_string() } else { lang });
    // Templates often declare "en" over Indonesian text: the text decides between the two.
    let guessed = guess_language(body);
    match (declared, guessed) {
        (Some(declared), Some(guessed)) if declared == "en" || declared == "id" => Some(guessed),
        (declared, guessed) => declared.or(guessed),
    }
}

/// The JSON-LD object of type NewsArticle/Article (also inside `@graph` or arrays).
pub(super) fn find_article(value: &Value) -> Option<&Value> {
    match value {
        Value::Array(items) => items.iter().find_map(find_article),
        Value::Object(object) => {
            let is_article = match object.get("@type") {
                Some(Value::String(kind)) => kind.ends_with("Article") || kind == "BlogPosting",
                Some(Value::Array(kinds)) => kinds.iter().any(|kind| {
                    kind.as_str()
                        .is_some_and(|kind| kind.ends_with("Article") || kind == "BlogPosting")
                }),
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
