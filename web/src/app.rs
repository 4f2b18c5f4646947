//! The page's root component: header, isolation status, and the lab.

use yew::prelude::*;

use crate::lab::view::LabView;
use crate::platform;

#[function_component(App)]
pub fn app() -> Html {
    let isolated = platform::cross_origin_isolated();
    html! {
        <>
            <header class="topbar">
                <h1>{ "Looplab" }</h1>
                <p class="tagline">{ "See how Node.js runs your code: one loop, many queues, a few threads." }</p>
                <span class={classes!("badge", if isolated { "ok" } else { "warn" })}
                    data-testid="isolation" data-isolated={isolated.to_string()}
                    title="SharedArrayBuffer needs a cross-origin isolated page">
                    { if isolated { "Cross-origin isolated: threads available" }
                      else { "Not cross-origin isolated: single thread" } }
                </span>
            </header>
            <main>
                <LabView />
            </main>
        </>
    }
}
