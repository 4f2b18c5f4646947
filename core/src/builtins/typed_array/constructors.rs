//! The typed array constructors (`new Uint8Array(length | buffer, offset, length |
//! iterable | array-like)`, subclasses through `new.target`), the statics `from` and `of`,
//! and the abstract `%TypedArray%` constructor.

use super::storage::{
    alloc_buffer, alloc_view, buffer_len, check_typed_length, detached_error, is_detached,
    new_typed_from_values, read_all, to_index, typed_view, View,
};
use super::{callback, ElemKind, ALL_KINDS};
use crate::builtins::arg;
use crate::heap::*;
use crate::value::{number_to_string, ObjId, Value};
use crate::vm::{JsResult, Vm};

fn kind_of(d: &[Value]) -> ElemKind {
    match d.first() {
        Some(Value::Num(n)) => ALL_KINDS[*n as usize % ALL_KINDS.len()],
        _ => ElemKind::Uint8,
    }
}

/// The numbers of an iterable or array-like source (typed arrays read directly).
fn source_numbers(vm: &mut Vm, src: &Value) -> Result<Vec<f64>, Value> {
    if let Value::Obj(o) = src {
        if let Some(v) = typed_view(vm, *o) {
            return Ok(read_all(vm, &v));
        }
    }
    let iter_key = PropKey::Sym(vm.syms.iterator);
    let iter = vm.get(src, iter_key)?;
    let items = if iter.is_nullish() {
        let len_key = PropKey::Str(vm.names.length);
        let len = vm.get(src, len_key)?;
        // ToLength: negative and NaN are 0
        let len = vm.to_number(&len)?;
        let len = if len.is_nan() || len < 0.0 {
            0
        } else {
            len.min(9007199254740991.0) as usize
        };
        check_typed_length(vm, len, 1)?;
        let mut items = Vec::with_capacity(len);
        for i in 0..len {
            items.push(vm.get_elem(src, &Value::Num(i as f64))?);
        }
        items
    } else {
        vm.iterate_to_vec(src)?
    };
    let mut out = Vec::with_capacity(items.len());
    for x in items {
        out.push(vm.to_number(&x)?);
    }
    Ok(out)
}

pub(super) fn typed_ctor(vm: &mut Vm, _this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let elem = kind_of(d);
    let name = elem.name();
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type(&format!("Constructor {name} requires 'new'"));
    };
    let fallback = vm.realm.typed.protos[elem.index()];
    let size = elem.size();
    let first = arg(args, 0);
    let view = match &first {
        Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::ArrayBuffer { .. }) => {
            let buffer = *o;
            let buf_len = buffer_len(vm, buffer);
            let offset = to_index(vm, &arg(args, 1), |n| {
                format!(
                    "Start offset {} is outside the bounds of the buffer",
                    number_to_string(n)
                )
            })?;
            if !offset.is_multiple_of(size) {
                return Err(vm.range_error(&format!(
                    "start offset of {name} should be a multiple of {size}"
                )));
            }
            let explicit_length = match arg(args, 2) {
                Value::Undefined => None,
                l => Some(to_index(vm, &l, |n| {
                    format!("Invalid typed array length: {}", number_to_string(n))
                })?),
            };
            if is_detached(vm, buffer) {
                return Err(detached_error(vm, "Construct"));
            }
            let length = match explicit_length {
                None => {
                    if !buf_len.is_multiple_of(size) {
                        return Err(vm.range_error(&format!(
                            "byte length of {name} should be a multiple of {size}"
                        )));
                    }
                    if offset > buf_len {
                        return Err(vm.range_error(&format!(
                            "Start offset {offset} is outside the bounds of the buffer"
                        )));
                    }
                    (buf_len - offset) / size
                }
                Some(n) => {
                    if offset.saturating_add(n.saturating_mul(size)) > buf_len {
                        return Err(vm.range_error(&format!("Invalid typed array length: {n}")));
                    }
                    n
                }
            };
            View {
                buffer,
                elem,
                offset,
                length,
            }
        }
        Value::Obj(o) => {
            if let Some(source) = typed_view(vm, *o) {
                if is_detached(vm, source.buffer) {
                    return Err(detached_error(vm, "Construct"));
                }
            }
            let values = source_numbers(vm, &first)?;
            check_typed_length(vm, values.len(), size)?;
            let o = new_typed_from_values(vm, elem, fallback, &values);
            return finish_ctor(vm, &nt, fallback, o);
        }
        other => {
            let len = to_index(vm, other, |n| {
                format!("Invalid typed array length: {}", number_to_string(n))
            })?;
            check_typed_length(vm, len, size)?;
            let buffer = alloc_buffer(vm, vec![0; len * size], false);
            View {
                buffer,
                elem,
                offset: 0,
                length: len,
            }
        }
    };
    let o = alloc_view(vm, fallback, view);
    finish_ctor(vm, &nt, fallback, o)
}

/// Gives a freshly made typed array the prototype `new.target` asks for (subclasses).
fn finish_ctor(vm: &mut Vm, nt: &Value, fallback: ObjId, o: ObjId) -> JsResult {
    if let Value::Obj(n) = nt {
        let is_builtin = vm.realm.typed.protos.iter().any(|p| {
            matches!(vm.heap.obj(*p).get_own(PropKey::Str(vm.names.constructor)),
                Some(Prop { slot: Slot::Data(Value::Obj(c)), .. }) if c == n)
        });
        if !is_builtin {
            let p = match vm.get(nt, PropKey::Str(vm.names.prototype))? {
                Value::Obj(p) => p,
                _ => fallback,
            };
            vm.heap.obj_mut(o).proto = Some(p);
        }
    }
    Ok(Value::Obj(o))
}

/// The kind a static method (`Uint8Array.from`) makes: the kind of `this` constructor.
fn static_target(vm: &mut Vm, this: &Value) -> Result<(ElemKind, ObjId), Value> {
    if let Value::Obj(_) = this {
        if let Ok(Value::Obj(p)) = vm.get(this, PropKey::Str(vm.names.prototype)) {
            let mut cur = Some(p);
            while let Some(c) = cur {
                if let Some(i) = vm.realm.typed.protos.iter().position(|x| *x == c) {
                    return Ok((ALL_KINDS[i], p));
                }
                cur = vm.heap.obj(c).proto;
            }
        }
    }
    let shown = vm.to_display_short(this);
    vm.throw_type(&format!("{shown} is not a constructor"))
}

pub(super) fn typed_from(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (elem, proto) = static_target(vm, &this)?;
    let map = arg(args, 1);
    let src = arg(args, 0);
    if src.is_nullish() {
        let shown = vm.to_display(&src);
        return vm.throw_type(&format!("Cannot convert {shown} to object"));
    }
    if !matches!(map, Value::Undefined) {
        callback(vm, &map)?;
    }
    // a typed array source is iterated, and its iterator refuses a detached buffer
    if let Value::Obj(o) = src {
        if typed_view(vm, o).is_some_and(|v| is_detached(vm, v.buffer)) {
            return Err(detached_error(vm, "%TypedArray%.prototype.values"));
        }
    }
    let values = if matches!(map, Value::Undefined) {
        source_numbers(vm, &src)?
    } else {
        let items = match &src {
            Value::Obj(o) if typed_view(vm, *o).is_some() => {
                let v = typed_view(vm, *o).expect("checked");
                read_all(vm, &v).into_iter().map(Value::Num).collect()
            }
            _ => vm.iterate_to_vec(&src)?,
        };
        let this_arg = arg(args, 2);
        let mut out = Vec::with_capacity(items.len());
        for (i, x) in items.into_iter().enumerate() {
            let r = vm.call(&map, this_arg.clone(), &[x, Value::Num(i as f64)])?;
            out.push(vm.to_number(&r)?);
        }
        out
    };
    Ok(Value::Obj(new_typed_from_values(vm, elem, proto, &values)))
}

pub(super) fn typed_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (elem, proto) = static_target(vm, &this)?;
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        values.push(vm.to_number(a)?);
    }
    Ok(Value::Obj(new_typed_from_values(vm, elem, proto, &values)))
}

pub(super) fn abstract_ctor(vm: &mut Vm, _this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    vm.throw_type("Abstract class TypedArray not directly constructable")
}
