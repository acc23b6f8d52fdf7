//! Indonesian or English, told by common function words: many templates declare "en" over
//! Indonesian text, and a plain-text scrape declares nothing.

use super::Words;

/// The languages the guess tells apart.
enum Language {
    Indonesian,
    English,
}

/// Whose common function word `word` is, compared without ASCII case. The words are matched
/// as byte strings (by length, then bytes), not looked up in a list one by one.
fn function_word(word: &str) -> Option<Language> {
    // The longest listed word is "tersebut".
    let mut lower = [0u8; 8];
    let lower = lower.get_mut(..word.len())?;
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    match &*lower {
        b"yang" | b"dan" | b"di" | b"itu" | b"dengan" | b"untuk" | b"dari" | b"ini" | b"tidak"
        | b"dalam" | b"akan" | b"pada" | b"juga" | b"ke" | b"karena" | b"tersebut" => {
            Some(Language::Indonesian)
        }
        b"the" | b"and" | b"of" | b"to" | b"in" | b"is" | b"that" | b"for" | b"with" | b"was"
        | b"on" | b"are" => Some(Language::English),
        _ => None,
    }
}

/// `word` without the characters that are not letters or digits at either end.
pub(super) fn trim_to_alphanumeric(word: &str) -> &str {
    // A word that starts and ends with an ASCII letter or digit has nothing to trim.
    let bytes = word.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    {
        return word;
    }
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

/// "id" or "en" from common function words, when the text says enough to tell.
pub(crate) fn guess_language(text: &str) -> Option<String> {
    let mut indonesian = 0usize;
    let mut english = 0usize;
    for word in text.words().take(2000) {
        let word = trim_to_alphanumeric(word);
        match function_word(word) {
            Some(Language::Indonesian) => indonesian += 1,
            Some(Language::English) => english += 1,
            None => {}
        }
    }
    if indonesian + english < 3 {
        return None;
    }
    Some(if indonesian >= english { "id" } else { "en" }.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_are_matched_without_ascii_case_only() {
        assert!(matches!(function_word("YANG"), Some(Language::Indonesian)));
        assert!(matches!(
            function_word("Tersebut"),
            Some(Language::Indonesian)
        ));
        assert!(matches!(function_word("The"), Some(Language::English)));
        for other in ["", "tersebutlah", "yan", "thé", "dі"] {
            assert!(function_word(other).is_none(), "{other}");
        }
        assert_eq!(
            guess_language("Dia bilang, yang itu dari Bogor.").as_deref(),
            Some("id")
        );
        assert_eq!(
            guess_language("The mayor said that the road is closed.").as_deref(),
            Some("en")
        );
        assert_eq!(guess_language("Banjir, banjir lagi."), None);
    }
}
