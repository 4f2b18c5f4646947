//! The stepping virtual machine of one agent: the [`Vm`] itself, the realm's well-known
//! objects, and its construction. Execution is spread over the submodules:
//!
//! - [`exec`], the interpreter loop (`run`, the inline fast path `step`, exception
//!   unwinding) and one file per instruction family, as `bytecode.rs` groups them;
//! - [`call`], calling and constructing functions, from native code and from the loop;
//! - [`frame`], frames (heap-held activation records: no Rust recursion per JavaScript call)
//!   and exception handlers;
//! - [`job`], the microtask queue;
//! - [`errors`], creating and wording thrown errors;
//! - [`objects`], allocation and small object helpers for the VM and the built-ins;
//! - [`ops`], property access; [`conversions`], conversions, operators and iteration;
//! - [`gc`], the garbage collector.

pub mod call;
pub mod conversions;
pub mod errors;
pub mod exec;
pub mod frame;
pub mod gc;
pub mod job;
pub mod objects;
pub mod ops;

pub use exec::operators::{js_pow, js_rem};
pub use exec::Flow;
pub use frame::{Frame, FrameKind, Handler};
pub use job::Job;

use crate::bytecode::Program;
use crate::heap::*;
use crate::recorder::{NoopRecorder, Recorder};
use crate::value::{JsStr, ObjId, Value};
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

/// Why execution was stopped from outside the language (not catchable by `try`).
#[derive(Clone, Debug, PartialEq)]
pub enum Abort {
    /// The instruction budget ran out.
    Budget,
    /// The heap budget ran out.
    Heap,
    /// `process.exit(code)` was called.
    Exit(i32),
    /// The agent's time slice is over, or it blocks (`Atomics.wait`): the interpreter loop
    /// returns with its frames kept, and the event loop's job resumes later
    /// (see `host::event_loop`).
    Yield,
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
    pub last_throw: Option<(ObjId, u32, u32)>,
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
    /// The native depth at which the interpreter loop may yield the thread at a safe point
    /// (`u32::MAX`: nowhere; set by the event loop around a resumable job).
    pub yield_depth: u32,
    /// The virtual time at which the running job yields its core (`u64::MAX`: never).
    pub slice_end_ns: u64,
}

pub type JsResult = Result<Value, Value>;

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
            yield_depth: u32::MAX,
            slice_end_ns: u64::MAX,
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

    /// The source text of the file function `func` is in (the program's, or a module's
    /// compiled in with it).
    pub fn source_of(&self, func: u32) -> Rc<str> {
        match self.module_file_of(func) {
            Some(m) => m.source.clone(),
            None => self.source.clone(),
        }
    }

    /// The compiled-in module function `func` is in (`None`: the program itself).
    fn module_file_of(&self, func: u32) -> Option<&crate::bytecode::SourceFile> {
        let file = self.program.functions.get(func as usize)?.file;
        self.program.files.get((file as usize).checked_sub(1)?)
    }

    /// The source text of the program file named `name`.
    pub fn source_named(&self, name: &str) -> Rc<str> {
        match self.program.files.iter().find(|m| m.name == name) {
            Some(m) => m.source.clone(),
            None => self.source.clone(),
        }
    }

    /// File name, line and column (1-based) of byte `offset` of function `func`'s source.
    pub fn position(&self, func: u32, offset: u32) -> (String, u32, u32) {
        match self.module_file_of(func) {
            Some(m) => {
                let (l, c) = m.line_col(offset);
                (m.name.clone(), l, c)
            }
            None => {
                let (l, c) = self.line_col(offset);
                (self.filename.to_string(), l, c)
            }
        }
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
}
