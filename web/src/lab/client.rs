//! The page's handle on one lab worker: start it with k threads, run jobs, stop it.
//!
//! The worker script is `static/lab-worker.js` (a module worker). It is given the URL of this
//! module's JS glue and the compiled `WebAssembly.Module`, so it instantiates the very same code
//! with a fresh shared memory. Requests are strictly one at a time: each resolves with the
//! worker's next message.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use super::protocol::{JobReport, MandelbrotJob};
use crate::platform::main_js_url;

/// How long the worker took to come up, split into its parts.
#[derive(Clone, Debug, PartialEq)]
pub struct Startup {
    /// From `new Worker` to the `ready` message, as the page saw it.
    pub total_ms: f64,
    /// Of which: building the rayon pool (spawning k sub-workers).
    pub pool_ms: f64,
    /// Whether the worker's memory is a SharedArrayBuffer.
    pub shared_memory: bool,
    /// Threads actually in the worker's pool (1 in the single-thread fallback).
    pub threads: u32,
}

/// A running lab worker. Dropping it terminates the worker and all its threads.
pub struct LabWorker {
    worker: Worker,
    has_global_pool: bool,
}

/// One job's result: the report and the rendered image.
pub struct JobResult {
    pub report: JobReport,
    pub rgba: js_sys::Uint8ClampedArray,
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a plain property on a fresh object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn describe(error: JsValue) -> String {
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

impl LabWorker {
    /// Starts a worker. With `threads > 0` it builds a global rayon pool of that many threads
    /// (needs cross-origin isolation); with `threads == 0` it runs jobs on its own thread.
    pub async fn start(threads: u32) -> Result<(LabWorker, Startup), String> {
        let started = crate::platform::now_ms();
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options("./lab-worker.js", &options).map_err(describe)?;
        let lab = LabWorker {
            worker,
            has_global_pool: threads > 0,
        };
        let msg = Object::new();
        set(&msg, "op", &"init".into());
        set(&msg, "mainJs", &main_js_url().into());
        set(&msg, "module", &wasm_bindgen::module());
        set(&msg, "threads", &threads.into());
        let ready = lab.request(&msg).await?;
        let startup = Startup {
            total_ms: crate::platform::now_ms() - started,
            pool_ms: get(&ready, "poolMs").as_f64().unwrap_or(0.0),
            shared_memory: get(&ready, "sharedMemory").as_bool().unwrap_or(false),
            threads: get(&ready, "threads").as_f64().unwrap_or(1.0) as u32,
        };
        Ok((lab, startup))
    }

    /// Runs one Mandelbrot job and waits for its result.
    pub async fn run_mandelbrot(&self, job: &MandelbrotJob) -> Result<JobResult, String> {
        let msg = Object::new();
        set(&msg, "op", &"mandelbrot".into());
        set(
            &msg,
            "job",
            &serde_wasm_bindgen::to_value(job).map_err(|e| e.to_string())?,
        );
        set(&msg, "globalPool", &self.has_global_pool.into());
        let reply = self.request(&msg).await?;
        let report = serde_wasm_bindgen::from_value(get(&reply, "report"))
            .map_err(|e| format!("the worker sent a malformed report: {e}"))?;
        let rgba = get(&reply, "rgba")
            .dyn_into()
            .map_err(|_| "the worker sent no image")?;
        Ok(JobResult { report, rgba })
    }

    /// Posts `msg` and resolves with the worker's next message (or its error).
    async fn request(&self, msg: &JsValue) -> Result<JsValue, String> {
        let worker = self.worker.clone();
        let promise = Promise::new(&mut |resolve, reject| {
            let reject_on_error = reject.clone();
            let on_message = Closure::once_into_js(move |event: MessageEvent| {
                let _ = resolve.call1(&JsValue::NULL, &event.data());
            });
            let on_error = Closure::once_into_js(move |event: ErrorEvent| {
                let text = format!("the lab worker failed: {}", event.message());
                let _ = reject_on_error.call1(&JsValue::NULL, &text.into());
            });
            worker.set_onmessage(Some(on_message.unchecked_ref()));
            worker.set_onerror(Some(on_error.unchecked_ref()));
            if let Err(e) = worker.post_message(msg) {
                let _ = reject.call1(&JsValue::NULL, &e);
            }
        });
        let reply = JsFuture::from(promise).await.map_err(describe)?;
        if get(&reply, "op").as_string().as_deref() == Some("error") {
            return Err(get(&reply, "message").as_string().unwrap_or_default());
        }
        Ok(reply)
    }
}

impl Drop for LabWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
