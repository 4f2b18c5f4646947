//! The playground page: editor and toolbar on one side, the run's panes on the other, the
//! gallery and settings around them. Owns the one reducer; children get props and callbacks.

use yew::prelude::*;

use super::components::concept::ConceptPage;
use super::components::console::Console;
use super::components::editor::Editor;
use super::components::gallery::Gallery;
use super::components::settings::SettingsPanel;
use super::components::toolbar::Toolbar;
use super::hooks::{self, use_document_theme, use_persistence, use_simulator};
use super::protocol::Settings;
use super::state::Action;

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
    use_persistence(&state, props.embed);
    use_document_theme(state.theme, state.presentation);

    let on_edit = {
        let d = dispatch.clone();
        Callback::from(move |code: String| d.dispatch(Action::Edit(code)))
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

    let result = state.result.clone();
    let steps = result.as_ref().map(|r| r.steps);
    let console_lines = result
        .as_ref()
        .map(|r| r.console.clone())
        .unwrap_or_default();
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
                    <Toolbar status={state.status.clone()} {steps} can_undo={state.undo.is_some()}
                        theme={state.theme} presentation={state.presentation} embed={props.embed}
                        {on_cancel} {on_copy_link}
                        on_reset={simple(|| Action::ResetToExample)} on_undo={simple(|| Action::Undo)}
                        on_theme={simple(|| Action::CycleTheme)}
                        on_presentation={simple(|| Action::TogglePresentation)} />
                    <Editor code={state.code.clone()} on_change={on_edit} diagnostics={state.diagnostics.clone()} />
                    if !props.embed {
                        <SettingsPanel settings={state.settings.clone()} on_change={on_settings} />
                    }
                </div>
                <div class="pg-panes">
                    if let Some(slug) = state.concept {
                        <ConceptPage {slug} on_close={on_close_concept} />
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
