//! The event loop as the simulator runs it, on the agent's virtual clock (`Vm::clock_ns`).
//!
//! The loop is a step function, [`Vm::loop_step`], that the machine's scheduler drives (see
//! [`crate::machine`]): each call runs one job — the main module, one callback, one
//! `process.nextTick` callback or one microtask — or continues a job that yielded its core,
//! and says whether the agent ran, is idle until a virtual time (or a message), or is done.
//! Where it stands between two steps is data ([`LoopState`]).
//!
//! After the main module, the loop repeats, while anything keeps it alive (a ref'ed timer, an
//! immediate, an I/O completion, a task of this agent in the process's thread pool, a ref'ed
//! port or worker):
//! 1. **timers**: every timer due at the loop time, in (due time, creation) order;
//! 2. **poll**: if no immediate is waiting, the agent is idle until the next timer, I/O
//!    completion, thread-pool notice or message (the scheduler moves its clock); the pool's
//!    notices due by then are taken (tasks done by then queue their callbacks; the pool runs
//!    on the machine, see [`crate::machine::pool`]); then every I/O callback and port message that is due runs, in order;
//! 3. **check**: the immediates queued before the phase began (ones queued during it wait for
//!    the next iteration).
//!
//! The loop starts at least 1 ms after the program did: Node bootstraps for more than 1 ms, so
//! a 0 or 1 ms timer from the main module is due on the first iteration and runs before an
//! immediate from the main module (a race in Node; the simulator notes it).
//!
//! When nothing is left, `process` emits `beforeExit`; if that schedules work, the loop goes
//! on. Node's loop has two more phases, *pending callbacks* (I/O callbacks libuv deferred to
//! the next iteration, e.g. some TCP errors) and *close callbacks* (`'close'` events of handles
//! closed with `.close()`). The simulator does not model them: none of its APIs defers a
//! callback to the pending phase or closes a handle, so nothing would ever run there.
//!
//! After every callback (and after the main module) the drain empties the `process.nextTick`
//! queue and then the microtask queue, repeatedly, as Node's `processTicksAndRejections`
//! does, and then applies the unhandled-rejection policy.
//!
//! **Resumable jobs.** The main module and every callback the loop calls directly (timers,
//! immediates, I/O, messages, ticks) may yield at a safe point when the agent's time slice
//! ends (`Vm::slice_end_ns`) or it blocks: the interpreter returns with the frames kept and
//! the next step resumes them. Microtasks (promise reactions, `await` resumptions) and the
//! `process` events (`beforeExit`, `exit`, unhandled rejections) run to their end in one
//! step: Rust code follows them, which a yield could not resume. Each job runs inside a
//! collection window (see [`crate::vm::gc`]).

use crate::recorder::{Event, JobKind, Phase, Queue};
use crate::value::Value;
use crate::vm::{Abort, Vm};
use std::collections::VecDeque;

/// A pending I/O completion delivered in the poll phase.
#[derive(Clone, Debug)]
pub struct IoCompletion {
    pub due_ns: u64,
    pub seq: u64,
    pub callback: Value,
    pub args: Vec<Value>,
}

/// What one step of the loop did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopStatus {
    /// It ran a job or part of one: step again.
    Ran,
    /// Nothing runs before virtual time `Some(t)` (a timer or a thread-pool completion), or
    /// before a message arrives (`None`); the loop is still alive.
    Idle(Option<u64>),
    /// The loop is over: nothing keeps it alive, or the agent stopped (an uncaught error,
    /// `process.exit`, a budget). `Vm::abort` says which.
    Exited,
}

/// Where the loop stands between two steps.
#[derive(Default, Debug)]
pub enum Cursor {
    /// The main module has not run: the function to call and its arguments.
    Main {
        module: Value,
        this: Value,
        args: Vec<Value>,
    },
    /// The main module and its drain are done; the loop has not begun.
    #[default]
    Start,
    /// The top of an iteration: is the loop alive?
    Top,
    /// `beforeExit` was emitted and drained: alive again, or done?
    AfterBeforeExit,
    /// Running the timers due at `now_ms` that existed when the phase began.
    Timers { now_ms: u64, limit_seq: u64 },
    /// The poll phase begins: wait for work.
    Poll,
    /// Running due I/O callbacks and messages.
    PollRun,
    /// Running the check phase's batch (`LoopState::check_batch`).
    Check,
    /// The loop is over.
    Done,
}

/// Which queue the drain after a callback is emptying.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drain {
    /// Nothing to drain.
    #[default]
    Off,
    Ticks,
    Microtasks,
}

/// The loop's position, its drain, and a job that yielded (the frame index it runs from).
#[derive(Default, Debug)]
pub struct LoopState {
    pub cursor: Cursor,
    pub drain: Drain,
    pub in_flight: Option<usize>,
    /// The immediates of the running check phase (roots for the collector).
    pub check_batch: VecDeque<(u64, Value, Vec<Value>)>,
    /// When the loop begins (after the bootstrap millisecond): the agent does not wake
    /// before.
    pub begin_ns: u64,
}

impl LoopState {
    /// Every value the loop state holds (roots for the collector).
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        let main: Vec<&Value> = match &self.cursor {
            Cursor::Main { module, this, args } => std::iter::once(module)
                .chain(Some(this))
                .chain(args)
                .collect(),
            _ => Vec::new(),
        };
        main.into_iter().chain(
            self.check_batch
                .iter()
                .flat_map(|(_, f, args)| std::iter::once(f).chain(args)),
        )
    }
}

/// How a job ended.
enum JobEnd {
    Done,
    /// It yielded its core (or blocked): the next step resumes it.
    Yielded,
    /// The agent stops.
    Stopped,
}

impl Vm {
    /// Runs `f(...args)` as a resumable job: it may yield at a safe point (see the module docs).
    fn run_job_call(&mut self, kind: JobKind, f: &Value, this: Value, args: &[Value]) -> JobEnd {
        // the main module's job is recorded at time 0 (the prelude's instructions before it
        // are the bootstrap)
        let at = if kind == JobKind::Script {
            0
        } else {
            self.clock_ns
        };
        self.recorder.job(kind, at);
        let base = self.frames.len();
        let mut roots = vec![f.clone(), this.clone()];
        roots.extend_from_slice(args);
        let saved = self.yield_depth;
        self.yield_depth = self.native_depth + 1;
        let r = self.with_gc_window(&roots, |vm| vm.call(f, this, args));
        self.yield_depth = saved;
        self.end_job(r, base)
    }

    /// Continues the job that yielded, from frame `base`.
    fn resume_job(&mut self, base: usize) -> JobEnd {
        let (saved_gc, saved_yield) = (self.gc_depth, self.yield_depth);
        self.native_depth += 1;
        self.gc_depth = self.native_depth;
        self.yield_depth = self.native_depth;
        let r = self.run(base);
        self.native_depth -= 1;
        self.gc_depth = saved_gc;
        self.yield_depth = saved_yield;
        self.end_job(r, base)
    }

    fn end_job(&mut self, r: Result<Value, Value>, base: usize) -> JobEnd {
        if self.abort == Some(Abort::Yield) {
            self.abort = None;
            self.host.looping.in_flight = Some(base);
            return JobEnd::Yielded;
        }
        match r {
            Ok(_) => JobEnd::Done,
            Err(e) => match self.handle_uncaught(e, "uncaughtException") {
                Ok(()) => JobEnd::Done,
                Err(()) => JobEnd::Stopped,
            },
        }
    }

    /// Starts a loop callback as a resumable job; after it, the drain runs.
    fn start_callback(&mut self, kind: JobKind, f: &Value, args: &[Value]) -> LoopStatus {
        let end = self.run_job_call(kind, f, Value::Undefined, args);
        self.after_job(end)
    }

    fn after_job(&mut self, end: JobEnd) -> LoopStatus {
        match end {
            JobEnd::Done => {
                self.host.looping.drain = Drain::Ticks;
                LoopStatus::Ran
            }
            JobEnd::Yielded => LoopStatus::Ran,
            JobEnd::Stopped => self.stop(),
        }
    }

    fn stop(&mut self) -> LoopStatus {
        self.host.looping.cursor = Cursor::Done;
        self.host.looping.drain = Drain::Off;
        LoopStatus::Exited
    }

    /// Runs the drain to its end without yielding: the `process.nextTick` queue, then the
    /// microtasks, repeatedly, then the unhandled-rejection check (used where Rust code
    /// follows, e.g. after `beforeExit`).
    pub fn drain(&mut self) -> Result<(), ()> {
        self.host.looping.drain = Drain::Ticks;
        while self.host.looping.drain != Drain::Off {
            if self.drain_step() == LoopStatus::Exited {
                return Err(());
            }
        }
        Ok(())
    }

    /// One step of processTicksAndRejections: one tick, or one microtask, or the rejection
    /// check.
    fn drain_step(&mut self) -> LoopStatus {
        if self.host.looping.drain == Drain::Ticks {
            if let Some((f, args)) = self.host.next_ticks.pop_front() {
                self.host_event(Event::Dequeue {
                    queue: Queue::NextTick,
                    id: 0,
                });
                let end = self.run_job_call(JobKind::NextTick, &f, Value::Undefined, &args);
                return match end {
                    JobEnd::Stopped => self.stop(),
                    _ => LoopStatus::Ran,
                };
            }
            self.host.looping.drain = Drain::Microtasks;
        }
        if let Some(job) = self.microtasks.pop_front() {
            self.host_event(Event::Dequeue {
                queue: Queue::Microtask,
                id: 0,
            });
            self.recorder.job(JobKind::Microtask, self.clock_ns);
            let roots = job.values();
            if let Err(e) = self.with_gc_window(&roots, |vm| vm.run_job(job)) {
                if self.handle_uncaught(e, "uncaughtException").is_err() {
                    return self.stop();
                }
            }
            if self.abort.is_some() {
                return self.stop();
            }
            return LoopStatus::Ran;
        }
        if !self.host.next_ticks.is_empty() {
            self.host.looping.drain = Drain::Ticks;
            return LoopStatus::Ran;
        }
        match self.process_rejections() {
            Err(()) => self.stop(),
            Ok(true) => {
                self.host.looping.drain = Drain::Ticks;
                LoopStatus::Ran
            }
            Ok(false) => {
                self.host.looping.drain = Drain::Off;
                LoopStatus::Ran
            }
        }
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
            || self.machine_keeps_alive()
    }

    fn now_ms(&self) -> u64 {
        self.clock_ns / 1_000_000
    }

    /// The next wake-up of an idle poll phase: the first ref'ed timer, I/O completion,
    /// thread-pool notice (a task of this agent done, or started after waiting) or message.
    fn next_wake_ns(&self) -> Option<u64> {
        [
            self.host
                .timers
                .values()
                .filter(|t| t.refed)
                .map(|t| t.due_ms * 1_000_000)
                .min(),
            self.host.io.iter().map(|c| c.due_ns).min(),
            self.next_pool_due(),
            self.next_message_due(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// One step of the event loop (see the module docs).
    pub fn loop_step(&mut self) -> LoopStatus {
        if self.abort.is_some() {
            return self.stop();
        }
        if let Some(base) = self.host.looping.in_flight.take() {
            let end = self.resume_job(base);
            return self.after_job(end);
        }
        if self.host.looping.drain != Drain::Off {
            return self.drain_step();
        }
        match std::mem::take(&mut self.host.looping.cursor) {
            Cursor::Main { module, this, args } => {
                self.host.looping.cursor = Cursor::Start;
                let end = self.run_job_call(JobKind::Script, &module, this, &args);
                self.after_job(end)
            }
            Cursor::Start => {
                let start = self.begin_loop();
                self.host.looping.begin_ns = start;
                self.host.looping.cursor = Cursor::Top;
                // the bootstrap millisecond is not this thread's CPU time: it waits, and the
                // scheduler moves its clock (another thread may use the core meanwhile)
                if start > self.clock_ns {
                    LoopStatus::Idle(Some(start))
                } else {
                    LoopStatus::Ran
                }
            }
            Cursor::Top => {
                if self.loop_alive() {
                    self.enter_timers();
                    return LoopStatus::Ran;
                }
                // beforeExit may schedule more work
                self.host_event(Event::Phase(Phase::BeforeExit));
                let code = self.exit_code();
                if self
                    .process_emit("beforeExit", &[Value::Num(code as f64)])
                    .is_err()
                {
                    return self.stop();
                }
                self.host.looping.cursor = Cursor::AfterBeforeExit;
                self.host.looping.drain = Drain::Ticks;
                LoopStatus::Ran
            }
            Cursor::AfterBeforeExit => {
                if !self.loop_alive() {
                    self.host.looping.cursor = Cursor::Done;
                    return LoopStatus::Exited;
                }
                self.enter_timers();
                LoopStatus::Ran
            }
            Cursor::Timers { now_ms, limit_seq } => {
                self.host.looping.cursor = Cursor::Timers { now_ms, limit_seq };
                self.timers_step(now_ms, limit_seq)
            }
            Cursor::Poll => self.poll_wait(),
            Cursor::PollRun => self.poll_step(),
            Cursor::Check => self.check_step(),
            Cursor::Done => {
                self.host.looping.cursor = Cursor::Done;
                LoopStatus::Exited
            }
        }
    }

    /// The loop's first turn: the timeout-vs-immediate note; returns when the loop begins
    /// (the bootstrap millisecond).
    fn begin_loop(&mut self) -> u64 {
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
        (self.now_ms() + 1) * 1_000_000
    }

    fn enter_timers(&mut self) {
        self.host_event(Event::Phase(Phase::Timers));
        self.host.looping.cursor = Cursor::Timers {
            now_ms: self.now_ms(),
            limit_seq: self.host.seq,
        };
    }

    /// Timers phase: runs the next timer due at the phase's time, in (due, creation) order.
    fn timers_step(&mut self, now: u64, limit_seq: u64) -> LoopStatus {
        let next = self
            .host
            .timers
            .values()
            .filter(|t| t.due_ms <= now && t.seq < limit_seq)
            .min_by_key(|t| (t.due_ms, t.seq))
            .map(|t| t.id);
        let Some(id) = next else {
            self.host_event(Event::Phase(Phase::Poll));
            self.host.looping.cursor = Cursor::Poll;
            return LoopStatus::Ran;
        };
        let Some(t) = self.host.timers.get(&id).cloned() else {
            return LoopStatus::Ran;
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
        self.start_callback(JobKind::Timer, &t.callback, &t.args)
    }

    /// Poll phase, first step: idle until the next timer, completion or message unless an
    /// immediate waits (the scheduler moves the clock and steps again), then completes the
    /// thread-pool tasks done by now.
    fn poll_wait(&mut self) -> LoopStatus {
        self.host.looping.cursor = Cursor::Poll;
        if self.host.immediates.is_empty() {
            match self.next_wake_ns() {
                Some(w) if w > self.clock_ns => return LoopStatus::Idle(Some(w)),
                // a message, or a thread-pool task of this agent, will wake it
                // (or a listening server waits for a connection no one will make)
                None if self.machine_keeps_alive() || self.host.pool.busy() => {
                    return LoopStatus::Idle(None)
                }
                _ => {}
            }
        }
        let now = self.clock_ns;
        self.pool_advance(now);
        self.host.looping.cursor = Cursor::PollRun;
        LoopStatus::Ran
    }

    /// Poll phase: runs the next due I/O callback or message, in completion order.
    fn poll_step(&mut self) -> LoopStatus {
        self.host.looping.cursor = Cursor::PollRun;
        let now = self.clock_ns;
        let io = self
            .host
            .io
            .iter()
            .filter(|c| c.due_ns <= now)
            .min_by_key(|c| (c.due_ns, c.seq))
            .map(|c| (c.due_ns, c.seq));
        let message = self.next_message_due().filter(|d| *d <= now);
        match (io, message) {
            (Some((due, seq)), m) if m.is_none_or(|m| due <= m) => {
                let pos = self.host.io.iter().position(|c| c.seq == seq).unwrap_or(0);
                let c = self.host.io.remove(pos);
                self.host_event(Event::Dequeue {
                    queue: Queue::Io,
                    id: c.seq,
                });
                self.start_callback(JobKind::Io, &c.callback, &c.args)
            }
            (_, Some(_)) => match self.take_message() {
                Some((f, args)) => self.start_callback(JobKind::Io, &f, &args),
                None => LoopStatus::Ran,
            },
            _ => {
                self.host_event(Event::Phase(Phase::Check));
                let batch: VecDeque<_> = self.host.immediates.drain(..).collect();
                self.host.looping.check_batch = batch;
                self.host.looping.cursor = Cursor::Check;
                LoopStatus::Ran
            }
        }
    }

    /// Check phase: runs the next immediate of the batch.
    fn check_step(&mut self) -> LoopStatus {
        self.host.looping.cursor = Cursor::Check;
        while let Some((id, f, args)) = self.host.looping.check_batch.pop_front() {
            if self.host.cleared_immediates.remove(&id) {
                continue;
            }
            self.host_event(Event::Dequeue {
                queue: Queue::Immediate,
                id,
            });
            return self.start_callback(JobKind::Immediate, &f, &args);
        }
        self.host.looping.cursor = Cursor::Top;
        LoopStatus::Ran
    }
}
