//! A pane's own thread mode: the run's, or free-threaded or GIL for this
//! variant alone (to compare the two modes side by side).

use pyrace_model::ThreadMode;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::switch::{explanation, label, parse, value};
use crate::components::{use_draft, use_handle};
use crate::state::DraftEdit;

#[derive(Properties, PartialEq)]
pub struct PaneThreadModeProps {
    pub pane_key: u32,
    /// The pane's own mode; `None` follows the run's.
    pub mode: Option<ThreadMode>,
    /// The pane's name, for the control's label.
    pub label: AttrValue,
}

#[function_component(PaneThreadMode)]
pub fn pane_thread_mode(props: &PaneThreadModeProps) -> Html {
    crate::render_count::note("PaneThreadMode");
    let handle = use_handle();
    let draft = use_draft();
    let run_mode = draft.thread_mode;
    let key = props.pane_key;
    let onchange = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            handle.dispatch(DraftEdit::PaneThreadMode {
                key,
                mode: parse(&select.value()),
            });
        })
    };
    let effective = props.mode.unwrap_or(run_mode);
    html! {
        <label class="pane-thread-mode" title={explanation(effective)}>
            <span>{"threads:"}</span>
            <select {onchange} aria-label={format!("Thread mode of {}", props.label)}>
                <option value="run" selected={props.mode.is_none()}>{format!("as the run ({})", label(run_mode))}</option>
                {for [ThreadMode::Free, ThreadMode::Gil].into_iter().map(|mode| html! {
                    <option value={value(mode)} selected={props.mode == Some(mode)}>{label(mode)}</option>
                })}
            </select>
        </label>
    }
}
