//! Readability's choice of the article: every paragraph scores its parent and grandparent
//! by its length and commas, candidates are weighed by their tag, class words and link
//! density, and the best candidate with its strong siblings is the article; it is widened to
//! an ancestor several good candidates share, and to sibling containers that add story prose
//! (a body split by pagination or a related box).
//!
//! The thresholds are Readability's (Arc90's readability.js, as Mozilla's Readability keeps
//! them) unless their note says otherwise; each is a named constant with its reason.

use super::walk::{Element, Page, PARAGRAPHS};

/// Shortest block, in non-space characters, that scores its ancestors: shorter lines are
/// labels, dates and menu items, not paragraphs.
const SCORED_CHARS: usize = 25;

/// Characters of a paragraph per point of score, and the most points its length gives: a
/// long paragraph counts more, up to a point, so that one wall of text does not outweigh a
/// story of several paragraphs.
const CHARS_PER_POINT: f64 = 100.0;
const MAX_LENGTH_POINTS: f64 = 3.0;

/// How a paragraph's score is divided as it passes up: all to its parent, half to the
/// grandparent, a sixth to the great-grandparent (readability.js divides by level × 3 above
/// the grandparent; three levels are enough for news templates).
const ANCESTOR_DIVIDERS: [f64; 3] = [1.0, 2.0, 6.0];

/// A sibling of the best candidate is part of the article when it scores at least this share
/// of the best candidate's score, and at least [`SIBLING_MIN_SCORE`].
const SIBLING_SHARE: f64 = 0.2;
const SIBLING_MIN_SCORE: f64 = 10.0;

/// A sibling paragraph (`p`) is part of the article without a score when it is long with few
/// links (more than [`SIBLING_LONG_CHARS`] non-space characters, link density under
/// [`SIBLING_LINK_DENSITY`]), or shorter but longer than [`SIBLING_SHORT_CHARS`] with no link
/// at all: a sentence of the story, not a teaser (Readability asks a short paragraph to end
/// a sentence instead; a link-free line of this length is one in news templates).
const SIBLING_LONG_CHARS: usize = 80;
const SIBLING_LINK_DENSITY: f64 = 0.25;
const SIBLING_SHORT_CHARS: usize = 40;

/// Candidates scoring at least this share of the best one are its alternatives; the best
/// [`ALTERNATIVES`] of them are weighed, and when [`ALTERNATIVES_SHARING`] of them share an
/// ancestor (an article split into sections), the ancestor holds the article.
const ALTERNATIVE_SHARE: f64 = 0.75;
const ALTERNATIVES: usize = 5;
const ALTERNATIVES_SHARING: usize = 3;

/// A parent with at most this many tenths of the candidate's text (10% more) is a wrapper
/// that stands for its content: this project's form of Readability's climb from an only
/// child, which lets a wrapper's stray label or date line through.
const WRAPPER_TEXT_TENTHS: usize = 11;

/// Share of an element's text inside links.
fn link_density(element: &Element) -> f64 {
    if element.text_chars == 0 {
        return 0.0;
    }
    element.link_chars as f64 / element.text_chars as f64
}

/// Readability's weight of a tag: containers of prose up, lists and headings down.
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
pub(super) fn article_region(page: &mut Page) -> Option<Region> {
    score_paragraphs(page);
    let finals = final_scores(page);
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
    add_siblings(page, &finals, top, top_score, &mut region);
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

/// Each paragraph's score (one, a point a comma, its length) passed to its ancestors.
fn score_paragraphs(page: &mut Page) {
    for block in &page.blocks {
        let owner = &page.elements[block.owner];
        if owner.excluded || owner.caption || block.chars < SCORED_CHARS {
            continue;
        }
        let commas = block.text.matches([',', '،', '，']).count() as f64;
        let score = 1.0 + commas + (block.chars as f64 / CHARS_PER_POINT).min(MAX_LENGTH_POINTS);
        let mut at = if PARAGRAPHS.contains(&owner.tag) {
            owner.parent
        } else {
            Some(block.owner)
        };
        for divider in ANCESTOR_DIVIDERS {
            let Some(index) = at else { break };
            page.elements[index].score += score / divider;
            at = page.elements[index].parent;
        }
    }
}

/// Every element's score as a candidate: what its paragraphs gave it, its tag and class
/// weights, less the share of its text in links.
fn final_scores(page: &Page) -> Vec<f64> {
    page.elements
        .iter()
        .map(|element| {
            if element.score <= 0.0 || element.excluded {
                return 0.0;
            }
            (element.score + tag_bonus(element.tag) + element.class_weight as f64)
                * (1.0 - link_density(element))
        })
        .collect()
}

/// Marks the siblings of `top` that belong with it: strong candidates and story paragraphs.
fn add_siblings(page: &Page, finals: &[f64], top: usize, top_score: f64, region: &mut [bool]) {
    let parent = page.elements[top].parent;
    let threshold = (top_score * SIBLING_SHARE).max(SIBLING_MIN_SCORE);
    for (index, element) in page.elements.iter().enumerate() {
        if index == top || element.parent != parent || parent.is_none() || element.excluded {
            continue;
        }
        let density = link_density(element);
        let paragraph_like = element.tag == "p"
            && ((element.text_chars > SIBLING_LONG_CHARS && density < SIBLING_LINK_DENSITY)
                || (element.text_chars > 0
                    && density == 0.0
                    && element.text_chars > SIBLING_SHORT_CHARS));
        if finals[index] >= threshold || paragraph_like {
            region[index] = true;
        }
    }
}

/// The elements that hold the article, and, when [`reach_prose`] widened it, where the best
/// candidate starts: before that, only paragraphs (`p`) are story; other blocks there (a pull
/// quote, a photo's line, a label) are the article's head.
pub(super) struct Region {
    pub(super) elements: Vec<bool>,
    pub(super) core: Option<usize>,
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
        .filter(|(index, score)| *index != top && **score >= top_score * ALTERNATIVE_SHARE)
        .map(|(index, _)| index)
        .collect();
    alternatives.sort_by(|a, b| finals[*b].total_cmp(&finals[*a]));
    alternatives.truncate(ALTERNATIVES);
    let mut top = top;
    if alternatives.len() >= ALTERNATIVES_SHARING {
        let mut ancestor = page.elements[top].parent;
        while let Some(candidate) = ancestor {
            if candidate == 0 || page.elements[candidate].tag == "body" {
                break;
            }
            let contained = alternatives
                .iter()
                .filter(|&&alternative| is_ancestor(candidate, alternative))
                .count();
            if contained >= ALTERNATIVES_SHARING {
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
        if element.text_chars * 10 > page.elements[top].text_chars * WRAPPER_TEXT_TENTHS {
            break;
        }
        top = parent;
    }
    top
}
