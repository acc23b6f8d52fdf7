//! `newsidx extract PATH...`: what extraction makes of files, without touching the index.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use newsidx::extract::{extract_all, ExtractOptions};

use crate::flags::ExtractArgs;

pub fn run(args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let options = ExtractOptions {
        default_offset: args.timezone,
        max_file_size: args.max_file_size,
    };
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    for path in &args.paths {
        let bytes =
            match std::fs::read(path).with_context(|| format!("{}: cannot read", path.display())) {
                Ok(bytes) => bytes,
                Err(error) => {
                    writeln!(std::io::stderr(), "newsidx: {error:#}")?;
                    failed = true;
                    continue;
                }
            };
        let name = path.to_string_lossy();
        match extract_all(&bytes, &name, &options) {
            Ok(extracted) => {
                for problem in &extracted.problems {
                    writeln!(
                        std::io::stderr(),
                        "newsidx: {}: skipped {problem}",
                        path.display()
                    )?;
                }
                for article in &extracted.articles {
                    if args.json {
                        serde_json::to_writer(&mut out, article)?;
                        writeln!(out)?;
                    } else {
                        print_article(&mut out, article)?;
                    }
                }
            }
            Err(error) => {
                writeln!(
                    std::io::stderr(),
                    "newsidx: {}: skipped: {error}",
                    path.display()
                )?;
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_article(out: &mut impl Write, article: &newsidx::Article) -> std::io::Result<()> {
    writeln!(out, "id:        {}", article.id)?;
    writeln!(out, "path:      {}", article.path)?;
    writeln!(out, "format:    {:?}", article.format)?;
    writeln!(out, "title:     {}", article.title)?;
    let date = article
        .date
        .map(|date| date.to_rfc3339())
        .unwrap_or_else(|| "-".to_string());
    let inferred = if article.date_inferred {
        " (inferred)"
    } else {
        ""
    };
    writeln!(out, "date:      {date}{inferred}")?;
    writeln!(out, "authors:   {}", article.authors.join(", "))?;
    writeln!(out, "editors:   {}", article.editors.join(", "))?;
    writeln!(
        out,
        "source:    {}",
        article.source.as_deref().unwrap_or("-")
    )?;
    writeln!(out, "url:       {}", article.url.as_deref().unwrap_or("-"))?;
    writeln!(
        out,
        "dateline:  {}",
        article.dateline.as_deref().unwrap_or("-")
    )?;
    writeln!(
        out,
        "language:  {}",
        article.language.as_deref().unwrap_or("-")
    )?;
    for caption in &article.captions {
        writeln!(out, "caption:   {caption}")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", article.body)?;
    writeln!(out)?;
    Ok(())
}
