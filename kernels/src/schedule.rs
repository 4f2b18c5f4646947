//! Schedules and the per-chunk timeline.
//!
//! This module is the heart of what the lab teaches about *scheduling*: the same work can be cut
//! into pieces in two ways.
//!
//! - [`Schedule::StaticChunks`]: exactly [`rayon::current_num_threads`] contiguous blocks, one per
//!   thread, handed out with [`rayon::broadcast`] so that thread *i* really processes block *i*.
//!   Cheap to organise, but if some blocks are more expensive (Mandelbrot rows near the set) the
//!   other threads finish early and wait: load imbalance.
//! - [`Schedule::WorkStealing`]: many small chunks (by default [`DEFAULT_CHUNKS_PER_THREAD`] per
//!   thread) that rayon's work-stealing deques spread over the threads; an idle thread steals the
//!   next chunk, so the threads finish at nearly the same time.
//!
//! Every chunk is timed with a caller-supplied clock (milliseconds, e.g. `performance.now()` on
//! wasm, where `std::time::Instant` does not exist) and recorded as a [`ChunkSpan`]: which thread
//! ran which chunk, from when to when. The page draws these spans as a per-thread timeline.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

/// A clock returning milliseconds (any fixed origin): natively e.g. an `Instant`-based closure,
/// on wasm `performance.now()`. Functions take it as `&(dyn Fn() -> f64 + Sync)`; this alias
/// is for code that stores one (the lifetime is the closure's).
pub type ClockFn<'a> = dyn Fn() -> f64 + Sync + 'a;

/// Work-stealing cuts the work into this many chunks per thread when no hint is given.
pub const DEFAULT_CHUNKS_PER_THREAD: usize = 16;
/// Upper limit for the number of chunks of one phase (larger hints are clamped to it), which also
/// bounds the size of the timeline a job returns.
pub const MAX_CHUNKS: usize = 4096;

/// How work is divided among the threads of the current rayon pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Schedule {
    /// Many small chunks, balanced dynamically by rayon's work stealing.
    #[default]
    WorkStealing,
    /// One contiguous block per thread, decided up front.
    StaticChunks,
}

impl Schedule {
    /// Both schedules, in display order.
    pub const ALL: [Schedule; 2] = [Schedule::WorkStealing, Schedule::StaticChunks];

    /// Short machine-friendly name (`"work-stealing"`, `"static"`).
    pub fn name(self) -> &'static str {
        match self {
            Schedule::WorkStealing => "work-stealing",
            Schedule::StaticChunks => "static",
        }
    }

    /// One line for the page.
    pub fn description(self) -> &'static str {
        match self {
            Schedule::WorkStealing => {
                "many small chunks; idle threads steal the next one, so uneven work evens out"
            }
            Schedule::StaticChunks => {
                "one contiguous block per thread, fixed up front; uneven blocks leave threads idle"
            }
        }
    }

    /// Parses [`Schedule::name`].
    pub fn from_name(name: &str) -> Option<Schedule> {
        Schedule::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// One chunk of work as it happened: which thread ran it and when.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChunkSpan {
    /// Chunk number, unique within one job. Phases are numbered one after the other: a job with
    /// two phases of 8 chunks has chunks 0..8 for the first phase and 8..16 for the second.
    pub chunk: u32,
    /// `rayon::current_thread_index()` of the thread that ran the chunk (0 outside a pool).
    pub thread: u32,
    /// Clock reading when the chunk started, in milliseconds.
    pub start_ms: f64,
    /// Clock reading when the chunk ended, in milliseconds.
    pub end_ms: f64,
}

/// Number of chunks one phase of `units` indivisible units of work is cut into on the current
/// pool: exactly one per thread for static chunks (some may be empty when there are fewer units
/// than threads); for work stealing `chunks_hint` (0 = [`DEFAULT_CHUNKS_PER_THREAD`] × threads),
/// clamped to `1..=MAX_CHUNKS` and to at most `units`.
pub fn chunk_count(schedule: Schedule, chunks_hint: u32, units: usize) -> usize {
    let threads = rayon::current_num_threads().max(1);
    match schedule {
        Schedule::StaticChunks => threads,
        Schedule::WorkStealing => {
            let wanted = if chunks_hint == 0 {
                threads.saturating_mul(DEFAULT_CHUNKS_PER_THREAD)
            } else {
                chunks_hint as usize
            };
            wanted.clamp(1, MAX_CHUNKS).min(units.max(1))
        }
    }
}

/// The `index`-th of `chunks` near-equal contiguous blocks of `0..units`.
pub fn block_range(units: usize, chunks: usize, index: usize) -> Range<usize> {
    let chunks = chunks.max(1) as u128;
    let at = |i: usize| (units as u128 * i as u128 / chunks) as usize;
    at(index)..at(index + 1)
}

/// Collects [`ChunkSpan`]s from all threads of a job (shared by the chunks of all its phases).
pub struct Timeline<'c> {
    clock: &'c (dyn Fn() -> f64 + Sync),
    spans: Mutex<Vec<ChunkSpan>>,
    next_chunk: AtomicU32,
}

impl<'c> Timeline<'c> {
    pub fn new(clock: &'c (dyn Fn() -> f64 + Sync)) -> Self {
        Timeline {
            clock,
            spans: Mutex::new(Vec::new()),
            next_chunk: AtomicU32::new(0),
        }
    }

    pub fn now(&self) -> f64 {
        (self.clock)()
    }

    /// Reserves `count` consecutive chunk numbers and returns the first.
    pub(crate) fn reserve(&self, count: usize) -> u32 {
        self.next_chunk.fetch_add(count as u32, Ordering::Relaxed)
    }

    /// Runs `work` as chunk number `chunk`, recording when and on which thread it ran.
    pub(crate) fn time<R>(&self, chunk: u32, work: impl FnOnce() -> R) -> R {
        let thread = rayon::current_thread_index().unwrap_or(0) as u32;
        let start_ms = self.now();
        let result = work();
        let end_ms = self.now();
        let span = ChunkSpan {
            chunk,
            thread,
            start_ms,
            end_ms,
        };
        self.spans
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(span);
        result
    }

    /// Like [`Timeline::time`] with the next free chunk number.
    pub(crate) fn time_next<R>(&self, work: impl FnOnce() -> R) -> R {
        let chunk = self.reserve(1);
        self.time(chunk, work)
    }

    /// The recorded spans, sorted by chunk number.
    pub fn into_spans(self) -> Vec<ChunkSpan> {
        let mut spans = self.spans.into_inner().unwrap_or_else(|e| e.into_inner());
        spans.sort_by_key(|s| s.chunk);
        spans
    }

    /// Runs one phase: `work(i, item)` for every item, each item being one chunk, scheduled as
    /// `schedule` says, and returns the results in item order.
    ///
    /// For [`Schedule::StaticChunks`] the items are dealt out with [`rayon::broadcast`]: thread
    /// `t` runs items `t`, `t + threads`, … (exactly item `t` when there are as many items as
    /// threads, which is how the kernels call it). For [`Schedule::WorkStealing`] every item is a
    /// separate rayon task.
    pub(crate) fn run_phase<T, R, F>(&self, schedule: Schedule, items: Vec<T>, work: F) -> Vec<R>
    where
        T: Send,
        R: Send,
        F: Fn(usize, T) -> R + Sync,
    {
        let first = self.reserve(items.len());
        match schedule {
            Schedule::WorkStealing => items
                .into_par_iter()
                .enumerate()
                .with_max_len(1)
                .map(|(i, item)| self.time(first + i as u32, || work(i, item)))
                .collect(),
            Schedule::StaticChunks => {
                let count = items.len();
                let slots: Vec<Mutex<Option<T>>> = items
                    .into_iter()
                    .map(|item| Mutex::new(Some(item)))
                    .collect();
                let per_thread: Vec<Vec<(usize, R)>> = rayon::broadcast(|ctx| {
                    let mut done = Vec::new();
                    let mut i = ctx.index();
                    while i < count {
                        let item = slots[i].lock().unwrap_or_else(|e| e.into_inner()).take();
                        if let Some(item) = item {
                            done.push((i, self.time(first + i as u32, || work(i, item))));
                        }
                        i += ctx.num_threads().max(1);
                    }
                    done
                });
                let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
                for (i, r) in per_thread.into_iter().flatten() {
                    results[i] = Some(r);
                }
                results
                    .into_iter()
                    .map(|r| r.expect("broadcast ran every item"))
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zero_clock() -> f64 {
        0.0
    }

    #[test]
    fn blocks_cover_the_range_without_gaps() {
        for (units, chunks) in [(10, 3), (3, 10), (0, 4), (1000, 7)] {
            let mut next = 0;
            for i in 0..chunks {
                let r = block_range(units, chunks, i);
                assert_eq!(r.start, next);
                next = r.end;
            }
            assert_eq!(next, units);
        }
    }

    #[test]
    fn static_chunks_give_one_chunk_to_each_thread() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        pool.install(|| {
            assert_eq!(chunk_count(Schedule::StaticChunks, 99, 1000), 3);
            let timeline = Timeline::new(&zero_clock);
            let items: Vec<usize> = (0..3).collect();
            let out = timeline.run_phase(Schedule::StaticChunks, items, |i, item| (i, item * 10));
            assert_eq!(out, vec![(0, 0), (1, 10), (2, 20)]);
            let spans = timeline.into_spans();
            let threads: Vec<u32> = spans.iter().map(|s| s.thread).collect();
            assert_eq!(threads, vec![0, 1, 2], "chunk i runs on thread i");
        });
    }

    #[test]
    fn work_stealing_chunk_count_follows_the_hint_within_limits() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        pool.install(|| {
            assert_eq!(
                chunk_count(Schedule::WorkStealing, 0, 1_000_000),
                2 * DEFAULT_CHUNKS_PER_THREAD
            );
            assert_eq!(chunk_count(Schedule::WorkStealing, 5, 1_000_000), 5);
            assert_eq!(
                chunk_count(Schedule::WorkStealing, u32::MAX, 1_000_000),
                MAX_CHUNKS
            );
            assert_eq!(chunk_count(Schedule::WorkStealing, 50, 7), 7);
            assert_eq!(chunk_count(Schedule::WorkStealing, 50, 0), 1);
        });
    }

    #[test]
    fn work_stealing_phase_returns_results_in_item_order_and_times_every_chunk() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        pool.install(|| {
            let timeline = Timeline::new(&zero_clock);
            let out =
                timeline.run_phase(Schedule::WorkStealing, (0..50).collect(), |_, x: u32| x * 2);
            assert_eq!(out, (0..50).map(|x| x * 2).collect::<Vec<_>>());
            let again = timeline.run_phase(Schedule::WorkStealing, vec![1, 2], |_, x: u32| x);
            assert_eq!(again, vec![1, 2]);
            let spans = timeline.into_spans();
            let chunks: Vec<u32> = spans.iter().map(|s| s.chunk).collect();
            assert_eq!(
                chunks,
                (0..52).collect::<Vec<_>>(),
                "phases are numbered consecutively"
            );
        });
    }

    #[test]
    fn schedule_names_round_trip() {
        for s in Schedule::ALL {
            assert_eq!(Schedule::from_name(s.name()), Some(s));
        }
        assert_eq!(Schedule::from_name("nope"), None);
    }
}
