//! From a normalised word to its index terms: aliases, the stemmer, closed compounds and
//! hyphenated words that are not reduplication. One word may give several terms
//! ("kerjasama" → kerja, sama; "AS" → amerika, serikat); they take consecutive positions and
//! the words after them move along, so phrases match however the text spelled them.
//! Results are cached per thread: a news archive repeats the same few hundred thousand words.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::aliases::ALIASES;
use super::compounds::COMPOUNDS;
use super::lexicon::LEXICON;
use super::stemmer;
use super::stopwords::is_stopword;

/// Cached words per thread before the cache starts over.
const CACHE_LIMIT: usize = 200_000;

/// Slots of a new cache's table. The table doubles whenever it would be more than two fifths
/// full, up to what [`CACHE_LIMIT`] words need: a search that analyses a few hits' text
/// then neither allocates nor clears the 4 MB table an archive's ingest grows to.
const INITIAL_SLOTS: usize = 1 << 10;

/// Bytes of cached words and terms before the cache starts over.
const CACHE_BYTES: usize = 16 << 20;

thread_local! {
    static CACHE: RefCell<WordCache> = RefCell::new(WordCache::default());
}

/// The index terms of a normalised word.
pub fn terms(word: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(1);
    compute(word, true, &mut out);
    out
}

/// Words already analysed, and what they gave: the analyzer meets each token of every article
/// here. Words and their terms are stored inline, one after the other in one buffer, and the
/// table holds each entry's place and part of its hash; a lookup then reads two cache lines,
/// where a map of `String` keys to lists of `String`s reads four or five.
struct WordCache {
    /// Zero for an empty slot, else the hash's high half over the entry's offset plus one.
    /// A power of two long, at most two fifths full.
    slots: Vec<u64>,
    /// The most slots the table grows to.
    max_slots: usize,
    /// Entries: word length, number of terms (`STOPWORD` for a stopword), the word, then each
    /// term as its length and its bytes.
    entries: Vec<u8>,
    len: usize,
    /// Entries and bytes of entries before the cache starts over.
    limits: (usize, usize),
}

/// The number of terms that marks a stopword's entry.
const STOPWORD: u8 = u8::MAX;

impl Default for WordCache {
    fn default() -> WordCache {
        WordCache::with_limits(CACHE_LIMIT, CACHE_BYTES)
    }
}

/// What a word is to the index, as [`WordCache::analyse`] found.
#[derive(Debug, PartialEq, Eq)]
enum Word {
    Stopword,
    /// Left as it is ([`Wanted`] turned it away).
    Unchanged,
    /// Replaced by its first term; the others were queued.
    Terms,
    /// No term at all.
    Empty,
}

impl WordCache {
    /// A cache that starts over at `len` entries or `bytes` bytes of them.
    fn with_limits(len: usize, bytes: usize) -> WordCache {
        let max_slots = Self::slots_for(len);
        WordCache {
            slots: vec![0; INITIAL_SLOTS.min(max_slots)],
            max_slots,
            entries: Vec::new(),
            len: 0,
            limits: (len, bytes),
        }
    }

    /// Looks `text` up by its `hash` ([`xxh3_64`](xxhash_rust::xxh3::xxh3_64)), analysing it
    /// on a miss; replaces it with its first term and queues the others on `pending`.
    /// Stopwords and words `wanted` turns away are left as they are.
    fn analyse(
        &mut self,
        text: &mut String,
        hash: u64,
        wanted: Option<&Wanted>,
        pending: &mut VecDeque<String>,
    ) -> Word {
        let entry = match self.find(text.as_bytes(), hash) {
            Ok(entry) => entry,
            Err(slot) => {
                let stopword = is_stopword(text);
                if !stopword && wanted.is_some_and(|wanted| !wanted.could_give(text)) {
                    return Word::Unchanged;
                }
                let mut terms = Vec::with_capacity(1);
                if !stopword {
                    compute(text, true, &mut terms);
                }
                match self.insert(slot, hash, text, stopword, &terms) {
                    Some(entry) => entry,
                    // Too long to cache: use what was just computed.
                    None => return replace(text, stopword, terms, pending),
                }
            }
        };
        let word_len = usize::from(self.entries[entry]);
        let count = self.entries[entry + 1];
        if count == STOPWORD {
            return Word::Stopword;
        }
        if wanted.is_some_and(|wanted| !wanted.could_give(text)) {
            return Word::Unchanged;
        }
        let mut at = entry + 2 + word_len;
        for index in 0..count {
            let len = usize::from(self.entries[at]);
            let term = std::str::from_utf8(&self.entries[at + 1..at + 1 + len]).unwrap_or("");
            if index == 0 {
                text.clear();
                text.push_str(term);
            } else {
                pending.push_back(term.to_string());
            }
            at += 1 + len;
        }
        if count == 0 {
            Word::Empty
        } else {
            Word::Terms
        }
    }

    /// The slot where the search for `hash` starts.
    fn first_slot(&self, hash: u64) -> usize {
        hash as usize & (self.slots.len() - 1)
    }

    /// The entry a slot's `value` points to, if it holds one with `hash`'s tag.
    fn tagged_entry(value: u64, hash: u64) -> Option<usize> {
        (value != 0 && value >> 32 == hash >> 32).then(|| (value as u32 - 1) as usize)
    }

    /// Starts fetching the first slot of the word with `hash`.
    fn prefetch_slot(&self, hash: u64) {
        prefetch(&self.slots[self.first_slot(hash)]);
    }

    /// Starts fetching the entry that the first slot of `hash` points to, if its tag matches.
    fn prefetch_entry(&self, hash: u64) {
        let value = self.slots[self.first_slot(hash)];
        if let Some(entry) = Self::tagged_entry(value, hash).and_then(|at| self.entries.get(at)) {
            prefetch(entry);
        }
    }

    /// The entry of `word`, or the empty slot where it would go.
    fn find(&self, word: &[u8], hash: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut slot = self.first_slot(hash);
        loop {
            let value = self.slots[slot];
            if value == 0 {
                return Err(slot);
            }
            if let Some(entry) = Self::tagged_entry(value, hash) {
                let len = usize::from(self.entries[entry]);
                if &self.entries[entry + 2..entry + 2 + len] == word {
                    return Ok(entry);
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Stores `word` and what it gives in `slot`, starting over when the cache is full.
    /// None when the word or a term is too long to store.
    fn insert(
        &mut self,
        mut slot: usize,
        hash: u64,
        word: &str,
        stopword: bool,
        terms: &[String],
    ) -> Option<usize> {
        let too_long = |text: &str| text.len() > usize::from(u8::MAX);
        if too_long(word)
            || terms.len() >= usize::from(STOPWORD)
            || terms.iter().any(|t| too_long(t))
        {
            return None;
        }
        let size = 2 + word.len() + terms.iter().map(|term| 1 + term.len()).sum::<usize>();
        if self.len >= self.limits.0 || self.entries.len() + size > self.limits.1 {
            self.slots.fill(0);
            self.entries.clear();
            self.len = 0;
            slot = self.find(word.as_bytes(), hash).err()?;
        } else if Self::slots_for(self.len + 1) > self.slots.len() {
            self.grow();
            slot = self.find(word.as_bytes(), hash).err()?;
        }
        let entry = self.entries.len();
        self.entries.push(word.len() as u8);
        self.entries.push(if stopword {
            STOPWORD
        } else {
            terms.len() as u8
        });
        self.entries.extend_from_slice(word.as_bytes());
        for term in terms {
            self.entries.push(term.len() as u8);
            self.entries.extend_from_slice(term.as_bytes());
        }
        self.slots[slot] = (hash >> 32) << 32 | (entry as u64 + 1);
        self.len += 1;
        Some(entry)
    }

    /// Slots (a power of two) that hold `len` entries at most two fifths full.
    fn slots_for(len: usize) -> usize {
        (len * 5).div_ceil(2).max(1).next_power_of_two()
    }

    /// Doubles the table (up to `max_slots`) and places every entry again.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).min(self.max_slots);
        if size <= self.slots.len() {
            return;
        }
        self.slots = vec![0; size];
        let mut entry = 0;
        while entry < self.entries.len() {
            let word_len = usize::from(self.entries[entry]);
            let count = self.entries[entry + 1];
            let word = &self.entries[entry + 2..entry + 2 + word_len];
            let hash = xxhash_rust::xxh3::xxh3_64(word);
            let mask = size - 1;
            let mut slot = hash as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = (hash >> 32) << 32 | (entry as u64 + 1);
            let mut next = entry + 2 + word_len;
            if count != STOPWORD {
                for _ in 0..count {
                    next += 1 + usize::from(self.entries[next]);
                }
            }
            entry = next;
        }
    }
}

/// What [`WordCache::analyse`] does with a word it could not cache.
fn replace(
    text: &mut String,
    stopword: bool,
    terms: Vec<String>,
    pending: &mut VecDeque<String>,
) -> Word {
    if stopword {
        return Word::Stopword;
    }
    let mut terms = terms.into_iter();
    let Some(first) = terms.next() else {
        return Word::Empty;
    };
    *text = first;
    pending.extend(terms);
    Word::Terms
}

fn compute(word: &str, aliases: bool, out: &mut Vec<String>) {
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

/// Replaces each token by its index terms. With [`Wanted`] terms, a word that cannot give
/// one of them comes out as it went in, unstemmed.
#[derive(Clone)]
pub struct TermFilter {
    pub wanted: Option<Arc<Wanted>>,
    pub stopwords: Stopwords,
}

impl TokenFilter for TermFilter {
    type Tokenizer<T: Tokenizer> = TermTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> TermTokenizer<T> {
        TermTokenizer(tokenizer, self)
    }
}

#[derive(Clone)]
pub struct TermTokenizer<T>(T, TermFilter);

impl<T: Tokenizer> Tokenizer for TermTokenizer<T> {
    type TokenStream<'a> = TermStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        TermStream {
            inner: self.0.token_stream(text),
            wanted: self.1.wanted.as_deref(),
            stopwords: self.1.stopwords,
            pending: VecDeque::new(),
            shift: 0,
            ahead: VecDeque::with_capacity(LOOKAHEAD),
            spare: Vec::new(),
            token: Token::default(),
            ended: false,
        }
    }
}

/// Words read ahead of the one being analysed. Each word's cache slot is fetched from memory
/// when it is read, and its entry when it is next: both are then in the processor's cache by
/// the time it is analysed, after tantivy has indexed the words before it. Without this, the
/// two cache misses of a lookup were most of its cost.
const LOOKAHEAD: usize = 3;

pub struct TermStream<'a, S> {
    inner: S,
    wanted: Option<&'a Wanted>,
    stopwords: Stopwords,
    /// Further terms of the current word.
    pending: VecDeque<String>,
    /// Extra positions taken so far by words that gave several terms.
    shift: usize,
    /// Tokens read from `inner` and not analysed yet, with their hashes.
    ahead: VecDeque<(Token, u64)>,
    /// Texts of tokens already given, for the next tokens read ahead.
    spare: Vec<String>,
    /// The token given.
    token: Token,
    /// Whether `inner` has given its last token.
    ended: bool,
}

impl<S: TokenStream> TermStream<'_, S> {
    /// Reads tokens from `inner` until [`LOOKAHEAD`] are waiting, and fetches their slots.
    fn read_ahead(&mut self, cache: &WordCache) {
        while self.ahead.len() < LOOKAHEAD && !self.ended {
            if !self.inner.advance() {
                self.ended = true;
                break;
            }
            let token = self.inner.token_mut();
            // The tokenizer clears the text it gets back before writing the next word.
            let mut text = self.spare.pop().unwrap_or_default();
            std::mem::swap(&mut text, &mut token.text);
            let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
            cache.prefetch_slot(hash);
            let token = Token {
                offset_from: token.offset_from,
                offset_to: token.offset_to,
                position: token.position,
                text,
                position_length: token.position_length,
            };
            self.ahead.push_back((token, hash));
        }
    }
}

impl<S: TokenStream> TokenStream for TermStream<'_, S> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.pop_front() {
            self.token.text = next;
            self.token.position += 1;
            self.shift += 1;
            return true;
        }
        loop {
            let word = CACHE.with(|cache| {
                let mut cache = cache.borrow_mut();
                self.read_ahead(&cache);
                let (token, hash) = self.ahead.pop_front()?;
                let given = std::mem::replace(&mut self.token, token);
                self.spare.push(given.text);
                let word =
                    cache.analyse(&mut self.token.text, hash, self.wanted, &mut self.pending);
                if let Some((_, next)) = self.ahead.front() {
                    cache.prefetch_entry(*next);
                }
                Some(word)
            });
            match word {
                None => return false,
                Some(Word::Stopword) if self.stopwords == Stopwords::Drop => continue,
                Some(Word::Stopword) => self.token.text.insert(0, STOPWORD_MARK),
                Some(Word::Empty) => continue,
                Some(Word::Unchanged | Word::Terms) => {}
            }
            self.token.position += self.shift;
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Asks the processor to bring `value`'s cache line in, without waiting for it.
#[inline(always)]
fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch only hints the processor; it reads nothing, and `value` is a
        // valid reference besides.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::filter::MapFilter;
    use crate::analysis::tokenizer::IndonesianTokenizer;
    use tantivy::tokenizer::TextAnalyzer;

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

    /// What the cache gives for `word`: the token's text, the queued terms, the kind.
    fn analysed(
        cache: &mut WordCache,
        word: &str,
        wanted: Option<&Wanted>,
    ) -> (String, Vec<String>, Word) {
        let mut text = word.to_string();
        let mut pending = VecDeque::new();
        let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        let kind = cache.analyse(&mut text, hash, wanted, &mut pending);
        (text, pending.into(), kind)
    }

    /// What the cache should give for `word`, from the uncached analysis.
    fn expected(word: &str) -> (String, Vec<String>, Word) {
        if is_stopword(word) {
            return (word.to_string(), Vec::new(), Word::Stopword);
        }
        let mut all = terms(word).into_iter();
        match all.next() {
            None => (word.to_string(), Vec::new(), Word::Empty),
            Some(first) => (first, all.collect(), Word::Terms),
        }
    }

    #[test]
    fn the_cache_gives_what_the_analysis_gives_through_every_start_over() {
        let long = "panjang".repeat(40);
        let mut words: Vec<String> = LEXICON.sample_forms(97);
        words.extend(
            [
                "kerjasama",
                "bekerjasama",
                "china",
                "chinanya",
                "amerika serikat",
                "covid-19",
                "1.000.000",
                "dengan",
                "yang",
                long.as_str(),
            ]
            .map(String::from),
        );
        assert!(words.len() > 300, "{}", words.len());
        // Small limits, so that the cache starts over many times, by count and by bytes.
        // And large ones, so that the table grows from its first size to its last.
        for (len, bytes) in [(50, 1 << 20), (1_000, 600), (5_000, 1 << 20)] {
            let mut cache = WordCache::with_limits(len, bytes);
            let mut sizes = vec![cache.slots.len()];
            for _ in 0..2 {
                for word in &words {
                    assert_eq!(analysed(&mut cache, word, None), expected(word), "{word}");
                    if sizes.last() != Some(&cache.slots.len()) {
                        sizes.push(cache.slots.len());
                    }
                }
            }
            assert!(cache.len <= len && cache.entries.len() <= bytes);
            assert!(cache.len * 5 <= cache.slots.len() * 2, "{}", cache.len);
            if len == 5_000 {
                // Never cleared, so it grew once for every doubling its entries needed.
                assert!(sizes.len() > 1, "{sizes:?}");
                assert_eq!(cache.slots.len(), WordCache::slots_for(cache.len));
                // Every word is where a lookup finds it, once: the second pass added none.
                let mut distinct = words.clone();
                distinct.sort();
                distinct.dedup();
                distinct.retain(|word| word.len() <= usize::from(u8::MAX));
                assert_eq!(cache.len, distinct.len());
                for word in &distinct {
                    let hash = xxhash_rust::xxh3::xxh3_64(word.as_bytes());
                    assert!(cache.find(word.as_bytes(), hash).is_ok(), "{word}");
                }
            }
        }
    }

    #[test]
    fn the_cache_leaves_words_that_cannot_give_a_wanted_term() {
        let wanted = Wanted::new(["militer"]);
        let mut cache = WordCache::default();
        assert_eq!(
            analysed(&mut cache, "kemiliteran", Some(&wanted)),
            ("militer".to_string(), Vec::new(), Word::Terms)
        );
        for _ in 0..2 {
            assert_eq!(
                analysed(&mut cache, "presidennya", Some(&wanted)),
                ("presidennya".to_string(), Vec::new(), Word::Unchanged)
            );
        }
        // Cached by a search without wanted terms, still left unchanged by one with them.
        analysed(&mut cache, "rusianya", None);
        assert_eq!(
            analysed(&mut cache, "rusianya", Some(&wanted)).2,
            Word::Unchanged
        );
        assert_eq!(
            analysed(&mut cache, "dengan", Some(&wanted)).2,
            Word::Stopword
        );
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

    /// Terms and positions of `text` as the stream gives them.
    fn streamed(text: &str, stopwords: Stopwords) -> Vec<(String, usize, usize, usize)> {
        let mut analyzer = super::super::indonesian_with(None, stopwords);
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                token.text.clone(),
                token.position,
                token.offset_from,
                token.offset_to,
            ));
        }
        out
    }

    /// The same, a word at a time from the uncached analysis: what the stream must give
    /// however far it reads ahead.
    fn word_by_word(text: &str, stopwords: Stopwords) -> Vec<(String, usize, usize, usize)> {
        let mut words = TextAnalyzer::builder(IndonesianTokenizer::default())
            .filter(MapFilter(crate::analysis::aliases::expand_acronym))
            .filter(MapFilter(crate::analysis::normalize::normalize_token))
            .build();
        let mut stream = words.token_stream(text);
        let mut out = Vec::new();
        let mut shift = 0;
        while let Some(token) = stream.next() {
            let place = |term: String, at: usize| (term, at, token.offset_from, token.offset_to);
            if is_stopword(&token.text) {
                if stopwords == Stopwords::Keep {
                    out.push(place(
                        format!("{STOPWORD_MARK}{}", token.text),
                        token.position + shift,
                    ));
                }
                continue;
            }
            let terms = terms(&token.text);
            let count = terms.len();
            for (index, term) in terms.into_iter().enumerate() {
                out.push(place(term, token.position + shift + index));
            }
            shift += count.saturating_sub(1);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn the_stream_gives_each_words_terms_in_place(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    "(dengan|yang|dan|di|kerjasama|bekerjasama|AS|A\\.S\\.|China|Covid-19)",
                    "(me|pe|ber|di|ke)?[a-z]{2,7}(kan|an|i)?(nya|lah)?",
                    "[A-Za-z0-9-]{1,9}",
                    "[.,;\n]",
                ],
                0..40,
            )
        ) {
            let text = words.join(" ");
            for stopwords in [Stopwords::Keep, Stopwords::Drop] {
                proptest::prop_assert_eq!(
                    streamed(&text, stopwords),
                    word_by_word(&text, stopwords)
                );
            }
        }
    }
}
