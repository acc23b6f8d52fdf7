//! `newsidx ingest DIR...`: bring the index up to date with corpus folders.
//!
//! SIGINT and SIGTERM stop the run within about a second (a second signal ends it at once): the
//! batch in progress is dropped, what was committed stays, and the next run carries on from
//! there (except a `--full` rebuild, which the next `--full` starts over, the live index
//! untouched meanwhile).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use newsidx::extract::ExtractOptions;
use newsidx::ingest::{ingest, IngestOptions, IngestSummary, Progress};
use signal_hook::consts::{SIGINT, SIGTERM};

use crate::flags::{Cli, IngestArgs};

pub fn run(cli: &Cli, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let stop = Arc::new(AtomicUsize::new(0));
    let stopping = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        // Handlers run in this order: the first signal only sets the flags, a second one exits.
        signal_hook::flag::register_conditional_shutdown(
            signal,
            128 + signal,
            Arc::clone(&stopping),
        )?;
        signal_hook::flag::register(signal, Arc::clone(&stopping))?;
        signal_hook::flag::register_usize(signal, Arc::clone(&stop), signal as usize)?;
    }
    let options = IngestOptions {
        extract: ExtractOptions {
            default_offset: args.timezone,
            max_file_size: args.max_file_size,
        },
        full: args.full,
        wait: args.wait.map(Duration::from_secs),
        threads: args.threads,
        commit_files: args.commit_every,
        stop: Arc::clone(&stop),
        ..IngestOptions::default()
    };
    let show_bar = !args.quiet && std::io::stderr().is_terminal();
    let bar = if show_bar {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let quiet = args.quiet;
    let index = cli.index.display().to_string();
    let mut on_progress = |event: Progress| match event {
        Progress::Rebuilding(reason) => {
            if !quiet {
                bar.suspend(|| {
                    let _ = writeln!(
                        std::io::stderr(),
                        "newsidx: rebuilding the index at {index} from scratch: {reason}"
                    );
                });
            }
        }
        Progress::Tick { seen, processed } => {
            bar.set_message(format!("{seen} files walked, {processed} read"));
        }
        Progress::Skipped(skipped) => {
            if !quiet {
                bar.suspend(|| {
                    let _ = writeln!(
                        std::io::stderr(),
                        "newsidx: {}: skipped: {}",
                        skipped.path,
                        skipped.reason
                    );
                });
            }
        }
    };
    let summary = ingest(&cli.index, &args.dirs, &options, &mut on_progress)?;
    bar.finish_and_clear();
    if summary.interrupted {
        let signal = stop.load(Ordering::Relaxed);
        let name = if signal == SIGTERM as usize {
            "SIGTERM"
        } else {
            "SIGINT"
        };
        if args.full && summary.rebuilt.is_some() {
            // An unfinished `--full` rebuild is not resumed: the next `--full` starts over.
            writeln!(
                std::io::stderr(),
                "newsidx: stopped by {name} during the --full rebuild; the live index at {} is unchanged and searchable, and the next --full starts the rebuild over",
                cli.index.display()
            )?;
        } else {
            writeln!(
                std::io::stderr(),
                "newsidx: stopped by {name} after {} commit(s); the index at {} is consistent, run the same command again to carry on",
                summary.commits,
                cli.index.display()
            )?;
        }
        if args.json {
            super::print_json(&summary)?;
        }
        return Ok(ExitCode::from(u8::try_from(128 + signal).unwrap_or(1)));
    }
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
        writeln!(std::io::stdout(), "{}", one_line(&summary))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The human summary of a run, on one line.
fn one_line(summary: &IngestSummary) -> String {
    let elapsed = format!("in {:.2}s (index: {})", summary.elapsed_secs, summary.index);
    if summary.nothing_changed() {
        return format!(
            "nothing changed: {} files seen, {} unchanged, {} skipped; 0 articles indexed, {} in the index {elapsed}",
            summary.files_seen, summary.files_unchanged, summary.files_skipped, summary.documents
        );
    }
    let rebuilt = match &summary.rebuilt {
        Some(reason) => format!("rebuilt ({reason}): "),
        None => String::new(),
    };
    let records = match summary.records_skipped.len() {
        0 => String::new(),
        count => format!(" ({count} records inside files skipped)"),
    };
    format!(
        "{rebuilt}{} files seen: {} added, {} updated, {} touched, {} removed, {} unchanged, {} skipped{records}; {} articles indexed, {} removed, {} in the index {elapsed}",
        summary.files_seen,
        summary.files_added,
        summary.files_updated,
        summary.files_touched,
        summary.files_removed,
        summary.files_unchanged,
        summary.files_skipped,
        summary.articles_indexed,
        summary.articles_removed,
        summary.documents,
    )
}
