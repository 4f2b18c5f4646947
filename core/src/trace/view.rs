//! The view of one step: what the page shows after it ([`ViewState`], rendered from a replay
//! [`State`] with ids resolved to names and value previews) and the step itself as the page
//! and the CLI show it ([`StepView`]: record, rule, concept, narration, clock, line, output).

use super::{narrate, ConsoleLine, PromiseStatus, Record, State, Trace, Val, NONE};
use crate::recorder::{MicrotaskKind, Phase, Queue, ValuePreview};
use serde::Serialize;

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

/// One thread as a step of a multi-thread trace shows it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThreadView {
    pub agent: u16,
    /// "main thread", "worker 1", "process 4243".
    pub name: String,
    /// The process it belongs to, and that process's command line (so the page can group
    /// threads by process).
    pub pid: u32,
    pub process: String,
    /// The core it last ran on.
    pub core: u16,
    /// Its own virtual clock.
    pub clock_ns: u64,
    pub phase: Phase,
    /// The function on top of its call stack, if it is in the middle of one.
    pub running: Option<String>,
    /// Callbacks waiting in its nextTick and microtask queues, immediates, timers.
    pub waiting: u32,
}

/// A frame of the call stack in the view.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FrameView {
    pub function: String,
    /// The program file of its statements (an index into [`Trace::files`]; 0 is the main
    /// program).
    #[serde(skip_serializing_if = "super::record::is_zero")]
    pub file: u16,
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
    /// What the task needs: CPU time on a core (`cpu`), or time on the disk or network.
    pub cost_ns: u64,
    pub cpu: bool,
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
    /// With worker threads: every thread of the run (the view's other fields are this step's
    /// thread's, `agent`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub threads: Vec<ThreadView>,
    /// With child processes: every process spawned by this step (the main program first),
    /// with its state at this step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub processes: Vec<super::ProcessView>,
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
    /// The view after step `i`.
    pub fn view(&self, i: usize) -> ViewState {
        let s = self.state_after(Some(i));
        self.render(i, &s)
    }

    pub(super) fn label(&self, id: u32) -> String {
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
            agent: s.agent,
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
                        file: st.map_or(0, |s| s.file),
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
                            .map(|(id, l, c, io)| PoolSlotView {
                                id,
                                label: self.label(l),
                                cost_ns: c as u64 * 1000,
                                cpu: crate::machine::pool::cpu_bound(io),
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
            threads: self.thread_views(s),
            processes: self.process_views(step),
        }
    }

    /// Every thread's summary, for a trace of several threads (empty otherwise).
    fn thread_views(&self, s: &State) -> Vec<ThreadView> {
        if !self.threaded() {
            return vec![];
        }
        (0..s.agent_count() as u16)
            .filter_map(|a| s.of_agent(a).map(|t| (a, t)))
            .map(|(a, t)| ThreadView {
                agent: a,
                name: self.thread_name(a),
                pid: self
                    .process_of_agent(a)
                    .map_or(crate::machine::process::MAIN_PID, |p| p.pid),
                process: self
                    .process_of_agent(a)
                    .map_or_else(|| "node".into(), |p| p.command.clone()),
                core: t.core,
                clock_ns: t.clock,
                phase: t.phase,
                running: t
                    .frames
                    .last()
                    .and_then(|f| self.functions.get(f.func as usize))
                    .map(|f| f.name.clone()),
                waiting: (t.ticks.len() + t.micro.len() + t.immediates.len() + t.timers.len())
                    as u32,
            })
            .collect()
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
}
