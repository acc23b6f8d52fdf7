//! The body inside the article's region: its paragraphs without page furniture (link lists
//! after "Baca juga", byline and date lines, share bars, labels at the edges), and the photo
//! captions, which go to `captions`; a photo story's captions, or JSON-LD's `articleBody`,
//! stand in for a body the page does not show.

use chrono::FixedOffset;
use once_cell::sync::Lazy;
use regex::Regex;

use super::readability::Region;
use super::walk::Page;
use crate::extract::date::find_date;
use crate::extract::furniture::{self, EdgeBlock};
use crate::extract::{is_byline_line, Words};

static PHOTO_CREDIT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\((?:(?i:foto|photo|dok\.?)\s*:[^()]{1,60}|[\p{Lu}][^()/]{1,40}/[^()/]{1,40}(?:/[^()/]{1,40})?)\)\s*$")
        .expect("valid regex")
});
/// Lines that introduce links to other stories.
const LINK_LABELS: &[&str] = &[
    "baca juga",
    "simak juga",
    "lihat juga",
    "tonton juga",
    "baca selengkapnya",
    "artikel terkait",
    "berita terkait",
    "berita lainnya",
    "baca:",
    "simak:",
    "lihat:",
    "read also",
    "related:",
];

/// Whole lines that are page furniture even inside the article.
const JUNK_LINES: &[&str] = &[
    "advertisement",
    "scroll to continue with content",
    "iklan",
    "share",
    "bagikan",
    "tweet",
    "komentar",
    "loading...",
];
/// Longest block, in characters, read as a photo's credit line ("Foto: ...", "... (ANTARA
/// FOTO/Budi)"): a caption, not a paragraph that happens to end in parentheses.
const CREDIT_LINE_CHARS: usize = 400;

/// Most words of a label line ("Baca juga", "Baca juga:") after which the link-heavy blocks
/// that follow are the list it introduces.
const LABEL_WORDS: usize = 4;

/// Link density above which a block is links, not prose.
const LINK_BLOCK_DENSITY: f64 = 0.5;

/// Most words of a line that holds a byline and a date with time ("Abi, CNN Indonesia |
/// Selasa, 01/05/2018 05:27 WIB") rather than a sentence of the story.
const DATE_LINE_WORDS: usize = 15;

/// A photo story: when the body has fewer than [`PHOTO_STORY_BODY_WORDS`] words and the
/// captions more than [`PHOTO_STORY_RATIO`] times as many, the captions are its text.
const PHOTO_STORY_BODY_WORDS: usize = 50;
const PHOTO_STORY_RATIO: usize = 2;

/// A body of fewer words than this is replaced by JSON-LD's `articleBody` when that is longer.
const THIN_BODY_WORDS: usize = 20;

/// An `h1` to `h6`.
pub(super) fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// A line that opens with a label of links to other stories ("Baca juga").
fn starts_with_label(lower: &str) -> bool {
    LINK_LABELS.iter().any(|label| lower.starts_with(label))
}

/// Body paragraphs (indices into `page.blocks`) of the region, without furniture.
pub(super) fn body_blocks(
    page: &Page,
    region: &Region,
    title: &str,
    default_offset: FixedOffset,
) -> Vec<usize> {
    let mut body = Vec::new();
    let mut after_label = false;
    for (at, block) in page.blocks.iter().enumerate() {
        let owner = &page.elements[block.owner];
        if !region.elements[block.owner] || owner.excluded || owner.caption {
            continue;
        }
        if region
            .core
            .is_some_and(|core| block.owner < core && owner.tag != "p")
        {
            continue;
        }
        if owner.tag == "h1" || block.text == title {
            continue;
        }
        let lower = block.text.to_lowercase();
        let density = block.link_chars as f64 / block.chars.max(1) as f64;
        if starts_with_label(&lower) {
            after_label = block.text.at_most_words(LABEL_WORDS);
            continue;
        }
        if after_label && density > LINK_BLOCK_DENSITY {
            continue;
        }
        after_label = false;
        // "Abi Sarwanto, CNN Indonesia | Selasa, 01/05/2018 05:27 WIB": the byline and date
        // line, not the story.
        let date_line = block.text.at_most_words(DATE_LINE_WORDS)
            && !block.text.ends_with('.')
            && find_date(&block.text, default_offset).is_some_and(|found| found.has_time);
        if date_line {
            continue;
        }
        // "Penulis: Ani | Editor: Budi" lines belong to the byline, not the story.
        if density > LINK_BLOCK_DENSITY
            || is_byline_line(&block.text)
            || JUNK_LINES.contains(&lower.trim_end_matches(':'))
            || furniture::is_control(&block.text)
        {
            continue;
        }
        body.push(at);
    }
    let edges: Vec<EdgeBlock> = body
        .iter()
        .map(|&at| {
            let block = &page.blocks[at];
            // Only short blocks can be edge furniture: longer ones skip the page search.
            let repeated = block.text.at_most_words(furniture::EDGE_WORDS)
                && page
                    .blocks
                    .iter()
                    .enumerate()
                    .any(|(other, same)| other != at && same.text == block.text);
            EdgeBlock {
                text: &block.text,
                chars: block.chars,
                heading: is_heading(page.elements[block.owner].tag),
                link_density: block.link_chars as f64 / block.chars.max(1) as f64,
                repeated,
            }
        })
        .collect();
    let span = furniture::story_span(&edges);
    body.truncate(span.end);
    body.drain(..span.start);
    body
}

/// Captions: blocks in caption elements, and lines in the region that end in a photo credit
/// ("... (CNN Indonesia/Abi)") or open with "Foto:", each once.
pub(super) fn captions(page: &Page, region: Option<&Region>) -> Vec<String> {
    let mut captions: Vec<String> = Vec::new();
    for block in &page.blocks {
        let owner = &page.elements[block.owner];
        let in_region = region.is_some_and(|region| region.elements[block.owner]);
        let credit_line = in_region && block.chars < CREDIT_LINE_CHARS && {
            let lower = block.text.to_lowercase();
            lower.starts_with("foto:")
                || lower.starts_with("foto :")
                || PHOTO_CREDIT.is_match(&block.text)
        };
        if (owner.caption || credit_line)
            && !owner.excluded
            && block.text.at_least_words(2)
            && !captions.contains(&block.text)
        {
            captions.push(block.text.clone());
        }
    }
    captions
}

/// The body's text: its paragraphs that are not captions, a repeated one once, a blank line
/// between them.
pub(super) fn text(page: &Page, body: &[usize], captions: &[String]) -> String {
    let mut paragraphs: Vec<&str> = body
        .iter()
        .map(|&at| page.blocks[at].text.as_str())
        .filter(|text| !captions.iter().any(|caption| caption == text))
        .collect();
    paragraphs.dedup();
    paragraphs.join("\n\n")
}

/// A body the page hardly shows: a photo story's captions are its text, and a thin body gives
/// way to JSON-LD's longer `articleBody`. Returns the body's word count.
pub(super) fn fill_thin_body(
    body: &mut String,
    captions: &[String],
    article_body: impl FnOnce() -> Option<String>,
) -> usize {
    let mut body_words = body.words().count();
    let caption_words: usize = captions.iter().map(|caption| caption.words().count()).sum();
    if body_words < PHOTO_STORY_BODY_WORDS && caption_words > body_words * PHOTO_STORY_RATIO {
        *body = captions.join("\n\n");
        body_words = body.words().count();
    }
    if body_words < THIN_BODY_WORDS {
        if let Some(text) = article_body() {
            let text_words = text.words().count();
            if text_words > body_words {
                *body = text;
                body_words = text_words;
            }
        }
    }
    body_words
}
