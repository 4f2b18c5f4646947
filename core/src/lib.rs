//! `looplab-core`: the pure, deterministic simulator behind Looplab.
//!
//! It parses a JavaScript program, compiles it to a compact instruction set, runs it on a
//! stepping VM inside a simulated Node.js host (event loop, virtual clock), and records a trace.
//!
//! **Architecture Invariant:** this crate has no web dependency and no I/O of its own; the same
//! input always yields the same output.
