//! The embed's bar: what it compares, Run and Stop, the engine's state, and
//! "Open in pyrace" (the full playground with the same state, edits
//! included), and CPython's status when the embed runs on it too. When the page around the embed is not cross-origin isolated,
//! it says that threads need the full page, with the same link.

use pyrace_model::EngineId;
use yew::prelude::*;

use super::snippet::title_of;
use crate::components::engine::EngineStatus;
use crate::components::{use_draft, use_engines, use_handle, use_runs};
use crate::format;
use crate::mode_text::ModeText;
use crate::state::EngineState;

#[derive(Properties, PartialEq)]
pub struct EmbedBarProps {
    /// False when the embed's link could not be read: there is nothing to run.
    pub can_run: bool,
}

#[function_component(EmbedBar)]
pub fn embed_bar(props: &EmbedBarProps) -> Html {
    crate::render_count::note("EmbedBar");
    let handle = use_handle();
    let engines = use_engines();
    let runs = use_runs();
    let draft = use_draft();
    let running = runs.running();
    let title = handle
        .lesson_of(&draft)
        .map_or_else(|| title_of(&draft), |entry| entry.lesson.title.clone());
    // The playground beside this page, with what the embed holds now.
    let full = match draft.to_fragment() {
        Ok(fragment) if props.can_run => format!("./#{fragment}"),
        _ => "./".to_owned(),
    };
    let (status_class, status) = match engines.get(EngineId::Rustpython) {
        EngineState::Loading { loaded, total } if *total > 0.0 && loaded < total => (
            "loading",
            format!(
                "Loading Python: {} of {}",
                format::bytes(*loaded),
                format::bytes(*total)
            ),
        ),
        EngineState::Off | EngineState::Loading { .. } => {
            ("loading", "Starting Python…".to_owned())
        }
        EngineState::Ready(_) if running => ("running", "Running…".to_owned()),
        EngineState::Ready(_) => ("ready", "Ready".to_owned()),
        EngineState::Restarting(_) => ("restarting", "Restarting…".to_owned()),
        EngineState::Failed(reason) => ("failed", format!("The engine failed to start: {reason}")),
    };
    let single_thread = engines
        .get(EngineId::Rustpython)
        .info()
        .is_some_and(|info| !info.threads);

    html! {
        <>
            <header class="embed-bar">
                <a class="embed-brand" href={full.clone()} target="_blank" rel="noopener" title="pyrace: see Python performance">{"pyrace"}</a>
                <span class="embed-title">{title}</span>
                <span class="embed-mode muted">{draft.mode.label()}</span>
                <span class="embed-spacer"></span>
                <span class={classes!("embed-status", status_class)} role="status" aria-live="polite"
                    data-status={status_class}>{status}</span>
                <EngineStatus engine={EngineId::Cpython} on={draft.cpython} />
                <button class="run-button primary" onclick={handle.on_run()}
                    disabled={running || !engines.ready() || !props.can_run}>{"▶ Run"}</button>
                <button class="stop-button" onclick={handle.on_stop()} disabled={!running}>{"■ Stop"}</button>
                <a class="open-full" href={full.clone()} target="_blank" rel="noopener">{"Open in pyrace ↗"}</a>
            </header>
            if single_thread {
                <p class="embed-note threads-note" role="note">
                    {"Single thread: the page around this embed is not cross-origin isolated, so Python threads cannot start here. Examples with threads need the full page: "}
                    <a href={full} target="_blank" rel="noopener">{"open it in pyrace ↗"}</a>
                </p>
            }
        </>
    }
}
