//! The lab's Yew component: pick thread counts, run the Mandelbrot sweep in workers, read the
//! table of times and speedups, see the image.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, ImageData};
use yew::prelude::*;

use super::client::LabWorker;
use super::protocol::{median, parse_thread_list, speedup, MandelbrotJob};
use crate::platform;

/// One measured point of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    pub threads: u32,
    pub median_ms: f64,
    pub times_ms: Vec<f64>,
    pub checksum: String,
    pub startup_ms: f64,
    pub pool_ms: f64,
}

/// Everything the lab shows; changed only through [`LabAction`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LabState {
    pub threads_text: String,
    pub running: bool,
    pub progress: Option<String>,
    pub rows: Vec<SweepRow>,
    pub error: Option<String>,
}

pub enum LabAction {
    EditThreads(String),
    Started,
    Progress(String),
    Measured(SweepRow),
    Finished,
    Failed(String),
}

impl Reducible for LabState {
    type Action = LabAction;

    fn reduce(self: Rc<Self>, action: LabAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LabAction::EditThreads(text) => next.threads_text = text,
            LabAction::Started => {
                next.running = true;
                next.rows.clear();
                next.error = None;
            }
            LabAction::Progress(text) => next.progress = Some(text),
            LabAction::Measured(row) => next.rows.push(row),
            LabAction::Finished => {
                next.running = false;
                next.progress = None;
            }
            LabAction::Failed(message) => {
                next.running = false;
                next.progress = None;
                next.error = Some(message);
            }
        }
        Rc::new(next)
    }
}

fn default_thread_list() -> String {
    let cores = platform::hardware_concurrency().clamp(1, 8);
    (1..=cores.max(2))
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

fn draw(canvas: &NodeRef, rgba: &js_sys::Uint8ClampedArray, width: u32, height: u32) {
    let Some(canvas) = canvas.cast::<HtmlCanvasElement>() else {
        return;
    };
    canvas.set_width(width);
    canvas.set_height(height);
    let Ok(Some(context)) = canvas.get_context("2d") else {
        return;
    };
    let Ok(context) = context.dyn_into::<CanvasRenderingContext2d>() else {
        return;
    };
    if let Ok(image) = ImageData::new_with_js_u8_clamped_array_and_sh(rgba, width, height) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}

/// Runs the sweep point by point: one fresh worker per thread count (see the module docs of
/// [`super`]), `job.repeats` timed runs each.
async fn run_sweep(
    counts: Vec<u32>,
    isolated: bool,
    dispatch: UseReducerDispatcher<LabState>,
    canvas: NodeRef,
) {
    let job = MandelbrotJob::default();
    dispatch.dispatch(LabAction::Started);
    let counts = if isolated { counts } else { vec![0] };
    for k in counts {
        let label = if k == 0 {
            "1 thread (fallback)".to_string()
        } else {
            format!("{k} threads")
        };
        dispatch.dispatch(LabAction::Progress(format!(
            "Starting a worker with {label}…"
        )));
        let (worker, startup) = match LabWorker::start(k).await {
            Ok(started) => started,
            Err(e) => return dispatch.dispatch(LabAction::Failed(e)),
        };
        dispatch.dispatch(LabAction::Progress(format!(
            "Rendering {}×{} with {label}, {} times…",
            job.width, job.height, job.repeats
        )));
        let result = match worker.run_mandelbrot(&job).await {
            Ok(result) => result,
            Err(e) => return dispatch.dispatch(LabAction::Failed(e)),
        };
        drop(worker);
        draw(&canvas, &result.rgba, job.width, job.height);
        dispatch.dispatch(LabAction::Measured(SweepRow {
            threads: startup.threads.max(result.report.threads),
            median_ms: median(&result.report.times_ms).unwrap_or(0.0),
            times_ms: result.report.times_ms,
            checksum: result.report.checksum,
            startup_ms: startup.total_ms,
            pool_ms: startup.pool_ms,
        }));
    }
    dispatch.dispatch(LabAction::Finished);
}

#[function_component(LabView)]
pub fn lab_view() -> Html {
    let state = use_reducer(|| LabState {
        threads_text: default_thread_list(),
        ..Default::default()
    });
    let canvas = use_node_ref();
    let isolated = platform::cross_origin_isolated();

    let on_input = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            dispatch.dispatch(LabAction::EditThreads(input.value()));
        })
    };
    let parsed = parse_thread_list(&state.threads_text);
    let on_run = {
        let dispatch = state.dispatcher();
        let canvas = canvas.clone();
        let parsed = parsed.clone();
        Callback::from(move |_: MouseEvent| {
            if let Ok(counts) = parsed.clone() {
                let (dispatch, canvas) = (dispatch.clone(), canvas.clone());
                wasm_bindgen_futures::spawn_local(run_sweep(counts, isolated, dispatch, canvas));
            }
        })
    };

    let one_thread_ms = state
        .rows
        .iter()
        .find(|r| r.threads == 1)
        .map(|r| r.median_ms);
    let checksums_agree = state
        .rows
        .windows(2)
        .all(|w| w[0].checksum == w[1].checksum);
    let rows = state.rows.iter().map(|row| {
        let speed = speedup(one_thread_ms, row.median_ms)
            .map(|s| format!("{s:.2}×"))
            .unwrap_or_else(|| "—".into());
        html! {
            <tr data-testid="lab-result" data-threads={row.threads.to_string()}
                data-ms={format!("{:.1}", row.median_ms)} data-checksum={row.checksum.clone()}>
                <td>{ row.threads }</td>
                <td class="num">{ format!("{:.1}", row.median_ms) }</td>
                <td class="num">{ speed }</td>
                <td class="num" title={format!("of which building the pool: {:.1} ms", row.pool_ms)}>
                    { format!("{:.0}", row.startup_ms) }</td>
                <td class="mono">{ &row.checksum }</td>
            </tr>
        }
    });

    html! {
        <section class="lab" aria-labelledby="lab-title">
            <h2 id="lab-title">{ "Parallel lab: does a second thread help?" }</h2>
            <p class="lead">
                { "Render the Mandelbrot set (1024×1024, up to 1000 iterations per pixel) in a Web \
                   Worker with 1, 2, … rayon threads that share one WebAssembly memory. Each thread \
                   count runs three times; the table shows the median. The page itself never waits: \
                   the work happens off the main thread, just as Node moves CPU-heavy work to \
                   worker_threads." }
            </p>
            if !isolated {
                <div class="notice" role="status" data-testid="lab-fallback">
                    <strong>{ "Threads are off on this page. " }</strong>
                    { "The browser only shares memory between workers (SharedArrayBuffer) when the \
                       page is cross-origin isolated, i.e. served with the headers \
                       Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: \
                       require-corp. This copy was served without them, so the lab runs the kernel \
                       on a single worker thread instead: the times are real, but there is no \
                       speedup to see." }
                </div>
            }
            <div class="controls">
                <label for="lab-threads">{ "Thread counts" }</label>
                <input id="lab-threads" data-testid="lab-threads" type="text" inputmode="numeric"
                    value={state.threads_text.clone()} oninput={on_input}
                    aria-invalid={parsed.is_err().to_string()} aria-describedby="lab-threads-help" />
                <button data-testid="lab-run" onclick={on_run}
                    disabled={state.running || parsed.is_err()}>
                    { if state.running { "Running…" } else { "Run" } }
                </button>
            </div>
            <p id="lab-threads-help" class="help">
                { match &parsed {
                    Ok(_) => format!("Comma-separated, 1 to {}. This machine reports {} logical cores.",
                        super::protocol::MAX_THREADS, platform::hardware_concurrency()),
                    Err(message) => message.clone(),
                } }
            </p>
            if let Some(progress) = &state.progress {
                <p class="progress" role="status" aria-live="polite">{ progress }</p>
            }
            if let Some(error) = &state.error {
                <p class="error" role="alert">{ format!("The run stopped: {error}") }</p>
            }
            <div class="lab-output">
                <table class="results" aria-label="Measured times">
                    <thead><tr>
                        <th>{ "Threads" }</th><th>{ "Median ms" }</th><th>{ "Speedup" }</th>
                        <th>{ "Start-up ms" }</th><th>{ "Checksum" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if state.rows.is_empty() {
                    <p class="empty">{ "No runs yet. Press Run to measure." }</p>
                } else if !checksums_agree {
                    <p class="error">{ "The checksums differ between thread counts: that is a bug." }</p>
                } else {
                    <p class="help">{ "Same checksum for every thread count: the threads split the \
                        work, not the answer. Start-up is the cost of a fresh worker and its pool, \
                        paid once per thread count and kept out of the timings." }</p>
                }
                <canvas ref={canvas} class="fractal" width="0" height="0"
                    aria-label="The rendered Mandelbrot set" />
            </div>
        </section>
    }
}
