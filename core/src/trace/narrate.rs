//! Narration: one or two sentences per step, in our own words, saying what happened and which
//! rule decided it. Every step has a rule id (stable, used by the page to pick explanations)
//! and a concept slug (the lesson it belongs to). Nondeterministic points list both possible
//! orders and why.

use super::{PromiseStatus, Record, State, Trace};
use crate::recorder::{MicrotaskKind, Phase, PromiseOp, Queue};

/// The narration of one step.
#[derive(Clone, Debug, PartialEq)]
pub struct Narration {
    pub rule: &'static str,
    pub concept: &'static str,
    pub text: String,
    pub alternatives: Vec<String>,
}

/// Every rule id with its concept slug (for the page's legend and the docs).
pub const RULES: &[(&str, &str)] = &[
    ("stmt.execute", "call-stack"),
    ("call.enter", "call-stack"),
    ("call.return", "call-stack"),
    ("stack.empty.main-done", "microtask-checkpoint"),
    ("stack.empty.callback-done", "microtask-checkpoint"),
    ("stack.empty.job-done", "microtask-checkpoint"),
    ("var.assign", "variables"),
    ("run.next-tick", "next-tick-queue"),
    ("run.microtask.reaction", "microtask-queue"),
    ("run.microtask.await-resume", "async-await"),
    ("run.microtask.resolve-thenable", "thenables"),
    ("run.microtask.queue-microtask", "microtask-queue"),
    ("run.timer", "timers-phase"),
    ("run.immediate", "check-phase"),
    ("run.io.threadpool", "thread-pool"),
    ("run.io.network", "poll-phase"),
    ("queue.next-tick", "next-tick-queue"),
    ("queue.microtask.reaction", "microtask-queue"),
    ("queue.microtask.await-resume", "async-await"),
    ("queue.microtask.resolve-thenable", "thenables"),
    ("queue.microtask.queue-microtask", "microtask-queue"),
    ("timer.set", "timers-phase"),
    ("timer.reschedule", "timers-phase"),
    ("timer.clear", "timers-phase"),
    ("immediate.set", "check-phase"),
    ("immediate.clear", "check-phase"),
    ("io.network.start", "network-io"),
    ("threadpool.wait", "thread-pool"),
    ("threadpool.start", "thread-pool"),
    ("threadpool.done", "thread-pool"),
    ("promise.created", "promise-states"),
    ("promise.fulfilled", "promise-states"),
    ("promise.rejected", "promise-states"),
    ("promise.handled", "promise-states"),
    ("promise.then", "promise-states"),
    ("console.output", "console"),
    ("phase.main", "event-loop-phases"),
    ("phase.timers", "event-loop-phases"),
    ("phase.poll", "event-loop-phases"),
    ("phase.check", "event-loop-phases"),
    ("phase.before-exit", "event-loop-phases"),
    ("phase.exit", "event-loop-phases"),
    ("clock.wait", "virtual-clock"),
    ("clock.blocked", "virtual-clock"),
    ("nondeterminism.timeout-vs-immediate", "nondeterminism"),
    ("nondeterminism.equal-due-timers", "nondeterminism"),
    ("nondeterminism.other", "nondeterminism"),
];

/// The concept slug of a rule id.
pub fn concept_of(rule: &str) -> &'static str {
    RULES
        .iter()
        .find(|r| r.0 == rule)
        .map(|r| r.1)
        .unwrap_or("event-loop-phases")
}

fn ms(ns: u64) -> String {
    let whole = ns / 1_000_000;
    let frac = (ns % 1_000_000) / 1_000;
    if frac == 0 {
        format!("{whole} ms")
    } else {
        format!("{whole}.{frac:03} ms")
    }
}

/// " with 42" for a settled promise's value (empty when there is none).
fn with_value(t: &Trace, val: u32) -> String {
    if val == super::NONE {
        String::new()
    } else {
        format!(" with {}", crate::trace::show_value(&t.value(val)))
    }
}

fn queue_name(q: Queue) -> &'static str {
    match q {
        Queue::NextTick => "nextTick",
        Queue::Microtask => "microtask",
        Queue::Timer => "timer",
        Queue::Immediate => "setImmediate",
        Queue::Io => "I/O",
    }
}

fn n(rule: &'static str, text: String) -> Narration {
    Narration {
        rule,
        concept: concept_of(rule),
        text,
        alternatives: vec![],
    }
}

/// Narrates record `r`, given the state before it.
pub fn narrate(t: &Trace, r: &Record, before: &State) -> Narration {
    let label = |id: u32| t.label(id);
    match *r {
        Record::Stmt { stmt, .. } => {
            let Some(s) = t.statements.get(stmt as usize) else {
                return n("stmt.execute", "A statement runs.".into());
            };
            let text = t
                .source
                .get(s.start as usize..s.end as usize)
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
                .trim();
            let short: String = text.chars().take(70).collect();
            let ell = if short.len() < text.len() { "…" } else { "" };
            let who = t
                .functions
                .get(s.func as usize)
                .map(|f| f.name.as_str())
                .unwrap_or("?");
            n(
                "stmt.execute",
                format!("Line {}: {who} runs `{short}{ell}`.", s.line),
            )
        }
        Record::Call { func, .. } => {
            let f = t
                .functions
                .get(func as usize)
                .map(|f| f.name.clone())
                .unwrap_or_default();
            let resumed = matches!(before.current, Some((Queue::Microtask, _)))
                && before.frames.is_empty()
                && before
                    .current
                    .map(|c| t.label(c.1).starts_with("resume async"))
                    .unwrap_or(false);
            if resumed {
                n(
                    "call.enter",
                    format!("`{f}` continues after its `await`: its saved frame goes back on the call stack."),
                )
            } else if before.frames.is_empty() && before.phase == Phase::Main && func == 0 {
                n(
                    "call.enter",
                    "Node starts running the main module: it is called like a function, so its frame is the first on the call stack.".into(),
                )
            } else {
                n(
                    "call.enter",
                    format!("`{f}` is called: a new frame goes on top of the call stack."),
                )
            }
        }
        Record::Return { depth } => {
            let f = before
                .frames
                .last()
                .and_then(|fr| t.functions.get(fr.func as usize))
                .map(|f| f.name.clone())
                .unwrap_or_default();
            if depth > 0 {
                return n(
                    "call.return",
                    format!("`{f}` returns (or pauses at an `await`): its frame leaves the call stack."),
                );
            }
            match (before.phase, before.current) {
                (Phase::Main, None) => n(
                    "stack.empty.main-done",
                    "The main module has finished and the call stack is empty. Before the event loop starts, Node empties the nextTick queue, then the microtask queue.".into(),
                ),
                (_, Some((q @ (Queue::Timer | Queue::Immediate | Queue::Io), _))) => n(
                    "stack.empty.callback-done",
                    format!("The {} callback finished; before the loop moves on, Node empties the nextTick queue, then the microtask queue.", queue_name(q)),
                ),
                _ => n(
                    "stack.empty.job-done",
                    format!("`{f}` finished and the call stack is empty; Node takes the next job: nextTick callbacks first, then microtasks."),
                ),
            }
        }
        Record::Var { env, slot, val } => {
            let name = before
                .frames
                .iter()
                .rev()
                .find(|f| f.env == env)
                .and_then(|f| t.functions.get(f.func as usize))
                .and_then(|f| f.locals.get(slot as usize))
                .cloned()
                .unwrap_or_else(|| "a variable".into());
            let v = crate::trace::show_value(&t.value(val));
            n("var.assign", format!("`{name}` is now {v}."))
        }
        Record::Run { queue, .. } => match queue {
            Queue::NextTick => {
                let l = before.ticks.front().map(|l| label(*l)).unwrap_or_default();
                n(
                    "run.next-tick",
                    format!("The call stack is empty, so Node runs the next process.nextTick callback (`{l}`). nextTick callbacks always run before promise microtasks."),
                )
            }
            Queue::Microtask => {
                let (k, l) = before
                    .micro
                    .front()
                    .map(|m| (m.0, label(m.1)))
                    .unwrap_or((MicrotaskKind::Reaction, String::new()));
                match k {
                    MicrotaskKind::Reaction => n(
                        "run.microtask.reaction",
                        format!("The nextTick queue is empty, so V8 runs the next microtask: the promise handler `{l}`."),
                    ),
                    MicrotaskKind::AwaitResume => n(
                        "run.microtask.await-resume",
                        format!("The next microtask resumes an async function ({l}): the promise it awaited has settled."),
                    ),
                    MicrotaskKind::ResolveThenable => n(
                        "run.microtask.resolve-thenable",
                        format!("The next microtask calls `{l}` of a thenable that was used to resolve a promise; adopting a thenable costs extra microtask turns."),
                    ),
                    MicrotaskKind::Callback => n(
                        "run.microtask.queue-microtask",
                        format!("The next microtask is the queueMicrotask callback `{l}`."),
                    ),
                }
            }
            Queue::Timer => {
                let (l, due) = before
                    .timers
                    .iter()
                    .find(|x| matches!(r, Record::Run { id, .. } if *id == x.id))
                    .map(|x| (label(x.label), x.due_ms))
                    .unwrap_or_default();
                n(
                    "run.timer",
                    format!("Timers phase: the timer `{l}` was due at {due} ms and the clock is at {}, so its callback runs.", ms(before.clock)),
                )
            }
            Queue::Immediate => {
                let l = before
                    .immediates
                    .iter()
                    .find(|x| matches!(r, Record::Run { id, .. } if *id == x.0))
                    .map(|x| label(x.1))
                    .unwrap_or_default();
                n(
                    "run.immediate",
                    format!("Check phase: the setImmediate callback `{l}` runs (immediates run right after the poll phase)."),
                )
            }
            Queue::Io => {
                let io = before
                    .io
                    .iter()
                    .find(|x| matches!(r, Record::Run { id, .. } if *id == x.id));
                let l = io.map(|x| label(x.label)).unwrap_or_default();
                if io.map(|x| x.pooled).unwrap_or(false) {
                    n(
                        "run.io.threadpool",
                        format!("Poll phase: the thread pool finished `{l}`, so its callback runs on the main thread now."),
                    )
                } else {
                    n(
                        "run.io.network",
                        format!("Poll phase: the response for `{l}` has arrived, so its callback runs. Network I/O never used the thread pool."),
                    )
                }
            }
        },
        Record::TickQueued { label: l } => n(
            "queue.next-tick",
            format!("`{}` joins the nextTick queue; it will run as soon as the current JavaScript finishes, before any promise job.", label(l)),
        ),
        Record::MicrotaskQueued {
            micro,
            label: l,
            promise,
        } => {
            let l = label(l);
            let p = if promise == super::NONE {
                "A promise".to_string()
            } else {
                format!("Promise #{promise}")
            };
            match micro {
                MicrotaskKind::Reaction => n(
                    "queue.microtask.reaction",
                    format!("{p} is settled and has a handler, so a job to call `{l}` joins the microtask queue."),
                ),
                MicrotaskKind::AwaitResume => n(
                    "queue.microtask.await-resume",
                    if promise == super::NONE {
                        format!("The awaited promise is settled, so a job to {l} joins the microtask queue.")
                    } else {
                        format!("The awaited promise #{promise} is settled, so a job to {l} joins the microtask queue.")
                    },
                ),
                MicrotaskKind::ResolveThenable => n(
                    "queue.microtask.resolve-thenable",
                    format!("{p} was resolved with a thenable (another promise or an object with `then`), so a job to call its `then` joins the microtask queue: adopting it costs extra microtask turns."),
                ),
                MicrotaskKind::Callback => n(
                    "queue.microtask.queue-microtask",
                    format!("queueMicrotask puts `{l}` on the microtask queue."),
                ),
            }
        }
        Record::TimerSet {
            id,
            due_ms,
            label: l,
            repeat,
        } => {
            let exists = before.timers.iter().any(|x| x.id == id);
            if exists || (repeat && before.current == Some((Queue::Timer, l))) {
                n(
                    "timer.reschedule",
                    format!("The interval/timer `{}` is scheduled again, now due at {due_ms} ms.", label(l)),
                )
            } else {
                n(
                    "timer.set",
                    format!("A timer for `{}` is created, due at {due_ms} ms of virtual time; its callback waits for a timers phase at or after that time.", label(l)),
                )
            }
        }
        Record::TimerCleared { .. } => n(
            "timer.clear",
            "The timer is cancelled and leaves the timer list.".into(),
        ),
        Record::ImmediateSet { label: l, .. } => n(
            "immediate.set",
            format!("`{}` joins the setImmediate queue; it runs in the next check phase, right after poll.", label(l)),
        ),
        Record::ImmediateCleared { .. } => n(
            "immediate.clear",
            "The immediate is cancelled and leaves the check queue.".into(),
        ),
        Record::IoStarted {
            label: l, due_us, ..
        } => n(
            "io.network.start",
            format!("The request `{}` goes out on the network; the operating system waits for the reply (due at {}) without using the thread pool.", label(l), ms(due_us as u64 * 1000)),
        ),
        Record::PoolQueued { label: l, .. } => {
            let size = before.pool.len().max(t.threadpool_size as usize);
            n(
                "threadpool.wait",
                format!("All {size} thread-pool threads are busy, so `{}` waits in the pool's queue.", label(l)),
            )
        }
        Record::PoolStarted {
            slot,
            label: l,
            done_us,
            ..
        } => n(
            "threadpool.start",
            format!("Thread {} of the libuv pool starts `{}`; it will take until {}, while the main thread keeps going.", slot + 1, label(l), ms(done_us as u64 * 1000)),
        ),
        Record::PoolDone { slot, .. } => {
            let l = before
                .pool
                .get(slot as usize)
                .copied()
                .flatten()
                .map(|p| label(p.1))
                .unwrap_or_default();
            n(
                "threadpool.done",
                format!("Thread {} finished `{l}`; its callback waits for the poll phase and the thread takes the next queued task, if any.", slot + 1),
            )
        }
        Record::Then { id, derived, label: l } => {
            let l = label(l);
            let st = before.promises.get(&id).map(|p| p.status);
            let who = if l.starts_with("resume async") {
                format!("An `await` waits for promise #{id}: when it settles, a job will {l}")
            } else {
                format!("`{l}` is registered as a handler of promise #{id}")
            };
            let result = if derived == super::NONE {
                String::new()
            } else {
                format!(" The registration returns promise #{derived}, the next link of the chain.")
            };
            let when = if st == Some(PromiseStatus::Pending) || st.is_none() {
                "; it is queued when the promise settles."
            } else {
                "; the promise is already settled, so the job is queued right away."
            };
            n("promise.then", format!("{who}{when}{result}"))
        }
        Record::Promise { id, op, val } => match op {
            PromiseOp::Created => n(
                "promise.created",
                format!("Promise #{id} is created (pending)."),
            ),
            PromiseOp::Fulfilled => n(
                "promise.fulfilled",
                format!("Promise #{id} is fulfilled{}; any handlers already attached are queued as microtasks.", with_value(t, val)),
            ),
            PromiseOp::Rejected => {
                let handled = before.promises.get(&id).map(|p| p.handled).unwrap_or(false);
                n(
                    "promise.rejected",
                    if handled {
                        format!("Promise #{id} is rejected{}; its rejection handlers are queued as microtasks.", with_value(t, val))
                    } else {
                        format!("Promise #{id} is rejected{} with no handler yet; if none is attached before the microtask queue drains, Node reports an unhandled rejection.", with_value(t, val))
                    },
                )
            }
            PromiseOp::Handled => {
                let st = before.promises.get(&id).map(|p| p.status);
                n(
                    "promise.handled",
                    if st == Some(PromiseStatus::Pending) || st.is_none() {
                        format!("A handler is attached to promise #{id}; it will be queued when the promise settles.")
                    } else {
                        format!("A handler is attached to the already settled promise #{id}, so it is queued as a microtask right away.")
                    },
                )
            }
        },
        Record::Output { line } => {
            let c = t.console.get(line as usize);
            let text = c.map(|c| c.text.clone()).unwrap_or_default();
            let stream = if c.map(|c| c.stderr).unwrap_or(false) {
                "stderr"
            } else {
                "stdout"
            };
            n("console.output", format!("Printed to {stream}: {text}"))
        }
        Record::Phase { phase } => match phase {
            Phase::Main => n(
                "phase.main",
                "Node loads the program and runs the main module synchronously, top to bottom.".into(),
            ),
            Phase::Timers => n(
                "phase.timers",
                format!("A new event-loop iteration begins with the timers phase (clock at {}): expired timers run, earliest due first.", ms(before.clock)),
            ),
            Phase::Poll => n(
                "phase.poll",
                "Poll phase: Node runs the callbacks of finished I/O; with nothing ready and no immediates, it waits for the next timer or I/O completion.".into(),
            ),
            Phase::Check => n(
                "phase.check",
                "Check phase: the setImmediate callbacks queued so far run.".into(),
            ),
            Phase::BeforeExit => n(
                "phase.before-exit",
                "Nothing keeps the loop alive any more, so Node emits 'beforeExit'; if a listener schedules work, the loop continues.".into(),
            ),
            Phase::Exit => n(
                "phase.exit",
                "The process exits: 'exit' listeners run, and no further callbacks will.".into(),
            ),
        },
        Record::Clock { lo, hi } => {
            let to = lo as u64 | (hi as u64) << 32;
            if before.phase == Phase::Poll || before.phase == Phase::Main {
                n(
                    "clock.wait",
                    format!("Nothing is ready to run, so the loop waits: the virtual clock advances from {} to {}.", ms(before.clock), ms(to)),
                )
            } else {
                n(
                    "clock.blocked",
                    format!("A synchronous operation blocks the main thread: the clock advances from {} to {}.", ms(before.clock), ms(to)),
                )
            }
        }
        Record::Note { what } => {
            let w = label(what);
            if w.contains("setImmediate") {
                Narration {
                    rule: "nondeterminism.timeout-vs-immediate",
                    concept: concept_of("nondeterminism.timeout-vs-immediate"),
                    text: "Real Node.js does not promise an order here: a 0 ms setTimeout and a setImmediate scheduled from the main module race. Looplab runs the timer first.".into(),
                    alternatives: vec![
                        "Timer first: the loop starts more than 1 ms after the timer was created, so the timer is already due in the first timers phase.".into(),
                        "Immediate first: the loop starts within the same millisecond, the timer is not yet due, the check phase runs the immediate, and the timer fires on the next iteration.".into(),
                    ],
                }
            } else if w.contains("equal-due") {
                Narration {
                    rule: "nondeterminism.equal-due-timers",
                    concept: concept_of("nondeterminism.equal-due-timers"),
                    text: "Two timers are due at the same virtual millisecond but were created in different milliseconds; Looplab runs them in creation order.".into(),
                    alternatives: vec![
                        "Creation order: both have expired when the timers phase looks, and Node walks its timer lists in the order the timers were created.".into(),
                        "The other order: in real time the two due moments differ by fractions of a millisecond, so one timer can expire in an earlier loop iteration than the other.".into(),
                    ],
                }
            } else {
                n("nondeterminism.other", format!("Real Node.js is nondeterministic here: {w}."))
            }
        }
    }
}

impl Trace {
    /// Narration of step `i` (replays to the state before it).
    pub fn narrate(&self, i: usize) -> Narration {
        let before = self.state_after(i.checked_sub(1));
        narrate(self, &self.records[i], &before)
    }
}
