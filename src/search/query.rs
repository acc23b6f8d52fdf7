//! The query language: plain words, "quoted phrases", `-exclusion`, `OR`, parentheses and the
//! fields `title:`, `byline:`, `source:` and `caption:`.
//!
//! Parsing never fails: a malformed query (an unclosed quote or parenthesis, a lone `-`, a
//! dangling `OR`) is read as well as it can be, and what was set aside is listed in
//! [`ParsedQuery::notes`].
//!
//! Plain words and quoted phrases are optional clauses (articles with all of them rank first);
//! field clauses and `+` are required; `-` excludes.
//!
//! ```
//! use newsidx::search::query::{parse, Node, Occur};
//! let parsed = parse(r#"banjir "kerja sama" -jakarta"#);
//! assert_eq!(parsed.clauses.len(), 3);
//! assert_eq!(parsed.clauses[2].occur, Occur::MustNot);
//! assert!(matches!(&parsed.clauses[1].node, Node::Phrase { text, .. } if text == "kerja sama"));
//! ```

/// A field a query word can be limited to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryField {
    Title,
    Byline,
    Source,
    Caption,
}

impl QueryField {
    /// The field for a `name:` prefix, English or Indonesian.
    pub fn from_name(name: &str) -> Option<QueryField> {
        match name.to_lowercase().as_str() {
            "title" | "judul" => Some(QueryField::Title),
            "byline" | "author" | "penulis" => Some(QueryField::Byline),
            "source" | "sumber" | "site" => Some(QueryField::Source),
            "caption" | "captions" | "keterangan" => Some(QueryField::Caption),
            _ => None,
        }
    }
}

/// How a clause takes part in the match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occur {
    /// Counts towards the score; documents with more of these rank higher.
    Should,
    /// Every result has it (fields, `+word`).
    Must,
    /// No result has it (`-word`).
    MustNot,
}

/// One part of a query.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A plain word: matched through the analyzer, so every inflection counts.
    Word {
        field: Option<QueryField>,
        text: String,
    },
    /// A quoted phrase: these words, in this order.
    Phrase {
        field: Option<QueryField>,
        text: String,
    },
    /// Any one of the alternatives (`a OR b`).
    Or(Vec<Node>),
    /// A parenthesised sub-query.
    Group(Vec<Clause>),
}

/// A node with how it must occur.
#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub occur: Occur,
    pub node: Node,
}

/// A parsed query and what was set aside while reading it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Field(QueryField),
    Open,
    Close,
    Minus,
    Plus,
    Or,
}

/// Words above which a query is read as pasted prose, whose dashes and brackets are
/// punctuation ("Mutiara Hitam -julukan Persipura- melawat", "akun Instagram -nya",
/// "Komisi Pemberantasan Korupsi (KPK)"), not exclusions and groups.
pub const PROSE_WORDS: usize = 15;

/// Clitics that scraped text writes apart from their word ("Instagram -nya").
const CLITICS: &[&str] = &["nya", "lah", "kah", "tah", "pun", "ku", "mu"];

/// Parses `text`; never fails.
pub fn parse(text: &str) -> ParsedQuery {
    let mut notes = Vec::new();
    let prose = text.split_whitespace().count() > PROSE_WORDS;
    let tokens = lex(text, prose, &mut notes);
    let mut parser = Parser {
        tokens,
        at: 0,
        notes,
    };
    let clauses = parser.sequence(None, 0);
    ParsedQuery {
        clauses,
        notes: parser.notes,
    }
}

fn lex(text: &str, prose: bool, notes: &mut Vec<String>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        match c {
            '"' | '“' | '”' => {
                chars.next();
                let mut phrase = String::new();
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if matches!(c, '"' | '“' | '”') {
                        closed = true;
                        break;
                    }
                    phrase.push(c);
                }
                if !closed {
                    notes.push("unclosed quote: read to the end of the query".to_string());
                }
                tokens.push(Token::Quoted(phrase));
            }
            // Pasted prose writes "Komisi Pemberantasan Korupsi (KPK)": brackets there are
            // punctuation, not groups.
            '(' | ')' if prose => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            // A sign is an operator only where a word could start: after a space, `(` or at
            // the start. "(Cagub)-Cawagub" is prose, not an exclusion.
            '-' | '+' if prose || !starts_word(text, start) || before_clitic(text, start) => {
                chars.next();
            }
            '-' | '+' => {
                chars.next();
                let followed = chars
                    .peek()
                    .is_some_and(|&(_, next)| !next.is_whitespace() && next != ')');
                if followed {
                    tokens.push(if c == '-' { Token::Minus } else { Token::Plus });
                } else {
                    notes.push(format!("lone `{c}` ignored"));
                }
            }
            _ => {
                let mut end = start;
                while let Some(&(at, c)) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '"' | '“' | '”' | '(' | ')') {
                        break;
                    }
                    end = at + c.len_utf8();
                    chars.next();
                }
                let word = &text[start..end];
                tokens.extend(word_tokens(word));
            }
        }
    }
    tokens
}

/// Whether the sign at `at` only joins a clitic to the word before it ("Instagram -nya").
fn before_clitic(text: &str, at: usize) -> bool {
    let rest = &text[at + 1..];
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    at > 0 && CLITICS.contains(&word.to_lowercase().as_str())
}

fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|before| before.is_whitespace() || before == '(')
}

/// A bare word, `OR`, or `field:rest`.
fn word_tokens(word: &str) -> Vec<Token> {
    if word == "OR" || word == "||" {
        return vec![Token::Or];
    }
    if let Some((name, rest)) = word.split_once(':') {
        if let Some(field) = QueryField::from_name(name) {
            let mut tokens = vec![Token::Field(field)];
            if !rest.is_empty() {
                tokens.push(Token::Word(rest.to_string()));
            }
            return tokens;
        }
    }
    vec![Token::Word(word.to_string())]
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    notes: Vec<String>,
}

/// Deeper nesting than this is read flat, so a hostile query cannot exhaust the stack.
const MAX_DEPTH: usize = 32;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn bump(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    /// Clauses up to the end, or to the `)` closing the group at `depth` > 0.
    fn sequence(&mut self, field: Option<QueryField>, depth: usize) -> Vec<Clause> {
        let mut clauses = Vec::new();
        while let Some(token) = self.peek() {
            match token {
                Token::Close if depth > 0 => break,
                Token::Close => {
                    self.notes.push("unmatched `)` ignored".to_string());
                    self.at += 1;
                }
                Token::Or => {
                    self.notes
                        .push("`OR` with nothing before it ignored".to_string());
                    self.at += 1;
                }
                _ => {
                    if let Some(clause) = self.clause(field, depth) {
                        clauses.push(clause);
                    }
                }
            }
        }
        clauses
    }

    fn clause(&mut self, field: Option<QueryField>, depth: usize) -> Option<Clause> {
        let mut explicit = None;
        while let Some(token @ (Token::Minus | Token::Plus)) = self.peek() {
            explicit = Some(if *token == Token::Minus {
                Occur::MustNot
            } else {
                Occur::Must
            });
            self.at += 1;
        }
        let mut alternatives = Vec::new();
        if let Some(node) = self.primary(field, depth) {
            alternatives.push(node);
        }
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            // `a OR -b` has no clear meaning; read it as `a OR b`.
            while matches!(self.peek(), Some(Token::Minus | Token::Plus)) {
                self.at += 1;
            }
            match self.primary(field, depth) {
                Some(node) => alternatives.push(node),
                None => self
                    .notes
                    .push("`OR` with nothing after it ignored".to_string()),
            }
        }
        let node = match alternatives.len() {
            0 => return None,
            1 => alternatives.pop()?,
            _ => Node::Or(alternatives),
        };
        let occur = explicit.unwrap_or(match &node {
            Node::Word { field: Some(_), .. } | Node::Phrase { field: Some(_), .. } => Occur::Must,
            _ => Occur::Should,
        });
        Some(Clause { occur, node })
    }

    fn primary(&mut self, field: Option<QueryField>, depth: usize) -> Option<Node> {
        let mut field = field;
        loop {
            match self.peek()? {
                Token::Close | Token::Or => return None,
                Token::Word(_) | Token::Quoted(_) => break,
                Token::Field(inner) => field = Some(*inner),
                // A sign inside `a OR -b` or `title:-x`: read as the bare word.
                Token::Minus | Token::Plus => {}
                Token::Open if depth >= MAX_DEPTH => {}
                Token::Open => break,
            }
            self.at += 1;
        }
        match self.bump()? {
            Token::Word(text) => Some(Node::Word { field, text }),
            Token::Quoted(text) => Some(Node::Phrase { field, text }),
            _ => {
                let clauses = self.sequence(field, depth + 1);
                if self.peek() == Some(&Token::Close) {
                    self.at += 1;
                } else {
                    self.notes
                        .push("unclosed `(`: read to the end of the query".to_string());
                }
                if clauses.is_empty() {
                    None
                } else {
                    Some(Node::Group(clauses))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Node {
        Node::Word {
            field: None,
            text: text.to_string(),
        }
    }

    fn should(node: Node) -> Clause {
        Clause {
            occur: Occur::Should,
            node,
        }
    }

    /// Whether every clause of `parsed` is optional: no sign was read as an operator.
    fn all_should(parsed: &ParsedQuery) -> bool {
        parsed
            .clauses
            .iter()
            .all(|clause| clause.occur == Occur::Should)
    }

    #[test]
    fn plain_words_are_optional_clauses() {
        let parsed = parse("kerja sama  militer");
        assert_eq!(
            parsed.clauses,
            vec![
                should(word("kerja")),
                should(word("sama")),
                should(word("militer"))
            ]
        );
        assert!(parsed.notes.is_empty());
    }

    #[test]
    fn fields_are_required_phrases_optional() {
        let parsed = parse(r#""bekerja sama" title:banjir source:kompas.com +"a b""#);
        let occurs: Vec<Occur> = parsed.clauses.iter().map(|clause| clause.occur).collect();
        assert_eq!(
            occurs,
            [Occur::Should, Occur::Must, Occur::Must, Occur::Must]
        );
        assert_eq!(
            parsed.clauses[1].node,
            Node::Word {
                field: Some(QueryField::Title),
                text: "banjir".to_string()
            }
        );
        assert_eq!(
            parsed.clauses[2].node,
            Node::Word {
                field: Some(QueryField::Source),
                text: "kompas.com".to_string()
            }
        );
    }

    #[test]
    fn exclusion_and_or() {
        let parsed = parse("banjir OR longsor -jakarta");
        assert_eq!(
            parsed.clauses,
            vec![
                should(Node::Or(vec![word("banjir"), word("longsor")])),
                Clause {
                    occur: Occur::MustNot,
                    node: word("jakarta")
                }
            ]
        );
    }

    #[test]
    fn a_clitic_written_apart_is_not_an_exclusion() {
        let parsed = parse("akun Instagram -nya");
        assert!(all_should(&parsed));
        assert_eq!(parsed.clauses[2], should(word("nya")));
        // A real exclusion still excludes.
        let parsed = parse("akun Instagram -nyanyian");
        assert_eq!(parsed.clauses[2].occur, Occur::MustNot);
    }

    #[test]
    fn signs_in_pasted_prose_are_punctuation() {
        let prose = "Cedera ini memaksanya absen ketika Mutiara Hitam -julukan Persipura - melawat ke markas Arema FC pada hari Minggu lalu";
        let parsed = parse(prose);
        assert!(all_should(&parsed));
        assert!(parsed.clauses.contains(&should(word("julukan"))));
        // A short query keeps its operators.
        let parsed = parse("Mutiara Hitam -julukan");
        assert_eq!(parsed.clauses[2].occur, Occur::MustNot);
    }

    #[test]
    fn brackets_in_pasted_prose_are_punctuation() {
        let prose = "Komisi Pemberantasan Korupsi (KPK) meminta kepada masyarakat agar lebih \
            berhati-hati terhadap oknum yang mengatasnamakan KPK untuk meminta uang";
        let parsed = parse(prose);
        assert!(parsed.clauses.contains(&should(word("KPK"))));
        assert!(!parsed
            .clauses
            .iter()
            .any(|clause| matches!(clause.node, Node::Group(_))));
        // A short query keeps its groups.
        let parsed = parse("(banjir OR longsor) bogor");
        assert!(matches!(parsed.clauses[0].node, Node::Group(_)));
    }

    #[test]
    fn parentheses_group_and_carry_the_field() {
        let parsed = parse("title:(banjir OR longsor) bogor");
        let expected = Node::Group(vec![should(Node::Or(vec![
            Node::Word {
                field: Some(QueryField::Title),
                text: "banjir".to_string(),
            },
            Node::Word {
                field: Some(QueryField::Title),
                text: "longsor".to_string(),
            },
        ]))]);
        assert_eq!(parsed.clauses[0].node, expected);
        assert_eq!(parsed.clauses[1], should(word("bogor")));
    }

    #[test]
    fn field_phrase() {
        let parsed = parse(r#"caption:"presiden jokowi""#);
        assert_eq!(
            parsed.clauses[0].node,
            Node::Phrase {
                field: Some(QueryField::Caption),
                text: "presiden jokowi".to_string()
            }
        );
    }

    #[test]
    fn malformed_queries_are_read_leniently() {
        let parsed = parse(r#"- "kerja sama"#);
        assert_eq!(parsed.clauses.len(), 1);
        assert_eq!(
            parsed.clauses[0].node,
            Node::Phrase {
                field: None,
                text: "kerja sama".to_string()
            }
        );
        assert_eq!(parsed.notes.len(), 2, "{:?}", parsed.notes);

        let parsed = parse("(banjir OR ) ) OR");
        assert_eq!(
            parsed.clauses,
            vec![should(Node::Group(vec![should(word("banjir"))]))]
        );
        assert_eq!(parsed.notes.len(), 3, "{:?}", parsed.notes);

        assert!(parse("").clauses.is_empty());
        assert!(parse("  -  ( ) ").clauses.is_empty());
        assert_eq!(parse("((((banjir").clauses.len(), 1);
    }

    #[test]
    fn unknown_field_prefix_is_a_word() {
        let parsed = parse("pukul 10:30 jam:malam");
        assert_eq!(parsed.clauses[1], should(word("10:30")));
        assert_eq!(parsed.clauses[2], should(word("jam:malam")));
    }

    #[test]
    fn hyphenated_words_keep_their_hyphen() {
        let parsed = parse("Prabowo-Gibran -x");
        assert_eq!(parsed.clauses[0], should(word("Prabowo-Gibran")));
        assert_eq!(parsed.clauses[1].occur, Occur::MustNot);
    }

    #[test]
    fn a_sign_after_a_word_is_prose() {
        let parsed = parse("(Cagub)-Cawagub \"Mean Girls\"-nya");
        assert!(all_should(&parsed));
        assert_eq!(parsed.clauses[1], should(word("Cawagub")));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let query = "(".repeat(10_000) + "banjir" + &")".repeat(10_000);
        let parsed = parse(&query);
        assert_eq!(parsed.clauses.len(), 1);
    }
}
