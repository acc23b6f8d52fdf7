//! The collector of the first stage's best candidates (see [`super::rank::model`]): by BM25
//! in the requested order, and the count of every match in the same pass.
//!
//! The date of a match is looked up only for date orders: by relevance, once the list is
//! full, an article whose score cannot beat the last kept one is counted and passed by. In a
//! large archive most matches of a common word are passed by so.
//!
//! With [`TopCandidates::prune`], that bound is handed to the query itself, so a plain union of
//! terms skips whole blocks of postings that cannot reach it (block-max WAND); matches are
//! then not counted.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashSet};

use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;

use tantivy::query::Weight;
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::Sort;
use crate::index::columns::SegmentColumns;
#[cfg(doc)]
use crate::index::NewsIndex;

/// One candidate: where it is, its score and its place in the requested order.
#[derive(Clone, Copy, Debug)]
pub struct Found {
    /// Date in seconds for date orders (newest first: the date; oldest first: its negation,
    /// undated last), 0 for every article when ordering by relevance.
    pub order: i64,
    pub score: Score,
    pub address: DocAddress,
}

impl Found {
    /// Requested order first, then score, then index order; `Greater` is better.
    fn rank(&self, other: &Found) -> Ordering {
        self.order
            .cmp(&other.order)
            .then(self.score.total_cmp(&other.score))
            .then(other.address.cmp(&self.address))
    }
}

impl PartialEq for Found {
    fn eq(&self, other: &Found) -> bool {
        self.rank(other) == Ordering::Equal
    }
}

impl Eq for Found {}

impl PartialOrd for Found {
    fn partial_cmp(&self, other: &Found) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Found {
    fn cmp(&self, other: &Found) -> Ordering {
        self.rank(other)
    }
}

/// Puts candidates best first.
pub fn sort_best_first(found: &mut [Found]) {
    found.sort_unstable_by(|a, b| b.cmp(a));
}

/// Collects the best `limit` matches in `sort` order and counts all matches.
pub struct TopCandidates<'a> {
    pub limit: usize,
    pub sort: Sort,
    /// Each segment's columns, in segment order (see [`NewsIndex::columns`]).
    pub columns: &'a [Arc<SegmentColumns>],
    /// Let the query skip what cannot enter the list (by relevance only); the count is then
    /// of the matches seen, not of all.
    pub prune: bool,
    /// Matches to pass by, as if they did not match (already listed elsewhere).
    pub except: &'a HashSet<DocAddress>,
}

impl Collector for TopCandidates<'_> {
    /// The number of matches and the best ones, best first.
    type Fruit = (usize, Vec<Found>);
    type Child = SegmentCandidates;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCandidates> {
        let columns = self.columns.get(segment as usize);
        Ok(SegmentCandidates {
            segment,
            limit: self.limit.max(1),
            sort: self.sort,
            dates: columns.and_then(|columns| columns.dates.clone()),
            except: self
                .except
                .iter()
                .filter(|address| address.segment_ord == segment)
                .map(|address| address.doc_id)
                .collect(),
            count: 0,
            kept: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<(usize, Vec<Found>)> {
        let mut candidates = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        let is_alive = |doc: DocId| alive.is_none_or(|alive| alive.is_alive(doc));
        if self.prune && self.sort == Sort::Relevance {
            weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                if is_alive(doc) {
                    candidates.collect(doc, score);
                }
                candidates.threshold()
            })?;
        } else {
            weight.for_each(reader, &mut |doc, score| {
                if is_alive(doc) {
                    candidates.collect(doc, score);
                }
            })?;
        }
        Ok(candidates.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<(usize, Vec<Found>)>) -> tantivy::Result<Self::Fruit> {
        let count = fruits.iter().map(|(count, _)| count).sum();
        let mut found: Vec<Found> = fruits.into_iter().flat_map(|(_, found)| found).collect();
        sort_best_first(&mut found);
        found.truncate(self.limit.max(1));
        Ok((count, found))
    }
}

/// [`TopCandidates`] in one segment.
pub struct SegmentCandidates {
    segment: SegmentOrdinal,
    limit: usize,
    sort: Sort,
    dates: Option<Column<DateTime>>,
    except: HashSet<DocId>,
    count: usize,
    /// The kept candidates, worst on top.
    kept: BinaryHeap<Reverse<Found>>,
}

impl SegmentCandidates {
    /// The score at or below which a match cannot enter the list.
    fn threshold(&self) -> Score {
        match self.kept.peek() {
            Some(Reverse(worst)) if self.kept.len() >= self.limit => worst.score,
            _ => Score::MIN,
        }
    }

    fn date(&self, doc: DocId) -> Option<i64> {
        self.dates
            .as_ref()
            .and_then(|column| column.first(doc))
            .map(|date| date.into_timestamp_secs())
    }
}

impl SegmentCollector for SegmentCandidates {
    type Fruit = (usize, Vec<Found>);

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.except.contains(&doc) {
            return;
        }
        self.count += 1;
        let full = self.kept.len() >= self.limit;
        // Documents come in index order, so a tie with the worst kept one loses.
        if self.sort == Sort::Relevance && score <= self.threshold() {
            return;
        }
        let order = match self.sort {
            Sort::Relevance => 0,
            Sort::Newest => self.date(doc).unwrap_or(i64::MIN),
            Sort::Oldest => self.date(doc).map_or(i64::MIN, |seconds| -seconds),
        };
        let found = Found {
            order,
            score,
            address: DocAddress::new(self.segment, doc),
        };
        if !full {
            self.kept.push(Reverse(found));
        } else if let Some(mut worst) = self.kept.peek_mut() {
            if found > worst.0 {
                *worst = Reverse(found);
            }
        }
    }

    fn harvest(self) -> (usize, Vec<Found>) {
        let mut found: Vec<Found> = self.kept.into_iter().map(|Reverse(found)| found).collect();
        sort_best_first(&mut found);
        (self.count, found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(order: i64, score: Score, doc: DocId) -> Found {
        Found {
            order,
            score,
            address: DocAddress::new(0, doc),
        }
    }

    fn collector(limit: usize, sort: Sort) -> SegmentCandidates {
        SegmentCandidates {
            segment: 0,
            limit,
            sort,
            dates: None,
            except: HashSet::new(),
            count: 0,
            kept: BinaryHeap::new(),
        }
    }

    #[test]
    fn order_then_score_then_earlier_document() {
        let mut all = vec![
            found(0, 1.0, 3),
            found(5, 0.5, 1),
            found(0, 2.0, 2),
            found(0, 1.0, 0),
        ];
        sort_best_first(&mut all);
        let docs: Vec<DocId> = all.iter().map(|f| f.address.doc_id).collect();
        assert_eq!(docs, vec![1, 2, 0, 3]);
    }

    #[test]
    fn keeps_the_best_and_counts_every_match() {
        let mut segment = collector(2, Sort::Relevance);
        for (doc, score) in [(0, 1.0), (1, 5.0), (2, 0.5), (3, 4.0), (4, 4.0), (5, 9.0)] {
            segment.collect(doc, score);
        }
        let (count, found) = segment.harvest();
        assert_eq!(count, 6);
        let kept: Vec<(DocId, Score)> = found.iter().map(|f| (f.address.doc_id, f.score)).collect();
        assert_eq!(kept, vec![(5, 9.0), (1, 5.0)]);
    }

    #[test]
    fn undated_articles_come_last_in_date_order() {
        let mut segment = collector(3, Sort::Newest);
        segment.collect(0, 9.0);
        segment.collect(1, 1.0);
        let (_, found) = segment.harvest();
        assert!(found.iter().all(|f| f.order == i64::MIN));
        assert_eq!(found[0].address.doc_id, 0);
    }
}
