//! The regular expressions of `grep`: a small matcher, linear in the line length.
//!
//! Supported: literals, `.`, bracket expressions (`[abc]`, `[^a-z]`, `[[:digit:]]` and the
//! other POSIX classes), `*` (and `+`, `?` with `-E`, `\+`, `\?` in basic syntax), `^` at the
//! start, `$` at the end, `\` escapes, `-F` fixed strings, `-i`, `-x`, `-w`. Not supported:
//! groups, alternation, back-references and intervals (`\{n,m\}`): `grep` reports them as
//! unsupported rather than matching something else. Matching simulates the automaton
//! (a set of states per character), so no pattern can take exponential time.

#[derive(Clone, Debug)]
enum Atom {
    Char(char),
    Any,
    /// (negated, items: single chars and ranges)
    Class(bool, Vec<(char, char)>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Rep {
    One,
    Star,
    Opt,
}

#[derive(Debug)]
pub struct Regex {
    items: Vec<(Atom, Rep)>,
    start: bool,
    end: bool,
    icase: bool,
    word: bool,
}

fn class_named(name: &str) -> Option<Vec<(char, char)>> {
    Some(match name {
        "digit" => vec![('0', '9')],
        "alpha" => vec![('a', 'z'), ('A', 'Z')],
        "alnum" => vec![('a', 'z'), ('A', 'Z'), ('0', '9')],
        "upper" => vec![('A', 'Z')],
        "lower" => vec![('a', 'z')],
        "space" => vec![(' ', ' '), ('\t', '\r')],
        "blank" => vec![(' ', ' '), ('\t', '\t')],
        "punct" => vec![('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "xdigit" => vec![('0', '9'), ('a', 'f'), ('A', 'F')],
        _ => return None,
    })
}

const UNMATCHED: &str = "Unmatched [, [^, [:, [., or [=";

impl Regex {
    /// Compiles `pat`; `Err` carries grep's message.
    pub fn new(
        pat: &str,
        fixed: bool,
        extended: bool,
        icase: bool,
        line: bool,
        word: bool,
    ) -> Result<Regex, String> {
        let c: Vec<char> = pat.chars().collect();
        let mut items: Vec<(Atom, Rep)> = Vec::new();
        let (mut start, mut end) = (false, false);
        if fixed {
            items = c.iter().map(|&ch| (Atom::Char(ch), Rep::One)).collect();
            return Ok(Regex {
                items,
                start: line,
                end: line,
                icase,
                word,
            });
        }
        let mut i = 0;
        if c.first() == Some(&'^') {
            start = true;
            i = 1;
        }
        while i < c.len() {
            let ch = c[i];
            if ch == '$' && i + 1 == c.len() {
                end = true;
                break;
            }
            let rep = |r: Rep, items: &mut Vec<(Atom, Rep)>| -> bool {
                match items.last_mut() {
                    Some(last) if last.1 == Rep::One => {
                        last.1 = r;
                        true
                    }
                    _ => false,
                }
            };
            match ch {
                '.' => items.push((Atom::Any, Rep::One)),
                '*' => {
                    if !rep(Rep::Star, &mut items) {
                        if items.is_empty() {
                            items.push((Atom::Char('*'), Rep::One));
                        } else {
                            // `a**` is `a*`.
                        }
                    }
                }
                '+' | '?' if extended => {
                    let r = if ch == '?' { Rep::Opt } else { Rep::One };
                    if ch == '+' {
                        // a+ = a a*
                        if let Some(last) = items.last().cloned() {
                            if last.1 == Rep::One {
                                items.push((last.0, Rep::Star));
                            }
                        }
                    } else if !rep(r, &mut items) && items.is_empty() {
                        items.push((Atom::Char(ch), Rep::One));
                    }
                }
                '|' | '(' | ')' | '{' if extended => {
                    return Err("unsupported regular expression: looplab's grep has no groups, alternation or intervals".into())
                }
                '[' => {
                    let mut j = i + 1;
                    let neg = c.get(j) == Some(&'^');
                    if neg {
                        j += 1;
                    }
                    let mut set = Vec::new();
                    let mut first = true;
                    loop {
                        let Some(&x) = c.get(j) else { return Err(UNMATCHED.into()) };
                        if x == ']' && !first {
                            j += 1;
                            break;
                        }
                        first = false;
                        if x == '[' && c.get(j + 1) == Some(&':') {
                            let rest: String = c[j + 2..].iter().collect();
                            let Some(close) = rest.find(":]") else { return Err(UNMATCHED.into()) };
                            let name = &rest[..close];
                            let Some(v) = class_named(name) else { return Err("Invalid character class name".into()) };
                            set.extend(v);
                            j += 2 + name.chars().count() + 2;
                            continue;
                        }
                        if c.get(j + 1) == Some(&'-') && c.get(j + 2).is_some_and(|&e| e != ']') {
                            let hi = c[j + 2];
                            if hi < x {
                                return Err("Invalid range end".into());
                            }
                            set.push((x, hi));
                            j += 3;
                        } else {
                            set.push((x, x));
                            j += 1;
                        }
                    }
                    items.push((Atom::Class(neg, set), Rep::One));
                    i = j;
                    continue;
                }
                '\\' => {
                    let Some(&n) = c.get(i + 1) else { return Err("Trailing backslash".into()) };
                    i += 2;
                    match n {
                        '+' if !extended => {
                            if let Some(last) = items.last().cloned() {
                                if last.1 == Rep::One {
                                    items.push((last.0, Rep::Star));
                                }
                            }
                        }
                        '?' if !extended => {
                            rep(Rep::Opt, &mut items);
                        }
                        '(' | ')' | '|' | '{' | '}' if !extended => {
                            return Err("unsupported regular expression: looplab's grep has no groups, alternation or intervals".into())
                        }
                        '1'..='9' => return Err("unsupported regular expression: back-references".into()),
                        'w' | 'W' | 's' | 'S' | 'b' | 'B' | '<' | '>' => {
                            return Err(format!("unsupported regular expression: \\{n}"))
                        }
                        other => items.push((Atom::Char(other), Rep::One)),
                    }
                    continue;
                }
                _ => items.push((Atom::Char(ch), Rep::One)),
            }
            i += 1;
        }
        Ok(Regex {
            items,
            start: start || line,
            end: end || line,
            icase,
            word,
        })
    }

    fn atom_matches(&self, a: &Atom, ch: char) -> bool {
        let eq = |x: char, y: char| {
            if self.icase {
                x.to_lowercase().eq(y.to_lowercase())
            } else {
                x == y
            }
        };
        match a {
            Atom::Char(x) => eq(*x, ch),
            Atom::Any => true,
            Atom::Class(neg, set) => {
                let lo = ch.to_lowercase().next().unwrap_or(ch);
                let up = ch.to_uppercase().next().unwrap_or(ch);
                let hit = set.iter().any(|(a, b)| {
                    (*a <= ch && ch <= *b)
                        || (self.icase && ((*a <= lo && lo <= *b) || (*a <= up && up <= *b)))
                });
                hit != *neg
            }
        }
    }

    /// Adds state `s` and everything reachable from it without input.
    fn close(&self, set: &mut [bool], s: usize) {
        let mut s = s;
        loop {
            if set[s] {
                return;
            }
            set[s] = true;
            if s < self.items.len() && self.items[s].1 != Rep::One {
                s += 1;
            } else {
                return;
            }
        }
    }

    /// End positions (char indices) of matches starting at `from`..; with `first_only`, the
    /// automaton stops at the first accepting position.
    fn search(&self, line: &[char], accept: &mut dyn FnMut(usize, usize) -> bool) -> bool {
        let n = self.items.len();
        // Each state remembers the earliest start that reached it (enough for -w checks of
        // the leftmost match; -w retries below handle the rest).
        let mut cur: Vec<Option<usize>> = vec![None; n + 1];
        let mut tmp = vec![false; n + 1];
        let seed = |cur: &mut Vec<Option<usize>>, tmp: &mut Vec<bool>, pos: usize| {
            tmp.iter_mut().for_each(|t| *t = false);
            self.close(tmp, 0);
            for (k, t) in tmp.iter().enumerate() {
                if *t && cur[k].is_none() {
                    cur[k] = Some(pos);
                }
            }
        };
        seed(&mut cur, &mut tmp, 0);
        for pos in 0..=line.len() {
            if let Some(st) = cur[n] {
                if (!self.end || pos == line.len()) && accept(st, pos) {
                    return true;
                }
            }
            if pos == line.len() {
                break;
            }
            let ch = line[pos];
            let mut next: Vec<Option<usize>> = vec![None; n + 1];
            for (s, (a, r)) in self.items.iter().enumerate() {
                let Some(st) = cur[s] else { continue };
                if !self.atom_matches(a, ch) {
                    continue;
                }
                let target = if *r == Rep::Star { s } else { s + 1 };
                tmp.iter_mut().for_each(|t| *t = false);
                self.close(&mut tmp, target);
                for (k, t) in tmp.iter().enumerate() {
                    if *t && next[k].is_none_or(|o| st < o) {
                        next[k] = Some(st);
                    }
                }
            }
            cur = next;
            if !self.start {
                seed(&mut cur, &mut tmp, pos + 1);
            }
        }
        false
    }

    pub fn is_match(&self, line: &str) -> bool {
        let chars: Vec<char> = line.chars().collect();
        if !self.word {
            return self.search(&chars, &mut |_, _| true);
        }
        let is_w = |c: char| c.is_alphanumeric() || c == '_';
        self.search(&chars, &mut |s, e| {
            (s == 0 || !is_w(chars[s - 1])) && (e == chars.len() || !is_w(chars[e])) && e > s
        })
    }
}
