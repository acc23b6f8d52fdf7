//! The parameters of a search, read from a request's query string with the server's limits.
//!
//! The page and the API take the same names: `q`, `since`, `until`, `source` (repeatable),
//! `sort` (`relevance`, `newest`, `oldest`), `limit`, `offset`, and on the API `facets=1`.
//! Unknown names are ignored; a known one with a bad value is refused with its reason.

use crate::search::filter::DateBound;
use crate::search::{SearchRequest, Sort};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most results one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest page one request may ask for, in results skipped.
pub const MAX_OFFSET: usize = 10_000;
/// Results per request when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// Most `source` filters one request may give.
pub const MAX_SOURCES: usize = 20;
/// Longest article id accepted, in bytes (ids are URLs or corpus paths).
pub const MAX_ID_BYTES: usize = 4_096;

/// A request's search parameters, checked.
#[derive(Clone, Debug, Default)]
pub struct SearchParams {
    pub query: String,
    pub since: Option<(String, DateBound)>,
    pub until: Option<(String, DateBound)>,
    pub sources: Vec<String>,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
    /// True when the request named a query, a filter or an order (not a bare `/cari`).
    pub asked: bool,
}

/// A parameter the server refuses, with the reason shown to the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadParam {
    pub name: &'static str,
    pub reason: String,
}

impl std::fmt::Display for BadParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "parameter {}: {}", self.name, self.reason)
    }
}

/// The name/value pairs of a raw query string, decoded.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// The value of the first parameter `name`, if given.
pub fn first<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

impl SearchParams {
    /// Reads the search parameters of `pairs`.
    pub fn parse(pairs: &[(String, String)]) -> Result<SearchParams, BadParam> {
        let mut params = SearchParams {
            limit: DEFAULT_LIMIT,
            ..SearchParams::default()
        };
        for (name, value) in pairs {
            match name.as_str() {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(bad(
                            "q",
                            format!("longer than {MAX_QUERY_CHARS} characters"),
                        ));
                    }
                    params.asked |= !value.trim().is_empty();
                    params.query = value.trim().to_string();
                }
                "since" | "until" => {
                    let text = value.trim();
                    if text.is_empty() {
                        continue;
                    }
                    if text.len() > 64 {
                        return Err(bad(
                            if name == "since" { "since" } else { "until" },
                            "not a date".to_string(),
                        ));
                    }
                    let bound = DateBound::parse(text).map_err(|reason| {
                        bad(if name == "since" { "since" } else { "until" }, reason)
                    })?;
                    params.asked = true;
                    if name == "since" {
                        params.since = Some((text.to_string(), bound));
                    } else {
                        params.until = Some((text.to_string(), bound));
                    }
                }
                "source" => {
                    let text = value.trim();
                    if text.is_empty() {
                        continue;
                    }
                    if text.chars().count() > MAX_QUERY_CHARS {
                        return Err(bad("source", "too long".to_string()));
                    }
                    if params.sources.len() >= MAX_SOURCES {
                        return Err(bad("source", format!("more than {MAX_SOURCES} sources")));
                    }
                    if !params.sources.iter().any(|known| known == text) {
                        params.sources.push(text.to_string());
                    }
                    params.asked = true;
                }
                "sort" => {
                    params.sort = match value.as_str() {
                        "" | "relevance" => Sort::Relevance,
                        "newest" => Sort::Newest,
                        "oldest" => Sort::Oldest,
                        _ => {
                            return Err(bad("sort", "one of relevance, newest, oldest".to_string()))
                        }
                    };
                }
                "limit" => {
                    params.limit = number("limit", value)?;
                    if params.limit == 0 || params.limit > MAX_LIMIT {
                        return Err(bad("limit", format!("from 1 to {MAX_LIMIT}")));
                    }
                }
                "offset" => {
                    params.offset = number("offset", value)?;
                    if params.offset > MAX_OFFSET {
                        return Err(bad("offset", format!("at most {MAX_OFFSET}")));
                    }
                }
                "facets" => {
                    params.facets = match value.as_str() {
                        "" | "0" | "false" => false,
                        "1" | "true" => true,
                        _ => return Err(bad("facets", "0 or 1".to_string())),
                    };
                }
                _ => {}
            }
        }
        Ok(params)
    }

    /// The library's request for these parameters.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.query.clone(),
            limit: self.limit,
            offset: self.offset,
            since: self.since.as_ref().map(|(_, bound)| *bound),
            until: self.until.as_ref().map(|(_, bound)| *bound),
            sources: self.sources.clone(),
            sort: self.sort,
            ..SearchRequest::default()
        }
    }

    /// The `sort` value of these parameters.
    pub fn sort_name(&self) -> &'static str {
        match self.sort {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }

    /// A query string for these parameters with `offset` and the sources replaced, for links
    /// (paging, a source filter added or taken away).
    pub fn link(&self, offset: usize, sources: &[String]) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        out.append_pair("q", &self.query);
        if let Some((text, _)) = &self.since {
            out.append_pair("since", text);
        }
        if let Some((text, _)) = &self.until {
            out.append_pair("until", text);
        }
        for source in sources {
            out.append_pair("source", source);
        }
        if self.sort != Sort::Relevance {
            out.append_pair("sort", self.sort_name());
        }
        if self.limit != DEFAULT_LIMIT {
            out.append_pair("limit", &self.limit.to_string());
        }
        if offset > 0 {
            out.append_pair("offset", &offset.to_string());
        }
        out.finish()
    }
}

fn bad(name: &'static str, reason: String) -> BadParam {
    BadParam { name, reason }
}

fn number(name: &'static str, value: &str) -> Result<usize, BadParam> {
    value
        .trim()
        .parse::<usize>()
        .map_err(|_| bad(name, format!("{value:?} is not a whole number")))
}

/// Query-string encoding of one value, for links built in templates.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<SearchParams, BadParam> {
        SearchParams::parse(&pairs(Some(raw)))
    }

    #[test]
    fn limits_are_enforced() {
        assert!(parse(&format!("q={}", "a".repeat(MAX_QUERY_CHARS))).is_ok());
        assert_eq!(
            parse(&format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1)))
                .unwrap_err()
                .name,
            "q"
        );
        assert_eq!(parse("limit=101").unwrap_err().name, "limit");
        assert_eq!(parse("limit=0").unwrap_err().name, "limit");
        assert_eq!(parse("limit=x").unwrap_err().name, "limit");
        assert_eq!(parse("offset=10001").unwrap_err().name, "offset");
        assert_eq!(parse("offset=-1").unwrap_err().name, "offset");
        assert_eq!(parse("since=kemarin").unwrap_err().name, "since");
        assert_eq!(parse("sort=random").unwrap_err().name, "sort");
        let ok = parse("q=banjir&limit=100&offset=10000&source=a&source=b&since=2023").unwrap();
        assert_eq!((ok.limit, ok.offset), (100, 10_000));
        assert_eq!(ok.sources, vec!["a", "b"]);
    }

    #[test]
    fn links_keep_the_search() {
        let params = parse("q=banjir+%22rob%22&since=2023&source=kompas.com&sort=newest").unwrap();
        let link = params.link(20, &params.sources);
        let again = parse(&link).unwrap();
        assert_eq!(again.query, "banjir \"rob\"");
        assert_eq!(again.sources, vec!["kompas.com"]);
        assert_eq!(again.offset, 20);
        assert_eq!(again.sort, Sort::Newest);
        assert!(again.since.is_some());
    }
}
