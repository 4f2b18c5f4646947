//! Deterministic CPU-heavy kernels for the parallel lab.
//!
//! Every kernel runs on whatever rayon pool is current (`pool.install(...)`), so the caller
//! decides the thread count; every kernel returns a checksum that is the same for every
//! thread count.

pub mod mandelbrot;
