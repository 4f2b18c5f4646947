//! Part 4b of the lab: the lost-update race. k threads add 1 to one shared counter n times each,
//! once with a separate load and store (`Atomics.load` then `Atomics.store` in JavaScript terms)
//! and once with one atomic read-modify-write (`Atomics.add`); the page shows the final count,
//! the lost updates and what atomicity costs in time.

use std::rc::Rc;

use looplab_kernels::race::{CounterUpdate, RaceOutcome};
use yew::prelude::*;

use super::client::{LabWorker, CANCELLED};
use crate::platform;

/// Increments per thread the learner can pick.
pub const INCREMENTS: [u64; 3] = [10_000_000, 1_000_000, 100_000];

/// The panel's state; changed only through [`RaceAction`].
#[derive(Clone, Debug, PartialEq)]
pub struct RaceState {
    pub threads: u32,
    pub increments: usize,
    pub running: bool,
    pub outcomes: Vec<RaceOutcome>,
    pub error: Option<String>,
}

pub enum RaceAction {
    Threads(u32),
    Increments(usize),
    Started,
    Done(Vec<RaceOutcome>),
    Failed(String),
}

impl Reducible for RaceState {
    type Action = RaceAction;

    fn reduce(self: Rc<Self>, action: RaceAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            RaceAction::Threads(k) => next.threads = k.clamp(1, 16),
            RaceAction::Increments(i) => next.increments = i.min(INCREMENTS.len() - 1),
            RaceAction::Started => {
                next.running = true;
                next.error = None;
                next.outcomes.clear();
            }
            RaceAction::Done(outcomes) => {
                next.running = false;
                next.outcomes = outcomes;
            }
            RaceAction::Failed(message) => {
                next.running = false;
                if message != CANCELLED {
                    next.error = Some(message);
                }
            }
        }
        Rc::new(next)
    }
}

/// Runs both variants on a fresh worker with `threads` threads (0: the fallback, one thread).
async fn run(threads: u32, increments: u64) -> Result<Vec<RaceOutcome>, String> {
    let (worker, _) = LabWorker::start(threads, |_| {}).await?;
    let mut outcomes = Vec::new();
    for update in CounterUpdate::ALL {
        outcomes.push(worker.race(update.name(), increments).await?);
    }
    worker.terminate();
    Ok(outcomes)
}

fn update_label(update: CounterUpdate) -> &'static str {
    match update {
        CounterUpdate::LoadThenStore => "load, add, store (not atomic)",
        CounterUpdate::FetchAdd => "one atomic add (Atomics.add)",
    }
}

/// The race panel.
#[function_component(RacePanel)]
pub fn race_panel() -> Html {
    let isolated = platform::cross_origin_isolated();
    let state = use_reducer(|| RaceState {
        threads: 2,
        increments: 0,
        running: false,
        outcomes: Vec::new(),
        error: None,
    });
    let d = state.dispatcher();
    let on_threads = super::on_select_parsed(d.clone(), RaceAction::Threads);
    let on_increments = super::on_select_parsed(d.clone(), RaceAction::Increments);
    let on_run = {
        let d = d.clone();
        let threads = if isolated { state.threads } else { 0 };
        let increments = INCREMENTS[state.increments];
        Callback::from(move |_: MouseEvent| {
            let d = d.clone();
            d.dispatch(RaceAction::Started);
            wasm_bindgen_futures::spawn_local(async move {
                d.dispatch(match run(threads, increments).await {
                    Ok(outcomes) => RaceAction::Done(outcomes),
                    Err(e) => RaceAction::Failed(e),
                });
            });
        })
    };
    let max_threads = platform::hardware_concurrency().clamp(2, 8) * 2;
    let plain_ms = state
        .outcomes
        .iter()
        .find(|o| o.update == CounterUpdate::LoadThenStore)
        .map(|o| o.elapsed_ms);

    html! {
        <section class="lab-part" aria-labelledby="lab-race-title">
            <h3 id="lab-race-title">{ "5. Sharing memory: the lost update" }</h3>
            <p class="lead">
                { "Shared memory is fast because nothing is copied, and dangerous for the same \
                   reason. Here every thread adds 1 to the same counter millions of times. Done as \
                   three steps — read the value, add one, write it back — two threads can read the \
                   same value and both write value + 1, and one increment vanishes. Done as one \
                   indivisible atomic add, nothing is lost, but the threads now queue for the same \
                   memory, so it is slower. In Node the same holds for a SharedArrayBuffer shared \
                   by worker_threads: use Atomics.add, not a load followed by a store." }
            </p>
            if !isolated {
                <div class="notice" data-testid="lab-race-fallback">
                    { "Without cross-origin isolation there is no shared memory between threads, so \
                       the race runs on a single thread: a thread cannot race with itself, so no \
                       update is lost. Serve the page with the isolation headers to see the race." }
                </div>
            }
            <div class="controls">
                <label>{ "Threads " }
                    <select data-testid="lab-race-threads" onchange={on_threads} disabled={state.running || !isolated}>
                        { for (2..=max_threads).map(|k| html! {
                            <option value={k.to_string()} selected={k == state.threads}>{ k }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Increments per thread " }
                    <select data-testid="lab-race-increments" onchange={on_increments} disabled={state.running}>
                        { for INCREMENTS.iter().enumerate().map(|(i, n)| html! {
                            <option value={i.to_string()} selected={i == state.increments}>{ n.to_string() }</option>
                        }) }
                    </select>
                </label>
                <button data-testid="lab-race-run" onclick={on_run} disabled={state.running}>
                    { if state.running { "Racing…" } else { "Race" } }</button>
            </div>
            if state.running {
                <p class="progress" role="status" aria-live="polite">{ "Starting the threads and racing, both ways…" }</p>
            }
            if let Some(error) = &state.error {
                <p class="error" role="alert">{ format!("The race stopped: {error}") }</p>
            }
            if !state.outcomes.is_empty() {
                <div class="lab-table-wrap"><table class="results" aria-label="Race outcomes">
                    <thead><tr>
                        <th>{ "Update" }</th><th>{ "Threads" }</th><th>{ "Expected" }</th>
                        <th>{ "Final count" }</th><th>{ "Lost updates" }</th><th>{ "Time ms" }</th>
                    </tr></thead>
                    <tbody>
                        { for state.outcomes.iter().map(|o| html! {
                            <tr data-testid="lab-race-result" data-update={o.update.name()}
                                data-lost={o.lost_updates.to_string()} data-final={o.final_count.to_string()}
                                data-expected={o.expected.to_string()}>
                                <td>{ update_label(o.update) }</td>
                                <td class="num">{ o.threads }</td>
                                <td class="num">{ o.expected.to_string() }</td>
                                <td class="num">{ o.final_count.to_string() }</td>
                                <td class={classes!("num", (o.lost_updates > 0).then_some("error"))}>
                                    { format!("{} ({:.1}%)", o.lost_updates, 100.0 * o.lost_updates as f64 / o.expected.max(1) as f64) }</td>
                                <td class="num">{ match plain_ms {
                                    Some(base) if o.update == CounterUpdate::FetchAdd && base > 0.0 =>
                                        format!("{:.1} ({:.1}× the plain one)", o.elapsed_ms, o.elapsed_ms / base),
                                    _ => format!("{:.1}", o.elapsed_ms),
                                } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table></div>
            }
        </section>
    }
}
