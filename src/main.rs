//! The `newsidx` binary: parses flags and hands each job to its command.

mod commands;
mod flags;

use std::process::ExitCode;

use clap::Parser;

/// Ingest allocates and frees many small strings per token and per HTML node on every thread;
/// mimalloc's per-thread free lists do that with less work than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    without_huge_pages();
    let cli = flags::Cli::parse();
    // A broken user compound or alias list would silently change index terms: refuse to analyse.
    let analyses = matches!(
        cli.command,
        flags::Command::Ingest(_) | flags::Command::Search(_) | flags::Command::Trend(_)
    );
    if analyses {
        if let Err(error) = newsidx::analysis::check_user_lists() {
            return commands::report(&anyhow::Error::new(error));
        }
    }
    let outcome = match &cli.command {
        flags::Command::Ingest(args) => commands::ingest::run(&cli, args),
        flags::Command::Search(args) => {
            commands::guarded(&cli.index, || commands::search::run(&cli, args))
        }
        flags::Command::Trend(args) => {
            commands::guarded(&cli.index, || commands::trend::run(&cli, args))
        }
        flags::Command::Analyze(args) => commands::analyze::run(args),
        flags::Command::Extract(args) => commands::extract::run(args),
        flags::Command::Show(args) => {
            commands::guarded(&cli.index, || commands::show::run(&cli, args))
        }
        flags::Command::Stats(args) => {
            commands::guarded(&cli.index, || commands::stats::run(&cli, args))
        }
        flags::Command::Check(args) => commands::check::run(&cli, args),
        flags::Command::Serve(args) => commands::serve::run(&cli, args),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => commands::report(&error),
    }
}

/// mimalloc asks the kernel for transparent huge pages on its arena, so the first touch of any
/// 2 MB of it makes the kernel zero all of it, and a page partly used stays resident whole.
/// Without them an ingest's anonymous memory peaked about 45 MB (a fifth) lower at the same CPU
/// time (`BENCHMARKS.md`). This call covers kernels that give every process huge pages
/// (`always`); mimalloc's own request is compiled out (its `no_thp` feature), since it makes
/// its first arena before `main` runs, and a search process spent about 7% of its time having
/// the kernel fault in and zero those pages (`perf record`).
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integers only and reads or writes none of our memory. A
    // kernel without it refuses the call, and nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
