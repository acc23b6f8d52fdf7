//! From a normalised word to its index terms: aliases, the stemmer, closed compounds and
//! hyphenated words that are not reduplication. One word may give several terms
//! ("kerjasama" → kerja, sama; "AS" → amerika, serikat); they take consecutive positions and
//! the words after them move along, so phrases match however the text spelled them.
//! The rule is [`compute`]; [`super::cache`] keeps what it gave per thread, and
//! [`super::stream`] applies it to a token stream.

use super::aliases::ALIASES;
use super::compounds::COMPOUNDS;
use super::lexicon::LEXICON;
use super::stemmer;

pub use super::stream::{TermFilter, TermStream, TermTokenizer};

/// The index terms of a normalised word.
pub fn terms(word: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(1);
    compute(word, true, &mut out);
    out
}

/// The rule: a word with spaces is its words; numbers, URLs and addresses are terms as
/// they are; an alias is its canonical form (before and after stemming); a closed compound
/// or an unknown hyphenated word gives its parts; any other word gives its stem.
pub(super) fn compute(word: &str, aliases: bool, out: &mut Vec<String>) {
    if word.contains(' ') {
        for part in word.split(' ').filter(|part| !part.is_empty()) {
            compute(part, aliases, out);
        }
        return;
    }
    // Numbers, URLs and addresses are terms as they are.
    if !word.chars().all(|c| c.is_alphanumeric() || c == '-')
        || !word.chars().any(char::is_alphabetic)
    {
        out.push(word.to_string());
        return;
    }
    if aliases {
        if let Some(canonical) = ALIASES.0.canonical(word) {
            return compute(canonical, false, out);
        }
    }
    let stem = stemmer::stem(&LEXICON, word);
    if aliases {
        if let Some(canonical) = ALIASES.0.canonical(&stem) {
            return compute(canonical, false, out);
        }
    }
    if let Some(parts) = COMPOUNDS.0.split(&stem) {
        // Parts are analysed as if written apart ("saling pengertian" → saling, erti).
        for part in parts.iter().filter(|part| **part != stem) {
            compute(part, aliases, out);
        }
    } else if stem.contains('-') && !LEXICON.contains(&stem) {
        // Covid-19, pasca-pemilu: the parts, so "pasca pemilu" finds it too.
        for part in stem.split('-').filter(|part| !part.is_empty()) {
            compute(part, aliases, out);
        }
    } else {
        out.push(stem);
    }
}

/// A few wanted terms, and a quick test of whether a word could give one of them.
///
/// The stemmer takes affixes off the ends of a word and may change its first letter
/// (me- + pukul → memukul, pe- + tulis → penulis); an infix goes after the first letter
/// (gemetar ← getar); reduplication, clitics and compounds only add text around it. So a word
/// that gives a term holds that term, less its first letter, somewhere inside. Aliases are the
/// exception ("china" gives tiongkok): their variants are wanted too. A word that fails the
/// test cannot give a wanted term and need not be stemmed: that is what a search's snippets
/// do for every word of every hit, in a process whose stem cache starts empty.
#[derive(Clone, Debug, Default)]
pub struct Wanted {
    needles: Vec<String>,
}

impl Wanted {
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> Wanted {
        let mut needles: Vec<String> = Vec::new();
        let mut add = |word: &str| {
            let needle: String = word.chars().skip(1).collect();
            if !needles.contains(&needle) {
                needles.push(needle);
            }
        };
        for term in terms {
            add(term);
            for (variant, canonical) in ALIASES.0.variants() {
                if canonical.split(' ').any(|word| word == term)
                    || self::terms(canonical).iter().any(|word| word == term)
                {
                    add(variant);
                }
            }
        }
        Wanted { needles }
    }

    /// False only when `word` (normalised) cannot give any of the wanted terms.
    pub fn could_give(&self, word: &str) -> bool {
        self.needles
            .iter()
            .any(|needle| word.contains(needle.as_str()))
    }
}

/// Starts the term of a kept stopword ("dengan" → "~dengan"), so that it stays apart from the
/// same letters as a stem ("keadaan" → "ada" is not the stopword "ada"). No other term starts
/// with it: the tokenizer's words start with a letter or a digit.
pub const STOPWORD_MARK: char = '~';

/// What becomes of stopwords ([`super::stopwords`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopwords {
    /// Indexed unstemmed, marked with [`STOPWORD_MARK`], so phrases and stopword-only
    /// queries find them.
    Keep,
    /// Dropped, their positions left unused: plain query words.
    Drop,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_to_terms() {
        assert_eq!(terms("bekerjasama"), ["kerja", "sama"]);
        assert_eq!(terms("kerjasama"), ["kerja", "sama"]);
        assert_eq!(terms("militernya"), ["militer"]);
        assert_eq!(terms("china"), ["tiongkok"]);
        assert_eq!(terms("chinanya"), ["tiongkok"]);
        assert_eq!(terms("covid-19"), ["covid", "19"]);
        assert_eq!(terms("1.000.000"), ["1.000.000"]);
        assert_eq!(terms("amerika serikat"), ["amerika", "serikat"]);
    }

    /// Whatever terms `word` gives, [`Wanted`] must let it through for each of them.
    fn assert_could_give(word: &str) {
        for term in terms(word).iter() {
            assert!(
                Wanted::new([term.as_str()]).could_give(word),
                "{word} gives {term} but was turned away"
            );
        }
    }

    #[test]
    fn a_word_that_gives_a_term_is_never_turned_away() {
        // Dictionary words and their affixed forms, reduplicated and with clitics.
        let words = LEXICON.sample_forms(11);
        assert!(words.len() > 20_000, "{}", words.len());
        for word in &words {
            assert_could_give(word);
            assert_could_give(&format!("{word}nya"));
            // Entries such as "upa-" are prefixes, never doubled in text.
            if !word.contains('-') {
                assert_could_give(&format!("{word}-{word}"));
            }
        }
        // Aliases, closed compounds and their affixed forms, words the stemmer changes at
        // the front, and words it does not know.
        for (variant, _) in ALIASES.0.variants() {
            assert_could_give(variant);
            assert_could_give(&format!("{variant}nya"));
        }
        for closed in COMPOUNDS.0.closed_forms() {
            assert_could_give(closed);
            assert_could_give(&format!("be{closed}"));
            assert_could_give(&format!("di{closed}kan"));
        }
        for word in [
            "memukul",
            "menulis",
            "mengirim",
            "menyapu",
            "mempunyai",
            "pemrograman",
            "gemetar",
            "telunjuk",
            "peperangan",
            "pengetahuan",
            "sayur-mayur",
            "bolak-balik",
            "covid-19",
            "pasca-pemilu",
            "chinanya",
            "kerjasama",
            "bekerjasama",
            "xyzabcnya",
        ] {
            assert_could_give(word);
        }
    }

    #[test]
    fn words_that_cannot_give_a_term_are_turned_away() {
        let wanted = Wanted::new(["militer", "tiongkok"]);
        assert!(wanted.could_give("kemiliteran"));
        assert!(wanted.could_give("china"));
        assert!(!wanted.could_give("presiden"));
        assert!(!wanted.could_give("rusia"));
    }
}
