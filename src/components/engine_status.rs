//! The engine's status: loading (with bytes), ready (threads or not),
//! running, restarting (a fresh process after a crash or Stop), or failed — and, when threads are off, why and where they work.

use yew::prelude::*;

use super::{use_engines, use_runs};
use crate::format;
use crate::state::EngineState;

#[function_component(EngineStatus)]
pub fn engine_status() -> Html {
    crate::render_count::note("EngineStatus");
    let engines = use_engines();
    let runs = use_runs();
    let (class, content) = match &engines.engine {
        EngineState::Loading { loaded, total } => {
            let text = if *total > 0.0 && loaded >= total {
                "Compiling the engine…".to_owned()
            } else if *total > 0.0 {
                format!(
                    "Loading the engine: {} of {}",
                    format::bytes(*loaded),
                    format::bytes(*total)
                )
            } else {
                "Loading the engine…".to_owned()
            };
            (
                "loading",
                html! {
                    <>
                        <progress value={loaded.to_string()} max={total.max(1.0).to_string()}
                            aria-label="Engine download"></progress>
                        <span>{text}</span>
                    </>
                },
            )
        }
        EngineState::Ready(info) if runs.running() => (
            "running",
            html! { <span>{"Running…"}{if info.threads { "" } else { " (single thread)" }}</span> },
        ),
        EngineState::Ready(info) => (
            "ready",
            html! {
                <>
                    <span>{"Engine ready"}</span>
                    if info.threads {
                        <span class="badge">{"threads"}</span>
                    } else {
                        <span class="badge warn" title="This page is not cross-origin isolated: Python threads are off.">
                            {"single thread"}
                        </span>
                        <a href="./" target="_blank" rel="noopener">{"Threads need the full playground"}</a>
                    }
                </>
            },
        ),
        EngineState::Restarting(_) => (
            "restarting",
            html! { <span>{"Restarting the engine…"}</span> },
        ),
        EngineState::Failed(reason) => (
            "failed",
            html! { <span role="alert">{format!("The engine failed to start: {reason}")}</span> },
        ),
    };
    html! {
        <div class={classes!("engine-status", class)} role="status" aria-live="polite" data-status={class}>
            <span class="dot" aria-hidden="true"></span>
            {content}
        </div>
    }
}
