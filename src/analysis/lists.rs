//! Reading the word lists: comments, blank lines, and user files named by environment variables.

use std::path::PathBuf;

/// A user list that cannot be used.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}: cannot read the word list named by {variable}: {reason}; fix the file or unset {variable}")]
pub struct ListError {
    pub variable: &'static str,
    pub path: PathBuf,
    pub reason: String,
}

/// The meaningful lines of a list: without `#` comments, trimmed, non-empty.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
}

/// The file named by `variable`, if it is set (and not empty).
pub fn user_file(variable: &'static str) -> Result<Option<(PathBuf, String)>, ListError> {
    let Some(value) = std::env::var_os(variable).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    let path = PathBuf::from(value);
    match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some((path, text))),
            Err(_) => Err(ListError {
                variable,
                path,
                reason: "not UTF-8 text".to_string(),
            }),
        },
        Err(error) => Err(ListError {
            variable,
            path,
            reason: error.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_comments_and_blank_lines() {
        let text = "# kepala\n\nsatu # catatan\n  dua  \n";
        assert_eq!(lines(text).collect::<Vec<_>>(), ["satu", "dua"]);
    }
}
