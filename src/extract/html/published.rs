//! When the article was published: structured data (JSON-LD, meta tags, `<time>`) checked
//! against the date shown beside the headline, else the date in the URL, else a day and month
//! the story mentions ("Jumat (30/12)") with the URL's year.

use chrono::{DateTime, Datelike, FixedOffset, TimeZone};
use once_cell::sync::Lazy;
use regex::Regex;

use super::meta::LinkedData;
use super::walk::Page;
use crate::extract::date::{date_from_url, day_month_mentions, find_date, Found};

/// Longest block, in characters, read as a date line: a dateline or a byline with a date, not
/// a paragraph that mentions one.
const DATE_LINE_CHARS: usize = 120;

/// Blocks after and before the headline searched for the date shown beside it.
const DATE_REACH: usize = 40;

/// A date shown on the page is the metadata's clock time when the two differ by less than this.
const SAME_CLOCK_SECONDS: i64 = 60;

/// Meta tags that hold the publishing date, in order of trust.
const DATE_METAS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dc.date",
    "date",
    "content_publisheddate",
];

/// The publishing date and whether it was inferred (no zone stated, or read from the URL or
/// the text). `anchor` is the headline's block, or the body's first when there is none.
pub(super) fn published(
    page: &Page,
    ld: LinkedData,
    anchor: usize,
    after_headline: bool,
    url: Option<&str>,
    body: &str,
    default_offset: FixedOffset,
) -> (Option<DateTime<FixedOffset>>, bool) {
    let structured = ld
        .text("datePublished")
        .or_else(|| ld.text("dateCreated"))
        .into_iter()
        .chain(page.meta(DATE_METAS))
        .chain(page.time_attributes.first().cloned())
        .find_map(|text| find_date(&text, default_offset));
    let visible = visible_date(page, anchor, after_headline, default_offset);
    let chosen = match (structured, visible) {
        (Some(structured), Some(visible))
            if !structured.has_time
                && visible.has_time
                && structured.date.date_naive() == visible.date.date_naive() =>
        {
            Some(visible)
        }
        (Some(structured), _) => Some(rezone(structured, page, default_offset)),
        (None, visible) => visible,
    };
    if let Some(found) = chosen {
        (Some(found.date), !found.has_zone)
    } else if let Some(date) = url.and_then(|url| date_from_url(url, default_offset)) {
        (Some(date), true)
    } else {
        // "Jumat (30/12)" in the story, with the year from the URL ("/2022/") when it has one.
        let year = url.and_then(year_from_url);
        let date = mention_date(body, year, default_offset);
        (date, date.is_some())
    }
}

/// Many sites write local time into metadata with a "Z". When the page shows the same clock
/// time with a stated zone ("16:00 WIB"), that zone is the true one.
fn rezone(structured: Found, page: &Page, default_offset: FixedOffset) -> Found {
    if !structured.has_time || structured.date.offset().local_minus_utc() != 0 {
        return structured;
    }
    let clock = structured.date.naive_local();
    let shown = page
        .blocks
        .iter()
        .filter(|block| {
            block.chars <= DATE_LINE_CHARS && block.text.bytes().any(|b| b.is_ascii_digit())
        })
        .filter_map(|block| find_date(&block.text, default_offset))
        .find(|found| {
            found.has_time
                && found.has_zone
                && found.date.offset().local_minus_utc() != 0
                && (found.date.naive_local() - clock).num_seconds().abs() < SAME_CLOCK_SECONDS
        });
    match shown {
        Some(shown) => match shown.date.offset().from_local_datetime(&clock).single() {
            Some(date) => Found {
                date,
                has_time: true,
                has_zone: true,
            },
            None => structured,
        },
        None => structured,
    }
}

/// The date written beside the headline: the nearest short block after it that holds a full
/// date (one with a time first), else the nearest one before it; without a headline, the
/// nearest one above the story.
fn visible_date(
    page: &Page,
    anchor: usize,
    after_headline: bool,
    default_offset: FixedOffset,
) -> Option<Found> {
    let candidate = |at: usize| -> Option<Found> {
        let block = page.blocks.get(at)?;
        if block.chars > DATE_LINE_CHARS {
            return None;
        }
        find_date(&block.text, default_offset)
    };
    // Dates sit under the headline, or above the story when the headline is not found.
    let forward = anchor..page.blocks.len().min(anchor + DATE_REACH);
    let backward = (anchor.saturating_sub(DATE_REACH)..anchor).rev();
    let order: Vec<usize> = if after_headline {
        forward.chain(backward).collect()
    } else {
        backward.chain(forward).collect()
    };
    let mut fallback = None;
    for at in order {
        if let Some(found) = candidate(at) {
            if found.has_time {
                return Some(found);
            }
            fallback.get_or_insert(found);
        }
    }
    fallback
}

fn year_from_url(url: &str) -> Option<i32> {
    static YEAR: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"/((?:19|20)\d{2})(?:/|-|$)").expect("valid regex"));
    YEAR.captures(url)?.get(1)?.as_str().parse().ok()
}

/// "Jumat (30/12)" in the text, with the year written or taken from `year`.
pub(crate) fn mention_date(
    text: &str,
    year: Option<i32>,
    default_offset: FixedOffset,
) -> Option<DateTime<FixedOffset>> {
    let (day, month, written) = day_month_mentions(text).into_iter().next()?;
    let year = written.or(year)?;
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(0, 0, 0)?;
    let date = default_offset.from_local_datetime(&date).single()?;
    crate::extract::date::trusted(date).filter(|date| date.year() == year)
}
