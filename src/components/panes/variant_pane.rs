//! The variant panes side by side: each with its name, editor, own setup,
//! problems and errors, its own output and its timing card. Panes can be
//! added, removed, renamed, duplicated and moved.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::code_editor::CodeEditor;
use super::pane_errors::PaneErrors;
use super::pane_run::PaneRun;
use crate::components::output::OutputView;
use crate::components::results::TimingCard;
use crate::components::thread_mode::PaneThreadMode;
use crate::components::{series_index, use_draft, use_handle, use_runs};
use crate::state::{DraftEdit, Pane};
use pyrace_model::EngineId;
use pyrace_model::limits::MAX_VARIANTS;

#[function_component(VariantPanes)]
pub fn variant_panes() -> Html {
    crate::render_count::note("VariantPanes");
    let handle = use_handle();
    let draft = use_draft();
    let count = draft.panes.len();
    let on_add = {
        let handle = handle.clone();
        Callback::from(move |_| handle.dispatch(DraftEdit::AddPane))
    };
    html! {
        <section class="variants" aria-label="Variants">
            <div class={classes!("variant-grid", format!("count-{count}"))}>
                {for draft.panes.iter().enumerate().map(|(index, pane)| html! {
                    <VariantPane key={pane.key} pane={pane.clone()} {index} {count} />
                })}
            </div>
            if count < MAX_VARIANTS {
                <button class="add-variant" onclick={on_add}>{"+ Add variant"}</button>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct VariantPaneProps {
    pub pane: Pane,
    pub index: usize,
    pub count: usize,
}

#[function_component(VariantPane)]
pub fn variant_pane(props: &VariantPaneProps) -> Html {
    crate::render_count::note("VariantPane");
    let handle = use_handle();
    let runs = use_runs();
    let pane = &props.pane;
    let key = pane.key;
    let show_setup = use_state(|| !pane.setup.is_empty());

    let dispatch = |action: fn(u32) -> DraftEdit| {
        let handle = handle.clone();
        Callback::from(move |_: MouseEvent| handle.dispatch(action(key)))
    };
    let on_rename = {
        let handle = handle.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            handle.dispatch(DraftEdit::Rename {
                key,
                name: input.value(),
            });
        })
    };
    // Callbacks kept for the pane's life, so a run's events do not
    // re-render its editors.
    let on_code = use_callback((handle.clone(), key), |code: String, (handle, key)| {
        handle.dispatch(DraftEdit::Code { key: *key, code })
    });
    let on_setup = use_callback((handle.clone(), key), |setup: String, (handle, key)| {
        handle.dispatch(DraftEdit::PaneSetup { key: *key, setup })
    });
    let toggle_setup = {
        let show_setup = show_setup.clone();
        Callback::from(move |_| show_setup.set(!*show_setup))
    };

    let pane_run = PaneRun::of(&runs, EngineId::Rustpython, key);
    let cpython_part = PaneRun::of(&runs, EngineId::Cpython, key);
    let problem = runs.problems.get(&key).cloned();
    let name = pane.name.clone();
    let label = if name.trim().is_empty() {
        "unnamed".to_owned()
    } else {
        name.trim().to_owned()
    };
    let failed = pane_run.error.is_some() || pane_run.setup_error.is_some() || problem.is_some();

    html! {
        <article class={classes!("variant-pane", failed.then_some("has-error"))}
            aria-label={format!("Variant {label}")} data-variant={label.clone()}>
            <header class="pane-header">
                <span class={classes!("swatch", format!("series-{}", series_index(props.index)))} aria-hidden="true"></span>
                <input class="variant-name" type="text" value={name} oninput={on_rename}
                    aria-label="Variant name" spellcheck="false" />
                <div class="pane-tools">
                    <button onclick={dispatch(|key| DraftEdit::MovePane { key, offset: -1 })}
                        disabled={props.index == 0} aria-label={format!("Move {label} left")} title="Move left">{"←"}</button>
                    <button onclick={dispatch(|key| DraftEdit::MovePane { key, offset: 1 })}
                        disabled={props.index + 1 == props.count} aria-label={format!("Move {label} right")} title="Move right">{"→"}</button>
                    <button onclick={dispatch(DraftEdit::DuplicatePane)} disabled={props.count >= MAX_VARIANTS}
                        aria-label={format!("Copy {label}")} title="Duplicate this variant into a new pane">{"Copy"}</button>
                    <button onclick={dispatch(DraftEdit::RemovePane)} disabled={props.count <= 1}
                        aria-label={format!("Remove {label}")} title="Remove">{"✕"}</button>
                </div>
            </header>
            <PaneThreadMode pane_key={key} mode={pane.thread_mode} label={label.clone()} />
            <CodeEditor doc={pane.code.clone()} label={format!("Code of {label}")}
                error_mark={pane_run.error_mark()} on_change={on_code}
                line_heat={crate::line_heat::line_heat_json(&runs, key)} />
            <button class="link-button setup-toggle" onclick={toggle_setup} aria-expanded={show_setup.to_string()}>
                {if *show_setup { "− own setup" } else { "+ own setup" }}
            </button>
            if *show_setup {
                <CodeEditor doc={pane.setup.clone()} label={format!("Setup of {label}")}
                    error_mark={pane_run.setup_error_mark()} on_change={on_setup} />
            }
            <PaneErrors {problem} setup_error={pane_run.setup_error.map(|(_, e)| e)}
                error={pane_run.error.map(|(_, e)| e)} />
            if let Some(gave) = pane_run.gave.clone() {
                <p class="pane-result-check" role="note">
                    {"Not the same result as the other variants: this one gave "}<code>{gave}</code>
                </p>
            }
            if let Some((output, empty)) = pane_run.output {
                <section class="pane-output" aria-label={format!("Output of {label}")}>
                    if runs.part(EngineId::Cpython).is_some() { <h3 class="engine-label">{"RustPython"}</h3> }
                    <OutputView {output} empty={Some(empty)} />
                </section>
            }
            if cpython_part.error.is_some() || cpython_part.setup_error.is_some() || cpython_part.output.is_some() {
                <section class="pane-cpython" aria-label={format!("CPython on {label}")} data-engine="cpython">
                    <h3 class="engine-label">{"CPython"}</h3>
                    <PaneErrors problem={None::<String>} setup_error={cpython_part.setup_error.map(|(_, e)| e)}
                        error={cpython_part.error.map(|(_, e)| e)} />
                    if let Some((output, empty)) = cpython_part.output {
                        <OutputView {output} empty={Some(empty)} />
                    }
                </section>
            }
            <TimingCard pane_key={key} slot={series_index(props.index)} />
        </article>
    }
}
