//! The shared setup: code run before every variant, outside the timer.

use yew::prelude::*;

use super::code_editor::CodeEditor;
use super::error_message::ErrorMessage;
use crate::components::{use_draft, use_handle, use_runs};
use crate::state::DraftEdit;

#[derive(Properties, PartialEq, Default)]
pub struct SetupPaneProps {
    /// Shown but not editable (a read-only embed).
    #[prop_or_default]
    pub read_only: bool,
}

#[function_component(SetupPane)]
pub fn setup_pane(props: &SetupPaneProps) -> Html {
    crate::render_count::note("SetupPane");
    let handle = use_handle();
    let runs = use_runs();
    let draft = use_draft();
    // One callback for the editor's life, so a run's events do not
    // re-render the editor.
    let on_change = use_callback(handle, |text: String, handle| {
        handle.dispatch(DraftEdit::Setup(text))
    });
    let run = runs.run();
    let error = run.and_then(|run| run.error_in("setup").map(|e| (run.id, e.clone())));
    let hint = if draft.mode.timed() {
        "Runs before every variant, outside the timer."
    } else {
        "Runs before every program."
    };
    html! {
        <section class={classes!("setup-pane", error.is_some().then_some("has-error"))} aria-label="Shared setup">
            <header class="pane-header">
                <h2>{"Setup"}</h2>
                <span class="hint">{hint}</span>
            </header>
            <CodeEditor doc={draft.setup.clone()} label="Shared setup code"
                error_mark={error.as_ref().and_then(|(id, e)| e.line.map(|line| (*id, line)))}
                {on_change} read_only={props.read_only} />
            if let Some((_, error)) = error {
                <ErrorMessage {error} />
            }
        </section>
    }
}
