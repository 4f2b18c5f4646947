//! Part 3 of the lab: don't block the main thread, measured. The same Mandelbrot job runs on the
//! page's own thread (the anti-pattern, only when the learner asks), in one worker, and on a
//! pool of k worker threads, while a dot moves on every animation frame and an input field
//! waits for typing; for each, the longest frame gap, the dropped frames and the browser's long
//! tasks are shown.

use std::cell::RefCell;
use std::rc::Rc;

use looplab_kernels::{JobSpec, KernelId, Schedule};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::client::{describe, get, LabWorker};
use super::js::{in_timer_task, next_frames, FrameMonitor};
use super::protocol::{frame_stats, FrameStats, JobReport, JobRequest};
use crate::platform;

/// Where the job runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// On the page's main thread: the page freezes.
    MainThread,
    /// In one worker with its own thread.
    OneWorker,
    /// In a worker with a rayon pool of k threads.
    Pool(u32),
}

impl Mode {
    fn id(self) -> &'static str {
        match self {
            Mode::MainThread => "main",
            Mode::OneWorker => "worker",
            Mode::Pool(_) => "pool",
        }
    }

    fn label(self) -> String {
        match self {
            Mode::MainThread => "main thread (the anti-pattern)".into(),
            Mode::OneWorker => "one worker".into(),
            Mode::Pool(k) => format!("a pool of {k} worker threads"),
        }
    }
}

/// The Mandelbrot sizes of the demo: label and scale factor.
pub const BLOCK_SIZES: [(&str, f64); 2] = [("normal", 0.6), ("short", 0.2)];

/// One measured mode.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockRow {
    pub mode: Mode,
    pub kernel_ms: f64,
    pub frames: FrameStats,
}

/// The demo's state; changed only through [`BlockAction`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BlockState {
    pub size: usize,
    pub running: Option<Mode>,
    pub rows: Vec<BlockRow>,
    pub error: Option<String>,
}

pub enum BlockAction {
    Size(usize),
    Started(Mode),
    Measured(BlockRow),
    Failed(String),
}

impl Reducible for BlockState {
    type Action = BlockAction;

    fn reduce(self: Rc<Self>, action: BlockAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            BlockAction::Size(i) => next.size = i.min(BLOCK_SIZES.len() - 1),
            BlockAction::Started(mode) => {
                next.running = Some(mode);
                next.error = None;
            }
            BlockAction::Measured(row) => {
                next.running = None;
                next.rows.retain(|r| r.mode.id() != row.mode.id());
                next.rows.push(row);
            }
            BlockAction::Failed(message) => {
                next.running = None;
                next.error = Some(message);
            }
        }
        Rc::new(next)
    }
}

async fn wait(promise: js_sys::Promise) -> Result<wasm_bindgen::JsValue, String> {
    JsFuture::from(promise).await.map_err(describe)
}

/// The workers' module instantiated on the page itself (loaded once, before the frames are
/// watched: loading it is not what the demo measures).
async fn workers_here() -> Result<JsValue, String> {
    wait(platform::load_workers_here(&platform::workers_js_url())).await
}

/// Runs `request` on the page's own thread, inside a timer task of its own: the task the
/// browser then reports as one long task. The kernels live in the workers' module, which
/// [`workers_here`] has loaded on the page for this demo.
async fn run_in_timer_task(request: JobRequest) -> Result<JobReport, String> {
    let glue = workers_here().await?;
    let run_job: js_sys::Function = get(&glue, "lab_run_job")
        .dyn_into()
        .map_err(|_| "the workers' module has no lab_run_job".to_string())?;
    let request = serde_wasm_bindgen::to_value(&request).map_err(|e| e.to_string())?;
    let outcome = Rc::new(RefCell::new(None));
    let slot = outcome.clone();
    let job = Closure::<dyn FnMut() -> JsValue>::new(move || {
        *slot.borrow_mut() = Some(run_job.call2(&JsValue::NULL, &request, &false.into()));
        JsValue::UNDEFINED
    });
    wait(in_timer_task(&job)).await?;
    let result = outcome.borrow_mut().take();
    let report = result
        .ok_or("the main-thread job never ran")?
        .map_err(describe)?;
    serde_wasm_bindgen::from_value(report).map_err(|e| format!("malformed job report: {e}"))
}

/// Runs `request` in `mode` while `monitor` watches the frames.
async fn measure(
    mode: Mode,
    request: JobRequest,
    monitor: FrameMonitor,
) -> Result<BlockRow, String> {
    // Start any worker before watching: its start-up is not what this demo measures.
    let worker = match mode {
        Mode::MainThread => {
            workers_here().await?;
            None
        }
        Mode::OneWorker => Some(LabWorker::start(0, |_| {}).await?.0),
        Mode::Pool(k) => Some(LabWorker::start(k, |_| {}).await?.0),
    };
    monitor.start();
    wait(next_frames(3)).await?;
    let report = match &worker {
        None => run_in_timer_task(request).await?,
        Some(worker) => worker.run_job(&request, false).await?,
    };
    let seen = wait(monitor.stop()).await?;
    if let Some(worker) = worker {
        worker.terminate();
    }
    let numbers = |key: &str| -> Vec<f64> {
        js_sys::Array::from(&get(&seen, key))
            .iter()
            .filter_map(|v| v.as_f64())
            .collect()
    };
    Ok(BlockRow {
        mode,
        kernel_ms: report.times_ms.iter().sum(),
        frames: frame_stats(
            &numbers("frames"),
            &numbers("longTasks"),
            get(&seen, "windowMs").as_f64().unwrap_or(0.0),
        ),
    })
}

/// "2 (530 ms)" — how many long tasks the browser reported and how long they took together.
fn long_tasks_cell(frames: &FrameStats) -> String {
    match frames.long_tasks {
        0 => "none".into(),
        n => format!("{n} ({:.0} ms)", frames.long_task_ms),
    }
}

/// The blocking demo panel.
#[function_component(BlockingPanel)]
pub fn blocking_panel() -> Html {
    let state = use_reducer(BlockState::default);
    let dot = use_node_ref();
    let isolated = platform::cross_origin_isolated();
    let k = platform::hardware_concurrency().clamp(2, 8);
    let modes: Vec<Mode> = if isolated {
        vec![Mode::MainThread, Mode::OneWorker, Mode::Pool(k)]
    } else {
        vec![Mode::MainThread, Mode::OneWorker]
    };
    let d = state.dispatcher();
    let on_size = super::on_select_parsed(d.clone(), BlockAction::Size);
    let request = JobRequest {
        spec: JobSpec {
            kernel: KernelId::Mandelbrot,
            size: BLOCK_SIZES[state.size].1,
            schedule: Schedule::WorkStealing,
            chunks_hint: 0,
        },
        repeats: 1,
    };
    let button = |mode: Mode| {
        let (d, dot, request) = (d.clone(), dot.clone(), request.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let Some(dot) = dot.cast::<web_sys::Element>() else {
                return;
            };
            let monitor = FrameMonitor::new(&dot);
            d.dispatch(BlockAction::Started(mode));
            let d = d.clone();
            let request = request.clone();
            wasm_bindgen_futures::spawn_local(async move {
                d.dispatch(match measure(mode, request, monitor).await {
                    Ok(row) => BlockAction::Measured(row),
                    Err(e) => BlockAction::Failed(e),
                });
            });
        });
        let text = match mode {
            Mode::MainThread => "Run on the main thread (freezes the page)".to_string(),
            Mode::OneWorker => "Run in one worker".into(),
            Mode::Pool(k) => format!("Run on {k} worker threads"),
        };
        html! {
            <button data-testid={format!("lab-block-{}", mode.id())} onclick={onclick}
                class={classes!((mode == Mode::MainThread).then_some("danger"))}
                disabled={state.running.is_some()}>{ text }</button>
        }
    };
    let rows = state.rows.iter().map(|r| html! {
        <tr data-testid="lab-block-result" data-mode={r.mode.id()}
            data-gap={format!("{:.1}", r.frames.longest_gap_ms)} data-dropped={r.frames.dropped.to_string()}
            data-long-tasks={r.frames.long_tasks.to_string()}>
            <td>{ r.mode.label() }</td>
            <td class="num">{ format!("{:.0}", r.kernel_ms) }</td>
            <td class="num">{ format!("{:.0}", r.frames.longest_gap_ms) }</td>
            <td class="num">{ format!("{} of {}", r.frames.dropped, r.frames.dropped + r.frames.frames) }</td>
            <td class="num">{ long_tasks_cell(&r.frames) }</td>
        </tr>
    });
    // A hint to type, only while something runs.
    let typing_hint = state
        .running
        .map(|m| format!("Running on {}… try typing.", m.label()));

    html! {
        <section class="lab-part" aria-labelledby="lab-block-title">
            <h3 id="lab-block-title">{ "3. Don't block the main thread — measured" }</h3>
            <p class="lead">
                { "A browser tab, like a Node process, has one main thread that runs your code and \
                   everything else: here it draws frames and reacts to typing; in Node it answers \
                   every request. Run the same calculation three ways while the dot moves and you \
                   type in the box. On the main thread the dot stops and the letters appear only \
                   at the end: that is what every client of a Node server feels while one request \
                   computes on the event loop. In a worker the page stays smooth, however long the \
                   work takes. The table shows the longest gap between two frames (16.7 ms is \
                   smooth at 60 Hz) and the frames that were never drawn, both measured with \
                   requestAnimationFrame, and the long tasks (over 50 ms) the browser itself reported \
                   with PerformanceObserver." }
            </p>
            <div class="notice">
                { "The main-thread button runs the kernel on this page's own WebAssembly instance, \
                   on a one-thread pool made of the main thread — on purpose, to show the \
                   anti-pattern. The page will freeze for about a second; it comes back by itself." }
            </div>
            <div class="controls">
                <label>{ "Job " }
                    <select data-testid="lab-block-size" onchange={on_size} disabled={state.running.is_some()}>
                        { for BLOCK_SIZES.iter().enumerate().map(|(i, (name, size))| html! {
                            <option value={i.to_string()} selected={i == state.size}>
                                { format!("{name}: Mandelbrot at {:.0}% of the default size", size * 100.0) }</option>
                        }) }
                    </select>
                </label>
                { for modes.iter().map(|m| button(*m)) }
            </div>
            if !isolated {
                <p class="help">{ "Without cross-origin isolation there is no pool of threads: the \
                    comparison is main thread against one worker." }</p>
            }
            <div class="block-stage">
                <div class="dot-track" aria-hidden="true"><div class="dot" ref={dot} /></div>
                <label>{ "Type here while it runs: " }
                    <input type="text" data-testid="lab-block-input" placeholder="the page answers…" />
                </label>
                if let Some(hint) = typing_hint {
                    <p class="progress" role="status" aria-live="polite">{ hint }</p>
                }
            </div>
            if let Some(error) = &state.error {
                <p class="error" role="alert">{ format!("The run stopped: {error}") }</p>
            }
            <div class="lab-table-wrap"><table class="results" aria-label="Frame gaps">
                <thead><tr>
                    <th>{ "Where it ran" }</th><th>{ "Kernel ms" }</th><th>{ "Longest frame gap ms" }</th>
                    <th>{ "Dropped frames" }</th><th>{ "Long tasks (> 50 ms)" }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table></div>
            if state.rows.is_empty() {
                <p class="empty">{ "No runs yet. Try the worker first, then the main thread." }</p>
            }
        </section>
    }
}
