//! `newsidx ingest DIR...`: build or update the index from corpus folders.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use newsidx::extract::ExtractOptions;
use newsidx::index::ingest::{ingest, IngestOptions, Progress};

use crate::flags::{Cli, IngestArgs};

pub fn run(cli: &Cli, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let options = IngestOptions {
        extract: ExtractOptions {
            default_offset: args.timezone,
            max_file_size: args.max_file_size,
        },
    };
    let show_bar = !args.quiet && std::io::stderr().is_terminal();
    let bar = if show_bar {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files {per_sec}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut on_progress = |event: Progress| match event {
        Progress::Found(total) => bar.set_length(total as u64),
        Progress::File(_) => bar.inc(1),
        Progress::Skipped(skipped) => {
            bar.suspend(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "newsidx: {}: skipped: {}",
                    skipped.path,
                    skipped.reason
                );
            });
        }
    };
    let summary = ingest(&cli.index, &args.dirs, &options, &mut on_progress)?;
    bar.finish_and_clear();
    if summary.files_seen == 0 {
        let dirs: Vec<String> = args
            .dirs
            .iter()
            .map(|dir| dir.display().to_string())
            .collect();
        writeln!(
            std::io::stderr(),
            "newsidx: warning: no files found under {}",
            dirs.join(", ")
        )?;
    }
    if args.json {
        super::print_json(&summary)?;
    } else if !args.quiet {
        writeln!(
            std::io::stdout(),
            "{} files seen, {} articles indexed, {} files skipped in {:.2}s (index: {})",
            summary.files_seen,
            summary.articles_indexed,
            summary.files_skipped,
            summary.elapsed_secs,
            cli.index.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
