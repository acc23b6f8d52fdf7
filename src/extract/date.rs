//! Dates as Indonesian news pages write them, to timezone-aware timestamps.
//!
//! ```
//! use chrono::FixedOffset;
//! use newsidx::extract::date::parse_date;
//! let wib = FixedOffset::east_opt(7 * 3600).unwrap();
//! let date = parse_date("Jumat, 30 Des 2022 14:05 WIB", wib).unwrap();
//! assert_eq!(date.to_rfc3339(), "2022-12-30T14:05:00+07:00");
//! ```

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use once_cell::sync::Lazy;
use regex::Regex;

/// Month number for an Indonesian or English month name or abbreviation.
pub fn month_number(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    let name = name.trim_end_matches('.');
    let month = match name {
        "januari" | "january" | "jan" => 1,
        "februari" | "february" | "feb" | "pebruari" => 2,
        "maret" | "march" | "mar" => 3,
        "april" | "apr" => 4,
        "mei" | "may" => 5,
        "juni" | "june" | "jun" => 6,
        "juli" | "july" | "jul" => 7,
        "agustus" | "august" | "agu" | "agt" | "ags" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "october" | "okt" | "oct" => 10,
        "november" | "nov" | "nop" | "nopember" => 11,
        "desember" | "december" | "des" | "dec" => 12,
        _ => return None,
    };
    Some(month)
}

/// Offset for an Indonesian zone abbreviation or a numeric offset like "+0700" / "+07:00".
fn zone_offset(zone: &str) -> Option<FixedOffset> {
    let hours = match zone.to_ascii_uppercase().as_str() {
        "WIB" => 7,
        "WITA" => 8,
        "WIT" => 9,
        "UTC" | "GMT" | "Z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.chars().filter(|c| c.is_ascii_digit()).collect();
            if digits.len() != 4 {
                return None;
            }
            let hours: i32 = digits[..2].parse().ok()?;
            let minutes: i32 = digits[2..].parse().ok()?;
            return FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60));
        }
    };
    FixedOffset::east_opt(hours * 3600)
}

static TEXT_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)\b(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})(?:[,|\s-]+(?:pukul\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?(?:\s*(WIB|WITA|WIT|UTC|GMT|[+-]\d{2}:?\d{2}))?",
    )
    .expect("valid regex")
});

static NUMERIC_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)\b(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[,|\s-]+(?:pukul\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?(?:\s*(WIB|WITA|WIT|UTC|GMT|[+-]\d{2}:?\d{2}))?",
    )
    .expect("valid regex")
});

static ISO_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"\b(\d{4})-(\d{2})-(\d{2})(?:(?:\s*T\s*|\s+)(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2}|WIB|WITA|WIT)?",
    )
    .expect("valid regex")
});

/// A date found in text, with how much of it was written down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    pub date: DateTime<FixedOffset>,
    /// A time of day was written (else midnight is assumed).
    pub has_time: bool,
    /// A zone was written (else the default offset was assumed).
    pub has_zone: bool,
}

/// Parses the first date in `text`: ISO 8601, RFC 2822, "30 Desember 2022 14:05 WIB",
/// "30/12/2022 14:05". Times without a zone are taken in `default_offset`.
/// Dates before 1945 or in the future are rejected.
pub fn parse_date(text: &str, default_offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    find_date(text, default_offset).map(|found| found.date)
}

/// Like [`parse_date`], also saying whether a time and a zone were written.
pub fn find_date(text: &str, default_offset: FixedOffset) -> Option<Found> {
    let text = text.trim();
    let whole = |date| {
        trusted(date).map(|date| Found {
            date,
            has_time: true,
            has_zone: true,
        })
    };
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return whole(date);
    }
    if let Ok(date) = DateTime::parse_from_rfc2822(text) {
        return whole(date);
    }
    // The earliest date written wins, whatever its form.
    let iso = ISO_DATE.captures_iter(text).find_map(|caps| {
        let parts = [1, 2, 3].map(|i| caps[i].parse::<u32>().unwrap_or(0));
        let found = build(
            parts[0] as i32,
            parts[1],
            parts[2],
            &caps,
            4,
            default_offset,
        )?;
        Some((caps.get(0)?.start(), found))
    });
    let written = TEXT_DATE.captures_iter(text).find_map(|caps| {
        let month = month_number(&caps[2])?;
        let day = caps[1].parse().ok()?;
        let year = caps[3].parse().ok()?;
        let found = build(year, month, day, &caps, 4, default_offset)?;
        Some((caps.get(0)?.start(), found))
    });
    let numeric = NUMERIC_DATE.captures_iter(text).find_map(|caps| {
        let day = caps[1].parse().ok()?;
        let month = caps[2].parse().ok()?;
        let year = caps[3].parse().ok()?;
        let found = build(year, month, day, &caps, 4, default_offset)?;
        Some((caps.get(0)?.start(), found))
    });
    [iso, written, numeric]
        .into_iter()
        .flatten()
        .min_by_key(|(at, _)| *at)
        .map(|(_, found)| found)
}

fn build(
    year: i32,
    month: u32,
    day: u32,
    caps: &regex::Captures,
    time_at: usize,
    default_offset: FixedOffset,
) -> Option<Found> {
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let number = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let time = match (number(time_at), number(time_at + 1)) {
        (Some(hour), Some(minute)) => {
            NaiveTime::from_hms_opt(hour, minute, number(time_at + 2).unwrap_or(0))?
        }
        _ => NaiveTime::MIN,
    };
    let zone = caps
        .get(time_at + 3)
        .and_then(|zone| zone_offset(zone.as_str()));
    let offset = zone.unwrap_or(default_offset);
    let date = offset.from_local_datetime(&date.and_time(time)).single()?;
    Some(Found {
        date: trusted(date)?,
        has_time: number(time_at).is_some(),
        has_zone: zone.is_some(),
    })
}

/// Rejects dates a news archive cannot hold: before 1945 or after tomorrow.
pub fn trusted(date: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    let tomorrow = Utc::now() + chrono::Duration::days(1);
    if date.year() < 1945 || date.with_timezone(&Utc) > tomorrow {
        return None;
    }
    Some(date)
}

static DAY_MONTH: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)\s*\((\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\)")
        .expect("valid regex")
});

/// "Jumat (30/12)" or "Selasa (21/10/2025)": day and month, with the year when written.
pub fn day_month_mentions(text: &str) -> Vec<(u32, u32, Option<i32>)> {
    DAY_MONTH
        .captures_iter(text)
        .filter_map(|caps| {
            let day = caps[1].parse().ok()?;
            let month = caps[2].parse().ok()?;
            let year = caps
                .get(3)
                .and_then(|y| y.as_str().parse::<i32>().ok())
                .map(|y| if y < 100 { 2000 + y } else { y });
            Some((day, month, year))
        })
        .collect()
}

static URL_DATE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)").expect("valid regex"));

/// A date written in a URL path, `/2022/12/30/`.
pub fn date_from_url(url: &str, default_offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let caps = URL_DATE.captures(url)?;
    let date = NaiveDate::from_ymd_opt(
        caps[1].parse().ok()?,
        caps[2].parse().ok()?,
        caps[3].parse().ok()?,
    )?;
    trusted(
        default_offset
            .from_local_datetime(&date.and_time(NaiveTime::MIN))
            .single()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wib() -> FixedOffset {
        FixedOffset::east_opt(7 * 3600).unwrap()
    }

    #[test]
    fn indonesian_long_form() {
        let date = parse_date("Jumat, 30 Des 2022 14:05 WIB", wib()).unwrap();
        assert_eq!(date.to_rfc3339(), "2022-12-30T14:05:00+07:00");
        let date = parse_date("Rabu, 17 Agustus 2016 | 10:15 WITA", wib()).unwrap();
        assert_eq!(date.to_rfc3339(), "2016-08-17T10:15:00+08:00");
    }

    #[test]
    fn numeric_and_iso() {
        let date = parse_date("30/12/2022 14:05", wib()).unwrap();
        assert_eq!(date.to_rfc3339(), "2022-12-30T14:05:00+07:00");
        let date = parse_date("2022-12-30T07:05:00Z", wib()).unwrap();
        assert_eq!(date.to_rfc3339(), "2022-12-30T07:05:00+00:00");
        let date = parse_date("2016-08-17 10:15:00 WITA", wib()).unwrap();
        assert_eq!(date.to_rfc3339(), "2016-08-17T10:15:00+08:00");
    }

    #[test]
    fn untrusted_dates_are_rejected() {
        assert!(parse_date("1 Januari 1900", wib()).is_none());
        assert!(parse_date("1 Januari 2999", wib()).is_none());
        assert!(parse_date("31/02/2020", wib()).is_none());
    }

    #[test]
    fn day_month_mentions_found() {
        assert_eq!(
            day_month_mentions("pada hari Jumat (30/12)."),
            vec![(30, 12, None)]
        );
        assert_eq!(
            day_month_mentions("Selasa (21/10/2025)"),
            vec![(21, 10, Some(2025))]
        );
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    fn wib() -> FixedOffset {
        FixedOffset::east_opt(7 * 3600).unwrap()
    }

    #[test]
    fn written_forms_seen_on_news_sites() {
        let cases = [
            (
                "Wednesday, 04 November, 2015 |  07:28 WIB",
                "2015-11-04T07:28:00+07:00",
            ),
            ("2015-11-05 T10:08:58Z", "2015-11-05T10:08:58+00:00"),
            (
                "Kamis, 5 November 2015 - 15:56 wib",
                "2015-11-05T15:56:00+07:00",
            ),
            ("Sabtu, 12 Agt 2023 19.30 WIT", "2023-08-12T19:30:00+09:00"),
            (
                "Tue, 16 Feb 2016 13:01:52 +0700",
                "2016-02-16T13:01:52+07:00",
            ),
            ("Selasa (21/10/2025)", "2025-10-21T00:00:00+07:00"),
        ];
        for (text, want) in cases {
            let found = parse_date(text, wib()).map(|date| date.to_rfc3339());
            assert_eq!(found.as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn the_earliest_date_in_the_text_wins() {
        let text = "Diperbarui 2023-01-02. Terbit Senin, 1 Januari 2023 08:00 WIB";
        assert_eq!(
            parse_date(text, wib())
                .map(|date| date.to_rfc3339())
                .as_deref(),
            Some("2023-01-02T00:00:00+07:00")
        );
    }

    #[test]
    fn time_and_zone_presence_is_reported() {
        let found = find_date("30 Desember 2022", wib()).unwrap();
        assert!(!found.has_time && !found.has_zone);
        let found = find_date("30/12/2022 14:05 WITA", wib()).unwrap();
        assert!(found.has_time && found.has_zone);
        assert_eq!(found.date.to_rfc3339(), "2022-12-30T14:05:00+08:00");
    }

    #[test]
    fn url_dates() {
        let date = date_from_url("https://x.example.id/read/2016/02/23/16374618/judul", wib());
        assert_eq!(
            date.map(|date| date.to_rfc3339()).as_deref(),
            Some("2016-02-23T00:00:00+07:00")
        );
        assert!(date_from_url("https://x.example.id/read/2016/13/45/judul", wib()).is_none());
    }
}
