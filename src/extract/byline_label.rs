//! Byline labels ("Penulis: Ani", "Editor : Budi Santoso", "Oleh Citra") in short lines: the
//! names they give, a label alone, a line that is a byline. The pattern is matched in two
//! small parts behind cheap byte prefilters, each checked against the whole pattern in tests.

use once_cell::sync::Lazy;
use regex::Regex;

use super::{normalize_space, Words};

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
