//! The headline: the metadata title (JSON-LD, OpenGraph, `<title>`) checked against the
//! headings on the page, which show whether it carries the site's name.

use super::body::is_heading;
use super::meta::LinkedData;
use super::walk::Page;
use crate::extract::{squeeze, Words};

/// Shortest heading, in non-space characters, that may be the headline: shorter ones are
/// section names ("Internasional").
const HEADLINE_CHARS: usize = 10;

/// The headline and the block it stands in on the page, when a heading shows it.
pub(super) fn title(page: &Page, ld: LinkedData) -> (String, Option<usize>) {
    let meta_title = ld
        .text("headline")
        .or_else(|| page.meta(&["og:title", "twitter:title", "title"]))
        .or_else(|| page.title_tag.clone().filter(|title| !title.is_empty()));
    let headings: Vec<(usize, &str)> = page
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, block)| {
            let owner = &page.elements[block.owner];
            is_heading(owner.tag) && !owner.excluded && block.chars >= HEADLINE_CHARS
        })
        .map(|(at, block)| (at, block.text.as_str()))
        .collect();
    choose_title(meta_title.as_deref(), &headings)
}

/// The metadata title, unless a heading on the page shows it carries site decorations
/// ("KapanLagi.com: Judul", "Judul - Kompas.com"); then the heading. Also returns the block
/// index of the headline on the page, where the visible date is looked for.
pub(super) fn choose_title(
    meta: Option<&str>,
    headings: &[(usize, &str)],
) -> (String, Option<usize>) {
    let Some(meta) = meta else {
        return headings
            .first()
            .map(|(at, heading)| (heading.to_string(), Some(*at)))
            .unwrap_or_default();
    };
    let stripped = strip_site_suffix(meta);
    let meta_key = squeeze(meta);
    let stripped_key = squeeze(&stripped);
    if let Some((at, _)) = headings
        .iter()
        .find(|(_, heading)| squeeze(heading) == meta_key)
    {
        return (meta.to_string(), Some(*at));
    }
    if let Some((at, _)) = headings
        .iter()
        .find(|(_, heading)| squeeze(heading) == stripped_key)
    {
        return (stripped, Some(*at));
    }
    let found = headings.iter().find(|(_, heading)| {
        let key = squeeze(heading);
        !key.is_empty()
            && !stripped_key.is_empty()
            && ((meta_key.contains(&key) && key.len() * 2 >= stripped_key.len())
                || (key.contains(&stripped_key) && stripped_key.len() * 2 >= key.len()))
    });
    match found {
        Some((at, heading)) => (heading.to_string(), Some(*at)),
        None => (stripped, None),
    }
}

/// "Judul Berita - Kompas.com" → "Judul Berita": drops trailing parts that name the site.
fn strip_site_suffix(title: &str) -> String {
    let mut title = title.trim().to_string();
    for separator in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            if tail.at_most_words(4) && head.at_least_words(2) {
                title = head.trim().to_string();
            }
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_suffixes_are_stripped() {
        assert_eq!(
            strip_site_suffix("Harga Cabai Naik | Republika Online"),
            "Harga Cabai Naik"
        );
        assert_eq!(
            strip_site_suffix("Polisi Tangkap Pencuri Motor - Kompas.com Regional"),
            "Polisi Tangkap Pencuri Motor"
        );
        // A dash inside the headline with a long tail is part of the headline.
        assert_eq!(
            strip_site_suffix("Jakarta - Bandung Ditempuh Dua Jam Lewat Tol Baru Hari Ini"),
            "Jakarta - Bandung Ditempuh Dua Jam Lewat Tol Baru Hari Ini"
        );
    }

    #[test]
    fn heading_corrects_decorated_metadata_title() {
        let headings = [(3, "Brandon Makin Dekat Dengan Sivia")];
        assert_eq!(
            choose_title(
                Some("KapanLagi.com: Brandon Makin Dekat Dengan Sivia"),
                &headings
            ),
            ("Brandon Makin Dekat Dengan Sivia".to_string(), Some(3))
        );
        // Same words, different punctuation: the metadata title stands.
        let headings = [(5, "IHSG Hari Ini: Sempat Tembus 9.000")];
        assert_eq!(
            choose_title(Some("IHSG Hari Ini Sempat Tembus 9.000"), &headings),
            ("IHSG Hari Ini Sempat Tembus 9.000".to_string(), Some(5))
        );
        // A short section heading is not the headline.
        let headings = [(1, "Internasional")];
        assert_eq!(
            choose_title(
                Some("Warga Jerman Mulai Tampung Pengungsi - Kompas.com"),
                &headings
            ),
            ("Warga Jerman Mulai Tampung Pengungsi".to_string(), None)
        );
    }
}
