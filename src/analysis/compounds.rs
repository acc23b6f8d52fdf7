//! Closed compounds: "kerjasama" is indexed as "kerja sama", so both spellings find each other,
//! in phrase queries too.
//!
//! The list ships in `data/compounds.txt`; a user extends it with a file of the same format
//! named by the `NEWSIDX_COMPOUNDS` environment variable.

use std::collections::HashMap;

use once_cell::sync::Lazy;

use super::lists::{self, ListError};

const SHIPPED: &str = include_str!("../../data/compounds.txt");

/// Environment variable naming a user compound file.
pub const COMPOUNDS_ENV: &str = "NEWSIDX_COMPOUNDS";

/// Closed form → its parts.
pub struct Compounds {
    parts: HashMap<String, Vec<String>>,
}

/// The shipped list plus the user's, loaded on first use. A user file that cannot be read is
/// reported by [`super::check_user_lists`]; the shipped list is used meanwhile.
pub static COMPOUNDS: Lazy<(Compounds, Option<ListError>)> = Lazy::new(|| {
    let mut compounds = Compounds::parse(SHIPPED);
    let error = match lists::user_file(COMPOUNDS_ENV) {
        Ok(Some((_, text))) => {
            compounds.extend(Compounds::parse(&text));
            None
        }
        Ok(None) => None,
        Err(error) => Some(error),
    };
    (compounds, error)
});

impl Compounds {
    /// Parses lines of `closed part part...`; lines with fewer than two parts are ignored.
    pub fn parse(text: &str) -> Compounds {
        let mut parts = HashMap::new();
        for line in lists::lines(text) {
            let mut words = line.split_whitespace().map(str::to_lowercase);
            let Some(closed) = words.next() else {
                continue;
            };
            let split: Vec<String> = words.collect();
            if split.len() >= 2 {
                parts.insert(closed, split);
            }
        }
        Compounds { parts }
    }

    fn extend(&mut self, other: Compounds) {
        self.parts.extend(other.parts);
    }

    /// The parts of `closed`, if it is a listed compound.
    pub fn split(&self, closed: &str) -> Option<&[String]> {
        self.parts.get(closed).map(Vec::as_slice)
    }

    /// The closed forms, which the stemmer treats as roots.
    pub fn closed_forms(&self) -> impl Iterator<Item = &String> {
        self.parts.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_closed_forms_and_parts() {
        let compounds = Compounds::parse("# komentar\nKerjasama kerja sama\nsendiri\n\n");
        assert_eq!(
            compounds.split("kerjasama"),
            Some(&["kerja".to_string(), "sama".to_string()][..])
        );
        assert_eq!(compounds.split("sendiri"), None);
    }

    #[test]
    fn shipped_list_has_the_common_compounds() {
        let compounds = &COMPOUNDS.0;
        for closed in ["kerjasama", "tanggungjawab", "sepakbola"] {
            assert!(compounds.split(closed).is_some(), "{closed}");
        }
    }
}
