//! Runs inside the simulator worker (`static/sim-worker.js`), never on the page.
//!
//! The worker instantiates this same module (no thread pool: the simulator is single-threaded)
//! and calls [`sim_run`] for each request. While a long program runs, a recorder posts progress
//! messages every [`PROGRESS_EVERY`] instructions, so the page can show how far it got and offer
//! to cancel (by terminating the worker).

use js_sys::{Object, Reflect};
use looplab_core::Recorder;
use wasm_bindgen::prelude::*;

use super::protocol::{RunResult, Settings};
use crate::platform::now_ms;

/// How many VM instructions pass between two progress messages.
pub const PROGRESS_EVERY: u64 = 1 << 18;

/// Counts instructions and posts `{ op: 'progress', id, steps }` now and then.
struct ProgressRecorder {
    id: u32,
    steps: u64,
}

impl Recorder for ProgressRecorder {
    fn instruction(&mut self, _func: u32, _pc: u32, _offset: u32, _clock_ns: u64) {
        self.steps += 1;
        if self.steps.is_multiple_of(PROGRESS_EVERY) {
            post_progress(self.id, self.steps);
        }
    }

    fn wants_instructions(&self) -> bool {
        true
    }
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

/// Runs `source` with `settings` (a serialized [`Settings`]) and returns a serialized
/// [`RunResult`].
#[wasm_bindgen]
pub fn sim_run(id: u32, source: &str, settings: JsValue) -> Result<JsValue, JsError> {
    let settings: Settings = serde_wasm_bindgen::from_value(settings)?;
    let started = now_ms();
    let outcome = looplab_core::run_with_recorder(
        source,
        &settings.run_options(),
        Box::new(ProgressRecorder { id, steps: 0 }),
    );
    let result = RunResult::from_outcome(source, &outcome, now_ms() - started);
    Ok(serde_wasm_bindgen::to_value(&result)?)
}
