//! The run's profiles: one table per variant run under `cProfile`, on
//! RustPython and, when the run went there too, on CPython.

use pyrace_model::EngineId;
use yew::prelude::*;

use crate::state::RunView;

use super::profile_table::ProfileTable;
use super::use_series;

fn profiled(run: Option<&RunView>) -> Option<&RunView> {
    run.filter(|run| !run.profiles.is_empty())
}

#[function_component(ProfileViews)]
pub fn profile_views() -> Html {
    crate::render_count::note("ProfileViews");
    let series = use_series();
    let rustpython = profiled(series.runs.run());
    let cpython = profiled(series.runs.part(EngineId::Cpython));
    if rustpython.is_none() && cpython.is_none() {
        return html! {};
    }
    // Named by engine only when both engines ran the programs.
    let both = cpython.is_some();
    let tables = |run: Option<&RunView>, engine: &'static str| -> Html {
        let Some(run) = run else { return html! {} };
        let mut names: Vec<&String> = run.profiles.keys().collect();
        names.sort_by_key(|name| series.slot(name));
        html! {
            {for names.into_iter().map(|name| html! {
                <ProfileTable key={format!("{engine}-{name}")} variant={name.clone()}
                    profile={run.profiles[name].clone()} slot={series.slot(name)}
                    engine={both.then_some(AttrValue::from(engine))} />
            })}
        }
    };
    html! {
        <section class="profiles" aria-label="Profiles">
            <h2 class="section-title">{"Profile"}</h2>
            <p class="muted profile-note">
                {"Each program ran once under cProfile (pyrace's, over the pure-Python profile module): every call costs more than without the profiler, so trust the shares of own time (tottime) more than the absolute figures. Click a column to sort by it."}
                {both.then_some(" On CPython it is CPython's own cProfile, written in C, which slows each call far less: compare shares across engines, not seconds.")}
            </p>
            {tables(rustpython, "RustPython")}
            {tables(cpython, "CPython")}
        </section>
    }
}
