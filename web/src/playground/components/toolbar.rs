//! The bar above the editor: run status with progress and cancel, copy link, reset to example
//! and undo, theme and presentation toggles.

use yew::prelude::*;

use crate::playground::state::{RunStatus, Theme};
use crate::playground::timeline::format_ms;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub status: RunStatus,
    pub steps: Option<u64>,
    /// The finished run's virtual time at exit, nanoseconds.
    #[prop_or_default]
    pub virtual_ns: Option<u64>,
    pub can_undo: bool,
    pub theme: Theme,
    pub presentation: bool,
    /// Hide the page-level toggles (embed mode).
    pub embed: bool,
    pub on_cancel: Callback<()>,
    pub on_copy_link: Callback<()>,
    pub on_reset: Callback<()>,
    pub on_undo: Callback<()>,
    pub on_theme: Callback<()>,
    pub on_presentation: Callback<()>,
}

fn click(cb: &Callback<()>) -> Callback<MouseEvent> {
    let cb = cb.clone();
    Callback::from(move |_| cb.emit(()))
}

/// "1.2 M" style step counts.
pub fn human_count(n: u64) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_999 => format!("{:.1} k", n as f64 / 1e3),
        _ => format!("{:.2} M", n as f64 / 1e6),
    }
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let status = match &props.status {
        RunStatus::Running { steps, .. } => html! {
            <>
                <span class="progress" data-testid="run-status" data-state="running">
                    { format!("Running… {} instructions", human_count(*steps)) }
                </span>
                <button onclick={click(&props.on_cancel)} data-testid="cancel">{ "Cancel" }</button>
            </>
        },
        RunStatus::Idle => html! {
            <span class="help" data-testid="run-status" data-state="idle"
                data-virtual-ns={props.virtual_ns.map(|ns| ns.to_string())}>
                { props.steps.map(|s| format!("Ran {} instructions", human_count(s))).unwrap_or_default() }
                if let (Some(_), Some(ns)) = (props.steps, props.virtual_ns) {
                    <span data-testid="virtual-time">{ format!(" in {} of virtual time", format_ms(ns)) }</span>
                }
            </span>
        },
        RunStatus::Cancelled => html! {
            <span class="help" data-testid="run-status" data-state="cancelled">{ "Cancelled. Edit the code to run again." }</span>
        },
        RunStatus::Failed(message) => html! {
            <span class="error" data-testid="run-status" data-state="failed">{ message }</span>
        },
    };
    html! {
        <div class="pg-toolbar" role="toolbar" aria-label="Playground">
            <div class="pg-status" aria-live="polite">{ status }</div>
            <button class="secondary" onclick={click(&props.on_copy_link)} data-testid="copy-link">{ "Copy link" }</button>
            <button class="secondary" onclick={click(&props.on_reset)} data-testid="reset-example">{ "Reset to example" }</button>
            if props.can_undo {
                <button class="secondary" onclick={click(&props.on_undo)} data-testid="undo">{ "Undo" }</button>
            }
            if !props.embed {
                <button class="secondary" onclick={click(&props.on_theme)} data-testid="theme"
                    aria-label={props.theme.label()}>{ props.theme.label() }</button>
                <button class="secondary" onclick={click(&props.on_presentation)} data-testid="presentation"
                    aria-pressed={props.presentation.to_string()}>{ "Presentation" }</button>
            }
        </div>
    }
}
