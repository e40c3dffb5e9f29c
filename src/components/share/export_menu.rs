//! Export of the results for posts: the table as Markdown, the comparison
//! as JSON (both engines' under `rustpython` and `cpython` when the run went
//! to both), the bar chart (grouped by engine, when there are two) as SVG or
//! PNG, each as a download.

use pyrace_model::Comparison;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::bindings;
use super::export;

/// The chart exported: the bar chart of the results panel.
const CHART: &str = ".results .bar-chart svg";

#[derive(Properties, PartialEq)]
pub struct ExportMenuProps {
    pub comparison: Comparison,
    /// CPython's comparison of the same run, when it went there too.
    #[prop_or_default]
    pub cpython: Option<Comparison>,
}

#[function_component(ExportMenu)]
pub fn export_menu(props: &ExportMenuProps) -> Html {
    crate::render_count::note("ExportMenu");
    let problem = use_state(|| None::<String>);
    let report = {
        let problem = problem.clone();
        move |outcome: Result<(), String>| problem.set(outcome.err())
    };
    let markdown = {
        let text = export::markdown_engines(&props.comparison, props.cpython.as_ref());
        let report = report.clone();
        Callback::from(move |_| {
            report(bindings::download_text(
                "pyrace-results.md",
                "text/markdown",
                &text,
            ))
        })
    };
    let json = {
        let json = match &props.cpython {
            None => serde_json::to_string_pretty(&props.comparison),
            Some(cpython) => serde_json::to_string_pretty(&serde_json::json!({
                "rustpython": props.comparison,
                "cpython": cpython,
            })),
        }
        .map_err(|e| e.to_string());
        let report = report.clone();
        Callback::from(move |_| {
            report(json.clone().and_then(|text| {
                bindings::download_text("pyrace-results.json", "application/json", &text)
            }))
        })
    };
    let svg = {
        let report = report.clone();
        Callback::from(move |_| report(bindings::download_chart_svg(CHART, "pyrace-chart.svg")))
    };
    let chart_title = if props.cpython.is_some() {
        "The bar chart of both engines"
    } else {
        "The bar chart"
    };
    let png = Callback::from(move |_| {
        let report = report.clone();
        spawn_local(async move {
            report(bindings::download_chart_png(CHART, "pyrace-chart.png").await);
        });
    });
    html! {
        <div class="export-menu" role="group" aria-label="Export the results">
            <span class="muted">{"Export:"}</span>
            <button type="button" class="export-markdown" onclick={markdown} title="The table as Markdown">{"Markdown"}</button>
            <button type="button" class="export-json" onclick={json} title="The whole comparison as JSON">{"JSON"}</button>
            <button type="button" class="export-svg" onclick={svg} title={format!("{chart_title} as SVG")}>{"SVG"}</button>
            <button type="button" class="export-png" onclick={png} title={format!("{chart_title} as PNG")}>{"PNG"}</button>
            if let Some(problem) = (*problem).clone() {
                <span class="field-error" role="alert">{format!("Could not export: {problem}")}</span>
            }
        </div>
    }
}
