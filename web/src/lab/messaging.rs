//! Part 4a of the lab: the cost of talking to a worker. Payloads of 1 KB up to 64 MB make a round
//! trip to an echo worker by structured clone (copied both ways), by transfer (ownership moves,
//! no copy) and through a SharedArrayBuffer (nothing moves; both sides see the same bytes); the
//! median round trip is charted against the size on log-log axes.

use std::cell::RefCell;
use std::rc::Rc;

use looplab_kernels::stats::median;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::charts::{MessagingChart, Series};
use super::client::{describe, get, CANCELLED};
use super::js::MessagingBench;
use super::protocol::{format_bytes, payload_sizes};
use crate::platform;

/// The three ways to hand data to a worker: id, label.
pub const METHODS: [(&str, &str); 3] = [
    ("clone", "structured clone (copied)"),
    ("transfer", "transfer (moved, not copied)"),
    ("shared", "SharedArrayBuffer (shared, nothing moves)"),
];

/// The largest payloads the learner can pick.
pub const MAX_SIZES: [u64; 3] = [64 << 20, 16 << 20, 1 << 20];

/// Round trips per point (after one warm-up).
const REPEATS: u32 = 5;

/// The panel's state; changed only through [`MsgAction`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct MsgState {
    pub max_size: usize,
    pub running: bool,
    pub progress: Option<String>,
    pub series: Vec<Series>,
    pub error: Option<String>,
}

pub enum MsgAction {
    MaxSize(usize),
    Started,
    Progress(String),
    Done(Vec<Series>),
    Failed(String),
}

impl Reducible for MsgState {
    type Action = MsgAction;

    fn reduce(self: Rc<Self>, action: MsgAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            MsgAction::MaxSize(i) => next.max_size = i.min(MAX_SIZES.len() - 1),
            MsgAction::Started => {
                next.running = true;
                next.error = None;
                next.series.clear();
            }
            MsgAction::Progress(text) => next.progress = Some(text),
            MsgAction::Done(series) => {
                next.running = false;
                next.progress = None;
                next.series = series;
            }
            MsgAction::Failed(message) => {
                next.running = false;
                next.progress = None;
                if message != CANCELLED {
                    next.error = Some(message);
                }
            }
        }
        Rc::new(next)
    }
}

/// Runs the benchmark and groups the medians by method.
async fn run(
    bench: &MessagingBench,
    methods: Vec<&'static str>,
    max_bytes: u64,
    dispatch: &UseReducerDispatcher<MsgState>,
) -> Result<Vec<Series>, String> {
    let progress = {
        let dispatch = dispatch.clone();
        Closure::<dyn Fn(String)>::new(move |text: String| {
            dispatch.dispatch(MsgAction::Progress(text))
        })
    };
    let method_list: js_sys::Array = methods.iter().map(|m| JsValue::from_str(m)).collect();
    let sizes: js_sys::Array = payload_sizes(max_bytes)
        .into_iter()
        .map(|b| JsValue::from_f64(b as f64))
        .collect();
    let result = JsFuture::from(bench.run(
        method_list,
        sizes,
        REPEATS,
        progress.as_ref().unchecked_ref(),
    ))
    .await
    .map_err(|e| {
        let text = describe(e);
        if text.contains(CANCELLED) {
            CANCELLED.to_string()
        } else {
            text
        }
    })?;
    let mut series: Vec<Series> = Vec::new();
    for point in js_sys::Array::from(&result).iter() {
        let method = get(&point, "method").as_string().unwrap_or_default();
        let bytes = get(&point, "bytes").as_f64().unwrap_or(0.0) as u64;
        let times: Vec<f64> = js_sys::Array::from(&get(&point, "ms"))
            .iter()
            .filter_map(|v| v.as_f64())
            .collect();
        let Some(ms) = median(&times) else { continue };
        let Some((id, label)) = METHODS.iter().find(|(id, _)| *id == method) else {
            continue;
        };
        match series.iter_mut().find(|s| s.class == *id) {
            Some(s) => s.points.push((bytes, ms)),
            None => series.push(Series {
                name: label.to_string(),
                class: id,
                points: vec![(bytes, ms)],
            }),
        }
    }
    Ok(series)
}

/// The messaging panel.
#[function_component(MessagingPanel)]
pub fn messaging_panel() -> Html {
    let state = use_reducer(MsgState::default);
    let bench = use_mut_ref(|| Option::<Rc<MessagingBench>>::None);
    let shared_ok = platform::shared_array_buffer_available() && platform::cross_origin_isolated();
    let d = state.dispatcher();
    let on_size = super::on_select_parsed(d.clone(), MsgAction::MaxSize);
    let on_run = {
        let (d, bench) = (d.clone(), bench.clone());
        let max_bytes = MAX_SIZES[state.max_size];
        Callback::from(move |_: MouseEvent| {
            let methods: Vec<&'static str> = METHODS
                .iter()
                .map(|(id, _)| *id)
                .filter(|id| shared_ok || *id != "shared")
                .collect();
            let b = Rc::new(MessagingBench::new());
            *bench.borrow_mut() = Some(b.clone());
            let d = d.clone();
            d.dispatch(MsgAction::Started);
            wasm_bindgen_futures::spawn_local(async move {
                d.dispatch(match run(&b, methods, max_bytes, &d).await {
                    Ok(series) => MsgAction::Done(series),
                    Err(e) => MsgAction::Failed(e),
                });
            });
        })
    };
    let on_cancel = {
        let bench: Rc<RefCell<Option<Rc<MessagingBench>>>> = bench.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(b) = bench.borrow_mut().take() {
                b.cancel();
            }
        })
    };
    let table_sizes: Vec<u64> = state
        .series
        .first()
        .map(|s| s.points.iter().map(|p| p.0).collect())
        .unwrap_or_default();

    html! {
        <section class="lab-part" aria-labelledby="lab-msg-title">
            <h3 id="lab-msg-title">{ "4. The cost of talking to a worker" }</h3>
            <p class="lead">
                { "Work in a worker is only useful if getting the data there and back is cheap. A \
                   plain postMessage makes a structured clone: the bytes are copied, so the time \
                   grows with the size. Transferring an ArrayBuffer hands it over without copying \
                   (the sender loses it), so the time stays nearly flat. A SharedArrayBuffer is \
                   never sent at all, only a handle to the same memory — the cheapest, but now \
                   both sides can touch the same bytes at once, which part 5 shows is dangerous. \
                   Node's worker_threads behave the same: postMessage clones unless you list the \
                   buffer in the transfer list." }
            </p>
            if !shared_ok {
                <div class="notice" data-testid="lab-msg-fallback">
                    { "SharedArrayBuffer is unavailable on this page (it is not cross-origin \
                       isolated), so only clone and transfer are measured." }
                </div>
            }
            <div class="controls">
                <label>{ "Largest payload " }
                    <select data-testid="lab-msg-size" onchange={on_size} disabled={state.running}>
                        { for MAX_SIZES.iter().enumerate().map(|(i, b)| html! {
                            <option value={i.to_string()} selected={i == state.max_size}>{ format_bytes(*b) }</option>
                        }) }
                    </select>
                </label>
                <button data-testid="lab-msg-run" onclick={on_run} disabled={state.running}>
                    { if state.running { "Measuring…" } else { "Measure round trips" } }</button>
                if state.running {
                    <button class="secondary" onclick={on_cancel}>{ "Cancel" }</button>
                }
            </div>
            if let Some(progress) = &state.progress {
                <p class="progress" role="status" aria-live="polite">{ format!("Measuring {progress}…") }</p>
            }
            if let Some(error) = &state.error {
                <p class="error" role="alert">{ format!("The measurement stopped: {error}") }</p>
            }
            if !state.series.is_empty() {
                <div class="lab-output">
                    <div class="lab-table-wrap"><table class="results" aria-label="Median round trip in ms">
                        <thead><tr>
                            <th>{ "Size" }</th>
                            { for state.series.iter().map(|s| html! { <th>{ format!("{} ms", s.class) }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for table_sizes.iter().enumerate().map(|(i, b)| html! {
                                <tr>
                                    <td>{ format_bytes(*b) }</td>
                                    { for state.series.iter().map(|s| html! {
                                        <td class="num">{ s.points.get(i).map(|p| format!("{:.3}", p.1)).unwrap_or_default() }</td>
                                    }) }
                                </tr>
                            }) }
                        </tbody>
                    </table></div>
                    <figure class="lab-figure">
                        <MessagingChart series={state.series.clone()} />
                        <figcaption>
                            <ul class="legend">
                                { for state.series.iter().map(|s| html! {
                                    <li><span class={classes!("line-swatch", s.class)} />{ &s.name }</li>
                                }) }
                            </ul>
                            { format!("Median of {REPEATS} round trips after a warm-up; both axes logarithmic.") }
                        </figcaption>
                    </figure>
                </div>
            }
        </section>
    }
}
