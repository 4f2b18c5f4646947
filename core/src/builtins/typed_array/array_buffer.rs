//! `ArrayBuffer` and `SharedArrayBuffer`: the constructors, `byteLength`, `slice`,
//! `ArrayBuffer.isView`, and their installation (one function for both kinds, told apart by
//! the natives' data).

use super::rel_index;
use super::storage::{
    alloc_buffer, buffer_len, buffer_range, check_byte_length, detached_error, is_detached,
    to_index,
};
use crate::builtins::{arg, getter, link_ctor};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;

fn array_buffer_ctor(vm: &mut Vm, _this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let shared = matches!(d.first(), Some(Value::Bool(true)));
    let name = if shared {
        "SharedArrayBuffer"
    } else {
        "ArrayBuffer"
    };
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type(&format!("Constructor {name} requires 'new'"));
    };
    let len = to_index(vm, &arg(args, 0), |_| "Invalid array buffer length".into())?;
    check_byte_length(vm, len)?;
    let fallback = if shared {
        vm.realm.typed.shared_array_buffer_proto
    } else {
        vm.realm.typed.array_buffer_proto
    };
    let bytes = Rc::new(RefCell::new(vec![0; len]));
    Ok(Value::Obj(vm.ordinary_create_from(
        &nt,
        fallback,
        ObjKind::ArrayBuffer {
            bytes,
            shared,
            detached: false,
        },
    )))
}

/// `this` as a buffer of the wanted kind (shared or not), or V8's TypeError.
fn this_buffer(vm: &mut Vm, this: &Value, d: &[Value], method: &str) -> Result<ObjId, Value> {
    let want_shared = matches!(d.first(), Some(Value::Bool(true)));
    if let Value::Obj(o) = this {
        if let ObjKind::ArrayBuffer { shared, .. } = &vm.heap.obj(*o).kind {
            if *shared == want_shared {
                return Ok(*o);
            }
        }
    }
    let name = if want_shared {
        "SharedArrayBuffer"
    } else {
        "ArrayBuffer"
    };
    let shown = vm.to_display_short(this);
    vm.throw_type(&format!(
        "Method {name}.prototype.{method} called on incompatible receiver {shown}"
    ))
}

fn array_buffer_byte_length(vm: &mut Vm, this: Value, _a: &[Value], d: &[Value]) -> JsResult {
    let b = this_buffer(vm, &this, d, "byteLength")?;
    Ok(Value::Num(buffer_len(vm, b) as f64))
}

fn array_buffer_slice(vm: &mut Vm, this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let b = this_buffer(vm, &this, d, "slice")?;
    if is_detached(vm, b) {
        return Err(detached_error(vm, "ArrayBuffer.prototype.slice"));
    }
    let len = buffer_len(vm, b);
    let start = rel_index(vm, &arg(args, 0), len, 0)?;
    let end = rel_index(vm, &arg(args, 1), len, len)?;
    let bytes = buffer_range(vm, b, start, end);
    let shared = matches!(d.first(), Some(Value::Bool(true)));
    let proto = vm.heap.obj(b).proto;
    let c = alloc_buffer(vm, bytes, shared);
    vm.heap.obj_mut(c).proto = proto;
    Ok(Value::Obj(c))
}

fn array_buffer_is_view(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(matches!(arg(args, 0), Value::Obj(o)
        if matches!(vm.heap.obj(o).kind, ObjKind::TypedArray { .. } | ObjKind::DataView { .. }))))
}

pub(super) fn install_buffer_kind(vm: &mut Vm, shared: bool) {
    let op = vm.realm.object_proto;
    let proto = vm.alloc(Some(op), ObjKind::Ordinary);
    let (name, data) = if shared {
        vm.realm.typed.shared_array_buffer_proto = proto;
        ("SharedArrayBuffer", vec![Value::Bool(true)])
    } else {
        vm.realm.typed.array_buffer_proto = proto;
        ("ArrayBuffer", vec![Value::Bool(false)])
    };
    let ctor = vm.make_native(name, 1, array_buffer_ctor, data.clone());
    link_ctor(vm, ctor, proto);
    getter(
        vm,
        proto,
        "get byteLength",
        array_buffer_byte_length,
        data.clone(),
    );
    let slice = vm.make_native("slice", 2, array_buffer_slice, data);
    vm.put_hidden(proto, "slice", Value::Obj(slice));
    let tag = PropKey::Sym(vm.syms.to_string_tag);
    vm.heap
        .obj_mut(proto)
        .put(tag, Value::str(name), CONFIGURABLE);
    if !shared {
        vm.method(ctor, "isView", 1, array_buffer_is_view);
    }
    let g = vm.realm.global;
    vm.put_hidden(g, name, Value::Obj(ctor));
}
