//! Stepping controls and the timeline scrubber: step back/forward, step over, previous/next
//! callback, reset, run to end, play/pause with a speed, and a slider over the whole trace with
//! marks where the loop changes phase and where lines are printed.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use std::rc::Rc;

use crate::playground::protocol::RunResult;
use crate::playground::timeline::{Nav, Timeline};

/// A run with a recorded trace, compared by identity (each run's result is a new `Rc`), so
/// props stay cheap to compare while the step changes.
#[derive(Clone)]
pub struct RunRef(pub Rc<RunResult>);

impl PartialEq for RunRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl RunRef {
    fn timeline(&self) -> Timeline {
        self.0.timeline.clone().unwrap_or_default()
    }
}

#[derive(Properties, PartialEq)]
pub struct StepperProps {
    pub run: RunRef,
    pub step: u32,
    pub playing: bool,
    /// Steps per second while playing.
    pub speed: u32,
    pub on_nav: Callback<Nav>,
    pub on_seek: Callback<u32>,
    pub on_play: Callback<()>,
    pub on_speed: Callback<u32>,
}

#[function_component(Stepper)]
pub fn stepper(props: &StepperProps) -> Html {
    let Some(t) = props.run.0.timeline.as_ref() else {
        return Html::default();
    };
    let last = t.last();
    let nav = |n: Nav| {
        let cb = props.on_nav.clone();
        Callback::from(move |_: MouseEvent| cb.emit(n))
    };
    let on_input = {
        let cb = props.on_seek.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse() {
                cb.emit(v);
            }
        })
    };
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse() {
                cb.emit(v);
            }
        })
    };
    let play = {
        let cb = props.on_play.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let at_start = props.step == 0;
    let at_end = props.step >= last;
    html! {
        <div class="pg-stepper" role="group" aria-label="Stepping">
            <div class="pg-step-buttons">
                <button class="secondary" onclick={nav(Nav::Start)} disabled={at_start} data-testid="reset" title="Back to the first step (Home)">{ "⇤ Reset" }</button>
                <button class="secondary" onclick={nav(Nav::PrevCallback)} disabled={at_start} data-testid="prev-callback" title="Previous callback (Shift+←)">{ "⇤ Callback" }</button>
                <button class="secondary" onclick={nav(Nav::Back)} disabled={at_start} data-testid="step-back" title="Step back (←)">{ "◀ Back" }</button>
                <button onclick={play} data-testid="play" aria-pressed={props.playing.to_string()} title="Play / pause (Space)">
                    { if props.playing { "‖ Pause" } else { "▶ Play" } }
                </button>
                <button class="secondary" onclick={nav(Nav::Forward)} disabled={at_end} data-testid="step-forward" title="Step forward (→)">{ "Step ▶" }</button>
                <button class="secondary" onclick={nav(Nav::Over)} disabled={at_end} data-testid="step-over" title="Step over calls">{ "Over ↷" }</button>
                <button class="secondary" onclick={nav(Nav::NextCallback)} disabled={at_end} data-testid="next-callback" title="Next callback (Shift+→)">{ "Callback ⇥" }</button>
                <button class="secondary" onclick={nav(Nav::End)} disabled={at_end} data-testid="run-to-end" title="Run to the end (End)">{ "Run to end ⇥" }</button>
                <label class="pg-speed">{ "Speed " }
                    <select onchange={on_speed} aria-label="Play speed">
                        { for [2u32, 5, 10, 30, 100].iter().map(|s| html! {
                            <option value={s.to_string()} selected={*s == props.speed}>{ format!("{s} steps/s") }</option>
                        }) }
                    </select>
                </label>
                <span class="pg-counter" data-testid="step-counter" data-step={props.step.to_string()} data-len={t.len.to_string()}
                    aria-live="off">
                    { format!("step {} / {}", props.step + 1, t.len) }
                </span>
            </div>
            <div class="pg-scrubber">
                <input type="range" min="0" max={last.to_string()} value={props.step.to_string()}
                    oninput={on_input} aria-label="Timeline" data-testid="scrubber"
                    aria-valuetext={format!("step {} of {}", props.step + 1, t.len)} />
                if t.truncated {
                    <p class="help">{ format!("The trace keeps the first {} steps; the program went on after that (its console is complete).", t.len) }</p>
                }
                <Marks run={props.run.clone()} />
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MarksProps {
    run: RunRef,
}

/// The scrubber's markers: rendered once per run, not on every step.
#[function_component(Marks)]
fn marks(props: &MarksProps) -> Html {
    let t = props.run.timeline();
    let last = t.last();
    let pct = |s: u32| {
        if last == 0 {
            0.0
        } else {
            100.0 * s as f64 / last as f64
        }
    };
    html! {
        <div class="pg-marks" aria-hidden="true">
            { for t.markers.iter().map(|m| html! {
                <span class={classes!("pg-mark", m.kind.class())}
                    style={format!("left: {:.3}%", pct(m.step))} title={m.label.clone()}></span>
            }) }
        </div>
    }
}
