//! `ArrayBuffer`, `SharedArrayBuffer` and the typed arrays (`Int8Array` … `Float64Array`).
//!
//! Representation: an `ArrayBuffer` object owns its bytes (`ObjKind::ArrayBuffer`); a typed
//! array (`ObjKind::TypedArray`) and a `DataView` (see [`super::data_view`]) hold the heap id
//! of their buffer plus a byte offset and a length, so any number of views share one byte
//! store and the collector keeps a buffer alive through its views. The integer-indexed
//! exotic behaviour (element reads and writes of canonical numeric keys) lives on the VM's
//! slow property paths (`vm/ops.rs`) plus one arm in the element fast paths; Node's `Buffer`
//! is a `Uint8Array` view whose prototype is `Buffer.prototype` (`host/buffer.rs`).
//!
//! Detaching: a transfer (`host/clone`) moves an ArrayBuffer's bytes out ([`detach`]); the
//! buffer keeps `byteLength` 0 and its views become empty windows, so element access and the
//! length accessors need no check, while the methods that validate their receiver
//! ([`valid_view`]), the constructors and `DataView` throw V8's detached-buffer TypeError.
//!
//! Layout: [`elements`] (element kinds and their byte conversions), [`storage`] (buffers,
//! views, element access, allocation, length checks), [`array_buffer`] (`ArrayBuffer` and
//! `SharedArrayBuffer`), [`constructors`] (the typed array constructors, `from`, `of`),
//! [`methods`] (the prototype's accessors and element methods) and [`iteration`] (the
//! callback-taking methods, sort and the iterators); [`install`] wires them into the realm.

mod array_buffer;
mod constructors;
mod elements;
mod iteration;
mod methods;
mod storage;

pub use elements::{ElemKind, ALL_KINDS};
pub use methods::ta_subarray;
pub use storage::{
    alloc_buffer, alloc_view, buffer_len, buffer_range, buffer_write, canonical_numeric, detach,
    detached_error, element_get, element_set, is_detached, new_typed_from_bytes,
    new_typed_from_values, read, read_all, store, to_index, typed_view, view_bytes, write,
    ByteStore, View, MAX_BYTE_LENGTH,
};

use super::{getter, link_ctor};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::Vm;
use array_buffer::install_buffer_kind;
use constructors::{abstract_ctor, typed_ctor, typed_from, typed_of};
use iteration::{
    ta_entries, ta_every, ta_filter, ta_find, ta_find_index, ta_find_last, ta_find_last_index,
    ta_for_each, ta_keys, ta_map, ta_reduce, ta_reduce_right, ta_some, ta_sort, ta_to_sorted,
    ta_values,
};
use methods::{
    ta_at, ta_buffer, ta_byte_length, ta_byte_offset, ta_copy_within, ta_fill, ta_includes,
    ta_index_of, ta_join, ta_last_index_of, ta_length, ta_reverse, ta_set, ta_slice,
    ta_to_locale_string, ta_to_reversed, ta_to_string, ta_to_string_tag, ta_with,
};

/// The realm's objects for this family (rooted by the collector with the realm).
#[derive(Default, Debug, Clone)]
pub struct TypedRealm {
    pub array_buffer_proto: ObjId,
    pub shared_array_buffer_proto: ObjId,
    pub data_view_proto: ObjId,
    /// `%TypedArray%.prototype`, the prototype of every concrete typed array prototype.
    pub typed_array_proto: ObjId,
    /// `Int8Array.prototype` … `Float64Array.prototype`, in [`ALL_KINDS`] order.
    pub protos: [ObjId; 9],
}

/// `this` as a typed array, or V8's TypeError.
pub(super) fn this_view(vm: &mut Vm, this: &Value) -> Result<(ObjId, View), Value> {
    if let Value::Obj(o) = this {
        if let Some(v) = typed_view(vm, *o) {
            return Ok((*o, v));
        }
    }
    vm.throw_type("this is not a typed array.")
}

/// `this` as a typed array whose buffer is not detached (ValidateTypedArray), or V8's
/// TypeError naming `%TypedArray%.prototype.<method>`.
pub(super) fn valid_view(vm: &mut Vm, this: &Value, method: &str) -> Result<(ObjId, View), Value> {
    let (o, v) = this_view(vm, this)?;
    if is_detached(vm, v.buffer) {
        let what = format!("%TypedArray%.prototype.{method}");
        return Err(detached_error(vm, &what));
    }
    Ok((o, v))
}

/// The prototype a method's result gets: the same as `this`'s (TypedArraySpeciesCreate for
/// the built-in constructors and Buffer).
pub(super) fn species_proto(vm: &Vm, o: ObjId, v: &View) -> ObjId {
    vm.heap
        .obj(o)
        .proto
        .unwrap_or(vm.realm.typed.protos[v.elem.index()])
}

/// A relative index argument (negative counts from the end) clamped to `0..=len`.
pub(super) fn rel_index(
    vm: &mut Vm,
    a: &Value,
    len: usize,
    default: usize,
) -> Result<usize, Value> {
    if let Value::Undefined = a {
        return Ok(default);
    }
    let n = vm.to_number(a)?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    Ok(if n < 0.0 {
        (len as f64 + n).max(0.0) as usize
    } else {
        n.min(len as f64) as usize
    })
}

pub(super) fn callback(vm: &mut Vm, f: &Value) -> Result<(), Value> {
    if vm.is_callable(f) {
        return Ok(());
    }
    let d = vm.to_display_short(f);
    vm.throw_type(&format!("{d} is not a function"))
}

pub fn install(vm: &mut Vm) {
    install_buffer_kind(vm, false);
    install_buffer_kind(vm, true);

    let op = vm.realm.object_proto;
    let tap = vm.alloc(Some(op), ObjKind::Ordinary);
    vm.realm.typed.typed_array_proto = tap;
    let ta_ctor = vm.make_native("TypedArray", 0, abstract_ctor, vec![]);
    link_ctor(vm, ta_ctor, tap);
    vm.method(ta_ctor, "from", 1, typed_from);
    vm.method(ta_ctor, "of", 0, typed_of);
    getter(vm, tap, "get buffer", ta_buffer, vec![]);
    getter(vm, tap, "get byteLength", ta_byte_length, vec![]);
    getter(vm, tap, "get byteOffset", ta_byte_offset, vec![]);
    getter(vm, tap, "get length", ta_length, vec![]);
    getter(
        vm,
        tap,
        "get [Symbol.toStringTag]",
        ta_to_string_tag,
        vec![],
    );
    let methods: [(&'static str, u8, crate::vm::NativeFn); 31] = [
        ("at", 1, ta_at),
        ("copyWithin", 2, ta_copy_within),
        ("entries", 0, ta_entries),
        ("every", 1, ta_every),
        ("fill", 1, ta_fill),
        ("filter", 1, ta_filter),
        ("find", 1, ta_find),
        ("findIndex", 1, ta_find_index),
        ("findLast", 1, ta_find_last),
        ("findLastIndex", 1, ta_find_last_index),
        ("forEach", 1, ta_for_each),
        ("includes", 1, ta_includes),
        ("indexOf", 1, ta_index_of),
        ("join", 1, ta_join),
        ("keys", 0, ta_keys),
        ("lastIndexOf", 1, ta_last_index_of),
        ("map", 1, ta_map),
        ("reduce", 1, ta_reduce),
        ("reduceRight", 1, ta_reduce_right),
        ("reverse", 0, ta_reverse),
        ("set", 1, ta_set),
        ("slice", 2, ta_slice),
        ("some", 1, ta_some),
        ("sort", 1, ta_sort),
        ("subarray", 2, ta_subarray),
        ("toLocaleString", 0, ta_to_locale_string),
        ("toReversed", 0, ta_to_reversed),
        ("toSorted", 1, ta_to_sorted),
        ("toString", 0, ta_to_string),
        ("with", 2, ta_with),
        ("values", 0, ta_values),
    ];
    for (name, len, f) in methods {
        let m = vm.method(tap, name, len, f);
        if name == "values" {
            let k = PropKey::Sym(vm.syms.iterator);
            vm.heap.obj_mut(tap).put(k, Value::Obj(m), HIDDEN);
        }
    }
    let g = vm.realm.global;
    for (i, elem) in ALL_KINDS.iter().enumerate() {
        let proto = vm.alloc(Some(tap), ObjKind::Ordinary);
        vm.realm.typed.protos[i] = proto;
        let ctor = vm.make_native(elem.name(), 3, typed_ctor, vec![Value::Num(i as f64)]);
        vm.heap.obj_mut(ctor).proto = Some(ta_ctor);
        link_ctor(vm, ctor, proto);
        let k = vm.heap.key("BYTES_PER_ELEMENT");
        let size = Value::Num(elem.size() as f64);
        vm.heap.obj_mut(ctor).put(k, size.clone(), 0);
        vm.heap.obj_mut(proto).put(k, size, 0);
        vm.put_hidden(g, elem.name(), Value::Obj(ctor));
    }
    super::data_view::install(vm);
}
