//! The HTML pages: the search page (`/`, `/cari`), the article page (`/artikel`) and the error
//! pages, in Bahasa Indonesia, from the templates in `templates/`. Templates escape every value;
//! article text reaches them as [`Run`]s so that a highlight is markup made here around
//! escaped text, never text taken as markup.

use std::sync::Arc;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::DateTime;

use super::params::{encode, first, pairs, SearchParams, MAX_OFFSET};
use super::text::{paragraphs, runs, Run};
use super::{api, blocking, AppState, Failure};
use crate::search::{mark, search as run_search, SearchResults};

/// Sources listed as filters beside the results.
pub const SOURCE_FILTERS: usize = 15;
/// Page links shown on each side of the current page.
pub const PAGE_LINKS: usize = 4;

/// The search form as the request filled it in, shown again on every page.
#[derive(Clone, Debug, Default)]
pub struct Form {
    pub query: String,
    pub since: String,
    pub until: String,
    pub sort: String,
    pub sources: Vec<String>,
}

impl Form {
    fn from_pairs(pairs: &[(String, String)]) -> Form {
        let value = |name| first(pairs, name).unwrap_or_default().to_string();
        Form {
            query: value("q"),
            since: value("since"),
            until: value("until"),
            sort: value("sort"),
            sources: pairs
                .iter()
                .filter(|(name, value)| name == "source" && !value.trim().is_empty())
                .map(|(_, value)| value.clone())
                .collect(),
        }
    }
}

/// A source filter to add or take away: its name, its link, and how many articles it has.
pub struct SourceLink {
    pub name: String,
    pub link: String,
    pub count: usize,
}

/// A count by year.
pub struct YearCount {
    pub name: String,
    pub count: usize,
}

pub struct CopyLink {
    pub name: String,
    pub link: String,
}

pub struct HitView {
    pub link: String,
    pub heading: String,
    pub from_lead: bool,
    pub date: Option<String>,
    pub source: Option<String>,
    pub byline: Option<String>,
    pub passages: Vec<Vec<Run>>,
    pub copies: Vec<CopyLink>,
}

pub struct PageLink {
    pub number: usize,
    pub link: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub form: Form,
    pub asked: bool,
    pub archive_line: String,
    pub notes: Vec<String>,
    pub total: usize,
    pub took: String,
    pub first: usize,
    pub last: usize,
    pub filtered: bool,
    pub hits: Vec<HitView>,
    pub active_sources: Vec<SourceLink>,
    pub source_counts: Vec<SourceLink>,
    pub source_counts_label: String,
    pub years: Vec<YearCount>,
    /// Where the coverage chart is served for this search, when there is one.
    pub chart: Option<String>,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    pub form: Form,
    pub back: Option<String>,
    pub heading: String,
    pub from_lead: bool,
    pub date: Option<String>,
    pub date_inferred: bool,
    pub byline: Option<String>,
    pub source: Option<String>,
    pub dateline: Option<String>,
    pub captions: Vec<Vec<Run>>,
    pub paragraphs: Vec<Vec<Run>>,
    pub url: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub form: Form,
    pub status: u16,
    pub heading: String,
    pub message: String,
}

fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(error) => {
            eprintln!("newsidx serve: rendering a page failed ({error})");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be made",
            )
                .into_response()
        }
    }
}

/// `failure` as a page with its status, the search form filled in as asked.
pub fn failure(failure: &Failure, form: Form) -> Response {
    let (heading, message) = match failure {
        Failure::BadParam(bad) => (
            "Permintaan tidak dapat dibaca".to_string(),
            format!("{} ({})", bad_param_text(bad.name), bad.reason),
        ),
        Failure::NotFound(_) => (
            "Tidak ditemukan".to_string(),
            "Halaman atau artikel ini tidak ada di arsip. Mungkin artikelnya sudah dihapus \
             dari indeks, atau tautannya terpotong."
                .to_string(),
        ),
        Failure::Unavailable => (
            "Arsip belum tersedia".to_string(),
            "Indeks belum dapat dibuka. Coba lagi sebentar lagi.".to_string(),
        ),
        Failure::Internal(_) => (
            "Terjadi galat".to_string(),
            "Indeks gagal dibaca. Coba lagi; bila terus terjadi, beri tahu pengelola arsip."
                .to_string(),
        ),
    };
    html(
        failure.status(),
        &ErrorPage {
            form,
            status: failure.status().as_u16(),
            heading,
            message,
        },
    )
}

fn bad_param_text(name: &str) -> &'static str {
    match name {
        "q" => "Kueri terlalu panjang",
        "since" => "Tanggal \"sejak\" tidak dikenali",
        "until" => "Tanggal \"sampai\" tidak dikenali",
        "sort" => "Urutan tidak dikenali",
        "limit" => "Jumlah hasil per halaman di luar batas",
        "offset" => "Halaman di luar batas",
        "source" => "Saringan sumber tidak dapat dipakai",
        "id" => "Artikel tidak disebut",
        _ => "Parameter tidak dapat dipakai",
    }
}

/// `/static/gaya.css`: the one style sheet, compiled into the binary.
pub async fn style() -> Response {
    let mut response = include_str!("../../templates/gaya.css").into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

/// `/` and `/cari`: the search form, and the results when a search was asked for.
pub async fn search(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let pairs = pairs(raw.as_deref());
    let form = Form::from_pairs(&pairs);
    let params = match SearchParams::parse(&pairs) {
        Ok(params) => params,
        Err(bad) => return failure(&Failure::BadParam(bad), form),
    };
    let Some(opened) = state.live.get() else {
        return failure(&Failure::Unavailable, form);
    };
    let asked = params.asked;
    let outcome = blocking(move || {
        let stats = opened.stats()?;
        let results = if asked {
            Some(run_search(&opened.news, &params.request())?)
        } else {
            None
        };
        Ok((params, stats, results))
    })
    .await;
    let (params, stats, results) = match outcome {
        Ok(done) => done,
        Err(error) => return failure(&error, form),
    };
    let archive_line = format!(
        "Arsip ini memuat {} artikel dari {} sumber{}.",
        thousands(stats.documents),
        stats.sources.len(),
        match (&stats.earliest, &stats.latest) {
            (Some(earliest), Some(latest)) => format!(
                ", terbit {} sampai {}",
                day(earliest).unwrap_or_default(),
                day(latest).unwrap_or_default()
            ),
            _ => String::new(),
        }
    );
    let Some(results) = results else {
        return html(
            StatusCode::OK,
            &SearchPage {
                form,
                asked: false,
                archive_line,
                ..empty_page()
            },
        );
    };

    // Filters: the chosen sources (each with a link without it), then the archive's largest
    // sources not chosen yet.
    let active_sources = params
        .sources
        .iter()
        .map(|source| {
            let others: Vec<String> = params
                .sources
                .iter()
                .filter(|other| *other != source)
                .cloned()
                .collect();
            SourceLink {
                name: source.clone(),
                link: params.link(0, &others),
                count: 0,
            }
        })
        .collect();
    let mut by_count: Vec<(&String, &usize)> = stats
        .sources
        .iter()
        .filter(|(name, _)| !params.sources.contains(name))
        .collect();
    by_count.sort_by(|left, right| right.1.cmp(left.1).then(left.0.cmp(right.0)));
    let source_counts = by_count
        .into_iter()
        .take(SOURCE_FILTERS)
        .map(|(name, count)| {
            let mut chosen = params.sources.clone();
            chosen.push(name.clone());
            SourceLink {
                name: name.clone(),
                link: params.link(0, &chosen),
                count: *count,
            }
        })
        .collect();

    let hits = hit_views(&results);
    let first = params.offset + 1;
    let last = params.offset + hits.len();
    let has_next = hits.len() == params.limit
        && params.offset + params.limit < results.total
        && params.offset + params.limit <= MAX_OFFSET;
    let previous = (params.offset > 0)
        .then(|| params.link(params.offset.saturating_sub(params.limit), &params.sources));
    let next = has_next.then(|| params.link(params.offset + params.limit, &params.sources));
    let pages = page_links(&params, results.total);
    let filtered = params.since.is_some() || params.until.is_some() || !params.sources.is_empty();
    html(
        StatusCode::OK,
        &SearchPage {
            form,
            asked: true,
            archive_line,
            notes: results.notes.clone(),
            total: results.total,
            took: format!("{:.1}", results.took_ms),
            first,
            last,
            filtered,
            hits,
            active_sources,
            source_counts,
            source_counts_label: "jumlah artikel di seluruh arsip".to_string(),
            years: Vec::new(),
            chart: None,
            previous,
            next,
            pages,
        },
    )
}

fn empty_page() -> SearchPage {
    SearchPage {
        form: Form::default(),
        asked: false,
        archive_line: String::new(),
        notes: Vec::new(),
        total: 0,
        took: String::new(),
        first: 0,
        last: 0,
        filtered: false,
        hits: Vec::new(),
        active_sources: Vec::new(),
        source_counts: Vec::new(),
        source_counts_label: String::new(),
        years: Vec::new(),
        chart: None,
        previous: None,
        next: None,
        pages: Vec::new(),
    }
}

fn hit_views(results: &SearchResults) -> Vec<HitView> {
    let query = encode(&results.query);
    results
        .hits
        .iter()
        .map(|hit| HitView {
            link: format!("id={}&q={query}", encode(&hit.id)),
            heading: hit.heading.text.clone(),
            from_lead: hit.heading.from_lead,
            date: hit.date.as_deref().and_then(day_and_time),
            source: hit.source.clone(),
            byline: hit.byline.clone(),
            passages: hit
                .snippets
                .iter()
                .map(|snippet| runs(&snippet.text, &snippet.highlights))
                .collect(),
            copies: hit
                .duplicates
                .iter()
                .map(|copy| CopyLink {
                    name: copy
                        .source
                        .clone()
                        .or_else(|| copy.url.clone())
                        .unwrap_or_else(|| copy.id.clone()),
                    link: format!("id={}&q={query}", encode(&copy.id)),
                })
                .collect(),
        })
        .collect()
}

/// Links to the pages around the current one, within the offset limit.
fn page_links(params: &SearchParams, total: usize) -> Vec<PageLink> {
    let limit = params.limit.max(1);
    let reachable = total.min(MAX_OFFSET + limit);
    let pages = reachable.div_ceil(limit);
    if pages <= 1 {
        return Vec::new();
    }
    let current = params.offset / limit;
    let from = current.saturating_sub(PAGE_LINKS);
    let to = (current + PAGE_LINKS + 1).min(pages);
    (from..to)
        .map(|page| PageLink {
            number: page + 1,
            link: params.link(page * limit, &params.sources),
            current: page == current,
        })
        .collect()
}

/// `/artikel?id=…[&q=…]`: one stored article in full, the query's words marked.
pub async fn article(State(state): State<Arc<AppState>>, RawQuery(raw): RawQuery) -> Response {
    let pairs = pairs(raw.as_deref());
    let form = Form::from_pairs(&pairs);
    let id = match api::article_id(&pairs) {
        Ok(id) => id,
        Err(error) => return failure(&error, form),
    };
    let query = first(&pairs, "q").unwrap_or_default().trim().to_string();
    if query.chars().count() > super::params::MAX_QUERY_CHARS {
        return failure(
            &Failure::BadParam(super::params::BadParam {
                name: "q",
                reason: format!("longer than {} characters", super::params::MAX_QUERY_CHARS),
            }),
            form,
        );
    }
    let Some(opened) = state.live.get() else {
        return failure(&Failure::Unavailable, form);
    };
    let marked_query = query.clone();
    let outcome = blocking(move || {
        let Some(article) = super::text::find_article(&opened.news, &id)? else {
            return Err(Failure::NotFound(format!("no article with id {id:?}")));
        };
        let body = paragraphs(&article.body)
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>();
        let texts: Vec<&str> = body
            .iter()
            .map(String::as_str)
            .chain(article.captions.iter().map(String::as_str))
            .collect();
        let marks = if marked_query.is_empty() {
            vec![Vec::new(); texts.len()]
        } else {
            mark(&opened.news, &marked_query, &texts)?
        };
        let mut cut: Vec<Vec<Run>> = texts
            .iter()
            .zip(&marks)
            .map(|(text, marks)| runs(text, marks))
            .collect();
        let captions = cut.split_off(body.len());
        Ok((article, cut, captions))
    })
    .await;
    let (article, paragraphs, captions) = match outcome {
        Ok(done) => done,
        Err(error) => return failure(&error, form),
    };
    let heading = crate::search::heading::heading(&article.title, &article.body);
    let page = ArticlePage {
        form: Form {
            query: query.clone(),
            ..Form::default()
        },
        back: (!query.is_empty()).then(|| format!("q={}", encode(&query))),
        heading: heading.text,
        from_lead: heading.from_lead,
        date: article.date.map(|date| format_day_and_time(&date)),
        date_inferred: article.date_inferred,
        byline: article.byline,
        source: article.source,
        dateline: article.dateline,
        captions,
        paragraphs,
        // Only a web address becomes a link: a `javascript:` URL in an export stays text-free.
        url: article.url.filter(|url| {
            let lower = url.to_ascii_lowercase();
            lower.starts_with("https://") || lower.starts_with("http://")
        }),
    };
    html(StatusCode::OK, &page)
}

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

fn month_name(date: &DateTime<chrono::FixedOffset>) -> &'static str {
    use chrono::Datelike;
    MONTHS
        .get(date.month0() as usize)
        .copied()
        .unwrap_or_default()
}

/// "12 Agustus 2023" for an RFC 3339 date.
fn day(text: &str) -> Option<String> {
    use chrono::Datelike;
    let date = DateTime::parse_from_rfc3339(text).ok()?;
    Some(format!(
        "{} {} {}",
        date.day(),
        month_name(&date),
        date.year()
    ))
}

/// "12 Agustus 2023 19.30" (the article's own local time) for an RFC 3339 date.
fn day_and_time(text: &str) -> Option<String> {
    Some(format_day_and_time(
        &DateTime::parse_from_rfc3339(text).ok()?,
    ))
}

fn format_day_and_time(date: &DateTime<chrono::FixedOffset>) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{} {} {} {:02}.{:02}",
        date.day(),
        month_name(date),
        date.year(),
        date.hour(),
        date.minute()
    )
}

/// 1234567 as "1.234.567", as Indonesian writes it.
fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::params::DEFAULT_LIMIT;
    use super::*;

    #[test]
    fn numbers_and_dates_read_as_indonesian() {
        assert_eq!(thousands(1_234_567), "1.234.567");
        assert_eq!(thousands(999), "999");
        assert_eq!(
            day_and_time("2023-08-12T19:30:00+08:00").as_deref(),
            Some("12 Agustus 2023 19.30")
        );
        assert_eq!(day("not a date"), None);
    }

    #[test]
    fn paging_stays_within_the_offset_limit() {
        let params = SearchParams {
            limit: DEFAULT_LIMIT,
            offset: MAX_OFFSET,
            ..SearchParams::default()
        };
        let pages = page_links(&params, 1_000_000);
        let last = pages.last().expect("pages");
        assert_eq!(last.number, MAX_OFFSET / DEFAULT_LIMIT + 1);
        assert!(pages.iter().any(|page| page.current));
    }
}
