//! A concept page, shown over the panes: title, a few paragraphs, a close button.

use yew::prelude::*;

use crate::playground::concepts;

#[derive(Properties, PartialEq)]
pub struct ConceptProps {
    pub slug: &'static str,
    pub on_close: Callback<()>,
}

#[function_component(ConceptPage)]
pub fn concept_page(props: &ConceptProps) -> Html {
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let Some(concept) = concepts::find(props.slug) else {
        return html! {
            <article class="pg-concept" data-testid="concept">
                <p>{ format!("There is no page about \"{}\" yet.", props.slug) }</p>
                <button onclick={close}>{ "Close" }</button>
            </article>
        };
    };
    html! {
        <article class="pg-concept" data-testid="concept" data-concept={concept.slug} aria-labelledby="pg-concept-title">
            <h2 id="pg-concept-title">{ concept.title }</h2>
            { for concept.body.iter().map(|p| html! { <p>{ *p }</p> }) }
            <p class="help" data-testid="read-more">{ "Read more: " }{ concept.read_more }</p>
            <button onclick={close} autofocus=true>{ "Back to the playground" }</button>
        </article>
    }
}
