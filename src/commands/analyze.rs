//! `newsidx analyze TEXT`: the index terms the analyzer makes of TEXT.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::flags::AnalyzeArgs;

#[derive(Serialize)]
struct Term {
    text: String,
    term: String,
    position: usize,
    offset_from: usize,
    offset_to: usize,
}

pub fn run(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    newsidx::analysis::check_user_lists()?;
    let mut analyzer = newsidx::analysis::indonesian();
    let mut stream = analyzer.token_stream(&args.text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push(Term {
            text: args
                .text
                .get(token.offset_from..token.offset_to)
                .unwrap_or_default()
                .to_string(),
            term: token.text.clone(),
            position: token.position,
            offset_from: token.offset_from,
            offset_to: token.offset_to,
        });
    }
    if args.json {
        super::print_json(&terms)?;
    } else {
        let mut out = std::io::stdout().lock();
        for term in &terms {
            writeln!(out, "{}", term.term)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
