//! Node's character encodings for strings ↔ bytes (`utf8`, `latin1`/`binary`, `ascii`,
//! `hex`, `base64`, `base64url`), with Node's lenient decoding rules. Used by `Buffer`,
//! `fs` (the `encoding` option), `crypto` (`update`/`digest` encodings) and `zlib` inputs.

use super::errors::set_code;
use crate::value::Value;
use crate::vm::Vm;

/// Node's name for a supported encoding (`utf8`, `latin1`, `hex`, `base64`, `base64url`).
pub(crate) fn canonical_encoding(e: &str) -> Option<&'static str> {
    Some(match e.to_ascii_lowercase().as_str() {
        "utf8" | "utf-8" => "utf8",
        "latin1" | "binary" => "latin1",
        "hex" => "hex",
        "base64" => "base64",
        "base64url" => "base64url",
        "ascii" => "ascii",
        _ => return None,
    })
}

/// The encoding argument `v` (default utf8), or Node's "Unknown encoding" TypeError.
pub(crate) fn encoding_arg(vm: &mut Vm, v: &Value) -> Result<&'static str, Value> {
    if let Value::Undefined = v {
        return Ok("utf8");
    }
    let e = vm.to_string(v)?;
    match canonical_encoding(&e) {
        Some(c) => Ok(c),
        None => {
            let err = vm.type_error(&format!("Unknown encoding: {e}"));
            set_code(vm, &err, "ERR_UNKNOWN_ENCODING");
            Err(err)
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8], url: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..=chunk.len() {
            let c = B64[(n >> (18 - 6 * i) & 63) as usize];
            out.push(match (url, c) {
                (true, b'+') => '-',
                (true, b'/') => '_',
                _ => c as char,
            });
        }
        if !url {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Node's lenient base64 decoding (either alphabet, stops at `=`, skips anything else).
fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Bytes as a string in `encoding` (Buffer#toString).
pub(crate) fn decode_bytes(bytes: &[u8], encoding: &str) -> String {
    match encoding {
        "latin1" => bytes.iter().map(|b| *b as char).collect(),
        "ascii" => bytes.iter().map(|b| (*b & 0x7f) as char).collect(),
        "hex" => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        "base64" => base64_encode(bytes, false),
        "base64url" => base64_encode(bytes, true),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// A string's bytes in `encoding` (Buffer.from(string, encoding)).
pub(crate) fn encode_string(s: &str, encoding: &str) -> Vec<u8> {
    match encoding {
        "latin1" | "ascii" => s.chars().map(|c| c as u32 as u8).collect(),
        "hex" => s
            .as_bytes()
            .chunks_exact(2)
            .map_while(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
            .collect(),
        "base64" | "base64url" => base64_decode(s),
        _ => s.as_bytes().to_vec(),
    }
}
