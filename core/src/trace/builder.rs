//! The recorder that turns a run into a [`Trace`]: a [`Recorder`] plugged into the VM that
//! interns functions, statements, strings and values, keeps a shadow of the call stack to
//! show only user frames, numbers promises per run, and appends one [`Record`] per step
//! (taking keyframes as it goes). [`Shared`] lets [`super::record_with`] keep the builder
//! while the VM owns its recorder.

use super::{
    ConsoleLine, FunctionInfo, Record, State, StatementInfo, Trace, Val, KEYFRAME_INTERVAL, NONE,
    PROGRESS_EVERY,
};
use crate::bytecode::Program;
use crate::recorder::{
    Event, JobKind, MicrotaskKind, Phase, PromiseOp, Queue, Recorder, ValuePreview,
};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Bindings the view does not show as locals (the CommonJS wrapper's parameters, `this`).
pub const HIDDEN_LOCALS: &[&str] = &[
    "this",
    "exports",
    "require",
    "module",
    "__filename",
    "__dirname",
];

/// Records the view state needs, built by the recorder.
pub(super) struct Builder {
    pub(super) t: Trace,
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
    pub(super) max_steps: usize,
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
    pub(super) fn new() -> Builder {
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
                kind,
                label,
                cost_ns,
            } => {
                let label = self.intern(label);
                self.push(Record::PoolStarted {
                    slot: slot as u16,
                    id: id as u32,
                    io: kind,
                    label,
                    cost_us: us(cost_ns),
                })
            }
            Event::PoolDone { slot, id, done_ns } => self.push(Record::PoolDone {
                slot: slot as u16,
                id: id as u32,
                done_us: us(done_ns),
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
pub(super) struct Shared {
    pub(super) builder: Rc<RefCell<Builder>>,
    pub(super) instructions: u64,
    pub(super) progress: Option<Box<dyn FnMut(u64)>>,
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
