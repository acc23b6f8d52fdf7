//! Filters that narrow a search without scoring it: a date range and a set of sources.
//!
//! Dates are read the way a newsroom writes them (`2022`, `2022-12`, `2022-12-30`,
//! `30 Desember 2022`, `Desember 2022`) and cover the whole year, month or day they name, in
//! Western Indonesian Time unless an offset is given to [`DateBound::parse`].
//!
//! ```
//! use newsidx::search::filter::DateBound;
//! let since = DateBound::parse("30 Desember 2022").unwrap();
//! assert_eq!(since.start().to_rfc3339(), "2022-12-30T00:00:00+07:00");
//! assert_eq!(DateBound::parse("2022-02").unwrap().end().to_rfc3339(), "2022-03-01T00:00:00+07:00");
//! ```

use chrono::{DateTime, FixedOffset, Months, NaiveDate, TimeZone};

use crate::extract::date::month_number;

/// A calendar period named on the command line: a year, a month or a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateBound {
    first_day: NaiveDate,
    /// The first day after the period.
    next_day: NaiveDate,
    offset: FixedOffset,
}

/// Western Indonesian Time, the zone of most of the archive.
fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

impl DateBound {
    /// Reads `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `D Month YYYY` or `Month YYYY` (Indonesian or
    /// English month names, full or abbreviated), in WIB.
    pub fn parse(text: &str) -> Result<DateBound, String> {
        DateBound::parse_in(text, wib())
    }

    /// Like [`DateBound::parse`], with days starting at midnight in `offset`.
    pub fn parse_in(text: &str, offset: FixedOffset) -> Result<DateBound, String> {
        let trimmed = text.trim();
        let bound = |first_day: NaiveDate, next_day: Option<NaiveDate>| {
            next_day.map(|next_day| DateBound {
                first_day,
                next_day,
                offset,
            })
        };
        let numbers: Vec<&str> = trimmed.split(['-', '/']).collect();
        let parsed = if numbers
            .iter()
            .all(|part| part.chars().all(|c| c.is_ascii_digit()))
            && numbers[0].len() == 4
        {
            let number = |at: usize| numbers.get(at).and_then(|part| part.parse::<u32>().ok());
            let year = number(0).map(|year| year as i32);
            match (numbers.len(), year, number(1), number(2)) {
                (1, Some(year), _, _) => NaiveDate::from_ymd_opt(year, 1, 1)
                    .and_then(|day| bound(day, day.checked_add_months(Months::new(12)))),
                (2, Some(year), Some(month), _) => NaiveDate::from_ymd_opt(year, month, 1)
                    .and_then(|day| bound(day, day.checked_add_months(Months::new(1)))),
                (3, Some(year), Some(month), Some(day)) => {
                    NaiveDate::from_ymd_opt(year, month, day)
                        .and_then(|day| bound(day, day.succ_opt()))
                }
                _ => None,
            }
        } else {
            let words: Vec<&str> = trimmed
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|word| !word.is_empty())
                .collect();
            match words.as_slice() {
                [day, month, year] => match (day.parse::<u32>(), month_number(month), year.parse())
                {
                    (Ok(day), Some(month), Ok(year)) => NaiveDate::from_ymd_opt(year, month, day)
                        .and_then(|day| bound(day, day.succ_opt())),
                    _ => None,
                },
                [month, year] => match (month_number(month), year.parse()) {
                    (Some(month), Ok(year)) => NaiveDate::from_ymd_opt(year, month, 1)
                        .and_then(|day| bound(day, day.checked_add_months(Months::new(1)))),
                    _ => None,
                },
                _ => None,
            }
        };
        parsed.ok_or_else(|| {
            format!(
                "{text:?} is not a date; write it as 2022, 2022-12, 2022-12-30 or \"30 Desember 2022\""
            )
        })
    }

    /// The first instant of the period.
    pub fn start(&self) -> DateTime<FixedOffset> {
        midnight(self.first_day, self.offset)
    }

    /// The first instant after the period.
    pub fn end(&self) -> DateTime<FixedOffset> {
        midnight(self.next_day, self.offset)
    }
}

fn midnight(day: NaiveDate, offset: FixedOffset) -> DateTime<FixedOffset> {
    let naive = day.and_time(chrono::NaiveTime::MIN);
    offset
        .from_local_datetime(&naive)
        .single()
        .unwrap_or_else(|| naive.and_utc().fixed_offset())
}

/// Which sources a `--source NAME` (or `source:NAME`) means, among those in the index.
///
/// The exact name wins; otherwise a source matches when NAME is one of its dot- or
/// space-separated parts or begins it: `kompas` finds `kompas.com` and `kompas.id`.
pub fn matching_sources<'a>(name: &str, known: &'a [String]) -> Vec<&'a str> {
    let name = name.trim().to_lowercase();
    if name.is_empty() {
        return Vec::new();
    }
    let exact: Vec<&str> = known
        .iter()
        .filter(|source| source.to_lowercase() == name)
        .map(String::as_str)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    known
        .iter()
        .filter(|source| {
            let source = source.to_lowercase();
            source.starts_with(&name)
                || source
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|part| part == name)
        })
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str) -> (String, String) {
        let bound = DateBound::parse(text).unwrap();
        (bound.start().to_rfc3339(), bound.end().to_rfc3339())
    }

    #[test]
    fn every_written_form() {
        assert_eq!(
            span("2022"),
            (
                "2022-01-01T00:00:00+07:00".to_string(),
                "2023-01-01T00:00:00+07:00".to_string()
            )
        );
        assert_eq!(span("2022-12").1, "2023-01-01T00:00:00+07:00");
        assert_eq!(span("2024-02-29").1, "2024-03-01T00:00:00+07:00");
        assert_eq!(span("30 Desember 2022").0, "2022-12-30T00:00:00+07:00");
        assert_eq!(span("30 Des 2022").1, "2022-12-31T00:00:00+07:00");
        assert_eq!(span("Agustus 2019").0, "2019-08-01T00:00:00+07:00");
        assert_eq!(span("  1 january, 2020 ").0, "2020-01-01T00:00:00+07:00");
    }

    #[test]
    fn nonsense_is_an_error_that_shows_the_forms() {
        for bad in [
            "",
            "kemarin",
            "2022-13",
            "2023-02-29",
            "31 Juni 2022",
            "22",
            "2022-1-1-1",
        ] {
            let error = DateBound::parse(bad).unwrap_err();
            assert!(error.contains("2022-12-30"), "{bad}: {error}");
        }
    }

    #[test]
    fn sources_by_name_or_part() {
        let known: Vec<String> = [
            "kompas.com",
            "kompas.id",
            "detik.com",
            "news.detik.com",
            "tempo.co",
        ]
        .iter()
        .map(|name| name.to_string())
        .collect();
        assert_eq!(matching_sources("detik.com", &known), ["detik.com"]);
        assert_eq!(
            matching_sources("Kompas", &known),
            ["kompas.com", "kompas.id"]
        );
        assert_eq!(
            matching_sources("detik", &known),
            ["detik.com", "news.detik.com"]
        );
        assert!(matching_sources("republika", &known).is_empty());
        assert!(matching_sources(" ", &known).is_empty());
    }
}
