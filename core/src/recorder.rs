//! The hook through which the VM reports what it does, so a trace recorder can be plugged in
//! without touching the interpreter loop. Plain runs use [`NoopRecorder`].

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

/// Observer of VM events. Every method has an empty default body.
pub trait Recorder {
    /// Before each instruction: function index, program counter, source offset, virtual ns.
    fn instruction(&mut self, _func: u32, _pc: u32, _offset: u32, _clock_ns: u64) {}
    /// A JavaScript function frame was pushed (by a call, construct or resumption).
    fn call(&mut self, _func: u32, _depth: usize) {}
    /// The top frame returned, threw out, or suspended.
    fn ret(&mut self, _depth: usize) {}
    /// The host starts a job (macrotask or microtask).
    fn job(&mut self, _kind: JobKind, _clock_ns: u64) {}
    /// The program wrote `text` to stdout (`is_stderr == false`) or stderr.
    fn output(&mut self, _is_stderr: bool, _text: &str, _clock_ns: u64) {}
    /// A note that the real Node.js order here is not deterministic.
    fn nondeterministic(&mut self, _what: &str) {}
    /// Whether per-instruction events are wanted (checked once per run loop entry).
    fn wants_instructions(&self) -> bool {
        false
    }
}

/// The recorder used by plain runs: records nothing.
#[derive(Default, Debug)]
pub struct NoopRecorder;

impl Recorder for NoopRecorder {}
