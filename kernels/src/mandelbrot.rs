//! The Mandelbrot set: each row is independent, rows near the set cost far more than rows
//! outside it, which makes it the classic load-imbalance example.

use rayon::prelude::*;

/// What to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MandelbrotParams {
    pub width: u32,
    pub height: u32,
    pub max_iter: u32,
}

impl MandelbrotParams {
    /// The size the lab uses by default (about 0.4 s for one thread in the browser here).
    pub const DEFAULT: MandelbrotParams = MandelbrotParams {
        width: 1024,
        height: 1024,
        max_iter: 1000,
    };
}

/// Iteration count for one pixel.
fn escape_time(cx: f64, cy: f64, max_iter: u32) -> u32 {
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

/// Renders iteration counts into `out` (row-major, `width * height` cells) on the current rayon
/// pool, row by row, and returns a checksum of the image.
pub fn render(params: &MandelbrotParams, out: &mut [u32]) -> u64 {
    let w = params.width as usize;
    assert_eq!(
        out.len(),
        w * params.height as usize,
        "output buffer has the wrong size"
    );
    let (x0, x1, y0, y1) = (-2.0f64, 0.6f64, -1.3f64, 1.3f64);
    out.par_chunks_mut(w).enumerate().for_each(|(row, cells)| {
        let cy = y0 + (y1 - y0) * row as f64 / params.height as f64;
        for (col, cell) in cells.iter_mut().enumerate() {
            let cx = x0 + (x1 - x0) * col as f64 / params.width as f64;
            *cell = escape_time(cx, cy, params.max_iter);
        }
    });
    checksum(out)
}

/// FNV-1a over the iteration counts: order-sensitive, so a misplaced row changes it.
pub fn checksum(cells: &[u32]) -> u64 {
    cells.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &c| {
        (h ^ c as u64).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_does_not_depend_on_thread_count() {
        let p = MandelbrotParams {
            width: 64,
            height: 48,
            max_iter: 200,
        };
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let mut out = vec![0; 64 * 48];
            pool.install(|| render(&p, &mut out))
        };
        assert_eq!(run(1), run(3));
    }
}
