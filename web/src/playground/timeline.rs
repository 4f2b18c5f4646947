//! The trace's shape as the page needs it to move around without asking the worker: step
//! count, where callbacks start, call depth per step, and the scrubber's markers. Also the
//! view of one step, as the worker sends it. Pure; tested natively.

use serde::{Deserialize, Serialize};

/// What a scrubber marker stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarkerKind {
    /// The event loop entered another phase.
    Phase,
    /// A line was printed.
    Console,
}

/// A mark on the scrubber.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub step: u32,
    pub kind: MarkerKind,
    pub label: String,
}

/// Everything about a recorded trace the page keeps.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Number of steps.
    pub len: u32,
    /// Steps where a callback (macrotask, tick or microtask) starts, ascending.
    pub callbacks: Vec<u32>,
    /// Call depth after each step (same length as the trace).
    pub depths: Vec<u16>,
    pub markers: Vec<Marker>,
}

impl Timeline {
    /// The last step index (0 for an empty trace).
    pub fn last(&self) -> u32 {
        self.len.saturating_sub(1)
    }

    /// The first callback start after `from`.
    pub fn next_callback(&self, from: u32) -> Option<u32> {
        let i = self.callbacks.partition_point(|&s| s <= from);
        self.callbacks.get(i).copied()
    }

    /// The last callback start before `from`.
    pub fn prev_callback(&self, from: u32) -> Option<u32> {
        let i = self.callbacks.partition_point(|&s| s < from);
        i.checked_sub(1).map(|i| self.callbacks[i])
    }

    /// The next step at the same call depth as `from` or shallower: steps over calls.
    pub fn step_over(&self, from: u32) -> Option<u32> {
        let depth = *self.depths.get(from as usize)?;
        self.depths
            .iter()
            .enumerate()
            .skip(from as usize + 1)
            .find(|(_, &d)| d <= depth)
            .map(|(i, _)| i as u32)
    }
}

/// A frame of the call stack at a step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameData {
    pub name: String,
    pub line: Option<u32>,
    /// (name, inspected value).
    pub locals: Vec<(String, String)>,
}

/// A queued job.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobData {
    pub label: String,
    /// Microtasks only: reaction, resolve-thenable, await-resume or callback.
    pub kind: Option<String>,
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
    pub done_ns: u64,
}

/// A promise and its state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PromiseData {
    pub id: u32,
    /// pending, fulfilled or rejected.
    pub status: String,
    pub handled: bool,
}

/// What the core says about a step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NarrationData {
    pub text: String,
    pub rule: String,
    pub concept: String,
    /// For nondeterministic points: the other possible orders and why.
    pub alternatives: Vec<String>,
}

/// The full view after one step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ViewData {
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
    pub promises: Vec<PromiseData>,
    /// How many console lines have been printed by this step.
    pub console_lines: u32,
    /// The callback being run: (queue, label).
    pub current: Option<(String, String)>,
    /// The source span of the statement being executed (UTF-8 byte offsets).
    pub span: Option<(u32, u32)>,
    pub line: Option<u32>,
    pub narration: NarrationData,
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

    fn timeline() -> Timeline {
        Timeline {
            len: 8,
            callbacks: vec![0, 3, 6],
            depths: vec![1, 2, 2, 1, 2, 3, 1, 0],
            markers: vec![],
        }
    }

    #[test]
    fn callbacks_forward_and_back() {
        let t = timeline();
        assert_eq!(t.next_callback(0), Some(3));
        assert_eq!(t.next_callback(3), Some(6));
        assert_eq!(t.next_callback(6), None);
        assert_eq!(t.prev_callback(4), Some(3));
        assert_eq!(t.prev_callback(3), Some(0));
        assert_eq!(t.prev_callback(0), None);
    }

    #[test]
    fn step_over_skips_deeper_steps() {
        let t = timeline();
        assert_eq!(t.step_over(0), Some(3));
        assert_eq!(t.step_over(1), Some(2));
        assert_eq!(t.step_over(3), Some(6));
        assert_eq!(t.step_over(7), None);
        assert_eq!(t.step_over(99), None);
        assert_eq!(t.last(), 7);
        assert_eq!(Timeline::default().last(), 0);
    }

    #[test]
    fn milliseconds_read_well() {
        assert_eq!(format_ms(5_000_000), "5 ms");
        assert_eq!(format_ms(1_250_000), "1.250 ms");
        assert_eq!(format_ms(12_345_678), "12.3 ms");
    }
}
