//! The sender's half of the structured clone: checks the transfer list, walks the value in
//! its heap depth-first (reading properties through getters, as V8's serializer does) into a
//! [`Serialized`] message, and, once the whole value is written, detaches the transferred
//! ArrayBuffers, moving their bytes into the message.

use super::{data_clone_error, Entry, ErrorType, Item, Serialized};
use crate::builtins::typed_array::{detach, is_detached};
use crate::heap::*;
use crate::value::{JsStr, ObjId, Value};
use crate::vm::Vm;
use std::collections::HashMap;

/// Deeper nesting than this throws a RangeError like V8's stack overflow.
const MAX_DEPTH: usize = 5000;

/// Bytes counted for an object besides its contents (a tag and a count or two).
const OBJECT_OVERHEAD: usize = 4;
/// Bytes counted for the message's header.
const HEADER: usize = 2;

/// Serialises `value`. `transfer` is the transfer list (already an array of values).
/// ArrayBuffers in it are moved: after this call the sender's buffer is detached (byteLength 0,
/// its views length 0). `port_id` says whether an object is a MessagePort and which one (the
/// caller owns ports); a port must be in the transfer list, as in Node. Errors are the
/// JavaScript exception to throw (DataCloneError as Node words it); on an error nothing is
/// detached.
pub fn serialize(
    vm: &mut Vm,
    value: &Value,
    transfer: &[Value],
    port_id: &dyn Fn(&Vm, ObjId) -> Option<u64>,
) -> Result<Serialized, Value> {
    let mut writer = Writer {
        port_id,
        memo: HashMap::new(),
        objects: vec![],
        transferred_buffers: vec![],
        transferred_ports: vec![],
        size: HEADER,
    };
    writer.read_transfer_list(vm, transfer)?;
    let root = writer.item(vm, value, 0)?;
    // the value is written: now the transferred buffers leave the sender
    for b in std::mem::take(&mut writer.transferred_buffers) {
        let bytes = detach(vm, b);
        if let Some(&i) = writer.memo.get(&b) {
            writer.objects[i] = Entry::ArrayBuffer(bytes);
        }
    }
    Ok(Serialized {
        root,
        objects: writer.objects,
        ports: writer.transferred_ports.into_iter().map(|p| p.1).collect(),
        size: writer.size,
        keep_buffers: false,
    })
}

/// The walk's state.
struct Writer<'a> {
    port_id: &'a dyn Fn(&Vm, ObjId) -> Option<u64>,
    /// Objects already written, by their index in `objects`.
    memo: HashMap<ObjId, usize>,
    objects: Vec<Entry>,
    /// The transfer list's ArrayBuffers, in its order.
    transferred_buffers: Vec<ObjId>,
    /// The transfer list's MessagePorts and their ids, in its order.
    transferred_ports: Vec<(ObjId, u64)>,
    size: usize,
}

impl Writer<'_> {
    /// Node's checks of the transfer list, in order: every entry an ArrayBuffer (not shared)
    /// or a MessagePort, none listed twice.
    fn read_transfer_list(&mut self, vm: &mut Vm, transfer: &[Value]) -> Result<(), Value> {
        for entry in transfer {
            let Value::Obj(o) = *entry else {
                return Err(invalid_transfer_object(vm));
            };
            if let ObjKind::ArrayBuffer { shared: false, .. } = vm.heap.obj(o).kind {
                if self.transferred_buffers.contains(&o) {
                    let msg = "Transfer list contains duplicate ArrayBuffer";
                    return Err(data_clone_error(vm, msg));
                }
                self.transferred_buffers.push(o);
            } else if let Some(id) = (self.port_id)(vm, o) {
                if self.transferred_ports.iter().any(|p| p.0 == o) {
                    let msg = "Transfer list contains duplicate MessagePort";
                    return Err(data_clone_error(vm, msg));
                }
                self.transferred_ports.push((o, id));
            } else {
                return Err(invalid_transfer_object(vm));
            }
        }
        Ok(())
    }

    fn item(&mut self, vm: &mut Vm, v: &Value, depth: usize) -> Result<Item, Value> {
        self.size += 1;
        Ok(match v {
            Value::Undefined | Value::Uninit => Item::Undefined,
            Value::Null => Item::Null,
            Value::Bool(b) => Item::Bool(*b),
            Value::Num(n) => {
                self.size += 8;
                Item::Num(*n)
            }
            Value::Str(s) => Item::Str(self.string(s.clone())),
            Value::Sym(_) => {
                let shown = vm.to_display(v);
                return Err(not_cloneable(vm, &shown));
            }
            Value::Obj(o) => Item::Object(self.object(vm, *o, depth)?),
        })
    }

    /// Counts a string's bytes (one per code unit when ASCII, else two, like V8's one-byte and
    /// two-byte strings) and hands it back.
    fn string(&mut self, s: JsStr) -> JsStr {
        let per_unit = if s.is_ascii() { 1 } else { 2 };
        self.size += 4 + per_unit * s.utf16_len();
        s
    }

    fn string_of(&mut self, s: &str) -> JsStr {
        self.string(JsStr::from(s))
    }

    /// Own enumerable string-keyed properties, read through getters, each value written.
    fn properties(
        &mut self,
        vm: &mut Vm,
        o: ObjId,
        depth: usize,
    ) -> Result<Vec<(JsStr, Item)>, Value> {
        let v = Value::Obj(o);
        let mut props = vec![];
        for k in vm.own_enum_keys(o) {
            let val = vm.get(&v, k)?;
            let item = self.item(vm, &val, depth + 1)?;
            let name = match vm.heap.key_name(k) {
                Some(name) => name.clone(),
                None => continue,
            };
            props.push((self.string(name), item));
        }
        Ok(props)
    }

    /// Writes object `o` (once: a second meeting refers to the first), returning its index.
    fn object(&mut self, vm: &mut Vm, o: ObjId, depth: usize) -> Result<usize, Value> {
        if let Some(&i) = self.memo.get(&o) {
            return Ok(i);
        }
        if depth > MAX_DEPTH {
            return Err(vm.range_error("Maximum call stack size exceeded"));
        }
        self.size += OBJECT_OVERHEAD;
        let index = self.objects.len();
        // a placeholder until the contents are written (cycles find the index meanwhile)
        self.objects.push(Entry::Object(vec![]));
        self.memo.insert(o, index);
        let entry = self.entry(vm, o, depth)?;
        self.objects[index] = entry;
        Ok(index)
    }

    fn entry(&mut self, vm: &mut Vm, o: ObjId, depth: usize) -> Result<Entry, Value> {
        let v = Value::Obj(o);
        if let Some(id) = (self.port_id)(vm, o) {
            if self.transferred_ports.iter().any(|p| p.0 == o) {
                return Ok(Entry::Port(id));
            }
            let e = vm.type_error(
                "Object that needs transfer was found in message but not listed in transferList",
            );
            super::set_code(vm, &e, "ERR_MISSING_TRANSFERABLE_IN_TRANSFER_LIST");
            return Err(e);
        }
        if let Some(r) = crate::builtins::regexp::regexp_of(vm, &v) {
            // `source` shows `/` escaped; the pattern itself has it unescaped
            let pattern = r.source.replace("\\/", "/");
            let flags = r.flags.to_string();
            self.size += pattern.len() + flags.len();
            return Ok(Entry::RegExp { pattern, flags });
        }
        Ok(match &vm.heap.obj(o).kind {
            ObjKind::Function(_) => {
                let text = match crate::builtins::function::to_string(vm, v.clone(), &[], &[]) {
                    Ok(Value::Str(s)) => s.to_string(),
                    _ => "function".into(),
                };
                return Err(not_cloneable(vm, &text));
            }
            ObjKind::Promise { .. } => return Err(not_cloneable(vm, "#<Promise>")),
            ObjKind::Generator(_) => return Err(not_cloneable(vm, "[object Generator]")),
            ObjKind::AsyncFrame(_) | ObjKind::Arguments | ObjKind::ArrayIter { .. } => {
                return Err(not_cloneable(vm, "#<Object>"));
            }
            ObjKind::Date(t) => {
                self.size += 8;
                Entry::Date(*t)
            }
            ObjKind::BoxedString(s) => Entry::BoxedString(self.string(s.clone())),
            ObjKind::BoxedNumber(n) => {
                self.size += 8;
                Entry::BoxedNumber(*n)
            }
            ObjKind::BoxedBool(b) => Entry::BoxedBool(*b),
            ObjKind::Map(entries, _) => {
                let entries: Vec<(Value, Value)> = entries
                    .iter()
                    .filter(|e| !matches!(e.0, Value::Uninit))
                    .cloned()
                    .collect();
                let mut out = Vec::with_capacity(entries.len());
                for (k, val) in entries {
                    let k = self.item(vm, &k, depth + 1)?;
                    let val = self.item(vm, &val, depth + 1)?;
                    out.push((k, val));
                }
                Entry::Map(out)
            }
            ObjKind::Set(items, _) => {
                let items: Vec<Value> = items
                    .iter()
                    .filter(|x| !matches!(x, Value::Uninit))
                    .cloned()
                    .collect();
                let mut out = Vec::with_capacity(items.len());
                for x in items {
                    out.push(self.item(vm, &x, depth + 1)?);
                }
                Entry::Set(out)
            }
            ObjKind::Error => self.error(vm, o, depth)?,
            ObjKind::ArrayBuffer {
                bytes,
                shared,
                detached,
            } => {
                if *shared {
                    Entry::SharedArrayBuffer(bytes.clone())
                } else if self.transferred_buffers.contains(&o) {
                    // the bytes are moved in once the whole value is written
                    Entry::ArrayBuffer(vec![])
                } else if *detached {
                    let msg = "An ArrayBuffer is detached and could not be cloned.";
                    return Err(data_clone_error(vm, msg));
                } else {
                    let copy = bytes.borrow().clone();
                    self.size += copy.len();
                    Entry::ArrayBuffer(copy)
                }
            }
            &ObjKind::TypedArray {
                buffer,
                elem,
                offset,
                length,
            } => {
                // a Buffer or a subclass instance becomes the plain typed array (as in V8)
                let node_buffer =
                    vm.host.buffer_proto.is_some() && vm.heap.obj(o).proto == vm.host.buffer_proto;
                let buffer = self.view_buffer(vm, buffer, depth)?;
                self.size += 8;
                Entry::TypedArray {
                    buffer,
                    elem,
                    offset,
                    length,
                    node_buffer,
                }
            }
            &ObjKind::DataView {
                buffer,
                offset,
                length,
            } => {
                let buffer = self.view_buffer(vm, buffer, depth)?;
                self.size += 8;
                Entry::DataView {
                    buffer,
                    offset,
                    length,
                }
            }
            ObjKind::Array(items) => {
                let present = items.iter().map(|x| !matches!(x, Value::Uninit)).collect();
                let props = self.properties(vm, o, depth)?;
                Entry::Array { present, props }
            }
            // V8 serializes these host objects as plain objects of their own properties
            ObjKind::Ordinary | ObjKind::TextEncoder | ObjKind::TextDecoder { .. } => {
                Entry::Object(self.properties(vm, o, depth)?)
            }
        })
    }

    /// Writes a view's buffer, returning its index. A view on a buffer that was detached
    /// before and is transferred now is a message V8 writes but cannot read back: Node throws
    /// its deserialisation error (here at the sender, where the clone is made).
    fn view_buffer(&mut self, vm: &mut Vm, buffer: ObjId, depth: usize) -> Result<usize, Value> {
        if is_detached(vm, buffer) && self.transferred_buffers.contains(&buffer) {
            let p = vm.realm.error_proto;
            return Err(vm.make_error(p, "Unable to deserialize cloned data."));
        }
        self.object(vm, buffer, depth + 1)
    }

    /// V8 keeps an error's `stack`, `message` and `cause`, and picks the prototype by `name`.
    fn error(&mut self, vm: &mut Vm, o: ObjId, depth: usize) -> Result<Entry, Value> {
        let v = Value::Obj(o);
        let name = vm.get_by_name(&v, "name")?;
        let name = match name {
            Value::Undefined => String::new(),
            n => vm.to_string(&n)?,
        };
        let prototype = match name.as_str() {
            "EvalError" => ErrorType::EvalError,
            "RangeError" => ErrorType::RangeError,
            "ReferenceError" => ErrorType::ReferenceError,
            "SyntaxError" => ErrorType::SyntaxError,
            "TypeError" => ErrorType::TypeError,
            "URIError" => ErrorType::UriError,
            _ => ErrorType::Error,
        };
        let stack = match vm.get_by_name(&v, "stack")? {
            Value::Str(s) => Some(self.string(s)),
            _ => None,
        };
        let km = PropKey::Str(vm.names.message);
        let message = match vm.heap.obj(o).get_own(km).cloned() {
            Some(Prop {
                slot: Slot::Data(m),
                ..
            }) => {
                let m = vm.to_string(&m)?;
                Some(self.string_of(&m))
            }
            _ => None,
        };
        let kc = PropKey::Str(vm.names.cause);
        let cause = if vm.heap.obj(o).get_own(kc).is_some() {
            let cause = vm.get(&v, kc)?;
            Some(self.item(vm, &cause, depth + 1)?)
        } else {
            None
        };
        Ok(Entry::Error {
            prototype,
            stack,
            message,
            cause,
        })
    }
}

/// V8's DataCloneError for a value it cannot write, shown as `shown`.
fn not_cloneable(vm: &mut Vm, shown: &str) -> Value {
    data_clone_error(vm, &format!("{shown} could not be cloned."))
}

/// Node's TypeError for a transfer-list entry that is neither an ArrayBuffer nor a port.
fn invalid_transfer_object(vm: &mut Vm) -> Value {
    let e = vm.type_error("Found invalid object in transferList");
    super::set_code(vm, &e, "ERR_INVALID_TRANSFER_OBJECT");
    e
}
