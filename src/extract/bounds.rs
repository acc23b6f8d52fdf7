//! Bounded work per HTML page: one linear scan of the markup before it is parsed.
//!
//! html5ever's tree builder searches its stack of open elements on many tags, so its time grows
//! with the square of the nesting depth (100,000 nested `<div>` in 1.1 MB took 25 s), and every
//! element costs a few hundred bytes of tree. The scan counts start tags and follows the depth
//! the tree builder will see, with the implied closes that matter (a block closes an open `<p>`,
//! `<li>` closes an open `<li>`, an end tag closes up to its element). A page with more than
//! [`MAX_ELEMENTS`] elements is skipped with that reason; a page nested deeper than [`MAX_DEPTH`]
//! is flattened: start tags past the limit and their end tags are dropped, their text kept,
//! which is what browsers do (Blink's parser stops nesting at the same depth).
//!
//! The scan follows the tree builder closely enough to bound it, not exactly: it only decides
//! whether a page is parsed as it is, flattened, or skipped.

use std::borrow::Cow;

/// Deepest element nesting parsed as written; deeper start tags are dropped with their end
/// tags. News pages nest 20 to 60 deep; 512 is Blink's own limit, and html5ever parses a page
/// that deep in well under a millisecond more than a flat one.
pub(crate) const MAX_DEPTH: usize = 512;

/// Most elements (start tags) in one page. The largest shared news page has about 2,200;
/// 100,000 is over 40 times that, and bounds the parsed tree to about 75 MB per worker (at
/// 199,000 elements the extract command peaked at 144 MB; a million, 8 MB of `<p>a</p>`,
/// took 457 MB and more in ingest).
pub(crate) const MAX_ELEMENTS: usize = 100_000;

/// How far down the stack of open elements an end tag or a self-closing start tag looks for
/// its element. Further than that, the scan leaves the stack alone: a real page closes what it
/// opened within a few levels, and a bounded search keeps the scan linear.
const CLOSE_SEARCH: usize = 16;

/// Elements that never have content or an end tag.
const VOID: [u64; 18] = keys([
    b"area",
    b"base",
    b"basefont",
    b"bgsound",
    b"br",
    b"col",
    b"embed",
    b"frame",
    b"hr",
    b"img",
    b"input",
    b"keygen",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
]);

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: [u64; 9] = keys([
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
]);

/// Start tags that close an open `<p>`, as the tree builder does.
const CLOSES_P: [u64; 34] = keys([
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"center",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hgroup",
    b"hr",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"section",
    b"summary",
    b"table",
    b"ul",
]);

/// Start tags that close an open element of their own name close by ("<li>a<li>b").
const SELF_CLOSING_SIBLINGS: [u64; 10] = keys([
    b"li", b"dt", b"dd", b"option", b"tr", b"td", b"th", b"a", b"button", b"nobr",
]);

/// Why a page is not parsed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TooManyElements {
    pub count: usize,
}

/// What the scan found.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    /// Start tags.
    pub elements: usize,
    /// Deepest nesting the tree builder would reach.
    pub depth: usize,
}

/// The page to parse: `html` itself when it is within the limits, flattened to
/// [`MAX_DEPTH`] when it nests deeper, or the reason it is skipped.
pub(crate) fn bound(html: &str) -> Result<Cow<'_, str>, TooManyElements> {
    let shape = scan(html, None);
    if shape.elements > MAX_ELEMENTS {
        return Err(TooManyElements {
            count: shape.elements,
        });
    }
    if shape.depth <= MAX_DEPTH {
        return Ok(Cow::Borrowed(html));
    }
    let mut flat = String::with_capacity(html.len());
    scan(html, Some(&mut flat));
    Ok(Cow::Owned(flat))
}

/// A tag name as the stack keeps it: its first 8 bytes, lowercased, packed in a word.
const fn key(name: &[u8]) -> u64 {
    let mut packed = 0u64;
    let mut at = 0;
    while at < name.len() && at < 8 {
        packed |= (name[at].to_ascii_lowercase() as u64) << (8 * at);
        at += 1;
    }
    packed
}

/// The keys of a list of names, computed at compile time.
const fn keys<const N: usize>(names: [&[u8]; N]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut at = 0;
    while at < N {
        out[at] = key(names[at]);
        at += 1;
    }
    out
}

/// The elements inside which "/>" closes the element it ends.
const SVG: u64 = key(b"svg");
const MATH: u64 = key(b"math");

fn listed(list: &[u64], name: u64) -> bool {
    list.contains(&name)
}

/// Walks the markup once. With `out`, writes the page flattened to [`MAX_DEPTH`] into it.
pub(crate) fn scan(html: &str, mut out: Option<&mut String>) -> Shape {
    let bytes = html.as_bytes();
    let mut shape = Shape::default();
    let mut stack: Vec<u64> = Vec::new();
    // Names of the start tags dropped past the limit, whose end tags are dropped too.
    let mut dropped: Vec<u64> = Vec::new();
    // Inside <svg> or <math>, "/>" closes the element it ends.
    let mut foreign = 0usize;
    let mut copied = 0usize;
    let mut at = 0usize;
    let p = key(b"p");
    while let Some(open) = next_lt(html, at) {
        at = open + 1;
        let next = bytes.get(at).copied().unwrap_or(0);
        if bytes[at..].starts_with(b"!--") {
            at = find(bytes, at + 3, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        if next == b'!' || next == b'?' {
            at = find(bytes, at, b">").map_or(bytes.len(), |end| end + 1);
            continue;
        }
        let closing = next == b'/';
        let name_start = if closing { at + 1 } else { at };
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = name_start
            + bytes[name_start..]
                .iter()
                .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
                .unwrap_or(bytes.len() - name_start);
        let name = key(&bytes[name_start..name_end]);
        // Counting reads a tag to its first `>`; only the rewrite, which cuts tags out, reads
        // quoted attribute values that may hold one.
        let (end, self_closed) = if out.is_some() {
            tag_end(bytes, name_end)
        } else {
            quick_tag_end(html, name_end)
        };
        at = end;
        let keep = if closing {
            close(&mut stack, &mut dropped, &mut foreign, name)
        } else {
            shape.elements += 1;
            if listed(&RAW_TEXT, name) {
                // The content up to the matching end tag is text; the end tag is read next.
                at = raw_text_end(html, at, &bytes[name_start..name_end]);
            }
            open_element(&mut stack, &mut dropped, &mut foreign, name, self_closed, p)
        };
        shape.depth = shape.depth.max(stack.len() + dropped.len());
        if let Some(out) = out.as_deref_mut() {
            if !keep {
                out.push_str(&html[copied..open]);
                // Dropped tags still separate words. A dropped script's or style's content
                // goes with it: without its start tag it would be read as markup.
                out.push(' ');
                copied = at;
            }
        }
    }
    if let Some(out) = out {
        out.push_str(&html[copied..]);
    }
    shape
}

/// Pushes a start tag onto the stack after the closes it implies; false when it is dropped.
fn open_element(
    stack: &mut Vec<u64>,
    dropped: &mut Vec<u64>,
    foreign: &mut usize,
    name: u64,
    self_closed: bool,
    p: u64,
) -> bool {
    if listed(&VOID, name) || (self_closed && *foreign > 0) {
        return true;
    }
    if stack.last() == Some(&p) && listed(&CLOSES_P, name) {
        stack.pop();
    }
    if listed(&SELF_CLOSING_SIBLINGS, name) {
        let len = stack.len();
        if let Some(found) = stack[len.saturating_sub(4)..]
            .iter()
            .rposition(|open| *open == name)
        {
            stack.truncate(len.saturating_sub(4) + found);
        }
    }
    if stack.len() >= MAX_DEPTH {
        dropped.push(name);
        return false;
    }
    if name == SVG || name == MATH {
        *foreign += 1;
    }
    stack.push(name);
    true
}

/// Pops the element an end tag closes; false when the end tag belongs to a dropped start tag.
fn close(stack: &mut Vec<u64>, dropped: &mut Vec<u64>, foreign: &mut usize, name: u64) -> bool {
    if dropped.last() == Some(&name) {
        dropped.pop();
        return false;
    }
    let len = stack.len();
    let from = len.saturating_sub(CLOSE_SEARCH);
    if let Some(found) = stack[from..].iter().rposition(|open| *open == name) {
        stack.truncate(from + found);
        if (name == SVG || name == MATH) && *foreign > 0 {
            *foreign -= 1;
        }
    }
    true
}

/// Where the first `<` at or after `from` is, found with SIMD by the memchr crate.
fn next_lt(html: &str, from: usize) -> Option<usize> {
    memchr::memchr(b'<', html.as_bytes().get(from..)?).map(|found| from + found)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|found| from + found)
}

/// Where a tag ends, as [`tag_end`] says, but at its first `>` whatever quotes stand before
/// it: found with SIMD by the memchr crate.
fn quick_tag_end(html: &str, from: usize) -> (usize, bool) {
    let bytes = html.as_bytes();
    let found = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr(b'>', rest))
        .map(|at| from + at);
    match found {
        Some(at) => (at + 1, at > 0 && bytes[at - 1] == b'/'),
        None => (bytes.len(), false),
    }
}

/// Where a tag ends (just past its `>`), and whether it ends with `/>`. Quoted attribute
/// values may hold `>`.
fn tag_end(bytes: &[u8], mut at: usize) -> (usize, bool) {
    let mut quote: Option<u8> = None;
    let mut last = 0u8;
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        match quote {
            Some(open) if byte == open => quote = None,
            Some(_) => {}
            None => match byte {
                b'"' | b'\'' if last == b'=' => quote = Some(byte),
                b'>' => return (at, last == b'/'),
                _ => {}
            },
        }
        if !byte.is_ascii_whitespace() || quote.is_some() {
            last = byte;
        } else if last == b'=' {
            // "a= 'x'": the quote still opens the value.
        } else {
            last = b' ';
        }
    }
    (bytes.len(), false)
}

/// Where the text of a raw-text element ends: at its end tag, or at the end of the page.
fn raw_text_end(html: &str, from: usize, name: &[u8]) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(open) = next_lt(html, at) {
        let after = open + 2;
        if bytes.get(open + 1) == Some(&b'/')
            && bytes
                .get(after..after + name.len())
                .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name))
        {
            return open;
        }
        at = open + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the markup, a flattened page nests no deeper than the limit, keeps the
        /// text of the original, and the scan never panics. (A dropped script's content goes
        /// with it: `deep_pages_are_flattened_to_the_limit_keeping_their_text`.)
        #[test]
        fn flattened_pages_are_within_the_depth_limit(
            parts in prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "<div>", "</div>", "<p>", "</p>", "<li>", "<ul>", "<a href='x>y'>",
                        "</a>", "<svg>", "<g/>", "</svg>", "<!--", "-->", "<br>", "<div/>",
                        " kata ", "é ", "<", ">", "'", "\"",
                    ]),
                    1usize..700,
                ),
                0..8,
            )
        ) {
            let page: String = parts.iter().map(|(part, times)| part.repeat(*times)).collect();
            if let Ok(flat) = bound(&page) {
                prop_assert!(scan(&flat, None).depth <= MAX_DEPTH);
                prop_assert_eq!(flat.matches("kata").count(), page.matches("kata").count());
            }
        }
    }

    fn shape(html: &str) -> Shape {
        scan(html, None)
    }

    #[test]
    fn counts_elements_and_depth_with_implied_closes() {
        assert_eq!(
            shape("<html><body><div><p>a</p><p>b<p>c</div></body></html>"),
            Shape {
                elements: 6,
                depth: 4
            }
        );
        // Void elements and comments do not nest; raw text is not markup.
        assert_eq!(
            shape("<div><br><img src='a>b'><!-- <div><div> --><script>if (a<b) { '<div>' }</script></div>"),
            Shape {
                elements: 4,
                depth: 2
            }
        );
        // Unclosed list items and paragraphs are siblings.
        let items = "<ul>".to_string() + &"<li>x".repeat(2000) + "</ul>";
        assert_eq!(shape(&items).depth, 2);
        let paragraphs = "<p>x".repeat(2000);
        assert_eq!(shape(&paragraphs).depth, 1);
        // "<div/>" opens a div in HTML; "/>" closes only inside svg.
        assert_eq!(shape(&"<div/>".repeat(50)).depth, 50);
        assert_eq!(shape(&format!("<svg>{}</svg>", "<g/>".repeat(50))).depth, 1);
    }

    #[test]
    fn shallow_pages_are_parsed_as_written() {
        let page = "<html><body><div class=\"x\"><p>Teks <b>tebal</b>.</p></div></body></html>";
        assert!(matches!(bound(page), Ok(Cow::Borrowed(same)) if same == page));
    }

    #[test]
    fn deep_pages_are_flattened_to_the_limit_keeping_their_text() {
        let depth = MAX_DEPTH * 3;
        let page = format!(
            "<html><body>{}<p>Inti berita.</p>{}<p>Penutup.</p></body></html>",
            "<div>x ".repeat(depth),
            "</div>".repeat(depth)
        );
        let flat = bound(&page).expect("not too many elements");
        assert!(matches!(flat, Cow::Owned(_)));
        assert_eq!(shape(&page).depth, depth + 3);
        let reshaped = shape(&flat);
        assert!(reshaped.depth <= MAX_DEPTH, "{}", reshaped.depth);
        // Past the limit the tags go and the text stays.
        assert!(flat.contains(" Inti berita. "));
        assert!(flat.contains("<p>Penutup.</p>"));
        assert_eq!(flat.matches('x').count(), depth);
        // Balanced: every start tag kept has its end tag kept.
        assert_eq!(
            flat.matches("<div>").count(),
            flat.matches("</div>").count()
        );
        // Unclosed deep nesting is flattened the same way.
        let unclosed = "<div>y ".repeat(depth);
        assert!(shape(&bound(&unclosed).expect("bounded")).depth <= MAX_DEPTH);
        // A script past the limit goes whole: its content is not left to be read as markup.
        let scripts = "<div>".repeat(depth) + "<script>'<div><div>'</script><script>x</script>z";
        let flat = bound(&scripts).expect("bounded");
        assert!(shape(&flat).depth <= MAX_DEPTH);
        assert!(!flat.contains("script") && flat.ends_with('z'));
    }

    #[test]
    fn pages_with_too_many_elements_are_refused() {
        let page = "<p>a</p>".repeat(MAX_ELEMENTS + 1);
        assert_eq!(
            bound(&page),
            Err(TooManyElements {
                count: MAX_ELEMENTS + 1
            })
        );
        assert!(bound(&"<p>a</p>".repeat(1000)).is_ok());
    }
}
