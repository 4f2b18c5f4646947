//! JavaScript values as the VM sees them, plus the primitive conversions that need no heap
//! access (number formatting, string-to-number parsing).

use std::cell::UnsafeCell;
use std::rc::Rc;

/// Index of an object in the [`crate::heap::Heap`].
pub type ObjId = u32;
/// Index of a symbol in the heap's symbol table.
pub type SymId = u32;

/// A JavaScript value (16 bytes). Strings are [`JsStr`] handles; objects are heap indices.
///
/// The layout is fixed (`repr(u8)`: the tag byte first, a number's bits at offset 8) so that
/// the interpreter can write plain values as one 16-byte store ([`Value::write_num`] and
/// friends) instead of a tag byte and a payload.
#[derive(Clone, Debug)]
#[repr(u8)]
pub enum Value {
    Undefined = 0,
    Null = 1,
    Bool(bool) = 2,
    Num(f64) = 3,
    Str(JsStr) = 4,
    Sym(SymId) = 5,
    Obj(ObjId) = 6,
    /// Internal marker for a `let`/`const`/`class` binding still in its temporal dead zone.
    /// Never observable by programs.
    Uninit = 7,
}

/// The 16 bytes of a plain value: (first word: tag byte and a bool's byte, second: a number).
type RawValue = [u64; 2];

impl Value {
    #[inline(always)]
    const fn raw_num(x: f64) -> RawValue {
        [3, x.to_bits()]
    }
    #[inline(always)]
    const fn raw_bool(b: bool) -> RawValue {
        [2 | (b as u64) << 8, 0]
    }
    const RAW_UNDEFINED: RawValue = [0, 0];
    const RAW_UNINIT: RawValue = [7, 0];

    /// Writes `raw` over `dst`, which holds nothing to drop.
    ///
    /// # Safety
    /// `dst` must be valid for writes and hold no value that needs dropping (or none).
    #[inline(always)]
    unsafe fn write_raw(dst: *mut Value, raw: RawValue) {
        // SAFETY: `Value` is 16 bytes with the `repr(u8)` layout `raw_*` encode (checked by
        // the `raw_values_match_the_layout` test); the caller vouches for `dst`.
        unsafe { std::ptr::write(dst as *mut RawValue, raw) }
    }
    /// Overwrites a plain value (not a string) with `Value::Num(x)` as one store.
    ///
    /// # Safety
    /// `dst` must be valid for writes and hold no value that needs dropping (or none).
    #[inline(always)]
    pub unsafe fn write_num(dst: *mut Value, x: f64) {
        unsafe { Value::write_raw(dst, Value::raw_num(x)) }
    }
    /// Like [`Value::write_num`] for `Value::Bool(b)`.
    ///
    /// # Safety
    /// As for [`Value::write_num`].
    #[inline(always)]
    pub unsafe fn write_bool(dst: *mut Value, b: bool) {
        unsafe { Value::write_raw(dst, Value::raw_bool(b)) }
    }
    /// Like [`Value::write_num`] for `Value::Undefined`.
    ///
    /// # Safety
    /// As for [`Value::write_num`].
    #[inline(always)]
    pub unsafe fn write_undefined(dst: *mut Value) {
        unsafe { Value::write_raw(dst, Value::RAW_UNDEFINED) }
    }
}

/// Pushes values onto a value stack as single 16-byte stores (see [`Value::write_num`]).
pub trait PushPlain {
    fn push_num(&mut self, x: f64);
    fn push_bool(&mut self, b: bool);
    fn push_undefined(&mut self);
    fn push_uninit(&mut self);
}

impl PushPlain for Vec<Value> {
    #[inline(always)]
    fn push_num(&mut self, x: f64) {
        self.reserve(1);
        // SAFETY: capacity for one more value was reserved; the slot past the end is
        // uninitialised (nothing to drop) and becomes part of the vector.
        unsafe {
            Value::write_num(self.as_mut_ptr().add(self.len()), x);
            self.set_len(self.len() + 1);
        }
    }
    #[inline(always)]
    fn push_bool(&mut self, b: bool) {
        self.reserve(1);
        // SAFETY: as in `push_num`.
        unsafe {
            Value::write_bool(self.as_mut_ptr().add(self.len()), b);
            self.set_len(self.len() + 1);
        }
    }
    #[inline(always)]
    fn push_undefined(&mut self) {
        self.reserve(1);
        // SAFETY: as in `push_num`.
        unsafe {
            Value::write_undefined(self.as_mut_ptr().add(self.len()));
            self.set_len(self.len() + 1);
        }
    }
    #[inline(always)]
    fn push_uninit(&mut self) {
        self.reserve(1);
        // SAFETY: as in `push_num`.
        unsafe {
            Value::write_raw(self.as_mut_ptr().add(self.len()), Value::RAW_UNINIT);
            self.set_len(self.len() + 1);
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(JsStr::from(s))
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
    /// The same as `clone`, made as one 16-byte copy plus a reference-count increment for a
    /// string, without a branch per variant (the interpreter's hot paths copy values a lot).
    #[inline(always)]
    pub fn dup(&self) -> Value {
        if let Value::Str(s) = self {
            std::mem::forget(s.clone());
        }
        // SAFETY: every variant but `Str` is plain data; for `Str` the handle's reference
        // count was just incremented for the copy, which owns that count.
        unsafe { std::ptr::read(self) }
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

/// An immutable JavaScript string: a thin reference-counted handle (so [`Value`] is 16 bytes)
/// that derefs to `str`. Concatenating long strings builds a rope node in O(1) instead of
/// copying (`s += x` in a loop stays linear); the first read of a rope flattens it once, in
/// place. The UTF-16 length and whether the text is ASCII are known without flattening.
#[derive(Clone)]
pub struct JsStr(Rc<StrNode>);

struct StrNode {
    /// Length in bytes (UTF-8).
    len: u32,
    /// Length in UTF-16 code units (what `.length` reports).
    units: u32,
    ascii: bool,
    repr: UnsafeCell<Repr>,
}

enum Repr {
    Flat(Box<str>),
    Rope(JsStr, JsStr),
}

/// Concatenations shorter than this are copied flat (a rope node costs more than the copy).
const ROPE_MIN_BYTES: usize = 64;

impl JsStr {
    fn node(len: usize, units: usize, ascii: bool, repr: Repr) -> JsStr {
        JsStr(Rc::new(StrNode {
            len: len as u32,
            units: units as u32,
            ascii,
            repr: UnsafeCell::new(repr),
        }))
    }
    /// The string's text (flattens a rope the first time).
    #[inline]
    pub fn as_str(&self) -> &str {
        // SAFETY: `repr` changes only in `flatten`, from `Rope` to `Flat`, once. A `&str` is
        // only ever handed out from a `Flat` repr, which is never replaced, and no reference
        // into a `Rope` repr outlives `flatten`'s traversal (Rc is single-threaded).
        if let Repr::Flat(s) = unsafe { &*self.0.repr.get() } {
            return s;
        }
        self.flatten()
    }
    #[cold]
    fn flatten(&self) -> &str {
        let mut out = String::with_capacity(self.0.len as usize);
        let mut todo: Vec<&JsStr> = vec![self];
        while let Some(s) = todo.pop() {
            // SAFETY: see `as_str`; nothing is mutated during the traversal.
            match unsafe { &*s.0.repr.get() } {
                Repr::Flat(t) => out.push_str(t),
                Repr::Rope(l, r) => {
                    todo.push(r);
                    todo.push(l);
                }
            }
        }
        drop(todo);
        // SAFETY: no reference into this node's repr is live (the traversal is over, and a
        // rope never handed one out); replacing it drops the children, which cannot reach
        // this node.
        unsafe {
            *self.0.repr.get() = Repr::Flat(out.into_boxed_str());
        }
        match unsafe { &*self.0.repr.get() } {
            Repr::Flat(s) => s,
            Repr::Rope(..) => unreachable!("just flattened"),
        }
    }
    /// `a + b`.
    pub fn concat(a: &JsStr, b: &JsStr) -> JsStr {
        if b.0.len == 0 {
            return a.clone();
        }
        if a.0.len == 0 {
            return b.clone();
        }
        let len = a.0.len as usize + b.0.len as usize;
        let units = a.0.units as usize + b.0.units as usize;
        let ascii = a.0.ascii && b.0.ascii;
        if len < ROPE_MIN_BYTES || len > u32::MAX as usize / 2 {
            let mut s = String::with_capacity(len);
            s.push_str(a);
            s.push_str(b);
            return JsStr::node(len, units, ascii, Repr::Flat(s.into_boxed_str()));
        }
        JsStr::node(len, units, ascii, Repr::Rope(a.clone(), b.clone()))
    }
    /// Length in bytes (without flattening).
    #[inline]
    pub fn len(&self) -> usize {
        self.0.len as usize
    }
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }
    /// Length in UTF-16 code units.
    #[inline]
    pub fn utf16_len(&self) -> usize {
        self.0.units as usize
    }
    /// Whether every character is ASCII (then bytes are code units).
    #[inline]
    pub fn is_ascii(&self) -> bool {
        self.0.ascii
    }
    /// Whether both handles share one string.
    pub fn ptr_eq(a: &JsStr, b: &JsStr) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }
}

impl Drop for StrNode {
    /// Drops a deep rope iteratively (a recursive drop of a 1M-node rope would overflow).
    fn drop(&mut self) {
        let Repr::Rope(l, r) = std::mem::replace(self.repr.get_mut(), Repr::Flat(Box::default()))
        else {
            return;
        };
        let mut todo = vec![l, r];
        while let Some(s) = todo.pop() {
            if let Ok(mut node) = Rc::try_unwrap(s.0) {
                if let Repr::Rope(l, r) =
                    std::mem::replace(node.repr.get_mut(), Repr::Flat(Box::default()))
                {
                    todo.push(l);
                    todo.push(r);
                }
            }
        }
    }
}

impl From<&str> for JsStr {
    fn from(s: &str) -> JsStr {
        JsStr::from(Box::<str>::from(s))
    }
}
impl From<String> for JsStr {
    fn from(s: String) -> JsStr {
        JsStr::from(s.into_boxed_str())
    }
}
impl From<Box<str>> for JsStr {
    fn from(s: Box<str>) -> JsStr {
        let ascii = s.is_ascii();
        let units = if ascii {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        JsStr::node(s.len(), units, ascii, Repr::Flat(s))
    }
}
impl std::ops::Deref for JsStr {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}
impl AsRef<str> for JsStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}
impl std::borrow::Borrow<str> for JsStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}
impl PartialEq for JsStr {
    fn eq(&self, other: &JsStr) -> bool {
        JsStr::ptr_eq(self, other) || (self.len() == other.len() && self.as_str() == other.as_str())
    }
}
impl Eq for JsStr {}
impl std::hash::Hash for JsStr {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}
impl std::fmt::Debug for JsStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}
impl std::fmt::Display for JsStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
    fn values_are_16_bytes() {
        assert_eq!(std::mem::size_of::<Value>(), 16);
        assert_eq!(std::mem::size_of::<Option<Value>>(), 16);
    }
    #[test]
    fn raw_values_match_the_layout() {
        let mut st: Vec<Value> = Vec::new();
        for x in [0.0, -0.0, 1.5, f64::NAN, f64::INFINITY, -3e300] {
            st.push_num(x);
            assert!(matches!(st.pop(), Some(Value::Num(y)) if y.to_bits() == x.to_bits()));
        }
        st.push_bool(true);
        st.push_bool(false);
        st.push_undefined();
        st.push_uninit();
        assert!(matches!(
            st.as_slice(),
            [
                Value::Bool(true),
                Value::Bool(false),
                Value::Undefined,
                Value::Uninit
            ]
        ));
        let mut slot = Value::Obj(7);
        unsafe { Value::write_num(&mut slot, 2.0) };
        assert!(matches!(slot, Value::Num(2.0)));
        let v = Value::str("shared");
        let copies: Vec<Value> = (0..3).map(|_| v.dup()).collect();
        drop(v);
        assert!(copies
            .iter()
            .all(|c| matches!(c, Value::Str(s) if &**s == "shared")));
    }
    #[test]
    fn ropes_flatten_to_the_concatenation() {
        let mut s = JsStr::from("");
        let mut expected = String::new();
        for i in 0..100_000 {
            let piece = if i % 7 == 0 { "é" } else { "ab" };
            s = JsStr::concat(&s, &JsStr::from(piece));
            expected.push_str(piece);
        }
        assert_eq!(s.len(), expected.len());
        assert_eq!(s.utf16_len(), expected.encode_utf16().count());
        assert!(!s.is_ascii());
        let shared = s.clone();
        let both = JsStr::concat(&s, &shared);
        assert_eq!(&*s, expected.as_str());
        assert_eq!(both.len(), 2 * expected.len());
        assert_eq!(&both[expected.len()..], expected.as_str());
        // a deep rope that is never read drops without recursion
        let mut deep = JsStr::from("x".repeat(64).as_str());
        for _ in 0..1_000_000 {
            deep = JsStr::concat(&deep, &JsStr::from("y"));
        }
        assert_eq!(deep.utf16_len(), 1_000_064);
    }
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
