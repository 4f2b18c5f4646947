//! Keyframes and seeking: the state after any step is rebuilt from the nearest keyframe by
//! replaying the records after it (O([`KEYFRAME_INTERVAL`])); a [`Seeker`] (or a [`Cursor`]
//! borrowing its trace) keeps a position and steps forward incrementally; "step over" and
//! "next callback" find their target steps. See `docs/trace.md` ("Keyframes and seeking").

use super::{Record, State, Trace, ViewState};
use crate::recorder::Queue;

/// Minimum number of records between keyframes.
pub const KEYFRAME_INTERVAL: usize = 1024;

impl Trace {
    /// The replay state after records[..k] for the nearest keyframe at or before `k`.
    fn keyframe_for(&self, k: usize) -> (usize, &State) {
        let i = self.keyframes.partition_point(|kf| kf.0 as usize <= k);
        let (at, s) = &self.keyframes[i.saturating_sub(1)];
        (*at as usize, s)
    }

    /// The internal state after step `i` (before any step if `i` is `None`).
    pub fn state_after(&self, i: Option<usize>) -> State {
        let k = i.map(|i| i + 1).unwrap_or(0).min(self.records.len());
        let (at, s) = self.keyframe_for(k);
        let mut s = s.clone();
        for r in &self.records[at..k] {
            s.apply(r);
        }
        s
    }

    /// A cursor for stepping through the trace.
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            trace: self,
            seeker: Seeker::default(),
        }
    }

    /// Steps where the event loop hands a macrotask to JavaScript (a timer, immediate or I/O
    /// callback is taken from its queue), ascending: the stops of "next / previous callback".
    pub fn callback_starts(&self) -> Vec<u32> {
        self.records
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                matches!(
                    r,
                    Record::Run {
                        queue: Queue::Timer | Queue::Immediate | Queue::Io,
                        ..
                    }
                )
            })
            .map(|(i, _)| i as u32)
            .collect()
    }

    /// "Step over" from step `i`: the next statement of the same frame, skipping the steps of
    /// any call it makes; the step where the frame is left if it ends first. From a step with
    /// an empty stack, the next step where the stack is empty again (a whole callback).
    /// `None` at the end of the trace.
    pub fn step_over(&self, i: usize) -> Option<usize> {
        if i + 1 >= self.records.len() {
            return None;
        }
        let depth = self.state_after(Some(i)).frames.len();
        let mut d = depth;
        for (j, r) in self.records.iter().enumerate().skip(i + 1) {
            match *r {
                Record::Call { depth, .. } | Record::Return { depth } => d = depth as usize,
                Record::Run { .. } | Record::Phase { .. } => d = 0,
                _ => {}
            }
            let same_frame_statement =
                d == depth && (depth == 0 || matches!(r, Record::Stmt { .. }));
            if d < depth || same_frame_statement {
                return Some(j);
            }
        }
        Some(self.records.len() - 1)
    }
}

/// A position in a trace with its replayed state, owned apart from the trace (so a long-lived
/// session, like the page's simulator worker, can keep both): `seek` jumps anywhere in
/// O(keyframe interval), and moving forward from the current position replays only the
/// records in between.
#[derive(Clone, Debug, Default)]
pub struct Seeker {
    /// Number of records applied.
    pos: usize,
    state: State,
}

impl Seeker {
    /// Number of records applied so far (the state is "after step pos-1").
    pub fn position(&self) -> usize {
        self.pos
    }
    /// The replay state.
    pub fn state(&self) -> &State {
        &self.state
    }
    /// Applies the next record of `trace`; false at the end.
    pub fn forward(&mut self, trace: &Trace) -> bool {
        match trace.records.get(self.pos) {
            Some(r) => {
                self.state.apply(r);
                self.pos += 1;
                true
            }
            None => false,
        }
    }
    /// Moves to the state after step `i` of `trace`.
    pub fn seek(&mut self, trace: &Trace, i: usize) {
        let k = (i + 1).min(trace.records.len());
        let (at, s) = trace.keyframe_for(k);
        if !(k >= self.pos && at <= self.pos) {
            self.state = s.clone();
            self.pos = at;
        }
        while self.pos < k {
            self.forward(trace);
        }
    }
    /// The view at this position.
    pub fn view(&self, trace: &Trace) -> ViewState {
        trace.render(self.pos.saturating_sub(1), &self.state)
    }
}

/// A [`Seeker`] borrowing its trace.
pub struct Cursor<'a> {
    trace: &'a Trace,
    seeker: Seeker,
}

impl<'a> Cursor<'a> {
    /// Number of records applied so far (the state is "after step pos-1").
    pub fn position(&self) -> usize {
        self.seeker.position()
    }
    /// The replay state.
    pub fn state(&self) -> &State {
        self.seeker.state()
    }
    /// Applies the next record; false at the end.
    pub fn forward(&mut self) -> bool {
        self.seeker.forward(self.trace)
    }
    /// Moves to the state after step `i`.
    pub fn seek(&mut self, i: usize) {
        self.seeker.seek(self.trace, i)
    }
    /// The view at the cursor.
    pub fn view(&self) -> ViewState {
        self.seeker.view(self.trace)
    }
}
