//! The query language: plain words, "quoted phrases", `-exclusion`, `OR`, parentheses and the
//! fields `title:`, `byline:`, `source:` and `caption:`.
//!
//! Parsing never fails: a malformed query (an unclosed quote or parenthesis, a lone `-`, a
//! dangling `OR`) is read as well as it can be, and what was set aside is listed in
//! [`ParsedQuery::notes`].
//!
//! Plain words and quoted phrases are optional clauses (how much each adds is the ranking
//! model's business, `search/rank/model.rs`);
//! field clauses and `+` are required; `-` excludes.
//!
//! A query's cost is bounded whatever its length: a clause repeated word for word is read once,
//! and words past [`MAX_QUERY_WORDS`] distinct ones are left out, with one note saying so. Notes
//! that repeat (9,968 unmatched `)`) are given once, with their count.
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

/// Most words a query is read for, counted once each and inside phrases too; the rest of a
/// longer query is left out, with a note. Every word costs a lookup in four fields and
/// proximity boosts with its neighbours, so an unbounded query (a pasted page, a word cycled
/// thousands of times) took seconds. At 100,000 articles 32 distinct words take about half the
/// time of 64; pasted summaries (up to 60 distinct words besides stopwords) lose 0.006 nDCG@10
/// finding their article when cut to 32, and 0.011 when cut to 24.
pub const MAX_QUERY_WORDS: usize = 32;

/// Most quoted phrases a query is read for; the rest are left out, with a note. A phrase is
/// matched through the positions of its words, stopwords included ("yang dan"), so each costs
/// as much as its most common words' postings with their positions: at a million articles,
/// thirty phrases of common words took seconds, four about as long as a plain query.
pub const MAX_PHRASES: usize = 4;

/// Parses `text`; never fails.
pub fn parse(text: &str) -> ParsedQuery {
    let mut notes = Vec::new();
    let prose = text.split_whitespace().count() > PROSE_WORDS;
    let tokens = lex(text, prose, &mut notes);
    let mut parser = Parser {
        tokens,
        at: 0,
        notes,
        flattened: 0,
    };
    let clauses = parser.sequence(None, 0);
    let mut notes = parser.notes;
    let mut budget = Budget {
        left: MAX_QUERY_WORDS,
        cut: false,
        phrases_left: MAX_PHRASES,
        phrases_cut: false,
    };
    let clauses = budget.clauses(clauses);
    if budget.cut {
        notes.push(format!(
            "the query has more than {MAX_QUERY_WORDS} distinct words: the words after the \
             first {MAX_QUERY_WORDS} were left out"
        ));
    }
    if budget.phrases_cut {
        notes.push(format!(
            "the query has more than {MAX_PHRASES} quoted phrases: the phrases after the first \
             {MAX_PHRASES} were left out"
        ));
    }
    ParsedQuery {
        clauses,
        notes: summarise(notes),
    }
}

/// Each distinct note once, in order of first appearance, with how often it came.
fn summarise(notes: Vec<String>) -> Vec<String> {
    let mut counted: Vec<(String, usize)> = Vec::new();
    for note in notes {
        match counted.iter_mut().find(|(seen, _)| *seen == note) {
            Some((_, count)) => *count += 1,
            None => counted.push((note, 1)),
        }
    }
    counted
        .into_iter()
        .map(|(note, count)| match count {
            1 => note,
            count => format!("{note} ({count} times)"),
        })
        .collect()
}

/// What is left of [`MAX_QUERY_WORDS`] while the parsed clauses are walked in order.
struct Budget {
    left: usize,
    /// True once something was left out.
    cut: bool,
    /// What is left of [`MAX_PHRASES`].
    phrases_left: usize,
    /// True once a phrase was left out for it.
    phrases_cut: bool,
}

impl Budget {
    /// `clauses` without repeats, as far as the budget reaches.
    fn clauses(&mut self, clauses: Vec<Clause>) -> Vec<Clause> {
        let mut kept: Vec<Clause> = Vec::new();
        for clause in clauses {
            if kept.iter().any(|earlier| same_clause(earlier, &clause)) {
                continue;
            }
            if self.left == 0 {
                self.cut = true;
                break;
            }
            if let Some(node) = self.node(clause.node) {
                kept.push(Clause {
                    occur: clause.occur,
                    node,
                });
            }
        }
        kept
    }

    fn node(&mut self, node: Node) -> Option<Node> {
        match node {
            Node::Word { field, text } => {
                let text = self.words(&text)?;
                Some(Node::Word { field, text })
            }
            Node::Phrase { field, text } => {
                if self.phrases_left == 0 {
                    self.phrases_cut = true;
                    return None;
                }
                let text = self.words(&text)?;
                self.phrases_left -= 1;
                Some(Node::Phrase { field, text })
            }
            Node::Or(alternatives) => {
                let mut kept = Vec::new();
                for alternative in alternatives {
                    if kept.contains(&alternative) {
                        continue;
                    }
                    if self.left == 0 {
                        self.cut = true;
                        break;
                    }
                    kept.extend(self.node(alternative));
                }
                match kept.len() {
                    0 => None,
                    1 => kept.pop(),
                    _ => Some(Node::Or(kept)),
                }
            }
            Node::Group(clauses) => {
                let clauses = self.clauses(clauses);
                (!clauses.is_empty()).then_some(Node::Group(clauses))
            }
        }
    }

    /// `text` as far as the budget reaches, counting each run of letters and digits as a
    /// word (the analyzer makes at most that many terms of it, compounds apart). An empty
    /// text (a field with nothing after it) costs nothing and is kept.
    fn words(&mut self, text: &str) -> Option<String> {
        let mut words = 0;
        let mut inside = false;
        for (at, c) in text.char_indices() {
            let alphanumeric = c.is_alphanumeric();
            if alphanumeric && !inside {
                if words == self.left {
                    self.cut = true;
                    self.left = 0;
                    let kept = text[..at].trim_end_matches(|c: char| !c.is_alphanumeric());
                    return (!kept.is_empty()).then(|| kept.to_string());
                }
                words += 1;
            }
            inside = alphanumeric;
        }
        // A word of punctuation alone still takes a place.
        self.left -= words.max(usize::from(!text.is_empty())).min(self.left);
        Some(text.to_string())
    }
}

/// Whether two clauses ask for the same thing (words compared without regard to case).
fn same_clause(a: &Clause, b: &Clause) -> bool {
    a.occur == b.occur && same_node(&a.node, &b.node)
}

fn same_node(a: &Node, b: &Node) -> bool {
    match (a, b) {
        (
            Node::Word {
                field: field_a,
                text: a,
            },
            Node::Word {
                field: field_b,
                text: b,
            },
        )
        | (
            Node::Phrase {
                field: field_a,
                text: a,
            },
            Node::Phrase {
                field: field_b,
                text: b,
            },
        ) => field_a == field_b && a.to_lowercase() == b.to_lowercase(),
        (Node::Or(a), Node::Or(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_node(a, b))
        }
        (Node::Group(a), Node::Group(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_clause(a, b))
        }
        _ => false,
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

/// The name a field is written with in a query.
fn field_name(field: QueryField) -> &'static str {
    match field {
        QueryField::Title => "title",
        QueryField::Byline => "byline",
        QueryField::Source => "source",
        QueryField::Caption => "caption",
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    notes: Vec<String>,
    /// `(` read flat past [`MAX_DEPTH`] whose `)` is still to come: that `)` is dropped too.
    flattened: usize,
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
                Token::Close if self.flattened > 0 => {
                    self.flattened -= 1;
                    self.at += 1;
                }
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
        let mut named = None;
        let node = self.primary_inner(field, depth, &mut named);
        match (node, named) {
            (Some(node), _) => Some(node),
            // `title:` with nothing after it limits nothing to the title: it must not match
            // every article, as a query with no clause at all does.
            (None, Some(field)) => {
                self.notes.push(format!(
                    "`{}:` with nothing after it matches nothing",
                    field_name(field)
                ));
                Some(Node::Word {
                    field: Some(field),
                    text: String::new(),
                })
            }
            (None, None) => None,
        }
    }

    /// A word, phrase or group; `named` is set to the field a `field:` prefix named.
    fn primary_inner(
        &mut self,
        field: Option<QueryField>,
        depth: usize,
        named: &mut Option<QueryField>,
    ) -> Option<Node> {
        let mut field = field;
        loop {
            match self.peek()? {
                Token::Close | Token::Or => return None,
                Token::Word(_) | Token::Quoted(_) => break,
                Token::Field(inner) => {
                    field = Some(*inner);
                    *named = Some(*inner);
                }
                // A sign inside `a OR -b` or `title:-x`: read as the bare word.
                Token::Minus | Token::Plus => {}
                Token::Open if depth >= MAX_DEPTH => {
                    self.flattened += 1;
                    let note =
                        format!("parentheses nested deeper than {MAX_DEPTH} levels read flat");
                    if !self.notes.contains(&note) {
                        self.notes.push(note);
                    }
                }
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

    #[test]
    fn deep_balanced_nesting_gives_one_note() {
        let query = "(".repeat(10_000) + "banjir" + &")".repeat(10_000);
        let parsed = parse(&query);
        assert_eq!(parsed.notes.len(), 1, "{:?}", parsed.notes);
        // A `)` with no `(` at all is still noted, once with its count.
        let parsed = parse("banjir ))))");
        assert_eq!(parsed.notes, ["unmatched `)` ignored (4 times)"]);
    }

    /// Every word and phrase of `clauses`, in order.
    fn leaves(clauses: &[Clause]) -> Vec<&Node> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
            match node {
                Node::Or(nodes) => nodes.iter().for_each(|node| walk(node, out)),
                Node::Group(clauses) => clauses.iter().for_each(|clause| walk(&clause.node, out)),
                leaf => out.push(leaf),
            }
        }
        let mut out = Vec::new();
        clauses
            .iter()
            .for_each(|clause| walk(&clause.node, &mut out));
        out
    }

    #[test]
    fn repeated_words_are_read_once() {
        let words = [
            "banjir", "jakarta", "presiden", "kerja", "sama", "militer", "ekonomi", "harga",
            "beras", "polisi", "gempa", "sekolah", "rumah", "sakit",
        ];
        let query: Vec<&str> = (0..3_200).map(|at| words[at % words.len()]).collect();
        let parsed = parse(&query.join(" "));
        assert_eq!(parsed.clauses.len(), words.len());
        assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
        // Case does not make a word new; signs in short queries still count apart.
        let parsed = parse("+Banjir +banjir BANJIR -banjir");
        assert_eq!(parsed.clauses.len(), 3);
        let parsed = parse("(banjir OR banjir) OR longsor");
        assert_eq!(leaves(&parsed.clauses).len(), 2);
    }

    #[test]
    fn distinct_words_past_the_cap_are_left_out_with_one_note() {
        let query: Vec<String> = (0..1_000).map(|at| format!("kata{at}")).collect();
        let parsed = parse(&query.join(" "));
        assert_eq!(parsed.clauses.len(), MAX_QUERY_WORDS);
        assert_eq!(parsed.notes.len(), 1, "{:?}", parsed.notes);
        assert!(parsed.notes[0].contains(&MAX_QUERY_WORDS.to_string()));

        let plus: Vec<String> = (0..5_000).map(|at| format!("+kata{at}")).collect();
        assert_eq!(parse(&plus.join(" ")).clauses.len(), MAX_QUERY_WORDS);

        // A long phrase keeps its first words; one word of many parts counts each part.
        let parsed = parse(&format!("\"{}\"", query.join(" ")));
        let [Node::Phrase { text, .. }] = leaves(&parsed.clauses)[..] else {
            panic!("{parsed:?}");
        };
        assert_eq!(text.split_whitespace().count(), MAX_QUERY_WORDS);
        let parsed = parse(&query.join("/"));
        let [Node::Word { text, .. }] = leaves(&parsed.clauses)[..] else {
            panic!("{parsed:?}");
        };
        assert_eq!(text.split('/').count(), MAX_QUERY_WORDS);

        // Groups and alternatives share the one budget.
        let ors: Vec<String> = (0..200).map(|at| format!("(a{at} OR b{at})")).collect();
        let parsed = parse(&ors.join(" "));
        assert_eq!(leaves(&parsed.clauses).len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn phrases_past_the_cap_are_left_out_with_one_note() {
        let phrases: Vec<String> = (0..30).map(|at| format!("\"yang dan{at}\"")).collect();
        let parsed = parse(&phrases.join(" "));
        let kept: Vec<&Node> = leaves(&parsed.clauses);
        assert_eq!(kept.len(), MAX_PHRASES);
        assert!(kept.iter().all(|node| matches!(node, Node::Phrase { .. })));
        assert_eq!(parsed.notes.len(), 1, "{:?}", parsed.notes);
        assert!(parsed.notes[0].contains("quoted phrases"));
        // Plain words beside them are kept; a repeated phrase is one.
        let parsed = parse("\"kerja sama\" \"kerja sama\" militer");
        assert_eq!(leaves(&parsed.clauses).len(), 2);
        assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
    }

    #[test]
    fn a_field_with_nothing_after_it_matches_nothing() {
        for query in ["title:", "title:()", "judul: "] {
            let parsed = parse(query);
            assert_eq!(
                parsed.clauses,
                vec![Clause {
                    occur: Occur::Must,
                    node: Node::Word {
                        field: Some(QueryField::Title),
                        text: String::new()
                    }
                }],
                "{query}"
            );
            assert_eq!(parsed.notes.len(), 1, "{query}: {:?}", parsed.notes);
        }
        // A field followed by a word after a space still reads the word.
        let parsed = parse("title: banjir");
        assert!(matches!(&parsed.clauses[0].node, Node::Word { text, .. } if text == "banjir"));
    }
}
