//! The parallel lab: real Rust kernels on 1..N rayon threads in Web Workers, measured on the
//! learner's own machine.
//!
//! - [`protocol`]: the messages between the page and a lab worker, and the pure sweep logic
//!   (parsing thread lists, medians, speedups) — testable natively.
//! - [`worker`]: what runs *inside* a lab worker (wasm exports called by `static/lab-worker.js`).
//! - [`client`]: the page's handle on a lab worker (start it with k threads, run jobs, stop it).
//! - [`view`]: the lab's Yew component.
//!
//! **Decision (one worker per thread count):** rayon's global pool can be built once per wasm
//! instance, so each thread count k gets a fresh worker whose instance builds a pool of k
//! threads; the worker is kept for the repeats of that point and then terminated. The start-up
//! cost (worker + instantiate + pool) is measured and shown separately from the kernel time, so
//! it never pollutes the speedup.

pub mod client;
pub mod protocol;
pub mod view;
pub mod worker;
