//! Extraction: file bytes and a path in, normalised [`Article`]s or a typed error out.
//!
//! Pure: no I/O happens here, so every format is tested with fixtures and fuzzed without a disk.
//!
//! ```
//! use newsidx::extract::{extract, ExtractOptions};
//! let text = "Judul Berita\n\nJAKARTA - Isi berita yang cukup panjang untuk dianggap artikel.";
//! let articles = extract(text.as_bytes(), "a.txt", &ExtractOptions::default()).unwrap();
//! assert_eq!(articles[0].title, "Judul Berita");
//! ```

mod bounds;
mod byline_label;
pub mod date;
mod dateline;
mod decode;
mod furniture;
mod html;
mod json;
mod language;
mod source;
mod space;
mod text;

use chrono::FixedOffset;

use crate::article::Article;

pub(crate) use self::byline_label::{byline_names, is_byline_line, lone_label};
pub(crate) use self::language::guess_language;
pub(crate) use self::source::source_from_url;
pub(crate) use self::space::{
    non_space_chars, normalize_space, normalize_space_counted, squeeze, Words,
};

/// Why a file produced no article.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("empty file")]
    Empty,
    #[error("file too large ({size} bytes, limit {limit}); raise --max-file-size to index it")]
    TooLarge { size: u64, limit: u64 },
    #[error("binary file ({0}), not an article")]
    Binary(&'static str),
    #[error("page has too many elements ({count}, limit {limit}), not an article")]
    TooManyElements { count: usize, limit: usize },
    #[error("no article text found")]
    NoArticle,
    #[error("invalid JSON: {0}")]
    Json(String),
}

/// Settings that change how files are read.
#[derive(Clone, Debug)]
pub struct ExtractOptions {
    /// Zone for local times that state none (WIB, +07:00, by default).
    pub default_offset: FixedOffset,
    /// Files larger than this are skipped.
    pub max_file_size: u64,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            default_offset: FixedOffset::east_opt(7 * 3600).expect("valid offset"),
            max_file_size: 20 * 1024 * 1024,
        }
    }
}

/// Turns one file's bytes into its articles. `path` is relative to the corpus root and becomes
/// the article's `path` (and its `id` when the file has no canonical URL).
pub fn extract(
    bytes: &[u8],
    path: &str,
    options: &ExtractOptions,
) -> Result<Vec<Article>, ExtractError> {
    extract_all(bytes, path, options).map(|extracted| extracted.articles)
}

/// A file's articles, and the records inside it that gave none (JSON Lines lines that are not
/// JSON, records without article text), each with its reason.
#[derive(Debug, Default)]
pub struct Extracted {
    pub articles: Vec<Article>,
    /// "line 3: invalid JSON: ...", one per record that was left out.
    pub problems: Vec<String>,
}

/// Like [`extract`], but also says which records of a multi-record file were left out and why,
/// so that ingest can report them instead of dropping them silently.
pub fn extract_all(
    bytes: &[u8],
    path: &str,
    options: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    if bytes.len() as u64 > options.max_file_size {
        return Err(ExtractError::TooLarge {
            size: bytes.len() as u64,
            limit: options.max_file_size,
        });
    }
    if let Some(kind) = decode::binary_kind(bytes) {
        return Err(ExtractError::Binary(kind));
    }
    let text = decode::decode(bytes);
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let single = |article| Extracted {
        articles: vec![article],
        problems: Vec::new(),
    };
    Ok(match sniff(path, &text) {
        Sniffed::Html => single(html::extract(&text, path, options)?),
        Sniffed::Json => json::extract(&text, path, options)?,
        Sniffed::Text => single(text::extract(&text, path, options)?),
    })
}

enum Sniffed {
    Html,
    Json,
    Text,
}

fn sniff(path: &str, text: &str) -> Sniffed {
    let lower_path = path.to_ascii_lowercase();
    let start = text.trim_start();
    if lower_path.ends_with(".json")
        || lower_path.ends_with(".jsonl")
        || lower_path.ends_with(".ndjson")
    {
        return Sniffed::Json;
    }
    if lower_path.ends_with(".html")
        || lower_path.ends_with(".htm")
        || lower_path.ends_with(".xhtml")
    {
        return Sniffed::Html;
    }
    let head: String = start
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<head")
        || head.contains("<body")
    {
        return Sniffed::Html;
    }
    if start.starts_with('{') || start.starts_with('[') {
        return Sniffed::Json;
    }
    Sniffed::Text
}
