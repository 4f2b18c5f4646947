//! The event loop as the simulator runs it, on the virtual clock (`Vm::clock_ns`).
//!
//! After the main module, [`Vm::run_event_loop`] repeats, while anything keeps the loop alive
//! (a ref'ed timer, an immediate, an I/O completion, a busy thread-pool slot):
//! 1. **timers**: every timer due at the loop time, in (due time, creation) order;
//! 2. **poll**: if no immediate is waiting, the clock jumps to the next timer or I/O
//!    completion; thread-pool tasks done by then complete; then every I/O callback that is
//!    due runs, in completion order;
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
//! After every callback (and after the main module), [`Vm::drain`] empties the
//! `process.nextTick` queue and then the microtask queue, repeatedly, as Node's
//! `processTicksAndRejections` does, and then applies the unhandled-rejection policy.
//! Each callback runs inside a collection window (see [`crate::vm::gc`]).

use crate::recorder::{Event, JobKind, Phase, Queue};
use crate::value::Value;
use crate::vm::Vm;

/// A pending I/O completion delivered in the poll phase.
#[derive(Clone, Debug)]
pub struct IoCompletion {
    pub due_ns: u64,
    pub seq: u64,
    pub callback: Value,
    pub args: Vec<Value>,
}

impl Vm {
    /// Runs one callback as a macrotask/tick and routes an escaping exception.
    fn run_callback(&mut self, kind: JobKind, f: &Value, args: &[Value]) -> Result<(), ()> {
        self.recorder.job(kind, self.clock_ns);
        let mut roots = vec![f.clone()];
        roots.extend_from_slice(args);
        match self.with_gc_window(&roots, |vm| vm.call(f, Value::Undefined, args)) {
            Ok(_) => Ok(()),
            Err(e) => self.handle_uncaught(e, "uncaughtException"),
        }
    }

    /// processTicksAndRejections: ticks, then microtasks, until both are empty; then the
    /// unhandled-rejection check, repeated while it produced work.
    pub fn drain(&mut self) -> Result<(), ()> {
        loop {
            loop {
                while let Some((f, args)) = self.host.next_ticks.pop_front() {
                    self.host_event(Event::Dequeue {
                        queue: Queue::NextTick,
                        id: 0,
                    });
                    self.run_callback(JobKind::NextTick, &f, &args)?;
                }
                self.run_microtasks()?;
                if self.host.next_ticks.is_empty() {
                    break;
                }
            }
            if !self.process_rejections()? {
                return Ok(());
            }
        }
    }

    fn run_microtasks(&mut self) -> Result<(), ()> {
        while let Some(job) = self.microtasks.pop_front() {
            self.host_event(Event::Dequeue {
                queue: Queue::Microtask,
                id: 0,
            });
            self.recorder.job(JobKind::Microtask, self.clock_ns);
            let roots = job.values();
            if let Err(e) = self.with_gc_window(&roots, |vm| vm.run_job(job)) {
                self.handle_uncaught(e, "uncaughtException")?;
            }
            if self.abort.is_some() {
                return Err(());
            }
        }
        Ok(())
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
    }

    fn now_ms(&self) -> u64 {
        self.clock_ns / 1_000_000
    }

    /// Timers phase: runs every timer due at the loop time, in (due, creation) order.
    fn run_timers(&mut self) -> Result<(), ()> {
        let now = self.now_ms();
        let limit_seq = self.host.seq;
        loop {
            let next = self
                .host
                .timers
                .values()
                .filter(|t| t.due_ms <= now && t.seq < limit_seq)
                .min_by_key(|t| (t.due_ms, t.seq))
                .map(|t| t.id);
            let Some(id) = next else { return Ok(()) };
            let Some(t) = self.host.timers.get(&id).cloned() else {
                continue;
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
            self.run_callback(JobKind::Timer, &t.callback, &t.args)?;
            self.drain()?;
        }
    }

    fn run_immediates(&mut self) -> Result<(), ()> {
        let batch: Vec<_> = self.host.immediates.drain(..).collect();
        // the batch's later callbacks are roots while the earlier ones run
        let held: Vec<Value> = batch
            .iter()
            .flat_map(|(_, f, args)| std::iter::once(f).chain(args))
            .cloned()
            .collect();
        self.with_gc_window(&held, |vm| {
            for (id, f, args) in batch {
                if vm.host.cleared_immediates.remove(&id) {
                    continue;
                }
                vm.host_event(Event::Dequeue {
                    queue: Queue::Immediate,
                    id,
                });
                vm.run_callback(JobKind::Immediate, &f, &args)?;
                vm.drain()?;
            }
            Ok(())
        })
    }

    /// Poll phase: waits (advancing the virtual clock) for I/O or the next timer, then runs
    /// the I/O callbacks that completed.
    fn poll(&mut self) -> Result<(), ()> {
        let next_timer_ns = self
            .host
            .timers
            .values()
            .filter(|t| t.refed)
            .map(|t| t.due_ms * 1_000_000)
            .min();
        let next_io_ns = [
            self.host.io.iter().map(|c| c.due_ns).min(),
            self.host.pool.next_done(),
        ]
        .into_iter()
        .flatten()
        .min();
        if self.host.immediates.is_empty() {
            let wake = match (next_timer_ns, next_io_ns) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if let Some(w) = wake {
                if w > self.clock_ns {
                    self.clock_ns = w;
                    self.host_event(Event::Clock { ns: w });
                }
            }
        }
        let now = self.clock_ns;
        self.pool_advance(now);
        loop {
            let now = self.clock_ns;
            let ready = self
                .host
                .io
                .iter()
                .filter(|c| c.due_ns <= now)
                .min_by_key(|c| (c.due_ns, c.seq))
                .map(|c| c.seq);
            let Some(seq) = ready else { return Ok(()) };
            let pos = self.host.io.iter().position(|c| c.seq == seq).unwrap_or(0);
            let c = self.host.io.remove(pos);
            self.host_event(Event::Dequeue {
                queue: Queue::Io,
                id: c.seq,
            });
            self.run_callback(JobKind::Io, &c.callback, &c.args)?;
            self.drain()?;
        }
    }

    /// Runs the event loop until nothing is left (or the process stops).
    pub fn run_event_loop(&mut self) -> Result<(), ()> {
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
        self.clock_ns = self.clock_ns.max((self.now_ms() + 1) * 1_000_000);
        let now = self.clock_ns;
        self.host_event(Event::Clock { ns: now });
        loop {
            if !self.loop_alive() {
                // beforeExit may schedule more work
                self.host_event(Event::Phase(Phase::BeforeExit));
                let code = self.exit_code();
                if self
                    .process_emit("beforeExit", &[Value::Num(code as f64)])
                    .is_err()
                {
                    return Err(());
                }
                self.drain()?;
                if !self.loop_alive() {
                    return Ok(());
                }
            }
            self.host_event(Event::Phase(Phase::Timers));
            self.run_timers()?;
            self.host_event(Event::Phase(Phase::Poll));
            self.poll()?;
            self.host_event(Event::Phase(Phase::Check));
            self.run_immediates()?;
        }
    }
}
