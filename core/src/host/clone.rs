//! The global `structuredClone(value)`: the HTML structured-clone algorithm as V8's
//! serializer applies it in Node 20, for the values this engine has. Primitives, plain
//! objects and class instances (as plain objects: prototypes are dropped), arrays (holes and
//! extra properties kept), `Date`, `RegExp` (without `lastIndex`), `Map`, `Set`, boxed
//! primitives and errors (the prototype follows the `name` for the standard error types, else
//! `Error`; `stack`, `message` and `cause` are kept). Cycles and shared references are
//! preserved. Functions, symbols, promises, generators and `arguments` throw a
//! `DOMException [DataCloneError]` with V8's message. ArrayBuffers are copied (a
//! SharedArrayBuffer's clone shares its memory); typed arrays and DataViews are cloned with
//! their buffer (views of one buffer stay views of one clone), a Buffer as a plain Uint8Array.

use super::errors::set_code;
use crate::builtins::{arg, typed_array};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};
use std::collections::HashMap;

/// Deeper nesting than this throws a RangeError like V8's stack overflow.
const MAX_DEPTH: usize = 5000;

/// The `DOMException` constructor of the prelude, called with (message, name).
fn dom_exception(vm: &mut Vm, message: &str, name: &str) -> Value {
    let ctor = match vm.host.prelude {
        Some(p) => vm
            .get_by_name(&Value::Obj(p), "DOMException")
            .unwrap_or(Value::Undefined),
        None => Value::Undefined,
    };
    match vm.construct(&ctor, &[Value::str(message), Value::str(name)], None) {
        Ok(e) | Err(e) => e,
    }
}

fn not_cloneable(vm: &mut Vm, shown: &str) -> Value {
    dom_exception(
        vm,
        &format!("{shown} could not be cloned."),
        "DataCloneError",
    )
}

pub fn structured_clone(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if args.is_empty() {
        let e = vm.type_error("The value argument must be specified");
        set_code(vm, &e, "ERR_MISSING_ARGS");
        return Err(e);
    }
    if let Value::Obj(opts) = arg(args, 1) {
        let transfer = vm.get_by_name(&Value::Obj(opts), "transfer")?;
        match transfer {
            Value::Undefined => {}
            t if vm.is_array(&t) && vm.array_items(&t).is_empty() => {}
            t if vm.is_array(&t) => {
                let msg = "unsupported: structuredClone with a transfer list";
                return Err(vm.make_error(vm.realm.error_proto, msg));
            }
            _ => return vm.throw_type("Optional transferList argument must be an iterable"),
        }
    }
    let mut memo = HashMap::new();
    clone_value(vm, &args[0], &mut memo, 0)
}

fn clone_value(vm: &mut Vm, v: &Value, memo: &mut HashMap<ObjId, ObjId>, depth: usize) -> JsResult {
    match v {
        Value::Sym(_) => {
            let shown = vm.to_display(v);
            Err(not_cloneable(vm, &shown))
        }
        Value::Obj(o) => clone_object(vm, *o, memo, depth).map(Value::Obj),
        other => Ok(other.clone()),
    }
}

fn clone_object(
    vm: &mut Vm,
    o: ObjId,
    memo: &mut HashMap<ObjId, ObjId>,
    depth: usize,
) -> Result<ObjId, Value> {
    if let Some(c) = memo.get(&o) {
        return Ok(*c);
    }
    if depth > MAX_DEPTH {
        return Err(vm.range_error("Maximum call stack size exceeded"));
    }
    let v = Value::Obj(o);
    if let Some(r) = crate::builtins::regexp::regexp_of(vm, &v) {
        // `source` shows `/` escaped; the pattern itself has it unescaped
        let pattern = r.source.replace("\\/", "/");
        let flags = r.flags.to_string();
        let c = match crate::builtins::regexp::create(vm, &pattern, &flags)? {
            Value::Obj(c) => c,
            _ => return Err(Value::Undefined),
        };
        memo.insert(o, c);
        return Ok(c);
    }
    let op = vm.realm.object_proto;
    let copy_props;
    let c = match &vm.heap.obj(o).kind {
        ObjKind::Function(_) => {
            let text = match crate::builtins::function::to_string(vm, v.clone(), &[], &[]) {
                Ok(Value::Str(s)) => s.to_string(),
                _ => "function".into(),
            };
            return Err(not_cloneable(vm, &text));
        }
        ObjKind::Promise { .. } => return Err(not_cloneable(vm, "#<Promise>")),
        ObjKind::Generator(_) => return Err(not_cloneable(vm, "[object Generator]")),
        ObjKind::AsyncFrame(_) | ObjKind::Arguments | ObjKind::ArrayIter { .. } => {
            return Err(not_cloneable(vm, "#<Object>"));
        }
        ObjKind::Date(t) => {
            let (t, p) = (*t, vm.realm.date_proto);
            copy_props = false;
            vm.alloc(Some(p), ObjKind::Date(t))
        }
        ObjKind::BoxedString(s) => {
            let (s, p) = (s.clone(), vm.realm.string_proto);
            copy_props = false;
            vm.alloc(Some(p), ObjKind::BoxedString(s))
        }
        ObjKind::BoxedNumber(n) => {
            let (n, p) = (*n, vm.realm.number_proto);
            copy_props = false;
            vm.alloc(Some(p), ObjKind::BoxedNumber(n))
        }
        ObjKind::BoxedBool(b) => {
            let (b, p) = (*b, vm.realm.boolean_proto);
            copy_props = false;
            vm.alloc(Some(p), ObjKind::BoxedBool(b))
        }
        ObjKind::Map(..) => {
            let p = vm.realm.map_proto;
            copy_props = false;
            vm.alloc(Some(p), ObjKind::Map(vec![], HashMap::new()))
        }
        ObjKind::Set(..) => {
            let p = vm.realm.set_proto;
            copy_props = false;
            vm.alloc(Some(p), ObjKind::Set(vec![], HashMap::new()))
        }
        ObjKind::Error => return clone_error(vm, o, memo, depth),
        ObjKind::ArrayBuffer { bytes, shared } => {
            // a SharedArrayBuffer's clone shares its memory; an ArrayBuffer's is a copy
            let (bytes, shared) = (bytes.clone(), *shared);
            copy_props = false;
            if shared {
                let p = vm.realm.typed.shared_array_buffer_proto;
                vm.alloc(Some(p), ObjKind::ArrayBuffer { bytes, shared })
            } else {
                let copy = bytes.borrow().clone();
                typed_array::alloc_buffer(vm, copy, false)
            }
        }
        &ObjKind::TypedArray {
            buffer,
            elem,
            offset,
            length,
        } => {
            // a Buffer or a subclass instance becomes the plain typed array (as in V8)
            let buffer = clone_object(vm, buffer, memo, depth + 1)?;
            let p = vm.realm.typed.protos[elem.index()];
            copy_props = false;
            let view = typed_array::View {
                buffer,
                elem,
                offset,
                length,
            };
            typed_array::alloc_view(vm, p, view)
        }
        &ObjKind::DataView {
            buffer,
            offset,
            length,
        } => {
            let buffer = clone_object(vm, buffer, memo, depth + 1)?;
            let p = vm.realm.typed.data_view_proto;
            copy_props = false;
            let kind = ObjKind::DataView {
                buffer,
                offset,
                length,
            };
            vm.alloc(Some(p), kind)
        }
        ObjKind::Array(items) => {
            // holes stay holes; elements are filled in below
            let holes: Vec<Value> = items
                .iter()
                .map(|x| match x {
                    Value::Uninit => Value::Uninit,
                    _ => Value::Undefined,
                })
                .collect();
            let p = vm.realm.array_proto;
            copy_props = true;
            vm.alloc(Some(p), ObjKind::Array(holes))
        }
        // V8 serializes these host objects as plain objects of their own properties
        ObjKind::Ordinary | ObjKind::TextEncoder | ObjKind::TextDecoder { .. } => {
            copy_props = true;
            vm.alloc(Some(op), ObjKind::Ordinary)
        }
    };
    memo.insert(o, c);
    match &vm.heap.obj(o).kind {
        ObjKind::Map(entries, _) => {
            let entries: Vec<(Value, Value)> = entries
                .iter()
                .filter(|e| !matches!(e.0, Value::Uninit))
                .cloned()
                .collect();
            for (k, val) in entries {
                let k2 = clone_value(vm, &k, memo, depth + 1)?;
                let v2 = clone_value(vm, &val, memo, depth + 1)?;
                crate::builtins::collections::map_set_entry(vm, c, k2, v2);
            }
        }
        ObjKind::Set(items, _) => {
            let items: Vec<Value> = items
                .iter()
                .filter(|x| !matches!(x, Value::Uninit))
                .cloned()
                .collect();
            for x in items {
                let x2 = clone_value(vm, &x, memo, depth + 1)?;
                crate::builtins::collections::set_add_value(vm, c, x2);
            }
        }
        _ => {}
    }
    if copy_props {
        // own enumerable string keys, read through getters like V8's serializer
        let is_array = vm.is_array(&v);
        for k in vm.own_enum_keys(o) {
            let val = vm.get(&v, k)?;
            let val = clone_value(vm, &val, memo, depth + 1)?;
            let index = match vm.heap.key_is_index(k) {
                Some(i) if is_array => Some(i as usize),
                _ => None,
            };
            match (index, &mut vm.heap.obj_mut(c).kind) {
                (Some(i), ObjKind::Array(items)) if i < items.len() => items[i] = val,
                _ => vm.heap.obj_mut(c).put(k, val, DEFAULT_FLAGS),
            }
        }
    }
    Ok(c)
}

/// V8 keeps an error's `stack`, `message` and `cause`, and picks the prototype by `name`.
fn clone_error(
    vm: &mut Vm,
    o: ObjId,
    memo: &mut HashMap<ObjId, ObjId>,
    depth: usize,
) -> Result<ObjId, Value> {
    let v = Value::Obj(o);
    let name = vm.get_by_name(&v, "name")?;
    let name = match name {
        Value::Undefined => String::new(),
        n => vm.to_string(&n)?.to_string(),
    };
    let g = Value::Obj(vm.realm.global);
    let proto = match name.as_str() {
        "EvalError" | "RangeError" | "ReferenceError" | "SyntaxError" | "TypeError"
        | "URIError" => match vm.get_by_name(&g, &name)? {
            Value::Obj(ctor) => match vm.get_by_name(&Value::Obj(ctor), "prototype")? {
                Value::Obj(p) => p,
                _ => vm.realm.error_proto,
            },
            _ => vm.realm.error_proto,
        },
        _ => vm.realm.error_proto,
    };
    let c = vm.alloc(Some(proto), ObjKind::Error);
    memo.insert(o, c);
    let stack = vm.get_by_name(&v, "stack")?;
    if let Value::Str(_) = stack {
        vm.put_hidden(c, "stack", stack);
    }
    let km = PropKey::Str(vm.names.message);
    if let Some(Prop {
        slot: Slot::Data(m),
        ..
    }) = vm.heap.obj(o).get_own(km).cloned()
    {
        let m = vm.to_string(&m)?;
        vm.heap.obj_mut(c).put(km, Value::str(&m), HIDDEN);
    }
    let kc = PropKey::Str(vm.names.cause);
    if vm.heap.obj(o).get_own(kc).is_some() {
        let cause = vm.get(&v, kc)?;
        let cause = clone_value(vm, &cause, memo, depth + 1)?;
        vm.heap.obj_mut(c).put(kc, cause, HIDDEN);
    }
    Ok(c)
}
