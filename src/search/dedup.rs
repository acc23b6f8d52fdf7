//! Near-duplicate folding: ranked hits whose stored sketches ([`crate::index::sketch`]) mark
//! the same story on other sites, published within two days, are shown once, under the best
//! ranked copy.

pub use crate::index::sketch::{fingerprint, from_column, near, site, to_column, SKETCH_SIZE};

/// Copies of one wire story appear within this many seconds of each other (two days); a
/// template filled in every day ("harga emas hari ini") is a new story each day.
pub const MAX_APART_SECS: i64 = 2 * 86_400;

/// One ranked item as [`collapse`] sees it: its sketch and its date (seconds), if any.
#[derive(Clone, Debug, Default)]
pub struct Item {
    pub sketch: Vec<u64>,
    pub date: Option<i64>,
    /// [`site`] of the article's source, if it names one.
    pub site: Option<u64>,
}

/// Groups ranked items: each kept item with the later items that copy it.
///
/// `items[i]` is the i-th item in rank order; the answer lists, for each kept item in order,
/// its index and the indexes of its copies. Copies share most of their sketch and, when both
/// are dated, were published within [`MAX_APART_SECS`].
pub fn collapse(items: &[Item]) -> Vec<(usize, Vec<usize>)> {
    let same_story = |left: &Item, right: &Item| {
        let close = match (left.date, right.date) {
            (Some(left), Some(right)) => (left - right).abs() <= MAX_APART_SECS,
            _ => true,
        };
        // The same text under another title on the same site is that site's own second
        // article (an update, a rewrite for another section), which a reader may be looking
        // for; copies are the same story on several sites.
        let other_site = match (left.site, right.site) {
            (Some(left), Some(right)) => left != right,
            _ => true,
        };
        close && other_site && near(&left.sketch, &right.sketch)
    };
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (at, item) in items.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|(kept, _)| same_story(&items[*kept], item))
        {
            Some((_, copies)) => copies.push(at),
            None => groups.push((at, Vec::new())),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str =
        "Badan Meteorologi, Klimatologi, dan Geofisika memperingatkan potensi hujan \
        lebat disertai angin kencang di sejumlah wilayah Jawa Barat selama tiga hari ke depan. \
        Warga yang tinggal di lereng bukit dan bantaran sungai diminta waspada terhadap banjir dan \
        tanah longsor. Kepala stasiun setempat mengatakan curah hujan tertinggi diperkirakan \
        terjadi pada sore hingga malam hari, sehingga masyarakat diimbau menunda perjalanan jauh.";

    #[test]
    fn copies_are_folded_across_sites_only() {
        let story = fingerprint(STORY);
        let copy = fingerprint(&format!("JAKARTA - {STORY}"));
        let on = |sketch: &Vec<u64>, source: &str| Item {
            sketch: sketch.clone(),
            date: Some(0),
            site: Some(site(source)),
        };
        // One site's rewrite of its own story stays a hit of its own.
        assert_eq!(
            collapse(&[on(&story, "detik.com"), on(&copy, "Detik.com ")]),
            vec![(0, vec![]), (1, vec![])]
        );
        assert_eq!(
            collapse(&[on(&story, "detik.com"), on(&copy, "kompas.com")]),
            vec![(0, vec![1])]
        );
    }

    #[test]
    fn collapse_keeps_the_first_of_each_story() {
        let story = fingerprint(STORY);
        let copy = fingerprint(&format!("JAKARTA - {STORY}"));
        let item = |sketch: &Vec<u64>, date| Item {
            sketch: sketch.clone(),
            date,
            site: None,
        };
        let day = 86_400;
        let groups = collapse(&[
            item(&story, Some(10 * day)),
            item(&Vec::new(), None),
            item(&copy, Some(11 * day)),
            item(&Vec::new(), None),
            // The same text a week later is a new story (a daily template).
            item(&copy, Some(17 * day)),
            item(&copy, None),
        ]);
        assert_eq!(
            groups,
            vec![(0, vec![2, 5]), (1, vec![]), (3, vec![]), (4, vec![])]
        );
    }
}
