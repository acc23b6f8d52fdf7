//! Normalisation: lowercase, accents folded (é → e), apostrophes dropped (Jum'at → jumat,
//! as it is also spelt), typographic hyphens made plain.

use tantivy::tokenizer::Token;

/// Normalises a token's text in place; never drops a token.
pub fn normalize_token(token: &mut Token) -> bool {
    if needs_work(&token.text) {
        // ASCII without apostrophes only needs lowercasing, in place ("Jakarta").
        if token
            .text
            .bytes()
            .all(|byte| byte.is_ascii() && byte != b'\'' && byte != b'`')
        {
            token.text.make_ascii_lowercase();
        } else {
            token.text = normalize(&token.text);
        }
    }
    true
}

fn needs_work(text: &str) -> bool {
    text.bytes()
        .any(|byte| byte.is_ascii_uppercase() || byte == b'\'' || byte == b'`' || !byte.is_ascii())
}

/// `text` lowercased, accent-folded, without apostrophes.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\'' | '`' | '\u{2019}' | '\u{2018}' | '\u{00ad}' | '\u{200b}' => {}
            '\u{2010}' | '\u{2011}' => out.push('-'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => {
                for lower in c.to_lowercase() {
                    match fold(lower) {
                        Some(folded) => out.push_str(folded),
                        None => out.push(lower),
                    }
                }
            }
        }
    }
    out
}

/// The unaccented form of a lowercase Latin letter.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_folds_and_drops_apostrophes() {
        assert_eq!(normalize("Café"), "cafe");
        assert_eq!(normalize("Jum'at"), "jumat");
        assert_eq!(normalize("Jum\u{2019}at"), "jumat");
        assert_eq!(normalize("SÃO"), "sao");
        assert_eq!(normalize("covid\u{2011}19"), "covid-19");
    }

    #[test]
    fn tokens_normalise_as_their_text_does() {
        for text in [
            "Jakarta",
            "KPK",
            "Jum'at",
            "Café",
            "SÃO",
            "covid\u{2011}19",
            "a`b",
            "x",
        ] {
            let mut token = Token {
                text: text.to_string(),
                ..Token::default()
            };
            assert!(normalize_token(&mut token));
            assert_eq!(token.text, normalize(text), "{text}");
        }
    }

    #[test]
    fn leaves_plain_words_alone() {
        let mut token = Token {
            text: "berita".to_string(),
            ..Token::default()
        };
        assert!(normalize_token(&mut token));
        assert_eq!(token.text, "berita");
    }
}
