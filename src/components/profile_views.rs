//! The run's profiles: one table per variant run under `cProfile`.

use yew::prelude::*;

use super::profile_table::ProfileTable;
use super::use_series;

#[function_component(ProfileViews)]
pub fn profile_views() -> Html {
    crate::render_count::note("ProfileViews");
    let series = use_series();
    let Some(run) = series
        .runs
        .run
        .as_ref()
        .filter(|run| !run.profiles.is_empty())
    else {
        return html! {};
    };
    let mut names: Vec<&String> = run.profiles.keys().collect();
    names.sort_by_key(|name| series.slot(name));
    html! {
        <section class="profiles" aria-label="Profiles">
            <h2 class="section-title">{"Profile"}</h2>
            <p class="muted profile-note">
                {"Each program ran once under cProfile (pyrace's, over the pure-Python profile module): every call costs more than without the profiler, so trust the shares of own time (tottime) more than the absolute figures. Click a column to sort by it."}
            </p>
            {for names.into_iter().map(|name| html! {
                <ProfileTable key={name.clone()} variant={name.clone()}
                    profile={run.profiles[name].clone()} slot={series.slot(name)} />
            })}
        </section>
    }
}
