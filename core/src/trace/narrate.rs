//! Narration: one or two sentences per step, in our own words, saying what happened and which
//! rule decided it. Every step has a rule id (stable, used by the page to pick explanations)
//! and a concept slug (the lesson it belongs to). Nondeterministic points list both possible
//! orders and why.
//!
//! Sentences that state an order ("runs at step N, after …", "next is …", "the nextTick queue
//! is empty, so …") are never fixed per rule: they are derived from the recorded run itself,
//! by looking ahead in the trace at what actually ran next. Each such sentence comes with a
//! [`Claim`], a small structured form of what it asserts, so that tests can check every claim
//! against the recorded order (`cli/tests/narration_claims.rs`). The frame is CommonJS on
//! Node 20 (in an ES module the main module itself runs as a microtask, which changes where
//! nextTick callbacks queued by it run).

use super::{PromiseStatus, Record, State, Trace};
use crate::recorder::{IoKind, MicrotaskKind, Phase, PromiseOp, Queue, SpawnKind};

/// The narration of one step.
#[derive(Clone, Debug, PartialEq)]
pub struct Narration {
    pub rule: &'static str,
    pub concept: &'static str,
    pub text: String,
    pub alternatives: Vec<String>,
    /// What the order sentences of [`Narration::text`] assert, in checkable form.
    pub claims: Vec<Claim>,
}

/// One machine-checkable statement that a narration makes about the recorded order. Steps are
/// indexes into [`Trace::records`]; "runs at step N" means the `Run` record N takes that
/// callback from its queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The callback this step queued (nextTick, microtask, immediate or timer) runs at step
    /// `at`; `None`: it never runs within the trace (cancelled, or the run ended first).
    QueuedRunsAt { at: Option<usize> },
    /// The callback run at step `first` runs before the callback run at step `then`.
    RunsBefore { first: usize, then: usize },
    /// Just before step `at`, `queue` holds exactly `len` callbacks.
    QueueLenAt { at: usize, queue: Queue, len: usize },
    /// The next callback taken from a queue after this step, before the loop enters another
    /// phase, is the one at step `at`; `None`: there is none (the loop moves on or the run ends).
    NextRun { at: Option<usize> },
    /// This step happens while the callback run at step `run` (taken from `queue`) is running.
    During { run: usize, queue: Queue },
    /// The timer or immediate this step set is cancelled at step `at`, before it runs.
    CancelledAt { at: usize },
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
    ("thread.switch", "worker-threads"),
    ("message.post", "worker-threads"),
    ("message.deliver", "worker-threads"),
    ("process.spawn", "processes"),
    ("process.spawn-sync", "processes"),
    ("process.start", "processes"),
    ("process.online", "processes"),
    ("process.exit", "processes"),
    ("process.signal", "processes"),
    ("ipc.send", "processes"),
    ("ipc.receive", "processes"),
    ("ipc.disconnect", "processes"),
    ("pipe.write", "processes"),
    ("pipe.read", "processes"),
    ("pipe.end", "processes"),
    ("net.connect", "network-io"),
    ("net.accept", "network-io"),
    ("net.connected", "network-io"),
    ("net.refused", "network-io"),
    ("net.write", "network-io"),
    ("net.read", "network-io"),
    ("cluster.handoff", "processes"),
    ("cluster.accept", "processes"),
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
        claims: vec![],
    }
}

/// How far ahead (or back) in the trace narration looks for the step that decides an order.
const SCAN_LIMIT: usize = 200_000;

/// What became of a callback queued at some step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// Taken from its queue at this step.
    Runs(usize),
    /// Cancelled at this step (clearTimeout / clearImmediate).
    Cancelled(usize),
    /// The trace ends before it runs.
    Never,
    /// Not decided within [`SCAN_LIMIT`] steps.
    Unknown,
}

impl Fate {
    fn claims(self) -> Vec<Claim> {
        match self {
            Fate::Cancelled(at) => {
                vec![Claim::QueuedRunsAt { at: None }, Claim::CancelledAt { at }]
            }
            other => other.claim().into_iter().collect(),
        }
    }

    fn claim(self) -> Option<Claim> {
        match self {
            Fate::Runs(at) => Some(Claim::QueuedRunsAt { at: Some(at) }),
            Fate::Cancelled(_) | Fate::Never => Some(Claim::QueuedRunsAt { at: None }),
            Fate::Unknown => None,
        }
    }
}

/// The step at which the `position`-th callback (0 = front) of a first-in-first-out `queue`
/// runs, counting from just after step `i`.
fn nth_run(t: &Trace, i: usize, queue: Queue, mut position: usize) -> Fate {
    let end = t.records.len().min(i + 1 + SCAN_LIMIT);
    for run in t.runs_of(t.agent_of(i), i + 1..end) {
        for (j, r) in t.records[run.clone()].iter().enumerate() {
            if let Record::Run { queue: q, .. } = *r {
                if q == queue {
                    if position == 0 {
                        return Fate::Runs(run.start + j);
                    }
                    position -= 1;
                }
            }
        }
    }
    if end == t.records.len() {
        Fate::Never
    } else {
        Fate::Unknown
    }
}

/// The step at which the timer or immediate `id` next runs after step `i`.
fn run_by_id(t: &Trace, i: usize, queue: Queue, id: u32) -> Fate {
    let end = t.records.len().min(i + 1 + SCAN_LIMIT);
    for run in t.runs_of(t.agent_of(i), i + 1..end) {
        for (j, r) in t.records[run.clone()].iter().enumerate() {
            let j = run.start + j;
            match *r {
                Record::Run { queue: q, id: x } if q == queue && x == id => return Fate::Runs(j),
                Record::TimerCleared { id: x } if queue == Queue::Timer && x == id => {
                    return Fate::Cancelled(j)
                }
                Record::ImmediateCleared { id: x } if queue == Queue::Immediate && x == id => {
                    return Fate::Cancelled(j)
                }
                _ => {}
            }
        }
    }
    if end == t.records.len() {
        Fate::Never
    } else {
        Fate::Unknown
    }
}

/// The first callback taken from a queue after step `i`, unless the loop enters another phase
/// (or the run ends) first.
fn next_run(t: &Trace, i: usize) -> Option<usize> {
    let end = t.records.len().min(i + 1 + SCAN_LIMIT);
    t.steps_of(t.agent_of(i), i + 1..end)
        .take_while(|&j| !matches!(t.records[j], Record::Phase { .. }))
        .find(|&j| matches!(t.records[j], Record::Run { .. }))
}

/// The callback running at step `i`: the last `Run` of its thread since the last phase change,
/// if any (none while the main module, a message handler or a process event listener runs).
fn running_at(t: &Trace, i: usize) -> Option<(usize, Queue)> {
    let start = i.saturating_sub(SCAN_LIMIT);
    for j in t.steps_of_rev(t.agent_of(i), start..i) {
        match t.records[j] {
            Record::Run { queue, .. } => return Some((j, queue)),
            Record::Phase { .. } | Record::Delivered { .. } => return None,
            _ => {}
        }
    }
    None
}

/// The queue a `Run` record takes its callback from.
fn queue_at(t: &Trace, j: usize) -> Option<Queue> {
    match t.records.get(j) {
        Some(Record::Run { queue, .. }) => Some(*queue),
        _ => None,
    }
}

/// The `Run` steps of step `a`'s thread strictly between steps `a` and `b`.
fn runs_between(t: &Trace, a: usize, b: usize) -> Vec<usize> {
    let mut runs = vec![];
    for run in t.runs_of(t.agent_of(a), a + 1..b) {
        for (j, r) in t.records[run.clone()].iter().enumerate() {
            if matches!(r, Record::Run { .. }) {
                runs.push(run.start + j);
            }
        }
    }
    runs
}

/// How many callbacks `queue` (nextTick or microtask) holds just before step `at`, given that
/// it held `len` just before step `i` (counting the records in between).
fn fifo_len_at(t: &Trace, i: usize, len: usize, queue: Queue, at: usize) -> usize {
    let mut len = len as isize;
    for j in t.runs_of(t.agent_of(i), i..at).flatten() {
        match (t.records[j], queue) {
            (Record::TickQueued { .. }, Queue::NextTick)
            | (Record::MicrotaskQueued { .. }, Queue::Microtask) => len += 1,
            (Record::Run { queue: q, .. }, _) if q == queue => len -= 1,
            _ => {}
        }
    }
    len.max(0) as usize
}

/// Names the callback run at step `j` for a learner: its function's name, or the first
/// statement it runs, with the line.
fn describe_run(t: &Trace, j: usize) -> String {
    let mut name = None;
    let end = t.records.len().min(j + 64);
    for k in t.steps_of(t.agent_of(j), j + 1..end) {
        match t.records[k] {
            Record::Call { func, .. } if name.is_none() => {
                name = t
                    .functions
                    .get(func as usize)
                    .map(|f| f.name.clone())
                    .filter(|n| !n.is_empty() && !n.starts_with('(') && !n.contains(' '));
            }
            Record::Stmt { stmt, .. } => {
                let Some(s) = t.statements.get(stmt as usize) else {
                    break;
                };
                if let Some(n) = name {
                    return format!("`{n}` (line {})", s.line);
                }
                let text = t
                    .file_source(s.file)
                    .get(s.start as usize..s.end as usize)
                    .unwrap_or("")
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_end_matches(';');
                let short: String = text.chars().take(40).collect();
                let ell = if short.len() < text.len() { "…" } else { "" };
                return format!("`{short}{ell}` (line {})", s.line);
            }
            Record::Run { .. } | Record::Phase { .. } => break,
            _ => {}
        }
    }
    match name {
        Some(n) => format!("`{n}`"),
        None => format!(
            "the {} callback of step {j}",
            queue_at(t, j).map(queue_name).unwrap_or("")
        ),
    }
}

/// "A, B and C" for the callbacks run at `steps` (at most five named, then a count).
fn describe_runs(t: &Trace, steps: &[usize]) -> String {
    const SHOWN: usize = 5;
    let mut names: Vec<String> = steps
        .iter()
        .take(SHOWN)
        .map(|&j| describe_run(t, j))
        .collect();
    if steps.len() > SHOWN {
        names.push(format!("{} more", steps.len() - SHOWN));
    }
    match names.len() {
        0 => String::new(),
        1 => names.pop().unwrap_or_default(),
        _ => {
            let last = names.pop().unwrap_or_default();
            format!("{} and {last}", names.join(", "))
        }
    }
}

/// "1 callback" / "3 callbacks".
fn count(k: usize, what: &str) -> String {
    if k == 1 {
        format!("1 {what}")
    } else {
        format!("{k} {what}s")
    }
}

/// The order sentence for a callback queued at step `i`: when it runs, what runs before it,
/// and why; with the claims that back it.
fn when_queued_runs(
    t: &Trace,
    i: usize,
    before: &State,
    fate: Fate,
    own: Queue,
    claims: &mut Vec<Claim>,
) -> String {
    claims.extend(fate.claims());
    match fate {
        Fate::Runs(at) => {
            let ahead = runs_between(t, i, at);
            if ahead.is_empty() {
                return format!(" It is the next callback to run (step {at}).");
            }
            claims.extend(
                ahead
                    .iter()
                    .map(|&b| Claim::RunsBefore { first: b, then: at }),
            );
            let mut text = format!(" It runs at step {at}, after {}.", describe_runs(t, &ahead));
            let kinds: Vec<Queue> = ahead.iter().filter_map(|&j| queue_at(t, j)).collect();
            let context = running_at(t, i);
            let only = |q: Queue| kinds.iter().all(|&k| k == q);
            match own {
                Queue::NextTick
                    if context.map(|c| c.1) == Some(Queue::Microtask)
                        && kinds.contains(&Queue::Microtask) =>
                {
                    let (run, queue) = context.unwrap_or((i, Queue::Microtask));
                    claims.push(Claim::During { run, queue });
                    text.push_str(" Why: it was queued by a microtask, while V8 was draining the microtask queue, and V8 does not stop for nextTick callbacks");
                    let micro_then = fifo_len_at(t, i, before.micro.len(), Queue::Microtask, at);
                    if micro_then == 0 {
                        claims.push(Claim::QueueLenAt {
                            at,
                            queue: Queue::Microtask,
                            len: 0,
                        });
                        text.push_str(": Node runs them only once the microtask queue is empty, so every microtask queued meanwhile (even those queued after this one) runs first.");
                    } else {
                        text.push_str(", so the microtasks listed run first.");
                    }
                }
                Queue::NextTick | Queue::Microtask if only(own) => {
                    text.push_str(
                        " Why: the queue is first in, first out, and those were queued before it.",
                    );
                }
                Queue::Microtask
                    if only(Queue::NextTick)
                        || (kinds.contains(&Queue::NextTick)
                            && context.map(|c| c.1) != Some(Queue::Microtask)) =>
                {
                    text.push_str(" Why: when a callback or the main module ends, Node runs its nextTick queue before it lets V8 drain the microtask queue.");
                }
                _ => {}
            }
            text
        }
        Fate::Cancelled(at) => format!(" It never runs: it is cancelled at step {at}."),
        Fate::Never if t.truncated => " It has not run by the last recorded step.".into(),
        Fate::Never if t.agent_of(i) != 0 => " It never runs: the thread ends first.".into(),
        Fate::Never => " It never runs: the process ends first.".into(),
        Fate::Unknown => String::new(),
    }
}

/// What runs after the call stack empties at step `i`: which queue Node or V8 turns to next
/// and why, derived from the next recorded callback.
fn after_stack_empties(t: &Trace, i: usize, before: &State, claims: &mut Vec<Claim>) -> String {
    let ticks = before.ticks.len();
    let micro = before.micro.len();
    let context = running_at(t, i).map(|c| c.1);
    let next = next_run(t, i);
    claims.push(Claim::NextRun { at: next });
    let both_empty = ticks == 0 && micro == 0;
    if both_empty {
        claims.push(Claim::QueueLenAt {
            at: i,
            queue: Queue::NextTick,
            len: 0,
        });
        claims.push(Claim::QueueLenAt {
            at: i,
            queue: Queue::Microtask,
            len: 0,
        });
    }
    let Some(at) = next else {
        return if both_empty {
            " The nextTick and microtask queues are empty, so the loop moves on.".into()
        } else {
            String::new()
        };
    };
    let what = describe_run(t, at);
    match queue_at(t, at) {
        Some(Queue::Microtask) if context == Some(Queue::Microtask) => {
            let mut s = format!(" V8 keeps draining the microtask queue: next is {what} (step {at}).");
            if ticks > 0 {
                claims.push(Claim::QueueLenAt { at: i, queue: Queue::NextTick, len: ticks });
                s.push_str(&format!(
                    " {} wait{} until it is empty.",
                    count(ticks, "nextTick callback"),
                    if ticks == 1 { "s" } else { "" }
                ));
            }
            s
        }
        Some(Queue::Microtask) if ticks == 0 => {
            claims.push(Claim::QueueLenAt { at: i, queue: Queue::NextTick, len: 0 });
            format!(" The nextTick queue is empty, so V8 drains the microtask queue: next is {what} (step {at}).")
        }
        Some(Queue::NextTick) if context == Some(Queue::Microtask) && micro == 0 => {
            claims.push(Claim::QueueLenAt { at: i, queue: Queue::Microtask, len: 0 });
            format!(" The microtask queue is empty, so Node runs its nextTick queue: next is {what} (step {at}).")
        }
        Some(Queue::NextTick) => {
            let mut s = format!(" Node runs its nextTick queue first: next is {what} (step {at}).");
            if micro > 0 {
                claims.push(Claim::QueueLenAt { at: i, queue: Queue::Microtask, len: micro });
                s.push_str(&format!(
                    " {} wait{} until the nextTick queue is empty.",
                    count(micro, "microtask"),
                    if micro == 1 { "s" } else { "" }
                ));
            }
            s
        }
        Some(Queue::Timer) if both_empty => format!(
            " The nextTick and microtask queues are empty, so the timers phase goes on with the next due timer: {what} (step {at})."
        ),
        Some(Queue::Immediate) if both_empty => format!(
            " The nextTick and microtask queues are empty, so the check phase goes on with the next immediate: {what} (step {at})."
        ),
        Some(Queue::Io) if both_empty => format!(
            " The nextTick and microtask queues are empty, so the poll phase runs the next I/O callback: {what} (step {at})."
        ),
        _ => format!(" Next is {what} (step {at})."),
    }
}

/// Narrates step `i` of the trace, given the state before it. In a trace of several threads
/// every sentence starts with the thread it is about.
pub fn narrate(t: &Trace, i: usize, before: &State) -> Narration {
    let mut claims = vec![];
    let mut narration = describe(t, i, before, &mut claims);
    narration.claims = claims;
    if t.threaded() && !matches!(t.records[i], Record::Agent { .. }) {
        narration.text = format!(
            "{}: {}",
            capitalized(&t.thread_name(t.agent_of(i))),
            narration.text
        );
    }
    narration
}

/// "Main thread" for "main thread".
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A message of the machine's log, described for a learner: what it is, its size, who sent it
/// to whom and when.
fn describe_message(
    t: &Trace,
    msg: u32,
) -> Option<(String, String, String, &crate::machine::bus::MessageRecord)> {
    let m = t.machine.as_ref()?.messages.get(msg as usize)?;
    let what = match m.kind {
        "message" => format!("a message ({} bytes, a structured clone)", m.bytes),
        "output" => format!("a line of console output ({} bytes)", m.bytes),
        "online" => "the 'online' notice (the worker is up)".to_string(),
        "error" => format!("the worker's uncaught error ({} bytes)", m.bytes),
        "exit" => "the notice that the worker's thread ended".to_string(),
        "close" => "the notice that the other end closed the channel".to_string(),
        other => other.to_string(),
    };
    let (from, to) = (the(t, m.from), the(t, m.to));
    Some((what, from, to, m))
}

/// "the main thread", "worker 1", "process 4243": thread `agent` in a sentence.
fn the(t: &Trace, agent: usize) -> String {
    let name = t.thread_name(agent.min(u16::MAX as usize) as u16);
    if agent == 0 {
        format!("the {name}")
    } else {
        name
    }
}

/// A command line in a sentence (at most 60 characters).
fn command(c: &str) -> String {
    let short: String = c.chars().take(60).collect();
    let ell = if short.len() < c.len() { "…" } else { "" };
    format!("`{short}{ell}`")
}

/// The narration of the process steps: a spawn, a signal, and the messages on a child
/// process's channel (IPC messages, pipe chunks, the ends of pipes, `online`, `exit`).
fn describe_process(t: &Trace, i: usize, before: &State) -> Option<Narration> {
    let agent = t.agent_of(i);
    let me = the(t, agent as usize);
    match t.records[i] {
        Record::Spawned {
            pid,
            command: c,
            how,
            cost_us,
        } => {
            let cmd = command(&t.label(c));
            let cost = ms(cost_us as u64 * 1000);
            let p = t.process(pid);
            Some(match how {
                SpawnKind::Sync => n(
                    "process.spawn-sync",
                    format!("spawnSync (which execSync and execFileSync use too) runs {cmd} as process {pid} and blocks {me} until that process has ended: {cost} in all (the OS creating it, its run, its exit). No callback of this thread runs meanwhile; the output comes back as the call's result."),
                ),
                SpawnKind::Node => {
                    let start = match p.and_then(|p| t.process_notice(p, "online")) {
                        Some(m) => format!(" Process {pid} runs its first statement at {}, {} after the spawn: a new process has to boot a whole Node runtime (V8, its heap, the event loop, the core modules) before its program runs, far longer than the spawn call itself.", ms(m.due_ns), ms(m.due_ns.saturating_sub(m.sent_ns))),
                        None => String::new(),
                    };
                    let ipc = match p.and_then(|p| p.ipc) {
                        Some("advanced") => " The two processes share no memory: they talk over an IPC channel whose messages are structured clones (serialization: 'advanced').",
                        Some(_) => " The two processes share no memory: they talk over an IPC channel whose messages are JSON text.",
                        None => " The two processes share no memory.",
                    };
                    n(
                        "process.spawn",
                        format!("The operating system starts process {pid}, {cmd}: a Node program with its own memory, V8 instance and event loop. The call blocks {me} for {cost} while the OS creates the process (libuv's spawn returns once it exists).{start}{ipc}"),
                    )
                }
                SpawnKind::Program => {
                    let shell = if t.label(c).starts_with("/bin/sh -c ") {
                        "exec runs its command line in a shell: the"
                    } else {
                        "The"
                    };
                    let first_chunk = t.machine.as_ref().and_then(|m| {
                        let handle = p?.handle?;
                        m.messages
                            .iter()
                            .filter(|m| m.to_port == handle && matches!(m.kind, "stdout" | "stderr"))
                            .map(|m| m.due_ns)
                            .min()
                    });
                    let chunks = first_chunk
                        .map(|due| format!(" What it writes to its pipes reaches this process in chunks (the first at {}),", ms(due)))
                        .unwrap_or_default();
                    let end = match p.and_then(|p| t.process_notice(p, "exit")) {
                        Some(m) if chunks.is_empty() => format!(" The news of its end arrives at {}, for the poll phase.", ms(m.due_ns)),
                        Some(m) => format!("{chunks} and the news of its end at {}, for the poll phase.", ms(m.due_ns)),
                        None => " It reads its stdin first: it runs once the parent has ended what it writes to child.stdin.".into(),
                    };
                    n(
                        "process.spawn",
                        format!("{shell} operating system starts process {pid}, {cmd}, a program rather than Node; it runs on its own, outside this thread. The call blocks {me} for {cost} while the OS creates the process, then returns a `ChildProcess` at once, before the program has done anything.{end}"),
                    )
                }
            })
        }
        Record::Signal { pid, signal } => {
            let sig = t.label(signal);
            let p = t.process(pid);
            let effect = if matches!(sig.as_str(), "SIGCHLD" | "SIGWINCH" | "SIGCONT" | "SIGURG") {
                format!(" The default action of {sig} is to do nothing, so the process goes on.")
            } else {
                match p {
                    Some(p) if p.signal == Some(sig.as_str()) && p.handle.is_none() => format!(" It is this program's own pid: the process ends by {sig} (exit status {}).", 128 + crate::machine::process::signal_number(&sig).unwrap_or(0)),
                    Some(p) if p.signal == Some(sig.as_str()) => format!(" The OS ends process {pid} by it (it has no listener for {sig}, so the default action applies); its parent's 'exit' listeners will get code null and signal '{sig}'."),
                    Some(p) if p.exit_code.is_some() => format!(" Process {pid} does not end by it: it exits with code {}.", p.exit_code.unwrap_or(0)),
                    Some(_) => format!(" Process {pid} is still running when the run ends."),
                    None => String::new(),
                }
            };
            Some(n(
                "process.signal",
                format!("kill sends {sig} to process {pid}: the operating system delivers it, the sender does not wait.{effect}"),
            ))
        }
        Record::Posted { msg } | Record::Delivered { msg } => {
            let m = t.message(msg)?;
            let p = t.process_of_port(m.to_port)?;
            let pid = p.pid;
            let to_child = p.channel == Some(m.to_port);
            let due = ms(m.due_ns);
            let posted = matches!(t.records[i], Record::Posted { .. });
            let json = p.ipc != Some("advanced");
            if posted {
                let peer = if to_child {
                    format!("process {pid}")
                } else {
                    the(t, m.to)
                };
                return Some(match m.kind {
                    "ipc" => {
                        let (call, how) = match (to_child, json) {
                            (true, true) => ("child.send", format!("as JSON ({} bytes)", m.bytes)),
                            (true, false) => ("child.send", format!("with the structured clone algorithm ({} bytes)", m.bytes)),
                            (false, true) => ("process.send", format!("as JSON ({} bytes)", m.bytes)),
                            (false, false) => ("process.send", format!("with the structured clone algorithm ({} bytes)", m.bytes)),
                        };
                        n(
                            "ipc.send",
                            format!("{call} serialises its message {how} and writes it to the IPC channel; {peer} can read it from {due} on, and its 'message' listeners run in its poll phase. The copy is made now: changing the object afterwards does not change the message."),
                        )
                    }
                    "disconnect" => n(
                        "ipc.disconnect",
                        format!("disconnect() closes the IPC channel: no more messages either way. {} hears of it at {due} and emits 'disconnect'.", capitalized(&peer)),
                    ),
                    "stdout" | "stderr" => n(
                        "pipe.write",
                        format!("The {} bytes go to this process's {}, which is a pipe to its parent (stdio 'pipe'), not the terminal: {peer} can read them from {due} on, as a 'data' chunk of child.{}.", m.bytes, m.kind, m.kind),
                    ),
                    "output" => n(
                        "pipe.write",
                        format!("This process inherited its output streams from {peer}: the {} bytes are passed on and written out there, from {due} on.", m.bytes),
                    ),
                    _ => return None,
                });
            }
            let from = if to_child {
                the(t, m.from)
            } else {
                format!("process {pid}")
            };
            let wait = if before.clock > m.due_ns + 1000 {
                format!(" It had arrived at {due} and waited until this thread could take it.")
            } else {
                String::new()
            };
            let sent = ms(m.sent_ns);
            Some(match m.kind {
                "online" => n(
                    "process.online",
                    format!("The poll phase hears that process {pid} is up: spawned at {sent}, it ran its first statement at {due}, {} later.", ms(m.due_ns.saturating_sub(m.sent_ns))),
                ),
                "ipc" => n(
                    "ipc.receive",
                    format!("The poll phase reads an IPC message from {from} ({} bytes, sent at {sent}).{wait} It is {} now, and the 'message' listeners run as a nextTick callback right after.", m.bytes, if json { "parsed from JSON" } else { "deserialised (structured clone)" }),
                ),
                "disconnect" => n(
                    "ipc.disconnect",
                    format!("The poll phase learns that the IPC channel with {from} is closed (since {sent}): 'disconnect' is emitted on the next tick, and send() no longer delivers anything."),
                ),
                "stdout" | "stderr" => {
                    let written = if p.agent.is_some() {
                        format!("written at {sent}, ")
                    } else {
                        String::new()
                    };
                    n(
                        "pipe.read",
                        format!("The poll phase reads {} bytes from process {pid}'s {} pipe ({written}readable at {due}).{wait} child.{} gets the chunk: its 'data' listeners run now, or it waits in the stream's buffer until one is added. A chunk is whatever was written, not necessarily one line.", m.bytes, m.kind, m.kind),
                    )
                }
                "output" => n(
                    "pipe.read",
                    format!("Process {pid} shares this process's output streams (stdio 'inherit'): {me} writes out its {} bytes.", m.bytes),
                ),
                "eof" => n(
                    "pipe.end",
                    format!("One of process {pid}'s output pipes reached its end (the process closed it as it exited): the stream emits 'end'. The `ChildProcess` emits 'close' once every pipe has ended and the exit is known."),
                ),
                "exit" => {
                    let how = match (p.exit_code, p.signal) {
                        (_, Some(sig)) => format!("was ended by {sig} (so its exit code is null)"),
                        (Some(c), None) => format!("exited with code {c}"),
                        (None, None) => "exited".to_string(),
                    };
                    let ended = match p.end_ns {
                        Some(e) if e <= m.due_ns => format!(" It ended at {}; the news arrives {} later.", ms(e), ms(m.due_ns - e)),
                        _ => String::new(),
                    };
                    n(
                        "process.exit",
                        format!("The poll phase reads the child's exit: process {pid} {how}.{ended} 'exit' is emitted now, 'close' once its stdio pipes have closed too."),
                    )
                }
                _ => return None,
            })
        }
        _ => None,
    }
}

/// The narration of the loopback network's steps (`net`, `http`, a cluster's hand-offs):
/// connections reaching a listening server, bytes or HTTP parts on a connection, and a
/// cluster primary passing a connection to a worker.
fn describe_network(t: &Trace, i: usize, before: &State) -> Option<Narration> {
    let (posted, msg) = match t.records[i] {
        Record::Posted { msg } => (true, msg),
        Record::Delivered { msg } => (false, msg),
        _ => return None,
    };
    let m = t.message(msg)?;
    if !matches!(m.kind, "connection" | "connect" | "refused" | "socket") {
        return None;
    }
    let (from, to) = (the(t, m.from), the(t, m.to));
    let (sent, due) = (ms(m.sent_ns), ms(m.due_ns));
    let wait = if !posted && before.clock > m.due_ns + 1000 {
        format!(" It had arrived at {due} and waited until this thread could take it.")
    } else {
        String::new()
    };
    let handoff = t.process_of_port(m.to_port);
    Some(match (m.kind, posted, handoff) {
        ("connection", true, Some(p)) => n(
            "cluster.handoff",
            format!("The primary hands a connection to worker process {} over the IPC channel, round-robin: the next worker free to take one (the first in the queue of free workers, or one that has just acknowledged its last hand-off while connections waited). It can take it from {due} on; it goes back to the queue only once it has acknowledged this hand-off, so a worker busy with CPU work gets no new connection meanwhile.", p.pid),
        ),
        ("connection", false, Some(_)) => n(
            "cluster.accept",
            format!("The poll phase takes a connection the primary handed over (sent at {sent}).{wait} The worker acknowledges it at once, which puts it back in the primary's queue of free workers, and its server emits 'connection'; the request's bytes, held meanwhile, follow."),
        ),
        ("connection", true, None) => n(
            "net.connect",
            format!("connect() opens a connection to the server listening on that port, in {to}: the connection reaches it at {due}, one loopback hop later. What this side writes now waits and follows the handshake."),
        ),
        ("connection", false, None) => n(
            "net.accept",
            format!("The poll phase accepts a connection on the listening socket (the client in {from} connected at {sent}).{wait} A server emits 'connection'; an HTTP server then waits for a request on it; in a cluster primary, the round-robin handle queues it for the next free worker."),
        ),
        ("connect", _, _) => n(
            "net.connected",
            format!("The connection is open (the handshake took one loopback hop, from {sent} to {due}): the socket emits 'connect'."),
        ),
        ("refused", _, _) => n(
            "net.refused",
            format!("Nobody listens on that port of this machine: the connection attempt of {sent} fails with ECONNREFUSED, and the socket (or the HTTP request) emits 'error'."),
        ),
        (_, true, _) => n(
            "net.write",
            format!("{} bytes written to the connection; {to} can read them from {due} on (a loopback hop plus the bytes). Writing does not wait for the other side.", m.bytes),
        ),
        (_, false, _) => n(
            "net.read",
            format!("The poll phase reads {} bytes from the connection (written by {from} at {sent}).{wait} The socket emits 'data' (for HTTP: the next part of a request or response; an empty one is the other side ending or closing).", m.bytes),
        ),
    })
}

/// The narration of a thread-switch, a posted or a delivered message.
fn describe_machine(t: &Trace, i: usize, before: &State) -> Option<Narration> {
    if let Some(n) = describe_network(t, i, before) {
        return Some(n);
    }
    if let Some(n) = describe_process(t, i, before) {
        return Some(n);
    }
    match t.records[i] {
        Record::Agent { agent, core } => {
            let name = capitalized(&t.thread_name(agent));
            let again = before.agent == agent;
            let seen = t.steps_of(agent, 0..i).next().is_some();
            let text = if again {
                format!("{name} goes on running, now on core {core}.")
            } else if seen {
                let clock = before.of_agent(agent).map_or(0, |s| s.clock);
                format!(
                    "{name} runs on core {core}; its clock stands at {}.",
                    ms(clock)
                )
            } else {
                format!("{name} runs on core {core}. The steps from here are its own (its own call stack, queues and event loop) until another thread's step comes: threads on different cores run at the same time, and the trace lists their steps one after another in virtual-time order.")
            };
            Some(n("thread.switch", text))
        }
        Record::Posted { msg } => {
            let (what, _, to, m) = describe_message(t, msg)?;
            Some(n(
                "message.post",
                format!("postMessage copies its value now and sends {what} to {to}; it can be received from {} on (a copy costs time per byte, so big messages arrive later). Changing the original afterwards does not change the copy.", ms(m.due_ns)),
            ))
        }
        Record::Delivered { msg } => {
            let (what, from, _, m) = describe_message(t, msg)?;
            let wait = if before.clock > m.due_ns + 1000 {
                format!(
                    "; it had arrived at {} and waited until this thread could take it",
                    ms(m.due_ns)
                )
            } else {
                String::new()
            };
            let then = match m.kind {
                "message" => " Its 'message' listeners run now, on this thread.",
                "output" => " The main thread writes it to the process's stdout.",
                "online" | "error" | "exit" => {
                    " The `Worker` object's listeners for it, if any, run now."
                }
                _ => "",
            };
            Some(n(
                "message.deliver",
                format!(
                    "The poll phase takes {what} from {from}, sent at {}{wait}.{then}",
                    ms(m.sent_ns)
                ),
            ))
        }
        _ => None,
    }
}

/// The narration of step `i` (without its claims, which go to `claims`).
fn describe(t: &Trace, i: usize, before: &State, claims: &mut Vec<Claim>) -> Narration {
    let label = |id: u32| t.label(id);
    let r = &t.records[i];
    if let Some(m) = describe_machine(t, i, before) {
        return m;
    }
    match *r {
        Record::Stmt { stmt, .. } => {
            let Some(s) = t.statements.get(stmt as usize) else {
                return n("stmt.execute", "A statement runs.".into());
            };
            let text = t
                .file_source(s.file)
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
            } else if before.frames.is_empty() && before.phase == Phase::Main && f == "(main module)" {
                n(
                    "call.enter",
                    if t.agent_of(i) == 0 {
                        "Node starts running the main module: it is called like a function, so its frame is the first on the call stack.".into()
                    } else if t.is_child_process(t.agent_of(i)) {
                        "The process starts running its main module: it is called like a function, so its frame is the first on this process's call stack.".into()
                    } else {
                        "The worker starts running its script: it is called like a function, so its frame is the first on this thread's call stack.".into()
                    },
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
            let next = after_stack_empties(t, i, before, claims);
            match (before.phase, running_at(t, i)) {
                (Phase::Main, None) => n(
                    "stack.empty.main-done",
                    format!("The main module has finished and the call stack is empty.{next}"),
                ),
                (_, Some((_, q @ (Queue::Timer | Queue::Immediate | Queue::Io)))) => n(
                    "stack.empty.callback-done",
                    format!("The {} callback finished and the call stack is empty.{next}", queue_name(q)),
                ),
                _ => n(
                    "stack.empty.job-done",
                    format!("`{f}` finished and the call stack is empty.{next}"),
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
                let mut text = format!("Node runs the next process.nextTick callback (`{l}`).");
                if !before.micro.is_empty() {
                    if let Fate::Runs(m) = nth_run(t, i, Queue::Microtask, 0) {
                        let ticks_then = fifo_len_at(t, i, before.ticks.len(), Queue::NextTick, m);
                        claims.push(Claim::QueueLenAt { at: i, queue: Queue::Microtask, len: before.micro.len() });
                        claims.push(Claim::RunsBefore { first: i, then: m });
                        if ticks_then == 0 {
                            claims.push(Claim::QueueLenAt { at: m, queue: Queue::NextTick, len: 0 });
                            text.push_str(&format!(
                                " {} already wait{}; V8 runs them only once Node has emptied the nextTick queue (the next one, {}, at step {m}).",
                                count(before.micro.len(), "microtask"),
                                if before.micro.len() == 1 { "s" } else { "" },
                                describe_run(t, m)
                            ));
                        } else {
                            text.push_str(&format!(" The next microtask, {}, runs at step {m}.", describe_run(t, m)));
                        }
                    }
                }
                n("run.next-tick", text)
            }
            Queue::Microtask => {
                let (k, l) = before
                    .micro
                    .front()
                    .map(|m| (m.0, label(m.1)))
                    .unwrap_or((MicrotaskKind::Reaction, String::new()));
                let draining = running_at(t, i).map(|c| c.1) == Some(Queue::Microtask);
                let ticks = before.ticks.len();
                let lead = if draining {
                    "V8 keeps draining the microtask queue".to_string()
                } else if ticks == 0 {
                    claims.push(Claim::QueueLenAt { at: i, queue: Queue::NextTick, len: 0 });
                    "The nextTick queue is empty, so V8 drains the microtask queue".to_string()
                } else {
                    "V8 drains the microtask queue".to_string()
                };
                let mut waiting = String::new();
                if draining && ticks > 0 {
                    if let Fate::Runs(at) = nth_run(t, i, Queue::NextTick, 0) {
                        claims.push(Claim::QueueLenAt { at: i, queue: Queue::NextTick, len: ticks });
                        claims.push(Claim::RunsBefore { first: i, then: at });
                        claims.push(Claim::QueueLenAt { at, queue: Queue::Microtask, len: 0 });
                        waiting = format!(
                            " {} wait{} (the first is {}): V8 does not stop for them, and Node runs them once the microtask queue is empty, at step {at}.",
                            count(ticks, "nextTick callback"),
                            if ticks == 1 { "s" } else { "" },
                            describe_run(t, at)
                        );
                    }
                }
                match k {
                    MicrotaskKind::Reaction => n(
                        "run.microtask.reaction",
                        format!("{lead}: it runs the promise handler `{l}`.{waiting}"),
                    ),
                    MicrotaskKind::AwaitResume => n(
                        "run.microtask.await-resume",
                        format!("{lead}: the next microtask resumes an async function ({l}), whose awaited promise has settled.{waiting}"),
                    ),
                    MicrotaskKind::ResolveThenable => n(
                        "run.microtask.resolve-thenable",
                        format!("{lead}: the next microtask calls `{l}` of a thenable that was used to resolve a promise; adopting a thenable costs extra microtask turns.{waiting}"),
                    ),
                    MicrotaskKind::Callback => n(
                        "run.microtask.queue-microtask",
                        format!("{lead}: the next microtask is the queueMicrotask callback `{l}`.{waiting}"),
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
                    format!("Check phase: the setImmediate callback `{l}` runs (the check phase comes right after the poll phase)."),
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
                        format!("Poll phase: the thread pool finished `{l}`, so its callback runs on the {} now.", t.thread_name(t.agent_of(i))),
                    )
                } else {
                    n(
                        "run.io.network",
                        format!("Poll phase: the response for `{l}` has arrived, so its callback runs. Waiting on a socket takes no pool thread (in Node, looking up a host name first runs dns.lookup on the thread pool; the virtual network skips DNS)."),
                    )
                }
            }
        },
        Record::TickQueued { label: l } => {
            let fate = nth_run(t, i, Queue::NextTick, before.ticks.len());
            let when = when_queued_runs(t, i, before, fate, Queue::NextTick, claims);
            n(
                "queue.next-tick",
                format!("`{}` joins the nextTick queue.{when}", label(l)),
            )
        }
        Record::MicrotaskQueued {
            micro,
            label: l,
            promise,
        } => {
            let l = label(l);
            let fate = nth_run(t, i, Queue::Microtask, before.micro.len());
            let when = when_queued_runs(t, i, before, fate, Queue::Microtask, claims);
            let p = if promise == super::NONE {
                "A promise".to_string()
            } else {
                format!("Promise #{promise}")
            };
            let mut narration = match micro {
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
                    format!("{p} was resolved with a thenable (another promise or an object with `then`), so a job to call its `then` joins the microtask queue: adopting it costs two extra microtask turns."),
                ),
                MicrotaskKind::Callback => n(
                    "queue.microtask.queue-microtask",
                    format!("queueMicrotask puts `{l}` on the microtask queue."),
                ),
            };
            narration.text.push_str(&when);
            narration
        }
        Record::TimerSet {
            id,
            due_ms,
            label: l,
            repeat,
        } => {
            let exists = before.timers.iter().any(|x| x.id == id);
            let fate = run_by_id(t, i, Queue::Timer, id);
            claims.extend(fate.claims());
            let when = match fate {
                Fate::Runs(at) => format!(" It runs at step {at}."),
                Fate::Cancelled(at) => format!(" It never runs: it is cancelled at step {at}."),
                Fate::Never if t.truncated => " It has not run by the last recorded step.".into(),
                Fate::Never if t.agent_of(i) != 0 => " It never runs: the thread ends first.".into(),
                Fate::Never => " It never runs: the process ends first.".into(),
                Fate::Unknown => String::new(),
            };
            if exists || (repeat && before.current == Some((Queue::Timer, l))) {
                n(
                    "timer.reschedule",
                    format!("The interval/timer `{}` is scheduled again, now due at {due_ms} ms.{when}", label(l)),
                )
            } else {
                n(
                    "timer.set",
                    format!("A timer for `{}` is created, due at {due_ms} ms of virtual time; its callback waits for a timers phase at or after that time.{when}", label(l)),
                )
            }
        }
        Record::TimerCleared { .. } => n(
            "timer.clear",
            "The timer is cancelled and leaves the timer list.".into(),
        ),
        Record::ImmediateSet { id, label: l } => {
            let fate = run_by_id(t, i, Queue::Immediate, id);
            let mut when = when_queued_runs(t, i, before, fate, Queue::Immediate, claims);
            if let Fate::Runs(at) = fate {
                let turns = t
                    .steps_of(t.agent_of(i), i + 1..at)
                    .any(|j| matches!(t.records[j], Record::Phase { phase: Phase::Timers }));
                if before.phase == Phase::Check && turns {
                    when.push_str(" A check phase runs only the immediates queued before it began, so this one waits for the next loop iteration.");
                }
            }
            n(
                "immediate.set",
                format!("`{}` joins the immediate queue, which the check phase empties (it follows the poll phase).{when}", label(l)),
            )
        }
        Record::ImmediateCleared { .. } => n(
            "immediate.clear",
            "The immediate is cancelled and leaves the immediate queue.".into(),
        ),
        Record::IoStarted {
            label: l, due_us, ..
        } => n(
            "io.network.start",
            format!("The request `{}` goes out on the network; the operating system watches the socket for the reply (due at {}), so no pool thread waits. (A real request to a host name would first resolve it with dns.lookup on the thread pool; the virtual network skips DNS.)", label(l), ms(due_us as u64 * 1000)),
        ),
        Record::PoolQueued { label: l, .. } => n(
            "threadpool.wait",
            format!("Every thread of the libuv pool is busy, so `{}` waits in the pool's queue; it starts when a pool thread is free.", label(l)),
        ),
        Record::PoolStarted {
            slot,
            io,
            label: l,
            cost_us,
            ..
        } => {
            let cost = ms(cost_us as u64 * 1000);
            let how = match io {
                IoKind::Crypto | IoKind::Zlib => format!("it needs {cost} of CPU time, so the pool thread runs on a core like any other thread (when more threads want to run than there are cores, they take turns) and is done when all of that time has run"),
                IoKind::Dns => format!("it waits {cost} for the name server, without needing a core"),
                _ => format!("it waits {cost} for the disk, without needing a core"),
            };
            n(
                "threadpool.start",
                format!("Thread {} of the libuv pool starts `{}`: {how}. The {} does not wait for it.", slot + 1, label(l), t.thread_name(t.agent_of(i))),
            )
        }
        Record::PoolDone { slot, done_us, .. } => {
            let l = before
                .pool
                .get(slot as usize)
                .copied()
                .flatten()
                .map(|p| label(p.1))
                .unwrap_or_default();
            n(
                "threadpool.done",
                format!("Thread {} finished `{l}` at {}; its callback waits for the poll phase and the thread takes the next queued task, if any.", slot + 1, ms(done_us as u64 * 1000)),
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
                        format!("Promise #{id} is rejected{} with no handler yet; if none is attached by the time the microtask queue has drained, Node emits 'unhandledRejection', and with no listener for it raises the reason as an uncaught exception.", with_value(t, val))
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
            Phase::Main if t.is_child_process(t.agent_of(i)) => n(
                "phase.main",
                "The new process runs its program: Node loads the main module (a CommonJS module) and runs it synchronously, top to bottom, with its own memory, event loop and pid.".into(),
            ),
            Phase::Main if t.agent_of(i) != 0 => n(
                "phase.main",
                "The new thread has its own V8 instance, heap and event loop: it loads its script and runs it synchronously, top to bottom.".into(),
            ),
            Phase::Main => n(
                "phase.main",
                "Node loads the program and runs the main module (a CommonJS module) synchronously, top to bottom.".into(),
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
                "Check phase: the immediates queued before it began run, one after another.".into(),
            ),
            Phase::BeforeExit => n(
                "phase.before-exit",
                "Nothing keeps the loop alive any more, so Node emits 'beforeExit'; if a listener schedules work, the loop continues.".into(),
            ),
            Phase::Exit if t.is_child_process(t.agent_of(i)) => {
                let p = t.process_of_agent(t.agent_of(i));
                if let Some(sig) = p.and_then(|p| p.signal) {
                    let heard = match p.and_then(|p| t.process_notice(p, "exit")) {
                        Some(m) => format!(" Its parent hears of it at {}, in its poll phase.", ms(m.due_ns)),
                        None => String::new(),
                    };
                    return n(
                        "phase.exit",
                        format!("{sig} ends the process at once: the OS stops it where it is, so no 'exit' listener of its own runs and nothing it still had queued will.{heard}"),
                    );
                }
                let heard = match p.and_then(|p| t.process_notice(p, "exit")) {
                    Some(m) => format!(" Its parent hears of it at {}, in its poll phase.", ms(m.due_ns)),
                    None => String::new(),
                };
                n(
                    "phase.exit",
                    format!("The process exits: its own 'exit' listeners run, none of its callbacks will any more, and the OS frees everything it had.{heard}"),
                )
            }
            Phase::Exit if t.agent_of(i) != 0 => n(
                "phase.exit",
                "The thread ends: its own 'exit' listeners run, and none of its callbacks will any more. Its `Worker` object in the parent gets an 'exit' event after every message it sent.".into(),
            ),
            Phase::Exit => n(
                "phase.exit",
                "The process exits: 'exit' listeners run (after any 'beforeExit' listeners), and no further callbacks will.".into(),
            ),
        },
        Record::Clock { lo, hi } => {
            let to = lo as u64 | (hi as u64) << 32;
            let agent = t.agent_of(i);
            let starting = agent != 0
                && !t
                    .steps_of(agent, 0..i)
                    .any(|j| matches!(t.records[j], Record::Phase { .. }));
            let spawned = t
                .steps_of_rev(agent, i.saturating_sub(8)..i)
                .find(|&j| !matches!(t.records[j], Record::Var { .. }))
                .and_then(|j| match t.records[j] {
                    Record::Spawned { pid, how, .. } => Some((pid, how)),
                    _ => None,
                });
            if let Some((pid, how)) = spawned {
                let what = if how == SpawnKind::Sync {
                    format!("process {pid} to run and end")
                } else {
                    format!("the OS to create process {pid}")
                };
                n(
                    "clock.blocked",
                    format!("The spawn call waits for {what}: the clock of {} advances from {} to {} before the call returns.", the(t, agent as usize), ms(before.clock), ms(to)),
                )
            } else if starting && t.is_child_process(agent) {
                let pid = t.process_of_agent(agent).map_or(0, |p| p.pid);
                let after = t
                    .process_of_agent(agent)
                    .map(|p| format!(", {} after it was spawned", ms(to.saturating_sub(p.start_ns))))
                    .unwrap_or_default();
                n(
                    "process.start",
                    format!("Starting a process is expensive: the OS creates process {pid}, and Node boots a new runtime in it (V8, a heap, the event loop, the core modules) before its program can run, at {}{after}. A worker thread, which lives in an existing process, starts much sooner.", ms(to)),
                )
            } else if starting {
                n(
                    "clock.wait",
                    format!("Starting a worker is not free: Node sets up a new thread with its own V8 instance, heap and event loop before the worker's script can run, at {}.", ms(to)),
                )
            } else if before.phase == Phase::Poll || before.phase == Phase::Main {
                n(
                    "clock.wait",
                    format!("Nothing is ready to run, so the loop waits: the virtual clock advances from {} to {}.", ms(before.clock), ms(to)),
                )
            } else {
                n(
                    "clock.blocked",
                    format!("A synchronous operation blocks the {}: the clock advances from {} to {}.", t.thread_name(t.agent_of(i)), ms(before.clock), ms(to)),
                )
            }
        }
        Record::Agent { .. }
        | Record::Posted { .. }
        | Record::Delivered { .. }
        | Record::Spawned { .. }
        | Record::Signal { .. } => n(
            "thread.switch",
            "A message passes between threads (the run's message log is missing from the trace).".into(),
        ),
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
                    claims: vec![],
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
                    claims: vec![],
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
        narrate(self, i, &before)
    }
}
