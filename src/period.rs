//! Calendar periods of articles by their own local date as published: an article dated
//! 2023-01-01T03:00+07:00 is of 1 January 2023, January 2023 and 2023, wherever it is read.
//!
//! The index keeps two numbers per dated article ([`local_day`], [`local_month`]); a period is
//! a run of them: a day, a week (Monday to Sunday, named by its ISO week), a month or a year.
//!
//! ```
//! use newsidx::period::{local_day, local_month, Period};
//! let date = chrono::DateTime::parse_from_rfc3339("2023-01-01T03:00:00+07:00").unwrap();
//! let month = Period::Month.of(local_day(&date), local_month(&date));
//! assert_eq!(Period::Month.label(month), "2023-01");
//! assert_eq!(Period::Week.label(Period::Week.of(local_day(&date), 0)), "2022-W52");
//! ```

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate};
use serde::Serialize;

/// The first day numbers count from.
const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// 1970-01-01 was a Thursday: Mondays are the days whose number is 4 modulo 7.
pub const MONDAY_OFFSET: i64 = 4;

/// The article's local date as published, in days since 1970-01-01.
pub fn local_day(date: &DateTime<FixedOffset>) -> i64 {
    day_number(date.date_naive())
}

/// The article's local month as published: year × 12 + month − 1.
pub fn local_month(date: &DateTime<FixedOffset>) -> i64 {
    month_number(date.date_naive())
}

/// Days from 1970-01-01 to `day`.
pub fn day_number(day: NaiveDate) -> i64 {
    day.signed_duration_since(EPOCH).num_days()
}

/// `day`'s year × 12 + month − 1.
pub fn month_number(day: NaiveDate) -> i64 {
    i64::from(day.year()) * 12 + i64::from(day.month0())
}

/// The date of day number `number`; none out of chrono's range.
pub fn day_of(number: i64) -> Option<NaiveDate> {
    let days = Days::new(number.unsigned_abs());
    if number >= 0 {
        EPOCH.checked_add_days(days)
    } else {
        EPOCH.checked_sub_days(days)
    }
}

/// How long a period of a trend is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    #[default]
    Month,
    Year,
}

impl Period {
    /// The number of the period holding an article of local day `day` and local month
    /// `month`: consecutive periods have consecutive numbers.
    pub fn of(self, day: i64, month: i64) -> i64 {
        match self {
            Period::Day => day,
            Period::Week => (day - MONDAY_OFFSET).div_euclid(7),
            Period::Month => month,
            Period::Year => month.div_euclid(12),
        }
    }

    /// The number of the period holding `date`.
    pub fn of_date(self, date: NaiveDate) -> i64 {
        self.of(day_number(date), month_number(date))
    }

    /// The first day of period `number`.
    pub fn start(self, number: i64) -> Option<NaiveDate> {
        match self {
            Period::Day => day_of(number),
            Period::Week => day_of(number * 7 + MONDAY_OFFSET),
            Period::Month => {
                let year = i32::try_from(number.div_euclid(12)).ok()?;
                let month = u32::try_from(number.rem_euclid(12)).ok()? + 1;
                NaiveDate::from_ymd_opt(year, month, 1)
            }
            Period::Year => NaiveDate::from_ymd_opt(i32::try_from(number).ok()?, 1, 1),
        }
    }

    /// How period `number` is written: `2023-01-05`, `2023-W01`, `2023-01`, `2023`.
    pub fn label(self, number: i64) -> String {
        let Some(start) = self.start(number) else {
            return number.to_string();
        };
        match self {
            Period::Day => start.format("%Y-%m-%d").to_string(),
            Period::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Period::Month => start.format("%Y-%m").to_string(),
            Period::Year => start.format("%Y").to_string(),
        }
    }

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn the_local_date_decides_not_utc() {
        // 03:00 in Jakarta is still 31 December in UTC.
        let early = date("2023-01-01T03:00:00+07:00");
        assert_eq!(
            Period::Year.label(Period::Year.of(0, local_month(&early))),
            "2023"
        );
        // 23:30 in Jayapura on 31 December is 14:30 UTC the same day, and 21:30 in Jakarta.
        let late = date("2022-12-31T23:30:00+09:00");
        assert_eq!(Period::Day.label(local_day(&late)), "2022-12-31");
        // Eight hours behind UTC, a New Year's Eve evening is already 1 January in UTC.
        let west = date("2022-12-31T20:00:00-08:00");
        assert_eq!(Period::Month.label(local_month(&west)), "2022-12");
    }

    #[test]
    fn periods_are_consecutive_and_start_where_they_say() {
        for period in [Period::Day, Period::Week, Period::Month, Period::Year] {
            let mut day = NaiveDate::from_ymd_opt(1968, 11, 20).unwrap();
            let end = NaiveDate::from_ymd_opt(1972, 3, 1).unwrap();
            let mut last = period.of_date(day);
            while day < end {
                let number = period.of_date(day);
                assert!(number == last || number == last + 1, "{period:?} {day}");
                let start = period.start(number).unwrap();
                assert!(start <= day, "{period:?} {day}");
                assert_eq!(period.of_date(start), number);
                if number != last {
                    assert_eq!(start, day, "{period:?}: a period starts on its first day");
                }
                last = number;
                day = day.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn weeks_start_on_monday_and_take_the_iso_name() {
        // Monday 2 January 2023 opens ISO week 1; Sunday 1 January closes 2022's week 52.
        let monday = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
        let number = Period::Week.of_date(monday);
        assert_eq!(Period::Week.start(number), Some(monday));
        assert_eq!(Period::Week.label(number), "2023-W01");
        assert_eq!(Period::Week.label(number - 1), "2022-W52");
        assert_eq!(Period::Day.label(0), "1970-01-01");
        assert_eq!(Period::Month.label(2023 * 12 + 11), "2023-12");
    }
}
