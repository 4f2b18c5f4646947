//! Deterministic CPU-heavy kernels for the parallel lab.
//!
//! Every kernel runs on whatever rayon pool is current (`pool.install(...)`), so the caller
//! decides the thread count; every kernel returns a checksum that is the same for every
//! thread count and both schedules. Nothing here starts threads of its own or reads a clock of
//! its own: time comes from a caller-supplied clock, `&(dyn Fn() -> f64 + Sync)` returning milliseconds, because on wasm the
//! clock is `performance.now()`.
//!
//! - [`job`]: the uniform job API ([`run_job`], [`JobSpec`], [`JobOutput`], [`KernelId`]).
//! - [`schedule`]: static blocks vs work stealing, and the per-chunk timeline ([`ChunkSpan`]).
//! - [`mandelbrot`], [`primes`], [`blur`], [`sort`]: the kernels.
//! - [`race`]: the lost-update demo (load-then-store vs `fetch_add`).
//! - [`stats`]: median, spread and the Amdahl's-law fit for the measured points.
//! - [`hash`]: the checksums.

pub mod blur;
pub mod hash;
pub mod job;
pub mod mandelbrot;
pub mod primes;
pub mod race;
pub mod schedule;
pub mod sort;
pub mod stats;

pub use job::{run_job, JobError, JobOutput, JobSpec, KernelId};
pub use schedule::{ChunkSpan, ClockFn, Schedule, Timeline};
