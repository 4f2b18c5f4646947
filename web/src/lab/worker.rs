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
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Mutex;

use looplab_kernels::job::effective_size;
use looplab_kernels::mandelbrot::{self, MandelbrotParams};
use looplab_kernels::race::{race_counter, CounterUpdate};
use looplab_kernels::{run_job, JobOutput, KernelId};
use rayon::ThreadBuilder;
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
            KernelId::Mandelbrot.chunks_hint(request.spec.chunks_hint),
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

/// Runs a [`JobRequest`] (`repeats` times) on the worker's sub-pool if one is built, else on its
/// global pool, or on the worker's own thread when there is none, and returns the [`JobReport`].
#[wasm_bindgen]
pub fn lab_run_job(request: JsValue, use_global_pool: bool) -> Result<JsValue, JsError> {
    let request: JobRequest = serde_wasm_bindgen::from_value(request)?;
    let report = if let Some(report) = on_sub_pool(|| run_repeats(&request)) {
        report
    } else if use_global_pool {
        run_repeats(&request)
    } else {
        run_on_current_thread(&request)
    }
    .map_err(|e| JsError::new(&e))?;
    Ok(serde_wasm_bindgen::to_value(&report)?)
}

/// A rayon pool built for one thread count, whose threads are Web Workers this lab worker starts
/// itself (the alternative to a fresh lab worker per thread count; `scripts/bench-lab` measures
/// the two against each other, see docs/lab.md).
///
/// The steps, driven by `static/lab-worker.js`: [`lab_subpool_prepare`] makes the channel the
/// pool's threads are handed over on; the worker starts k `static/lab-thread.js` workers on the
/// same module and memory, each of which calls [`lab_subpool_thread`] and waits on the channel;
/// [`lab_subpool_build`] builds the pool, whose spawn handler sends each thread down the channel;
/// `lab_run_job(…, true)` then runs on it; [`lab_subpool_drop`] ends it.
struct SubPool {
    threads: usize,
    handover: Sender<ThreadBuilder>,
    pool: Option<rayon::ThreadPool>,
}

/// The receiving end of a sub-pool's channel, shared (through a raw pointer handed to JS) by
/// the thread workers.
type Handover = Mutex<Receiver<ThreadBuilder>>;

thread_local! {
    static SUB_POOL: RefCell<Option<SubPool>> = const { RefCell::new(None) };
}

/// Prepares a sub-pool of `threads` threads and returns `{ memory, handover }`: what each thread
/// worker needs (this instance's shared memory, and the channel's address in it).
#[wasm_bindgen]
pub fn lab_subpool_prepare(threads: u32) -> Result<JsValue, JsError> {
    if !(1..=MAX_SUBPOOL_THREADS).contains(&threads) {
        return Err(JsError::new(&format!(
            "a sub-pool has 1 to {MAX_SUBPOOL_THREADS} threads, not {threads}"
        )));
    }
    let (handover, receiver) = channel();
    // Leaked on purpose: a thread worker may still hold it when the pool is dropped; one small
    // allocation per measured pool.
    let receiver: &'static Handover = Box::leak(Box::new(Mutex::new(receiver)));
    SUB_POOL.with(|cell| {
        *cell.borrow_mut() = Some(SubPool {
            threads: threads as usize,
            handover,
            pool: None,
        })
    });
    let out = js_sys::Object::new();
    let handover_address = receiver as *const Handover as u32;
    for (key, value) in [
        ("memory", wasm_bindgen::memory()),
        ("handover", handover_address.into()),
    ] {
        js_sys::Reflect::set(&out, &key.into(), &value)
            .map_err(|_| JsError::new("could not describe the sub-pool"))?;
    }
    Ok(out.into())
}

/// The most threads a measured sub-pool may have.
pub const MAX_SUBPOOL_THREADS: u32 = 64;

/// Runs in a thread worker: waits for one of the pool's threads on the channel at `handover`
/// (from [`lab_subpool_prepare`]) and runs it until the pool ends.
#[wasm_bindgen]
pub fn lab_subpool_thread(handover: u32) -> Result<(), JsError> {
    // SAFETY: `handover` is the address `lab_subpool_prepare` returned, of a leaked `Handover`
    // in this shared memory; it is never freed.
    let receiver = unsafe { &*(handover as *const Handover) };
    let thread = receiver
        .lock()
        .map_err(|_| JsError::new("the sub-pool's channel is poisoned"))?
        .recv()
        .map_err(|_| JsError::new("the sub-pool was dropped before it was built"))?;
    thread.run();
    Ok(())
}

/// Builds the prepared sub-pool (all its thread workers must be waiting) and returns how long
/// that took, in milliseconds.
#[wasm_bindgen]
pub fn lab_subpool_build() -> Result<f64, JsError> {
    SUB_POOL.with(|cell| {
        let mut slot = cell.borrow_mut();
        let sub = slot
            .as_mut()
            .ok_or_else(|| JsError::new("no sub-pool was prepared"))?;
        let started = now_ms();
        let handover = sub.handover.clone();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(sub.threads)
            .spawn_handler(move |thread| {
                handover
                    .send(thread)
                    .map_err(|_| std::io::Error::other("no thread worker is listening"))
            })
            .build()
            .map_err(|e| JsError::new(&format!("could not build the sub-pool: {e}")))?;
        sub.pool = Some(pool);
        Ok(now_ms() - started)
    })
}

/// Ends the sub-pool: its threads leave `run()` and their workers can be terminated.
#[wasm_bindgen]
pub fn lab_subpool_drop() {
    SUB_POOL.with(|cell| cell.borrow_mut().take());
}

/// Runs `f` on the built sub-pool, if there is one.
fn on_sub_pool<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    SUB_POOL.with(|cell| {
        let slot = cell.borrow();
        slot.as_ref()?.pool.as_ref().map(|pool| pool.install(f))
    })
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
