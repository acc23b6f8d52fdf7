//! Article text made ready for a template: split into runs, each marked or not, so that the
//! template escapes every run and wraps only the marked ones; and one article found by its id.

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::index::{NewsIndex, StoredArticle};

/// A run of text, highlighted or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub mark: bool,
}

/// `text` cut at the byte ranges `marks` (sorted, not overlapping); a range that is out of
/// order or not on character boundaries is ignored.
pub fn runs(text: &str, marks: &[[usize; 2]]) -> Vec<Run> {
    let mut out = Vec::new();
    let mut at = 0;
    for [start, end] in marks {
        let (Some(before), Some(inside)) = (text.get(at..*start), text.get(*start..*end)) else {
            continue;
        };
        if !before.is_empty() {
            out.push(Run {
                text: before.to_string(),
                mark: false,
            });
        }
        if !inside.is_empty() {
            out.push(Run {
                text: inside.to_string(),
                mark: true,
            });
        }
        at = *end;
    }
    let rest = text.get(at..).unwrap_or_default();
    if !rest.is_empty() {
        out.push(Run {
            text: rest.to_string(),
            mark: false,
        });
    }
    out
}

/// The paragraphs of a body (separated by blank lines), trimmed, empty ones dropped.
pub fn paragraphs(body: &str) -> Vec<&str> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .collect()
}

/// The stored article with id `id`, if the index holds one.
pub fn find_article(news: &NewsIndex, id: &str) -> crate::Result<Option<StoredArticle>> {
    let searcher = news.reader()?.searcher();
    let query = TermQuery::new(
        Term::from_field_text(news.fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(|source| news.error(source))?;
    let Some((_, address)) = top.first() else {
        return Ok(None);
    };
    let document: TantivyDocument = searcher
        .doc(*address)
        .map_err(|source| news.error(source))?;
    Ok(Some(news.to_stored(&document)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_the_text_once() {
        let text = "Banjir besar di Bekasi, banjirnya surut";
        let cut = runs(text, &[[0, 6], [24, 33]]);
        let joined: String = cut.iter().map(|run| run.text.as_str()).collect();
        assert_eq!(joined, text);
        let marked: Vec<&str> = cut
            .iter()
            .filter(|run| run.mark)
            .map(|run| run.text.as_str())
            .collect();
        assert_eq!(marked, vec!["Banjir", "banjirnya"]);
        // A range inside a character or past the end is left out, never a panic.
        let odd = runs("é-x", &[[1, 2], [2, 9]]);
        assert_eq!(
            odd.iter().map(|run| run.text.as_str()).collect::<String>(),
            "é-x"
        );
    }
}
