//! The index schema: one document per article.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, FAST, STORED, STRING,
};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::IndexSettings;

use crate::analysis::ANALYZER_NAME;

/// Tokenizer for exact, case-insensitive keyword fields (source).
pub const KEYWORD_TOKENIZER: &str = "keyword";

/// Bumped whenever the schema changes, so older indexes are rebuilt.
pub const SCHEMA_VERSION: u32 = 9;

/// The name of every field, as the index stores it: what the code reads fields by.
pub mod field {
    pub const ID: &str = "id";
    pub const PATH: &str = "path";
    pub const URL: &str = "url";
    pub const SOURCE: &str = "source";
    pub const TITLE: &str = "title";
    pub const BYLINE: &str = "byline";
    pub const DATE: &str = "date";
    pub const DATE_TEXT: &str = "date_text";
    pub const DATE_INFERRED: &str = "date_inferred";
    pub const BODY: &str = "body";
    pub const CAPTIONS: &str = "captions";
    pub const DATELINE: &str = "dateline";
    pub const LANGUAGE: &str = "language";
    pub const FORMAT: &str = "format";
    pub const INGEST_FILE: &str = "ingest_file";
    pub const INGEST_SIZE: &str = "ingest_size";
    pub const INGEST_MTIME: &str = "ingest_mtime";
    pub const INGEST_HASH: &str = "ingest_hash";
    pub const FINGERPRINT: &str = "fingerprint";
    pub const SITE: &str = "site";
}

/// Handles to every field of the schema.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub path: Field,
    pub url: Field,
    pub source: Field,
    pub title: Field,
    pub byline: Field,
    pub date: Field,
    /// The date as written in RFC 3339 with its original offset (tantivy dates are UTC).
    pub date_text: Field,
    pub date_inferred: Field,
    pub body: Field,
    pub captions: Field,
    pub dateline: Field,
    pub language: Field,
    pub format: Field,
    // --- Ingest state (owned by `index::manifest`): which file each article came from and what
    // that file looked like, so the index and the record of what it holds commit together.
    /// The source file's key (folder name + path inside it, as bytes): indexed to delete by it.
    pub ingest_file: Field,
    /// The source file's size in bytes when it was read.
    pub ingest_size: Field,
    /// The source file's modification time (nanoseconds since the epoch) when it was read.
    pub ingest_mtime: Field,
    /// XXH3 of the source file's bytes.
    pub ingest_hash: Field,
    // --- end of ingest state
    // --- Search: the near-duplicate fingerprint. ---
    /// Bottom-k MinHash sketch of the body (`search::dedup`), each hash stored through
    /// `sketch::to_column`; none for a short body.
    pub fingerprint: Field,
    /// A hash of the lowercased source name: copies are only folded across sites.
    pub site: Field,
    // --- Facets and trends (`outlet`, `search::facets`, `search::trend`); last, so that the
    // fields above keep their numbers in an index written before them.
    /// The outlet's key (`outlet::Outlet::key`): what facets count and `--source` selects.
    pub outlet: Field,
    /// The outlet's readable name, shown for its key in facets.
    pub outlet_name: Field,
    /// The host of the article's URL (`finance.detik.com`): `--source` selects one desk by it.
    pub host: Field,
    /// The article's local date as published, in days since 1970-01-01 (`period::local_day`).
    pub local_day: Field,
    /// The article's local month as published: year × 12 + month − 1 (`period::local_month`).
    pub local_month: Field,
}

/// Builds the schema and the field handles.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analysed = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let keyword = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(KEYWORD_TOKENIZER)
            .set_index_option(IndexRecordOption::Basic),
    );
    // Date ranges and the newest date are read from the fast column; no terms needed.
    let date = DateOptions::default()
        .set_fast()
        .set_stored()
        .set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        // An article's id is its URL when it has one (see `Article::id`), so the articles of a
        // URL are found by their id: the URL needs no terms of its own.
        id: builder.add_text_field(field::ID, STRING | STORED),
        // Shown, never searched or sorted by.
        path: builder.add_text_field(field::PATH, STORED),
        url: builder.add_text_field(field::URL, STORED),
        source: builder.add_text_field(field::SOURCE, keyword),
        title: builder.add_text_field(field::TITLE, analysed.clone()),
        byline: builder.add_text_field(field::BYLINE, analysed.clone()),
        date: builder.add_date_field(field::DATE, date),
        date_text: builder.add_text_field(field::DATE_TEXT, STORED),
        date_inferred: builder.add_bool_field(field::DATE_INFERRED, STORED),
        body: builder.add_text_field(field::BODY, analysed.clone()),
        captions: builder.add_text_field(field::CAPTIONS, analysed),
        dateline: builder.add_text_field(field::DATELINE, STORED),
        language: builder.add_text_field(field::LANGUAGE, STORED),
        format: builder.add_text_field(field::FORMAT, STORED),
        // --- Ingest state
        ingest_file: builder.add_text_field(field::INGEST_FILE, STRING | FAST),
        ingest_size: builder.add_u64_field(field::INGEST_SIZE, FAST),
        ingest_mtime: builder.add_i64_field(field::INGEST_MTIME, FAST),
        ingest_hash: builder.add_u64_field(field::INGEST_HASH, FAST),
        // --- end of ingest state
        // --- Search: the near-duplicate fingerprint. ---
        fingerprint: builder.add_u64_field(field::FINGERPRINT, FAST),
        site: builder.add_u64_field(field::SITE, FAST),
        // --- Facets and trends.
        outlet: builder.add_text_field("outlet", STRING | FAST),
        outlet_name: builder.add_text_field("outlet_name", STORED | FAST),
        host: builder.add_text_field("host", STRING | FAST | STORED),
        local_day: builder.add_i64_field("local_day", FAST),
        local_month: builder.add_i64_field("local_month", FAST),
    };
    (builder.build(), fields)
}

/// zstd level of the document store, which holds every article's text. Level 9 compressed
/// article text only about 5% better than level 3 in 64 KB blocks, for about four times the CPU
/// at ingest.
const DOCSTORE_ZSTD_LEVEL: i32 = 3;

/// Bytes of stored documents compressed together: larger blocks compress better, while a hit
/// costs one block's decompression. At a million articles, 64 KB blocks made decompression
/// about a seventh of a search with snippets; 32 KB blocks halve that for a store about 5%
/// larger (see BENCHMARKS.md, "Index size").
const DOCSTORE_BLOCK_SIZE: usize = 32 * 1024;

/// Settings every new index is created with.
pub fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(DOCSTORE_ZSTD_LEVEL),
        }),
        docstore_blocksize: DOCSTORE_BLOCK_SIZE,
        ..IndexSettings::default()
    }
}
