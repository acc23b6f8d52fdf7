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

use std::collections::HashMap;

use chrono::{DateTime, Datelike, FixedOffset, TimeZone};
use ego_tree::iter::Edge;
use once_cell::sync::Lazy;
use regex::Regex;
use scraper::{Html, Node};
use serde_json::Value;

use super::date::{date_from_url, day_month_mentions, find_date, Found};
use super::furniture::{self, EdgeBlock};
use super::{
    byline_names, dateline, guess_language, is_byline_line, lone_label, non_space_chars,
    normalize_space, normalize_space_counted, source_from_url, ExtractError, ExtractOptions, Words,
};
use crate::article::{Article, Format};

/// Elements whose content is never text of the page.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "select",
    "button", "textarea", "canvas", "map", "math", "title",
];

/// Elements that are never article text, with everything inside them.
const EXCLUDED: &[&str] = &["nav", "footer", "aside", "menu", "dialog"];

/// Elements that start a new block of text.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "aside",
];

/// Blocks whose score goes to their parent, as Readability scores paragraphs.
const PARAGRAPHS: &[&str] = &[
    "p",
    "pre",
    "td",
    "li",
    "dd",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "span",
];

/// Class or id words that mark page furniture wherever they appear.
static FURNITURE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"comment|komentar|disqus|share|sharing|social|sosmed|baca-?juga|bacajuga|read-?also|related|terkait|iklan|advert|outbrain|taboola|newsletter|breadcrumb|popular|populer|trending|rekomendasi|recommend|\btags?\b|tag-?list|topik|\bads?\b|-ad-|\bad-|sponsor|pagination|pager|cookie|gdpr|copyright|sidebar|\bmenu\b|navbar|masthead|skyscraper|banner|footer|promo|subscribe|login|signup|widget|most|terbaru|latest|bbc-?list",
    )
    .expect("valid regex")
});

/// Class or id words that say "this holds the article" and outweigh weak furniture words.
static CONTENT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"article|artikel|body|content|konten|entry|main|post|story|detail|isi|berita|text|read|news")
        .expect("valid regex")
});

static POSITIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"article|artikel|body|content|entry|hentry|main|page|post|text|blog|story|detail|isi|berita|read")
        .expect("valid regex")
});

static NEGATIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"hidden|banner|combx|comment|contact|foot|footnote|masthead|media|meta|outbrain|promo|related|terkait|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|date|author|byline|caption")
        .expect("valid regex")
});

static CAPTION_CLASS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"caption|keterangan|ket-?foto|foto-?ket|photo-?desc|img-?desc|image-?desc|wp-caption-text",
    )
    .expect("valid regex")
});

static DATE_CLASS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"date|time|tanggal|tgl|waktu|publish|posted|schedule").expect("valid regex")
});

static BYLINE_CLASS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"author|penulis|reporter|byline|writer|wartawan").expect("valid regex")
});

/// A name as a byline gives it: capitalised words.
static BYLINE_NAME_START: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,4}$").expect("valid regex")
});

/// A photo credit closing a caption: "(ANTARA FOTO/Budi)", "(Foto: Dok. Humas)".
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

struct Element {
    parent: Option<usize>,
    /// The tag when it is one the scoring reads ([`BLOCKS`] and `span`), else "": no
    /// allocation per element.
    tag: &'static str,
    class_weight: i32,
    excluded: bool,
    caption: bool,
    dateish: bool,
    byline: bool,
    /// Non-space characters of text inside, and of that inside links.
    text_chars: usize,
    link_chars: usize,
    score: f64,
}

struct Block {
    owner: usize,
    text: String,
    chars: usize,
    link_chars: usize,
}

/// Everything one walk over the page collects.
#[derive(Default)]
struct Page {
    elements: Vec<Element>,
    blocks: Vec<Block>,
    metas: HashMap<String, Vec<String>>,
    json_ld: Vec<Value>,
    title_tag: Option<String>,
    canonical: Option<String>,
    lang: Option<String>,
    time_attributes: Vec<String>,
}

impl Page {
    fn meta(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|name| {
            self.metas
                .get(*name)?
                .iter()
                .map(|content| normalize_space(content))
                .find(|content| !content.is_empty())
        })
    }
}

struct Frame {
    index: Option<usize>,
    block: bool,
    link: bool,
    skip: bool,
}

enum Capture {
    Title,
    JsonLd,
}

/// What an element's class and id words say about it, as the patterns above read them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct ClassTraits {
    /// Furniture words not outweighed by content words.
    furniture: bool,
    caption: bool,
    dateish: bool,
    byline: bool,
    weight: i32,
}

impl ClassTraits {
    /// The traits of `class_id` (lowercased class words and id). A site's pages repeat the same
    /// few hundred class strings, so each thread keeps what the patterns said of the strings it
    /// met: one hash lookup per element instead of up to eight pattern searches.
    fn of(class_id: &str) -> ClassTraits {
        /// Distinct strings a thread remembers before it starts over.
        const LIMIT: usize = 8192;
        thread_local! {
            static SEEN: std::cell::RefCell<HashMap<String, ClassTraits>> =
                std::cell::RefCell::new(HashMap::new());
        }
        if class_id.is_empty() {
            return ClassTraits::default();
        }
        SEEN.with(|seen| {
            let mut seen = seen.borrow_mut();
            if let Some(traits) = seen.get(class_id) {
                return *traits;
            }
            let traits = ClassTraits::judge(class_id);
            if seen.len() >= LIMIT {
                seen.clear();
            }
            seen.insert(class_id.to_string(), traits);
            traits
        })
    }

    fn judge(class_id: &str) -> ClassTraits {
        ClassTraits {
            furniture: FURNITURE.is_match(class_id)
                && (!CONTENT.is_match(class_id) || strong_furniture(class_id)),
            caption: CAPTION_CLASS.is_match(class_id),
            dateish: DATE_CLASS.is_match(class_id),
            byline: BYLINE_CLASS.is_match(class_id),
            weight: class_weight(class_id),
        }
    }
}

fn class_weight(class_id: &str) -> i32 {
    if class_id.is_empty() {
        return 0;
    }
    let mut weight = 0;
    if NEGATIVE.is_match(class_id) {
        weight -= 25;
    }
    if POSITIVE.is_match(class_id) {
        weight += 25;
    }
    weight
}

/// The attributes every element is judged by, read in one pass over its attributes.
/// `Element::attr` interns its argument and searches the list again on every call, five
/// times per element of every page.
#[derive(Default)]
struct Judged<'a> {
    role: &'a str,
    hidden: bool,
    style: Option<&'a str>,
    itemprop: Option<&'a str>,
    rel: Option<&'a str>,
}

impl<'a> Judged<'a> {
    fn of(element: &'a scraper::node::Element) -> Judged<'a> {
        let mut judged = Judged::default();
        for (name, value) in &element.attrs {
            // Attributes in a namespace (xlink:role in SVG) are not these: `attr` skips them.
            if !name.ns.is_empty() {
                continue;
            }
            let value: &str = value;
            match &*name.local {
                "role" => judged.role = value,
                "hidden" => judged.hidden = true,
                "style" => judged.style = Some(value),
                "itemprop" => judged.itemprop = Some(value),
                "rel" => judged.rel = Some(value),
                _ => {}
            }
        }
        judged
    }
}

/// One pass over the parsed page: blocks of text, element statistics and metadata.
fn walk(document: &Html) -> Page {
    let mut page = Page::default();
    page.elements.push(Element {
        parent: None,
        tag: "#document",
        class_weight: 0,
        excluded: false,
        caption: false,
        dateish: false,
        byline: false,
        text_chars: 0,
        link_chars: 0,
        score: 0.0,
    });
    let mut frames: Vec<Frame> = Vec::new();
    let mut owners: Vec<usize> = vec![0];
    let mut open: Vec<usize> = vec![0];
    let mut buffer = String::new();
    let mut buffer_links = 0usize;
    let mut skip_depth = 0usize;
    let mut link_depth = 0usize;
    let mut capture: Option<(Capture, String)> = None;
    let mut classes: Vec<&str> = Vec::new();
    let mut class_id = String::new();

    fn flush(page: &mut Page, owner: usize, buffer: &mut String, buffer_links: &mut usize) {
        let (text, chars) = normalize_space_counted(buffer);
        if !text.is_empty() {
            let link_chars = (*buffer_links).min(chars);
            page.elements[owner].text_chars += chars;
            page.elements[owner].link_chars += link_chars;
            page.blocks.push(Block {
                owner,
                text,
                chars,
                link_chars,
            });
        }
        buffer.clear();
        *buffer_links = 0;
    }

    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) => {
                    if let Some((_, captured)) = capture.as_mut() {
                        captured.push_str(text);
                    } else if skip_depth == 0 {
                        buffer.push_str(text);
                        if link_depth > 0 {
                            buffer_links += non_space_chars(text);
                        }
                    }
                }
                Node::Element(element) => {
                    let tag = element.name();
                    if skip_depth > 0 {
                        skip_depth += 1;
                        frames.push(Frame {
                            index: None,
                            block: false,
                            link: false,
                            skip: true,
                        });
                        continue;
                    }
                    match tag {
                        "meta" => {
                            let key = element
                                .attr("property")
                                .or_else(|| element.attr("name"))
                                .or_else(|| element.attr("itemprop"))
                                .or_else(|| element.attr("http-equiv"));
                            if let (Some(key), Some(content)) = (key, element.attr("content")) {
                                page.metas
                                    .entry(key.to_ascii_lowercase())
                                    .or_default()
                                    .push(content.to_string());
                            }
                        }
                        "link" => {
                            let canonical = element
                                .attr("rel")
                                .is_some_and(|rel| rel.eq_ignore_ascii_case("canonical"));
                            if canonical && page.canonical.is_none() {
                                page.canonical = element.attr("href").map(str::to_string);
                            }
                        }
                        "html" if page.lang.is_none() => {
                            page.lang = element.attr("lang").map(str::to_string);
                        }
                        "time" => {
                            if let Some(datetime) = element.attr("datetime") {
                                page.time_attributes.push(datetime.to_string());
                            }
                        }
                        _ => {}
                    }
                    if SKIPPED.contains(&tag) {
                        let ld = tag == "script"
                            && element
                                .attr("type")
                                .is_some_and(|kind| kind.to_ascii_lowercase().contains("ld+json"));
                        if ld {
                            capture = Some((Capture::JsonLd, String::new()));
                        } else if tag == "title" && page.title_tag.is_none() {
                            capture = Some((Capture::Title, String::new()));
                        }
                        skip_depth = 1;
                        frames.push(Frame {
                            index: None,
                            block: false,
                            link: false,
                            skip: true,
                        });
                        continue;
                    }
                    let owner = *owners.last().unwrap_or(&0);
                    if tag == "br" || tag == "hr" {
                        flush(&mut page, owner, &mut buffer, &mut buffer_links);
                        frames.push(Frame {
                            index: None,
                            block: false,
                            link: false,
                            skip: false,
                        });
                        continue;
                    }
                    let parent = *open.last().unwrap_or(&0);
                    // The class words sorted and without repeats, as `Element::classes` gives
                    // them, read from the attribute itself: `classes` interns every word in
                    // the process's atom table first.
                    classes.clear();
                    classes.extend(
                        element
                            .attrs()
                            .filter(|(name, _)| *name == "class")
                            .flat_map(|(_, value)| value.split_ascii_whitespace()),
                    );
                    classes.sort_unstable();
                    classes.dedup();
                    class_id.clear();
                    for class in &classes {
                        class_id.push_str(class);
                        class_id.push(' ');
                    }
                    if let Some(id) = element.id() {
                        class_id.push_str(id);
                    }
                    class_id.make_ascii_lowercase();
                    let traits = ClassTraits::of(&class_id);
                    let judged = Judged::of(element);
                    let role = judged.role;
                    let hidden = judged.hidden
                        || judged.style.is_some_and(|style| {
                            let style: String = style
                                .chars()
                                .filter(|c| !c.is_whitespace())
                                .collect::<String>()
                                .to_ascii_lowercase();
                            style.contains("display:none") || style.contains("visibility:hidden")
                        });
                    let structural = matches!(tag, "html" | "body" | "article" | "main");
                    let block_tag = BLOCKS.iter().copied().find(|block| *block == tag);
                    let known_tag = block_tag.unwrap_or(if tag == "span" { "span" } else { "" });
                    let owner_element = &page.elements[owner];
                    // Words, links and emphasis inside a paragraph are its text whatever their
                    // class ("inner-link-tag", "ads-keyword"): boilerplate goes by the block.
                    let in_paragraph =
                        block_tag.is_none() && PARAGRAPHS.contains(&owner_element.tag);
                    let traits = if in_paragraph {
                        ClassTraits::default()
                    } else {
                        traits
                    };
                    let furniture = !structural && traits.furniture;
                    let parent_element = &page.elements[parent];
                    let excluded = parent_element.excluded
                        || EXCLUDED.contains(&tag)
                        || matches!(
                            role,
                            "navigation" | "banner" | "contentinfo" | "complementary" | "menu"
                        )
                        || hidden
                        || furniture;
                    let caption = parent_element.caption || tag == "figcaption" || traits.caption;
                    let dateish = parent_element.dateish
                        || traits.dateish
                        || judged.itemprop == Some("datePublished");
                    let byline = parent_element.byline
                        || traits.byline
                        || judged.rel == Some("author")
                        || judged.itemprop == Some("author");
                    let block = block_tag.is_some()
                        || excluded != owner_element.excluded
                        || caption != owner_element.caption
                        || dateish != owner_element.dateish
                        || byline != owner_element.byline;
                    let index = page.elements.len();
                    page.elements.push(Element {
                        parent: Some(parent),
                        tag: known_tag,
                        class_weight: traits.weight,
                        excluded,
                        caption,
                        dateish,
                        byline,
                        text_chars: 0,
                        link_chars: 0,
                        score: 0.0,
                    });
                    if block {
                        flush(&mut page, owner, &mut buffer, &mut buffer_links);
                        owners.push(index);
                    }
                    let link = tag == "a";
                    if link {
                        link_depth += 1;
                    }
                    open.push(index);
                    frames.push(Frame {
                        index: Some(index),
                        block,
                        link,
                        skip: false,
                    });
                }
                _ => {}
            },
            Edge::Close(node) => {
                if !matches!(node.value(), Node::Element(_)) {
                    continue;
                }
                let Some(frame) = frames.pop() else {
                    continue;
                };
                if frame.skip {
                    skip_depth = skip_depth.saturating_sub(1);
                    if skip_depth == 0 {
                        match capture.take() {
                            Some((Capture::Title, text)) => {
                                page.title_tag = Some(normalize_space(&text));
                            }
                            Some((Capture::JsonLd, text)) => {
                                if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
                                    page.json_ld.push(value);
                                }
                            }
                            None => {}
                        }
                    }
                    continue;
                }
                let Some(index) = frame.index else {
                    continue;
                };
                if frame.block {
                    flush(&mut page, index, &mut buffer, &mut buffer_links);
                    owners.pop();
                }
                if frame.link {
                    link_depth = link_depth.saturating_sub(1);
                }
                open.pop();
                if let Some(parent) = page.elements[index].parent {
                    let (text, links) = (
                        page.elements[index].text_chars,
                        page.elements[index].link_chars,
                    );
                    page.elements[parent].text_chars += text;
                    page.elements[parent].link_chars += links;
                }
            }
        }
    }
    flush(&mut page, 0, &mut buffer, &mut buffer_links);
    page
}

/// Furniture words that win even over content words ("related-content", "comment-body").
fn strong_furniture(class_id: &str) -> bool {
    static STRONG: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"comment|komentar|share|social|baca-?juga|bacajuga|related|terkait|iklan|advert|outbrain|taboola|\btags?\b|sidebar|popular|populer|trending|rekomendasi|recommend|most")
            .expect("valid regex")
    });
    STRONG.is_match(class_id)
}

fn link_density(element: &Element) -> f64 {
    if element.text_chars == 0 {
        return 0.0;
    }
    element.link_chars as f64 / element.text_chars as f64
}

fn tag_bonus(tag: &str) -> f64 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Scores paragraphs into their ancestors and returns the elements that hold the article:
/// the best candidate and the siblings strong enough to belong with it.
fn article_region(page: &mut Page) -> Option<Region> {
    for block in &page.blocks {
        let owner = &page.elements[block.owner];
        if owner.excluded || owner.caption || block.chars < 25 {
            continue;
        }
        let commas = block.text.matches([',', '،', '，']).count() as f64;
        let score = 1.0 + commas + (block.chars as f64 / 100.0).min(3.0);
        let mut at = if PARAGRAPHS.contains(&owner.tag) {
            owner.parent
        } else {
            Some(block.owner)
        };
        for divider in [1.0, 2.0, 6.0] {
            let Some(index) = at else { break };
            page.elements[index].score += score / divider;
            at = page.elements[index].parent;
        }
    }
    let finals: Vec<f64> = page
        .elements
        .iter()
        .map(|element| {
            if element.score <= 0.0 || element.excluded {
                return 0.0;
            }
            (element.score + tag_bonus(element.tag) + element.class_weight as f64)
                * (1.0 - link_density(element))
        })
        .collect();
    let (top, &top_score) = finals
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != 0)
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    if top_score <= 0.0 {
        return None;
    }
    let top = widen(page, &finals, top, top_score);
    let core = top;
    let top = reach_prose(page, top);
    let top_score = finals[top].max(top_score);
    let mut region = vec![false; page.elements.len()];
    region[top] = true;
    let parent = page.elements[top].parent;
    let threshold = (top_score * 0.2).max(10.0);
    for (index, element) in page.elements.iter().enumerate() {
        if index == top || element.parent != parent || parent.is_none() || element.excluded {
            continue;
        }
        let density = link_density(element);
        let paragraph_like = element.tag == "p"
            && ((element.text_chars > 80 && density < 0.25)
                || (element.text_chars > 0 && density == 0.0 && element.text_chars > 40));
        if finals[index] >= threshold || paragraph_like {
            region[index] = true;
        }
    }
    for index in 1..page.elements.len() {
        if let Some(parent) = page.elements[index].parent {
            if region[parent] {
                region[index] = true;
            }
        }
    }
    Some(Region {
        elements: region,
        core: (core != top).then_some(core),
    })
}

/// The elements that hold the article, and, when [`reach_prose`] widened it, where the best
/// candidate starts: before that, only paragraphs (`p`) are story; other blocks there (a pull
/// quote, a photo's line, a label) are the article's head.
struct Region {
    elements: Vec<bool>,
    core: Option<usize>,
}

/// Levels above the best candidate that [`reach_prose`] may climb.
const PROSE_CLIMB: usize = 3;

/// Shortest block, in non-space characters, counted as story prose outside the candidate:
/// a sentence or two, longer than captions' and menus' lines.
const PROSE_CHARS: usize = 80;

/// Highest link density of a block counted as story prose.
const PROSE_LINK_DENSITY: f64 = 0.25;

/// Most characters of other text (headings, short lines, links) per character of prose that
/// an ancestor may add to the candidate and still be the article: pagination, a subheading
/// and a short related list beside a page of story, not a sidebar of teasers.
const PROSE_OTHER_SHARE: f64 = 0.5;

/// The article split over sibling containers ("Halaman 1 2", a related box, an ad slot, a
/// photo between the parts): while the candidate's parent adds mostly prose to it (blocks of
/// [`PROSE_CHARS`] or more, few links) and little else after the candidate's start, the parent
/// holds the article. What stands before the candidate other than prose is the article's head
/// (headline, byline, photo), which the body's own filters leave out; text in excluded
/// elements and captions counts neither way.
fn reach_prose(page: &Page, mut top: usize) -> usize {
    // Elements are stored in document order, so an element's descendants are the indices up
    // to the end of its subtree.
    let mut subtree_end: Vec<usize> = (1..=page.elements.len()).collect();
    for index in (1..page.elements.len()).rev() {
        if let Some(parent) = page.elements[index].parent {
            subtree_end[parent] = subtree_end[parent].max(subtree_end[index]);
        }
    }
    for _ in 0..PROSE_CLIMB {
        let Some(parent) = page.elements[top].parent else {
            break;
        };
        let element = &page.elements[parent];
        if parent == 0 || matches!(element.tag, "body" | "html") || element.excluded {
            break;
        }
        let inside = |owner: usize, root: usize| owner >= root && owner < subtree_end[root];
        let (mut prose, mut other) = (0usize, 0usize);
        for block in &page.blocks {
            if !inside(block.owner, parent) || inside(block.owner, top) {
                continue;
            }
            let owner = &page.elements[block.owner];
            if owner.excluded || owner.caption {
                continue;
            }
            let density = block.link_chars as f64 / block.chars.max(1) as f64;
            if block.chars >= PROSE_CHARS && density < PROSE_LINK_DENSITY {
                prose += block.chars;
            } else if block.owner > top {
                other += block.chars;
            }
        }
        if prose == 0 || other as f64 > prose as f64 * PROSE_OTHER_SHARE {
            break;
        }
        top = parent;
    }
    top
}

/// Readability's two corrections to the best candidate: when several nearly-as-good
/// candidates share an ancestor (an article split into sections), the ancestor holds the
/// article; and a wrapper that adds no text of its own stands for its only content.
fn widen(page: &Page, finals: &[f64], top: usize, top_score: f64) -> usize {
    let is_ancestor = |ancestor: usize, mut node: usize| {
        while let Some(parent) = page.elements[node].parent {
            if parent == ancestor {
                return true;
            }
            node = parent;
        }
        false
    };
    let mut alternatives: Vec<usize> = finals
        .iter()
        .enumerate()
        .filter(|(index, score)| *index != top && **score >= top_score * 0.75)
        .map(|(index, _)| index)
        .collect();
    alternatives.sort_by(|a, b| finals[*b].total_cmp(&finals[*a]));
    alternatives.truncate(5);
    let mut top = top;
    if alternatives.len() >= 3 {
        let mut ancestor = page.elements[top].parent;
        while let Some(candidate) = ancestor {
            if candidate == 0 || page.elements[candidate].tag == "body" {
                break;
            }
            let contained = alternatives
                .iter()
                .filter(|&&alternative| is_ancestor(candidate, alternative))
                .count();
            if contained >= 3 {
                top = candidate;
                break;
            }
            ancestor = page.elements[candidate].parent;
        }
    }
    while let Some(parent) = page.elements[top].parent {
        let element = &page.elements[parent];
        if parent == 0 || element.tag == "body" || element.excluded {
            break;
        }
        if element.text_chars * 10 > page.elements[top].text_chars * 11 {
            break;
        }
        top = parent;
    }
    top
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn starts_with_label(lower: &str) -> bool {
    LINK_LABELS.iter().any(|label| lower.starts_with(label))
}

/// Body paragraphs (indices into `page.blocks`) of the region, without furniture.
fn body_blocks(
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
            after_label = block.text.at_most_words(4);
            continue;
        }
        if after_label && density > 0.5 {
            continue;
        }
        after_label = false;
        // "Abi Sarwanto, CNN Indonesia | Selasa, 01/05/2018 05:27 WIB": the byline and date
        // line, not the story.
        let date_line = block.text.at_most_words(15)
            && !block.text.ends_with('.')
            && find_date(&block.text, default_offset).is_some_and(|found| found.has_time);
        if date_line {
            continue;
        }
        // "Penulis: Ani | Editor: Budi" lines belong to the byline, not the story.
        if density > 0.5
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

pub(crate) fn extract(
    text: &str,
    path: &str,
    options: &ExtractOptions,
) -> Result<Article, ExtractError> {
    let bounded = super::bounds::bound(text).map_err(|refused| ExtractError::TooManyElements {
        count: refused.count,
        limit: super::bounds::MAX_ELEMENTS,
    })?;
    let document = Html::parse_document(&bounded);
    drop(bounded);
    let mut page = walk(&document);
    drop(document);
    let mut article = Article::new(path, Format::Html);
    let ld = page.json_ld.iter().find_map(find_article).cloned();
    let ld_str = |key: &str| {
        ld.as_ref()
            .and_then(|ld| ld.get(key))
            .and_then(Value::as_str)
            .map(normalize_space)
            .filter(|text| !text.is_empty())
    };

    // URL and source.
    article.url = page
        .canonical
        .clone()
        .or_else(|| page.meta(&["og:url"]))
        .or_else(|| ld_str("url"))
        .filter(|url| url.starts_with("http"));
    article.source = ld
        .as_ref()
        .and_then(|ld| ld.get("publisher"))
        .and_then(|publisher| publisher.get("name"))
        .and_then(Value::as_str)
        .map(normalize_space)
        .filter(|name| !name.is_empty())
        // A site name that is only a section word ("nasional") says less than the host.
        .or_else(|| {
            page.meta(&["og:site_name", "application-name"])
                .filter(|name| name.chars().any(|c| c.is_uppercase() || c == '.'))
        })
        .or_else(|| article.url.as_deref().and_then(source_from_url));

    // Title: a heading on the page that the metadata title confirms, else the metadata title
    // without its site suffix.
    let meta_title = ld_str("headline")
        .or_else(|| page.meta(&["og:title", "twitter:title", "title"]))
        .or_else(|| page.title_tag.clone().filter(|title| !title.is_empty()));
    let headings: Vec<(usize, &str)> = page
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, block)| {
            let owner = &page.elements[block.owner];
            is_heading(owner.tag) && !owner.excluded && block.chars >= 10
        })
        .map(|(at, block)| (at, block.text.as_str()))
        .collect();
    let (title, title_block) = choose_title(meta_title.as_deref(), &headings);
    article.title = title;

    // Body and captions.
    let region = article_region(&mut page);
    let body = region
        .as_ref()
        .map(|region| body_blocks(&page, region, &article.title, options.default_offset))
        .unwrap_or_default();
    let mut captions: Vec<String> = Vec::new();
    for block in &page.blocks {
        let owner = &page.elements[block.owner];
        let in_region = region
            .as_ref()
            .is_some_and(|region| region.elements[block.owner]);
        // "Foto: ..." lines, and lines that end in a photo credit: "... (CNN Indonesia/Abi)".
        let credit_line = in_region && block.chars < 400 && {
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
    let mut paragraphs: Vec<&str> = body
        .iter()
        .map(|&at| page.blocks[at].text.as_str())
        .filter(|text| !captions.iter().any(|caption| caption == text))
        .collect();
    paragraphs.dedup();
    article.body = paragraphs.join("\n\n");
    article.captions = captions;
    // A photo story's captions are its text: when the page has little else, they are the body.
    let mut body_words = article.body.words().count();
    let caption_words: usize = article
        .captions
        .iter()
        .map(|caption| caption.words().count())
        .sum();
    if body_words < 50 && caption_words > body_words * 2 {
        article.body = article.captions.join("\n\n");
        body_words = article.body.words().count();
    }
    if body_words < 20 {
        if let Some(text) = ld_str("articleBody") {
            let text_words = text.words().count();
            if text_words > body_words {
                article.body = text;
                body_words = text_words;
            }
        }
    }
    if body_words < 5 {
        return Err(ExtractError::NoArticle);
    }

    // Date: structured data, checked against the date shown beside the headline.
    let anchor = title_block.or_else(|| body.first().copied()).unwrap_or(0);
    let structured = ld_str("datePublished")
        .or_else(|| ld_str("dateCreated"))
        .into_iter()
        .chain(page.meta(&[
            "article:published_time",
            "og:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "publish-date",
            "publish_date",
            "sailthru.date",
            "parsely-pub-date",
            "dc.date.issued",
            "dc.date",
            "date",
            "content_publisheddate",
        ]))
        .chain(page.time_attributes.first().cloned())
        .find_map(|text| find_date(&text, options.default_offset));
    let visible = visible_date(&page, anchor, title_block.is_some(), options.default_offset);
    let chosen = match (structured, visible) {
        (Some(structured), Some(visible))
            if !structured.has_time
                && visible.has_time
                && structured.date.date_naive() == visible.date.date_naive() =>
        {
            Some(visible)
        }
        (Some(structured), _) => Some(rezone(structured, &page, options.default_offset)),
        (None, visible) => visible,
    };
    if let Some(found) = chosen {
        article.date = Some(found.date);
        article.date_inferred = !found.has_zone;
    } else if let Some(date) = article
        .url
        .as_deref()
        .and_then(|url| date_from_url(url, options.default_offset))
    {
        article.date = Some(date);
        article.date_inferred = true;
    } else {
        // "Jumat (30/12)" in the story, with the year from the URL ("/2022/") when it has one.
        let year = article.url.as_deref().and_then(year_from_url);
        article.date = mention_date(&article.body, year, options.default_offset);
        article.date_inferred = article.date.is_some();
    }

    // Byline.
    let article_blocks = match (title_block, body.first(), body.last()) {
        (_, None, _) | (_, _, None) => title_block.map(|at| at..at + 1),
        (title, Some(&first), Some(&last)) => Some(title.unwrap_or(first).min(first)..last + 1),
    };
    let (authors, editors) = byline(
        &page,
        ld.as_ref(),
        article.source.as_deref(),
        article_blocks,
    );
    article.authors = authors;
    article.editors = editors;

    article.dateline = article
        .body
        .split("\n\n")
        .next()
        .and_then(|first| dateline::parse(first, article.source.as_deref()))
        .map(|dateline| dateline.place);
    article.language = page
        .lang
        .clone()
        .or_else(|| page.meta(&["content-language", "language", "og:locale"]))
        .map(|lang| {
            lang.split(['-', '_'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        })
        .filter(|lang| lang.len() == 2)
        // "in" is the withdrawn ISO 639 code for Indonesian, still common in old pages.
        .map(|lang| if lang == "in" { "id".to_string() } else { lang });
    // Templates often declare "en" over Indonesian text: the text decides between the two.
    let guessed = guess_language(&article.body);
    article.language = match (article.language.take(), guessed) {
        (Some(declared), Some(guessed)) if declared == "en" || declared == "id" => Some(guessed),
        (declared, guessed) => declared.or(guessed),
    };
    if let Some(url) = &article.url {
        article.id = url.clone();
    }
    Ok(article)
}

/// The metadata title, unless a heading on the page shows it carries site decorations
/// ("KapanLagi.com: Judul", "Judul - Kompas.com"); then the heading. Also returns the block
/// index of the headline on the page, where the visible date is looked for.
fn choose_title(meta: Option<&str>, headings: &[(usize, &str)]) -> (String, Option<usize>) {
    let squeeze = |text: &str| -> String {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
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

/// Many sites write local time into metadata with a "Z". When the page shows the same clock
/// time with a stated zone ("16:00 WIB"), that zone is the true one.
fn rezone(structured: Found, page: &Page, default_offset: FixedOffset) -> Found {
    if !structured.has_time || structured.date.offset().local_minus_utc() != 0 {
        return structured;
    }
    let clock = structured.date.naive_local();
    let shown = page
        .blocks
        .iter()
        .filter(|block| block.chars <= 120 && block.text.bytes().any(|b| b.is_ascii_digit()))
        .filter_map(|block| find_date(&block.text, default_offset))
        .find(|found| {
            found.has_time
                && found.has_zone
                && found.date.offset().local_minus_utc() != 0
                && (found.date.naive_local() - clock).num_seconds().abs() < 60
        });
    match shown {
        Some(shown) => match shown.date.offset().from_local_datetime(&clock).single() {
            Some(date) => Found {
                date,
                has_time: true,
                has_zone: true,
            },
            None => structured,
        },
        None => structured,
    }
}

/// The date written beside the headline: the nearest short block after it that holds a full
/// date (one with a time first), else the nearest one before it; without a headline, the
/// nearest one above the story.
fn visible_date(
    page: &Page,
    anchor: usize,
    after_headline: bool,
    default_offset: FixedOffset,
) -> Option<Found> {
    let candidate = |at: usize| -> Option<Found> {
        let block = page.blocks.get(at)?;
        if block.chars > 120 {
            return None;
        }
        find_date(&block.text, default_offset)
    };
    // Dates sit under the headline, or above the story when the headline is not found.
    let forward = anchor..page.blocks.len().min(anchor + 40);
    let backward = (anchor.saturating_sub(40)..anchor).rev();
    let order: Vec<usize> = if after_headline {
        forward.chain(backward).collect()
    } else {
        backward.chain(forward).collect()
    };
    let mut fallback = None;
    for at in order {
        if let Some(found) = candidate(at) {
            if found.has_time {
                return Some(found);
            }
            fallback.get_or_insert(found);
        }
    }
    fallback
}

fn year_from_url(url: &str) -> Option<i32> {
    static YEAR: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"/((?:19|20)\d{2})(?:/|-|$)").expect("valid regex"));
    YEAR.captures(url)?.get(1)?.as_str().parse().ok()
}

/// "Jumat (30/12)" in the text, with the year written or taken from `year`.
pub(crate) fn mention_date(
    text: &str,
    year: Option<i32>,
    default_offset: FixedOffset,
) -> Option<DateTime<FixedOffset>> {
    let (day, month, written) = day_month_mentions(text).into_iter().next()?;
    let year = written.or(year)?;
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(0, 0, 0)?;
    let date = default_offset.from_local_datetime(&date).single()?;
    super::date::trusted(date).filter(|date| date.year() == year)
}

/// Blocks before the headline or after the body's last paragraph where a byline is still the
/// article's: the credit lines, date and share bar between them. Names further away belong to
/// other stories (lists of popular articles, comments).
const BYLINE_REACH: usize = 15;

/// Authors and editors: JSON-LD and meta tags first, then names on the page near the article
/// (`article_blocks`, the headline to the last body paragraph): labelled ("Penulis: Ani"), a
/// label alone with the name in the next block, or in a byline element.
fn byline(
    page: &Page,
    ld: Option<&Value>,
    source: Option<&str>,
    article_blocks: Option<std::ops::Range<usize>>,
) -> (Vec<String>, Vec<String>) {
    let near = |at: usize| {
        article_blocks
            .as_ref()
            .is_none_or(|span| at + BYLINE_REACH >= span.start && at < span.end + BYLINE_REACH)
    };
    let is_person = |name: &str| {
        let lower = name.to_lowercase();
        !name.is_empty()
            && name.at_most_words(6)
            && !lower.starts_with("http")
            && !lower.contains(".com")
            && !lower.contains("developer")
            && !lower.contains("redaksi")
            && source.is_none_or(|source| {
                let squeeze = |text: &str| {
                    text.to_lowercase()
                        .chars()
                        .filter(|c| c.is_alphanumeric())
                        .collect::<String>()
                };
                let source = squeeze(source.split('.').next().unwrap_or(source));
                squeeze(name) != source && !squeeze(name).starts_with(&source)
            })
    };
    let mut authors: Vec<String> = ld
        .and_then(|ld| ld.get("author"))
        .map(names)
        .unwrap_or_default()
        .into_iter()
        .filter(|name| is_person(name))
        .collect();
    if authors.is_empty() {
        authors = page
            .meta(&[
                "author",
                "article:author",
                "dc.creator",
                "byl",
                "parsely-author",
            ])
            .map(|names| {
                names
                    .trim_start_matches("By ")
                    .split([',', ';'])
                    .map(normalize_space)
                    .filter(|name| is_person(name))
                    .collect()
            })
            .unwrap_or_default();
    }
    let mut editors: Vec<String> = Vec::new();
    let mut visible: Vec<String> = Vec::new();
    for (at, block) in page.blocks.iter().enumerate() {
        if block.chars > 160 || !near(at) {
            continue;
        }
        let owner = &page.elements[block.owner];
        if owner.excluded {
            continue;
        }
        let mut labelled = false;
        let mut found = byline_names(&block.text);
        if let (Some(editor), Some(next)) = (lone_label(&block.text), page.blocks.get(at + 1)) {
            // "Penulis" then "Editor": no name between two labels.
            if next.text.at_most_words(5)
                && lone_label(&next.text).is_none()
                && BYLINE_NAME_START.is_match(&next.text)
            {
                found.push((editor, next.text.clone()));
            }
        }
        for (editor, name) in found {
            labelled = true;
            if !is_person(&name) {
                continue;
            }
            let list = if editor { &mut editors } else { &mut visible };
            if !list.contains(&name) {
                list.push(name);
            }
        }
        if !labelled
            && owner.byline
            && block.text.at_most_words(5)
            && is_person(&block.text)
            && !visible.contains(&block.text)
        {
            visible.push(block.text.clone());
        }
    }
    // Some sites file the editor as the JSON-LD author; the byline on the page then names the
    // writer. A visible name that extends an author's ("Andhika" / "Andhika Prasetyo") is the
    // same person, not a correction.
    let all_editors = !authors.is_empty() && authors.iter().all(|name| editors.contains(name));
    let other_writer = visible
        .iter()
        .filter(|name| !editors.contains(name))
        .find(|name| {
            !authors.iter().any(|author| {
                name.starts_with(author.as_str()) || author.starts_with(name.as_str())
            })
        });
    if all_editors {
        if let Some(writer) = other_writer {
            authors = vec![writer.clone()];
        }
    }
    if authors.is_empty() {
        authors = visible
            .into_iter()
            .filter(|name| !editors.contains(name))
            .collect();
    }
    (authors, editors)
}

/// The JSON-LD object of type NewsArticle/Article (also inside `@graph` or arrays).
fn find_article(value: &Value) -> Option<&Value> {
    match value {
        Value::Array(items) => items.iter().find_map(find_article),
        Value::Object(object) => {
            let is_article = match object.get("@type") {
                Some(Value::String(kind)) => kind.ends_with("Article") || kind == "BlogPosting",
                Some(Value::Array(kinds)) => kinds.iter().any(|kind| {
                    kind.as_str()
                        .is_some_and(|kind| kind.ends_with("Article") || kind == "BlogPosting")
                }),
                _ => false,
            };
            if is_article {
                return Some(value);
            }
            object.get("@graph").and_then(find_article)
        }
        _ => None,
    }
}

fn names(value: &Value) -> Vec<String> {
    match value {
        Value::String(name) => name.split([',', ';']).map(normalize_space).collect(),
        Value::Array(items) => items.iter().flat_map(names).collect(),
        Value::Object(object) => object
            .get("name")
            .and_then(Value::as_str)
            .map(|name| vec![normalize_space(name)])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|name| !name.is_empty())
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_class_traits_are_what_the_patterns_say() {
        let strings = [
            "",
            "detail__article ",
            "ads div-gpt-ad-top",
            "related-content ",
            "comment-body ",
            "wp-caption-text ",
            "detail__date ",
            "detail__author ",
            "entry-content sidebar",
        ];
        // Twice: the first call judges and remembers, the second reads what was remembered.
        for _ in 0..2 {
            for class_id in strings {
                assert_eq!(
                    ClassTraits::of(class_id),
                    ClassTraits::judge(class_id),
                    "{class_id}"
                );
            }
        }
        let article = ClassTraits::of("detail__article ");
        assert!(!article.furniture && article.weight > 0);
        let ads = ClassTraits::of("ads div-gpt-ad-top");
        assert!(ads.furniture);
        assert!(ClassTraits::of("related-content ").furniture);
        assert!(ClassTraits::of("wp-caption-text ").caption);
        assert!(ClassTraits::of("detail__date ").dateish);
        assert!(ClassTraits::of("detail__author ").byline);
    }

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
