//! The bar above the panes: lesson picker, mode, sweep sizes and budget,
//! thread mode and profiling, Run and Stop, Share and Open file…, the
//! engine's status and the "CPython too" switch.

mod same_result_toggle;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::embed::EmbedGenerator;
use crate::components::engine::{CpythonSwitch, EngineStatus};
use crate::components::lesson::LessonPicker;
use crate::components::profile_toggle::ProfileToggle;
use crate::components::share::{OpenFileButton, ShareButton};
use crate::components::thread_mode::ThreadModeSwitch;
use crate::components::{use_draft, use_engines, use_handle, use_runs};
use crate::mode_text::ModeText;
use crate::state::DraftEdit;
use pyrace_model::{EngineId, Mode};
use same_result_toggle::SameResultToggle;

/// Budgets offered, in seconds.
const BUDGETS: [f64; 5] = [2.0, 5.0, 10.0, 20.0, 40.0];

#[function_component(TopBar)]
pub fn top_bar() -> Html {
    crate::render_count::note("TopBar");
    let handle = use_handle();
    let engines = use_engines();
    let runs = use_runs();
    let draft = use_draft();
    let mode = draft.mode;

    let modes = Mode::ALL.iter().map(|&option| {
        let handle = handle.clone();
        let onchange = Callback::from(move |_| handle.dispatch(DraftEdit::SetMode(option)));
        html! {
            <label class="segment" title={option.hint()}>
                <input type="radio" name="mode" value={format!("{option:?}").to_lowercase()}
                    checked={option == mode} {onchange} />
                <span>{option.label()}</span>
            </label>
        }
    });

    let on_sweep = {
        let handle = handle.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            handle.dispatch(DraftEdit::Sweep(input.value()));
        })
    };
    let on_budget = {
        let handle = handle.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(budget) = select.value().parse() {
                handle.dispatch(DraftEdit::Budget(budget));
            }
        })
    };
    let running = runs.running();
    let budget = draft.budget;
    let shortcut = "Ctrl+Enter / ⌘+Enter";

    html! {
        <header class="top-bar">
            <div class="brand">
                <svg class="logo" viewBox="0 0 24 24" aria-hidden="true">
                    <circle cx="12" cy="13" r="8" />
                    <path d="M12 13 L16 9 M10 3 h4" />
                </svg>
                <h1>{"pyrace"}</h1>
                <span class="tagline">{"see Python performance"}</span>
            </div>
            <LessonPicker />
            <fieldset class="mode-switch">
                <legend class="visually-hidden">{"Mode"}</legend>
                {for modes}
            </fieldset>
            if mode == Mode::Sweep {
                <label class="field">
                    <span>{"Sizes"}</span>
                    <input class="sweep-input" type="text" value={draft.sweep.clone()}
                        oninput={on_sweep} aria-invalid={runs.sweep_problem.is_some().to_string()}
                        placeholder="n=10,100,1000" spellcheck="false" />
                    if let Some(problem) = &runs.sweep_problem {
                        <span class="field-error" role="alert">{problem.clone()}</span>
                    }
                </label>
            }
            if mode.timed() {
                <label class="field">
                    <span>{"Budget"}</span>
                    <select onchange={on_budget} class="budget-select">
                        {for BUDGETS.iter().map(|&b| html! {
                            <option value={b.to_string()} selected={(b - budget).abs() < 1e-9}>{format!("{b} s")}</option>
                        })}
                        if !BUDGETS.iter().any(|&b| (b - budget).abs() < 1e-9) {
                            <option value={budget.to_string()} selected=true>{format!("{budget} s")}</option>
                        }
                    </select>
                </label>
                <SameResultToggle />
            }
            <ThreadModeSwitch />
            if mode == Mode::Run {
                <ProfileToggle />
            }
            <div class="run-controls">
                <button class="run-button primary" onclick={handle.on_run()}
                    disabled={running || !engines.ready()} title={format!("Run ({shortcut})")}>
                    {"▶ Run"}
                </button>
                <button class="stop-button" onclick={handle.on_stop()} disabled={!running}
                    title={format!("Stop ({shortcut} while running)")}>
                    {"■ Stop"}
                </button>
                <kbd class="shortcut">{shortcut}</kbd>
            </div>
            <div class="share-controls">
                <ShareButton />
                <OpenFileButton />
            </div>
            <EngineStatus engine={EngineId::Rustpython} {running} />
            <CpythonSwitch />
            <EmbedGenerator />
        </header>
    }
}
