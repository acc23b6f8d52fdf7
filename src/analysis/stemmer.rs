//! Dictionary-guided confix stripping for Indonesian (the Nazief–Adriani / Enhanced Confix
//! Stripping family).
//!
//! A word is taken apart into `prefix* + root + derivational suffix + possessive + particle`
//! in every way the published prefix rules allow (nasal assimilation: memukul → pukul,
//! menyapu → sapu, mengirim → kirim), and only analyses whose root is in the lexicon count.
//! Among those, one that the dictionary's own affix flags derive is preferred; then a word the
//! lexicon lists as a root stays whole (berita is not ber + ita, menteri is not men + teri);
//! then the first analysis in ECS order wins. A word with no analysis keeps its form, minus a
//! trailing -nya (names and loanwords: Beijing, Tiongkok).

use super::lexicon::Lexicon;

/// Inflectional particles, stripped first.
const PARTICLES: [&str; 4] = ["lah", "kah", "tah", "pun"];
/// Possessive pronouns, stripped after particles.
const POSSESSIVES: [&str; 3] = ["nya", "ku", "mu"];
/// Derivational suffixes, in the order ECS tries them.
const DERIVATIONAL: [&str; 3] = ["kan", "an", "i"];
/// Clitics written after a hyphen ("kuasa-Mu", "allah-lah").
const HYPHEN_CLITICS: [&str; 6] = ["nya", "ku", "mu", "lah", "kah", "pun"];
/// At most this many prefixes are stripped (me-per-, di-ber-, ke-se-per-se-).
const MAX_PREFIXES: usize = 4;
/// Roots this short are too ambiguous to find by stripping (e.g. "ta", "ku").
const MIN_ROOT_CHARS: usize = 3;
/// A root the dictionary's flags do not vouch for, read from a word with only ke- or -an,
/// must be at least this long: kebon is not ke + bon, asean is not ase + an.
const MIN_UNLICENSED_ROOT_CHARS: usize = 4;
/// Loanword suffixes, tried only when nothing else explains the word (globalisasi → global).
const LOAN_SUFFIXES: [&str; 3] = ["isasi", "isme", "is"];

/// Reduces `word` (lowercase, normalised) to its root.
pub fn stem(lexicon: &Lexicon, word: &str) -> String {
    if word.contains('-') {
        return stem_hyphenated(lexicon, word);
    }
    stem_plain(lexicon, word)
}

/// Reduplication: buku-buku → buku, bermain-main → main, sebaik-baiknya → baik,
/// meniru-nirukan → tiru. Listed words stay whole (kupu-kupu, bolak-balik); other
/// hyphenated words are returned as written, for the caller to split.
fn stem_hyphenated(lexicon: &Lexicon, word: &str) -> String {
    let mut parts: Vec<&str> = word.split('-').filter(|part| !part.is_empty()).collect();
    if parts.len() > 1
        && parts
            .last()
            .is_some_and(|last| HYPHEN_CLITICS.contains(last))
    {
        parts.pop();
    }
    let joined = parts.join("-");
    if lexicon.contains(&joined) {
        return joined;
    }
    match parts.as_slice() {
        [] => word.to_string(),
        [single] => stem_plain(lexicon, single),
        [first, second] => {
            let first_stem = stem_plain(lexicon, first);
            let second_stem = stem_plain(lexicon, second);
            if first_stem == second_stem {
                return first_stem;
            }
            // menyepak-nyepak, mengayuh-ngayuh, meniru-nirukan: the second half repeats the
            // end of the first, with the nasal prefix and perhaps a suffix.
            let second_bare = strip_any_suffix(second, &DERIVATIONAL);
            if first.ends_with(second) || first.ends_with(second_bare) {
                return first_stem;
            }
            // sebaik-baiknya: the first half is a prefixed form of the second's root.
            if lexicon.contains(&second_stem) && first.ends_with(second_stem.as_str()) {
                return second_stem;
            }
            joined
        }
        [first, rest @ ..] => {
            let first_stem = stem_plain(lexicon, first);
            if rest
                .iter()
                .all(|part| stem_plain(lexicon, part) == first_stem)
            {
                return first_stem;
            }
            joined
        }
    }
}

fn strip_any_suffix<'a>(word: &'a str, suffixes: &[&str]) -> &'a str {
    suffixes
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix).filter(|rest| rest.len() >= 2))
        .unwrap_or(word)
}

fn stem_plain(lexicon: &Lexicon, word: &str) -> String {
    if word.chars().count() <= MIN_ROOT_CHARS || !word.chars().all(char::is_alphabetic) {
        return word.to_string();
    }
    let (cores, derived) = suffix_bases(word);
    let Some(core) = cores.last() else {
        return word.to_string();
    };
    if let Some(kept) = cores.iter().find(|core| lexicon.is_protected(core)) {
        return kept.clone();
    }
    // Roots found, in ECS order: the word and its suffix-stripped forms, then prefixes
    // stripped from the most stripped form, then with suffixes put back.
    let mut found: Vec<Found> = Vec::new();
    for text in cores.iter().chain(&derived) {
        let owner = if cores.contains(text) {
            text.as_str()
        } else {
            core.as_str()
        };
        if lexicon.contains(text) && !found.iter().any(|found| found.root == *text) {
            found.push(Found {
                root: text.clone(),
                core: owner,
                suffixed: !cores.contains(text),
                depth: 0,
                preferred: lexicon.is_extra(text),
            });
        }
    }
    for text in &derived {
        strip_prefixes(lexicon, text, core, true, &mut found);
    }
    for text in cores.iter().rev() {
        strip_prefixes(lexicon, text, text, false, &mut found);
    }
    if found.is_empty() {
        return unknown_word(lexicon, word);
    }
    // A root that never stands alone gives way to one that does (diketahui is tahu, like
    // mengetahui, not ketahu).
    if found.iter().any(|found| !lexicon.needs_affix(&found.root)) {
        found.retain(|found| !lexicon.needs_affix(&found.root));
    }
    if let Some(preferred) = found.iter().find(|found| found.preferred) {
        return preferred.root.clone();
    }
    // A listed root that takes affixes of its own is a word, not a derivation: perangkap is
    // not per + rangkap, kerangka not ke + rangka.
    if lexicon.takes_affixes(word) {
        return word.to_string();
    }
    // An analysis the dictionary's own affix rules produce; if several, the most productive
    // root (kalah over alah, ragam over agam).
    let licensed = found.iter().filter(|found| {
        lexicon.derives(&found.root, found.core) || lexicon.derives(&found.root, word)
    });
    if let Some(best) = most_productive(lexicon, licensed) {
        return best.root.clone();
    }
    // A listed word without affix flags of its own that is a productive root plus suffixes
    // is an entry for a derived form: belikan is beli, besaran is besar, idealisme is ideal.
    if let Some(text) = cores.iter().find(|text| lexicon.contains(text)) {
        if lexicon.flag_count(text) == 0 {
            if let Some(root) = suffixed_root(lexicon, text) {
                return root;
            }
        }
        // Otherwise a listed word, or a listed word plus clitics, stays whole.
        return text.clone();
    }
    found.retain(|found| {
        found.preferred
            || found.root.chars().count() >= MIN_UNLICENSED_ROOT_CHARS
            || !(word.strip_prefix("ke") == Some(found.root.as_str())
                || word.strip_suffix("an") == Some(found.root.as_str()))
    });
    // be-lah, be-an, me-i, di-i, pe-i, ter-i: ECS takes the prefix off first, so a root
    // ending in the suffix's letters wins (terabai is abai, not raba).
    if has_precedence(word) && found.iter().any(|found| !found.suffixed) {
        found.retain(|found| !found.suffixed);
    }
    // Fewest prefixes first (kesepersepuluhnya is sepuluh, not puluh), then the most
    // productive root (keterpurukan is puruk, not puru).
    let shallowest = found.iter().map(|found| found.depth).min().unwrap_or(0);
    most_productive(
        lexicon,
        found.iter().filter(|found| found.depth == shallowest),
    )
    .map_or_else(|| unknown_word(lexicon, word), |best| best.root.clone())
}

/// The productive root (one with affix flags) that `word` is with only suffixes added.
fn suffixed_root(lexicon: &Lexicon, word: &str) -> Option<String> {
    let productive = |root: &str| {
        root.chars().count() >= MIN_UNLICENSED_ROOT_CHARS && lexicon.flag_count(root) > 0
    };
    let (cores, derived) = suffix_bases(word);
    // Clitics come off short roots too (apatah → apa); derivational suffixes need a longer one.
    let from_clitics = cores
        .iter()
        .skip(1)
        .find(|root| lexicon.flag_count(root) > 0);
    let from_suffixes = from_clitics.or_else(|| derived.iter().find(|root| productive(root)));
    if let Some(root) = from_suffixes {
        return Some(root.clone());
    }
    LOAN_SUFFIXES
        .iter()
        .filter_map(|suffix| word.strip_suffix(suffix))
        .find(|root| productive(root))
        .map(str::to_string)
}

fn has_precedence(word: &str) -> bool {
    (word.starts_with("be") && (word.ends_with("lah") || word.ends_with("an")))
        || ((word.starts_with("me")
            || word.starts_with("di")
            || word.starts_with("pe")
            || word.starts_with("ter"))
            && word.ends_with('i'))
}

/// A root found by stripping affixes.
struct Found<'a> {
    root: String,
    /// The word without particle and possessive, which hunspell's flags describe.
    core: &'a str,
    /// Found after taking off a derivational suffix.
    suffixed: bool,
    /// Prefixes taken off.
    depth: usize,
    /// Found by a rule that outranks the dictionary's flags (belajar → ajar, mengebom → bom),
    /// or a shipped extra root, listed because the dictionary's analysis is missing or wrong.
    preferred: bool,
}

/// The candidate whose root has the most affix flags; the first of equals.
fn most_productive<'a, 'b>(
    lexicon: &Lexicon,
    candidates: impl Iterator<Item = &'b Found<'a>>,
) -> Option<&'b Found<'a>>
where
    'a: 'b,
{
    let mut best: Option<(&Found, usize)> = None;
    for candidate in candidates {
        let count = lexicon.flag_count(&candidate.root);
        if best.is_none_or(|(_, best_count)| count > best_count) {
            best = Some((candidate, count));
        }
    }
    best.map(|(candidate, _)| candidate)
}

/// A word the lexicon cannot explain: a loanword suffix on a listed root comes off
/// (finalisasi), and an attached -nya ("Jokowinya"); the other clitics end many names
/// (Abdullah, Subarkah, Baku), so they stay.
fn unknown_word(lexicon: &Lexicon, word: &str) -> String {
    let word = match word.strip_suffix("nya") {
        Some(rest) if rest.chars().count() >= MIN_ROOT_CHARS => rest,
        _ => word,
    };
    for suffix in LOAN_SUFFIXES {
        if let Some(root) = word.strip_suffix(suffix) {
            if root.chars().count() >= MIN_UNLICENSED_ROOT_CHARS && lexicon.contains(root) {
                return root.to_string();
            }
        }
    }
    word.to_string()
}

/// The word with particle and possessive stripped in turn (the cores), and the last core
/// with each derivational suffix that fits stripped.
fn suffix_bases(word: &str) -> (Vec<String>, Vec<String>) {
    let mut cores = vec![word.to_string()];
    let mut current = word;
    if let Some(rest) = strip_one(current, &PARTICLES) {
        current = rest;
        cores.push(current.to_string());
    }
    if let Some(rest) = strip_one(current, &POSSESSIVES) {
        current = rest;
        cores.push(current.to_string());
    }
    let derived = DERIVATIONAL
        .iter()
        .filter_map(|suffix| current.strip_suffix(suffix))
        .filter(|rest| rest.chars().count() >= MIN_ROOT_CHARS)
        .map(str::to_string)
        .collect();
    (cores, derived)
}

fn strip_one<'a>(word: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    suffixes.iter().find_map(|suffix| {
        word.strip_suffix(suffix)
            .filter(|rest| rest.chars().count() >= MIN_ROOT_CHARS)
    })
}

/// Strips up to [`MAX_PREFIXES`] prefixes from `base` breadth first, recording every
/// result that is a root.
fn strip_prefixes<'a>(
    lexicon: &Lexicon,
    base: &str,
    core: &'a str,
    suffixed: bool,
    found: &mut Vec<Found<'a>>,
) {
    let mut layer: Vec<String> = vec![base.to_string()];
    for depth in 0..MAX_PREFIXES {
        let mut next = Vec::new();
        for word in &layer {
            for (candidate, preferred) in prefix_options(lexicon, word, depth) {
                if candidate.chars().count() < MIN_ROOT_CHARS {
                    continue;
                }
                if lexicon.contains(&candidate)
                    && !found.iter().any(|found| found.root == candidate)
                {
                    found.push(Found {
                        root: candidate.clone(),
                        core,
                        suffixed,
                        depth: depth + 1,
                        preferred: preferred || lexicon.is_extra(&candidate),
                    });
                }
                next.push(candidate);
            }
        }
        if next.is_empty() {
            break;
        }
        layer = next;
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The words left by removing one prefix from `word`, by the ECS disambiguation rules, each
/// with whether the rule outranks the dictionary's flags.
fn prefix_options(lexicon: &Lexicon, word: &str, depth: usize) -> Vec<(String, bool)> {
    let bytes = word.as_bytes();
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let rest = |i: usize| word.get(i..).unwrap_or("").to_string();
    let with = |head: &str, i: usize| format!("{head}{}", word.get(i..).unwrap_or(""));
    let mut out = Vec::new();
    // Irregular forms that the rules below cannot reach.
    if matches!(word, "belajar" | "pelajar") {
        return vec![("ajar".to_string(), true)];
    }
    // menge-/penge- before a one-syllable loanword the dictionary derives that way (mengebom,
    // pengecek); mengenal is kenal, mengenakan is kena.
    if (word.starts_with("menge") || word.starts_with("penge"))
        && syllables(&word[5..]) == 1
        && lexicon.contains(&word[5..])
        && lexicon.derives(&word[5..], word)
    {
        return vec![(rest(5), true)];
    }
    if depth == 0 {
        // Proclitic pronouns: kupukul, kauhajar.
        if let Some(stripped) = word.strip_prefix("kau") {
            out.push(stripped.to_string());
        } else if let Some(stripped) = word.strip_prefix("ku") {
            out.push(stripped.to_string());
        }
    }
    if word.starts_with("di") || word.starts_with("ke") || word.starts_with("se") {
        out.push(rest(2));
    }
    if word.starts_with("be") {
        if word.starts_with("ber") {
            out.push(rest(3));
            if is_vowel(at(3)) {
                out.push(rest(2)); // be-rV: beradu → radu? also berambut
            }
        } else {
            // be-C1erC2: bekerja, beternak
            out.push(rest(2));
        }
    }
    if word.starts_with("te") {
        if word.starts_with("ter") {
            out.push(rest(3));
            if is_vowel(at(3)) {
                out.push(rest(2));
            }
        } else {
            out.push(rest(2));
        }
    }
    if word.starts_with("me") || word.starts_with("pe") {
        let head = &word[..2];
        let c2 = at(2);
        match c2 {
            b'l' | b'r' | b'w' | b'y' => {
                out.push(rest(2));
                if head == "pe" && c2 == b'r' {
                    out.push(rest(3)); // per-
                }
            }
            b'm' => {
                let c3 = at(3);
                if matches!(c3, b'b' | b'f' | b'v') {
                    out.push(rest(3));
                } else if c3 == b'p' {
                    out.push(rest(3)); // memp-: mempopulerkan, mempe-
                } else if is_vowel(c3) || c3 == b'r' {
                    out.push(with("m", 3));
                    out.push(with("p", 3));
                } else {
                    out.push(rest(2));
                }
            }
            b'n' => {
                let c3 = at(3);
                if c3 == b'y' {
                    out.push(with("ny", 4));
                    out.push(with("s", 4));
                } else if c3 == b'g' {
                    let c4 = at(4);
                    if is_vowel(c4) {
                        out.push(rest(4));
                        out.push(with("k", 4));
                        if c4 == b'e' {
                            out.push(rest(5)); // menge-/penge-: mengebom
                        }
                        out.push(with("ng", 4));
                    } else {
                        out.push(rest(4));
                    }
                } else if matches!(c3, b'c' | b'd' | b'j' | b's' | b't' | b'z') {
                    out.push(rest(3));
                } else if is_vowel(c3) {
                    out.push(with("n", 3));
                    out.push(with("t", 3));
                } else {
                    out.push(rest(2));
                }
            }
            _ if head == "pe" => out.push(rest(2)), // pe-C: pekerja, peserta, petani
            _ => {}
        }
    }
    out.into_iter()
        .filter(|candidate| !candidate.is_empty())
        .map(|candidate| (candidate, false))
        .collect()
}

/// Vowel groups in `word`: "bom" 1, "klik" 1, "ajar" 2.
fn syllables(word: &str) -> usize {
    let mut count = 0;
    let mut previous_vowel = false;
    for byte in word.bytes() {
        let vowel = is_vowel(byte);
        if vowel && !previous_vowel {
            count += 1;
        }
        previous_vowel = vowel;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::LEXICON;
    use super::*;

    fn check(pairs: &[(&str, &str)]) {
        for (word, expected) in pairs {
            assert_eq!(stem(&LEXICON, word), *expected, "stem of {word}");
        }
    }

    #[test]
    fn nasal_prefixes() {
        check(&[
            ("memukul", "pukul"),
            ("menyapu", "sapu"),
            ("mengirim", "kirim"),
            ("menyelesaikan", "selesai"),
            ("mengatakan", "kata"),
            ("membangun", "bangun"),
            ("menulis", "tulis"),
        ]);
    }

    #[test]
    fn suffixes_particles_possessives() {
        check(&[
            ("rumahnya", "rumah"),
            ("bukukah", "buku"),
            ("diapun", "dia"),
            ("siapapun", "siapa"),
            ("dilaksanakan", "laksana"),
            ("militernya", "militer"),
        ]);
    }

    #[test]
    fn confixes() {
        check(&[
            ("kepolisian", "polisi"),
            ("pembangunan", "bangun"),
            ("perumahan", "rumah"),
            ("bersamaan", "sama"),
            ("keberhasilan", "hasil"),
        ]);
    }

    #[test]
    fn does_not_overstem_listed_words() {
        check(&[
            ("berita", "berita"),
            ("menteri", "menteri"),
            ("pantai", "pantai"),
            ("perintah", "perintah"),
        ]);
    }

    #[test]
    fn names_that_look_affixed_stay_whole() {
        check(&[
            ("bali", "bali"),
            ("balinya", "bali"),
            ("selasa", "selasa"),
            ("maluku", "maluku"),
            ("kediri", "kediri"),
        ]);
    }

    #[test]
    fn roots_that_never_stand_alone_give_way() {
        check(&[
            ("diketahui", "tahu"),
            ("mengetahui", "tahu"),
            ("mengenakan", "kena"),
            ("mengebom", "bom"),
            ("mengenal", "kenal"),
        ]);
    }

    #[test]
    fn reduplication() {
        check(&[
            ("negara-negara", "negara"),
            ("bermain-main", "main"),
            ("sebaik-baiknya", "baik"),
            ("buku-buku", "buku"),
            ("kupu-kupu", "kupu-kupu"),
            ("menyepak-nyepak", "sepak"),
        ]);
    }

    #[test]
    fn unknown_words_keep_their_form() {
        check(&[
            ("beijing", "beijing"),
            ("tiongkok", "tiongkok"),
            ("moskow", "moskow"),
            ("abdullah", "abdullah"),
            ("jokowinya", "jokowi"),
            ("kenya", "kenya"),
        ]);
    }
}
