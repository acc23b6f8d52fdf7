//! Plain-text scrapes: a site header, navigation words, captions, the headline, a dateline, the body.

use chrono::{FixedOffset, TimeZone};
use once_cell::sync::Lazy;
use regex::Regex;

use super::date::{day_month_mentions, find_date, parse_date};
use super::{
    byline_names, dateline, guess_language, is_byline_line, normalize_space, ExtractError,
    ExtractOptions, Words,
};
use crate::article::{Article, Format};

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
        (counts.get(line).copied().unwrap_or(0) > 1 && line.at_least_words(7))
            || (CAPTION_CREDIT.is_match(line) && line.at_most_words(59))
    };

    // The body starts at the first line with a dateline; failing that, at the first long line.
    let dateline_at = lines.iter().position(|line| {
        !is_caption(line) && line.at_least_words(9) && dateline::parse(line, None).is_some()
    });
    let body_start = dateline_at.or_else(|| {
        lines
            .iter()
            .position(|line| !is_caption(line) && line.at_least_words(16))
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
    // A line that is only a date ("Sabtu, 12 Agustus 2023 19:30 WITA") is the publication date.
    let date_line = |line: &str| {
        line.at_most_words(8)
            && find_date(line, options.default_offset).is_some_and(|found| found.has_time)
    };
    let stated = lines[..body_start]
        .iter()
        .filter(|line| !is_caption(line))
        .find_map(|line| {
            if date_line(line) {
                find_date(line, options.default_offset)
            } else {
                None
            }
        });
    let title_at = lines[..body_start].iter().rposition(|line| {
        !is_caption(line)
            && line.at_least_words(2)
            && !line.ends_with('.')
            && !date_line(line)
            && !is_byline_line(line)
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
        } else if is_byline_line(line) {
            for (editor, name) in byline_names(line) {
                let list = if editor {
                    &mut article.editors
                } else {
                    &mut article.authors
                };
                if !list.contains(&name) {
                    list.push(name);
                }
            }
        } else if at >= body_start {
            paragraphs.push(line.clone());
        }
    }
    // The dateline stays in the body (it is part of what the outlet published); the place and
    // an outlet named in it are recorded.
    if let Some(found) = paragraphs
        .first()
        .and_then(|first| dateline::parse(first, article.source.as_deref()))
    {
        article.dateline = Some(found.place);
        if article.source.is_none() {
            article.source = found.outlet;
        }
    }
    article.body = paragraphs.join("\n\n");
    article.captions = captions;
    if article.body.at_most_words(4) {
        return Err(ExtractError::NoArticle);
    }

    // A date line under the headline; else "Jumat (30/12)" with the year from any full date on
    // the page, else any full date.
    if let Some(found) = stated {
        article.date = Some(found.date);
        article.date_inferred = !found.has_zone;
        article.language = guess_language(&article.body);
        return Ok(article);
    }
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
    article.language = guess_language(&article.body);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dateline_outlet_then_place() {
        let text = "Beritabaru.co Dapatkan aplikasi\n\nMenu\n\nJudul Yang Cukup Panjang\n\nBerita Baru, Washington – Di saat hubungan kedua negara semakin dekat, pejabat itu berkata banyak hal pada Jumat (30/12).\n\nParagraf kedua.";
        let article = extract(text, "a.txt", &ExtractOptions::default()).unwrap();
        assert_eq!(article.title, "Judul Yang Cukup Panjang");
        assert_eq!(article.dateline.as_deref(), Some("Washington"));
        assert!(article
            .body
            .starts_with("Berita Baru, Washington – Di saat"));
        assert_eq!(article.source.as_deref(), Some("Beritabaru.co"));
    }

    #[test]
    fn dateline_place_then_outlet() {
        let text = "Judul Lain Di Sini\n\nJAKARTA, KOMPAS.com - Pemerintah mengumumkan kebijakan baru hari ini untuk seluruh warga negara.";
        let article = extract(text, "b.txt", &ExtractOptions::default()).unwrap();
        assert_eq!(article.dateline.as_deref(), Some("Jakarta"));
        assert_eq!(article.source.as_deref(), Some("KOMPAS.com"));
    }
}
