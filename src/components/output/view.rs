//! One console's text: what was written, in order, with a note when its
//! beginning was dropped to stay under the cap.

use yew::prelude::*;

use crate::format::strip_ansi;
use crate::state::Output;

#[derive(Properties, PartialEq)]
pub struct OutputViewProps {
    pub output: Output,
    /// Shown, muted, when nothing was written.
    #[prop_or_default]
    pub empty: Option<AttrValue>,
}

#[function_component(OutputView)]
pub fn output_view(props: &OutputViewProps) -> Html {
    crate::render_count::note("OutputView");
    let output = &props.output;
    html! {
        <>
            if output.truncated {
                <p class="muted output-note">{"Earlier output was dropped; the latest is shown."}</p>
            }
            if output.text.is_empty() {
                <pre class="output empty muted" tabindex="0">{props.empty.clone().unwrap_or_default()}</pre>
            } else {
                <pre class="output" tabindex="0">{strip_ansi(&output.text)}</pre>
            }
        </>
    }
}
