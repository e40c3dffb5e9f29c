//! The run's thread mode in the top bar: free-threaded (threads run Python
//! in parallel, like CPython 3.13t) or GIL (one thread at a time, like
//! CPython's default build), and GIL mode's switch interval.

use pyrace_model::ThreadMode;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::{use_draft, use_handle};
use crate::state::DraftEdit;

/// Switch intervals offered, in seconds; CPython's default is 5 ms.
const INTERVALS: [f64; 5] = [0.001, 0.002, 0.005, 0.01, 0.05];

/// The mode's name in menus.
pub fn label(mode: ThreadMode) -> &'static str {
    match mode {
        ThreadMode::Free => "free-threaded",
        ThreadMode::Gil => "GIL",
    }
}

/// What the mode means, for tooltips and notes.
pub fn explanation(mode: ThreadMode) -> &'static str {
    match mode {
        ThreadMode::Free => {
            "Free-threaded, like CPython 3.13t/3.14t: threads run Python in parallel, one per core."
        }
        ThreadMode::Gil => {
            "GIL, like CPython's default build: one thread at a time runs Python; a thread lets go of the GIL while it blocks (sleep, locks, queues, join, I/O) and hands it on every switch interval."
        }
    }
}

/// The value of a mode in a `<select>`.
pub fn value(mode: ThreadMode) -> &'static str {
    match mode {
        ThreadMode::Free => "free",
        ThreadMode::Gil => "gil",
    }
}

/// The mode a `<select>` value names.
pub fn parse(value: &str) -> Option<ThreadMode> {
    match value {
        "free" => Some(ThreadMode::Free),
        "gil" => Some(ThreadMode::Gil),
        _ => None,
    }
}

#[function_component(ThreadModeSwitch)]
pub fn thread_mode_switch() -> Html {
    crate::render_count::note("ThreadModeSwitch");
    let handle = use_handle();
    let draft = use_draft();
    let mode = draft.thread_mode;
    let interval = draft.switch_interval;
    let on_mode = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(mode) = parse(&select.value()) {
                handle.dispatch(DraftEdit::ThreadMode(mode));
            }
        })
    };
    let on_interval = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(seconds) = select.value().parse() {
                handle.dispatch(DraftEdit::SwitchInterval(seconds));
            }
        })
    };
    let known = INTERVALS.iter().any(|&i| (i - interval).abs() < 1e-9);
    html! {
        <>
            <label class="field" title={explanation(mode)}>
                <span>{"Threads"}</span>
                <select class="thread-mode-select" onchange={on_mode} aria-describedby="thread-mode-hint">
                    <option value="free" selected={mode == ThreadMode::Free}>{"free-threaded (like CPython 3.13t)"}</option>
                    <option value="gil" selected={mode == ThreadMode::Gil}>{"GIL (like CPython's default build)"}</option>
                </select>
                <span id="thread-mode-hint" class="visually-hidden">{explanation(mode)}</span>
            </label>
            if mode == ThreadMode::Gil {
                <label class="field" title="sys.setswitchinterval: how long a thread may hold the GIL while another waits">
                    <span>{"Switch every"}</span>
                    <select class="switch-interval-select" onchange={on_interval}>
                        {for INTERVALS.iter().map(|&i| html! {
                            <option value={i.to_string()} selected={(i - interval).abs() < 1e-9}>
                                {format!("{} ms{}", i * 1000.0, if (i - 0.005).abs() < 1e-9 { " (default)" } else { "" })}
                            </option>
                        })}
                        if !known {
                            <option value={interval.to_string()} selected=true>{format!("{} ms", interval * 1000.0)}</option>
                        }
                    </select>
                </label>
            }
        </>
    }
}
