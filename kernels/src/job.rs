//! The uniform job API that the page and the benchmarks use.
//!
//! A [`JobSpec`] names a kernel, a size (a scale factor, 1.0 = the kernel's default size, chosen so
//! that one native thread takes roughly a second), a [`Schedule`] and a chunk-count hint.
//! [`run_job`] runs it on the *current* rayon pool — the caller picks the thread count with
//! `pool.install(|| run_job(..))` — and returns a [`JobOutput`]: a checksum that must not depend
//! on the thread count or the schedule, the amount of work done, the elapsed time, and the
//! per-chunk timeline ([`ChunkSpan`]).
//!
//! ## Limits
//! - `size` must be finite and > 0, otherwise [`JobError::InvalidSize`].
//! - `size` is then clamped to `MIN_SIZE..=kernel.max_size()`; `max_size` is [`MAX_SIZE`] (16×
//!   the default work) or less where the memory would exceed [`MAX_JOB_BYTES`] (256 MiB; the wasm
//!   build has at most 1 GiB of memory in all). [`JobOutput::size`] reports the size used.
//! - `chunks_hint` is clamped to `1..=`[`crate::schedule::MAX_CHUNKS`] per phase (0 means
//!   [`KernelId::default_chunks_per_thread`] × threads; see [`crate::schedule::chunk_count`]).
//!
//! No input makes a job panic or allocate without bound.

use crate::schedule::{ChunkSpan, Schedule};
use crate::{blur, mandelbrot, primes, sort};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Smallest scale factor; smaller positive sizes are raised to it.
pub const MIN_SIZE: f64 = 1e-6;
/// Largest scale factor for any kernel (16× the default work, ~16 s on one native thread).
pub const MAX_SIZE: f64 = 16.0;
/// Most memory one job may allocate for its data.
pub const MAX_JOB_BYTES: u64 = 256 << 20;

/// The kernels of the parallel lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KernelId {
    Mandelbrot,
    Primes,
    Blur,
    Sort,
}

impl KernelId {
    /// All kernels, in display order.
    pub const ALL: [KernelId; 4] = [
        KernelId::Mandelbrot,
        KernelId::Primes,
        KernelId::Blur,
        KernelId::Sort,
    ];

    /// Short machine-friendly name (`"mandelbrot"`, `"primes"`, `"blur"`, `"sort"`).
    pub fn name(self) -> &'static str {
        match self {
            KernelId::Mandelbrot => "mandelbrot",
            KernelId::Primes => "primes",
            KernelId::Blur => "blur",
            KernelId::Sort => "sort",
        }
    }

    /// One line for the page.
    pub fn description(self) -> &'static str {
        match self {
            KernelId::Mandelbrot => {
                "Mandelbrot set, row by row: rows through the set cost far more, so static blocks are uneven"
            }
            KernelId::Primes => "count primes below N with a segmented sieve: equal segments, evenly balanced work",
            KernelId::Blur => {
                "separable 9-tap blur of a generated image, several passes: each pass waits for the previous one"
            }
            KernelId::Sort => {
                "merge sort of pseudo-random numbers with rayon::join: parallel halves, then ever-larger merges"
            }
        }
    }

    /// Parses [`KernelId::name`].
    pub fn from_name(name: &str) -> Option<KernelId> {
        KernelId::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Work-stealing chunks per thread and phase when the job gives no hint: 16, except for the
    /// blur, whose work is uniform and which has 128 phases (4 keeps its timeline readable), and
    /// Mandelbrot, whose rows differ most in cost: a chunk of rows through the set costs many
    /// times one beside it, and the thread that draws the last heavy chunk finishes alone; with
    /// 64 (8 rows each at 2 threads) that tail is short (at 2 threads, natively 1.84× with 16 and
    /// 1.94× with 64; in Chromium 1.79–1.80× with 16 and 1.87–1.90× with 64).
    pub fn default_chunks_per_thread(self) -> u32 {
        match self {
            KernelId::Blur => 4,
            KernelId::Mandelbrot => 64,
            _ => crate::schedule::DEFAULT_CHUNKS_PER_THREAD as u32,
        }
    }

    /// The chunk-count hint a job of this kernel runs with on the current pool: `hint`, or for 0
    /// [`KernelId::default_chunks_per_thread`] × threads.
    pub fn chunks_hint(self, hint: u32) -> u32 {
        match hint {
            0 => (rayon::current_num_threads() as u32)
                .saturating_mul(self.default_chunks_per_thread()),
            hint => hint,
        }
    }

    /// Bytes of data a job of size 1.0 allocates.
    pub fn default_bytes(self) -> u64 {
        match self {
            KernelId::Mandelbrot => {
                let p = mandelbrot::MandelbrotParams::JOB_DEFAULT;
                p.pixels() * 4 + p.height as u64 * 4
            }
            KernelId::Primes => primes::SEGMENT_BYTES as u64 * 64,
            KernelId::Blur => blur::BlurParams::DEFAULT.pixels() * 2,
            KernelId::Sort => sort::SortParams::DEFAULT.len as u64 * 8,
        }
    }

    /// Largest accepted scale factor for this kernel (see the module docs).
    pub fn max_size(self) -> f64 {
        let by_memory = MAX_JOB_BYTES as f64 / self.default_bytes().max(1) as f64;
        let by_pixels = match self {
            KernelId::Mandelbrot => {
                mandelbrot::MAX_PIXELS as f64
                    / mandelbrot::MandelbrotParams::JOB_DEFAULT.pixels() as f64
            }
            _ => f64::INFINITY,
        };
        MAX_SIZE.min(by_memory).min(by_pixels)
    }
}

impl fmt::Display for KernelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One run of one kernel.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobSpec {
    pub kernel: KernelId,
    /// Scale factor of the work; 1.0 = the kernel's default size.
    pub size: f64,
    pub schedule: Schedule,
    /// Number of chunks per phase for work stealing; 0 = the kernel's
    /// [`KernelId::default_chunks_per_thread`] × threads. Ignored by static chunks, which always
    /// use one chunk per thread.
    pub chunks_hint: u32,
}

impl JobSpec {
    /// The default-size, work-stealing job of `kernel`.
    pub fn new(kernel: KernelId) -> JobSpec {
        JobSpec {
            kernel,
            size: 1.0,
            schedule: Schedule::WorkStealing,
            chunks_hint: 0,
        }
    }
}

/// What a job computed and how it was scheduled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobOutput {
    pub kernel: KernelId,
    pub schedule: Schedule,
    /// `rayon::current_num_threads()` during the job.
    pub threads: u32,
    /// The scale factor actually used (after clamping).
    pub size: f64,
    /// Identical for every thread count and both schedules. Serialized as a decimal string,
    /// because a `u64` does not fit a JavaScript number.
    #[serde(with = "u64_as_decimal_string")]
    pub checksum: u64,
    /// Units of work: pixels (Mandelbrot), numbers sieved (primes), pixels × iterations (blur),
    /// elements sorted (sort).
    pub items: u64,
    /// Clock time from the first chunk's phase to the end of the last one (input generation and
    /// the final checksum excluded), in milliseconds.
    pub elapsed_ms: f64,
    /// The timeline, sorted by chunk number.
    pub chunks: Vec<ChunkSpan>,
}

/// Serde helpers: a `u64` as a decimal string (JSON and JS numbers lose bits above 2⁵³).
pub mod u64_as_decimal_string {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(D::Error::custom)
    }
}

/// Why a job was refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum JobError {
    /// The scale factor is NaN, infinite, zero or negative.
    InvalidSize { size: f64 },
    /// A caller-provided buffer has the wrong length.
    BufferLength {
        what: String,
        expected: usize,
        actual: usize,
    },
    /// A parameter is beyond the documented limit.
    TooLarge { what: String, limit: String },
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::InvalidSize { size } => {
                write!(f, "size must be a finite number > 0, got {size}")
            }
            JobError::BufferLength {
                what,
                expected,
                actual,
            } => {
                write!(f, "{what} has {actual} cells, expected {expected}")
            }
            JobError::TooLarge { what, limit } => write!(f, "{what} is out of range: {limit}"),
        }
    }
}

impl std::error::Error for JobError {}

/// Validates and clamps `size` for `kernel` (see the module docs).
pub fn effective_size(kernel: KernelId, size: f64) -> Result<f64, JobError> {
    if !size.is_finite() || size <= 0.0 {
        return Err(JobError::InvalidSize { size });
    }
    Ok(size.clamp(MIN_SIZE, kernel.max_size()))
}

/// Runs `spec` on the current rayon pool, timing chunks with `clock` (milliseconds).
pub fn run_job(spec: &JobSpec, clock: &(dyn Fn() -> f64 + Sync)) -> Result<JobOutput, JobError> {
    let size = effective_size(spec.kernel, spec.size)?;
    let spec = &JobSpec {
        chunks_hint: spec.kernel.chunks_hint(spec.chunks_hint),
        ..*spec
    };
    let mut output = match spec.kernel {
        KernelId::Mandelbrot => mandelbrot::run(
            &mandelbrot::MandelbrotParams::scaled(size),
            spec.schedule,
            spec.chunks_hint,
            clock,
        )?,
        KernelId::Primes => primes::run(
            &primes::PrimesParams::scaled(size),
            spec.schedule,
            spec.chunks_hint,
            clock,
        ),
        KernelId::Blur => blur::run(
            &blur::BlurParams::scaled(size),
            spec.schedule,
            spec.chunks_hint,
            clock,
        ),
        KernelId::Sort => sort::run(
            &sort::SortParams::scaled(size),
            spec.schedule,
            spec.chunks_hint,
            clock,
        ),
    };
    output.size = size;
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_clock() -> f64 {
        0.0
    }

    #[test]
    fn every_kernel_has_the_same_checksum_for_1_2_3_threads_and_both_schedules() {
        for kernel in KernelId::ALL {
            let mut seen = None;
            for threads in [1, 2, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                for schedule in Schedule::ALL {
                    let spec = JobSpec {
                        kernel,
                        size: 0.0003,
                        schedule,
                        chunks_hint: 0,
                    };
                    let out = pool.install(|| run_job(&spec, &no_clock)).unwrap();
                    assert_eq!(out.threads, threads as u32);
                    assert!(out.items > 0);
                    assert!(!out.chunks.is_empty());
                    if schedule == Schedule::StaticChunks {
                        assert_eq!(
                            out.chunks.len() % threads,
                            0,
                            "{kernel}: one chunk per thread per phase"
                        );
                    }
                    match seen {
                        None => seen = Some((out.checksum, out.items)),
                        Some(first) => {
                            assert_eq!(
                                (out.checksum, out.items),
                                first,
                                "{kernel} {threads} threads {schedule:?}"
                            )
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn runs_on_a_pool_made_of_the_calling_thread() {
        // The page's fallback when it cannot build a threaded pool.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .unwrap();
        for kernel in KernelId::ALL {
            for schedule in Schedule::ALL {
                let spec = JobSpec {
                    kernel,
                    size: 0.0003,
                    schedule,
                    chunks_hint: 0,
                };
                let here = pool.install(|| run_job(&spec, &no_clock)).unwrap();
                let elsewhere = rayon::ThreadPoolBuilder::new()
                    .num_threads(2)
                    .build()
                    .unwrap()
                    .install(|| run_job(&spec, &no_clock))
                    .unwrap();
                assert_eq!(here.threads, 1);
                assert_eq!(here.checksum, elsewhere.checksum, "{kernel} {schedule:?}");
            }
        }
    }

    #[test]
    fn absurd_sizes_are_refused_or_clamped() {
        for kernel in KernelId::ALL {
            for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.0, -1.0] {
                assert!(
                    matches!(
                        effective_size(kernel, bad),
                        Err(JobError::InvalidSize { .. })
                    ),
                    "{kernel} {bad}"
                );
                let spec = JobSpec {
                    size: bad,
                    ..JobSpec::new(kernel)
                };
                assert!(run_job(&spec, &no_clock).is_err());
            }
            let max = kernel.max_size();
            assert!(max > 1.0 && max <= MAX_SIZE, "{kernel} max {max}");
            assert_eq!(effective_size(kernel, 1e300).unwrap(), max);
            assert_eq!(effective_size(kernel, 1e-300).unwrap(), MIN_SIZE);
            assert!(kernel.default_bytes() as f64 * max <= MAX_JOB_BYTES as f64);
            // The smallest job still runs and does some work.
            let tiny = JobSpec {
                size: 1e-300,
                chunks_hint: u32::MAX,
                ..JobSpec::new(kernel)
            };
            let out = run_job(&tiny, &no_clock).unwrap();
            assert_eq!(out.size, MIN_SIZE);
            assert!(out.items >= 1);
        }
    }

    #[test]
    fn kernel_names_round_trip_and_serde_works() {
        for kernel in KernelId::ALL {
            assert_eq!(KernelId::from_name(kernel.name()), Some(kernel));
            assert!(!kernel.description().is_empty());
        }
        let spec = JobSpec {
            kernel: KernelId::Blur,
            size: 0.5,
            schedule: Schedule::StaticChunks,
            chunks_hint: 7,
        };
        let json = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<JobSpec>(&json).unwrap(), spec);
        let output = run_job(
            &JobSpec {
                size: 0.0003,
                ..JobSpec::new(KernelId::Sort)
            },
            &no_clock,
        )
        .unwrap();
        let json = serde_json::to_string(&output).unwrap();
        assert!(
            json.contains(&format!("\"checksum\":\"{}\"", output.checksum)),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<JobOutput>(&json).unwrap(), output);
    }

    #[test]
    fn chunk_spans_use_the_clock() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let ticks = AtomicU64::new(0);
        let clock = || ticks.fetch_add(1, Ordering::Relaxed) as f64;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let out = pool
            .install(|| {
                run_job(
                    &JobSpec {
                        size: 0.001,
                        ..JobSpec::new(KernelId::Primes)
                    },
                    &clock,
                )
            })
            .unwrap();
        assert!(out.elapsed_ms > 0.0);
        for span in &out.chunks {
            assert!(span.end_ms > span.start_ms);
            assert!(span.thread < 2);
        }
    }
}
