//! `newsidx extract PATH...`: what extraction makes of files, without touching the index.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use newsidx::extract::{extract_all, ExtractOptions};

use super::ArticleLines;
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
    let mut lines = ArticleLines::new(out);
    lines.field("id", &article.id)?;
    lines.field("path", &article.path)?;
    lines.field("format", &format!("{:?}", article.format))?;
    lines.field("title", &article.title)?;
    lines.date(article.date, article.date_inferred)?;
    lines.field("authors", &article.authors.join(", "))?;
    lines.field("editors", &article.editors.join(", "))?;
    lines.optional("source", article.source.as_deref())?;
    lines.optional("url", article.url.as_deref())?;
    lines.optional("dateline", article.dateline.as_deref())?;
    lines.optional("language", article.language.as_deref())?;
    lines.text(&article.captions, &article.body)?;
    writeln!(out)
}
