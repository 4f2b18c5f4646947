//! The trace: one [`Record`] per teachable step of a run, and the view state at any step.
//!
//! A run recorded with [`record`] yields a [`Trace`]: a flat vector of small records
//! (statement executed, call, return, variable written, callback dequeued, job enqueued,
//! promise changed, timer / immediate / I/O / thread-pool event, console output, phase change,
//! clock jump, nondeterminism note) plus interned tables (functions, statements, strings,
//! values, console lines). Every record is a step; the step index is the record index.
//!
//! The view state after any step ([`ViewState`]: call stack with locals, every queue, timers by
//! due time, thread-pool slots, promise table, console so far, phase, clock) is rebuilt from the
//! nearest keyframe (a full [`State`] snapshot taken every [`KEYFRAME_INTERVAL`] records or more,
//! see [`Trace::keyframes`]) by replaying the records after it, so a seek costs
//! O(keyframe interval). [`Cursor`] also steps forward incrementally.
//!
//! Each record has a rule id ([`Trace::rule`]) that [`narrate`] maps to a sentence and a concept
//! slug. Records belong to agents ([`Trace::agent_of`]); agent 0 is the main thread.
//! The format is described in `docs/trace.md`.

pub mod hooks;
pub mod narrate;

use crate::bytecode::Program;
use crate::recorder::{
    Event, IoKind, JobKind, MicrotaskKind, Phase, PromiseOp, Queue, Recorder, ValuePreview,
};
use crate::{RunOptions, RunOutcome};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::Rc;

/// Version of the trace format (bump on any incompatible change of [`Record`] or the JSON).
pub const FORMAT_VERSION: u32 = 2;
/// Minimum number of records between keyframes.
pub const KEYFRAME_INTERVAL: usize = 1024;
/// "No statement" marker.
pub const NONE: u32 = u32::MAX;
/// Bindings the view does not show as locals (the CommonJS wrapper's parameters, `this`).
pub const HIDDEN_LOCALS: &[&str] = &[
    "this",
    "exports",
    "require",
    "module",
    "__filename",
    "__dirname",
];

/// One step of the trace. Ids (`label`, `what`) index [`Trace::strings`]; `val` indexes
/// [`Trace::values`]; `stmt` indexes [`Trace::statements`]; `func` indexes
/// [`Trace::functions`]; `line` indexes [`Trace::console`]. Times below 2^32 µs are exact.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Record {
    /// A statement starts executing; the clock advanced `dt` ns since the previous record.
    Stmt {
        stmt: u32,
        dt: u32,
    },
    /// A JavaScript function was entered (or resumed); the stack is now `depth` deep.
    Call {
        func: u32,
        depth: u16,
        env: u32,
    },
    /// The top function returned, threw or suspended; the stack is now `depth` deep.
    Return {
        depth: u16,
    },
    /// Local `slot` of the frame whose environment is `env` now holds value `val`.
    Var {
        env: u32,
        slot: u16,
        val: u32,
    },
    /// A callback was taken from `queue` and runs now (`id` for timers, immediates and I/O).
    Run {
        queue: Queue,
        id: u32,
    },
    TickQueued {
        label: u32,
    },
    /// A job joined the microtask queue; `promise` is the promise it belongs to (or [`NONE`]).
    MicrotaskQueued {
        micro: MicrotaskKind,
        label: u32,
        promise: u32,
    },
    TimerSet {
        id: u32,
        due_ms: u32,
        label: u32,
        repeat: bool,
    },
    TimerCleared {
        id: u32,
    },
    ImmediateSet {
        id: u32,
        label: u32,
    },
    ImmediateCleared {
        id: u32,
    },
    /// Network I/O started (outside the thread pool), done at `due_us`.
    IoStarted {
        id: u32,
        io: IoKind,
        label: u32,
        due_us: u32,
    },
    /// A thread-pool task waits for a free slot.
    PoolQueued {
        id: u32,
        io: IoKind,
        label: u32,
    },
    /// A thread-pool task runs in `slot` until `done_us`.
    PoolStarted {
        slot: u16,
        id: u32,
        label: u32,
        done_us: u32,
    },
    /// A thread-pool task finished; its callback waits for the poll phase.
    PoolDone {
        slot: u16,
        id: u32,
    },
    /// Promise `id` (a per-run number: #1 is the first promise the run created) changed;
    /// `val` is its value or reason once settled ([`NONE`] otherwise).
    Promise {
        id: u32,
        op: PromiseOp,
        val: u32,
    },
    /// A handler (`label`) was registered on promise `id` by `then`/`catch`/`finally`/`await`;
    /// the registration returned promise `derived` ([`NONE`] for none). Marks `id` handled.
    Then {
        id: u32,
        derived: u32,
        label: u32,
    },
    /// Console line `line` was printed.
    Output {
        line: u32,
    },
    Phase {
        phase: Phase,
    },
    /// The clock jumped to `lo + hi * 2^32` ns.
    Clock {
        lo: u32,
        hi: u32,
    },
    /// Real Node.js is nondeterministic here; `what` says which order we chose.
    Note {
        what: u32,
    },
}

/// A compact value (16 bytes); strings are interned.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "t", content = "v", rename_all = "kebab-case")]
pub enum Val {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(u32),
    Function(u32),
    Array(u32),
    Promise(u32),
    Object(u32),
    Other(u32),
}

/// A compiled function, as the trace names it.
#[derive(Clone, Debug, Serialize)]
pub struct FunctionInfo {
    pub name: String,
    /// Part of Looplab's built-in JavaScript (not shown in the view).
    pub internal: bool,
    /// Names of the function's local slots.
    pub locals: Vec<String>,
}

/// A statement of the program.
#[derive(Clone, Debug, Serialize)]
pub struct StatementInfo {
    pub func: u32,
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub col: u32,
}

/// A line of console output.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ConsoleLine {
    pub stderr: bool,
    pub text: String,
}

/// A promise in the replay state.
#[derive(Clone, Debug, PartialEq)]
struct PromiseS {
    status: PromiseStatus,
    handled: bool,
    /// Value or reason (index into [`Trace::values`]) once settled, else [`NONE`].
    val: u32,
    /// Registered handlers: (label, derived promise or [`NONE`]).
    waiters: Vec<(u32, u32)>,
}

impl PromiseS {
    fn new() -> PromiseS {
        PromiseS {
            status: PromiseStatus::Pending,
            handled: false,
            val: NONE,
            waiters: vec![],
        }
    }
}

/// State of a promise in the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PromiseStatus {
    Pending,
    Fulfilled,
    Rejected,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct FrameS {
    func: u32,
    env: u32,
    stmt: u32,
    locals: Vec<(u16, u32)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct TimerS {
    id: u32,
    due_ms: u32,
    label: u32,
    repeat: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct IoS {
    id: u32,
    label: u32,
    due_us: u32,
    /// Finished in the thread pool (waiting for poll), or network (ready when due).
    pooled: bool,
}

/// The replayable state after a step (ids, not strings). Cloned into keyframes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    clock: u64,
    phase: Phase,
    frames: Vec<FrameS>,
    ticks: VecDeque<u32>,
    /// (kind, label, promise)
    micro: VecDeque<(MicrotaskKind, u32, u32)>,
    timers: Vec<TimerS>,
    immediates: VecDeque<(u32, u32)>,
    io: Vec<IoS>,
    pool: Vec<Option<(u32, u32, u32)>>,
    pool_queue: VecDeque<(u32, u32)>,
    promises: BTreeMap<u32, PromiseS>,
    /// Total number of promise waiters (kept so [`State::weight`] stays O(1)).
    waiters: usize,
    console_len: u32,
    /// The callback most recently taken from a queue.
    current: Option<(Queue, u32)>,
}

impl State {
    /// Rough number of entries (decides how far apart keyframes may be).
    fn weight(&self) -> usize {
        self.frames
            .iter()
            .map(|f| f.locals.len() + 1)
            .sum::<usize>()
            + self.ticks.len()
            + self.micro.len()
            + self.timers.len()
            + self.immediates.len()
            + self.io.len()
            + self.pool.len()
            + self.pool_queue.len()
            + self.promises.len()
            + self.waiters
    }

    /// Applies one record.
    pub fn apply(&mut self, r: &Record) {
        match *r {
            Record::Stmt { stmt, dt } => {
                self.clock += dt as u64;
                if let Some(f) = self.frames.last_mut() {
                    f.stmt = stmt;
                }
            }
            Record::Call { func, depth, env } => {
                self.frames.truncate(depth.saturating_sub(1) as usize);
                self.frames.push(FrameS {
                    func,
                    env,
                    stmt: NONE,
                    locals: vec![],
                });
            }
            Record::Return { depth } => self.frames.truncate(depth as usize),
            Record::Var { env, slot, val } => {
                if let Some(f) = self.frames.iter_mut().rev().find(|f| f.env == env) {
                    match f.locals.iter_mut().find(|l| l.0 == slot) {
                        Some(l) => l.1 = val,
                        None => f.locals.push((slot, val)),
                    }
                }
            }
            Record::Run { queue, id } => {
                self.frames.clear();
                let label = match queue {
                    Queue::NextTick => self.ticks.pop_front(),
                    Queue::Microtask => self.micro.pop_front().map(|m| m.1),
                    Queue::Timer => {
                        let pos = self.timers.iter().position(|t| t.id == id);
                        pos.map(|p| {
                            let t = self.timers[p];
                            if !t.repeat {
                                self.timers.remove(p);
                            }
                            t.label
                        })
                    }
                    Queue::Immediate => {
                        let pos = self.immediates.iter().position(|t| t.0 == id);
                        pos.and_then(|p| self.immediates.remove(p)).map(|x| x.1)
                    }
                    Queue::Io => {
                        let pos = self.io.iter().position(|t| t.id == id);
                        pos.map(|p| self.io.remove(p).label)
                    }
                };
                self.current = Some((queue, label.unwrap_or(NONE)));
            }
            Record::TickQueued { label } => self.ticks.push_back(label),
            Record::MicrotaskQueued {
                micro,
                label,
                promise,
            } => self.micro.push_back((micro, label, promise)),
            Record::TimerSet {
                id,
                due_ms,
                label,
                repeat,
            } => {
                self.timers.retain(|t| t.id != id);
                let t = TimerS {
                    id,
                    due_ms,
                    label,
                    repeat,
                };
                let pos = self.timers.partition_point(|x| x.due_ms <= due_ms);
                self.timers.insert(pos, t);
            }
            Record::TimerCleared { id } => self.timers.retain(|t| t.id != id),
            Record::ImmediateSet { id, label } => self.immediates.push_back((id, label)),
            Record::ImmediateCleared { id } => self.immediates.retain(|t| t.0 != id),
            Record::IoStarted {
                id, label, due_us, ..
            } => self.io.push(IoS {
                id,
                label,
                due_us,
                pooled: false,
            }),
            Record::PoolQueued { id, label, .. } => self.pool_queue.push_back((id, label)),
            Record::PoolStarted {
                slot,
                id,
                label,
                done_us,
            } => {
                self.pool_queue.retain(|q| q.0 != id);
                let s = slot as usize;
                if self.pool.len() <= s {
                    self.pool.resize(s + 1, None);
                }
                self.pool[s] = Some((id, label, done_us));
            }
            Record::PoolDone { slot, id } => {
                let s = slot as usize;
                let mut label = NONE;
                let mut due_us = (self.clock / 1000) as u32;
                if let Some(Some((_, l, d))) = self.pool.get(s) {
                    label = *l;
                    due_us = *d;
                }
                if s < self.pool.len() {
                    self.pool[s] = None;
                }
                self.io.push(IoS {
                    id,
                    label,
                    due_us,
                    pooled: true,
                });
            }
            Record::Promise { id, op, val } => {
                if op == PromiseOp::Created {
                    self.promises.insert(id, PromiseS::new());
                    return;
                }
                let p = self.promises.entry(id).or_insert_with(PromiseS::new);
                match op {
                    PromiseOp::Created => {}
                    PromiseOp::Fulfilled => {
                        p.status = PromiseStatus::Fulfilled;
                        p.val = val;
                    }
                    PromiseOp::Rejected => {
                        p.status = PromiseStatus::Rejected;
                        p.val = val;
                    }
                    PromiseOp::Handled => p.handled = true,
                }
            }
            Record::Then { id, derived, label } => {
                let p = self.promises.entry(id).or_insert_with(PromiseS::new);
                p.handled = true;
                p.waiters.push((label, derived));
                self.waiters += 1;
            }
            Record::Output { line } => self.console_len = line + 1,
            Record::Phase { phase } => {
                self.phase = phase;
                self.frames.clear();
            }
            Record::Clock { lo, hi } => self.clock = lo as u64 | (hi as u64) << 32,
            Record::Note { .. } => {}
        }
    }
}

/// A recorded run.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub records: Vec<Record>,
    pub functions: Vec<FunctionInfo>,
    pub statements: Vec<StatementInfo>,
    pub strings: Vec<String>,
    pub values: Vec<Val>,
    pub console: Vec<ConsoleLine>,
    /// (first record index, agent id) runs; agent 0 is the main thread.
    pub agents: Vec<(u32, u16)>,
    /// Keyframes: (k, state after records[..k]).
    pub keyframes: Vec<(u32, State)>,
    pub source: String,
    pub threadpool_size: u32,
    /// The run went on after the trace reached its step limit (see [`record_with`]): the
    /// trace covers only the first [`Trace::len`] steps.
    pub truncated: bool,
}

/// Records the view state needs, built by the recorder.
struct Builder {
    t: Trace,
    string_ids: HashMap<String, u32>,
    /// per function: pc -> statement id
    stmt_at: Vec<Vec<u32>>,
    clock: u64,
    /// shadow of the VM's frame stack: (env, visible)
    shadow: Vec<(u32, bool)>,
    visible: u16,
    state: State,
    since_keyframe: usize,
    /// recorder-side timers for the equal-due nondeterminism check: id -> (due, created ms)
    timers: HashMap<u64, (u64, u64)>,
    line_starts: Vec<u32>,
    /// heap id -> per-run promise number (#1 is the first promise created).
    promise_nos: HashMap<u32, u32>,
    /// The promise last settled or given a handler: reaction jobs queued next belong to it.
    subject: u32,
    /// The last promise number handed out.
    next_promise: u32,
    /// Stop recording (and mark the trace truncated) at this many records.
    max_steps: usize,
    /// The instruction last reported: (function, pc).
    last_at: (u32, u32),
    /// Per user function: for each pc, the environment depth of a variable write there
    /// (`u16::MAX` when the instruction writes no variable).
    var_depth: Vec<Vec<u16>>,
    /// Per user function: its block environments as (PushEnv pc, PopEnv pc, first synthetic
    /// local slot), outermost first.
    blocks: Vec<Vec<(u32, u32, u16)>>,
}

impl Builder {
    fn new() -> Builder {
        let mut t = Trace::default();
        t.agents.push((0, 0));
        t.keyframes.push((0, State::default()));
        Builder {
            t,
            string_ids: HashMap::new(),
            stmt_at: vec![],
            clock: 0,
            shadow: vec![],
            visible: 0,
            state: State::default(),
            since_keyframe: 0,
            timers: HashMap::new(),
            line_starts: vec![0],
            promise_nos: HashMap::new(),
            subject: NONE,
            next_promise: 0,
            max_steps: usize::MAX,
            last_at: (0, 0),
            var_depth: vec![],
            blocks: vec![],
        }
    }

    /// True once the step limit is reached (then nothing more is recorded).
    #[inline]
    fn full(&mut self) -> bool {
        if self.t.records.len() >= self.max_steps {
            self.t.truncated = true;
            true
        } else {
            false
        }
    }

    /// The per-run number of the promise with heap id `id`; `created` starts a new number
    /// (heap ids can be reused after collection).
    fn promise_no(&mut self, id: u32, created: bool) -> u32 {
        if !created {
            if let Some(n) = self.promise_nos.get(&id) {
                return *n;
            }
        }
        self.next_promise += 1;
        self.promise_nos.insert(id, self.next_promise);
        self.next_promise
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(i) = self.string_ids.get(s) {
            return *i;
        }
        let i = self.t.strings.len() as u32;
        self.t.strings.push(s.to_string());
        self.string_ids.insert(s.to_string(), i);
        i
    }

    #[inline]
    fn push(&mut self, r: Record) {
        self.state.apply(&r);
        self.t.records.push(r);
        self.since_keyframe += 1;
        if self.since_keyframe >= KEYFRAME_INTERVAL
            && self.since_keyframe >= self.state.weight() * 2
        {
            self.since_keyframe = 0;
            self.t
                .keyframes
                .push((self.t.records.len() as u32, self.state.clone()));
        }
    }

    fn clock_to(&mut self, ns: u64) {
        // sub-microsecond drift is covered by the next statement's `dt`
        if ns >= self.clock + 1000 || ns < self.clock {
            self.clock = ns;
            self.push(Record::Clock {
                lo: ns as u32,
                hi: (ns >> 32) as u32,
            });
        }
    }

    fn val(&mut self, v: ValuePreview) -> u32 {
        let c = match v {
            ValuePreview::Undefined => Val::Undefined,
            ValuePreview::Null => Val::Null,
            ValuePreview::Bool(b) => Val::Bool(b),
            ValuePreview::Num(n) => Val::Num(n),
            ValuePreview::Str(s) => Val::Str(self.intern(&s)),
            ValuePreview::Function(s) => Val::Function(self.intern(&s)),
            ValuePreview::Array(n) => Val::Array(n),
            ValuePreview::Promise(n) => Val::Promise(self.promise_no(n, false)),
            ValuePreview::Object(n) => Val::Object(n),
            ValuePreview::Other(s) => Val::Other(self.intern(&s)),
        };
        self.t.values.push(c);
        (self.t.values.len() - 1) as u32
    }

    /// For a write to a block environment (one a closure captured, so it lives apart from its
    /// frame's environment): the frame environment and the synthetic local slot to show it
    /// under, found from the writing instruction's position in the block structure.
    fn block_local(&self, slot: u16) -> Option<(u32, u16)> {
        let (func, pc) = self.last_at;
        let frame = self.state.frames.last().filter(|f| f.func == func)?;
        let depth = *self.var_depth.get(func as usize)?.get(pc as usize)?;
        let enclosing = || {
            self.blocks
                .get(func as usize)
                .into_iter()
                .flatten()
                .filter(move |b| b.0 < pc && pc < b.1)
        };
        let block = enclosing().count().checked_sub(1 + depth as usize)?;
        enclosing().nth(block).map(|b| (frame.env, b.2 + slot))
    }

    fn set_depth(&mut self, depth: usize) {
        // the VM may drop frames without a report (abort, exception through natives)
        while self.shadow.len() > depth {
            if let Some((_, vis)) = self.shadow.pop() {
                if vis {
                    self.visible -= 1;
                }
            }
        }
    }
}

fn us(ns: u64) -> u32 {
    (ns / 1000).min(u32::MAX as u64) as u32
}

impl Recorder for Builder {
    fn begin(&mut self, program: &Program, source: &str) {
        self.t.source = source.to_string();
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                self.line_starts.push(i as u32 + 1);
            }
        }
        for (fi, f) in program.functions.iter().enumerate() {
            let mut locals: Vec<String> = f
                .slot_names
                .iter()
                .map(|n| n.split('#').next().unwrap_or(n).to_string())
                .collect();
            let mut blocks = vec![];
            let mut depths = vec![];
            if !f.internal {
                for (push, pop, names) in &f.block_envs {
                    blocks.push((*push, *pop, locals.len() as u16));
                    locals.extend(names.iter().cloned());
                }
                depths = f
                    .code
                    .iter()
                    .map(|i| match i {
                        crate::bytecode::Instr::SetVar { depth, .. }
                        | crate::bytecode::Instr::InitVar { depth, .. } => *depth,
                        _ => u16::MAX,
                    })
                    .collect();
            }
            self.blocks.push(blocks);
            self.var_depth.push(depths);
            self.t.functions.push(FunctionInfo {
                name: if f.name.is_empty() {
                    if fi == 0 {
                        "(main module)".into()
                    } else {
                        "(anonymous)".into()
                    }
                } else {
                    f.name.clone()
                },
                internal: f.internal,
                locals,
            });
            let mut map = vec![];
            if !f.internal {
                map = vec![NONE; f.code.len()];
                for &(pc, start, end) in &f.stmts {
                    if (pc as usize) < map.len() {
                        let line = match self.line_starts.binary_search(&start) {
                            Ok(i) => i,
                            Err(i) => i - 1,
                        };
                        let col = source
                            .get(self.line_starts[line] as usize..start as usize)
                            .map(|s| s.chars().count())
                            .unwrap_or(0);
                        map[pc as usize] = self.t.statements.len() as u32;
                        self.t.statements.push(StatementInfo {
                            func: fi as u32,
                            start,
                            end,
                            line: line as u32 + 1,
                            col: col as u32 + 1,
                        });
                    }
                }
            }
            self.stmt_at.push(map);
        }
    }

    #[inline]
    fn instruction(&mut self, func: u32, pc: u32, _offset: u32, clock_ns: u64) {
        if self.full() {
            return;
        }
        self.last_at = (func, pc);
        let sid = match self
            .stmt_at
            .get(func as usize)
            .and_then(|m| m.get(pc as usize))
        {
            Some(&s) if s != NONE => s,
            _ => return,
        };
        let dt = clock_ns.saturating_sub(self.clock);
        if dt > u32::MAX as u64 {
            self.clock_to(clock_ns);
            self.push(Record::Stmt { stmt: sid, dt: 0 });
        } else {
            self.clock = clock_ns;
            self.push(Record::Stmt {
                stmt: sid,
                dt: dt as u32,
            });
        }
    }

    fn call(&mut self, func: u32, depth: usize, env: u32) {
        if self.full() {
            return;
        }
        self.set_depth(depth.saturating_sub(1));
        let vis = !self
            .t
            .functions
            .get(func as usize)
            .map(|f| f.internal)
            .unwrap_or(true);
        self.shadow.push((env, vis));
        if vis {
            self.visible += 1;
            let d = self.visible;
            self.push(Record::Call {
                func,
                depth: d,
                env,
            });
        }
    }

    fn ret(&mut self, depth: usize) {
        if self.full() {
            return;
        }
        let before = self.visible;
        self.set_depth(depth);
        if self.visible != before {
            let d = self.visible;
            self.push(Record::Return { depth: d });
        }
    }

    fn job(&mut self, kind: JobKind, clock_ns: u64) {
        if self.full() {
            return;
        }
        match kind {
            JobKind::Script => self.push(Record::Phase { phase: Phase::Main }),
            JobKind::Exit => {
                self.set_depth(0);
                self.clock_to(clock_ns);
                self.push(Record::Phase { phase: Phase::Exit })
            }
            _ => {}
        }
    }

    fn nondeterministic(&mut self, what: &str) {
        if self.full() {
            return;
        }
        let w = self.intern(what);
        self.push(Record::Note { what: w });
    }

    fn event(&mut self, e: Event<'_>) {
        if self.full() {
            return;
        }
        match e {
            Event::Phase(p) => {
                self.set_depth(0);
                self.push(Record::Phase { phase: p })
            }
            Event::Dequeue { queue, id } => {
                self.set_depth(0);
                if queue == Queue::Timer {
                    if let Some((due, created)) = self.timers.get(&id).copied() {
                        let rival = self
                            .timers
                            .iter()
                            .any(|(o, (d, c))| *o != id && *d == due && *c != created);
                        if rival {
                            let w = self.intern("equal-due timers created in different milliseconds: creation order chosen");
                            self.push(Record::Note { what: w });
                        }
                    }
                    if !self
                        .state
                        .timers
                        .iter()
                        .any(|t| t.id == id as u32 && t.repeat)
                    {
                        self.timers.remove(&id);
                    }
                }
                self.push(Record::Run {
                    queue,
                    id: id as u32,
                })
            }
            Event::TickQueued { label } => {
                let label = self.intern(label);
                self.push(Record::TickQueued { label })
            }
            Event::MicrotaskQueued {
                kind,
                label,
                promise,
            } => {
                let label = self.intern(label);
                let promise = match promise {
                    Some(p) => self.promise_no(p, false),
                    None if kind == MicrotaskKind::Callback => NONE,
                    None => self.subject,
                };
                self.push(Record::MicrotaskQueued {
                    micro: kind,
                    label,
                    promise,
                })
            }
            Event::TimerSet {
                id,
                due_ms,
                repeat,
                label,
            } => {
                self.timers.insert(id, (due_ms, self.clock / 1_000_000));
                let label = self.intern(label);
                self.push(Record::TimerSet {
                    id: id as u32,
                    due_ms: due_ms.min(u32::MAX as u64) as u32,
                    label,
                    repeat,
                })
            }
            Event::TimerCleared { id } => {
                self.timers.remove(&id);
                self.push(Record::TimerCleared { id: id as u32 })
            }
            Event::ImmediateSet { id, label } => {
                let label = self.intern(label);
                self.push(Record::ImmediateSet {
                    id: id as u32,
                    label,
                })
            }
            Event::ImmediateCleared { id } => self.push(Record::ImmediateCleared { id: id as u32 }),
            Event::IoStarted {
                id,
                kind,
                label,
                due_ns,
            } => {
                let label = self.intern(label);
                self.push(Record::IoStarted {
                    id: id as u32,
                    io: kind,
                    label,
                    due_us: us(due_ns),
                })
            }
            Event::PoolQueued { id, kind, label } => {
                let label = self.intern(label);
                self.push(Record::PoolQueued {
                    id: id as u32,
                    io: kind,
                    label,
                })
            }
            Event::PoolStarted {
                slot,
                id,
                label,
                done_ns,
                ..
            } => {
                let label = self.intern(label);
                self.push(Record::PoolStarted {
                    slot: slot as u16,
                    id: id as u32,
                    label,
                    done_us: us(done_ns),
                })
            }
            Event::PoolDone { slot, id } => self.push(Record::PoolDone {
                slot: slot as u16,
                id: id as u32,
            }),
            Event::Promise { id, op, value } => {
                let id = self.promise_no(id, op == PromiseOp::Created);
                if matches!(op, PromiseOp::Fulfilled | PromiseOp::Rejected) {
                    self.subject = id;
                }
                // A `then` that just marked this promise handled already says so.
                if op == PromiseOp::Handled
                    && matches!(self.t.records.last(), Some(Record::Then { id: last, .. }) if *last == id)
                {
                    return;
                }
                let val = match value {
                    Some(v) => self.val(v),
                    None => NONE,
                };
                self.push(Record::Promise { id, op, val })
            }
            Event::Then {
                promise,
                derived,
                handler,
            } => {
                let id = self.promise_no(promise, false);
                self.subject = id;
                let derived = derived.map_or(NONE, |d| self.promise_no(d, false));
                let label = self.intern(handler);
                self.push(Record::Then { id, derived, label })
            }
            Event::Output { stderr, text } => {
                for l in text.strip_suffix('\n').unwrap_or(text).split('\n') {
                    let line = self.t.console.len() as u32;
                    self.t.console.push(ConsoleLine {
                        stderr,
                        text: l.to_string(),
                    });
                    self.push(Record::Output { line });
                }
            }
            Event::Clock { ns } => self.clock_to(ns),
            Event::Var {
                mut env,
                mut slot,
                value,
            } => {
                // only locals of frames on the stack are shown
                if !self
                    .state
                    .frames
                    .iter()
                    .rev()
                    .take(64)
                    .any(|f| f.env == env)
                {
                    if let Some((frame_env, local)) = self.block_local(slot) {
                        env = frame_env;
                        slot = local;
                    }
                }
                let owner = self
                    .state
                    .frames
                    .iter()
                    .rev()
                    .take(64)
                    .find(|f| f.env == env)
                    .map(|f| f.func);
                let shown = owner.is_some_and(|func| {
                    let name = self
                        .t
                        .functions
                        .get(func as usize)
                        .and_then(|f| f.locals.get(slot as usize));
                    !matches!(name.map(String::as_str), Some(n) if HIDDEN_LOCALS.contains(&n))
                });
                if shown {
                    let val = self.val(value);
                    self.push(Record::Var { env, slot, val });
                }
            }
        }
    }

    fn wants_instructions(&self) -> bool {
        true
    }
    fn recording(&self) -> bool {
        true
    }
}

/// Shares the builder between the VM (which owns its recorder) and [`record`]; counts
/// instructions for the progress callback.
struct Shared {
    builder: Rc<RefCell<Builder>>,
    instructions: u64,
    progress: Option<Box<dyn FnMut(u64)>>,
}

impl Recorder for Shared {
    fn begin(&mut self, program: &Program, source: &str) {
        self.builder.borrow_mut().begin(program, source)
    }
    #[inline]
    fn instruction(&mut self, func: u32, pc: u32, offset: u32, clock_ns: u64) {
        self.instructions += 1;
        if self.instructions.is_multiple_of(PROGRESS_EVERY) {
            if let Some(progress) = &mut self.progress {
                progress(self.instructions);
            }
        }
        self.builder
            .borrow_mut()
            .instruction(func, pc, offset, clock_ns)
    }
    fn call(&mut self, func: u32, depth: usize, env: u32) {
        self.builder.borrow_mut().call(func, depth, env)
    }
    fn ret(&mut self, depth: usize) {
        self.builder.borrow_mut().ret(depth)
    }
    fn job(&mut self, kind: JobKind, clock_ns: u64) {
        self.builder.borrow_mut().job(kind, clock_ns)
    }
    fn nondeterministic(&mut self, what: &str) {
        self.builder.borrow_mut().nondeterministic(what)
    }
    fn event(&mut self, e: Event<'_>) {
        self.builder.borrow_mut().event(e)
    }
    fn wants_instructions(&self) -> bool {
        true
    }
    fn recording(&self) -> bool {
        true
    }
}

/// Runs a program like [`crate::run`] and records its trace.
pub fn record(source: &str, options: &RunOptions) -> (RunOutcome, Trace) {
    record_with(source, options, usize::MAX, None)
}

/// How many VM instructions pass between two calls of [`record_with`]'s progress callback.
pub const PROGRESS_EVERY: u64 = 1 << 18;

/// Like [`record`], with a step limit (the run goes on to the end, but the trace keeps only
/// the first `max_steps` steps and is marked [`Trace::truncated`]) and a progress callback,
/// called with the number of executed instructions every [`PROGRESS_EVERY`] instructions.
pub fn record_with(
    source: &str,
    options: &RunOptions,
    max_steps: usize,
    progress: Option<Box<dyn FnMut(u64)>>,
) -> (RunOutcome, Trace) {
    let mut builder = Builder::new();
    builder.max_steps = max_steps;
    let b = Rc::new(RefCell::new(builder));
    let shared = Shared {
        builder: b.clone(),
        instructions: 0,
        progress,
    };
    let outcome = crate::run_with_recorder(source, options, Box::new(shared));
    let b = match Rc::try_unwrap(b) {
        Ok(c) => c.into_inner(),
        Err(rc) => std::mem::replace(&mut *rc.borrow_mut(), Builder::new()),
    };
    let mut t = b.t;
    if t.source.is_empty() {
        t.source = source.to_string();
    }
    t.threadpool_size = options.threadpool_size;
    (outcome, t)
}

// ---------- the view

/// A value preview as JavaScript-like text (`42`, `'hi'`, `[Function: f]`, `Array(3)`).
pub fn show_value(v: &ValuePreview) -> String {
    match v {
        ValuePreview::Undefined => "undefined".into(),
        ValuePreview::Null => "null".into(),
        ValuePreview::Bool(b) => b.to_string(),
        ValuePreview::Num(n) => crate::value::number_to_string(*n),
        ValuePreview::Str(s) => format!("'{s}'"),
        ValuePreview::Function(n) => format!("[Function: {n}]"),
        ValuePreview::Array(n) => format!("Array({n})"),
        ValuePreview::Promise(id) => format!("Promise #{id}"),
        ValuePreview::Object(id) => format!("Object #{id}"),
        ValuePreview::Other(s) => s.clone(),
    }
}

/// A frame of the call stack in the view.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FrameView {
    pub function: String,
    /// The statement the frame is executing (absent before its first statement).
    pub line: Option<u32>,
    pub col: Option<u32>,
    pub span: Option<(u32, u32)>,
    pub locals: Vec<(String, ValuePreview)>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct QueuedView {
    /// Timer / immediate / I/O id (0 for FIFO queues).
    pub id: u32,
    pub label: String,
    /// Microtask kind, for the microtask queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<MicrotaskKind>,
    /// The promise a microtask belongs to (its per-run number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promise: Option<u32>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TimerView {
    pub id: u32,
    pub label: String,
    pub due_ms: u32,
    pub repeat: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IoView {
    pub id: u32,
    pub label: String,
    /// When the operation completes (or completed), virtual ns.
    pub due_ns: u64,
    /// Whether it ran on the thread pool.
    pub pooled: bool,
    /// Done and waiting for the poll phase to run its callback.
    pub ready: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PoolSlotView {
    pub id: u32,
    pub label: String,
    pub done_ns: u64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PromiseView {
    /// Per-run number: #1 is the first promise the run created.
    pub id: u32,
    pub status: PromiseStatus,
    pub handled: bool,
    /// The value (fulfilled) or reason (rejected).
    pub value: Option<ValuePreview>,
    /// Who waits for it: every handler registered with then/catch/finally/await.
    pub waiters: Vec<WaiterView>,
}

/// A handler registered on a promise.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct WaiterView {
    /// The handler (`resume async f` for an `await`).
    pub handler: String,
    /// The promise the registration returned (the next link of the chain), if any.
    pub derived: Option<u32>,
}

/// Everything the page shows after one step.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ViewState {
    pub step: u32,
    pub agent: u16,
    pub clock_ns: u64,
    pub phase: Phase,
    /// Outermost first.
    pub call_stack: Vec<FrameView>,
    pub next_ticks: Vec<QueuedView>,
    pub microtasks: Vec<QueuedView>,
    /// By due time, then creation.
    pub timers: Vec<TimerView>,
    pub immediates: Vec<QueuedView>,
    pub pending_io: Vec<IoView>,
    /// One entry per slot: the task it runs, if any.
    pub threadpool: Vec<Option<PoolSlotView>>,
    pub threadpool_queue: Vec<QueuedView>,
    pub promises: Vec<PromiseView>,
    /// Number of console lines printed so far (the first lines of [`Trace::console`]).
    pub console_lines: u32,
    /// The callback most recently taken from a queue: (queue, label).
    pub current: Option<(Queue, String)>,
}

/// A step as the page and the CLI show it.
#[derive(Clone, Debug, Serialize)]
pub struct StepView {
    pub step: u32,
    pub agent: u16,
    pub record: Record,
    pub rule: &'static str,
    pub concept: &'static str,
    pub narration: String,
    /// For nondeterministic points: the possible orders and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    pub phase: Phase,
    pub clock_ns: u64,
    pub line: Option<u32>,
    /// Console text printed by this step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<ConsoleLine>,
}

impl Trace {
    /// Number of steps.
    pub fn len(&self) -> usize {
        self.records.len()
    }
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The agent a step belongs to.
    pub fn agent_of(&self, step: usize) -> u16 {
        let i = self.agents.partition_point(|a| a.0 as usize <= step);
        self.agents[i.saturating_sub(1)].1
    }

    /// The replay state after records[..k] for the nearest keyframe at or before `k`.
    fn keyframe_for(&self, k: usize) -> (usize, &State) {
        let i = self.keyframes.partition_point(|kf| kf.0 as usize <= k);
        let (at, s) = &self.keyframes[i.saturating_sub(1)];
        (*at as usize, s)
    }

    /// The internal state after step `i` (before any step if `i` is `None`).
    pub fn state_after(&self, i: Option<usize>) -> State {
        let k = i.map(|i| i + 1).unwrap_or(0).min(self.records.len());
        let (at, s) = self.keyframe_for(k);
        let mut s = s.clone();
        for r in &self.records[at..k] {
            s.apply(r);
        }
        s
    }

    /// The view after step `i`.
    pub fn view(&self, i: usize) -> ViewState {
        let s = self.state_after(Some(i));
        self.render(i, &s)
    }

    fn label(&self, id: u32) -> String {
        self.strings
            .get(id as usize)
            .cloned()
            .unwrap_or_else(|| "?".into())
    }

    /// Resolves a compact value.
    pub fn value(&self, id: u32) -> ValuePreview {
        match self.values.get(id as usize) {
            Some(Val::Undefined) | None => ValuePreview::Undefined,
            Some(Val::Null) => ValuePreview::Null,
            Some(Val::Bool(b)) => ValuePreview::Bool(*b),
            Some(Val::Num(n)) => ValuePreview::Num(*n),
            Some(Val::Str(s)) => ValuePreview::Str(self.label(*s)),
            Some(Val::Function(s)) => ValuePreview::Function(self.label(*s)),
            Some(Val::Array(n)) => ValuePreview::Array(*n),
            Some(Val::Promise(n)) => ValuePreview::Promise(*n),
            Some(Val::Object(n)) => ValuePreview::Object(*n),
            Some(Val::Other(s)) => ValuePreview::Other(self.label(*s)),
        }
    }

    /// Renders a replay state as a view.
    pub fn render(&self, step: usize, s: &State) -> ViewState {
        let q = |id: u32, label: u32| QueuedView {
            id,
            label: self.label(label),
            kind: None,
            promise: None,
        };
        let some = |x: u32| (x != NONE).then_some(x);
        ViewState {
            step: step as u32,
            agent: self.agent_of(step),
            clock_ns: s.clock,
            phase: s.phase,
            call_stack: s
                .frames
                .iter()
                .map(|f| {
                    let info = self.functions.get(f.func as usize);
                    let st = self.statements.get(f.stmt as usize);
                    let mut locals: Vec<(u16, u32)> = f.locals.clone();
                    locals.sort_by_key(|l| l.0);
                    FrameView {
                        function: info.map(|i| i.name.clone()).unwrap_or_default(),
                        line: st.map(|s| s.line),
                        col: st.map(|s| s.col),
                        span: st.map(|s| (s.start, s.end)),
                        locals: locals
                            .iter()
                            .map(|(slot, v)| {
                                let name = info
                                    .and_then(|i| i.locals.get(*slot as usize))
                                    .cloned()
                                    .unwrap_or_else(|| format!("#{slot}"));
                                (name, self.value(*v))
                            })
                            .collect(),
                    }
                })
                .collect(),
            next_ticks: s.ticks.iter().map(|l| q(0, *l)).collect(),
            microtasks: s
                .micro
                .iter()
                .map(|(k, l, p)| QueuedView {
                    id: 0,
                    label: self.label(*l),
                    kind: Some(*k),
                    promise: some(*p),
                })
                .collect(),
            timers: s
                .timers
                .iter()
                .map(|t| TimerView {
                    id: t.id,
                    label: self.label(t.label),
                    due_ms: t.due_ms,
                    repeat: t.repeat,
                })
                .collect(),
            immediates: s.immediates.iter().map(|(i, l)| q(*i, *l)).collect(),
            pending_io: s
                .io
                .iter()
                .map(|io| IoView {
                    id: io.id,
                    label: self.label(io.label),
                    due_ns: io.due_us as u64 * 1000,
                    pooled: io.pooled,
                    ready: io.pooled || io.due_us as u64 * 1000 <= s.clock,
                })
                .collect(),
            threadpool: {
                let n = (self.threadpool_size as usize).max(s.pool.len());
                (0..n)
                    .map(|i| {
                        s.pool
                            .get(i)
                            .copied()
                            .flatten()
                            .map(|(id, l, d)| PoolSlotView {
                                id,
                                label: self.label(l),
                                done_ns: d as u64 * 1000,
                            })
                    })
                    .collect()
            },
            threadpool_queue: s.pool_queue.iter().map(|(i, l)| q(*i, *l)).collect(),
            promises: s
                .promises
                .iter()
                .map(|(id, p)| PromiseView {
                    id: *id,
                    status: p.status,
                    handled: p.handled,
                    value: some(p.val).map(|v| self.value(v)),
                    waiters: p
                        .waiters
                        .iter()
                        .map(|(l, d)| WaiterView {
                            handler: self.label(*l),
                            derived: some(*d),
                        })
                        .collect(),
                })
                .collect(),
            console_lines: s.console_len,
            current: s.current.map(|(q, l)| (q, self.label(l))),
        }
    }

    /// The step with its rule, narration and context.
    pub fn step(&self, i: usize) -> StepView {
        let before = self.state_after(i.checked_sub(1));
        self.step_from(i, &before)
    }

    /// Like [`Trace::step`], given the state before step `i`.
    pub fn step_from(&self, i: usize, before: &State) -> StepView {
        let r = self.records[i];
        let n = narrate::narrate(self, i, before);
        let mut after_clock = before.clock;
        let mut line = before
            .frames
            .last()
            .and_then(|f| self.statements.get(f.stmt as usize))
            .map(|s| s.line);
        match r {
            Record::Stmt { stmt, dt } => {
                after_clock += dt as u64;
                line = self.statements.get(stmt as usize).map(|s| s.line);
            }
            Record::Clock { lo, hi } => after_clock = lo as u64 | (hi as u64) << 32,
            _ => {}
        }
        let phase = match r {
            Record::Phase { phase } => phase,
            _ => before.phase,
        };
        StepView {
            step: i as u32,
            agent: self.agent_of(i),
            record: r,
            rule: n.rule,
            concept: n.concept,
            narration: n.text,
            alternatives: n.alternatives,
            phase,
            clock_ns: after_clock,
            line,
            output: match r {
                Record::Output { line } => self.console.get(line as usize).cloned(),
                _ => None,
            },
        }
    }

    /// A cursor for stepping through the trace.
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            trace: self,
            seeker: Seeker::default(),
        }
    }

    /// Steps where the event loop hands a macrotask to JavaScript (a timer, immediate or I/O
    /// callback is taken from its queue), ascending: the stops of "next / previous callback".
    pub fn callback_starts(&self) -> Vec<u32> {
        self.records
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                matches!(
                    r,
                    Record::Run {
                        queue: Queue::Timer | Queue::Immediate | Queue::Io,
                        ..
                    }
                )
            })
            .map(|(i, _)| i as u32)
            .collect()
    }

    /// "Step over" from step `i`: the next statement of the same frame, skipping the steps of
    /// any call it makes; the step where the frame is left if it ends first. From a step with
    /// an empty stack, the next step where the stack is empty again (a whole callback).
    /// `None` at the end of the trace.
    pub fn step_over(&self, i: usize) -> Option<usize> {
        if i + 1 >= self.records.len() {
            return None;
        }
        let depth = self.state_after(Some(i)).frames.len();
        let mut d = depth;
        for (j, r) in self.records.iter().enumerate().skip(i + 1) {
            match *r {
                Record::Call { depth, .. } | Record::Return { depth } => d = depth as usize,
                Record::Run { .. } | Record::Phase { .. } => d = 0,
                _ => {}
            }
            let same_frame_statement =
                d == depth && (depth == 0 || matches!(r, Record::Stmt { .. }));
            if d < depth || same_frame_statement {
                return Some(j);
            }
        }
        Some(self.records.len() - 1)
    }

    /// Approximate memory held by the records and their tables, in bytes.
    pub fn record_bytes(&self) -> usize {
        self.records.len() * std::mem::size_of::<Record>()
            + self.values.len() * std::mem::size_of::<Val>()
            + self.strings.iter().map(|s| s.len() + 24).sum::<usize>()
            + self
                .console
                .iter()
                .map(|c| c.text.len() + 32)
                .sum::<usize>()
    }

    /// Bytes per step of the records and tables (keyframes excluded, see
    /// [`Trace::keyframe_bytes`]).
    pub fn bytes_per_step(&self) -> f64 {
        self.record_bytes() as f64 / self.len().max(1) as f64
    }

    /// Approximate memory held by keyframes.
    pub fn keyframe_bytes(&self) -> usize {
        self.keyframes
            .iter()
            .map(|(_, s)| std::mem::size_of::<State>() + s.weight() * 16)
            .sum()
    }

    /// The whole trace as JSON (see `docs/trace.md`).
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            format: &'static str,
            version: u32,
            threadpool_size: u32,
            agents: &'a [(u32, u16)],
            functions: &'a [FunctionInfo],
            statements: &'a [StatementInfo],
            strings: &'a [String],
            values: &'a [Val],
            console: &'a [ConsoleLine],
            steps: Vec<StepView>,
        }
        let mut steps = Vec::with_capacity(self.len());
        let mut c = self.cursor();
        for i in 0..self.len() {
            steps.push(self.step_from(i, c.state()));
            c.forward();
        }
        let out = Out {
            format: "looplab-trace",
            version: FORMAT_VERSION,
            threadpool_size: self.threadpool_size,
            agents: &self.agents,
            functions: &self.functions,
            statements: &self.statements,
            strings: &self.strings,
            values: &self.values,
            console: &self.console,
            steps,
        };
        serde_json::to_string(&out).unwrap_or_default()
    }
}

/// A position in a trace with its replayed state, owned apart from the trace (so a long-lived
/// session, like the page's simulator worker, can keep both): `seek` jumps anywhere in
/// O(keyframe interval), and moving forward from the current position replays only the
/// records in between.
#[derive(Clone, Debug, Default)]
pub struct Seeker {
    /// Number of records applied.
    pos: usize,
    state: State,
}

impl Seeker {
    /// Number of records applied so far (the state is "after step pos-1").
    pub fn position(&self) -> usize {
        self.pos
    }
    /// The replay state.
    pub fn state(&self) -> &State {
        &self.state
    }
    /// Applies the next record of `trace`; false at the end.
    pub fn forward(&mut self, trace: &Trace) -> bool {
        match trace.records.get(self.pos) {
            Some(r) => {
                self.state.apply(r);
                self.pos += 1;
                true
            }
            None => false,
        }
    }
    /// Moves to the state after step `i` of `trace`.
    pub fn seek(&mut self, trace: &Trace, i: usize) {
        let k = (i + 1).min(trace.records.len());
        let (at, s) = trace.keyframe_for(k);
        if !(k >= self.pos && at <= self.pos) {
            self.state = s.clone();
            self.pos = at;
        }
        while self.pos < k {
            self.forward(trace);
        }
    }
    /// The view at this position.
    pub fn view(&self, trace: &Trace) -> ViewState {
        trace.render(self.pos.saturating_sub(1), &self.state)
    }
}

/// A [`Seeker`] borrowing its trace.
pub struct Cursor<'a> {
    trace: &'a Trace,
    seeker: Seeker,
}

impl<'a> Cursor<'a> {
    /// Number of records applied so far (the state is "after step pos-1").
    pub fn position(&self) -> usize {
        self.seeker.position()
    }
    /// The replay state.
    pub fn state(&self) -> &State {
        self.seeker.state()
    }
    /// Applies the next record; false at the end.
    pub fn forward(&mut self) -> bool {
        self.seeker.forward(self.trace)
    }
    /// Moves to the state after step `i`.
    pub fn seek(&mut self, i: usize) {
        self.seeker.seek(self.trace, i)
    }
    /// The view at the cursor.
    pub fn view(&self) -> ViewState {
        self.seeker.view(self.trace)
    }
}
