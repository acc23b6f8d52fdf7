//! The one normalised record every extractor produces and every later stage consumes.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// The format a file was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Text,
    Json,
}

/// One news article, normalised from whatever file it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Article {
    /// Stable identity: the canonical URL when the page has one, else the path relative to the
    /// corpus root (with `#N` for the Nth record of a JSON Lines file). Ingest finds the
    /// articles of a URL by this id, so every extractor that sets `url` sets it here too.
    pub id: String,
    /// Path relative to the corpus root, with `/` separators.
    pub path: String,
    pub format: Format,
    pub url: Option<String>,
    /// The outlet, e.g. "Beritabaru.co" or "kompas.com".
    pub source: Option<String>,
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    /// True when the date was worked out from partial evidence (a year from the URL, a default zone).
    pub date_inferred: bool,
    pub authors: Vec<String>,
    pub editors: Vec<String>,
    /// Paragraphs separated by a blank line.
    pub body: String,
    /// Image captions, each once.
    pub captions: Vec<String>,
    /// The place the story was filed from ("Washington", "Jakarta").
    pub dateline: Option<String>,
    /// ISO 639-1 code when known.
    pub language: Option<String>,
}

impl Article {
    /// An empty article for `path`, to be filled in by an extractor.
    pub fn new(path: &str, format: Format) -> Article {
        Article {
            id: path.to_string(),
            path: path.to_string(),
            format,
            url: None,
            source: None,
            title: String::new(),
            date: None,
            date_inferred: false,
            authors: Vec::new(),
            editors: Vec::new(),
            body: String::new(),
            captions: Vec::new(),
            dateline: None,
            language: None,
        }
    }

    /// Authors, then editors marked as such: the text indexed and shown as the byline.
    pub fn byline(&self) -> String {
        let mut parts = self.authors.clone();
        parts.extend(
            self.editors
                .iter()
                .map(|editor| format!("Editor: {editor}")),
        );
        parts.join(", ")
    }
}
