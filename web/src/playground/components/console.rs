//! The console pane: what the program printed, line by line, stdout and stderr told apart by
//! a label as well as by colour.

use yew::prelude::*;

use crate::playground::protocol::ConsoleLine;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub lines: Vec<ConsoleLine>,
    /// The lines belong to an earlier version of the code.
    pub stale: bool,
    pub exit_code: Option<i32>,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    html! {
        <section class={classes!("pg-pane", "pg-console", props.stale.then_some("pg-stale"))}
            aria-labelledby="pg-console-title">
            <h2 id="pg-console-title">{ "Console" }</h2>
            if props.stale {
                <p class="help">{ "From the last run that started: the current code has not run yet." }</p>
            }
            <ol class="pg-console-lines" data-testid="console">
                { for props.lines.iter().map(|line| {
                    let stream = if line.stderr { "stderr" } else { "stdout" };
                    html! {
                        <li class={classes!("pg-line", stream)} data-testid="console-line" data-stream={stream}>
                            if line.stderr { <span class="pg-stream-tag" aria-label="standard error">{ "err" }</span> }
                            <span class="pg-line-text">{ &line.text }</span>
                        </li>
                    }
                }) }
            </ol>
            if props.lines.is_empty() {
                <p class="empty">{ "Nothing printed." }</p>
            }
            if let Some(code) = props.exit_code {
                <p class="help" data-testid="exit-code">{ format!("Process exited with code {code}.") }</p>
            }
        </section>
    }
}
