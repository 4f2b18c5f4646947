//! The recorder that turns a run into a [`Trace`]: a [`Recorder`] plugged into the VM that
//! interns functions, statements, strings and values, keeps a shadow of the call stack to
//! show only user frames, numbers promises per thread, and appends one [`Record`] per step
//! (taking keyframes as it goes). [`ThreadRecorder`] is what each thread's VM owns: every
//! thread of a run records into one shared [`Builder`], which keeps per-thread data
//! ([`Thread`]: its program's tables, clock, shadow stack, promise numbers) and marks each
//! change of thread with a [`Record::Agent`] step.

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

/// A program's tables as the recorder needs them, per compiled function (indexed by the VM's
/// function index): shared by the threads that run the same source.
#[derive(Default)]
pub(super) struct ProgramTables {
    source: String,
    /// Offset of its functions in [`Trace::functions`].
    func_base: u32,
    /// per function: pc -> statement id
    stmt_at: Vec<Vec<u32>>,
    /// Per user function: for each pc, the environment depth of a variable write there
    /// (`u16::MAX` when the instruction writes no variable).
    var_depth: Vec<Vec<u16>>,
    /// Per user function: its block environments as (PushEnv pc, PopEnv pc, first synthetic
    /// local slot), outermost first.
    blocks: Vec<Vec<(u32, u32, u16)>>,
}

impl ProgramTables {
    /// The statement that starts at instruction `pc` of function `func`, if one does.
    #[inline(always)]
    fn statement_at(&self, func: u32, pc: u32) -> Option<u32> {
        match self
            .stmt_at
            .get(func as usize)
            .and_then(|m| m.get(pc as usize))
        {
            Some(&s) if s != NONE => Some(s),
            _ => None,
        }
    }
}

/// What the builder keeps per thread.
#[derive(Default)]
struct Thread {
    agent: u16,
    /// The core the machine last gave it.
    core: u16,
    program: Rc<ProgramTables>,
    clock: u64,
    /// shadow of the VM's frame stack: (env, visible)
    shadow: Vec<(u32, bool)>,
    visible: u16,
    /// recorder-side timers for the equal-due nondeterminism check: id -> (due, created ms)
    timers: HashMap<u64, (u64, u64)>,
    /// heap id -> per-thread promise number (#1 is the first promise the thread created).
    promise_nos: HashMap<u32, u32>,
    /// The promise last settled or given a handler: reaction jobs queued next belong to it.
    subject: u32,
    /// The last promise number handed out.
    next_promise: u32,
    /// The instruction last reported: (the VM's function index, pc).
    last_at: (u32, u32),
}

/// Records the view state needs, built by the recorder.
pub(super) struct Builder {
    pub(super) t: Trace,
    string_ids: HashMap<String, u32>,
    /// The replay state of the records so far (every thread's).
    state: State,
    since_keyframe: usize,
    /// Stop recording (and mark the trace truncated) at this many records.
    pub(super) max_steps: usize,
    /// The thread whose recorder called last.
    th: Thread,
    /// The other threads, by agent id (the entry of `th.agent` is a placeholder).
    parked: Vec<Thread>,
    /// The programs loaded so far.
    programs: Vec<Rc<ProgramTables>>,
    /// The replay state is not at the current thread and core (see [`Builder::sync`]).
    unsynced: bool,
    /// Instructions executed by every thread, and the progress callback they feed.
    instructions: u64,
    pub(super) progress: Option<Box<dyn FnMut(u64)>>,
}

impl Builder {
    pub(super) fn new() -> Builder {
        let mut t = Trace::default();
        t.agents.push((0, 0));
        t.keyframes.push((0, State::default()));
        Builder {
            t,
            string_ids: HashMap::new(),
            state: State::default(),
            since_keyframe: 0,
            max_steps: usize::MAX,
            th: Thread {
                subject: NONE,
                ..Thread::default()
            },
            parked: vec![],
            programs: vec![],
            unsynced: false,
            instructions: 0,
            progress: None,
        }
    }

    /// Makes `agent` the thread the next calls are about. Its records start with a
    /// [`Record::Agent`] step, pushed when it first records (see [`Builder::sync`]).
    #[inline(always)]
    fn enter(&mut self, agent: u16) {
        if agent != self.th.agent {
            self.switch_thread(agent);
        }
    }

    #[cold]
    fn switch_thread(&mut self, agent: u16) {
        let needed = agent.max(self.th.agent) as usize + 1;
        if self.parked.len() < needed {
            self.parked.resize_with(needed, Thread::default);
        }
        let mut next = std::mem::take(&mut self.parked[agent as usize]);
        if next.agent != agent {
            // a new thread
            next = Thread {
                agent,
                subject: NONE,
                ..Thread::default()
            };
        }
        let old = std::mem::replace(&mut self.th, next);
        let at = old.agent as usize;
        self.parked[at] = old;
        self.note_position();
    }

    /// Brings the replay state to the current thread: a [`Record::Agent`] step when the last
    /// record was another thread's (or the same thread on another core).
    #[inline(always)]
    fn sync(&mut self) {
        if self.unsynced {
            self.thread_step();
        }
    }

    /// Notes whether the replay state is at the current thread and core.
    fn note_position(&mut self) {
        self.unsynced = self.state.agent != self.th.agent || self.state.core != self.th.core;
    }

    #[cold]
    fn thread_step(&mut self) {
        self.unsynced = false;
        if self.state.agent != self.th.agent || self.state.core != self.th.core {
            let agent = self.th.agent;
            if self.t.agents.last().is_some_and(|a| a.1 != agent) {
                self.t.agents.push((self.t.records.len() as u32, agent));
            }
            self.record(Record::Agent {
                agent,
                core: self.th.core,
            });
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
            if let Some(n) = self.th.promise_nos.get(&id) {
                return *n;
            }
        }
        self.th.next_promise += 1;
        self.th.promise_nos.insert(id, self.th.next_promise);
        self.th.next_promise
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

    /// The replayed call stack of the current thread (whose records may not have started
    /// yet).
    fn frames(&self) -> &[super::state::FrameS] {
        self.state
            .of_agent(self.th.agent)
            .map_or(&[], |s| &s.frames[..])
    }

    /// Appends a record of the current thread.
    #[inline]
    fn push(&mut self, r: Record) {
        self.sync();
        self.record(r);
    }

    #[inline]
    fn record(&mut self, r: Record) {
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
        if ns >= self.th.clock + 1000 || ns < self.th.clock {
            self.th.clock = ns;
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
        let (func, pc) = self.th.last_at;
        let global = func + self.th.program.func_base;
        let frame = self.frames().last().filter(|f| f.func == global)?;
        let depth = *self
            .th
            .program
            .var_depth
            .get(func as usize)?
            .get(pc as usize)?;
        let enclosing = || {
            self.th
                .program
                .blocks
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
        while self.th.shadow.len() > depth {
            if let Some((_, vis)) = self.th.shadow.pop() {
                if vis {
                    self.th.visible -= 1;
                }
            }
        }
    }
}

fn us(ns: u64) -> u32 {
    (ns / 1000).min(u32::MAX as u64) as u32
}

impl Builder {
    /// The tables of `program` (compiled from `source`): a program some thread already runs
    /// is shared; a new one gets its functions and statements appended to the trace's tables
    /// (and its source to [`Trace::files`] unless it is the main program's text).
    fn load(&mut self, program: &Program, source: &str, filename: &str) -> Rc<ProgramTables> {
        if let Some(p) = self
            .programs
            .iter()
            .find(|p| p.source == source && p.stmt_at.len() == program.functions.len())
        {
            return p.clone();
        }
        if self.t.files.is_empty() {
            self.t.source = source.to_string();
        }
        let file = match self.t.files.iter().position(|f| f.1 == source) {
            Some(k) => k,
            None => {
                self.t
                    .files
                    .push((filename.to_string(), source.to_string()));
                self.t.files.len() - 1
            }
        } as u16;
        let mut line_starts = vec![0u32];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        // the project's modules compiled in with the program are files of the trace too
        let mut module_files = vec![];
        for m in &program.files {
            let k = match self
                .t
                .files
                .iter()
                .position(|f| f.0 == m.name && *f.1 == *m.source)
            {
                Some(k) => k,
                None => {
                    self.t.files.push((m.name.clone(), m.source.to_string()));
                    self.t.files.len() - 1
                }
            };
            module_files.push(k as u16);
        }
        let func_base = self.t.functions.len() as u32;
        let mut tables = ProgramTables {
            source: source.to_string(),
            func_base,
            ..ProgramTables::default()
        };
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
            tables.blocks.push(blocks);
            tables.var_depth.push(depths);
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
                let module = (f.file as usize)
                    .checked_sub(1)
                    .and_then(|k| Some((program.files.get(k)?, *module_files.get(k)?)));
                for &(pc, start, end) in &f.stmts {
                    if (pc as usize) < map.len() {
                        let (file, (line, col)) = match module {
                            Some((m, k)) => (k, m.line_col(start)),
                            None => (
                                file,
                                crate::bytecode::line_col_in(source, &line_starts, start),
                            ),
                        };
                        map[pc as usize] = self.t.statements.len() as u32;
                        self.t.statements.push(StatementInfo {
                            file,
                            func: func_base + fi as u32,
                            start,
                            end,
                            line,
                            col,
                        });
                    }
                }
            }
            tables.stmt_at.push(map);
        }
        let tables = Rc::new(tables);
        self.programs.push(tables.clone());
        tables
    }

    /// Statement `sid` of the current thread starts at `clock_ns`.
    fn statement(&mut self, sid: u32, clock_ns: u64) {
        if self.full() {
            return;
        }
        let dt = clock_ns.saturating_sub(self.th.clock);
        if dt > u32::MAX as u64 {
            self.clock_to(clock_ns);
            self.push(Record::Stmt { stmt: sid, dt: 0 });
        } else {
            self.th.clock = clock_ns;
            self.push(Record::Stmt {
                stmt: sid,
                dt: dt as u32,
            });
        }
    }

    /// Counts [`PROGRESS_EVERY`] more executed instructions (of any thread) for the progress
    /// callback.
    #[cold]
    fn count_instructions(&mut self) {
        self.instructions += PROGRESS_EVERY;
        {
            if let Some(progress) = &mut self.progress {
                progress(self.instructions);
            }
        }
    }
}

impl Recorder for Builder {
    fn begin(&mut self, program: &Program, source: &str, filename: &str) {
        self.th.program = self.load(program, source, filename);
    }

    #[inline]
    fn instruction(&mut self, func: u32, pc: u32, _offset: u32, clock_ns: u64) {
        self.th.last_at = (func, pc);
        if let Some(sid) = self.th.program.statement_at(func, pc) {
            self.statement(sid, clock_ns);
        }
    }

    fn call(&mut self, func: u32, depth: usize, env: u32) {
        if self.full() {
            return;
        }
        self.set_depth(depth.saturating_sub(1));
        let func = func + self.th.program.func_base;
        let vis = !self
            .t
            .functions
            .get(func as usize)
            .map(|f| f.internal)
            .unwrap_or(true);
        self.th.shadow.push((env, vis));
        if vis {
            self.th.visible += 1;
            let d = self.th.visible;
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
        let before = self.th.visible;
        self.set_depth(depth);
        if self.th.visible != before {
            let d = self.th.visible;
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
                self.sync();
                self.set_depth(0);
                if queue == Queue::Timer {
                    if let Some((due, created)) = self.th.timers.get(&id).copied() {
                        let rival = self
                            .th
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
                        self.th.timers.remove(&id);
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
                    None => self.th.subject,
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
                self.th
                    .timers
                    .insert(id, (due_ms, self.th.clock / 1_000_000));
                let label = self.intern(label);
                self.push(Record::TimerSet {
                    id: id as u32,
                    due_ms: due_ms.min(u32::MAX as u64) as u32,
                    label,
                    repeat,
                })
            }
            Event::TimerCleared { id } => {
                self.th.timers.remove(&id);
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
                    self.th.subject = id;
                }
                // A `then` that just marked this promise handled already says so.
                if op == PromiseOp::Handled
                    && self.state.agent == self.th.agent
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
                self.th.subject = id;
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
            Event::Scheduled { core } => {
                self.th.core = core.min(u16::MAX as u32) as u16;
                self.note_position();
            }
            Event::MessagePosted { msg } => self.push(Record::Posted { msg }),
            Event::MessageDelivered { msg } => {
                self.set_depth(0);
                self.push(Record::Delivered { msg })
            }
            Event::Spawned {
                pid,
                command,
                kind,
                block_ns,
            } => {
                let command = self.intern(command);
                self.push(Record::Spawned {
                    pid,
                    command,
                    how: kind,
                    cost_us: us(block_ns),
                })
            }
            Event::Signal { pid, signal } => {
                let signal = self.intern(signal);
                self.push(Record::Signal { pid, signal })
            }
            Event::Var {
                mut env,
                mut slot,
                value,
            } => {
                // only locals of frames on the stack are shown
                if !self.frames().iter().rev().take(64).any(|f| f.env == env) {
                    if let Some((frame_env, local)) = self.block_local(slot) {
                        env = frame_env;
                        slot = local;
                    }
                }
                let owner = self
                    .frames()
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

/// The recorder each thread's VM owns: it records into the run's one [`Builder`] as thread
/// `agent` (so [`super::record_with`] keeps the builder while the VMs own their recorders).
pub(super) struct ThreadRecorder {
    pub(super) agent: u16,
    pub(super) builder: Rc<RefCell<Builder>>,
    /// This thread's executed instructions (the builder counts them all in batches).
    pub(super) instructions: u64,
    /// The thread's program tables and its last instruction, kept here so that an
    /// instruction that starts no statement does not touch the builder.
    pub(super) program: Rc<ProgramTables>,
    pub(super) last_at: (u32, u32),
}

impl ThreadRecorder {
    #[inline(always)]
    fn builder(&self) -> std::cell::RefMut<'_, Builder> {
        let mut b = self.builder.borrow_mut();
        b.enter(self.agent);
        b.th.last_at = self.last_at;
        b
    }

    /// A recorder for thread `agent`, recording into `builder`.
    pub(super) fn new(agent: u16, builder: Rc<RefCell<Builder>>) -> ThreadRecorder {
        ThreadRecorder {
            agent,
            builder,
            instructions: 0,
            program: Rc::default(),
            last_at: (0, 0),
        }
    }
}

impl Recorder for ThreadRecorder {
    fn begin(&mut self, program: &Program, source: &str, filename: &str) {
        let tables = {
            let mut b = self.builder();
            b.begin(program, source, filename);
            b.th.program.clone()
        };
        self.program = tables;
    }
    fn fork(&self, agent: u16) -> Option<Box<dyn Recorder>> {
        Some(Box::new(ThreadRecorder::new(agent, self.builder.clone())))
    }
    #[inline]
    fn instruction(&mut self, func: u32, pc: u32, _offset: u32, clock_ns: u64) {
        self.instructions += 1;
        self.last_at = (func, pc);
        if self.instructions.is_multiple_of(PROGRESS_EVERY) {
            self.builder().count_instructions();
        }
        if let Some(sid) = self.program.statement_at(func, pc) {
            self.builder().statement(sid, clock_ns);
        }
    }
    fn call(&mut self, func: u32, depth: usize, env: u32) {
        self.builder().call(func, depth, env)
    }
    fn ret(&mut self, depth: usize) {
        self.builder().ret(depth)
    }
    fn job(&mut self, kind: JobKind, clock_ns: u64) {
        self.builder().job(kind, clock_ns)
    }
    fn nondeterministic(&mut self, what: &str) {
        self.builder().nondeterministic(what)
    }
    fn event(&mut self, e: Event<'_>) {
        self.builder().event(e)
    }
    fn wants_instructions(&self) -> bool {
        true
    }
    fn recording(&self) -> bool {
        true
    }
}
