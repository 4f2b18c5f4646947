//! `String` and `String.prototype` (regexp arguments are handled in [`super::regexp`]).

use super::{arg, link_ctor};
use crate::heap::*;
use crate::value::{utf16_len, JsStr, Value};
use crate::vm::{JsResult, Vm};
use std::rc::Rc;

fn this_str(vm: &mut Vm, this: &Value) -> Result<JsStr, Value> {
    match this {
        Value::Str(s) => Ok(s.clone()),
        Value::Obj(o) => {
            if let ObjKind::BoxedString(s) = &vm.heap.obj(*o).kind {
                return Ok(s.clone());
            }
            Ok(vm.to_string(this)?.into())
        }
        Value::Undefined | Value::Null => {
            vm.throw_type("String.prototype method called on null or undefined")
        }
        other => Ok(vm.to_string(other)?.into()),
    }
}

fn units(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// A string's UTF-16 view: `None` for ASCII (bytes are code units), else its code units.
type UnitsView = Option<Rc<[u16]>>;

thread_local! {
    /// The UTF-16 view of the most recently indexed long string, so loops like
    /// `for (i...) s.charCodeAt(i)` or `s[i]` / `s.length` cost O(1) per access instead of
    /// O(length). Holding the `Rc` keeps the address from being reused by another string.
    static UNITS_CACHE: std::cell::RefCell<Option<(JsStr, UnitsView)>> =
        const { std::cell::RefCell::new(None) };
}

/// Calls `f` with the UTF-16 view of `s` (cached for long strings).
pub fn with_units<R>(s: &JsStr, f: impl FnOnce(Option<&[u16]>) -> R) -> R {
    if s.is_ascii() {
        return f(None);
    }
    if s.len() < 64 {
        if s.is_ascii() {
            return f(None);
        }
        let u = units(s);
        return f(Some(&u));
    }
    let view = UNITS_CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if let Some((k, v)) = c.as_ref() {
            if JsStr::ptr_eq(k, s) {
                return v.clone();
            }
        }
        let v: UnitsView = if s.is_ascii() {
            None
        } else {
            Some(units(s).into())
        };
        *c = Some((s.clone(), v.clone()));
        v
    });
    f(view.as_deref())
}

/// `s.length` (UTF-16 code units), O(1) for repeated use on the same long string.
pub fn units_len(s: &JsStr) -> usize {
    s.utf16_len()
}

/// The code unit at index i.
pub fn unit_at(s: &JsStr, i: usize) -> Option<u16> {
    with_units(s, |u| match u {
        None => s.as_bytes().get(i).map(|b| *b as u16),
        Some(u) => u.get(i).copied(),
    })
}

/// `s[i]`: the code unit at index i as a string.
pub fn index_string(s: &JsStr, i: usize) -> Option<String> {
    with_units(s, |u| match u {
        None => s.get(i..i + 1).map(|x| x.to_string()),
        Some(u) => u.get(i).map(|c| from_units(&[*c])),
    })
}
fn from_units(u: &[u16]) -> String {
    String::from_utf16_lossy(u)
}
fn arg_str(vm: &mut Vm, args: &[Value], i: usize) -> Result<String, Value> {
    let v = arg(args, i);
    vm.to_string(&v)
}
fn clamp_index(vm: &mut Vm, v: &Value, len: usize, default: usize) -> Result<usize, Value> {
    if let Value::Undefined = v {
        return Ok(default);
    }
    let n = vm.to_number(v)?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    Ok(n.max(0.0).min(len as f64) as usize)
}
fn rel_index(vm: &mut Vm, v: &Value, len: usize, default: usize) -> Result<usize, Value> {
    if let Value::Undefined = v {
        return Ok(default);
    }
    let n = vm.to_number(v)?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    Ok(if n < 0.0 {
        (len as f64 + n).max(0.0) as usize
    } else {
        (n as usize).min(len)
    })
}

fn find_units(h: &[u16], n: &[u16], from: usize) -> Option<usize> {
    if n.is_empty() {
        return Some(from.min(h.len()));
    }
    if n.len() > h.len() {
        return None;
    }
    (from..=h.len() - n.len()).find(|&i| &h[i..i + n.len()] == n)
}

macro_rules! sfn {
    ($name:ident, |$vm:ident, $s:ident, $args:ident| $body:block) => {
        fn $name($vm: &mut Vm, this: Value, $args: &[Value], _d: &[Value]) -> JsResult {
            let $s = this_str($vm, &this)?;
            $body
        }
    };
}

sfn!(char_at, |vm, s, args| {
    let i = vm.to_number(&arg(args, 0))?;
    let i = if i.is_nan() { 0.0 } else { i.trunc() };
    if i < 0.0 || i >= units_len(&s) as f64 {
        return Ok(Value::str(""));
    }
    Ok(Value::str(
        &index_string(&s, i as usize).unwrap_or_default(),
    ))
});
sfn!(char_code_at, |vm, s, args| {
    let i = vm.to_number(&arg(args, 0))?;
    let i = if i.is_nan() { 0.0 } else { i.trunc() };
    if i < 0.0 || i >= units_len(&s) as f64 {
        return Ok(Value::Num(f64::NAN));
    }
    Ok(unit_at(&s, i as usize).map_or(Value::Num(f64::NAN), |c| Value::Num(c as f64)))
});
sfn!(code_point_at, |vm, s, args| {
    let u = units(&s);
    let i = vm.to_number(&arg(args, 0))?;
    let i = if i.is_nan() { 0 } else { i as usize };
    if i >= u.len() {
        return Ok(Value::Undefined);
    }
    let c = char::decode_utf16(u[i..].iter().cloned()).next();
    Ok(match c {
        Some(Ok(c)) => Value::Num(c as u32 as f64),
        _ => Value::Num(u[i] as f64),
    })
});
sfn!(str_at, |vm, s, args| {
    let len = units_len(&s) as f64;
    let i = vm.to_number(&arg(args, 0))?;
    let i = if i.is_nan() { 0.0 } else { i.trunc() };
    let i = if i < 0.0 { len + i } else { i };
    if i < 0.0 || i >= len {
        return Ok(Value::Undefined);
    }
    Ok(index_string(&s, i as usize).map_or(Value::Undefined, |c| Value::str(&c)))
});
sfn!(index_of, |vm, s, args| {
    let n = arg_str(vm, args, 0)?;
    let u = units(&s);
    let from = clamp_index(vm, &arg(args, 1), u.len(), 0)?;
    Ok(Value::Num(
        find_units(&u, &units(&n), from)
            .map(|i| i as f64)
            .unwrap_or(-1.0),
    ))
});
sfn!(last_index_of, |vm, s, args| {
    let n = units(&arg_str(vm, args, 0)?);
    let u = units(&s);
    if n.len() > u.len() {
        return Ok(Value::Num(-1.0));
    }
    for i in (0..=u.len() - n.len()).rev() {
        if u[i..i + n.len()] == n[..] {
            return Ok(Value::Num(i as f64));
        }
    }
    Ok(Value::Num(-1.0))
});
sfn!(includes, |vm, s, args| {
    let n = arg_str(vm, args, 0)?;
    let u = units(&s);
    let from = clamp_index(vm, &arg(args, 1), u.len(), 0)?;
    Ok(Value::Bool(find_units(&u, &units(&n), from).is_some()))
});
sfn!(starts_with, |vm, s, args| {
    let n = units(&arg_str(vm, args, 0)?);
    let u = units(&s);
    let from = clamp_index(vm, &arg(args, 1), u.len(), 0)?;
    Ok(Value::Bool(
        u.len() >= from + n.len() && u[from..from + n.len()] == n[..],
    ))
});
sfn!(ends_with, |vm, s, args| {
    let n = units(&arg_str(vm, args, 0)?);
    let u = units(&s);
    let end = clamp_index(vm, &arg(args, 1), u.len(), u.len())?;
    Ok(Value::Bool(
        end >= n.len() && u[end - n.len()..end] == n[..],
    ))
});
sfn!(slice, |vm, s, args| {
    let u = units(&s);
    let a = rel_index(vm, &arg(args, 0), u.len(), 0)?;
    let b = rel_index(vm, &arg(args, 1), u.len(), u.len())?;
    Ok(Value::str(&if a < b {
        from_units(&u[a..b])
    } else {
        String::new()
    }))
});
sfn!(substring, |vm, s, args| {
    let u = units(&s);
    let a = clamp_index(vm, &arg(args, 0), u.len(), 0)?;
    let b = clamp_index(vm, &arg(args, 1), u.len(), u.len())?;
    let (a, b) = if a > b { (b, a) } else { (a, b) };
    Ok(Value::str(&from_units(&u[a..b])))
});
sfn!(substr, |vm, s, args| {
    let u = units(&s);
    let a = rel_index(vm, &arg(args, 0), u.len(), 0)?;
    let n = match arg(args, 1) {
        Value::Undefined => u.len(),
        v => vm.to_number(&v)?.max(0.0) as usize,
    };
    let b = (a + n).min(u.len());
    Ok(Value::str(&from_units(&u[a..b])))
});
sfn!(to_upper, |_vm, s, _args| {
    Ok(Value::str(&s.to_uppercase()))
});
sfn!(to_lower, |_vm, s, _args| {
    Ok(Value::str(&s.to_lowercase()))
});
fn is_ws(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}
sfn!(trim, |_vm, s, _args| {
    Ok(Value::str(s.trim_matches(is_ws)))
});
sfn!(trim_start, |_vm, s, _args| {
    Ok(Value::str(s.trim_start_matches(is_ws)))
});
sfn!(trim_end, |_vm, s, _args| {
    Ok(Value::str(s.trim_end_matches(is_ws)))
});
fn pad(vm: &mut Vm, s: &str, args: &[Value], start: bool) -> JsResult {
    let target = vm.to_number(&arg(args, 0))?;
    let filler = match arg(args, 1) {
        Value::Undefined => " ".to_string(),
        v => vm.to_string(&v)?,
    };
    let len = utf16_len(s);
    if target.is_nan() || target as usize <= len || filler.is_empty() {
        return Ok(Value::str(s));
    }
    let need = target as usize - len;
    let fu = units(&filler);
    let padu: Vec<u16> = fu.iter().cycle().take(need).cloned().collect();
    let p = from_units(&padu);
    Ok(Value::str(&if start { p + s } else { s.to_string() + &p }))
}
sfn!(pad_start, |vm, s, args| { pad(vm, &s, args, true) });
sfn!(pad_end, |vm, s, args| { pad(vm, &s, args, false) });
sfn!(repeat, |vm, s, args| {
    let n = vm.to_number(&arg(args, 0))?;
    if n < 0.0 || n.is_infinite() {
        return Err(vm.range_error(&format!(
            "Invalid count value: {}",
            crate::value::number_to_string(n)
        )));
    }
    let n = if n.is_nan() { 0 } else { n as usize };
    if s.len().saturating_mul(n) > 1 << 29 {
        return Err(vm.range_error("Invalid string length"));
    }
    Ok(Value::str(&s.repeat(n)))
});
sfn!(concat, |vm, s, args| {
    let mut out = s.to_string();
    for a in args {
        out.push_str(&vm.to_string(a)?);
    }
    Ok(Value::str(&out))
});
sfn!(split, |vm, s, args| {
    let limit = match arg(args, 1) {
        Value::Undefined => usize::MAX,
        v => vm.to_number(&v)? as u32 as usize,
    };
    let sep = arg(args, 0);
    if super::regexp::regexp_of(vm, &sep).is_some() {
        return super::regexp::string_split(vm, &s, &sep, limit);
    }
    let parts: Vec<Value> = match sep {
        Value::Undefined => vec![Value::Str(s.clone())],
        v => {
            let sep = vm.to_string(&v)?;
            if sep.is_empty() {
                units(&s)
                    .iter()
                    .map(|u| Value::str(&from_units(&[*u])))
                    .collect()
            } else {
                s.split(sep.as_str()).map(Value::str).collect()
            }
        }
    };
    let parts = parts.into_iter().take(limit).collect();
    Ok(vm.new_array(parts))
});
fn replace_impl(vm: &mut Vm, s: &str, args: &[Value], all: bool) -> JsResult {
    let re = arg(args, 0);
    if super::regexp::regexp_of(vm, &re).is_some() {
        return super::regexp::string_replace(vm, s, &re, &arg(args, 1), all);
    }
    let pat = arg_str(vm, args, 0)?;
    let rep = arg(args, 1);
    let mut out = String::new();
    let mut rest = 0usize;
    let mut positions = vec![];
    if pat.is_empty() {
        positions.push(0);
        if all {
            positions = s
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(s.len()))
                .collect();
        }
    } else {
        let mut from = 0;
        while let Some(i) = s[from..].find(pat.as_str()) {
            positions.push(from + i);
            from += i + pat.len();
            if !all {
                break;
            }
        }
    }
    for p in positions {
        out.push_str(&s[rest..p]);
        let r = if vm.is_callable(&rep) {
            let pos = utf16_len(&s[..p]);
            let v = vm.call(
                &rep,
                Value::Undefined,
                &[Value::str(&pat), Value::Num(pos as f64), Value::str(s)],
            )?;
            vm.to_string(&v)?
        } else {
            let t: Vec<u16> = vm.to_string(&rep)?.encode_utf16().collect();
            let u: Vec<u16> = s.encode_utf16().collect();
            let start = utf16_len(&s[..p]);
            let end = start + utf16_len(&pat);
            super::regexp::expand_template(&t, &u, start, end, &[], None)
        };
        out.push_str(&r);
        rest = p + pat.len();
    }
    out.push_str(&s[rest.min(s.len())..]);
    Ok(Value::str(&out))
}
sfn!(replace, |vm, s, args| { replace_impl(vm, &s, args, false) });
sfn!(replace_all, |vm, s, args| {
    replace_impl(vm, &s, args, true)
});
sfn!(to_string, |_vm, s, _args| { Ok(Value::Str(s)) });
/// The regexp argument of match/matchAll/search, or a new one made from it.
fn regexp_arg(vm: &mut Vm, v: &Value, flags: &str) -> JsResult {
    if super::regexp::regexp_of(vm, v).is_some() {
        return Ok(v.clone());
    }
    let p = match v {
        Value::Undefined => String::new(),
        v => vm.to_string(v)?,
    };
    super::regexp::create(vm, &p, flags)
}
sfn!(str_match, |vm, s, args| {
    let re = regexp_arg(vm, &arg(args, 0), "")?;
    super::regexp::string_match(vm, &s, &re)
});
sfn!(str_match_all, |vm, s, args| {
    let re = regexp_arg(vm, &arg(args, 0), "g")?;
    super::regexp::string_match_all(vm, &s, &re)
});
sfn!(str_search, |vm, s, args| {
    let re = regexp_arg(vm, &arg(args, 0), "")?;
    super::regexp::string_search(vm, &s, &re)
});
sfn!(locale_compare, |vm, s, args| {
    let o = arg_str(vm, args, 0)?;
    Ok(Value::Num(match s.as_ref().cmp(o.as_str()) {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }))
});
sfn!(normalize, |_vm, s, _args| { Ok(Value::Str(s)) });
sfn!(str_iter, |vm, s, _args| {
    Ok(super::array::make_iter(vm, Value::Str(s), 0))
});

fn string_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let s: JsStr = match args.first() {
        None => "".into(),
        Some(Value::Sym(_)) => {
            let d = vm.to_display(&args[0]);
            d.into()
        }
        Some(v) => vm.to_string(v)?.into(),
    };
    if let Some(nt) = vm.new_target.clone() {
        let p = vm.realm.string_proto;
        let o = vm.ordinary_create_from(&nt, p, ObjKind::BoxedString(s));
        return Ok(Value::Obj(o));
    }
    Ok(Value::Str(s))
}
fn from_char_code(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let mut u = vec![];
    for a in args {
        u.push(vm.to_number(a)? as u32 as u16);
    }
    Ok(Value::str(&from_units(&u)))
}
fn from_code_point(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let mut s = String::new();
    for a in args {
        let n = vm.to_number(a)?;
        match char::from_u32(n as u32) {
            Some(c) => s.push(c),
            None => {
                return Err(vm.range_error(&format!(
                    "Invalid code point {}",
                    crate::value::number_to_string(n)
                )))
            }
        }
    }
    Ok(Value::str(&s))
}

pub fn install(vm: &mut Vm) {
    let proto = vm.realm.string_proto;
    let ctor = vm.make_native("String", 1, string_ctor, vec![]);
    link_ctor(vm, ctor, proto);
    vm.method(ctor, "fromCharCode", 1, from_char_code);
    vm.method(ctor, "fromCodePoint", 1, from_code_point);
    let table: &[(&'static str, u8, crate::vm::NativeFn)] = &[
        ("charAt", 1, char_at),
        ("charCodeAt", 1, char_code_at),
        ("codePointAt", 1, code_point_at),
        ("at", 1, str_at),
        ("indexOf", 1, index_of),
        ("lastIndexOf", 1, last_index_of),
        ("includes", 1, includes),
        ("startsWith", 1, starts_with),
        ("endsWith", 1, ends_with),
        ("slice", 2, slice),
        ("substring", 2, substring),
        ("substr", 2, substr),
        ("toUpperCase", 0, to_upper),
        ("toLowerCase", 0, to_lower),
        ("toLocaleUpperCase", 0, to_upper),
        ("toLocaleLowerCase", 0, to_lower),
        ("trim", 0, trim),
        ("trimStart", 0, trim_start),
        ("trimEnd", 0, trim_end),
        ("padStart", 2, pad_start),
        ("padEnd", 2, pad_end),
        ("repeat", 1, repeat),
        ("concat", 1, concat),
        ("split", 2, split),
        ("replace", 2, replace),
        ("replaceAll", 2, replace_all),
        ("match", 1, str_match),
        ("matchAll", 1, str_match_all),
        ("search", 1, str_search),
        ("toString", 0, to_string),
        ("valueOf", 0, to_string),
        ("localeCompare", 1, locale_compare),
        ("normalize", 0, normalize),
    ];
    for (n, l, f) in table {
        vm.method(proto, n, *l, *f);
    }
    let it = vm.make_native("[Symbol.iterator]", 0, str_iter, vec![]);
    let k = PropKey::Sym(vm.syms.iterator);
    vm.heap.obj_mut(proto).put(k, Value::Obj(it), HIDDEN);
    let g = vm.realm.global;
    vm.put_hidden(g, "String", Value::Obj(ctor));
}
