//! The hook through which the VM reports what it does, so a trace recorder can be plugged in
//! without touching the interpreter loop. Plain runs use [`NoopRecorder`].
//!
//! Host-level events (queues, timers, the thread pool, promises, console output) arrive as one
//! closed enum, [`Event`]; the VM only builds an event when [`Recorder::recording`] is true, so
//! unrecorded runs pay nothing but a flag test.

use serde::Serialize;

/// What kind of job the host is about to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    Script,
    NextTick,
    Microtask,
    Timer,
    Immediate,
    Io,
    Exit,
}

/// A phase of the simulated Node.js process (the event-loop phases plus the main module and
/// exit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Running the main module (before the loop starts).
    #[default]
    Main,
    /// Timers phase: expired setTimeout / setInterval callbacks.
    Timers,
    /// Poll phase: waiting for and running I/O callbacks.
    Poll,
    /// Check phase: setImmediate callbacks.
    Check,
    /// The loop is empty: 'beforeExit' listeners.
    BeforeExit,
    /// The process is exiting: 'exit' listeners.
    Exit,
}

/// The queue a callback was taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Queue {
    NextTick,
    Microtask,
    Timer,
    Immediate,
    Io,
}

/// What kind of microtask was enqueued.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MicrotaskKind {
    /// A `then`/`catch`/`finally` handler of a settled promise (PromiseReactionJob).
    Reaction,
    /// Resolving a promise with a thenable: call its `then` (NewPromiseResolveThenableJob).
    ResolveThenable,
    /// Resuming an `async` function after `await`.
    AwaitResume,
    /// `queueMicrotask(fn)`.
    Callback,
}

/// A change of a promise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PromiseOp {
    Created,
    Fulfilled,
    Rejected,
    /// A handler was attached (the promise counts as handled for rejection tracking).
    Handled,
}

/// Kind of an asynchronous operation of the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IoKind {
    Fs,
    Dns,
    Crypto,
    Zlib,
    Network,
}

/// What a spawn started (see [`Event::Spawned`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpawnKind {
    /// A Node process of the machine (`fork`, `spawn('node', ...)`): its main thread is a
    /// new agent.
    Node,
    /// A program or shell line the virtual shell runs (`exec`, `execFile`, `spawn('ls')`).
    Program,
    /// A synchronous spawn (`spawnSync`, `execSync`, `execFileSync`): the caller blocks until
    /// the process has ended.
    Sync,
}

/// A small, heap-free preview of a JavaScript value (for locals in the view).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "t", content = "v", rename_all = "kebab-case")]
pub enum ValuePreview {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    /// A string (truncated to 60 characters).
    Str(String),
    /// A function, by name.
    Function(String),
    Array(u32),
    Promise(u32),
    Object(u32),
    Other(String),
}

/// Host-level event reported to the recorder.
#[derive(Clone, Debug)]
pub enum Event<'a> {
    Phase(Phase),
    /// A callback was taken from a queue and is about to run (`id` identifies timers,
    /// immediates and I/O; 0 for FIFO queues).
    Dequeue {
        queue: Queue,
        id: u64,
    },
    TickQueued {
        label: &'a str,
    },
    MicrotaskQueued {
        kind: MicrotaskKind,
        label: &'a str,
        /// The promise the job is about (the one being resolved, for a thenable job); `None`
        /// when the job belongs to the promise last settled or handled (reactions).
        promise: Option<u32>,
    },
    TimerSet {
        id: u64,
        due_ms: u64,
        repeat: bool,
        label: &'a str,
    },
    TimerCleared {
        id: u64,
    },
    ImmediateSet {
        id: u64,
        label: &'a str,
    },
    ImmediateCleared {
        id: u64,
    },
    /// An I/O operation outside the thread pool (network) started; completes at `due_ns`.
    IoStarted {
        id: u64,
        kind: IoKind,
        label: &'a str,
        due_ns: u64,
    },
    /// A thread-pool task waits for a free slot.
    PoolQueued {
        id: u64,
        kind: IoKind,
        label: &'a str,
    },
    /// A thread-pool task starts in `slot`. It needs `cost_ns`: of CPU time for CPU work
    /// (it shares the cores, so when it is done depends on the other threads), or on the
    /// disk or network for I/O work (then it is done `cost_ns` after it started).
    PoolStarted {
        slot: u32,
        id: u64,
        kind: IoKind,
        label: &'a str,
        cost_ns: u64,
    },
    /// A thread-pool task finished at `done_ns`; its callback waits for the poll phase.
    PoolDone {
        slot: u32,
        id: u64,
        done_ns: u64,
    },
    Promise {
        id: u32,
        op: PromiseOp,
        /// The value or reason, for `Fulfilled` and `Rejected`.
        value: Option<ValuePreview>,
    },
    /// A handler was registered on promise `promise` (`then`/`catch`/`finally`/`await`);
    /// `derived` is the promise the registration returns, if any.
    Then {
        promise: u32,
        derived: Option<u32>,
        handler: &'a str,
    },
    Output {
        stderr: bool,
        text: &'a str,
    },
    /// The virtual clock jumped (the loop waited, or a synchronous call blocked).
    Clock {
        ns: u64,
    },
    /// A variable of environment `env` was written.
    Var {
        env: u32,
        slot: u16,
        value: ValuePreview,
    },
    /// The machine gave this thread virtual core `core`.
    Scheduled {
        core: u32,
    },
    /// This thread posted message `msg` (an index into the bus's message log).
    MessagePosted {
        msg: u32,
    },
    /// This thread takes message `msg` from its port.
    MessageDelivered {
        msg: u32,
    },
    /// This thread started process `pid` (running `command`); the call blocks it for
    /// `block_ns` (the OS creating the process; for [`SpawnKind::Sync`], the whole run).
    Spawned {
        pid: u32,
        command: &'a str,
        kind: SpawnKind,
        block_ns: u64,
    },
    /// This thread sent `signal` to process `pid` (`kill`).
    Signal {
        pid: u32,
        signal: &'a str,
    },
}

/// Observer of VM events. Every method has an empty default body.
pub trait Recorder {
    /// Called once before the program runs, with the compiled program, its source and its
    /// file name.
    fn begin(&mut self, _program: &crate::bytecode::Program, _source: &str, _filename: &str) {}
    /// A recorder for a new thread `agent` of the same run (a worker), recording into the
    /// same trace; `None`: the new thread is not recorded.
    fn fork(&self, _agent: u16) -> Option<Box<dyn Recorder>> {
        None
    }
    /// Before each instruction: function index, program counter, source offset, virtual ns.
    fn instruction(&mut self, _func: u32, _pc: u32, _offset: u32, _clock_ns: u64) {}
    /// A JavaScript function frame was pushed (by a call, construct or resumption); `env` is the
    /// frame's environment.
    fn call(&mut self, _func: u32, _depth: usize, _env: u32) {}
    /// The top frame returned, threw out, or suspended.
    fn ret(&mut self, _depth: usize) {}
    /// The host starts a job (macrotask or microtask).
    fn job(&mut self, _kind: JobKind, _clock_ns: u64) {}
    /// The program wrote `text` to stdout (`is_stderr == false`) or stderr.
    fn output(&mut self, _is_stderr: bool, _text: &str, _clock_ns: u64) {}
    /// A note that the real Node.js order here is not deterministic.
    fn nondeterministic(&mut self, _what: &str) {}
    /// A host-level event (only sent when [`Recorder::recording`] is true).
    fn event(&mut self, _event: Event<'_>) {}
    /// Whether per-instruction events are wanted (checked once per run loop entry).
    fn wants_instructions(&self) -> bool {
        false
    }
    /// Whether host events are wanted (the VM skips building them otherwise).
    fn recording(&self) -> bool {
        false
    }
}

/// The recorder used by plain runs: records nothing.
#[derive(Default, Debug)]
pub struct NoopRecorder;

impl Recorder for NoopRecorder {}
