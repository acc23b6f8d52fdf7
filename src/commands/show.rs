//! `newsidx show ID`: one stored article in full.

use std::io::Write;
use std::process::ExitCode;

use newsidx::index::NewsIndex;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::flags::{Cli, ShowArgs};

pub fn run(cli: &Cli, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let news = NewsIndex::open(&cli.index)?;
    let searcher = news.reader()?.searcher();
    let query = TermQuery::new(
        Term::from_field_text(news.fields.id, &args.id),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(|source| news.error(source))?;
    let Some((_, address)) = top.first() else {
        writeln!(
            std::io::stderr(),
            "newsidx: no article with id {:?} in {}; ids are shown by `newsidx search --json`",
            args.id,
            cli.index.display()
        )?;
        return Ok(ExitCode::from(1));
    };
    let document: TantivyDocument = searcher
        .doc(*address)
        .map_err(|source| news.error(source))?;
    let article = news.to_stored(&document);
    if args.json {
        super::print_json(&article)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "id:        {}", article.id)?;
    writeln!(out, "path:      {}", article.path)?;
    writeln!(out, "title:     {}", article.title)?;
    let date = article
        .date
        .map(|date| date.to_rfc3339())
        .unwrap_or_else(|| "-".to_string());
    writeln!(
        out,
        "date:      {date}{}",
        if article.date_inferred {
            " (inferred)"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "byline:    {}",
        article.byline.as_deref().unwrap_or("-")
    )?;
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
    for caption in &article.captions {
        writeln!(out, "caption:   {caption}")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", article.body)?;
    Ok(ExitCode::SUCCESS)
}
