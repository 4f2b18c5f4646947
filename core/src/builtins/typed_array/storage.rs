//! Buffers and views: an `ArrayBuffer`'s byte store, a typed array's window on it
//! ([`View`]), element reads and writes through a view, allocation of buffers and views,
//! detaching a buffer (a transfer), and the index and length checks (ToIndex, V8's limits)
//! the constructors share.

use super::ElemKind;
use crate::heap::*;
use crate::value::{number_to_string, ObjId, Value};
use crate::vm::Vm;
use std::cell::RefCell;
use std::rc::Rc;

/// The largest buffer a program may allocate (bytes); larger ones fail like V8's.
pub const MAX_BYTE_LENGTH: usize = 1 << 28;

/// A typed array's window on its buffer.
#[derive(Clone, Copy, Debug)]
pub struct View {
    pub buffer: ObjId,
    pub elem: ElemKind,
    /// In bytes.
    pub offset: usize,
    /// In elements.
    pub length: usize,
}

/// The view of typed array `o`, if it is one.
pub fn typed_view(vm: &Vm, o: ObjId) -> Option<View> {
    match &vm.heap.obj(o).kind {
        ObjKind::TypedArray {
            buffer,
            elem,
            offset,
            length,
        } => Some(View {
            buffer: *buffer,
            elem: *elem,
            offset: *offset,
            length: *length,
        }),
        _ => None,
    }
}

/// The byte store of an ArrayBuffer. One buffer object owns it; a SharedArrayBuffer's store
/// is also held by its clones (`structuredClone` shares the memory, as Node does).
pub type ByteStore = Rc<RefCell<Vec<u8>>>;

/// The byte store of ArrayBuffer `b`, if `b` is one.
pub fn store(vm: &Vm, b: ObjId) -> Option<&ByteStore> {
    match &vm.heap.obj(b).kind {
        ObjKind::ArrayBuffer { bytes, .. } => Some(bytes),
        _ => None,
    }
}

/// Whether ArrayBuffer `b` was detached (its bytes transferred away).
pub fn is_detached(vm: &Vm, b: ObjId) -> bool {
    matches!(
        vm.heap.obj(b).kind,
        ObjKind::ArrayBuffer { detached: true, .. }
    )
}

/// V8's TypeError for an operation on a detached buffer: "Cannot perform `what` on a
/// detached ArrayBuffer".
pub fn detached_error(vm: &mut Vm, what: &str) -> Value {
    vm.type_error(&format!("Cannot perform {what} on a detached ArrayBuffer"))
}

/// Detaches ArrayBuffer `b`, as a transfer does, and returns the bytes it held. The buffer
/// keeps an empty store for good (`byteLength` 0), and every view on it becomes an empty
/// window (offset and length 0), so element reads give `undefined` and writes do nothing.
/// A view knows its buffer but a buffer not its views, so they are found by one pass over
/// the heap. A SharedArrayBuffer cannot be detached (the caller refuses it first).
pub fn detach(vm: &mut Vm, b: ObjId) -> Vec<u8> {
    let bytes = match &mut vm.heap.obj_mut(b).kind {
        ObjKind::ArrayBuffer {
            bytes,
            shared: false,
            detached,
        } => {
            *detached = true;
            std::mem::take(&mut *bytes.borrow_mut())
        }
        _ => return vec![],
    };
    for o in vm.heap.objects.iter_mut() {
        match &mut o.kind {
            ObjKind::TypedArray {
                buffer,
                offset,
                length,
                ..
            }
            | ObjKind::DataView {
                buffer,
                offset,
                length,
            } if *buffer == b => {
                *offset = 0;
                *length = 0;
            }
            _ => {}
        }
    }
    bytes
}

/// The byte length of ArrayBuffer `b` (0 if `b` is not one).
pub fn buffer_len(vm: &Vm, b: ObjId) -> usize {
    store(vm, b).map_or(0, |s| s.borrow().len())
}

/// A copy of bytes `range` of ArrayBuffer `b` (clamped to its length).
pub fn buffer_range(vm: &Vm, b: ObjId, start: usize, end: usize) -> Vec<u8> {
    match store(vm, b) {
        Some(s) => {
            let d = s.borrow();
            let end = end.min(d.len());
            d.get(start.min(end)..end).unwrap_or(&[]).to_vec()
        }
        None => vec![],
    }
}

/// Writes `src` at byte `at` of ArrayBuffer `b` (the part that fits).
pub fn buffer_write(vm: &Vm, b: ObjId, at: usize, src: &[u8]) {
    if let Some(s) = store(vm, b) {
        let mut d = s.borrow_mut();
        let end = (at + src.len()).min(d.len());
        if at < end {
            d[at..end].copy_from_slice(&src[..end - at]);
        }
    }
}

/// Element `i` of a view (the caller checks `i < length`).
pub fn read(vm: &Vm, v: &View, i: usize) -> f64 {
    let at = v.offset + i * v.elem.size();
    match store(vm, v.buffer) {
        Some(s) => match s.borrow().get(at..at + v.elem.size()) {
            Some(b) => v.elem.decode(b, true),
            None => 0.0,
        },
        None => 0.0,
    }
}

/// Stores `n` at element `i` of a view (the caller checks `i < length`).
pub fn write(vm: &Vm, v: &View, i: usize, n: f64) {
    let (b, size) = v.elem.encode(n, true);
    buffer_write(vm, v.buffer, v.offset + i * v.elem.size(), &b[..size]);
}

/// All elements of a view as numbers.
pub fn read_all(vm: &Vm, v: &View) -> Vec<f64> {
    (0..v.length).map(|i| read(vm, v, i)).collect()
}

/// The bytes a view covers (a copy).
pub fn view_bytes(vm: &Vm, v: &View) -> Vec<u8> {
    buffer_range(vm, v.buffer, v.offset, v.offset + v.length * v.elem.size())
}

/// Element `i` of typed array `o` (the integer-indexed [[Get]]): `None` when `o` is not a
/// typed array, `Some(undefined)` out of range.
pub fn element_get(vm: &Vm, o: ObjId, i: usize) -> Option<Value> {
    let v = typed_view(vm, o)?;
    Some(if i < v.length {
        Value::Num(read(vm, &v, i))
    } else {
        Value::Undefined
    })
}

/// Stores number `n` at element `i` of typed array `o`; out-of-range writes are ignored.
pub fn element_set(vm: &mut Vm, o: ObjId, i: usize, n: f64) {
    if let Some(v) = typed_view(vm, o) {
        if i < v.length {
            write(vm, &v, i, n);
        }
    }
}

/// CanonicalNumericIndexString: the number a string key stands for when it is the canonical
/// form of one ("1.5", "-0", "NaN"), which a typed array treats as an element key.
pub fn canonical_numeric(s: &str) -> Option<f64> {
    if s == "-0" {
        return Some(-0.0);
    }
    let first = s.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'-' || first == b'I' || first == b'N') {
        return None;
    }
    let n = crate::value::string_to_number(s);
    if n.is_nan() {
        return (s == "NaN").then_some(n);
    }
    (number_to_string(n) == s).then_some(n)
}

/// A fresh ArrayBuffer (or SharedArrayBuffer) holding `bytes`.
pub fn alloc_buffer(vm: &mut Vm, bytes: Vec<u8>, shared: bool) -> ObjId {
    let p = if shared {
        vm.realm.typed.shared_array_buffer_proto
    } else {
        vm.realm.typed.array_buffer_proto
    };
    let bytes = Rc::new(RefCell::new(bytes));
    let kind = ObjKind::ArrayBuffer {
        bytes,
        shared,
        detached: false,
    };
    vm.alloc(Some(p), kind)
}

/// A view object with prototype `proto` on `buffer`.
pub fn alloc_view(vm: &mut Vm, proto: ObjId, v: View) -> ObjId {
    vm.alloc(
        Some(proto),
        ObjKind::TypedArray {
            buffer: v.buffer,
            elem: v.elem,
            offset: v.offset,
            length: v.length,
        },
    )
}

/// A new typed array of kind `elem` (prototype `proto`) over a fresh buffer of `bytes`.
pub fn new_typed_from_bytes(vm: &mut Vm, elem: ElemKind, proto: ObjId, bytes: Vec<u8>) -> ObjId {
    let length = bytes.len() / elem.size();
    let buffer = alloc_buffer(vm, bytes, false);
    alloc_view(
        vm,
        proto,
        View {
            buffer,
            elem,
            offset: 0,
            length,
        },
    )
}

/// A new typed array of kind `elem` (prototype `proto`) holding `values` converted.
pub fn new_typed_from_values(vm: &mut Vm, elem: ElemKind, proto: ObjId, values: &[f64]) -> ObjId {
    let mut bytes = Vec::with_capacity(values.len() * elem.size());
    for n in values {
        let (b, size) = elem.encode(*n, true);
        bytes.extend_from_slice(&b[..size]);
    }
    new_typed_from_bytes(vm, elem, proto, bytes)
}

/// ToIndex with `msg` as the RangeError's text.
pub fn to_index(vm: &mut Vm, v: &Value, msg: impl Fn(f64) -> String) -> Result<usize, Value> {
    if let Value::Undefined = v {
        return Ok(0);
    }
    let n = vm.to_number(v)?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    if !(0.0..=9007199254740991.0).contains(&n) {
        return Err(vm.range_error(&msg(n)));
    }
    Ok(n as usize)
}

pub(super) fn check_byte_length(vm: &mut Vm, n: usize) -> Result<(), Value> {
    if n > MAX_BYTE_LENGTH {
        return Err(vm.range_error("Array buffer allocation failed"));
    }
    Ok(())
}

/// V8's largest typed array length (elements).
const MAX_TYPED_LENGTH: u64 = 1 << 32;

/// A new typed array's length check: V8's "Invalid typed array length" above its maximum,
/// then this engine's allocation limit.
pub(super) fn check_typed_length(vm: &mut Vm, len: usize, size: usize) -> Result<(), Value> {
    if len as u64 > MAX_TYPED_LENGTH {
        return Err(vm.range_error(&format!("Invalid typed array length: {len}")));
    }
    check_byte_length(vm, len.saturating_mul(size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_numeric_keys() {
        assert_eq!(canonical_numeric("1.5"), Some(1.5));
        assert!(canonical_numeric("-0").is_some_and(|n| n.is_sign_negative()));
        assert!(canonical_numeric("NaN").is_some_and(f64::is_nan));
        assert_eq!(canonical_numeric("Infinity"), Some(f64::INFINITY));
        assert_eq!(canonical_numeric("01"), None);
        assert_eq!(canonical_numeric("1e3"), None);
        assert_eq!(canonical_numeric("foo"), None);
    }
}
