//! Search: parse a query, rank the articles, and cut snippets with the matched words marked.

use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::snippet::SnippetGenerator;
use tantivy::TantivyDocument;

use crate::error::Result;
use crate::index::NewsIndex;

/// One search as asked for.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
}

/// A passage of a field with the byte ranges of its highlighted words.
#[derive(Clone, Debug, Serialize)]
pub struct Snippet {
    pub field: String,
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

/// One ranked article.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub byline: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub path: String,
    pub snippets: Vec<Snippet>,
}

/// The answer to a [`SearchRequest`].
#[derive(Clone, Debug, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
}

/// Runs `request` against `news`.
pub fn search(news: &NewsIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let fields = news.fields;
    let reader = news.index.reader().map_err(|source| news.error(source))?;
    let searcher = reader.searcher();
    let mut parser = QueryParser::for_index(
        &news.index,
        vec![fields.title, fields.body, fields.captions, fields.byline],
    );
    parser.set_field_boost(fields.title, 3.0);
    let (query, _errors) = parser.parse_query_lenient(&request.query);
    let collector = TopDocs::with_limit(request.limit.max(1))
        .and_offset(request.offset)
        .order_by_score();
    let (top, total) = searcher
        .search(&query, &(collector, Count))
        .map_err(|source| news.error(source))?;
    let generators: Vec<(String, SnippetGenerator)> =
        [("body", fields.body), ("captions", fields.captions)]
            .into_iter()
            .filter_map(|(name, field)| {
                SnippetGenerator::create(&searcher, &*query, field)
                    .ok()
                    .map(|mut generator| {
                        generator.set_max_num_chars(240);
                        (name.to_string(), generator)
                    })
            })
            .collect();
    let mut hits = Vec::new();
    for (at, (score, address)) in top.into_iter().take(request.limit).enumerate() {
        let document: TantivyDocument =
            searcher.doc(address).map_err(|source| news.error(source))?;
        let stored = news.to_stored(&document);
        let mut snippets = Vec::new();
        for (name, generator) in &generators {
            let snippet = generator.snippet_from_doc(&document);
            if snippet.is_empty() {
                continue;
            }
            snippets.push(Snippet {
                field: name.clone(),
                text: snippet.fragment().to_string(),
                highlights: snippet
                    .highlighted()
                    .iter()
                    .map(|range| [range.start, range.end])
                    .collect(),
            });
        }
        if snippets.is_empty() {
            let lead: String = stored.body.chars().take(240).collect();
            snippets.push(Snippet {
                field: "body".to_string(),
                text: lead,
                highlights: Vec::new(),
            });
        }
        hits.push(Hit {
            rank: request.offset + at + 1,
            score,
            id: stored.id,
            title: stored.title,
            date: stored.date.map(|date| date.to_rfc3339()),
            byline: stored.byline,
            source: stored.source,
            url: stored.url,
            path: stored.path,
            snippets,
        });
    }
    Ok(SearchResults {
        query: request.query.clone(),
        total,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
    })
}
