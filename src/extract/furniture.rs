//! Site furniture at the edges of an article body, and page controls inside it.
//!
//! Inside the article's container, sites put short blocks that are not the story: a section
//! label or "NAME - siteSport" before the lead, "Yuk, simak juga video ini!" with the video's
//! one-line description after the last paragraph, a contact box, gallery controls ("Perbesar",
//! "5 dari 6 halaman"). None of these is recognised by a site's words. A block at either edge
//! of the body is furniture when it is short and link-heavy, a call to action, repeated
//! elsewhere on the page, or without sentence punctuation; from the end, a call to action
//! takes the few short blocks after it with it. Edges are trimmed until a block of story is
//! reached, so real text is never cut from the middle of a body.

use once_cell::sync::Lazy;
use regex::Regex;

use super::Words;

/// Most words in an edge block that may be furniture: labels, calls to action and contact
/// lines are a few words; a lead or a last paragraph is a sentence of more.
pub(crate) const EDGE_WORDS: usize = 12;

/// Most words in an edge block without sentence punctuation that is furniture: a label
/// ("Sorotan Pekan Ini", "Kontak Informasi ..."). Longer unpunctuated text is kept.
pub(crate) const BARE_EDGE_WORDS: usize = 8;

/// Most non-space characters in an edge block that may be furniture: [`EDGE_WORDS`] words
/// of a label, and a bound for scripts that do not separate words with spaces.
pub(crate) const EDGE_CHARS: usize = 90;

/// Share of an edge block's characters inside links above which it is navigation.
pub(crate) const EDGE_LINK_DENSITY: f64 = 0.3;

/// Most words after a call to action at the end of the body that go with it: the embedded
/// video's or gallery's description and a signature, not more paragraphs of the story.
pub(crate) const AFTER_CALL_WORDS: usize = 40;

/// Most blocks after a call to action at the end of the body that go with it.
pub(crate) const AFTER_CALL_BLOCKS: usize = 3;

/// Generic Indonesian (and English) words of calls to action and page controls: "simak",
/// "baca", "lihat", "klik", "tonton", "video", "halaman" ... A short edge block holding one
/// is an invitation to something else, not the story. Matched as whole words, without case.
/// "Foto" is not one: captions end with "Foto: ...".
pub(crate) const CALL_WORDS: &[&str] = &[
    "simak",
    "simaklah",
    "baca",
    "lihat",
    "klik",
    "tonton",
    "saksikan",
    "video",
    "galeri",
    "halaman",
    "selengkapnya",
    "unduh",
    "download",
    "ikuti",
    "follow",
    "subscribe",
    "berlangganan",
    "kontak",
    "hubungi",
    "watch",
];

/// Characters that end a sentence (closing quotes and brackets after one count too).
const SENTENCE_END: &[char] = &[
    '.', '!', '?', '"', '”', '’', '\'', ')', '…', ':', '。', '！', '？', '؟',
];

/// Page controls that are never story text, wherever they stand: "5 dari 6 halaman",
/// "Halaman 1 2 3", "Perbesar", "Lanjutkan membaca", "Selanjutnya".
static CONTROL: Lazy<Regex> = Lazy::new(|| {
    Regex::new(
        r"(?i)^(?:(?:halaman|page)\s*:?\s*)?\d+\s*(?:dari|of|/)\s*\d+(?:\s*(?:halaman|page|foto))?$|^(?:halaman|page)(?:\s*:?\s*\d+)+$|^(?:perbesar|zoom|lanjutkan(?:\s+membaca)?|selanjutnya|sebelumnya|halaman\s+(?:selanjutnya|berikutnya|sebelumnya)|next|prev(?:ious)?|tutup|load\s+more|muat\s+lebih\s+banyak)$",
    )
    .expect("valid regex")
});

/// What the edge rules need to know of one body block.
pub(crate) struct EdgeBlock<'a> {
    pub text: &'a str,
    /// Non-space characters of the text.
    pub chars: usize,
    pub link_density: f64,
    /// The same text stands elsewhere on the page (outside the body as well).
    pub repeated: bool,
    /// The block is a heading (`h2` to `h6`): one that ends the body heads nothing of it.
    pub heading: bool,
}

/// A block that is only a page control, to be dropped anywhere in the body.
pub(crate) fn is_control(text: &str) -> bool {
    let core = text.trim_matches(|c: char| !c.is_alphanumeric());
    !core.is_empty() && core.at_most_words(6) && CONTROL.is_match(core)
}

/// Words that open an invitation before its verb: "Yuk, simak ...", "Ayo tonton ...".
const CALL_OPENERS: &[&str] = &["yuk", "ayo", "mari", "jangan", "lupa"];

/// Whether a short text invites to something else: it opens with one of the [`CALL_WORDS`]
/// ("Simak Video: ...", "Yuk, simak juga video ini!"), or holds one and does not end as a
/// plain sentence does ("Video pilihan", "Klik di sini!"). "Kita lihat saja nanti," ujarnya.
/// is a sentence of the story.
pub(crate) fn is_call_to_action(text: &str) -> bool {
    if !text.at_most_words(EDGE_WORDS) {
        return false;
    }
    let is_call = |word: &str| {
        CALL_WORDS
            .iter()
            .any(|call| word.eq_ignore_ascii_case(call))
    };
    let mut words = text
        .words()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .skip_while(|word| {
            CALL_OPENERS
                .iter()
                .any(|opener| word.eq_ignore_ascii_case(opener))
        });
    if words.next().is_some_and(is_call) {
        return true;
    }
    let plain_end = text.ends_with(['.', '"', '”', '’', ')']);
    !plain_end
        && text
            .words()
            .any(|word| is_call(word.trim_matches(|c: char| !c.is_alphanumeric())))
}

/// A signature closing a story: "(rkw/nds)", "(ant)", "(mdk/ded)".
fn is_signature(text: &str) -> bool {
    text.starts_with('(') && text.ends_with(')') && text.at_most_words(3) && text.len() <= 40
}

/// Whether a block is short enough to be furniture at an edge.
fn is_short(block: &EdgeBlock) -> bool {
    block.chars <= EDGE_CHARS && block.text.at_most_words(EDGE_WORDS) && !is_signature(block.text)
}

/// Furniture wherever it stands at an edge: short, and link-heavy, repeated or a call to
/// action.
fn is_marked(block: &EdgeBlock) -> bool {
    is_short(block)
        && (block.link_density > EDGE_LINK_DENSITY
            || block.repeated
            || is_call_to_action(block.text))
}

/// A label before the lead: short and without sentence punctuation ("Sorotan Pekan Ini",
/// "Rina Wulandari - siteSport"). A line ending in a dash leads into the next one (a dateline,
/// "ISTANBUL, 23 Februari 2016 (Antara) -") and stays.
fn is_bare_label(block: &EdgeBlock) -> bool {
    let text = block.text.trim_end();
    is_short(block)
        && text.at_most_words(BARE_EDGE_WORDS)
        && !text.ends_with(SENTENCE_END)
        && !text.ends_with(['-', '–', '—'])
}

/// The part of `blocks` that is the story: leading and trailing furniture left out.
///
/// Before the lead, every short block that is marked or a bare label goes. After the last
/// paragraph, unpunctuated short lines may be the story's own (a source line, a list of
/// names), so the end is cut only at a marked block: from the first marked block of the
/// trailing run of short blocks (a contact box's heading takes its lines with it), at a
/// heading with nothing after it ("Terkini Lainnya"), or at a call to action followed by at
/// most [`AFTER_CALL_WORDS`] words (a video and its caption).
pub(crate) fn story_span(blocks: &[EdgeBlock]) -> std::ops::Range<usize> {
    let mut start = 0;
    let mut end = blocks.len();
    while start < end && (is_marked(&blocks[start]) || is_bare_label(&blocks[start])) {
        start += 1;
    }
    loop {
        let mut run = end;
        while run > start && is_short(&blocks[run - 1]) {
            run -= 1;
        }
        if end > start && blocks[end - 1].heading {
            end -= 1;
            continue;
        }
        if let Some(at) = (run..end).find(|&at| is_marked(&blocks[at])) {
            end = at;
            continue;
        }
        let tail_from = end.saturating_sub(AFTER_CALL_BLOCKS + 1).max(start);
        let call = (tail_from..end).rev().find(|&at| {
            blocks[at].chars <= EDGE_CHARS && is_call_to_action(blocks[at].text) && {
                let after: usize = blocks[at + 1..end]
                    .iter()
                    .map(|block| block.text.words().count())
                    .sum();
                after <= AFTER_CALL_WORDS
            }
        });
        match call {
            Some(at) if at > start => end = at,
            _ => break,
        }
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks<'a>(texts: &[&'a str]) -> Vec<EdgeBlock<'a>> {
        texts
            .iter()
            .map(|text| EdgeBlock {
                text,
                chars: text.chars().filter(|c| !c.is_whitespace()).count(),
                link_density: 0.0,
                repeated: false,
                heading: false,
            })
            .collect()
    }

    const LEAD: &str = "Jakarta - Pemerintah menaikkan anggaran bantuan sosial untuk keluarga miskin tahun depan, kata menteri keuangan.";
    const LAST: &str = "Anggaran itu akan dibahas bersama DPR pekan depan.";

    #[test]
    fn labels_calls_and_contacts_leave_the_edges() {
        let page = blocks(&[
            "Sorotan Pekan Ini",
            "Rina Wulandari - siteSport",
            LEAD,
            "Menteri menyebut jumlah penerima naik dua kali lipat dibanding tahun ini.",
            LAST,
            "Yuk, Simak Juga Video ini!",
            "Menteri keuangan memberi keterangan kepada wartawan.",
            "(rin/ani)",
            "Kontak Informasi Situs",
            "Redaksi: redaksi[at]situs.example.id",
        ]);
        assert_eq!(story_span(&page), 2..5);
    }

    #[test]
    fn story_text_after_a_call_in_the_middle_stays() {
        let long = "Dalam rapat itu, menteri juga menjelaskan bahwa dana tambahan akan diambil dari pos belanja yang belum terserap, termasuk perjalanan dinas dan pengadaan kendaraan.";
        let page = blocks(&[
            LEAD,
            "Simak Video: Menkeu Bicara Anggaran",
            long,
            long,
            LAST,
        ]);
        assert_eq!(story_span(&page), 0..5);
        // Short last sentences are story text, even with a call word in them.
        let page = blocks(&[LEAD, "\"Kami siap,\" ujarnya."]);
        assert_eq!(story_span(&page), 0..2);
        let page = blocks(&[LEAD, "\"Kita lihat saja nanti,\" ujarnya."]);
        assert_eq!(story_span(&page), 0..2);
        // A dateline line leads in; source lines and lists of names close a story.
        let page = blocks(&[
            "ISTANBUL, 23 Februari 2016 (Antara) -",
            LEAD,
            LAST,
            "Sumber: Pemkot Istanbul",
            "Prakirawan - BMKG",
        ]);
        assert_eq!(story_span(&page), 0..5);
    }

    #[test]
    fn link_heavy_and_repeated_edges_are_furniture() {
        let mut page = blocks(&[
            "Berita lain yang menarik untuk dibaca hari ini.",
            LEAD,
            LAST,
        ]);
        page[0].link_density = 0.9;
        assert_eq!(story_span(&page), 1..3);
        page[0].link_density = 0.0;
        page[0].repeated = true;
        assert_eq!(story_span(&page), 1..3);
    }

    #[test]
    fn page_controls_are_recognised() {
        for control in [
            "5 dari 6 halaman",
            "Halaman 1 2",
            "Halaman: 1 2 3",
            "Perbesar",
            "Lanjutkan Membaca ↓",
            "Halaman Selanjutnya »",
            "2/5",
        ] {
            assert!(is_control(control), "{control}");
        }
        for text in [
            "5 dari 6 warga menolak",
            "Halaman rumah itu luas.",
            "Selanjutnya, polisi memeriksa saksi.",
        ] {
            assert!(!is_control(text), "{text}");
        }
    }
}
