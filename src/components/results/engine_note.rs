//! The note under the results when RustPython and CPython disagree: a
//! different winner, or ratios more than twice apart, in plain words, with
//! the reason where the code shows a known one.

use pyrace_model::Comparison;
use pyrace_model::engines::disagreement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EngineNoteProps {
    pub rustpython: Comparison,
    pub cpython: Comparison,
    /// Each variant's name and code, as run.
    pub codes: Vec<(String, String)>,
}

#[function_component(EngineNote)]
pub fn engine_note(props: &EngineNoteProps) -> Html {
    crate::render_count::note("EngineNote");
    let Some(found) = disagreement(&props.rustpython, &props.cpython, &props.codes) else {
        return html! {};
    };
    html! {
        <aside class="notice engine-note" role="note" aria-label="The engines disagree">
            <p><strong>{found.summary}</strong>{" Both ran the same timing functions through the same analysis: the difference is the interpreters'."}</p>
            if !found.causes.is_empty() {
                <ul>
                    {for found.causes.iter().map(|cause| html! { <li>{cause.explanation()}</li> })}
                </ul>
            }
            <p class="muted">{"CPython is what your own Python does; RustPython is the engine with threads, GIL mode and processes."}</p>
        </aside>
    }
}
