//! Checks on real wasm that the `simd128` paths give exactly the bits of the scalar paths, and
//! times both. Natively both paths are the scalar one, so this only matters on wasm:
//!
//! ```sh
//! RUSTFLAGS="-C target-feature=+simd128" cargo build --release -p looplab-kernels \
//!   --example wasm_simd_check --target wasm32-unknown-unknown --target-dir target/simd-check
//! node kernels/examples/wasm_simd_check.mjs \
//!   target/simd-check/wasm32-unknown-unknown/release/examples/wasm_simd_check.wasm
//! ```
//!
//! (`RUSTFLAGS` replaces the threaded-wasm flags of `.cargo/config.toml`: this check needs SIMD,
//! not threads, and then runs in plain Node.js.)

use looplab_kernels::blur::{
    blur_column, blur_column_scalar, blur_row, blur_row_scalar, generate_image,
};
use looplab_kernels::mandelbrot::{render_row, render_row_scalar, MandelbrotParams};
use looplab_kernels::sort::{generate_input, presort_runs, presort_runs_scalar};

/// Number of rows or pixels where the fast path and the scalar path disagree (0 = all equal).
#[no_mangle]
pub extern "C" fn simd_mismatches() -> u32 {
    let mut mismatches = 0u32;
    for params in [
        MandelbrotParams {
            width: 257,
            height: 64,
            max_iter: 500,
        },
        MandelbrotParams {
            width: 64,
            height: 33,
            max_iter: 5000,
        },
        MandelbrotParams {
            width: 1,
            height: 3,
            max_iter: 100,
        },
    ] {
        let w = params.width as usize;
        let (mut fast, mut slow) = (vec![0; w], vec![0; w]);
        for row in 0..params.height as usize {
            render_row(&params, row, &mut fast);
            render_row_scalar(&params, row, &mut slow);
            mismatches += fast.iter().zip(&slow).filter(|(a, b)| a != b).count() as u32;
        }
    }
    for width in [1usize, 8, 9, 16, 23, 24, 25, 40, 100, 1000] {
        let image = generate_image(width, 9);
        let (mut fast, mut slow) = (vec![0u8; width], vec![0u8; width]);
        for y in 0..9 {
            let row = &image[y * width..(y + 1) * width];
            blur_row(row, &mut fast);
            blur_row_scalar(row, &mut slow);
            mismatches += fast.iter().zip(&slow).filter(|(a, b)| a != b).count() as u32;
        }
        let rows: [&[u8]; 9] = std::array::from_fn(|k| &image[k * width..(k + 1) * width]);
        blur_column(rows, &mut fast);
        blur_column_scalar(rows, &mut slow);
        mismatches += fast.iter().zip(&slow).filter(|(a, b)| a != b).count() as u32;
    }
    // The presorted runs differ in length (16 with SIMD, 32 without); each run of either must be
    // sorted and hold the same elements as the input's run.
    for len in [0usize, 1, 15, 16, 17, 31, 32, 33, 64, 100, 1000] {
        for input in [
            generate_input(len, len as u64),
            (0..len as u32).rev().collect(),
            (0..len as u32).map(|i| i % 3).collect(),
        ] {
            let mut fast = input.clone();
            let run = presort_runs(&mut fast);
            for (sorted, original) in fast.chunks(run).zip(input.chunks(run)) {
                let mut expected = original.to_vec();
                expected.sort_unstable();
                mismatches += (sorted != expected.as_slice()) as u32;
            }
            let mut slow = input.clone();
            presort_runs_scalar(&mut slow);
            mismatches += !slow.chunks(32).all(|r| r.is_sorted()) as u32;
        }
    }
    mismatches
}

/// Presorts 2²⁰ numbers in runs with the fast (`fast != 0`) or scalar path; returns the wrapping
/// sum (the runs differ in length, the elements do not; `simd_mismatches` checks the order).
#[no_mangle]
pub extern "C" fn bench_presort(fast: u32) -> u32 {
    let mut v = generate_input(1 << 20, 7);
    if fast != 0 {
        presort_runs(&mut v);
    } else {
        presort_runs_scalar(&mut v);
    }
    v.iter().fold(0u32, |h, &x| h.wrapping_add(x))
}

const BENCH: MandelbrotParams = MandelbrotParams {
    width: 512,
    height: 512,
    max_iter: 1000,
};

/// Renders a 512×512 Mandelbrot with the fast (`fast != 0`) or scalar path; returns a checksum.
#[no_mangle]
pub extern "C" fn bench_mandelbrot(fast: u32) -> u32 {
    let mut line = vec![0; BENCH.width as usize];
    let mut sum = 0u32;
    for row in 0..BENCH.height as usize {
        if fast != 0 {
            render_row(&BENCH, row, &mut line);
        } else {
            render_row_scalar(&BENCH, row, &mut line);
        }
        sum = line
            .iter()
            .fold(sum, |s, &c| s.wrapping_mul(31).wrapping_add(c));
    }
    sum
}

fn blur_bench_image() -> (usize, usize, Vec<u8>) {
    let (w, h) = (1024usize, 1024usize);
    (w, h, generate_image(w, h))
}

/// Forty horizontal passes over a 1024×1024 image, fast or scalar path.
#[no_mangle]
pub extern "C" fn bench_blur_rows(fast: u32) -> u32 {
    let (w, h, mut image) = blur_bench_image();
    let mut tmp = vec![0u8; w * h];
    for _ in 0..20 {
        for y in 0..h {
            let (src, dst) = (&image[y * w..(y + 1) * w], &mut tmp[y * w..(y + 1) * w]);
            if fast != 0 {
                blur_row(src, dst)
            } else {
                blur_row_scalar(src, dst)
            }
        }
        for y in 0..h {
            let (src, dst) = (&tmp[y * w..(y + 1) * w], &mut image[y * w..(y + 1) * w]);
            if fast != 0 {
                blur_row(src, dst)
            } else {
                blur_row_scalar(src, dst)
            }
        }
    }
    image
        .iter()
        .fold(0u32, |s, &p| s.wrapping_mul(31).wrapping_add(p as u32))
}

/// Forty vertical passes over a 1024×1024 image, fast or scalar path.
#[no_mangle]
pub extern "C" fn bench_blur_columns(fast: u32) -> u32 {
    let (w, h, mut image) = blur_bench_image();
    let mut tmp = vec![0u8; w * h];
    for pass in 0..40 {
        let (src, dst) = if pass % 2 == 0 {
            (&image, &mut tmp)
        } else {
            (&tmp, &mut image)
        };
        for y in 0..h {
            let rows: [&[u8]; 9] = std::array::from_fn(|k| {
                let r = (y + k).saturating_sub(4).min(h - 1);
                &src[r * w..(r + 1) * w]
            });
            let out = &mut dst[y * w..(y + 1) * w];
            if fast != 0 {
                blur_column(rows, out)
            } else {
                blur_column_scalar(rows, out)
            }
        }
    }
    image
        .iter()
        .fold(0u32, |s, &p| s.wrapping_mul(31).wrapping_add(p as u32))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fast_and_scalar_paths_agree_on_this_target() {
        assert_eq!(super::simd_mismatches(), 0);
        assert_eq!(super::bench_mandelbrot(1), super::bench_mandelbrot(0));
    }
}
