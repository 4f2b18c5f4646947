//! The Mandelbrot set: each row is independent, rows near the set cost far more than rows
//! outside it, which makes it the classic load-imbalance example.
//!
//! What it teaches: with [`Schedule::StaticChunks`] each thread gets one horizontal band; the band
//! through the middle of the set costs several times more than the bands at the top and bottom,
//! so those threads finish early and idle. With [`Schedule::WorkStealing`] the rows are cut into
//! many small bands and the imbalance disappears.
//!
//! The frame is deliberately off-centre (the real axis, where the set is thickest, lies at 38 %
//! of the height), so the imbalance shows from two threads on. Counting iterations per band
//! (1500 iterations, 512²) the best possible efficiency of static bands (mean band cost / most
//! expensive band) is 0.64 with 2 threads, 0.53 with 3 and 0.41 with 4.
//!
//! [`render_tiles`] paints into shared atomic buffers and records which thread painted each row, so the page can show the image (and who
//! painted what) while the kernel is still running.
//!
//! ## SIMD
//! On `wasm32` with `simd128` the inner loop runs two pixels at once in an `f64x2` vector
//! (`escape_time_x2`): the per-lane operations are exactly the scalar ones, in the same order (no
//! fused multiply-add exists in `simd128`), and a lane stops counting the moment it escapes, so the
//! iteration counts are bit-identical to [`escape_time`]. Two lanes because the image is computed in
//! `f64`; `f32x4` would be twice as wide but would change the picture, and the checksum, compared
//! with the native `f64` path. Measured in Node 20 / V8: 1.8–1.9× faster than the scalar loop
//! (which LLVM cannot vectorise: every pixel stops after a different number of iterations).
//! Natively the scalar path is used (tested); the wasm path is checked against it, bit for bit, by
//! `examples/wasm_simd_check.rs`.

use crate::job::{JobError, JobOutput, KernelId};
use crate::schedule::{block_range, chunk_count, Schedule, Timeline};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};

/// What to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MandelbrotParams {
    pub width: u32,
    pub height: u32,
    pub max_iter: u32,
}

/// The most pixels [`render_tiles`] (and a job) accepts: 4096 × 4096.
pub const MAX_PIXELS: u64 = 4096 * 4096;
/// The largest `max_iter` [`render_tiles`] accepts.
pub const MAX_ITER: u32 = 100_000;

/// The part of the complex plane shown: `x0..x1` × `y0..y1`.
const VIEW: (f64, f64, f64, f64) = (-2.0, 0.6, -1.0, 1.6);

impl MandelbrotParams {
    /// The size the lab uses by default (about 0.4 s for one thread in the browser here).
    pub const DEFAULT: MandelbrotParams = MandelbrotParams {
        width: 1024,
        height: 1024,
        max_iter: 1000,
    };

    /// The size of a job with scale factor 1.0 ([`crate::run_job`]): the same picture as
    /// [`MandelbrotParams::DEFAULT`] with 1.5× the iterations, so that one native thread takes about
    /// a second on the lab machine (2 × AMD EPYC cores: 1.0–1.2 s).
    pub const JOB_DEFAULT: MandelbrotParams = MandelbrotParams {
        width: 1024,
        height: 1024,
        max_iter: 1500,
    };

    /// [`MandelbrotParams::JOB_DEFAULT`] with about `size` times as many pixels (same aspect, same
    /// `max_iter`), at least 1 × 1. `size` must already be validated (finite, positive).
    pub fn scaled(size: f64) -> MandelbrotParams {
        let base = MandelbrotParams::JOB_DEFAULT;
        let side = |n: u32| ((n as f64 * size.sqrt()).round() as u32).max(1);
        MandelbrotParams {
            width: side(base.width),
            height: side(base.height),
            max_iter: base.max_iter,
        }
    }

    /// `width * height`.
    pub fn pixels(&self) -> u64 {
        self.width as u64 * self.height as u64
    }

    /// Checks the limits ([`MAX_PIXELS`], [`MAX_ITER`], non-empty).
    pub fn validate(&self) -> Result<(), JobError> {
        if self.width == 0 || self.height == 0 || self.pixels() > MAX_PIXELS {
            return Err(JobError::TooLarge {
                what: format!("{}x{} image", self.width, self.height),
                limit: format!("1 to {MAX_PIXELS} pixels"),
            });
        }
        if self.max_iter > MAX_ITER {
            return Err(JobError::TooLarge {
                what: format!("max_iter {}", self.max_iter),
                limit: format!("at most {MAX_ITER}"),
            });
        }
        Ok(())
    }

    fn cx(&self, col: usize) -> f64 {
        let (x0, x1, _, _) = VIEW;
        x0 + (x1 - x0) * col as f64 / self.width as f64
    }

    fn cy(&self, row: usize) -> f64 {
        let (_, _, y0, y1) = VIEW;
        y0 + (y1 - y0) * row as f64 / self.height as f64
    }
}

/// Iteration count for one pixel: how many steps of z ← z² + c stay within |z| ≤ 2, at most
/// `max_iter`. The scalar reference for the SIMD path.
pub fn escape_time(cx: f64, cy: f64, max_iter: u32) -> u32 {
    let (mut x, mut y) = (0.0f64, 0.0f64);
    let mut i = 0;
    while i < max_iter && x * x + y * y <= 4.0 {
        let xt = x * x - y * y + cx;
        y = 2.0 * x * y + cy;
        x = xt;
        i += 1;
    }
    i
}

/// Fills one row of iteration counts with the scalar code (the reference path).
pub fn render_row_scalar(params: &MandelbrotParams, row: usize, cells: &mut [u32]) {
    let cy = params.cy(row);
    for (col, cell) in cells.iter_mut().enumerate() {
        *cell = escape_time(params.cx(col), cy, params.max_iter);
    }
}

/// Fills one row with the fastest path for the target (SIMD on wasm with `simd128`).
pub fn render_row(params: &MandelbrotParams, row: usize, cells: &mut [u32]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::render_row_simd(params, row, cells);
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        render_row_scalar(params, row, cells);
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::{escape_time, MandelbrotParams};
    use core::arch::wasm32::*;

    /// Two pixels at once; per lane exactly the operations of [`escape_time`].
    fn escape_time_x2(cx: v128, cy: f64, max_iter: u32) -> (u32, u32) {
        let cy = f64x2_splat(cy);
        let two = f64x2_splat(2.0);
        let four = f64x2_splat(4.0);
        let (mut x, mut y) = (f64x2_splat(0.0), f64x2_splat(0.0));
        let mut active = i64x2_splat(-1);
        let mut counts = i64x2_splat(0);
        let mut i = 0;
        while i < max_iter {
            let xx = f64x2_mul(x, x);
            let yy = f64x2_mul(y, y);
            active = v128_and(active, f64x2_le(f64x2_add(xx, yy), four));
            if !v128_any_true(active) {
                break;
            }
            // An active lane is all ones (-1): subtracting it adds one to that lane's count.
            counts = i64x2_sub(counts, active);
            let xt = f64x2_add(f64x2_sub(xx, yy), cx);
            y = f64x2_add(f64x2_mul(f64x2_mul(two, x), y), cy);
            x = xt;
            i += 1;
        }
        (
            i64x2_extract_lane::<0>(counts) as u32,
            i64x2_extract_lane::<1>(counts) as u32,
        )
    }

    pub(super) fn render_row_simd(params: &MandelbrotParams, row: usize, cells: &mut [u32]) {
        let cy = params.cy(row);
        let mut pairs = cells.chunks_exact_mut(2);
        let mut col = 0;
        for pair in &mut pairs {
            let cx = f64x2(params.cx(col), params.cx(col + 1));
            let (a, b) = escape_time_x2(cx, cy, params.max_iter);
            pair[0] = a;
            pair[1] = b;
            col += 2;
        }
        for cell in pairs.into_remainder() {
            *cell = escape_time(params.cx(col), cy, params.max_iter);
        }
    }
}

/// Renders iteration counts into `out` (row-major, `width * height` cells) on the current rayon
/// pool, row by row, and returns a checksum of the image.
///
/// Panics if `out.len() != width * height` (the page always passes a matching buffer); use
/// [`render_tiles`] for a checked, timed, schedule-aware render.
pub fn render(params: &MandelbrotParams, out: &mut [u32]) -> u64 {
    let w = params.width as usize;
    assert_eq!(
        out.len(),
        w * params.height as usize,
        "output buffer has the wrong size"
    );
    if w == 0 {
        return checksum(out);
    }
    out.par_chunks_mut(w)
        .enumerate()
        .for_each(|(row, cells)| render_row(params, row, cells));
    checksum(out)
}

/// FNV-1a over the iteration counts: order-sensitive, so a misplaced row changes it.
pub fn checksum(cells: &[u32]) -> u64 {
    crate::hash::fnv1a_u32(cells)
}

/// Renders into shared buffers that the page may read while the kernel runs, recording which
/// thread painted each row.
///
/// - `out`: `width * height` cells, row-major; each cell receives its iteration count.
/// - `row_owner`: `height` cells; set to 0 at the start, then to `thread index + 1` once the row
///   is painted (0 therefore means "not painted yet").
///
/// Rows are the unit of work: static chunks give each thread one band of `height / threads`
/// rows, work stealing cuts the rows into `chunk_count(...)` bands (see [`chunk_count`]). All
/// stores are `Relaxed` atomics, so concurrent reads are sound (a reader may see a row
/// half-painted, never a torn cell). Returns the timeline and the same checksum as [`render`].
pub fn render_tiles(
    params: &MandelbrotParams,
    out: &[AtomicU32],
    row_owner: &[AtomicU32],
    schedule: Schedule,
    chunks_hint: u32,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<JobOutput, JobError> {
    params.validate()?;
    let (w, h) = (params.width as usize, params.height as usize);
    check_len("image buffer", w * h, out.len())?;
    check_len("row owner buffer", h, row_owner.len())?;
    for owner in row_owner {
        owner.store(0, Ordering::Relaxed);
    }

    let timeline = Timeline::new(clock);
    let chunks = chunk_count(schedule, chunks_hint, h);
    let bands: Vec<_> = (0..chunks).map(|i| block_range(h, chunks, i)).collect();
    let start_ms = timeline.now();
    timeline.run_phase(schedule, bands, |_, rows| {
        let painter = rayon::current_thread_index().unwrap_or(0) as u32 + 1;
        let mut line = vec![0u32; w];
        for row in rows {
            render_row(params, row, &mut line);
            for (cell, &value) in out[row * w..(row + 1) * w].iter().zip(&line) {
                cell.store(value, Ordering::Relaxed);
            }
            row_owner[row].store(painter, Ordering::Relaxed);
        }
    });
    let elapsed_ms = timeline.now() - start_ms;

    let checksum = out.iter().fold(crate::hash::FNV_OFFSET, |h, c| {
        (h ^ c.load(Ordering::Relaxed) as u64).wrapping_mul(crate::hash::FNV_PRIME)
    });
    Ok(JobOutput {
        kernel: KernelId::Mandelbrot,
        schedule,
        threads: rayon::current_num_threads() as u32,
        size: params.pixels() as f64 / MandelbrotParams::JOB_DEFAULT.pixels() as f64,
        checksum,
        items: params.pixels(),
        elapsed_ms,
        chunks: timeline.into_spans(),
    })
}

fn check_len(what: &str, expected: usize, actual: usize) -> Result<(), JobError> {
    if expected == actual {
        Ok(())
    } else {
        Err(JobError::BufferLength {
            what: what.to_string(),
            expected,
            actual,
        })
    }
}

/// Allocates the shared buffers and runs [`render_tiles`] (what [`crate::run_job`] does).
pub(crate) fn run(
    params: &MandelbrotParams,
    schedule: Schedule,
    chunks_hint: u32,
    clock: &(dyn Fn() -> f64 + Sync),
) -> Result<JobOutput, JobError> {
    params.validate()?;
    let out: Vec<AtomicU32> = (0..params.pixels()).map(|_| AtomicU32::new(0)).collect();
    let owner: Vec<AtomicU32> = (0..params.height).map(|_| AtomicU32::new(0)).collect();
    render_tiles(params, &out, &owner, schedule, chunks_hint, clock)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_clock() -> f64 {
        0.0
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    const SMALL: MandelbrotParams = MandelbrotParams {
        width: 64,
        height: 48,
        max_iter: 200,
    };

    #[test]
    fn checksum_does_not_depend_on_thread_count() {
        let run = |threads| {
            let mut out = vec![0; 64 * 48];
            pool(threads).install(|| render(&SMALL, &mut out))
        };
        assert_eq!(run(1), run(3));
    }

    #[test]
    fn render_matches_a_plain_sequential_loop() {
        let mut out = vec![0; 64 * 48];
        let got = render(&SMALL, &mut out);
        let mut expected = Vec::new();
        for row in 0..48 {
            let cy = -1.0 + 2.6 * row as f64 / 48.0;
            for col in 0..64 {
                expected.push(escape_time(-2.0 + 2.6 * col as f64 / 64.0, cy, 200));
            }
        }
        assert_eq!(out, expected);
        assert_eq!(got, checksum(&expected));
        assert!(
            expected.contains(&200) && expected.contains(&1),
            "image has both inside and outside"
        );
    }

    #[test]
    fn render_tiles_equals_render_for_every_thread_count_and_schedule() {
        let mut reference = vec![0; 64 * 48];
        let expected = render(&SMALL, &mut reference);
        for threads in [1, 2, 3] {
            for schedule in Schedule::ALL {
                let out: Vec<AtomicU32> = (0..64 * 48).map(|_| AtomicU32::new(0)).collect();
                let owner: Vec<AtomicU32> = (0..48).map(|_| AtomicU32::new(0)).collect();
                let result = pool(threads)
                    .install(|| render_tiles(&SMALL, &out, &owner, schedule, 0, &no_clock))
                    .unwrap();
                assert_eq!(result.checksum, expected, "{threads} threads, {schedule:?}");
                let image: Vec<u32> = out.iter().map(|c| c.load(Ordering::Relaxed)).collect();
                assert_eq!(image, reference);
                for o in &owner {
                    let o = o.load(Ordering::Relaxed);
                    assert!((1..=threads as u32).contains(&o), "every row has a painter");
                }
                if schedule == Schedule::StaticChunks {
                    assert_eq!(result.chunks.len(), threads);
                    // Static bands: the owners are thread 1's band, then thread 2's, ...
                    let owners: Vec<u32> =
                        owner.iter().map(|o| o.load(Ordering::Relaxed)).collect();
                    let mut sorted = owners.clone();
                    sorted.sort();
                    assert_eq!(owners, sorted);
                }
            }
        }
    }

    #[test]
    fn render_tiles_refuses_bad_buffers_and_limits() {
        let out: Vec<AtomicU32> = (0..10).map(|_| AtomicU32::new(0)).collect();
        let owner: Vec<AtomicU32> = (0..48).map(|_| AtomicU32::new(0)).collect();
        let err = render_tiles(&SMALL, &out, &owner, Schedule::WorkStealing, 0, &no_clock);
        assert!(matches!(err, Err(JobError::BufferLength { .. })));
        let huge = MandelbrotParams {
            width: 1 << 20,
            height: 1 << 20,
            max_iter: 10,
        };
        assert!(matches!(huge.validate(), Err(JobError::TooLarge { .. })));
        let empty = MandelbrotParams {
            width: 0,
            height: 10,
            max_iter: 10,
        };
        assert!(empty.validate().is_err());
        let endless = MandelbrotParams {
            width: 8,
            height: 8,
            max_iter: u32::MAX,
        };
        assert!(endless.validate().is_err());
    }

    #[test]
    fn static_bands_are_uneven_from_two_threads_on() {
        // The frame is off-centre (the real axis sits at 38% of the height), so even two equal
        // bands of rows cost different amounts: static chunks leave one thread idle.
        let p = MandelbrotParams {
            width: 128,
            height: 120,
            max_iter: 500,
        };
        let mut out = vec![0; 128 * 120];
        render(&p, &mut out);
        let band_costs = |bands: usize| -> Vec<u64> {
            (0..bands)
                .map(|i| {
                    let rows = block_range(120, bands, i);
                    out[rows.start * 128..rows.end * 128]
                        .iter()
                        .map(|&c| c as u64)
                        .sum()
                })
                .collect()
        };
        let two = band_costs(2);
        assert!(
            two[0] as f64 > 1.5 * two[1] as f64,
            "the half holding the real axis is the heavy one: {two:?}"
        );
        let three = band_costs(3);
        let heaviest = *three.iter().max().unwrap() as f64;
        let total: u64 = three.iter().sum();
        assert!(
            heaviest > 0.45 * total as f64,
            "one of three bands holds almost half the work: {three:?}"
        );
    }

    #[test]
    fn render_accepts_an_empty_image() {
        let p = MandelbrotParams {
            width: 0,
            height: 0,
            max_iter: 10,
        };
        assert_eq!(render(&p, &mut []), checksum(&[]));
    }

    #[test]
    fn scaled_keeps_the_picture_and_changes_the_pixel_count() {
        assert_eq!(MandelbrotParams::scaled(1.0), MandelbrotParams::JOB_DEFAULT);
        let quarter = MandelbrotParams::scaled(0.25);
        assert_eq!((quarter.width, quarter.height), (512, 512));
        let tiny = MandelbrotParams::scaled(1e-12);
        assert_eq!((tiny.width, tiny.height), (1, 1));
    }
}
