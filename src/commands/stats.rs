//! `newsidx stats`: what the index holds.

use std::io::Write;
use std::process::ExitCode;

use newsidx::index::{stats, NewsIndex};

use crate::flags::{Cli, StatsArgs};

pub fn run(cli: &Cli, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let news = NewsIndex::open(&cli.index)?;
    let searcher = news.reader()?.searcher();
    let stats = stats::collect(&news, &searcher)?;
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
