//! `newsidx check`: verify the index and say what is wrong with it, if anything.

use std::io::Write;
use std::process::ExitCode;

use newsidx::index::health::check;

use crate::flags::{CheckArgs, Cli};

pub fn run(cli: &Cli, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let report = check(&cli.index);
    let code = if report.sound() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    if args.json {
        super::print_json(&report)?;
        return Ok(code);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "index:      {}", report.index)?;
    if let Some(generation) = &report.generation {
        writeln!(out, "generation: {generation}")?;
    }
    writeln!(out, "segments:   {}", report.segments)?;
    writeln!(out, "documents:  {}", report.documents)?;
    if report.unreferenced_files > 0 {
        writeln!(
            out,
            "unreferenced: {} files, {:.1} MB (left by a failed write; the next ingest removes them)",
            report.unreferenced_files,
            report.unreferenced_bytes as f64 / 1e6
        )?;
    }
    for problem in &report.problems {
        writeln!(out, "problem:    {problem}")?;
    }
    if report.sound() {
        writeln!(out, "sound")?;
    } else {
        writeln!(
            out,
            "damaged: rebuild it with `newsidx --index {} ingest --full DIR`",
            report.index
        )?;
    }
    Ok(code)
}
