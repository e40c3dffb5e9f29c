//! Output written outside any variant (e.g. text the engine printed outside
//! its protocol). What a variant's code printed is shown in its own pane;
//! this console appears only when something is left over.

use yew::prelude::*;

use super::view::OutputView;
use crate::components::use_runs;

#[function_component(OutputConsole)]
pub fn output_console() -> Html {
    crate::render_count::note("OutputConsole");
    let runs = use_runs();
    let Some(run) = runs.run() else {
        return html! {};
    };
    if run.output.text.is_empty() {
        return html! {};
    }
    html! {
        <section class="output-console" aria-label="Other output">
            <h2>{"Output outside the variants"}</h2>
            <OutputView output={run.output.clone()} />
        </section>
    }
}
