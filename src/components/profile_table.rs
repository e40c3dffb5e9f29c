//! One variant's `cProfile` figures as a table sortable by each column
//! (cumulative time first), with `pstats`' columns.

use pyrace_model::{Profile, ProfileSort};
use yew::prelude::*;

use crate::format;

/// Rows shown before "show all": the functions that matter come first.
const FIRST_ROWS: usize = 40;

#[derive(Properties, PartialEq)]
pub struct ProfileTableProps {
    pub variant: AttrValue,
    pub profile: Profile,
    pub slot: usize,
    /// The engine that ran the program, when the run had both.
    #[prop_or_default]
    pub engine: Option<AttrValue>,
}

fn sort_name(sort: ProfileSort) -> &'static str {
    match sort {
        ProfileSort::Calls => "ncalls",
        ProfileSort::OwnTime => "tottime",
        ProfileSort::PerCallOwn => "tottime-percall",
        ProfileSort::Cumulative => "cumtime",
        ProfileSort::PerCallCumulative => "cumtime-percall",
        ProfileSort::Name => "function",
    }
}

#[function_component(ProfileTable)]
pub fn profile_table(props: &ProfileTableProps) -> Html {
    crate::render_count::note("ProfileTable");
    let sort = use_state(|| ProfileSort::Cumulative);
    let show_all = use_state(|| false);
    let rows = props.profile.sorted(*sort);
    let total = rows.len();
    let shown = if *show_all {
        total
    } else {
        total.min(FIRST_ROWS)
    };
    let header = |column: ProfileSort, text: &'static str, title: &'static str, numeric: bool| {
        let active = *sort == column;
        let onclick = {
            let sort = sort.clone();
            Callback::from(move |_| sort.set(column))
        };
        html! {
            <th scope="col" class={classes!(numeric.then_some("num"))} data-sort={sort_name(column)}
                aria-sort={if active { if column == ProfileSort::Name { "ascending" } else { "descending" } } else { "none" }}>
                <button class={classes!("sort-button", active.then_some("active"))} {onclick} {title}>
                    {text}{if active { if column == ProfileSort::Name { " ▲" } else { " ▼" } } else { "" }}
                </button>
            </th>
        }
    };
    let toggle = {
        let show_all = show_all.clone();
        Callback::from(move |_| show_all.set(!*show_all))
    };
    html! {
        <div class="table-wrap profile" data-variant={props.variant.clone()} data-sort={sort_name(*sort)}
            data-engine={props.engine.clone()}>
            <table class="results-table profile-table">
                <caption>
                    <span class={classes!("swatch", format!("series-{}", props.slot))} aria-hidden="true"></span>
                    <strong>{props.variant.clone()}</strong>
                    {props.engine.as_ref().map(|engine| format!(" on {engine}"))}
                    {format!(" · {} function calls in {} (profiler's clock; main thread) · sorted by {}",
                        props.profile.total_calls(), format::duration(props.profile.total_time()), sort_name(*sort))}
                </caption>
                <thead>
                    <tr>
                        {header(ProfileSort::Calls, "ncalls", "Calls (total/primitive when recursive)", true)}
                        {header(ProfileSort::OwnTime, "tottime", "Time in the function itself, callees excluded", true)}
                        {header(ProfileSort::PerCallOwn, "percall", "tottime per call", true)}
                        {header(ProfileSort::Cumulative, "cumtime", "Time in the function and everything it called", true)}
                        {header(ProfileSort::PerCallCumulative, "percall", "cumtime per primitive call", true)}
                        {header(ProfileSort::Name, "filename:lineno(function)", "Where the function is", false)}
                    </tr>
                </thead>
                <tbody>
                    {for rows.iter().take(shown).map(|row| html! {
                        <tr data-function={row.function.clone()}>
                            <td class="num">{row.calls_label()}</td>
                            <td class="num tottime">{format::duration(row.tottime)}</td>
                            <td class="num">{format::duration(row.own_per_call())}</td>
                            <td class="num cumtime">{format::duration(row.cumtime)}</td>
                            <td class="num">{format::duration(row.cumulative_per_call())}</td>
                            <td class="location"><code>{row.location()}</code></td>
                        </tr>
                    })}
                </tbody>
            </table>
            if total > FIRST_ROWS {
                <button class="link-button" onclick={toggle}>
                    {if *show_all { "Show the first rows only".to_owned() } else { format!("Show all {total} functions") }}
                </button>
            }
        </div>
    }
}
