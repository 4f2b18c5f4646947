//! `ArrayBuffer`, `SharedArrayBuffer` and the typed arrays (`Int8Array` … `Float64Array`).
//!
//! Representation: an `ArrayBuffer` object owns its bytes (`ObjKind::ArrayBuffer`); a typed
//! array (`ObjKind::TypedArray`) and a `DataView` (see [`super::data_view`]) hold the heap id
//! of their buffer plus a byte offset and a length, so any number of views share one byte
//! store and the collector keeps a buffer alive through its views. The integer-indexed
//! exotic behaviour (element reads and writes of canonical numeric keys) lives on the VM's
//! slow property paths (`vm/ops.rs`) plus one arm in the element fast paths; Node's `Buffer`
//! is a `Uint8Array` view whose prototype is `Buffer.prototype` (`host/buffer.rs`).

use super::{arg, getter, link_ctor};
use crate::heap::*;
use crate::value::{number_to_string, to_int32, ObjId, Value};
use crate::vm::{JsResult, Vm};
use std::cell::RefCell;
use std::rc::Rc;

/// The element type of a typed array.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ElemKind {
    Int8,
    Uint8,
    Uint8Clamped,
    Int16,
    Uint16,
    Int32,
    Uint32,
    Float32,
    Float64,
}

/// Every element kind, in the order of [`TypedRealm::protos`].
pub const ALL_KINDS: [ElemKind; 9] = [
    ElemKind::Int8,
    ElemKind::Uint8,
    ElemKind::Uint8Clamped,
    ElemKind::Int16,
    ElemKind::Uint16,
    ElemKind::Int32,
    ElemKind::Uint32,
    ElemKind::Float32,
    ElemKind::Float64,
];

/// The largest buffer a program may allocate (bytes); larger ones fail like V8's.
pub const MAX_BYTE_LENGTH: usize = 1 << 28;

impl ElemKind {
    pub fn index(self) -> usize {
        ALL_KINDS.iter().position(|k| *k == self).unwrap_or(0)
    }
    pub fn size(self) -> usize {
        match self {
            ElemKind::Int8 | ElemKind::Uint8 | ElemKind::Uint8Clamped => 1,
            ElemKind::Int16 | ElemKind::Uint16 => 2,
            ElemKind::Int32 | ElemKind::Uint32 | ElemKind::Float32 => 4,
            ElemKind::Float64 => 8,
        }
    }
    /// The constructor's name (`Uint8Array`).
    pub fn name(self) -> &'static str {
        match self {
            ElemKind::Int8 => "Int8Array",
            ElemKind::Uint8 => "Uint8Array",
            ElemKind::Uint8Clamped => "Uint8ClampedArray",
            ElemKind::Int16 => "Int16Array",
            ElemKind::Uint16 => "Uint16Array",
            ElemKind::Int32 => "Int32Array",
            ElemKind::Uint32 => "Uint32Array",
            ElemKind::Float32 => "Float32Array",
            ElemKind::Float64 => "Float64Array",
        }
    }
    /// Integer kinds that `Atomics` accepts (not the clamped one, not the floats).
    pub fn is_atomic(self) -> bool {
        !matches!(
            self,
            ElemKind::Uint8Clamped | ElemKind::Float32 | ElemKind::Float64
        )
    }
    /// The element stored for the number `n` (the spec's ToInt8, ToUint8Clamp, …), encoded.
    pub fn encode(self, n: f64, little: bool) -> ([u8; 8], usize) {
        let mut out = [0u8; 8];
        let size = self.size();
        macro_rules! put {
            ($v:expr) => {{
                let b = if little {
                    $v.to_le_bytes()
                } else {
                    $v.to_be_bytes()
                };
                out[..size].copy_from_slice(&b);
            }};
        }
        match self {
            ElemKind::Int8 => put!(to_int32(n) as i8),
            ElemKind::Uint8 => put!(to_int32(n) as u8),
            ElemKind::Uint8Clamped => put!(clamp_u8(n)),
            ElemKind::Int16 => put!(to_int32(n) as i16),
            ElemKind::Uint16 => put!(to_int32(n) as u16),
            ElemKind::Int32 => put!(to_int32(n)),
            ElemKind::Uint32 => put!(to_int32(n) as u32),
            ElemKind::Float32 => put!(n as f32),
            ElemKind::Float64 => put!(n),
        }
        (out, size)
    }
    /// The number held by the element bytes `b` (at least `size()` of them).
    pub fn decode(self, b: &[u8], little: bool) -> f64 {
        macro_rules! get {
            ($t:ty, $n:expr) => {{
                let mut a = [0u8; $n];
                a.copy_from_slice(&b[..$n]);
                (if little {
                    <$t>::from_le_bytes(a)
                } else {
                    <$t>::from_be_bytes(a)
                }) as f64
            }};
        }
        match self {
            ElemKind::Int8 => b[0] as i8 as f64,
            ElemKind::Uint8 | ElemKind::Uint8Clamped => b[0] as f64,
            ElemKind::Int16 => get!(i16, 2),
            ElemKind::Uint16 => get!(u16, 2),
            ElemKind::Int32 => get!(i32, 4),
            ElemKind::Uint32 => get!(u32, 4),
            ElemKind::Float32 => get!(f32, 4),
            ElemKind::Float64 => get!(f64, 8),
        }
    }
    /// The value an element holds after storing `n` (what a read gives back).
    pub fn coerce(self, n: f64) -> f64 {
        let (b, _) = self.encode(n, true);
        self.decode(&b, true)
    }
}

/// ToUint8Clamp: NaN to 0, clamped to 0..255, ties to even.
fn clamp_u8(n: f64) -> u8 {
    if n.is_nan() || n <= 0.0 {
        return 0;
    }
    if n >= 255.0 {
        return 255;
    }
    let f = n.floor();
    let round_up = f + 0.5 < n || (f + 0.5 == n && f % 2.0 != 0.0);
    let r = if round_up { f + 1.0 } else { f };
    r as u8
}

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
    vm.alloc(Some(p), ObjKind::ArrayBuffer { bytes, shared })
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

fn check_byte_length(vm: &mut Vm, n: usize) -> Result<(), Value> {
    if n > MAX_BYTE_LENGTH {
        return Err(vm.range_error("Array buffer allocation failed"));
    }
    Ok(())
}

/// V8's largest typed array length (elements).
const MAX_TYPED_LENGTH: u64 = 1 << 32;

/// A new typed array's length check: V8's "Invalid typed array length" above its maximum,
/// then this engine's allocation limit.
fn check_typed_length(vm: &mut Vm, len: usize, size: usize) -> Result<(), Value> {
    if len as u64 > MAX_TYPED_LENGTH {
        return Err(vm.range_error(&format!("Invalid typed array length: {len}")));
    }
    check_byte_length(vm, len.saturating_mul(size))
}

/// `this` as a typed array, or V8's TypeError.
fn this_view(vm: &mut Vm, this: &Value) -> Result<(ObjId, View), Value> {
    if let Value::Obj(o) = this {
        if let Some(v) = typed_view(vm, *o) {
            return Ok((*o, v));
        }
    }
    vm.throw_type("this is not a typed array.")
}

/// The prototype a method's result gets: the same as `this`'s (TypedArraySpeciesCreate for
/// the built-in constructors and Buffer).
fn species_proto(vm: &Vm, o: ObjId, v: &View) -> ObjId {
    vm.heap
        .obj(o)
        .proto
        .unwrap_or(vm.realm.typed.protos[v.elem.index()])
}

/// A relative index argument (negative counts from the end) clamped to `0..=len`.
fn rel_index(vm: &mut Vm, a: &Value, len: usize, default: usize) -> Result<usize, Value> {
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

fn callback(vm: &mut Vm, f: &Value) -> Result<(), Value> {
    if vm.is_callable(f) {
        return Ok(());
    }
    let d = vm.to_display_short(f);
    vm.throw_type(&format!("{d} is not a function"))
}

// ---------- ArrayBuffer / SharedArrayBuffer

fn array_buffer_ctor(vm: &mut Vm, _this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let shared = matches!(d.first(), Some(Value::Bool(true)));
    let name = if shared {
        "SharedArrayBuffer"
    } else {
        "ArrayBuffer"
    };
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type(&format!("Constructor {name} requires 'new'"));
    };
    let len = to_index(vm, &arg(args, 0), |_| "Invalid array buffer length".into())?;
    check_byte_length(vm, len)?;
    let fallback = if shared {
        vm.realm.typed.shared_array_buffer_proto
    } else {
        vm.realm.typed.array_buffer_proto
    };
    let bytes = Rc::new(RefCell::new(vec![0; len]));
    Ok(Value::Obj(vm.ordinary_create_from(
        &nt,
        fallback,
        ObjKind::ArrayBuffer { bytes, shared },
    )))
}

/// `this` as a buffer of the wanted kind (shared or not), or V8's TypeError.
fn this_buffer(vm: &mut Vm, this: &Value, d: &[Value], method: &str) -> Result<ObjId, Value> {
    let want_shared = matches!(d.first(), Some(Value::Bool(true)));
    if let Value::Obj(o) = this {
        if let ObjKind::ArrayBuffer { shared, .. } = &vm.heap.obj(*o).kind {
            if *shared == want_shared {
                return Ok(*o);
            }
        }
    }
    let name = if want_shared {
        "SharedArrayBuffer"
    } else {
        "ArrayBuffer"
    };
    let shown = vm.to_display_short(this);
    vm.throw_type(&format!(
        "Method {name}.prototype.{method} called on incompatible receiver {shown}"
    ))
}

fn array_buffer_byte_length(vm: &mut Vm, this: Value, _a: &[Value], d: &[Value]) -> JsResult {
    let b = this_buffer(vm, &this, d, "byteLength")?;
    Ok(Value::Num(buffer_len(vm, b) as f64))
}

fn array_buffer_slice(vm: &mut Vm, this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let b = this_buffer(vm, &this, d, "slice")?;
    let len = buffer_len(vm, b);
    let start = rel_index(vm, &arg(args, 0), len, 0)?;
    let end = rel_index(vm, &arg(args, 1), len, len)?;
    let bytes = buffer_range(vm, b, start, end);
    let shared = matches!(d.first(), Some(Value::Bool(true)));
    let proto = vm.heap.obj(b).proto;
    let c = alloc_buffer(vm, bytes, shared);
    vm.heap.obj_mut(c).proto = proto;
    Ok(Value::Obj(c))
}

fn array_buffer_is_view(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(matches!(arg(args, 0), Value::Obj(o)
        if matches!(vm.heap.obj(o).kind, ObjKind::TypedArray { .. } | ObjKind::DataView { .. }))))
}

// ---------- typed array constructors

fn kind_of(d: &[Value]) -> ElemKind {
    match d.first() {
        Some(Value::Num(n)) => ALL_KINDS[*n as usize % ALL_KINDS.len()],
        _ => ElemKind::Uint8,
    }
}

/// The numbers of an iterable or array-like source (typed arrays read directly).
fn source_numbers(vm: &mut Vm, src: &Value) -> Result<Vec<f64>, Value> {
    if let Value::Obj(o) = src {
        if let Some(v) = typed_view(vm, *o) {
            return Ok(read_all(vm, &v));
        }
    }
    let iter_key = PropKey::Sym(vm.syms.iterator);
    let iter = vm.get(src, iter_key)?;
    let items = if iter.is_nullish() {
        let len_key = PropKey::Str(vm.names.length);
        let len = vm.get(src, len_key)?;
        // ToLength: negative and NaN are 0
        let len = vm.to_number(&len)?;
        let len = if len.is_nan() || len < 0.0 {
            0
        } else {
            len.min(9007199254740991.0) as usize
        };
        check_typed_length(vm, len, 1)?;
        let mut items = Vec::with_capacity(len);
        for i in 0..len {
            items.push(vm.get_elem(src, &Value::Num(i as f64))?);
        }
        items
    } else {
        vm.iterate_to_vec(src)?
    };
    let mut out = Vec::with_capacity(items.len());
    for x in items {
        out.push(vm.to_number(&x)?);
    }
    Ok(out)
}

fn typed_ctor(vm: &mut Vm, _this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let elem = kind_of(d);
    let name = elem.name();
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type(&format!("Constructor {name} requires 'new'"));
    };
    let fallback = vm.realm.typed.protos[elem.index()];
    let size = elem.size();
    let first = arg(args, 0);
    let view = match &first {
        Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::ArrayBuffer { .. }) => {
            let buffer = *o;
            let buf_len = buffer_len(vm, buffer);
            let offset = to_index(vm, &arg(args, 1), |n| {
                format!(
                    "Start offset {} is outside the bounds of the buffer",
                    number_to_string(n)
                )
            })?;
            if !offset.is_multiple_of(size) {
                return Err(vm.range_error(&format!(
                    "start offset of {name} should be a multiple of {size}"
                )));
            }
            let length = match arg(args, 2) {
                Value::Undefined => {
                    if !buf_len.is_multiple_of(size) {
                        return Err(vm.range_error(&format!(
                            "byte length of {name} should be a multiple of {size}"
                        )));
                    }
                    if offset > buf_len {
                        return Err(vm.range_error(&format!(
                            "Start offset {offset} is outside the bounds of the buffer"
                        )));
                    }
                    (buf_len - offset) / size
                }
                l => {
                    let n = to_index(vm, &l, |n| {
                        format!("Invalid typed array length: {}", number_to_string(n))
                    })?;
                    if offset.saturating_add(n.saturating_mul(size)) > buf_len {
                        return Err(vm.range_error(&format!("Invalid typed array length: {n}")));
                    }
                    n
                }
            };
            View {
                buffer,
                elem,
                offset,
                length,
            }
        }
        Value::Obj(_) => {
            let values = source_numbers(vm, &first)?;
            check_typed_length(vm, values.len(), size)?;
            let o = new_typed_from_values(vm, elem, fallback, &values);
            return finish_ctor(vm, &nt, fallback, o);
        }
        other => {
            let len = to_index(vm, other, |n| {
                format!("Invalid typed array length: {}", number_to_string(n))
            })?;
            check_typed_length(vm, len, size)?;
            let buffer = alloc_buffer(vm, vec![0; len * size], false);
            View {
                buffer,
                elem,
                offset: 0,
                length: len,
            }
        }
    };
    let o = alloc_view(vm, fallback, view);
    finish_ctor(vm, &nt, fallback, o)
}

/// Gives a freshly made typed array the prototype `new.target` asks for (subclasses).
fn finish_ctor(vm: &mut Vm, nt: &Value, fallback: ObjId, o: ObjId) -> JsResult {
    if let Value::Obj(n) = nt {
        let is_builtin = vm.realm.typed.protos.iter().any(|p| {
            matches!(vm.heap.obj(*p).get_own(PropKey::Str(vm.names.constructor)),
                Some(Prop { slot: Slot::Data(Value::Obj(c)), .. }) if c == n)
        });
        if !is_builtin {
            let p = match vm.get(nt, PropKey::Str(vm.names.prototype))? {
                Value::Obj(p) => p,
                _ => fallback,
            };
            vm.heap.obj_mut(o).proto = Some(p);
        }
    }
    Ok(Value::Obj(o))
}

/// The kind a static method (`Uint8Array.from`) makes: the kind of `this` constructor.
fn static_target(vm: &mut Vm, this: &Value) -> Result<(ElemKind, ObjId), Value> {
    if let Value::Obj(_) = this {
        if let Ok(Value::Obj(p)) = vm.get(this, PropKey::Str(vm.names.prototype)) {
            let mut cur = Some(p);
            while let Some(c) = cur {
                if let Some(i) = vm.realm.typed.protos.iter().position(|x| *x == c) {
                    return Ok((ALL_KINDS[i], p));
                }
                cur = vm.heap.obj(c).proto;
            }
        }
    }
    let shown = vm.to_display_short(this);
    vm.throw_type(&format!("{shown} is not a constructor"))
}

fn typed_from(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (elem, proto) = static_target(vm, &this)?;
    let map = arg(args, 1);
    let src = arg(args, 0);
    if src.is_nullish() {
        let shown = vm.to_display(&src);
        return vm.throw_type(&format!("Cannot convert {shown} to object"));
    }
    let values = if matches!(map, Value::Undefined) {
        source_numbers(vm, &src)?
    } else {
        callback(vm, &map)?;
        let items = match &src {
            Value::Obj(o) if typed_view(vm, *o).is_some() => {
                let v = typed_view(vm, *o).expect("checked");
                read_all(vm, &v).into_iter().map(Value::Num).collect()
            }
            _ => vm.iterate_to_vec(&src)?,
        };
        let this_arg = arg(args, 2);
        let mut out = Vec::with_capacity(items.len());
        for (i, x) in items.into_iter().enumerate() {
            let r = vm.call(&map, this_arg.clone(), &[x, Value::Num(i as f64)])?;
            out.push(vm.to_number(&r)?);
        }
        out
    };
    Ok(Value::Obj(new_typed_from_values(vm, elem, proto, &values)))
}

fn typed_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (elem, proto) = static_target(vm, &this)?;
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        values.push(vm.to_number(a)?);
    }
    Ok(Value::Obj(new_typed_from_values(vm, elem, proto, &values)))
}

fn abstract_ctor(vm: &mut Vm, _this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    vm.throw_type("Abstract class TypedArray not directly constructable")
}

// ---------- %TypedArray%.prototype accessors

fn ta_buffer(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    Ok(Value::Obj(v.buffer))
}
fn ta_byte_length(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    Ok(Value::Num((v.length * v.elem.size()) as f64))
}
fn ta_byte_offset(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    Ok(Value::Num(v.offset as f64))
}
fn ta_length(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    Ok(Value::Num(v.length as f64))
}
fn ta_to_string_tag(vm: &mut Vm, this: Value, _a: &[Value], _d: &[Value]) -> JsResult {
    Ok(match &this {
        Value::Obj(o) => match typed_view(vm, *o) {
            Some(v) => Value::str(v.elem.name()),
            None => Value::Undefined,
        },
        _ => Value::Undefined,
    })
}

// ---------- %TypedArray%.prototype methods

fn ta_at(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    let n = vm.to_number(&arg(args, 0))?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    let i = if n < 0.0 { v.length as f64 + n } else { n };
    if i < 0.0 || i >= v.length as f64 {
        return Ok(Value::Undefined);
    }
    Ok(Value::Num(read(vm, &v, i as usize)))
}

fn ta_fill(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    let n = vm.to_number(&arg(args, 0))?;
    let start = rel_index(vm, &arg(args, 1), v.length, 0)?;
    let end = rel_index(vm, &arg(args, 2), v.length, v.length)?;
    for i in start..end {
        write(vm, &v, i, n);
    }
    Ok(this)
}

/// `f(value, index, array)` for each element until `stop` says so; returns the index.
fn scan(
    vm: &mut Vm,
    this: &Value,
    args: &[Value],
    reverse: bool,
    stop: impl Fn(bool) -> bool,
) -> Result<Option<(usize, f64)>, Value> {
    let (_, v) = this_view(vm, this)?;
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

fn ta_for_each(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    scan(vm, &this, args, false, |_| false)?;
    Ok(Value::Undefined)
}
fn ta_every(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(scan(vm, &this, args, false, |t| !t)?.is_none()))
}
fn ta_some(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(scan(vm, &this, args, false, |t| t)?.is_some()))
}
fn ta_find(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(match scan(vm, &this, args, false, |t| t)? {
        Some((_, x)) => Value::Num(x),
        None => Value::Undefined,
    })
}
fn ta_find_index(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(match scan(vm, &this, args, false, |t| t)? {
        Some((i, _)) => i as f64,
        None => -1.0,
    }))
}
fn ta_find_last(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(match scan(vm, &this, args, true, |t| t)? {
        Some((_, x)) => Value::Num(x),
        None => Value::Undefined,
    })
}
fn ta_find_last_index(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(match scan(vm, &this, args, true, |t| t)? {
        Some((i, _)) => i as f64,
        None => -1.0,
    }))
}

fn ta_map(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, v) = this_view(vm, &this)?;
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

fn ta_filter(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, v) = this_view(vm, &this)?;
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
    let (_, v) = this_view(vm, &this)?;
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
fn ta_reduce(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    reduce_impl(vm, this, args, false)
}
fn ta_reduce_right(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    reduce_impl(vm, this, args, true)
}

/// indexOf / lastIndexOf / includes: `mode` 0, 1, 2.
fn search(vm: &mut Vm, this: Value, args: &[Value], mode: u8) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    let len = v.length;
    let not_found = if mode == 2 {
        Value::Bool(false)
    } else {
        Value::Num(-1.0)
    };
    if len == 0 {
        return Ok(not_found);
    }
    let target = arg(args, 0);
    let range: Vec<usize> = if mode == 1 {
        let from = match args.get(1) {
            None => len as f64 - 1.0,
            Some(a) => {
                let n = vm.to_number(a)?;
                let n = if n.is_nan() { 0.0 } else { n.trunc() };
                if n < 0.0 {
                    len as f64 + n
                } else {
                    n.min(len as f64 - 1.0)
                }
            }
        };
        if from < 0.0 {
            return Ok(not_found);
        }
        (0..=from as usize).rev().collect()
    } else {
        let from = rel_index(vm, &arg(args, 1), len, 0)?;
        (from..len).collect()
    };
    let Value::Num(t) = target else {
        return Ok(not_found);
    };
    for i in range {
        let x = read(vm, &v, i);
        if x == t || (mode == 2 && x.is_nan() && t.is_nan()) {
            return Ok(if mode == 2 {
                Value::Bool(true)
            } else {
                Value::Num(i as f64)
            });
        }
    }
    Ok(not_found)
}
fn ta_index_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    search(vm, this, args, 0)
}
fn ta_last_index_of(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    search(vm, this, args, 1)
}
fn ta_includes(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    search(vm, this, args, 2)
}

fn ta_join(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    let sep = match arg(args, 0) {
        Value::Undefined => ",".to_string(),
        s => vm.to_string(&s)?,
    };
    let parts: Vec<String> = read_all(vm, &v).into_iter().map(number_to_string).collect();
    Ok(Value::str(&parts.join(&sep)))
}
fn ta_to_string(vm: &mut Vm, this: Value, _args: &[Value], d: &[Value]) -> JsResult {
    ta_join(vm, this, &[], d)
}

fn ta_reverse(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    let vals = read_all(vm, &v);
    for (i, x) in vals.into_iter().rev().enumerate() {
        write(vm, &v, i, x);
    }
    Ok(this)
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

fn ta_sort(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cmp = sort_comparator(vm, args)?;
    let (_, v) = this_view(vm, &this)?;
    let vals = read_all(vm, &v);
    let sorted = sort_values(vm, vals, &cmp)?;
    for (i, x) in sorted.into_iter().enumerate() {
        write(vm, &v, i, x);
    }
    Ok(this)
}

fn ta_to_sorted(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cmp = sort_comparator(vm, args)?;
    let (_, v) = this_view(vm, &this)?;
    let vals = read_all(vm, &v);
    let sorted = sort_values(vm, vals, &cmp)?;
    let p = vm.realm.typed.protos[v.elem.index()];
    Ok(Value::Obj(new_typed_from_values(vm, v.elem, p, &sorted)))
}

fn ta_to_reversed(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    let mut vals = read_all(vm, &v);
    vals.reverse();
    let p = vm.realm.typed.protos[v.elem.index()];
    Ok(Value::Obj(new_typed_from_values(vm, v.elem, p, &vals)))
}

fn ta_with(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    let n = vm.to_number(&arg(args, 0))?;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    let i = if n < 0.0 { v.length as f64 + n } else { n };
    let x = vm.to_number(&arg(args, 1))?;
    if i < 0.0 || i >= v.length as f64 {
        return Err(vm.range_error("Invalid typed array index"));
    }
    let mut vals = read_all(vm, &v);
    vals[i as usize] = x;
    let p = vm.realm.typed.protos[v.elem.index()];
    Ok(Value::Obj(new_typed_from_values(vm, v.elem, p, &vals)))
}

fn ta_slice(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, v) = this_view(vm, &this)?;
    let start = rel_index(vm, &arg(args, 0), v.length, 0)?;
    let end = rel_index(vm, &arg(args, 1), v.length, v.length)?;
    let size = v.elem.size();
    let bytes = view_bytes(vm, &v);
    let part = bytes
        .get(start * size..end.max(start) * size)
        .unwrap_or(&[])
        .to_vec();
    let proto = species_proto(vm, o, &v);
    Ok(Value::Obj(new_typed_from_bytes(vm, v.elem, proto, part)))
}

/// A view sharing `this`'s buffer over elements `begin..end` (with `this`'s prototype).
pub fn ta_subarray(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (o, v) = this_view(vm, &this)?;
    let begin = rel_index(vm, &arg(args, 0), v.length, 0)?;
    let end = rel_index(vm, &arg(args, 1), v.length, v.length)?;
    let proto = species_proto(vm, o, &v);
    let sub = View {
        offset: v.offset + begin * v.elem.size(),
        length: end.saturating_sub(begin),
        ..v
    };
    Ok(Value::Obj(alloc_view(vm, proto, sub)))
}

fn ta_set(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    let offset = vm.to_number(&arg(args, 1))?;
    let offset = if offset.is_nan() { 0.0 } else { offset.trunc() };
    if offset < 0.0 {
        return Err(vm.range_error("offset is out of bounds"));
    }
    let src = arg(args, 0);
    let values = match &src {
        Value::Obj(_) => source_numbers_array_like(vm, &src)?,
        Value::Undefined | Value::Null => {
            let shown = vm.to_display(&src);
            return vm.throw_type(&format!("Cannot convert {shown} to object"));
        }
        _ => vec![],
    };
    if offset + values.len() as f64 > v.length as f64 {
        return Err(vm.range_error("offset is out of bounds"));
    }
    for (i, x) in values.into_iter().enumerate() {
        write(vm, &v, offset as usize + i, x);
    }
    Ok(Value::Undefined)
}

/// The numbers of an array-like (typed arrays read directly; no iteration, as `set` does).
fn source_numbers_array_like(vm: &mut Vm, src: &Value) -> Result<Vec<f64>, Value> {
    if let Value::Obj(o) = src {
        if let Some(v) = typed_view(vm, *o) {
            return Ok(read_all(vm, &v));
        }
    }
    let len_key = PropKey::Str(vm.names.length);
    let len = vm.get(src, len_key)?;
    let len = vm.to_number(&len)?;
    let len = if len.is_nan() || len < 0.0 { 0.0 } else { len };
    let len = (len as usize).min(MAX_BYTE_LENGTH);
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let x = vm.get_elem(src, &Value::Num(i as f64))?;
        out.push(vm.to_number(&x)?);
    }
    Ok(out)
}

fn ta_copy_within(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (_, v) = this_view(vm, &this)?;
    let target = rel_index(vm, &arg(args, 0), v.length, 0)?;
    let start = rel_index(vm, &arg(args, 1), v.length, 0)?;
    let end = rel_index(vm, &arg(args, 2), v.length, v.length)?;
    let vals = read_all(vm, &v);
    let count = end.saturating_sub(start).min(v.length - target);
    for i in 0..count {
        write(vm, &v, target + i, vals[start + i]);
    }
    Ok(this)
}

fn ta_values(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    this_view(vm, &this)?;
    Ok(super::array::make_iter(vm, this, 0))
}
fn ta_keys(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    this_view(vm, &this)?;
    Ok(super::array::make_iter(vm, this, 1))
}
fn ta_entries(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    this_view(vm, &this)?;
    Ok(super::array::make_iter(vm, this, 2))
}

fn install_buffer_kind(vm: &mut Vm, shared: bool) {
    let op = vm.realm.object_proto;
    let proto = vm.alloc(Some(op), ObjKind::Ordinary);
    let (name, data) = if shared {
        vm.realm.typed.shared_array_buffer_proto = proto;
        ("SharedArrayBuffer", vec![Value::Bool(true)])
    } else {
        vm.realm.typed.array_buffer_proto = proto;
        ("ArrayBuffer", vec![Value::Bool(false)])
    };
    let ctor = vm.make_native(name, 1, array_buffer_ctor, data.clone());
    link_ctor(vm, ctor, proto);
    getter(
        vm,
        proto,
        "get byteLength",
        array_buffer_byte_length,
        data.clone(),
    );
    let slice = vm.make_native("slice", 2, array_buffer_slice, data);
    vm.put_hidden(proto, "slice", Value::Obj(slice));
    let tag = PropKey::Sym(vm.syms.to_string_tag);
    vm.heap
        .obj_mut(proto)
        .put(tag, Value::str(name), CONFIGURABLE);
    if !shared {
        vm.method(ctor, "isView", 1, array_buffer_is_view);
    }
    let g = vm.realm.global;
    vm.put_hidden(g, name, Value::Obj(ctor));
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
        ("toLocaleString", 0, ta_to_string),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_wrap_and_clamp_like_the_spec() {
        assert_eq!(ElemKind::Uint8.coerce(300.0), 44.0);
        assert_eq!(ElemKind::Int8.coerce(128.0), -128.0);
        assert_eq!(ElemKind::Int8.coerce(-129.0), 127.0);
        assert_eq!(ElemKind::Uint8Clamped.coerce(1.5), 2.0);
        assert_eq!(ElemKind::Uint8Clamped.coerce(2.5), 2.0);
        assert_eq!(ElemKind::Uint8Clamped.coerce(-3.0), 0.0);
        assert_eq!(ElemKind::Uint8Clamped.coerce(f64::NAN), 0.0);
        assert_eq!(ElemKind::Uint16.coerce(-1.0), 65535.0);
        assert_eq!(ElemKind::Uint32.coerce(-1.0), 4294967295.0);
        assert_eq!(ElemKind::Int32.coerce(2147483648.0), -2147483648.0);
        assert_eq!(ElemKind::Float32.coerce(1.1), 1.100000023841858);
        assert!(ElemKind::Float64.coerce(-0.0).is_sign_negative());
    }

    #[test]
    fn endianness_is_respected() {
        let (b, n) = ElemKind::Int16.encode(-2.0, false);
        assert_eq!(&b[..n], &[0xff, 0xfe]);
        assert_eq!(ElemKind::Uint16.decode(&b, true), 65279.0);
    }

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
