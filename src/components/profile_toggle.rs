//! The Run mode's "Profile" switch: each program runs under `cProfile`
//! and its functions are shown in a sortable table.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::use_handle;
use crate::state::Action;

#[function_component(ProfileToggle)]
pub fn profile_toggle() -> Html {
    let handle = use_handle();
    let onchange = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            handle.dispatch(Action::SetProfile(input.checked()));
        })
    };
    html! {
        <label class="field profile-toggle"
            title="Run each program under cProfile (pyrace's, over the pure-Python profile module: calls cost more than without it) and show where the time went">
            <input type="checkbox" checked={handle.draft.profile} {onchange} />
            <span>{"Profile (cProfile)"}</span>
        </label>
    }
}
