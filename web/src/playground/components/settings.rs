//! Run settings: thread pool size, file I/O latency, cost per instruction. Changing one re-runs
//! the program and updates the URL. Also lists the hosts of the playground's virtual network.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::playground::protocol::{playground_network, Settings};

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: Settings,
    pub on_change: Callback<Settings>,
}

#[function_component(SettingsPanel)]
pub fn settings_panel(props: &SettingsProps) -> Html {
    let field = |label: &'static str,
                 id: &'static str,
                 help: &'static str,
                 value: u64,
                 update: fn(&mut Settings, u64)| {
        let settings = props.settings.clone();
        let cb = props.on_change.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<u64>() {
                let mut next = settings.clone();
                update(&mut next, v);
                cb.emit(next);
            }
        });
        html! {
            <label class="pg-setting">
                <span>{ label }</span>
                <input type="number" min="1" value={value.to_string()} {onchange}
                    data-testid={id} aria-describedby={format!("{id}-help")} />
                <small id={format!("{id}-help")} class="help">{ help }</small>
            </label>
        }
    };
    html! {
        <details class="pg-settings">
            <summary>{ "Run settings" }</summary>
            <div class="pg-settings-grid">
                { field("Thread pool size", "setting-pool", "UV_THREADPOOL_SIZE, 1–128",
                        u64::from(props.settings.pool), |s, v| s.pool = v.min(128) as u32) }
                { field("File read latency (µs)", "setting-io", "virtual time from fs.readFile to its callback",
                        props.settings.io_us, |s, v| s.io_us = v) }
                { field("Cost per instruction (ns)", "setting-ins", "virtual time one VM instruction takes",
                        props.settings.instr_ns, |s, v| s.instr_ns = v) }
            </div>
            <p class="help" data-testid="network-hosts">
                { "Virtual network (for fetch and http.get): " }
                { playground_network().iter().map(|h| format!("{} answers in {} ms", h.host, h.latency_ms)).collect::<Vec<_>>().join(", ") }
                { "." }
            </p>
        </details>
    }
}
