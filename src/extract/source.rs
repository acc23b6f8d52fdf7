//! The outlet a URL names.

/// The outlet name derived from a URL's host: "https://www.kompas.com/x" → "kompas.com".
pub(crate) fn source_from_url(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?.split(':').next()?;
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    if host.contains('.') {
        Some(host.to_ascii_lowercase())
    } else {
        None
    }
}
