//! The parallel lab: real Rust kernels on 1..N rayon threads in Web Workers, measured on the
//! learner's own machine.
//!
//! - [`protocol`]: the messages between the page and a lab worker, and the pure logic
//!   (parsing input, medians, speedups, frame statistics, chart scales) — testable natively.
//! - [`worker`]: what runs *inside* a lab worker (wasm exports called by `static/lab-worker.js`).
//! - [`client`]: the page's handle on a lab worker (start it with k threads, run jobs, cancel).
//! - [`js`]: the few per-pixel and per-frame browser loops, in JavaScript.
//! - [`charts`]: SVG charts (speedup, timeline, messaging).
//! - [`view`]: the lab's root component, with one component per part: [`sweep`] (thread-count
//!   sweep, timeline, live canvas), [`blocking`] (main thread vs workers), [`messaging`]
//!   (clone vs transfer vs shared) and [`race`] (lost updates vs atomics).
//!
//! **Decision (one worker per thread count):** rayon's global pool can be built once per wasm
//! instance, so each thread count k gets a fresh worker whose instance builds a pool of k
//! threads; the worker is kept for the repeats of that point and then terminated. The start-up
//! cost (worker + instantiate + pool) is measured and shown separately from the kernel time, so
//! it never pollutes the speedup.

#[cfg(feature = "ui")]
pub mod blocking;
#[cfg(feature = "ui")]
pub mod charts;
#[cfg(feature = "ui")]
pub mod client;
#[cfg(feature = "ui")]
pub mod js;
#[cfg(feature = "ui")]
pub mod messaging;
pub mod protocol;
#[cfg(feature = "ui")]
pub mod race;
#[cfg(feature = "ui")]
pub mod sweep;
#[cfg(feature = "ui")]
pub mod view;
#[cfg(feature = "workers")]
pub mod worker;

/// The value of the `<select>` that fired `event`.
#[cfg(feature = "ui")]
pub(crate) fn select_value(event: &yew::Event) -> String {
    use yew::TargetCast;
    event
        .target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

#[cfg(feature = "ui")]
/// A `change` callback for a `<select>` whose option values parse as `T`: it dispatches
/// `action(value)`. The options are ours, so a value that does not parse is ignored.
pub(crate) fn on_select_parsed<R, T>(
    dispatch: yew::UseReducerDispatcher<R>,
    action: fn(T) -> R::Action,
) -> yew::Callback<yew::Event>
where
    R: yew::Reducible + 'static,
    T: std::str::FromStr + 'static,
{
    yew::Callback::from(move |event: yew::Event| {
        if let Ok(value) = select_value(&event).parse() {
            dispatch.dispatch(action(value));
        }
    })
}
