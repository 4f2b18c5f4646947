//! A separable blur of a procedurally generated grey-scale image.
//!
//! What it teaches: *phases* and *barriers*. One iteration is a horizontal pass (every row on its
//! own) followed by a vertical pass (every output row reads nine input rows). Within a pass the
//! rows are independent and split among the threads; but the vertical pass may not start before
//! the horizontal one has finished everywhere, so every pass ends with all threads waiting for the
//! slowest. The timeline shows the passes as bands separated by these joins. The work is even
//! (every pixel costs the same), and it streams through memory, so it also shows that memory
//! bandwidth, not only cores, limits the speed-up.
//!
//! The filter is the 9-tap binomial kernel `[1, 8, 28, 56, 70, 56, 28, 8, 1] / 256` (a close
//! approximation of a Gaussian) applied horizontally, rounded to `u8`, then vertically, rounded
//! again; edges repeat the border pixel. Everything is integer arithmetic, so the result is the
//! same bit for bit on every platform, thread count and schedule. The image is generated from
//! integer formulas (checkerboard, rings, hash noise): no image files.
//!
//! ## SIMD
//! On `wasm32` with `simd128` both passes compute 16 pixels per step in two `u16x8` vectors
//! (widen `u8` → `u16`, multiply-add the nine taps using their symmetry, add 128, shift by 8,
//! narrow back). The largest possible sum, 255 · 256 + 128, fits in 16 bits, so the vector
//! arithmetic never wraps and gives exactly the integers of the scalar path. The vertical pass
//! loads the nine rows directly; the horizontal pass loads 24 bytes once and builds the nine
//! shifted windows with lane shuffles. Border pixels and row tails use the scalar code.
//!
//! Measured (Node 20 / V8, 1024², `examples/wasm_simd_check.rs`): vertical pass 1.2× faster than
//! the scalar code, horizontal pass on par (1.02×). The gain is small because with `simd128`
//! enabled LLVM already auto-vectorises the scalar loops; the explicit version is kept because it
//! is never slower, is bit-identical, and shows the technique. A first version that used nine
//! unaligned loads and array temporaries was 0.8× — slower than the auto-vectorised scalar code.
//! Natively the scalar path runs (auto-vectorised with SSE2); tests compare it with a naive
//! reference, and `wasm_simd_check` compares the wasm SIMD path with the scalar one.

use crate::job::{JobOutput, KernelId};
use crate::schedule::{block_range, chunk_count, Schedule, Timeline};
use rayon::prelude::*;
use std::ops::Range;

/// The filter taps; they sum to 256.
pub const TAPS: [u32; 9] = [1, 8, 28, 56, 70, 56, 28, 8, 1];
/// Taps on each side of the centre.
pub const RADIUS: usize = 4;

/// What to blur.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlurParams {
    pub width: u32,
    pub height: u32,
    /// Each iteration is one horizontal and one vertical pass.
    pub iterations: u32,
}

impl BlurParams {
    /// Size 1.0 of a job: 4096 × 4096, 64 iterations (about a second on one native thread of the
    /// lab machine; each pixel pass is cheap, so it takes many).
    pub const DEFAULT: BlurParams = BlurParams {
        width: 4096,
        height: 4096,
        iterations: 64,
    };

    /// [`BlurParams::DEFAULT`] with about `size` times as many pixels (already validated).
    pub fn scaled(size: f64) -> BlurParams {
        let base = BlurParams::DEFAULT;
        let side = |n: u32| ((n as f64 * size.sqrt()).round() as u32).max(1);
        BlurParams {
            width: side(base.width),
            height: side(base.height),
            iterations: base.iterations,
        }
    }

    /// `width * height`.
    pub fn pixels(&self) -> u64 {
        self.width as u64 * self.height as u64
    }
}

/// The built-in test image: checkerboard, concentric rings and hash noise, from integers only.
pub fn generate_image(width: usize, height: usize) -> Vec<u8> {
    let mut image = vec![0u8; width * height];
    if width == 0 {
        return image;
    }
    image
        .par_chunks_mut(width)
        .enumerate()
        .for_each(|(y, row)| {
            for (x, pixel) in row.iter_mut().enumerate() {
                let checker = (((x >> 6) ^ (y >> 6)) & 1) as u32 * 110;
                let (dx, dy) = (x as i64 - width as i64 / 3, y as i64 - height as i64 / 2);
                let ring = (((dx * dx + dy * dy) >> 7) & 0x7f) as u32;
                let noise = (crate::hash::mix64((y * width + x) as u64) & 31) as u32;
                *pixel = (checker + ring + noise).min(255) as u8;
            }
        });
    image
}

fn weigh(window: [u8; 9]) -> u8 {
    let sum: u32 = window.iter().zip(TAPS).map(|(&p, t)| p as u32 * t).sum();
    ((sum + 128) >> 8) as u8
}

/// One output pixel of the horizontal pass, border clamped.
fn horizontal_pixel(src: &[u8], x: usize) -> u8 {
    let last = src.len() - 1;
    weigh(std::array::from_fn(|k| {
        src[(x + k).saturating_sub(RADIUS).min(last)]
    }))
}

/// Horizontal pass over one row, scalar reference path. `src.len() == dst.len()`.
pub fn blur_row_scalar(src: &[u8], dst: &mut [u8]) {
    let w = src.len();
    if w <= 2 * RADIUS {
        for (x, out) in dst.iter_mut().enumerate() {
            *out = horizontal_pixel(src, x);
        }
        return;
    }
    for x in (0..RADIUS).chain(w - RADIUS..w) {
        dst[x] = horizontal_pixel(src, x);
    }
    for (out, window) in dst[RADIUS..w - RADIUS]
        .iter_mut()
        .zip(src.windows(2 * RADIUS + 1))
    {
        *out = weigh(window.try_into().expect("window of 9"));
    }
}

/// Vertical pass for one output row from its nine (border-clamped) input rows, scalar path.
pub fn blur_column_scalar(rows: [&[u8]; 9], dst: &mut [u8]) {
    for (x, out) in dst.iter_mut().enumerate() {
        *out = weigh(std::array::from_fn(|k| rows[k][x]));
    }
}

/// Horizontal pass over one row with the fastest path for the target.
pub fn blur_row(src: &[u8], dst: &mut [u8]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    simd::blur_row_simd(src, dst);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    blur_row_scalar(src, dst);
}

/// Vertical pass for one row with the fastest path for the target.
pub fn blur_column(rows: [&[u8]; 9], dst: &mut [u8]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    simd::blur_column_simd(rows, dst);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    blur_column_scalar(rows, dst);
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::{blur_column_scalar, horizontal_pixel, RADIUS, TAPS};
    use core::arch::wasm32::*;

    /// Weighted sum of nine `u16x8` vectors with the symmetric taps
    /// `(a0 + a8) + 8 (a1 + a7) + 28 (a2 + a6) + 56 (a3 + a5) + 70 a4`, rounded and shifted.
    #[inline(always)]
    fn weigh8(a: [v128; 9]) -> v128 {
        let mut sum = u16x8_add(u16x8_add(a[0], a[8]), u16x8_splat(128));
        sum = u16x8_add(sum, u16x8_shl(u16x8_add(a[1], a[7]), 3));
        sum = u16x8_add(
            sum,
            u16x8_mul(u16x8_add(a[2], a[6]), u16x8_splat(TAPS[2] as u16)),
        );
        sum = u16x8_add(
            sum,
            u16x8_mul(u16x8_add(a[3], a[5]), u16x8_splat(TAPS[3] as u16)),
        );
        sum = u16x8_add(sum, u16x8_mul(a[4], u16x8_splat(TAPS[4] as u16)));
        u16x8_shr(sum, 8)
    }

    /// The nine windows `lanes k .. k + 8` of the 16 lanes `a ++ b`, for k = 0..=8.
    #[inline(always)]
    fn windows(a: v128, b: v128) -> [v128; 9] {
        macro_rules! window {
            ($k:literal) => {
                u16x8_shuffle::<
                    $k,
                    { $k + 1 },
                    { $k + 2 },
                    { $k + 3 },
                    { $k + 4 },
                    { $k + 5 },
                    { $k + 6 },
                    { $k + 7 },
                >(a, b)
            };
        }
        [
            a,
            window!(1),
            window!(2),
            window!(3),
            window!(4),
            window!(5),
            window!(6),
            window!(7),
            b,
        ]
    }

    /// 16 output pixels from nine source pointers (`src[k]` is where tap `k` reads).
    ///
    /// # Safety
    /// Each `src[k]` must point to 16 readable bytes and `dst` to 16 writable bytes.
    #[inline(always)]
    unsafe fn blur16(src: [*const u8; 9], dst: *mut u8) {
        let v: [v128; 9] = std::array::from_fn(|k| v128_load(src[k] as *const v128));
        let low = weigh8(std::array::from_fn(|k| u16x8_extend_low_u8x16(v[k])));
        let high = weigh8(std::array::from_fn(|k| u16x8_extend_high_u8x16(v[k])));
        v128_store(dst as *mut v128, u8x16_narrow_i16x8(low, high));
    }

    pub(super) fn blur_row_simd(src: &[u8], dst: &mut [u8]) {
        let w = src.len();
        assert_eq!(dst.len(), w);
        let mut x = 0;
        while x < w.min(RADIUS) {
            dst[x] = horizontal_pixel(src, x);
            x += 1;
        }
        while x + 16 + RADIUS <= w {
            // Two loads cover src[x - 4 .. x + 20]; widened to u16 they are three vectors e0, e1,
            // e2 of 8 pixels, and the nine shifted windows are lane shuffles of neighbours.
            // SAFETY: RADIUS <= x and x + 16 + RADIUS <= w, so both 16-byte loads are within the
            // row, and dst[x .. x + 16] is within dst (same length).
            unsafe {
                let v0 = v128_load(src.as_ptr().add(x - RADIUS) as *const v128);
                let v1 = v128_load(src.as_ptr().add(x + RADIUS) as *const v128);
                let (e0, e1, e2) = (
                    u16x8_extend_low_u8x16(v0),
                    u16x8_extend_high_u8x16(v0),
                    u16x8_extend_high_u8x16(v1),
                );
                let low = weigh8(windows(e0, e1));
                let high = weigh8(windows(e1, e2));
                v128_store(
                    dst.as_mut_ptr().add(x) as *mut v128,
                    u8x16_narrow_i16x8(low, high),
                );
            }
            x += 16;
        }
        while x < w {
            dst[x] = horizontal_pixel(src, x);
            x += 1;
        }
    }

    pub(super) fn blur_column_simd(rows: [&[u8]; 9], dst: &mut [u8]) {
        let w = dst.len();
        for row in rows {
            assert!(row.len() >= w);
        }
        let mut x = 0;
        while x + 16 <= w {
            // SAFETY: x + 16 <= w <= every row's length and dst's length.
            unsafe {
                blur16(
                    std::array::from_fn(|k| rows[k].as_ptr().add(x)),
                    dst.as_mut_ptr().add(x),
                )
            };
            x += 16;
        }
        let tail: [&[u8]; 9] = std::array::from_fn(|k| &rows[k][x..w]);
        blur_column_scalar(tail, &mut dst[x..]);
    }
}

/// Cuts `buf` (rows of `width`) into the row bands `bands`, which must be contiguous from row 0.
fn split_bands<'a>(
    mut buf: &'a mut [u8],
    width: usize,
    bands: &[Range<usize>],
) -> Vec<(Range<usize>, &'a mut [u8])> {
    let mut parts = Vec::with_capacity(bands.len());
    for band in bands {
        let (head, tail) = std::mem::take(&mut buf).split_at_mut(band.len() * width);
        parts.push((band.clone(), head));
        buf = tail;
    }
    parts
}

/// The nine source rows for output row `y` of the vertical pass (border rows repeated).
fn row_window(src: &[u8], width: usize, height: usize, y: usize) -> [&[u8]; 9] {
    std::array::from_fn(|k| {
        let row = (y + k).saturating_sub(RADIUS).min(height - 1);
        &src[row * width..(row + 1) * width]
    })
}

/// Blurs `image` (`width * height`, row-major) in place, `iterations` times, on the current
/// pool; every pass is a phase of row bands, recorded in `timeline`. Panics if
/// `image.len() != width * height`.
pub fn blur_in_place(
    image: &mut [u8],
    width: usize,
    height: usize,
    iterations: u32,
    schedule: Schedule,
    chunks_hint: u32,
    timeline: &Timeline<'_>,
) {
    assert_eq!(image.len(), width * height, "image has the wrong size");
    if image.is_empty() {
        return;
    }
    let mut scratch = vec![0u8; image.len()];
    let chunks = chunk_count(schedule, chunks_hint, height);
    let bands: Vec<_> = (0..chunks)
        .map(|i| block_range(height, chunks, i))
        .collect();
    for _ in 0..iterations {
        let src: &[u8] = image;
        timeline.run_phase(
            schedule,
            split_bands(&mut scratch, width, &bands),
            |_, (rows, dst)| {
                for (y, out) in rows.zip(dst.chunks_exact_mut(width)) {
                    blur_row(&src[y * width..(y + 1) * width], out);
                }
            },
        );
        let src: &[u8] = &scratch;
        timeline.run_phase(
            schedule,
            split_bands(image, width, &bands),
            |_, (rows, dst)| {
                for (y, out) in rows.zip(dst.chunks_exact_mut(width)) {
                    blur_column(row_window(src, width, height, y), out);
                }
            },
        );
    }
}

pub(crate) fn run(
    params: &BlurParams,
    schedule: Schedule,
    chunks_hint: u32,
    clock: &(dyn Fn() -> f64 + Sync),
) -> JobOutput {
    let (w, h) = (params.width as usize, params.height as usize);
    let mut image = generate_image(w, h);
    let timeline = Timeline::new(clock);
    let start_ms = timeline.now();
    blur_in_place(
        &mut image,
        w,
        h,
        params.iterations,
        schedule,
        chunks_hint,
        &timeline,
    );
    let elapsed_ms = timeline.now() - start_ms;
    JobOutput {
        kernel: KernelId::Blur,
        schedule,
        threads: rayon::current_num_threads() as u32,
        size: params.pixels() as f64 / BlurParams::DEFAULT.pixels() as f64,
        checksum: crate::hash::fnv1a_u8(&image),
        items: params.pixels() * params.iterations as u64,
        elapsed_ms,
        chunks: timeline.into_spans(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_clock() -> f64 {
        0.0
    }

    /// The textbook definition, one pixel at a time with clamped coordinates.
    fn naive_blur(image: &[u8], w: usize, h: usize, iterations: u32) -> Vec<u8> {
        let taps = [1u32, 8, 28, 56, 70, 56, 28, 8, 1];
        let clamp = |v: isize, n: usize| v.clamp(0, n as isize - 1) as usize;
        let mut img = image.to_vec();
        for _ in 0..iterations {
            let mut tmp = vec![0u8; w * h];
            for y in 0..h {
                for x in 0..w {
                    let s: u32 = (0..9)
                        .map(|k| {
                            img[y * w + clamp(x as isize + k as isize - 4, w)] as u32 * taps[k]
                        })
                        .sum();
                    tmp[y * w + x] = ((s + 128) / 256) as u8;
                }
            }
            for y in 0..h {
                for x in 0..w {
                    let s: u32 = (0..9)
                        .map(|k| {
                            tmp[clamp(y as isize + k as isize - 4, h) * w + x] as u32 * taps[k]
                        })
                        .sum();
                    img[y * w + x] = ((s + 128) / 256) as u8;
                }
            }
        }
        img
    }

    fn blur_with(
        image: &[u8],
        w: usize,
        h: usize,
        iterations: u32,
        schedule: Schedule,
        threads: usize,
    ) -> Vec<u8> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut img = image.to_vec();
        pool.install(|| {
            blur_in_place(
                &mut img,
                w,
                h,
                iterations,
                schedule,
                0,
                &Timeline::new(&no_clock),
            )
        });
        img
    }

    #[test]
    fn matches_the_naive_reference_on_small_images() {
        for (w, h) in [(37, 23), (1, 1), (3, 12), (8, 9), (9, 8), (64, 5)] {
            let image = generate_image(w, h);
            let expected = naive_blur(&image, w, h, 3);
            for threads in [1, 2, 3] {
                for schedule in Schedule::ALL {
                    assert_eq!(
                        blur_with(&image, w, h, 3, schedule, threads),
                        expected,
                        "{w}x{h} {threads} {schedule:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn blur_really_smooths() {
        let (w, h) = (64, 64);
        let image = generate_image(w, h);
        let blurred = blur_with(&image, w, h, 2, Schedule::WorkStealing, 2);
        let roughness = |img: &[u8]| {
            img.windows(2)
                .map(|p| p[0].abs_diff(p[1]) as u64)
                .sum::<u64>()
        };
        assert!(roughness(&blurred) * 2 < roughness(&image));
        // A constant image stays constant (the taps sum to 256).
        let flat = vec![77u8; 20 * 20];
        assert_eq!(blur_with(&flat, 20, 20, 2, Schedule::StaticChunks, 2), flat);
    }

    #[test]
    fn scalar_row_and_column_paths_match_the_definition_at_every_position() {
        let src: Vec<u8> = (0..50u32).map(|i| (i * 97 % 256) as u8).collect();
        let mut dst = vec![0; 50];
        blur_row_scalar(&src, &mut dst);
        for (x, &out) in dst.iter().enumerate() {
            assert_eq!(out, horizontal_pixel(&src, x));
        }
        let rows: [&[u8]; 9] = std::array::from_fn(|k| &src[k..k + 20]);
        let mut col = vec![0; 20];
        blur_column_scalar(rows, &mut col);
        for (x, &out) in col.iter().enumerate() {
            assert_eq!(out, weigh(std::array::from_fn(|k| src[k + x])));
        }
    }

    #[test]
    fn image_generation_is_deterministic_and_not_flat() {
        let a = generate_image(100, 80);
        assert_eq!(a, generate_image(100, 80));
        assert!(a.iter().min() < a.iter().max());
    }
}
