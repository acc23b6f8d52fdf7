//! Bytes to text: BOMs, declared charsets, and legacy single-byte pages.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Names the binary format when `bytes` is clearly not text.
pub(crate) fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1f\x8b", "gzip archive"),
        (b"RIFF", "RIFF media"),
        (b"\x7fELF", "executable"),
    ];
    for (magic, name) in MAGIC {
        if bytes.starts_with(magic) {
            return Some(name);
        }
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let utf16 = sample.starts_with(b"\xff\xfe") || sample.starts_with(b"\xfe\xff");
    if !utf16 && sample.iter().filter(|&&b| b == 0).count() > 0 {
        return Some("binary data");
    }
    None
}

/// Decodes `bytes`: a BOM wins, then valid UTF-8, then a declared `charset=`, then windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    let encoding = declared_charset(bytes).unwrap_or(WINDOWS_1252);
    let encoding = if encoding == UTF_8 {
        WINDOWS_1252
    } else {
        encoding
    };
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_page_decodes() {
        let bytes = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        assert!(decode(bytes).contains("café"));
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(decode(b"\xef\xbb\xbfhalo"), "halo");
    }

    #[test]
    fn pdf_is_binary() {
        assert_eq!(binary_kind(b"%PDF-1.4 ..."), Some("PDF"));
        assert_eq!(binary_kind(b"teks biasa"), None);
    }
}
