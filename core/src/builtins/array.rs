//! `Array`, `Array.prototype` and the built-in array/string iterators.

use super::{arg, link_ctor};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};

fn this_array(vm: &mut Vm, this: &Value) -> Result<ObjId, Value> {
    match this {
        Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::Array(_)) => Ok(*o),
        _ => vm.throw_type("Array.prototype method called on a non-array (not supported)"),
    }
}

fn items_mut(vm: &mut Vm, o: ObjId) -> &mut Vec<Value> {
    match &mut vm.heap.obj_mut(o).kind {
        ObjKind::Array(v) => v,
        _ => unreachable!("array"),
    }
}

fn len(vm: &Vm, o: ObjId) -> usize {
    match &vm.heap.obj(o).kind {
        ObjKind::Array(v) => v.len(),
        _ => 0,
    }
}

fn at(vm: &Vm, o: ObjId, i: usize) -> Value {
    match &vm.heap.obj(o).kind {
        ObjKind::Array(v) => match v.get(i) {
            Some(Value::Uninit) | None => Value::Undefined,
            Some(x) => x.clone(),
        },
        _ => Value::Undefined,
    }
}

fn is_hole(vm: &Vm, o: ObjId, i: usize) -> bool {
    match &vm.heap.obj(o).kind {
        ObjKind::Array(v) => matches!(v.get(i), Some(Value::Uninit) | None),
        _ => true,
    }
}

fn rel_index(vm: &mut Vm, v: &Value, len: usize, default: usize) -> Result<usize, Value> {
    if let Value::Undefined = v {
        return Ok(default);
    }
    let n = vm.to_number(v)?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    Ok(if n < 0.0 {
        (len as f64 + n).max(0.0) as usize
    } else {
        (n as usize).min(len)
    })
}

fn check_fn(vm: &mut Vm, f: &Value) -> Result<(), Value> {
    if !vm.is_callable(f) {
        let d = match f {
            Value::Obj(_) => "#<Object>".to_string(),
            Value::Str(s) => format!("\"{s}\""),
            other => vm.to_display(other),
        };
        return vm.throw_type(&format!("{d} is not a function"));
    }
    Ok(())
}

fn push(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    if vm.heap.obj(o).frozen {
        return vm.throw_type("Cannot add property 0, object is not extensible");
    }
    let v = items_mut(vm, o);
    v.extend_from_slice(args);
    Ok(Value::Num(v.len() as f64))
}
fn pop(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    Ok(match items_mut(vm, o).pop() {
        Some(Value::Uninit) | None => Value::Undefined,
        Some(v) => v,
    })
}
fn shift(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let v = items_mut(vm, o);
    if v.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(match v.remove(0) {
        Value::Uninit => Value::Undefined,
        x => x,
    })
}
fn unshift(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let v = items_mut(vm, o);
    let tail = std::mem::take(v);
    v.extend_from_slice(args);
    v.extend(tail);
    Ok(Value::Num(v.len() as f64))
}
fn slice(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let n = len(vm, o);
    let s = rel_index(vm, &arg(args, 0), n, 0)?;
    let e = rel_index(vm, &arg(args, 1), n, n)?;
    let items: Vec<Value> = if s < e {
        match &vm.heap.obj(o).kind {
            ObjKind::Array(v) => v[s..e].to_vec(),
            _ => vec![],
        }
    } else {
        vec![]
    };
    Ok(vm.new_array(items))
}
fn splice(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let n = len(vm, o);
    let s = rel_index(vm, &arg(args, 0), n, 0)?;
    let count = if args.is_empty() {
        0
    } else if args.len() < 2 {
        n - s
    } else {
        let c = vm.to_number(&args[1])?;
        let c = if c.is_nan() { 0.0 } else { c.trunc() };
        (c.max(0.0) as usize).min(n - s)
    };
    let ins: Vec<Value> = args.iter().skip(2).cloned().collect();
    let removed: Vec<Value> = items_mut(vm, o).splice(s..s + count, ins).collect();
    Ok(vm.new_array(removed))
}
fn concat(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let mut out = match &this {
        Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::Array(_)) => {
            match &vm.heap.obj(*o).kind {
                ObjKind::Array(v) => v.clone(),
                _ => vec![],
            }
        }
        other => vec![other.clone()],
    };
    for a in args {
        match a {
            Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::Array(_)) => {
                if let ObjKind::Array(v) = &vm.heap.obj(*o).kind {
                    out.extend(v.iter().cloned());
                }
            }
            other => out.push(other.clone()),
        }
    }
    Ok(vm.new_array(out))
}
pub fn join_values(vm: &mut Vm, o: ObjId, sep: &str) -> Result<String, Value> {
    let n = len(vm, o);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push_str(sep);
        }
        let v = at(vm, o, i);
        if !v.is_nullish() {
            s.push_str(&vm.to_string(&v)?);
        }
    }
    Ok(s)
}
fn join(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let sep = match arg(args, 0) {
        Value::Undefined => ",".to_string(),
        v => vm.to_string(&v)?,
    };
    if vm.realm.join_stack.contains(&o) {
        return Ok(Value::str(""));
    }
    vm.realm.join_stack.push(o);
    let r = join_values(vm, o, &sep);
    vm.realm.join_stack.pop();
    Ok(Value::str(&r?))
}
fn to_string(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    if !vm.is_array(&this) {
        return super::object::object_to_string(vm, this, &[], &[]);
    }
    join(vm, this, &[], &[])
}
fn reverse(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    items_mut(vm, o).reverse();
    Ok(this)
}
fn index_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let n = len(vm, o);
    let from = rel_index(vm, &arg(args, 1), n, 0)?;
    let x = arg(args, 0);
    for i in from..n {
        if !is_hole(vm, o, i) && at(vm, o, i).strict_eq(&x) {
            return Ok(Value::Num(i as f64));
        }
    }
    Ok(Value::Num(-1.0))
}
fn last_index_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let n = len(vm, o);
    let x = arg(args, 0);
    for i in (0..n).rev() {
        if at(vm, o, i).strict_eq(&x) {
            return Ok(Value::Num(i as f64));
        }
    }
    Ok(Value::Num(-1.0))
}
fn includes(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let n = len(vm, o);
    let from = rel_index(vm, &arg(args, 1), n, 0)?;
    let x = arg(args, 0);
    for i in from..n {
        if at(vm, o, i).same_value_zero(&x) {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

/// Shared driver for callback methods. mode: 0 forEach,1 map,2 filter,3 some,4 every,
/// 5 find,6 findIndex,7 findLast,8 findLastIndex
fn iterate(vm: &mut Vm, this: Value, args: &[Value], mode: u8) -> JsResult {
    let o = this_array(vm, &this)?;
    let f = arg(args, 0);
    check_fn(vm, &f)?;
    let t = arg(args, 1);
    let n = len(vm, o);
    let mut out = Vec::new();
    let order: Box<dyn Iterator<Item = usize>> = if mode == 7 || mode == 8 {
        Box::new((0..n).rev())
    } else {
        Box::new(0..n)
    };
    for i in order {
        if i >= len(vm, o) && mode != 5 && mode != 6 {
            break;
        }
        if (mode <= 4) && is_hole(vm, o, i) {
            if mode == 1 {
                out.push(Value::Uninit);
            }
            continue;
        }
        let v = at(vm, o, i);
        let r = vm.call(
            &f,
            t.clone(),
            &[v.clone(), Value::Num(i as f64), this.clone()],
        )?;
        match mode {
            1 => out.push(r),
            2 => {
                if r.truthy() {
                    out.push(v)
                }
            }
            3 => {
                if r.truthy() {
                    return Ok(Value::Bool(true));
                }
            }
            4 => {
                if !r.truthy() {
                    return Ok(Value::Bool(false));
                }
            }
            5 | 7 => {
                if r.truthy() {
                    return Ok(v);
                }
            }
            6 | 8 if r.truthy() => return Ok(Value::Num(i as f64)),
            _ => {}
        }
    }
    Ok(match mode {
        1 | 2 => vm.new_array(out),
        3 => Value::Bool(false),
        4 => Value::Bool(true),
        6 | 8 => Value::Num(-1.0),
        _ => Value::Undefined,
    })
}
macro_rules! it_method {
    ($name:ident, $mode:expr) => {
        fn $name(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
            iterate(vm, this, args, $mode)
        }
    };
}
it_method!(for_each, 0);
it_method!(map, 1);
it_method!(filter, 2);
it_method!(some, 3);
it_method!(every, 4);
it_method!(find, 5);
it_method!(find_index, 6);
it_method!(find_last, 7);
it_method!(find_last_index, 8);

fn reduce_impl(vm: &mut Vm, this: Value, args: &[Value], right: bool) -> JsResult {
    let o = this_array(vm, &this)?;
    let f = arg(args, 0);
    check_fn(vm, &f)?;
    let n = len(vm, o);
    let idx: Vec<usize> = if right {
        (0..n).rev().collect()
    } else {
        (0..n).collect()
    };
    let mut it = idx
        .into_iter()
        .filter(|i| !is_hole(vm, o, *i))
        .collect::<Vec<_>>()
        .into_iter();
    let mut acc = if args.len() >= 2 {
        args[1].clone()
    } else {
        match it.next() {
            Some(i) => at(vm, o, i),
            None => return vm.throw_type("Reduce of empty array with no initial value"),
        }
    };
    for i in it {
        if i >= len(vm, o) {
            continue;
        }
        let v = at(vm, o, i);
        acc = vm.call(
            &f,
            Value::Undefined,
            &[acc, v, Value::Num(i as f64), this.clone()],
        )?;
    }
    Ok(acc)
}
fn reduce(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    reduce_impl(vm, this, args, false)
}
fn reduce_right(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    reduce_impl(vm, this, args, true)
}

fn sort(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let f = arg(args, 0);
    if !matches!(f, Value::Undefined) && !vm.is_callable(&f) {
        return vm.throw_type("The comparison function must be either a function or undefined");
    }
    let items: Vec<Value> = match &vm.heap.obj(o).kind {
        ObjKind::Array(v) => v.clone(),
        _ => vec![],
    };
    let holes = items.iter().filter(|v| matches!(v, Value::Uninit)).count();
    let mut vals: Vec<Value> = items
        .into_iter()
        .filter(|v| !matches!(v, Value::Uninit | Value::Undefined))
        .collect();
    let undefs = len(vm, o) - holes - vals.len();
    // merge sort (stable) with a fallible comparator
    let mut err = None;
    let mut keyed: Vec<(Value, Option<String>)> = Vec::with_capacity(vals.len());
    let use_strings = matches!(f, Value::Undefined);
    for v in vals.drain(..) {
        let s = if use_strings {
            Some(vm.to_string(&v)?)
        } else {
            None
        };
        keyed.push((v, s));
    }
    let sorted = merge_sort(keyed, &mut |a, b| {
        if err.is_some() {
            return false;
        }
        if use_strings {
            let (x, y) = (a.1.as_deref().unwrap_or(""), b.1.as_deref().unwrap_or(""));
            let xu: Vec<u16> = x.encode_utf16().collect();
            let yu: Vec<u16> = y.encode_utf16().collect();
            return yu < xu;
        }
        match vm.call(&f, Value::Undefined, &[a.0.clone(), b.0.clone()]) {
            Ok(r) => match vm.to_number(&r) {
                Ok(n) => n > 0.0,
                Err(e) => {
                    err = Some(e);
                    false
                }
            },
            Err(e) => {
                err = Some(e);
                false
            }
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    let mut out: Vec<Value> = sorted.into_iter().map(|x| x.0).collect();
    out.extend(std::iter::repeat_n(Value::Undefined, undefs));
    out.extend(std::iter::repeat_n(Value::Uninit, holes));
    *items_mut(vm, o) = out;
    Ok(this)
}

/// Stable merge sort; `gt(a, b)` says a must come after b.
fn merge_sort<T: Clone>(v: Vec<T>, gt: &mut dyn FnMut(&T, &T) -> bool) -> Vec<T> {
    if v.len() <= 1 {
        return v;
    }
    let mid = v.len() / 2;
    let right = v[mid..].to_vec();
    let mut left = v;
    left.truncate(mid);
    let l = merge_sort(left, gt);
    let r = merge_sort(right, gt);
    let mut out = Vec::with_capacity(l.len() + r.len());
    let (mut i, mut j) = (0, 0);
    while i < l.len() && j < r.len() {
        if gt(&l[i], &r[j]) {
            out.push(r[j].clone());
            j += 1;
        } else {
            out.push(l[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&l[i..]);
    out.extend_from_slice(&r[j..]);
    out
}

fn flatten_into(vm: &mut Vm, out: &mut Vec<Value>, items: Vec<Value>, depth: f64) {
    for v in items {
        if matches!(v, Value::Uninit) {
            continue;
        }
        if depth >= 1.0 && vm.is_array(&v) {
            let inner = match &v {
                Value::Obj(o) => match &vm.heap.obj(*o).kind {
                    ObjKind::Array(x) => x.clone(),
                    _ => vec![],
                },
                _ => vec![],
            };
            flatten_into(vm, out, inner, depth - 1.0);
        } else {
            out.push(v);
        }
    }
}
fn flat(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let depth = match arg(args, 0) {
        Value::Undefined => 1.0,
        v => vm.to_number(&v)?,
    };
    let items = match &vm.heap.obj(o).kind {
        ObjKind::Array(x) => x.clone(),
        _ => vec![],
    };
    let mut out = vec![];
    flatten_into(vm, &mut out, items, depth);
    Ok(vm.new_array(out))
}
fn flat_map(vm: &mut Vm, this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let mapped = map(vm, this, args, d)?;
    flat(vm, mapped, &[], d)
}
fn fill(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let n = len(vm, o);
    let s = rel_index(vm, &arg(args, 1), n, 0)?;
    let e = rel_index(vm, &arg(args, 2), n, n)?;
    let v = arg(args, 0);
    let items = items_mut(vm, o);
    for x in items.iter_mut().take(e).skip(s) {
        *x = v.clone();
    }
    Ok(this)
}
fn array_at(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let o = this_array(vm, &this)?;
    let n = len(vm, o) as f64;
    let i = vm.to_number(&arg(args, 0))?;
    let i = if i.is_nan() { 0.0 } else { i.trunc() };
    let i = if i < 0.0 { n + i } else { i };
    if i < 0.0 || i >= n {
        return Ok(Value::Undefined);
    }
    Ok(at(vm, o, i as usize))
}

pub fn make_iter(vm: &mut Vm, target: Value, kind: u8) -> Value {
    let p = vm.realm.array_iterator_proto;
    Value::Obj(vm.alloc(
        Some(p),
        ObjKind::ArrayIter {
            target,
            index: 0,
            kind,
        },
    ))
}
fn values(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(make_iter(vm, this, 0))
}
fn keys(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(make_iter(vm, this, 1))
}
fn entries(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(make_iter(vm, this, 2))
}

/// Advances a built-in array iterator; None if `it` is not one.
pub fn array_iter_fast_next(vm: &mut Vm, it: &Value) -> Option<Value> {
    let Value::Obj(o) = it else { return None };
    let (target, index, kind) = match &vm.heap.obj(*o).kind {
        ObjKind::ArrayIter {
            target,
            index,
            kind,
        } => (target.clone(), *index, *kind),
        _ => return None,
    };
    let (item, step) = match &target {
        Value::Obj(t) => match &vm.heap.obj(*t).kind {
            ObjKind::Array(v) => (
                v.get(index).map(|x| {
                    if let Value::Uninit = x {
                        Value::Undefined
                    } else {
                        x.clone()
                    }
                }),
                1,
            ),
            ObjKind::TypedArray { length, .. } if index < *length => {
                (super::typed_array::element_get(vm, *t, index), 1)
            }
            _ => (None, 1),
        },
        Value::Str(s) => {
            // iterate by code points
            let rest = s.get(index..).unwrap_or("");
            match rest.chars().next() {
                Some(c) => (Some(Value::str(&c.to_string())), c.len_utf8()),
                None => (None, 1),
            }
        }
        _ => (None, 1),
    };
    match item {
        None => {
            if let ObjKind::ArrayIter { target, .. } = &mut vm.heap.obj_mut(*o).kind {
                *target = Value::Undefined;
            }
            Some(vm.iter_result(Value::Undefined, true))
        }
        Some(v) => {
            if let ObjKind::ArrayIter { index: i, .. } = &mut vm.heap.obj_mut(*o).kind {
                *i += step;
            }
            let out = match kind {
                0 => v,
                1 => Value::Num(index as f64),
                _ => vm.new_array(vec![Value::Num(index as f64), v]),
            };
            Some(vm.iter_result(out, false))
        }
    }
}

/// Drains a built-in array iterator in one go (spread fast path).
pub fn array_iter_drain(vm: &mut Vm, o: ObjId) -> Option<Vec<Value>> {
    if !matches!(vm.heap.obj(o).kind, ObjKind::ArrayIter { .. }) {
        return None;
    }
    let mut out = vec![];
    let itv = Value::Obj(o);
    loop {
        let r = array_iter_fast_next(vm, &itv)?;
        let Value::Obj(ro) = r else { return None };
        let done = matches!(
            vm.heap.obj(ro).props.get(1).map(|p| &p.slot),
            Some(Slot::Data(Value::Bool(true)))
        );
        if done {
            return Some(out);
        }
        if let Some(Slot::Data(v)) = vm.heap.obj(ro).props.first().map(|p| &p.slot) {
            out.push(v.clone());
        }
    }
}

fn iter_next(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    match array_iter_fast_next(vm, &this) {
        Some(v) => Ok(v),
        None => vm.throw_type("next method called on incompatible receiver"),
    }
}

fn array_ctor(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if args.len() == 1 {
        if let Value::Num(n) = args[0] {
            if n < 0.0 || n.fract() != 0.0 || n > 4294967295.0 {
                return Err(vm.range_error("Invalid array length"));
            }
            if n > crate::vm::MAX_DENSE_ARRAY {
                return Err(
                    vm.range_error("Invalid array length (looplab limit: arrays are dense)")
                );
            }
            return Ok(vm.new_array(vec![Value::Uninit; n as usize]));
        }
    }
    Ok(vm.new_array(args.to_vec()))
}
fn is_array(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(vm.is_array(&arg(args, 0))))
}
fn array_of(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(vm.new_array(args.to_vec()))
}
fn array_from(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let src = arg(args, 0);
    let f = arg(args, 1);
    if !matches!(f, Value::Undefined) && !vm.is_callable(&f) {
        let d = vm.to_display_unquoted(&f);
        return vm.throw_type(&format!("{d} is not a function"));
    }
    let items = match &src {
        Value::Undefined | Value::Null => return Err(vm.not_iterable_error(&src)),
        Value::Obj(_) | Value::Str(_) => {
            let it = vm.get(&src, PropKey::Sym(vm.syms.iterator))?;
            if vm.is_callable(&it) {
                vm.iterate_to_vec(&src)?
            } else {
                let n = vm.get(&src, PropKey::Str(vm.names.length))?;
                let n = vm.to_number(&n)?;
                let n = if n.is_nan() { 0 } else { n as usize };
                let mut out = vec![];
                for i in 0..n.min(50_000_000) {
                    out.push(vm.get_elem(&src, &Value::Num(i as f64))?);
                }
                out
            }
        }
        _ => vec![],
    };
    if vm.is_callable(&f) {
        let mut out = vec![];
        for (i, v) in items.into_iter().enumerate() {
            out.push(vm.call(&f, Value::Undefined, &[v, Value::Num(i as f64)])?);
        }
        return Ok(vm.new_array(out));
    }
    Ok(vm.new_array(items))
}

pub fn install(vm: &mut Vm) {
    let proto = vm.realm.array_proto;
    let ctor = vm.make_native("Array", 1, array_ctor, vec![]);
    link_ctor(vm, ctor, proto);
    vm.method(ctor, "isArray", 1, is_array);
    vm.method(ctor, "of", 0, array_of);
    vm.method(ctor, "from", 1, array_from);
    vm.method(proto, "push", 1, push);
    vm.method(proto, "pop", 0, pop);
    vm.method(proto, "shift", 0, shift);
    vm.method(proto, "unshift", 1, unshift);
    vm.method(proto, "slice", 2, slice);
    vm.method(proto, "splice", 2, splice);
    vm.method(proto, "concat", 1, concat);
    vm.method(proto, "join", 1, join);
    vm.method(proto, "toString", 0, to_string);
    vm.method(proto, "reverse", 0, reverse);
    vm.method(proto, "indexOf", 1, index_of);
    vm.method(proto, "lastIndexOf", 1, last_index_of);
    vm.method(proto, "includes", 1, includes);
    vm.method(proto, "forEach", 1, for_each);
    vm.method(proto, "map", 1, map);
    vm.method(proto, "filter", 1, filter);
    vm.method(proto, "some", 1, some);
    vm.method(proto, "every", 1, every);
    vm.method(proto, "find", 1, find);
    vm.method(proto, "findIndex", 1, find_index);
    vm.method(proto, "findLast", 1, find_last);
    vm.method(proto, "findLastIndex", 1, find_last_index);
    vm.method(proto, "reduce", 1, reduce);
    vm.method(proto, "reduceRight", 1, reduce_right);
    vm.method(proto, "sort", 1, sort);
    vm.method(proto, "flat", 0, flat);
    vm.method(proto, "flatMap", 1, flat_map);
    vm.method(proto, "fill", 1, fill);
    vm.method(proto, "at", 1, array_at);
    vm.method(proto, "keys", 0, keys);
    vm.method(proto, "entries", 0, entries);
    let vf = vm.method(proto, "values", 0, values);
    let k = PropKey::Sym(vm.syms.iterator);
    vm.heap.obj_mut(proto).put(k, Value::Obj(vf), HIDDEN);
    let ip = vm.realm.array_iterator_proto;
    vm.method(ip, "next", 0, iter_next);
    let tag = PropKey::Sym(vm.syms.to_string_tag);
    vm.heap
        .obj_mut(ip)
        .put(tag, Value::str("Array Iterator"), CONFIGURABLE);
    let g = vm.realm.global;
    vm.put_hidden(g, "Array", Value::Obj(ctor));
}
