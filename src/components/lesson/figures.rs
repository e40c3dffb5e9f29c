//! A lesson's CPython figures beside the reader's RustPython run: the live
//! ones when this page's last run had a CPython part, labelled as measured
//! here, and the lesson's recorded ones, labelled with their version and
//! machine.

use pyrace_model::EngineId;
use pyrace_model::lesson::{Figures, Reference};
use pyrace_model::result::Comparison;
use pyrace_model::units;
use yew::prelude::*;

use crate::components::{use_draft, use_handle, use_runs};
use crate::format;

/// What one line of figures says: variant times (at size `n` in a sweep),
/// growth labels and `more` (peaks, hottest lines), in words.
fn figures_text(
    n: Option<u64>,
    times: &[(String, f64)],
    growth: &[(String, String)],
    more: Vec<String>,
) -> String {
    let figures = times
        .iter()
        .map(|(name, t)| format!("{name} {}", format::duration(*t)))
        .chain(growth.iter().map(|(name, g)| format!("growth {name} {g}")))
        .chain(more)
        .collect::<Vec<_>>()
        .join(" · ");
    match n {
        Some(n) => format!(", n={}: {figures}", format::size(n)),
        None => format!(": {figures}"),
    }
}

/// The live figures as the recorded ones are written: at the recorded size
/// when every variant reached it, else at the run's headline size.
fn live_text(comparison: &Comparison, recorded_n: Option<u64>) -> String {
    let at = recorded_n.filter(|n| {
        comparison
            .variants
            .iter()
            .all(|v| comparison.time(&v.name, Some(*n)).is_some())
    });
    let n = at.or_else(|| {
        comparison
            .sweep
            .iter()
            .filter_map(|s| s.points.last().map(|p| p.n))
            .min()
    });
    let times: Vec<(String, f64)> = comparison
        .variants
        .iter()
        .filter_map(|v| Some((v.name.clone(), comparison.time(&v.name, at)?)))
        .collect();
    let growth: Vec<(String, String)> = comparison
        .sweep
        .iter()
        .filter_map(|s| Some((s.name.clone(), s.growth.as_ref()?.label())))
        .collect();
    let peaks = comparison
        .variants
        .iter()
        .filter_map(|v| {
            let peak = comparison.peak(&v.name, at)?;
            Some(format!("{} peak {}", v.name, units::bytes(peak as f64)))
        })
        .collect();
    figures_text(n, &times, &growth, peaks)
}

/// The recorded peaks, memory growth and hottest lines, in words.
fn recorded_more(reference: &Reference) -> Vec<String> {
    let peaks = reference
        .peaks
        .iter()
        .map(|(name, peak)| format!("{name} peak {}", units::bytes(*peak as f64)));
    let growth = reference
        .memory_growth
        .iter()
        .map(|(name, class)| format!("memory growth {name} {class}"));
    let hot = reference
        .hottest_lines
        .iter()
        .map(|(name, code)| format!("hottest line of {name}: {code}"));
    peaks.chain(growth).chain(hot).collect()
}

#[function_component(LessonFigures)]
pub fn lesson_figures() -> Html {
    crate::render_count::note("LessonFigures");
    let handle = use_handle();
    let draft = use_draft();
    let runs = use_runs();
    let Some(entry) = handle.lesson_of(&draft) else {
        return html! {};
    };
    let reference = entry.lesson.reference.as_ref();
    let cpython_part = runs.part(EngineId::Cpython);
    let live = cpython_part.and_then(|run| run.comparison.as_ref());
    let cpython_busy = cpython_part.is_some_and(|run| run.running());
    html! {
        <div class="lesson-figures">
            if let Some(comparison) = live {
                <p class="reference live" data-source="live">
                    <span class="figures-source">{"Live, measured on this page: "}</span>
                    // The engine names itself with where it ran, e.g.
                    // `CPython 3.14.2 (Pyodide, browser)`.
                    <strong>{comparison.engine.clone()}</strong>
                    {live_text(comparison, reference.and_then(|r| r.n))}
                </p>
            } else if cpython_busy {
                <p class="reference pending" data-source="pending">
                    {"CPython is running this lesson on this page: its live figures show here when it is done."}
                </p>
            }
            if let Some(reference) = reference {
                <p class="reference recorded" data-source="recorded">
                    <span class="figures-source">{"Recorded: "}</span>
                    <strong>{reference.version.clone()}</strong>
                    {format!(" on {}", reference.machine)}
                    {figures_text(reference.n, &reference.times,
                        &reference.growth.iter().map(|(name, g)| (name.clone(), g.label().to_owned())).collect::<Vec<_>>(),
                        recorded_more(reference))}
                    if live.is_none() && !draft.cpython {
                        <span class="figures-hint">{" — turn on “CPython too” to measure CPython live on this page."}</span>
                    }
                </p>
            }
        </div>
    }
}
