//! The "Same result" switch of timed modes: before timing, the engine
//! compares what the variants give (each one's last line, or a name typed
//! here) and the panes say so when they differ.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{use_draft, use_handle};
use crate::state::DraftEdit;

#[function_component(SameResultToggle)]
pub fn same_result_toggle() -> Html {
    crate::render_count::note("SameResultToggle");
    let handle = use_handle();
    let draft = use_draft();
    let on_toggle = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            handle.dispatch(DraftEdit::SameResult(input.checked()));
        })
    };
    let on_name = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            handle.dispatch(DraftEdit::SameResultName(input.value()));
        })
    };
    let on = draft.same_result;
    html! {
        <span class="field same-result">
            <label title="Before timing, check that every variant gives the same result: the value of its last line, or of the name typed beside">
                <input type="checkbox" class="same-result-toggle" checked={on} onchange={on_toggle} />
                <span>{"Same result"}</span>
            </label>
            if on {
                <input type="text" class="same-result-name" aria-label="Name to compare (empty: the value of the last line)"
                    placeholder="last line" size="9" value={draft.same_result_name.clone()} onchange={on_name} />
            }
        </span>
    }
}
