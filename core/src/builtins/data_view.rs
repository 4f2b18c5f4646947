//! `DataView` (typed reads and writes at byte offsets of an ArrayBuffer, either endianness)
//! and `Atomics` on integer typed arrays. The simulator runs one agent at a time, so every
//! atomic operation is the plain read-modify-write with the spec's return value and errors;
//! `Atomics.wait` only answers the cases that do not block forever.

use super::typed_array::{
    buffer_len, buffer_range, buffer_write, detached_error, is_detached, to_index, typed_view,
    ElemKind, View, ALL_KINDS,
};
use super::{arg, getter, link_ctor};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};

/// A DataView's window: buffer, byte offset, byte length.
fn this_data_view(vm: &mut Vm, this: &Value, method: &str) -> Result<(ObjId, usize, usize), Value> {
    if let Value::Obj(o) = this {
        if let ObjKind::DataView {
            buffer,
            offset,
            length,
        } = &vm.heap.obj(*o).kind
        {
            return Ok((*buffer, *offset, *length));
        }
    }
    let shown = match this {
        Value::Obj(_) => "#<Object>".to_string(),
        other => vm.to_display(other),
    };
    vm.throw_type(&format!(
        "Method DataView.prototype.{method} called on incompatible receiver {shown}"
    ))
}

fn data_view_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type("Constructor DataView requires 'new'");
    };
    let buffer = match arg(args, 0) {
        Value::Obj(b) if matches!(vm.heap.obj(b).kind, ObjKind::ArrayBuffer { .. }) => b,
        _ => return vm.throw_type("First argument to DataView constructor must be an ArrayBuffer"),
    };
    let offset = to_index(vm, &arg(args, 1), |n| {
        format!("Start offset {n} is outside the bounds of the buffer")
    })?;
    if is_detached(vm, buffer) {
        return Err(detached_error(vm, "DataView constructor"));
    }
    let buf_len = buffer_len(vm, buffer);
    if offset > buf_len {
        return Err(vm.range_error(&format!(
            "Start offset {offset} is outside the bounds of the buffer"
        )));
    }
    let length = match arg(args, 2) {
        Value::Undefined => buf_len - offset,
        l => {
            let n = to_index(vm, &l, |n| format!("Invalid DataView length {n}"))?;
            if offset.saturating_add(n) > buf_len {
                return Err(vm.range_error(&format!("Invalid DataView length {n}")));
            }
            n
        }
    };
    let p = vm.realm.typed.data_view_proto;
    Ok(Value::Obj(vm.ordinary_create_from(
        &nt,
        p,
        ObjKind::DataView {
            buffer,
            offset,
            length,
        },
    )))
}

fn dv_buffer(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (b, _, _) = this_data_view(vm, &this, "buffer")?;
    Ok(Value::Obj(b))
}
fn dv_byte_length(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (b, _, l) = this_data_view(vm, &this, "byteLength")?;
    attached(vm, b, "DataView.prototype.byteLength")?;
    Ok(Value::Num(l as f64))
}
fn dv_byte_offset(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (b, o, _) = this_data_view(vm, &this, "byteOffset")?;
    attached(vm, b, "DataView.prototype.byteOffset")?;
    Ok(Value::Num(o as f64))
}

/// V8's TypeError when a DataView's buffer was detached (transferred away).
fn attached(vm: &mut Vm, buffer: ObjId, what: &str) -> Result<(), Value> {
    if is_detached(vm, buffer) {
        return Err(detached_error(vm, what));
    }
    Ok(())
}

fn dv_kind(d: &[Value]) -> ElemKind {
    match d.first() {
        Some(Value::Num(n)) => ALL_KINDS[*n as usize % ALL_KINDS.len()],
        _ => ElemKind::Uint8,
    }
}

fn method_name(prefix: &str, elem: ElemKind) -> String {
    format!("{prefix}{}", elem.name().trim_end_matches("Array"))
}

const OUT_OF_BOUNDS: &str = "Offset is outside the bounds of the DataView";

/// The absolute byte position of an access of `size` bytes at element `i`, or V8's RangeError.
fn dv_position(vm: &mut Vm, i: usize, window: (usize, usize), size: usize) -> Result<usize, Value> {
    let (offset, length) = window;
    if i.saturating_add(size) > length {
        return Err(vm.range_error(OUT_OF_BOUNDS));
    }
    Ok(offset + i)
}

fn dv_get(vm: &mut Vm, this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let elem = dv_kind(d);
    let name = method_name("get", elem);
    let (buffer, offset, length) = this_data_view(vm, &this, &name)?;
    let i = to_index(vm, &arg(args, 0), |_| OUT_OF_BOUNDS.into())?;
    let little = arg(args, 1).truthy();
    attached(vm, buffer, &format!("DataView.prototype.{name}"))?;
    let at = dv_position(vm, i, (offset, length), elem.size())?;
    let bytes = buffer_range(vm, buffer, at, at + elem.size());
    Ok(Value::Num(elem.decode(&bytes, little)))
}

fn dv_set(vm: &mut Vm, this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let elem = dv_kind(d);
    let name = method_name("set", elem);
    let (buffer, offset, length) = this_data_view(vm, &this, &name)?;
    let i = to_index(vm, &arg(args, 0), |_| OUT_OF_BOUNDS.into())?;
    let n = vm.to_number(&arg(args, 1))?;
    let little = arg(args, 2).truthy();
    attached(vm, buffer, &format!("DataView.prototype.{name}"))?;
    let at = dv_position(vm, i, (offset, length), elem.size())?;
    let (b, size) = elem.encode(n, little);
    buffer_write(vm, buffer, at, &b[..size]);
    Ok(Value::Undefined)
}

// ---------- Atomics

/// The integer typed array an Atomics function works on, or V8's TypeError.
fn atomic_view(vm: &mut Vm, v: &Value) -> Result<View, Value> {
    if let Value::Obj(o) = v {
        if let Some(view) = typed_view(vm, *o) {
            if view.elem.is_atomic() {
                return Ok(view);
            }
            let name = view.elem.name();
            return vm.throw_type(&format!("[object {name}] is not an integer typed array."));
        }
    }
    let shown = match v {
        Value::Obj(_) => "#<Object>".to_string(),
        other => vm.to_display(other),
    };
    vm.throw_type(&format!("{shown} is not an integer typed array."))
}

fn atomic_index(vm: &mut Vm, view: &View, i: &Value) -> Result<usize, Value> {
    let i = to_index(vm, i, |_| "Invalid atomic access index".into())?;
    if i >= view.length {
        return Err(vm.range_error("Invalid atomic access index"));
    }
    Ok(i)
}

/// The element's integer bits (for the bitwise operations and compareExchange).
fn bits(elem: ElemKind, n: f64) -> i64 {
    elem.coerce(n) as i64
}

/// add, sub, and, or, xor, exchange: the operation is the function's data; returns the old
/// element.
fn atomics_rmw(vm: &mut Vm, _this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let view = atomic_view(vm, &arg(args, 0))?;
    let i = atomic_index(vm, &view, &arg(args, 1))?;
    let n = vm.to_number(&arg(args, 2))?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    let old = super::typed_array::read(vm, &view, i);
    let op = match d.first() {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    let e = view.elem;
    let new = match op.as_str() {
        "add" => (bits(e, old).wrapping_add(bits(e, n))) as f64,
        "sub" => (bits(e, old).wrapping_sub(bits(e, n))) as f64,
        "and" => (bits(e, old) & bits(e, n)) as f64,
        "or" => (bits(e, old) | bits(e, n)) as f64,
        "xor" => (bits(e, old) ^ bits(e, n)) as f64,
        _ => n,
    };
    super::typed_array::write(vm, &view, i, new);
    Ok(Value::Num(old))
}

fn atomics_load(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let view = atomic_view(vm, &arg(args, 0))?;
    let i = atomic_index(vm, &view, &arg(args, 1))?;
    Ok(Value::Num(super::typed_array::read(vm, &view, i)))
}

fn atomics_store(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let view = atomic_view(vm, &arg(args, 0))?;
    let i = atomic_index(vm, &view, &arg(args, 1))?;
    let n = vm.to_number(&arg(args, 2))?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() + 0.0 };
    super::typed_array::write(vm, &view, i, n);
    Ok(Value::Num(n))
}

fn atomics_compare_exchange(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let view = atomic_view(vm, &arg(args, 0))?;
    let i = atomic_index(vm, &view, &arg(args, 1))?;
    let expected = vm.to_number(&arg(args, 2))?;
    let replacement = vm.to_number(&arg(args, 3))?;
    let old = super::typed_array::read(vm, &view, i);
    if view.elem.coerce(expected) == old {
        super::typed_array::write(vm, &view, i, replacement);
    }
    Ok(Value::Num(old))
}

fn atomics_is_lock_free(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let n = vm.to_number(&arg(args, 0))?;
    Ok(Value::Bool(
        matches!(n as i64, 1 | 2 | 4 | 8) && n.fract() == 0.0,
    ))
}

/// The Int32Array on a SharedArrayBuffer that `wait` and `notify` need.
fn shared_int32(vm: &mut Vm, v: &Value) -> Result<View, Value> {
    let view = atomic_view(vm, v)?;
    let shared = matches!(
        vm.heap.obj(view.buffer).kind,
        ObjKind::ArrayBuffer { shared: true, .. }
    );
    if view.elem != ElemKind::Int32 || !shared {
        let name = view.elem.name();
        return vm.throw_type(&format!("[object {name}] is not a shared typed array."));
    }
    Ok(view)
}

fn atomics_wait(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let view = shared_int32(vm, &arg(args, 0))?;
    let i = atomic_index(vm, &view, &arg(args, 1))?;
    let expected = vm.to_number(&arg(args, 2))?;
    let timeout = match arg(args, 3) {
        Value::Undefined => f64::INFINITY,
        t => {
            let t = vm.to_number(&t)?;
            if t.is_nan() {
                f64::INFINITY
            } else {
                t.max(0.0)
            }
        }
    };
    if super::typed_array::read(vm, &view, i) != ElemKind::Int32.coerce(expected) {
        return Ok(Value::str("not-equal"));
    }
    let timeout_ns = (!timeout.is_infinite()).then_some((timeout * 1e6) as u64);
    // the thread blocks: "ok" unless the machine finds it timed out
    if vm.atomics_block(wait_key(vm, &view, i), timeout_ns) {
        return Ok(Value::str("ok"));
    }
    match timeout_ns {
        Some(ns) => {
            vm.block_for(ns);
            Ok(Value::str("timed-out"))
        }
        None => {
            let msg = "unsupported: Atomics.wait without a timeout inside a promise job or a built-in's callback (the simulator parks a thread only in a function the event loop called)";
            Err(vm.make_error(vm.realm.error_proto, msg))
        }
    }
}

/// The identity of a shared-memory cell: its byte store and byte offset.
fn wait_key(vm: &Vm, view: &View, index: usize) -> (usize, usize) {
    let store =
        super::typed_array::store(vm, view.buffer).map_or(0, |s| std::rc::Rc::as_ptr(s) as usize);
    (store, view.offset + index * view.elem.size())
}

fn atomics_notify(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let view = atomic_view(vm, &arg(args, 0))?;
    let i = atomic_index(vm, &view, &arg(args, 1))?;
    let count = match arg(args, 2) {
        Value::Undefined => usize::MAX,
        c => {
            let c = vm.to_number(&c)?;
            if c.is_nan() || c <= 0.0 {
                0
            } else if c.is_infinite() {
                usize::MAX
            } else {
                c as usize
            }
        }
    };
    let shared = matches!(
        &vm.heap.obj(view.buffer).kind,
        ObjKind::ArrayBuffer { shared: true, .. }
    );
    if !shared {
        return Ok(Value::Num(0.0));
    }
    let key = wait_key(vm, &view, i);
    Ok(Value::Num(vm.atomics_notify(key, count) as f64))
}

pub fn install(vm: &mut Vm) {
    let op = vm.realm.object_proto;
    let proto = vm.alloc(Some(op), ObjKind::Ordinary);
    vm.realm.typed.data_view_proto = proto;
    let ctor = vm.make_native("DataView", 1, data_view_ctor, vec![]);
    link_ctor(vm, ctor, proto);
    getter(vm, proto, "get buffer", dv_buffer, vec![]);
    getter(vm, proto, "get byteLength", dv_byte_length, vec![]);
    getter(vm, proto, "get byteOffset", dv_byte_offset, vec![]);
    let names: [(&'static str, &'static str, ElemKind); 8] = [
        ("getInt8", "setInt8", ElemKind::Int8),
        ("getUint8", "setUint8", ElemKind::Uint8),
        ("getInt16", "setInt16", ElemKind::Int16),
        ("getUint16", "setUint16", ElemKind::Uint16),
        ("getInt32", "setInt32", ElemKind::Int32),
        ("getUint32", "setUint32", ElemKind::Uint32),
        ("getFloat32", "setFloat32", ElemKind::Float32),
        ("getFloat64", "setFloat64", ElemKind::Float64),
    ];
    for (get, set, elem) in names {
        let data = vec![Value::Num(elem.index() as f64)];
        let g = vm.make_native(get, 1, dv_get, data.clone());
        vm.put_hidden(proto, get, Value::Obj(g));
        let s = vm.make_native(set, 2, dv_set, data);
        vm.put_hidden(proto, set, Value::Obj(s));
    }
    let tag = PropKey::Sym(vm.syms.to_string_tag);
    vm.heap
        .obj_mut(proto)
        .put(tag, Value::str("DataView"), CONFIGURABLE);
    let g = vm.realm.global;
    vm.put_hidden(g, "DataView", Value::Obj(ctor));

    let atomics = vm.new_object();
    for name in ["add", "sub", "and", "or", "xor", "exchange"] {
        let f = vm.make_native(name, 3, atomics_rmw, vec![Value::str(name)]);
        vm.put_hidden(atomics, name, Value::Obj(f));
    }
    vm.method(atomics, "load", 2, atomics_load);
    vm.method(atomics, "store", 3, atomics_store);
    vm.method(atomics, "compareExchange", 4, atomics_compare_exchange);
    vm.method(atomics, "isLockFree", 1, atomics_is_lock_free);
    vm.method(atomics, "wait", 4, atomics_wait);
    vm.method(atomics, "notify", 3, atomics_notify);
    vm.heap
        .obj_mut(atomics)
        .put(tag, Value::str("Atomics"), CONFIGURABLE);
    vm.put_hidden(g, "Atomics", Value::Obj(atomics));
}
