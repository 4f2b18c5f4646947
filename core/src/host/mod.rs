//! The simulated Node.js host: everything a program sees that is Node's rather than
//! JavaScript's. Nothing here does real I/O; time is the virtual clock (`Vm::clock_ns`).
//!
//! Where each part lives:
//!
//! | Node                                   | file                                        |
//! |----------------------------------------|---------------------------------------------|
//! | the event loop (phases, nextTick and microtask draining) | [`event_loop`]            |
//! | `process` (and uncaught errors, exit)  | [`process`]                                 |
//! | `console`                              | [`console`]                                 |
//! | `timers`, `setTimeout`, `setImmediate`, `queueMicrotask` | [`timers`]                |
//! | `timers/promises`                      | `prelude.js` (`timersPromises`)             |
//! | `fs`, `fs/promises`                    | [`fs`]                                      |
//! | `buffer` (`Buffer`)                    | [`buffer`]; string encodings: [`encoding`]  |
//! | `crypto`                               | [`crypto`]                                  |
//! | `zlib`                                 | [`zlib`] (the compressor: [`zlib::deflate`]) |
//! | `dns`                                  | [`dns`]                                     |
//! | `os`                                   | [`os`]                                      |
//! | `http`, `https`, global `fetch`        | [`http`] (native; `http` built on first `require`) + `prelude.js` (`httpModule`, `fetch`; the in-process server) |
//! | `util`                                 | [`util`] + `prelude.js` (`promisify`, `callbackify`); `isDeepStrictEqual`: [`deep_equal`] |
//! | `assert`, `assert/strict`              | [`assert`] (deep equality: [`deep_equal`])  |
//! | `events` (`EventEmitter`)              | `prelude.js`                                |
//! | `path`                                 | `prelude.js`                                |
//! | `structuredClone`                      | [`clone`]                                   |
//! | `worker_threads`                       | [`worker_threads`] + `prelude.js` (`workerThreads`) |
//! | `child_process`, `cluster`, a child's IPC | [`child_process`] + `prelude.js` (`childProcess`); the shell: [`crate::shell`] |
//! | `stream`, `stream/promises`            | `prelude.js` (`stream`, built on first `require` by [`stream`]) |
//! | `DOMException`                         | `prelude.js`                                |
//! | the libuv thread pool                  | [`threadpool`]                              |
//! | Node's argument-error texts and codes  | [`errors`]                                  |
//!
//! `prelude.js` holds the parts written in JavaScript. It stays one file: it is compiled
//! together with the program into one bytecode program, so its functions' numbering and the
//! steps of its top-level run are part of every trace; per-module files would have to be
//! concatenated back in the same order, and its sections interleave (`timers/promises` sits
//! between `util`'s `promisify` and `callbackify`, one `exports` block serves them all).
//! Its exports object is the *prelude*; [`install_modules`] puts its parts into the module
//! table.
//!
//! `require(name)` ([`require`]) looks `name` (without a `node:` prefix) up in the module
//! table, `HostState::modules`, filled once at start-up; anything else is Node's
//! `MODULE_NOT_FOUND` error.
//!
//! All queues feed one job interface: the engine's microtask queue (`Vm::microtasks`) plus
//! the host's macrotask sources in [`HostState`].

#![allow(clippy::result_unit_err)]

pub mod assert;
pub mod buffer;
pub mod child_process;
pub mod clone;
pub mod console;
pub mod crypto;
pub mod deep_equal;
pub mod dns;
pub mod encoding;
pub mod errors;
pub mod event_loop;
pub mod fs;
pub mod http;
pub mod modules;
pub mod net;
pub mod os;
pub mod process;
pub mod stream;
pub mod threadpool;
pub mod timers;
pub mod util;
pub mod worker_threads;
pub mod zlib;

use crate::builtins::arg;
use crate::recorder::Event;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};
use errors::set_code;
use event_loop::IoCompletion;
use std::collections::{HashMap, VecDeque};
use timers::Timer;

/// Output stream of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// State of the simulated Node.js process.
#[derive(Default)]
pub struct HostState {
    pub output: Vec<(Stream, String)>,
    pub next_ticks: VecDeque<(Value, Vec<Value>)>,
    pub timers: HashMap<u64, Timer>,
    pub immediates: VecDeque<(u64, Value, Vec<Value>)>,
    pub cleared_immediates: std::collections::HashSet<u64>,
    pub io: Vec<IoCompletion>,
    pub next_id: u64,
    pub seq: u64,
    pub process: ObjId,
    pub timeout_proto: ObjId,
    pub immediate_proto: ObjId,
    /// `Buffer.prototype` (buffers are ordinary objects with byte-valued index properties).
    pub buffer_proto: Option<ObjId>,
    /// The prelude's `asyncGeneratorStart(gen)`, which wraps an async generator body.
    pub async_gen_start: Option<Value>,
    /// The module table of `require` (names without `node:`).
    pub modules: HashMap<String, Value>,
    /// The project's modules run so far, by absolute path: their `module` objects
    /// ([`modules`]).
    pub module_cache: HashMap<String, Value>,
    /// The main module's `module` object (a module that requires it gets its exports).
    pub main_module: Option<Value>,
    /// The prelude's exports object.
    pub prelude: Option<ObjId>,
    pub fs_latency_ns: u64,
    pub exiting: bool,
    pub group_indent: usize,
    pub notes: Vec<String>,
    pub files: HashMap<String, String>,
    /// Directories made explicitly (`mkdir`, the cwd, `/tmp`, a directory that something was
    /// removed from); a directory also exists while a file or directory is under it
    /// ([`fs::lookup`]).
    pub dirs: std::collections::BTreeSet<String>,
    pub cwd: String,
    pub reported_rejections: Vec<ObjId>,
    /// The simulated libuv thread pool.
    pub pool: threadpool::ThreadPool,
    /// Hosts of the virtual network.
    pub network: Vec<crate::HostSpec>,
    /// The virtual cost model.
    pub cost: crate::CostModel,
    /// Number of CPUs `os.cpus()` reports.
    pub cpu_count: u32,
    /// The prototype of `crypto.createHash`/`createHmac` objects and their input so far.
    pub hash_proto: Option<ObjId>,
    pub hashes: HashMap<ObjId, crypto::HashState>,
    /// Where the event loop stands between two steps.
    pub looping: event_loop::LoopState,
    /// This agent's place on the machine (set before the program runs).
    pub link: Option<worker_threads::AgentLink>,
    /// Which process it belongs to (set before the program runs).
    pub identity: process::Identity,
    /// `process.stdout` and `process.stderr` once built ([`stream::stdio`]).
    pub stdio: [Option<Value>; 2],
    /// The stream module's builder of them (set when the module is built).
    pub stdio_factory: Option<Value>,
    /// Whether stdout / stderr was ended (`process.stdout.end()`): a pipe that was shut, so
    /// nothing more is written to it.
    pub stdio_shut: [bool; 2],
}

impl Vm {
    /// Writes `text` to stdout or stderr (and tells the recorder).
    pub fn write(&mut self, stream: Stream, text: String) {
        if self.host.stdio_shut[usize::from(stream == Stream::Stderr)] {
            return;
        }
        // a worker's lines travel to the main thread, which prints (and records) them
        if self.forward_output(stream, &text) {
            return;
        }
        if self.recording() {
            self.recorder.event(Event::Output {
                stderr: stream == Stream::Stderr,
                text: &text,
            });
        }
        self.recorder
            .output(stream == Stream::Stderr, &text, self.clock_ns);
        // on the machine, the terminal is shared by the processes that inherit it
        match &self.host.link {
            Some(l) => l.bus.borrow_mut().terminal.push((stream, text)),
            None => self.host.output.push((stream, text)),
        }
    }

    /// Reports a host event when a recorder listens.
    #[inline]
    pub fn host_event(&mut self, e: Event<'_>) {
        if self.recording() {
            self.recorder.event(e);
        }
    }

    /// Advances the virtual clock by a blocking synchronous operation.
    pub fn block_for(&mut self, ns: u64) {
        self.clock_ns += ns;
        let now = self.clock_ns;
        self.host_event(Event::Clock { ns: now });
    }
}

fn module_not_found(vm: &mut Vm, name: &str) -> Value {
    let msg = format!(
        "Cannot find module '{name}'\nRequire stack:\n- {}",
        vm.filename
    );
    let e = vm.make_error(vm.realm.error_proto, &msg);
    set_code(vm, &e, "MODULE_NOT_FOUND");
    e
}

/// The global `require(name)`: a built-in module from the module table.
fn require(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let name = vm.to_string(&arg(args, 0))?;
    let key = name.strip_prefix("node:").unwrap_or(&name).to_string();
    if let Some(m) = vm.host.modules.get(&key) {
        return Ok(m.clone());
    }
    // the modules built on their first `require`
    match key.as_str() {
        "worker_threads" => worker_threads::load(vm),
        "child_process" => child_process::load(vm),
        "cluster" => child_process::load_cluster(vm),
        "http" | "https" => net::load_http(vm),
        "net" => net::load(vm),
        "stream" | "stream/promises" => stream::load(vm, &key),
        _ => Err(module_not_found(vm, &name)),
    }
}

/// An export of the prelude (`undefined` before it ran).
pub(crate) fn prelude_get(vm: &mut Vm, name: &str) -> Value {
    match vm.host.prelude {
        Some(p) => vm
            .get_by_name(&Value::Obj(p), name)
            .unwrap_or(Value::Undefined),
        None => Value::Undefined,
    }
}

/// A new, empty module object registered under `name`.
fn new_module(vm: &mut Vm, name: &str) -> ObjId {
    let o = vm.new_object();
    vm.host.modules.insert(name.into(), Value::Obj(o));
    o
}

/// The module object registered under `name` (a new one if there is none).
fn module_object(vm: &mut Vm, name: &str) -> ObjId {
    match vm.host.modules.get(name) {
        Some(Value::Obj(o)) => *o,
        _ => new_module(vm, name),
    }
}

/// Installs the host globals (before the prelude runs): `console`, the timer functions,
/// `structuredClone`, `process`, `require` and `Buffer`.
///
/// The order of this function and of [`install_modules`] is the order in which the host's
/// objects are allocated; object ids appear in traces, so it is kept stable.
pub fn install_globals(vm: &mut Vm) {
    console::install(vm);
    timers::install(vm);
    let g = vm.realm.global;
    vm.method(g, "structuredClone", 2, clone::structured_clone);
    process::install(vm);
    vm.method(g, "require", 1, require);
    buffer::install(vm);
}

/// Wires the prelude's exports into `process`, the globals and the module table, and creates
/// the native modules.
pub fn install_modules(vm: &mut Vm, prelude: ObjId) {
    vm.host.prelude = Some(prelude);
    let ee = prelude_get(vm, "EventEmitter");
    process::inherit_event_emitter(vm, &ee);
    vm.host.modules.insert("events".into(), ee);
    let dom_exception = prelude_get(vm, "DOMException");
    let g = vm.realm.global;
    vm.put_hidden(g, "DOMException", dom_exception);
    let ags = prelude_get(vm, "asyncGeneratorStart");
    vm.host.async_gen_start = Some(ags);

    fs::install(vm, prelude);
    util::install(vm);
    let path = prelude_get(vm, "path");
    vm.host.modules.insert("path".into(), path);
    timers::install_module(vm);
    fs::install_pool_ops(vm);
    crypto::install(vm);
    zlib::install(vm);
    dns::install(vm);
    os::install(vm);
    http::install(vm, prelude);
    assert::install(vm);
    child_process::install_child(vm);
    fs::install_dir_ops(vm);
}
