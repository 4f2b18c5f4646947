//! The page's handle on one lab worker: start it with k threads, run jobs and races, cancel it.
//!
//! The worker script is `static/lab-worker.js` (a module worker). It is given the URL of this
//! module's JS glue and the compiled `WebAssembly.Module`, so it instantiates the very same code
//! with a fresh shared memory. Requests are strictly one at a time: each resolves with the
//! worker's next `ready`/`result`/`error` message; `live` messages (the worker's shared memory,
//! sent before a Mandelbrot job) go to the `on_live` callback instead. [`LabWorker`] is a cheap
//! clonable handle, so a Cancel button can [`LabWorker::terminate`] the worker a sweep is
//! waiting on: the pending request then fails with [`CANCELLED`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use super::protocol::{JobReport, JobRequest};
use crate::platform::{compile_workers, workers_js_url};
use looplab_kernels::race::RaceOutcome;

/// The error of a request whose worker was terminated by the learner.
pub const CANCELLED: &str = "cancelled";

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

type Pending = Option<(Function, Function)>;

struct Inner {
    worker: Worker,
    has_global_pool: bool,
    pending: Rc<RefCell<Pending>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

/// A running lab worker. Dropping the last handle (or [`LabWorker::terminate`]) terminates the
/// worker and all its threads.
#[derive(Clone)]
pub struct LabWorker(Rc<Inner>);

impl PartialEq for LabWorker {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a plain property on a fresh object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Reads `target[key]` (undefined when absent).
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A readable message from a JS error value.
pub fn describe(error: JsValue) -> String {
    if let Some(text) = error.as_string() {
        return text;
    }
    get(&error, "message")
        .as_string()
        .unwrap_or_else(|| format!("{error:?}"))
}

fn settle(pending: &RefCell<Pending>, ok: bool, value: &JsValue) {
    if let Some((resolve, reject)) = pending.borrow_mut().take() {
        let _ = if ok { resolve } else { reject }.call1(&JsValue::NULL, value);
    }
}

impl LabWorker {
    /// Starts a worker. With `threads > 0` it builds a global rayon pool of that many threads
    /// (needs cross-origin isolation); with `threads == 0` it runs jobs on its own thread.
    /// `on_live` receives the worker's `live` messages.
    pub async fn start(
        threads: u32,
        on_live: impl Fn(JsValue) + 'static,
    ) -> Result<(LabWorker, Startup), String> {
        let started = crate::platform::now_ms();
        // Compiled once per page; a fresh worker only instantiates it.
        let module = JsFuture::from(compile_workers(&workers_js_url()))
            .await
            .map_err(describe)?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options("./lab-worker.js", &options).map_err(describe)?;
        let pending: Rc<RefCell<Pending>> = Rc::default();
        let on_message = {
            let pending = pending.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                match get(&data, "op").as_string().as_deref() {
                    Some("live") => on_live(data),
                    Some("error") => settle(&pending, false, &get(&data, "message")),
                    _ => settle(&pending, true, &data),
                }
            })
        };
        let on_error = {
            let pending = pending.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                let text = format!("the lab worker failed: {}", event.message());
                settle(&pending, false, &text.into());
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let lab = LabWorker(Rc::new(Inner {
            worker,
            has_global_pool: threads > 0,
            pending,
            _on_message: on_message,
            _on_error: on_error,
        }));
        let msg = Object::new();
        set(&msg, "op", &"init".into());
        set(&msg, "moduleJs", &workers_js_url().into());
        set(&msg, "module", &module);
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

    /// Runs one job request (its repeats) and waits for the report. With `live`, a Mandelbrot
    /// job first sends its shared buffers to `on_live`.
    pub async fn run_job(&self, request: &JobRequest, live: bool) -> Result<JobReport, String> {
        let msg = Object::new();
        set(&msg, "op", &"job".into());
        set(
            &msg,
            "request",
            &serde_wasm_bindgen::to_value(request).map_err(|e| e.to_string())?,
        );
        set(&msg, "live", &live.into());
        set(&msg, "globalPool", &self.0.has_global_pool.into());
        let reply = self.request(&msg).await?;
        serde_wasm_bindgen::from_value(get(&reply, "report"))
            .map_err(|e| format!("the worker sent a malformed report: {e}"))
    }

    /// Runs the lost-update race on the worker's pool.
    pub async fn race(&self, update: &str, increments: u64) -> Result<RaceOutcome, String> {
        let msg = Object::new();
        set(&msg, "op", &"race".into());
        set(&msg, "update", &update.into());
        set(&msg, "increments", &(increments as f64).into());
        set(&msg, "globalPool", &self.0.has_global_pool.into());
        let reply = self.request(&msg).await?;
        serde_wasm_bindgen::from_value(get(&reply, "outcome"))
            .map_err(|e| format!("the worker sent a malformed race outcome: {e}"))
    }

    /// Terminates the worker and its threads now; a pending request fails with [`CANCELLED`].
    pub fn terminate(&self) {
        self.0.worker.terminate();
        settle(&self.0.pending, false, &CANCELLED.into());
    }

    /// Posts `msg` and resolves with the worker's next reply (or its error).
    async fn request(&self, msg: &JsValue) -> Result<JsValue, String> {
        let pending = self.0.pending.clone();
        let worker = self.0.worker.clone();
        let promise = Promise::new(&mut |resolve, reject| {
            if let Err(e) = worker.post_message(msg) {
                let _ = reject.call1(&JsValue::NULL, &e);
                return;
            }
            *pending.borrow_mut() = Some((resolve, reject));
        });
        JsFuture::from(promise).await.map_err(describe)
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
