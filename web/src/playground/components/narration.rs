//! The narration of the current step (from the core): what happened and which rule decided it,
//! a link to the concept page, and, at nondeterministic points, the other possible order. An
//! ARIA live region, so screen readers hear each step.

use yew::prelude::*;

use crate::playground::concepts;
use crate::playground::timeline::NarrationData;

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    pub narration: NarrationData,
    pub on_concept: Callback<&'static str>,
}

#[function_component(Narration)]
pub fn narration(props: &NarrationProps) -> Html {
    let n = &props.narration;
    let concept = concepts::find(&n.concept);
    html! {
        <section class="pg-pane pg-narration" aria-labelledby="pg-narration-title">
            <h2 id="pg-narration-title">{ "What happened" }</h2>
            <p data-testid="narration" data-rule={n.rule.clone()} aria-live="polite">{ &n.text }</p>
            <p class="help">
                { "Rule: " }<code>{ &n.rule }</code>
                if let Some(c) = concept {
                    { " · " }
                    <button class="pg-link" onclick={ let cb = props.on_concept.clone(); let slug = c.slug; move |_| cb.emit(slug) }>
                        { format!("Learn: {}", c.title) }
                    </button>
                }
                { " · " }
                <button class="pg-link" data-testid="glossary-link" onclick={ let cb = props.on_concept.clone(); move |_| cb.emit(concepts::GLOSSARY) }>
                    { "Glossary" }
                </button>
            </p>
            if !n.alternatives.is_empty() {
                <div class="notice" data-testid="alternatives">
                    <strong>{ "Real Node may differ here. " }</strong>
                    { for n.alternatives.iter().map(|a| html! { <p>{ a }</p> }) }
                </div>
            }
        </section>
    }
}
