//! Runs inside the simulator worker (`static/sim-worker.js`), never on the page.
//!
//! The worker instantiates the workers' module (no thread pool: the simulator is single-threaded)
//! and keeps one *session*: the trace of the last run, recorded by [`sim_run`], with a
//! [`Seeker`] positioned where the page last looked. The page never receives the trace; it
//! asks for the view of one step at a time ([`sim_view`]), including the moves that need the
//! trace to resolve (step over, previous / next callback). While a long program runs, the
//! recorder posts progress messages every
//! [`looplab_core::trace::PROGRESS_EVERY`] instructions, so the page can show
//! how far it got and offer to cancel (by terminating the worker).

use std::cell::RefCell;

use js_sys::{Object, Reflect};
use looplab_core::trace::{record_with, Seeker, Trace};
use wasm_bindgen::prelude::*;

use super::project::Project;
use super::protocol::{RunResult, Settings};
use super::timeline::{nav_target, Nav, Timeline, ViewData};
use crate::platform::now_ms;

/// The most steps a trace keeps (about 35 MB); longer runs go on unrecorded.
pub const MAX_TRACE_STEPS: usize = 1_000_000;

/// The last run's trace and where the page looks at it.
struct Session {
    run: u32,
    trace: Trace,
    seeker: Seeker,
    /// Macrotask starts, ascending (for previous / next callback).
    callbacks: Vec<u32>,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

fn post_progress(id: u32, steps: u64) {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"op".into(), &"progress".into());
    let _ = Reflect::set(&msg, &"id".into(), &id.into());
    let _ = Reflect::set(&msg, &"steps".into(), &(steps as f64).into());
    if let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
        let _ = scope.post_message(&msg);
    }
}

/// Runs `source` with `settings` (a serialized [`Settings`]), records its trace into the
/// session, and returns a serialized [`RunResult`] with the trace's [`Timeline`]. `project`, a
/// serialized [`Project`] (or `undefined` for a lone `main.js`), gives the main file's name and
/// the other files the program can load; `source` is its main file's text.
#[wasm_bindgen]
pub fn sim_run(
    id: u32,
    source: &str,
    settings: JsValue,
    project: JsValue,
) -> Result<JsValue, JsError> {
    let settings: Settings = serde_wasm_bindgen::from_value(settings)?;
    let mut project: Project = if project.is_undefined() || project.is_null() {
        Project::single(source)
    } else {
        serde_wasm_bindgen::from_value(project)?
    };
    project
        .files
        .insert(project.main.clone(), source.to_string());
    super::regex::install();
    let started = now_ms();
    // The previous trace is no longer needed: free it before recording the next one.
    SESSION.with(|s| s.borrow_mut().take());
    let (outcome, trace) = record_with(
        source,
        &settings.run_options_for(&project),
        MAX_TRACE_STEPS,
        Some(Box::new(move |steps| post_progress(id, steps))),
    );
    let mut result = RunResult::from_outcome(source, &outcome, now_ms() - started);
    if !result.failed_to_start() && !trace.is_empty() {
        result.timeline = Some(Timeline::of(&trace));
        let callbacks = trace.callback_starts();
        SESSION.with(|s| {
            *s.borrow_mut() = Some(Session {
                run: id,
                trace,
                seeker: Seeker::default(),
                callbacks,
            })
        });
    }
    Ok(serde_wasm_bindgen::to_value(&result)?)
}

/// The view after the step `nav` leads to from step `from` in run `run`'s trace (a serialized
/// [`ViewData`] carrying the request's `seq`). Fails when the worker holds another run's trace (the page moved on).
#[wasm_bindgen]
pub fn sim_view(seq: u32, run: u32, from: u32, nav: JsValue) -> Result<JsValue, JsError> {
    let nav: Nav = serde_wasm_bindgen::from_value(nav)?;
    SESSION.with(|s| {
        let mut s = s.borrow_mut();
        let session = s
            .as_mut()
            .filter(|s| s.run == run)
            .ok_or_else(|| JsError::new("this run's trace is no longer in the worker"))?;
        let mut view = session.view(from, nav);
        view.request = seq;
        Ok(serde_wasm_bindgen::to_value(&view)?)
    })
}

impl Session {
    fn view(&mut self, from: u32, nav: Nav) -> ViewData {
        let trace = &self.trace;
        let target = nav_target(nav, from, trace.len() as u32, &self.callbacks, |s| {
            trace.step_over(s as usize).map(|t| t as u32)
        });
        // The narration needs the state before the step, the panes the state after it.
        let i = target as usize;
        if i == 0 {
            self.seeker = Seeker::default();
        } else {
            self.seeker.seek(trace, i - 1);
        }
        let step = trace.step_from(i, self.seeker.state());
        self.seeker.forward(trace);
        ViewData::new(self.run, &self.seeker.view(trace), &step)
    }
}
