//! The command line: every flag is defined here and nowhere else.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Full-text search for Indonesian news archives.
#[derive(Debug, Parser)]
#[command(name = "newsidx", version, about, max_term_width = 100)]
pub struct Cli {
    /// Index folder.
    #[arg(long, global = true, env = "NEWSIDX_INDEX", default_value = "index")]
    pub index: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk corpus folders, normalise every article, and build or update the index.
    Ingest(IngestArgs),
    /// Search the index and print ranked results with highlighted snippets.
    Search(SearchArgs),
    /// Print the index terms the Indonesian analyzer makes of TEXT.
    Analyze(AnalyzeArgs),
    /// Print the normalised article(s) extracted from files, without touching the index.
    Extract(ExtractArgs),
    /// Print one stored article in full.
    Show(ShowArgs),
    /// Print document count, sources, date range and size of the index.
    Stats(StatsArgs),
}

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Corpus folders to walk.
    #[arg(value_name = "DIR", default_value = "corpus")]
    pub dirs: Vec<PathBuf>,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Print nothing on success; no progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Offset for local times that state no zone, e.g. +07:00 (WIB), +08:00 (WITA), +09:00 (WIT).
    #[arg(long, default_value = "+07:00", value_parser = parse_offset)]
    pub timezone: chrono::FixedOffset,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = 20 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Rebuild the index from scratch beside the live one, then swap it in.
    #[arg(long)]
    pub full: bool,
    /// When another ingest holds the index, wait up to SECONDS for it instead of exiting with 75.
    #[arg(long, value_name = "SECONDS")]
    pub wait: Option<u64>,
    /// Extraction threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Commit after this many changed files (and at least every minute), so that an
    /// interrupted run loses at most one batch.
    #[arg(long, value_name = "FILES", default_value_t = 10_000)]
    pub commit_every: usize,
}

/// Output colouring, as ripgrep does it.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query.
    pub query: String,
    /// Number of results to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Number of results to skip (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
    /// When to highlight with ANSI bold.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Text to analyse.
    pub text: String,
    /// Print a JSON array of tokens.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Files to extract.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// One JSON object per article, one per line.
    #[arg(long)]
    pub json: bool,
    /// Offset for local times that state no zone.
    #[arg(long, default_value = "+07:00", value_parser = parse_offset)]
    pub timezone: chrono::FixedOffset,
    /// Refuse files larger than this many bytes.
    #[arg(long, default_value_t = 20 * 1024 * 1024)]
    pub max_file_size: u64,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The article's id (its canonical URL, or its path in the corpus).
    pub id: String,
    /// Print the article as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Print the statistics as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Parses "+07:00", "WIB", "WITA", "WIT" or "UTC".
pub fn parse_offset(text: &str) -> Result<chrono::FixedOffset, String> {
    let hours = match text.to_ascii_uppercase().as_str() {
        "WIB" => Some(7),
        "WITA" => Some(8),
        "WIT" => Some(9),
        "UTC" | "Z" => Some(0),
        _ => None,
    };
    if let Some(hours) = hours {
        return chrono::FixedOffset::east_opt(hours * 3600).ok_or_else(|| "bad offset".to_string());
    }
    text.parse::<chrono::FixedOffset>()
        .map_err(|_| format!("{text:?} is not a UTC offset; write it like +07:00, or WIB/WITA/WIT"))
}
