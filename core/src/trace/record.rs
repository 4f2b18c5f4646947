//! The trace's data: the [`Record`] kinds (one per step), the compact [`Val`]ues and the
//! interned tables they index (functions, statements, strings, console lines), and the
//! [`Trace`] that holds them with its keyframes. The record kinds and their fields are
//! listed in `docs/trace.md` ("Records").

use super::State;
use crate::recorder::{IoKind, MicrotaskKind, Phase, PromiseOp, Queue, SpawnKind};
use serde::Serialize;

/// Version of the trace format (bump on any incompatible change of [`Record`] or the JSON).
pub const FORMAT_VERSION: u32 = 4;
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
    /// The records from here on belong to thread `agent` (0 is the main thread), which now
    /// runs on virtual core `core`. Only traces of runs with worker threads have it.
    Agent {
        agent: u16,
        core: u16,
    },
    /// This thread posted message `msg` (an index into the machine report's messages).
    Posted {
        msg: u32,
    },
    /// This thread takes message `msg` from its port; its handler (if any) runs next.
    Delivered {
        msg: u32,
    },
    /// This thread started process `pid`, running `command` (a string id); the call blocked
    /// it for `cost_us` (the OS creating the process; for a synchronous spawn, the whole run).
    Spawned {
        pid: u32,
        command: u32,
        how: SpawnKind,
        cost_us: u32,
    },
    /// This thread sent signal `signal` (a string id: `SIGTERM`) to process `pid`.
    Signal {
        pid: u32,
        signal: u32,
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
    /// The program file it belongs to (an index into [`Trace::files`]; 0 is the main
    /// program).
    #[serde(skip_serializing_if = "is_zero")]
    pub file: u16,
    pub func: u32,
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub col: u32,
}

/// For `skip_serializing_if`: a file index of 0 (the main program) is left out.
pub(super) fn is_zero(n: &u16) -> bool {
    *n == 0
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
    /// The main program's source (the same text as `files[0]`).
    pub source: String,
    /// Every program a thread of the run executed, as (file name, source text): the main
    /// program first, then each worker's code that differs from it (`eval: true` code, other
    /// project files). [`StatementInfo::file`] indexes it.
    pub files: Vec<(String, String)>,
    pub threadpool_size: u32,
    /// The run went on after the trace reached its step limit (see
    /// [`record_with`](super::record_with)): the trace covers only the first [`Trace::len`]
    /// steps.
    pub truncated: bool,
    /// With worker threads or message ports: the machine's report (the threads, which ran
    /// when on which core, the messages between threads, which [`Record::Posted`] and
    /// [`Record::Delivered`] index).
    pub machine: Option<crate::machine::MachineReport>,
    /// With child processes: when each process of the machine report is spawned, starts and
    /// exits in the trace (see [`Trace::processes`]).
    pub(super) process_steps: Vec<super::procs::ProcSteps>,
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

    /// Whether more than one thread ran (the steps of several agents interleave).
    pub fn threaded(&self) -> bool {
        self.agents.len() > 1
    }

    /// The steps of thread `agent` in `range`, ascending (all of them for a single-thread
    /// trace): what narration scans when it looks ahead within one thread.
    pub fn steps_of(&self, agent: u16, range: std::ops::Range<usize>) -> StepsOf<'_> {
        StepsOf::new(self, agent, range, false)
    }

    /// The same steps as ranges, one per run of the thread's steps (one range for a
    /// single-thread trace): for scans that must cost what scanning a slice costs.
    pub fn runs_of(
        &self,
        agent: u16,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let end = range.end.min(self.records.len());
        let start = range.start.min(end);
        let first = self
            .agents
            .partition_point(|a| a.0 as usize <= start)
            .saturating_sub(1);
        (first..self.agents.len())
            .take_while(move |&k| k == first || (self.agents[k].0 as usize) < end)
            .filter(move |&k| self.agents[k].1 == agent)
            .map(move |k| {
                let run_end = self
                    .agents
                    .get(k + 1)
                    .map_or(self.records.len(), |n| n.0 as usize);
                (self.agents[k].0 as usize).max(start)..run_end.min(end)
            })
            .filter(|r| r.start < r.end)
    }

    /// The same steps, descending (what narration scans when it looks back).
    pub fn steps_of_rev(&self, agent: u16, range: std::ops::Range<usize>) -> StepsOf<'_> {
        StepsOf::new(self, agent, range, true)
    }

    /// The name of thread `agent` ("main thread", "worker 1").
    pub fn thread_name(&self, agent: u16) -> String {
        match &self.machine {
            Some(m) => m
                .threads
                .get(agent as usize)
                .map(|t| t.name.clone())
                .unwrap_or_else(|| format!("thread {agent}")),
            None if agent == 0 => "main thread".into(),
            None => format!("thread {agent}"),
        }
    }

    /// The source text of program file `file`.
    pub fn file_source(&self, file: u16) -> &str {
        match self.files.get(file as usize) {
            Some((_, text)) => text,
            None => &self.source,
        }
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

/// The steps of one thread in a range of a trace, in either direction: a plain counter within
/// each run of the thread's steps (one run for a single-thread trace), so scanning costs what
/// scanning a range costs.
pub struct StepsOf<'a> {
    runs: &'a [(u32, u16)],
    agent: u16,
    /// The bounds of the whole scan.
    start: usize,
    end: usize,
    records: usize,
    /// What is left of the current run, `lo..hi`, and that run's index.
    lo: usize,
    hi: usize,
    run: usize,
    rev: bool,
}

impl<'a> StepsOf<'a> {
    fn new(t: &'a Trace, agent: u16, range: std::ops::Range<usize>, rev: bool) -> StepsOf<'a> {
        let records = t.records.len();
        let end = range.end.min(records);
        let start = range.start.min(end);
        let at = if rev { end.saturating_sub(1) } else { start };
        let run = t
            .agents
            .partition_point(|a| a.0 as usize <= at)
            .saturating_sub(1);
        let mut it = StepsOf {
            runs: &t.agents,
            agent,
            start,
            end,
            records,
            lo: 0,
            hi: 0,
            run,
            rev,
        };
        if start < end {
            it.enter_run();
        }
        it
    }

    /// Where run `k` ends.
    fn run_end(&self, k: usize) -> usize {
        self.runs.get(k + 1).map_or(self.records, |n| n.0 as usize)
    }

    /// Sets `lo..hi` to the current run's part of the scan (empty for another thread's run).
    fn enter_run(&mut self) {
        match self.runs.get(self.run) {
            Some(&(first, agent)) if agent == self.agent => {
                self.lo = (first as usize).max(self.start);
                self.hi = self.run_end(self.run).min(self.end);
            }
            _ => {
                self.lo = 0;
                self.hi = 0;
            }
        }
    }
}

impl Iterator for StepsOf<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.lo < self.hi {
                return Some(if self.rev {
                    self.hi -= 1;
                    self.hi
                } else {
                    self.lo += 1;
                    self.lo - 1
                });
            }
            if self.rev {
                let first = self.runs.get(self.run).map_or(0, |r| r.0 as usize);
                if self.run == 0 || first <= self.start {
                    return None;
                }
                self.run -= 1;
            } else {
                self.run += 1;
                match self.runs.get(self.run) {
                    Some(r) if (r.0 as usize) < self.end => {}
                    _ => return None,
                }
            }
            self.enter_run();
        }
    }
}
