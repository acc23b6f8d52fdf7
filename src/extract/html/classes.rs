//! What an element's class words, id and attributes say about it: furniture, a caption, a
//! date, a byline, and Readability's class weight. The patterns are read once per distinct
//! class string a thread meets ([`ClassTraits::of`]).

use std::collections::HashMap;

use once_cell::sync::Lazy;
use regex::Regex;

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

/// Class or id words of the parts that hold an article.
static POSITIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"article|artikel|body|content|entry|hentry|main|page|post|text|blog|story|detail|isi|berita|read")
        .expect("valid regex")
});

/// Class or id words of parts that are not the article's text.
static NEGATIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"hidden|banner|combx|comment|contact|foot|footnote|masthead|media|meta|outbrain|promo|related|terkait|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|date|author|byline|caption")
        .expect("valid regex")
});

/// Class or id words of a photo caption.
static CAPTION_CLASS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"caption|keterangan|ket-?foto|foto-?ket|photo-?desc|img-?desc|image-?desc|wp-caption-text",
    )
    .expect("valid regex")
});

/// Class or id words of a date line.
static DATE_CLASS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"date|time|tanggal|tgl|waktu|publish|posted|schedule").expect("valid regex")
});

/// Class or id words of a byline.
static BYLINE_CLASS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"author|penulis|reporter|byline|writer|wartawan").expect("valid regex")
});
/// What an element's class and id words say about it, as the patterns above read them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct ClassTraits {
    /// Furniture words not outweighed by content words.
    pub(super) furniture: bool,
    pub(super) caption: bool,
    pub(super) dateish: bool,
    pub(super) byline: bool,
    pub(super) weight: i32,
}

impl ClassTraits {
    /// The traits of `class_id` (lowercased class words and id). A site's pages repeat the same
    /// few hundred class strings, so each thread keeps what the patterns said of the strings it
    /// met: one hash lookup per element instead of up to eight pattern searches.
    pub(super) fn of(class_id: &str) -> ClassTraits {
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

/// Readability's weight of a class or id that names article parts ([`POSITIVE`]) or other
/// parts ([`NEGATIVE`]), added to an element's score: both can hold ("post-meta").
const CLASS_WEIGHT: i32 = 25;

fn class_weight(class_id: &str) -> i32 {
    if class_id.is_empty() {
        return 0;
    }
    let mut weight = 0;
    if NEGATIVE.is_match(class_id) {
        weight -= CLASS_WEIGHT;
    }
    if POSITIVE.is_match(class_id) {
        weight += CLASS_WEIGHT;
    }
    weight
}

/// The attributes every element is judged by, read in one pass over its attributes.
/// `Element::attr` interns its argument and searches the list again on every call, five
/// times per element of every page.
#[derive(Default)]
pub(super) struct Judged<'a> {
    pub(super) role: &'a str,
    pub(super) hidden: bool,
    pub(super) style: Option<&'a str>,
    pub(super) itemprop: Option<&'a str>,
    pub(super) rel: Option<&'a str>,
}

impl<'a> Judged<'a> {
    pub(super) fn of(element: &'a scraper::node::Element) -> Judged<'a> {
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
/// Furniture words that win even over content words ("related-content", "comment-body").
fn strong_furniture(class_id: &str) -> bool {
    static STRONG: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"comment|komentar|share|social|baca-?juga|bacajuga|related|terkait|iklan|advert|outbrain|taboola|\btags?\b|sidebar|popular|populer|trending|rekomendasi|recommend|most")
            .expect("valid regex")
    });
    STRONG.is_match(class_id)
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
}
