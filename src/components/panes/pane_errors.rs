//! What went wrong in one pane: a problem with what was typed (an empty or
//! clashing name), and what its own setup and its code raised in the last
//! run. The playground's panes and the embed's show them alike.

use pyrace_model::PyError;
use yew::prelude::*;

use super::error_message::ErrorMessage;

#[derive(Properties, PartialEq)]
pub struct PaneErrorsProps {
    pub problem: Option<String>,
    pub setup_error: Option<PyError>,
    pub error: Option<PyError>,
}

#[function_component(PaneErrors)]
pub fn pane_errors(props: &PaneErrorsProps) -> Html {
    crate::render_count::note("PaneErrors");
    html! {
        <>
            if let Some(problem) = props.problem.clone() {
                <p class="pane-error" role="alert">{problem}</p>
            }
            if let Some(error) = props.setup_error.clone() {
                <ErrorMessage {error} />
            }
            if let Some(error) = props.error.clone() {
                <ErrorMessage {error} />
            }
        </>
    }
}
