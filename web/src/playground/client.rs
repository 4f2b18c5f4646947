//! The page's handle on the simulator worker (`static/sim-worker.js`).
//!
//! Unlike the lab's strictly one-at-a-time client, the simulator worker streams several messages
//! per request (progress, then the result), and the page may give up on a request at any time:
//! a newer edit supersedes it, or the user cancels a long run. So messages carry a request id
//! and go to one long-lived listener, and cancelling terminates the worker and starts a fresh
//! one (a program stuck in a loop cannot be interrupted any other way).
//!
//! When the engine traps (a Rust panic is an `unreachable` trap in the page's build), the worker
//! reports a crash and the client replaces it at once, like a cancel: a trapped instance may be
//! left in any state.
//!
//! Views of steps are requested with [`SimClient::view`]. At most one view request is in flight:
//! a newer one waits in a single slot and replaces whatever waited there, so dragging the
//! scrubber never queues up work in the worker (only the latest position matters).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use super::project::Project;
use super::protocol::{RunResult, Settings};
use super::timeline::{Nav, ViewData};
use crate::platform::workers_js_url;

/// What the worker reports about a request.
#[derive(Debug)]
pub enum SimEvent {
    Progress {
        id: u32,
        steps: u64,
    },
    Done {
        id: u32,
        result: RunResult,
    },
    Failed {
        id: u32,
        message: String,
    },
    /// The view of a step (of the run `view.run`).
    View {
        view: Rc<ViewData>,
    },
    /// The engine trapped (a Looplab bug): the worker is dead and was replaced by a fresh one,
    /// which holds no trace. `message` is the trap's text.
    Crashed {
        message: String,
    },
}

/// A view request: from step `from` of run `run`, go where `nav` leads. `seq` comes back in
/// the view, so the page can tell the answer to its latest request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ViewRequest {
    pub seq: u32,
    pub run: u32,
    pub from: u32,
    pub nav: Nav,
}

/// The view requests of one worker: whether one is being answered, and the latest waiting.
#[derive(Default)]
struct Views {
    in_flight: bool,
    waiting: Option<ViewRequest>,
}

struct Inner {
    worker: Option<Worker>,
    on_message: Closure<dyn FnMut(MessageEvent)>,
    on_error: Closure<dyn FnMut(ErrorEvent)>,
    /// The request in flight, if any (a newer request replaces the worker when it is busy).
    busy: Rc<Cell<Option<u32>>>,
    views: Views,
    next_id: u32,
}

/// A simulator worker. Cheap to clone; the worker ends when the last clone is dropped.
#[derive(Clone)]
pub struct SimClient {
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for SimClient {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn decode(data: &JsValue) -> Option<SimEvent> {
    let id = get(data, "id").as_f64()? as u32;
    match get(data, "op").as_string()?.as_str() {
        "progress" => Some(SimEvent::Progress {
            id,
            steps: get(data, "steps").as_f64().unwrap_or(0.0) as u64,
        }),
        "done" => Some(match serde_wasm_bindgen::from_value(get(data, "result")) {
            Ok(result) => SimEvent::Done { id, result },
            Err(e) => SimEvent::Failed {
                id,
                message: format!("the simulator sent a malformed result: {e}"),
            },
        }),
        "crash" => Some(SimEvent::Crashed {
            message: get(data, "message").as_string().unwrap_or_default(),
        }),
        "error" => Some(SimEvent::Failed {
            id,
            message: get(data, "message").as_string().unwrap_or_default(),
        }),
        "view" => serde_wasm_bindgen::from_value(get(data, "view"))
            .ok()
            .map(|view| SimEvent::View {
                view: Rc::new(view),
            }),
        _ => None,
    }
}

impl SimClient {
    /// A client whose worker starts with the first [`SimClient::run`]; every event goes to
    /// `on_event`.
    pub fn new(on_event: Callback<SimEvent>) -> SimClient {
        let busy = Rc::new(Cell::new(None));
        let busy_msg = busy.clone();
        let events = on_event.clone();
        // The client itself, for sending the waiting view request once one is answered (weak:
        // the closure is owned by the client).
        let this: Rc<RefCell<Weak<RefCell<Inner>>>> = Rc::default();
        let this_msg = this.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if matches!(
                get(&data, "op").as_string().as_deref(),
                Some("view" | "view-error")
            ) {
                if let Some(inner) = this_msg.borrow().upgrade() {
                    let waiting = {
                        let mut inner = inner.borrow_mut();
                        inner.views.in_flight = false;
                        inner.views.waiting.take()
                    };
                    if let Some(request) = waiting {
                        SimClient { inner }.view(request);
                    }
                }
            }
            if let Some(e) = decode(&data) {
                if let SimEvent::Done { id, .. } | SimEvent::Failed { id, .. } = e {
                    if busy_msg.get() == Some(id) {
                        busy_msg.set(None);
                    }
                }
                // A trapped wasm instance cannot be trusted with another request.
                if let SimEvent::Crashed { .. } = e {
                    if let Some(inner) = this_msg.borrow().upgrade() {
                        SimClient { inner }.restart();
                    }
                }
                events.emit(e);
            }
        });
        let busy_err = busy.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            if let Some(id) = busy_err.take() {
                on_event.emit(SimEvent::Failed {
                    id,
                    message: format!("the simulator worker failed: {}", event.message()),
                });
            }
        });
        let client = SimClient {
            inner: Rc::new(RefCell::new(Inner {
                worker: None,
                on_message,
                on_error,
                busy,
                views: Views::default(),
                next_id: 1,
            })),
        };
        *this.borrow_mut() = Rc::downgrade(&client.inner);
        // The worker (and the module it loads) starts with the first run.
        client
    }

    /// Terminates the current worker (if any) and starts a fresh one.
    fn restart(&self) {
        let mut inner = self.inner.borrow_mut();
        if let Some(old) = inner.worker.take() {
            old.terminate();
        }
        inner.busy.set(None);
        inner.views = Views::default();
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let Ok(worker) = Worker::new_with_options("./sim-worker.js", &options) else {
            return;
        };
        worker.set_onmessage(Some(inner.on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(inner.on_error.as_ref().unchecked_ref()));
        let msg = Object::new();
        set(&msg, "op", &"init".into());
        set(&msg, "moduleJs", &workers_js_url().into());
        let _ = worker.post_message(&msg);
        inner.worker = Some(worker);
    }

    /// Asks for a run of a one-file program; returns its id. A run still in flight is abandoned
    /// (its worker is replaced), so the newest code always gets the worker.
    pub fn run(&self, source: &str, settings: &Settings) -> Result<u32, String> {
        self.run_project(&Project::single(source), settings)
    }

    /// Asks for a run of `project` (its main file runs; the others are files next to it).
    pub fn run_project(&self, project: &Project, settings: &Settings) -> Result<u32, String> {
        let source = project.main_text();
        let (busy, started) = {
            let inner = self.inner.borrow();
            (inner.busy.get().is_some(), inner.worker.is_some())
        };
        if busy || !started {
            self.restart();
        }
        let mut inner = self.inner.borrow_mut();
        let id = inner.next_id;
        inner.next_id += 1;
        let worker = inner
            .worker
            .as_ref()
            .ok_or("the simulator worker could not be started")?;
        let msg = Object::new();
        set(&msg, "op", &"run".into());
        set(&msg, "id", &id.into());
        set(&msg, "source", &source.into());
        // The project as a plain object (maps as objects), only when there is more than main.js.
        if !project.is_single() {
            let serializer = serde_wasm_bindgen::Serializer::json_compatible();
            set(
                &msg,
                "project",
                &project.serialize(&serializer).map_err(|e| e.to_string())?,
            );
        }
        set(
            &msg,
            "settings",
            &serde_wasm_bindgen::to_value(settings).map_err(|e| e.to_string())?,
        );
        worker
            .post_message(&msg)
            .map_err(|e| format!("could not reach the simulator worker: {e:?}"))?;
        inner.busy.set(Some(id));
        Ok(id)
    }

    /// Asks for the view of a step. If the worker is still answering an earlier view request,
    /// this one waits (replacing any request that was already waiting).
    pub fn view(&self, request: ViewRequest) {
        let mut inner = self.inner.borrow_mut();
        if inner.views.in_flight {
            inner.views.waiting = Some(request);
            return;
        }
        let Some(worker) = inner.worker.as_ref() else {
            return;
        };
        let msg = Object::new();
        set(&msg, "op", &"view".into());
        set(&msg, "id", &0.into());
        set(&msg, "seq", &request.seq.into());
        set(&msg, "run", &request.run.into());
        set(&msg, "from", &request.from.into());
        set(
            &msg,
            "nav",
            &serde_wasm_bindgen::to_value(&request.nav).unwrap_or(JsValue::UNDEFINED),
        );
        let sent = worker.post_message(&msg).is_ok();
        inner.views.in_flight = sent;
    }

    /// Stops the run in flight by replacing the worker.
    pub fn cancel(&self) {
        self.restart();
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
    }
}
