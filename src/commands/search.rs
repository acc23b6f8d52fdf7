//! `newsidx search QUERY`: ranked results with highlighted snippets, for people or for programs.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use newsidx::index::NewsIndex;
use newsidx::search::facets::Facets;
use newsidx::search::rank::model::{Concept, ConceptKind, Explanation};
use newsidx::search::{facets, search, SearchRequest, SearchResults, Snippet, Sort};

use crate::flags::{Cli, ColorChoice, SearchArgs, SortChoice};

pub fn run(cli: &Cli, args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let news = NewsIndex::open(&cli.index)?;
    let request = SearchRequest {
        query: args.query.clone(),
        limit: args.limit,
        offset: args.offset,
        since: args.since,
        until: args.until,
        sources: args.sources.clone(),
        sort: match args.sort {
            SortChoice::Relevance => Sort::Relevance,
            SortChoice::Newest => Sort::Newest,
            SortChoice::Oldest => Sort::Oldest,
        },
        keep_duplicates: args.all_copies,
        explain: args.explain,
        ..SearchRequest::default()
    };
    let results = search(&news, &request)?;
    for note in &results.notes {
        // Notes explain a lenient reading; a closed stderr must not fail the search.
        let _ = writeln!(std::io::stderr(), "newsidx: note: {note}");
    }
    let facets = if args.facets {
        Some(facets(&news, &request)?)
    } else {
        None
    };
    if args.csv {
        print_csv(&results)?;
    } else if args.json {
        let mut value = serde_json::to_value(&results)?;
        if let (Some(facets), Some(object)) = (&facets, value.as_object_mut()) {
            object.insert("facets".to_string(), serde_json::to_value(facets)?);
        }
        // Serialise first, so a closed pipe surfaces as an I/O error (a quiet end).
        let mut line = match &facets {
            Some(_) => serde_json::to_vec(&value)?,
            None => results.to_json()?,
        };
        line.push(b'\n');
        std::io::stdout().lock().write_all(&line)?;
    } else {
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        print_human(&results, color)?;
        if let Some(facets) = &facets {
            print_facets(facets, results.total)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The results as CSV, one row per hit, for spreadsheets.
fn print_csv(results: &SearchResults) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
    writer.write_record(["rank", "date", "source", "title", "url", "id", "snippet"])?;
    for hit in &results.hits {
        writer.write_record([
            hit.rank.to_string().as_str(),
            hit.date.as_deref().unwrap_or_default(),
            hit.source.as_deref().unwrap_or_default(),
            &hit.title,
            hit.url.as_deref().unwrap_or_default(),
            &hit.id,
            hit.snippets
                .first()
                .map(|snippet| snippet.text.as_str())
                .unwrap_or_default(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// The facets below the results: matching articles by outlet, then by year.
fn print_facets(facets: &Facets, total: usize) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let width = facets
        .source
        .iter()
        .map(|outlet| outlet.value.chars().count())
        .max()
        .unwrap_or(0);
    writeln!(out)?;
    writeln!(
        out,
        "by source ({total} matching article{}):",
        if total == 1 { "" } else { "s" }
    )?;
    for outlet in &facets.source {
        let pad = width - outlet.value.chars().count();
        writeln!(
            out,
            "  {}{} {:>8}",
            outlet.value,
            " ".repeat(pad),
            outlet.count
        )?;
    }
    writeln!(out, "by year:")?;
    for year in &facets.year {
        writeln!(out, "  {:<6} {:>8}", year.value, year.count)?;
    }
    out.flush()
}

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";
/// The mark before a heading taken from the lead of an article without a title.
const NO_TITLE: &str = "[no title]";

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
    if let Some(reading) = &results.explain {
        let concepts: Vec<String> = reading.concepts.iter().map(describe_concept).collect();
        writeln!(out, "read as: {}", concepts.join(" · "))?;
    }
    for hit in &results.hits {
        writeln!(out)?;
        // An article without a title is shown under its lead's first words, marked as such.
        let heading = if hit.heading.from_lead {
            format!("{NO_TITLE} {}", hit.heading.text)
        } else {
            hit.heading.text.clone()
        };
        let title = if color {
            format!("{BOLD}{heading}{RESET}")
        } else {
            heading
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
        if let Some(explain) = &hit.explain {
            print_explanation(&mut out, explain)?;
        }
        if !hit.duplicates.is_empty() {
            let copies: Vec<String> = hit
                .duplicates
                .iter()
                .map(|copy| {
                    copy.source
                        .clone()
                        .or_else(|| copy.url.clone())
                        .unwrap_or_else(|| copy.id.clone())
                })
                .collect();
            writeln!(
                out,
                "   also: {} near-identical cop{} ({})",
                copies.len(),
                if copies.len() == 1 { "y" } else { "ies" },
                copies.join(", ")
            )?;
        }
    }
    out.flush()
}

/// A concept as `text [terms]`: a word's terms joined by `|`, a phrase's places in order.
fn describe_concept(concept: &Concept) -> String {
    let places: Vec<String> = concept
        .places
        .iter()
        .map(|place| place.terms.join("|"))
        .collect();
    let kind = match concept.kind {
        ConceptKind::Word => "word",
        ConceptKind::Phrase => "phrase",
    };
    format!("{} ({kind}: {})", concept.text, places.join(" "))
}

/// One hit's score in its parts, one line each.
fn print_explanation(out: &mut impl Write, explain: &Explanation) -> std::io::Result<()> {
    writeln!(
        out,
        "   score {:.3} = text {:.3} × coverage {:.2} (^ → {:.3}) + proximity {:.3} + freshness {:.3}",
        explain.score,
        explain.text,
        explain.coverage,
        explain.coverage_factor,
        explain.proximity,
        explain.freshness
    )?;
    for concept in &explain.concepts {
        let fields: Vec<String> = concept
            .fields
            .iter()
            .map(|field| {
                format!(
                    "{} tf {} len {} → {:.2}",
                    field.field, field.tf, field.length, field.weighted_tf
                )
            })
            .collect();
        let added = if concept.feedback {
            format!(", feedback word × {:.2}", concept.weight)
        } else {
            String::new()
        };
        writeln!(
            out,
            "     {:.3} {} (idf {:.2}{added}): {}",
            concept.score,
            concept.concept,
            concept.idf,
            fields.join(", ")
        )?;
    }
    if explain.folded_copies > 0 {
        writeln!(out, "     folded copies: {}", explain.folded_copies)?;
    }
    Ok(())
}

/// The snippet text with its highlights in ANSI bold; plain text without colour.
fn highlight(snippet: &Snippet, color: bool) -> String {
    let (open, close) = if color { (BOLD, RESET) } else { ("", "") };
    let mut text = String::new();
    let mut at = 0;
    for [start, end] in &snippet.highlights {
        let inside = snippet.text.get(*start..*end);
        let before = snippet.text.get(at..*start);
        let (Some(before), Some(inside)) = (before, inside) else {
            continue;
        };
        text.push_str(before);
        text.push_str(open);
        text.push_str(inside);
        text.push_str(close);
        at = *end;
    }
    text.push_str(snippet.text.get(at..).unwrap_or_default());
    text.replace('\n', " ")
}
