//! `newsidx stats`: what the index holds.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use newsidx::index::columns::source_names;
use newsidx::index::{size_on_disk, NewsIndex};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use crate::flags::{Cli, StatsArgs};

#[derive(Serialize)]
struct Stats {
    index: String,
    documents: usize,
    sources: BTreeMap<String, usize>,
    earliest: Option<String>,
    latest: Option<String>,
    size_bytes: u64,
}

pub fn run(cli: &Cli, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let news = NewsIndex::open(&cli.index)?;
    let searcher = news.reader()?.searcher();
    let documents = searcher.num_docs() as usize;

    // Sources: every distinct term of the source field, counted over live documents.
    let mut sources = BTreeMap::new();
    let mut names = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        names.extend(source_names(segment, &news.fields).map_err(|source| news.error(source))?);
    }
    for name in names {
        let query = TermQuery::new(
            Term::from_field_text(news.fields.source, &name),
            IndexRecordOption::Basic,
        );
        let count = searcher
            .search(&query, &Count)
            .map_err(|source| news.error(source))?;
        if count > 0 {
            sources.insert(name, count);
        }
    }

    let date_at = |order: Order| -> anyhow::Result<Option<String>> {
        let collector =
            TopDocs::with_limit(1).order_by_fast_field::<tantivy::DateTime>("date", order);
        let top: Vec<(Option<tantivy::DateTime>, DocAddress)> = searcher
            .search(&AllQuery, &collector)
            .map_err(|source| news.error(source))?;
        let Some((Some(_), address)) = top.first() else {
            return Ok(None);
        };
        let document: TantivyDocument = searcher
            .doc(*address)
            .map_err(|source| news.error(source))?;
        Ok(news.to_stored(&document).date.map(|date| date.to_rfc3339()))
    };
    let stats = Stats {
        index: cli.index.display().to_string(),
        documents,
        sources,
        earliest: date_at(Order::Asc)?,
        latest: date_at(Order::Desc)?,
        size_bytes: size_on_disk(&cli.index),
    };
    if args.json {
        super::print_json(&stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "index:     {}", stats.index)?;
    writeln!(out, "documents: {}", stats.documents)?;
    writeln!(
        out,
        "earliest:  {}",
        stats.earliest.as_deref().unwrap_or("-")
    )?;
    writeln!(out, "latest:    {}", stats.latest.as_deref().unwrap_or("-"))?;
    writeln!(out, "size:      {:.1} MB", stats.size_bytes as f64 / 1e6)?;
    writeln!(out, "sources:")?;
    for (source, count) in &stats.sources {
        writeln!(out, "  {count:>8}  {source}")?;
    }
    Ok(ExitCode::SUCCESS)
}
