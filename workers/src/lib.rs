//! `looplab-workers`: the second WebAssembly module of the page, the one its workers load.
//!
//! It holds no code of its own: it links `looplab-web` with only its `workers` feature, so the
//! module carries the simulator (looplab-core) and the lab's kernels with rayon, and none of the
//! Yew UI. Trunk builds it as a worker module (`static/index.html`); `static/sim-worker.js`,
//! `static/lab-worker.js` and `static/lab-thread.js` import its JS glue, and the lab's "main
//! thread" demo loads it on the page itself. The exports are `looplab_web::playground::worker`,
//! `looplab_web::lab::worker` and wasm-bindgen-rayon's `initThreadPool`.

pub use looplab_web::init_thread_pool;
pub use looplab_web::lab::worker as lab;
pub use looplab_web::playground::worker as sim;
