//! The "CPython too" switch of the top bar and the CPython engine's status
//! beside it: off, downloading (bytes), ready (its version), or failed (and
//! RustPython works on). Turning it on is what loads the engine.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{use_draft, use_engines, use_handle};
use crate::format;
use crate::state::{CpythonState, DraftEdit};

#[function_component(CpythonSwitch)]
pub fn cpython_switch() -> Html {
    crate::render_count::note("CpythonSwitch");
    let handle = use_handle();
    let engines = use_engines();
    let draft = use_draft();
    let on = draft.cpython;
    let onchange = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            handle.dispatch(DraftEdit::Cpython(input.checked()));
        })
    };
    let status = match (&engines.cpython, on) {
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
    };
    html! {
        <div class="cpython-switch">
            <label class="field toggle" title="Also run every comparison on CPython 3.14 (Pyodide, about 6 MB once), after RustPython">
                <input type="checkbox" class="cpython-toggle" checked={on} {onchange} />
                <span>{"CPython too"}</span>
            </label>
            {status}
        </div>
    }
}
