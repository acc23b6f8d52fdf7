//! White space and words, scanned a byte at a time where the text is ASCII: extraction
//! splits every block, line and body into words and collapses its spaces several times.

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

/// `text` lowercased with only its letters and digits: how a name, a title and a site's name
/// are compared whatever their case, spacing and punctuation.
pub(crate) fn squeeze(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::language::trim_to_alphanumeric;
    use proptest::prelude::*;

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
    }
}
