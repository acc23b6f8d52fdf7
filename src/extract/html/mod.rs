//! HTML pages: metadata from JSON-LD, OpenGraph and meta tags first, then the visible page.
//!
//! The page's markup is scanned once for its size and depth (`bounds`: too many elements is a
//! skip, deeper than the limit is flattened), parsed once and walked once (iteratively, so deep
//! nesting cannot overflow the stack) into a flat list of text blocks, each owned by its
//! nearest block-level element; inline elements inside a paragraph are its text whatever their
//! class. The body is then found the way Readability finds it: every paragraph scores its
//! parent and grandparent by length and commas, candidates are weighed by class names and link
//! density, the best candidate with its strong siblings is the article, and it reaches sibling
//! containers that add story prose (a body split by pagination or a related box). Navigation,
//! share bars, "Baca juga" blocks, comments and captions are kept out of the body; captions go
//! to `captions`; labels, calls to action and contact boxes at the body's edges are trimmed
//! (`furniture`). The writer is the byline near the headline and body, not a name elsewhere.
//!
//! One file a step: `walk` (the pass over the parsed page), `classes` (what class words say),
//! `readability` (the article's region), `body` (paragraphs and captions), `title`,
//! `published` (the date), `byline`, `meta` (URL, outlet, language, JSON-LD).

mod body;
mod byline;
mod classes;
mod meta;
mod published;
mod readability;
mod title;
mod walk;

use scraper::Html;

use self::meta::LinkedData;
use self::walk::Page;
use super::{dateline, ExtractError, ExtractOptions};
use crate::article::{Article, Format};

/// Fewest words of a body that makes the page an article: fewer is an index or a media page.
const ARTICLE_WORDS: usize = 5;

/// The article of an HTML page, or why there is none.
pub(crate) fn extract(
    text: &str,
    path: &str,
    options: &ExtractOptions,
) -> Result<Article, ExtractError> {
    let mut page = parse(text)?;
    let mut article = Article::new(path, Format::Html);
    let ld = page.json_ld.iter().find_map(meta::find_article).cloned();
    let ld = LinkedData(ld.as_ref());
    article.url = meta::url(&page, ld);
    article.source = meta::source(&page, ld, article.url.as_deref());
    // Title: a heading on the page that the metadata title confirms, else the metadata title
    // without its site suffix.
    let (title, title_block) = title::title(&page, ld);
    article.title = title;

    // Body and captions.
    let region = readability::article_region(&mut page);
    let body = region
        .as_ref()
        .map(|region| body::body_blocks(&page, region, &article.title, options.default_offset))
        .unwrap_or_default();
    let captions = body::captions(&page, region.as_ref());
    article.body = body::text(&page, &body, &captions);
    article.captions = captions;
    let body_words = body::fill_thin_body(&mut article.body, &article.captions, || {
        ld.text("articleBody")
    });
    if body_words < ARTICLE_WORDS {
        return Err(ExtractError::NoArticle);
    }

    // Date: structured data, checked against the date shown beside the headline.
    let anchor = title_block.or_else(|| body.first().copied()).unwrap_or(0);
    (article.date, article.date_inferred) = published::published(
        &page,
        ld,
        anchor,
        title_block.is_some(),
        article.url.as_deref(),
        &article.body,
        options.default_offset,
    );

    // Byline: near the headline and the body, from the headline to the last paragraph.
    let article_blocks = match (title_block, body.first(), body.last()) {
        (_, None, _) | (_, _, None) => title_block.map(|at| at..at + 1),
        (title, Some(&first), Some(&last)) => Some(title.unwrap_or(first).min(first)..last + 1),
    };
    (article.authors, article.editors) =
        byline::byline(&page, ld.value(), article.source.as_deref(), article_blocks);

    article.dateline = article
        .body
        .split("\n\n")
        .next()
        .and_then(|first| dateline::parse(first, article.source.as_deref()))
        .map(|dateline| dateline.place);
    article.language = meta::language(&page, &article.body);
    if let Some(url) = &article.url {
        article.id = url.clone();
    }
    Ok(article)
}

/// The page bounded (too many elements is a skip, deeper than the limit is flattened),
/// parsed and walked.
fn parse(text: &str) -> Result<Page, ExtractError> {
    let bounded = super::bounds::bound(text).map_err(|refused| ExtractError::TooManyElements {
        count: refused.count,
        limit: super::bounds::MAX_ELEMENTS,
    })?;
    let document = Html::parse_document(&bounded);
    drop(bounded);
    Ok(walk::walk(&document))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_metadata_takes_the_zone_shown_on_the_page() {
        let page = "<html><head><meta name=\"pubdate\" content=\"2015-11-05 T10:08:58Z\"></head>\
            <body><h1>Hujan Deras Guncang Kota Lama Hari Ini</h1><div class=\"date\">Kamis, 05/11/2015 10:08 WIB</div>\
            <div class=\"isi\"><p>Hujan deras mengguyur kota sejak pagi, membuat sejumlah jalan utama tergenang air setinggi lutut orang dewasa.</p></div></body></html>";
        let article = extract(page, "a.html", &ExtractOptions::default()).unwrap();
        assert_eq!(
            article.date.map(|date| date.to_rfc3339()).as_deref(),
            Some("2015-11-05T10:08:58+07:00")
        );
    }

    #[test]
    fn link_lists_after_a_label_are_not_body() {
        let page = "<html><body><div class=\"isi\">\
            <p>Paragraf pertama berita ini cukup panjang, berisi keterangan saksi, polisi, dan warga sekitar.</p>\
            <p>Baca Juga</p><p><a href=\"/a\">Judul berita lain yang ditautkan di tengah artikel</a></p>\
            <p>Paragraf kedua melanjutkan cerita, dengan kutipan, angka, dan rencana pemerintah daerah.</p>\
            </div></body></html>";
        let article = extract(page, "a.html", &ExtractOptions::default()).unwrap();
        assert_eq!(article.body.split("\n\n").count(), 2, "{}", article.body);
        assert!(!article.body.contains("Judul berita lain"));
    }

    #[test]
    fn byline_date_line_and_credited_caption_leave_the_body() {
        let page = "<html lang=\"en\"><head><meta property=\"og:site_name\" content=\"nasional\">\
            <link rel=\"canonical\" href=\"https://www.beritakita.example.id/nasional/123/judul\"></head><body><div class=\"detail\">\
            <p>Rina Wulandari, Berita Kita | Selasa, 01/05/2018 05:27 WIB</p>\
            <p>Ketua serikat pekerja menyampaikan tuntutan di depan gedung DPR, Senin (30/4). (Berita Kita/Rina Wulandari)</p>\
            <p>Jakarta, Berita Kita -- Serikat pekerja meminta pemerintah segera menerbitkan aturan turunan yang menjamin hak pekerja lokal di semua sektor.</p>\
            <p>Mereka juga meminta pengawasan tenaga kerja diperketat di daerah industri, terutama di kawasan yang berkembang pesat.</p>\
            </div></body></html>";
        let article = extract(page, "a.html", &ExtractOptions::default()).unwrap();
        assert!(
            article.body.starts_with("Jakarta, Berita Kita --"),
            "{}",
            article.body
        );
        assert_eq!(article.dateline.as_deref(), Some("Jakarta"));
        assert_eq!(article.captions.len(), 1);
        assert!(article.captions[0].ends_with("(Berita Kita/Rina Wulandari)"));
        assert_eq!(
            article.date.map(|date| date.to_rfc3339()).as_deref(),
            Some("2018-05-01T05:27:00+07:00")
        );
        assert_eq!(article.language.as_deref(), Some("id"));
        assert_eq!(article.source.as_deref(), Some("beritakita.example.id"));
    }
}
