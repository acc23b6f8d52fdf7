//! Plain-text scrapes: a site header, navigation words, captions, the headline, a dateline, the body.

use chrono::{FixedOffset, TimeZone};
use once_cell::sync::Lazy;
use regex::Regex;

use super::date::{day_month_mentions, parse_date};
use super::{normalize_space, ExtractError, ExtractOptions};
use crate::article::{Article, Format};

/// "Berita Baru, Washington – ", "JAKARTA, KOMPAS.com - ", "Jakarta (ANTARA) - ", "BANDUNG -- ".
static DATELINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^(?P<lead>[\p{Lu}][\p{L}.]*(?:[ .][\p{L}.]+){0,3})(?:\s*,\s*(?P<second>[\p{L}][\p{L}.]*(?: [\p{L}.]+){0,2}))?(?:\s*\((?P<paren>[^)]{1,40})\))?\s*(?:[–—]|--?)\s+")
        .expect("valid regex")
});

static CAPTION_CREDIT: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)\b(foto|photo|ilustrasi|dok\.?)\s*:").expect("valid regex"));

static SITE_TOKEN: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b([a-z0-9-]+\.(?:co\.id|com|co|id|net|org|news|tv))\b").expect("valid regex")
});

pub(crate) fn extract(
    text: &str,
    path: &str,
    options: &ExtractOptions,
) -> Result<Article, ExtractError> {
    let mut article = Article::new(path, Format::Text);
    let lines: Vec<String> = text
        .lines()
        .map(normalize_space)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(ExtractError::Empty);
    }

    let mut counts = std::collections::HashMap::new();
    for line in &lines {
        *counts.entry(line.as_str()).or_insert(0usize) += 1;
    }
    let is_caption = |line: &str| {
        (counts.get(line).copied().unwrap_or(0) > 1 && line.split_whitespace().count() > 6)
            || (CAPTION_CREDIT.is_match(line) && line.split_whitespace().count() < 60)
    };

    // The body starts at the first line with a dateline; failing that, at the first long line.
    let dateline_at = lines.iter().position(|line| {
        !is_caption(line) && line.split_whitespace().count() > 8 && DATELINE.is_match(line)
    });
    let body_start = dateline_at.or_else(|| {
        lines
            .iter()
            .position(|line| !is_caption(line) && line.split_whitespace().count() > 15)
    });
    let Some(body_start) = body_start else {
        // Short text: first line is the title, the rest the body.
        article.title = lines[0].clone();
        article.body = lines[1..].join("\n\n");
        if article.body.is_empty() {
            return Err(ExtractError::NoArticle);
        }
        return Ok(article);
    };

    // The headline is the nearest short line above the body that is not a caption.
    let title_at = lines[..body_start].iter().rposition(|line| {
        !is_caption(line) && line.split_whitespace().count() >= 2 && !line.ends_with('.')
    });
    if let Some(title_at) = title_at {
        article.title = lines[title_at].clone();
    }
    let header = &lines[..title_at.unwrap_or(body_start)];
    if let Some(first) = header.first().or(lines.first()) {
        if let Some(site) = SITE_TOKEN.captures(first) {
            article.source = Some(site[1].to_string());
        }
    }

    let mut captions: Vec<String> = Vec::new();
    let mut paragraphs = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        if is_caption(line) {
            if !captions.contains(line) {
                captions.push(line.clone());
            }
        } else if at >= body_start {
            paragraphs.push(line.clone());
        }
    }
    if let Some(first) = paragraphs.first_mut() {
        if let Some(caps) = DATELINE.captures(first) {
            let lead = caps.name("lead").map(|m| m.as_str().trim());
            let second = caps.name("second").map(|m| m.as_str().trim());
            let place = match (lead, second) {
                // "Berita Baru, Washington": outlet then place. "JAKARTA, KOMPAS.com": place then outlet.
                (Some(lead), Some(second)) if looks_like_outlet(second) => {
                    if article.source.is_none() {
                        article.source = Some(second.to_string());
                    }
                    Some(lead)
                }
                (Some(_), Some(second)) => Some(second),
                (Some(lead), None) => Some(lead),
                _ => None,
            };
            article.dateline = place.map(title_case);
            let end = caps.get(0).map(|m| m.end()).unwrap_or(0);
            *first = first[end..].to_string();
        }
    }
    article.body = paragraphs.join("\n\n");
    article.captions = captions;
    if article.body.split_whitespace().count() < 5 {
        return Err(ExtractError::NoArticle);
    }

    // A full date anywhere, else "Jumat (30/12)" with the year from any full date on the page.
    let full = parse_date(&lines.join("\n"), options.default_offset);
    let mention = day_month_mentions(&article.body).into_iter().next();
    article.date = match (mention, full) {
        (Some((day, month, Some(year))), _) => {
            local_midnight(year, month, day, options.default_offset)
        }
        (Some((day, month, None)), Some(full)) => {
            use chrono::Datelike;
            local_midnight(full.year(), month, day, options.default_offset).or(Some(full))
        }
        (_, full) => full,
    };
    article.date_inferred = article.date.is_some();
    Ok(article)
}

fn local_midnight(
    year: i32,
    month: u32,
    day: u32,
    offset: FixedOffset,
) -> Option<chrono::DateTime<FixedOffset>> {
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    let date = offset
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .single()?;
    super::date::trusted(date)
}

fn looks_like_outlet(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains(".com") || lower.contains(".co") || lower.contains(".id") || lower == "antara"
}

/// "JAKARTA" → "Jakarta"; "Washington" stays.
fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dateline_outlet_then_place() {
        let text = "Situs.co Dapatkan aplikasi\n\nMenu\n\nJudul Yang Cukup Panjang\n\nBerita Baru, Washington – Di saat hubungan kedua negara semakin dekat, pejabat itu berkata banyak hal pada Jumat (30/12).\n\nParagraf kedua.";
        let article = extract(text, "a.txt", &ExtractOptions::default()).unwrap();
        assert_eq!(article.title, "Judul Yang Cukup Panjang");
        assert_eq!(article.dateline.as_deref(), Some("Washington"));
        assert!(article.body.starts_with("Di saat"));
        assert_eq!(article.source.as_deref(), Some("Situs.co"));
    }

    #[test]
    fn dateline_place_then_outlet() {
        let text = "Judul Lain Di Sini\n\nJAKARTA, KOMPAS.com - Pemerintah mengumumkan kebijakan baru hari ini untuk seluruh warga negara.";
        let article = extract(text, "b.txt", &ExtractOptions::default()).unwrap();
        assert_eq!(article.dateline.as_deref(), Some("Jakarta"));
        assert_eq!(article.source.as_deref(), Some("KOMPAS.com"));
    }
}
