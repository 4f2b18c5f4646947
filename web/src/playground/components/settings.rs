//! Run settings: the machine's cores, the thread pool size (`UV_THREADPOOL_SIZE`), file I/O
//! latency, cost per instruction, and the cost model's start-up, IPC, message and clone costs
//! (every field of [`SETTINGS`], `data-testid` `setting-KEY`). Changing one re-runs the program
//! and updates the URL; a value out of range is clamped and the page says so. Also lists the
//! hosts of the playground's virtual network.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::playground::protocol::{playground_network, SettingField, Settings, SETTINGS};

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: Settings,
    pub on_change: Callback<Settings>,
}

#[function_component(SettingsPanel)]
pub fn settings_panel(props: &SettingsProps) -> Html {
    let field = |f: &'static SettingField| {
        let settings = props.settings.clone();
        let cb = props.on_change.clone();
        let value = (f.get)(&props.settings);
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let text = input.value();
            let text = text.trim();
            // Digits only; a number too large for u64 is the largest one (then clamped).
            let parsed = text.parse::<u64>().ok().or_else(|| {
                (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then_some(u64::MAX)
            });
            match parsed {
                Some(v) => {
                    let mut next = settings.clone();
                    (f.set)(&mut next, v);
                    // The reducer clamps (and says so); the field shows what is used.
                    input.set_value(&v.clamp(f.min, f.max).to_string());
                    cb.emit(next);
                }
                // Not a whole number: the field goes back to the value in use.
                None => input.set_value(&(f.get)(&settings).to_string()),
            }
        });
        let id = format!("setting-{}", f.key);
        html! {
            <label class="pg-setting">
                <span>{ f.label }</span>
                <input type="number" min={f.min.to_string()} max={f.max.to_string()} step="1"
                    inputmode="numeric" value={value.to_string()} {onchange}
                    data-testid={id.clone()} aria-describedby={format!("{id}-help")} />
                <small id={format!("{id}-help")} class="help">{ f.help }</small>
            </label>
        }
    };
    html! {
        <details class="pg-settings">
            <summary>{ "Run settings" }</summary>
            <div class="pg-settings-grid">
                { for SETTINGS.iter().map(field) }
            </div>
            <p class="help" data-testid="network-hosts">
                { "Virtual network (for fetch and http.get): " }
                { playground_network().iter().map(|h| format!("{} answers in {} ms", h.host, h.latency_ms)).collect::<Vec<_>>().join(", ") }
                { "." }
            </p>
        </details>
    }
}
