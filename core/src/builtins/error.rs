//! Error constructors (Error, TypeError, RangeError, ReferenceError, SyntaxError,
//! AggregateError) with `message`, `name`, `cause` and a V8-style `stack`.
//!
//! Like V8, a constructed error's `stack` captures the frames at construction (starting
//! below the `new.target` constructor, so a subclass's constructor frames are left out) but
//! formats its header ("Name: message") when it is first read: a `this.name = 'MyError'` in
//! a subclass constructor shows up in the stack and in `console.log(err)`.

use super::{arg, link_ctor};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};

fn error_ctor(vm: &mut Vm, _this: Value, args: &[Value], data: &[Value]) -> JsResult {
    let Value::Obj(proto) = data[0] else {
        return Ok(Value::Undefined);
    };
    let is_aggregate = data[1].truthy();
    let nt = vm.new_target.clone().unwrap_or(Value::Undefined);
    let o = if let Value::Undefined = nt {
        vm.alloc(Some(proto), ObjKind::Error)
    } else {
        vm.ordinary_create_from(&nt, proto, ObjKind::Error)
    };
    let (msg_i, opt_i) = if is_aggregate { (1, 2) } else { (0, 1) };
    let msg = arg(args, msg_i);
    if !matches!(msg, Value::Undefined) {
        let s = vm.to_string(&msg)?;
        let k = PropKey::Str(vm.names.message);
        vm.heap.obj_mut(o).put(k, Value::str(&s), HIDDEN);
    }
    if let Value::Obj(opts) = arg(args, opt_i) {
        let kc = PropKey::Str(vm.names.cause);
        if vm.has_property(opts, kc) {
            let c = vm.get(&Value::Obj(opts), kc)?;
            vm.heap.obj_mut(o).put(kc, c, HIDDEN);
        }
    }
    if is_aggregate {
        let errs = vm.iterate_to_vec(&arg(args, 0))?;
        let a = vm.new_array(errs);
        let k = PropKey::Str(vm.names.errors);
        vm.heap.obj_mut(o).put(k, a, HIDDEN);
    }
    let below = match nt {
        Value::Obj(f) => Some(f),
        _ => None,
    };
    attach_lazy_stack(vm, o, below);
    Ok(Value::Obj(o))
}

/// Installs `stack` as an own accessor holding the frames captured now; its first read
/// replaces it with the data property `header + frames`.
fn attach_lazy_stack(vm: &mut Vm, o: ObjId, below: Option<ObjId>) {
    let frames = vm.stack_trace_lines_below(below);
    let get = vm.native_fn(vm.ids.stack_get, vec![Value::str(&frames)]);
    let set = vm.native_fn(vm.ids.stack_set, vec![]);
    let k = PropKey::Str(vm.names.stack);
    vm.heap.obj_mut(o).put(k, Value::Undefined, HIDDEN);
    if let Some(i) = vm.heap.obj(o).find(k) {
        vm.heap.obj_mut(o).props[i].slot = Slot::Accessor {
            get: Value::Obj(get),
            set: Value::Obj(set),
        };
    }
}

fn stack_get(vm: &mut Vm, this: Value, _args: &[Value], data: &[Value]) -> JsResult {
    let Value::Obj(o) = this else {
        return Ok(Value::Undefined);
    };
    let mut s = vm.error_header(o);
    if let Some(Value::Str(frames)) = data.first() {
        s.push_str(frames);
    }
    let v = Value::str(&s);
    let k = PropKey::Str(vm.names.stack);
    vm.heap.obj_mut(o).put(k, v.clone(), HIDDEN);
    Ok(v)
}

fn stack_set(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if let Value::Obj(o) = this {
        let k = PropKey::Str(vm.names.stack);
        vm.heap.obj_mut(o).put(k, arg(args, 0), HIDDEN);
    }
    Ok(Value::Undefined)
}

fn error_to_string(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let Value::Obj(o) = this else {
        return vm.throw_type("Error.prototype.toString called on non-object");
    };
    Ok(Value::str(&vm.error_header(o)))
}

fn capture_stack_trace(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if let Value::Obj(o) = arg(args, 0) {
        vm.attach_stack(o);
    }
    Ok(Value::Undefined)
}

fn make(
    vm: &mut Vm,
    name: &'static str,
    parent_proto: ObjId,
    parent_ctor: Option<ObjId>,
    aggregate: bool,
) -> (ObjId, ObjId) {
    let proto = if name == "Error" {
        vm.realm.error_proto
    } else {
        vm.alloc(Some(parent_proto), ObjKind::Ordinary)
    };
    let ctor = vm.make_native(
        name,
        1,
        error_ctor,
        vec![Value::Obj(proto), Value::Bool(aggregate)],
    );
    if let Some(pc) = parent_ctor {
        vm.heap.obj_mut(ctor).proto = Some(pc);
    }
    link_ctor(vm, ctor, proto);
    vm.put_hidden(proto, "name", Value::str(name));
    vm.put_hidden(proto, "message", Value::str(""));
    let g = vm.realm.global;
    vm.put_hidden(g, name, Value::Obj(ctor));
    (ctor, proto)
}

pub fn install(vm: &mut Vm) {
    vm.ids.stack_get = vm.register("get stack", 0, stack_get);
    vm.ids.stack_set = vm.register("set stack", 1, stack_set);
    let op = vm.realm.object_proto;
    let (ector, eproto) = make(vm, "Error", op, None, false);
    vm.method(eproto, "toString", 0, error_to_string);
    vm.method(ector, "captureStackTrace", 2, capture_stack_trace);
    vm.put(ector, "stackTraceLimit", Value::Num(10.0));
    vm.realm.type_error_proto = make(vm, "TypeError", eproto, Some(ector), false).1;
    vm.realm.range_error_proto = make(vm, "RangeError", eproto, Some(ector), false).1;
    vm.realm.reference_error_proto = make(vm, "ReferenceError", eproto, Some(ector), false).1;
    vm.realm.syntax_error_proto = make(vm, "SyntaxError", eproto, Some(ector), false).1;
    make(vm, "EvalError", eproto, Some(ector), false);
    make(vm, "URIError", eproto, Some(ector), false);
    vm.realm.aggregate_error_proto = make(vm, "AggregateError", eproto, Some(ector), true).1;
}
