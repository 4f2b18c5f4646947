//! Runs inside a lab worker (`static/lab-worker.js`), and — only for the "main thread"
//! anti-pattern demo — on the page itself.
//!
//! The worker owns its own instance of this module with its own shared memory. When the page is
//! cross-origin isolated, the worker first builds rayon's global pool with `initThreadPool(k)`
//! (wasm-bindgen-rayon spawns k sub-workers that share that memory); otherwise it runs on a
//! one-thread pool made of the worker's own thread.
//!
//! For the Mandelbrot kernel the image is painted into buffers of atomics that live in this
//! instance's shared memory; [`lab_prepare_live`] hands the page that memory and the buffers'
//! byte offsets, so the page can watch the threads paint while the job runs.

use std::cell::{OnceCell, RefCell};
use std::sync::atomic::AtomicU32;

use looplab_kernels::job::effective_size;
use looplab_kernels::mandelbrot::{self, MandelbrotParams};
use looplab_kernels::race::{race_counter, CounterUpdate};
use looplab_kernels::{run_job, JobOutput, KernelId};
use wasm_bindgen::prelude::*;

use super::protocol::{JobReport, JobRequest, MAX_REPEATS};
use crate::platform::now_ms;

/// Buffers the Mandelbrot kernel paints into: iteration counts and the painter of each row.
struct LiveBuffers {
    params: MandelbrotParams,
    pixels: Vec<AtomicU32>,
    owners: Vec<AtomicU32>,
}

thread_local! {
    /// The fallback pool: the calling thread itself, used when no global pool was built (and on
    /// the page for the blocking demo).
    static SINGLE_THREAD_POOL: OnceCell<rayon::ThreadPool> = const { OnceCell::new() };
    /// The live Mandelbrot buffers of this instance (reused while the size stays the same).
    static LIVE: RefCell<Option<LiveBuffers>> = const { RefCell::new(None) };
}

/// True when this instance's memory is a `SharedArrayBuffer` (the threaded build worked).
#[wasm_bindgen]
pub fn lab_memory_is_shared() -> bool {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().has_type::<js_sys::SharedArrayBuffer>()
}

fn mandelbrot_params(request: &JobRequest) -> Result<MandelbrotParams, String> {
    let size =
        effective_size(KernelId::Mandelbrot, request.spec.size).map_err(|e| e.to_string())?;
    let params = MandelbrotParams::scaled(size);
    params.validate().map_err(|e| e.to_string())?;
    Ok(params)
}

/// Makes sure the live buffers fit `params` and returns their byte offsets.
fn live_buffers(params: MandelbrotParams) -> (u32, u32) {
    LIVE.with(|cell| {
        let mut live = cell.borrow_mut();
        if live.as_ref().is_none_or(|b| b.params != params) {
            *live = Some(LiveBuffers {
                params,
                pixels: (0..params.pixels()).map(|_| AtomicU32::new(0)).collect(),
                owners: (0..params.height).map(|_| AtomicU32::new(0)).collect(),
            });
        }
        let b = live.as_ref().expect("just set");
        (b.pixels.as_ptr() as u32, b.owners.as_ptr() as u32)
    })
}

/// For a Mandelbrot request: allocates the buffers the job will paint and returns
/// `{ memory, pixels, owners, width, height, maxIter }` (byte offsets into `memory`), which the
/// worker posts to the page *before* it runs the job. `undefined` for other kernels.
#[wasm_bindgen]
pub fn lab_prepare_live(request: JsValue) -> Result<JsValue, JsError> {
    let request: JobRequest = serde_wasm_bindgen::from_value(request)?;
    if request.spec.kernel != KernelId::Mandelbrot {
        return Ok(JsValue::UNDEFINED);
    }
    let params = mandelbrot_params(&request).map_err(|e| JsError::new(&e))?;
    let (pixels, owners) = live_buffers(params);
    let out = js_sys::Object::new();
    for (key, value) in [
        ("memory", wasm_bindgen::memory()),
        ("pixels", pixels.into()),
        ("owners", owners.into()),
        ("width", params.width.into()),
        ("height", params.height.into()),
        ("maxIter", params.max_iter.into()),
    ] {
        js_sys::Reflect::set(&out, &key.into(), &value)
            .map_err(|_| JsError::new("could not describe the live buffers"))?;
    }
    Ok(out.into())
}

/// One run of the request's job on the current pool (Mandelbrot paints the live buffers).
fn run_once(request: &JobRequest) -> Result<JobOutput, String> {
    let clock = now_ms;
    if request.spec.kernel != KernelId::Mandelbrot {
        return run_job(&request.spec, &clock).map_err(|e| e.to_string());
    }
    let params = mandelbrot_params(request)?;
    live_buffers(params);
    LIVE.with(|cell| {
        let live = cell.borrow();
        let b = live.as_ref().expect("allocated above");
        mandelbrot::render_tiles(
            &params,
            &b.pixels,
            &b.owners,
            request.spec.schedule,
            request.spec.chunks_hint,
            &clock,
        )
        .map_err(|e| e.to_string())
    })
}

/// Runs the request `repeats` times on the current pool and summarises it.
fn run_repeats(request: &JobRequest) -> Result<JobReport, String> {
    let repeats = request.repeats.clamp(1, MAX_REPEATS);
    let mut times_ms = Vec::with_capacity(repeats as usize);
    let mut last: Option<JobOutput> = None;
    for _ in 0..repeats {
        let output = run_once(request)?;
        if let Some(previous) = &last {
            if previous.checksum != output.checksum {
                return Err("two repeats of the same job gave different checksums".into());
            }
        }
        times_ms.push(output.elapsed_ms);
        last = Some(output);
    }
    let last = last.expect("at least one repeat");
    Ok(JobReport {
        threads: rayon::current_num_threads() as u32,
        times_ms,
        checksum: last.checksum.to_string(),
        items: last.items,
        size: last.size,
        chunks: last.chunks,
    })
}

/// Runs `f` on a one-thread rayon pool made of the calling thread (no thread is spawned, nothing
/// waits on an atomic, so this works even on the browser's main thread).
fn on_current_thread<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    SINGLE_THREAD_POOL.with(|cell| {
        let pool = cell.get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .use_current_thread()
                .build()
                .expect("a one-thread pool on the current thread needs no spawning")
        });
        pool.install(f)
    })
}

/// Runs a job on the calling thread itself. On the page this blocks the main thread for the
/// whole job: the blocking demo does it on purpose, to show what that costs.
pub fn run_on_current_thread(request: &JobRequest) -> Result<JobReport, String> {
    on_current_thread(|| run_repeats(request))
}

/// Runs a [`JobRequest`] (`repeats` times) on the worker's global pool, or on the worker's own
/// thread when there is none, and returns the [`JobReport`].
#[wasm_bindgen]
pub fn lab_run_job(request: JsValue, use_global_pool: bool) -> Result<JsValue, JsError> {
    let request: JobRequest = serde_wasm_bindgen::from_value(request)?;
    let report = if use_global_pool {
        run_repeats(&request)
    } else {
        run_on_current_thread(&request)
    }
    .map_err(|e| JsError::new(&e))?;
    Ok(serde_wasm_bindgen::to_value(&report)?)
}

/// The lost-update race on the worker's pool: `update` is `"load-then-store"` or `"fetch-add"`.
/// Returns the kernel's `RaceOutcome`.
#[wasm_bindgen]
pub fn lab_race(
    update: &str,
    increments_per_thread: f64,
    use_global_pool: bool,
) -> Result<JsValue, JsError> {
    let update = CounterUpdate::ALL
        .into_iter()
        .find(|u| u.name() == update)
        .ok_or_else(|| JsError::new("unknown counter update"))?;
    let increments = increments_per_thread.clamp(0.0, 1e9) as u64;
    let clock = now_ms;
    let outcome = if use_global_pool {
        race_counter(update, increments, &clock)
    } else {
        on_current_thread(|| race_counter(update, increments, &clock))
    };
    Ok(serde_wasm_bindgen::to_value(&outcome)?)
}
