//! `newsidx search QUERY`: ranked results with highlighted snippets, for people or for programs.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use newsidx::index::NewsIndex;
use newsidx::search::{search, SearchRequest, SearchResults, Snippet};

use crate::flags::{Cli, ColorChoice, SearchArgs};

pub fn run(cli: &Cli, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let news = NewsIndex::open(&cli.index)?;
    let request = SearchRequest {
        query: args.query.clone(),
        limit: args.limit,
        offset: args.offset,
    };
    let results = search(&news, &request)?;
    if args.json {
        super::print_json(&results)?;
    } else {
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        print_human(&results, color)?;
    }
    Ok(ExitCode::SUCCESS)
}

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

fn print_human(results: &SearchResults, color: bool) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} result{} for {:?} ({:.1} ms)",
        results.total,
        if results.total == 1 { "" } else { "s" },
        results.query,
        results.took_ms
    )?;
    for hit in &results.hits {
        writeln!(out)?;
        let title = if color {
            format!("{BOLD}{}{RESET}", hit.title)
        } else {
            hit.title.clone()
        };
        writeln!(out, "{}. {}", hit.rank, title)?;
        let mut meta = Vec::new();
        if let Some(date) = &hit.date {
            meta.push(date.clone());
        }
        if let Some(source) = &hit.source {
            meta.push(source.clone());
        }
        meta.push(hit.url.clone().unwrap_or_else(|| hit.path.clone()));
        writeln!(out, "   {}", meta.join(" | "))?;
        for snippet in &hit.snippets {
            writeln!(out, "   {}", highlight(snippet, color))?;
        }
    }
    Ok(())
}

/// The snippet text with its highlights in ANSI bold; plain text without colour.
fn highlight(snippet: &Snippet, color: bool) -> String {
    let (open, close) = if color { (BOLD, RESET) } else { ("", "") };
    let mut text = String::new();
    let mut at = 0;
    for [start, end] in &snippet.highlights {
        if *start < at || *end > snippet.text.len() {
            continue;
        }
        text.push_str(&snippet.text[at..*start]);
        text.push_str(open);
        text.push_str(&snippet.text[*start..*end]);
        text.push_str(close);
        at = *end;
    }
    text.push_str(&snippet.text[at..]);
    text.replace('\n', " ")
}
