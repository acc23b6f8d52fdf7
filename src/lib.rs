//! newsidx: full-text search for Indonesian news archives.
//!
//! Data flows one way:
//! `walk -> extract (file -> Article) -> analysis (Indonesian terms) -> index (tantivy)`, and
//! `query -> search (parse, rank, filter) -> snippets -> render`.

pub mod analysis;
pub mod article;
pub mod error;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod outlet;
pub mod period;
pub mod search;
pub mod serve;
pub mod walk;

pub use article::Article;
pub use error::{Error, Result};
