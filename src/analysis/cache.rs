//! The per-thread cache of analysed words: a news archive repeats the same few hundred
//! thousand words, so each is analysed ([`super::terms`]) once a thread and then read back.
//! Words and their terms are stored inline in one buffer behind an open-addressing table of
//! tagged offsets; a lookup reads two cache lines, and the token stream prefetches both
//! ([`prefetch`]) before it needs them.

use std::cell::RefCell;
use std::collections::VecDeque;

use super::stopwords::is_stopword;
use super::terms::{compute, Wanted};

/// Cached words per thread before the cache starts over.
const CACHE_LIMIT: usize = 200_000;

/// Slots of a new cache's table. The table doubles whenever it would be more than two fifths
/// full, up to what [`CACHE_LIMIT`] words need: a search that analyses a few hits' text
/// then neither allocates nor clears the 4 MB table an archive's ingest grows to.
const INITIAL_SLOTS: usize = 1 << 10;

/// Bytes of cached words and terms before the cache starts over.
const CACHE_BYTES: usize = 16 << 20;

thread_local! {
    /// The calling thread's cache.
    pub(super) static CACHE: RefCell<WordCache> = RefCell::new(WordCache::default());
}

/// Words already analysed, and what they gave: the analyzer meets each token of every article
/// here. Words and their terms are stored inline, one after the other in one buffer, and the
/// table holds each entry's place and part of its hash; a lookup then reads two cache lines,
/// where a map of `String` keys to lists of `String`s reads four or five.
pub(super) struct WordCache {
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
pub(super) enum Word {
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
    pub(super) fn analyse(
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
    pub(super) fn prefetch_slot(&self, hash: u64) {
        prefetch(&self.slots[self.first_slot(hash)]);
    }

    /// Starts fetching the entry that the first slot of `hash` points to, if its tag matches.
    pub(super) fn prefetch_entry(&self, hash: u64) {
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

/// Asks the processor to bring `value`'s cache line in, without waiting for it.
#[inline(always)]
pub(super) fn prefetch<T>(value: &T) {
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
    use crate::analysis::lexicon::LEXICON;
    use crate::analysis::terms::terms;

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
}
