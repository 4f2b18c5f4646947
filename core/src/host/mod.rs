//! The simulated Node.js host: the event loop on a virtual clock (timers → pending → poll →
//! check → close), the `process.nextTick` queue, unhandled-rejection policy, uncaught
//! exceptions and process exit. Built-in modules and globals live in [`globals`].
//!
//! All queues feed one job interface: the engine's microtask queue (`Vm::microtasks`) plus
//! the host's macrotask sources below. Nothing here does real I/O.

#![allow(clippy::result_unit_err)]

pub mod assert;
pub mod asyncops;
pub mod buffer;
pub mod clone;
pub mod deep_equal;
pub mod deflate;
pub mod globals;
pub mod net;
pub mod threadpool;

use crate::heap::PropKey;
use crate::recorder::{Event, JobKind, Phase, Queue};
use crate::value::{ObjId, SymId, Value};
use crate::vm::{Abort, Vm};
use std::collections::{HashMap, VecDeque};

/// Output stream of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A pending timer (setTimeout / setInterval).
#[derive(Clone, Debug)]
pub struct Timer {
    pub id: u64,
    pub due_ms: u64,
    pub seq: u64,
    pub callback: Value,
    pub args: Vec<Value>,
    pub repeat_ms: Option<u64>,
    pub refed: bool,
    pub object: ObjId,
}

/// A pending I/O completion delivered in the poll phase.
#[derive(Clone, Debug)]
pub struct IoCompletion {
    pub due_ns: u64,
    pub seq: u64,
    pub callback: Value,
    pub args: Vec<Value>,
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
    /// `RegExp.prototype` and the compiled pattern of every RegExp object.
    pub regexp_proto: Option<ObjId>,
    pub regexps: HashMap<ObjId, std::rc::Rc<crate::builtins::regexp::RegexData>>,
    /// The prelude's `asyncGeneratorStart(gen)`, which wraps an async generator body.
    pub async_gen_start: Option<Value>,
    pub join_stack: Vec<ObjId>,
    pub symbol_registry: HashMap<String, SymId>,
    pub random_state: u64,
    pub modules: HashMap<String, Value>,
    pub prelude: Option<ObjId>,
    pub fs_latency_ns: u64,
    pub exiting: bool,
    pub group_indent: usize,
    pub notes: Vec<String>,
    pub files: HashMap<String, String>,
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
    pub hashes: HashMap<ObjId, HashState>,
}

/// The state of a `crypto.createHash`/`createHmac` object until `digest()`.
#[derive(Debug, Clone, Default)]
pub struct HashState {
    /// Index into asyncops' algorithm table.
    pub algo: u8,
    /// The HMAC key (`None` for a plain hash).
    pub key: Option<Vec<u8>>,
    pub data: Vec<u8>,
    pub done: bool,
}

impl Vm {
    pub fn write(&mut self, stream: Stream, text: String) {
        if self.recording() {
            self.recorder.event(Event::Output {
                stderr: stream == Stream::Stderr,
                text: &text,
            });
        }
        self.recorder
            .output(stream == Stream::Stderr, &text, self.clock_ns);
        self.host.output.push((stream, text));
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

    fn process_listener_count(&mut self, event: &str) -> usize {
        let p = Value::Obj(self.host.process);
        let f = match self.get_by_name(&p, "listenerCount") {
            Ok(f) => f,
            Err(_) => return 0,
        };
        match self.call(&f, p, &[Value::str(event)]) {
            Ok(Value::Num(n)) => n as usize,
            _ => 0,
        }
    }

    /// process.emit(event, ...args); returns whether listeners existed.
    pub fn process_emit(&mut self, event: &str, args: &[Value]) -> Result<bool, Value> {
        let p = Value::Obj(self.host.process);
        let f = self.get_by_name(&p, "emit")?;
        let mut all = vec![Value::str(event)];
        all.extend_from_slice(args);
        Ok(self.call(&f, p, &all)?.truthy())
    }

    /// Runs one callback as a macrotask/tick and routes an escaping exception.
    fn run_callback(&mut self, kind: JobKind, f: &Value, args: &[Value]) -> Result<(), ()> {
        self.recorder.job(kind, self.clock_ns);
        let mut roots = vec![f.clone()];
        roots.extend_from_slice(args);
        match self.with_gc_window(&roots, |vm| vm.call(f, Value::Undefined, args)) {
            Ok(_) => Ok(()),
            Err(e) => self.handle_uncaught(e, "uncaughtException"),
        }
    }

    /// Node's fatal-exception path: uncaughtException listeners or print + exit 1.
    /// Returns Err(()) when the process must stop.
    pub fn handle_uncaught(&mut self, e: Value, origin: &str) -> Result<(), ()> {
        if self.abort.is_some() {
            return Err(());
        }
        if self.process_listener_count("uncaughtException") > 0 {
            match self.process_emit("uncaughtException", &[e, Value::str(origin)]) {
                Ok(_) => return Ok(()),
                Err(e2) => {
                    if self.abort.is_none() {
                        self.print_fatal(&e2, "uncaughtException");
                        self.abort = Some(Abort::Exit(7));
                    }
                    return Err(());
                }
            }
        }
        self.print_fatal(&e, origin);
        self.abort = Some(Abort::Exit(1));
        Err(())
    }

    /// Where Node's caret goes for an uncaught `e`: the `throw` statement that threw it, else
    /// the first frame of its stack. (file, line, column), 1-based.
    fn fatal_location(&mut self, e: &Value) -> Option<(String, usize, usize)> {
        let Value::Obj(o) = e else { return None };
        if let Some((thrown, at)) = self.last_throw {
            if thrown == *o {
                let (l, c) = self.line_col(at);
                return Some((self.filename.to_string(), l as usize, c as usize));
            }
        }
        let stack = self
            .get(e, PropKey::Str(self.names.stack))
            .unwrap_or(Value::Undefined);
        let Value::Str(s) = &stack else { return None };
        let loc = s.lines().nth(1).and_then(|l| {
            l.rsplit_once('(')
                .map(|x| x.1.trim_end_matches(')').to_string())
                .or_else(|| l.trim().strip_prefix("at ").map(|x| x.to_string()))
        })?;
        let mut parts = loc.rsplitn(3, ':');
        let col: usize = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
        let line: usize = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
        let file = parts.next().unwrap_or("").to_string();
        Some((file, line, col))
    }

    /// Prints an uncaught error the way Node does (stderr).
    pub fn print_fatal(&mut self, e: &Value, origin: &str) {
        let mut text = String::new();
        let is_error = matches!(e, Value::Obj(o) if matches!(self.heap.obj(*o).kind, crate::heap::ObjKind::Error));
        if origin == "unhandledRejection" && !is_error {
            let shown = match e {
                Value::Str(s) => s.to_string(),
                other => crate::inspect::inspect(self, other, Default::default()),
            };
            text.push_str(&format!(
                "node:internal/process/promises:289\n            triggerUncaughtException(err, true /* fromPromise */);\n            ^\n\n[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"{shown}\".] {{\n  code: 'ERR_UNHANDLED_REJECTION'\n}}\n"
            ));
        } else {
            if let Some((file, line, col)) = self.fatal_location(e) {
                if let Some(src_line) = self.source.lines().nth(line.saturating_sub(1)) {
                    text.push_str(&format!(
                        "{file}:{line}\n{src_line}\n{}^\n\n",
                        " ".repeat(col.saturating_sub(1))
                    ));
                }
            }
            let shown = if is_error {
                crate::inspect::inspect(self, e, Default::default())
            } else {
                format!(
                    "Uncaught {}",
                    crate::inspect::inspect(self, e, Default::default())
                )
            };
            text.push_str(&shown);
            text.push('\n');
        }
        text.push_str("\nNode.js v20.20.2\n");
        self.write(Stream::Stderr, text);
    }

    /// processTicksAndRejections: ticks, then microtasks, until both are empty; then the
    /// unhandled-rejection check, repeated while it produced work.
    pub fn drain(&mut self) -> Result<(), ()> {
        loop {
            loop {
                while let Some((f, args)) = self.host.next_ticks.pop_front() {
                    self.host_event(Event::Dequeue {
                        queue: Queue::NextTick,
                        id: 0,
                    });
                    self.run_callback(JobKind::NextTick, &f, &args)?;
                }
                self.run_microtasks()?;
                if self.host.next_ticks.is_empty() {
                    break;
                }
            }
            if !self.process_rejections()? {
                return Ok(());
            }
        }
    }

    fn run_microtasks(&mut self) -> Result<(), ()> {
        while let Some(job) = self.microtasks.pop_front() {
            self.host_event(Event::Dequeue {
                queue: Queue::Microtask,
                id: 0,
            });
            self.recorder.job(JobKind::Microtask, self.clock_ns);
            let roots = job.values();
            if let Err(e) = self.with_gc_window(&roots, |vm| vm.run_job(job)) {
                self.handle_uncaught(e, "uncaughtException")?;
            }
            if self.abort.is_some() {
                return Err(());
            }
        }
        Ok(())
    }

    /// Node's default unhandled-rejection mode (`throw`). Returns whether anything ran.
    fn process_rejections(&mut self) -> Result<bool, ()> {
        if self.pending_rejections.is_empty() {
            return Ok(false);
        }
        let pending = std::mem::take(&mut self.pending_rejections);
        let mut ran = false;
        for p in pending {
            let (handled, reason) = match &self.heap.obj(p).kind {
                crate::heap::ObjKind::Promise { handled, state } => (
                    *handled,
                    match state {
                        crate::heap::PromiseState::Rejected(r) => r.clone(),
                        _ => Value::Undefined,
                    },
                ),
                _ => (true, Value::Undefined),
            };
            if handled {
                continue;
            }
            ran = true;
            self.host.reported_rejections.push(p);
            if self.process_listener_count("unhandledRejection") > 0 {
                if let Err(e) = self.process_emit("unhandledRejection", &[reason, Value::Obj(p)]) {
                    self.handle_uncaught(e, "uncaughtException")?;
                }
            } else {
                self.handle_uncaught(reason, "unhandledRejection")?;
            }
        }
        Ok(ran)
    }

    fn loop_alive(&self) -> bool {
        self.host.timers.values().any(|t| t.refed)
            || !self.host.immediates.is_empty()
            || !self.host.io.is_empty()
            || self.host.pool.busy()
    }

    fn now_ms(&self) -> u64 {
        self.clock_ns / 1_000_000
    }

    /// Timers phase: runs every timer due at the loop time, in (due, creation) order.
    fn run_timers(&mut self) -> Result<(), ()> {
        let now = self.now_ms();
        let limit_seq = self.host.seq;
        loop {
            let next = self
                .host
                .timers
                .values()
                .filter(|t| t.due_ms <= now && t.seq < limit_seq)
                .min_by_key(|t| (t.due_ms, t.seq))
                .map(|t| t.id);
            let Some(id) = next else { return Ok(()) };
            let Some(t) = self.host.timers.get(&id).cloned() else {
                continue;
            };
            match t.repeat_ms {
                Some(r) => {
                    let seq = self.host.seq;
                    self.host.seq += 1;
                    if let Some(tm) = self.host.timers.get_mut(&id) {
                        tm.due_ms = now + r;
                        tm.seq = seq;
                    }
                    if self.recording() {
                        let label = self.callback_label(&t.callback);
                        self.recorder.event(Event::TimerSet {
                            id,
                            due_ms: now + r,
                            repeat: true,
                            label: &label,
                        });
                    }
                }
                None => {
                    self.host.timers.remove(&id);
                }
            }
            self.host_event(Event::Dequeue {
                queue: Queue::Timer,
                id,
            });
            self.run_callback(JobKind::Timer, &t.callback, &t.args)?;
            self.drain()?;
        }
    }

    fn run_immediates(&mut self) -> Result<(), ()> {
        let batch: Vec<_> = self.host.immediates.drain(..).collect();
        // the batch's later callbacks are roots while the earlier ones run
        let held: Vec<Value> = batch
            .iter()
            .flat_map(|(_, f, args)| std::iter::once(f).chain(args))
            .cloned()
            .collect();
        self.with_gc_window(&held, |vm| {
            for (id, f, args) in batch {
                if vm.host.cleared_immediates.remove(&id) {
                    continue;
                }
                vm.host_event(Event::Dequeue {
                    queue: Queue::Immediate,
                    id,
                });
                vm.run_callback(JobKind::Immediate, &f, &args)?;
                vm.drain()?;
            }
            Ok(())
        })
    }

    /// Poll phase: waits (advancing the virtual clock) for I/O or the next timer, then runs
    /// the I/O callbacks that completed.
    fn poll(&mut self) -> Result<(), ()> {
        let next_timer_ns = self
            .host
            .timers
            .values()
            .filter(|t| t.refed)
            .map(|t| t.due_ms * 1_000_000)
            .min();
        let next_io_ns = [
            self.host.io.iter().map(|c| c.due_ns).min(),
            self.host.pool.next_done(),
        ]
        .into_iter()
        .flatten()
        .min();
        if self.host.immediates.is_empty() {
            let wake = match (next_timer_ns, next_io_ns) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if let Some(w) = wake {
                if w > self.clock_ns {
                    self.clock_ns = w;
                    self.host_event(Event::Clock { ns: w });
                }
            }
        }
        let now = self.clock_ns;
        self.pool_advance(now);
        loop {
            let now = self.clock_ns;
            let ready = self
                .host
                .io
                .iter()
                .filter(|c| c.due_ns <= now)
                .min_by_key(|c| (c.due_ns, c.seq))
                .map(|c| c.seq);
            let Some(seq) = ready else { return Ok(()) };
            let pos = self.host.io.iter().position(|c| c.seq == seq).unwrap_or(0);
            let c = self.host.io.remove(pos);
            self.host_event(Event::Dequeue {
                queue: Queue::Io,
                id: c.seq,
            });
            self.run_callback(JobKind::Io, &c.callback, &c.args)?;
            self.drain()?;
        }
    }

    /// Runs the event loop until nothing is left (or the process stops).
    pub fn run_event_loop(&mut self) -> Result<(), ()> {
        // Node bootstraps for more than 1 ms, so a 0/1 ms timer from the main module is due on
        // the first iteration: we resolve Node's timeout-vs-immediate race as "timer first".
        if self
            .host
            .timers
            .values()
            .any(|t| t.due_ms <= self.now_ms() + 1)
            && !self.host.immediates.is_empty()
        {
            self.host
                .notes
                .push("setTimeout(0) vs setImmediate from the main module: timer first".into());
            self.recorder
                .nondeterministic("main-module setTimeout(0) vs setImmediate: timer first");
        }
        self.clock_ns = self.clock_ns.max((self.now_ms() + 1) * 1_000_000);
        let now = self.clock_ns;
        self.host_event(Event::Clock { ns: now });
        loop {
            if !self.loop_alive() {
                // beforeExit may schedule more work
                self.host_event(Event::Phase(Phase::BeforeExit));
                let code = self.exit_code();
                if self
                    .process_emit("beforeExit", &[Value::Num(code as f64)])
                    .is_err()
                {
                    return Err(());
                }
                self.drain()?;
                if !self.loop_alive() {
                    return Ok(());
                }
            }
            self.host_event(Event::Phase(Phase::Timers));
            self.run_timers()?;
            self.host_event(Event::Phase(Phase::Poll));
            self.poll()?;
            self.host_event(Event::Phase(Phase::Check));
            self.run_immediates()?;
        }
    }

    /// process.exitCode as an integer.
    pub fn exit_code(&mut self) -> i32 {
        let p = Value::Obj(self.host.process);
        match self.get_by_name(&p, "exitCode") {
            Ok(Value::Num(n)) => n as i32,
            Ok(Value::Str(s)) => s.parse().unwrap_or(0),
            _ => 0,
        }
    }
}
