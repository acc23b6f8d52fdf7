//! `newsidx stats`: what the index holds.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use newsidx::index::{size_on_disk, NewsIndex};
use serde::Serialize;

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
    let held = news.stats()?;
    let stats = Stats {
        index: cli.index.display().to_string(),
        documents: held.documents,
        sources: held.sources,
        earliest: held.earliest.map(|date| date.to_rfc3339()),
        latest: held.latest.map(|date| date.to_rfc3339()),
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
