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

/// FNV-1a: the analyzer's maps are keyed by short words, where SipHash's setup dominates.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        // Mix the high bits, which hashbrown uses as its tag, with the low ones.
        let hash = self.0 ^ (self.0 >> 29);
        hash.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (hash >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// A `HashSet` hashed with [`Fnv`].
pub type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<Fnv>>;
