//! The tantivy index: its schema, opening it with our analyzers, and articles in and out of it.
//!
//! This module owns everything on disk under the index folder: the live generation named by
//! `CURRENT` (see [`layout`]), the ingest lock, and the manifest of what each file contributed.

pub mod columns;
pub mod health;
pub mod layout;
pub mod lock;
pub mod manifest;
pub mod reads;
pub mod schema;
pub mod sketch;
pub mod stats;
pub mod stored;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, TantivyDocument};

use crate::analysis;
use crate::article::{Article, Format};
use crate::error::{Error, Result};
pub use schema::Fields;
pub use stored::{IndexStats, StoredArticle};

/// What an index is opened for, which decides how its files are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Mapped: searches read few, scattered pages again and again.
    Search,
    /// Read through the page cache ([`reads::ReadDirectory`]), so that merges do not keep
    /// whole segments resident in the process.
    Ingest,
}

/// An open newsidx index.
pub struct NewsIndex {
    pub index: Index,
    pub fields: Fields,
    /// The index folder as the user named it.
    pub path: PathBuf,
    /// The generation folder holding the tantivy files (see [`layout`]).
    pub dir: PathBuf,
    /// Made on first use and kept: a reader per search would open every segment again and
    /// drop the document store's cache of decompressed blocks each time.
    reader: once_cell::sync::OnceCell<IndexReader>,
    columns: columns::ColumnCache,
    /// How the index was built differently from how this newsidx analyses queries (an older
    /// schema or analyzer), until the next ingest rebuilds it.
    pub outdated: Option<String>,
}

impl NewsIndex {
    /// Opens the live index under `path`; a missing one is [`Error::NoIndex`].
    pub fn open(path: &Path) -> Result<NewsIndex> {
        // A rebuild may swap generations between reading `CURRENT` and opening the folder it
        // named; reading the pointer again then finds the new one.
        let mut attempts = 0;
        loop {
            let pointer = std::fs::read(path.join(layout::CURRENT)).ok();
            let opened = layout::live(path).and_then(|dir| match dir {
                Some(dir) => Self::open_dir(path, &dir, Access::Search),
                None => Err(Error::NoIndex {
                    path: path.to_path_buf(),
                }),
            });
            match opened {
                Ok(news) => return Ok(news),
                Err(error) => {
                    attempts += 1;
                    let moved = std::fs::read(path.join(layout::CURRENT)).ok() != pointer;
                    if !moved || attempts >= 3 {
                        return Err(error);
                    }
                }
            }
        }
    }

    /// Opens the tantivy index in generation folder `dir` of the index at `path`.
    pub fn open_dir(path: &Path, dir: &Path, access: Access) -> Result<NewsIndex> {
        if !dir.join("meta.json").exists() {
            return Err(Error::NoIndex {
                path: path.to_path_buf(),
            });
        }
        let error = |source| Error::Index {
            path: path.to_path_buf(),
            source,
        };
        let index = health::guard(path, || {
            match access {
                Access::Search => reads::SearchDirectory::open(dir).and_then(Index::open),
                Access::Ingest => reads::ReadDirectory::open(dir).and_then(Index::open),
            }
            .map_err(error)
        })?;
        if let Some(missing) = health::first_missing(&index, dir).map_err(error)? {
            return Err(Error::Damaged {
                path: path.to_path_buf(),
                detail: format!("its file {} is missing", dir.join(missing).display()),
            });
        }
        Self::wrap(index, path, dir)
    }

    /// Creates an empty index with the current schema in generation folder `dir`.
    pub fn create_dir(path: &Path, dir: &Path, access: Access) -> Result<NewsIndex> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, _) = schema::build();
        let index = match access {
            Access::Search => reads::mapped(dir),
            Access::Ingest => reads::ReadDirectory::open(dir).map(Box::from),
        }
        .and_then(|directory| Index::create(directory, schema, schema::settings()))
        .map_err(|source| Error::write(path, &source))?;
        Self::wrap(index, path, dir)
    }

    /// Opens the live index under `path`, creating an empty one when there is none.
    pub fn open_or_create(path: &Path) -> Result<NewsIndex> {
        if layout::live(path)?.is_some() {
            return Self::open(path);
        }
        let dir = layout::new_generation(path)?;
        let news = Self::create_dir(path, &dir, Access::Search)?;
        layout::publish(path, &dir)?;
        Ok(news)
    }

    fn wrap(index: Index, path: &Path, dir: &Path) -> Result<NewsIndex> {
        analysis::register(&index);
        index.tokenizers().register(
            schema::KEYWORD_TOKENIZER,
            TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .build(),
        );
        let (_, fields) = schema::build();
        // Resolve handles by name so an index written by an older schema fails clearly here.
        let live = index.schema();
        for name in [
            schema::field::ID,
            schema::field::PATH,
            schema::field::TITLE,
            schema::field::BODY,
            schema::field::DATE,
            schema::field::DATE_TEXT,
            schema::field::CAPTIONS,
            schema::field::SOURCE,
            schema::field::FINGERPRINT,
        ] {
            if live.get_field(name).is_err() {
                return Err(Error::Index {
                    path: path.to_path_buf(),
                    source: tantivy::TantivyError::SchemaError(format!("missing field {name}")),
                });
            }
        }
        let outdated = manifest::read_payload(&index)
            .ok()
            .flatten()
            .and_then(|payload| payload.outdated());
        Ok(NewsIndex {
            outdated,
            index,
            fields,
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            reader: once_cell::sync::OnceCell::new(),
            columns: columns::ColumnCache::default(),
        })
    }

    /// The index's reader, shared by every search through this handle; it follows commits.
    pub fn reader(&self) -> Result<&IndexReader> {
        self.reader
            .get_or_try_init(|| self.index.reader())
            .map_err(|source| self.error(source))
    }

    /// The columns a search reads of each segment of `searcher`, in its segment order.
    pub fn columns(&self, searcher: &tantivy::Searcher) -> Vec<Arc<columns::SegmentColumns>> {
        self.columns.for_searcher(searcher, &self.fields)
    }

    /// Wraps a tantivy error with this index's path.
    pub fn error(&self, source: tantivy::TantivyError) -> Error {
        Error::Index {
            path: self.path.clone(),
            source,
        }
    }

    /// The tantivy document for `article`.
    pub fn to_document(&self, article: &Article) -> TantivyDocument {
        let fields = &self.fields;
        let mut document = TantivyDocument::default();
        document.add_text(fields.id, &article.id);
        document.add_text(fields.path, &article.path);
        if let Some(url) = &article.url {
            // Ingest finds the articles of a URL by their id.
            debug_assert_eq!(&article.id, url, "an article with a URL has it as its id");
            document.add_text(fields.url, url);
        }
        if let Some(source) = &article.source {
            document.add_text(fields.source, source);
        }
        document.add_text(fields.title, &article.title);
        let byline = article.byline();
        if !byline.is_empty() {
            document.add_text(fields.byline, &byline);
        }
        if let Some(date) = &article.date {
            document.add_date(
                fields.date,
                tantivy::DateTime::from_timestamp_secs(date.timestamp()),
            );
            document.add_text(fields.date_text, date.to_rfc3339());
            document.add_bool(fields.date_inferred, article.date_inferred);
        }
        document.add_text(fields.body, &article.body);
        for caption in &article.captions {
            document.add_text(fields.captions, caption);
        }
        if let Some(dateline) = &article.dateline {
            document.add_text(fields.dateline, dateline);
        }
        if let Some(language) = &article.language {
            document.add_text(fields.language, language);
        }
        let format = match article.format {
            Format::Html => "html",
            Format::Text => "text",
            Format::Json => "json",
        };
        document.add_text(fields.format, format);
        // --- Search: the near-duplicate fingerprint. ---
        for hash in sketch::fingerprint(&article.body) {
            document.add_u64(fields.fingerprint, sketch::to_column(hash));
        }
        if let Some(source) = &article.source {
            document.add_u64(fields.site, sketch::site(source));
        }
        // --- Facets and trends.
        if let Some(outlet) =
            crate::outlet::identify(article.source.as_deref(), article.url.as_deref())
        {
            document.add_text(fields.outlet, &outlet.key);
            document.add_text(fields.outlet_name, &outlet.name);
            if let Some(host) = &outlet.host {
                document.add_text(fields.host, host);
            }
        }
        if let Some(date) = &article.date {
            document.add_i64(fields.local_day, crate::period::local_day(date));
            document.add_i64(fields.local_month, crate::period::local_month(date));
        }
        document
    }
}

/// Bytes the index folder takes on disk.
pub fn size_on_disk(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.metadata().ok())
        .filter(|metadata| metadata.is_file())
        .map(|metadata| metadata.len())
        .sum()
}
