//! The panes that show one step's view: call stack, nextTick and microtask queues, timers on a
//! virtual-time axis, immediates, pending I/O and the thread pool's lanes, promises, the loop's
//! phases with the current one lit, and the virtual clock. Every pane says in words when it has
//! nothing to show; colour is never the only signal (states are also written out).

use std::rc::Rc;

use yew::prelude::*;

use super::tabs::{Layout, PaneTab, PanelAttrs};
use crate::playground::timeline::{format_ms, JobData, PromiseData, ViewData};

#[derive(Properties, PartialEq)]
pub struct PaneProps {
    pub view: Rc<ViewData>,
    /// Side by side, or as tabs (on narrow screens) with one of them shown.
    pub layout: Layout,
}

/// A pane's section, made a tab's panel (or not) by `attrs`.
fn panel(attrs: PanelAttrs, class: &'static str, body: Html) -> Html {
    html! {
        <section class={class} id={attrs.id} role={attrs.role} aria-labelledby={attrs.labelled_by}
            tabindex={attrs.tab_index} hidden={attrs.hidden}>
            { body }
        </section>
    }
}

fn jobs(list: &[JobData], testid: &'static str, empty: &'static str) -> Html {
    html! {
        <ol class="pg-jobs" data-testid={testid} data-count={list.len().to_string()}>
            { for list.iter().map(|j| html! {
                <li class="pg-job">
                    if let Some(kind) = &j.kind { <span class={classes!("pg-kind", kind.clone())}>{ kind_label(kind) }</span> }
                    <span class="mono">{ &j.label }</span>
                    if let Some(p) = j.promise { <span class="help">{ format!(" · promise #{p}") }</span> }
                </li>
            }) }
            if list.is_empty() { <li class="empty">{ empty }</li> }
        </ol>
    }
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "reaction" => "reaction",
        "resolve-thenable" => "thenable",
        "await-resume" => "await resume",
        "callback" => "queueMicrotask",
        _ => "job",
    }
}

#[function_component(CallStack)]
pub fn call_stack(props: &PaneProps) -> Html {
    let frames = &props.view.call_stack;
    panel(
        props.layout.panel(PaneTab::Stack, "pg-stack-title"),
        "pg-pane",
        html! { <>
                <h2 id="pg-stack-title">{ "Call stack" }</h2>
                if let Some((queue, label)) = &props.view.current {
                    <p class="help" data-testid="current-callback">
                        { if frames.is_empty() {
                            format!("Last callback run (from the {queue} queue): {label}")
                        } else {
                            format!("Running now (taken from the {queue} queue): {label}")
                        } }
                    </p>
                }
                <ol class="pg-stack" data-testid="call-stack" data-depth={frames.len().to_string()} reversed=true>
                    { for frames.iter().rev().map(|f| html! {
                        <li class="pg-frame">
                            <div><strong class="mono">{ &f.name }</strong>
                                if let Some(line) = f.line { <span class="help">{ format!(" line {line}") }</span> }</div>
                            if !f.locals.is_empty() {
                                <dl class="pg-locals">
                                    { for f.locals.iter().map(|(k, v)| html! { <><dt class="mono">{ k }</dt><dd class="mono">{ v }</dd></> }) }
                                </dl>
                            }
                        </li>
                    }) }
                </ol>
                if frames.is_empty() { <p class="empty">{ "The stack is empty: the event loop decides what runs next." }</p> }
            </>
        },
    )
}

/// The three queues the loop drains by its own rules, side by side (each its own tab on
/// narrow screens).
#[function_component(Queues)]
pub fn queues(props: &PaneProps) -> Html {
    let v = &props.view;
    let queue = |tab: PaneTab, title_id: &'static str, title: &'static str, body: Html| {
        let attrs = props.layout.panel(tab, title_id);
        html! {
            <div id={attrs.id} role={attrs.role} aria-labelledby={attrs.labelled_by}
                tabindex={attrs.tab_index} hidden={attrs.hidden}>
                <h2 id={title_id}>{ title }</h2>
                { body }
            </div>
        }
    };
    let tabs = [PaneTab::NextTick, PaneTab::Microtasks, PaneTab::Immediates];
    html! {
        <section class="pg-pane pg-queues" aria-label="Queues" hidden={!props.layout.shows_any(&tabs)}>
            { queue(PaneTab::NextTick, "pg-nexttick-title", "process.nextTick queue",
                jobs(&v.next_ticks, "nexttick-queue", "No nextTick callbacks queued.")) }
            { queue(PaneTab::Microtasks, "pg-microtasks-title", "Microtask queue",
                jobs(&v.microtasks, "microtask-queue", "No microtasks queued.")) }
            { queue(PaneTab::Immediates, "pg-immediates-title", "Immediate (check) queue",
                jobs(&v.immediates, "immediate-queue", "No immediates queued.")) }
        </section>
    }
}

#[function_component(Timers)]
pub fn timers(props: &PaneProps) -> Html {
    let v = &props.view;
    let now_ms = v.clock_ns as f64 / 1e6;
    let end = v
        .timers
        .iter()
        .map(|t| t.due_ms as f64)
        .fold(now_ms + 1.0, f64::max);
    let x = |ms: f64| 10.0 + 280.0 * ((ms - now_ms).max(0.0) / (end - now_ms).max(1.0));
    panel(
        props.layout.panel(PaneTab::Timers, "pg-timers-title"),
        "pg-pane",
        html! { <>
                <h2 id="pg-timers-title">{ "Timers" }</h2>
                <ol class="pg-jobs" data-testid="timers" data-count={v.timers.len().to_string()}>
                    { for v.timers.iter().map(|t| html! {
                        <li class="pg-job">
                            <span class="pg-kind">{ format!("due {} ms", t.due_ms) }</span>
                            <span class="mono">{ &t.label }</span>
                            if t.repeat { <span class="help">{ " (repeats)" }</span> }
                        </li>
                    }) }
                    if v.timers.is_empty() { <li class="empty">{ "No timers pending." }</li> }
                </ol>
                if !v.timers.is_empty() {
                    <svg class="pg-axis" viewBox="0 0 300 40" role="img"
                        aria-label={format!("Virtual time axis from now ({}) to {end:.0} ms", format_ms(v.clock_ns))}>
                        <line x1="10" y1="20" x2="290" y2="20" class="pg-axis-line" />
                        <text x="10" y="36" class="pg-axis-label">{ "now" }</text>
                        <text x="290" y="36" text-anchor="end" class="pg-axis-label">{ format!("{end:.0} ms") }</text>
                        { for v.timers.iter().map(|t| html! {
                            <g><circle cx={format!("{:.1}", x(t.due_ms as f64))} cy="20" r="5" class="pg-axis-dot" />
                               <title>{ format!("{} due at {} ms", t.label, t.due_ms) }</title></g>
                        }) }
                    </svg>
                }
            </>
        },
    )
}

#[function_component(IoPool)]
pub fn io_pool(props: &PaneProps) -> Html {
    let v = &props.view;
    panel(
        props.layout.panel(PaneTab::Io, "pg-io-title"),
        "pg-pane",
        html! { <>
                <h2 id="pg-io-title">{ "Pending I/O and the thread pool" }</h2>
                <ol class="pg-jobs" data-testid="pending-io">
                    { for v.pending_io.iter().map(|io| html! {
                        <li class="pg-job">
                            <span class="pg-kind">{ if io.ready { "done, waiting for poll" } else if io.pooled { "thread pool" } else { "in flight" } }</span>
                            <span class="mono">{ &io.label }</span>
                            <span class="help">{ format!(" completes at {}", format_ms(io.due_ns)) }</span>
                        </li>
                    }) }
                    if v.pending_io.is_empty() { <li class="empty">{ "No I/O in flight." }</li> }
                </ol>
                <div class="pg-lanes" data-testid="thread-pool" data-slots={v.thread_pool.len().to_string()}
                    data-busy={v.thread_pool.iter().filter(|s| s.is_some()).count().to_string()}>
                    { for v.thread_pool.iter().enumerate().map(|(i, slot)| html! {
                        <div class={classes!("pg-lane", slot.is_some().then_some("busy"))}>
                            <span class="pg-lane-name">{ format!("thread {}", i + 1) }</span>
                            { match slot {
                                Some(s) => html! { <span class="mono">{ format!("{} ({} {})", s.label, format_ms(s.cost_ns), if s.cpu { "of CPU" } else { "of I/O" }) }</span> },
                                None => html! { <span class="help">{ "idle" }</span> },
                            } }
                        </div>
                    }) }
                </div>
                if !v.pool_queue.is_empty() {
                    <p class="help" data-testid="pool-queue">{ format!("Waiting for a free thread: {}", v.pool_queue.join(", ")) }</p>
                }
            </>
        },
    )
}

#[function_component(Promises)]
pub fn promises(props: &PaneProps) -> Html {
    let v = &props.view;
    let older = v.promises_total as usize - v.promises.len();
    panel(
        props.layout.panel(PaneTab::Promises, "pg-promises-title"),
        "pg-pane",
        html! { <>
                <h2 id="pg-promises-title">{ "Promises" }</h2>
                <table class="pg-promises" data-testid="promises" data-count={v.promises_total.to_string()}>
                    <thead><tr><th>{ "Promise" }</th><th>{ "State" }</th><th>{ "Value" }</th><th>{ "Who waits for it" }</th></tr></thead>
                    <tbody>
                        { for v.promises.iter().map(|p| html! {
                            <tr class={classes!("pg-promise", p.status.clone())} data-promise={p.id.to_string()}>
                                <td class="mono">{ format!("#{}", p.id) }</td>
                                <td><span class="pg-state">{ &p.status }</span>
                                    if p.status == "rejected" && !p.handled { <span class="help">{ " (no handler)" }</span> }</td>
                                <td class="mono">{ p.value.clone().unwrap_or_else(|| "—".into()) }</td>
                                <td>
                                    if p.waiters.is_empty() { <span class="help">{ "nobody yet" }</span> }
                                    { for p.waiters.iter().map(|w| html! {
                                        <div class="mono">{ &w.handler }
                                            if let Some(d) = w.derived { <span class="help">{ format!(" → #{d}") }</span> }
                                        </div>
                                    }) }
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if older > 0 { <p class="help">{ format!("{older} older promises are not listed.") }</p> }
                if v.promises.is_empty() {
                    <p class="empty">{ "No promises yet." }</p>
                } else {
                    { chain_drawing(&v.promises) }
                }
            </>
        },
    )
}

/// Chains of promises (each `then` / `await` links a promise to the one it returns), one row
/// per chain, each promise a box whose border and letter say its state.
fn chain_drawing(promises: &[PromiseData]) -> Html {
    let by_id = |id: u32| promises.iter().find(|p| p.id == id);
    let derived: Vec<u32> = promises
        .iter()
        .flat_map(|p| p.waiters.iter().filter_map(|w| w.derived))
        .collect();
    let mut rows: Vec<Vec<&PromiseData>> = Vec::new();
    for root in promises.iter().filter(|p| !derived.contains(&p.id)) {
        let mut row = vec![root];
        while let Some(next) = row
            .last()
            .and_then(|p| p.waiters.iter().find_map(|w| w.derived))
            .and_then(by_id)
        {
            if row.len() >= 8 || row.iter().any(|p| p.id == next.id) {
                break;
            }
            row.push(next);
        }
        rows.push(row);
        if rows.len() >= 6 {
            break;
        }
    }
    let height = rows.len() * 34 + 4;
    let letter = |status: &str| match status {
        "fulfilled" => "✓",
        "rejected" => "✗",
        _ => "…",
    };
    html! {
        <svg class="pg-chains" viewBox={format!("0 0 330 {height}")} role="img" data-testid="promise-chains"
            aria-label="Promise chains: each arrow leads from a promise to the promise its then or await returns">
            { for rows.iter().enumerate().map(|(r, row)| {
                let y = 4 + r * 34;
                html! { <g>
                    { for row.iter().enumerate().map(|(c, p)| {
                        let x = 4 + c * 40;
                        html! { <g class={classes!("pg-chain-node", p.status.clone())}>
                            if c > 0 { <line x1={(x - 8).to_string()} y1={(y + 13).to_string()} x2={x.to_string()} y2={(y + 13).to_string()} class="pg-chain-link" /> }
                            <rect x={x.to_string()} y={y.to_string()} width="30" height="26" rx="5" />
                            <text x={(x + 15).to_string()} y={(y + 17).to_string()} text-anchor="middle">{ format!("{}{}", p.id, letter(&p.status)) }</text>
                            <title>{ format!("promise #{}: {}", p.id, p.status) }</title>
                        </g> }
                    }) }
                </g> }
            }) }
        </svg>
    }
}

/// The loop's phases, in order, for the drawing: id, name, and the name's lines inside its box
/// (a box is 49 units wide: 8 characters of the 10-unit monospace font).
const PHASES: &[(&str, &str, &[&str])] = &[
    ("main", "main module", &["main"]),
    ("timers", "timers", &["timers"]),
    ("pending", "pending callbacks", &["pending"]),
    ("poll", "poll (I/O)", &["poll"]),
    ("check", "check (immediates)", &["check"]),
    ("close", "close callbacks", &["close"]),
    ("before-exit", "beforeExit", &["before", "Exit"]),
    ("exit", "exit", &["exit"]),
];

/// Node's phases the simulator does not model, drawn greyed, with what runs there in Node.
const NOT_MODELLED: &[(&str, &str)] = &[
    ("pending", "Pending callbacks: in Node, I/O callbacks libuv deferred to the next iteration (some TCP errors). Not modelled: nothing runs here in the simulator."),
    ("close", "Close callbacks: in Node, 'close' events of handles closed abruptly (socket.destroy()). Not modelled: nothing runs here in the simulator."),
];

#[function_component(LoopPhases)]
pub fn loop_phases(props: &PaneProps) -> Html {
    let v = &props.view;
    let current = PHASES
        .iter()
        .find(|p| p.0 == v.phase)
        .map(|p| p.1)
        .unwrap_or("—");
    panel(
        props.layout.panel(PaneTab::Loop, "pg-phase-title"),
        "pg-pane",
        html! { <>
                <h2 id="pg-phase-title">{ "Event loop" }</h2>
                <p data-testid="phase" data-phase={v.phase.clone()}>
                    { "Phase: " }<strong>{ current }</strong>
                    <span class="help" data-testid="clock">{ format!(" · virtual clock {}", format_ms(v.clock_ns)) }</span>
                </p>
                <svg class="pg-loop" viewBox="0 0 428 70" role="img" aria-label={format!("Event loop phases; current: {current}")}>
                    { for PHASES.iter().enumerate().map(|(i, (id, _, lines))| {
                        let x = 4 + i as i32 * 53;
                        let lit = *id == v.phase;
                        let idle = NOT_MODELLED.iter().find(|m| m.0 == *id).map(|m| m.1);
                        // Lines 11 units apart, centred on the box's middle (y = 27).
                        let first_baseline = 31 - 11 * (lines.len() as i32 - 1) / 2;
                        html! {
                            <g class={classes!("pg-phase-box", lit.then_some("lit"), idle.map(|_| "idle"))}>
                                if let Some(why) = idle { <title>{ why }</title> }
                                <rect x={x.to_string()} y="10" width="49" height="34" rx="6" />
                                { for lines.iter().enumerate().map(|(n, line)| html! {
                                    <text x={(x + 24).to_string()} y={(first_baseline + 11 * n as i32).to_string()}
                                        text-anchor="middle">{ *line }</text>
                                }) }
                                if lit { <text x={(x + 24).to_string()} y="62" text-anchor="middle" class="pg-here">{ "▲ now" }</text> }
                            </g>
                        }
                    }) }
                </svg>
            </>
        },
    )
}
