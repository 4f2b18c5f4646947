//! Part 1 and 2 of the lab: the worker-count sweep (table, speedup chart with the Amdahl fit),
//! the per-thread chunk timeline, and the live Mandelbrot canvas painted from the worker's shared
//! memory while the threads work.

use std::cell::RefCell;
use std::rc::Rc;

use looplab_kernels::stats::fit_amdahl;
use looplab_kernels::{ChunkSpan, JobSpec, KernelId, Schedule};
use web_sys::{HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

use super::charts::{thread_colour, SpeedupChart, TimelineChart, THREAD_COLOURS};
use super::client::{LabWorker, CANCELLED};
use super::js::LivePainter;
use super::protocol::{
    kernel_label, parse_repeats, parse_thread_list, schedule_label, summarise, JobRequest, SIZES,
};
use super::select_value;
use crate::platform;

/// One measured point: a thread count and its repeats.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    pub threads: u32,
    pub times_ms: Vec<f64>,
    pub checksum: String,
    pub startup_ms: f64,
    pub pool_ms: f64,
    pub chunks: Vec<ChunkSpan>,
}

/// The sweep's state; changed only through [`SweepAction`].
#[derive(Clone, Debug, PartialEq)]
pub struct SweepState {
    pub kernel: KernelId,
    pub size: usize,
    pub schedule: Schedule,
    pub threads_text: String,
    pub repeats_text: String,
    pub running: bool,
    pub progress: Option<String>,
    pub points: Vec<SweepPoint>,
    /// The point whose timeline is shown.
    pub selected: Option<usize>,
    pub error: Option<String>,
    pub cancelled: bool,
    /// (slowest live frame in ms, frames painted) of the last live run.
    pub live: Option<(f64, u32)>,
}

pub enum SweepAction {
    Kernel(KernelId),
    Size(usize),
    Schedule(Schedule),
    Threads(String),
    Repeats(String),
    Started,
    Progress(String),
    Measured(SweepPoint),
    Live(f64, u32),
    Select(usize),
    Finished,
    Failed(String),
}

impl SweepState {
    fn new() -> SweepState {
        let cores = platform::hardware_concurrency().clamp(1, 8);
        SweepState {
            kernel: KernelId::Mandelbrot,
            size: 1,
            schedule: Schedule::WorkStealing,
            threads_text: (1..=cores.max(2))
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(","),
            repeats_text: "3".into(),
            running: false,
            progress: None,
            points: Vec::new(),
            selected: None,
            error: None,
            cancelled: false,
            live: None,
        }
    }
}

impl Reducible for SweepState {
    type Action = SweepAction;

    fn reduce(self: Rc<Self>, action: SweepAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SweepAction::Kernel(k) => next.kernel = k,
            SweepAction::Size(i) => next.size = i.min(SIZES.len() - 1),
            SweepAction::Schedule(s) => next.schedule = s,
            SweepAction::Threads(t) => next.threads_text = t,
            SweepAction::Repeats(t) => next.repeats_text = t,
            SweepAction::Started => {
                next.running = true;
                next.points.clear();
                next.selected = None;
                next.error = None;
                next.cancelled = false;
                next.live = None;
            }
            SweepAction::Progress(text) => next.progress = Some(text),
            SweepAction::Measured(point) => {
                next.points.push(point);
                next.selected = Some(next.points.len() - 1);
            }
            SweepAction::Live(ms, frames) => next.live = Some((ms, frames)),
            SweepAction::Select(i) => next.selected = Some(i),
            SweepAction::Finished => {
                next.running = false;
                next.progress = None;
            }
            SweepAction::Failed(message) => {
                next.running = false;
                next.progress = None;
                if message == CANCELLED {
                    next.cancelled = true;
                } else {
                    next.error = Some(message);
                }
            }
        }
        Rc::new(next)
    }
}

/// The worker a running sweep waits on (so Cancel can terminate it) and the live painter.
#[derive(Default)]
struct Handles {
    worker: Option<LabWorker>,
    painter: Option<LivePainter>,
    cancelled: bool,
}

/// Runs the sweep point by point: one fresh worker per thread count (see the module docs of
/// [`super`]), `repeats` timed runs each.
async fn run_sweep(
    request: JobRequest,
    counts: Vec<u32>,
    isolated: bool,
    dispatch: UseReducerDispatcher<SweepState>,
    handles: Rc<RefCell<Handles>>,
) {
    dispatch.dispatch(SweepAction::Started);
    handles.borrow_mut().cancelled = false;
    let counts = if isolated { counts } else { vec![0] };
    let total = counts.len();
    let live = isolated && request.spec.kernel == KernelId::Mandelbrot;
    for (i, k) in counts.into_iter().enumerate() {
        let label = if k == 0 {
            "1 thread (fallback)".to_string()
        } else {
            format!("{k} threads")
        };
        dispatch.dispatch(SweepAction::Progress(format!(
            "Point {} of {total}: starting a worker with {label}…",
            i + 1
        )));
        let on_live = {
            let handles = handles.clone();
            move |data| {
                if let Some(painter) = &handles.borrow().painter {
                    painter.attach(&data);
                }
            }
        };
        let started = LabWorker::start(k, on_live).await;
        if handles.borrow().cancelled {
            return dispatch.dispatch(SweepAction::Failed(CANCELLED.into()));
        }
        let (worker, startup) = match started {
            Ok(started) => started,
            Err(e) => return dispatch.dispatch(SweepAction::Failed(e)),
        };
        handles.borrow_mut().worker = Some(worker.clone());
        dispatch.dispatch(SweepAction::Progress(format!(
            "Point {} of {total}: {} with {label}, {} repeats…",
            i + 1,
            kernel_label(request.spec.kernel),
            request.repeats
        )));
        let result = worker.run_job(&request, live).await;
        if let Some(painter) = &handles.borrow().painter {
            if live {
                painter.stop();
                dispatch.dispatch(SweepAction::Live(
                    painter.max_paint_ms(),
                    painter.painted_frames(),
                ));
            }
        }
        handles.borrow_mut().worker = None;
        worker.terminate();
        let report = match result {
            Ok(report) => report,
            Err(e) => return dispatch.dispatch(SweepAction::Failed(e)),
        };
        dispatch.dispatch(SweepAction::Measured(SweepPoint {
            threads: startup.threads.max(report.threads),
            times_ms: report.times_ms,
            checksum: report.checksum,
            startup_ms: startup.total_ms,
            pool_ms: startup.pool_ms,
            chunks: report.chunks,
        }));
    }
    dispatch.dispatch(SweepAction::Finished);
}

/// The last 8 digits of a checksum, enough to compare by eye (the full one is in the tooltip).
fn short_checksum(checksum: &str) -> String {
    let tail = checksum.len().saturating_sub(8);
    if tail == 0 {
        checksum.to_string()
    } else {
        format!("…{}", &checksum[tail..])
    }
}

/// `"count primes"` → `"Count primes."`
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>() + ".")
        .unwrap_or_default()
}

fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// The sweep panel.
#[function_component(SweepPanel)]
pub fn sweep_panel() -> Html {
    let state = use_reducer(SweepState::new);
    let handles = use_mut_ref(Handles::default);
    let canvas = use_node_ref();
    let isolated = platform::cross_origin_isolated();

    let threads = parse_thread_list(&state.threads_text);
    let repeats = parse_repeats(&state.repeats_text);
    let d = state.dispatcher();
    let on_kernel = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(k) = KernelId::from_name(&select_value(&e)) {
                d.dispatch(SweepAction::Kernel(k));
            }
        })
    };
    let on_size = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Ok(i) = select_value(&e).parse() {
                d.dispatch(SweepAction::Size(i));
            }
        })
    };
    let on_schedule = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = Schedule::from_name(&select_value(&e)) {
                d.dispatch(SweepAction::Schedule(s));
            }
        })
    };
    let on_threads = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| d.dispatch(SweepAction::Threads(input_value(&e))))
    };
    let on_repeats = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| d.dispatch(SweepAction::Repeats(input_value(&e))))
    };
    let on_run = {
        let (d, handles, canvas) = (d.clone(), handles.clone(), canvas.clone());
        let (threads, repeats) = (threads.clone(), repeats.clone());
        let spec = JobSpec {
            kernel: state.kernel,
            size: SIZES[state.size].1,
            schedule: state.schedule,
            chunks_hint: 0,
        };
        Callback::from(move |_: MouseEvent| {
            let (Ok(counts), Ok(repeats)) = (threads.clone(), repeats.clone()) else {
                return;
            };
            if handles.borrow().painter.is_none() {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    handles.borrow_mut().painter =
                        Some(LivePainter::new(&c, &THREAD_COLOURS.join(",")));
                }
            }
            let request = JobRequest { spec, repeats };
            wasm_bindgen_futures::spawn_local(run_sweep(
                request,
                counts,
                isolated,
                d.clone(),
                handles.clone(),
            ));
        })
    };
    let on_cancel = {
        let handles = handles.clone();
        Callback::from(move |_: MouseEvent| {
            let mut h = handles.borrow_mut();
            h.cancelled = true;
            if let Some(worker) = h.worker.take() {
                worker.terminate();
            }
            if let Some(painter) = &h.painter {
                painter.stop();
            }
        })
    };

    let summaries = summarise(
        &state
            .points
            .iter()
            .map(|p| (p.threads, p.times_ms.clone()))
            .collect::<Vec<_>>(),
    );
    let fit = fit_amdahl(
        &summaries
            .iter()
            .map(|s| (s.threads, s.spread.median))
            .collect::<Vec<_>>(),
    );
    let checksums_agree = state
        .points
        .windows(2)
        .all(|w| w[0].checksum == w[1].checksum);
    let running = state.running;

    let rows = state.points.iter().zip(&summaries).enumerate().map(|(i, (p, s))| {
        let select = {
            let d = d.clone();
            Callback::from(move |_: MouseEvent| d.dispatch(SweepAction::Select(i)))
        };
        let pct = |v: Option<f64>, fmt: fn(f64) -> String| v.map(fmt).unwrap_or_else(|| "—".into());
        html! {
            <tr data-testid="lab-result" data-threads={p.threads.to_string()}
                data-ms={format!("{:.1}", s.spread.median)} data-checksum={p.checksum.clone()}
                data-startup={format!("{:.1}", p.startup_ms)} data-pool={format!("{:.1}", p.pool_ms)}
                class={classes!((state.selected == Some(i)).then_some("selected"))}>
                <td>{ p.threads }</td>
                <td class="num">{ format!("{:.1}", s.spread.median) }</td>
                <td class="num">{ pct(s.speedup, |v| format!("{v:.2}×")) }</td>
                <td class="num">{ pct(s.efficiency, |v| format!("{:.0}%", v * 100.0)) }</td>
                <td class="num" title="fastest – slowest repeat">
                    { format!("{:.1}–{:.1}", s.spread.min, s.spread.max) }</td>
                <td class="num" title={format!("of which building the pool: {:.1} ms", p.pool_ms)}>
                    { format!("{:.0}", p.startup_ms) }</td>
                <td class="mono checksum" title={p.checksum.clone()}>{ short_checksum(&p.checksum) }</td>
                <td><button class="small" onclick={select} disabled={state.selected == Some(i)}
                    aria-label={format!("Show the timeline of {} threads", p.threads)}>{ "timeline" }</button></td>
            </tr>
        }
    });
    let selected = state.selected.and_then(|i| state.points.get(i));

    html! {
        <section class="lab-part" aria-labelledby="lab-sweep-title">
            <h3 id="lab-sweep-title">{ "1. Does another thread help? A sweep over thread counts" }</h3>
            <p class="lead">
                { "Pick a kernel and run it with 1, 2, … threads. Each thread count gets a fresh Web \
                   Worker whose rayon pool has exactly that many threads, all sharing one \
                   WebAssembly memory — like Node's worker_threads sharing a SharedArrayBuffer. \
                   Every point is repeated and the median is kept, because one timing alone is \
                   mostly noise. Look at the speedup: it stops growing once you pass the number \
                   of cores (oversubscription), and it bends below the ideal line by the part of \
                   the work that stays serial, which the Amdahl fit estimates. Static chunks give \
                   every thread one block up front; work stealing hands out many small pieces, \
                   which evens out uneven work: the Mandelbrot frame is off-centre, so with static \
                   chunks one of two threads gets about three quarters of the work." }
            </p>
            <div class="controls lab-controls">
                <label>{ "Kernel " }
                    <select data-testid="lab-kernel" onchange={on_kernel} disabled={running}>
                        { for KernelId::ALL.iter().map(|k| html! {
                            <option value={k.name()} selected={*k == state.kernel}>{ kernel_label(*k) }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Size " }
                    <select data-testid="lab-size" onchange={on_size} disabled={running}>
                        { for SIZES.iter().enumerate().map(|(i, (name, _))| html! {
                            <option value={i.to_string()} selected={i == state.size}>{ *name }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Schedule " }
                    <select data-testid="lab-schedule" onchange={on_schedule} disabled={running}>
                        { for Schedule::ALL.iter().map(|s| html! {
                            <option value={s.name()} selected={*s == state.schedule}>{ schedule_label(*s) }</option>
                        }) }
                    </select>
                </label>
                <label for="lab-threads">{ "Thread counts" }</label>
                <input id="lab-threads" data-testid="lab-threads" type="text" inputmode="numeric"
                    value={state.threads_text.clone()} oninput={on_threads} disabled={running}
                    aria-invalid={threads.is_err().to_string()} aria-describedby="lab-threads-help" />
                <label for="lab-repeats">{ "Repeats" }</label>
                <input id="lab-repeats" data-testid="lab-repeats" type="text" inputmode="numeric" class="short"
                    value={state.repeats_text.clone()} oninput={on_repeats} disabled={running}
                    aria-invalid={repeats.is_err().to_string()} aria-describedby="lab-threads-help" />
                <button data-testid="lab-run" onclick={on_run}
                    disabled={running || threads.is_err() || repeats.is_err()}>
                    { if running { "Running…" } else { "Run" } }
                </button>
                if running {
                    <button data-testid="lab-cancel" class="secondary" onclick={on_cancel}>{ "Cancel" }</button>
                }
            </div>
            <p id="lab-threads-help" class={classes!("help", (threads.is_err() || repeats.is_err()).then_some("error"))}>
                { match (&threads, &repeats) {
                    (Err(message), _) | (_, Err(message)) => message.clone(),
                    _ => format!("{} Thread counts are comma-separated, 1 to {}; this machine reports {} logical cores.",
                        capitalise(state.kernel.description()),
                        super::protocol::MAX_THREADS, platform::hardware_concurrency()),
                } }
            </p>
            if let Some(progress) = &state.progress {
                <p class="progress" role="status" aria-live="polite" data-testid="lab-progress">{ progress }</p>
            }
            if state.cancelled {
                <p class="help" role="status">{ "Cancelled: the worker and its threads were terminated. The points measured before stay below." }</p>
            }
            if let Some(error) = &state.error {
                <p class="error" role="alert">{ format!("The run stopped: {error}") }</p>
            }
            <div class="lab-output">
                <div class="lab-table-wrap">
                    <table class="results" aria-label="Measured times">
                        <thead><tr>
                            <th>{ "Threads" }</th><th>{ "Median ms" }</th><th>{ "Speedup" }</th>
                            <th>{ "Efficiency" }</th><th>{ "Spread ms" }</th><th>{ "Start-up ms" }</th>
                            <th>{ "Checksum" }</th><th><span class="visually-hidden">{ "Timeline" }</span></th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                    if state.points.is_empty() {
                        <p class="empty">{ "No runs yet. Press Run to measure." }</p>
                    } else if !checksums_agree {
                        <p class="error">{ "The checksums differ between thread counts: that is a bug." }</p>
                    } else {
                        <p class="help">{ "Same checksum for every thread count: the threads split the \
                            work, not the answer. Start-up is the cost of a fresh worker, its \
                            WebAssembly instance and its pool, paid once per thread count and kept \
                            out of the timings." }</p>
                    }
                </div>
                <figure class="lab-figure">
                    <SpeedupChart points={summaries.clone()} fit={fit} />
                    <figcaption>
                        { "Dots: measured speedup (bars: fastest to slowest repeat). Dashed: ideal. Curve: Amdahl's law, " }
                        <span data-testid="lab-serial-fraction">{ match fit {
                            Some(fit) => format!("serial fraction ≈ {:.1}% (at most {} faster, however many threads)",
                                fit.serial_fraction * 100.0,
                                if fit.max_speedup.is_finite() { format!("{:.1}×", fit.max_speedup) } else { "∞×".into() }),
                            None => "fitted once two thread counts are measured".into(),
                        } }</span>
                    </figcaption>
                </figure>
            </div>
            <h3>{ "2. Watch it happen" }</h3>
            <p class="lead">
                { "The timeline shows every chunk of work as a bar in the lane of the thread that ran \
                   it: gaps are idle threads waiting for the slowest one. With the Mandelbrot set, \
                   the canvas is painted while the job runs: the page reads the worker's shared \
                   memory on every animation frame and colours each row by the thread that \
                   computed it (the legend gives the numbers)." }
            </p>
            <div class="lab-output">
                <div>
                    if let Some(p) = selected {
                        <p class="help">{ format!("Timeline of the last repeat with {} thread{}:", p.threads, if p.threads == 1 { "" } else { "s" }) }</p>
                        <TimelineChart chunks={p.chunks.clone()} threads={p.threads} />
                    } else {
                        <p class="empty">{ "The timeline appears after the first point." }</p>
                    }
                    <ul class="legend" aria-label="Thread colours">
                        { for (0..selected.map_or(0, |p| p.threads).min(THREAD_COLOURS.len() as u32)).map(|t| html! {
                            <li><span class="swatch" style={format!("background:{}", thread_colour(t))} />{ format!("T{} = thread {}", t + 1, t + 1) }</li>
                        }) }
                    </ul>
                </div>
                <figure class="lab-figure">
                    <canvas ref={canvas} class="fractal" width="0" height="0" data-testid="lab-canvas"
                        aria-label="The Mandelbrot set, each row coloured by the thread that painted it" />
                    <figcaption data-testid="lab-live-stats">{ match (state.live, isolated) {
                        (Some((ms, frames)), _) => format!("Painted live in {frames} frames; the slowest frame took {ms:.1} ms to copy and paint."),
                        (None, false) => "The live view needs shared memory, which this page does not have.".into(),
                        (None, true) => "Run the Mandelbrot kernel to watch the threads paint.".into(),
                    } }</figcaption>
                </figure>
            </div>
        </section>
    }
}
