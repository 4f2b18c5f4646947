//! JavaScript values as the VM sees them, plus the primitive conversions that need no heap
//! access (number formatting, string-to-number parsing).

use std::rc::Rc;

/// Index of an object in the [`crate::heap::Heap`].
pub type ObjId = u32;
/// Index of a symbol in the heap's symbol table.
pub type SymId = u32;

/// A JavaScript value. Strings are reference-counted immutable UTF-8; objects are handles.
#[derive(Clone, Debug)]
pub enum Value {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
    Sym(SymId),
    Obj(ObjId),
    /// Internal marker for a `let`/`const`/`class` binding still in its temporal dead zone.
    /// Never observable by programs.
    Uninit,
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }
    pub fn is_nullish(&self) -> bool {
        matches!(self, Value::Undefined | Value::Null)
    }
    pub fn as_obj(&self) -> Option<ObjId> {
        match self {
            Value::Obj(o) => Some(*o),
            _ => None,
        }
    }
    /// ToBoolean for values (objects are always truthy).
    pub fn truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null | Value::Uninit => false,
            Value::Bool(b) => *b,
            Value::Num(n) => !(*n == 0.0 || n.is_nan()),
            Value::Str(s) => !s.is_empty(),
            Value::Sym(_) | Value::Obj(_) => true,
        }
    }
    /// SameValueZero-free strict equality (`===`).
    pub fn strict_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Num(a), Value::Num(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Sym(a), Value::Sym(b)) => a == b,
            (Value::Obj(a), Value::Obj(b)) => a == b,
            _ => false,
        }
    }
    /// SameValueZero (used by includes, Map and Set).
    pub fn same_value_zero(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Num(a), Value::Num(b)) => a == b || (a.is_nan() && b.is_nan()),
            _ => self.strict_eq(other),
        }
    }
    /// SameValue (Object.is).
    pub fn same_value(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Num(a), Value::Num(b)) => {
                (a == b && a.is_sign_negative() == b.is_sign_negative())
                    || (a.is_nan() && b.is_nan())
            }
            _ => self.strict_eq(other),
        }
    }
}

/// Number::toString(10) exactly as ECMAScript specifies (shortest round-trip digits).
pub fn number_to_string(n: f64) -> String {
    if n == 0.0 {
        return "0".to_string();
    }
    let mut buf = ryu_js::Buffer::new();
    buf.format(n).to_string()
}

/// Number.prototype.toString(radix) for radix != 10 (integers exact, fractions approximate).
pub fn number_to_radix_string(n: f64, radix: u32) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let neg = n < 0.0;
    let mut int = n.abs().trunc();
    let mut frac = n.abs() - int;
    let mut digits = Vec::new();
    if int == 0.0 {
        digits.push(b'0');
    }
    while int >= 1.0 {
        let d = (int % radix as f64) as u32;
        digits.push(std::char::from_digit(d, radix).unwrap_or('0') as u8);
        int = (int / radix as f64).trunc();
    }
    digits.reverse();
    let mut s = String::from_utf8(digits).unwrap_or_default();
    if frac > 0.0 {
        s.push('.');
        let mut count = 0;
        while frac > 0.0 && count < 20 {
            frac *= radix as f64;
            let d = frac.trunc() as u32;
            s.push(std::char::from_digit(d, radix).unwrap_or('0'));
            frac -= d as f64;
            count += 1;
        }
    }
    if neg {
        format!("-{s}")
    } else {
        s
    }
}

/// StringToNumber: the grammar used by `Number("...")` and unary `+`.
pub fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.is_empty() {
        return 0.0;
    }
    let (neg, body) = if let Some(r) = t.strip_prefix('-') {
        (true, r)
    } else if let Some(r) = t.strip_prefix('+') {
        (false, r)
    } else {
        (false, t)
    };
    let radix = if body.len() > 2 && !neg && t.len() == body.len() {
        match &body[..2] {
            "0x" | "0X" => 16,
            "0o" | "0O" => 8,
            "0b" | "0B" => 2,
            _ => 10,
        }
    } else {
        10
    };
    if radix != 10 {
        let mut v = 0f64;
        for c in body[2..].chars() {
            match c.to_digit(radix) {
                Some(d) => v = v * radix as f64 + d as f64,
                None => return f64::NAN,
            }
        }
        return v;
    }
    let v = if body == "Infinity" {
        f64::INFINITY
    } else if body
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
        && body
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
        && body != "."
    {
        body.parse::<f64>().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    };
    if neg {
        -v
    } else {
        v
    }
}

/// ToInt32.
pub fn to_int32(n: f64) -> i32 {
    if !n.is_finite() {
        return 0;
    }
    let m = n.trunc() % 4294967296.0;
    let m = if m < 0.0 { m + 4294967296.0 } else { m };
    (m as u64 as u32) as i32
}

/// ToUint32.
pub fn to_uint32(n: f64) -> u32 {
    to_int32(n) as u32
}

/// Length of a string in UTF-16 code units (what `.length` reports).
pub fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// Array index of a canonical numeric string key ("0", "17"), if it is one.
pub fn array_index(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 10 {
        return None;
    }
    if s.len() > 1 && s.starts_with('0') {
        return None;
    }
    let mut v: u64 = 0;
    for b in s.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (b - b'0') as u64;
    }
    if v < u32::MAX as u64 {
        Some(v as u32)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn numbers_format_like_js() {
        assert_eq!(number_to_string(1e21), "1e+21");
        assert_eq!(number_to_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_to_string(1e-7), "1e-7");
        assert_eq!(number_to_string(-0.0), "0");
        assert_eq!(number_to_string(123456789012.0), "123456789012");
        assert_eq!(number_to_string(f64::NAN), "NaN");
        assert_eq!(number_to_string(-f64::INFINITY), "-Infinity");
    }
    #[test]
    fn string_to_number_grammar() {
        assert_eq!(string_to_number(" 42 "), 42.0);
        assert_eq!(string_to_number("0x10"), 16.0);
        assert!(string_to_number("12px").is_nan());
        assert_eq!(string_to_number(""), 0.0);
        assert_eq!(to_int32(4294967297.0), 1);
    }
}
