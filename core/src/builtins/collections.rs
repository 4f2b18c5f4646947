//! `Map` and `Set` (insertion-ordered, SameValueZero keys).

use super::{arg, getter, link_ctor};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};
use std::collections::HashMap;

fn this_map(vm: &mut Vm, this: &Value, method: &str) -> Result<ObjId, Value> {
    match this {
        Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::Map(..)) => Ok(*o),
        _ => Err(incompatible_receiver(vm, "Map", method, this)),
    }
}
fn this_set(vm: &mut Vm, this: &Value, method: &str) -> Result<ObjId, Value> {
    match this {
        Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::Set(..)) => Ok(*o),
        _ => Err(incompatible_receiver(vm, "Set", method, this)),
    }
}
/// V8's "Method Map.prototype.get called on incompatible receiver #<Object>".
fn incompatible_receiver(vm: &mut Vm, class: &str, method: &str, this: &Value) -> Value {
    let shown = match this {
        Value::Str(s) => s.to_string(),
        Value::Obj(o) if vm.is_array(this) => {
            let _ = o;
            "[object Array]".to_string()
        }
        Value::Obj(o) => {
            let ctor = match vm.get_by_name(&Value::Obj(*o), "constructor") {
                Ok(Value::Obj(c)) => match vm.get_by_name(&Value::Obj(c), "name") {
                    Ok(Value::Str(n)) if !n.is_empty() => n.to_string(),
                    _ => "Object".to_string(),
                },
                _ => "Object".to_string(),
            };
            format!("#<{ctor}>")
        }
        other => vm.to_display(other),
    };
    vm.type_error(&format!(
        "Method {}{class}.prototype.{} called on incompatible receiver {shown}",
        if method == "size" { "get " } else { "" },
        method
    ))
}

/// Deleted entries are kept as tombstones (Uninit keys) so iteration order stays stable.
pub(crate) fn map_set_entry(vm: &mut Vm, o: ObjId, k: Value, v: Value) {
    let k = if let Value::Num(n) = k {
        if n == 0.0 {
            Value::Num(0.0)
        } else {
            k
        }
    } else {
        k
    };
    if let ObjKind::Map(entries, index) = &mut vm.heap.obj_mut(o).kind {
        let mk = MapKey::of(&k);
        match index.get(&mk) {
            Some(&i) => entries[i].1 = v,
            None => {
                index.insert(mk, entries.len());
                entries.push((k, v));
            }
        }
    }
}

fn map_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type("Constructor Map requires 'new'");
    };
    let p = vm.realm.map_proto;
    let o = vm.ordinary_create_from(&nt, p, ObjKind::Map(vec![], HashMap::new()));
    let init = arg(args, 0);
    if !init.is_nullish() {
        for e in vm.iterate_to_vec(&init)? {
            let (k, v) = super::entry_key_value(vm, &e)?;
            map_set_entry(vm, o, k, v);
        }
    }
    Ok(Value::Obj(o))
}
fn map_get(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_map(vm, &this, "get")?;
    if let ObjKind::Map(entries, index) = &vm.heap.obj(o).kind {
        if let Some(&i) = index.get(&MapKey::of(&arg(args, 0))) {
            return Ok(entries[i].1.clone());
        }
    }
    Ok(Value::Undefined)
}
fn map_set(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_map(vm, &this, "set")?;
    map_set_entry(vm, o, arg(args, 0), arg(args, 1));
    Ok(this)
}
fn map_has(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_map(vm, &this, "has")?;
    Ok(Value::Bool(
        matches!(&vm.heap.obj(o).kind, ObjKind::Map(_, index) if index.contains_key(&MapKey::of(&arg(args, 0)))),
    ))
}
fn map_delete(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_map(vm, &this, "delete")?;
    if let ObjKind::Map(entries, index) = &mut vm.heap.obj_mut(o).kind {
        if let Some(i) = index.remove(&MapKey::of(&arg(args, 0))) {
            entries[i] = (Value::Uninit, Value::Uninit);
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}
fn map_clear(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_map(vm, &this, "clear")?;
    if let ObjKind::Map(entries, index) = &mut vm.heap.obj_mut(o).kind {
        for e in entries.iter_mut() {
            *e = (Value::Uninit, Value::Uninit);
        }
        index.clear();
    }
    Ok(Value::Undefined)
}
fn map_size(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_map(vm, &this, "size")?;
    Ok(Value::Num(match &vm.heap.obj(o).kind {
        ObjKind::Map(_, index) => index.len() as f64,
        _ => 0.0,
    }))
}
/// Live entries of a Map (for inspect and iteration).
pub fn map_entries(vm: &Vm, o: ObjId) -> Vec<(Value, Value)> {
    match &vm.heap.obj(o).kind {
        ObjKind::Map(entries, _) => entries
            .iter()
            .filter(|e| !matches!(e.0, Value::Uninit))
            .cloned()
            .collect(),
        _ => vec![],
    }
}
pub fn set_values(vm: &Vm, o: ObjId) -> Vec<Value> {
    match &vm.heap.obj(o).kind {
        ObjKind::Set(vals, _) => vals
            .iter()
            .filter(|v| !matches!(v, Value::Uninit))
            .cloned()
            .collect(),
        _ => vec![],
    }
}
fn map_for_each(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_map(vm, &this, "forEach")?;
    let f = arg(args, 0);
    let mut i = 0;
    loop {
        let e = match &vm.heap.obj(o).kind {
            ObjKind::Map(entries, _) => entries.get(i).cloned(),
            _ => None,
        };
        let Some((k, v)) = e else { break };
        i += 1;
        if matches!(k, Value::Uninit) {
            continue;
        }
        vm.call(&f, arg(args, 1), &[v, k, this.clone()])?;
    }
    Ok(Value::Undefined)
}
fn map_iter(vm: &mut Vm, this: Value, kind: u8) -> JsResult {
    let o = this_map(vm, &this, "entries")?;
    let items: Vec<Value> = map_entries(vm, o)
        .into_iter()
        .map(|(k, v)| match kind {
            0 => v,
            1 => k,
            _ => vm.new_array(vec![k, v]),
        })
        .collect();
    let arr = vm.new_array(items);
    Ok(super::array::make_iter(vm, arr, 0))
}
fn map_entries_fn(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    map_iter(vm, this, 2)
}
fn map_keys(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    map_iter(vm, this, 1)
}
fn map_values(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    map_iter(vm, this, 0)
}

pub(crate) fn set_add_value(vm: &mut Vm, o: ObjId, v: Value) {
    let v = if let Value::Num(n) = v {
        if n == 0.0 {
            Value::Num(0.0)
        } else {
            v
        }
    } else {
        v
    };
    if let ObjKind::Set(vals, index) = &mut vm.heap.obj_mut(o).kind {
        let mk = MapKey::of(&v);
        if let std::collections::hash_map::Entry::Vacant(e) = index.entry(mk) {
            e.insert(vals.len());
            vals.push(v);
        }
    }
}
fn set_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type("Constructor Set requires 'new'");
    };
    let p = vm.realm.set_proto;
    let o = vm.ordinary_create_from(&nt, p, ObjKind::Set(vec![], HashMap::new()));
    let init = arg(args, 0);
    if !init.is_nullish() {
        for v in vm.iterate_to_vec(&init)? {
            set_add_value(vm, o, v);
        }
    }
    Ok(Value::Obj(o))
}
fn set_add(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_set(vm, &this, "add")?;
    set_add_value(vm, o, arg(args, 0));
    Ok(this)
}
fn set_has(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_set(vm, &this, "has")?;
    Ok(Value::Bool(
        matches!(&vm.heap.obj(o).kind, ObjKind::Set(_, index) if index.contains_key(&MapKey::of(&arg(args, 0)))),
    ))
}
fn set_delete(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_set(vm, &this, "delete")?;
    if let ObjKind::Set(vals, index) = &mut vm.heap.obj_mut(o).kind {
        if let Some(i) = index.remove(&MapKey::of(&arg(args, 0))) {
            vals[i] = Value::Uninit;
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}
fn set_clear(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_set(vm, &this, "clear")?;
    if let ObjKind::Set(vals, index) = &mut vm.heap.obj_mut(o).kind {
        for v in vals.iter_mut() {
            *v = Value::Uninit;
        }
        index.clear();
    }
    Ok(Value::Undefined)
}
fn set_size(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_set(vm, &this, "size")?;
    Ok(Value::Num(match &vm.heap.obj(o).kind {
        ObjKind::Set(_, index) => index.len() as f64,
        _ => 0.0,
    }))
}
fn set_for_each(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_set(vm, &this, "forEach")?;
    let f = arg(args, 0);
    let mut i = 0;
    loop {
        let e = match &vm.heap.obj(o).kind {
            ObjKind::Set(vals, _) => vals.get(i).cloned(),
            _ => None,
        };
        let Some(v) = e else { break };
        i += 1;
        if matches!(v, Value::Uninit) {
            continue;
        }
        vm.call(&f, arg(args, 1), &[v.clone(), v, this.clone()])?;
    }
    Ok(Value::Undefined)
}
fn set_values_fn(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_set(vm, &this, "values")?;
    let vals = set_values(vm, o);
    let arr = vm.new_array(vals);
    Ok(super::array::make_iter(vm, arr, 0))
}
fn set_entries(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_set(vm, &this, "entries")?;
    let vals: Vec<Value> = set_values(vm, o)
        .into_iter()
        .map(|v| vm.new_array(vec![v.clone(), v]))
        .collect();
    let arr = vm.new_array(vals);
    Ok(super::array::make_iter(vm, arr, 0))
}

pub fn install(vm: &mut Vm) {
    let g = vm.realm.global;
    let mp = vm.realm.map_proto;
    let mc = vm.make_native("Map", 0, map_ctor, vec![]);
    link_ctor(vm, mc, mp);
    vm.method(mp, "get", 1, map_get);
    vm.method(mp, "set", 2, map_set);
    vm.method(mp, "has", 1, map_has);
    vm.method(mp, "delete", 1, map_delete);
    vm.method(mp, "clear", 0, map_clear);
    vm.method(mp, "forEach", 1, map_for_each);
    vm.method(mp, "keys", 0, map_keys);
    vm.method(mp, "values", 0, map_values);
    let e = vm.method(mp, "entries", 0, map_entries_fn);
    let k = PropKey::Sym(vm.syms.iterator);
    vm.heap.obj_mut(mp).put(k, Value::Obj(e), HIDDEN);
    getter(vm, mp, "get size", map_size, vec![]);
    let tag = PropKey::Sym(vm.syms.to_string_tag);
    vm.heap
        .obj_mut(mp)
        .put(tag, Value::str("Map"), CONFIGURABLE);
    vm.put_hidden(g, "Map", Value::Obj(mc));

    let sp = vm.realm.set_proto;
    let sc = vm.make_native("Set", 0, set_ctor, vec![]);
    link_ctor(vm, sc, sp);
    vm.method(sp, "add", 1, set_add);
    vm.method(sp, "has", 1, set_has);
    vm.method(sp, "delete", 1, set_delete);
    vm.method(sp, "clear", 0, set_clear);
    vm.method(sp, "forEach", 1, set_for_each);
    vm.method(sp, "entries", 0, set_entries);
    let v = vm.method(sp, "values", 0, set_values_fn);
    vm.put_hidden(sp, "keys", Value::Obj(v));
    vm.heap.obj_mut(sp).put(k, Value::Obj(v), HIDDEN);
    getter(vm, sp, "get size", set_size, vec![]);
    vm.heap
        .obj_mut(sp)
        .put(tag, Value::str("Set"), CONFIGURABLE);
    vm.put_hidden(g, "Set", Value::Obj(sc));
}
