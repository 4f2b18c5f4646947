//! `looplab-web`: the Looplab page (a Yew app) and the code its workers run.
//!
//! The crate is built into two WebAssembly modules, chosen by cargo feature, so that the page
//! does not download the engines it only drives:
//! - feature `ui` (the default; Trunk's main module): [`start`] mounts the Yew [`app::App`] on
//!   the page. It knows the messages of both workers ([`playground::protocol`],
//!   [`lab::protocol`]) but runs neither the simulator nor the kernels.
//! - feature `workers` (built through the `looplab-workers` crate, a Trunk worker module): the
//!   exports that the simulator worker (`static/sim-worker.js`, [`playground::worker`]) and the
//!   lab worker (`static/lab-worker.js`, [`lab::worker`], with wasm-bindgen-rayon's
//!   `initThreadPool`) call, and the thread loop of rayon's sub-workers. The page loads it only
//!   when a learner first runs code, or opens the lab (see ARCHITECTURE.md, "Two modules").
//!
//! **Architecture Invariant:** nothing here blocks the browser's main thread: heavy work runs in
//! workers and the page only renders what they report (the lab's "main thread" demo, which
//! blocks it on purpose, is the one exception).

#[cfg(feature = "ui")]
pub mod app;
pub mod lab;
pub mod platform;
pub mod playground;

#[cfg(feature = "workers")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Mounts the UI on the page's `#app` element.
#[cfg(feature = "ui")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(root) = window.document().and_then(|d| d.get_element_by_id("app")) else {
        return;
    };
    yew::Renderer::<app::App>::with_root(root).render();
}
