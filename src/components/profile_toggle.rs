//! The Run mode's "Profile" switch: each program runs under `cProfile`
//! and its functions are shown in a sortable table.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{use_draft, use_handle};
use crate::state::DraftEdit;

#[function_component(ProfileToggle)]
pub fn profile_toggle() -> Html {
    crate::render_count::note("ProfileToggle");
    let handle = use_handle();
    let draft = use_draft();
    let onchange = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            handle.dispatch(DraftEdit::Profile(input.checked()));
        })
    };
    html! {
        <label class="field profile-toggle"
            title="Run each program under cProfile (pyrace's, over the pure-Python profile module: calls cost more than without it) and show where the time went">
            <input type="checkbox" checked={draft.profile} {onchange} />
            <span>{"Profile (cProfile)"}</span>
        </label>
    }
}
