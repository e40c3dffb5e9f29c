//! Lists the lessons by topic; choosing one loads it into the panes, after
//! a confirmation when the panes hold edits it would replace.

use std::collections::BTreeMap;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::{use_draft, use_handle};

#[function_component(LessonPicker)]
pub fn lesson_picker() -> Html {
    crate::render_count::note("LessonPicker");
    let handle = use_handle();
    let draft = use_draft();
    if handle.lessons.is_empty() {
        return html! {};
    }
    let mut topics: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for entry in handle.lessons.iter() {
        topics
            .entry(entry.lesson.topic.as_str())
            .or_default()
            .push((entry.id.as_str(), entry.lesson.title.as_str()));
    }
    let current = draft.lesson.clone().unwrap_or_default();
    let onchange = {
        let handle = handle.clone();
        let current = current.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if !handle.load_lesson(&select.value()) {
                // Declined: the state did not change, so nothing re-renders
                // the select; put back the lesson the panes still hold.
                select.set_value(&current);
            }
        })
    };
    html! {
        <label class="field lesson-picker">
            <span>{"Lesson"}</span>
            <select {onchange} class="lesson-select">
                <option value="" selected={current.is_empty()} disabled=true>{"Choose a lesson…"}</option>
                {for topics.iter().map(|(topic, lessons)| html! {
                    <optgroup label={topic.to_string()}>
                        {for lessons.iter().map(|(id, title)| html! {
                            <option value={id.to_string()} selected={current == *id}>{title.to_string()}</option>
                        })}
                    </optgroup>
                })}
            </select>
        </label>
    }
}
