//! `newsidx trend QUERY…`: coverage over time, as bars for people, JSON or CSV for programs,
//! and an SVG chart for reports.

use std::io::Write;
use std::process::ExitCode;

use newsidx::index::NewsIndex;
use newsidx::period::Period;
use newsidx::search::{chart, trend, Trend, TrendRequest};

use crate::flags::{Cli, PeriodChoice, TrendArgs};

/// Width of the longest bar, in terminal columns.
const BAR_WIDTH: usize = 24;

/// Eighths of a block, for the end of a bar: the empty string, then one to seven eighths.
const PARTIAL_BLOCKS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

pub fn run(cli: &Cli, args: &TrendArgs) -> anyhow::Result<ExitCode> {
    let news = NewsIndex::open(&cli.index)?;
    let request = TrendRequest {
        queries: args.queries.clone(),
        by: match args.by {
            PeriodChoice::Day => Period::Day,
            PeriodChoice::Week => Period::Week,
            PeriodChoice::Month => Period::Month,
            PeriodChoice::Year => Period::Year,
        },
        since: args.since,
        until: args.until,
        sources: args.sources.clone(),
    };
    let trend = trend(&news, &request)?;
    for note in &trend.notes {
        let _ = writeln!(std::io::stderr(), "newsidx: note: {note}");
    }
    if let Some(path) = &args.svg {
        let picture = chart::svg(&trend)?;
        std::fs::write(path, picture).map_err(|source| newsidx::Error::Io {
            path: path.clone(),
            source,
        })?;
    }
    if args.json {
        super::print_json(&trend)?;
    } else if args.csv {
        print_csv(&trend)?;
    } else {
        print_human(&trend)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One row per query and period, for spreadsheets.
fn print_csv(trend: &Trend) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
    writer.write_record(["query", "period", "start", "count", "total", "share"])?;
    for series in &trend.series {
        for bucket in &series.buckets {
            writer.write_record([
                series.query.as_str(),
                &bucket.period,
                &bucket.start,
                &bucket.count.to_string(),
                &bucket.total.to_string(),
                &format!("{:.6}", bucket.share),
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}

/// One row per period: for each query a bar, the count and the share, side by side.
fn print_human(trend: &Trend) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let Some(first) = trend.series.first() else {
        return Ok(());
    };
    if first.buckets.is_empty() {
        writeln!(out, "no dated article to count")?;
        return out.flush();
    }
    let highest = trend
        .series
        .iter()
        .flat_map(|series| series.buckets.iter().map(|bucket| bucket.count))
        .max()
        .unwrap_or(0);
    let period_width = first
        .buckets
        .iter()
        .map(|bucket| bucket.period.chars().count())
        .max()
        .unwrap_or(0)
        .max(trend.by.name().len());
    // A cell: the bar, the count (6 columns) and the share (7 columns), a space apart.
    let cell_width = BAR_WIDTH + 1 + 6 + 1 + 7;
    let mut header = format!("{:<period_width$}", trend.by.name());
    for series in &trend.series {
        header.push_str(" │ ");
        header.push_str(&fit(&series.query, cell_width));
    }
    writeln!(out, "{}", header.trim_end())?;
    for (at, bucket) in first.buckets.iter().enumerate() {
        let mut row = format!("{:<period_width$}", bucket.period);
        for series in &trend.series {
            let Some(bucket) = series.buckets.get(at) else {
                continue;
            };
            row.push_str(&format!(
                " │ {} {:>6} {:>6.1}%",
                bar(bucket.count, highest),
                bucket.count,
                bucket.share * 100.0
            ));
        }
        writeln!(out, "{row}")?;
    }
    out.flush()
}

/// `count` as a bar of block characters, [`BAR_WIDTH`] long for `highest`, padded to that
/// width; any count above zero shows at least an eighth.
fn bar(count: u64, highest: u64) -> String {
    let eighths = if highest == 0 {
        0
    } else {
        let scaled = (count as u128 * (BAR_WIDTH as u128 * 8)).div_ceil(highest as u128);
        scaled as usize
    };
    let mut text = "█".repeat(eighths / 8);
    text.push_str(PARTIAL_BLOCKS[eighths % 8]);
    let drawn = eighths.div_ceil(8);
    text.push_str(&" ".repeat(BAR_WIDTH.saturating_sub(drawn)));
    text
}

/// `text` padded or cut to `width` characters.
fn fit(text: &str, width: usize) -> String {
    let mut fitted: String = text.chars().take(width).collect();
    let length = fitted.chars().count();
    fitted.push_str(&" ".repeat(width - length));
    fitted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_highest_and_keep_their_width() {
        assert_eq!(bar(10, 10), "█".repeat(BAR_WIDTH));
        assert_eq!(bar(0, 10), " ".repeat(BAR_WIDTH));
        assert_eq!(bar(0, 0), " ".repeat(BAR_WIDTH));
        // A tiny count still shows.
        assert!(bar(1, 1_000_000).starts_with('▏'));
        // Half of 24 columns is 12 full blocks.
        assert_eq!(bar(5, 10).trim_end(), "█".repeat(12));
        for count in 0..=37 {
            assert_eq!(bar(count, 37).chars().count(), BAR_WIDTH, "{count}");
        }
    }
}
