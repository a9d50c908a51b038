//! A look at a SPARQL query or update before it is parsed: how deep it
//! nests, and whether it asks the server to reach outside the store.
//!
//! Oxigraph's parser and evaluator recurse once (or more) per level of the
//! query's tree, so a query 4 KB long can overflow any stack, and a stack
//! overflow aborts the whole process. Parsing cannot be bounded from the
//! outside, so the text is measured first, with a tokenizer that knows only
//! what it must (strings, IRIs, comments, words) and errs on the deep side:
//!
//! - every open `{`, `(` or `[` is a level;
//! - so is every operator or keyword that chains what it joins into a
//!   left-deep tree — `UNION`, `OPTIONAL`, `MINUS`, `FILTER`, `BIND`,
//!   `VALUES`, `GRAPH`, `SERVICE`, a second group in a group, the
//!   expression operators (`||`, `&&`, `=`, `<`, `+`, `*`, …) and the path
//!   operators (`/`, `|`) — counted at its own bracket level and forgotten
//!   when that bracket closes.
//!
//! The deepest point of that count must stay within [`MAX_NESTING`]; threads
//! that parse or evaluate SPARQL get [`STACK_SIZE`], which holds that depth
//! for every construct with a wide margin (tests/robustness.rs tries each).
//! Long but flat text — `VALUES` rows, triple patterns, `IN` lists,
//! `INSERT DATA` — does not nest and is not limited here.

use crate::StoreError;

/// The deepest a query or update may nest, counted as the module says.
pub const MAX_NESTING: usize = 2_000;

/// The stack a thread needs to parse and evaluate SPARQL nested up to
/// [`MAX_NESTING`]: measured at ~3 KiB a level for the deepest construct
/// (nested sub-queries), so 64 MiB is a tenfold margin. It is address
/// space, not memory: pages are touched only by deep queries.
pub const STACK_SIZE: usize = 64 * 1024 * 1024;

/// What the screen found in a text that parses as far as it can tell.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Findings {
    /// Where the first `SERVICE` keyword is (line, column), if any.
    pub service: Option<(usize, usize)>,
    /// Where the first `LOAD` keyword is (line, column), if any.
    pub load: Option<(usize, usize)>,
}

impl Findings {
    /// The refusal of the text's `SERVICE`, if it has one.
    pub fn service_refused(&self) -> Option<StoreError> {
        self.service.map(|(line, column)| StoreError::Refused {
            operation: "SERVICE",
            line,
            column,
            reason: "federation is off: this store does not call other SPARQL endpoints",
        })
    }

    /// The refusal of the text's `LOAD`, if it has one.
    pub fn load_refused(&self) -> Option<StoreError> {
        self.load.map(|(line, column)| StoreError::Refused {
            operation: "LOAD",
            line,
            column,
            reason: "this store does not fetch documents named in an update; send the data in the request (INSERT DATA, or a Graph Store PUT or POST)",
        })
    }
}

/// Checks `text`'s nesting against [`MAX_NESTING`] and reports the
/// keywords that reach outside the store.
pub(crate) fn screen(text: &str) -> Result<Findings, StoreError> {
    let mut scan = Scan::new(text.as_bytes());
    scan.run()?;
    Ok(scan.findings)
}

/// One open bracket: which, and how many chaining tokens it holds so far.
struct Level {
    bracket: u8,
    chained: usize,
    groups: usize,
}

struct Scan<'a> {
    text: &'a [u8],
    at: usize,
    levels: Vec<Level>,
    /// A chaining keyword was read and its group has not opened yet.
    keyword_waits: bool,
    /// The last token was a number, a variable or a `)`.
    after_value: bool,
    depth: usize,
    findings: Findings,
}

impl<'a> Scan<'a> {
    fn new(text: &'a [u8]) -> Self {
        Scan {
            text,
            at: 0,
            levels: Vec::new(),
            keyword_waits: false,
            after_value: false,
            depth: 0,
            findings: Findings::default(),
        }
    }

    fn run(&mut self) -> Result<(), StoreError> {
        while let Some(&c) = self.text.get(self.at) {
            let start = self.at;
            self.at += 1;
            let after_value = self.after_value;
            // A `*` multiplies only after a number, a variable or a `)`.
            self.after_value = matches!(c, b'0'..=b'9' | b'?' | b'$' | b')')
                || (c.is_ascii_whitespace() && after_value);
            match c {
                b'#' => self.skip_while(|c| c != b'\n'),
                b'"' | b'\'' => self.skip_string(c),
                b'<' if self.skip_iri() => {}
                b'{' | b'(' | b'[' => self.open(c, start)?,
                b'}' | b')' | b']' => self.close(),
                b'?' | b'$' => self.skip_while(is_name_byte),
                b'@' => self.skip_while(|c| c.is_ascii_alphanumeric() || c == b'-'),
                b'0'..=b'9' | b'.'
                    if c != b'.' || self.peek().is_some_and(|d| d.is_ascii_digit()) =>
                {
                    self.skip_number()
                }
                // `SELECT *`, `COUNT(*)` and a path's `<p>*` chain nothing.
                b'*' if !after_value => {}
                b'|' | b'&' | b'=' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/' => {
                    // `||`, `&&`, `!=`, `<=`, `>=` are one operator.
                    if matches!(self.peek(), Some(b'|' | b'&' | b'=')) {
                        self.at += 1;
                    }
                    if c != b'!' || self.text.get(self.at - 1) == Some(&b'=') {
                        self.chain(start)?;
                    }
                }
                c if is_word_start(c) => self.word(start)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&keep) {
            self.at += 1;
        }
    }

    /// Skips a string opened by `quote` (the first quote already read),
    /// long (`"""`) or short, with its backslash escapes.
    fn skip_string(&mut self, quote: u8) {
        let long = self.text[self.at..].starts_with(&[quote, quote]);
        if long {
            self.at += 2;
        }
        while let Some(&c) = self.text.get(self.at) {
            self.at += 1;
            if c == b'\\' {
                self.at += 1;
            } else if c == quote && (!long || self.text[self.at..].starts_with(&[quote, quote])) {
                self.at += if long { 2 } else { 0 };
                return;
            }
        }
    }

    /// Skips an IRI (`<` already read) if one starts here; `false` when the
    /// `<` is an operator.
    fn skip_iri(&mut self) -> bool {
        let rest = &self.text[self.at..];
        let end = rest
            .iter()
            .position(|&c| c <= b' ' || b"<>\"{}|^`\\".contains(&c));
        match end {
            Some(i) if rest[i] == b'>' => {
                self.at += i + 1;
                true
            }
            _ => false,
        }
    }

    fn skip_number(&mut self) {
        self.skip_while(|c| c.is_ascii_digit() || c == b'.');
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.skip_while(|c| c.is_ascii_digit());
        }
    }

    /// A keyword, function name, prefixed name or blank node label. A word
    /// without `:` ends at `-` or `.`, which are operators there.
    fn word(&mut self, start: usize) -> Result<(), StoreError> {
        let mut prefixed = self.text[start] == b':';
        while let Some(c) = self.peek() {
            let more = is_name_byte(c)
                || c == b':'
                || c == b'%'
                || c == b'\\'
                || (prefixed && (c == b'-' || c == b'.'));
            if !more {
                break;
            }
            prefixed |= c == b':';
            self.at += if c == b'\\' { 2 } else { 1 };
        }
        // A prefixed name does not end with a dot: that dot ends a triple.
        while prefixed && self.text.get(self.at - 1) == Some(&b'.') {
            self.at -= 1;
        }
        if prefixed {
            return Ok(());
        }
        let word = &self.text[start..self.at.min(self.text.len())];
        if CHAINING_KEYWORDS
            .iter()
            .any(|k| word.eq_ignore_ascii_case(k))
        {
            self.keyword_waits = true;
            self.chain(start)?;
        }
        if word.eq_ignore_ascii_case(b"SERVICE") && self.findings.service.is_none() {
            self.findings.service = Some(self.position(start));
        }
        if word.eq_ignore_ascii_case(b"LOAD") && self.findings.load.is_none() {
            self.findings.load = Some(self.position(start));
        }
        Ok(())
    }

    fn open(&mut self, bracket: u8, start: usize) -> Result<(), StoreError> {
        // A second group in a group is joined to the first: a level more,
        // unless its keyword (`UNION {…}`, `OPTIONAL {…}`) counted it already.
        let counted = std::mem::take(&mut self.keyword_waits);
        if bracket == b'{'
            && let Some(parent) = self.levels.last_mut()
            && parent.bracket == b'{'
        {
            parent.groups += 1;
            if parent.groups > 1 && !counted {
                self.chain(start)?;
            }
        }
        self.levels.push(Level {
            bracket,
            chained: 0,
            groups: 0,
        });
        self.deeper(start)
    }

    fn close(&mut self) {
        if let Some(level) = self.levels.pop() {
            self.depth -= 1 + level.chained;
        }
    }

    fn chain(&mut self, start: usize) -> Result<(), StoreError> {
        // At the top, outside any bracket, the count is never taken back.
        if let Some(level) = self.levels.last_mut() {
            level.chained += 1;
        }
        self.deeper(start)
    }

    /// One level deeper at byte `start`; past [`MAX_NESTING`], the error.
    fn deeper(&mut self, start: usize) -> Result<(), StoreError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            let (line, column) = self.position(start);
            return Err(StoreError::TooDeep {
                limit: MAX_NESTING,
                line,
                column,
            });
        }
        Ok(())
    }

    /// The 1-based line and column (in characters) of byte `at`.
    fn position(&self, at: usize) -> (usize, usize) {
        let before = &self.text[..at];
        let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        (line, column)
    }
}

/// Keywords whose clauses are joined left-deep, one level each.
const CHAINING_KEYWORDS: &[&[u8]] = &[
    b"UNION",
    b"OPTIONAL",
    b"MINUS",
    b"FILTER",
    b"BIND",
    b"VALUES",
    b"GRAPH",
    b"SERVICE",
];

fn is_word_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(text: &str) -> Option<(usize, usize)> {
        match screen(text) {
            Err(StoreError::TooDeep { line, column, .. }) => Some((line, column)),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => None,
        }
    }

    fn nested(open: &str, inner: &str, close: &str, n: usize) -> String {
        format!("{}{inner}{}", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn deep_text_is_refused_where_the_limit_is_passed() {
        let table: Vec<(String, bool)> = vec![
            (
                format!("SELECT * WHERE {}", nested("{", "?s ?p ?o", "}", 1_000)),
                true,
            ),
            (
                format!("SELECT * WHERE {}", nested("{", "?s ?p ?o", "}", 1_999)),
                true,
            ),
            (
                format!("SELECT * WHERE {}", nested("{", "?s ?p ?o", "}", 2_001)),
                false,
            ),
            (
                format!("ASK {{ FILTER({}) }}", nested("(", "1", ")", 3_000)),
                false,
            ),
            (
                format!("ASK {{ FILTER({}) }}", vec!["1"; 3_000].join("+")),
                false,
            ),
            (
                format!("ASK {{ FILTER({}) }}", vec!["1"; 3_000].join("-")),
                false,
            ),
            (
                format!("ASK {{ FILTER({}) }}", vec!["true"; 3_000].join("-")),
                false,
            ),
            (
                format!("ASK {{ FILTER({}) }}", vec!["?a"; 3_000].join(" || ")),
                false,
            ),
            (
                format!("ASK {{ ?s {} ?o }}", vec!["<http://e/p>"; 3_000].join("/")),
                false,
            ),
            (
                format!("ASK {{ ?s {} ?o }}", vec!["ex:p"; 3_000].join("|")),
                false,
            ),
            (
                format!("ASK {{ {} }}", vec!["{?s ?p ?o}"; 3_000].join(" UNION ")),
                false,
            ),
            (
                format!("ASK {{ {} }}", vec!["{?s ?p ?o}"; 3_000].join(" ")),
                false,
            ),
            (
                format!("ASK {{ {} }}", vec!["BIND(1 AS ?x)"; 3_000].join(" ")),
                false,
            ),
            (
                format!("ASK {{ {} }}", vec!["optional {}"; 3_000].join(" ")),
                false,
            ),
            (
                format!("ASK {{ FILTER({}) }}", vec!["?x"; 3_000].join("*")),
                false,
            ),
            (
                format!("ASK {{ FILTER({}) }}", vec!["(1)"; 3_000].join(" * ")),
                false,
            ),
            // `*` that multiplies nothing does not count.
            (
                format!("SELECT * {}", nested("{ SELECT * WHERE ", "{}", "}", 1_900)),
                true,
            ),
            // Flat text of any length passes.
            (
                format!("ASK {{ VALUES ?x {{ {} }} }}", vec!["1"; 100_000].join(" ")),
                true,
            ),
            (
                format!(
                    "ASK {{ VALUES (?x ?y) {{ {} }} }}",
                    vec!["(1 2)"; 100_000].join(" ")
                ),
                true,
            ),
            (
                format!(
                    "ASK {{ {} }}",
                    vec!["?s <http://e/p> ex:o-1.5 ."; 100_000].join(" ")
                ),
                true,
            ),
            (
                format!(
                    "ASK {{ FILTER(?x IN ({})) }}",
                    vec!["1"; 100_000].join(", ")
                ),
                true,
            ),
            // Brackets, operators and keywords inside strings, IRIs and comments do not count.
            (
                format!("ASK {{ FILTER(?x = \"{}\") }}", "{(+".repeat(10_000)),
                true,
            ),
            (
                format!("ASK {{ FILTER(?x = '''{}''') }}", "{'(+".repeat(10_000)),
                true,
            ),
            (
                format!("ASK {{ FILTER(?x = <http://e/{}>) }}", "-+*".repeat(10_000)),
                true,
            ),
            (format!("ASK {{ # {}\n }}", "{ UNION ".repeat(10_000)), true),
        ];
        for (i, (text, passes)) in table.iter().enumerate() {
            assert_eq!(
                depth_error(text).is_none(),
                *passes,
                "case {i}: {}",
                &text[..80.min(text.len())]
            );
        }
    }

    #[test]
    fn the_error_says_where() {
        let text = format!("ASK\n{}", "{".repeat(MAX_NESTING + 5));
        assert_eq!(depth_error(&text), Some((2, MAX_NESTING + 1)));
        let e = screen(&text).unwrap_err().to_string();
        assert!(e.contains("2000") && e.contains("line 2"), "{e}");
    }

    #[test]
    fn service_and_load_are_found_as_keywords_only() {
        let table = [
            (
                "SELECT * { SERVICE <http://e/> { ?s ?p ?o } }",
                Some((1, 12)),
                None,
            ),
            ("select * {\n  service silent <x> {} }", Some((2, 3)), None),
            ("LOAD <file:///etc/passwd>", None, Some((1, 1))),
            ("load silent <http://e/> into graph <g>", None, Some((1, 1))),
            (
                "SELECT * { ?service ex:service \"SERVICE LOAD\" } # SERVICE",
                None,
                None,
            ),
            ("INSERT DATA { <s> <p> <load> }", None, None),
        ];
        for (text, service, load) in table {
            let found = screen(text).unwrap();
            assert_eq!((found.service, found.load), (service, load), "{text}");
        }
    }
}
