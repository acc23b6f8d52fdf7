//! Snippets: the best passages of a result, with every matched word marked.
//!
//! A passage is a whole sentence of the body or of a caption; one longer than
//! [`MAX_PASSAGE`] bytes is cut to a window around its matches, at spaces, never inside a word.
//! Words are marked by running the passage through the same analyzers as the query, so
//! "militernya" is marked for the query `militer`, whatever the analyzer makes of both. Only
//! words that could give a query term are stemmed ([`crate::analysis::terms::Wanted`]).
//! A result that matched only through a filter gets its lead instead.

use std::collections::HashSet;
use std::ops::Range;

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use super::rank::Highlights;
use crate::analysis::terms::Wanted;
use crate::analysis::FastSet;

/// Passages longer than this many bytes are cut around their matches.
pub const MAX_PASSAGE: usize = 260;
/// Passages shown per result.
pub const MAX_PASSAGES: usize = 3;

const ELLIPSIS: &str = "…";

/// A passage of a field with the byte ranges of its highlighted words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub field: String,
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

/// Marks words in passages; holds the analyzers so a page of results reuses them.
pub struct Marker<'a> {
    highlights: &'a Highlights,
    analyzer: TextAnalyzer,
}

struct Candidate {
    field: &'static str,
    /// Order of appearance, to break ties towards the start of the article.
    order: usize,
    text: String,
    marks: Vec<Range<usize>>,
    score: usize,
}

impl<'a> Marker<'a> {
    /// Terms are found with the index's analyzer narrowed to the highlighted terms
    /// ([`crate::analysis::indonesian_for`]): a passage's other words are not stemmed.
    pub fn new(highlights: &'a Highlights) -> Self {
        let wanted = Wanted::new(highlights.all_terms());
        Marker {
            highlights,
            analyzer: crate::analysis::indonesian_for(wanted),
        }
    }

    /// Up to [`MAX_PASSAGES`] best passages of `body` and `captions`, best first; the lead
    /// when no passage has a match.
    pub fn snippets(&mut self, body: &str, captions: &[String]) -> Vec<Snippet> {
        let mut candidates = Vec::new();
        if !self.highlights.is_empty() {
            let parts = std::iter::once(("body", body)).chain(
                captions
                    .iter()
                    .map(|caption| ("captions", caption.as_str())),
            );
            for (field, text) in parts {
                for range in sentences(text) {
                    let sentence = &text[range];
                    let (marks, score) = self.mark(sentence);
                    if score > 0 {
                        candidates.push(Candidate {
                            field,
                            order: candidates.len(),
                            text: sentence.to_string(),
                            marks,
                            score,
                        });
                    }
                }
            }
        }
        if candidates.is_empty() {
            return self.lead(body).into_iter().collect();
        }
        candidates.sort_by(|left, right| {
            right
                .score
                .cmp(&left.score)
                .then(left.order.cmp(&right.order))
        });
        let mut seen = HashSet::new();
        candidates
            .into_iter()
            // A caption repeated in the body (or twice) is shown once.
            .filter(|candidate| seen.insert(candidate.text.clone()))
            .take(MAX_PASSAGES)
            .map(|candidate| window(candidate.field, &candidate.text, &candidate.marks))
            .collect()
    }

    /// The opening of `body`: whole sentences up to [`MAX_PASSAGE`] bytes, or the first one
    /// cut at a space.
    pub fn lead(&mut self, body: &str) -> Option<Snippet> {
        let mut end = None;
        for range in sentences(body) {
            match end {
                None => end = Some(range.end),
                Some(_) if range.end <= MAX_PASSAGE && !body[..range.start].contains('\n') => {
                    end = Some(range.end)
                }
                Some(_) => break,
            }
        }
        let end = end?;
        let start = body.len() - body.trim_start().len();
        let text = &body[start..end];
        let (marks, _) = self.mark(text);
        Some(window("body", text, &marks))
    }

    /// The byte ranges of the matched words in `text`, in order: a whole text marked.
    pub fn marks(&mut self, text: &str) -> Vec<[usize; 2]> {
        self.mark(text)
            .0
            .into_iter()
            .map(|range| [range.start, range.end])
            .collect()
    }

    /// The byte ranges of matched words in `text`, and how well it matches: distinct matched
    /// terms count most, repeats a little.
    fn mark(&mut self, text: &str) -> (Vec<Range<usize>>, usize) {
        let mut marks = Vec::new();
        if self.highlights.is_empty() {
            return (marks, 0);
        }
        let mut distinct: FastSet<String> = FastSet::default();
        // With phrases to find, every term with its position and its word's bytes.
        let mut tokens: Vec<(String, usize, Range<usize>)> = Vec::new();
        let keep = !self.highlights.phrases.is_empty();
        let mut stream = self.analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if self.highlights.terms.contains(&token.text) {
                marks.push(token.offset_from..token.offset_to);
                distinct.insert(token.text.clone());
            }
            if keep {
                tokens.push((
                    token.text.clone(),
                    token.position,
                    token.offset_from..token.offset_to,
                ));
            }
        }
        for (at, phrase) in self.highlights.phrases.iter().enumerate() {
            let Some(first) = phrase.first() else {
                continue;
            };
            for (term, start, _) in &tokens {
                if !first.terms.contains(term) {
                    continue;
                }
                // The token of each phrase word at its place after `start`, if it is there.
                let found: Option<Vec<Range<usize>>> = phrase
                    .iter()
                    .map(|word| {
                        let place = start + word.offset;
                        // Positions never go down along the text.
                        let from = tokens.partition_point(|(_, position, _)| *position < place);
                        tokens[from..]
                            .iter()
                            .take_while(|(_, position, _)| *position == place)
                            .find(|(term, _, _)| word.terms.contains(term))
                            .map(|(_, _, range)| range.clone())
                    })
                    .collect();
                if let Some(ranges) = found {
                    marks.extend(ranges);
                    // A whole phrase is worth more than a word.
                    distinct.insert(format!("\"{at}"));
                    distinct.insert(format!("\"{at}+"));
                }
            }
        }
        let marks = merge(marks, text);
        let score = if marks.is_empty() {
            0
        } else {
            distinct.len() * 10 + marks.len()
        };
        (marks, score)
    }
}

/// Sorted, non-overlapping ranges on character boundaries of `text`.
fn merge(mut marks: Vec<Range<usize>>, text: &str) -> Vec<Range<usize>> {
    marks.retain(|range| {
        range.start < range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end)
    });
    marks.sort_by_key(|range| (range.start, range.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in marks {
        match merged.last_mut() {
            // Neighbouring words become one mark: "kerja sama militer" reads as one run.
            Some(last)
                if text[last.end.min(range.start)..range.start]
                    .trim()
                    .is_empty() =>
            {
                last.end = last.end.max(range.end)
            }
            _ => merged.push(range),
        }
    }
    merged
}

/// Sentences of `text`, trimmed: split at line breaks and after `.`, `!`, `?` (and closing
/// quotes) followed by a space and an uppercase letter, a digit or an opening quote.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut at = 0;
    while at < chars.len() {
        let (offset, c) = chars[at];
        let mut cut = None;
        if c == '\n' {
            cut = Some((offset, offset + 1));
        } else if matches!(c, '.' | '!' | '?' | '…') {
            let mut end = at + 1;
            while end < chars.len() && matches!(chars[end].1, '"' | '”' | '\'' | ')' | '’') {
                end += 1;
            }
            let spaced = end < chars.len() && chars[end].1 == ' ';
            let next = chars[end..]
                .iter()
                .map(|(_, c)| *c)
                .find(|c| !c.is_whitespace());
            let opens = next.is_some_and(|c| {
                c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '\'' | '(')
            });
            if spaced && opens {
                let boundary = chars.get(end).map_or(text.len(), |(offset, _)| *offset);
                cut = Some((boundary, boundary));
                at = end - 1;
            }
        }
        if let Some((end, next)) = cut {
            push_trimmed(&mut ranges, text, start..end);
            start = next;
        }
        at += 1;
    }
    push_trimmed(&mut ranges, text, start..text.len());
    ranges
}

fn push_trimmed(ranges: &mut Vec<Range<usize>>, text: &str, range: Range<usize>) {
    let part = &text[range.clone()];
    let leading = part.len() - part.trim_start().len();
    let trimmed = part.trim();
    if !trimmed.is_empty() {
        let start = range.start + leading;
        ranges.push(start..start + trimmed.len());
    }
}

/// The snippet for `text` with `marks`: all of it when it fits, else a window around the
/// first marks cut at spaces, with an ellipsis where text was left out.
fn window(field: &str, text: &str, marks: &[Range<usize>]) -> Snippet {
    let (start, end) = if text.len() <= MAX_PASSAGE {
        (0, text.len())
    } else {
        let anchor = marks.first().map_or(0, |range| range.start);
        // Some words of context before the first match.
        let mut start = floor_boundary(text, anchor.saturating_sub(MAX_PASSAGE / 4));
        if start > 0 {
            start = match text[start..anchor].find(' ') {
                Some(space) => start + space + 1,
                None => anchor,
            };
        }
        let mut end = floor_boundary(text, (start + MAX_PASSAGE).min(text.len()));
        if end < text.len() {
            if let Some(space) = text[start..end].rfind(' ') {
                if start + space > anchor {
                    end = start + space;
                }
            }
        }
        // Never end inside a marked word.
        if let Some(mark) = marks.iter().find(|mark| mark.start < end && mark.end > end) {
            end = mark.end;
        }
        (start, end)
    };
    let mut snippet = String::new();
    if start > 0 {
        snippet.push_str(ELLIPSIS);
        snippet.push(' ');
    }
    let shift = snippet.len();
    let body = text[start..end].trim_end();
    snippet.push_str(body);
    let highlights = marks
        .iter()
        .filter(|mark| mark.start >= start && mark.end <= start + body.len())
        .map(|mark| [mark.start - start + shift, mark.end - start + shift])
        .collect();
    if end < text.len() {
        snippet.push(' ');
        snippet.push_str(ELLIPSIS);
    }
    Snippet {
        field: field.to_string(),
        text: snippet,
        highlights,
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::rank::PhraseWord;

    /// Highlights for plain words `terms` and for phrases of consecutive terms.
    fn highlights(terms: &[&str], phrases: &[&[&str]]) -> Highlights {
        Highlights {
            terms: terms.iter().map(|word| word.to_string()).collect(),
            phrases: phrases
                .iter()
                .map(|phrase| {
                    phrase
                        .iter()
                        .enumerate()
                        .map(|(offset, word)| PhraseWord {
                            offset,
                            terms: vec![word.to_string()],
                        })
                        .collect()
                })
                .collect(),
        }
    }

    fn marked(snippet: &Snippet) -> Vec<&str> {
        snippet
            .highlights
            .iter()
            .map(|[start, end]| &snippet.text[*start..*end])
            .collect()
    }

    fn marker(highlights: &Highlights) -> Marker<'_> {
        Marker::new(highlights)
    }

    #[test]
    fn sentences_split_at_stops_not_at_numbers_or_lowercase() {
        let text = "Harga naik Rp 1.500 per liter. Menurut dr. budi, itu wajar! \"Kami siap,\" katanya.\nParagraf baru";
        let parts: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            parts,
            [
                "Harga naik Rp 1.500 per liter.",
                "Menurut dr. budi, itu wajar!",
                "\"Kami siap,\" katanya.",
                "Paragraf baru"
            ]
        );
    }

    #[test]
    fn best_sentence_first_with_every_match_marked() {
        let body = "Cuaca cerah di Jakarta. Indonesia dan Rusia menjalin kerja sama militer \
            yang erat. Kerja sama itu dikritik.";
        let words = highlights(&["kerja", "sama", "militer"], &[]);
        let snippets = marker(&words).snippets(body, &[]);
        assert_eq!(snippets.len(), 2);
        assert_eq!(
            snippets[0].text,
            "Indonesia dan Rusia menjalin kerja sama militer yang erat."
        );
        assert_eq!(marked(&snippets[0]), ["kerja sama militer"]);
        assert_eq!(marked(&snippets[1]), ["Kerja sama"]);
    }

    #[test]
    fn inflected_forms_are_marked_through_the_analyzer() {
        let words = highlights(&["militer"], &[]);
        let snippets = marker(&words).snippets("Kekuatan militernya bertambah.", &[]);
        assert_eq!(marked(&snippets[0]), ["militernya"]);
    }

    #[test]
    fn phrases_are_marked_only_as_a_run() {
        let words = highlights(&[], &[&["kerja", "sama"]]);
        let snippets = marker(&words).snippets(
            "Mereka sama sekali tidak bekerja. Kedua negara bekerja sama dalam latihan.",
            &[],
        );
        assert_eq!(snippets.len(), 1);
        assert_eq!(marked(&snippets[0]), ["bekerja sama"]);
    }

    #[test]
    fn phrases_match_every_form_and_their_stopwords_in_place() {
        let words = highlights(&[], &[&["kerja", "sama", "~dengan", "militer"]]);
        let snippets = marker(&words).snippets(
            "Kerja sama militer dibahas. Lalu bekerjasama dengan militernya diteken.",
            &[],
        );
        assert_eq!(snippets.len(), 1);
        assert_eq!(marked(&snippets[0]), ["bekerjasama dengan militernya"]);
    }

    #[test]
    fn long_sentences_are_cut_at_spaces_around_the_match() {
        let filler = "kata ".repeat(120);
        let body = format!("{filler}banjir melanda {filler}selesai.");
        let words = highlights(&["banjir"], &[]);
        let snippet = &marker(&words).snippets(&body, &[])[0];
        assert!(snippet.text.len() <= MAX_PASSAGE + 2 * (ELLIPSIS.len() + 1));
        assert!(snippet.text.starts_with("… kata "));
        assert!(snippet.text.ends_with(" …"));
        let inner = snippet.text.trim_start_matches("… ").trim_end_matches(" …");
        assert!(inner
            .split(' ')
            .all(|word| ["kata", "banjir", "melanda"].contains(&word)));
        assert_eq!(marked(snippet), ["banjir"]);
    }

    #[test]
    fn captions_are_passages_too() {
        let words = highlights(&["presiden"], &[]);
        let captions = vec!["Presiden menyapa warga di Bogor.".to_string()];
        let snippets = marker(&words).snippets("Tidak ada yang cocok di sini.", &captions);
        assert_eq!(snippets[0].field, "captions");
        assert_eq!(marked(&snippets[0]), ["Presiden"]);
    }

    #[test]
    fn no_match_gives_the_lead() {
        let words = highlights(&["gempa"], &[]);
        let body = "Kalimat pertama berita. Kalimat kedua.\nParagraf kedua tidak ikut.";
        let snippets = marker(&words).snippets(body, &[]);
        assert_eq!(snippets.len(), 1);
        assert_eq!(snippets[0].text, "Kalimat pertama berita. Kalimat kedua.");
        assert!(snippets[0].highlights.is_empty());
        assert!(marker(&words).snippets("", &[]).is_empty());
    }

    #[test]
    fn multibyte_text_is_never_split() {
        let body = format!("{}é gempa {}", "é".repeat(200), "ü".repeat(200));
        let words = highlights(&["gempa"], &[]);
        let snippet = &marker(&words).snippets(&body, &[])[0];
        assert_eq!(marked(snippet), ["gempa"]);
    }
}
