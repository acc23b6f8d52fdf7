//! `search --facets`, `trend` and the CSV exports, run through the real binary on a corpus
//! written here: every facet and bucket is compared with a count done by brute force over the
//! articles as they were written.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use common::Sandbox;
use serde_json::{json, Value};

/// How an article names its outlet, and the outlet name facets must show for it.
struct Variant {
    source: Option<&'static str>,
    url_host: Option<&'static str>,
    outlet: Option<&'static str>,
}

/// Names and hosts of a few outlets in every way articles give them, and 12 small outlets so
/// that more than ten outlets match.
fn variants() -> Vec<Variant> {
    let mut variants = vec![
        Variant {
            source: Some("CNN Indonesia"),
            url_host: Some("www.cnnindonesia.com"),
            outlet: Some("CNN Indonesia"),
        },
        Variant {
            source: Some("cnnindonesia.com"),
            url_host: None,
            outlet: Some("CNN Indonesia"),
        },
        Variant {
            source: Some("detik.com"),
            url_host: Some("news.detik.com"),
            outlet: Some("detikcom"),
        },
        Variant {
            source: Some("detikFinance"),
            url_host: Some("finance.detik.com"),
            outlet: Some("detikcom"),
        },
        Variant {
            source: Some("antaranews"),
            url_host: None,
            outlet: Some("ANTARA"),
        },
        Variant {
            source: Some("antaranews.com"),
            url_host: Some("jogja.antaranews.com"),
            outlet: Some("ANTARA"),
        },
        Variant {
            source: Some("Kabar Kota"),
            url_host: Some("www.kabarkota.co.id"),
            outlet: Some("kabarkota.co.id"),
        },
        Variant {
            source: None,
            url_host: Some("daerah.kabarkota.co.id"),
            outlet: Some("kabarkota.co.id"),
        },
        Variant {
            source: None,
            url_host: None,
            outlet: None,
        },
    ];
    const SMALL: [&str; 12] = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliet", "kilo", "lima",
    ];
    for name in SMALL {
        variants.push(Variant {
            source: None,
            url_host: Some(Box::leak(format!("www.warta{name}.id").into_boxed_str())),
            outlet: Some(Box::leak(format!("warta{name}.id").into_boxed_str())),
        });
    }
    variants
}

/// One article as written, with what the brute-force counts need.
struct Written {
    /// The date as written (local time with its offset); none for an undated article.
    date: Option<String>,
    outlet: Option<&'static str>,
    host: Option<&'static str>,
    banjir: bool,
    longsor: bool,
}

impl Written {
    fn local_day(&self) -> Option<NaiveDate> {
        self.instant().map(|date| date.date_naive())
    }

    fn instant(&self) -> Option<DateTime<FixedOffset>> {
        self.date
            .as_deref()
            .and_then(|date| DateTime::parse_from_rfc3339(date).ok())
    }

    fn matches(&self, query: &str) -> bool {
        match query {
            "banjir" => self.banjir,
            "longsor" => self.longsor,
            "banjir longsor" => self.banjir || self.longsor,
            "" => true,
            _ => panic!("no brute force for {query:?}"),
        }
    }
}

/// A small deterministic generator (a linear congruential one).
struct Dice(u64);

impl Dice {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize % bound
    }
}

/// Dates across a year boundary, in three Indonesian zones and two far away, with the
/// boundary cases fixed: local dates that are another day (or year) in UTC.
fn date(dice: &mut Dice, at: usize) -> Option<String> {
    const FIXED: [&str; 6] = [
        // Still 31 December 2022 in UTC.
        "2023-01-01T03:00:00+07:00",
        // Already 1 January 2023 in UTC and in Jakarta, yet 31 December where written.
        "2022-12-31T20:00:00-08:00",
        "2022-12-31T23:30:00+09:00",
        "2023-01-01T00:10:00+08:00",
        // A Sunday and the Monday after: two ISO weeks.
        "2023-01-08T22:00:00+07:00",
        "2023-01-09T06:00:00+07:00",
    ];
    if let Some(fixed) = FIXED.get(at % 40) {
        return Some(fixed.to_string());
    }
    if dice.below(12) == 0 {
        return None;
    }
    const OFFSETS: [&str; 5] = ["+07:00", "+08:00", "+09:00", "-05:00", "+00:00"];
    // November 2022 to February 2023, with March 2023 left empty and two April articles.
    let first = NaiveDate::from_ymd_opt(2022, 11, 1).unwrap();
    let day = if dice.below(30) == 0 {
        NaiveDate::from_ymd_opt(2023, 4, 1 + dice.below(20) as u32).unwrap()
    } else {
        first + chrono::Days::new(dice.below(120) as u64)
    };
    Some(format!(
        "{}T{:02}:{:02}:00{}",
        day.format("%Y-%m-%d"),
        dice.below(24),
        dice.below(60),
        OFFSETS[dice.below(OFFSETS.len())]
    ))
}

/// Writes 240 JSON articles and ingests them; returns what was written.
fn archive() -> (Sandbox, Vec<Written>) {
    let sandbox = Sandbox::new();
    let variants = variants();
    let mut dice = Dice(23);
    let mut written = Vec::new();
    for at in 0..240 {
        // The first outlets are likelier, so that counts differ.
        let spread = 1 + dice.below(variants.len());
        let variant = &variants[dice.below(spread)];
        let banjir = dice.below(3) == 0;
        let longsor = dice.below(5) == 0;
        let mut body = vec!["Warga kota berkumpul di balai desa pada pagi hari."];
        if banjir {
            body.push("Air banjir merendam rumah di tepi sungai.");
        }
        if longsor {
            body.push("Tanah longsor menutup jalan menuju kampung.");
        }
        body.push("Petugas mencatat keadaan dan melapor kepada camat setempat.");
        let title = format!("Laporan warga nomor {at}");
        let date = date(&mut dice, at);
        let mut record = json!({ "title": title, "body": body.join("\n\n") });
        if let Some(date) = &date {
            record["date"] = json!(date);
        }
        if let Some(source) = variant.source {
            record["source"] = json!(source);
        }
        if let Some(host) = variant.url_host {
            record["url"] = json!(format!("https://{host}/berita/{at}"));
        }
        sandbox.write(&format!("a{at:03}.json"), record.to_string());
        written.push(Written {
            date,
            outlet: variant.outlet,
            host: variant.url_host.map(|host| host.trim_start_matches("www.")),
            banjir,
            longsor,
        });
    }
    sandbox.ingest();
    (sandbox, written)
}

/// The facets of `matching` articles, counted by hand: the ten biggest outlets (ties by
/// name), "lainnya" for the rest and the unnamed, and every year.
fn expected_facets(matching: &[&Written]) -> Value {
    let mut outlets: BTreeMap<&str, u64> = BTreeMap::new();
    let mut years: BTreeMap<i32, u64> = BTreeMap::new();
    for article in matching {
        if let Some(outlet) = article.outlet {
            *outlets.entry(outlet).or_default() += 1;
        }
        if let Some(day) = article.local_day() {
            *years.entry(day.year()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, u64)> = outlets.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    ranked.truncate(10);
    let listed: u64 = ranked.iter().map(|(_, count)| count).sum();
    let mut source: Vec<Value> = ranked
        .iter()
        .map(|(value, count)| json!({ "value": value, "count": count }))
        .collect();
    let rest = matching.len() as u64 - listed;
    if rest > 0 {
        source.push(json!({ "value": "lainnya", "count": rest }));
    }
    let year: Vec<Value> = years
        .into_iter()
        .map(|(value, count)| json!({ "value": value, "count": count }))
        .collect();
    json!({ "source": source, "year": year })
}

#[test]
fn facets_count_every_matching_article_by_outlet_and_local_year() {
    let (sandbox, written) = archive();
    for query in ["banjir", "longsor", "banjir longsor", ""] {
        let results = sandbox.search_json(query, &["--facets", "--limit", "3"]);
        let matching: Vec<&Written> = written.iter().filter(|a| a.matches(query)).collect();
        assert_eq!(results["total"], matching.len(), "{query:?}");
        assert_eq!(results["facets"], expected_facets(&matching), "{query:?}");
        assert_eq!(results["hits"].as_array().unwrap().len(), 3);
    }
    // More than ten outlets match everything, so the rest is counted together.
    let all = sandbox.search_json("", &["--facets"]);
    let names: Vec<&str> = all["facets"]["source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|outlet| outlet["value"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 11);
    assert_eq!(names.last(), Some(&"lainnya"));
    for outlet in ["CNN Indonesia", "detikcom", "ANTARA", "kabarkota.co.id"] {
        assert!(names.contains(&outlet), "{outlet} in {names:?}");
    }
    // Without --facets the JSON is as before.
    assert!(sandbox.search_json("banjir", &[]).get("facets").is_none());
}

/// Which written articles a filter keeps, by brute force.
type Keep = Box<dyn Fn(&Written) -> bool>;

#[test]
fn filters_narrow_facets_as_they_narrow_results() {
    let (sandbox, written) = archive();
    let since = DateTime::parse_from_rfc3339("2023-01-01T00:00:00+07:00").unwrap();
    let cases: [(&[&str], Keep); 5] = [
        (
            &["--source", "CNN Indonesia"],
            Box::new(|a| a.outlet == Some("CNN Indonesia")),
        ),
        (
            &["--source", "detik.com"],
            Box::new(|a| a.outlet == Some("detikcom")),
        ),
        (
            &["--source", "finance.detik.com"],
            Box::new(|a| a.host == Some("finance.detik.com")),
        ),
        (
            &["--source", "antaranews", "--source", "kabarkota.co.id"],
            Box::new(|a| matches!(a.outlet, Some("ANTARA" | "kabarkota.co.id"))),
        ),
        (
            &["--since", "2023"],
            Box::new(move |a| a.instant().is_some_and(|date| date >= since)),
        ),
    ];
    for (filters, keep) in &cases {
        let mut args = vec!["--facets"];
        args.extend_from_slice(filters);
        let results = sandbox.search_json("banjir", &args);
        let matching: Vec<&Written> = written
            .iter()
            .filter(|a| a.matches("banjir") && keep(a))
            .collect();
        assert!(!matching.is_empty(), "{filters:?} selects something");
        assert_eq!(results["total"], matching.len(), "{filters:?}");
        assert_eq!(results["facets"], expected_facets(&matching), "{filters:?}");
    }
}

/// The trend of `query` counted by hand: per period number, (matching, all).
fn expected_trend(
    written: &[Written],
    query: &str,
    period_of: impl Fn(NaiveDate) -> String,
    keep: impl Fn(&Written) -> bool,
) -> BTreeMap<String, (u64, u64)> {
    let mut counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for article in written.iter().filter(|a| keep(a)) {
        let Some(day) = article.local_day() else {
            continue;
        };
        let entry = counts.entry(period_of(day)).or_default();
        entry.0 += u64::from(article.matches(query));
        entry.1 += 1;
    }
    counts
}

fn trend_json(sandbox: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["trend", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&sandbox.ok(&all)).expect("trend --json prints JSON")
}

/// Checks one series against the hand count: every listed period, in order with none
/// missing, and every counted period listed.
fn check_series(series: &Value, expected: &BTreeMap<String, (u64, u64)>, label: &str) {
    let buckets = series["buckets"].as_array().unwrap();
    let listed: BTreeSet<&str> = buckets
        .iter()
        .map(|bucket| bucket["period"].as_str().unwrap())
        .collect();
    for period in expected.keys() {
        assert!(
            listed.contains(period.as_str()),
            "{label}: {period} missing"
        );
    }
    let mut last_start: Option<NaiveDate> = None;
    for bucket in buckets {
        let keys: BTreeSet<&str> = bucket
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from(["period", "start", "count", "total", "share"]),
            "{label}"
        );
        let period = bucket["period"].as_str().unwrap();
        let (count, total) = expected.get(period).copied().unwrap_or((0, 0));
        assert_eq!(bucket["count"], count, "{label}: {period}");
        assert_eq!(bucket["total"], total, "{label}: {period}");
        let share = if total == 0 {
            0.0
        } else {
            count as f64 / total as f64
        };
        assert!(
            (bucket["share"].as_f64().unwrap() - share).abs() < 1e-9,
            "{label}: {period}"
        );
        let start =
            NaiveDate::parse_from_str(bucket["start"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        if let Some(last) = last_start {
            assert!(start > last, "{label}: periods in order");
        }
        last_start = Some(start);
    }
}

#[test]
fn trend_counts_each_period_by_the_articles_own_local_date() {
    let (sandbox, written) = archive();
    let month = |day: NaiveDate| day.format("%Y-%m").to_string();
    let year = |day: NaiveDate| day.format("%Y").to_string();
    let week = |day: NaiveDate| {
        let week = day.iso_week();
        format!("{}-W{:02}", week.year(), week.week())
    };
    let trend = trend_json(&sandbox, &["banjir", "longsor", "--by", "month"]);
    assert_eq!(trend["by"], "month");
    let series = trend["series"].as_array().unwrap();
    assert_eq!(series.len(), 2);
    for (series, query) in series.iter().zip(["banjir", "longsor"]) {
        assert_eq!(series["query"], query);
        let expected = expected_trend(&written, query, month, |_| true);
        check_series(series, &expected, query);
        // November 2022 to April 2023, March empty but listed.
        let periods: Vec<&str> = series["buckets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|bucket| bucket["period"].as_str().unwrap())
            .collect();
        assert_eq!(
            periods,
            ["2022-11", "2022-12", "2023-01", "2023-02", "2023-03", "2023-04"]
        );
    }
    let by_year = trend_json(&sandbox, &["banjir", "--by", "year"]);
    check_series(
        &by_year["series"][0],
        &expected_trend(&written, "banjir", year, |_| true),
        "year",
    );
    let by_week = trend_json(&sandbox, &["banjir", "--by", "week"]);
    check_series(
        &by_week["series"][0],
        &expected_trend(&written, "banjir", week, |_| true),
        "week",
    );
    // The year boundary: 2023-01-01T03:00+07:00 is of 2023 although UTC says 2022, and
    // 2022-12-31T20:00-08:00 of 2022 although UTC says 2023; the hand count used local dates.
    let boundary = |text: &str| written.iter().any(|a| a.date.as_deref() == Some(text));
    assert!(boundary("2023-01-01T03:00:00+07:00") && boundary("2022-12-31T20:00:00-08:00"));
}

#[test]
fn trend_filters_select_by_local_date_and_outlet_and_list_empty_days() {
    let (sandbox, written) = archive();
    let day = |day: NaiveDate| day.format("%Y-%m-%d").to_string();
    let first = NaiveDate::from_ymd_opt(2022, 12, 31).unwrap();
    let last = NaiveDate::from_ymd_opt(2023, 1, 9).unwrap();
    let in_days = |a: &Written| a.local_day().is_some_and(|d| d >= first && d <= last);
    let trend = trend_json(
        &sandbox,
        &[
            "banjir",
            "--by",
            "day",
            "--since",
            "2022-12-31",
            "--until",
            "2023-01-09",
        ],
    );
    let series = &trend["series"][0];
    check_series(
        series,
        &expected_trend(&written, "banjir", day, in_days),
        "days",
    );
    // Every day of the span is listed, those without any article too.
    assert_eq!(series["buckets"].as_array().unwrap().len(), 10);
    let detik = |a: &Written| a.outlet == Some("detikcom");
    let trend = trend_json(&sandbox, &["banjir", "--by", "month", "--source", "detik"]);
    let month = |day: NaiveDate| day.format("%Y-%m").to_string();
    check_series(
        &trend["series"][0],
        &expected_trend(&written, "banjir", month, detik),
        "detik",
    );
    let desk = |a: &Written| a.host == Some("finance.detik.com");
    let trend = trend_json(&sandbox, &["banjir", "--source", "finance.detik.com"]);
    check_series(
        &trend["series"][0],
        &expected_trend(&written, "banjir", month, desk),
        "desk",
    );
}

#[test]
fn trend_prints_bars_csv_and_an_svg_chart() {
    let (sandbox, written) = archive();
    let text = sandbox.ok(&["trend", "banjir", "longsor", "--by", "year"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("year") && lines[0].contains("banjir") && lines[0].contains("longsor")
    );
    let expected = expected_trend(&written, "banjir", |d| d.format("%Y").to_string(), |_| true);
    for (line, (period, (count, total))) in lines[1..].iter().zip(&expected) {
        assert!(line.starts_with(period.as_str()), "{line}");
        assert!(line.contains('█'), "{line}");
        let share = format!("{:.1}%", *count as f64 * 100.0 / *total as f64);
        assert!(
            line.contains(&format!(" {count} ")) && line.contains(&share),
            "{line}"
        );
    }
    // CSV: a header and one row per query and period; the query's newline is quoted.
    let csv_text = sandbox.ok(&["trend", "banjir\nlongsor", "--by", "year", "--csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        ["query", "period", "start", "count", "total", "share"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let both = expected_trend(
        &written,
        "banjir longsor",
        |d| d.format("%Y").to_string(),
        |_| true,
    );
    assert_eq!(rows.len(), both.len());
    for (row, (period, (count, total))) in rows.iter().zip(&both) {
        assert_eq!(&row[0], "banjir\nlongsor");
        assert_eq!(&row[1], period);
        assert_eq!(row[3].parse::<u64>().unwrap(), *count);
        assert_eq!(row[4].parse::<u64>().unwrap(), *total);
    }
    // SVG: a picture with both queries in its legend and the periods on its axis.
    let svg = sandbox.dir.path().join("trend.svg");
    sandbox.ok(&[
        "trend",
        "banjir",
        "longsor",
        "--by",
        "year",
        "--svg",
        svg.to_str().unwrap(),
    ]);
    let picture = std::fs::read_to_string(&svg).unwrap();
    assert!(picture.starts_with("<svg") && picture.trim_end().ends_with("</svg>"));
    for label in ["banjir", "longsor", "2022", "2023", "articles"] {
        assert!(picture.contains(label), "{label} in the chart");
    }
    assert!(
        picture.matches("<polyline").count() >= 2,
        "one line per query"
    );
}

#[test]
fn search_csv_quotes_commas_quotes_and_newlines() {
    let sandbox = Sandbox::new();
    let titles = [
        "Banjir di Bekasi, Karawang dan Bogor",
        "Warga: \"banjir datang tiap tahun\"",
        "Banjir kiriman; air naik 2 meter",
    ];
    for (at, title) in titles.iter().enumerate() {
        let record = json!({
            "title": title,
            "date": format!("2023-02-0{}T08:00:00+07:00", at + 1),
            "source": "Kabar, \"Kota\"",
            "url": format!("https://kabarkota.example.id/{at}"),
            "body": "Air banjir merendam rumah warga.\n\nBanjir, kata warga, datang \"lagi\".",
        });
        sandbox.write(&format!("b{at}.json"), record.to_string());
    }
    sandbox.ingest();
    let json_results = sandbox.search_json("banjir", &["--sort", "oldest"]);
    let text = sandbox.ok(&["search", "banjir", "--sort", "oldest", "--csv"]);
    assert!(
        text.contains("\"Warga: \"\"banjir datang tiap tahun\"\"\""),
        "{text}"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        ["rank", "date", "source", "title", "url", "id", "snippet"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let hits = json_results["hits"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for (row, hit) in rows.iter().zip(hits) {
        assert_eq!(
            row[0].parse::<u64>().unwrap(),
            hit["rank"].as_u64().unwrap()
        );
        assert_eq!(&row[1], hit["date"].as_str().unwrap());
        assert_eq!(&row[2], hit["source"].as_str().unwrap());
        assert_eq!(&row[3], hit["title"].as_str().unwrap());
        assert_eq!(&row[4], hit["url"].as_str().unwrap());
        assert_eq!(&row[5], hit["id"].as_str().unwrap());
        assert_eq!(&row[6], hit["snippets"][0]["text"].as_str().unwrap());
    }
    let csv_titles: Vec<&str> = rows.iter().map(|row| &row[3]).collect();
    assert_eq!(csv_titles, titles);
    // CSV and JSON are one output each.
    assert!(!sandbox
        .run(&["search", "banjir", "--csv", "--json"])
        .status
        .success());
}
