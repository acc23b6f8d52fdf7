//! Where the bytes of a newsidx index go: each field's share of the term dictionary, postings,
//! positions, fieldnorms and fast fields, and the document store.
//!
//! ```text
//! cargo run --release --example index_size -- INDEX_FOLDER
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use newsidx::index::NewsIndex;

const PARTS: [&str; 5] = ["termdict", "postings", "positions", "fieldnorms", "fast"];

fn main() -> anyhow::Result<()> {
    let path = PathBuf::from(
        std::env::args()
            .nth(1)
            .context("usage: index_size INDEX_FOLDER")?,
    );
    let news = NewsIndex::open(&path)?;
    let searcher = news.index.reader()?.searcher();
    let usage = searcher.space_usage()?;
    // field -> bytes per part, in PARTS order.
    let mut fields: BTreeMap<String, [u64; 5]> = BTreeMap::new();
    let mut parts = [0u64; 5];
    let (mut store_data, mut store_offsets, mut deletes) = (0u64, 0u64, 0u64);
    for segment in usage.segments() {
        let per_part = [
            segment.termdict(),
            segment.postings(),
            segment.positions(),
            segment.fieldnorms(),
            segment.fast_fields(),
        ];
        for (slot, part) in per_part.into_iter().enumerate() {
            parts[slot] += part.total().get_bytes();
            for field in part.fields() {
                fields.entry(field.field_name().to_string()).or_default()[slot] +=
                    field.total().get_bytes();
            }
        }
        store_data += segment.store().data_usage().get_bytes();
        store_offsets += segment.store().offsets_usage().get_bytes();
        deletes += segment.deletes().get_bytes();
    }
    let total = usage.total().get_bytes();
    let on_disk = newsidx::index::size_on_disk(&news.dir);
    let mib = |bytes: u64| bytes as f64 / 1e6;
    let share = |bytes: u64| 100.0 * bytes as f64 / total.max(1) as f64;
    println!(
        "index {}: {} segments, {} docs, {:.2} MB counted by tantivy, {:.2} MB on disk",
        path.display(),
        usage.segments().len(),
        searcher.num_docs(),
        mib(total),
        mib(on_disk)
    );
    println!(
        "\n| field | {} | total MB | share |",
        PARTS
            .iter()
            .map(|part| format!("{part} MB"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|{}---:|---:|", "---:|".repeat(PARTS.len()));
    let mut rows: Vec<_> = fields.into_iter().collect();
    rows.sort_by_key(|(_, bytes)| std::cmp::Reverse(bytes.iter().sum::<u64>()));
    for (name, bytes) in rows {
        let sum: u64 = bytes.iter().sum();
        println!(
            "| {name} | {} | {:.2} | {:.1}% |",
            bytes
                .iter()
                .map(|b| format!("{:.2}", mib(*b)))
                .collect::<Vec<_>>()
                .join(" | "),
            mib(sum),
            share(sum)
        );
    }
    println!(
        "| (all fields) | {} | {:.2} | {:.1}% |",
        parts
            .iter()
            .map(|b| format!("{:.2}", mib(*b)))
            .collect::<Vec<_>>()
            .join(" | "),
        mib(parts.iter().sum()),
        share(parts.iter().sum())
    );
    println!(
        "\ndocument store: {:.2} MB data + {:.2} MB offsets ({:.1}%); deletes {:.2} MB",
        mib(store_data),
        mib(store_offsets),
        share(store_data + store_offsets),
        mib(deletes)
    );
    Ok(())
}
