//! Extraction: file bytes and a path in, normalised [`Article`]s or a typed error out.
//!
//! Pure: no I/O happens here, so every format is tested with fixtures and fuzzed without a disk.
//!
//! ```
//! use newsidx::extract::{extract, ExtractOptions};
//! let text = "Judul Berita\n\nJAKARTA - Isi berita yang cukup panjang untuk dianggap artikel.";
//! let articles = extract(text.as_bytes(), "a.txt", &ExtractOptions::default()).unwrap();
//! assert_eq!(articles[0].title, "Judul Berita");
//! ```

mod bounds;
pub mod date;
mod dateline;
mod decode;
mod furniture;
mod html;
mod json;
mod text;

use chrono::FixedOffset;
use once_cell::sync::Lazy;
use regex::Regex;

use crate::article::Article;

/// Why a file produced no article.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("empty file")]
    Empty,
    #[error("file too large ({size} bytes, limit {limit}); raise --max-file-size to index it")]
    TooLarge { size: u64, limit: u64 },
    #[error("binary file ({0}), not an article")]
    Binary(&'static str),
    #[error("page has too many elements ({count}, limit {limit}), not an article")]
    TooManyElements { count: usize, limit: usize },
    #[error("no article text found")]
    NoArticle,
    #[error("invalid JSON: {0}")]
    Json(String),
}

/// Settings that change how files are read.
#[derive(Clone, Debug)]
pub struct ExtractOptions {
    /// Zone for local times that state none (WIB, +07:00, by default).
    pub default_offset: FixedOffset,
    /// Files larger than this are skipped.
    pub max_file_size: u64,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            default_offset: FixedOffset::east_opt(7 * 3600).expect("valid offset"),
            max_file_size: 20 * 1024 * 1024,
        }
    }
}

/// Turns one file's bytes into its articles. `path` is relative to the corpus root and becomes
/// the article's `path` (and its `id` when the file has no canonical URL).
pub fn extract(
    bytes: &[u8],
    path: &str,
    options: &ExtractOptions,
) -> Result<Vec<Article>, ExtractError> {
    extract_all(bytes, path, options).map(|extracted| extracted.articles)
}

/// A file's articles, and the records inside it that gave none (JSON Lines lines that are not
/// JSON, records without article text), each with its reason.
#[derive(Debug, Default)]
pub struct Extracted {
    pub articles: Vec<Article>,
    /// "line 3: invalid JSON: ...", one per record that was left out.
    pub problems: Vec<String>,
}

/// Like [`extract`], but also says which records of a multi-record file were left out and why,
/// so that ingest can report them instead of dropping them silently.
pub fn extract_all(
    bytes: &[u8],
    path: &str,
    options: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    if bytes.len() as u64 > options.max_file_size {
        return Err(ExtractError::TooLarge {
            size: bytes.len() as u64,
            limit: options.max_file_size,
        });
    }
    if let Some(kind) = decode::binary_kind(bytes) {
        return Err(ExtractError::Binary(kind));
    }
    let text = decode::decode(bytes);
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let single = |article| Extracted {
        articles: vec![article],
        problems: Vec::new(),
    };
    Ok(match sniff(path, &text) {
        Sniffed::Html => single(html::extract(&text, path, options)?),
        Sniffed::Json => json::extract(&text, path, options)?,
        Sniffed::Text => single(text::extract(&text, path, options)?),
    })
}

enum Sniffed {
    Html,
    Json,
    Text,
}

fn sniff(path: &str, text: &str) -> Sniffed {
    let lower_path = path.to_ascii_lowercase();
    let start = text.trim_start();
    if lower_path.ends_with(".json")
        || lower_path.ends_with(".jsonl")
        || lower_path.ends_with(".ndjson")
    {
        return Sniffed::Json;
    }
    if lower_path.ends_with(".html")
        || lower_path.ends_with(".htm")
        || lower_path.ends_with(".xhtml")
    {
        return Sniffed::Html;
    }
    let head: String = start
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<head")
        || head.contains("<body")
    {
        return Sniffed::Html;
    }
    if start.starts_with('{') || start.starts_with('[') {
        return Sniffed::Json;
    }
    Sniffed::Text
}

/// The words of a text, as `str::split_whitespace` gives them, found a byte at a time where
/// the text is ASCII instead of decoding every character: extraction splits every block, line
/// and body into words several times.
pub(crate) trait Words {
    fn words(&self) -> WordIter<'_>;

    /// `words().count() <= limit`, without splitting past the word after the limit.
    fn at_most_words(&self, limit: usize) -> bool {
        self.words().nth(limit).is_none()
    }

    /// `words().count() >= least`, without splitting past that word.
    fn at_least_words(&self, least: usize) -> bool {
        least == 0 || self.words().nth(least - 1).is_some()
    }
}

impl Words for str {
    fn words(&self) -> WordIter<'_> {
        WordIter { text: self, at: 0 }
    }
}

/// The iterator of [`Words::words`].
pub(crate) struct WordIter<'a> {
    text: &'a str,
    at: usize,
}

/// The ASCII characters of Unicode's White_Space, as `char::is_whitespace` reads them.
#[inline(always)]
fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// Whether the character at byte `at` of `text` (not ASCII) is white space, and its length.
#[inline(never)]
fn wide_space_at(text: &str, at: usize) -> (bool, usize) {
    match text[at..].chars().next() {
        Some(c) => (c.is_whitespace(), c.len_utf8()),
        None => (false, 1),
    }
}

/// The characters of `text` that are not white space, counted a byte at a time where it is
/// ASCII.
pub(crate) fn non_space_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            count += usize::from(!is_ascii_space(byte));
            at += 1;
        } else {
            let (space, width) = wide_space_at(text, at);
            count += usize::from(!space);
            at += width;
        }
    }
    count
}

// The two loops below, `non_space_chars` and `normal_space_chars` test the byte inline on
// purpose: the same scan through one shared `Option`-returning helper cost 2% more
// instructions in ingest (callgrind).
impl<'a> Iterator for WordIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let mut at = self.at;
        loop {
            let Some(&byte) = bytes.get(at) else {
                self.at = at;
                return None;
            };
            if byte.is_ascii() {
                if !is_ascii_space(byte) {
                    break;
                }
                at += 1;
            } else {
                let (space, width) = wide_space_at(self.text, at);
                if !space {
                    break;
                }
                at += width;
            }
        }
        let start = at;
        while let Some(&byte) = bytes.get(at) {
            if byte.is_ascii() {
                if is_ascii_space(byte) {
                    break;
                }
                at += 1;
            } else {
                let (space, width) = wide_space_at(self.text, at);
                if space {
                    break;
                }
                at += width;
            }
        }
        self.at = at;
        Some(&self.text[start..at])
    }
}

/// Collapses runs of whitespace to one space and trims.
pub(crate) fn normalize_space(text: &str) -> String {
    normalize_space_counted(text).0
}

/// [`normalize_space`], and the non-space characters of its text.
pub(crate) fn normalize_space_counted(text: &str) -> (String, usize) {
    if let Some(chars) = normal_space_chars(text) {
        return (text.to_string(), chars);
    }
    let out = collapse_space(text);
    let chars = non_space_chars(&out);
    (out, chars)
}

fn collapse_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.words() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// When `text` is already what [`normalize_space`] makes of it (not empty, its only white
/// space single ASCII spaces between other characters), its non-space characters. Most blocks
/// of a page are, and are then copied whole. Every non-ASCII white space character starts
/// with one of four bytes; only characters starting with those are decoded.
fn normal_space_chars(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // True at the start, so that leading white space fails.
    let mut after_space = true;
    let mut chars = 0;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            if is_ascii_space(byte) {
                if byte != b' ' || after_space {
                    return None;
                }
                after_space = true;
            } else {
                after_space = false;
                chars += 1;
            }
            at += 1;
        } else if matches!(byte, 0xC2 | 0xE1 | 0xE2 | 0xE3) {
            let (space, width) = wide_space_at(text, at);
            if space {
                return None;
            }
            after_space = false;
            chars += 1;
            at += width;
        } else {
            // A continuation byte (0x80 to 0xBF) is part of the character before it.
            after_space = false;
            chars += usize::from(byte >= 0xC0);
            at += 1;
        }
    }
    (!after_space).then_some(chars)
}

/// The outlet name derived from a URL's host: "https://www.kompas.com/x" → "kompas.com".
pub(crate) fn source_from_url(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.split(':').next()?;
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    if host.contains('.') {
        Some(host.to_ascii_lowercase())
    } else {
        None
    }
}

enum Language {
    Indonesian,
    English,
}

/// Whose common function word `word` is, compared without ASCII case. The words are matched
/// as byte strings (by length, then bytes), not looked up in a list one by one.
fn function_word(word: &str) -> Option<Language> {
    // The longest listed word is "tersebut".
    let mut lower = [0u8; 8];
    let lower = lower.get_mut(..word.len())?;
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    match &*lower {
        b"yang" | b"dan" | b"di" | b"itu" | b"dengan" | b"untuk" | b"dari" | b"ini" | b"tidak"
        | b"dalam" | b"akan" | b"pada" | b"juga" | b"ke" | b"karena" | b"tersebut" => {
            Some(Language::Indonesian)
        }
        b"the" | b"and" | b"of" | b"to" | b"in" | b"is" | b"that" | b"for" | b"with" | b"was"
        | b"on" | b"are" => Some(Language::English),
        _ => None,
    }
}

/// `word` without the characters that are not letters or digits at either end.
fn trim_to_alphanumeric(word: &str) -> &str {
    // A word that starts and ends with an ASCII letter or digit has nothing to trim.
    let bytes = word.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    {
        return word;
    }
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

/// "id" or "en" from common function words, when the text says enough to tell.
pub(crate) fn guess_language(text: &str) -> Option<String> {
    let mut indonesian = 0usize;
    let mut english = 0usize;
    for word in text.words().take(2000) {
        let word = trim_to_alphanumeric(word);
        match function_word(word) {
            Some(Language::Indonesian) => indonesian += 1,
            Some(Language::English) => english += 1,
            None => {}
        }
    }
    if indonesian + english < 3 {
        return None;
    }
    Some(if indonesian >= english { "id" } else { "en" }.to_string())
}

/// "Penulis: Ani", "Editor : Budi Santoso", "Oleh Citra": labelled names in short lines. The
/// pattern as written; extraction matches it in two parts, [`BYLINE_LEAD`] and
/// [`BYLINE_NAME`], which tests check against it.
#[cfg(test)]
static BYLINE_LABEL: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b({})\b\s*:?\s*(\p{{Lu}}[\p{{L}}.'’-]*(?:\s+\p{{Lu}}[\p{{L}}.'’-]*){{0,4}})",
        BYLINE_LABELS.join("|")
    ))
    .expect("valid regex")
});

/// The label part of the byline pattern (`BYLINE_LABEL` in the tests) and what separates it
/// from the name; with [`BYLINE_NAME`] after it, the same pattern in two small automata
/// instead of one large one.
static BYLINE_LEAD: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(r"(?i)\b(?:{})\b\s*:?\s*", BYLINE_LABELS.join("|"))).expect("valid regex")
});

/// The name part of the byline pattern, anchored where a label and its separator end.
static BYLINE_NAME: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,4}").expect("valid regex")
});

/// The labels of the byline pattern.
const BYLINE_LABELS: [&str; 8] = [
    "penulis",
    "reporter",
    "wartawan",
    "pewarta",
    "oleh",
    "editor",
    "penyunting",
    "redaktur",
];

/// Characters outside ASCII that the regex's case-insensitive matching takes for letters of a
/// label (KELVIN SIGN for k, LONG S for s); a line with one goes to the regex as it is.
const LABEL_LETTER_LOOKALIKES: [char; 2] = ['\u{212A}', '\u{17F}'];

/// Whether `line` may start with a byline label: a cheap test that lets most lines of a page
/// skip the regex, which would search the whole line for a label anywhere.
fn may_start_with_label(line: &str) -> bool {
    // Only the first characters can be part of a label at the start.
    let longest = BYLINE_LABELS
        .iter()
        .map(|label| label.len())
        .max()
        .unwrap_or(0);
    if line
        .chars()
        .take(longest)
        .any(|c| LABEL_LETTER_LOOKALIKES.contains(&c))
    {
        return true;
    }
    let bytes = line.as_bytes();
    BYLINE_LABELS.iter().any(|label| {
        bytes
            .get(..label.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(label.as_bytes()))
    })
}

/// Whether `line` may hold a byline label anywhere: a cheap test that lets the many short
/// lines of a page that hold none (menu items, link titles, captions) skip the regex.
fn may_hold_label(line: &str) -> bool {
    if !line.is_ascii() && line.contains(LABEL_LETTER_LOOKALIKES) {
        return true;
    }
    let bytes = line.as_bytes();
    // A label is looked for only where its first two letters are: "e", "p" and "r" are among
    // the commonest letters of Indonesian text, two letters together far rarer. `| 0x20`
    // lowers an ASCII capital.
    bytes.windows(2).enumerate().any(|(at, pair)| {
        LABEL_HEADS.contains(&[pair[0] | 0x20, pair[1] | 0x20])
            && BYLINE_LABELS.iter().any(|label| {
                bytes[at..]
                    .get(..label.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(label.as_bytes()))
            })
    })
}

/// The first two letters of every byline label.
const LABEL_HEADS: [[u8; 2]; 5] = [*b"pe", *b"re", *b"wa", *b"ol", *b"ed"];

/// The names a byline line gives, each marked true when the label says editor.
pub(crate) fn byline_names(line: &str) -> Vec<(bool, String)> {
    let mut names = Vec::new();
    if !may_hold_label(line) {
        return names;
    }
    let mut from = 0;
    while let Some(found) = next_byline(line, from) {
        names.push((found.editor, normalize_space(found.name)));
        from = found.end;
    }
    names
}

/// A line that is a byline label alone ("Penulis", "Editor:"), its name in the next block:
/// `Some(true)` when the label says editor.
pub(crate) fn lone_label(line: &str) -> Option<bool> {
    let label = line.trim_end_matches(|c: char| c == ':' || c.is_whitespace());
    if label.len() > 10 || !label.is_ascii() {
        return None;
    }
    let label = label.to_ascii_lowercase();
    BYLINE_LABELS.contains(&label.as_str()).then_some(matches!(
        label.as_str(),
        "editor" | "penyunting" | "redaktur"
    ))
}

/// A short line that starts with a byline label: "Penulis: Ani | Editor: Budi".
pub(crate) fn is_byline_line(line: &str) -> bool {
    may_start_with_label(line)
        && line.at_most_words(12)
        && next_byline(line, 0).is_some_and(|found| found.start == 0)
}

/// One match of the byline pattern: where it starts and ends, its name, and whether the label
/// says editor.
struct Byline<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    editor: bool,
}

/// The first match of the byline pattern in `line` that starts at or after `from`, found with
/// its two small parts. No label is a prefix of another, and a name starts with neither a
/// space nor a colon, so a label found is the only one that can start a match there and its
/// separator is all the whitespace and colon that follow it.
fn next_byline(line: &str, mut from: usize) -> Option<Byline<'_>> {
    loop {
        let lead = BYLINE_LEAD.find_at(line, from)?;
        let Some(name) = BYLINE_NAME.find(&line[lead.end()..]) else {
            // Labels start with an ASCII letter, so the next byte starts a character.
            from = lead.start() + 1;
            continue;
        };
        let label = lead
            .as_str()
            .trim_end_matches(|c: char| c.is_whitespace() || c == ':')
            .to_lowercase();
        return Some(Byline {
            start: lead.start(),
            end: lead.end() + name.end(),
            name: name.as_str(),
            editor: matches!(label.as_str(), "editor" | "penyunting" | "redaktur"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn label_prefilter_knows_every_lookalike() {
        // Any character outside ASCII that the case-insensitive regex reads as a letter of a
        // label must send the line to the regex.
        let letters: String = BYLINE_LABELS.concat();
        let class = Regex::new(&format!("(?i)^[{letters}]$")).expect("valid regex");
        for c in (0x80..=0x10FFFF).filter_map(char::from_u32) {
            if class.is_match(c.encode_utf8(&mut [0; 4])) {
                assert!(LABEL_LETTER_LOOKALIKES.contains(&c), "{c:?}");
            }
        }
    }

    #[test]
    fn label_heads_are_every_labels_first_two_letters() {
        let mut heads: Vec<[u8; 2]> = BYLINE_LABELS
            .iter()
            .map(|label| [label.as_bytes()[0], label.as_bytes()[1]])
            .collect();
        heads.sort_unstable();
        heads.dedup();
        let mut known = LABEL_HEADS.to_vec();
        known.sort_unstable();
        assert_eq!(heads, known);
    }

    /// What [`byline_names`] would give without its prefilter.
    fn names_by_regex_alone(line: &str) -> Vec<(bool, String)> {
        BYLINE_LABEL
            .captures_iter(line)
            .map(|caps| {
                let label = caps[1].to_lowercase();
                let editor = matches!(label.as_str(), "editor" | "penyunting" | "redaktur");
                (editor, normalize_space(&caps[2]))
            })
            .collect()
    }

    proptest! {
        #[test]
        fn words_and_their_counts_are_what_split_whitespace_gives(
            parts in prop::collection::vec(
                prop_oneof![
                    "[a-zA-Z0-9.,;:!?'\"()-]{1,8}",
                    "[ \t\n\r\u{0B}\u{0C}\u{1C}-\u{1F}]{1,3}",
                    prop::sample::select(vec![
                        "\u{85}", "\u{A0}", "\u{1680}", "\u{2002}", "\u{200A}", "\u{200B}",
                        "\u{2028}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "é", "’",
                        "ſ", "\u{10348}",
                    ]).prop_map(str::to_string),
                    any::<String>(),
                ],
                0..16,
            )
        ) {
            let text = parts.concat();
            let expected: Vec<&str> = text.split_whitespace().collect();
            prop_assert_eq!(&text.words().collect::<Vec<_>>(), &expected);
            prop_assert_eq!(
                non_space_chars(&text),
                text.chars().filter(|c| !c.is_whitespace()).count()
            );
            prop_assert_eq!(normalize_space(&text), expected.join(" "));
            for word in &expected {
                prop_assert_eq!(
                    trim_to_alphanumeric(word),
                    word.trim_matches(|c: char| !c.is_alphanumeric())
                );
            }
            let joined = expected.join(" ");
            prop_assert_eq!(
                normalize_space_counted(&text),
                (joined.clone(), non_space_chars(&joined))
            );
            for limit in 0..6 {
                prop_assert_eq!(text.at_most_words(limit), expected.len() <= limit);
                prop_assert_eq!(text.at_least_words(limit), expected.len() >= limit);
            }
        }

        #[test]
        fn byline_names_are_the_whole_patterns_matches(
            words in prop::collection::vec(
                prop_oneof![
                    prop::sample::select(vec![
                        "Penulis:", "REPORTER", "wartawan", "Pewarta :", "oleh", "Oleh:",
                        "EdItOr:", "penyunting", "Redaktur", "\u{17F}", "\u{212A}", "pe\u{17F}ulis",
                        "redaktur\u{212A}", "reda\u{212A}tur:", "penuli\u{17F} :", "(", ")", "|", "-", ":",
                        "::", " : ", "\t", "Ani", "Budi", "Lestari", "É", "émile", "karena",
                        "pemerintah", "oleh-oleh", "Oleh:Budi", "O'Neil", "’", "d’Arc",
                        "Editor:Andi.", "1", "boleh", "_",
                    ]).prop_map(str::to_string),
                    "[A-Za-zÀ-ÿ.:'’-]{1,12}",
                ],
                0..12,
            ),
            glue in prop::sample::select(vec![" ", "", "  ", "\n"]),
        ) {
            let line = words.join(glue);
            prop_assert_eq!(byline_names(&line), names_by_regex_alone(&line));
            let starts = line.split_whitespace().count() <= 12
                && BYLINE_LABEL.find(&line).is_some_and(|found| found.start() == 0);
            prop_assert_eq!(is_byline_line(&line), starts);
        }
    }

    #[test]
    fn function_words_are_matched_without_ascii_case_only() {
        assert!(matches!(function_word("YANG"), Some(Language::Indonesian)));
        assert!(matches!(
            function_word("Tersebut"),
            Some(Language::Indonesian)
        ));
        assert!(matches!(function_word("The"), Some(Language::English)));
        for other in ["", "tersebutlah", "yan", "thé", "dі"] {
            assert!(function_word(other).is_none(), "{other}");
        }
        assert_eq!(
            guess_language("Dia bilang, yang itu dari Bogor.").as_deref(),
            Some("id")
        );
        assert_eq!(
            guess_language("The mayor said that the road is closed.").as_deref(),
            Some("en")
        );
        assert_eq!(guess_language("Banjir, banjir lagi."), None);
    }

    #[test]
    fn labels_alone_are_known_with_their_kind() {
        assert_eq!(lone_label("Penulis"), Some(false));
        assert_eq!(lone_label("Editor :"), Some(true));
        assert_eq!(lone_label("REPORTER:"), Some(false));
        assert_eq!(lone_label("Penulis: Ani"), None);
        assert_eq!(lone_label("Penyunting naskah"), None);
        assert_eq!(lone_label(""), None);
    }

    #[test]
    fn byline_labels_are_found_as_whole_words_and_at_line_starts() {
        assert_eq!(
            byline_names("Penulis: Ani Lestari | EDITOR: Budi"),
            [
                (false, "Ani Lestari".to_string()),
                (true, "Budi".to_string())
            ]
        );
        assert!(byline_names("Presiden meresmikan jembatan baru di Kupang.").is_empty());
        assert!(byline_names("Warga boleh memperoleh Bantuan Tunai").is_empty());
        assert_eq!(
            byline_names("Foto diambil oleh Andi Wijaya"),
            [(false, "Andi Wijaya".to_string())]
        );
        assert_eq!(byline_names("(oleh: Rina)"), [(false, "Rina".to_string())]);
        assert!(is_byline_line("Oleh Citra Dewi"));
        assert!(!is_byline_line(""));
        assert!(!is_byline_line("Menurut penulis: Ani"));
        assert!(!is_byline_line("Pewartaan itu selesai"));
        assert!(is_byline_line("Reda\u{212A}tur: Budi Santoso"));
    }
}
