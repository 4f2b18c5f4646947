//! The standard library of the realm: each submodule installs one family of built-ins.

pub mod array;
pub mod collections;
pub mod data_view;
pub mod date;
pub mod error;
pub mod function;
pub mod json;
pub mod number;
pub mod object;
pub mod promise;
pub mod regexp;
pub mod string;
pub mod text_codec;
pub mod typed_array;
pub mod uri;

use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::Vm;

/// Ids of internal native functions created at run time.
#[derive(Default, Debug, Clone)]
pub struct Ids {
    pub async_resume: u16,
    pub resolve_fn: u16,
    pub reject_fn: u16,
    pub capability_executor: u16,
    pub finally_fn: u16,
    pub value_thunk: u16,
    pub element_fn: u16,
    pub array_iter_next: u16,
    pub bound_call: u16,
    /// The lazy `stack` accessor of constructed errors (see `error.rs`).
    pub stack_get: u16,
    pub stack_set: u16,
}

/// Defines an accessor `name` (with only a getter) on `obj`; `data` goes to the native.
pub fn getter(
    vm: &mut Vm,
    obj: ObjId,
    name: &'static str,
    f: crate::vm::NativeFn,
    data: Vec<Value>,
) {
    let g = vm.make_native(name, 0, f, data);
    let k = match name.trim_start_matches("get ") {
        "[Symbol.toStringTag]" => PropKey::Sym(vm.syms.to_string_tag),
        n => vm.heap.key(n),
    };
    vm.heap.obj_mut(obj).push_prop(Prop {
        key: k,
        slot: Slot::Accessor {
            get: Value::Obj(g),
            set: Value::Undefined,
        },
        flags: CONFIGURABLE,
    });
}

/// The i-th argument or undefined.
pub fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

/// Sets ctor.prototype = proto and proto.constructor = ctor.
/// The key and value of one entry of an iterable of entries (`new Map(…)`,
/// `Object.fromEntries`): a TypeError unless the entry is an object.
pub fn entry_key_value(vm: &mut Vm, e: &Value) -> Result<(Value, Value), Value> {
    if !matches!(e, Value::Obj(_)) {
        let d = vm.to_display(e);
        return Err(vm.type_error(&format!("Iterator value {d} is not an entry object")));
    }
    let k = vm.get_elem(e, &Value::Num(0.0))?;
    let v = vm.get_elem(e, &Value::Num(1.0))?;
    Ok((k, v))
}

pub fn link_ctor(vm: &mut Vm, ctor: ObjId, proto: ObjId) {
    let kp = PropKey::Str(vm.names.prototype);
    let kc = PropKey::Str(vm.names.constructor);
    vm.heap.obj_mut(ctor).put(kp, Value::Obj(proto), 0);
    vm.heap.obj_mut(proto).put(kc, Value::Obj(ctor), HIDDEN);
}

/// Builds the realm: prototypes, constructors and global bindings.
pub fn install(vm: &mut Vm) {
    let object_proto = vm.alloc(None, ObjKind::Ordinary);
    vm.realm.object_proto = object_proto;
    let fp = vm.alloc(
        Some(object_proto),
        ObjKind::Function(FuncKind::Native {
            id: 0,
            data: vec![].into(),
        }),
    );
    vm.realm.function_proto = fp;
    let mk = |vm: &mut Vm, kind: ObjKind| vm.alloc(Some(object_proto), kind);
    vm.realm.array_proto = mk(vm, ObjKind::Array(vec![]));
    vm.realm.string_proto = mk(vm, ObjKind::BoxedString("".into()));
    vm.realm.number_proto = mk(vm, ObjKind::BoxedNumber(0.0));
    vm.realm.boolean_proto = mk(vm, ObjKind::BoxedBool(false));
    vm.realm.symbol_proto = mk(vm, ObjKind::Ordinary);
    vm.realm.promise_proto = mk(vm, ObjKind::Ordinary);
    vm.realm.error_proto = mk(vm, ObjKind::Ordinary);
    vm.realm.iterator_proto = mk(vm, ObjKind::Ordinary);
    let ip = vm.realm.iterator_proto;
    vm.realm.array_iterator_proto = vm.alloc(Some(ip), ObjKind::Ordinary);
    vm.realm.generator_proto = vm.alloc(Some(ip), ObjKind::Ordinary);
    vm.realm.async_from_sync_proto = mk(vm, ObjKind::Ordinary);
    vm.realm.map_proto = mk(vm, ObjKind::Ordinary);
    vm.realm.set_proto = mk(vm, ObjKind::Ordinary);
    vm.realm.date_proto = mk(vm, ObjKind::Ordinary);
    vm.realm.global = mk(vm, ObjKind::Ordinary);
    // well-known symbols
    let sym = |vm: &mut Vm, d: &str| vm.heap.new_symbol(Some(d.into()));
    vm.syms.iterator = sym(vm, "Symbol.iterator");
    vm.syms.async_iterator = sym(vm, "Symbol.asyncIterator");
    vm.syms.has_instance = sym(vm, "Symbol.hasInstance");
    vm.syms.to_string_tag = sym(vm, "Symbol.toStringTag");
    vm.syms.to_primitive = sym(vm, "Symbol.toPrimitive");
    vm.syms.promisify_custom = sym(vm, "nodejs.util.promisify.custom");
    vm.syms.inspect_custom = sym(vm, "nodejs.util.inspect.custom");
    // native id 0 is the no-op used by Function.prototype itself
    vm.register("", 0, |_, _, _, _| Ok(Value::Undefined));

    let g = vm.realm.global;
    vm.put_hidden(g, "globalThis", Value::Obj(g));
    let k = vm.heap.key("NaN");
    vm.heap.obj_mut(g).put(k, Value::Num(f64::NAN), 0);
    let k = vm.heap.key("Infinity");
    vm.heap.obj_mut(g).put(k, Value::Num(f64::INFINITY), 0);
    let k = vm.heap.key("undefined");
    vm.heap.obj_mut(g).put(k, Value::Undefined, 0);

    object::install(vm);
    function::install(vm);
    error::install(vm);
    array::install(vm);
    typed_array::install(vm);
    text_codec::install(vm);
    string::install(vm);
    number::install(vm);
    date::install(vm);
    promise::install(vm);
    json::install(vm);
    collections::install(vm);
    uri::install(vm);
    regexp::install(vm);
}
