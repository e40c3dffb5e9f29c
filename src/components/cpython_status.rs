//! The CPython engine's status while it is on: downloading (bytes),
//! starting, ready (its version), or failed (and RustPython works on). The
//! top bar shows it beside "CPython too", an embed running on both engines
//! in its bar.

use yew::prelude::*;

use super::{use_draft, use_engines};
use crate::format;
use crate::state::CpythonState;

#[function_component(CpythonStatus)]
pub fn cpython_status() -> Html {
    crate::render_count::note("CpythonStatus");
    let engines = use_engines();
    let draft = use_draft();
    match (&engines.cpython, draft.cpython) {
        (_, false) | (CpythonState::Off, _) => html! {},
        (CpythonState::Loading { loaded, total }, true) => {
            let text = if *total > 0.0 && loaded >= total {
                "starting CPython…".to_owned()
            } else if *total > 0.0 {
                format!(
                    "loading CPython: {} of {}",
                    format::bytes(*loaded),
                    format::bytes(*total)
                )
            } else {
                "loading CPython…".to_owned()
            };
            html! {
                <span class="cpython-status" data-status="loading" role="status">
                    <progress value={loaded.to_string()} max={total.max(1.0).to_string()}
                        aria-label="CPython download"></progress>
                    {text}
                </span>
            }
        }
        (CpythonState::Ready(version), true) => html! {
            <span class="cpython-status" data-status="ready" role="status" title="Runs go to RustPython, then to CPython: one after the other, each with the whole budget.">
                {format!("{version} ready")}
            </span>
        },
        (CpythonState::Failed(reason), true) => html! {
            <span class="cpython-status" data-status="failed" role="alert">
                {format!("CPython could not load ({reason}); RustPython works on.")}
            </span>
        },
    }
}
