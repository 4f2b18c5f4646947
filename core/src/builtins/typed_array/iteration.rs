//! `%TypedArray%.prototype` methods that walk the elements calling JavaScript: `forEach`,
//! `every`, `some`, the `find` family, `map`, `filter`, `reduce`, `sort` / `toSorted` with
//! their comparator, and the iterators (`values`, `keys`, `entries`).

use super::storage::{
    new_typed_from_bytes, new_typed_from_values, read, read_all, typed_view, write,
};
use super::{callback, species_proto, valid_view};
use crate::builtins::{arg, array::make_iter};
use crate::value::Value;
use crate::vm::{JsResult, Vm};

/// `f(value, index, array)` for each element until `stop` says so; returns the index.
fn scan(
    vm: &mut Vm,
    this: &Value,
    args: &[Value],
    method: &str,
    reverse: bool,
    stop: impl Fn(bool) -> bool,
) -> Result<Option<(usize, f64)>, Value> {
    let (_, v) = valid_view(vm, this, method)?;
    let f = arg(args, 0);
    callback(vm, &f)?;
    let this_arg = arg(args, 1);
    for j in 0..v.length {
        let i = if reverse { v.length - 1 - j } else { j };
        let x = read(vm, &v, i);
        let r = vm.call(
            &f,
            this_arg.clone(),
            &[Value::Num(x), Value::Num(i as f64), this.clone()],
        )?;
        if stop(r.truthy()) {
            return Ok(Some((i, x)));
        }
    }
    Ok(None)
}

pub(super) fn ta_for_each(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    scan(vm, &this, args, "forEach", false, |_| false)?;
    Ok(Value::Undefined)
}
pub(super) fn ta_every(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(
        scan(vm, &this, args, "every", false, |t| !t)?.is_none(),
    ))
}
pub(super) fn ta_some(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(
        scan(vm, &this, args, "some", false, |t| t)?.is_some(),
    ))
}
pub(super) fn ta_find(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(match scan(vm, &this, args, "find", false, |t| t)? {
        Some((_, x)) => Value::Num(x),
        None => Value::Undefined,
    })
}
pub(super) fn ta_find_index(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(
        match scan(vm, &this, args, "findIndex", false, |t| t)? {
            Some((i, _)) => i as f64,
            None => -1.0,
        },
    ))
}
pub(super) fn ta_find_last(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(match scan(vm, &this, args, "findLast", true, |t| t)? {
        Some((_, x)) => Value::Num(x),
        None => Value::Undefined,
    })
}
pub(super) fn ta_find_last_index(
    vm: &mut Vm,
    this: Value,
    args: &[Value],
    _d: &[Value],
) -> JsResult {
    // V8 in Node 20 names the method so in this message
    Ok(Value::Num(
        match scan(vm, &this, args, "findIndexLast", true, |t| t)? {
            Some((i, _)) => i as f64,
            None => -1.0,
        },
    ))
}

pub(super) fn ta_map(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, v) = valid_view(vm, &this, "map")?;
    let f = arg(args, 0);
    callback(vm, &f)?;
    let this_arg = arg(args, 1);
    let proto = species_proto(vm, o, &v);
    let out = new_typed_from_bytes(vm, v.elem, proto, vec![0; v.length * v.elem.size()]);
    let out_view = typed_view(vm, out).expect("just made");
    for i in 0..v.length {
        let x = read(vm, &v, i);
        let r = vm.call(
            &f,
            this_arg.clone(),
            &[Value::Num(x), Value::Num(i as f64), this.clone()],
        )?;
        let n = vm.to_number(&r)?;
        write(vm, &out_view, i, n);
    }
    Ok(Value::Obj(out))
}

pub(super) fn ta_filter(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, v) = valid_view(vm, &this, "filter")?;
    let f = arg(args, 0);
    callback(vm, &f)?;
    let this_arg = arg(args, 1);
    let mut kept = vec![];
    for i in 0..v.length {
        let x = read(vm, &v, i);
        let r = vm.call(
            &f,
            this_arg.clone(),
            &[Value::Num(x), Value::Num(i as f64), this.clone()],
        )?;
        if r.truthy() {
            kept.push(x);
        }
    }
    let proto = species_proto(vm, o, &v);
    Ok(Value::Obj(new_typed_from_values(vm, v.elem, proto, &kept)))
}

fn reduce_impl(vm: &mut Vm, this: Value, args: &[Value], right: bool) -> JsResult {
    let (_, v) = valid_view(vm, &this, if right { "reduceRight" } else { "reduce" })?;
    let f = arg(args, 0);
    callback(vm, &f)?;
    let order: Vec<usize> = if right {
        (0..v.length).rev().collect()
    } else {
        (0..v.length).collect()
    };
    let mut it = order.into_iter();
    let mut acc = if args.len() >= 2 {
        args[1].clone()
    } else {
        match it.next() {
            Some(i) => Value::Num(read(vm, &v, i)),
            None => return vm.throw_type("Reduce of empty array with no initial value"),
        }
    };
    for i in it {
        let x = read(vm, &v, i);
        acc = vm.call(
            &f,
            Value::Undefined,
            &[acc, Value::Num(x), Value::Num(i as f64), this.clone()],
        )?;
    }
    Ok(acc)
}
pub(super) fn ta_reduce(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    reduce_impl(vm, this, args, false)
}
pub(super) fn ta_reduce_right(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    reduce_impl(vm, this, args, true)
}

/// The default typed-array order: numeric, -0 before +0, NaN last.
fn default_order(a: f64, b: f64) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Equal,
        (true, false) => Greater,
        (false, true) => Less,
        _ => match a.partial_cmp(&b) {
            Some(Equal) => {
                let (na, nb) = (a.is_sign_negative(), b.is_sign_negative());
                nb.cmp(&na)
            }
            Some(o) => o,
            None => Equal,
        },
    }
}

/// Sorts `vals` with the comparator `cmp` (or the default order); a stable merge sort.
fn sort_values(vm: &mut Vm, vals: Vec<f64>, cmp: &Value) -> Result<Vec<f64>, Value> {
    if matches!(cmp, Value::Undefined) {
        let mut vals = vals;
        vals.sort_by(|a, b| default_order(*a, *b));
        return Ok(vals);
    }
    let mut vals = vals;
    let mut width = 1;
    let n = vals.len();
    let mut buf = vals.clone();
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                let r = vm.call(
                    cmp,
                    Value::Undefined,
                    &[Value::Num(vals[j]), Value::Num(vals[i])],
                )?;
                let r = vm.to_number(&r)?;
                if r < 0.0 {
                    buf[k] = vals[j];
                    j += 1;
                } else {
                    buf[k] = vals[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + mid - i].copy_from_slice(&vals[i..mid]);
            k += mid - i;
            buf[k..k + hi - j].copy_from_slice(&vals[j..hi]);
            lo = hi;
        }
        std::mem::swap(&mut vals, &mut buf);
        width *= 2;
    }
    Ok(vals)
}

fn sort_comparator(vm: &mut Vm, args: &[Value]) -> Result<Value, Value> {
    let cmp = arg(args, 0);
    if !matches!(cmp, Value::Undefined) && !vm.is_callable(&cmp) {
        return vm.throw_type("The comparison function must be either a function or undefined");
    }
    Ok(cmp)
}

pub(super) fn ta_sort(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cmp = sort_comparator(vm, args)?;
    let (_, v) = valid_view(vm, &this, "sort")?;
    let vals = read_all(vm, &v);
    let sorted = sort_values(vm, vals, &cmp)?;
    for (i, x) in sorted.into_iter().enumerate() {
        write(vm, &v, i, x);
    }
    Ok(this)
}

pub(super) fn ta_to_sorted(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cmp = sort_comparator(vm, args)?;
    let (_, v) = valid_view(vm, &this, "toSorted")?;
    let vals = read_all(vm, &v);
    let sorted = sort_values(vm, vals, &cmp)?;
    let p = vm.realm.typed.protos[v.elem.index()];
    Ok(Value::Obj(new_typed_from_values(vm, v.elem, p, &sorted)))
}

pub(super) fn ta_values(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    valid_view(vm, &this, "values")?;
    Ok(make_iter(vm, this, 0))
}
pub(super) fn ta_keys(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    valid_view(vm, &this, "keys")?;
    Ok(make_iter(vm, this, 1))
}
pub(super) fn ta_entries(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    valid_view(vm, &this, "entries")?;
    Ok(make_iter(vm, this, 2))
}
