//! The article's writers and editors: JSON-LD and meta tags first, then the names a byline
//! on the page gives near the headline and body ("Penulis: Ani", a label alone with the name
//! in the next block, a byline element), an editor named as the JSON-LD author corrected by
//! the writer the page shows.

use once_cell::sync::Lazy;
use regex::Regex;
use serde_json::Value;

use super::walk::Page;
use crate::extract::{byline_names, lone_label, normalize_space, squeeze, Words};

/// A name as a byline gives it: capitalised words.
static BYLINE_NAME_START: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,4}$").expect("valid regex")
});
/// Blocks before the headline or after the body's last paragraph where a byline is still the
/// article's: the credit lines, date and share bar between them. Names further away belong to
/// other stories (lists of popular articles, comments).
const BYLINE_REACH: usize = 15;

/// Longest block, in characters, read for a byline: a credit line, not a paragraph that
/// mentions a writer.
const BYLINE_LINE_CHARS: usize = 160;

/// Most words of a name alone in a block (after a lone label, or in a byline element).
const NAME_WORDS: usize = 5;

/// Most words of a person's name; longer is a sentence or an organisation's line.
const PERSON_WORDS: usize = 6;

/// Whether `name` reads as a person's: short, not a link or a site, not the newsroom or the
/// outlet itself (`source`, compared without case and punctuation).
fn is_person(name: &str, source: Option<&str>) -> bool {
    let lower = name.to_lowercase();
    !name.is_empty()
        && name.at_most_words(PERSON_WORDS)
        && !lower.starts_with("http")
        && !lower.contains(".com")
        && !lower.contains("developer")
        && !lower.contains("redaksi")
        && source.is_none_or(|source| {
            let source = squeeze(source.split('.').next().unwrap_or(source));
            squeeze(name) != source && !squeeze(name).starts_with(&source)
        })
}

/// Authors and editors: JSON-LD and meta tags first, then names on the page near the article
/// (`article_blocks`, the headline to the last body paragraph): labelled ("Penulis: Ani"), a
/// label alone with the name in the next block, or in a byline element.
pub(super) fn byline(
    page: &Page,
    ld: Option<&Value>,
    source: Option<&str>,
    article_blocks: Option<std::ops::Range<usize>>,
) -> (Vec<String>, Vec<String>) {
    let is_person = |name: &str| is_person(name, source);
    let mut authors = metadata_authors(page, ld, &is_person);
    let (editors, visible) = page_names(page, article_blocks, &is_person);
    // Some sites file the editor as the JSON-LD author; the byline on the page then names the
    // writer. A visible name that extends an author's ("Andhika" / "Andhika Prasetyo") is the
    // same person, not a correction.
    let all_editors = !authors.is_empty() && authors.iter().all(|name| editors.contains(name));
    let other_writer = visible
        .iter()
        .filter(|name| !editors.contains(name))
        .find(|name| {
            !authors.iter().any(|author| {
                name.starts_with(author.as_str()) || author.starts_with(name.as_str())
            })
        });
    if all_editors {
        if let Some(writer) = other_writer {
            authors = vec![writer.clone()];
        }
    }
    if authors.is_empty() {
        authors = visible
            .into_iter()
            .filter(|name| !editors.contains(name))
            .collect();
    }
    (authors, editors)
}

/// The authors JSON-LD names, else the author meta tags.
fn metadata_authors(
    page: &Page,
    ld: Option<&Value>,
    is_person: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let authors: Vec<String> = ld
        .and_then(|ld| ld.get("author"))
        .map(names)
        .unwrap_or_default()
        .into_iter()
        .filter(|name| is_person(name))
        .collect();
    if !authors.is_empty() {
        return authors;
    }
    page.meta(&[
        "author",
        "article:author",
        "dc.creator",
        "byl",
        "parsely-author",
    ])
    .map(|names| {
        names
            .trim_start_matches("By ")
            .split([',', ';'])
            .map(normalize_space)
            .filter(|name| is_person(name))
            .collect()
    })
    .unwrap_or_default()
}

/// The editors and the other names the page shows near the article (`article_blocks`):
/// labelled, after a label alone, or alone in a byline element.
fn page_names(
    page: &Page,
    article_blocks: Option<std::ops::Range<usize>>,
    is_person: &dyn Fn(&str) -> bool,
) -> (Vec<String>, Vec<String>) {
    let near = |at: usize| {
        article_blocks
            .as_ref()
            .is_none_or(|span| at + BYLINE_REACH >= span.start && at < span.end + BYLINE_REACH)
    };
    let mut editors: Vec<String> = Vec::new();
    let mut visible: Vec<String> = Vec::new();
    for (at, block) in page.blocks.iter().enumerate() {
        if block.chars > BYLINE_LINE_CHARS || !near(at) {
            continue;
        }
        let owner = &page.elements[block.owner];
        if owner.excluded {
            continue;
        }
        let mut labelled = false;
        let mut found = byline_names(&block.text);
        if let (Some(editor), Some(next)) = (lone_label(&block.text), page.blocks.get(at + 1)) {
            // "Penulis" then "Editor": no name between two labels.
            if next.text.at_most_words(NAME_WORDS)
                && lone_label(&next.text).is_none()
                && BYLINE_NAME_START.is_match(&next.text)
            {
                found.push((editor, next.text.clone()));
            }
        }
        for (editor, name) in found {
            labelled = true;
            if !is_person(&name) {
                continue;
            }
            let list = if editor { &mut editors } else { &mut visible };
            if !list.contains(&name) {
                list.push(name);
            }
        }
        if !labelled
            && owner.byline
            && block.text.at_most_words(NAME_WORDS)
            && is_person(&block.text)
            && !visible.contains(&block.text)
        {
            visible.push(block.text.clone());
        }
    }
    (editors, visible)
}

/// The names a JSON-LD `author` gives: a string of names, a list, or objects with a `name`.
fn names(value: &Value) -> Vec<String> {
    match value {
        Value::String(name) => name.split([',', ';']).map(normalize_space).collect(),
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
