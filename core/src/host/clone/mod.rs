//! The structured clone: the HTML algorithm as V8's serializer applies it in Node 20, for the
//! values this engine has, split in two halves so that a value can leave one heap and arrive
//! in another. [`serialize`] walks a value in the sender's heap into a [`Serialized`] message
//! (plain Rust data that names no object of any heap); [`deserialize`] builds that message in
//! a receiver's heap, which may be the same one (the global `structuredClone(value, {
//! transfer })` is exactly `deserialize(serialize(…))`) or another agent's (`postMessage`).
//!
//! What is cloned: primitives, plain objects and class instances (as plain objects:
//! prototypes are dropped), arrays (holes and extra properties kept), `Date`, `RegExp`
//! (without `lastIndex`), `Map`, `Set`, boxed primitives and errors (the prototype follows the
//! `name` for the standard error types, else `Error`; `stack`, `message` and `cause` are
//! kept). Cycles and shared references are preserved. Properties are read through getters, in
//! property order, at the moment of serialising. Functions, symbols, promises, generators and
//! `arguments` throw a `DOMException [DataCloneError]` with V8's message. ArrayBuffers are
//! copied, a SharedArrayBuffer's clone shares its memory (across heaps too); typed arrays and
//! DataViews are cloned with their buffer (views of one buffer stay views of one clone), a
//! Buffer arrives as a plain Uint8Array.
//!
//! Transfer lists, as Node reads them (Node's `MessagePort.postMessage` checks): each entry
//! must be an ArrayBuffer or a MessagePort, listed once. A transferred ArrayBuffer's bytes are
//! moved, not copied: once the whole value serialised without error, the sender's buffer is
//! detached (`byteLength` 0, its views empty; see `builtins/typed_array/storage.rs`). A port
//! found in the value must be in the transfer list; which objects are ports, and what a port
//! becomes on the receiving side, the caller says (the agents' code owns ports).
//!
//! Layout: this file (the message type, the global `structuredClone`, reading a transfer list,
//! the error values), [`serialize`](mod@serialize) (the sender's walk) and
//! [`deserialize`](mod@deserialize) (the receiver's construction).

mod deserialize;
mod serialize;

pub use deserialize::{deserialize, deserialize_with_ports};
pub use serialize::serialize;

use super::errors::set_code;
use crate::builtins::arg;
use crate::builtins::typed_array::{ByteStore, ElemKind};
use crate::heap::PropKey;
use crate::value::{JsStr, Value};
use crate::vm::{JsResult, Vm};

/// A value serialised out of one heap: owned Rust data (no `ObjId`, no `Value` of any heap),
/// except SharedArrayBuffer byte stores, which are shared (`ByteStore` is an `Rc`), and
/// strings, which are immutable `JsStr`s belonging to no heap.
#[derive(Debug)]
pub struct Serialized {
    /// The value itself: a primitive, or the index of its object in `objects`.
    root: Item,
    /// Every object of the value once, in the order the walk first met them; references
    /// between them are indices into this table, so sharing and cycles survive.
    objects: Vec<Entry>,
    /// The MessagePorts of the transfer list, in its order.
    ports: Vec<u64>,
    /// What V8's serializer would roughly write (see [`Serialized::byte_size`]).
    size: usize,
    /// Node's `v8` serializer (IPC with `serialization: 'advanced'`): a `Buffer` stays a
    /// `Buffer` (the structured clone of `postMessage` makes it a plain `Uint8Array`).
    pub keep_buffers: bool,
}

impl Serialized {
    /// Bytes this message occupies, counted like V8's serializer roughly would: a few bytes of
    /// header, one tag byte per value, numbers 8, strings by length (2 bytes per code unit
    /// unless ASCII), a small per-object overhead, and copied ArrayBuffers by byte length. A
    /// transferred ArrayBuffer or a SharedArrayBuffer costs only its overhead: its bytes are
    /// moved or shared, not written. The machine charges a clone's cost per byte of this.
    pub fn byte_size(&self) -> usize {
        self.size
    }

    /// The ids of the MessagePorts transferred with this message, in transfer-list order
    /// (what the receiver's `event.ports` lists).
    pub fn transferred_ports(&self) -> &[u64] {
        &self.ports
    }
}

/// A value in a message: a primitive inline, or an object by its index in the object table.
#[derive(Clone, Debug)]
enum Item {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(JsStr),
    Object(usize),
}

/// The standard error types whose prototype a cloned error keeps (by its `name`).
#[derive(Clone, Copy, Debug)]
enum ErrorType {
    Error,
    EvalError,
    RangeError,
    ReferenceError,
    SyntaxError,
    TypeError,
    UriError,
}

/// One object of a message.
#[derive(Debug)]
enum Entry {
    /// A plain object (or an object V8 writes as one): own enumerable string-keyed
    /// properties in order.
    Object(Vec<(JsStr, Item)>),
    /// An array: which of its `present.len()` slots are not holes, then its own enumerable
    /// properties in order (elements first, then the others).
    Array {
        present: Vec<bool>,
        props: Vec<(JsStr, Item)>,
    },
    Date(f64),
    /// The pattern (with `/` unescaped) and the flags.
    RegExp {
        pattern: String,
        flags: String,
    },
    BoxedString(JsStr),
    BoxedNumber(f64),
    BoxedBool(bool),
    Map(Vec<(Item, Item)>),
    Set(Vec<Item>),
    Error {
        prototype: ErrorType,
        stack: Option<JsStr>,
        message: Option<JsStr>,
        cause: Option<Item>,
    },
    /// An ArrayBuffer's bytes (a copy, or the bytes a transfer moved).
    ArrayBuffer(Vec<u8>),
    /// A SharedArrayBuffer: the same memory on both sides.
    SharedArrayBuffer(ByteStore),
    /// A typed array on the buffer at index `buffer` (offset in bytes, length in elements).
    TypedArray {
        buffer: usize,
        elem: ElemKind,
        offset: usize,
        length: usize,
        /// It was a Node `Buffer`.
        node_buffer: bool,
    },
    /// A DataView on the buffer at index `buffer` (offset and length in bytes).
    DataView {
        buffer: usize,
        offset: usize,
        length: usize,
    },
    /// A transferred MessagePort, by the id its owner gave it.
    Port(u64),
}

/// The global `structuredClone(value, options)`: a serialisation and a deserialisation in the
/// same heap, with `options.transfer` read as Node reads a transfer list.
pub fn structured_clone(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if args.is_empty() {
        let e = vm.type_error("The value argument must be specified");
        set_code(vm, &e, "ERR_MISSING_ARGS");
        return Err(e);
    }
    let transfer = match arg(args, 1) {
        Value::Undefined | Value::Null => vec![],
        options @ Value::Obj(_) => {
            let list = vm.get_by_name(&options, "transfer")?;
            transfer_list(vm, &list)?
        }
        _ => {
            return Err(invalid_arg_type(
                vm,
                "The options argument must be either an object or undefined",
            ))
        }
    };
    let message = serialize(vm, &args[0], &transfer, &|_, _| None)?;
    Ok(deserialize(vm, &message, &mut |_, _| Value::Undefined))
}

/// Reads a transfer-list argument as Node's `postMessage(value, transferList)` does (and so
/// `structuredClone`'s `options.transfer`): `undefined` or `null` is none; an iterable is
/// the list; another object is read as options, whose `transfer` must then be an iterable
/// (or absent). Anything else is Node's TypeError.
pub fn transfer_list(vm: &mut Vm, list: &Value) -> Result<Vec<Value>, Value> {
    match list {
        Value::Undefined | Value::Null => Ok(vec![]),
        Value::Obj(_) => {
            if let Some(items) = read_iterable(vm, list)? {
                return Ok(items);
            }
            match vm.get_by_name(list, "transfer")? {
                Value::Undefined => Ok(vec![]),
                inner => match read_iterable(vm, &inner)? {
                    Some(items) => Ok(items),
                    None => Err(invalid_arg_type(
                        vm,
                        "Optional options.transfer argument must be an iterable",
                    )),
                },
            }
        }
        _ => Err(invalid_arg_type(
            vm,
            "Optional transferList argument must be an iterable",
        )),
    }
}

/// The elements of an array, or what an iterable object yields; `None` for anything else.
fn read_iterable(vm: &mut Vm, v: &Value) -> Result<Option<Vec<Value>>, Value> {
    if !matches!(v, Value::Obj(_)) {
        return Ok(None);
    }
    if vm.is_array(v) {
        let len = vm.array_items(v).len();
        let mut items = Vec::with_capacity(len);
        for i in 0..len {
            items.push(vm.get_elem(v, &Value::Num(i as f64))?);
        }
        return Ok(Some(items));
    }
    let method = vm.get(v, PropKey::Sym(vm.syms.iterator))?;
    if !vm.is_callable(&method) {
        return Ok(None);
    }
    vm.iterate_to_vec(v).map(Some)
}

fn invalid_arg_type(vm: &mut Vm, message: &str) -> Value {
    let e = vm.type_error(message);
    set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
    e
}

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

/// A `DOMException [DataCloneError]` with `message`.
fn data_clone_error(vm: &mut Vm, message: &str) -> Value {
    dom_exception(vm, message, "DataCloneError")
}
