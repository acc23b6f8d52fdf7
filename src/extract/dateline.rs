//! Datelines: "JAKARTA, KOMPAS.com - ", "Jakarta (ANTARA News) - ", "Berita Baru, Washington – ",
//! "REPUBLIKA.CO.ID, JAKARTA -- ": the place a story was filed from, and the outlet when written.

use once_cell::sync::Lazy;
use regex::Regex;

use super::Words;

/// What a dateline says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Dateline {
    pub place: String,
    pub outlet: Option<String>,
    /// Byte offset in the paragraph where the story text starts.
    pub end: usize,
}

/// The lead of a paragraph up to its first dash: at most 80 characters, no sentence inside.
static LEAD: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\s*(?P<lead>[^\n!?\x22“]{2,80}?)\s*(?:[–—]|--?)\s*").expect("valid regex")
});

static PAREN: Lazy<Regex> = Lazy::new(|| Regex::new(r"\([^)]*\)").expect("valid regex"));

/// Reads the dateline at the start of `paragraph`. `source` is the outlet already known
/// (e.g. "Beritabaru.co"), used to tell "Berita Baru, Washington" (outlet, place) apart from
/// "Mataram, NTB" (place, province).
pub(crate) fn parse(paragraph: &str, source: Option<&str>) -> Option<Dateline> {
    let caps = LEAD.captures(paragraph)?;
    let lead = caps.name("lead")?.as_str();
    let end = caps.get(0)?.end();
    // A dateline is followed by the story, not by the end of a short line.
    if paragraph[end..].at_most_words(2) {
        return None;
    }
    let outlet_in_paren = PAREN
        .find(lead)
        .map(|found| found.as_str().trim_matches(['(', ')']).to_string());
    let without_paren = PAREN.replace_all(lead, " ");
    let parts: Vec<&str> = without_paren
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut outlet = outlet_in_paren.filter(|outlet| looks_like_outlet(outlet, source));
    let mut place = None;
    for part in &parts {
        if looks_like_outlet(part, source) {
            outlet.get_or_insert_with(|| part.to_string());
        } else if place.is_none() && looks_like_place(part) {
            place = Some(*part);
        }
    }
    let place = place?;
    Some(Dateline {
        place: title_case(place),
        outlet,
        end,
    })
}

fn looks_like_outlet(part: &str, source: Option<&str>) -> bool {
    let lower = part.to_lowercase();
    if lower.contains(".com")
        || lower.contains(".co")
        || lower.contains(".id")
        || lower.starts_with("antara")
        || lower.contains("news")
    {
        return true;
    }
    let squeezed: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    source.is_some_and(|source| {
        let source: String = source
            .to_lowercase()
            .split('.')
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        !source.is_empty() && squeezed == source
    })
}

/// One to four capitalised words, no digits: "Washington", "JAKARTA", "Bandar Lampung".
fn looks_like_place(part: &str) -> bool {
    let words: Vec<&str> = part.words().collect();
    !words.is_empty()
        && words.len() <= 4
        && words.iter().all(|word| {
            word.chars().next().is_some_and(char::is_uppercase)
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '.' || c == '-')
        })
}

/// "JAKARTA" → "Jakarta"; "Washington" and "DKI Jakarta" stay as written when mixed-case.
pub(crate) fn title_case(text: &str) -> String {
    if text.chars().any(char::is_lowercase) {
        return text.to_string();
    }
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

    fn place(paragraph: &str, source: Option<&str>) -> Option<(String, Option<String>)> {
        parse(paragraph, source).map(|dateline| (dateline.place, dateline.outlet))
    }

    #[test]
    fn indonesian_datelines() {
        let rest = " Pemerintah daerah mengumumkan jadwal baru hari ini.";
        assert_eq!(
            place(&format!("JAKARTA, KOMPAS.com -{rest}"), None),
            Some(("Jakarta".into(), Some("KOMPAS.com".into())))
        );
        assert_eq!(
            place(&format!("Mataram, NTB (ANTARA News) -{rest}"), None),
            Some(("Mataram".into(), Some("ANTARA News".into())))
        );
        assert_eq!(
            place(&format!("REPUBLIKA.CO.ID, BANDUNG --{rest}"), None),
            Some(("Bandung".into(), Some("REPUBLIKA.CO.ID".into())))
        );
        assert_eq!(
            place(
                &format!("Berita Baru, Washington –{rest}"),
                Some("Beritabaru.co")
            ),
            Some(("Washington".into(), Some("Berita Baru".into())))
        );
        assert_eq!(
            place(&format!("Jakarta -{rest}"), None),
            Some(("Jakarta".into(), None))
        );
    }

    #[test]
    fn sentences_are_not_datelines() {
        assert_eq!(
            place(
                "Harga cabai naik tajam - kata pedagang di pasar pagi ini.",
                None
            ),
            None
        );
        assert_eq!(
            place("Tidak ada tanda pisah di sini sama sekali.", None),
            None
        );
    }
}
