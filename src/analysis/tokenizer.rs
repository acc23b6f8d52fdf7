//! Splitting text into words, the Indonesian way.
//!
//! Besides runs of letters and digits, a token keeps together: hyphenated words
//! (negara-negara, sebaik-baiknya, Covid-19), numbers with Indonesian separators (2,5;
//! 1.000.000), apostrophes inside a word (Jum'at), dotted abbreviations (A.S. → "AS"), URLs and
//! e-mail addresses. "Rp1.000" is split into "Rp" and "1.000", as it is when written apart.
//! Offsets are byte offsets into the original text, for highlighting.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The tokenizer of both analyzers.
#[derive(Clone, Default)]
pub struct IndonesianTokenizer {
    token: Token,
}

/// Token stream of [`IndonesianTokenizer`].
pub struct IndonesianTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for IndonesianTokenizer {
    type TokenStream<'a> = IndonesianTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> IndonesianTokenStream<'a> {
        self.token.reset();
        IndonesianTokenStream {
            text,
            cursor: 0,
            token: &mut self.token,
        }
    }
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '`')
}

/// Characters that end a URL or e-mail address.
fn ends_address(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '<' | '>' | '(' | ')' | '[' | ']' | '{' | '}' | '|')
}

impl IndonesianTokenStream<'_> {
    /// The end of the word starting at `start` (a letter or digit).
    fn word_end(&self, start: usize) -> usize {
        let text = self.text;
        // Most words are ASCII letters and digits ended by a space or a sign that never joins:
        // those end where the run does, without decoding characters.
        let bytes = text.as_bytes();
        let run = bytes[start..]
            .iter()
            .position(|byte| !byte.is_ascii_alphanumeric())
            .map_or(bytes.len(), |length| start + length);
        match bytes.get(run) {
            None => return run,
            Some(&byte)
                if byte.is_ascii() && !matches!(byte, b'-' | b'\'' | b'`' | b'.' | b',') =>
            {
                return run;
            }
            _ => {}
        }
        let mut chars = text[start..].char_indices().peekable();
        let mut previous: Option<char> = None;
        let mut end = start;
        while let Some((offset, c)) = chars.next() {
            let next = chars.peek().map(|&(_, next)| next);
            let joins = if c.is_alphanumeric() {
                true
            } else if is_hyphen(c) || is_apostrophe(c) {
                previous.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric)
            } else if c == '.' || c == ',' {
                previous.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit())
            } else {
                false
            };
            if !joins {
                break;
            }
            end = start + offset + c.len_utf8();
            previous = Some(c);
        }
        end
    }

    /// A URL or e-mail address starting at `start`, as its end offset.
    fn address_end(&self, start: usize) -> Option<usize> {
        let rest = &self.text[start..];
        let run_len = rest.find(ends_address).unwrap_or(rest.len());
        let run = rest[..run_len].trim_end_matches(|c: char| ".,;:!?'\u{2019}".contains(c));
        let head = run.get(..8).unwrap_or(run).to_ascii_lowercase();
        let is_url =
            head.starts_with("http://") || head.starts_with("https://") || head.starts_with("www.");
        let is_email = run.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && domain
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
                && local
                    .chars()
                    .all(|c| c.is_alphanumeric() || "._%+-".contains(c))
        });
        (is_url || is_email).then_some(start + run.len())
    }

    /// Dotted abbreviation of two or more single letters (A.S., U.S.A.): its letters and end.
    fn abbreviation(&self, start: usize) -> Option<(String, usize)> {
        let mut letters = String::new();
        let mut chars = self.text[start..].char_indices().peekable();
        let mut end = start;
        while let Some((offset, c)) = chars.next() {
            if !c.is_alphabetic() || chars.peek().map(|&(_, dot)| dot) != Some('.') {
                break;
            }
            chars.next();
            letters.push(c);
            end = start + offset + c.len_utf8() + 1;
            // The next letter must stand alone, followed by its own dot.
            if chars.peek().is_none_or(|&(_, next)| !next.is_alphabetic()) {
                break;
            }
        }
        (letters.chars().count() >= 2).then_some((letters, end))
    }
}

impl TokenStream for IndonesianTokenStream<'_> {
    fn advance(&mut self) -> bool {
        // ASCII bytes are skipped without decoding; the first other byte starts a slower search.
        let rest = &self.text.as_bytes()[self.cursor..];
        let skipped = rest
            .iter()
            .position(|byte| !byte.is_ascii() || byte.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        self.cursor += skipped;
        let Some(offset) = self.text[self.cursor..].find(char::is_alphanumeric) else {
            self.cursor = self.text.len();
            return false;
        };
        let start = self.cursor + offset;
        self.token.text.clear();
        let end = if let Some((letters, end)) = self.abbreviation(start) {
            self.token.text.push_str(&letters);
            end
        } else {
            let mut end = self.word_end(start);
            let stopped_at = self.text[end..].chars().next();
            if stopped_at
                .is_some_and(|c| matches!(c, '@' | '.' | '_' | '+' | ':' | '/' | '%' | '-'))
            {
                if let Some(address_end) = self.address_end(start) {
                    end = address_end.max(end);
                }
            }
            let word = &self.text[start..end];
            // Rp1.000 → Rp, 1.000
            if word
                .get(..2)
                .is_some_and(|head| head.eq_ignore_ascii_case("rp"))
                && word.as_bytes().get(2).is_some_and(u8::is_ascii_digit)
            {
                end = start + 2;
            }
            self.token.text.push_str(&self.text[start..end]);
            end
        };
        self.cursor = end;
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = IndonesianTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            assert_eq!(token.position, out.len(), "positions count up from 0");
            out.push((token.text.clone(), token.offset_from, token.offset_to));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(text, _, _)| text).collect()
    }

    #[test]
    fn keeps_hyphenated_words_together() {
        assert_eq!(
            texts("negara-negara dan sebaik-baiknya."),
            ["negara-negara", "dan", "sebaik-baiknya"]
        );
        assert_eq!(texts("kata - kata"), ["kata", "kata"]);
    }

    #[test]
    fn keeps_numbers_whole() {
        assert_eq!(
            texts("naik 2,5 persen, Rp 1.000.000."),
            ["naik", "2,5", "persen", "Rp", "1.000.000"]
        );
        assert_eq!(texts("Rp1.000"), ["Rp", "1.000"]);
        assert_eq!(texts("tahun 2019, lalu"), ["tahun", "2019", "lalu"]);
    }

    #[test]
    fn abbreviations_apostrophes_addresses() {
        assert_eq!(texts("pasukan A.S. tiba"), ["pasukan", "AS", "tiba"]);
        assert_eq!(
            texts("hari Jum'at dan Jum\u{2019}at"),
            ["hari", "Jum'at", "dan", "Jum\u{2019}at"]
        );
        assert_eq!(
            texts("lihat https://contoh.co.id/berita/a-b?x=1, atau tulis ke redaksi.kami@contoh.co.id."),
            ["lihat", "https://contoh.co.id/berita/a-b?x=1", "atau", "tulis", "ke", "redaksi.kami@contoh.co.id"]
        );
        assert_eq!(
            texts("ke www.contoh.com sekarang"),
            ["ke", "www.contoh.com", "sekarang"]
        );
    }

    #[test]
    fn offsets_are_byte_offsets() {
        let text = "Café «A.S.» naïf";
        for (token, from, to) in tokens(text) {
            let slice = &text[from..to];
            assert!(slice.replace('.', "") == token, "{slice:?} vs {token:?}");
        }
    }
}
