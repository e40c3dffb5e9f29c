//! A Python error shown at the pane it concerns: the exception and its line,
//! with the traceback one click away.

use pyrace_model::{PyError, PyErrorKind};
use yew::prelude::*;

use crate::format::strip_ansi;

#[derive(Properties, PartialEq)]
pub struct ErrorMessageProps {
    pub error: PyError,
}

#[function_component(ErrorMessage)]
pub fn error_message(props: &ErrorMessageProps) -> Html {
    crate::render_count::note("ErrorMessage");
    let error = &props.error;
    let place = match (error.line, error.column) {
        (Some(line), Some(column)) => format!(" (line {line}, column {column})"),
        (Some(line), None) => format!(" (line {line})"),
        _ => String::new(),
    };
    let lead = match error.kind {
        PyErrorKind::Syntax => "Does not compile",
        PyErrorKind::Exception => "Raised",
        PyErrorKind::Timeout => "Stopped: too slow",
        PyErrorKind::Request => "Cannot run",
        PyErrorKind::Crash => "The engine crashed and restarted",
    };
    let traceback = strip_ansi(&error.traceback);
    html! {
        <div class="pane-error" role="alert">
            <p><strong>{lead}{": "}</strong><code>{format!("{}: {}", error.exc_type, error.message)}</code>{place}</p>
            if !traceback.trim().is_empty() {
                <details>
                    <summary>{"Traceback"}</summary>
                    <pre>{traceback}</pre>
                </details>
            }
        </div>
    }
}
