//! Names and spelling variants: Tiongkok / China / Cina / RRT, AS / Amerika Serikat, ...
//!
//! Every variant is indexed (and searched) as its group's canonical form, so one finds the
//! others. A canonical form of several words is indexed as consecutive words: "AS" becomes
//! "amerika serikat", and the phrase "Amerika Serikat" matches text that says "AS". Acronyms
//! written in capitals in the list only match capitals ("AS", "A.S."), not the word "as".
//! The list ships in `data/aliases.txt`; `NEWSIDX_ALIASES` names a user file of the same format.

use std::collections::HashMap;

use once_cell::sync::Lazy;
use tantivy::tokenizer::Token;

use super::lists::{self, ListError};

const SHIPPED: &str = include_str!("../../data/aliases.txt");

/// Environment variable naming a user alias file.
pub const ALIASES_ENV: &str = "NEWSIDX_ALIASES";

/// Variant → canonical form (lowercase, words separated by one space).
pub struct Aliases {
    /// Matched on the normalised word.
    words: HashMap<String, String>,
    /// Matched on the word as written, in capitals.
    acronyms: HashMap<String, String>,
}

/// The shipped list plus the user's, loaded on first use; a user file that cannot be read is
/// reported by [`super::check_user_lists`].
pub static ALIASES: Lazy<(Aliases, Option<ListError>)> = Lazy::new(|| {
    let mut aliases = Aliases::parse(SHIPPED);
    let error = match lists::user_file(ALIASES_ENV) {
        Ok(Some((_, text))) => {
            let user = Aliases::parse(&text);
            aliases.words.extend(user.words);
            aliases.acronyms.extend(user.acronyms);
            None
        }
        Ok(None) => None,
        Err(error) => Some(error),
    };
    (aliases, error)
});

impl Aliases {
    /// Parses lines of `canonical | variant | variant`; variants of more than one word are
    /// ignored (a variant is matched one token at a time).
    pub fn parse(text: &str) -> Aliases {
        let mut words = HashMap::new();
        let mut acronyms = HashMap::new();
        for line in lists::lines(text) {
            let mut forms = line
                .split('|')
                .map(str::trim)
                .filter(|form| !form.is_empty());
            let Some(canonical) = forms.next() else {
                continue;
            };
            let canonical = canonical
                .split_whitespace()
                .map(super::normalize::normalize)
                .collect::<Vec<_>>()
                .join(" ");
            for variant in forms {
                if variant.split_whitespace().count() != 1 {
                    continue;
                }
                let is_acronym = variant.chars().any(char::is_alphabetic)
                    && !variant.chars().any(char::is_lowercase);
                if is_acronym {
                    acronyms.insert(variant.to_string(), canonical.clone());
                } else {
                    words.insert(super::normalize::normalize(variant), canonical.clone());
                }
            }
        }
        Aliases { words, acronyms }
    }

    /// The canonical form of a normalised word, if it is a variant.
    pub fn canonical(&self, word: &str) -> Option<&str> {
        self.words.get(word).map(String::as_str)
    }

    /// Every (normalised variant, canonical form) pair matched on words.
    pub fn variants(&self) -> impl Iterator<Item = (&str, &str)> {
        self.words
            .iter()
            .map(|(variant, canonical)| (variant.as_str(), canonical.as_str()))
    }

    /// Every canonical form of several words (each once): a query that spells one out means
    /// what its variants mean.
    pub fn long_forms(&self) -> impl Iterator<Item = &str> {
        let mut forms: Vec<&str> = self
            .words
            .values()
            .chain(self.acronyms.values())
            .map(String::as_str)
            .filter(|form| form.contains(' '))
            .collect();
        forms.sort_unstable();
        forms.dedup();
        forms.into_iter()
    }

    /// The canonical form of a word written in capitals, if it is a listed acronym.
    pub fn acronym(&self, written: &str) -> Option<&str> {
        // No listed acronym holds a lowercase letter (`parse`): most capitalised words
        // ("Jakarta") are turned away here without hashing.
        if written.bytes().any(|byte| byte.is_ascii_lowercase()) {
            return None;
        }
        self.acronyms.get(written).map(String::as_str)
    }
}

/// Before normalisation: replaces a listed acronym by its canonical form (which may hold
/// spaces; the stemming step splits it into words).
pub fn expand_acronym(token: &mut Token) -> bool {
    if !token.text.starts_with(|c: char| c.is_uppercase()) {
        return true;
    }
    if let Some(canonical) = ALIASES.0.acronym(&token.text) {
        token.text.clear();
        token.text.push_str(canonical);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_groups_words_and_acronyms() {
        let aliases = Aliases::parse("# negara\nAmerika Serikat | AS | amrik\ntiongkok | China\n");
        assert_eq!(aliases.acronym("AS"), Some("amerika serikat"));
        assert_eq!(aliases.acronym("as"), None);
        assert_eq!(aliases.canonical("amrik"), Some("amerika serikat"));
        assert_eq!(aliases.canonical("china"), Some("tiongkok"));
        assert_eq!(aliases.canonical("tiongkok"), None);
        let long: Vec<&str> = aliases.long_forms().collect();
        assert_eq!(long, ["amerika serikat"]);
    }

    #[test]
    fn every_listed_acronym_is_found() {
        let aliases = &ALIASES.0;
        assert!(aliases.acronyms.len() > 10, "{}", aliases.acronyms.len());
        for (written, canonical) in &aliases.acronyms {
            assert_eq!(
                aliases.acronym(written),
                Some(canonical.as_str()),
                "{written}"
            );
        }
    }

    #[test]
    fn shipped_list_covers_the_usual_names() {
        let aliases = &ALIASES.0;
        assert_eq!(aliases.canonical("cina"), Some("tiongkok"));
        assert_eq!(aliases.acronym("RRT"), Some("tiongkok"));
        assert_eq!(aliases.canonical("russia"), Some("rusia"));
    }
}
