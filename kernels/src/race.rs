//! The lost-update race: every thread of the current pool adds 1 to one shared counter, many
//! times.
//!
//! What it teaches: `counter = counter + 1` is three steps (read, add, write). With
//! [`CounterUpdate::LoadThenStore`] two threads can read the same value and both write value + 1,
//! so one increment is lost; the final count comes out below `threads × increments` by a
//! different amount on every run. [`CounterUpdate::FetchAdd`] makes the read-modify-write one
//! indivisible hardware operation and never loses an update (at a price the timing shows: the
//! threads fight over the same cache line). Both use atomic loads and stores, so there is no
//! undefined behaviour: this is a *logical* race, which is exactly what JavaScript's
//! `SharedArrayBuffer` users meet with `Atomics.load`/`Atomics.store` vs `Atomics.add`.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Most increments per thread accepted; larger requests are clamped to it.
pub const MAX_INCREMENTS_PER_THREAD: u64 = 100_000_000;
/// The threads wait at most this long for each other before starting (so a busy pool cannot
/// hang the demo).
pub const START_BARRIER_TIMEOUT_MS: f64 = 200.0;

/// How each thread adds 1 to the shared counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CounterUpdate {
    /// `let v = c.load(); c.store(v + 1);` — a read-modify-write that is not atomic as a whole.
    LoadThenStore,
    /// `c.fetch_add(1)` — one atomic read-modify-write.
    FetchAdd,
}

impl CounterUpdate {
    /// Both variants.
    pub const ALL: [CounterUpdate; 2] = [CounterUpdate::LoadThenStore, CounterUpdate::FetchAdd];

    /// Short name (`"load-then-store"`, `"fetch-add"`).
    pub fn name(self) -> &'static str {
        match self {
            CounterUpdate::LoadThenStore => "load-then-store",
            CounterUpdate::FetchAdd => "fetch-add",
        }
    }
}

/// The result of one race.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaceOutcome {
    pub update: CounterUpdate,
    /// Threads that took part (`rayon::current_num_threads()`).
    pub threads: u32,
    /// Increments each thread performed (after clamping).
    pub increments_per_thread: u64,
    /// `threads × increments_per_thread`: what a correct counter ends at.
    pub expected: u64,
    /// What the counter actually ended at (never more than `expected`).
    pub final_count: u64,
    /// `expected - final_count`.
    pub lost_updates: u64,
    /// Clock time of the whole race, in milliseconds.
    pub elapsed_ms: f64,
}

/// Clamps a requested increment count to `0..=MAX_INCREMENTS_PER_THREAD`.
pub fn clamp_increments(increments_per_thread: u64) -> u64 {
    increments_per_thread.min(MAX_INCREMENTS_PER_THREAD)
}

/// Runs the race on every thread of the current rayon pool (via `rayon::broadcast`), each thread
/// adding 1 `increments_per_thread` times (clamped, see [`MAX_INCREMENTS_PER_THREAD`]). The
/// threads first meet at a spinning start barrier so that they really overlap.
pub fn race_counter(
    update: CounterUpdate,
    increments_per_thread: u64,
    clock: &(dyn Fn() -> f64 + Sync),
) -> RaceOutcome {
    let increments = clamp_increments(increments_per_thread);
    let counter = AtomicU64::new(0);
    let arrived = AtomicUsize::new(0);
    let start_ms = clock();
    let per_thread = rayon::broadcast(|ctx| {
        arrived.fetch_add(1, Ordering::AcqRel);
        let mut spins = 0u32;
        while arrived.load(Ordering::Acquire) < ctx.num_threads() {
            std::hint::spin_loop();
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(1024) && clock() - start_ms > START_BARRIER_TIMEOUT_MS {
                break;
            }
        }
        match update {
            CounterUpdate::LoadThenStore => {
                for _ in 0..increments {
                    // black_box keeps read, add and write as separate steps: without it the
                    // compiler may fuse them into one (still not atomic, but a much narrower
                    // window, e.g. x86's non-locked `inc [mem]`).
                    let seen = std::hint::black_box(counter.load(Ordering::Relaxed));
                    counter.store(seen + 1, Ordering::Relaxed);
                }
            }
            CounterUpdate::FetchAdd => {
                for _ in 0..increments {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    });
    let elapsed_ms = clock() - start_ms;
    let threads = per_thread.len() as u64;
    let expected = threads * increments;
    let final_count = counter.into_inner();
    RaceOutcome {
        update,
        threads: threads as u32,
        increments_per_thread: increments,
        expected,
        final_count,
        lost_updates: expected.saturating_sub(final_count),
        elapsed_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn fetch_add_never_loses_an_update() {
        let origin = Instant::now();
        let clock = move || origin.elapsed().as_secs_f64() * 1000.0;
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let outcome = pool.install(|| race_counter(CounterUpdate::FetchAdd, 200_000, &clock));
            assert_eq!(outcome.threads, threads as u32);
            assert_eq!(outcome.final_count, threads as u64 * 200_000);
            assert_eq!(outcome.lost_updates, 0);
            assert!(outcome.elapsed_ms >= 0.0);
        }
    }

    #[test]
    fn load_then_store_counts_at_most_the_expected_total() {
        let origin = Instant::now();
        let clock = move || origin.elapsed().as_secs_f64() * 1000.0;
        let single = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let alone = single.install(|| race_counter(CounterUpdate::LoadThenStore, 100_000, &clock));
        assert_eq!(
            alone.final_count, 100_000,
            "one thread cannot race with itself"
        );
        for threads in [2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let outcome =
                pool.install(|| race_counter(CounterUpdate::LoadThenStore, 200_000, &clock));
            assert_eq!(outcome.expected, threads as u64 * 200_000);
            assert!(outcome.final_count <= outcome.expected);
            // A stale write can undo any number of other threads' increments (a thread that
            // read 5, was descheduled, then wrote 6 erases everything done meanwhile), so the
            // only lower bound is the classic one: the last write of some thread is at least 2.
            assert!(
                outcome.final_count >= 2,
                "a lost-update race still ends at 2 or more, got {}",
                outcome.final_count
            );
            assert_eq!(outcome.lost_updates, outcome.expected - outcome.final_count);
        }
    }

    #[test]
    fn absurd_increment_counts_are_clamped() {
        assert_eq!(clamp_increments(u64::MAX), MAX_INCREMENTS_PER_THREAD);
        assert_eq!(clamp_increments(5), 5);
        let zero = race_counter(CounterUpdate::FetchAdd, 0, &|| 0.0);
        assert_eq!((zero.expected, zero.final_count), (0, 0));
    }
}
