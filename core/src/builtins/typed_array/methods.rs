//! `%TypedArray%.prototype`: the accessors (`buffer`, `byteLength`, `byteOffset`, `length`,
//! `@@toStringTag`) and the methods that read, write or copy elements without calling back
//! into JavaScript (`at`, `fill`, `indexOf` / `lastIndexOf` / `includes`, `join`, `reverse`,
//! `toReversed`, `with`, `slice`, `subarray`, `set`, `copyWithin`).

use super::storage::{
    alloc_view, detached_error, is_detached, new_typed_from_bytes, new_typed_from_values, read,
    read_all, typed_view, view_bytes, write, View, MAX_BYTE_LENGTH,
};
use super::{rel_index, species_proto, this_view, valid_view};
use crate::builtins::arg;
use crate::heap::*;
use crate::value::{number_to_string, Value};
use crate::vm::{JsResult, Vm};

// ---------- %TypedArray%.prototype accessors

pub(super) fn ta_buffer(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    Ok(Value::Obj(v.buffer))
}
pub(super) fn ta_byte_length(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    Ok(Value::Num((v.length * v.elem.size()) as f64))
}
pub(super) fn ta_byte_offset(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    Ok(Value::Num(v.offset as f64))
}
pub(super) fn ta_length(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    Ok(Value::Num(v.length as f64))
}
pub(super) fn ta_to_string_tag(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    Ok(match &this {
        Value::Obj(o) => match typed_view(vm, *o) {
            Some(v) => Value::str(v.elem.name()),
            None => Value::Undefined,
        },
        _ => Value::Undefined,
    })
}

// ---------- %TypedArray%.prototype methods

pub(super) fn ta_at(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = valid_view(vm, &this, "at")?;
    let n = vm.to_number(&arg(args, 0))?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    let i = if n < 0.0 { v.length as f64 + n } else { n };
    if i < 0.0 || i >= v.length as f64 {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(read(vm, &v, i as usize)))
}

pub(super) fn ta_fill(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = valid_view(vm, &this, "fill")?;
    let n = vm.to_number(&arg(args, 0))?;
    let start = rel_index(vm, &arg(args, 1), v.length, 0)?;
    let end = rel_index(vm, &arg(args, 2), v.length, v.length)?;
    for i in start..end {
        write(vm, &v, i, n);
    }
    Ok(this)
}

/// indexOf / lastIndexOf / includes: `mode` 0, 1, 2.
fn search(vm: &mut Vm, this: Value, args: &[Value], mode: u8) -> JsResult {
    let (_, v) = valid_view(
        vm,
        &this,
        ["indexOf", "lastIndexOf", "includes"][mode as usize % 3],
    )?;
    let len = v.length;
    let not_found = if mode == 2 {
        Value::Bool(false)
    } else {
        Value::Num(-1.0)
    };
    if len == 0 {
        return Ok(not_found);
    }
    let target = arg(args, 0);
    let range: Vec<usize> = if mode == 1 {
        let from = match args.get(1) {
            None => len as f64 - 1.0,
            Some(a) => {
                let n = vm.to_number(a)?;
                let n = if n.is_nan() { 0.0 } else { n.trunc() };
                if n < 0.0 {
                    len as f64 + n
                } else {
                    n.min(len as f64 - 1.0)
                }
            }
        };
        if from < 0.0 {
            return Ok(not_found);
        }
        (0..=from as usize).rev().collect()
    } else {
        let from = rel_index(vm, &arg(args, 1), len, 0)?;
        (from..len).collect()
    };
    let Value::Num(t) = target else {
        return Ok(not_found);
    };
    for i in range {
        let x = read(vm, &v, i);
        if x == t || (mode == 2 && x.is_nan() && t.is_nan()) {
            return Ok(if mode == 2 {
                Value::Bool(true)
            } else {
                Value::Num(i as f64)
            });
        }
    }
    Ok(not_found)
}
pub(super) fn ta_index_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    search(vm, this, args, 0)
}
pub(super) fn ta_last_index_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    search(vm, this, args, 1)
}
pub(super) fn ta_includes(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    search(vm, this, args, 2)
}

pub(super) fn ta_join(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = valid_view(vm, &this, "join")?;
    let sep = match arg(args, 0) {
        Value::Undefined => ",".to_string(),
        s => vm.to_string(&s)?,
    };
    let parts: Vec<String> = read_all(vm, &v).into_iter().map(number_to_string).collect();
    Ok(Value::str(&parts.join(&sep)))
}
pub(super) fn ta_to_string(vm: &mut Vm, this: Value, _args: &[Value], d: &[Value]) -> JsResult {
    ta_join(vm, this, &[], d)
}
pub(super) fn ta_to_locale_string(vm: &mut Vm, this: Value, _a: &[Value], d: &[Value]) -> JsResult {
    valid_view(vm, &this, "toLocaleString")?;
    ta_join(vm, this, &[], d)
}

pub(super) fn ta_reverse(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = valid_view(vm, &this, "reverse")?;
    let vals = read_all(vm, &v);
    for (i, x) in vals.into_iter().rev().enumerate() {
        write(vm, &v, i, x);
    }
    Ok(this)
}

pub(super) fn ta_to_reversed(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = valid_view(vm, &this, "toReversed")?;
    let mut vals = read_all(vm, &v);
    vals.reverse();
    let p = vm.realm.typed.protos[v.elem.index()];
    Ok(Value::Obj(new_typed_from_values(vm, v.elem, p, &vals)))
}

pub(super) fn ta_with(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = valid_view(vm, &this, "with")?;
    let n = vm.to_number(&arg(args, 0))?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    let i = if n < 0.0 { v.length as f64 + n } else { n };
    let x = vm.to_number(&arg(args, 1))?;
    if i < 0.0 || i >= v.length as f64 {
        return Err(vm.range_error("Invalid typed array index"));
    }
    let mut vals = read_all(vm, &v);
    vals[i as usize] = x;
    let p = vm.realm.typed.protos[v.elem.index()];
    Ok(Value::Obj(new_typed_from_values(vm, v.elem, p, &vals)))
}

pub(super) fn ta_slice(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, v) = valid_view(vm, &this, "slice")?;
    let start = rel_index(vm, &arg(args, 0), v.length, 0)?;
    let end = rel_index(vm, &arg(args, 1), v.length, v.length)?;
    let size = v.elem.size();
    let bytes = view_bytes(vm, &v);
    let part = bytes
        .get(start * size..end.max(start) * size)
        .unwrap_or(&[])
        .to_vec();
    let proto = species_proto(vm, o, &v);
    Ok(Value::Obj(new_typed_from_bytes(vm, v.elem, proto, part)))
}

/// A view sharing `this`'s buffer over elements `begin..end` (with `this`'s prototype).
pub fn ta_subarray(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, v) = this_view(vm, &this)?;
    let begin = rel_index(vm, &arg(args, 0), v.length, 0)?;
    let end = rel_index(vm, &arg(args, 1), v.length, v.length)?;
    if is_detached(vm, v.buffer) {
        return Err(detached_error(vm, "Construct"));
    }
    let proto = species_proto(vm, o, &v);
    let sub = View {
        offset: v.offset + begin * v.elem.size(),
        length: end.saturating_sub(begin),
        ..v
    };
    Ok(Value::Obj(alloc_view(vm, proto, sub)))
}

pub(super) fn ta_set(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = valid_view(vm, &this, "set")?;
    let offset = vm.to_number(&arg(args, 1))?;
    let offset = if offset.is_nan() { 0.0 } else { offset.trunc() };
    if offset < 0.0 {
        return Err(vm.range_error("offset is out of bounds"));
    }
    let src = arg(args, 0);
    let values = match &src {
        Value::Obj(_) => source_numbers_array_like(vm, &src)?,
        Value::Undefined | Value::Null => {
            let shown = vm.to_display(&src);
            return vm.throw_type(&format!("Cannot convert {shown} to object"));
        }
        _ => vec![],
    };
    if offset + values.len() as f64 > v.length as f64 {
        return Err(vm.range_error("offset is out of bounds"));
    }
    for (i, x) in values.into_iter().enumerate() {
        write(vm, &v, offset as usize + i, x);
    }
    Ok(Value::Undefined)
}

/// The numbers of an array-like (typed arrays read directly; no iteration, as `set` does).
fn source_numbers_array_like(vm: &mut Vm, src: &Value) -> Result<Vec<f64>, Value> {
    if let Value::Obj(o) = src {
        if let Some(v) = typed_view(vm, *o) {
            if is_detached(vm, v.buffer) {
                return Err(detached_error(vm, "%TypedArray%.prototype.set"));
            }
            return Ok(read_all(vm, &v));
        }
    }
    let len_key = PropKey::Str(vm.names.length);
    let len = vm.get(src, len_key)?;
    let len = vm.to_number(&len)?;
    let len = if len.is_nan() || len < 0.0 { 0.0 } else { len };
    let len = (len as usize).min(MAX_BYTE_LENGTH);
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let x = vm.get_elem(src, &Value::Num(i as f64))?;
        out.push(vm.to_number(&x)?);
    }
    Ok(out)
}

pub(super) fn ta_copy_within(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = valid_view(vm, &this, "copyWithin")?;
    let target = rel_index(vm, &arg(args, 0), v.length, 0)?;
    let start = rel_index(vm, &arg(args, 1), v.length, 0)?;
    let end = rel_index(vm, &arg(args, 2), v.length, v.length)?;
    let vals = read_all(vm, &v);
    let count = end.saturating_sub(start).min(v.length - target);
    for i in 0..count {
        write(vm, &v, target + i, vals[start + i]);
    }
    Ok(this)
}
