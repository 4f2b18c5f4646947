//! The lab's root component: what the lab is, what this browser can do (and, when it can't,
//! why), and the five parts, each its own small component with its own reducer.

use yew::prelude::*;

use super::blocking::BlockingPanel;
use super::messaging::MessagingPanel;
use super::race::RacePanel;
use super::sweep::SweepPanel;
use crate::platform;

/// The parallel lab.
#[function_component(LabView)]
pub fn lab_view() -> Html {
    let isolated = platform::cross_origin_isolated();
    html! {
        <section class="lab" aria-labelledby="lab-title">
            <h2 id="lab-title">{ "Parallel lab: real threads, measured on your machine" }</h2>
            <p class="lead">
                { "Node runs your JavaScript on one thread; to use more cores it needs \
                   worker_threads, and each worker costs something to start and to talk to. This \
                   lab runs compiled Rust kernels on real threads (Web Workers sharing one \
                   WebAssembly memory) so you can measure what parallelism buys here, what it \
                   costs, and what goes wrong when threads share memory carelessly." }
            </p>
            if !isolated {
                <div class="notice" role="status" data-testid="lab-fallback">
                    <strong>{ "Threads are off on this page. " }</strong>
                    { "The browser only shares memory between workers (SharedArrayBuffer) when the \
                       page is cross-origin isolated, i.e. served with the headers \
                       Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: \
                       require-corp. This copy was served without them, so every part of the lab \
                       runs on a single worker thread instead: the times are real, but there is \
                       no speedup, no live view, no shared-memory messaging and no race to see." }
                </div>
            }
            <SweepPanel />
            <BlockingPanel />
            <MessagingPanel />
            <RacePanel />
        </section>
    }
}
