//! The loaded lesson's claims, each checked against the run on this page:
//! a reader sees at once whether their engine shows what the prose says.
//! Beside each, for information only, how the claim reads against CPython:
//! this page's live CPython figures when the run had a CPython part, else
//! the lesson's recorded ones. Whether a claim holds stays RustPython's.

use pyrace_model::EngineId;
use pyrace_model::lesson::{Claim, Figures, RunFigures, Verdict};
use yew::prelude::*;

use crate::components::{use_draft, use_handle, use_runs};
use crate::state::RunView;

/// What a claim's row says for the page's last finished comparison.
fn status(verdict: Option<&Verdict>) -> (&'static str, &'static str, String) {
    match verdict {
        None => ("pending", "run to check", String::new()),
        Some(v) if v.missing => ("unchecked", "not measured in this run", v.measured.clone()),
        Some(v) if v.passed => ("holds", "holds", v.measured.clone()),
        Some(v) => ("misses", "misses", v.measured.clone()),
    }
}

/// How a claim reads against CPython's figures, as a line of its row.
fn cpython_reading(
    claim: &Claim,
    source: &'static str,
    label: &str,
    figures: &dyn Figures,
) -> Html {
    let verdict = claim.check(figures);
    if verdict.missing {
        return html! {};
    }
    let word = if verdict.passed {
        "would hold"
    } else {
        "would miss"
    };
    html! {
        <span class="claim-cpython" data-source={source} data-passed={verdict.passed.to_string()}>
            {format!("{label}: {} — {word}", verdict.measured)}
        </span>
    }
}

/// What a finished run measured, as the claims read it: a timed run's
/// comparison, a profiled run's lines and calls with each program's code.
fn figures_of(run: &RunView) -> Option<RunFigures<'_>> {
    if run.running() {
        return None;
    }
    let figures = RunFigures {
        comparison: run.comparison.as_ref(),
        traces: run
            .traces
            .iter()
            .filter_map(|(name, trace)| {
                let (_, code) = run.codes.iter().find(|(n, _)| n == name)?;
                Some((name.as_str(), trace, code.as_str()))
            })
            .collect(),
    };
    (figures.comparison.is_some() || !figures.traces.is_empty()).then_some(figures)
}

/// The name a live CPython reading goes by: a comparison's own (where it
/// ran, as the figures line above shows it), else the engine's, so the
/// claims and the figures name one engine the same way.
fn live_engine_name(live: &RunFigures<'_>, run: Option<&RunView>) -> String {
    live.comparison
        .map(|comparison| comparison.engine.clone())
        .or_else(|| run.and_then(|run| run.engine.clone()))
        .unwrap_or_else(|| "CPython".to_owned())
}

#[function_component(LessonClaims)]
pub fn lesson_claims() -> Html {
    crate::render_count::note("LessonClaims");
    let handle = use_handle();
    let runs = use_runs();
    let draft = use_draft();
    let Some(entry) = handle.lesson_of(&draft) else {
        return html! {};
    };
    let claims: &[Claim] = &entry.lesson.claims;
    if claims.is_empty() {
        return html! {};
    }
    // Only a finished run of this page is checked: a run still going has
    // no figures yet, and a link's recorded results carry their own.
    let figures = runs.run().and_then(figures_of);
    let live = runs.part(EngineId::Cpython).and_then(figures_of);
    let cpython: Option<(&'static str, String, &dyn Figures)> =
        match (&live, &entry.lesson.reference) {
            (Some(live), _) => Some((
                "live",
                format!("{} live here", live_engine_name(live, runs.part(EngineId::Cpython))),
                live,
            )),
            (None, Some(reference)) => Some((
                "recorded",
                format!("{} recorded", reference.version),
                reference,
            )),
            (None, None) => None,
        };
    html! {
        <section class="lesson-claims" aria-label="What this lesson expects">
            <h3>{"What this lesson expects"}</h3>
            <ul>
                {for claims.iter().map(|claim| {
                    let verdict = figures.as_ref().map(|f| claim.check(f));
                    let (class, word, measured) = status(verdict.as_ref());
                    html! {
                        <li class={classes!("claim", class)} data-line={claim.line.to_string()}>
                            <span class="claim-status">{word}</span>
                            <code class="claim-text">{claim.text.clone()}</code>
                            if !measured.is_empty() {
                                <span class="claim-measured">{format!("measured {measured}")}</span>
                            }
                            if let Some((source, label, figures)) = &cpython {
                                {cpython_reading(claim, source, label, *figures)}
                            }
                        </li>
                    }
                })}
            </ul>
        </section>
    }
}
