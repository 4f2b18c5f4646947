//! `looplab-web`: the Looplab page (a Yew app) and the code its workers run.
//!
//! One `.wasm` serves four roles, told apart at start-up:
//! - on the page (there is a `window`): [`start`] mounts the Yew [`app::App`];
//! - in the lab worker (`static/lab-worker.js`): the worker instantiates this module with a fresh
//!   shared memory, builds a rayon pool with `initThreadPool(k)` and calls [`lab::worker`]'s
//!   exports;
//! - in the simulator worker (`static/sim-worker.js`): the worker instantiates this module and
//!   calls [`playground::worker`]'s exports (no thread pool);
//! - in rayon's own sub-workers (spawned by wasm-bindgen-rayon): nothing but the thread loop.
//!
//! **Architecture Invariant:** nothing here blocks the browser's main thread: heavy work runs in
//! workers and the page only renders what they report.

pub mod app;
pub mod lab;
pub mod platform;
pub mod playground;

use wasm_bindgen::prelude::*;

pub use wasm_bindgen_rayon::init_thread_pool;

/// Runs once per wasm instance. Only the page (which has a `window` and an `#app` element)
/// mounts the UI; workers load the same module and must not.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(root) = window.document().and_then(|d| d.get_element_by_id("app")) else {
        return;
    };
    yew::Renderer::<app::App>::with_root(root).render();
}
