//! The one pass over a parsed page: a flat list of text blocks, each owned by its nearest
//! block-level element, the elements' statistics the scoring reads (text and link characters,
//! what their class words say), and the metadata of the head (meta tags, canonical link,
//! `lang`, `<time>` attributes, JSON-LD, `<title>`).
//!
//! The walk is iterative (`ego_tree`'s `traverse`), so deep nesting cannot overflow the
//! stack; a [`Walker`] holds its state between an element's opening and closing.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use scraper::{Html, Node};
use serde_json::Value;

use super::classes::{ClassTraits, Judged};
use crate::extract::{non_space_chars, normalize_space, normalize_space_counted};

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
pub(super) const PARAGRAPHS: &[&str] = &[
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

/// An element the scoring knows of, with what its attributes and ancestors say about it.
pub(super) struct Element {
    pub(super) parent: Option<usize>,
    /// The tag when it is one the scoring reads ([`BLOCKS`] and `span`), else "": no
    /// allocation per element.
    pub(super) tag: &'static str,
    pub(super) class_weight: i32,
    pub(super) excluded: bool,
    pub(super) caption: bool,
    pub(super) dateish: bool,
    pub(super) byline: bool,
    /// Non-space characters of text inside, and of that inside links.
    pub(super) text_chars: usize,
    pub(super) link_chars: usize,
    pub(super) score: f64,
}

/// A run of text owned by its nearest block-level element.
pub(super) struct Block {
    pub(super) owner: usize,
    pub(super) text: String,
    pub(super) chars: usize,
    pub(super) link_chars: usize,
}

/// Everything one walk over the page collects.
#[derive(Default)]
pub(super) struct Page {
    pub(super) elements: Vec<Element>,
    pub(super) blocks: Vec<Block>,
    pub(super) metas: HashMap<String, Vec<String>>,
    pub(super) json_ld: Vec<Value>,
    pub(super) title_tag: Option<String>,
    pub(super) canonical: Option<String>,
    pub(super) lang: Option<String>,
    pub(super) time_attributes: Vec<String>,
}

impl Page {
    /// The first non-empty content of the meta tags `names`, in that order.
    pub(super) fn meta(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|name| {
            self.metas
                .get(*name)?
                .iter()
                .map(|content| normalize_space(content))
                .find(|content| !content.is_empty())
        })
    }
}

/// What closing an element undoes.
struct Frame {
    index: Option<usize>,
    block: bool,
    link: bool,
    skip: bool,
}

/// Text collected whole rather than as page text: the `<title>`, a JSON-LD script.
enum Capture {
    Title,
    JsonLd,
}

/// One pass over the parsed page: blocks of text, element statistics and metadata.
pub(super) fn walk(document: &Html) -> Page {
    let mut walker = Walker::new();
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) => walker.text(text),
                Node::Element(element) => walker.open(element),
                _ => {}
            },
            Edge::Close(node) => {
                if matches!(node.value(), Node::Element(_)) {
                    walker.close();
                }
            }
        }
    }
    walker.finish()
}

/// The walk's state: the page so far, the open elements, and the text not yet made a block.
struct Walker<'a> {
    page: Page,
    frames: Vec<Frame>,
    /// The block-level elements open, innermost last: the last owns the text read now.
    owners: Vec<usize>,
    /// Every element open (that the page keeps), innermost last.
    open: Vec<usize>,
    buffer: String,
    /// Non-space characters of `buffer` inside links.
    buffer_links: usize,
    /// Depth inside an element whose content is never page text ([`SKIPPED`]).
    skip_depth: usize,
    link_depth: usize,
    capture: Option<(Capture, String)>,
    /// Scratch space for one element's class words and the string they make.
    classes: Vec<&'a str>,
    class_id: String,
}

impl<'a> Walker<'a> {
    fn new() -> Walker<'a> {
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
        Walker {
            page,
            frames: Vec::new(),
            owners: vec![0],
            open: vec![0],
            buffer: String::new(),
            buffer_links: 0,
            skip_depth: 0,
            link_depth: 0,
            capture: None,
            classes: Vec::new(),
            class_id: String::new(),
        }
    }

    fn finish(mut self) -> Page {
        self.flush(0);
        self.page
    }

    fn text(&mut self, text: &str) {
        if let Some((_, captured)) = self.capture.as_mut() {
            captured.push_str(text);
        } else if self.skip_depth == 0 {
            self.buffer.push_str(text);
            if self.link_depth > 0 {
                self.buffer_links += non_space_chars(text);
            }
        }
    }

    /// Ends the block of text read so far, owned by `owner`.
    fn flush(&mut self, owner: usize) {
        let (text, chars) = normalize_space_counted(&self.buffer);
        if !text.is_empty() {
            let link_chars = self.buffer_links.min(chars);
            self.page.elements[owner].text_chars += chars;
            self.page.elements[owner].link_chars += link_chars;
            self.page.blocks.push(Block {
                owner,
                text,
                chars,
                link_chars,
            });
        }
        self.buffer.clear();
        self.buffer_links = 0;
    }

    fn push_frame(&mut self, skip: bool) {
        self.frames.push(Frame {
            index: None,
            block: false,
            link: false,
            skip,
        });
    }

    fn open(&mut self, element: &'a scraper::node::Element) {
        let tag = element.name();
        if self.skip_depth > 0 {
            self.skip_depth += 1;
            self.push_frame(true);
            return;
        }
        self.read_head(tag, element);
        if SKIPPED.contains(&tag) {
            self.open_skipped(tag, element);
            return;
        }
        let owner = *self.owners.last().unwrap_or(&0);
        if tag == "br" || tag == "hr" {
            self.flush(owner);
            self.push_frame(false);
            return;
        }
        let parent = *self.open.last().unwrap_or(&0);
        let (judged, block) = self.judge(tag, element, owner, parent);
        let index = self.page.elements.len();
        self.page.elements.push(judged);
        if block {
            self.flush(owner);
            self.owners.push(index);
        }
        let link = tag == "a";
        if link {
            self.link_depth += 1;
        }
        self.open.push(index);
        self.frames.push(Frame {
            index: Some(index),
            block,
            link,
            skip: false,
        });
    }

    /// The metadata an element of the head carries: meta tags, the canonical link, the
    /// page's language, `<time datetime>`.
    fn read_head(&mut self, tag: &str, element: &scraper::node::Element) {
        let page = &mut self.page;
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
    }

    /// An element whose content is not page text; a JSON-LD script or the first `<title>` is
    /// captured whole.
    fn open_skipped(&mut self, tag: &str, element: &scraper::node::Element) {
        let ld = tag == "script"
            && element
                .attr("type")
                .is_some_and(|kind| kind.to_ascii_lowercase().contains("ld+json"));
        if ld {
            self.capture = Some((Capture::JsonLd, String::new()));
        } else if tag == "title" && self.page.title_tag.is_none() {
            self.capture = Some((Capture::Title, String::new()));
        }
        self.skip_depth = 1;
        self.push_frame(true);
    }

    /// The lowercased class words (sorted, without repeats, as `Element::classes` gives
    /// them) and id of `element`, read from the attribute itself: `classes` interns every
    /// word in the process's atom table first.
    fn class_id(&mut self, element: &'a scraper::node::Element) -> &str {
        self.classes.clear();
        self.classes.extend(
            element
                .attrs()
                .filter(|(name, _)| *name == "class")
                .flat_map(|(_, value)| value.split_ascii_whitespace()),
        );
        self.classes.sort_unstable();
        self.classes.dedup();
        self.class_id.clear();
        for class in &self.classes {
            self.class_id.push_str(class);
            self.class_id.push(' ');
        }
        if let Some(id) = element.id() {
            self.class_id.push_str(id);
        }
        self.class_id.make_ascii_lowercase();
        &self.class_id
    }

    /// What the page keeps of an element opened under `owner` (the block holding it) and
    /// `parent`, and whether it starts a block of its own.
    fn judge(
        &mut self,
        tag: &str,
        element: &'a scraper::node::Element,
        owner: usize,
        parent: usize,
    ) -> (Element, bool) {
        let traits = ClassTraits::of(self.class_id(element));
        let judged = Judged::of(element);
        let role = judged.role;
        let hidden = judged.hidden || judged.style.is_some_and(hides);
        let structural = matches!(tag, "html" | "body" | "article" | "main");
        let block_tag = BLOCKS.iter().copied().find(|block| *block == tag);
        let known_tag = block_tag.unwrap_or(if tag == "span" { "span" } else { "" });
        let owner_element = &self.page.elements[owner];
        // Words, links and emphasis inside a paragraph are its text whatever their
        // class ("inner-link-tag", "ads-keyword"): boilerplate goes by the block.
        let in_paragraph = block_tag.is_none() && PARAGRAPHS.contains(&owner_element.tag);
        let traits = if in_paragraph {
            ClassTraits::default()
        } else {
            traits
        };
        let furniture = !structural && traits.furniture;
        let parent_element = &self.page.elements[parent];
        let excluded = parent_element.excluded
            || EXCLUDED.contains(&tag)
            || matches!(
                role,
                "navigation" | "banner" | "contentinfo" | "complementary" | "menu"
            )
            || hidden
            || furniture;
        let caption = parent_element.caption || tag == "figcaption" || traits.caption;
        let dateish =
            parent_element.dateish || traits.dateish || judged.itemprop == Some("datePublished");
        let byline = parent_element.byline
            || traits.byline
            || judged.rel == Some("author")
            || judged.itemprop == Some("author");
        let block = block_tag.is_some()
            || excluded != owner_element.excluded
            || caption != owner_element.caption
            || dateish != owner_element.dateish
            || byline != owner_element.byline;
        let element = Element {
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
        };
        (element, block)
    }

    fn close(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if frame.skip {
            self.skip_depth = self.skip_depth.saturating_sub(1);
            if self.skip_depth == 0 {
                self.end_capture();
            }
            return;
        }
        let Some(index) = frame.index else {
            return;
        };
        if frame.block {
            self.flush(index);
            self.owners.pop();
        }
        if frame.link {
            self.link_depth = self.link_depth.saturating_sub(1);
        }
        self.open.pop();
        let page = &mut self.page;
        if let Some(parent) = page.elements[index].parent {
            let (text, links) = (
                page.elements[index].text_chars,
                page.elements[index].link_chars,
            );
            page.elements[parent].text_chars += text;
            page.elements[parent].link_chars += links;
        }
    }

    fn end_capture(&mut self) {
        match self.capture.take() {
            Some((Capture::Title, text)) => {
                self.page.title_tag = Some(normalize_space(&text));
            }
            Some((Capture::JsonLd, text)) => {
                if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
                    self.page.json_ld.push(value);
                }
            }
            None => {}
        }
    }
}

/// An inline style that hides the element.
fn hides(style: &str) -> bool {
    let style: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    style.contains("display:none") || style.contains("visibility:hidden")
}
