//! The stepping virtual machine: heap-held frames (no Rust recursion per JavaScript call),
//! the interpreter loop, exception unwinding, and suspension of async functions and
//! generators. Property access and operators live in [`ops`].

pub mod gc;
pub mod ops;

use crate::bytecode::{ErrorSite, FuncFlavor, Instr, Program, Subject};
use crate::heap::*;
use crate::recorder::{NoopRecorder, Recorder};
use crate::value::{JsStr, ObjId, PushPlain, Value};
use std::collections::VecDeque;
use std::rc::Rc;

/// A native (built-in) function: receives `this`, the arguments and its private data slots.
pub type NativeFn = fn(&mut Vm, Value, &[Value], &[Value]) -> Result<Value, Value>;

pub struct NativeEntry {
    pub f: NativeFn,
    pub name: &'static str,
    pub length: u8,
    /// Whether `new` may call it (built-in methods are not constructors).
    pub constructor: bool,
}

/// An exception handler installed by `PushHandler`.
#[derive(Clone, Debug)]
pub struct Handler {
    pub pc: u32,
    /// Number of the frame's operands (above [`Frame::operand_base`]) to keep.
    pub stack_len: u32,
    pub env: EnvId,
}

/// How a frame's completion is delivered.
#[derive(Clone, Debug)]
pub enum FrameKind {
    Normal,
    Construct,
    Async {
        promise: ObjId,
        /// The async-frame holder and its two resume functions (created on first await).
        holder: Option<(ObjId, ObjId, ObjId)>,
    },
    Generator {
        gen: ObjId,
    },
}

/// One activation record, held on the heap-allocated frame stack.
///
/// A running frame's arguments and operands live on the VM's one value stack
/// ([`Vm::stack`]): the arguments at `args_base..args_base + argc` (where the caller pushed
/// them, so a call copies nothing), the operands above them. A frame that suspends (`await`,
/// `yield`) moves that region into `saved` and gets it back, at a new place, when it resumes.
#[derive(Debug)]
pub struct Frame {
    pub func: u32,
    pub pc: u32,
    /// Index in [`Vm::stack`] of the first argument (of a running frame).
    pub args_base: u32,
    pub argc: u32,
    /// Index in [`Vm::stack`] the stack is cut back to when the frame goes away: below its
    /// arguments, and below the callee and `this` slots when the caller pushed those.
    pub drop_to: u32,
    pub env: EnvId,
    pub handlers: Vec<Handler>,
    pub callee: ObjId,
    pub new_target: Value,
    pub kind: FrameKind,
    /// A suspended frame's arguments and operands (empty while it runs).
    pub saved: Vec<Value>,
}

impl Frame {
    /// Index in [`Vm::stack`] of the frame's first operand.
    #[inline(always)]
    pub fn operand_base(&self) -> usize {
        (self.args_base + self.argc) as usize
    }
}

/// Why execution was stopped from outside the language (not catchable by `try`).
#[derive(Clone, Debug, PartialEq)]
pub enum Abort {
    /// The instruction budget ran out.
    Budget,
    /// The heap budget ran out.
    Heap,
    /// `process.exit(code)` was called.
    Exit(i32),
}

/// A microtask (ECMA-262 job).
#[derive(Clone, Debug)]
pub enum Job {
    /// PromiseReactionJob.
    Reaction { reaction: Reaction, argument: Value },
    /// NewPromiseResolveThenableJob.
    ResolveThenable {
        promise: ObjId,
        thenable: Value,
        then: Value,
    },
    /// queueMicrotask(fn).
    Callback { func: Value },
}

impl Job {
    /// The values the job holds (roots while it runs).
    pub fn values(&self) -> Vec<Value> {
        match self {
            Job::Reaction { reaction, argument } => {
                let mut v = vec![reaction.handler.clone(), argument.clone()];
                if let Some(c) = &reaction.capability {
                    v.extend([c.promise.clone(), c.resolve.clone(), c.reject.clone()]);
                }
                v
            }
            Job::ResolveThenable {
                promise,
                thenable,
                then,
            } => vec![Value::Obj(*promise), thenable.clone(), then.clone()],
            Job::Callback { func } => vec![func.clone()],
        }
    }
}

/// Well-known objects of the realm, and the engine's own per-realm state (RegExp patterns,
/// the `Symbol.for` registry, the `join` cycle stack, the random generator).
#[derive(Default, Debug, Clone)]
pub struct Realm {
    pub global: ObjId,
    pub object_proto: ObjId,
    pub function_proto: ObjId,
    pub array_proto: ObjId,
    pub string_proto: ObjId,
    pub number_proto: ObjId,
    pub boolean_proto: ObjId,
    pub symbol_proto: ObjId,
    pub promise_proto: ObjId,
    pub promise_ctor: ObjId,
    pub error_proto: ObjId,
    pub type_error_proto: ObjId,
    pub range_error_proto: ObjId,
    pub reference_error_proto: ObjId,
    pub syntax_error_proto: ObjId,
    pub aggregate_error_proto: ObjId,
    pub iterator_proto: ObjId,
    pub array_iterator_proto: ObjId,
    pub generator_proto: ObjId,
    pub map_proto: ObjId,
    pub set_proto: ObjId,
    pub date_proto: ObjId,
    pub async_from_sync_proto: ObjId,
    /// ArrayBuffer, DataView and the typed arrays' prototypes.
    pub typed: crate::builtins::typed_array::TypedRealm,
    /// `RegExp.prototype`.
    pub regexp_proto: Option<ObjId>,
    /// The compiled pattern of every RegExp object (weak: dead objects' entries are dropped
    /// by the collector).
    pub regexps: std::collections::HashMap<ObjId, Rc<crate::builtins::regexp::RegexData>>,
    /// The `Symbol.for` registry: key → symbol.
    pub symbol_registry: std::collections::HashMap<String, crate::value::SymId>,
    /// The arrays `Array.prototype.join` is joining, outermost first (a cycle joins as "").
    pub join_stack: Vec<ObjId>,
    /// The run's deterministic random generator (`Math.random`, `crypto.randomBytes`).
    pub random: crate::builtins::number::Prng,
}

/// Frequently used property names, interned once.
#[derive(Default, Debug, Clone)]
pub struct Names {
    pub length: Atom,
    pub prototype: Atom,
    pub constructor: Atom,
    pub name: Atom,
    pub message: Atom,
    pub stack: Atom,
    pub next: Atom,
    pub done: Atom,
    pub value: Atom,
    pub then: Atom,
    pub to_string: Atom,
    pub value_of: Atom,
    pub errors: Atom,
    pub cause: Atom,
    pub ret: Atom,
    pub get: Atom,
    pub set: Atom,
    pub enumerable: Atom,
    pub configurable: Atom,
    pub writable: Atom,
}

/// Well-known symbols.
#[derive(Default, Debug, Clone, Copy)]
pub struct Symbols {
    pub iterator: u32,
    pub async_iterator: u32,
    pub has_instance: u32,
    pub to_string_tag: u32,
    pub to_primitive: u32,
    pub promisify_custom: u32,
    pub inspect_custom: u32,
}

/// The virtual machine of one agent: heap, frames, microtask queue, host state.
pub struct Vm {
    pub heap: Heap,
    pub program: Rc<Program>,
    pub str_atoms: Vec<Atom>,
    pub str_vals: Vec<JsStr>,
    pub frames: Vec<Frame>,
    pub natives: Vec<NativeEntry>,
    pub realm: Realm,
    pub names: Names,
    pub syms: Symbols,
    pub microtasks: VecDeque<Job>,
    pub steps: u64,
    pub budget: u64,
    pub heap_budget: usize,
    pub clock_ns: u64,
    pub instr_cost_ns: u64,
    pub abort: Option<Abort>,
    pub new_target: Option<Value>,
    pub native_depth: u32,
    pub max_frames: usize,
    pub recorder: Box<dyn Recorder>,
    /// Promises rejected without a handler, in order (HostPromiseRejectionTracker "reject").
    pub pending_rejections: Vec<ObjId>,
    pub host: crate::host::HostState,
    pub ids: crate::builtins::Ids,
    /// While a generator's `return()` unwinds: the signal object catch clauses must not catch.
    pub gen_return_signal: Option<ObjId>,
    /// Generators whose `return(v)` is still unwinding after a `yield` inside a finally block:
    /// generator -> (its return signal, v). The next `next()` continues that return.
    pub pending_gen_returns: Vec<(ObjId, ObjId, Value)>,
    /// The object most recently thrown by a `throw` statement and the statement's source
    /// offset: an uncaught error's caret points there, like Node's.
    pub last_throw: Option<(ObjId, u32)>,
    /// The value stack of the running frames: each frame's arguments, then its operands.
    pub stack: Vec<Value>,
    /// Recycled argument vectors for calls of built-ins from the interpreter loop.
    pub args_pool: Vec<Vec<Value>>,
    pub source: Rc<str>,
    pub filename: JsStr,
    pub line_starts: Vec<u32>,
    /// Values the host holds across a collection window (see [`gc`]).
    pub gc_roots: Vec<Value>,
    /// The native depth at which the interpreter loop may collect (`u32::MAX`: nowhere).
    pub gc_depth: u32,
    /// Allocations after which the next collection is due.
    pub gc_threshold: usize,
    /// Collections so far.
    pub gc_count: u64,
}

pub type JsResult = Result<Value, Value>;

/// The interpreter loop runs [`Vm::safe_point`] every `SAFE_POINT_MASK + 1` instructions.
#[cfg(not(looplab_gc_stress))]
const SAFE_POINT_MASK: u64 = 1023;
#[cfg(looplab_gc_stress)]
const SAFE_POINT_MASK: u64 = 15;

/// Arrays are stored densely; longer lengths are refused with a RangeError.
pub const MAX_DENSE_ARRAY: f64 = 50_000_000.0;

impl Vm {
    pub fn new(program: Program, source: &str, filename: &str) -> Vm {
        let mut heap = Heap::default();
        let str_atoms = program.strings.iter().map(|s| heap.atom(s)).collect();
        let str_vals = program
            .strings
            .iter()
            .map(|s| JsStr::from(s.as_str()))
            .collect();
        let mut line_starts = vec![0u32];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        let mut vm = Vm {
            heap,
            program: Rc::new(program),
            str_atoms,
            str_vals,
            frames: Vec::new(),
            natives: Vec::new(),
            realm: Realm::default(),
            names: Names::default(),
            syms: Symbols::default(),
            microtasks: VecDeque::new(),
            steps: 0,
            budget: u64::MAX,
            heap_budget: usize::MAX,
            clock_ns: 0,
            instr_cost_ns: 10,
            abort: None,
            new_target: None,
            native_depth: 0,
            max_frames: 9000,
            recorder: Box::new(NoopRecorder),
            pending_rejections: Vec::new(),
            host: crate::host::HostState::default(),
            ids: crate::builtins::Ids::default(),
            stack: Vec::with_capacity(1024),
            args_pool: Vec::new(),
            gen_return_signal: None,
            pending_gen_returns: Vec::new(),
            last_throw: None,
            source: Rc::from(source),
            filename: JsStr::from(filename),
            line_starts,
            gc_roots: Vec::new(),
            gc_depth: u32::MAX,
            gc_threshold: gc::GC_MIN_ALLOCATIONS,
            gc_count: 0,
        };
        let h = &mut vm.heap;
        vm.names = Names {
            length: h.atom("length"),
            prototype: h.atom("prototype"),
            constructor: h.atom("constructor"),
            name: h.atom("name"),
            message: h.atom("message"),
            stack: h.atom("stack"),
            next: h.atom("next"),
            done: h.atom("done"),
            value: h.atom("value"),
            then: h.atom("then"),
            to_string: h.atom("toString"),
            value_of: h.atom("valueOf"),
            errors: h.atom("errors"),
            cause: h.atom("cause"),
            ret: h.atom("return"),
            get: h.atom("get"),
            set: h.atom("set"),
            enumerable: h.atom("enumerable"),
            configurable: h.atom("configurable"),
            writable: h.atom("writable"),
        };
        crate::builtins::install(&mut vm);
        vm
    }

    /// Line and column (1-based) of a source offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts[line];
        let col = self
            .source
            .get(start as usize..offset as usize)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line as u32 + 1, col as u32 + 1)
    }

    // ---------- object helpers
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

    // ---------- errors
    /// Creates an error object of the given prototype with `message` and a `stack`.
    pub fn make_error(&mut self, proto: ObjId, message: &str) -> Value {
        let o = self.alloc(Some(proto), ObjKind::Error);
        if !message.is_empty() || true {
            let m = self.names.message;
            self.heap
                .obj_mut(o)
                .put(PropKey::Str(m), Value::str(message), HIDDEN);
        }
        self.attach_stack(o);
        Value::Obj(o)
    }
    /// Sets `stack` on an error from its name/message and the current frames.
    pub fn attach_stack(&mut self, o: ObjId) {
        let header = self.error_header(o);
        let mut s = header;
        s.push_str(&self.stack_trace_lines());
        let k = self.names.stack;
        self.heap
            .obj_mut(o)
            .put(PropKey::Str(k), Value::str(&s), HIDDEN);
    }
    pub fn error_header(&mut self, o: ObjId) -> String {
        let name = match self.get(&Value::Obj(o), PropKey::Str(self.names.name)) {
            Ok(Value::Str(s)) => s.to_string(),
            _ => "Error".to_string(),
        };
        let msg = match self.get(&Value::Obj(o), PropKey::Str(self.names.message)) {
            Ok(Value::Str(s)) => s.to_string(),
            Ok(Value::Undefined) | Err(_) => String::new(),
            Ok(v) => self.to_display(&v),
        };
        if msg.is_empty() {
            name
        } else if name.is_empty() {
            msg
        } else {
            format!("{name}: {msg}")
        }
    }
    /// "    at fn (file:line:col)" lines for the current frame stack (innermost first).
    pub fn stack_trace_lines(&self) -> String {
        self.stack_trace_lines_below(None)
    }
    /// Like [`Vm::stack_trace_lines`], but when `constructor` has a frame, that frame and the
    /// ones above it are left out (V8 starts an error's stack below its `new.target`).
    pub fn stack_trace_lines_below(&self, constructor: Option<ObjId>) -> String {
        let skip = constructor
            .and_then(|c| self.frames.iter().rev().position(|f| f.callee == c))
            .map_or(0, |i| i + 1);
        let mut s = String::new();
        for f in self
            .frames
            .iter()
            .rev()
            .skip(skip)
            .filter(|f| !self.program.functions[f.func as usize].internal)
            .take(10)
        {
            let code = &self.program.functions[f.func as usize];
            let pc = (f.pc as usize)
                .saturating_sub(1)
                .min(code.spans.len().saturating_sub(1));
            let off = code.spans.get(pc).copied().unwrap_or(code.start);
            let (l, c) = self.line_col(off);
            let name = match code.flavor {
                FuncFlavor::Script => "Object.<anonymous>".to_string(),
                _ if code.name.is_empty() => String::new(),
                _ => code.name.clone(),
            };
            if name.is_empty() {
                s.push_str(&format!("\n    at {}:{l}:{c}", self.filename));
            } else {
                s.push_str(&format!("\n    at {name} ({}:{l}:{c})", self.filename));
            }
        }
        s
    }
    pub fn type_error(&mut self, msg: &str) -> Value {
        let p = self.realm.type_error_proto;
        self.make_error(p, msg)
    }
    pub fn range_error(&mut self, msg: &str) -> Value {
        let p = self.realm.range_error_proto;
        self.make_error(p, msg)
    }
    pub fn reference_error(&mut self, msg: &str) -> Value {
        let p = self.realm.reference_error_proto;
        self.make_error(p, msg)
    }
    pub fn throw_type<T>(&mut self, msg: &str) -> Result<T, Value> {
        Err(self.type_error(msg))
    }

    // ---------- calling
    /// Calls a function from native code and runs it to completion (or suspension).
    pub fn call(&mut self, f: &Value, this: Value, args: &[Value]) -> JsResult {
        if self.abort.is_some() {
            return Err(Value::Undefined);
        }
        let Value::Obj(fo) = f else {
            let d = self.to_display_short(f);
            return self.throw_type(&format!("{d} is not a function"));
        };
        let fo = *fo;
        let kind = match &self.heap.obj(fo).kind {
            ObjKind::Function(k) => k.clone(),
            _ => {
                let d = self.to_display_short(f);
                return self.throw_type(&format!("{d} is not a function"));
            }
        };
        match kind {
            FuncKind::Native { id, data } => {
                let nf = self.natives[id as usize].f;
                self.native_depth += 1;
                if self.native_depth > 300 {
                    self.native_depth -= 1;
                    return Err(self.range_error("Maximum call stack size exceeded"));
                }
                let saved = self.new_target.take();
                let r = nf(self, this, args, &data);
                self.new_target = saved;
                self.native_depth -= 1;
                r
            }
            FuncKind::Bound {
                target,
                this: bthis,
                args: bargs,
            } => {
                let mut all: Vec<Value> = bargs.to_vec();
                all.extend_from_slice(args);
                self.call(&Value::Obj(target), bthis, &all)
            }
            FuncKind::Closure { .. } => {
                let base = self.frames.len();
                match self.push_frame_with_args(fo, this, args, Value::Undefined, false)? {
                    Some(v) => Ok(v),
                    None => self.run_nested(base),
                }
            }
        }
    }

    /// Runs frames pushed at index `base` to completion from a native context.
    pub fn run_nested(&mut self, base: usize) -> JsResult {
        self.native_depth += 1;
        if self.native_depth > 300 {
            self.native_depth -= 1;
            self.drop_frames(base);
            return Err(self.range_error("Maximum call stack size exceeded"));
        }
        let r = self.run(base);
        self.native_depth -= 1;
        r
    }

    /// `new F(...args)` from native code.
    pub fn construct(&mut self, f: &Value, args: &[Value], new_target: Option<Value>) -> JsResult {
        let Value::Obj(fo) = f else {
            let d = self.to_display_short(f);
            return self.throw_type(&format!("{d} is not a constructor"));
        };
        let fo = *fo;
        let nt = new_target.unwrap_or(Value::Obj(fo));
        let kind = match &self.heap.obj(fo).kind {
            ObjKind::Function(k) => k.clone(),
            _ => {
                let d = self.to_display_short(f);
                return self.throw_type(&format!("{d} is not a constructor"));
            }
        };
        match kind {
            FuncKind::Native { id, data } => {
                if !self.natives[id as usize].constructor {
                    let d = self
                        .callee_text()
                        .unwrap_or_else(|| self.to_display_short(f));
                    return self.throw_type(&format!("{d} is not a constructor"));
                }
                let nf = self.natives[id as usize].f;
                let saved = self.new_target.replace(nt);
                let r = nf(self, Value::Undefined, args, &data);
                self.new_target = saved;
                r
            }
            FuncKind::Bound {
                target,
                args: bargs,
                ..
            } => {
                let mut all: Vec<Value> = bargs.to_vec();
                all.extend_from_slice(args);
                let nt2 = if let Value::Obj(n) = nt {
                    if n == fo {
                        Value::Obj(target)
                    } else {
                        nt
                    }
                } else {
                    nt
                };
                self.construct(&Value::Obj(target), &all, Some(nt2))
            }
            FuncKind::Closure { func, .. } => {
                let code = &self.program.functions[func as usize];
                if matches!(code.flavor, FuncFlavor::Arrow | FuncFlavor::Method)
                    || code.is_async
                    || code.is_generator
                {
                    let d = self.to_display_short(f);
                    return self.throw_type(&format!("{d} is not a constructor"));
                }
                let base = self.frames.len();
                match self.push_frame_with_args(fo, Value::Undefined, args, nt, true)? {
                    Some(v) => Ok(v),
                    None => self.run_nested(base),
                }
            }
        }
    }

    /// Creates the `this` object for a base constructor from new.target's prototype.
    pub fn ordinary_create_from(
        &mut self,
        new_target: &Value,
        fallback: ObjId,
        kind: ObjKind,
    ) -> ObjId {
        let proto = match new_target {
            Value::Obj(_) => match self.get(new_target, PropKey::Str(self.names.prototype)) {
                Ok(Value::Obj(p)) => p,
                _ => fallback,
            },
            _ => fallback,
        };
        self.alloc(Some(proto), kind)
    }

    /// Pushes a frame for a closure called from native code with `args` (copied onto the value
    /// stack). Returns like [`Vm::push_closure_frame`].
    fn push_frame_with_args(
        &mut self,
        fo: ObjId,
        this: Value,
        args: &[Value],
        new_target: Value,
        construct: bool,
    ) -> Result<Option<Value>, Value> {
        let at = self.stack.len();
        self.stack.extend_from_slice(args);
        self.push_closure_frame(fo, this, at, args.len(), at, new_target, construct)
    }

    /// Pushes a frame for a closure call whose `argc` arguments are on the value stack from
    /// `args_base`; `drop_to` is where the stack is cut back to when the call is over. Returns
    /// Some(value) when the call completes immediately (generator creation), None when a frame
    /// was pushed. When no frame is pushed (a value or an error) the stack is already cut back.
    #[allow(clippy::too_many_arguments)]
    pub fn push_closure_frame(
        &mut self,
        fo: ObjId,
        this: Value,
        args_base: usize,
        argc: usize,
        drop_to: usize,
        new_target: Value,
        construct: bool,
    ) -> Result<Option<Value>, Value> {
        let r = self
            .push_closure_frame_inner(fo, this, args_base, argc, drop_to, new_target, construct);
        if !matches!(r, Ok(None)) {
            self.stack.truncate(drop_to);
        }
        r
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn push_closure_frame_inner(
        &mut self,
        fo: ObjId,
        this: Value,
        args_base: usize,
        argc: usize,
        drop_to: usize,
        new_target: Value,
        construct: bool,
    ) -> Result<Option<Value>, Value> {
        let ObjKind::Function(FuncKind::Closure {
            func,
            env,
            this_val,
            ..
        }) = &self.heap.obj(fo).kind
        else {
            return Err(Value::Undefined);
        };
        let (func, penv, this_val) = (*func, *env, this_val.clone());
        if self.frames.len() >= self.max_frames {
            return Err(self.range_error("Maximum call stack size exceeded"));
        }
        let code = &self.program.functions[func as usize];
        let (flavor, strict, env_size, this_slot, self_slot, is_async, is_generator) = (
            code.flavor,
            code.strict,
            code.env_size,
            code.this_slot,
            code.self_slot,
            code.is_async,
            code.is_generator,
        );
        if let FuncFlavor::ClassConstructor { .. } = flavor {
            if !construct {
                let n = code.name.clone();
                return Err(self.type_error(&format!(
                    "Class constructor {n} cannot be invoked without 'new'"
                )));
            }
        }
        let env = self.heap.new_env_uninit(env_size as usize, Some(penv));
        let mut kind = FrameKind::Normal;
        let mut this_v = match this_val {
            Some(t) => t,
            None => this,
        };
        if construct {
            kind = FrameKind::Construct;
            match flavor {
                FuncFlavor::ClassConstructor { derived: true } => this_v = Value::Uninit,
                _ => {
                    let op = self.realm.object_proto;
                    let o = self.ordinary_create_from(&new_target, op, ObjKind::Ordinary);
                    this_v = Value::Obj(o);
                }
            }
        }
        if !strict && !construct && flavor != FuncFlavor::Arrow {
            this_v = match this_v {
                Value::Undefined | Value::Null | Value::Uninit => Value::Obj(self.realm.global),
                Value::Obj(_) => this_v,
                prim => crate::builtins::object::to_object(self, &prim)
                    .map(Value::Obj)
                    .unwrap_or(prim),
            };
        }
        if let Some(ts) = this_slot {
            self.heap.envs[env as usize].slots[ts as usize] = this_v;
        }
        if let Some(ss) = self_slot {
            self.heap.envs[env as usize].slots[ss as usize] = Value::Obj(fo);
        }
        if is_async && !is_generator {
            let p = self.new_promise();
            kind = FrameKind::Async {
                promise: p,
                holder: None,
            };
        }
        let mut frame = Frame {
            func,
            pc: 0,
            args_base: args_base as u32,
            argc: argc as u32,
            drop_to: drop_to as u32,
            env,
            handlers: Vec::new(),
            callee: fo,
            new_target,
            kind,
            saved: Vec::new(),
        };
        if is_generator {
            frame.saved = self.stack.drain(args_base..).collect();
            self.stack.truncate(drop_to);
            let gp = match self.get(&Value::Obj(fo), PropKey::Str(self.names.prototype)) {
                Ok(Value::Obj(p)) => p,
                _ => self.realm.generator_proto,
            };
            let g = self.alloc(
                Some(gp),
                ObjKind::Generator(GenState::Suspended(Box::new(frame))),
            );
            if let ObjKind::Generator(GenState::Suspended(f)) = &mut self.heap.obj_mut(g).kind {
                if let FrameKind::Normal = f.kind {
                    f.kind = FrameKind::Generator { gen: g };
                }
            }
            if is_async {
                // an async generator: its body runs as this sync generator (awaits compile
                // to yields of a marker) driven by the prelude's AsyncGenerator queue
                let start = self
                    .host
                    .async_gen_start
                    .clone()
                    .unwrap_or(Value::Undefined);
                return self
                    .call(&start, Value::Undefined, &[Value::Obj(g)])
                    .map(Some);
            }
            return Ok(Some(Value::Obj(g)));
        }
        self.frames.push(frame);
        self.recorder.call(func, self.frames.len(), env);
        Ok(None)
    }

    /// The common case of `Call` from the loop, without the general path's checks: a
    /// closure that is not a class constructor, generator or async function, receiving
    /// `this` unchanged (strict, arrow, or an object; no bound `this`), below the frame limit. Its frame is
    /// pushed and true returned; false means nothing was done.
    #[inline(never)]
    fn push_plain_call(&mut self, argc: usize) -> bool {
        let len = self.stack.len();
        let Some(drop_to) = len.checked_sub(argc + 2) else {
            return false;
        };
        let Value::Obj(fo) = self.stack[drop_to] else {
            return false;
        };
        let ObjKind::Function(FuncKind::Closure {
            func,
            env: penv,
            this_val,
            ..
        }) = &self.heap.obj(fo).kind
        else {
            return false;
        };
        if this_val.is_some() {
            return false;
        }
        let (func, penv) = (*func, *penv);
        let code = &self.program.functions[func as usize];
        let plain = matches!(
            code.flavor,
            FuncFlavor::Normal | FuncFlavor::Arrow | FuncFlavor::Method
        ) && !code.is_async
            && !code.is_generator
            && (code.strict
                || code.flavor == FuncFlavor::Arrow
                || matches!(self.stack[drop_to + 1], Value::Obj(_)));
        if !plain || self.frames.len() >= self.max_frames {
            return false;
        }
        let this_v = std::mem::replace(&mut self.stack[drop_to + 1], Value::Undefined);
        let (this_slot, self_slot) = (code.this_slot, code.self_slot);
        let env = self.heap.new_env_uninit(code.env_size as usize, Some(penv));
        let slots = &mut self.heap.envs[env as usize].slots;
        if let Some(ts) = this_slot {
            slots[ts as usize] = this_v;
        }
        if let Some(ss) = self_slot {
            slots[ss as usize] = Value::Obj(fo);
        }
        // built in place: `Vec::push` of a frame is an out-of-line call and a copy
        self.frames.reserve(1);
        let end = self.frames.len();
        // SAFETY: capacity for one more frame was reserved; the slot past the end is
        // uninitialised and becomes part of the vector.
        unsafe {
            std::ptr::write(
                self.frames.as_mut_ptr().add(end),
                Frame {
                    func,
                    pc: 0,
                    args_base: (drop_to + 2) as u32,
                    argc: argc as u32,
                    drop_to: drop_to as u32,
                    env,
                    handlers: Vec::new(),
                    callee: fo,
                    new_target: Value::Undefined,
                    kind: FrameKind::Normal,
                    saved: Vec::new(),
                },
            );
            self.frames.set_len(end + 1);
        }
        self.recorder.call(func, self.frames.len(), env);
        true
    }
    /// Moves a suspending frame's arguments and operands off the value stack into the frame.
    fn detach(&mut self, f: &mut Frame) {
        let at = (f.args_base as usize).min(self.stack.len());
        f.saved = self.stack.split_off(at);
        self.stack.truncate(f.drop_to as usize);
    }

    /// Puts a resuming frame's arguments and operands back on top of the value stack.
    fn attach(&mut self, f: &mut Frame) {
        let at = self.stack.len() as u32;
        f.args_base = at;
        f.drop_to = at;
        self.stack.append(&mut f.saved);
    }

    /// Pops the frames from index `base` up, with their part of the value stack.
    fn drop_frames(&mut self, base: usize) {
        if let Some(f) = self.frames.get(base) {
            let to = f.drop_to as usize;
            self.stack.truncate(to);
        }
        self.frames.truncate(base);
    }

    /// Moves the top values of the stack from `args_base` into a (recycled) vector for a
    /// built-in, cutting the stack back to `drop_to`.
    fn take_args(&mut self, args_base: usize, drop_to: usize) -> Vec<Value> {
        let mut v = self.args_pool.pop().unwrap_or_default();
        let at = args_base.min(self.stack.len());
        v.extend(self.stack.drain(at..));
        self.stack.truncate(drop_to);
        v
    }

    fn recycle_args(&mut self, mut v: Vec<Value>) {
        if self.args_pool.len() < 64 && v.capacity() <= 64 {
            v.clear();
            self.args_pool.push(v);
        }
    }

    /// Calls `callee` from inside the run loop with the top `argc` values of the stack as its
    /// arguments: a closure gets a frame (its arguments stay where they are), a built-in runs
    /// now. `drop_to` is where the stack is cut back to once the call is over. Returns
    /// Some(result) if the result is available immediately.
    fn invoke(
        &mut self,
        callee: Value,
        this: Value,
        argc: usize,
        drop_to: usize,
    ) -> Result<Option<Value>, Value> {
        let args_base = self.stack.len().saturating_sub(argc);
        if let Value::Obj(fo) = &callee {
            if let ObjKind::Function(FuncKind::Closure { .. }) = &self.heap.obj(*fo).kind {
                return self.push_closure_frame(
                    *fo,
                    this,
                    args_base,
                    argc,
                    drop_to,
                    Value::Undefined,
                    false,
                );
            }
        }
        if !self.is_callable(&callee) {
            self.stack.truncate(drop_to);
            return Err(self.not_function_error(&callee));
        }
        let args = self.take_args(args_base, drop_to);
        let r = self.call(&callee, this, &args);
        self.recycle_args(args);
        r.map(Some)
    }

    fn not_function_error(&mut self, callee: &Value) -> Value {
        // Describe the callee by the expression that produced it, like V8 does.
        if let Some((_, Some(ErrorSite::IteratedCallee(t)))) = self.current_site() {
            let t = &self.program.strings[t as usize];
            let message = format!("{t} is not a function or its return value is not iterable");
            return self.type_error(&message);
        }
        let desc = self
            .callee_text()
            .unwrap_or_else(|| self.to_display_short(callee));
        self.type_error(&format!("{desc} is not a function"))
    }

    /// The current instruction of the running frame and the error site the compiler recorded
    /// for it (how V8 would name its operand in an error message).
    pub(crate) fn current_site(&self) -> Option<(&Instr, Option<ErrorSite>)> {
        let f = self.frames.last()?;
        let code = &self.program.functions[f.func as usize];
        let pc = (f.pc as usize).checked_sub(1)?;
        Some((code.code.get(pc)?, code.error_site(pc)))
    }

    /// Whether the frame at `fi` runs strict-mode code (where refused assignments throw).
    fn frame_is_strict(&self, fi: usize) -> bool {
        self.program.functions[self.frames[fi].func as usize].strict
    }

    /// The failing call's callee as V8 names it (`o.f(...).g`), when the current instruction
    /// is that call.
    fn callee_text(&self) -> Option<String> {
        match self.current_site()? {
            (
                Instr::Call(_) | Instr::CallSpread | Instr::New(_) | Instr::NewSpread,
                Some(ErrorSite::Callee(t)),
            ) => Some(self.program.strings[t as usize].clone()),
            _ => None,
        }
    }

    /// V8's description of a value it has no source text for: its type, and for primitives
    /// the value (`number 5`, `string "ab"`, `object null`, `undefined`).
    pub fn value_description(&mut self, v: &Value) -> String {
        let ty = self.type_of(v);
        match v {
            Value::Str(s) => format!("{ty} \"{s}\""),
            Value::Null | Value::Bool(_) | Value::Num(_) => {
                format!("{ty} {}", self.to_display(v))
            }
            _ => ty.to_string(),
        }
    }

    /// The TypeError for a value that is not iterable, worded as V8 words it at the current
    /// instruction (for-of, spread, destructuring, or a built-in).
    pub fn not_iterable_error(&mut self, v: &Value) -> Value {
        let site = self.current_site().map(|(i, s)| (i.clone(), s));
        let message = match site {
            Some((ins, Some(ErrorSite::Iterable { text, call }))) => {
                let t = &self.program.strings[text as usize];
                let what = if matches!(ins, Instr::GetAsyncIterator) {
                    "async iterable"
                } else {
                    "iterable"
                };
                if call {
                    format!("{t} is not a function or its return value is not {what}")
                } else {
                    format!("{t} is not {what}")
                }
            }
            Some((_, Some(ErrorSite::IterableCallResult(text)))) => {
                let t = &self.program.strings[text as usize];
                format!("{t} is not iterable (cannot read property Symbol(Symbol.iterator))")
            }
            Some((_, Some(ErrorSite::SpreadArgument(text)))) => match v {
                Value::Undefined | Value::Null => {
                    let t = &self.program.strings[text as usize];
                    let shown = if matches!(v, Value::Null) {
                        "null"
                    } else {
                        "undefined"
                    };
                    format!("{t} is not iterable (cannot read property {shown})")
                }
                _ => "Spread syntax requires ...iterable[Symbol.iterator] to be a function".into(),
            },
            _ => {
                let d = self.value_description(v);
                format!("{d} is not iterable (cannot read property Symbol(Symbol.iterator))")
            }
        };
        self.type_error(&message)
    }

    /// A destructuring TypeError for reading `key` of a null/undefined `o`, when the current
    /// instruction is the first read (or the check) of an object pattern.
    pub(crate) fn destructure_error(&mut self, o: &Value, key: Option<String>) -> Option<Value> {
        if !o.is_nullish() {
            return None;
        }
        let Some((_, Some(ErrorSite::Destructure(subject)))) = self.current_site() else {
            return None;
        };
        let shown = if matches!(o, Value::Null) {
            "null"
        } else {
            "undefined"
        };
        let named = match subject {
            Subject::Text(t) => self.program.strings[t as usize].clone(),
            Subject::TypedValue => self.value_description(o),
        };
        let message = match key {
            Some(k) => format!("Cannot destructure property '{k}' of '{named}' as it is {shown}."),
            None => format!("Cannot destructure '{named}' as it is {shown}."),
        };
        Some(self.type_error(&message))
    }

    /// `new callee(...)` from inside the run loop with the top `argc` values of the stack as
    /// arguments; `drop_to` as for [`Vm::invoke`].
    fn construct_in_loop(
        &mut self,
        callee: Value,
        argc: usize,
        drop_to: usize,
    ) -> Result<Option<Value>, Value> {
        let args_base = self.stack.len().saturating_sub(argc);
        if let Value::Obj(fo) = &callee {
            if let ObjKind::Function(FuncKind::Closure { func, .. }) = &self.heap.obj(*fo).kind {
                let code = &self.program.functions[*func as usize];
                if matches!(code.flavor, FuncFlavor::Arrow | FuncFlavor::Method)
                    || code.is_async
                    || code.is_generator
                {
                    self.stack.truncate(drop_to);
                    let d = self.callee_text().unwrap_or_default();
                    return Err(self.type_error(&format!("{d} is not a constructor")));
                }
                let fo = *fo;
                return self.push_closure_frame(
                    fo,
                    Value::Undefined,
                    args_base,
                    argc,
                    drop_to,
                    Value::Obj(fo),
                    true,
                );
            }
        }
        if !self.is_callable(&callee) {
            self.stack.truncate(drop_to);
            let d = self
                .callee_text()
                .unwrap_or_else(|| self.to_display_short(&callee));
            return Err(self.type_error(&format!("{d} is not a constructor")));
        }
        let args = self.take_args(args_base, drop_to);
        let r = self.construct(&callee, &args, None);
        self.recycle_args(args);
        r.map(Some)
    }

    // ---------- the interpreter loop
    /// Runs until the frame at index `base` completes; returns its completion value.
    pub fn run(&mut self, base: usize) -> JsResult {
        let program = self.program.clone();
        let trace = self.recorder.wants_instructions();
        loop {
            if self.frames.len() <= base {
                return Ok(Value::Undefined);
            }
            let fi = self.frames.len() - 1;
            let func = self.frames[fi].func;
            let code = &program.functions[func as usize];
            // the top frame's instructions, until one pushes, completes, suspends or throws
            let r = loop {
                let pc = self.frames[fi].pc;
                let Some(ins) = code.code.get(pc as usize) else {
                    return Err(Value::Undefined);
                };
                self.steps += 1;
                self.clock_ns += self.instr_cost_ns;
                if self.steps > self.budget {
                    self.abort = Some(Abort::Budget);
                }
                if self.steps & SAFE_POINT_MASK == 0 && self.abort.is_none() {
                    self.safe_point();
                }
                if self.abort.is_some() {
                    self.drop_frames(base);
                    return Err(Value::Undefined);
                }
                if trace {
                    self.recorder
                        .instruction(func, pc, code.spans[pc as usize], self.clock_ns);
                }
                self.frames[fi].pc = pc + 1;
                match self.step(ins, fi, base) {
                    Ok(Flow::Next) => {
                        if trace {
                            if let Instr::SetVar { depth, slot } | Instr::InitVar { depth, slot } =
                                ins
                            {
                                let env = self.env_at(self.frames[fi].env, *depth);
                                self.note_var(env, *slot);
                            }
                        }
                        if self.frames.len() != fi + 1 {
                            // a call pushed a frame
                            break Ok(Flow::Next);
                        }
                    }
                    other => break other,
                }
            };
            let delivered = match r {
                Ok(Flow::Next) => None,
                Ok(Flow::Complete(v)) => match self.complete_frame(v) {
                    Ok(v) => Some(v),
                    // the frame is gone: its caller gets the exception
                    Err(e) if self.frames.len() > base => self.unwind(e, base)?,
                    Err(e) => return Err(e),
                },
                // the suspending instruction already removed the frame
                Ok(Flow::Suspend(v)) => Some(v),
                // Some: an async frame turned the exception into a rejected promise
                Err(e) => self.unwind(e, base)?,
            };
            if let Some(v) = delivered {
                if self.frames.len() <= base {
                    return Ok(v);
                }
                self.stack.push(v);
            }
        }
    }

    /// The periodic check of the interpreter loop: collects garbage when due and allowed here,
    /// and stops the run when the live heap exceeds the heap budget. Where no collection may
    /// run (inside a built-in's callback) twice the budget is tolerated, since part of the
    /// count may be garbage.
    #[cold]
    #[inline(never)]
    fn safe_point(&mut self) {
        let collectable = self.native_depth == self.gc_depth;
        if collectable && (self.gc_due() || self.heap.object_count() > self.heap_budget) {
            self.collect_garbage();
        }
        let limit = if collectable {
            self.heap_budget
        } else {
            self.heap_budget.saturating_mul(2)
        };
        if self.heap.object_count() > limit {
            self.abort = Some(Abort::Heap);
        }
    }

    /// Cuts the value stack back below a finished frame and recycles its environment when
    /// nothing can reference it.
    fn recycle(&mut self, f: &Frame) {
        self.stack.truncate(f.drop_to as usize);
        if self.program.functions[f.func as usize].reuse_env {
            self.heap.free_envs.push(f.env);
        }
    }

    fn complete_frame(&mut self, v: Value) -> Result<Value, Value> {
        let f = self.frames.pop().expect("frame");
        self.recycle(&f);
        self.recorder.ret(self.frames.len());
        let v = match f.kind {
            FrameKind::Normal => v,
            FrameKind::Construct => {
                if let Value::Obj(_) = v {
                    v
                } else {
                    let code = &self.program.functions[f.func as usize];
                    let this = code
                        .this_slot
                        .map(|s| self.heap.envs[f.env as usize].slots[s as usize].clone());
                    match this {
                        Some(Value::Uninit) => {
                            return Err(self.reference_error(
                                "Must call super constructor in derived class before accessing 'this' or returning from derived constructor",
                            ))
                        }
                        Some(t) => t,
                        None => v,
                    }
                }
            }
            FrameKind::Async { promise, .. } => {
                self.resolve_promise_value(promise, v)?;
                Value::Obj(promise)
            }
            FrameKind::Generator { gen } => {
                if let ObjKind::Generator(st) = &mut self.heap.obj_mut(gen).kind {
                    *st = GenState::Done;
                }
                self.iter_result(v, true)
            }
        };
        Ok(v)
    }

    /// Unwinds an exception. Returns Ok(Some(v)) when an async frame absorbed it (v is its
    /// promise, to be delivered to the caller), Ok(None) when a handler took it, or Err when it
    /// escapes frame `base`.
    fn unwind(&mut self, e: Value, base: usize) -> Result<Option<Value>, Value> {
        loop {
            if self.abort.is_some() {
                self.drop_frames(base);
                return Err(e);
            }
            let Some(f) = self.frames.last_mut() else {
                return Err(e);
            };
            if let Some(h) = f.handlers.pop() {
                let keep = f.operand_base() + h.stack_len as usize;
                f.env = h.env;
                f.pc = h.pc;
                self.stack.truncate(keep);
                self.stack.push(e);
                return Ok(None);
            }
            let f = self.frames.pop().expect("frame");
            self.recycle(&f);
            self.recorder.ret(self.frames.len());
            match f.kind {
                FrameKind::Async { promise, .. } => {
                    self.reject_promise(promise, e);
                    return Ok(Some(Value::Obj(promise)));
                }
                FrameKind::Generator { gen } => {
                    if let ObjKind::Generator(st) = &mut self.heap.obj_mut(gen).kind {
                        *st = GenState::Done;
                    }
                }
                _ => {}
            }
            if self.frames.len() <= base {
                return Err(e);
            }
        }
    }

    #[inline(always)]
    fn env_at(&self, mut env: EnvId, depth: u16) -> EnvId {
        for _ in 0..depth {
            env = self.heap.envs[env as usize].parent.unwrap_or(env);
        }
        env
    }

    /// The arguments of frame `fi` (a running frame).
    #[inline(always)]
    fn frame_args(&self, fi: usize) -> &[Value] {
        let f = &self.frames[fi];
        let a = f.args_base as usize;
        self.stack.get(a..a + f.argc as usize).unwrap_or(&[])
    }

    #[inline(always)]
    fn pop(&mut self) -> Value {
        self.stack.pop().unwrap_or(Value::Undefined)
    }
    #[inline(always)]
    fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    /// Executes one instruction: the hot instructions inline, the rest in [`Vm::step_slow`].
    ///
    /// The hot paths read stack values through references and write results in place: moving
    /// a value that was just written (a tag byte and a payload, stored separately) as one
    /// 16-byte load stalls the processor's store forwarding.
    #[inline(always)]
    fn step(&mut self, ins: &Instr, fi: usize, base: usize) -> Result<Flow, Value> {
        let st = &mut self.stack;
        match ins {
            Instr::Num(n) => st.push_num(*n),
            Instr::Undef => st.push_undefined(),
            Instr::Pop => drop_top(st),
            Instr::Dup => {
                let v = st.last().map_or(Value::Undefined, Value::dup);
                st.push(v);
            }
            Instr::GetVar { depth, slot } => {
                let env = self.env_at(self.frames[fi].env, *depth);
                let v = &self.heap.envs[env as usize].slots[*slot as usize];
                if let Value::Uninit = v {
                    return Err(self.tdz_error());
                }
                let v = v.dup();
                self.stack.push(v);
            }
            Instr::InitVar { depth, slot } => {
                let v = st.pop().unwrap_or(Value::Undefined);
                let env = self.env_at(self.frames[fi].env, *depth);
                let old = &self.heap.envs[env as usize].slots[*slot as usize];
                if !matches!(old, Value::Uninit) && self.binds_this_again() {
                    return Err(self.reference_error("Super constructor may only be called once"));
                }
                self.heap.envs[env as usize].slots[*slot as usize] = v;
            }
            Instr::Arg(i) => {
                let f = &self.frames[fi];
                let v = if (*i as u32) < f.argc {
                    self.stack[(f.args_base + *i as u32) as usize].dup()
                } else {
                    Value::Undefined
                };
                self.stack.push(v);
            }
            Instr::Jump(t) => self.frames[fi].pc = *t,
            Instr::JumpIfFalse(t) | Instr::JumpIfTrue(t) => {
                let v = st.last().is_some_and(Value::truthy);
                drop_top(st);
                if v == matches!(ins, Instr::JumpIfTrue(_)) {
                    self.frames[fi].pc = *t;
                }
            }
            Instr::Add
            | Instr::Sub
            | Instr::Mul
            | Instr::Lt
            | Instr::Le
            | Instr::Gt
            | Instr::Ge
            | Instr::StrictEq
                if matches!(st.as_slice(), [.., Value::Num(_), Value::Num(_)]) =>
            {
                let n = st.len();
                let (Value::Num(a), Value::Num(b)) = (&st[n - 2], &st[n - 1]) else {
                    unreachable!()
                };
                let (a, b) = (*a, *b);
                // SAFETY: both operands are numbers (nothing to drop); the result replaces
                // the first, the length drops by one.
                unsafe {
                    st.set_len(n - 1);
                    let dst = st.as_mut_ptr().add(n - 2);
                    match ins {
                        Instr::Add => Value::write_num(dst, a + b),
                        Instr::Sub => Value::write_num(dst, a - b),
                        Instr::Mul => Value::write_num(dst, a * b),
                        Instr::Lt => Value::write_bool(dst, a < b),
                        Instr::Le => Value::write_bool(dst, a <= b),
                        Instr::Gt => Value::write_bool(dst, a > b),
                        Instr::Ge => Value::write_bool(dst, a >= b),
                        _ => Value::write_bool(dst, a == b),
                    }
                }
            }
            Instr::Return if fi > base && matches!(self.frames[fi].kind, FrameKind::Normal) => {
                // a plain frame returning to a caller in this loop
                self.return_to_caller();
            }
            _ => return self.step_slow(ins, fi),
        }
        Ok(Flow::Next)
    }

    /// `Return` of a normal frame whose caller runs in the same loop: the value goes straight
    /// onto the caller's stack.
    #[inline(never)]
    fn return_to_caller(&mut self) {
        let v = self.stack.pop().unwrap_or(Value::Undefined);
        if let Some(f) = self.frames.pop() {
            self.recycle(&f);
            self.recorder.ret(self.frames.len());
        }
        self.stack.push(v);
    }

    #[inline(never)]
    fn step_slow(&mut self, ins: &Instr, fi: usize) -> Result<Flow, Value> {
        match ins {
            Instr::Undef => self.push(Value::Undefined),
            Instr::Null => self.push(Value::Null),
            Instr::True => self.push(Value::Bool(true)),
            Instr::False => self.push(Value::Bool(false)),
            Instr::Num(n) => self.push(Value::Num(*n)),
            Instr::Str(i) => {
                let s = self.str_vals[*i as usize].clone();
                self.push(Value::Str(s))
            }
            Instr::Pop => {
                self.pop();
            }
            Instr::Dup => {
                let v = self.stack.last().cloned().unwrap_or(Value::Undefined);
                self.push(v);
            }
            Instr::Dup2 => {
                let st = &mut self.stack;
                let n = st.len();
                if n >= 2 {
                    let a = st[n - 2].clone();
                    let b = st[n - 1].clone();
                    st.push(a);
                    st.push(b);
                }
            }
            Instr::Swap => {
                let st = &mut self.stack;
                let n = st.len();
                if n >= 2 {
                    st.swap(n - 1, n - 2);
                }
            }
            Instr::RotRight3 => {
                let st = &mut self.stack;
                let n = st.len();
                if n >= 3 {
                    st[n - 3..].rotate_right(1);
                }
            }
            Instr::RotRight4 => {
                let st = &mut self.stack;
                let n = st.len();
                if n >= 4 {
                    st[n - 4..].rotate_right(1);
                }
            }
            Instr::GetVar { depth, slot } => {
                let env = self.env_at(self.frames[fi].env, *depth);
                let v = self.heap.envs[env as usize].slots[*slot as usize].clone();
                if let Value::Uninit = v {
                    return Err(self.tdz_error());
                }
                self.push(v);
            }
            Instr::SetVar { depth, slot } => {
                let env = self.env_at(self.frames[fi].env, *depth);
                if let Value::Uninit = self.heap.envs[env as usize].slots[*slot as usize] {
                    return Err(self.tdz_error());
                }
                let v = self.stack.last().cloned().unwrap_or(Value::Undefined);
                self.heap.envs[env as usize].slots[*slot as usize] = v;
            }
            Instr::InitVar { depth, slot } => {
                let v = self.pop();
                let env = self.env_at(self.frames[fi].env, *depth);
                let old = &self.heap.envs[env as usize].slots[*slot as usize];
                if !matches!(old, Value::Uninit) && self.binds_this_again() {
                    return Err(self.reference_error("Super constructor may only be called once"));
                }
                self.heap.envs[env as usize].slots[*slot as usize] = v;
            }
            Instr::ConstAssign(_) => {
                return Err(self.type_error("Assignment to constant variable."))
            }
            Instr::GetGlobal(i) => {
                let k = PropKey::Str(self.str_atoms[*i as usize]);
                let g = self.realm.global;
                if !self.has_property(g, k) {
                    let n = self.str_vals[*i as usize].clone();
                    return Err(self.reference_error(&format!("{n} is not defined")));
                }
                let v = self.get(&Value::Obj(g), k)?;
                self.push(v);
            }
            Instr::SetGlobal(i) => {
                let k = PropKey::Str(self.str_atoms[*i as usize]);
                let v = self.stack.last().cloned().unwrap_or(Value::Undefined);
                let g = self.realm.global;
                // strict code may not create a global by assigning to an undeclared name
                if self.frame_is_strict(fi) && !self.has_property(g, k) {
                    let n = self.str_vals[*i as usize].clone();
                    return Err(self.reference_error(&format!("{n} is not defined")));
                }
                self.set(&Value::Obj(g), k, v)?;
            }
            Instr::TypeofGlobal(i) => {
                let k = PropKey::Str(self.str_atoms[*i as usize]);
                let g = self.realm.global;
                let v = if self.has_property(g, k) {
                    self.get(&Value::Obj(g), k)?
                } else {
                    Value::Undefined
                };
                let t = self.type_of(&v);
                self.push(Value::str(t));
            }
            Instr::PushEnv(n) => {
                let parent = self.frames[fi].env;
                let e = self.heap.new_env_uninit(*n as usize, Some(parent));
                self.frames[fi].env = e;
            }
            Instr::PopEnv => {
                let e = self.frames[fi].env;
                if let Some(p) = self.heap.envs[e as usize].parent {
                    self.frames[fi].env = p;
                }
            }
            Instr::CopyEnv => {
                let e = self.frames[fi].env;
                self.frames[fi].env = self.heap.copy_env(e);
            }
            Instr::GetProp(i) => {
                let o = self.pop();
                let k = PropKey::Str(self.str_atoms[*i as usize]);
                let v = match self.get_named(&o, k, *i) {
                    Ok(v) => v,
                    Err(e) => {
                        let key = Some(self.key_display(k));
                        return Err(self.destructure_error(&o, key).unwrap_or(e));
                    }
                };
                self.push(v);
            }
            Instr::SetProp(i) => {
                let v = self.pop();
                let o = self.pop();
                let k = PropKey::Str(self.str_atoms[*i as usize]);
                if !self.set_checked(&o, k, v.clone())? && self.frame_is_strict(fi) {
                    return Err(self.failed_set_error(&o, k));
                }
                self.push(v);
            }
            Instr::GetElem => {
                let key = self.pop();
                let o = self.pop();
                let v = match self.get_elem(&o, &key) {
                    Ok(v) => v,
                    Err(e) => {
                        let key = Some(self.to_display(&key));
                        return Err(self.destructure_error(&o, key).unwrap_or(e));
                    }
                };
                self.push(v);
            }
            Instr::SetElem => {
                let v = self.pop();
                let key = self.pop();
                let o = self.pop();
                if !self.set_elem(&o, &key, v.clone())? && self.frame_is_strict(fi) {
                    let k = self.to_property_key(&key)?;
                    return Err(self.failed_set_error(&o, k));
                }
                self.push(v);
            }
            Instr::DeleteProp(i) => {
                let o = self.pop();
                let k = PropKey::Str(self.str_atoms[*i as usize]);
                let r = self.delete(&o, k)?;
                self.push(Value::Bool(r));
            }
            Instr::DeleteElem => {
                let key = self.pop();
                let o = self.pop();
                let k = self.to_property_key(&key)?;
                if let (Value::Obj(id), Some(idx)) = (&o, self.heap.key_is_index(k)) {
                    if let ObjKind::Array(items) = &mut self.heap.obj_mut(*id).kind {
                        if (idx as usize) < items.len() {
                            items[idx as usize] = Value::Uninit;
                        }
                        self.push(Value::Bool(true));
                        return Ok(Flow::Next);
                    }
                }
                let r = self.delete(&o, k)?;
                self.push(Value::Bool(r));
            }
            Instr::GetSuper(i) => {
                let this = self.pop();
                let callee = self.frames[fi].callee;
                let home = match &self.heap.obj(callee).kind {
                    ObjKind::Function(FuncKind::Closure { home, .. }) => *home,
                    _ => None,
                };
                let Some(home) = home else {
                    return Err(self.type_error("'super' keyword unexpected here"));
                };
                let proto = self.heap.obj(home).proto;
                let k = PropKey::Str(self.str_atoms[*i as usize]);
                let v = match proto {
                    Some(p) => self.get_with_receiver(p, k, &this)?,
                    None => Value::Undefined,
                };
                self.push(v);
            }
            Instr::Add => {
                let b = self.pop();
                let a = self.pop();
                let v = match (&a, &b) {
                    (Value::Num(x), Value::Num(y)) => Value::Num(x + y),
                    _ => self.add(a, b)?,
                };
                self.push(v);
            }
            Instr::Sub | Instr::Mul | Instr::Div | Instr::Mod | Instr::Exp => {
                let b = self.pop();
                let a = self.pop();
                let (x, y) = match (&a, &b) {
                    (Value::Num(x), Value::Num(y)) => (*x, *y),
                    _ => (self.to_number(&a)?, self.to_number(&b)?),
                };
                let r = match ins {
                    Instr::Sub => x - y,
                    Instr::Mul => x * y,
                    Instr::Div => x / y,
                    Instr::Mod => js_rem(x, y),
                    _ => js_pow(x, y),
                };
                self.push(Value::Num(r));
            }
            Instr::BitAnd
            | Instr::BitOr
            | Instr::BitXor
            | Instr::Shl
            | Instr::Shr
            | Instr::UShr => {
                let b = self.pop();
                let a = self.pop();
                let x = self.to_number(&a)?;
                let y = self.to_number(&b)?;
                let xi = crate::value::to_int32(x);
                let yu = crate::value::to_uint32(y);
                let r = match ins {
                    Instr::BitAnd => (xi & crate::value::to_int32(y)) as f64,
                    Instr::BitOr => (xi | crate::value::to_int32(y)) as f64,
                    Instr::BitXor => (xi ^ crate::value::to_int32(y)) as f64,
                    Instr::Shl => xi.wrapping_shl(yu & 31) as f64,
                    Instr::Shr => (xi >> (yu & 31)) as f64,
                    _ => (crate::value::to_uint32(x) >> (yu & 31)) as f64,
                };
                self.push(Value::Num(r));
            }
            Instr::Eq | Instr::Ne => {
                let b = self.pop();
                let a = self.pop();
                let r = self.loose_eq(&a, &b)?;
                self.push(Value::Bool(if matches!(ins, Instr::Eq) { r } else { !r }));
            }
            Instr::StrictEq => {
                let b = self.pop();
                let a = self.pop();
                self.push(Value::Bool(a.strict_eq(&b)));
            }
            Instr::StrictNe => {
                let b = self.pop();
                let a = self.pop();
                self.push(Value::Bool(!a.strict_eq(&b)));
            }
            Instr::Lt | Instr::Le | Instr::Gt | Instr::Ge => {
                let b = self.pop();
                let a = self.pop();
                let r = match (&a, &b) {
                    (Value::Num(x), Value::Num(y)) => match ins {
                        Instr::Lt => x < y,
                        Instr::Le => x <= y,
                        Instr::Gt => x > y,
                        _ => x >= y,
                    },
                    _ => self.compare(a, b, ins)?,
                };
                self.push(Value::Bool(r));
            }
            Instr::InstanceOf => {
                let b = self.pop();
                let a = self.pop();
                let r = self.instance_of(&a, &b)?;
                self.push(Value::Bool(r));
            }
            Instr::In => {
                let b = self.pop();
                let a = self.pop();
                let Value::Obj(o) = b else {
                    let key = self.to_display(&a);
                    let target = self.to_display(&b);
                    return Err(self.type_error(&format!(
                        "Cannot use 'in' operator to search for '{key}' in {target}"
                    )));
                };
                let k = self.to_property_key(&a)?;
                let r = self.has_property(o, k);
                self.push(Value::Bool(r));
            }
            Instr::Neg => {
                let a = self.pop();
                let x = self.to_number(&a)?;
                self.push(Value::Num(-x));
            }
            Instr::ToNumber => {
                let a = self.pop();
                let x = match a {
                    Value::Num(n) => n,
                    _ => self.to_number(&a)?,
                };
                self.push(Value::Num(x));
            }
            Instr::Inc | Instr::Dec => {
                let a = self.pop();
                let x = self.to_number(&a)?;
                self.push(Value::Num(if matches!(ins, Instr::Inc) {
                    x + 1.0
                } else {
                    x - 1.0
                }));
            }
            Instr::Not => {
                let a = self.pop();
                self.push(Value::Bool(!a.truthy()));
            }
            Instr::BitNot => {
                let a = self.pop();
                let x = self.to_number(&a)?;
                self.push(Value::Num(!crate::value::to_int32(x) as f64));
            }
            Instr::Typeof => {
                let a = self.pop();
                let t = self.type_of(&a);
                let v = self.intern(t);
                self.push(v);
            }
            Instr::ToStringValue => {
                let a = self.pop();
                let s = match a {
                    Value::Str(_) => a,
                    Value::Sym(_) => {
                        return Err(self.type_error("Cannot convert a Symbol value to a string"))
                    }
                    _ => Value::str(&self.to_string(&a)?),
                };
                self.push(s);
            }
            Instr::Jump(t) => self.frames[fi].pc = *t,
            Instr::JumpIfFalse(t) => {
                let v = self.pop();
                if !v.truthy() {
                    self.frames[fi].pc = *t;
                }
            }
            Instr::JumpIfTrue(t) => {
                let v = self.pop();
                if v.truthy() {
                    self.frames[fi].pc = *t;
                }
            }
            Instr::JumpIfFalseKeep(t) => {
                let v = self.stack.last().map(|v| v.truthy()).unwrap_or(false);
                if !v {
                    self.frames[fi].pc = *t;
                } else {
                    self.pop();
                }
            }
            Instr::JumpIfTrueKeep(t) => {
                let v = self.stack.last().map(|v| v.truthy()).unwrap_or(false);
                if v {
                    self.frames[fi].pc = *t;
                } else {
                    self.pop();
                }
            }
            Instr::JumpIfNotNullishKeep(t) => {
                let n = self.stack.last().map(|v| v.is_nullish()).unwrap_or(true);
                if !n {
                    self.frames[fi].pc = *t;
                } else {
                    self.pop();
                }
            }
            Instr::JumpIfNullishUndef(t) => {
                let n = self.stack.last().map(|v| v.is_nullish()).unwrap_or(true);
                if n {
                    self.pop();
                    self.push(Value::Undefined);
                    self.frames[fi].pc = *t;
                }
            }
            Instr::Call(argc) => {
                // callee this args... : the arguments stay where they are
                let argc = *argc as usize;
                if self.push_plain_call(argc) {
                    return Ok(Flow::Next);
                }
                let args_base = self.stack.len().saturating_sub(argc);
                let drop_to = args_base.saturating_sub(2);
                if args_base < drop_to + 2 {
                    return Err(self.type_error("internal error: call without a callee"));
                }
                let callee = std::mem::replace(&mut self.stack[drop_to], Value::Undefined);
                let this = std::mem::replace(&mut self.stack[drop_to + 1], Value::Undefined);
                if let Some(v) = self.invoke(callee, this, argc, drop_to)? {
                    self.push(v);
                }
            }
            Instr::CallSpread => {
                let arr = self.pop();
                let this = self.pop();
                let callee = self.pop();
                let drop_to = self.stack.len();
                let args = self.array_items(&arr);
                let argc = args.len();
                self.stack.extend(args);
                if let Some(v) = self.invoke(callee, this, argc, drop_to)? {
                    self.push(v);
                }
            }
            Instr::New(argc) => {
                let argc = *argc as usize;
                let args_base = self.stack.len().saturating_sub(argc);
                let Some(drop_to) = args_base.checked_sub(1) else {
                    return Err(self.type_error("internal error: new without a callee"));
                };
                let callee = std::mem::replace(&mut self.stack[drop_to], Value::Undefined);
                if let Some(v) = self.construct_in_loop(callee, argc, drop_to)? {
                    self.push(v);
                }
            }
            Instr::NewSpread => {
                let arr = self.pop();
                let callee = self.pop();
                let drop_to = self.stack.len();
                let args = self.array_items(&arr);
                let argc = args.len();
                self.stack.extend(args);
                if let Some(v) = self.construct_in_loop(callee, argc, drop_to)? {
                    self.push(v);
                }
            }
            Instr::SuperCall(_) | Instr::SuperCallSpread => {
                let argc = match ins {
                    Instr::SuperCall(n) => *n as usize,
                    _ => {
                        let a = self.pop();
                        let items = self.array_items(&a);
                        let n = items.len();
                        self.stack.extend(items);
                        n
                    }
                };
                let args_base = self.stack.len().saturating_sub(argc);
                let callee = self.frames[fi].callee;
                let parent = self.heap.obj(callee).proto;
                let nt = self.frames[fi].new_target.clone();
                // `extends null` leaves Function.prototype as the parent: V8 calls it null
                let parent = parent.filter(|p| *p != self.realm.function_proto);
                let Some(parent) = parent else {
                    self.stack.truncate(args_base);
                    let name = match &self.heap.obj(callee).kind {
                        ObjKind::Function(fk) => self.function_name(callee, &fk.clone()),
                        _ => String::new(),
                    };
                    let name = if name.is_empty() {
                        "anonymous class".to_string()
                    } else {
                        name
                    };
                    return Err(self.type_error(&format!(
                        "Super constructor null of {name} is not a constructor"
                    )));
                };
                if let ObjKind::Function(FuncKind::Closure { .. }) = &self.heap.obj(parent).kind {
                    if let Some(v) = self.push_closure_frame(
                        parent,
                        Value::Undefined,
                        args_base,
                        argc,
                        args_base,
                        nt,
                        true,
                    )? {
                        self.push(v);
                    }
                } else {
                    let args = self.take_args(args_base, args_base);
                    let r = self.construct(&Value::Obj(parent), &args, Some(nt));
                    self.recycle_args(args);
                    let v = r?;
                    self.push(v);
                }
            }
            Instr::Return => {
                let v = self.pop();
                return Ok(Flow::Complete(v));
            }
            Instr::Throw => {
                let v = self.pop();
                if let Value::Obj(o) = v {
                    let f = &self.frames[fi];
                    let code = &self.program.functions[f.func as usize];
                    if !code.internal {
                        let at = code.spans[(f.pc as usize).saturating_sub(1)];
                        self.last_throw = Some((o, at));
                    }
                }
                return Err(v);
            }
            Instr::PushHandler(t) => {
                let f = &mut self.frames[fi];
                let h = Handler {
                    pc: *t,
                    stack_len: self.stack.len().saturating_sub(f.operand_base()) as u32,
                    env: f.env,
                };
                f.handlers.push(h);
            }
            Instr::PopHandler => {
                self.frames[fi].handlers.pop();
            }
            Instr::NewObject => {
                let o = self.new_object();
                self.push(Value::Obj(o));
            }
            Instr::NewArray => {
                let a = self.new_array(Vec::new());
                self.push(a);
            }
            Instr::ArrayPush => {
                let v = self.pop();
                if let Some(Value::Obj(a)) = self.stack.last() {
                    let a = *a;
                    if let ObjKind::Array(items) = &mut self.heap.obj_mut(a).kind {
                        items.push(v);
                    }
                }
            }
            Instr::ArrayHole => {
                if let Some(Value::Obj(a)) = self.stack.last() {
                    let a = *a;
                    if let ObjKind::Array(items) = &mut self.heap.obj_mut(a).kind {
                        items.push(Value::Uninit);
                    }
                }
            }
            Instr::ArraySpread => {
                // arr iter next -> arr
                let next = self.pop();
                let iter = self.pop();
                let items = self.drain_iterator(&iter, &next)?;
                if let Some(Value::Obj(a)) = self.stack.last() {
                    let a = *a;
                    if let ObjKind::Array(v) = &mut self.heap.obj_mut(a).kind {
                        v.extend(items);
                    }
                }
            }
            Instr::DefineField => {
                let v = self.pop();
                let k = self.pop();
                let private = matches!(&k, Value::Str(s) if s.starts_with('#'));
                let k = self.to_property_key(&k)?;
                if let Some(Value::Obj(o)) = self.stack.last() {
                    let o = *o;
                    if private {
                        self.heap.obj_mut(o).put(k, v, WRITABLE);
                    } else {
                        self.define_own(o, k, v);
                    }
                }
            }
            Instr::DefineNamed(i) => {
                let v = self.pop();
                let k = PropKey::Str(self.str_atoms[*i as usize]);
                if let Some(Value::Obj(o)) = self.stack.last() {
                    let o = *o;
                    self.define_own(o, k, v);
                }
            }
            Instr::DefineMethod { kind, enumerable } => {
                let f = self.pop();
                let k = self.pop();
                let k = self.to_property_key(&k)?;
                let Some(Value::Obj(o)) = self.stack.last() else {
                    return Ok(Flow::Next);
                };
                let o = *o;
                if let Value::Obj(fo) = &f {
                    if let ObjKind::Function(FuncKind::Closure { home, .. }) =
                        &mut self.heap.obj_mut(*fo).kind
                    {
                        *home = Some(o);
                    }
                }
                let flags = if *enumerable { DEFAULT_FLAGS } else { HIDDEN };
                let obj = self.heap.obj_mut(o);
                match kind {
                    0 => obj.put(k, f, flags),
                    _ => {
                        let (mut g, mut s) = (Value::Undefined, Value::Undefined);
                        if let Some(Prop {
                            slot: Slot::Accessor { get, set },
                            ..
                        }) = obj.get_own(k)
                        {
                            g = get.clone();
                            s = set.clone();
                        }
                        if *kind == 1 {
                            g = f;
                        } else {
                            s = f;
                        }
                        obj.remove(k);
                        obj.push_prop(Prop {
                            key: k,
                            slot: Slot::Accessor { get: g, set: s },
                            flags,
                        });
                    }
                }
            }
            Instr::CopyDataProps => {
                let src = self.pop();
                if let Some(Value::Obj(o)) = self.stack.last() {
                    let o = *o;
                    self.copy_data_props(o, &src, &[])?;
                }
            }
            Instr::RequireObjectCoercible => {
                let v = self.stack.last().cloned().unwrap_or(Value::Undefined);
                if let Some(e) = self.destructure_error(&v, None) {
                    return Err(e);
                }
            }
            Instr::ObjectRest => {
                let excluded = self.pop();
                let src = self.pop();
                let keys = self.array_items(&excluded);
                let mut ex = Vec::new();
                for k in keys {
                    ex.push(self.to_property_key(&k)?);
                }
                let o = self.new_object();
                self.copy_data_props(o, &src, &ex)?;
                self.push(Value::Obj(o));
            }
            Instr::Closure(idx) => {
                let env = self.frames[fi].env;
                let code = &self.program.functions[*idx as usize];
                let (is_arrow, is_generator) =
                    (code.flavor == FuncFlavor::Arrow, code.is_generator);
                let (this_val, home) = if is_arrow {
                    let callee = self.frames[fi].callee;
                    let home = match &self.heap.obj(callee).kind {
                        ObjKind::Function(FuncKind::Closure { home, .. }) => *home,
                        _ => None,
                    };
                    (None, home)
                } else {
                    (None, None)
                };
                let p = self.realm.function_proto;
                let o = self.alloc(
                    Some(p),
                    ObjKind::Function(FuncKind::Closure {
                        func: *idx,
                        env,
                        this_val,
                        home,
                    }),
                );
                if is_generator {
                    let gp = self.realm.generator_proto;
                    let proto = self.alloc(Some(gp), ObjKind::Ordinary);
                    let k = PropKey::Str(self.names.prototype);
                    self.heap.obj_mut(o).put(k, Value::Obj(proto), WRITABLE);
                }
                self.push(Value::Obj(o));
            }
            Instr::MakeClass { has_super } => {
                let ctor = self.pop();
                let sup = if *has_super { Some(self.pop()) } else { None };
                let Value::Obj(c) = ctor else {
                    return Ok(Flow::Next);
                };
                let mut proto_parent = Some(self.realm.object_proto);
                if let Some(s) = sup {
                    match &s {
                        Value::Null => {
                            proto_parent = None;
                        }
                        Value::Obj(so) if self.is_callable(&s) => {
                            let so = *so;
                            self.heap.obj_mut(c).proto = Some(so);
                            let pp = self.get(&s, PropKey::Str(self.names.prototype))?;
                            proto_parent = match pp {
                                Value::Obj(p) => Some(p),
                                _ => None,
                            };
                        }
                        _ => {
                            let d = self.to_display_short(&s);
                            return Err(self.type_error(&format!(
                                "Class extends value {d} is not a constructor or null"
                            )));
                        }
                    }
                }
                let proto = self.alloc(proto_parent, ObjKind::Ordinary);
                let kp = PropKey::Str(self.names.prototype);
                let kc = PropKey::Str(self.names.constructor);
                self.heap.obj_mut(c).put(kp, Value::Obj(proto), 0);
                self.heap.obj_mut(proto).put(kc, Value::Obj(c), HIDDEN);
                if let ObjKind::Function(FuncKind::Closure { home, .. }) =
                    &mut self.heap.obj_mut(c).kind
                {
                    *home = Some(proto);
                }
                self.push(Value::Obj(c));
                self.push(Value::Obj(proto));
            }
            Instr::Arg(i) => {
                let v = self
                    .frame_args(fi)
                    .get(*i as usize)
                    .cloned()
                    .unwrap_or(Value::Undefined);
                self.push(v);
            }
            Instr::RestArgs(n) => {
                let rest: Vec<Value> = self
                    .frame_args(fi)
                    .iter()
                    .skip(*n as usize)
                    .cloned()
                    .collect();
                let a = self.new_array(rest);
                self.push(a);
            }
            Instr::Arguments => {
                let args = self.frame_args(fi).to_vec();
                let p = self.realm.object_proto;
                let o = self.alloc(Some(p), ObjKind::Arguments);
                for (i, a) in args.iter().enumerate() {
                    let k = self.heap.key(&i.to_string());
                    self.heap.obj_mut(o).put(k, a.clone(), DEFAULT_FLAGS);
                }
                let k = PropKey::Str(self.names.length);
                self.heap
                    .obj_mut(o)
                    .put(k, Value::Num(args.len() as f64), HIDDEN);
                self.push(Value::Obj(o));
            }
            Instr::NewTarget => {
                let v = self.frames[fi].new_target.clone();
                self.push(v);
            }
            Instr::GetIterator => {
                let v = self.pop();
                let (it, next) = self.get_iterator(&v)?;
                self.push(it);
                self.push(next);
            }
            Instr::GetAsyncIterator => {
                let v = self.pop();
                let (it, next) = self.get_async_iterator(&v)?;
                self.push(it);
                self.push(next);
            }
            Instr::IterCall => {
                let next = self.pop();
                let it = self.pop();
                // fast path for array iterators
                if let Some(r) = self.fast_array_iter_next(&it) {
                    self.push(r);
                    return Ok(Flow::Next);
                }
                let at = self.stack.len();
                if let Some(v) = self.invoke(next, it, 0, at)? {
                    self.push(v);
                }
            }
            Instr::IterDone => {
                let r = self.pop();
                if !matches!(r, Value::Obj(_)) {
                    let d = self.to_display_short(&r);
                    return Err(self.type_error(&format!("Iterator result {d} is not an object")));
                }
                let d = self.get(&r, PropKey::Str(self.names.done))?;
                self.push(Value::Bool(d.truthy()));
            }
            Instr::IterValue => {
                let r = self.pop();
                let v = if let Value::Obj(_) = r {
                    self.get(&r, PropKey::Str(self.names.value))?
                } else {
                    Value::Undefined
                };
                self.push(v);
            }
            Instr::IterClose => {
                let _next = self.pop();
                let it = self.pop();
                if let Value::Obj(_) = it {
                    let ret = self.get(&it, PropKey::Str(self.names.ret))?;
                    if self.is_callable(&ret) {
                        self.call(&ret, it, &[])?;
                    }
                }
            }
            Instr::ForInPrepare => {
                let o = self.pop();
                let keys = self.for_in_keys(&o);
                let arr = self.new_array(keys);
                self.push(arr);
                self.push(Value::Num(0.0));
            }
            Instr::ForInNext(t) => {
                let idx = self.pop();
                let arr = self.stack.last().cloned().unwrap_or(Value::Undefined);
                let i = if let Value::Num(n) = idx {
                    n as usize
                } else {
                    0
                };
                let item = match &arr {
                    Value::Obj(a) => match &self.heap.obj(*a).kind {
                        ObjKind::Array(items) => items.get(i).cloned(),
                        _ => None,
                    },
                    _ => None,
                };
                match item {
                    Some(k) => {
                        self.push(Value::Num((i + 1) as f64));
                        self.push(k);
                    }
                    None => {
                        self.push(idx);
                        self.frames[fi].pc = *t;
                    }
                }
            }
            Instr::Await => {
                let v = self.pop();
                return self.await_value(v);
            }
            Instr::Yield => {
                let v = self.pop();
                let FrameKind::Generator { gen } = self.frames[fi].kind else {
                    return Err(self.type_error("yield outside a generator"));
                };
                let mut f = self.frames.pop().expect("frame");
                self.detach(&mut f);
                self.recorder.ret(self.frames.len());
                if let ObjKind::Generator(st) = &mut self.heap.obj_mut(gen).kind {
                    *st = GenState::Suspended(Box::new(f));
                }
                let r = self.iter_result(v, false);
                return Ok(Flow::Suspend(r));
            }
            Instr::Debugger | Instr::Nop => {}
            Instr::Tdz { depth, slot } => {
                let env = self.env_at(self.frames[fi].env, *depth);
                self.heap.envs[env as usize].slots[*slot as usize] = Value::Uninit;
            }
            Instr::CheckCatchable => {
                if let (Some(s), Some(Value::Obj(o))) = (self.gen_return_signal, self.stack.last())
                {
                    if *o == s {
                        let v = self.pop();
                        return Err(v);
                    }
                }
            }
        }
        Ok(Flow::Next)
    }

    /// Whether the current InitVar binds `this` after a `super()` call (a second call is a
    /// ReferenceError once the parent constructor has run).
    fn binds_this_again(&self) -> bool {
        matches!(self.current_site(), Some((_, Some(ErrorSite::Binding(n))))
            if self.program.strings[n as usize] == "this")
    }

    /// The ReferenceError for a binding read or written in its temporal dead zone, named by
    /// the current instruction's site (`this` before `super()` in a derived constructor).
    fn tdz_error(&mut self) -> Value {
        let name = match self.current_site() {
            Some((_, Some(ErrorSite::Binding(n)))) => self.program.strings[n as usize].clone(),
            _ => "variable".into(),
        };
        if name == "this" {
            return self.reference_error(
                "Must call super constructor in derived class before accessing 'this' or returning from derived constructor",
            );
        }
        self.reference_error(&format!("Cannot access '{name}' before initialization"))
    }

    /// `await v`: suspends the current async frame until the promise for `v` settles.
    fn await_value(&mut self, v: Value) -> Result<Flow, Value> {
        let promise = self.promise_resolve(v)?;
        let Some(Frame {
            kind:
                FrameKind::Async {
                    promise: own,
                    holder,
                },
            ..
        }) = self.frames.last()
        else {
            return Err(self.type_error("await is only valid in async functions"));
        };
        let (own, holder) = (*own, *holder);
        let mut f = self.frames.pop().expect("frame");
        self.detach(&mut f);
        self.recorder.ret(self.frames.len());
        let (holder, on_ful, on_rej) = match holder {
            Some(h) => h,
            None => {
                let h = self.alloc(None, ObjKind::AsyncFrame(None));
                let on_ful = self.native_fn(
                    self.ids.async_resume,
                    vec![Value::Obj(h), Value::Bool(false)],
                );
                let on_rej = self.native_fn(
                    self.ids.async_resume,
                    vec![Value::Obj(h), Value::Bool(true)],
                );
                f.kind = FrameKind::Async {
                    promise: own,
                    holder: Some((h, on_ful, on_rej)),
                };
                (h, on_ful, on_rej)
            }
        };
        if let ObjKind::AsyncFrame(slot) = &mut self.heap.obj_mut(holder).kind {
            *slot = Some(Box::new(f));
        }
        self.perform_then(promise, Value::Obj(on_ful), Value::Obj(on_rej), None);
        Ok(Flow::Suspend(Value::Obj(own)))
    }

    /// Resumes a suspended async frame with a value or an exception.
    pub fn resume_async(&mut self, holder: ObjId, value: Value, is_throw: bool) -> JsResult {
        let frame = match &mut self.heap.obj_mut(holder).kind {
            ObjKind::AsyncFrame(slot) => slot.take(),
            _ => None,
        };
        let Some(mut frame) = frame else {
            return Ok(Value::Undefined);
        };
        let base = self.frames.len();
        self.attach(&mut frame);
        if !is_throw {
            self.stack.push(value);
            self.recorder.call(frame.func, base + 1, frame.env);
            let env = frame.env;
            self.frames.push(*frame);
            self.note_frame_vars(env);
            self.run(base)
        } else {
            self.recorder.call(frame.func, base + 1, frame.env);
            let env = frame.env;
            self.frames.push(*frame);
            self.note_frame_vars(env);
            match self.unwind(value, base) {
                Ok(Some(v)) => Ok(v),
                Ok(None) => self.run(base),
                Err(e) => Err(e),
            }
        }
    }

    /// Resumes a generator: mode 0 next, 1 throw, 2 return.
    pub fn resume_generator(&mut self, gen: ObjId, value: Value, mode: u8) -> JsResult {
        let st = match &mut self.heap.obj_mut(gen).kind {
            ObjKind::Generator(st) => std::mem::replace(st, GenState::Running),
            _ => return self.throw_type("next method called on incompatible receiver"),
        };
        match st {
            GenState::Running => {
                if let ObjKind::Generator(s) = &mut self.heap.obj_mut(gen).kind {
                    *s = GenState::Running;
                }
                self.throw_type("Generator is already running")
            }
            GenState::Done => {
                if let ObjKind::Generator(s) = &mut self.heap.obj_mut(gen).kind {
                    *s = GenState::Done;
                }
                match mode {
                    1 => Err(value),
                    2 => Ok(self.iter_result(value, true)),
                    _ => Ok(self.iter_result(Value::Undefined, true)),
                }
            }
            GenState::Suspended(mut frame) => {
                let started = frame.pc > 0;
                if mode == 2 && !started {
                    if let ObjKind::Generator(s) = &mut self.heap.obj_mut(gen).kind {
                        *s = GenState::Done;
                    }
                    return Ok(self.iter_result(value, true));
                }
                // a return still unwinding from an earlier `return()` (yield inside finally)
                let pending = self
                    .pending_gen_returns
                    .iter()
                    .position(|p| p.0 == gen)
                    .map(|i| self.pending_gen_returns.swap_remove(i));
                let signal = if mode == 2 {
                    // a return completion: unwind through finally blocks only
                    let s = self.alloc(None, ObjKind::Ordinary);
                    self.gen_return_signal = Some(s);
                    Some((s, value.clone()))
                } else if let (0, Some((_, s, v))) = (mode, pending) {
                    self.gen_return_signal = Some(s);
                    Some((s, v))
                } else {
                    None
                };
                if mode == 1 && !started {
                    if let ObjKind::Generator(s) = &mut self.heap.obj_mut(gen).kind {
                        *s = GenState::Done;
                    }
                    return Err(value);
                }
                self.attach(&mut frame);
                if started && mode == 0 {
                    self.stack.push(value.clone());
                }
                let base = self.frames.len();
                self.recorder.call(frame.func, base + 1, frame.env);
                let env = frame.env;
                self.frames.push(*frame);
                self.note_frame_vars(env);
                self.native_depth += 1;
                let thrown = match (&signal, mode) {
                    (Some((s, _)), 2) => Value::Obj(*s),
                    _ => value.clone(),
                };
                let r = if mode >= 1 {
                    match self.unwind(thrown, base) {
                        Ok(Some(v)) => Ok(v),
                        Ok(None) => self.run(base),
                        Err(e) => Err(e),
                    }
                } else {
                    self.run(base)
                };
                self.native_depth -= 1;
                if let Some((s, ret)) = signal {
                    self.gen_return_signal = None;
                    if let Err(Value::Obj(o)) = &r {
                        if *o == s {
                            if let ObjKind::Generator(st) = &mut self.heap.obj_mut(gen).kind {
                                *st = GenState::Done;
                            }
                            return Ok(self.iter_result(ret, true));
                        }
                    }
                    if r.is_ok()
                        && matches!(
                            &self.heap.obj(gen).kind,
                            ObjKind::Generator(GenState::Suspended(_))
                        )
                    {
                        self.pending_gen_returns.push((gen, s, ret));
                    }
                }
                r
            }
        }
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

/// Drops the top value of the stack (only a string has anything to release).
#[inline(always)]
fn drop_top(st: &mut Vec<Value>) {
    match st.last() {
        Some(Value::Str(_)) => {
            st.pop();
        }
        // SAFETY: the top value is plain data (nothing to drop).
        Some(_) => unsafe { st.set_len(st.len() - 1) },
        None => {}
    }
}

/// What the loop does after an instruction.
pub enum Flow {
    Next,
    /// The frame returned this value (not yet popped).
    Complete(Value),
    /// The frame suspended (already popped); deliver this value to the caller.
    Suspend(Value),
}

pub fn js_rem(x: f64, y: f64) -> f64 {
    if y == 0.0 || x.is_infinite() || x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if y.is_infinite() {
        return x;
    }
    let r = x % y;
    if r == 0.0 && x.is_sign_negative() {
        -0.0
    } else {
        r
    }
}

pub fn js_pow(x: f64, y: f64) -> f64 {
    if y.is_nan() {
        return f64::NAN;
    }
    if y == 0.0 {
        return 1.0;
    }
    if (x == 1.0 || x == -1.0) && y.is_infinite() {
        return f64::NAN;
    }
    x.powf(y)
}
