//! The Card part of the Share dialog: the card of the results shown (a run
//! here's, or those a link brought), previewed as it downloads, with
//! Download PNG, Download SVG and the snippets; or, when there is nothing
//! timed to show, why not. The results panel's bar chart is rendered out of
//! sight beside it, in the card's colours, and `card.js` copies it onto the
//! card, so the card charts exactly what the page does.

use pyrace_model::share::ResultsSnapshot;
use pyrace_model::{EngineId, Mode, VariantResult};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::card_chart::recorded_figures;
use super::card_snippet::CardSnippet;
use crate::bindings;
use super::content::{CARD_FILE, CardContent};
use crate::components::charts::BarChart;
use crate::components::{use_draft, use_runs};
use crate::state::{Draft, Runs};

#[derive(Properties, PartialEq)]
pub struct CardPanelProps {
    /// The share link: written on the card, and what the snippets link to.
    pub link: AttrValue,
    /// The dialog's time, at which a run here's figures count as recorded.
    pub now: AttrValue,
}

/// What the card can show now.
enum Source {
    /// No card: why, in words.
    Nothing(&'static str),
    /// The card, and the figures its chart is drawn from (CPython's when
    /// the results have them).
    Card {
        content: Box<CardContent>,
        results: Vec<VariantResult>,
        cpython: Option<Vec<VariantResult>>,
    },
}

/// A part's figures as the results panel charts them.
fn figures_of(runs: &Runs, engine: EngineId, snapshot: &ResultsSnapshot) -> Vec<VariantResult> {
    runs.part(engine)
        .and_then(|part| part.comparison.as_ref())
        .map_or_else(|| recorded_figures(snapshot), |c| c.variants.clone())
}

fn source(runs: &Runs, draft: &Draft, link: &str, now: &str) -> Source {
    let mode = runs.run().map_or(draft.mode, |run| run.mode);
    if mode == Mode::Run {
        return Source::Nothing(
            "Run mode times nothing, so there is no card to make: switch to Compare (or Program), run, and come back here.",
        );
    }
    if runs.running() {
        return Source::Nothing(
            "The run is still going: the card shows its results once it has finished.",
        );
    }
    let Some(snapshot) = runs.snapshot(EngineId::Rustpython, now) else {
        return Source::Nothing(if runs.run().is_some() {
            "This run ended without figures, so there is nothing to put on a card. Run again."
        } else {
            "Run first: the card shows the results, with a chart and the verdict."
        });
    };
    let cpython = runs.snapshot(EngineId::Cpython, now);
    // The code the figures are of: the run's, or the panes' for a link's results.
    let code = |name: &str| {
        match runs.run() {
            Some(run) => run
                .codes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, code)| code.clone()),
            None => draft
                .panes
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.code.clone()),
        }
        .unwrap_or_default()
    };
    let sweep_var = match runs.run() {
        Some(run) => run.options.sweep.as_ref().map(|s| s.var.clone()),
        None => draft
            .sweep
            .split_once('=')
            .map(|(var, _)| var.trim().to_owned()),
    };
    let content = CardContent::new(
        &snapshot,
        cpython.as_ref(),
        &draft.setup,
        code,
        link,
        sweep_var.as_deref(),
    );
    Source::Card {
        content: Box::new(content),
        results: figures_of(runs, EngineId::Rustpython, &snapshot),
        cpython: cpython
            .as_ref()
            .map(|s| figures_of(runs, EngineId::Cpython, s)),
    }
}

#[function_component(CardPanel)]
pub fn card_panel(props: &CardPanelProps) -> Html {
    crate::render_count::note("CardPanel");
    let draft = use_draft();
    let runs = use_runs();
    let holder = use_node_ref();
    let drawn = use_state(|| None::<Result<String, String>>);
    let problem = use_state(|| None::<String>);
    let source = source(&runs, &draft, &props.link, &props.now);
    // What the card says, with its alternative text: drawn again when it changes.
    let said = match &source {
        Source::Card { content, .. } => {
            let mut said = serde_json::to_value(content).unwrap_or_default();
            said["alt"] = content.alt().into();
            Some(said.to_string())
        }
        Source::Nothing(_) => None,
    };
    {
        let holder = holder.clone();
        let drawn = drawn.clone();
        use_effect_with(said, move |said| {
            // The chart beside the card has been rendered by now.
            drawn.set(
                said.as_ref()
                    .map(|said| match holder.cast::<web_sys::Element>() {
                        Some(holder) => bindings::card_svg(said, &holder),
                        None => Err("the chart was not rendered".to_owned()),
                    }),
            );
        });
    }
    let (content, results, cpython) = match source {
        Source::Nothing(why) => {
            return html! { <section class="card-panel" aria-label="Result card"><p class="notice card-none" role="status">{why}</p></section> };
        }
        Source::Card {
            content,
            results,
            cpython,
        } => (content, results, cpython),
    };
    let svg = match &*drawn {
        Some(Ok(svg)) => Some(svg.clone()),
        _ => None,
    };
    let download_png = {
        let (svg, problem) = (svg.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(svg) = svg.clone() else { return };
            let problem = problem.clone();
            spawn_local(async move {
                let written = bindings::download_card_png(&svg, &format!("{CARD_FILE}.png")).await;
                problem.set(written.err());
            });
        })
    };
    let download_svg = {
        let (svg, problem) = (svg.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(svg) = &svg {
                let written =
                    bindings::download_text(&format!("{CARD_FILE}.svg"), "image/svg+xml", svg);
                problem.set(written.err());
            }
        })
    };
    let image = format!("{CARD_FILE}.png");
    let preview = svg.as_ref().map(|svg| {
        format!(
            "data:image/svg+xml;charset=utf-8,{}",
            js_sys::encode_uri_component(svg)
        )
    });
    let drawn_problem = (*drawn).clone().and_then(Result::err);

    html! {
        <section class="card-panel" aria-label="Result card">
            // Out of sight: the chart the card copies, in the card's light colours.
            <div class="card-chart-source" aria-hidden="true" ref={holder}>
                <BarChart {results} {cpython} />
            </div>
            if let Some(src) = preview {
                <img class="card-preview" {src} width="1200" height="630" alt={content.alt()} />
            }
            if let Some(why) = drawn_problem {
                <p class="field-error" role="alert">{format!("The card could not be drawn: {why}")}</p>
            }
            <div class="dialog-actions">
                <button type="button" class="card-png primary" disabled={svg.is_none()} onclick={download_png}>
                    {format!("Download {CARD_FILE}.png")}
                </button>
                <button type="button" class="card-svg" disabled={svg.is_none()} onclick={download_svg}>
                    {format!("Download {CARD_FILE}.svg")}
                </button>
            </div>
            if let Some(problem) = (*problem).clone() {
                <p class="field-error" role="alert">{format!("Could not save the card: {problem}")}</p>
            }
            <p class="muted share-note">
                {format!("1200 × 630, for posts where scripts do not run. Upload {image} where you post, put its address in place of {image} below, and the picture links to this playground.")}
            </p>
            <CardSnippet label="Markdown" text={content.markdown(&props.link, &image)} />
            <CardSnippet label="HTML" text={content.html(&props.link, &image)} />
        </section>
    }
}
