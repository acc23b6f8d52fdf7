//! The near-duplicate sketch the index stores for every article: the same wire story
//! published by several sites.
//!
//! Each article's body gets a sketch at index time (a multi-valued fast field): the
//! [`SKETCH_SIZE`] smallest hashes of its lowercased word 3-shingles. Two sketches estimate how
//! much of the two bodies is shared (bottom-k MinHash), so copies that differ only in a
//! dateline, a credit line or a "baca juga" link are recognised and shown once
//! (`search::dedup`). The sketch, the site key and the column encoding are part of the index's
//! format: an index holds the values earlier builds made.
//!
//! ```
//! use newsidx::index::sketch::{fingerprint, near};
//! let wire = "Pemerintah menaikkan harga bahan bakar minyak mulai pekan depan. Kenaikan itu \
//!     diumumkan oleh menteri energi di Jakarta setelah rapat kabinet terbatas yang membahas \
//!     subsidi dan anggaran negara tahun ini bersama para gubernur dan bupati dari seluruh \
//!     provinsi, yang sebagian besar meminta agar kenaikan dilakukan secara bertahap.";
//! let copy = format!("JAKARTA, KOMPAS.com - {wire}");
//! assert!(near(&fingerprint(wire), &fingerprint(&copy)));
//! ```

/// Hashes kept per body.
pub const SKETCH_SIZE: usize = 16;

/// Share of the sketch two bodies must have in common to be one story.
const MIN_SHARED: f32 = 0.8;

/// Bodies with fewer words than this get no sketch: too short to tell copies apart.
const MIN_WORDS: usize = 40;

/// The bottom-k sketch of `body`'s lowercased word 3-shingles, ascending; empty for a body
/// too short to judge.
pub fn fingerprint(body: &str) -> Vec<u64> {
    // A shingle's hash is FNV-1a over its three lowercased words, each followed by a space.
    // The three shingles a word belongs to are hashed side by side as the word goes by, in the
    // same pass that finds the words: three independent multiply chains the processor
    // overlaps, where hashing each shingle on its own went over every word three times.
    let bytes = body.as_bytes();
    let mut shingles = Shingles::default();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii_alphanumeric() {
            let start = at;
            let before = shingles.open;
            while bytes.get(at).is_some_and(u8::is_ascii_alphanumeric) {
                shingles.push(bytes[at].to_ascii_lowercase());
                at += 1;
            }
            if bytes.get(at).is_some_and(|byte| !byte.is_ascii()) {
                let end = word_end(body, at);
                if end > at {
                    // The word goes on outside ASCII: hash it again, lowercased whole.
                    shingles.open = before;
                    shingles.push_word(&body[start..end]);
                    at = end;
                }
            }
            shingles.end_word();
        } else if byte.is_ascii() {
            at += 1;
        } else {
            let end = word_end(body, at);
            if end > at {
                shingles.push_word(&body[at..end]);
                shingles.end_word();
                at = end;
            } else {
                at += body[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    if shingles.words < MIN_WORDS {
        return Vec::new();
    }
    shingles.sketch.hashes[..shingles.sketch.len].to_vec()
}

/// The end of the run of alphanumeric characters of `text` that starts at byte `from`.
fn word_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(text.len(), |(at, _)| from + at)
}

/// The word 3-shingles of a body being hashed, and the sketch of those finished.
struct Shingles {
    /// FNV-1a states of the shingles that started two words ago, one word ago, and at this
    /// word.
    open: [u64; 3],
    words: usize,
    sketch: Sketch,
}

impl Default for Shingles {
    fn default() -> Shingles {
        Shingles {
            open: [FNV_OFFSET; 3],
            words: 0,
            sketch: Sketch::default(),
        }
    }
}

impl Shingles {
    #[inline(always)]
    fn push(&mut self, byte: u8) {
        let byte = u64::from(byte);
        let [a, b, c] = &mut self.open;
        *a = (*a ^ byte).wrapping_mul(FNV_PRIME);
        *b = (*b ^ byte).wrapping_mul(FNV_PRIME);
        *c = (*c ^ byte).wrapping_mul(FNV_PRIME);
    }

    /// A word with characters outside ASCII, lowercased as `str::to_lowercase` does (a final
    /// sigma included).
    fn push_word(&mut self, word: &str) {
        for &byte in word.to_lowercase().as_bytes() {
            self.push(byte);
        }
    }

    fn end_word(&mut self) {
        self.push(b' ');
        self.words += 1;
        if self.words >= 3 {
            // The top 32 bits: as good for equality among a few hundred shingles, and half
            // the fast-field bytes (the sketch is stored bit-packed).
            self.sketch.offer(mix(self.open[0]) >> 32);
        }
        self.open = [self.open[1], self.open[2], FNV_OFFSET];
    }
}

/// The smallest distinct hashes offered so far, at most [`SKETCH_SIZE`], ascending.
#[derive(Default)]
struct Sketch {
    hashes: [u64; SKETCH_SIZE],
    len: usize,
}

impl Sketch {
    fn offer(&mut self, hash: u64) {
        if self.len == SKETCH_SIZE && hash >= self.hashes[SKETCH_SIZE - 1] {
            return;
        }
        let at = self.hashes[..self.len].partition_point(|&kept| kept < hash);
        if self.hashes[..self.len].get(at) == Some(&hash) {
            return;
        }
        let last = self.len.min(SKETCH_SIZE - 1);
        self.hashes.copy_within(at..last, at + 1);
        self.hashes[at] = hash;
        self.len = (self.len + 1).min(SKETCH_SIZE);
    }
}

/// True when two sketches (ascending, as [`fingerprint`] makes them) mark the same story.
pub fn near(left: &[u64], right: &[u64]) -> bool {
    if left.is_empty() || right.is_empty() {
        return false;
    }
    // The smallest k hashes of the union, and how many of them both bodies have.
    let size = SKETCH_SIZE.min(left.len().max(right.len()));
    let (mut l, mut r, mut seen, mut shared) = (0, 0, 0, 0);
    while seen < size && (l < left.len() || r < right.len()) {
        match (left.get(l), right.get(r)) {
            (Some(a), Some(b)) if a == b => {
                shared += 1;
                l += 1;
                r += 1;
            }
            (Some(a), Some(b)) if a < b => l += 1,
            (Some(_), Some(_)) => r += 1,
            (Some(_), None) => l += 1,
            (None, _) => r += 1,
        }
        seen += 1;
    }
    shared as f32 >= MIN_SHARED * size as f32
}

/// The key of a source name (`search::dedup::Item::site`): case and surrounding space do not matter.
pub fn site(source: &str) -> u64 {
    mix(fnv(FNV_OFFSET, source.trim().to_lowercase().as_bytes()))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// An odd multiplier, so that multiplying by it modulo 2^32 is a bijection.
const SPREAD: u32 = 0x9e37_79b1;
/// Its inverse modulo 2^32: `SPREAD * UNSPREAD == 1`.
const UNSPREAD: u32 = inverse(SPREAD);

/// The inverse of an odd number modulo 2^32, by Newton's iteration (each step doubles the
/// correct low bits: 1, 2, 4, ..., 32).
const fn inverse(odd: u32) -> u32 {
    let mut inverse = 1u32;
    let mut step = 0;
    while step < 5 {
        inverse = inverse.wrapping_mul(2u32.wrapping_sub(odd.wrapping_mul(inverse)));
        step += 1;
    }
    inverse
}

/// A sketch hash as the index stores it. A sketch holds the smallest hashes of its body, so
/// stored as they are the values are small, and smaller the longer the body: tantivy then
/// packs the column block by block, and opening a column of blocks reads every block's
/// header (at a million articles, a tenth of a one-process search). Spread over all 32 bits,
/// every block needs all of them, and the column is packed whole and opens at once.
pub fn to_column(hash: u64) -> u64 {
    u64::from((hash as u32).wrapping_mul(SPREAD))
}

/// The sketch hash of a stored value: the inverse of [`to_column`].
pub fn from_column(value: u64) -> u64 {
    u64::from((value as u32).wrapping_mul(UNSPREAD))
}

/// SplitMix64's finaliser: spreads FNV's weak high bits over all 64.
fn mix(mut hash: u64) -> u64 {
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^ (hash >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_give_back_the_hashes_and_fill_all_32_bits() {
        assert_eq!(SPREAD.wrapping_mul(UNSPREAD), 1);
        let sketch = fingerprint(&STORY.repeat(3));
        assert_eq!(sketch.len(), SKETCH_SIZE);
        let stored: Vec<u64> = sketch.iter().copied().map(to_column).collect();
        let back: Vec<u64> = stored.iter().copied().map(from_column).collect();
        assert_eq!(back, sketch);
        // The smallest hashes of a long body sit low in the 32-bit range; stored, they do not.
        let top_bits = |values: &[u64]| values.iter().map(|value| value >> 28).max();
        assert!(top_bits(&sketch) < Some(8), "{sketch:?}");
        assert!(top_bits(&stored) >= Some(8), "{stored:?}");
        for hash in [0, 1, 0x7fff_ffff, 0xffff_ffff] {
            assert_eq!(from_column(to_column(hash)), hash);
            assert!(to_column(hash) <= 0xffff_ffff);
        }
    }

    const STORY: &str =
        "Badan Meteorologi, Klimatologi, dan Geofisika memperingatkan potensi hujan \
        lebat disertai angin kencang di sejumlah wilayah Jawa Barat selama tiga hari ke depan. \
        Warga yang tinggal di lereng bukit dan bantaran sungai diminta waspada terhadap banjir dan \
        tanah longsor. Kepala stasiun setempat mengatakan curah hujan tertinggi diperkirakan \
        terjadi pada sore hingga malam hari, sehingga masyarakat diimbau menunda perjalanan jauh.";

    #[test]
    fn copies_with_a_different_dateline_are_near() {
        let copy = format!("BANDUNG, suara.com - {STORY} Baca juga: berita lainnya.");
        assert!(near(&fingerprint(STORY), &fingerprint(&copy)));
    }

    #[test]
    fn different_stories_are_far() {
        let other = "Tim nasional sepak bola Indonesia menang dua gol tanpa balas atas Vietnam \
            dalam laga kualifikasi yang digelar di Stadion Utama Gelora Bung Karno, Jakarta, Selasa \
            malam. Kedua gol dicetak pada babak kedua melalui sundulan kepala dan tendangan bebas \
            yang tidak mampu dihalau penjaga gawang lawan. Pelatih mengaku puas dengan permainan \
            anak asuhnya meski sempat tertekan pada awal pertandingan di hadapan puluhan ribu suporter.";
        assert!(!near(&fingerprint(STORY), &fingerprint(other)));
    }

    #[test]
    fn sketches_stay_what_existing_indexes_hold() {
        // Indexes hold sketches made by earlier builds, and a story is folded only when its
        // copies' sketches agree: these values were made by the first version of this code
        // (a lowercased `String` per word). The second body's every shingle holds capitalised
        // words outside ASCII, so a change in lowercasing changes every hash of it.
        assert_eq!(
            fingerprint(STORY),
            [
                50456379, 65195919, 90345857, 110676444, 127922037, 290888094, 558643919,
                563604695, 568359701, 574585276, 594695320, 636281380, 977029724, 984976018,
                1027434601, 1082326196
            ]
        );
        let accented: String = (0..60)
            .map(|at| format!("ÉLITE{at} Çelik ŞEHİR{at} ΣΟΦΙΑΣ İstanbul{at} ǅemal "))
            .collect();
        assert_eq!(
            fingerprint(&accented),
            [
                7961200, 23167909, 27652392, 34483243, 71021099, 74131277, 78552475, 89740362,
                95479093, 97418225, 128414269, 132892531, 142968145, 156670135, 173268713,
                175357640
            ]
        );
    }

    /// The sketch as first written: every shingle hashed, sorted, deduplicated, cut.
    fn reference(body: &str) -> Vec<u64> {
        let words: Vec<String> = body
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect();
        if words.len() < MIN_WORDS {
            return Vec::new();
        }
        let mut hashes: Vec<u64> = words
            .windows(3)
            .map(|shingle| {
                let mut hash = FNV_OFFSET;
                for word in shingle {
                    hash = fnv(hash, word.as_bytes());
                    hash = fnv(hash, b" ");
                }
                mix(hash) >> 32
            })
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        hashes.truncate(SKETCH_SIZE);
        hashes
    }

    proptest::proptest! {
        #[test]
        fn the_sketch_is_the_reference_sketch(
            words in proptest::collection::vec(
                "[a-zA-Z0-9]{1,8}|[ÉéÇçŞİıΣσǅ]{1,3}[a-z]{0,4}|kata|yang|dan", 0..120),
            separators in proptest::collection::vec(
                " |  |, |\\. |\n|-|'|\u{a0}|\u{2019}|\u{3000}|\u{2014}", 120),
        ) {
            let body: String = words
                .iter()
                .zip(separators.iter())
                .map(|(word, separator)| format!("{word}{separator}"))
                .collect();
            proptest::prop_assert_eq!(fingerprint(&body), reference(&body));
        }

        #[test]
        fn the_sketch_is_the_reference_sketch_for_any_text(
            // Any printable characters: letters and digits of every script, marks, symbols,
            // white space, mixed inside words; long enough to be sketched.
            words in proptest::collection::vec("\\PC{1,7}", 40..90),
        ) {
            let body = words.join(" ");
            proptest::prop_assert_eq!(fingerprint(&body), reference(&body));
        }
    }

    #[test]
    fn short_bodies_have_no_fingerprint() {
        assert!(fingerprint("Hujan lebat di Bogor.").is_empty());
        assert!(!near(&[], &[]));
    }
}
