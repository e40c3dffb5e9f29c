//! The embed's variants side by side, each a compact card: its name, its
//! code (read-only if the embed is), its errors and output, and its timing.
//! No renaming, moving or adding: that is what "Open in pyrace" is for.

use pyrace_model::EngineId;
use yew::prelude::*;

use crate::components::output::OutputView;
use crate::components::panes::{CodeEditor, PaneErrors, PaneRun};
use crate::components::results::TimingCard;
use crate::components::{series_index, use_draft, use_handle, use_runs};
use crate::state::{DraftEdit, Pane};

#[derive(Properties, PartialEq)]
pub struct EmbedPanesProps {
    pub read_only: bool,
    /// Which parts each card shows.
    pub code: bool,
    pub output: bool,
    pub timing: bool,
}

#[function_component(EmbedPanes)]
pub fn embed_panes(props: &EmbedPanesProps) -> Html {
    crate::render_count::note("EmbedPanes");
    let draft = use_draft();
    let count = draft.panes.len();
    html! {
        <section class="variants" aria-label="Variants">
            <div class={classes!("variant-grid", format!("count-{count}"))}>
                {for draft.panes.iter().enumerate().map(|(index, pane)| html! {
                    <EmbedPane key={pane.key} pane={pane.clone()} {index} read_only={props.read_only}
                        code={props.code} output={props.output} timing={props.timing} />
                })}
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EmbedPaneProps {
    pane: Pane,
    index: usize,
    read_only: bool,
    code: bool,
    output: bool,
    timing: bool,
}

#[function_component(EmbedPane)]
fn embed_pane(props: &EmbedPaneProps) -> Html {
    crate::render_count::note("EmbedPane");
    let handle = use_handle();
    let runs = use_runs();
    let pane = &props.pane;
    let key = pane.key;
    let on_code = use_callback((handle.clone(), key), |code: String, (handle, key)| {
        handle.dispatch(DraftEdit::Code { key: *key, code })
    });
    let pane_run = PaneRun::of(&runs, EngineId::Rustpython, key);
    let problem = runs.problems.get(&key).cloned();
    let label = pane.name.trim().to_owned();
    let failed = pane_run.error.is_some() || pane_run.setup_error.is_some() || problem.is_some();
    html! {
        <article class={classes!("variant-pane", "embed-pane", failed.then_some("has-error"))}
            aria-label={format!("Variant {label}")} data-variant={label.clone()}>
            <header class="pane-header">
                <span class={classes!("swatch", format!("series-{}", series_index(props.index)))} aria-hidden="true"></span>
                <h2 class="variant-label">{label.clone()}</h2>
            </header>
            if props.code {
                if !pane.setup.is_empty() {
                    <CodeEditor doc={pane.setup.clone()} label={format!("Setup of {label}")} read_only=true
                        error_mark={pane_run.setup_error_mark()} on_change={Callback::noop()} />
                }
                <CodeEditor doc={pane.code.clone()} label={format!("Code of {label}")} read_only={props.read_only}
                    error_mark={pane_run.error_mark()} on_change={on_code} />
            }
            <PaneErrors {problem} setup_error={pane_run.setup_error.map(|(_, e)| e)}
                error={pane_run.error.map(|(_, e)| e)} />
            if props.output {
                if let Some((output, empty)) = pane_run.output {
                    <section class="pane-output" aria-label={format!("Output of {label}")}>
                        <OutputView {output} empty={Some(empty)} />
                    </section>
                }
            }
            if props.timing {
                <TimingCard pane_key={key} slot={series_index(props.index)} />
            }
        </article>
    }
}
