//! The heading an article is shown under: its title, or, for an article exported without one,
//! the first words of its lead, marked as such so nobody takes them for the headline.

/// Words of the lead shown in place of a missing title.
pub const LEAD_WORDS: usize = 12;

/// What to show as an article's heading.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heading {
    /// The title, or the lead's first words (with `…` when the lead goes on).
    pub text: String,
    /// True when the article has no title and `text` is taken from its lead.
    pub from_lead: bool,
}

/// The heading of an article with `title` and `body`.
pub fn heading(title: &str, body: &str) -> Heading {
    let title = title.trim();
    if !title.is_empty() {
        return Heading {
            text: title.to_string(),
            from_lead: false,
        };
    }
    let mut words = body.split_whitespace();
    let mut text = words
        .by_ref()
        .take(LEAD_WORDS)
        .collect::<Vec<_>>()
        .join(" ");
    if words.next().is_some() {
        text.push('…');
    }
    Heading {
        text,
        from_lead: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_the_heading() {
        let shown = heading("  Banjir di Bekasi ", "Hujan deras turun.");
        assert_eq!(shown.text, "Banjir di Bekasi");
        assert!(!shown.from_lead);
    }

    #[test]
    fn without_a_title_the_lead_opens_it() {
        let body = "Hujan deras yang mengguyur sejak Sabtu malam membuat puluhan rumah di \
                    Bekasi terendam air setinggi satu meter.";
        let shown = heading("", body);
        assert!(shown.from_lead);
        assert_eq!(
            shown.text,
            "Hujan deras yang mengguyur sejak Sabtu malam membuat puluhan rumah di Bekasi…"
        );
        let short = heading(" ", "Hanya tiga kata.");
        assert_eq!(short.text, "Hanya tiga kata.");
        assert!(short.from_lead);
    }
}
