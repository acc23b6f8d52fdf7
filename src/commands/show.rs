//! `newsidx show ID`: one stored article in full.

use std::io::Write;
use std::process::ExitCode;

use newsidx::index::NewsIndex;

use super::ArticleLines;
use crate::flags::{Cli, ShowArgs};

pub fn run(cli: &Cli, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let news = NewsIndex::open(&cli.index)?;
    let Some(article) = news.get(&args.id)? else {
        writeln!(
            std::io::stderr(),
            "newsidx: no article with id {:?} in {}; ids are shown by `newsidx search --json`",
            args.id,
            cli.index.display()
        )?;
        return Ok(ExitCode::from(1));
    };
    if args.json {
        super::print_json(&article)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    let mut lines = ArticleLines::new(&mut out);
    lines.field("id", &article.id)?;
    lines.field("path", &article.path)?;
    lines.field("title", &article.title)?;
    lines.date(article.date, article.date_inferred)?;
    lines.optional("byline", article.byline.as_deref())?;
    lines.optional("source", article.source.as_deref())?;
    lines.optional("url", article.url.as_deref())?;
    lines.optional("dateline", article.dateline.as_deref())?;
    lines.text(&article.captions, &article.body)?;
    Ok(ExitCode::SUCCESS)
}
