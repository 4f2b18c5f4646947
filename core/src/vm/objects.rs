//! Allocation and small object helpers used by the interpreter and the built-ins:
//! creating objects, arrays and native functions, defining built-in methods, iterator
//! result objects.

use super::{NativeEntry, NativeFn, Vm};
use crate::heap::*;
use crate::value::{ObjId, Value};

impl Vm {
    pub fn alloc(&mut self, proto: Option<ObjId>, kind: ObjKind) -> ObjId {
        self.heap.alloc(Object::new(proto, kind))
    }
    pub fn new_object(&mut self) -> ObjId {
        let p = self.realm.object_proto;
        self.alloc(Some(p), ObjKind::Ordinary)
    }
    pub fn new_array(&mut self, items: Vec<Value>) -> Value {
        let p = self.realm.array_proto;
        Value::Obj(self.alloc(Some(p), ObjKind::Array(items)))
    }
    pub fn native_fn(&mut self, id: u16, data: Vec<Value>) -> ObjId {
        let p = self.realm.function_proto;
        self.alloc(
            Some(p),
            ObjKind::Function(FuncKind::Native {
                id,
                data: data.into(),
            }),
        )
    }
    /// Registers a native implementation, returning its id.
    pub fn register(&mut self, name: &'static str, length: u8, f: NativeFn) -> u16 {
        self.natives.push(NativeEntry {
            f,
            name,
            length,
            constructor: true,
        });
        (self.natives.len() - 1) as u16
    }
    /// Creates a fresh native function object for `f`.
    pub fn make_native(
        &mut self,
        name: &'static str,
        length: u8,
        f: NativeFn,
        data: Vec<Value>,
    ) -> ObjId {
        let id = self.register(name, length, f);
        self.native_fn(id, data)
    }
    pub fn put(&mut self, obj: ObjId, name: &str, v: Value) {
        let k = self.heap.key(name);
        self.heap.obj_mut(obj).put(k, v, DEFAULT_FLAGS);
    }
    pub fn put_hidden(&mut self, obj: ObjId, name: &str, v: Value) {
        let k = self.heap.key(name);
        self.heap.obj_mut(obj).put(k, v, HIDDEN);
    }
    /// Defines a built-in method on an object.
    pub fn method(&mut self, obj: ObjId, name: &'static str, length: u8, f: NativeFn) -> ObjId {
        let id = self.register(name, length, f);
        self.natives[id as usize].constructor = false;
        let fo = self.native_fn(id, vec![]);
        self.put_hidden(obj, name, Value::Obj(fo));
        fo
    }
    pub fn intern(&mut self, s: &str) -> Value {
        let a = self.heap.atom(s);
        Value::Str(self.heap.atom_str(a).clone())
    }
    pub fn is_callable(&self, v: &Value) -> bool {
        matches!(v, Value::Obj(o) if matches!(self.heap.obj(*o).kind, ObjKind::Function(_)))
    }
    pub fn is_array(&self, v: &Value) -> bool {
        matches!(v, Value::Obj(o) if matches!(self.heap.obj(*o).kind, ObjKind::Array(_)))
    }

    pub fn iter_result(&mut self, v: Value, done: bool) -> Value {
        let o = self.new_object();
        let (kv, kd) = (self.names.value, self.names.done);
        let obj = self.heap.obj_mut(o);
        obj.push_prop(Prop {
            key: PropKey::Str(kv),
            slot: Slot::Data(v),
            flags: DEFAULT_FLAGS,
        });
        obj.push_prop(Prop {
            key: PropKey::Str(kd),
            slot: Slot::Data(Value::Bool(done)),
            flags: DEFAULT_FLAGS,
        });
        Value::Obj(o)
    }

    /// Values of an array object (holes read as undefined).
    pub fn array_items(&self, v: &Value) -> Vec<Value> {
        match v {
            Value::Obj(o) => match &self.heap.obj(*o).kind {
                ObjKind::Array(items) => items
                    .iter()
                    .map(|x| {
                        if let Value::Uninit = x {
                            Value::Undefined
                        } else {
                            x.clone()
                        }
                    })
                    .collect(),
                _ => vec![],
            },
            _ => vec![],
        }
    }
}
