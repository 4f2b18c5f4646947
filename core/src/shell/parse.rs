//! The shell language: a lexer and parser from one command line to a [`Script`].
//!
//! The grammar is the part of POSIX `sh` that `exec` command lines use: words with quoting,
//! parameter expansion (`$NAME`, `${NAME}`, `$?`, ...), simple commands with `NAME=value`
//! prefixes and redirections, pipelines (`!` negation), `&&` / `||` lists and `;` / newline
//! sequences. Syntax errors carry dash's message; constructs outside this subset (loops,
//! `if`, functions, subshells, command substitution, arithmetic, here-documents, background
//! jobs) are refused at parse time with an `unsupported:` message instead of misbehaving.

use super::ShellError;

/// Longest command line accepted (bytes).
pub const MAX_SCRIPT_BYTES: usize = 64 * 1024;
/// Most commands in one pipeline.
pub const MAX_PIPELINE: usize = 256;
/// Most commands in one script.
pub const MAX_COMMANDS: usize = 4096;

/// A parsed command line: and-or lists run one after another.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Script {
    pub lists: Vec<AndOr>,
}

/// `p1 && p2 || p3`: the first pipeline, then each connector with the pipeline it guards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

/// `[!] cmd | cmd | ...`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub negated: bool,
    pub commands: Vec<Command>,
}

/// A simple command: assignments, words and redirections, in source order for redirections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    /// Line of the command in the script (1-based), for dash's `/bin/sh: LINE:` prefix.
    pub line: usize,
}

/// One word before expansion.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Text; `quoted` text is neither split nor globbed.
    Lit { text: String, quoted: bool },
    /// `$NAME`, `${NAME}` or a special parameter (`?`, `#`, `0`..`9`, `@`, `*`, `!`, `-`, `$`).
    Var { name: String, quoted: bool },
    /// An unquoted `~` at the start of a word: `$HOME`.
    Tilde,
}

/// `[fd]>word`, `[fd]>>word`, `[fd]<word`, `[fd]>&N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redir {
    pub fd: u32,
    pub kind: RedirKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirKind {
    Out(Word),
    Append(Word),
    In(Word),
    /// `N>&M` / `N<&M`: fd N becomes a copy of fd M.
    Dup(u32),
    /// `N>&-`: fd N closed (treated as discarding output).
    Close,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(Word, bool /* plain: one unquoted literal */),
    Op(&'static str),
    /// A redirection operator with its io number.
    Redir(u32, &'static str),
    Newline,
    Eof,
}

struct Lexer<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
    line: usize,
}

pub(crate) fn syntax(line: usize, what: &str) -> ShellError {
    ShellError {
        message: format!("/bin/sh: {line}: Syntax error: {what}"),
    }
}

pub(crate) fn unsupported(line: usize, what: &str) -> ShellError {
    ShellError {
        message: format!("/bin/sh: {line}: unsupported: {what}"),
    }
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}
fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether `s` is a valid variable name.
pub fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && is_name_start(b[0]) && b.iter().all(|&c| is_name_char(c))
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }

    fn next(&mut self) -> Result<(Tok, usize), ShellError> {
        // Blanks, comments and line continuations.
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.i += 1,
                Some(b'\\') if self.at(1) == Some(b'\n') => {
                    self.i += 2;
                    self.line += 1;
                }
                Some(b'#') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
        let line = self.line;
        let Some(c) = self.peek() else {
            return Ok((Tok::Eof, line));
        };
        let two = (c, self.at(1).unwrap_or(0));
        let op: Option<&'static str> = match two {
            (b'&', b'&') => Some("&&"),
            (b'|', b'|') => Some("||"),
            (b';', b';') => Some(";;"),
            (b'&', _) => Some("&"),
            (b'|', _) => Some("|"),
            (b';', _) => Some(";"),
            (b'(', _) => Some("("),
            (b')', _) => Some(")"),
            _ => None,
        };
        if let Some(op) = op {
            self.i += op.len();
            return Ok((Tok::Op(op), line));
        }
        if c == b'\n' {
            self.i += 1;
            self.line += 1;
            return Ok((Tok::Newline, line));
        }
        if c == b'<' || c == b'>' {
            return Ok((
                Tok::Redir(if c == b'<' { 0 } else { 1 }, self.redir_op()),
                line,
            ));
        }
        // An io number: digits directly followed by `<` or `>`.
        if c.is_ascii_digit() {
            let mut j = self.i;
            while j < self.s.len() && self.s[j].is_ascii_digit() {
                j += 1;
            }
            if j < self.s.len() && (self.s[j] == b'<' || self.s[j] == b'>') {
                let fd: u32 = self.src[self.i..j].parse().unwrap_or(u32::MAX);
                self.i = j;
                let op = self.redir_op();
                return Ok((Tok::Redir(fd, op), line));
            }
        }
        let w = self.word()?;
        let plain = matches!(w.parts.as_slice(), [Part::Lit { quoted: false, .. }]);
        Ok((Tok::Word(w, plain), line))
    }

    fn redir_op(&mut self) -> &'static str {
        let rest = &self.s[self.i..];
        let op = if rest.starts_with(b"<<-") {
            "<<-"
        } else if rest.starts_with(b">>") {
            ">>"
        } else if rest.starts_with(b"<<") {
            "<<"
        } else if rest.starts_with(b">&") {
            ">&"
        } else if rest.starts_with(b"<&") {
            "<&"
        } else if rest.starts_with(b">|") {
            ">|"
        } else if rest.starts_with(b"<>") {
            "<>"
        } else if rest[0] == b'<' {
            "<"
        } else {
            ">"
        };
        self.i += op.len();
        op
    }

    fn push_lit(parts: &mut Vec<Part>, s: &str, quoted: bool) {
        if let Some(Part::Lit { text, quoted: q }) = parts.last_mut() {
            if *q == quoted {
                text.push_str(s);
                return;
            }
        }
        parts.push(Part::Lit {
            text: s.to_string(),
            quoted,
        });
    }

    /// The char starting at byte `i` (the source is UTF-8, so this is always on a boundary
    /// when `i` comes from stepping over whole chars).
    fn char_at(&self, i: usize) -> &'a str {
        let rest = &self.src[i..];
        let n = rest.chars().next().map_or(1, char::len_utf8);
        &rest[..n]
    }

    fn word(&mut self) -> Result<Word, ShellError> {
        let mut parts = Vec::new();
        let start = self.i;
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => break,
                b'\\' => match self.at(1) {
                    None => {
                        Self::push_lit(&mut parts, "\\", false);
                        self.i += 1;
                    }
                    Some(b'\n') => {
                        self.i += 2;
                        self.line += 1;
                    }
                    Some(_) => {
                        let ch = self.char_at(self.i + 1);
                        Self::push_lit(&mut parts, ch, true);
                        self.i += 1 + ch.len();
                    }
                },
                b'\'' => {
                    let open = self.i;
                    self.i += 1;
                    let from = self.i;
                    while self.peek().is_some_and(|c| c != b'\'') {
                        if self.peek() == Some(b'\n') {
                            self.line += 1;
                        }
                        self.i += 1;
                    }
                    if self.peek().is_none() {
                        let _ = open;
                        return Err(syntax(self.line, "Unterminated quoted string"));
                    }
                    let text = &self.src[from..self.i];
                    self.i += 1;
                    Self::push_lit(&mut parts, text, true);
                    // '' still makes a (possibly empty) field.
                    if text.is_empty() {
                        parts.push(Part::Lit {
                            text: String::new(),
                            quoted: true,
                        });
                    }
                }
                b'"' => {
                    self.i += 1;
                    let mut any = false;
                    loop {
                        let Some(c) = self.peek() else {
                            return Err(syntax(self.line, "Unterminated quoted string"));
                        };
                        match c {
                            b'"' => {
                                self.i += 1;
                                break;
                            }
                            b'\\' => {
                                match self.at(1) {
                                    Some(b'\n') => {
                                        self.i += 2;
                                        self.line += 1;
                                    }
                                    Some(e @ (b'$' | b'`' | b'"' | b'\\')) => {
                                        Self::push_lit(&mut parts, &(e as char).to_string(), true);
                                        self.i += 2;
                                    }
                                    _ => {
                                        Self::push_lit(&mut parts, "\\", true);
                                        self.i += 1;
                                    }
                                }
                                any = true;
                            }
                            b'$' => {
                                self.dollar(&mut parts, true)?;
                                any = true;
                            }
                            b'`' => return Err(self.backquote()),
                            _ => {
                                if c == b'\n' {
                                    self.line += 1;
                                }
                                let ch = self.char_at(self.i);
                                Self::push_lit(&mut parts, ch, true);
                                self.i += ch.len();
                                any = true;
                            }
                        }
                    }
                    if !any {
                        parts.push(Part::Lit {
                            text: String::new(),
                            quoted: true,
                        });
                    }
                }
                b'$' => self.dollar(&mut parts, false)?,
                b'`' => return Err(self.backquote()),
                b'~' if self.i == start => {
                    self.i += 1;
                    // Only `~` alone or `~/...`; `~user` stays literal.
                    if matches!(
                        self.peek(),
                        None | Some(
                            b'/' | b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b')'
                        )
                    ) {
                        parts.push(Part::Tilde);
                    } else {
                        Self::push_lit(&mut parts, "~", false);
                    }
                }
                _ => {
                    let ch = self.char_at(self.i);
                    Self::push_lit(&mut parts, ch, false);
                    self.i += ch.len();
                }
            }
        }
        Ok(Word { parts })
    }

    fn backquote(&self) -> ShellError {
        if self.s[self.i + 1..].contains(&b'`') {
            unsupported(self.line, "command substitution (`...`)")
        } else {
            syntax(self.line, "EOF in backquote substitution")
        }
    }

    fn dollar(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<(), ShellError> {
        // At `$`.
        match self.at(1) {
            Some(b'{') => {
                let from = self.i + 2;
                let Some(len) = self.s[from..].iter().position(|&c| c == b'}') else {
                    return Err(syntax(self.line, "Missing '}'"));
                };
                let name = &self.src[from..from + len];
                let special = name.len() == 1 && b"?#@*!-$0123456789".contains(&name.as_bytes()[0]);
                if !(is_name(name)
                    || special
                    || (name.bytes().all(|c| c.is_ascii_digit()) && !name.is_empty()))
                {
                    return Err(
                        if name.is_empty()
                            || !name.bytes().next().is_some_and(|c| {
                                is_name_start(c) || c.is_ascii_digit() || b"?#@*!-$".contains(&c)
                            })
                        {
                            syntax(self.line, "Bad substitution")
                        } else {
                            unsupported(
                                self.line,
                                &format!(
                                    "parameter expansion ${{{name}}} (only $NAME and ${{NAME}})"
                                ),
                            )
                        },
                    );
                }
                parts.push(Part::Var {
                    name: name.to_string(),
                    quoted,
                });
                self.i = from + len + 1;
            }
            Some(b'(') => {
                let arith = self.at(2) == Some(b'(');
                if !self.s[self.i..].contains(&b')') {
                    return Err(syntax(
                        self.line,
                        "end of file unexpected (expecting \")\")",
                    ));
                }
                return Err(unsupported(
                    self.line,
                    if arith {
                        "arithmetic expansion $((...))"
                    } else {
                        "command substitution $(...)"
                    },
                ));
            }
            Some(c) if is_name_start(c) => {
                let from = self.i + 1;
                let mut j = from;
                while j < self.s.len() && is_name_char(self.s[j]) {
                    j += 1;
                }
                parts.push(Part::Var {
                    name: self.src[from..j].to_string(),
                    quoted,
                });
                self.i = j;
            }
            Some(c) if b"?#@*!-$0123456789".contains(&c) => {
                parts.push(Part::Var {
                    name: (c as char).to_string(),
                    quoted,
                });
                self.i += 2;
            }
            _ => {
                Self::push_lit(parts, "$", quoted);
                self.i += 1;
            }
        }
        Ok(())
    }
}

const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{",
    "}", "in",
];

struct Parser<'a> {
    lx: Lexer<'a>,
    tok: Tok,
    line: usize,
    commands: usize,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Op(o) => format!("\"{o}\" unexpected"),
        Tok::Redir(_, o) => format!("\"{o}\" unexpected"),
        Tok::Newline => "newline unexpected".to_string(),
        Tok::Eof => "end of file unexpected".to_string(),
        Tok::Word(..) => "word unexpected".to_string(),
    }
}

impl Parser<'_> {
    fn advance(&mut self) -> Result<(), ShellError> {
        let (t, line) = self.lx.next()?;
        self.tok = t;
        self.line = line;
        Ok(())
    }

    fn skip_newlines(&mut self) -> Result<(), ShellError> {
        while self.tok == Tok::Newline {
            self.advance()?;
        }
        Ok(())
    }

    fn unexpected(&self) -> ShellError {
        match &self.tok {
            Tok::Op("&") => unsupported(self.line, "background jobs (&)"),
            Tok::Op("(") => unsupported(self.line, "subshells and functions ( ... )"),
            t => syntax(self.line, &describe(t)),
        }
    }

    fn script(&mut self) -> Result<Script, ShellError> {
        let mut lists = Vec::new();
        self.skip_newlines()?;
        while self.tok != Tok::Eof {
            lists.push(self.and_or()?);
            match self.tok {
                Tok::Op(";") | Tok::Newline => {
                    self.advance()?;
                    self.skip_newlines()?;
                }
                Tok::Eof => {}
                _ => return Err(self.unexpected()),
            }
        }
        Ok(Script { lists })
    }

    fn and_or(&mut self) -> Result<AndOr, ShellError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let c = match self.tok {
                Tok::Op("&&") => Connector::And,
                Tok::Op("||") => Connector::Or,
                _ => break,
            };
            self.advance()?;
            self.skip_newlines()?;
            rest.push((c, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ShellError> {
        let mut negated = false;
        if let Tok::Word(w, true) = &self.tok {
            if w.parts
                == [Part::Lit {
                    text: "!".into(),
                    quoted: false,
                }]
            {
                negated = true;
                self.advance()?;
            }
        }
        let mut commands = vec![self.command()?];
        while self.tok == Tok::Op("|") {
            self.advance()?;
            self.skip_newlines()?;
            if commands.len() >= MAX_PIPELINE {
                return Err(unsupported(
                    self.line,
                    &format!("pipelines longer than {MAX_PIPELINE} commands"),
                ));
            }
            commands.push(self.command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    fn command(&mut self) -> Result<Command, ShellError> {
        self.commands += 1;
        if self.commands > MAX_COMMANDS {
            return Err(unsupported(
                self.line,
                &format!("scripts of more than {MAX_COMMANDS} commands"),
            ));
        }
        let line = self.line;
        let mut cmd = Command {
            assigns: Vec::new(),
            words: Vec::new(),
            redirs: Vec::new(),
            line,
        };
        loop {
            match std::mem::replace(&mut self.tok, Tok::Eof) {
                Tok::Word(w, plain) => {
                    if cmd.words.is_empty() {
                        if let Some(Part::Lit {
                            text,
                            quoted: false,
                        }) = w.parts.first()
                        {
                            if plain && RESERVED.contains(&text.as_str()) {
                                return Err(unsupported(
                                    self.line,
                                    &format!("\"{text}\" (no if, while, until, for, case or {{ }} blocks in this shell)"),
                                ));
                            }
                            if let Some(eq) = text.find('=') {
                                if is_name(&text[..eq]) {
                                    let mut value = w.parts.clone();
                                    let rest = text[eq + 1..].to_string();
                                    value[0] = Part::Lit {
                                        text: rest,
                                        quoted: false,
                                    };
                                    cmd.assigns
                                        .push((text[..eq].to_string(), Word { parts: value }));
                                    self.advance()?;
                                    continue;
                                }
                            }
                        }
                    }
                    cmd.words.push(w);
                    self.advance()?;
                    if self.tok == Tok::Op("(") {
                        return Err(unsupported(self.line, "functions (name() { ... })"));
                    }
                }
                Tok::Redir(fd, op) => {
                    let rline = self.line;
                    self.advance()?;
                    let target = match std::mem::replace(&mut self.tok, Tok::Eof) {
                        Tok::Word(w, _) => w,
                        t => {
                            self.tok = t;
                            return Err(syntax(self.line, &describe(&self.tok)));
                        }
                    };
                    if fd > 9 {
                        return Err(syntax(rline, "Bad fd number"));
                    }
                    let kind = match op {
                        ">" | ">|" => RedirKind::Out(target),
                        ">>" => RedirKind::Append(target),
                        "<" => RedirKind::In(target),
                        ">&" | "<&" => {
                            let t = match target.parts.as_slice() {
                                [Part::Lit { text, .. }] => text.clone(),
                                _ => String::new(),
                            };
                            if t == "-" {
                                RedirKind::Close
                            } else if !t.is_empty()
                                && t.len() == 1
                                && t.as_bytes()[0].is_ascii_digit()
                            {
                                RedirKind::Dup(u32::from(t.as_bytes()[0] - b'0'))
                            } else {
                                return Err(syntax(rline, "Bad fd number"));
                            }
                        }
                        "<<" | "<<-" => return Err(unsupported(rline, "here-documents (<<)")),
                        _ => return Err(unsupported(rline, &format!("the redirection {op}"))),
                    };
                    cmd.redirs.push(Redir { fd, kind });
                    self.advance()?;
                }
                t => {
                    self.tok = t;
                    break;
                }
            }
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
            return Err(self.unexpected());
        }
        Ok(cmd)
    }
}

/// Parses one command line (what `sh -c LINE` gets).
pub fn parse(line: &str) -> Result<Script, ShellError> {
    if line.len() > MAX_SCRIPT_BYTES {
        return Err(unsupported(
            1,
            &format!("command lines longer than {} KiB", MAX_SCRIPT_BYTES / 1024),
        ));
    }
    let lx = Lexer {
        s: line.as_bytes(),
        src: line,
        i: 0,
        line: 1,
    };
    let mut p = Parser {
        lx,
        tok: Tok::Eof,
        line: 1,
        commands: 0,
    };
    p.advance()?;
    p.script()
}
