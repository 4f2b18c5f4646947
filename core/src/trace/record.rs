//! The trace's data: the [`Record`] kinds (one per step), the compact [`Val`]ues and the
//! interned tables they index (functions, statements, strings, console lines), and the
//! [`Trace`] that holds them with its keyframes. The record kinds and their fields are
//! listed in `docs/trace.md` ("Records").

use super::State;
use crate::recorder::{IoKind, MicrotaskKind, Phase, PromiseOp, Queue};
use serde::Serialize;

/// Version of the trace format (bump on any incompatible change of [`Record`] or the JSON).
pub const FORMAT_VERSION: u32 = 3;
/// "No statement" marker.
pub const NONE: u32 = u32::MAX;

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
    /// A thread-pool task starts in `slot`; it needs `cost_us` of CPU time (CPU work:
    /// `crate::machine::pool::cpu_bound`) or of waiting on the device (I/O work).
    PoolStarted {
        slot: u16,
        id: u32,
        io: IoKind,
        label: u32,
        cost_us: u32,
    },
    /// A thread-pool task finished at `done_us`; its callback waits for the poll phase.
    PoolDone {
        slot: u16,
        id: u32,
        done_us: u32,
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
    /// The run went on after the trace reached its step limit (see
    /// [`record_with`](super::record_with)): the trace covers only the first [`Trace::len`]
    /// steps.
    pub truncated: bool,
    /// With worker threads: the machine's report (which thread ran when on which core, the
    /// messages between threads). The records themselves are the main thread's.
    pub machine: Option<crate::machine::MachineReport>,
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
}
