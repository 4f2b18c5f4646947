//! The trace as the page sees it, without ever holding it: the shape the worker reports after a
//! run ([`Timeline`]: step count and the scrubber's markers) and the view of one step
//! ([`ViewData`]: every pane's content plus the narration), built in the worker from the
//! core's `ViewState` and `StepView`. Also where a stepping command leads ([`Nav`],
//! [`nav_target`]). Pure; tested natively.

use looplab_core::recorder::{Phase, Queue};
use looplab_core::trace::{show_value, Record, StepView, Trace, ViewState};
use serde::{Deserialize, Serialize};

/// What a scrubber marker stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarkerKind {
    /// The event loop entered another phase.
    Phase,
    /// A line was printed.
    Console,
    /// The loop handed a timer, immediate or I/O callback to JavaScript.
    Callback,
}

impl MarkerKind {
    /// The CSS class (and test hook) of the marker.
    pub fn class(self) -> &'static str {
        match self {
            MarkerKind::Phase => "phase",
            MarkerKind::Console => "console",
            MarkerKind::Callback => "callback",
        }
    }
}

/// A mark on the scrubber.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub step: u32,
    pub kind: MarkerKind,
    pub label: String,
}

/// What the page keeps about a recorded trace (the trace itself stays in the worker).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Number of steps.
    pub len: u32,
    /// The program went on after the trace reached its step limit.
    pub truncated: bool,
    /// At most [`MARKERS_PER_KIND`] of each kind, spread over the trace.
    pub markers: Vec<Marker>,
}

/// How many markers of one kind the scrubber shows at most (more would overlap).
pub const MARKERS_PER_KIND: usize = 400;

impl Timeline {
    /// The last step index (0 for an empty trace).
    pub fn last(&self) -> u32 {
        self.len.saturating_sub(1)
    }

    /// The timeline of `trace`: markers for phase changes, console lines and callback starts,
    /// thinned so that each kind keeps at most one marker per 1/[`MARKERS_PER_KIND`] of the
    /// trace.
    pub fn of(trace: &Trace) -> Timeline {
        let len = trace.len();
        let bucket = len.div_ceil(MARKERS_PER_KIND).max(1);
        let mut last_bucket = [usize::MAX; 3];
        let mut markers = Vec::new();
        for (i, r) in trace.records.iter().enumerate() {
            let (kind, label) = match r {
                Record::Phase { phase } => (MarkerKind::Phase, phase_name(*phase).to_string()),
                Record::Output { line } => (
                    MarkerKind::Console,
                    trace
                        .console
                        .get(*line as usize)
                        .map(|c| c.text.chars().take(60).collect())
                        .unwrap_or_default(),
                ),
                Record::Run {
                    queue: q @ (Queue::Timer | Queue::Immediate | Queue::Io),
                    ..
                } => (MarkerKind::Callback, format!("{} callback", queue_name(*q))),
                _ => continue,
            };
            let slot = &mut last_bucket[kind as usize];
            if *slot == i / bucket {
                continue;
            }
            *slot = i / bucket;
            markers.push(Marker {
                step: i as u32,
                kind,
                label,
            });
        }
        Timeline {
            len: len as u32,
            truncated: trace.truncated,
            markers,
        }
    }
}

/// Where to move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Nav {
    /// Exactly the given step (scrubber, URL, play).
    Seek,
    Back,
    Forward,
    /// The next statement of the same frame.
    Over,
    /// The previous / next macrotask start (timer, immediate or I/O callback).
    PrevCallback,
    NextCallback,
    Start,
    End,
}

impl Nav {
    /// Whether the target can only be found with the trace (in the worker).
    pub fn needs_trace(self) -> bool {
        matches!(self, Nav::Over | Nav::PrevCallback | Nav::NextCallback)
    }
}

/// Where `nav` leads from `from` in a trace of `len` steps, given the macrotask starts
/// (ascending) and a way to find "step over"'s target.
pub fn nav_target(
    nav: Nav,
    from: u32,
    len: u32,
    callbacks: &[u32],
    step_over: impl FnOnce(u32) -> Option<u32>,
) -> u32 {
    let last = len.saturating_sub(1);
    let from = from.min(last);
    match nav {
        Nav::Seek => from,
        Nav::Back => from.saturating_sub(1),
        Nav::Forward => (from + 1).min(last),
        Nav::Over => step_over(from).unwrap_or(last),
        Nav::PrevCallback => {
            let i = callbacks.partition_point(|&s| s < from);
            i.checked_sub(1).map_or(0, |i| callbacks[i])
        }
        Nav::NextCallback => {
            let i = callbacks.partition_point(|&s| s <= from);
            callbacks.get(i).copied().unwrap_or(last)
        }
        Nav::Start => 0,
        Nav::End => last,
    }
}

/// A frame of the call stack at a step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameData {
    pub name: String,
    pub line: Option<u32>,
    /// (name, value as JavaScript-like text).
    pub locals: Vec<(String, String)>,
}

/// A queued job.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobData {
    pub label: String,
    /// Microtasks only: reaction, resolve-thenable, await-resume or callback.
    pub kind: Option<String>,
    /// Microtasks only: the promise the job belongs to.
    pub promise: Option<u32>,
}

/// A pending timer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimerData {
    pub id: u32,
    pub label: String,
    pub due_ms: u32,
    pub repeat: bool,
}

/// An I/O operation in flight.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IoData {
    pub label: String,
    pub due_ns: u64,
    pub pooled: bool,
    pub ready: bool,
}

/// One thread pool slot: the task it runs, if any.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SlotData {
    pub label: String,
    /// What the task needs: CPU time on a core (`cpu`), or time on the disk or network.
    pub cost_ns: u64,
    pub cpu: bool,
}

/// A handler waiting for a promise.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WaiterData {
    pub handler: String,
    /// The promise the registration returned (the next link of the chain).
    pub derived: Option<u32>,
}

/// A promise and its state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PromiseData {
    pub id: u32,
    /// pending, fulfilled or rejected.
    pub status: String,
    pub handled: bool,
    /// The value or reason, once settled.
    pub value: Option<String>,
    pub waiters: Vec<WaiterData>,
}

/// What the core says about a step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NarrationData {
    pub text: String,
    pub rule: String,
    pub concept: String,
    /// For nondeterministic points: the possible orders and why.
    pub alternatives: Vec<String>,
}

/// How many promises a view carries at most (the most recently created).
pub const MAX_PROMISES: usize = 40;

/// The full view after one step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewData {
    /// The run whose trace this view comes from.
    pub run: u32,
    /// The page's request number this view answers.
    pub request: u32,
    pub step: u32,
    /// main, timers, poll, check, before-exit, exit.
    pub phase: String,
    pub clock_ns: u64,
    /// Outermost first.
    pub call_stack: Vec<FrameData>,
    pub next_ticks: Vec<JobData>,
    pub microtasks: Vec<JobData>,
    pub timers: Vec<TimerData>,
    pub immediates: Vec<JobData>,
    pub pending_io: Vec<IoData>,
    pub thread_pool: Vec<Option<SlotData>>,
    pub pool_queue: Vec<String>,
    /// The most recent [`MAX_PROMISES`] promises, by number.
    pub promises: Vec<PromiseData>,
    /// How many promises exist at this step.
    pub promises_total: u32,
    /// How many console lines have been printed by this step.
    pub console_lines: u32,
    /// The callback being run: (queue, label).
    pub current: Option<(String, String)>,
    /// The source span of the statement being executed (UTF-8 byte offsets).
    pub span: Option<(u32, u32)>,
    pub line: Option<u32>,
    pub narration: NarrationData,
}

fn kebab<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn phase_name(phase: Phase) -> String {
    kebab(&phase)
}

fn queue_name(queue: Queue) -> &'static str {
    match queue {
        Queue::NextTick => "nextTick",
        Queue::Microtask => "microtask",
        Queue::Timer => "timer",
        Queue::Immediate => "immediate",
        Queue::Io => "I/O",
    }
}

impl ViewData {
    /// The page's view of one step, from the core's view state after it and the step itself.
    pub fn new(run: u32, view: &ViewState, step: &StepView) -> ViewData {
        let job = |j: &looplab_core::trace::QueuedView| JobData {
            label: j.label.clone(),
            kind: j.kind.map(|k| kebab(&k)),
            promise: j.promise,
        };
        let skip = view.promises.len().saturating_sub(MAX_PROMISES);
        ViewData {
            run,
            request: 0,
            step: view.step,
            phase: phase_name(view.phase),
            clock_ns: view.clock_ns,
            call_stack: view
                .call_stack
                .iter()
                .map(|f| FrameData {
                    name: f.function.clone(),
                    line: f.line,
                    locals: f
                        .locals
                        .iter()
                        .map(|(n, v)| (n.clone(), show_value(v)))
                        .collect(),
                })
                .collect(),
            next_ticks: view.next_ticks.iter().map(job).collect(),
            microtasks: view.microtasks.iter().map(job).collect(),
            timers: view
                .timers
                .iter()
                .map(|t| TimerData {
                    id: t.id,
                    label: t.label.clone(),
                    due_ms: t.due_ms,
                    repeat: t.repeat,
                })
                .collect(),
            immediates: view.immediates.iter().map(job).collect(),
            pending_io: view
                .pending_io
                .iter()
                .map(|io| IoData {
                    label: io.label.clone(),
                    due_ns: io.due_ns,
                    pooled: io.pooled,
                    ready: io.ready,
                })
                .collect(),
            thread_pool: view
                .threadpool
                .iter()
                .map(|s| {
                    s.as_ref().map(|s| SlotData {
                        label: s.label.clone(),
                        cost_ns: s.cost_ns,
                        cpu: s.cpu,
                    })
                })
                .collect(),
            pool_queue: view
                .threadpool_queue
                .iter()
                .map(|q| q.label.clone())
                .collect(),
            promises: view.promises[skip..]
                .iter()
                .map(|p| PromiseData {
                    id: p.id,
                    status: kebab(&p.status),
                    handled: p.handled,
                    value: p.value.as_ref().map(show_value),
                    waiters: p
                        .waiters
                        .iter()
                        .map(|w| WaiterData {
                            handler: w.handler.clone(),
                            derived: w.derived,
                        })
                        .collect(),
                })
                .collect(),
            promises_total: view.promises.len() as u32,
            console_lines: view.console_lines,
            current: view
                .current
                .as_ref()
                .map(|(q, l)| (queue_name(*q).to_string(), l.clone())),
            // only lines of the program in the editor are highlighted (a worker's `eval`
            // code is another file)
            span: view
                .call_stack
                .last()
                .filter(|f| f.file == 0)
                .and_then(|f| f.span),
            line: view
                .call_stack
                .last()
                .filter(|f| f.file == 0)
                .and_then(|f| f.line),
            narration: NarrationData {
                text: step.narration.clone(),
                rule: step.rule.to_string(),
                concept: step.concept.to_string(),
                alternatives: step.alternatives.clone(),
            },
        }
    }
}

/// Formats virtual nanoseconds as milliseconds for display ("12.5 ms").
pub fn format_ms(ns: u64) -> String {
    let ms = ns as f64 / 1e6;
    if ns.is_multiple_of(1_000_000) {
        format!("{} ms", ns / 1_000_000)
    } else if ms < 10.0 {
        format!("{ms:.3} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use looplab_core::trace::record;
    use looplab_core::RunOptions;

    #[test]
    fn navigation_targets() {
        let callbacks = [3, 6];
        let t = |nav, from| nav_target(nav, from, 8, &callbacks, |s| Some(s + 2));
        assert_eq!(t(Nav::Back, 0), 0);
        assert_eq!(t(Nav::Forward, 7), 7);
        assert_eq!(t(Nav::Seek, 99), 7);
        assert_eq!(t(Nav::Over, 1), 3);
        assert_eq!(t(Nav::NextCallback, 0), 3);
        assert_eq!(t(Nav::NextCallback, 3), 6);
        assert_eq!(t(Nav::NextCallback, 6), 7);
        assert_eq!(t(Nav::PrevCallback, 4), 3);
        assert_eq!(t(Nav::PrevCallback, 3), 0);
        assert_eq!(t(Nav::Start, 5), 0);
        assert_eq!(t(Nav::End, 0), 7);
        assert_eq!(nav_target(Nav::End, 0, 0, &[], |_| None), 0);
    }

    #[test]
    fn markers_are_thinned_per_kind() {
        let src = "for (let i = 0; i < 3000; i++) console.log(i);\nsetTimeout(() => {}, 1);";
        let (_, trace) = record(src, &RunOptions::default());
        let t = Timeline::of(&trace);
        assert_eq!(t.len as usize, trace.len());
        let console = t
            .markers
            .iter()
            .filter(|m| m.kind == MarkerKind::Console)
            .count();
        assert!((100..=MARKERS_PER_KIND).contains(&console), "{console}");
        assert!(t.markers.iter().any(|m| m.kind == MarkerKind::Callback));
        assert!(t
            .markers
            .iter()
            .any(|m| m.kind == MarkerKind::Phase && m.label == "timers"));
        assert!(t.markers.windows(2).all(|w| w[0].step < w[1].step));
    }

    #[test]
    fn a_view_carries_every_pane() {
        let src = "const p = Promise.resolve(1);\np.then(function h(v) { console.log(v); });\nprocess.nextTick(() => {});\nsetTimeout(() => {}, 5);\n";
        let (_, trace) = record(src, &RunOptions::default());
        let i = (0..trace.len())
            .find(|&i| trace.step(i).rule == "stack.empty.main-done")
            .unwrap();
        let v = ViewData::new(7, &trace.view(i), &trace.step(i));
        assert_eq!(v.run, 7);
        assert_eq!(v.phase, "main");
        assert_eq!(v.next_ticks.len(), 1);
        assert_eq!(v.microtasks[0].kind.as_deref(), Some("reaction"));
        assert_eq!(v.microtasks[0].label, "h");
        assert_eq!(v.microtasks[0].promise, Some(1));
        assert_eq!(v.timers[0].due_ms, 5);
        assert_eq!(v.promises[0].status, "fulfilled");
        assert_eq!(v.promises[0].value.as_deref(), Some("1"));
        assert_eq!(v.promises[0].waiters[0].handler, "h");
        assert_eq!(v.narration.rule, "stack.empty.main-done");
        assert_eq!(v.thread_pool.len(), 4);
    }

    #[test]
    fn milliseconds_read_well() {
        assert_eq!(format_ms(5_000_000), "5 ms");
        assert_eq!(format_ms(1_250_000), "1.250 ms");
        assert_eq!(format_ms(12_345_678), "12.3 ms");
    }
}
