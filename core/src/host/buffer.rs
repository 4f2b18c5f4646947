//! Node's `Buffer`: a `Uint8Array` whose prototype is `Buffer.prototype` (itself inheriting
//! from `Uint8Array.prototype`, as in Node), so every typed-array method, indexing and
//! iteration work on it; this module adds the Node parts: `Buffer.from/alloc/concat/…`,
//! encodings, `slice` sharing memory, `write`, `copy`, `compare`, string search and the
//! `read…`/`write…` integer and float accessors with Node's range errors.
//!
//! Node carves small Buffers out of a shared 8 KiB pool (so their `byteOffset` and
//! `buffer` differ from a fresh allocation); here every Buffer has its own ArrayBuffer.

use super::encoding::{decode_bytes, encode_string, encoding_arg};
use super::errors::{received, set_code};
use crate::builtins::arg;
use crate::builtins::typed_array::{self, ElemKind, View};
use crate::heap::*;
use crate::inspect::InspectOptions;
use crate::value::{number_to_string, ObjId, Value};
use crate::vm::{JsResult, Vm};

/// A new Buffer holding `bytes`: a Uint8Array view with `Buffer.prototype` over a fresh
/// ArrayBuffer.
pub fn new_buffer(vm: &mut Vm, bytes: &[u8]) -> Value {
    let proto = vm
        .host
        .buffer_proto
        .unwrap_or(vm.realm.typed.protos[ElemKind::Uint8.index()]);
    Value::Obj(typed_array::new_typed_from_bytes(
        vm,
        ElemKind::Uint8,
        proto,
        bytes.to_vec(),
    ))
}
/// The bytes of a Buffer or any other Uint8Array (`None` if `v` is not one).
pub fn buffer_bytes(vm: &mut Vm, v: &Value) -> Option<Vec<u8>> {
    let Value::Obj(o) = v else { return None };
    let view = typed_array::typed_view(vm, *o)?;
    (view.elem == ElemKind::Uint8).then(|| typed_array::view_bytes(vm, &view))
}
/// The bytes any ArrayBuffer view (typed array, DataView) covers.
pub fn any_view_bytes(vm: &Vm, v: &Value) -> Option<Vec<u8>> {
    let Value::Obj(o) = v else { return None };
    if let Some(view) = typed_array::typed_view(vm, *o) {
        return Some(typed_array::view_bytes(vm, &view));
    }
    match &vm.heap.obj(*o).kind {
        ObjKind::DataView {
            buffer,
            offset,
            length,
        } => Some(typed_array::buffer_range(
            vm,
            *buffer,
            *offset,
            offset + length,
        )),
        _ => None,
    }
}

/// The bytes of a string (in `encoding`) or of a Buffer; a TypeError for anything else.
pub(crate) fn data_bytes(
    vm: &mut Vm,
    v: &Value,
    encoding: &str,
    arg_name: &str,
) -> Result<Vec<u8>, Value> {
    if let Some(b) = any_view_bytes(vm, v) {
        return Ok(b);
    }
    match v {
        Value::Str(s) => Ok(encode_string(s, encoding)),
        other => {
            let r = received(vm, other);
            let e = vm.type_error(&format!(
                "The \"{arg_name}\" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received {r}"
            ));
            set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
            Err(e)
        }
    }
}

/// Whether `o` is a Buffer (`Buffer.prototype` on its prototype chain).
pub fn is_buffer(vm: &Vm, o: ObjId) -> bool {
    let Some(bp) = vm.host.buffer_proto else {
        return false;
    };
    let mut cur = vm.heap.obj(o).proto;
    let mut hops = 0;
    while let Some(c) = cur {
        if c == bp {
            return typed_array::typed_view(vm, o).is_some();
        }
        hops += 1;
        if hops > 10000 {
            break;
        }
        cur = vm.heap.obj(c).proto;
    }
    false
}

fn node_error(vm: &mut Vm, range: bool, code: &str, msg: &str) -> Value {
    let e = if range {
        vm.range_error(msg)
    } else {
        vm.type_error(msg)
    };
    set_code(vm, &e, code);
    e
}

/// Node's `received` text of ERR_OUT_OF_RANGE (with `_` separators above 2^32).
fn out_of_range_received(n: f64) -> String {
    let s = number_to_string(n);
    if n.fract() != 0.0 || n.abs() <= 4294967296.0 || !n.is_finite() {
        return s;
    }
    let start = usize::from(s.starts_with('-'));
    let mut i = s.len();
    let mut res = String::new();
    while i >= start + 4 {
        res = format!("_{}{res}", &s[i - 3..i]);
        i -= 3;
    }
    format!("{}{res}", &s[..i])
}

fn out_of_range(vm: &mut Vm, what: &str, range: &str, n: f64) -> Value {
    let r = out_of_range_received(n);
    let msg = format!("The value of \"{what}\" is out of range. It must be {range}. Received {r}");
    node_error(vm, true, "ERR_OUT_OF_RANGE", &msg)
}

fn invalid_arg_type(vm: &mut Vm, msg: &str) -> Value {
    node_error(vm, false, "ERR_INVALID_ARG_TYPE", msg)
}

/// `this` as a Uint8Array view (a Buffer or a Uint8Array).
fn this_bytes_view(vm: &mut Vm, this: &Value) -> Result<(ObjId, View), Value> {
    if let Value::Obj(o) = this {
        if let Some(v) = typed_array::typed_view(vm, *o) {
            if v.elem == ElemKind::Uint8 {
                return Ok((*o, v));
            }
        }
    }
    vm.throw_type("argument must be a buffer")
}

fn this_bytes(vm: &mut Vm, this: &Value) -> Result<Vec<u8>, Value> {
    let (_, v) = this_bytes_view(vm, this)?;
    Ok(typed_array::view_bytes(vm, &v))
}

fn buffer_proto(vm: &Vm) -> ObjId {
    vm.host
        .buffer_proto
        .unwrap_or(vm.realm.typed.protos[ElemKind::Uint8.index()])
}

/// A Buffer viewing `length` bytes of ArrayBuffer `buffer` from `offset` (shared memory).
fn buffer_view(vm: &mut Vm, buffer: ObjId, offset: usize, length: usize) -> Value {
    let p = buffer_proto(vm);
    Value::Obj(typed_array::alloc_view(
        vm,
        p,
        View {
            buffer,
            elem: ElemKind::Uint8,
            offset,
            length,
        },
    ))
}

// ---------- statics

fn buffer_from(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let a = arg(args, 0);
    if let Some(b) = buffer_bytes(vm, &a) {
        return Ok(new_buffer(vm, &b));
    }
    match &a {
        Value::Str(s) => {
            let enc = encoding_arg(vm, &arg(args, 1))?;
            Ok(new_buffer(vm, &encode_string(s, enc)))
        }
        Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::ArrayBuffer { .. }) => {
            // shares the ArrayBuffer's memory
            let buffer = *o;
            let len = typed_array::buffer_len(vm, buffer);
            let offset = match arg(args, 1) {
                Value::Undefined => 0.0,
                v => {
                    let n = vm.to_number(&v)?;
                    if n.is_nan() {
                        0.0
                    } else {
                        n.trunc()
                    }
                }
            };
            if offset < 0.0 || offset > len as f64 {
                let e = node_error(
                    vm,
                    true,
                    "ERR_BUFFER_OUT_OF_BOUNDS",
                    "\"offset\" is outside of buffer bounds",
                );
                return Err(e);
            }
            let offset = offset as usize;
            let length = match arg(args, 2) {
                Value::Undefined => len - offset,
                v => {
                    let n = vm.to_number(&v)?;
                    let n = if n.is_nan() { 0.0 } else { n.trunc().max(0.0) };
                    if n > (len - offset) as f64 {
                        let e = node_error(
                            vm,
                            true,
                            "ERR_BUFFER_OUT_OF_BOUNDS",
                            "\"length\" is outside of buffer bounds",
                        );
                        return Err(e);
                    }
                    n as usize
                }
            };
            if typed_array::is_detached(vm, buffer) {
                return Err(typed_array::detached_error(vm, "Construct"));
            }
            Ok(buffer_view(vm, buffer, offset, length))
        }
        Value::Obj(o) => {
            // arrays, other typed arrays and array-likes: each value truncated to a byte
            let values: Vec<Value> = match typed_array::typed_view(vm, *o) {
                Some(v) => typed_array::read_all(vm, &v)
                    .into_iter()
                    .map(Value::Num)
                    .collect(),
                None if vm.is_array(&a) => vm.array_items(&a),
                None => {
                    let len = vm.get(&a, PropKey::Str(vm.names.length))?;
                    match len {
                        Value::Num(n) => {
                            let n = if n.is_nan() || n < 0.0 { 0.0 } else { n };
                            let n = (n as usize).min(typed_array::MAX_BYTE_LENGTH);
                            let mut out = Vec::with_capacity(n);
                            for i in 0..n {
                                out.push(vm.get_elem(&a, &Value::Num(i as f64))?);
                            }
                            out
                        }
                        _ => return Err(from_type_error(vm, &a)),
                    }
                }
            };
            let mut bytes = Vec::with_capacity(values.len());
            for x in values {
                let n = vm.to_number(&x)?;
                bytes.push((crate::value::to_int32(n) & 0xff) as u8);
            }
            Ok(new_buffer(vm, &bytes))
        }
        _ => Err(from_type_error(vm, &a)),
    }
}

fn from_type_error(vm: &mut Vm, a: &Value) -> Value {
    let shown = match a {
        Value::Obj(_) => received(vm, a),
        _ => received(vm, a),
    };
    let _ = InspectOptions::default();
    invalid_arg_type(
        vm,
        &format!(
            "The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received {shown}"
        ),
    )
}

/// The `size` argument of alloc/allocUnsafe.
fn size_arg(vm: &mut Vm, v: &Value) -> Result<usize, Value> {
    let Value::Num(n) = v else {
        let r = received(vm, v);
        return Err(invalid_arg_type(
            vm,
            &format!("The \"size\" argument must be of type number. Received {r}"),
        ));
    };
    let n = *n;
    if !(0.0..=4294967296.0).contains(&n) || n.is_nan() {
        return Err(out_of_range(vm, "size", ">= 0 && <= 4294967296", n));
    }
    if n as usize > typed_array::MAX_BYTE_LENGTH {
        return Err(vm.range_error("Array buffer allocation failed"));
    }
    Ok(n as usize)
}

/// The bytes `fill` repeats (a number, a string in `encoding`, or a buffer's bytes).
fn fill_pattern(vm: &mut Vm, fill: &Value, encoding: &Value) -> Result<Vec<u8>, Value> {
    Ok(match fill {
        Value::Str(s) => {
            let enc = encoding_arg(vm, encoding)?;
            encode_string(s, enc)
        }
        Value::Obj(_) => match any_view_bytes(vm, fill) {
            Some(b) => b,
            None => vec![0],
        },
        other => {
            let n = vm.to_number(other)?;
            vec![(crate::value::to_int32(n) & 0xff) as u8]
        }
    })
}

fn buffer_alloc(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let n = size_arg(vm, &arg(args, 0))?;
    let mut bytes = vec![0; n];
    let fill = arg(args, 1);
    if !matches!(fill, Value::Undefined) {
        let pattern = fill_pattern(vm, &fill, &arg(args, 2))?;
        if !pattern.is_empty() {
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = pattern[i % pattern.len()];
            }
        }
    }
    Ok(new_buffer(vm, &bytes))
}

fn buffer_alloc_unsafe(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let n = size_arg(vm, &arg(args, 0))?;
    Ok(new_buffer(vm, &vec![0; n]))
}

fn buffer_is_buffer(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(
        matches!(arg(args, 0), Value::Obj(o) if is_buffer(vm, o)),
    ))
}

fn buffer_is_encoding(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let _ = vm;
    Ok(Value::Bool(matches!(arg(args, 0), Value::Str(s)
        if super::encoding::canonical_encoding(&s).is_some())))
}

fn buffer_byte_length(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let a = arg(args, 0);
    if let Some(b) = any_view_bytes(vm, &a) {
        return Ok(Value::Num(b.len() as f64));
    }
    match &a {
        Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::ArrayBuffer { .. }) => {
            Ok(Value::Num(typed_array::buffer_len(vm, *o) as f64))
        }
        Value::Str(s) => {
            let enc = encoding_arg(vm, &arg(args, 1))?;
            Ok(Value::Num(encode_string(s, enc).len() as f64))
        }
        _ => {
            let r = received(vm, &a);
            Err(invalid_arg_type(vm, &format!(
                "The \"string\" argument must be of type string or an instance of Buffer or ArrayBuffer. Received {r}"
            )))
        }
    }
}

/// The bytes of a Buffer/Uint8Array argument, or Node's ERR_INVALID_ARG_TYPE naming `what`.
fn uint8_arg(vm: &mut Vm, v: &Value, what: &str) -> Result<Vec<u8>, Value> {
    match buffer_bytes(vm, v) {
        Some(b) => Ok(b),
        None => {
            let r = received(vm, v);
            Err(invalid_arg_type(
                vm,
                &format!("The \"{what}\" argument must be an instance of Buffer or Uint8Array. Received {r}"),
            ))
        }
    }
}

fn buffer_concat(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let list = arg(args, 0);
    if !vm.is_array(&list) {
        let r = received(vm, &list);
        return Err(invalid_arg_type(
            vm,
            &format!("The \"list\" argument must be an instance of Array. Received {r}"),
        ));
    }
    let mut bytes = vec![];
    for (i, item) in vm.array_items(&list).iter().enumerate() {
        bytes.extend(uint8_arg(vm, item, &format!("list[{i}]"))?);
    }
    if let Value::Num(total) = arg(args, 1) {
        let total = if total.is_nan() {
            0
        } else {
            total.max(0.0) as usize
        };
        bytes.resize(total, 0);
    }
    Ok(new_buffer(vm, &bytes))
}

fn compare_bytes(a: &[u8], b: &[u8]) -> f64 {
    match a.cmp(b) {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }
}

fn buffer_compare_static(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let a = uint8_arg(vm, &arg(args, 0), "buf1")?;
    let b = uint8_arg(vm, &arg(args, 1), "buf2")?;
    Ok(Value::Num(compare_bytes(&a, &b)))
}

// ---------- prototype

fn buffer_to_string(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let bytes = this_bytes(vm, &this)?;
    let enc = encoding_arg(vm, &arg(args, 0))?;
    let len = bytes.len() as f64;
    let clamp = |x: f64| x.max(0.0).min(len) as usize;
    let start = match arg(args, 1) {
        Value::Undefined => 0,
        v => clamp(vm.to_number(&v)?.trunc()),
    };
    let end = match arg(args, 2) {
        Value::Undefined => bytes.len(),
        v => clamp(vm.to_number(&v)?.trunc()),
    };
    let slice = if start < end {
        &bytes[start..end]
    } else {
        &[][..]
    };
    Ok(Value::str(&decode_bytes(slice, enc)))
}

fn buffer_equals(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let bytes = this_bytes(vm, &this)?;
    let other = uint8_arg(vm, &arg(args, 0), "otherBuffer")?;
    Ok(Value::Bool(bytes == other))
}

fn buffer_compare(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let bytes = this_bytes(vm, &this)?;
    let other = uint8_arg(vm, &arg(args, 0), "target")?;
    Ok(Value::Num(compare_bytes(&bytes, &other)))
}

fn buffer_to_json(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let bytes = this_bytes(vm, &this)?;
    let o = vm.new_object();
    vm.put(o, "type", Value::str("Buffer"));
    let data = vm.new_array(bytes.iter().map(|b| Value::Num(*b as f64)).collect());
    vm.put(o, "data", data);
    Ok(Value::Obj(o))
}

/// `buf.slice` is `buf.subarray` in Node: a Buffer sharing the memory.
fn buffer_slice(vm: &mut Vm, this: Value, args: &[Value], d: &[Value]) -> JsResult {
    this_bytes_view(vm, &this)?;
    typed_array::ta_subarray(vm, this, args, d)
}

/// A byte position argument clamped to `0..=len` (undefined gives `default`).
fn position(vm: &mut Vm, v: &Value, len: usize, default: usize) -> Result<usize, Value> {
    Ok(match v {
        Value::Undefined => default,
        v => {
            let n = vm.to_number(v)?;
            if n.is_nan() {
                0
            } else {
                n.trunc().max(0.0).min(len as f64) as usize
            }
        }
    })
}

fn buffer_copy(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let src = this_bytes(vm, &this)?;
    let target = arg(args, 0);
    uint8_arg(vm, &target, "target")?;
    let (_, tv) = this_bytes_view(vm, &target)?;
    let target_start = position(vm, &arg(args, 1), tv.length, 0)?;
    let source_start = position(vm, &arg(args, 2), src.len(), 0)?;
    let source_end = position(vm, &arg(args, 3), src.len(), src.len())?;
    let part = &src[source_start..source_end.max(source_start)];
    let n = part.len().min(tv.length - target_start);
    typed_array::buffer_write(vm, tv.buffer, tv.offset + target_start, &part[..n]);
    Ok(Value::Num(n as f64))
}

fn buffer_write(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_bytes_view(vm, &this)?;
    let Value::Str(s) = arg(args, 0) else {
        let r = received(vm, &arg(args, 0));
        return Err(invalid_arg_type(
            vm,
            &format!("The \"string\" argument must be of type string. Received {r}"),
        ));
    };
    // write(string[, offset[, length]][, encoding])
    let mut rest: Vec<Value> = args[1..].to_vec();
    let mut encoding = Value::Undefined;
    if let Some(pos) = rest.iter().position(|x| matches!(x, Value::Str(_))) {
        encoding = rest[pos].clone();
        rest.truncate(pos);
    }
    let enc = encoding_arg(vm, &encoding)?;
    let offset = write_bound(vm, &arg(&rest, 0), "offset", v.length, 0)?;
    let max = write_bound(vm, &arg(&rest, 1), "length", v.length, v.length)?.min(v.length - offset);
    let mut bytes = encode_string(&s, enc);
    if bytes.len() > max {
        bytes.truncate(max);
        if enc == "utf8" {
            // never a partial character
            while !bytes.is_empty() && std::str::from_utf8(&bytes).is_err() {
                bytes.pop();
            }
        }
    }
    typed_array::buffer_write(vm, v.buffer, v.offset + offset, &bytes);
    Ok(Value::Num(bytes.len() as f64))
}

/// An offset or length argument of `write`: an integer in `0..=len` (Node's validateOffset).
fn write_bound(
    vm: &mut Vm,
    v: &Value,
    what: &str,
    len: usize,
    default: usize,
) -> Result<usize, Value> {
    let n = match v {
        Value::Undefined => return Ok(default),
        Value::Num(n) => *n,
        other => {
            let r = received(vm, other);
            return Err(invalid_arg_type(
                vm,
                &format!("The \"{what}\" argument must be of type number. Received {r}"),
            ));
        }
    };
    if n.fract() != 0.0 || n.is_nan() {
        return Err(out_of_range(vm, what, "an integer", n));
    }
    if n < 0.0 || n > len as f64 {
        return Err(out_of_range(vm, what, &format!(">= 0 && <= {len}"), n));
    }
    Ok(n as usize)
}

fn buffer_fill(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_bytes_view(vm, &this)?;
    let fill = arg(args, 0);
    let (mut start_arg, mut end_arg, mut enc_arg) = (arg(args, 1), arg(args, 2), arg(args, 3));
    if let Value::Str(_) = start_arg {
        enc_arg = start_arg;
        start_arg = Value::Undefined;
        end_arg = Value::Undefined;
    } else if let Value::Str(_) = end_arg {
        enc_arg = end_arg;
        end_arg = Value::Undefined;
    }
    let mut pattern = fill_pattern(vm, &fill, &enc_arg)?;
    if pattern.is_empty() {
        // an empty string or buffer fills with zeros
        pattern.push(0);
    }
    let start = position(vm, &start_arg, v.length, 0)?;
    let end = position(vm, &end_arg, v.length, v.length)?;
    if start < end {
        let bytes: Vec<u8> = (0..end - start)
            .map(|i| pattern[i % pattern.len()])
            .collect();
        typed_array::buffer_write(vm, v.buffer, v.offset + start, &bytes);
    }
    Ok(this)
}

/// indexOf / lastIndexOf / includes for a string, buffer or byte: `mode` 0, 1, 2.
fn byte_search(vm: &mut Vm, this: Value, args: &[Value], mode: u8) -> JsResult {
    let hay = this_bytes(vm, &this)?;
    let needle_arg = arg(args, 0);
    let mut enc_arg = arg(args, 2);
    let mut from_arg = arg(args, 1);
    if let Value::Str(_) = from_arg {
        enc_arg = from_arg;
        from_arg = Value::Undefined;
    }
    let needle: Vec<u8> = match &needle_arg {
        Value::Str(s) => {
            let enc = encoding_arg(vm, &enc_arg)?;
            encode_string(s, enc)
        }
        Value::Num(n) => vec![(crate::value::to_int32(*n) & 0xff) as u8],
        other => match buffer_bytes(vm, other) {
            Some(b) => b,
            None => {
                let r = received(vm, other);
                return Err(invalid_arg_type(vm, &format!(
                    "The \"value\" argument must be one of type number or string or an instance of Buffer or Uint8Array. Received {r}"
                )));
            }
        },
    };
    let len = hay.len() as f64;
    let from = match from_arg {
        Value::Undefined => None,
        v => {
            let n = vm.to_number(&v)?;
            Some(if n.is_nan() { f64::NAN } else { n.trunc() })
        }
    };
    let found = if mode == 1 {
        let start = match from {
            None => len,
            Some(n) if n.is_nan() => len,
            Some(n) if n < 0.0 => len + n,
            Some(n) => n,
        };
        if start < 0.0 {
            None
        } else {
            let start = (start as usize).min(hay.len());
            (0..=start)
                .rev()
                .find(|&i| hay.get(i..i + needle.len()) == Some(&needle[..]))
        }
    } else {
        let start = match from {
            None => 0.0,
            Some(n) if n.is_nan() => 0.0,
            Some(n) if n < 0.0 => (len + n).max(0.0),
            Some(n) => n,
        };
        if start > len {
            None
        } else {
            (start as usize..=hay.len())
                .find(|&i| hay.get(i..i + needle.len()) == Some(&needle[..]))
        }
    };
    Ok(match (mode, found) {
        (2, f) => Value::Bool(f.is_some()),
        (_, Some(i)) => Value::Num(i as f64),
        (_, None) => Value::Num(-1.0),
    })
}
fn buffer_index_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    byte_search(vm, this, args, 0)
}
fn buffer_last_index_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    byte_search(vm, this, args, 1)
}
fn buffer_includes(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    byte_search(vm, this, args, 2)
}

/// The accessor a `read…`/`write…` method works with: element kind and endianness, from
/// the function's data `[kind index, little endian]`.
fn accessor_of(d: &[Value]) -> (ElemKind, bool) {
    let elem = match d.first() {
        Some(Value::Num(n)) => typed_array::ALL_KINDS[*n as usize % 9],
        _ => ElemKind::Uint8,
    };
    (elem, matches!(d.get(1), Some(Value::Bool(true))))
}

/// The byte offset of a read or write of `size` bytes in a buffer of `len`, checked as Node
/// does.
fn access_offset(vm: &mut Vm, v: &Value, len: usize, size: usize) -> Result<usize, Value> {
    let n = match v {
        Value::Undefined => 0.0,
        Value::Num(n) => *n,
        other => {
            let r = received(vm, other);
            return Err(invalid_arg_type(
                vm,
                &format!("The \"offset\" argument must be of type number. Received {r}"),
            ));
        }
    };
    if n.fract() != 0.0 || n.is_nan() {
        return Err(out_of_range(vm, "offset", "an integer", n));
    }
    if len < size {
        return Err(node_error(
            vm,
            true,
            "ERR_BUFFER_OUT_OF_BOUNDS",
            "Attempt to access memory outside buffer bounds",
        ));
    }
    let max = len - size;
    if n < 0.0 || n > max as f64 {
        return Err(out_of_range(vm, "offset", &format!(">= 0 and <= {max}"), n));
    }
    Ok(n as usize)
}

fn buffer_read(vm: &mut Vm, this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let (_, v) = this_bytes_view(vm, &this)?;
    let (elem, little) = accessor_of(d);
    let at = access_offset(vm, &arg(args, 0), v.length, elem.size())?;
    let bytes = typed_array::buffer_range(vm, v.buffer, v.offset + at, v.offset + at + elem.size());
    Ok(Value::Num(elem.decode(&bytes, little)))
}

fn buffer_write_number(vm: &mut Vm, this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let (_, v) = this_bytes_view(vm, &this)?;
    let (elem, little) = accessor_of(d);
    let n = vm.to_number(&arg(args, 0))?;
    let size = elem.size();
    let range = match elem {
        ElemKind::Float32 | ElemKind::Float64 => None,
        ElemKind::Int8 | ElemKind::Int16 | ElemKind::Int32 => {
            let half = 2f64.powi(size as i32 * 8 - 1);
            Some((-half, half - 1.0))
        }
        _ => Some((0.0, 2f64.powi(size as i32 * 8) - 1.0)),
    };
    // Node checks the value's range before the offset
    if let Some((lo, hi)) = range {
        if !(lo..=hi).contains(&n) {
            let r = format!(
                ">= {} and <= {}",
                number_to_string(lo),
                number_to_string(hi)
            );
            return Err(out_of_range(vm, "value", &r, n));
        }
    }
    let at = access_offset(vm, &arg(args, 1), v.length, size)?;
    let (b, size) = elem.encode(n, little);
    typed_array::buffer_write(vm, v.buffer, v.offset + at, &b[..size]);
    Ok(Value::Num((at + size) as f64))
}

pub fn install(vm: &mut Vm) {
    let u8p = vm.realm.typed.protos[ElemKind::Uint8.index()];
    let bp = vm.alloc(Some(u8p), ObjKind::Ordinary);
    vm.host.buffer_proto = Some(bp);
    let ctor = vm.make_native("Buffer", 2, buffer_from, vec![]);
    crate::builtins::link_ctor(vm, ctor, bp);
    // Buffer's own prototype is Uint8Array, as in Node
    let u8_ctor = vm.get(&Value::Obj(u8p), PropKey::Str(vm.names.constructor));
    if let Ok(Value::Obj(c)) = u8_ctor {
        vm.heap.obj_mut(ctor).proto = Some(c);
    }
    vm.method(ctor, "from", 2, buffer_from);
    vm.method(ctor, "alloc", 2, buffer_alloc);
    vm.method(ctor, "allocUnsafe", 1, buffer_alloc_unsafe);
    vm.method(ctor, "allocUnsafeSlow", 1, buffer_alloc_unsafe);
    vm.method(ctor, "isBuffer", 1, buffer_is_buffer);
    vm.method(ctor, "isEncoding", 1, buffer_is_encoding);
    vm.method(ctor, "byteLength", 1, buffer_byte_length);
    vm.method(ctor, "concat", 2, buffer_concat);
    vm.method(ctor, "compare", 2, buffer_compare_static);
    vm.put(ctor, "poolSize", Value::Num(8192.0));
    vm.method(bp, "toString", 3, buffer_to_string);
    vm.method(bp, "toJSON", 0, buffer_to_json);
    vm.method(bp, "equals", 1, buffer_equals);
    vm.method(bp, "compare", 1, buffer_compare);
    vm.method(bp, "slice", 2, buffer_slice);
    vm.method(bp, "copy", 4, buffer_copy);
    vm.method(bp, "write", 4, buffer_write);
    vm.method(bp, "fill", 4, buffer_fill);
    vm.method(bp, "indexOf", 3, buffer_index_of);
    vm.method(bp, "lastIndexOf", 3, buffer_last_index_of);
    vm.method(bp, "includes", 3, buffer_includes);
    const ACCESSORS: [(&str, &str, ElemKind, bool); 19] = [
        ("readInt8", "writeInt8", ElemKind::Int8, false),
        ("readUInt8", "writeUInt8", ElemKind::Uint8, false),
        ("readUint8", "writeUint8", ElemKind::Uint8, false),
        ("readInt16LE", "writeInt16LE", ElemKind::Int16, true),
        ("readInt16BE", "writeInt16BE", ElemKind::Int16, false),
        ("readUInt16LE", "writeUInt16LE", ElemKind::Uint16, true),
        ("readUint16LE", "writeUint16LE", ElemKind::Uint16, true),
        ("readUInt16BE", "writeUInt16BE", ElemKind::Uint16, false),
        ("readUint16BE", "writeUint16BE", ElemKind::Uint16, false),
        ("readInt32LE", "writeInt32LE", ElemKind::Int32, true),
        ("readInt32BE", "writeInt32BE", ElemKind::Int32, false),
        ("readUInt32LE", "writeUInt32LE", ElemKind::Uint32, true),
        ("readUint32LE", "writeUint32LE", ElemKind::Uint32, true),
        ("readUInt32BE", "writeUInt32BE", ElemKind::Uint32, false),
        ("readUint32BE", "writeUint32BE", ElemKind::Uint32, false),
        ("readFloatLE", "writeFloatLE", ElemKind::Float32, true),
        ("readFloatBE", "writeFloatBE", ElemKind::Float32, false),
        ("readDoubleLE", "writeDoubleLE", ElemKind::Float64, true),
        ("readDoubleBE", "writeDoubleBE", ElemKind::Float64, false),
    ];
    for (read_name, write_name, elem, little) in ACCESSORS {
        let data = vec![Value::Num(elem.index() as f64), Value::Bool(little)];
        let r = vm.make_native(read_name, 1, buffer_read, data.clone());
        vm.put_hidden(bp, read_name, Value::Obj(r));
        let w = vm.make_native(write_name, 2, buffer_write_number, data);
        vm.put_hidden(bp, write_name, Value::Obj(w));
    }
    let g = vm.realm.global;
    vm.put_hidden(g, "Buffer", Value::Obj(ctor));
}
