//! What the programs printed. The engine's output is not tagged by variant,
//! so it is shown once for the run, in the order written.

use yew::prelude::*;

use super::use_handle;
use crate::format::strip_ansi;

#[function_component(OutputConsole)]
pub fn output_console() -> Html {
    let handle = use_handle();
    let Some(run) = handle.run.as_ref() else {
        return html! {};
    };
    if run.output.is_empty() && run.mode.timed() {
        return html! {};
    }
    html! {
        <section class="output-console" aria-label="Output">
            <h2>{"Output"}</h2>
            if run.output_truncated {
                <p class="muted">{"Earlier output was dropped; the latest is shown."}</p>
            }
            <pre class="output" tabindex="0">{strip_ansi(&run.output)}</pre>
        </section>
    }
}
