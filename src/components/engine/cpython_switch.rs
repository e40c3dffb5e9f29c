//! The "CPython too" switch of the top bar and the CPython engine's status
//! beside it. Turning it on is what loads the engine.

use pyrace_model::EngineId;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::status::EngineStatus;
use crate::components::{use_draft, use_handle};
use crate::state::DraftEdit;

#[function_component(CpythonSwitch)]
pub fn cpython_switch() -> Html {
    crate::render_count::note("CpythonSwitch");
    let handle = use_handle();
    let draft = use_draft();
    let on = draft.cpython;
    let onchange = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            handle.dispatch(DraftEdit::Cpython(input.checked()));
        })
    };
    html! {
        <div class="cpython-switch">
            <label class="field toggle" title="Also run every comparison on CPython 3.14 (Pyodide, about 6 MB once), after RustPython">
                <input type="checkbox" class="cpython-toggle" checked={on} {onchange} />
                <span>{"CPython too"}</span>
            </label>
            <EngineStatus engine={EngineId::Cpython} {on} />
        </div>
    }
}
