//! The examples gallery: one card per example, its question first.

use yew::prelude::*;

use crate::playground::gallery::EXAMPLES;

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    /// The example the current code came from.
    pub current: &'static str,
    pub on_pick: Callback<&'static str>,
    pub on_concept: Callback<&'static str>,
}

#[function_component(Gallery)]
pub fn gallery(props: &GalleryProps) -> Html {
    html! {
        <nav class="pg-gallery" aria-labelledby="pg-gallery-title">
            <h2 id="pg-gallery-title">{ "Examples" }</h2>
            <ul>
                { for EXAMPLES.iter().map(|e| {
                    let pick = { let cb = props.on_pick.clone(); let slug = e.slug; Callback::from(move |_| cb.emit(slug)) };
                    let learn = { let cb = props.on_concept.clone(); let c = e.concept; Callback::from(move |_| cb.emit(c)) };
                    let current = props.current == e.slug;
                    html! {
                        <li class={classes!("pg-example", current.then_some("current"))}>
                            <button class="pg-example-pick" onclick={pick} data-testid={format!("example-{}", e.slug)}
                                aria-current={current.then_some("true")}>
                                <span class="pg-example-title">{ e.title }</span>
                                <span class="pg-example-question">{ e.question }</span>
                            </button>
                            <button class="pg-link" onclick={learn}>{ "Why?" }</button>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
