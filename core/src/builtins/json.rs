//! `JSON.stringify` (replacer function/array, indent) and `JSON.parse` (with reviver-less
//! parsing and V8-style error messages).

use super::arg;
use crate::heap::*;
use crate::value::{number_to_string, ObjId, Value};
use crate::vm::{JsResult, Vm};

/// JSON string quoting.
pub fn quote_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Ctx {
    indent: String,
    replacer: Value,
    allow: Option<Vec<PropKey>>,
    /// The objects being serialised, outermost first, each with the key that reached it.
    stack: Vec<(ObjId, String)>,
}

/// V8's text for a cycle: the path from the object that starts it to the key that closes it
/// (at most two steps after the start and the last one, with `...` between).
fn circular_error(vm: &mut Vm, ctx: &Ctx, start: usize, key: &str) -> Value {
    // how the key `k` of `parent` is named: an array index or a property
    let step = |vm: &Vm, parent: ObjId, k: &str| {
        if matches!(vm.heap.obj(parent).kind, ObjKind::Array(_)) {
            format!("index {k}")
        } else {
            format!("property '{k}'")
        }
    };
    let name = |vm: &Vm, o: ObjId| vm.constructor_name_of(o).unwrap_or_else(|| "Object".into());
    let mut m = String::from("Converting circular structure to JSON");
    let first = ctx.stack[start].0;
    m.push_str(&format!(
        "\n    --> starting at object with constructor '{}'",
        name(vm, first)
    ));
    let inner: Vec<usize> = (start + 1..ctx.stack.len()).collect();
    for (n, &i) in inner.iter().enumerate() {
        if inner.len() > 3 && n >= 2 && n + 1 < inner.len() {
            if n == 2 {
                m.push_str("\n    |     ...");
            }
            continue;
        }
        let (o, k) = &ctx.stack[i];
        m.push_str(&format!(
            "\n    |     {} -> object with constructor '{}'",
            step(vm, ctx.stack[i - 1].0, k),
            name(vm, *o)
        ));
    }
    let parent = ctx.stack[ctx.stack.len() - 1].0;
    let closing = step(vm, parent, key);
    m.push_str(&format!("\n    --- {closing} closes the circle"));
    vm.type_error(&m)
}

fn ser(
    vm: &mut Vm,
    ctx: &mut Ctx,
    holder: &Value,
    key: &str,
    v: Value,
    cur_indent: &str,
) -> Result<Option<String>, Value> {
    let mut v = v;
    if let Value::Obj(_) = v {
        let tj = vm.get_by_name(&v, "toJSON")?;
        if vm.is_callable(&tj) {
            v = vm.call(&tj, v.clone(), &[Value::str(key)])?;
        }
    }
    if vm.is_callable(&ctx.replacer) {
        let r = ctx.replacer.clone();
        v = vm.call(&r, holder.clone(), &[Value::str(key), v])?;
    }
    if let Value::Obj(o) = &v {
        match vm.heap.obj(*o).kind {
            ObjKind::BoxedNumber(n) => v = Value::Num(n),
            ObjKind::BoxedString(ref s) => v = Value::Str(s.clone()),
            ObjKind::BoxedBool(b) => v = Value::Bool(b),
            _ => {}
        }
    }
    Ok(match &v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Num(n) => Some(if n.is_finite() {
            number_to_string(*n)
        } else {
            "null".into()
        }),
        Value::Str(s) => Some(quote_json(s)),
        Value::Undefined | Value::Sym(_) | Value::Uninit => None,
        Value::Obj(o) => {
            let o = *o;
            if vm.is_callable(&v) {
                return Ok(None);
            }
            if let Some(start) = ctx.stack.iter().position(|(x, _)| *x == o) {
                return Err(circular_error(vm, ctx, start, key));
            }
            if ctx.stack.len() > 5000 {
                return Err(vm.range_error("Maximum call stack size exceeded"));
            }
            ctx.stack.push((o, key.to_string()));
            let inner = format!("{cur_indent}{}", ctx.indent);
            let mut parts = vec![];
            let is_arr = vm.is_array(&v);
            if is_arr {
                let items = vm.array_items(&v);
                for (i, item) in items.into_iter().enumerate() {
                    let s = ser(vm, ctx, &v, &i.to_string(), item, &inner)?;
                    parts.push(s.unwrap_or_else(|| "null".into()));
                }
            } else {
                let keys = match &ctx.allow {
                    Some(a) => a.clone(),
                    None => vm.own_enum_keys(o),
                };
                for k in keys {
                    let Some(name) = vm.heap.key_name(k).cloned() else {
                        continue;
                    };
                    let item = vm.get(&v, k)?;
                    if let Some(s) = ser(vm, ctx, &v, &name, item, &inner)? {
                        let sep = if ctx.indent.is_empty() { ":" } else { ": " };
                        parts.push(format!("{}{sep}{s}", quote_json(&name)));
                    }
                }
            }
            ctx.stack.pop();
            let (open, close) = if is_arr { ("[", "]") } else { ("{", "}") };
            if parts.is_empty() {
                Some(format!("{open}{close}"))
            } else if ctx.indent.is_empty() {
                Some(format!("{open}{}{close}", parts.join(",")))
            } else {
                Some(format!(
                    "{open}\n{inner}{}\n{cur_indent}{close}",
                    parts.join(&format!(",\n{inner}"))
                ))
            }
        }
    })
}

/// JSON.stringify(value, replacer, space) as a Rust string (None = undefined).
pub fn stringify(
    vm: &mut Vm,
    v: Value,
    replacer: Value,
    space: Value,
) -> Result<Option<String>, Value> {
    let indent = match &space {
        Value::Num(n) => " ".repeat(n.clamp(0.0, 10.0) as usize),
        Value::Str(s) => s.chars().take(10).collect(),
        _ => String::new(),
    };
    let allow = if vm.is_array(&replacer) {
        let mut ks = vec![];
        for item in vm.array_items(&replacer) {
            ks.push(vm.to_property_key(&item)?);
        }
        Some(ks)
    } else {
        None
    };
    let mut ctx = Ctx {
        indent,
        replacer,
        allow,
        stack: vec![],
    };
    let holder = Value::Obj(vm.new_object());
    ser(vm, &mut ctx, &holder, "", v, "")
}

fn json_stringify(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(
        match stringify(vm, arg(args, 0), arg(args, 1), arg(args, 2))? {
            Some(s) => Value::str(&s),
            None => Value::Undefined,
        },
    )
}

struct Parser<'s> {
    s: &'s [u8],
    i: usize,
    src: &'s str,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    /// A V8-style "Expected ..." error at the current position (V8 names the position even
    /// at the end of the input).
    fn expected(&self, vm: &mut Vm, what: &str) -> Value {
        let p = vm.realm.syntax_error_proto;
        let msg = if what.starts_with("Unexpected non-whitespace") {
            format!("{what} at position {}", self.i)
        } else {
            format!("{what} in JSON at position {}", self.i)
        };
        vm.make_error(p, &msg)
    }
    fn err(&self, vm: &mut Vm) -> Value {
        let p = vm.realm.syntax_error_proto;
        if self.i >= self.s.len() {
            return vm.make_error(p, "Unexpected end of JSON input");
        }
        // V8 names a few whole inputs that often reach JSON.parse by mistake
        if matches!(
            self.src,
            "NaN" | "Infinity" | "undefined" | "[object Object]"
        ) {
            let msg = format!("\"{}\" is not valid JSON", self.src);
            return vm.make_error(p, &msg);
        }
        let c = self.src[self.i..].chars().next().unwrap_or(' ');
        let msg = format!(
            "Unexpected token '{c}', {} is not valid JSON",
            context(self.src, self.i)
        );
        vm.make_error(p, &msg)
    }
    /// `true`/`false`/`null`: an error at the first character that differs from `word`.
    fn literal(&mut self, vm: &mut Vm, word: &[u8], v: Value) -> JsResult {
        let rest = &self.s[self.i..];
        if rest.starts_with(word) {
            self.i += word.len();
            return Ok(v);
        }
        let same = rest.iter().zip(word).take_while(|(a, b)| a == b).count();
        self.i += same;
        Err(self.err(vm))
    }
    fn value(&mut self, vm: &mut Vm, depth: usize) -> JsResult {
        self.ws();
        if depth > 5000 {
            return Err(vm.range_error("Maximum call stack size exceeded"));
        }
        let Some(&c) = self.s.get(self.i) else {
            return Err(self.err(vm));
        };
        match c {
            b'{' => {
                self.i += 1;
                let o = vm.new_object();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Value::Obj(o));
                }
                let mut first = true;
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        return Err(self.expected(
                            vm,
                            if first {
                                "Expected property name or '}'"
                            } else {
                                "Expected double-quoted property name"
                            },
                        ));
                    }
                    first = false;
                    let k = self.string(vm)?;
                    self.ws();
                    if self.s.get(self.i) != Some(&b':') {
                        return Err(self.expected(vm, "Expected ':' after property name"));
                    }
                    self.i += 1;
                    let v = self.value(vm, depth + 1)?;
                    let key = vm.heap.key(&k);
                    vm.define_own(o, key, v);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::Obj(o));
                        }
                        _ => {
                            return Err(
                                self.expected(vm, "Expected ',' or '}' after property value")
                            )
                        }
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = vec![];
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(vm.new_array(items));
                }
                loop {
                    items.push(self.value(vm, depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(vm.new_array(items));
                        }
                        _ => {
                            return Err(self.expected(vm, "Expected ',' or ']' after array element"))
                        }
                    }
                }
            }
            b'"' => Ok(Value::str(&self.string(vm)?)),
            b't' => self.literal(vm, b"true", Value::Bool(true)),
            b'f' => self.literal(vm, b"false", Value::Bool(false)),
            b'n' => self.literal(vm, b"null", Value::Null),
            b'-' if !matches!(self.s.get(self.i + 1), Some(b'0'..=b'9')) => {
                self.i += 1;
                Err(self.expected(vm, "No number after minus sign"))
            }
            b'-' | b'0'..=b'9' => {
                let start = self.i;
                let digits = if c == b'-' { start + 1 } else { start };
                if self.s.get(digits) == Some(&b'0')
                    && matches!(self.s.get(digits + 1), Some(b'0'..=b'9'))
                {
                    self.i = digits + 1;
                    return Err(self.expected(vm, "Unexpected number"));
                }
                // JSON's grammar: -? int (. digits)? ([eE] [+-]? digits)?
                self.i = digits;
                self.skip_digits();
                if self.s.get(self.i) == Some(&b'.') {
                    self.i += 1;
                    if self.skip_digits() == 0 {
                        return Err(self.expected(vm, "Unterminated fractional number"));
                    }
                }
                if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
                    self.i += 1;
                    if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                        self.i += 1;
                    }
                    if self.skip_digits() == 0 {
                        return Err(self.expected(vm, "Exponent part is missing a number"));
                    }
                }
                match self.src[start..self.i].parse::<f64>() {
                    Ok(n) => Ok(Value::Num(n)),
                    Err(_) => {
                        self.i = start;
                        Err(self.err(vm))
                    }
                }
            }
            _ => Err(self.err(vm)),
        }
    }
    /// Skips ASCII digits; returns how many.
    fn skip_digits(&mut self) -> usize {
        let from = self.i;
        while matches!(self.s.get(self.i), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - from
    }
    fn string(&mut self, vm: &mut Vm) -> Result<String, Value> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(&c) = self.s.get(self.i) else {
                return Err(self.expected(vm, "Unterminated string"));
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                0..=0x1f => {
                    return Err(self.expected(vm, "Bad control character in string literal"))
                }
                b'\\' => {
                    self.i += 1;
                    let Some(&e) = self.s.get(self.i) else {
                        return Err(self.err(vm));
                    };
                    self.i += 1;
                    match e {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'u' => {
                            let mut u = 0u32;
                            for _ in 0..4 {
                                let d = self.s.get(self.i).and_then(|c| (*c as char).to_digit(16));
                                let Some(d) = d else {
                                    return Err(self.expected(vm, "Bad Unicode escape"));
                                };
                                u = u * 16 + d;
                                self.i += 1;
                            }
                            out.push(char::from_u32(u).unwrap_or('\u{fffd}'));
                        }
                        b'"' | b'\\' | b'/' => out.push(e as char),
                        _ => {
                            self.i -= 1;
                            return Err(self.expected(vm, "Bad escaped character"));
                        }
                    }
                }
                _ => {
                    let ch = self.src[self.i..].chars().next().unwrap_or(' ');
                    out.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
    }
}

/// The source as V8 quotes it in "Unexpected token" messages: whole when shorter than 21
/// characters, else 10 characters either side of `pos` with `...` where it was cut.
fn context(src: &str, pos: usize) -> String {
    const CONTEXT: usize = 10;
    let chars: Vec<char> = src.chars().collect();
    let pos = src[..pos.min(src.len())].chars().count();
    let len = chars.len();
    if len <= CONTEXT * 2 {
        return format!("\"{src}\"");
    }
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    if pos < CONTEXT {
        format!("\"{}\"...", text(0, pos + CONTEXT))
    } else if pos >= len - CONTEXT {
        format!("...\"{}\"", text(pos - CONTEXT, len))
    } else {
        format!("...\"{}\"...", text(pos - CONTEXT, pos + CONTEXT))
    }
}

/// JSON.parse of a Rust string.
pub fn parse(vm: &mut Vm, text: &str) -> JsResult {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        src: text,
    };
    let v = p.value(vm, 0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.expected(vm, "Unexpected non-whitespace character after JSON"));
    }
    Ok(v)
}

fn json_parse(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let s = vm.to_string(&arg(args, 0))?;
    parse(vm, &s)
}

pub fn install(vm: &mut Vm) {
    let json = vm.new_object();
    vm.method(json, "stringify", 3, json_stringify);
    vm.method(json, "parse", 2, json_parse);
    let tag = PropKey::Sym(vm.syms.to_string_tag);
    vm.heap
        .obj_mut(json)
        .put(tag, Value::str("JSON"), CONFIGURABLE);
    let g = vm.realm.global;
    vm.put_hidden(g, "JSON", Value::Obj(json));
}
