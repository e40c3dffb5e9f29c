//! The Run mode's "Profile" switch and what it measures: pyrace's line
//! tracer (time per line in the editors, the call tree as an icicle, and
//! memory) or `cProfile` (a sortable table of functions, built-in ones
//! included).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{use_draft, use_handle};
use crate::state::{DraftEdit, Profiler};

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
    let on_kind = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let profiler = if select.value() == "cprofile" {
                Profiler::CProfile
            } else {
                Profiler::Lines
            };
            handle.dispatch(DraftEdit::Profiler(profiler));
        })
    };
    let lines = draft.profiler == Profiler::Lines;
    html! {
        <span class="profile-options">
            <label class="field profile-toggle"
                title="Run each program once under a profiler and show where the time (and, with lines, the memory) went. Profiling slows the run; timed runs (Compare, Sweep) are never profiled.">
                <input type="checkbox" checked={draft.profile} {onchange} />
                <span>{"Profile"}</span>
            </label>
            if draft.profile {
                <label class="field profile-kind">
                    <span class="visually-hidden">{"Profiler"}</span>
                    <select onchange={on_kind} aria-label="Profiler">
                        <option value="lines" selected={lines}>{"lines, calls & memory"}</option>
                        <option value="cprofile" selected={!lines}>{"functions (cProfile)"}</option>
                    </select>
                </label>
                <span class="muted profile-cost-hint">{"slows the run"}</span>
            }
        </span>
    }
}
