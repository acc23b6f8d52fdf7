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
    #[command(long_about = SEARCH_HELP)]
    Search(SearchArgs),
    /// Print the index terms the Indonesian analyzer makes of TEXT.
    Analyze(AnalyzeArgs),
    /// Print the normalised article(s) extracted from files, without touching the index.
    Extract(ExtractArgs),
    /// Count the articles matching each QUERY period by period, beside all articles of the
    /// period: coverage over time.
    #[command(long_about = TREND_HELP)]
    Trend(TrendArgs),
    /// Print one stored article in full.
    Show(ShowArgs),
    /// Print document count, sources, date range and size of the index.
    Stats(StatsArgs),
    /// Verify the index: every segment and field readable, the manifest consistent with the
    /// files; exit 0 when sound, 1 when not.
    Check(CheckArgs),
    /// Serve the search page and the JSON API over HTTP (loopback only unless --addr says
    /// otherwise); an ingest's new generation is picked up without a restart.
    Serve(ServeArgs),
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
    #[arg(long, value_name = "FILES", default_value_t = 50_000)]
    pub commit_every: usize,
}

/// Output colouring, as ripgrep does it.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Result order for `search --sort`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SortChoice {
    /// Best match first.
    Relevance,
    /// Latest first.
    Newest,
    /// Earliest first.
    Oldest,
}

const SEARCH_HELP: &str = "\
Search the index and print ranked results with highlighted snippets.

QUERY LANGUAGE
  banjir bandang       Plain words, matched in every inflected form (banjir, kebanjiran,
                       banjirnya). Articles about the words rank first: each word counts by
                       how often it stands in the article (the title most) and how rare it
                       is, and words standing together add a little.
  \"kerja sama dengan\"  A quoted phrase: these words in this order, in any of their forms
                       (bekerja sama, kerjasama), stopwords included and in their place.
  -jakarta             Exclude articles with this word (or -\"a phrase\").
  +banjir              Require this word (or +\"a phrase\"); otherwise words and phrases
                       are optional, and an article holding more of them scores higher.
  banjir OR longsor    Either one (OR in capitals).
  (banjir OR longsor) bogor
                       Parentheses group.
  title:banjir         Only in the title; also byline:, caption:, and source: (source:kompas
                       matches kompas.com). Field clauses are required; title:\"a phrase\"
                       and title:(a OR b) work too.
  A query of stopwords only (\"yang di\") is looked up by those words. A malformed
  query (unclosed quote or parenthesis, a lone -) is read as well as it can be, with a
  note on stderr. Pasted prose (more than 15 words) and a clitic written apart
  (\"Instagram -nya\") keep their dashes as punctuation, not exclusions.

Near-identical copies of one story on several sites are shown once, with the others
listed under it (\"also:\"; \"duplicates\" in --json); --all-copies lists them as results.

FILTERS AND ORDER
  --since 2022, --since 2022-12, --since 2022-12-30, --since \"30 Desember 2022\"
  --until (same forms; the whole year, month or day is included), --source NAME
  (repeatable; any of them), --sort relevance|newest|oldest.
  --source names an outlet with all its desks (detik, detik.com, detikcom, \"CNN
  Indonesia\") or one desk by its full host (finance.detik.com).

FACETS AND EXPORT
  --facets counts every matching article (copies too; filters apply) by outlet, the top
  10 and \"lainnya\", and by year of its local date, below the results. --csv prints the
  results as CSV: rank, date, source, title, url, id, snippet (the first).

JSON (--json)
  {\"query\", \"total\", \"took_ms\", \"hits\": [{\"rank\", \"score\", \"id\", \"title\", \"date\",
  \"byline\", \"source\", \"url\", \"path\", \"snippets\": [{\"field\", \"text\", \"highlights\":
  [[start, end], ...]}], \"duplicates\": [{\"id\", \"source\", \"url\"}]}]}
  Highlights are byte offsets into that snippet's text. --facets adds
  \"facets\": {\"source\": [{\"value\", \"count\"}], \"year\": [{\"value\", \"count\"}]}.";

const TREND_HELP: &str = "\
Count the articles matching each QUERY period by period, beside all articles of the period:
coverage over time. Each QUERY is read as `newsidx search` reads it; several are shown side
by side (newsidx trend banjir longsor).

Each row is a period, a bar, the number of matching articles and their share of all articles
of that period (the share shows attention in an archive whose volume is uneven). Periods
follow each article's own local date as published: an article dated 2023-01-01T03:00+07:00
is of January 2023. Every period from the first to the last is listed, empty ones too.
--since and --until select by that local date; --source counts one outlet or desk, for the
matches and the totals alike. Undated articles are in no period.

JSON (--json)
  {\"by\", \"series\": [{\"query\", \"buckets\": [{\"period\", \"start\", \"count\", \"total\",
  \"share\"}]}]}
CSV (--csv): query, period, start, count, total, share; one row per query and period.
--svg FILE also writes the chart as an SVG picture, one line per query.";

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query (see QUERY LANGUAGE below).
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    /// Number of results to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Number of results to skip (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Only articles dated in or after this year, month or day (2022, 2022-12, 2022-12-30, "30 Desember 2022").
    #[arg(long, value_name = "DATE", value_parser = parse_date_bound)]
    pub since: Option<newsidx::search::filter::DateBound>,
    /// Only articles dated in or before this year, month or day (same forms as --since).
    #[arg(long, value_name = "DATE", value_parser = parse_date_bound)]
    pub until: Option<newsidx::search::filter::DateBound>,
    /// Only articles from this source (repeat for several); `kompas` matches kompas.com.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Result order.
    #[arg(long, value_enum, default_value = "relevance")]
    pub sort: SortChoice,
    /// List near-identical copies of a story as results of their own.
    #[arg(long)]
    pub all_copies: bool,
    /// Show how each hit's score is made (each concept's field scores, coverage, proximity,
    /// freshness, folded copies) and how the query was read.
    #[arg(long)]
    pub explain: bool,
    /// Count every matching article by outlet and by year, below the results (in --json:
    /// "facets").
    #[arg(long)]
    pub facets: bool,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Print the results as CSV: rank, date, source, title, url, id, snippet.
    #[arg(long, conflicts_with_all = ["json", "explain", "facets"])]
    pub csv: bool,
    /// When to highlight with ANSI bold.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// Period length for `trend --by`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PeriodChoice {
    Day,
    /// Monday to Sunday, named by ISO week (2023-W01).
    Week,
    Month,
    Year,
}

#[derive(Debug, clap::Args)]
pub struct TrendArgs {
    /// The queries, one series each (see `newsidx search --help` for the query language; a
    /// query that starts with `-` follows `--`).
    #[arg(required = true, value_name = "QUERY")]
    pub queries: Vec<String>,
    /// Period length.
    #[arg(long, value_enum, default_value = "month")]
    pub by: PeriodChoice,
    /// Only articles of this year, month or day or later, by their local date.
    #[arg(long, value_name = "DATE", value_parser = parse_date_bound)]
    pub since: Option<newsidx::search::filter::DateBound>,
    /// Only articles of this year, month or day or earlier, by their local date.
    #[arg(long, value_name = "DATE", value_parser = parse_date_bound)]
    pub until: Option<newsidx::search::filter::DateBound>,
    /// Only articles of this outlet or desk (repeat for several), for matches and totals.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Print exactly one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Print CSV: query, period, start, count, total, share.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Also write the chart as an SVG picture to FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
}

fn parse_date_bound(text: &str) -> Result<newsidx::search::filter::DateBound, String> {
    newsidx::search::filter::DateBound::parse(text)
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

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Print what was found as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free one. Anything but a loopback address
    /// lets other machines reach the archive.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
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
