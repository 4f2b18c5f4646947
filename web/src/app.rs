//! The page's root component: header, the playground (the main view, first) and the parallel
//! lab as a second section below it. With `?embed` only the playground's editor and panes are
//! shown.

use yew::prelude::*;

use crate::lab::view::LabView;
use crate::platform;
use crate::playground::view::{embed_requested, Playground};

#[function_component(App)]
pub fn app() -> Html {
    let embed = use_memo((), |_| embed_requested());
    if *embed {
        return html! { <main class="embed"><Playground embed=true /></main> };
    }
    let isolated = platform::cross_origin_isolated();
    html! {
        <>
            <header class="topbar">
                <h1>{ "Looplab" }</h1>
                <p class="tagline">{ "See how Node.js runs your code: one loop, many queues, a few threads." }</p>
                <nav class="sections" aria-label="Sections">
                    <a href="#playground" onclick={scroll_to("playground")}>{ "Playground" }</a>
                    <a href="#lab" onclick={scroll_to("lab")}>{ "Parallel lab" }</a>
                </nav>
                <span class={classes!("badge", if isolated { "ok" } else { "warn" })}
                    data-testid="isolation" data-isolated={isolated.to_string()}
                    title="SharedArrayBuffer needs a cross-origin isolated page">
                    { if isolated { "Cross-origin isolated: threads available" }
                      else { "Not cross-origin isolated: single thread" } }
                </span>
            </header>
            <main class="wide">
                <div id="playground"><Playground /></div>
                <div id="lab" class="lab-section"><LabView /></div>
            </main>
        </>
    }
}

/// Scrolls to a section without touching the URL fragment (the playground's state lives there).
fn scroll_to(id: &'static str) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
        {
            el.scroll_into_view();
        }
    })
}
