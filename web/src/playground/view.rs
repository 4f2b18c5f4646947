//! The playground page: editor and toolbar on one side, the stepper and the panes of the
//! current step on the other (as tabs on a phone), the gallery and settings around them. Owns
//! the one reducer; children get props and callbacks.

use std::rc::Rc;

use yew::prelude::*;

use super::components::concept::ConceptPage;
use super::components::console::Console;
use super::components::editor::Editor;
use super::components::files::FileTabs;
use super::components::gallery::Gallery;
use super::components::narration::Narration;
use super::components::panes::{CallStack, IoPool, LoopPhases, Promises, Queues, Timers};
use super::components::settings::SettingsPanel;
use super::components::stepper::{RunRef, Stepper};
use super::components::tabs::{Layout, PaneTab, PaneTabs};
use super::components::toolbar::Toolbar;
use super::hooks::{
    self, use_document_theme, use_fragment_navigation, use_media_query, use_persistence, use_play,
    use_simulator, use_stepping_keys, use_views, NARROW_SCREEN,
};
use super::protocol::Settings;
use super::state::Action;
use super::timeline::Nav;
use super::timeline::ViewData;

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    /// Editor and panes only (for slides and blog posts).
    #[prop_or_default]
    pub embed: bool,
}

#[function_component(Playground)]
pub fn playground(props: &PlaygroundProps) -> Html {
    let state = use_reducer(|| hooks::initial_state().0);
    let dispatch = state.dispatcher();
    let client = use_simulator(&state, dispatch.clone());
    use_views(&state, &client);
    use_play(&state, dispatch.clone());
    use_stepping_keys(dispatch.clone());
    use_persistence(&state, props.embed);
    use_fragment_navigation(dispatch.clone());
    use_document_theme(state.theme, state.presentation);
    // On a phone the step's panes are tabs; which one is shown is the page's own business.
    let narrow = use_media_query(NARROW_SCREEN);
    let tab = use_state(|| PaneTab::FIRST_SHOWN);
    let layout = if narrow {
        Layout::Tabs(*tab)
    } else {
        Layout::Panes
    };
    let on_tab = {
        let tab = tab.setter();
        Callback::from(move |t: PaneTab| tab.set(t))
    };

    let on_edit = {
        let d = dispatch.clone();
        Callback::from(move |code: String| d.dispatch(Action::Edit(code)))
    };
    let on_file = {
        let d = dispatch.clone();
        Callback::from(move |name: String| d.dispatch(Action::SelectFile(name)))
    };
    let on_add_file = {
        let d = dispatch.clone();
        Callback::from(move |name: String| d.dispatch(Action::AddFile(name)))
    };
    let on_rename_file = {
        let d = dispatch.clone();
        Callback::from(move |(from, to): (String, String)| {
            d.dispatch(Action::RenameFile { from, to })
        })
    };
    let on_delete_file = {
        let d = dispatch.clone();
        Callback::from(move |name: String| d.dispatch(Action::DeleteFile(name)))
    };
    let on_pick = {
        let d = dispatch.clone();
        Callback::from(move |slug: &'static str| d.dispatch(Action::LoadExample(slug)))
    };
    let on_concept = {
        let d = dispatch.clone();
        Callback::from(move |slug: &'static str| d.dispatch(Action::OpenConcept(Some(slug))))
    };
    let on_close_concept = {
        let d = dispatch.clone();
        Callback::from(move |()| d.dispatch(Action::OpenConcept(None)))
    };
    let on_settings = {
        let d = dispatch.clone();
        Callback::from(move |s: Settings| d.dispatch(Action::SetSettings(s)))
    };
    let on_cancel = {
        let d = dispatch.clone();
        Callback::from(move |()| {
            client.cancel();
            d.dispatch(Action::Cancelled);
        })
    };
    let on_copy_link = {
        let d = dispatch.clone();
        Callback::from(move |()| {
            let d = d.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let link = hooks::current_link();
                let copied = hooks::copy_to_clipboard(&link).await;
                d.dispatch(Action::Notice(Some(if copied {
                    "Link copied to the clipboard.".to_string()
                } else {
                    format!("Copy this link: {link}")
                })));
            });
        })
    };
    let simple = |action: fn() -> Action| {
        let d = dispatch.clone();
        Callback::from(move |()| d.dispatch(action()))
    };
    let on_dismiss = {
        let d = dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::Notice(None)))
    };
    let on_nav = {
        let d = dispatch.clone();
        Callback::from(move |nav: Nav| d.dispatch(Action::Navigate(nav)))
    };
    let on_seek = {
        let d = dispatch.clone();
        Callback::from(move |step: u32| d.dispatch(Action::Seek(step)))
    };
    let on_speed = {
        let d = dispatch.clone();
        Callback::from(move |speed: u32| d.dispatch(Action::SetSpeed(speed)))
    };

    let result = state.result.clone();
    let steps = result.as_ref().map(|r| r.steps);
    let timeline = state.timeline();
    // The view of the current run's trace (none while the first one is on its way).
    let view = state
        .view
        .clone()
        .filter(|v| v.run == state.result_run && timeline.is_some());
    // The view shown before this step's (the tabs mark what changed since).
    let shown = use_mut_ref(|| (None::<Rc<ViewData>>, None::<Rc<ViewData>>));
    let before = {
        let mut shown = shown.borrow_mut();
        if let Some(v) = &view {
            let moved = shown
                .0
                .as_ref()
                .is_none_or(|c| c.step != v.step || c.run != v.run);
            if moved {
                shown.1 = shown.0.replace(v.clone());
            }
        }
        shown
            .1
            .clone()
            .filter(|b| Some(b.run) == view.as_ref().map(|v| v.run))
    };
    let console_lines = result
        .as_ref()
        .map(|r| {
            let all = &r.console;
            match (&view, timeline) {
                // Up to the current step; at the end of a truncated trace, everything.
                (Some(v), Some(t)) if !(t.truncated && v.step >= t.last()) => {
                    all[..(v.console_lines as usize).min(all.len())].to_vec()
                }
                _ => all.clone(),
            }
        })
        .unwrap_or_default();
    // Spans are in the main file (the one whose run is shown).
    let on_main = state.active == state.main;
    let highlight = view
        .as_ref()
        .filter(|_| !state.stale && on_main)
        .and_then(|v| v.span)
        .map(|(from, to)| (from as usize, to as usize));
    let exit_code = result.as_ref().map(|r| r.exit_code);
    let nondeterministic = result
        .as_ref()
        .map(|r| r.nondeterministic.clone())
        .unwrap_or_default();

    html! {
        <div class={classes!("pg", props.embed.then_some("pg-embed"))} data-testid="playground">
            if let Some(notice) = &state.notice {
                <div class="notice pg-notice" role="status" data-testid="notice">
                    <span>{ notice }</span>
                    <button class="pg-link" onclick={on_dismiss} aria-label="Dismiss">{ "×" }</button>
                </div>
            }
            <div class="pg-layout">
                if !props.embed {
                    <Gallery current={state.example} {on_pick} on_concept={on_concept.clone()} />
                }
                <div class="pg-code">
                    <Toolbar status={state.status.clone()} {steps} virtual_ns={result.as_ref().map(|r| r.virtual_time_ns)} can_undo={state.undo.is_some()}
                        theme={state.theme} presentation={state.presentation} embed={props.embed}
                        {on_cancel} {on_copy_link}
                        on_reset={simple(|| Action::ResetToExample)} on_undo={simple(|| Action::Undo)}
                        on_theme={simple(|| Action::CycleTheme)}
                        on_presentation={simple(|| Action::TogglePresentation)} />
                    if !props.embed || !state.files.is_empty() {
                        <FileTabs names={state.file_names()} main={state.main.clone()} active={state.active.clone()}
                            on_select={on_file} on_add={on_add_file} on_rename={on_rename_file} on_delete={on_delete_file} />
                    }
                    <Editor code={state.active_text().to_string()} file={state.active.clone()} on_change={on_edit}
                        diagnostics={if on_main { state.diagnostics.clone() } else { Vec::new() }} {highlight} />
                    if !props.embed {
                        <SettingsPanel settings={state.settings.clone()} on_change={on_settings} />
                    }
                </div>
                <div class="pg-panes">
                    if let Some(slug) = state.concept {
                        <ConceptPage {slug} on_close={on_close_concept} />
                    }
                    if !state.simulator {
                        <section class="pg-pane pg-start" aria-label="Run the code" data-testid="start-panel">
                            <h2>{ "Predict, then run" }</h2>
                            <p>{ "Read the code and guess what it prints, and in which order. Then run it and step through every callback, forwards and backwards, to see why." }</p>
                            <button class="primary" data-testid="run" onclick={ let d = dispatch.clone(); move |_| d.dispatch(Action::StartSimulator) }>
                                { "▶ Run" }
                            </button>
                            <p class="help">{ "The simulator, Looplab's own JavaScript engine, loads the first time you run code (about 0.65 MB, once). Editing the code or pressing → also starts it." }</p>
                        </section>
                    }
                    if let Some(run) = result.clone().filter(|r| r.timeline.is_some()) {
                        <section class={classes!("pg-pane", "pg-steps", state.stale.then_some("pg-stale"))} aria-label="Steps">
                            <Stepper run={RunRef(run)} step={state.step} playing={state.playing} speed={state.speed}
                                {on_nav} {on_seek} on_play={simple(|| Action::TogglePlay)} {on_speed} />
                        </section>
                    }
                    if let Some(v) = view.clone() {
                        <div class={classes!("pg-step-panes", state.stale.then_some("pg-stale"))} data-testid="panes" data-step={v.step.to_string()}>
                            <Narration narration={v.narration.clone()} on_concept={on_concept.clone()} />
                            if let Layout::Tabs(selected) = layout {
                                <PaneTabs view={v.clone()} {before} {selected} on_select={on_tab} />
                            }
                            <LoopPhases view={v.clone()} {layout} />
                            <CallStack view={v.clone()} {layout} />
                            <Queues view={v.clone()} {layout} />
                            <Timers view={v.clone()} {layout} />
                            <IoPool view={v.clone()} {layout} />
                            <Promises view={v.clone()} {layout} />
                        </div>
                    }
                    <Console lines={console_lines} stale={state.stale} {exit_code} />
                    if !nondeterministic.is_empty() {
                        <section class="pg-pane" aria-label="Nondeterminism">
                            <h2>{ "Where real Node may differ" }</h2>
                            <ul>{ for nondeterministic.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                            <button class="pg-link" onclick={ let c = on_concept.clone(); move |_| c.emit("nondeterminism") }>
                                { "Why?" }
                            </button>
                        </section>
                    }
                </div>
            </div>
        </div>
    }
}

/// Whether the page was opened as an embed (`?embed` or `#…&embed`).
pub fn embed_requested() -> bool {
    hooks::initial_state().1
}
