//! `RegExp` on a pluggable regular-expression engine (ECMAScript regular expressions, matched
//! over UTF-16 code units so `index`/`lastIndex` are JavaScript positions), plus the regexp
//! halves of `String.prototype.match/matchAll/replace/replaceAll/split/search`.
//!
//! The engine is behind [`RegexEngine`]: compile a pattern with its flags, then find matches at
//! UTF-16 indices. With the default cargo feature `regress` (the CLI, tests, fuzzing) it is the
//! `regress` crate; the page builds without it and installs the browser's own `RegExp` with
//! [`set_engine`] (web/src/playground/regex.rs), which keeps regress and its Unicode tables out
//! of the page's module. Everything around matching (flags, `lastIndex`, match arrays, named
//! groups, replacement templates, split) is here, shared by both engines.
//!
//! A RegExp is an ordinary object whose compiled pattern lives in `HostState::regexps`
//! (objects are never freed, so the id is a stable key); `lastIndex` is an own data property.

use super::arg;
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};
use std::ops::Range;
use std::rc::Rc;
use std::sync::OnceLock;

/// A regular-expression engine with ECMAScript semantics.
pub trait RegexEngine: Sync {
    /// Compiles `pattern` with `flags` (already checked: each of `dgimsuvy` at most once, not
    /// both `u` and `v`; only `imsuv` change what matches). On a syntax error, returns the text
    /// Node puts after `Invalid regular expression: /PATTERN/FLAGS: `.
    fn compile(&self, pattern: &str, flags: &str) -> Result<Box<dyn Matcher>, String>;
}

/// A compiled pattern.
pub trait Matcher {
    /// The first match that starts at or after the UTF-16 index `from` of `text`.
    fn find_from(&self, text: &[u16], from: usize) -> Option<Match>;
}

/// One match found by a [`Matcher`]: UTF-16 ranges of the whole match and of each capture group
/// in order (`None` where a group did not take part).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    pub range: Range<usize>,
    pub captures: Vec<Option<Range<usize>>>,
}

static ENGINE: OnceLock<&'static dyn RegexEngine> = OnceLock::new();

/// Installs the engine every RegExp uses from now on (once per process; later calls are
/// ignored and return false). Without one, the `regress` feature's engine is used.
pub fn set_engine(engine: &'static dyn RegexEngine) -> bool {
    ENGINE.set(engine).is_ok()
}

fn engine() -> Option<&'static dyn RegexEngine> {
    #[cfg(feature = "regress")]
    return Some(*ENGINE.get_or_init(|| &RegressEngine));
    #[cfg(not(feature = "regress"))]
    return ENGINE.get().copied();
}

/// The `regress` crate as the engine.
#[cfg(feature = "regress")]
pub struct RegressEngine;

#[cfg(feature = "regress")]
impl RegexEngine for RegressEngine {
    fn compile(&self, pattern: &str, flags: &str) -> Result<Box<dyn Matcher>, String> {
        let rflags = regress::Flags {
            icase: flags.contains('i'),
            multiline: flags.contains('m'),
            dot_all: flags.contains('s'),
            unicode: flags.contains('u'),
            unicode_sets: flags.contains('v'),
            ..Default::default()
        };
        let unicode = rflags.unicode || rflags.unicode_sets;
        regress::Regex::with_flags(pattern, rflags)
            .map(|regex| Box::new(RegressMatcher { regex, unicode }) as Box<dyn Matcher>)
            .map_err(|e| e.to_string())
    }
}

/// A regress pattern, and whether it reads the text as code points (`u`, `v`) or as UTF-16 code
/// units (otherwise: `/./` matches half of a surrogate pair, as in Node).
#[cfg(feature = "regress")]
struct RegressMatcher {
    regex: regress::Regex,
    unicode: bool,
}

#[cfg(feature = "regress")]
impl Matcher for RegressMatcher {
    fn find_from(&self, text: &[u16], from: usize) -> Option<Match> {
        let m = if self.unicode {
            self.regex.find_from_utf16(text, from).next()?
        } else {
            self.regex.find_from_ucs2(text, from).next()?
        };
        Some(Match {
            range: m.range.clone(),
            captures: m.captures.clone(),
        })
    }
}

/// A compiled regular expression.
pub struct RegexData {
    pub matcher: Box<dyn Matcher>,
    pub source: String,
    pub flags: String,
    pub global: bool,
    pub sticky: bool,
    pub unicode: bool,
    /// Named groups and their 0-based capture indices.
    pub names: Vec<(String, usize)>,
}

impl std::fmt::Debug for RegexData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/{}/{}", self.source, self.flags)
    }
}

/// One match: UTF-16 ranges of the whole match and of each capture, and named groups.
struct Found {
    start: usize,
    end: usize,
    caps: Vec<Option<(usize, usize)>>,
    names: Vec<(String, usize)>,
}

fn units(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}
fn text(u: &[u16]) -> String {
    String::from_utf16_lossy(u)
}

/// The regexp data of `v`, if it is a RegExp object.
pub fn regexp_of(vm: &Vm, v: &Value) -> Option<Rc<RegexData>> {
    match v {
        Value::Obj(o) => vm.realm.regexps.get(o).cloned(),
        _ => None,
    }
}

fn syntax_error(vm: &mut Vm, msg: &str) -> Value {
    let p = vm.realm.syntax_error_proto;
    vm.make_error(p, msg)
}

/// `source` as RegExp.prototype.source shows it: `/` escaped, empty as `(?:)`.
fn escape_source(p: &str) -> String {
    if p.is_empty() {
        return "(?:)".into();
    }
    let mut out = String::new();
    let mut in_class = false;
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(n) = chars.next() {
                    out.push(n);
                }
                continue;
            }
            '[' => in_class = true,
            ']' => in_class = false,
            '/' if !in_class => {
                out.push_str("\\/");
                continue;
            }
            '\n' => {
                out.push_str("\\n");
                continue;
            }
            '\r' => {
                out.push_str("\\r");
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Creates a RegExp object (the `new RegExp(pattern, flags)` core).
pub fn create(vm: &mut Vm, pattern: &str, flags: &str) -> JsResult {
    let mut seen = String::new();
    for c in flags.chars() {
        if !"dgimsuyv".contains(c)
            || seen.contains(c)
            || (c == 'u' && seen.contains('v'))
            || (c == 'v' && seen.contains('u'))
        {
            return Err(syntax_error(
                vm,
                &format!("Invalid flags supplied to RegExp constructor '{flags}'"),
            ));
        }
        seen.push(c);
    }
    let Some(engine) = engine() else {
        return vm
            .throw_type("RegExp is not available: this build has no regular-expression engine");
    };
    // flags in canonical order, as RegExp.prototype.flags returns them
    let canon: String = "dgimsuvy".chars().filter(|c| flags.contains(*c)).collect();
    let matcher = match engine.compile(pattern, &canon) {
        Ok(m) => m,
        Err(e) => {
            return Err(syntax_error(
                vm,
                &format!("Invalid regular expression: /{pattern}/{flags}: {e}"),
            ))
        }
    };
    let data = RegexData {
        matcher,
        source: escape_source(pattern),
        global: flags.contains('g'),
        sticky: flags.contains('y'),
        unicode: flags.contains('u') || flags.contains('v'),
        flags: canon,
        names: group_names(pattern),
    };
    let proto = vm.realm.regexp_proto.unwrap_or(vm.realm.object_proto);
    let o = vm.alloc(Some(proto), ObjKind::Ordinary);
    let k = vm.heap.key("lastIndex");
    vm.heap.obj_mut(o).put(k, Value::Num(0.0), WRITABLE);
    vm.realm.regexps.insert(o, Rc::new(data));
    Ok(Value::Obj(o))
}

fn regexp_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let p = arg(args, 0);
    let f = arg(args, 1);
    if let Some(r) = regexp_of(vm, &p) {
        // a RegExp keeps its pattern (the source is already escaped: unescape `\/`)
        let flags = match f {
            Value::Undefined => r.flags.clone(),
            v => vm.to_string(&v)?,
        };
        let src = if r.source == "(?:)" {
            String::new()
        } else {
            r.source.clone()
        };
        return create(vm, &src, &flags);
    }
    let pattern = match p {
        Value::Undefined => String::new(),
        v => vm.to_string(&v)?,
    };
    let flags = match f {
        Value::Undefined => String::new(),
        v => vm.to_string(&v)?,
    };
    create(vm, &pattern, &flags)
}

/// The hidden `%RegExpCreate%(pattern, flags)` the compiler calls for each literal evaluation.
fn regexp_literal(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let p = vm.to_string(&arg(args, 0))?;
    let f = vm.to_string(&arg(args, 1))?;
    create(vm, &p, &f)
}

fn this_regexp(vm: &mut Vm, this: &Value, method: &str) -> Result<(ObjId, Rc<RegexData>), Value> {
    match (this, regexp_of(vm, this)) {
        (Value::Obj(o), Some(r)) => Ok((*o, r)),
        _ => {
            let d = vm.to_display_short(this);
            vm.throw_type(&format!(
                "Method RegExp.prototype.{method} called on incompatible receiver {d}"
            ))
        }
    }
}

/// Finds the first match starting at or after `from` (UTF-16 index).
fn find_at(r: &RegexData, u: &[u16], from: usize) -> Option<Found> {
    if from > u.len() {
        return None;
    }
    let m = r.matcher.find_from(u, from)?;
    Some(Found {
        start: m.range.start,
        end: m.range.end,
        caps: m
            .captures
            .iter()
            .map(|c| c.as_ref().map(|r| (r.start, r.end)))
            .collect(),
        names: r.names.clone(),
    })
}

/// Named capture groups of a pattern with their 0-based capture indices.
fn group_names(p: &str) -> Vec<(String, usize)> {
    let c: Vec<char> = p.chars().collect();
    let mut out = vec![];
    let mut count = 0;
    let mut i = 0;
    let mut in_class = false;
    while i < c.len() {
        match c[i] {
            '\\' => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => {
                if c.get(i + 1) != Some(&'?') {
                    count += 1;
                } else if c.get(i + 2) == Some(&'<')
                    && !matches!(c.get(i + 3), Some('=') | Some('!'))
                {
                    let name: String = c[i + 3..].iter().take_while(|x| **x != '>').collect();
                    out.push((name, count));
                    count += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The match at exactly `at` (sticky semantics) or the first one after it.
fn exec_raw(r: &RegexData, u: &[u16], last: usize) -> Option<Found> {
    let f = find_at(r, u, last)?;
    if r.sticky && f.start != last {
        return None;
    }
    Some(f)
}

fn get_last_index(vm: &mut Vm, o: ObjId) -> Result<usize, Value> {
    let v = vm.get_by_name(&Value::Obj(o), "lastIndex")?;
    let n = vm.to_number(&v)?;
    Ok(if n.is_nan() || n <= 0.0 {
        0
    } else {
        n.min(9007199254740991.0) as usize
    })
}
fn set_last_index(vm: &mut Vm, o: ObjId, n: usize) -> Result<(), Value> {
    let k = vm.heap.key("lastIndex");
    let writable = vm
        .heap
        .obj(o)
        .get_own(k)
        .is_none_or(|p| p.flags & WRITABLE != 0);
    if !writable {
        return vm.throw_type("Cannot assign to read only property 'lastIndex' of object");
    }
    let flags = vm.heap.obj(o).get_own(k).map_or(WRITABLE, |p| p.flags);
    vm.heap.obj_mut(o).put(k, Value::Num(n as f64), flags);
    Ok(())
}

/// RegExpBuiltinExec: the match honouring and updating `lastIndex` for g/y.
fn builtin_exec(vm: &mut Vm, o: ObjId, r: &RegexData, u: &[u16]) -> Result<Option<Found>, Value> {
    let uses_last = r.global || r.sticky;
    let last = if uses_last { get_last_index(vm, o)? } else { 0 };
    if last > u.len() {
        if uses_last {
            set_last_index(vm, o, 0)?;
        }
        return Ok(None);
    }
    match exec_raw(r, u, last) {
        None => {
            if uses_last {
                set_last_index(vm, o, 0)?;
            }
            Ok(None)
        }
        Some(f) => {
            if uses_last {
                set_last_index(vm, o, f.end)?;
            }
            Ok(Some(f))
        }
    }
}

/// The match array: `[match, ...captures, index, input, groups]`.
fn match_array(vm: &mut Vm, f: &Found, u: &[u16], input: &Value) -> Value {
    let mut items = vec![Value::str(&text(&u[f.start..f.end]))];
    for c in &f.caps {
        items.push(match c {
            Some((a, b)) => Value::str(&text(&u[*a..*b])),
            None => Value::Undefined,
        });
    }
    let arr = vm.new_array(items);
    let Value::Obj(a) = arr else { return arr };
    vm.put(a, "index", Value::Num(f.start as f64));
    vm.put(a, "input", input.clone());
    let groups = groups_object(vm, f, u);
    vm.put(a, "groups", groups);
    arr
}

fn groups_object(vm: &mut Vm, f: &Found, u: &[u16]) -> Value {
    if f.names.is_empty() {
        return Value::Undefined;
    }
    let g = vm.alloc(None, ObjKind::Ordinary);
    for (n, i) in &f.names {
        let v = match f.caps.get(*i).cloned().flatten() {
            Some((a, b)) => Value::str(&text(&u[a..b])),
            None => Value::Undefined,
        };
        vm.put(g, n, v);
    }
    Value::Obj(g)
}

fn exec(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, r) = this_regexp(vm, &this, "exec")?;
    let s = vm.to_string(&arg(args, 0))?;
    let u = units(&s);
    let input = Value::str(&s);
    match builtin_exec(vm, o, &r, &u)? {
        Some(f) => Ok(match_array(vm, &f, &u, &input)),
        None => Ok(Value::Null),
    }
}
fn test(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, r) = this_regexp(vm, &this, "test")?;
    let s = vm.to_string(&arg(args, 0))?;
    let u = units(&s);
    Ok(Value::Bool(builtin_exec(vm, o, &r, &u)?.is_some()))
}
fn to_string(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let (_, r) = this_regexp(vm, &this, "toString")?;
    Ok(Value::str(&format!("/{}/{}", r.source, r.flags)))
}
macro_rules! getter {
    ($name:ident, $js:literal, |$r:ident| $e:expr) => {
        fn $name(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
            if this.as_obj() == vm.realm.regexp_proto {
                return Ok(Value::Undefined);
            }
            let (_, $r) = this_regexp(vm, &this, $js)?;
            Ok($e)
        }
    };
}
getter!(get_source, "source", |r| Value::str(&r.source));
getter!(get_flags, "flags", |r| Value::str(&r.flags));
getter!(get_global, "global", |r| Value::Bool(r.global));
getter!(get_ignore_case, "ignoreCase", |r| Value::Bool(
    r.flags.contains('i')
));
getter!(get_multiline, "multiline", |r| Value::Bool(
    r.flags.contains('m')
));
getter!(get_sticky, "sticky", |r| Value::Bool(r.sticky));
getter!(get_unicode, "unicode", |r| Value::Bool(
    r.flags.contains('u')
));
getter!(get_dot_all, "dotAll", |r| Value::Bool(
    r.flags.contains('s')
));
getter!(get_has_indices, "hasIndices", |r| Value::Bool(
    r.flags.contains('d')
));

/// Index after `i` for an empty match (by code point with the u flag).
fn advance(u: &[u16], i: usize, unicode: bool) -> usize {
    if unicode
        && i + 1 < u.len()
        && (0xD800..0xDC00).contains(&u[i])
        && (0xDC00..0xE000).contains(&u[i + 1])
    {
        i + 2
    } else {
        i + 1
    }
}

/// All matches of a global regexp from 0 (resets lastIndex to 0 as the spec's loop does).
fn all_matches(vm: &mut Vm, o: ObjId, r: &RegexData, u: &[u16]) -> Result<Vec<Found>, Value> {
    set_last_index(vm, o, 0)?;
    let mut out = vec![];
    let mut last = 0;
    while last <= u.len() {
        let Some(f) = exec_raw(r, u, last) else { break };
        last = if f.end == f.start {
            advance(u, f.end, r.unicode)
        } else {
            f.end
        };
        out.push(f);
    }
    set_last_index(vm, o, 0)?;
    Ok(out)
}

/// `str.match(re)`.
pub fn string_match(vm: &mut Vm, s: &str, re: &Value) -> JsResult {
    let Some(r) = regexp_of(vm, re) else {
        return Ok(Value::Undefined);
    };
    let o = re.as_obj().unwrap_or(0);
    let u = units(s);
    if !r.global {
        let input = Value::str(s);
        return Ok(match builtin_exec(vm, o, &r, &u)? {
            Some(f) => match_array(vm, &f, &u, &input),
            None => Value::Null,
        });
    }
    let ms = all_matches(vm, o, &r, &u)?;
    if ms.is_empty() {
        return Ok(Value::Null);
    }
    let items = ms
        .iter()
        .map(|f| Value::str(&text(&u[f.start..f.end])))
        .collect();
    Ok(vm.new_array(items))
}

/// `str.matchAll(re)`: an iterator over the match arrays.
pub fn string_match_all(vm: &mut Vm, s: &str, re: &Value) -> JsResult {
    let Some(r) = regexp_of(vm, re) else {
        return Ok(Value::Undefined);
    };
    if !r.global {
        return vm.throw_type("String.prototype.matchAll called with a non-global RegExp argument");
    }
    let o = re.as_obj().unwrap_or(0);
    let last = get_last_index(vm, o)?;
    let u = units(s);
    let input = Value::str(s);
    let mut out = vec![];
    let mut at = last;
    while at <= u.len() {
        let Some(f) = exec_raw(&r, &u, at) else { break };
        at = if f.end == f.start {
            advance(&u, f.end, r.unicode)
        } else {
            f.end
        };
        out.push(match_array(vm, &f, &u, &input));
    }
    let arr = vm.new_array(out);
    Ok(super::array::make_iter(vm, arr, 0))
}

/// `str.search(re)`.
pub fn string_search(vm: &mut Vm, s: &str, re: &Value) -> JsResult {
    let Some(r) = regexp_of(vm, re) else {
        return Ok(Value::Undefined);
    };
    let u = units(s);
    Ok(Value::Num(match exec_raw(&r, &u, 0) {
        Some(f) if !r.sticky || f.start == 0 => f.start as f64,
        _ => -1.0,
    }))
}

/// GetSubstitution: expands `$$ $& $` $' $n $nn $<name>` in a replacement template.
pub fn expand_template(
    t: &[u16],
    u: &[u16],
    start: usize,
    end: usize,
    caps: &[Option<String>],
    named: Option<&[(String, Option<String>)]>,
) -> String {
    let mut out: Vec<u16> = vec![];
    let mut i = 0;
    let m = caps.len();
    while i < t.len() {
        let c = t[i];
        if c != b'$' as u16 || i + 1 >= t.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let n = t[i + 1];
        match n {
            0x24 => {
                out.push(0x24);
                i += 2;
            }
            0x26 => {
                out.extend_from_slice(&u[start..end]);
                i += 2;
            }
            0x60 => {
                out.extend_from_slice(&u[..start]);
                i += 2;
            }
            0x27 => {
                out.extend_from_slice(&u[end.min(u.len())..]);
                i += 2;
            }
            0x30..=0x39 => {
                let d1 = (n - 0x30) as usize;
                let two = t
                    .get(i + 2)
                    .filter(|d| (0x30..=0x39).contains(*d))
                    .map(|d| d1 * 10 + (*d - 0x30) as usize);
                if let Some(k) = two.filter(|k| *k >= 1 && *k <= m) {
                    if let Some(s) = &caps[k - 1] {
                        out.extend(s.encode_utf16());
                    }
                    i += 3;
                } else if d1 >= 1 && d1 <= m {
                    if let Some(s) = &caps[d1 - 1] {
                        out.extend(s.encode_utf16());
                    }
                    i += 2;
                } else {
                    out.push(c);
                    i += 1;
                }
            }
            0x3C => match named {
                None => {
                    out.push(c);
                    i += 1;
                }
                Some(groups) => {
                    let close = t[i + 2..].iter().position(|x| *x == b'>' as u16);
                    match close {
                        None => {
                            out.push(c);
                            i += 1;
                        }
                        Some(p) => {
                            let name = text(&t[i + 2..i + 2 + p]);
                            if let Some((_, Some(v))) = groups.iter().find(|(g, _)| *g == name) {
                                out.extend(v.encode_utf16());
                            }
                            i += p + 3;
                        }
                    }
                }
            },
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    text(&out)
}

/// `str.replace(re, rep)` / `replaceAll` (which requires the g flag).
pub fn string_replace(vm: &mut Vm, s: &str, re: &Value, rep: &Value, all: bool) -> JsResult {
    let Some(r) = regexp_of(vm, re) else {
        return Ok(Value::Undefined);
    };
    if all && !r.global {
        return vm
            .throw_type("String.prototype.replaceAll called with a non-global RegExp argument");
    }
    let o = re.as_obj().unwrap_or(0);
    let u = units(s);
    let found: Vec<Found> = if r.global {
        all_matches(vm, o, &r, &u)?
    } else {
        builtin_exec(vm, o, &r, &u)?.into_iter().collect()
    };
    let functional = vm.is_callable(rep);
    let template: Vec<u16> = if functional {
        vec![]
    } else {
        units(&vm.to_string(rep)?)
    };
    let mut out: Vec<u16> = vec![];
    let mut next = 0;
    for f in &found {
        let caps: Vec<Option<String>> = f
            .caps
            .iter()
            .map(|c| c.map(|(a, b)| text(&u[a..b])))
            .collect();
        let named: Option<Vec<(String, Option<String>)>> = if f.names.is_empty() {
            None
        } else {
            Some(
                f.names
                    .iter()
                    .map(|(n, i)| (n.clone(), caps.get(*i).cloned().flatten()))
                    .collect(),
            )
        };
        let piece = if functional {
            let mut args = vec![Value::str(&text(&u[f.start..f.end]))];
            for c in &caps {
                args.push(c.as_deref().map_or(Value::Undefined, Value::str));
            }
            args.push(Value::Num(f.start as f64));
            args.push(Value::str(s));
            if !f.names.is_empty() {
                let g = groups_object(vm, f, &u);
                args.push(g);
            }
            let v = vm.call(rep, Value::Undefined, &args)?;
            vm.to_string(&v)?
        } else {
            expand_template(&template, &u, f.start, f.end, &caps, named.as_deref())
        };
        if f.start >= next {
            out.extend_from_slice(&u[next..f.start]);
            out.extend(piece.encode_utf16());
            next = f.end;
        }
    }
    out.extend_from_slice(&u[next.min(u.len())..]);
    Ok(Value::str(&text(&out)))
}

/// `str.split(re, limit)` (the spec's sticky-matching loop).
pub fn string_split(vm: &mut Vm, s: &str, re: &Value, limit: usize) -> JsResult {
    let Some(r) = regexp_of(vm, re) else {
        return Ok(Value::Undefined);
    };
    let u = units(s);
    let mut parts: Vec<Value> = vec![];
    if limit == 0 {
        return Ok(vm.new_array(parts));
    }
    if u.is_empty() {
        if find_at(&r, &u, 0).is_some_and(|f| f.start == 0) {
            return Ok(vm.new_array(parts));
        }
        return Ok(vm.new_array(vec![Value::str(s)]));
    }
    let mut p = 0;
    let mut q = 0;
    while q < u.len() {
        let Some(f) = find_at(&r, &u, q) else { break };
        if f.start >= u.len() {
            break;
        }
        q = f.start;
        let e = f.end.min(u.len());
        if e == p {
            q = advance(&u, q, r.unicode);
            continue;
        }
        parts.push(Value::str(&text(&u[p..q])));
        if parts.len() == limit {
            return Ok(vm.new_array(parts));
        }
        for c in &f.caps {
            parts.push(match c {
                Some((a, b)) => Value::str(&text(&u[*a..*b])),
                None => Value::Undefined,
            });
            if parts.len() == limit {
                return Ok(vm.new_array(parts));
            }
        }
        p = e;
        q = if e == f.start {
            advance(&u, e, r.unicode)
        } else {
            e
        };
    }
    parts.push(Value::str(&text(&u[p.min(u.len())..])));
    Ok(vm.new_array(parts))
}

pub fn install(vm: &mut Vm) {
    let op = vm.realm.object_proto;
    let proto = vm.alloc(Some(op), ObjKind::Ordinary);
    vm.realm.regexp_proto = Some(proto);
    let ctor = vm.make_native("RegExp", 2, regexp_ctor, vec![]);
    super::link_ctor(vm, ctor, proto);
    vm.method(proto, "exec", 1, exec);
    vm.method(proto, "test", 1, test);
    vm.method(proto, "toString", 0, to_string);
    let getters: [(&'static str, crate::vm::NativeFn); 9] = [
        ("source", get_source),
        ("flags", get_flags),
        ("global", get_global),
        ("ignoreCase", get_ignore_case),
        ("multiline", get_multiline),
        ("sticky", get_sticky),
        ("unicode", get_unicode),
        ("dotAll", get_dot_all),
        ("hasIndices", get_has_indices),
    ];
    for (name, f) in getters {
        let g = vm.make_native(name, 0, f, vec![]);
        let k = vm.heap.key(name);
        vm.heap.obj_mut(proto).push_prop(Prop {
            key: k,
            slot: Slot::Accessor {
                get: Value::Obj(g),
                set: Value::Undefined,
            },
            flags: CONFIGURABLE,
        });
    }
    let g = vm.realm.global;
    vm.put_hidden(g, "RegExp", Value::Obj(ctor));
    let lit = vm.make_native("RegExpCreate", 2, regexp_literal, vec![]);
    vm.put_hidden(g, "%RegExpCreate%", Value::Obj(lit));
}
