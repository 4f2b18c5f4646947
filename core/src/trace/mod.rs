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
//!
//! Layout: `record` (the record kinds, values, tables and the [`Trace`] itself), `state`
//! (the replay [`State`] and [`State::apply`]), `builder` (the recorder that turns a run into
//! a trace), `view` (the [`ViewState`] and [`StepView`] of one step), `procs` (which process
//! a thread or message belongs to, and the processes a step shows), `seek` (keyframes,
//! [`Seeker`], [`Cursor`], step over), `json` ([`Trace::to_json`]), [`hooks`] (the VM side
//! that reports events to the recorder) and [`narrate`] (rule ids and sentences). The entry
//! points [`record`] and [`record_with`] are here.

pub mod hooks;
pub mod narrate;

mod builder;
mod json;
mod procs;
mod record;
mod seek;
mod state;
mod view;

pub use builder::HIDDEN_LOCALS;
pub use procs::ProcessView;
pub use record::{
    ConsoleLine, FunctionInfo, Record, StatementInfo, StepsOf, Trace, Val, FORMAT_VERSION, NONE,
};
pub use seek::{Cursor, Seeker, KEYFRAME_INTERVAL};
pub use state::{PromiseStatus, State};
pub use view::{
    show_value, FrameView, IoView, PoolSlotView, PromiseView, QueuedView, StepView, ThreadView,
    TimerView, ViewState, WaiterView,
};

use crate::{RunOptions, RunOutcome};
use builder::{Builder, ThreadRecorder};
use std::cell::RefCell;
use std::rc::Rc;

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
    builder.progress = progress;
    let b = Rc::new(RefCell::new(builder));
    let main = ThreadRecorder::new(0, b.clone());
    let outcome = crate::run_with_recorder(source, options, Box::new(main));
    let b = match Rc::try_unwrap(b) {
        Ok(c) => c.into_inner(),
        Err(rc) => std::mem::replace(&mut *rc.borrow_mut(), Builder::new()),
    };
    let mut t = b.t;
    if t.source.is_empty() {
        t.source = source.to_string();
    }
    t.threadpool_size = options.threadpool_size;
    t.machine = outcome.machine.clone();
    t.index_processes();
    (outcome, t)
}
