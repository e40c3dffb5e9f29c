//! The shared setup: code run before every variant, outside the timer.

use yew::prelude::*;

use super::code_editor::CodeEditor;
use super::error_message::ErrorMessage;
use super::use_handle;
use crate::state::Action;

#[derive(Properties, PartialEq, Default)]
pub struct SetupPaneProps {
    /// Shown but not editable (a read-only embed).
    #[prop_or_default]
    pub read_only: bool,
}

#[function_component(SetupPane)]
pub fn setup_pane(props: &SetupPaneProps) -> Html {
    let handle = use_handle();
    let on_change = {
        let handle = handle.clone();
        Callback::from(move |text: String| handle.dispatch(Action::EditSetup(text)))
    };
    let run = handle.run.as_ref();
    let error = run.and_then(|run| run.error_in("setup").map(|e| (run.id, e.clone())));
    let hint = if handle.draft.mode.timed() {
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
            <CodeEditor doc={handle.draft.setup.clone()} label="Shared setup code"
                error_mark={error.as_ref().and_then(|(id, e)| e.line.map(|line| (*id, line)))}
                {on_change} read_only={props.read_only} />
            if let Some((_, error)) = error {
                <ErrorMessage {error} />
            }
        </section>
    }
}
