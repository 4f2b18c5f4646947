//! `Object`, `Object.prototype` and the reflective helpers (keys, assign, freeze, create,
//! defineProperty, getPrototypeOf, ...).

use super::{arg, link_ctor};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};

/// ToObject.
pub fn to_object(vm: &mut Vm, v: &Value) -> Result<ObjId, Value> {
    to_obj(vm, v)
}

fn to_obj(vm: &mut Vm, v: &Value) -> Result<ObjId, Value> {
    match v {
        Value::Obj(o) => Ok(*o),
        Value::Undefined | Value::Null => {
            vm.throw_type("Cannot convert undefined or null to object")
        }
        Value::Str(s) => {
            let p = vm.realm.string_proto;
            Ok(vm.alloc(Some(p), ObjKind::BoxedString(s.clone())))
        }
        Value::Num(n) => {
            let p = vm.realm.number_proto;
            Ok(vm.alloc(Some(p), ObjKind::BoxedNumber(*n)))
        }
        Value::Bool(b) => {
            let p = vm.realm.boolean_proto;
            Ok(vm.alloc(Some(p), ObjKind::BoxedBool(*b)))
        }
        _ => Ok(vm.new_object()),
    }
}

fn object_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let v = arg(args, 0);
    if v.is_nullish() {
        return Ok(Value::Obj(vm.new_object()));
    }
    Ok(Value::Obj(to_obj(vm, &v)?))
}

fn keys_values(vm: &mut Vm, args: &[Value], mode: u8) -> JsResult {
    let o = to_obj(vm, &arg(args, 0))?;
    let keys = vm.own_enum_keys(o);
    let mut out = Vec::new();
    for k in keys {
        let name = Value::Str(vm.heap.key_name(k).cloned().unwrap_or_else(|| "".into()));
        match mode {
            0 => out.push(name),
            1 => out.push(vm.get(&Value::Obj(o), k)?),
            _ => {
                let v = vm.get(&Value::Obj(o), k)?;
                out.push(vm.new_array(vec![name, v]));
            }
        }
    }
    Ok(vm.new_array(out))
}

fn keys(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    keys_values(vm, args, 0)
}
fn values(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    keys_values(vm, args, 1)
}
fn entries(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    keys_values(vm, args, 2)
}

fn assign(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let target = arg(args, 0);
    let t = to_obj(vm, &target)?;
    for src in args.iter().skip(1) {
        if let Value::Obj(s) = src {
            let ks = vm.own_enum_keys(*s);
            for k in ks {
                let v = vm.get(src, k)?;
                vm.set(&Value::Obj(t), k, v)?;
            }
        }
    }
    Ok(Value::Obj(t))
}

fn freeze(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let v = arg(args, 0);
    if let Value::Obj(o) = v {
        let obj = vm.heap.obj_mut(o);
        obj.frozen = true;
        obj.extensible = false;
        for p in obj.props.iter_mut() {
            p.flags &= !(WRITABLE | CONFIGURABLE);
        }
    }
    Ok(v)
}

fn is_frozen(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(match arg(args, 0) {
        Value::Obj(o) => vm.heap.obj(o).frozen,
        _ => true,
    }))
}

fn seal(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let v = arg(args, 0);
    if let Value::Obj(o) = v {
        let obj = vm.heap.obj_mut(o);
        obj.extensible = false;
        for p in obj.props.iter_mut() {
            p.flags &= !CONFIGURABLE;
        }
    }
    Ok(v)
}

fn create(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let proto = match arg(args, 0) {
        Value::Obj(p) => Some(p),
        Value::Null => None,
        other => return Err(invalid_prototype(vm, &other)),
    };
    let o = vm.alloc(proto, ObjKind::Ordinary);
    if let Value::Obj(props) = arg(args, 1) {
        define_properties_from(vm, o, props)?;
    }
    Ok(Value::Obj(o))
}

fn define_properties_from(vm: &mut Vm, o: ObjId, props: ObjId) -> Result<(), Value> {
    let ks = vm.own_enum_keys(props);
    for k in ks {
        let d = vm.get(&Value::Obj(props), k)?;
        define_from_descriptor(vm, o, k, &d)?;
    }
    Ok(())
}

fn define_from_descriptor(vm: &mut Vm, o: ObjId, k: PropKey, desc: &Value) -> Result<(), Value> {
    if !matches!(desc, Value::Obj(_)) {
        return vm.throw_type("Property description must be an object");
    }
    let existing = vm.heap.obj(o).get_own(k).cloned();
    let flag = |vm: &mut Vm, name: crate::heap::Atom, bit: u8, old: u8| -> Result<u8, Value> {
        let d = desc.as_obj().unwrap_or(0);
        if vm.has_property(d, PropKey::Str(name)) {
            let v = vm.get(desc, PropKey::Str(name))?;
            Ok(if v.truthy() { bit } else { 0 })
        } else {
            Ok(old & bit)
        }
    };
    let old = existing.as_ref().map(|p| p.flags).unwrap_or(0);
    let mut flags = flag(vm, vm.names.enumerable, ENUMERABLE, old)?
        | flag(vm, vm.names.configurable, CONFIGURABLE, old)?;
    let d = desc.as_obj().unwrap_or(0);
    let getter = if vm.has_property(d, PropKey::Str(vm.names.get)) {
        Some(vm.get(desc, PropKey::Str(vm.names.get))?)
    } else {
        None
    };
    let setter = if vm.has_property(d, PropKey::Str(vm.names.set)) {
        Some(vm.get(desc, PropKey::Str(vm.names.set))?)
    } else {
        None
    };
    let slot = if getter.is_some() || setter.is_some() {
        let (og, os) = match existing.as_ref().map(|p| &p.slot) {
            Some(Slot::Accessor { get, set }) => (get.clone(), set.clone()),
            _ => (Value::Undefined, Value::Undefined),
        };
        Slot::Accessor {
            get: getter.unwrap_or(og),
            set: setter.unwrap_or(os),
        }
    } else {
        flags |= flag(vm, vm.names.writable, WRITABLE, old)?;
        let value = if vm.has_property(d, PropKey::Str(vm.names.value)) {
            vm.get(desc, PropKey::Str(vm.names.value))?
        } else {
            match existing.as_ref().map(|p| &p.slot) {
                Some(Slot::Data(v)) => v.clone(),
                _ => Value::Undefined,
            }
        };
        if let Some(i) = vm.heap.key_is_index(k) {
            if let ObjKind::Array(items) = &mut vm.heap.obj_mut(o).kind {
                let i = i as usize;
                if i >= items.len() {
                    items.resize(i + 1, Value::Uninit);
                }
                items[i] = value;
                return Ok(());
            }
        }
        Slot::Data(value)
    };
    let obj = vm.heap.obj_mut(o);
    if let Some(i) = obj.find(k) {
        obj.props[i].slot = slot;
        obj.props[i].flags = flags;
    } else {
        obj.push_prop(Prop {
            key: k,
            slot,
            flags,
        });
    }
    Ok(())
}

fn define_property(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Value::Obj(o) = arg(args, 0) else {
        return vm.throw_type("Object.defineProperty called on non-object");
    };
    let k = vm.to_property_key(&arg(args, 1))?;
    define_from_descriptor(vm, o, k, &arg(args, 2))?;
    Ok(Value::Obj(o))
}

fn define_properties(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Value::Obj(o) = arg(args, 0) else {
        return vm.throw_type("Object.defineProperties called on non-object");
    };
    if let Value::Obj(p) = arg(args, 1) {
        define_properties_from(vm, o, p)?;
    }
    Ok(Value::Obj(o))
}

fn get_own_property_descriptor(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = to_obj(vm, &arg(args, 0))?;
    let k = vm.to_property_key(&arg(args, 1))?;
    let p = vm.heap.obj(o).get_own(k).cloned();
    let Some(p) = p else {
        if vm.has_own(o, k) {
            let v = vm.get(&Value::Obj(o), k)?;
            let d = vm.new_object();
            vm.put(d, "value", v);
            vm.put(d, "writable", Value::Bool(true));
            vm.put(d, "enumerable", Value::Bool(true));
            vm.put(d, "configurable", Value::Bool(true));
            return Ok(Value::Obj(d));
        }
        return Ok(Value::Undefined);
    };
    let d = vm.new_object();
    match p.slot {
        Slot::Data(v) => {
            vm.put(d, "value", v);
            vm.put(d, "writable", Value::Bool(p.flags & WRITABLE != 0));
        }
        Slot::Accessor { get, set } => {
            vm.put(d, "get", get);
            vm.put(d, "set", set);
        }
    }
    vm.put(d, "enumerable", Value::Bool(p.flags & ENUMERABLE != 0));
    vm.put(d, "configurable", Value::Bool(p.flags & CONFIGURABLE != 0));
    Ok(Value::Obj(d))
}

fn get_own_property_names(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = to_obj(vm, &arg(args, 0))?;
    let ks = vm.own_keys_all(o, false);
    let vals = ks
        .into_iter()
        .filter_map(|k| vm.heap.key_name(k).cloned().map(Value::Str))
        .collect();
    Ok(vm.new_array(vals))
}

fn get_own_property_symbols(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = to_obj(vm, &arg(args, 0))?;
    let vals = vm
        .heap
        .obj(o)
        .props
        .iter()
        .filter_map(|p| {
            if let PropKey::Sym(s) = p.key {
                Some(Value::Sym(s))
            } else {
                None
            }
        })
        .collect();
    Ok(vm.new_array(vals))
}

fn get_prototype_of(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let v = arg(args, 0);
    let o = match &v {
        Value::Obj(o) => *o,
        Value::Str(_) => return Ok(Value::Obj(vm.realm.string_proto)),
        Value::Num(_) => return Ok(Value::Obj(vm.realm.number_proto)),
        Value::Bool(_) => return Ok(Value::Obj(vm.realm.boolean_proto)),
        _ => return vm.throw_type("Cannot convert undefined or null to object"),
    };
    Ok(vm.heap.obj(o).proto.map(Value::Obj).unwrap_or(Value::Null))
}

fn set_prototype_of(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let v = arg(args, 0);
    if v.is_nullish() {
        return vm.throw_type("Object.setPrototypeOf called on null or undefined");
    }
    let proto = match arg(args, 1) {
        Value::Obj(p) => Some(p),
        Value::Null => None,
        other => return Err(invalid_prototype(vm, &other)),
    };
    if let Value::Obj(o) = v {
        vm.heap.obj_mut(o).proto = proto;
    }
    Ok(v)
}

/// "Object prototype may only be an Object or null: 5" (Object.create, setPrototypeOf).
fn invalid_prototype(vm: &mut Vm, v: &Value) -> Value {
    let d = vm.to_display_unquoted(v);
    vm.type_error(&format!(
        "Object prototype may only be an Object or null: {d}"
    ))
}

fn from_entries(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if arg(args, 0).is_nullish() {
        // V8's text, for null too
        return vm.throw_type("undefined is not iterable");
    }
    let items = vm.iterate_to_vec(&arg(args, 0))?;
    let o = vm.new_object();
    for it in items {
        let (k, v) = super::entry_key_value(vm, &it)?;
        let k = vm.to_property_key(&k)?;
        vm.define_own(o, k, v);
    }
    Ok(Value::Obj(o))
}

fn object_is(_vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(arg(args, 0).same_value(&arg(args, 1))))
}

fn has_own_property(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = to_obj(vm, &this)?;
    let k = vm.to_property_key(&arg(args, 0))?;
    Ok(Value::Bool(vm.has_own(o, k)))
}

fn has_own(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = to_obj(vm, &arg(args, 0))?;
    let k = vm.to_property_key(&arg(args, 1))?;
    Ok(Value::Bool(vm.has_own(o, k)))
}

fn is_prototype_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (Value::Obj(p), Value::Obj(mut o)) = (this, arg(args, 0)) else {
        return Ok(Value::Bool(false));
    };
    while let Some(x) = vm.heap.obj(o).proto {
        if x == p {
            return Ok(Value::Bool(true));
        }
        o = x;
    }
    Ok(Value::Bool(false))
}

fn property_is_enumerable(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = to_obj(vm, &this)?;
    let k = vm.to_property_key(&arg(args, 0))?;
    let own = vm.heap.obj(o).get_own(k).map(|p| p.flags & ENUMERABLE != 0);
    Ok(Value::Bool(own.unwrap_or_else(|| vm.has_own(o, k))))
}

/// Object.prototype.toString: "[object Tag]".
pub fn object_to_string(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let tag = match &this {
        Value::Undefined => "Undefined".to_string(),
        Value::Null => "Null".to_string(),
        Value::Obj(o) => {
            let t = vm.get(&this, PropKey::Sym(vm.syms.to_string_tag))?;
            if let Value::Str(s) = t {
                s.to_string()
            } else {
                match &vm.heap.obj(*o).kind {
                    ObjKind::Array(_) => "Array",
                    ObjKind::Function(_) => "Function",
                    ObjKind::Error => "Error",
                    ObjKind::Date(_) => "Date",
                    ObjKind::Arguments => "Arguments",
                    _ => "Object",
                }
                .to_string()
            }
        }
        Value::Num(_) => "Number".into(),
        Value::Str(_) => "String".into(),
        Value::Bool(_) => "Boolean".into(),
        _ => "Symbol".into(),
    };
    Ok(Value::str(&format!("[object {tag}]")))
}

fn value_of(_vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(this)
}

fn to_locale_string(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let s = vm.to_string(&this)?;
    Ok(Value::str(&s))
}

fn proto_getter(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    get_prototype_of(vm, Value::Undefined, &[this], &[])
}
fn proto_setter(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    set_prototype_of(vm, Value::Undefined, &[this, arg(args, 0)], &[])?;
    Ok(Value::Undefined)
}

pub fn install(vm: &mut Vm) {
    let proto = vm.realm.object_proto;
    let ctor = vm.make_native("Object", 1, object_ctor, vec![]);
    link_ctor(vm, ctor, proto);
    vm.method(ctor, "keys", 1, keys);
    vm.method(ctor, "values", 1, values);
    vm.method(ctor, "entries", 1, entries);
    vm.method(ctor, "assign", 2, assign);
    vm.method(ctor, "freeze", 1, freeze);
    vm.method(ctor, "isFrozen", 1, is_frozen);
    vm.method(ctor, "seal", 1, seal);
    vm.method(ctor, "preventExtensions", 1, seal);
    vm.method(ctor, "create", 2, create);
    vm.method(ctor, "defineProperty", 3, define_property);
    vm.method(ctor, "defineProperties", 2, define_properties);
    vm.method(
        ctor,
        "getOwnPropertyDescriptor",
        2,
        get_own_property_descriptor,
    );
    vm.method(ctor, "getOwnPropertyNames", 1, get_own_property_names);
    vm.method(ctor, "getOwnPropertySymbols", 1, get_own_property_symbols);
    vm.method(ctor, "getPrototypeOf", 1, get_prototype_of);
    vm.method(ctor, "setPrototypeOf", 2, set_prototype_of);
    vm.method(ctor, "fromEntries", 1, from_entries);
    vm.method(ctor, "is", 2, object_is);
    vm.method(ctor, "hasOwn", 2, has_own);
    vm.method(proto, "hasOwnProperty", 1, has_own_property);
    vm.method(proto, "isPrototypeOf", 1, is_prototype_of);
    vm.method(proto, "propertyIsEnumerable", 1, property_is_enumerable);
    vm.method(proto, "toString", 0, object_to_string);
    vm.method(proto, "toLocaleString", 0, to_locale_string);
    vm.method(proto, "valueOf", 0, value_of);
    let g = vm.make_native("get __proto__", 0, proto_getter, vec![]);
    let s = vm.make_native("set __proto__", 1, proto_setter, vec![]);
    let k = vm.heap.key("__proto__");
    vm.heap.obj_mut(proto).push_prop(Prop {
        key: k,
        slot: Slot::Accessor {
            get: Value::Obj(g),
            set: Value::Obj(s),
        },
        flags: CONFIGURABLE,
    });
    let gl = vm.realm.global;
    vm.put_hidden(gl, "Object", Value::Obj(ctor));
}
