//! Number, Boolean, Symbol, Math, `performance` (virtual clock) and the global numeric functions.

use super::{arg, link_ctor};
use crate::heap::*;
use crate::value::{number_to_radix_string, number_to_string, Value};
use crate::vm::{JsResult, Vm};

fn this_num(vm: &mut Vm, this: &Value) -> Result<f64, Value> {
    match this {
        Value::Num(n) => Ok(*n),
        Value::Obj(o) => match vm.heap.obj(*o).kind {
            ObjKind::BoxedNumber(n) => Ok(n),
            _ => vm.throw_type("Number.prototype.valueOf requires that 'this' be a Number"),
        },
        _ => vm.throw_type("Number.prototype.valueOf requires that 'this' be a Number"),
    }
}

fn number_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let n = if args.is_empty() {
        0.0
    } else {
        vm.to_number(&args[0])?
    };
    if let Some(nt) = vm.new_target.clone() {
        let p = vm.realm.number_proto;
        return Ok(Value::Obj(vm.ordinary_create_from(
            &nt,
            p,
            ObjKind::BoxedNumber(n),
        )));
    }
    Ok(Value::Num(n))
}

/// Number.prototype.toFixed.
pub fn to_fixed_string(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return number_to_string(x);
    }
    if x.abs() >= 1e21 {
        return number_to_string(x);
    }
    // round half away from zero on the exact decimal expansion
    let s = format!("{:.*}", digits + 30, x.abs());
    let (int_part, frac_part) = s.split_once('.').unwrap_or((&s, ""));
    let mut digits_vec: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes().take(digits))
        .map(|b| b - b'0')
        .collect();
    let next = frac_part
        .as_bytes()
        .get(digits)
        .map(|b| b - b'0')
        .unwrap_or(0);
    if next >= 5 {
        let mut i = digits_vec.len();
        loop {
            if i == 0 {
                digits_vec.insert(0, 1);
                break;
            }
            i -= 1;
            if digits_vec[i] == 9 {
                digits_vec[i] = 0;
            } else {
                digits_vec[i] += 1;
                break;
            }
        }
    }
    let int_len = digits_vec.len() - digits;
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    for d in &digits_vec[..int_len] {
        out.push((b'0' + d) as char);
    }
    if digits > 0 {
        out.push('.');
        for d in &digits_vec[int_len..] {
            out.push((b'0' + d) as char);
        }
    }
    out
}

fn to_fixed(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let x = this_num(vm, &this)?;
    let f = vm.to_number(&arg(args, 0))?;
    let f = if f.is_nan() { 0.0 } else { f };
    if !(0.0..=100.0).contains(&f) {
        return Err(vm.range_error("toFixed() digits argument must be between 0 and 100"));
    }
    Ok(Value::str(&to_fixed_string(x, f as usize)))
}

fn to_precision(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let x = this_num(vm, &this)?;
    if let Value::Undefined = arg(args, 0) {
        return Ok(Value::str(&number_to_string(x)));
    }
    let p = vm.to_number(&arg(args, 0))? as usize;
    if !(1..=100).contains(&p) {
        return Err(vm.range_error("toPrecision() argument must be between 1 and 100"));
    }
    if !x.is_finite() {
        return Ok(Value::str(&number_to_string(x)));
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let (d, e) = round_significant(x.abs(), p);
    let digits: String = d.iter().map(|c| (b'0' + c) as char).collect();
    if e < -6 || e >= p as i32 {
        return Ok(Value::str(&format!(
            "{sign}{}",
            exponential_text(&digits, e)
        )));
    }
    let out = if e >= 0 {
        let (a, b) = digits.split_at(e as usize + 1);
        if b.is_empty() {
            a.to_string()
        } else {
            format!("{a}.{b}")
        }
    } else {
        format!("0.{}{digits}", "0".repeat((-e - 1) as usize))
    };
    Ok(Value::str(&format!("{sign}{out}")))
}

/// The first `sig` significant decimal digits of `x` (finite, >= 0), rounded half up on the
/// exact binary value as Number.prototype.toPrecision/toExponential specify, with the decimal
/// exponent of the first digit. Zero gives all-zero digits and exponent 0.
pub fn round_significant(x: f64, sig: usize) -> (Vec<u8>, i32) {
    if x == 0.0 {
        return (vec![0; sig], 0);
    }
    // 800 fractional digits are enough for the exact expansion of any f64
    let s = format!("{:.800e}", x);
    let (m, ex) = s.split_once('e').unwrap_or((&s, "0"));
    let mut e: i32 = ex.parse().unwrap_or(0);
    let all: Vec<u8> = m
        .bytes()
        .filter(|b| b.is_ascii_digit())
        .map(|b| b - b'0')
        .collect();
    let mut d: Vec<u8> = all.iter().copied().take(sig).collect();
    while d.len() < sig {
        d.push(0);
    }
    if all.get(sig).copied().unwrap_or(0) >= 5 {
        let mut i = sig;
        loop {
            if i == 0 {
                d.insert(0, 1);
                d.truncate(sig);
                e += 1;
                break;
            }
            i -= 1;
            if d[i] == 9 {
                d[i] = 0;
            } else {
                d[i] += 1;
                break;
            }
        }
    }
    (d, e)
}

/// `d.ddde+x` from a digit string and its exponent.
fn exponential_text(digits: &str, e: i32) -> String {
    let (a, b) = digits.split_at(1);
    let sep = if b.is_empty() { "" } else { "." };
    format!("{a}{sep}{b}e{}{}", if e >= 0 { "+" } else { "-" }, e.abs())
}

fn to_exponential(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let x = this_num(vm, &this)?;
    let fv = arg(args, 0);
    let f = vm.to_number(&fv)?;
    let f = if f.is_nan() { 0.0 } else { f.trunc() };
    if !x.is_finite() {
        return Ok(Value::str(&number_to_string(x)));
    }
    if !(0.0..=100.0).contains(&f) {
        return Err(vm.range_error("toExponential() argument must be between 0 and 100"));
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let (digits, e) = if let Value::Undefined = fv {
        if x == 0.0 {
            ("0".to_string(), 0)
        } else {
            // shortest round-trip digits
            let s = format!("{:e}", x.abs());
            let (m, ex) = s.split_once('e').unwrap_or((&s, "0"));
            (m.replace('.', ""), ex.parse().unwrap_or(0))
        }
    } else {
        let (d, e) = round_significant(x.abs(), f as usize + 1);
        (d.iter().map(|c| (b'0' + c) as char).collect(), e)
    };
    Ok(Value::str(&format!(
        "{sign}{}",
        exponential_text(&digits, e)
    )))
}

fn num_to_string(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let x = this_num(vm, &this)?;
    let r = match arg(args, 0) {
        Value::Undefined => 10.0,
        v => vm.to_number(&v)?,
    };
    if !(2.0..=36.0).contains(&r) {
        return Err(vm.range_error("toString() radix argument must be between 2 and 36"));
    }
    if r == 10.0 {
        return Ok(Value::str(&number_to_string(x)));
    }
    Ok(Value::str(&number_to_radix_string(x, r as u32)))
}

fn num_to_locale(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let x = this_num(vm, &this)?;
    if !x.is_finite() {
        return Ok(Value::str(&number_to_string(x)));
    }
    let rounded = (x * 1000.0).round() / 1000.0;
    let s = number_to_string(rounded.abs());
    let (int, frac) = s
        .split_once('.')
        .map(|(a, b)| (a.to_string(), Some(b.to_string())))
        .unwrap_or((s.clone(), None));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let mut out = if x < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    };
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    Ok(Value::str(&out))
}

fn num_value_of(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(this_num(vm, &this)?))
}

fn is_integer(_vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(
        matches!(arg(args, 0), Value::Num(n) if n.is_finite() && n.trunc() == n),
    ))
}
fn is_safe_integer(_vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(
        matches!(arg(args, 0), Value::Num(n) if n.is_finite() && n.trunc() == n && n.abs() <= 9007199254740991.0),
    ))
}
fn number_is_nan(_vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(
        matches!(arg(args, 0), Value::Num(n) if n.is_nan()),
    ))
}
fn number_is_finite(_vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(
        matches!(arg(args, 0), Value::Num(n) if n.is_finite()),
    ))
}
fn global_is_nan(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(vm.to_number(&arg(args, 0))?.is_nan()))
}
fn global_is_finite(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(vm.to_number(&arg(args, 0))?.is_finite()))
}

pub fn parse_float_str(s: &str) -> f64 {
    let t = s.trim_start();
    let mut end = 0;
    let b = t.as_bytes();
    let mut seen_digit = false;
    let mut seen_dot = false;
    let mut seen_e = false;
    if t.starts_with("Infinity") || t.starts_with("+Infinity") {
        return f64::INFINITY;
    }
    if t.starts_with("-Infinity") {
        return f64::NEG_INFINITY;
    }
    while end < b.len() {
        let c = b[end];
        if c.is_ascii_digit() {
            seen_digit = true;
        } else if (c == b'+' || c == b'-') && (end == 0 || b[end - 1] == b'e' || b[end - 1] == b'E')
        {
        } else if c == b'.' && !seen_dot && !seen_e {
            seen_dot = true;
        } else if (c == b'e' || c == b'E') && seen_digit && !seen_e {
            seen_e = true;
        } else {
            break;
        }
        end += 1;
    }
    let mut cand = &t[..end];
    while !cand.is_empty() {
        if let Ok(v) = cand.parse::<f64>() {
            return v;
        }
        cand = &cand[..cand.len() - 1];
    }
    f64::NAN
}

fn parse_float(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let s = vm.to_string(&arg(args, 0))?;
    Ok(Value::Num(parse_float_str(&s)))
}

fn parse_int(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let s = vm.to_string(&arg(args, 0))?;
    let radix = match arg(args, 1) {
        Value::Undefined => 0,
        v => crate::value::to_int32(vm.to_number(&v)?),
    };
    Ok(Value::Num(parse_int_str(&s, radix)))
}

/// parseInt on a string; radix 0 means "10, or 16 with a 0x prefix".
pub fn parse_int_str(s: &str, mut radix: i32) -> f64 {
    let mut t = s.trim_start();
    let mut neg = false;
    if let Some(r) = t.strip_prefix('-') {
        neg = true;
        t = r;
    } else if let Some(r) = t.strip_prefix('+') {
        t = r;
    }
    if radix == 0 || radix == 16 {
        if let Some(r) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            t = r;
            radix = 16;
        }
    }
    if radix == 0 {
        radix = 10;
    }
    if !(2..=36).contains(&radix) {
        return f64::NAN;
    }
    let mut v = 0f64;
    let mut any = false;
    for c in t.chars() {
        match c.to_digit(radix as u32) {
            Some(d) => {
                v = v * radix as f64 + d as f64;
                any = true;
            }
            None => break,
        }
    }
    if !any {
        return f64::NAN;
    }
    if neg {
        -v
    } else {
        v
    }
}

fn boolean_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let b = arg(args, 0).truthy();
    if let Some(nt) = vm.new_target.clone() {
        let p = vm.realm.boolean_proto;
        return Ok(Value::Obj(vm.ordinary_create_from(
            &nt,
            p,
            ObjKind::BoxedBool(b),
        )));
    }
    Ok(Value::Bool(b))
}
fn bool_to_string(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let b = match this {
        Value::Bool(b) => b,
        Value::Obj(o) => matches!(vm.heap.obj(o).kind, ObjKind::BoxedBool(true)),
        _ => false,
    };
    Ok(Value::str(if b { "true" } else { "false" }))
}
fn bool_value_of(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(match this {
        Value::Obj(o) => Value::Bool(matches!(vm.heap.obj(o).kind, ObjKind::BoxedBool(true))),
        v => v,
    })
}

fn symbol_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if vm.new_target.is_some() {
        return vm.throw_type("Symbol is not a constructor");
    }
    let d = match arg(args, 0) {
        Value::Undefined => None,
        v => Some(vm.to_string(&v)?.into()),
    };
    Ok(Value::Sym(vm.heap.new_symbol(d)))
}
fn symbol_for(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let key = vm.to_string(&arg(args, 0))?;
    if let Some(s) = vm.realm.symbol_registry.get(&key) {
        return Ok(Value::Sym(*s));
    }
    let s = vm.heap.new_symbol(Some(key.as_str().into()));
    vm.realm.symbol_registry.insert(key, s);
    Ok(Value::Sym(s))
}
fn symbol_to_string(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::str(&vm.to_display(&this)))
}
fn symbol_description(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(match this {
        Value::Sym(s) => vm.heap.symbols[s as usize]
            .description
            .clone()
            .map(Value::Str)
            .unwrap_or(Value::Undefined),
        _ => Value::Undefined,
    })
}

fn math1(vm: &mut Vm, args: &[Value], f: fn(f64) -> f64) -> JsResult {
    let x = vm.to_number(&arg(args, 0))?;
    Ok(Value::Num(f(x)))
}
macro_rules! m1 {
    ($name:ident, $f:expr) => {
        fn $name(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
            math1(vm, args, $f)
        }
    };
}
m1!(m_abs, f64::abs);
m1!(m_floor, f64::floor);
m1!(m_ceil, f64::ceil);
m1!(m_round, |x: f64| if x.is_finite() {
    let f = x.floor();
    let r = if x - f >= 0.5 { f + 1.0 } else { f };
    if r == 0.0 && x.is_sign_negative() {
        -0.0
    } else {
        r
    }
} else {
    x
});
m1!(m_trunc, f64::trunc);
m1!(m_sign, |x: f64| if x.is_nan() || x == 0.0 {
    x
} else {
    x.signum()
});
m1!(m_sqrt, f64::sqrt);
m1!(m_cbrt, f64::cbrt);
m1!(m_log, f64::ln);
m1!(m_log2, f64::log2);
m1!(m_log10, f64::log10);
m1!(m_exp, f64::exp);
m1!(m_sin, f64::sin);
m1!(m_cos, f64::cos);
m1!(m_tan, f64::tan);
m1!(m_atan, f64::atan);
m1!(m_asin, f64::asin);
m1!(m_acos, f64::acos);
m1!(m_fround, |x: f64| x as f32 as f64);
fn m_atan2(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let y = vm.to_number(&arg(args, 0))?;
    let x = vm.to_number(&arg(args, 1))?;
    Ok(Value::Num(y.atan2(x)))
}
fn m_pow(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let x = vm.to_number(&arg(args, 0))?;
    let y = vm.to_number(&arg(args, 1))?;
    Ok(Value::Num(crate::vm::js_pow(x, y)))
}
fn m_hypot(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let mut s = 0.0;
    for a in args {
        let x = vm.to_number(a)?;
        s += x * x;
    }
    Ok(Value::Num(s.sqrt()))
}
fn m_max(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let mut m = f64::NEG_INFINITY;
    for a in args {
        let x = vm.to_number(a)?;
        if x.is_nan() {
            m = f64::NAN;
        } else if !m.is_nan() && (x > m || (x == 0.0 && m == 0.0 && m.is_sign_negative())) {
            m = x;
        }
    }
    Ok(Value::Num(m))
}
fn m_min(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let mut m = f64::INFINITY;
    for a in args {
        let x = vm.to_number(a)?;
        if x.is_nan() {
            m = f64::NAN;
        } else if !m.is_nan() && (x < m || (x == 0.0 && m == 0.0 && x.is_sign_negative())) {
            m = x;
        }
    }
    Ok(Value::Num(m))
}
/// The run's pseudo-random generator, xorshift64* (Vigna, "An experimental exploration of
/// Marsaglia's xorshift generators, scrambled", 2016): a 64-bit xorshift state whose output
/// is multiplied by a constant. It is the only source of randomness in the simulator:
/// `Math.random` takes the top 53 bits of each output, `crypto.randomBytes`/`randomUUID` the
/// outputs' bytes. Every run starts from the same seed, so random values are the same on
/// every run (Node's are not; only their shape can match). Not for cryptography.
#[derive(Debug, Clone)]
pub struct Prng {
    state: u64,
}

impl Prng {
    /// The seed every run starts from (any non-zero value works; this is the golden ratio's
    /// 64-bit fraction).
    pub const SEED: u64 = 0x9E3779B97F4A7C15;

    /// A generator starting from `seed` (which must not be 0: xorshift stays at 0 there).
    pub fn new(seed: u64) -> Prng {
        Prng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545F4914F6CDD1D)
    }

    /// A number in [0, 1) with 53 random bits, as `Math.random` returns.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl Default for Prng {
    fn default() -> Prng {
        Prng::new(Prng::SEED)
    }
}

fn m_random(vm: &mut Vm, _this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(vm.realm.random.next_f64()))
}

fn perf_now(vm: &mut Vm, _this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(vm.clock_ns as f64 / 1e6))
}

pub fn install(vm: &mut Vm) {
    let g = vm.realm.global;
    // Number
    let proto = vm.realm.number_proto;
    let ctor = vm.make_native("Number", 1, number_ctor, vec![]);
    link_ctor(vm, ctor, proto);
    vm.method(proto, "toFixed", 1, to_fixed);
    vm.method(proto, "toPrecision", 1, to_precision);
    vm.method(proto, "toExponential", 1, to_exponential);
    vm.method(proto, "toString", 1, num_to_string);
    vm.method(proto, "toLocaleString", 0, num_to_locale);
    vm.method(proto, "valueOf", 0, num_value_of);
    vm.method(ctor, "isInteger", 1, is_integer);
    vm.method(ctor, "isSafeInteger", 1, is_safe_integer);
    vm.method(ctor, "isNaN", 1, number_is_nan);
    vm.method(ctor, "isFinite", 1, number_is_finite);
    let pf = vm.method(ctor, "parseFloat", 1, parse_float);
    let pi = vm.method(ctor, "parseInt", 2, parse_int);
    for (n, v) in [
        ("MAX_SAFE_INTEGER", 9007199254740991.0),
        ("MIN_SAFE_INTEGER", -9007199254740991.0),
        ("EPSILON", f64::EPSILON),
        ("MAX_VALUE", f64::MAX),
        ("MIN_VALUE", 5e-324),
        ("POSITIVE_INFINITY", f64::INFINITY),
        ("NEGATIVE_INFINITY", f64::NEG_INFINITY),
        ("NaN", f64::NAN),
    ] {
        let k = vm.heap.key(n);
        vm.heap.obj_mut(ctor).put(k, Value::Num(v), 0);
    }
    vm.put_hidden(g, "Number", Value::Obj(ctor));
    vm.put_hidden(g, "parseFloat", Value::Obj(pf));
    vm.put_hidden(g, "parseInt", Value::Obj(pi));
    vm.method(g, "isNaN", 1, global_is_nan);
    vm.method(g, "isFinite", 1, global_is_finite);
    // Boolean
    let bp = vm.realm.boolean_proto;
    let bc = vm.make_native("Boolean", 1, boolean_ctor, vec![]);
    link_ctor(vm, bc, bp);
    vm.method(bp, "toString", 0, bool_to_string);
    vm.method(bp, "valueOf", 0, bool_value_of);
    vm.put_hidden(g, "Boolean", Value::Obj(bc));
    // Symbol
    let sp = vm.realm.symbol_proto;
    let sc = vm.make_native("Symbol", 0, symbol_ctor, vec![]);
    link_ctor(vm, sc, sp);
    vm.method(sc, "for", 1, symbol_for);
    vm.method(sp, "toString", 0, symbol_to_string);
    let dg = vm.make_native("get description", 0, symbol_description, vec![]);
    let k = vm.heap.key("description");
    vm.heap.obj_mut(sp).push_prop(Prop {
        key: k,
        slot: Slot::Accessor {
            get: Value::Obj(dg),
            set: Value::Undefined,
        },
        flags: CONFIGURABLE,
    });
    let syms = vm.syms;
    for (n, s) in [
        ("iterator", syms.iterator),
        ("asyncIterator", syms.async_iterator),
        ("hasInstance", syms.has_instance),
        ("toStringTag", syms.to_string_tag),
        ("toPrimitive", syms.to_primitive),
    ] {
        let k = vm.heap.key(n);
        vm.heap.obj_mut(sc).put(k, Value::Sym(s), 0);
    }
    vm.put_hidden(g, "Symbol", Value::Obj(sc));
    // Math
    let math = vm.new_object();
    let table: &[(&'static str, u8, crate::vm::NativeFn)] = &[
        ("abs", 1, m_abs),
        ("floor", 1, m_floor),
        ("ceil", 1, m_ceil),
        ("round", 1, m_round),
        ("trunc", 1, m_trunc),
        ("sign", 1, m_sign),
        ("sqrt", 1, m_sqrt),
        ("cbrt", 1, m_cbrt),
        ("log", 1, m_log),
        ("log2", 1, m_log2),
        ("log10", 1, m_log10),
        ("exp", 1, m_exp),
        ("sin", 1, m_sin),
        ("cos", 1, m_cos),
        ("tan", 1, m_tan),
        ("atan", 1, m_atan),
        ("asin", 1, m_asin),
        ("acos", 1, m_acos),
        ("fround", 1, m_fround),
        ("atan2", 2, m_atan2),
        ("pow", 2, m_pow),
        ("hypot", 2, m_hypot),
        ("max", 2, m_max),
        ("min", 2, m_min),
        ("random", 0, m_random),
    ];
    for (n, l, f) in table {
        vm.method(math, n, *l, *f);
    }
    for (n, v) in [
        ("PI", std::f64::consts::PI),
        ("E", std::f64::consts::E),
        ("LN2", std::f64::consts::LN_2),
        ("LN10", std::f64::consts::LN_10),
        ("LOG2E", std::f64::consts::LOG2_E),
        ("LOG10E", std::f64::consts::LOG10_E),
        ("SQRT2", std::f64::consts::SQRT_2),
        ("SQRT1_2", std::f64::consts::FRAC_1_SQRT_2),
    ] {
        let k = vm.heap.key(n);
        vm.heap.obj_mut(math).put(k, Value::Num(v), 0);
    }
    let tag = PropKey::Sym(vm.syms.to_string_tag);
    vm.heap
        .obj_mut(math)
        .put(tag, Value::str("Math"), CONFIGURABLE);
    vm.put_hidden(g, "Math", Value::Obj(math));
    // performance
    let perf = vm.new_object();
    vm.method(perf, "now", 0, perf_now);
    vm.put_hidden(g, "performance", Value::Obj(perf));
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn to_fixed_rounds_like_js() {
        assert_eq!(to_fixed_string(1.005, 2), "1.00");
        assert_eq!(to_fixed_string(2.5, 0), "3");
        assert_eq!(to_fixed_string(-1.5, 0), "-2");
        assert_eq!(to_fixed_string(0.1, 3), "0.100");
        assert_eq!(to_fixed_string(123.456, 1), "123.5");
    }
}
