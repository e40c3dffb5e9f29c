//! An engine's status, one component for every engine: loading (with
//! bytes), starting, ready, running, restarting (a fresh process after a
//! crash or Stop), or failed. The engine every run starts on (RustPython)
//! speaks as "the engine" in the top bar, with a dot and, when threads are
//! off, why and where they work; an engine that runs only when asked
//! (CPython) speaks by name beside its switch, and only while it is on.

use pyrace_model::EngineId;
use yew::prelude::*;

use crate::components::use_engines;
use crate::format;
use crate::state::EngineState;

#[derive(Properties, PartialEq)]
pub struct EngineStatusProps {
    pub engine: EngineId,
    /// The engine is wanted (its switch is on); a status is shown only then.
    #[prop_or(true)]
    pub on: bool,
    /// A run is going.
    #[prop_or_default]
    pub running: bool,
}

/// How `engine` is named in its status: the first engine is the page's
/// own, "the engine"; the others go by their names.
fn is_main(engine: EngineId) -> bool {
    engine == EngineId::ALL[0]
}

/// The loading line: bytes so far, or the step after the download.
fn loading_text(engine: EngineId, loaded: f64, total: f64) -> String {
    let label = engine.label();
    let downloaded = total > 0.0 && loaded >= total;
    let of =
        (total > 0.0).then(|| format!("{} of {}", format::bytes(loaded), format::bytes(total)));
    match (is_main(engine), downloaded, of) {
        (true, true, _) => "Compiling the engine…".to_owned(),
        (true, false, Some(of)) => format!("Loading the engine: {of}"),
        (true, false, None) => "Loading the engine…".to_owned(),
        (false, true, _) => format!("starting {label}…"),
        (false, false, Some(of)) => format!("loading {label}: {of}"),
        (false, false, None) => format!("loading {label}…"),
    }
}

#[function_component(EngineStatus)]
pub fn engine_status(props: &EngineStatusProps) -> Html {
    crate::render_count::note("EngineStatus");
    let engines = use_engines();
    let engine = props.engine;
    let state = engines.get(engine);
    if !props.on || matches!(state, EngineState::Off) {
        return html! {};
    }
    let progress = |loaded: f64, total: f64| {
        let label = if is_main(engine) {
            "Engine download".to_owned()
        } else {
            format!("{} download", engine.label())
        };
        html! {
            <progress value={loaded.to_string()} max={total.max(1.0).to_string()}
                aria-label={label}></progress>
        }
    };
    if !is_main(engine) {
        let label = engine.label();
        let (status, role, content) = match state {
            EngineState::Off => return html! {},
            EngineState::Loading { loaded, total } => (
                "loading",
                "status",
                html! { <>{progress(*loaded, *total)}{loading_text(engine, *loaded, *total)}</> },
            ),
            EngineState::Ready(info) => (
                "ready",
                "status",
                html! { {format!("{} ready", info.name)} },
            ),
            EngineState::Restarting(_) => (
                "restarting",
                "status",
                html! { {format!("restarting {label}…")} },
            ),
            EngineState::Failed(reason) => (
                "failed",
                "alert",
                html! { {format!("{label} could not load ({reason}); {} works on.", EngineId::ALL[0].label())} },
            ),
        };
        let title = (status == "ready").then(|| {
            format!(
                "Runs go to {}, then to {label}: one after the other, each with the whole budget.",
                EngineId::ALL[0].label()
            )
        });
        return html! {
            <span class={format!("{}-status", engine.key())} data-status={status} {role} {title}>
                {content}
            </span>
        };
    }
    let (class, content) = match state {
        EngineState::Off => return html! {},
        EngineState::Loading { loaded, total } => (
            "loading",
            html! {
                <>
                    {progress(*loaded, *total)}
                    <span>{loading_text(engine, *loaded, *total)}</span>
                </>
            },
        ),
        EngineState::Ready(info) if props.running => (
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
