//! encodeURIComponent, encodeURI, decodeURIComponent, decodeURI (ECMAScript §19.2.6).
//! Strings are UTF-8 here, so lone surrogates (already replaced by U+FFFD) cannot be detected.

use super::arg;
use crate::value::Value;
use crate::vm::{JsResult, Vm};

const URI_RESERVED: &str = ";/?:@&=+$,";
const URI_MARK: &str = "-_.!~*'()";

fn unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || URI_MARK.contains(c)
}

/// Percent-encodes every character not in `keep`.
pub fn encode(s: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut buf = [0u8; 4];
    for c in s.chars() {
        if keep(c) {
            out.push(c);
        } else {
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn hex_at(b: &[u8], i: usize) -> Option<u8> {
    if b.get(i) != Some(&b'%') {
        return None;
    }
    let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
    u8::from_str_radix(h, 16).ok()
}

/// Decodes percent escapes; escapes of ASCII characters in `reserved` stay as written.
/// `None` means a malformed URI.
pub fn decode(s: &str, reserved: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let first = hex_at(b, i)?;
        if first < 0x80 {
            if reserved.contains(first as char) {
                out.extend_from_slice(&b[i..i + 3]);
            } else {
                out.push(first);
            }
            i += 3;
            continue;
        }
        let n = match first {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return None,
        };
        let mut bytes = vec![first];
        let mut j = i + 3;
        for _ in 1..n {
            let x = hex_at(b, j)?;
            if x & 0xC0 != 0x80 {
                return None;
            }
            bytes.push(x);
            j += 3;
        }
        // rejects overlong forms and surrogates, as the spec requires
        let text = std::str::from_utf8(&bytes).ok()?;
        out.extend_from_slice(text.as_bytes());
        i = j;
    }
    String::from_utf8(out).ok()
}

fn uri_error(vm: &mut Vm) -> Value {
    let g = Value::Obj(vm.realm.global);
    let ctor = vm.get_by_name(&g, "URIError").unwrap_or(Value::Undefined);
    let proto = match vm.get_by_name(&ctor, "prototype") {
        Ok(Value::Obj(p)) => p,
        _ => vm.realm.error_proto,
    };
    vm.make_error(proto, "URI malformed")
}

fn encode_uri_component(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let s = vm.to_string(&arg(args, 0))?;
    Ok(Value::str(&encode(&s, unreserved)))
}
fn encode_uri(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let s = vm.to_string(&arg(args, 0))?;
    Ok(Value::str(&encode(&s, |c| {
        unreserved(c) || URI_RESERVED.contains(c) || c == '#'
    })))
}
fn decode_uri_component(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let s = vm.to_string(&arg(args, 0))?;
    match decode(&s, "") {
        Some(r) => Ok(Value::str(&r)),
        None => Err(uri_error(vm)),
    }
}
fn decode_uri(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let s = vm.to_string(&arg(args, 0))?;
    match decode(&s, ";/?:@&=+$,#") {
        Some(r) => Ok(Value::str(&r)),
        None => Err(uri_error(vm)),
    }
}

pub fn install(vm: &mut Vm) {
    let g = vm.realm.global;
    vm.method(g, "encodeURIComponent", 1, encode_uri_component);
    vm.method(g, "encodeURI", 1, encode_uri);
    vm.method(g, "decodeURIComponent", 1, decode_uri_component);
    vm.method(g, "decodeURI", 1, decode_uri);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_malformed() {
        assert_eq!(
            encode("a b&c/é?😀", unreserved),
            "a%20b%26c%2F%C3%A9%3F%F0%9F%98%80"
        );
        assert_eq!(decode("%41%C3%A9", "").as_deref(), Some("Aé"));
        assert_eq!(
            decode("%41%2F%3F", ";/?:@&=+$,#").as_deref(),
            Some("A%2F%3F")
        );
        assert_eq!(decode("%E0%A4%A", ""), None);
        assert_eq!(decode("%C3", ""), None);
        assert_eq!(decode("%ZZ", ""), None);
        assert_eq!(decode("%C0%80", ""), None);
    }
}
