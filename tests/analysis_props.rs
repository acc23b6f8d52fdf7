//! Properties of the analyzer on arbitrary text: it never panics, offsets are valid byte
//! ranges of the input, and positions only go forward.

use newsidx::analysis;
use proptest::prelude::*;

fn check(text: &str, mut analyzer: tantivy::tokenizer::TextAnalyzer) {
    let mut stream = analyzer.token_stream(text);
    let mut last_position: Option<usize> = None;
    while let Some(token) = stream.next() {
        assert!(token.offset_from < token.offset_to, "empty token {token:?}");
        assert!(
            text.get(token.offset_from..token.offset_to).is_some(),
            "offsets {token:?}"
        );
        assert!(!token.text.is_empty());
        if let Some(last) = last_position {
            assert!(
                token.position > last,
                "position {} after {last}",
                token.position
            );
        }
        last_position = Some(token.position);
    }
}

proptest! {
    #[test]
    fn any_text(text in "\\PC{0,80}") {
        check(&text, analysis::indonesian());
        check(&text, analysis::indonesian_words());
    }

    #[test]
    fn news_like_text(text in "([A-Za-zéÉ'’.,@:/-]{1,12}|[0-9.,]{1,8}|A\\.S\\.|[ \n]){0,30}") {
        check(&text, analysis::indonesian());
        check(&text, analysis::indonesian_words());
    }

    #[test]
    fn stems_are_never_longer_than_the_word(word in "(me|pe|ber|di|ke|ter|per|se){0,3}[a-z]{2,8}(kan|an|i)?(nya|ku|mu)?(lah|kah|pun)?") {
        let stem = analysis::stem(&word);
        prop_assert!(!stem.is_empty());
        prop_assert!(stem.len() <= word.len() + 1, "{word} -> {stem}");
    }
}
