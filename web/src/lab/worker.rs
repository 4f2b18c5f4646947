//! Runs inside a lab worker (`static/lab-worker.js`), never on the page.
//!
//! The worker owns its own instance of this module with its own shared memory. When the page is
//! cross-origin isolated, the worker first builds rayon's global pool with `initThreadPool(k)`
//! (wasm-bindgen-rayon spawns k sub-workers that share that memory); otherwise it runs on a
//! one-thread pool made of the worker's own thread.

use std::cell::OnceCell;

use looplab_kernels::mandelbrot::{self, MandelbrotParams};
use wasm_bindgen::prelude::*;

use super::protocol::{JobReport, MandelbrotJob};
use crate::platform::now_ms;

thread_local! {
    /// The fallback pool: the worker's own thread, used when no global pool could be built.
    static SINGLE_THREAD_POOL: OnceCell<rayon::ThreadPool> = const { OnceCell::new() };
}

/// The largest image the lab renders (the buffer lives in wasm memory, capped at 1 GiB).
const MAX_PIXELS: u64 = 4096 * 4096;

/// True when this instance's memory is a `SharedArrayBuffer` (the threaded build worked).
#[wasm_bindgen]
pub fn lab_memory_is_shared() -> bool {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().has_type::<js_sys::SharedArrayBuffer>()
}

/// Renders the Mandelbrot job `repeats` times on the current pool and returns
/// `{ report, rgba }`: the [`JobReport`] and the last image as a JS-owned `Uint8ClampedArray`
/// (web APIs refuse views onto shared memory, so it is copied out).
#[wasm_bindgen]
pub fn lab_run_mandelbrot(job: JsValue, use_global_pool: bool) -> Result<JsValue, JsError> {
    let job: MandelbrotJob = serde_wasm_bindgen::from_value(job)?;
    let params = MandelbrotParams {
        width: job.width,
        height: job.height,
        max_iter: job.max_iter,
    };
    let pixels = u64::from(params.width) * u64::from(params.height);
    if pixels == 0 || pixels > MAX_PIXELS || job.max_iter == 0 || job.repeats == 0 {
        return Err(JsError::new("the job's size is out of range"));
    }
    let run = || {
        let mut cells = vec![0u32; pixels as usize];
        let mut times_ms = Vec::with_capacity(job.repeats as usize);
        let mut checksum = 0;
        for _ in 0..job.repeats.min(20) {
            let start = now_ms();
            checksum = mandelbrot::render(&params, &mut cells);
            times_ms.push(now_ms() - start);
        }
        let report = JobReport {
            threads: rayon::current_num_threads() as u32,
            times_ms,
            checksum: checksum.to_string(),
        };
        (report, colorize(&cells, params.max_iter))
    };
    let (report, rgba) = if use_global_pool {
        run()
    } else {
        SINGLE_THREAD_POOL.with(|cell| {
            let pool = cell.get_or_init(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .use_current_thread()
                    .build()
                    .expect("a one-thread pool on the current thread needs no spawning")
            });
            pool.install(run)
        })
    };
    let out = js_sys::Object::new();
    js_sys::Reflect::set(
        &out,
        &"report".into(),
        &serde_wasm_bindgen::to_value(&report)?,
    )
    .map_err(|_| JsError::new("could not build the result"))?;
    let rgba_js = js_sys::Uint8ClampedArray::new_with_length(rgba.len() as u32);
    rgba_js.copy_from(&rgba);
    js_sys::Reflect::set(&out, &"rgba".into(), &rgba_js)
        .map_err(|_| JsError::new("could not build the result"))?;
    Ok(out.into())
}

/// Maps iteration counts to colours: black inside the set, a blue-to-amber ramp outside.
fn colorize(cells: &[u32], max_iter: u32) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(cells.len() * 4);
    for &n in cells {
        if n >= max_iter {
            rgba.extend_from_slice(&[0, 0, 0, 255]);
        } else {
            let t = (n as f64).sqrt() / (max_iter as f64).sqrt();
            let r = (255.0 * t.powf(0.6)) as u8;
            let g = (200.0 * t) as u8;
            let b = (120.0 + 135.0 * (1.0 - t)) as u8;
            rgba.extend_from_slice(&[r, g, b, 255]);
        }
    }
    rgba
}
