//! The receiver's half of the structured clone: builds a [`Serialized`] message in a heap. It
//! runs no JavaScript and cannot fail: first every object of the message is allocated (views
//! after the buffers they look at), then the contents are filled in, so references between
//! objects, cycles included, all find their targets. The prototypes are the receiving realm's.

use super::{Entry, ErrorType, Item, Serialized};
use crate::builtins::collections::{map_set_entry, set_add_value};
use crate::builtins::typed_array::{self, View};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::Vm;
use std::collections::HashMap;

/// Materialises a serialised value in `vm`'s heap. `make_port` builds the receiving side's
/// MessagePort object for a transferred port id (once per port).
pub fn deserialize(
    vm: &mut Vm,
    s: &Serialized,
    make_port: &mut dyn FnMut(&mut Vm, u64) -> Value,
) -> Value {
    deserialize_with_ports(vm, s, make_port).0
}

/// [`deserialize`], also returning the receiving side's objects for the transferred ports in
/// transfer-list order (a message event's `ports`), whether or not the value contains them.
pub fn deserialize_with_ports(
    vm: &mut Vm,
    s: &Serialized,
    make_port: &mut dyn FnMut(&mut Vm, u64) -> Value,
) -> (Value, Vec<Value>) {
    let mut ports: HashMap<u64, Value> = HashMap::new();
    let mut port_list = Vec::with_capacity(s.ports.len());
    for &id in &s.ports {
        let port = ports.entry(id).or_insert_with(|| make_port(vm, id)).clone();
        port_list.push(port);
    }
    // every object but the views, then the views (their buffers exist by then)
    let mut made: Vec<Value> = Vec::with_capacity(s.objects.len());
    for entry in &s.objects {
        let v = match entry {
            Entry::Port(id) => ports
                .entry(*id)
                .or_insert_with(|| make_port(vm, *id))
                .clone(),
            Entry::TypedArray { .. } | Entry::DataView { .. } => Value::Undefined,
            other => Value::Obj(allocate(vm, other)),
        };
        made.push(v);
    }
    for (i, entry) in s.objects.iter().enumerate() {
        let view = match *entry {
            Entry::TypedArray {
                buffer,
                elem,
                offset,
                length,
                node_buffer,
            } => {
                let Value::Obj(buffer) = made[buffer] else {
                    continue;
                };
                let p = match vm.host.buffer_proto {
                    Some(b) if node_buffer && s.keep_buffers => b,
                    _ => vm.realm.typed.protos[elem.index()],
                };
                let view = View {
                    buffer,
                    elem,
                    offset,
                    length,
                };
                typed_array::alloc_view(vm, p, view)
            }
            Entry::DataView {
                buffer,
                offset,
                length,
            } => {
                let Value::Obj(buffer) = made[buffer] else {
                    continue;
                };
                let p = vm.realm.typed.data_view_proto;
                let kind = ObjKind::DataView {
                    buffer,
                    offset,
                    length,
                };
                vm.alloc(Some(p), kind)
            }
            _ => continue,
        };
        made[i] = Value::Obj(view);
    }
    for (entry, v) in s.objects.iter().zip(&made) {
        if let Value::Obj(o) = v {
            fill(vm, *o, entry, &made);
        }
    }
    (value_of(&s.root, &made), port_list)
}

/// The value an item stands for, given the objects made so far.
fn value_of(item: &Item, made: &[Value]) -> Value {
    match item {
        Item::Undefined => Value::Undefined,
        Item::Null => Value::Null,
        Item::Bool(b) => Value::Bool(*b),
        Item::Num(n) => Value::Num(*n),
        Item::Str(s) => Value::Str(s.clone()),
        Item::Object(i) => made[*i].clone(),
    }
}

/// A new object for `entry` (not a view, not a port), still without its contents.
fn allocate(vm: &mut Vm, entry: &Entry) -> ObjId {
    let r = &vm.realm;
    let (proto, kind) = match entry {
        Entry::Object(_) | Entry::Port(_) | Entry::TypedArray { .. } | Entry::DataView { .. } => {
            (r.object_proto, ObjKind::Ordinary)
        }
        Entry::Array { present, .. } => {
            // holes stay holes; elements are filled in later
            let slots = present
                .iter()
                .map(|&p| if p { Value::Undefined } else { Value::Uninit })
                .collect();
            (r.array_proto, ObjKind::Array(slots))
        }
        Entry::Date(t) => (r.date_proto, ObjKind::Date(*t)),
        Entry::RegExp { pattern, flags } => {
            // the pattern and flags were a valid RegExp's, so this cannot fail
            if let Ok(Value::Obj(o)) = crate::builtins::regexp::create(vm, pattern, flags) {
                return o;
            }
            (vm.realm.object_proto, ObjKind::Ordinary)
        }
        Entry::BoxedString(s) => (r.string_proto, ObjKind::BoxedString(s.clone())),
        Entry::BoxedNumber(n) => (r.number_proto, ObjKind::BoxedNumber(*n)),
        Entry::BoxedBool(b) => (r.boolean_proto, ObjKind::BoxedBool(*b)),
        Entry::Map(_) => (r.map_proto, ObjKind::Map(vec![], HashMap::new())),
        Entry::Set(_) => (r.set_proto, ObjKind::Set(vec![], HashMap::new())),
        Entry::Error { prototype, .. } => (error_prototype(vm, *prototype), ObjKind::Error),
        Entry::ArrayBuffer(bytes) => return typed_array::alloc_buffer(vm, bytes.clone(), false),
        Entry::SharedArrayBuffer(store) => {
            let kind = ObjKind::ArrayBuffer {
                bytes: store.clone(),
                shared: true,
                detached: false,
            };
            (r.typed.shared_array_buffer_proto, kind)
        }
    };
    vm.alloc(Some(proto), kind)
}

/// The receiving realm's prototype for a cloned error.
fn error_prototype(vm: &mut Vm, t: ErrorType) -> ObjId {
    let r = &vm.realm;
    match t {
        ErrorType::Error => r.error_proto,
        ErrorType::RangeError => r.range_error_proto,
        ErrorType::ReferenceError => r.reference_error_proto,
        ErrorType::SyntaxError => r.syntax_error_proto,
        ErrorType::TypeError => r.type_error_proto,
        ErrorType::EvalError => global_prototype(vm, "EvalError"),
        ErrorType::UriError => global_prototype(vm, "URIError"),
    }
}

/// `globalThis[name].prototype`, read without running code (`Error.prototype` if either is
/// missing or an accessor).
fn global_prototype(vm: &mut Vm, name: &str) -> ObjId {
    let ctor = data_property(vm, vm.realm.global, name);
    ctor.and_then(|c| data_property(vm, c, "prototype"))
        .unwrap_or(vm.realm.error_proto)
}

/// The object in own data property `name` of `o`, if there is one.
fn data_property(vm: &mut Vm, o: ObjId, name: &str) -> Option<ObjId> {
    let k = vm.heap.key(name);
    match vm.heap.obj(o).get_own(k) {
        Some(Prop {
            slot: Slot::Data(Value::Obj(v)),
            ..
        }) => Some(*v),
        _ => None,
    }
}

/// Fills object `o`, allocated for `entry`, with its contents.
fn fill(vm: &mut Vm, o: ObjId, entry: &Entry, made: &[Value]) {
    match entry {
        Entry::Object(props) | Entry::Array { props, .. } => {
            for (name, item) in props {
                let k = vm.heap.key(name.as_str());
                let val = value_of(item, made);
                let index = vm.heap.key_is_index(k).map(|i| i as usize);
                match (index, &mut vm.heap.obj_mut(o).kind) {
                    (Some(i), ObjKind::Array(items)) if i < items.len() => items[i] = val,
                    _ => vm.heap.obj_mut(o).put(k, val, DEFAULT_FLAGS),
                }
            }
        }
        Entry::Map(entries) => {
            for (k, v) in entries {
                let (k, v) = (value_of(k, made), value_of(v, made));
                map_set_entry(vm, o, k, v);
            }
        }
        Entry::Set(items) => {
            for x in items {
                let x = value_of(x, made);
                set_add_value(vm, o, x);
            }
        }
        Entry::Error {
            stack,
            message,
            cause,
            ..
        } => {
            if let Some(stack) = stack {
                vm.put_hidden(o, "stack", Value::Str(stack.clone()));
            }
            if let Some(m) = message {
                let km = PropKey::Str(vm.names.message);
                vm.heap.obj_mut(o).put(km, Value::Str(m.clone()), HIDDEN);
            }
            if let Some(cause) = cause {
                let kc = PropKey::Str(vm.names.cause);
                let cause = value_of(cause, made);
                vm.heap.obj_mut(o).put(kc, cause, HIDDEN);
            }
        }
        _ => {}
    }
}
