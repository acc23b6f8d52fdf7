//! The root lexicon: the hunspell Indonesian dictionary (`data/lexicon/`), embedded in the binary.
//!
//! Two things come out of it: the set of roots the stemmer may stop at, and, for a root with
//! affix flags, the affixed forms hunspell's rules derive from it. The stemmer uses the second to
//! prefer the analysis the dictionary itself licenses ("mengatakan" is `kata` + me-kan) over a
//! merely possible one, and to keep words the dictionary lists as roots from being overstemmed.

use std::borrow::Cow;
use std::collections::HashMap;

use once_cell::sync::Lazy;

use super::lists::FastSet;

// `DICTIONARY`: `data/lexicon/id_ID.dic` compiled by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/roots.rs"));

/// A perfect-hash map from root to flags, laid out by `build.rs` with phf's hash: every root
/// and its flags in one string, and offsets into it in hash order. Offsets, unlike string
/// pointers, need no patching when the program is loaded.
struct Dictionary {
    key: phf_shared::HashKey,
    disps: &'static [(u32, u32)],
    /// Per slot: where its root starts in `text`, the root's length, then its flags' length
    /// (the flags follow the root).
    entries: &'static [(u32, u8, u16)],
    text: &'static str,
}

impl Dictionary {
    /// The root and flags of `slot`.
    fn entry(&self, slot: usize) -> (&'static str, &'static str) {
        let (start, root, flags) = self.entries[slot];
        let start = start as usize;
        let middle = start + usize::from(root);
        (
            &self.text[start..middle],
            &self.text[middle..middle + usize::from(flags)],
        )
    }

    fn get(&self, root: &str) -> Option<&'static str> {
        if self.entries.is_empty() {
            return None;
        }
        let hashes = phf_shared::hash(root, &self.key);
        let slot = phf_shared::get_index(&hashes, self.disps, self.entries.len());
        let (found, flags) = self.entry(slot as usize);
        (found == root).then_some(flags)
    }

    fn contains_key(&self, root: &str) -> bool {
        self.get(root).is_some()
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every root with its flags, in hash order.
    #[cfg(test)]
    fn entries(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        (0..self.entries.len()).map(|slot| self.entry(slot))
    }
}

/// Words kept whole (names that look affixed); see the file's header.
const PROTECTED: &str = include_str!("../../data/protected.txt");
const AFF: &str = include_str!("../../data/lexicon/id_ID.aff");
/// Roots the dictionary lacks; see the file's header.
const ROOTS: &str = include_str!("../../data/roots.txt");

/// Flag on affixes that only occur as half of a prefix + suffix pair (hunspell `CIRCUMFIX`).
const CIRCUMFIX: &str = "A1";
/// Flag on roots that are not words by themselves (hunspell `NEEDAFFIX`).
const NEEDAFFIX: &str = "A2";

/// The lexicon, parsed on first use, with the shipped extra roots and the closed compounds.
pub static LEXICON: Lazy<Lexicon> = Lazy::new(|| {
    let mut lexicon = Lexicon::parse(AFF)
        .with_extra_roots(super::lists::lines(ROOTS).map(str::to_lowercase))
        .with_extra_roots(super::compounds::COMPOUNDS.0.closed_forms().cloned());
    lexicon.protected = super::lists::lines(PROTECTED)
        .map(str::to_lowercase)
        .collect();
    lexicon
});

/// Roots (lowercased) with their affix flags, and the affix rules.
pub struct Lexicon {
    /// Root → flags (two characters each), a perfect-hash map compiled from the dictionary
    /// (`build.rs`): a process that only searches used to spend a good part of its start
    /// parsing and hashing it.
    roots: &'static Dictionary,
    /// Extra roots that are not in the dictionary (closed compounds from the compound list).
    extra: FastSet<String>,
    /// Words kept whole by the stemmer.
    protected: FastSet<String>,
    prefixes: HashMap<Flag, Vec<Affix>>,
    suffixes: HashMap<Flag, Vec<Affix>>,
    /// The longest text a prefix rule strips, in bytes.
    max_prefix_strip: usize,
}

/// A two-character affix flag (`FLAG long`).
type Flag = [u8; 2];

/// One affix rule line: strip `strip`, add `add` when the word matches `condition`.
struct Affix {
    strip: Cow<'static, str>,
    add: Cow<'static, str>,
    continuation: &'static [Flag],
    condition: Condition,
}

/// A hunspell affix condition: a sequence of character sets matched at the start (prefix)
/// or end (suffix) of the word.
struct Condition(Vec<CharSet>);

enum CharSet {
    Any,
    OneOf(Vec<char>),
    NoneOf(Vec<char>),
}

impl CharSet {
    fn matches(&self, c: char) -> bool {
        match self {
            CharSet::Any => true,
            CharSet::OneOf(set) => set.contains(&c),
            CharSet::NoneOf(set) => !set.contains(&c),
        }
    }
}

impl Condition {
    fn parse(text: &str) -> Condition {
        let mut sets = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '.' => sets.push(CharSet::Any),
                '[' => {
                    let negated = chars.peek() == Some(&'^');
                    if negated {
                        chars.next();
                    }
                    let mut members = Vec::new();
                    for member in chars.by_ref() {
                        match member {
                            ']' => break,
                            // "[^l^r]" in this file means "neither l nor r".
                            '^' => {}
                            other => members.extend(other.to_lowercase()),
                        }
                    }
                    sets.push(if negated {
                        CharSet::NoneOf(members)
                    } else {
                        CharSet::OneOf(members)
                    });
                }
                other => sets.push(CharSet::OneOf(other.to_lowercase().collect())),
            }
        }
        Condition(sets)
    }

    fn matches_start(&self, word: &str) -> bool {
        let mut chars = word.chars();
        self.0
            .iter()
            .all(|set| chars.next().is_some_and(|c| set.matches(c)))
    }

    fn matches_end(&self, word: &str) -> bool {
        let mut chars = word.chars().rev();
        self.0
            .iter()
            .rev()
            .all(|set| chars.next().is_some_and(|c| set.matches(c)))
    }
}

/// `text` lowercased, borrowed when it is ASCII without capitals (as every affix of the
/// shipped file is).
fn lowercase(text: &'static str) -> Cow<'static, str> {
    if text
        .bytes()
        .all(|byte| byte.is_ascii() && !byte.is_ascii_uppercase())
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// The two-character flags of `text`, in place (an odd last byte is not a flag).
fn flags_of(text: &str) -> &[Flag] {
    text.as_bytes().as_chunks::<2>().0
}

impl Lexicon {
    /// The lexicon of the compiled dictionary with the affix rules of `aff`.
    fn parse(aff: &'static str) -> Lexicon {
        let mut prefixes: HashMap<Flag, Vec<Affix>> = HashMap::new();
        let mut suffixes: HashMap<Flag, Vec<Affix>> = HashMap::new();
        for line in aff.lines() {
            let line = line.split('#').next().unwrap_or("");
            // The first five fields, borrowed from the file: a process that searches parses
            // these rules at its start.
            let mut fields = [""; 5];
            let mut count = 0;
            for (slot, field) in fields.iter_mut().zip(line.split_whitespace()) {
                *slot = field;
                count += 1;
            }
            let table = match fields[0] {
                "PFX" => &mut prefixes,
                "SFX" => &mut suffixes,
                _ => continue,
            };
            // Header lines are "PFX B0 Y 2"; rule lines "PFX B0 0 ber [^r]" (condition optional).
            if count < 4 || matches!(fields[2], "Y" | "N") {
                continue;
            }
            let Some(flag) = flags_of(fields[1]).first().copied() else {
                continue;
            };
            let strip = if fields[2] == "0" { "" } else { fields[2] };
            let (add, continuation) = fields[3].split_once('/').unwrap_or((fields[3], ""));
            let add = if add == "0" { "" } else { add };
            table.entry(flag).or_default().push(Affix {
                strip: lowercase(strip),
                add: lowercase(add),
                continuation: flags_of(continuation),
                condition: Condition::parse(if count > 4 { fields[4] } else { "." }),
            });
        }
        let max_prefix_strip = prefixes
            .values()
            .flatten()
            .map(|affix| affix.strip.len())
            .max()
            .unwrap_or(0);
        Lexicon {
            roots: &DICTIONARY,
            extra: FastSet::default(),
            protected: FastSet::default(),
            prefixes,
            suffixes,
            max_prefix_strip,
        }
    }

    /// Adds roots that are not in the dictionary (closed compounds, so "bekerjasama" stems to
    /// "kerjasama").
    pub fn with_extra_roots(mut self, roots: impl IntoIterator<Item = String>) -> Lexicon {
        self.extra.extend(roots);
        self
    }

    /// Whether `root` is listed only so that its affixed forms exist (hunspell `NEEDAFFIX`:
    /// "ketahu" for diketahui, ketahuan), and is not a closed compound.
    pub fn needs_affix(&self, root: &str) -> bool {
        !self.extra.contains(root)
            && self
                .flags(root)
                .is_some_and(|flags| flags.iter().any(|flag| flag == NEEDAFFIX.as_bytes()))
    }

    /// Whether the stemmer must keep `word` whole.
    pub fn is_protected(&self, word: &str) -> bool {
        self.protected.contains(word)
    }

    /// Whether `word` is one of the extra roots (shipped list or closed compound), which the
    /// stemmer prefers to the dictionary's own analyses.
    pub fn is_extra(&self, word: &str) -> bool {
        self.extra.contains(word)
    }

    /// The affix flags of `root`, when it is in the dictionary.
    fn flags(&self, root: &str) -> Option<&'static [Flag]> {
        self.roots.get(root).map(flags_of)
    }

    /// Whether `word` (lowercase) is a root.
    pub fn contains(&self, word: &str) -> bool {
        self.roots.contains_key(word) || self.extra.contains(word)
    }

    /// How many affix flags `root` has: a rough measure of how productive, and so how common,
    /// a root is, used to choose between analyses.
    pub fn flag_count(&self, root: &str) -> usize {
        self.flags(root).map_or(0, <[Flag]>::len)
    }

    /// Whether `word` is a root with affix flags of its own, and not one marked as never
    /// standing alone (hunspell `NEEDAFFIX`, e.g. "mengerti", listed so that its forms exist).
    pub fn takes_affixes(&self, word: &str) -> bool {
        self.flags(word).is_some_and(|flags| {
            !flags.is_empty() && !flags.iter().any(|flag| flag == NEEDAFFIX.as_bytes())
        })
    }

    /// Number of roots in the dictionary.
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Whether the dictionary is empty (never, for the shipped one).
    pub fn is_empty(&self) -> bool {
        self.roots.is_empty()
    }

    /// Whether hunspell's affix rules derive `word` from `root` (not counting `root` itself).
    ///
    /// Walks the same derivations as the tests' `Lexicon::forms` (suffixes up to two deep,
    /// then one prefix) but compares each candidate with `word` in place instead of building
    /// the set of forms: a root has hundreds of forms and the stemmer asks about one word, once
    /// per distinct word, so building and hashing them all cost more than the rest of the
    /// stemmer.
    pub fn derives(&self, root: &str, word: &str) -> bool {
        if root == word {
            return false;
        }
        let Some(flags) = self.flags(root) else {
            return false;
        };
        if flags.is_empty() {
            return false;
        }
        if self.base_derives(root, root, flags, &[], false, word) {
            return true;
        }
        let mut first = String::new();
        let mut second = String::new();
        for flag in flags {
            for affix in self.suffixes.get(flag).into_iter().flatten() {
                if !apply_suffix_into(root, affix, &mut first) {
                    continue;
                }
                let circumfix = affix.continuation.iter().any(|f| f == CIRCUMFIX.as_bytes());
                // Prefixes may come from the suffix's continuation flags, and from the root's
                // own flags unless the suffix is half of a circumfix.
                let root_flags: &[Flag] = if circumfix { &[] } else { flags };
                let allowed = affix.continuation;
                for next in affix.continuation {
                    for affix2 in self.suffixes.get(next).into_iter().flatten() {
                        if apply_suffix_into(&first, affix2, &mut second)
                            && self
                                .base_derives(root, &second, allowed, root_flags, circumfix, word)
                        {
                            return true;
                        }
                    }
                }
                if self.base_derives(root, &first, allowed, root_flags, circumfix, word) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether `word` is `base` itself (unless it needs a circumfix prefix, or is the root), or
    /// `base` with one prefix from the flags `allowed` and `more`.
    fn base_derives(
        &self,
        root: &str,
        base: &str,
        allowed: &[Flag],
        more: &[Flag],
        circumfix: bool,
        word: &str,
    ) -> bool {
        if !circumfix && base != root && base == word {
            return true;
        }
        // A prefix rule keeps all of `base` but the `strip` it takes off the front, so most
        // bases are ruled out by their ends before any rule is tried.
        if base
            .get(self.max_prefix_strip..)
            .is_some_and(|tail| !word.ends_with(tail))
        {
            return false;
        }
        for flag in allowed.iter().chain(more) {
            for affix in self.prefixes.get(flag).into_iter().flatten() {
                let prefix_circumfix = affix.continuation.iter().any(|f| f == CIRCUMFIX.as_bytes());
                // A circumfix half (ber-an's ber-) only pairs with the other half.
                if prefix_circumfix != circumfix {
                    continue;
                }
                if prefix_forms(base, affix, word) {
                    return true;
                }
            }
        }
        false
    }

    /// Every root with its flags, in sorted order (the map's own order is its hash's).
    #[cfg(test)]
    fn sorted_roots(&self) -> Vec<(&'static str, &'static [Flag])> {
        let mut roots: Vec<(&str, &[Flag])> = self
            .roots
            .entries()
            .map(|(root, flags)| (root, flags_of(flags)))
            .collect();
        roots.sort();
        roots
    }

    /// Every `step`-th root (in sorted order) and the affixed forms of each, for tests that
    /// need many real words.
    #[cfg(test)]
    pub(crate) fn sample_forms(&self, step: usize) -> Vec<String> {
        let mut words = Vec::new();
        for (root, flags) in self.sorted_roots().into_iter().step_by(step) {
            words.extend(self.forms(root, flags));
            words.push(root.to_string());
        }
        words
    }

    /// The affixed forms of `root` (suffixes up to two deep, then one prefix): the set
    /// [`Lexicon::derives`] tests membership in, spelled out for the tests.
    #[cfg(test)]
    fn forms(&self, root: &str, flags: &[Flag]) -> Vec<String> {
        // (word, flags a prefix may come from, needs a circumfix prefix)
        let mut bases: Vec<(String, Vec<Flag>, bool)> =
            vec![(root.to_string(), flags.to_vec(), false)];
        for flag in flags {
            for affix in self.suffixes.get(flag).into_iter().flatten() {
                let Some(first) = apply_suffix(root, affix) else {
                    continue;
                };
                let circumfix = affix.continuation.iter().any(|f| f == CIRCUMFIX.as_bytes());
                let mut allowed: Vec<Flag> = affix.continuation.to_vec();
                if !circumfix {
                    allowed.extend_from_slice(flags);
                }
                for next in affix.continuation {
                    for second in self.suffixes.get(next).into_iter().flatten() {
                        if let Some(word) = apply_suffix(&first, second) {
                            bases.push((word, allowed.clone(), circumfix));
                        }
                    }
                }
                bases.push((first, allowed, circumfix));
            }
        }
        let mut forms = Vec::with_capacity(bases.len() * 4);
        for (base, allowed, circumfix) in &bases {
            if !circumfix && base != root {
                forms.push(base.clone());
            }
            for flag in allowed {
                for affix in self.prefixes.get(flag).into_iter().flatten() {
                    let prefix_circumfix =
                        affix.continuation.iter().any(|f| f == CIRCUMFIX.as_bytes());
                    // A circumfix half (ber-an's ber-) only pairs with the other half.
                    if prefix_circumfix != *circumfix {
                        continue;
                    }
                    if let Some(word) = apply_prefix(base, affix) {
                        forms.push(word);
                    }
                }
            }
        }
        forms
    }
}

#[cfg(test)]
fn apply_suffix(word: &str, affix: &Affix) -> Option<String> {
    if !affix.condition.matches_end(word) {
        return None;
    }
    let stem = word.strip_suffix(&*affix.strip)?;
    let mut out = String::with_capacity(stem.len() + affix.add.len());
    out.push_str(stem);
    out.push_str(&affix.add);
    Some(out)
}

/// Writes `word` with the suffix `affix` into `out`; false when the rule does not apply.
fn apply_suffix_into(word: &str, affix: &Affix, out: &mut String) -> bool {
    if !affix.condition.matches_end(word) {
        return false;
    }
    let Some(stem) = word.strip_suffix(&*affix.strip) else {
        return false;
    };
    out.clear();
    out.push_str(stem);
    out.push_str(&affix.add);
    true
}

/// Whether the prefix rule `affix` turns `base` into `word`.
fn prefix_forms(base: &str, affix: &Affix, word: &str) -> bool {
    let Some(rest) = word.strip_prefix(&*affix.add) else {
        return false;
    };
    let Some(stem) = base.strip_prefix(&*affix.strip) else {
        return false;
    };
    rest == stem && affix.condition.matches_start(base)
}

#[cfg(test)]
fn apply_prefix(word: &str, affix: &Affix) -> Option<String> {
    if !affix.condition.matches_start(word) {
        return None;
    }
    let stem = word.strip_prefix(&*affix.strip)?;
    let mut out = String::with_capacity(stem.len() + affix.add.len());
    out.push_str(&affix.add);
    out.push_str(stem);
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn knows_roots_and_not_affixed_forms() {
        assert!(LEXICON.len() > 30_000);
        assert!(LEXICON.contains("kata"));
        assert!(LEXICON.contains("berita"));
        assert!(!LEXICON.contains("mengatakan"));
    }

    #[test]
    fn every_root_of_the_dictionary_file_is_found_with_its_flags() {
        // The same reading of the file as `build.rs`: lowercased, flags of repeated entries
        // joined in order.
        let text = include_str!("../../data/lexicon/id_ID.dic");
        let mut expected: HashMap<String, String> = HashMap::new();
        for line in text
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|line| !line.is_empty())
        {
            let (word, flags) = line.split_once('/').unwrap_or((line, ""));
            expected
                .entry(word.to_lowercase())
                .or_default()
                .push_str(flags);
        }
        assert_eq!(DICTIONARY.len(), expected.len());
        for (root, flags) in &expected {
            assert_eq!(DICTIONARY.get(root), Some(flags.as_str()), "{root}");
        }
        for absent in ["mengatakan", "", "katakata", "zzzz"] {
            assert_eq!(DICTIONARY.get(absent), None, "{absent}");
        }
    }

    #[test]
    fn derives_affixed_forms_from_flags() {
        assert!(LEXICON.derives("kata", "mengatakan"));
        assert!(LEXICON.derives("kata", "katakan"));
        assert!(LEXICON.derives("tahan", "bertahan"));
        assert!(!LEXICON.derives("kata", "berita"));
        assert!(!LEXICON.derives("teri", "menteri"));
    }

    #[test]
    fn derives_exactly_the_spelled_out_forms() {
        // Every 19th root: all its forms are derived, and near misses (a form with a letter
        // dropped or added, another root's forms) are derived only if they are forms too.
        let mut checked = 0;
        let mut previous: Vec<String> = Vec::new();
        for (root, flags) in LEXICON.sorted_roots().into_iter().step_by(19) {
            let forms: HashSet<String> = LEXICON.forms(root, flags).into_iter().collect();
            let mut candidates: Vec<String> = forms.iter().cloned().collect();
            for form in &forms {
                candidates.push(form.chars().skip(1).collect());
                candidates.push(format!("{form}s"));
                candidates.push(format!("m{form}"));
            }
            candidates.append(&mut previous);
            candidates.push(root.to_string());
            for candidate in &candidates {
                let expected = !flags.is_empty() && candidate != root && forms.contains(candidate);
                assert_eq!(
                    LEXICON.derives(root, candidate),
                    expected,
                    "{root} → {candidate}"
                );
                checked += 1;
            }
            previous = forms.into_iter().take(20).collect();
        }
        assert!(checked > 30_000, "{checked}");
    }

    #[test]
    fn conditions_follow_hunspell() {
        let condition = Condition::parse("p[^l^r]");
        assert!(condition.matches_start("pukul"));
        assert!(!condition.matches_start("pleno"));
        assert!(!condition.matches_start("praja"));
        assert!(Condition::parse("[^r]").matches_end("kata"));
        assert!(!Condition::parse("r").matches_end("kata"));
    }
}
