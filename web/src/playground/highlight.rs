//! JavaScript highlighting for the read-only code view (the code as the page first shows it,
//! before the learner's first edit loads CodeMirror). A small lexer, enough for colouring: it
//! finds comments, strings and template literals (with their `${…}` parts as code), regular
//! expression literals, numbers, keywords and names, and gives them the class names
//! CodeMirror's `classHighlighter` uses, so both views look the same. It never fails: text it
//! does not recognise is left plain.
//!
//! Pure (no DOM), so it is unit-tested natively; [`segments`] cuts the code into runs that the
//! view renders, each with its token class and whether it is in the current step's span or under
//! a diagnostic.

use std::ops::Range;

/// What a run of source text is, as CodeMirror's class highlighter names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Comment,
    String,
    /// A regular expression literal.
    Regexp,
    Number,
    Keyword,
    /// `true`, `false`.
    Bool,
    /// `null`, `undefined`, `NaN`, `Infinity`.
    Atom,
    /// A name being declared (`let x`, `function f`, `class C`).
    Definition,
    /// A name after `.` or before `:` in an object literal.
    Property,
}

impl Token {
    /// The CSS classes (shared with CodeMirror's `classHighlighter`).
    pub fn class(self) -> &'static str {
        match self {
            Token::Comment => "tok-comment",
            Token::String => "tok-string",
            Token::Regexp => "tok-string2",
            Token::Number => "tok-number",
            Token::Keyword => "tok-keyword",
            Token::Bool => "tok-bool",
            Token::Atom => "tok-atom",
            Token::Definition => "tok-variableName tok-definition",
            Token::Property => "tok-propertyName",
        }
    }
}

const KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "of",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

/// Keywords after which a `/` starts a regular expression, not a division.
const BEFORE_EXPRESSION: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];

/// Keywords whose next name is a declaration.
const DECLARES: &[&str] = &["let", "const", "var", "function", "class"];

fn is_name_start(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphabetic()
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '\u{200c}' || c == '\u{200d}'
}

/// The lexer's position and what it needs to remember.
struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    out: Vec<(Range<usize>, Token)>,
    /// Whether a `/` here would start a regular expression.
    expect_expression: bool,
    /// The keyword just seen, if it declares a name.
    declaring: bool,
    /// Whether the last significant character was `.` (the next name is a property).
    after_dot: bool,
    /// Open `{` counts of each `${` we are inside (innermost last).
    templates: Vec<usize>,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn push(&mut self, start: usize, token: Token) {
        if self.pos > start {
            self.out.push((start..self.pos, token));
        }
    }

    fn run(mut self) -> Vec<(Range<usize>, Token)> {
        self.expect_expression = true;
        while let Some(c) = self.peek() {
            let start = self.pos;
            match c {
                c if c.is_whitespace() => {
                    self.bump();
                }
                '/' if self.peek_at(1) == Some('/') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                    self.push(start, Token::Comment);
                }
                '/' if self.peek_at(1) == Some('*') => {
                    self.pos += 2;
                    match self.src[self.pos..].find("*/") {
                        Some(i) => self.pos += i + 2,
                        None => self.pos = self.src.len(),
                    }
                    self.push(start, Token::Comment);
                }
                '/' if self.expect_expression => {
                    self.regexp();
                    self.push(start, Token::Regexp);
                    self.expect_expression = false;
                }
                '\'' | '"' => {
                    self.bump();
                    self.quoted(c);
                    self.push(start, Token::String);
                    self.expect_expression = false;
                }
                '`' => {
                    self.bump();
                    self.template(start);
                }
                '}' if self.templates.last() == Some(&0) => {
                    // The end of a `${…}`: back into the template's text.
                    self.templates.pop();
                    self.template(start);
                }
                c if c.is_ascii_digit()
                    || (c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit())) =>
                {
                    self.number();
                    self.push(start, Token::Number);
                    self.expect_expression = false;
                }
                c if is_name_start(c) || c == '#' => {
                    self.bump();
                    while self.peek().is_some_and(is_name_char) {
                        self.bump();
                    }
                    self.name(start);
                    continue;
                }
                _ => {
                    self.bump();
                    match c {
                        '{' => {
                            if let Some(depth) = self.templates.last_mut() {
                                *depth += 1;
                            }
                        }
                        '}' => {
                            if let Some(depth) = self.templates.last_mut() {
                                *depth -= 1;
                            }
                        }
                        _ => {}
                    }
                    self.expect_expression = !matches!(c, ')' | ']' | '}');
                    self.after_dot = c == '.';
                    self.declaring = false;
                    continue;
                }
            }
            if !c.is_whitespace() {
                self.after_dot = false;
                self.declaring = false;
            }
        }
        self.out
    }

    fn name(&mut self, start: usize) {
        let word = &self.src[start..self.pos];
        let next_is_colon = self.src[self.pos..].trim_start().starts_with(':')
            && !self.src[self.pos..].trim_start().starts_with("::");
        let token = if self.after_dot {
            Some(Token::Property)
        } else if self.declaring {
            Some(Token::Definition)
        } else if matches!(word, "true" | "false") {
            Some(Token::Bool)
        } else if matches!(word, "null" | "undefined" | "NaN" | "Infinity") {
            Some(Token::Atom)
        } else if KEYWORDS.contains(&word) {
            Some(Token::Keyword)
        } else if next_is_colon && self.expect_expression {
            // `{ key: value }` (and labels, which look the same)
            Some(Token::Property)
        } else {
            None
        };
        if let Some(token) = token {
            self.push(start, token);
        }
        let keyword = token == Some(Token::Keyword);
        self.expect_expression = keyword && BEFORE_EXPRESSION.contains(&word);
        self.declaring = keyword && DECLARES.contains(&word);
        self.after_dot = false;
    }

    /// After the opening quote: up to and including the closing one (or the line's end).
    fn quoted(&mut self, quote: char) {
        while let Some(c) = self.peek() {
            match c {
                '\\' => {
                    self.bump();
                    self.bump();
                }
                '\n' => return,
                c => {
                    self.bump();
                    if c == quote {
                        return;
                    }
                }
            }
        }
    }

    /// Template text from `start` up to the closing backtick or the next `${`.
    fn template(&mut self, start: usize) {
        while let Some(c) = self.peek() {
            match c {
                '\\' => {
                    self.bump();
                    self.bump();
                }
                '`' => {
                    self.bump();
                    self.push(start, Token::String);
                    self.expect_expression = false;
                    return;
                }
                '$' if self.peek_at(1) == Some('{') => {
                    self.pos += 2;
                    self.push(start, Token::String);
                    self.templates.push(0);
                    self.expect_expression = true;
                    return;
                }
                _ => {
                    self.bump();
                }
            }
        }
        self.push(start, Token::String);
    }

    /// A regular expression literal: `/body/flags` (ends at the line's end if unclosed).
    fn regexp(&mut self) {
        self.bump();
        let mut in_class = false;
        while let Some(c) = self.peek() {
            match c {
                '\\' => {
                    self.bump();
                    self.bump();
                    continue;
                }
                '\n' => return,
                '[' => in_class = true,
                ']' => in_class = false,
                '/' if !in_class => {
                    self.bump();
                    while self.peek().is_some_and(is_name_char) {
                        self.bump();
                    }
                    return;
                }
                _ => {}
            }
            self.bump();
        }
    }

    fn number(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                self.bump();
                if matches!(c, 'e' | 'E') && matches!(self.peek(), Some('+' | '-')) {
                    self.bump();
                }
            } else {
                break;
            }
        }
    }
}

/// The tokens of `src` that get a colour, in order, as byte ranges.
pub fn tokens(src: &str) -> Vec<(Range<usize>, Token)> {
    Lexer {
        src,
        pos: 0,
        out: Vec::new(),
        expect_expression: true,
        declaring: false,
        after_dot: false,
        templates: Vec::new(),
    }
    .run()
}

/// How a run of text is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub range: Range<usize>,
    pub token: Option<Token>,
    /// Inside the current step's span.
    pub step: bool,
    /// Under a diagnostic: the index of the first one covering it.
    pub diagnostic: Option<usize>,
}

/// The largest char boundary of `src` at or below `at` (clamped to its length).
fn floor_boundary(src: &str, at: usize) -> usize {
    let mut at = at.min(src.len());
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Cuts `src` into runs of equal styling: by token, by whether they are inside `step`, and by
/// the diagnostics (byte ranges; an empty one is widened to the character after it, or before it
/// at the very end, so it stays visible, as the editor does).
pub fn segments(
    src: &str,
    step: Option<Range<usize>>,
    diagnostics: &[Range<usize>],
) -> Vec<Segment> {
    let step = step
        .map(|r| floor_boundary(src, r.start)..floor_boundary(src, r.end.max(r.start)))
        .filter(|r| !r.is_empty());
    let diagnostics: Vec<Range<usize>> = diagnostics
        .iter()
        .map(|r| {
            let from = floor_boundary(src, r.start);
            let to = floor_boundary(src, r.end.max(r.start));
            if to > from {
                from..to
            } else if let Some(c) = src[from..].chars().next() {
                from..from + c.len_utf8()
            } else if let Some(c) = src[..from].chars().next_back() {
                from - c.len_utf8()..from
            } else {
                from..from
            }
        })
        .collect();
    let tokens = tokens(src);
    let mut cuts = vec![0, src.len()];
    for (r, _) in &tokens {
        cuts.extend([r.start, r.end]);
    }
    for r in step.iter().chain(&diagnostics) {
        cuts.extend([r.start, r.end]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut next_token = 0;
    for pair in cuts.windows(2) {
        let range = pair[0]..pair[1];
        if range.is_empty() {
            continue;
        }
        while next_token < tokens.len() && tokens[next_token].0.end <= range.start {
            next_token += 1;
        }
        let token = tokens
            .get(next_token)
            .filter(|(r, _)| r.start <= range.start)
            .map(|(_, t)| *t);
        let inside = |r: &Range<usize>| r.start <= range.start && range.end <= r.end;
        out.push(Segment {
            token,
            step: step.as_ref().is_some_and(inside),
            diagnostic: diagnostics.iter().position(inside),
            range,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(src: &str) -> Vec<(&str, Token)> {
        tokens(src).into_iter().map(|(r, t)| (&src[r], t)).collect()
    }

    #[test]
    fn colours_the_usual_tokens() {
        let src = "const x = 1.5e-3; // note\nlet s = 'it\\'s' + \"q\";\nif (x) { obj.prop(null, true); }";
        assert_eq!(
            shown(src),
            vec![
                ("const", Token::Keyword),
                ("x", Token::Definition),
                ("1.5e-3", Token::Number),
                ("// note", Token::Comment),
                ("let", Token::Keyword),
                ("s", Token::Definition),
                ("'it\\'s'", Token::String),
                ("\"q\"", Token::String),
                ("if", Token::Keyword),
                ("prop", Token::Property),
                ("null", Token::Atom),
                ("true", Token::Bool),
            ]
        );
    }

    #[test]
    fn tells_a_regexp_from_a_division() {
        assert_eq!(shown("a = b / c / d;"), vec![]);
        assert_eq!(
            shown("s.split(/[/,]+/g); return /x/.test(y)"),
            vec![
                ("split", Token::Property),
                ("/[/,]+/g", Token::Regexp),
                ("return", Token::Keyword),
                ("/x/", Token::Regexp),
                ("test", Token::Property),
            ]
        );
        assert_eq!(shown("(a) / 2"), vec![("2", Token::Number)]);
    }

    #[test]
    fn template_literals_colour_their_code_parts() {
        assert_eq!(
            shown("`a ${ {k: 1}.k + f(`in ${2}`) } b` + 3"),
            vec![
                ("`a ${", Token::String),
                ("k", Token::Property),
                ("1", Token::Number),
                ("k", Token::Property),
                ("`in ${", Token::String),
                ("2", Token::Number),
                ("}`", Token::String),
                ("} b`", Token::String),
                ("3", Token::Number),
            ]
        );
    }

    #[test]
    fn unterminated_things_end_quietly() {
        for src in [
            "'open",
            "`open ${ x",
            "/* open",
            "x = /open",
            "1e",
            "\u{e9}t\u{e9} = '\u{2713}",
        ] {
            let toks = tokens(src);
            assert!(
                toks.iter().all(|(r, _)| r.end <= src.len()
                    && src.is_char_boundary(r.start)
                    && src.is_char_boundary(r.end)),
                "{src}"
            );
        }
    }

    #[test]
    fn segments_cover_the_text_and_split_at_the_step_and_diagnostics() {
        let src = "let a = 'é';\nfoo(a);\n";
        let foo = src.find("foo").unwrap();
        let at_end = src.len()..src.len();
        let segs = segments(src, Some(foo..foo + 6), std::slice::from_ref(&at_end));
        // Together they are the whole text, in order.
        let joined: String = segs.iter().map(|s| &src[s.range.clone()]).collect();
        assert_eq!(joined, src);
        let stepped: String = segs
            .iter()
            .filter(|s| s.step)
            .map(|s| &src[s.range.clone()])
            .collect();
        assert_eq!(stepped, "foo(a)");
        // An empty diagnostic at the very end covers the last character.
        let last = segs.last().unwrap();
        assert_eq!((&src[last.range.clone()], last.diagnostic), ("\n", Some(0)));
        // Offsets inside a character are pulled back to its start.
        let segs = segments(src, Some(10..11), &[]);
        assert!(segs.iter().all(|s| src.is_char_boundary(s.range.start)));
    }
}
