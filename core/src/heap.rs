//! The object heap of one agent: objects, property storage, environments (closure scopes),
//! interned property names (atoms) and symbols. Objects and environments live in two slot
//! vectors addressed by index; the mark-sweep collector ([`crate::vm::gc`]) frees unreachable
//! slots, which later allocations reuse. Atoms and symbols live until the run ends.

use crate::builtins::typed_array::{ByteStore, ElemKind};
use crate::value::{array_index, JsStr, ObjId, PushPlain, SymId, Value};
use std::collections::HashMap;
use std::rc::Rc;

/// An interned property name.
pub type Atom = u32;
/// Index of an environment record (a closure scope) in the heap.
pub type EnvId = u32;

/// A property key: an interned string or a symbol.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PropKey {
    Str(Atom),
    Sym(SymId),
}

pub const ENUMERABLE: u8 = 1;
pub const WRITABLE: u8 = 2;
pub const CONFIGURABLE: u8 = 4;
pub const DEFAULT_FLAGS: u8 = ENUMERABLE | WRITABLE | CONFIGURABLE;
/// Flags used for built-in methods: writable and configurable but not enumerable.
pub const HIDDEN: u8 = WRITABLE | CONFIGURABLE;

/// A property slot: a data value or a getter/setter pair.
#[derive(Clone, Debug)]
pub enum Slot {
    Data(Value),
    Accessor { get: Value, set: Value },
}

#[derive(Clone, Debug)]
pub struct Prop {
    pub key: PropKey,
    pub slot: Slot,
    pub flags: u8,
}

/// The state of a promise (ECMA-262 27.2).
#[derive(Clone, Debug)]
pub enum PromiseState {
    Pending {
        fulfill: Vec<Reaction>,
        reject: Vec<Reaction>,
    },
    Fulfilled(Value),
    Rejected(Value),
}

/// A PromiseReaction record: the derived capability (if any) and the handler.
#[derive(Clone, Debug)]
pub struct Reaction {
    pub capability: Option<Capability>,
    pub handler: Value,
    pub is_reject: bool,
}

/// A PromiseCapability record.
#[derive(Clone, Debug)]
pub struct Capability {
    pub promise: Value,
    pub resolve: Value,
    pub reject: Value,
}

/// What kind of callable a function object is.
#[derive(Clone, Debug)]
pub enum FuncKind {
    /// Compiled code: index into the program's function table, and the captured scope.
    Closure {
        func: u32,
        env: EnvId,
        this_val: Option<Value>,
        home: Option<ObjId>,
    },
    /// A built-in, identified by its id, with private data slots.
    Native { id: u16, data: Rc<[Value]> },
    /// Function.prototype.bind result.
    Bound {
        target: ObjId,
        this: Value,
        args: Rc<[Value]>,
    },
}

/// State of a generator object.
#[derive(Debug)]
pub enum GenState {
    Suspended(Box<crate::vm::Frame>),
    Running,
    Done,
}

/// The internal shape of an object.
#[derive(Debug)]
pub enum ObjKind {
    Ordinary,
    Array(Vec<Value>),
    Function(FuncKind),
    Promise {
        state: PromiseState,
        handled: bool,
    },
    Map(Vec<(Value, Value)>, HashMap<MapKey, usize>),
    Set(Vec<Value>, HashMap<MapKey, usize>),
    Error,
    Generator(GenState),
    /// A suspended async function frame waiting for its awaited promise.
    AsyncFrame(Option<Box<crate::vm::Frame>>),
    BoxedString(JsStr),
    BoxedNumber(f64),
    BoxedBool(bool),
    Date(f64),
    Arguments,
    /// Built-in iterator over an array/string snapshot: kind 0 values, 1 keys, 2 entries.
    ArrayIter {
        target: Value,
        index: usize,
        kind: u8,
    },
    /// The bytes of an ArrayBuffer (or, with `shared`, a SharedArrayBuffer). Views refer to
    /// the buffer object by id; the byte store itself is shared between buffer objects only
    /// by SharedArrayBuffers that were cloned (see `builtins/typed_array/storage.rs`).
    /// `detached`: the bytes were transferred away (the store is empty for good).
    ArrayBuffer {
        bytes: ByteStore,
        shared: bool,
        detached: bool,
    },
    /// A typed array: `length` elements of `elem` from byte `offset` of ArrayBuffer `buffer`.
    TypedArray {
        buffer: ObjId,
        elem: ElemKind,
        offset: usize,
        length: usize,
    },
    /// A `TextEncoder` (UTF-8, no state).
    TextEncoder,
    /// A `TextDecoder` (UTF-8) with its options.
    TextDecoder {
        fatal: bool,
        ignore_bom: bool,
    },
    /// A DataView: `length` bytes from byte `offset` of ArrayBuffer `buffer`.
    DataView {
        buffer: ObjId,
        offset: usize,
        length: usize,
    },
}

/// A hashable projection of a value used to index Map and Set entries (SameValueZero).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum MapKey {
    Undefined,
    Null,
    Bool(bool),
    Num(u64),
    Str(JsStr),
    Sym(SymId),
    Obj(ObjId),
}

impl MapKey {
    pub fn of(v: &Value) -> MapKey {
        match v {
            Value::Undefined | Value::Uninit => MapKey::Undefined,
            Value::Null => MapKey::Null,
            Value::Bool(b) => MapKey::Bool(*b),
            Value::Num(n) => {
                let n = if *n == 0.0 { 0.0 } else { *n };
                MapKey::Num(if n.is_nan() {
                    f64::NAN.to_bits()
                } else {
                    n.to_bits()
                })
            }
            Value::Str(s) => MapKey::Str(s.clone()),
            Value::Sym(s) => MapKey::Sym(*s),
            Value::Obj(o) => MapKey::Obj(*o),
        }
    }
}

/// A heap object.
#[derive(Debug)]
pub struct Object {
    pub proto: Option<ObjId>,
    pub props: Vec<Prop>,
    /// Lazily built index for objects with many properties.
    pub index: Option<Box<HashMap<PropKey, usize>>>,
    pub kind: ObjKind,
    pub extensible: bool,
    pub frozen: bool,
}

impl Object {
    pub fn new(proto: Option<ObjId>, kind: ObjKind) -> Object {
        Object {
            proto,
            props: Vec::new(),
            index: None,
            kind,
            extensible: true,
            frozen: false,
        }
    }
    pub fn find(&self, key: PropKey) -> Option<usize> {
        if let Some(ix) = &self.index {
            return ix.get(&key).copied();
        }
        self.props.iter().position(|p| p.key == key)
    }
    pub fn get_own(&self, key: PropKey) -> Option<&Prop> {
        self.find(key).map(|i| &self.props[i])
    }
    /// Adds or overwrites a data property with the given flags.
    pub fn put(&mut self, key: PropKey, v: Value, flags: u8) {
        if let Some(i) = self.find(key) {
            self.props[i].slot = Slot::Data(v);
            self.props[i].flags = flags;
        } else {
            self.push_prop(Prop {
                key,
                slot: Slot::Data(v),
                flags,
            });
        }
    }
    pub fn push_prop(&mut self, p: Prop) {
        let i = self.props.len();
        if let Some(ix) = &mut self.index {
            ix.insert(p.key, i);
        } else if i >= 12 {
            let mut ix: HashMap<PropKey, usize> = HashMap::with_capacity(32);
            for (j, q) in self.props.iter().enumerate() {
                ix.insert(q.key, j);
            }
            ix.insert(p.key, i);
            self.index = Some(Box::new(ix));
        }
        self.props.push(p);
    }
    pub fn remove(&mut self, key: PropKey) -> bool {
        if let Some(i) = self.find(key) {
            self.props.remove(i);
            if self.index.is_some() {
                let mut ix = HashMap::with_capacity(self.props.len());
                for (j, q) in self.props.iter().enumerate() {
                    ix.insert(q.key, j);
                }
                self.index = Some(Box::new(ix));
            }
            true
        } else {
            false
        }
    }
}

/// An environment record: the slots of one scope plus its parent scope.
#[derive(Debug, Clone)]
pub struct Env {
    pub slots: Vec<Value>,
    pub parent: Option<EnvId>,
}

/// Symbol description table entry.
#[derive(Debug, Clone)]
pub struct SymbolInfo {
    pub description: Option<JsStr>,
}

/// The heap: objects, environments, atoms, symbols.
#[derive(Debug, Default)]
pub struct Heap {
    pub objects: Vec<Object>,
    pub envs: Vec<Env>,
    atoms: Vec<JsStr>,
    atom_ids: HashMap<JsStr, Atom>,
    pub symbols: Vec<SymbolInfo>,
    /// Environments of finished frames that nothing can reference any more, and environments
    /// the collector freed: reused by the next allocations.
    pub free_envs: Vec<EnvId>,
    /// Object slots the collector freed, reused by the next allocations.
    pub free_objs: Vec<ObjId>,
    /// Objects plus environments allocated since the last collection (the collector's clock).
    pub allocated: usize,
    /// Freed object slots kept empty instead of reused (while a trace is recorded).
    pub tombstones: usize,
}

impl Heap {
    pub fn alloc(&mut self, o: Object) -> ObjId {
        self.allocated += 1;
        if let Some(id) = self.free_objs.pop() {
            self.objects[id as usize] = o;
            return id;
        }
        self.objects.push(o);
        (self.objects.len() - 1) as ObjId
    }
    pub fn obj(&self, id: ObjId) -> &Object {
        &self.objects[id as usize]
    }
    pub fn obj_mut(&mut self, id: ObjId) -> &mut Object {
        &mut self.objects[id as usize]
    }
    /// A fresh environment with `n` slots in the temporal dead zone, recycled when possible.
    #[inline]
    pub fn new_env_uninit(&mut self, n: usize, parent: Option<EnvId>) -> EnvId {
        self.allocated += 1;
        if let Some(id) = self.free_envs.pop() {
            let e = &mut self.envs[id as usize];
            e.slots.clear();
            e.slots.reserve(n);
            for _ in 0..n {
                e.slots.push_uninit();
            }
            e.parent = parent;
            return id;
        }
        self.new_env_filled(n, parent, Value::Uninit)
    }
    /// A fresh environment with `n` slots holding `undefined`.
    pub fn new_env(&mut self, n: usize, parent: Option<EnvId>) -> EnvId {
        self.new_env_filled(n, parent, Value::Undefined)
    }
    fn new_env_filled(&mut self, n: usize, parent: Option<EnvId>, fill: Value) -> EnvId {
        self.allocated += 1;
        if let Some(id) = self.free_envs.pop() {
            let e = &mut self.envs[id as usize];
            e.slots.clear();
            e.slots.resize(n, fill);
            e.parent = parent;
            return id;
        }
        self.envs.push(Env {
            slots: vec![fill; n],
            parent,
        });
        (self.envs.len() - 1) as EnvId
    }
    /// A copy of environment `e` (per-iteration `let` bindings).
    pub fn copy_env(&mut self, e: EnvId) -> EnvId {
        let parent = self.envs[e as usize].parent;
        let n = self.envs[e as usize].slots.len();
        let c = self.new_env_filled(0, parent, Value::Undefined);
        let mut slots = std::mem::take(&mut self.envs[c as usize].slots);
        slots.reserve(n);
        slots.extend_from_slice(&self.envs[e as usize].slots);
        self.envs[c as usize].slots = slots;
        c
    }
    pub fn atom(&mut self, s: &str) -> Atom {
        if let Some(a) = self.atom_ids.get(s) {
            return *a;
        }
        let rc = JsStr::from(s);
        let id = self.atoms.len() as Atom;
        self.atoms.push(rc.clone());
        self.atom_ids.insert(rc, id);
        id
    }
    pub fn atom_str(&self, a: Atom) -> &JsStr {
        &self.atoms[a as usize]
    }
    pub fn key(&mut self, s: &str) -> PropKey {
        PropKey::Str(self.atom(s))
    }
    pub fn new_symbol(&mut self, description: Option<JsStr>) -> SymId {
        self.symbols.push(SymbolInfo { description });
        (self.symbols.len() - 1) as SymId
    }
    /// The key's string form, if it is a string key.
    pub fn key_name(&self, k: PropKey) -> Option<&JsStr> {
        match k {
            PropKey::Str(a) => Some(self.atom_str(a)),
            PropKey::Sym(_) => None,
        }
    }
    pub fn key_is_index(&self, k: PropKey) -> Option<u32> {
        match k {
            PropKey::Str(a) => array_index(self.atom_str(a)),
            PropKey::Sym(_) => None,
        }
    }
    /// Objects in use: the live objects of the last collection plus those allocated since.
    pub fn object_count(&self) -> usize {
        self.objects.len() - self.free_objs.len() - self.tombstones
    }

    /// The collector's sweep: empties every object and environment slot not marked live and
    /// lists it for reuse (or, with `reuse` false, keeps it empty forever). Returns the number
    /// of live objects plus environments.
    pub fn sweep(&mut self, live_objs: &[bool], live_envs: &[bool], reuse: bool) -> usize {
        let mut live = 0;
        self.free_objs.clear();
        for (i, o) in self.objects.iter_mut().enumerate() {
            if live_objs[i] {
                live += 1;
                continue;
            }
            *o = Object::new(None, ObjKind::Ordinary);
            o.extensible = false;
            if reuse {
                self.free_objs.push(i as ObjId);
            }
        }
        self.tombstones = if reuse { 0 } else { self.objects.len() - live };
        // Environments recycled by returning frames stay reusable in both modes.
        let recycled: std::collections::HashSet<EnvId> = if reuse {
            Default::default()
        } else {
            self.free_envs.iter().copied().collect()
        };
        self.free_envs.clear();
        let mut live_env_count = 0;
        for (i, e) in self.envs.iter_mut().enumerate() {
            if live_envs[i] {
                live_env_count += 1;
                continue;
            }
            // keeps its buffer for the environment that reuses the slot (no allocation then)
            e.slots.clear();
            e.parent = None;
            if reuse || recycled.contains(&(i as EnvId)) {
                self.free_envs.push(i as EnvId);
            }
        }
        self.allocated = 0;
        live + live_env_count
    }
}

#[cfg(test)]
mod size_tests {
    #[test]
    fn print_sizes() {
        println!(
            "Object {} ObjKind {} Value {} Prop {} Reaction {} Env {}",
            std::mem::size_of::<super::Object>(),
            std::mem::size_of::<super::ObjKind>(),
            std::mem::size_of::<crate::value::Value>(),
            std::mem::size_of::<super::Prop>(),
            std::mem::size_of::<super::Reaction>(),
            std::mem::size_of::<super::Env>()
        );
    }
}
