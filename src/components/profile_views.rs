//! The run's profiles: one table per variant run under `cProfile`.

use yew::prelude::*;

use super::profile_table::ProfileTable;
use super::{series_slot, use_handle};

#[function_component(ProfileViews)]
pub fn profile_views() -> Html {
    let handle = use_handle();
    let Some(run) = handle.run.as_ref().filter(|run| !run.profiles.is_empty()) else {
        return html! {};
    };
    let mut names: Vec<&String> = run.profiles.keys().collect();
    names.sort_by_key(|name| series_slot(&handle, name));
    html! {
        <section class="profiles" aria-label="Profiles">
            <h2 class="section-title">{"Profile"}</h2>
            <p class="muted profile-note">
                {"Each program ran once under cProfile (pyrace's, over the pure-Python profile module): every call costs more than without the profiler, so trust the shares of own time (tottime) more than the absolute figures. Click a column to sort by it."}
            </p>
            {for names.into_iter().map(|name| html! {
                <ProfileTable key={name.clone()} variant={name.clone()}
                    profile={run.profiles[name].clone()} slot={series_slot(&handle, name)} />
            })}
        </section>
    }
}
