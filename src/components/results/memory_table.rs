//! Memory beside time: what one execution of each variant's statement held
//! at its peak, net of its setup, and what it allocated per loop, on each
//! engine the run went to; above the table, each engine's highest peak
//! against its lowest in words when they differ a lot (`MemoryVerdict`),
//! labelled as memory so it is never read as the time verdict; under it,
//! what each engine's figures count (its `MemorySource`). A variant timed
//! without a memory figure (its measuring failed) says so, never 0.

use pyrace_model::units::grouped_three_digits;
use pyrace_model::{EngineId, MemorySource, MemoryVerdict, StatementMemory, VariantResult};
use yew::prelude::*;

use crate::components::charts::engine_key;
use crate::components::profile::{source_key, what_it_counts};
use crate::components::use_series;
use crate::format;

#[derive(Properties, PartialEq)]
pub struct MemoryTableProps {
    /// Each engine's results of the run, RustPython's first; CPython's
    /// present (maybe empty so far) when the run went there too.
    pub engines: Vec<(EngineId, Vec<VariantResult>)>,
    /// CPython's part has not finished.
    #[prop_or_default]
    pub cpython_pending: bool,
}

/// A count per loop: whole when it is (`3`), one decimal when small and
/// not (`2.5`), three digits grouped when large (`100,000`).
fn count(value: f64) -> String {
    if value >= 100.0 {
        grouped_three_digits(value)
    } else if (value - value.round()).abs() < 0.05 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// What one execution allocated on average, where the engine counts it.
fn per_loop(memory: &StatementMemory) -> String {
    match (memory.allocated_bytes_per_loop, memory.allocations_per_loop) {
        (Some(bytes), Some(allocations)) => format!(
            "{} in {} allocations",
            format::bytes(bytes),
            count(allocations)
        ),
        (Some(bytes), None) => format::bytes(bytes),
        _ if memory.source == MemorySource::Tracemalloc => "not counted by tracemalloc".to_owned(),
        _ => "not counted".to_owned(),
    }
}

/// An engine's two cells for a variant.
fn cells(engine: EngineId, results: &[VariantResult], name: &str, pending: bool) -> Html {
    let key = engine_key(engine);
    let class = (engine == EngineId::Cpython).then_some("cpython");
    let Some(result) = results.iter().find(|r| r.name == name) else {
        let text = if pending { "not measured yet" } else { "—" };
        return html! {
            <td class={classes!("num", "muted", "peak", "missing", class)} colspan="2" data-engine={key}>{text}</td>
        };
    };
    match &result.memory {
        Some(memory) => html! {
            <>
                <td class={classes!("num", "peak", class)} data-engine={key} data-source={source_key(memory.source)}
                    data-peak-bytes={memory.peak_bytes.to_string()}>
                    {format::bytes(memory.peak_bytes as f64)}
                </td>
                <td class={classes!("num", "per-loop", class)} data-engine={key}
                    title={format!("averaged over {} executions", memory.loops)}>
                    {per_loop(memory)}
                </td>
            </>
        },
        None => html! {
            <td class={classes!("num", "muted", "peak", "missing", class)} colspan="2" data-engine={key}
                title="The memory measurement of this statement failed (or this engine cannot count); its time stands.">
                {"not measured"}
            </td>
        },
    }
}

/// An engine's reading of its peaks, when they differ a lot.
fn verdict(engine: EngineId, results: &[VariantResult], named: bool) -> Html {
    let Some(found) = MemoryVerdict::of(results) else {
        return html! {};
    };
    html! {
        <p class="memory-verdict" data-engine={engine_key(engine)}
            data-higher={found.higher.clone()} data-lower={found.lower.clone()}
            data-ratio={found.ratio.map(|r| format!("{r:.3}"))}>
            <span class="memory-label">{if named { format!("Memory · {}", engine.label()) } else { "Memory".to_owned() }}</span>
            {found.sentence()}
        </p>
    }
}

#[function_component(MemoryTable)]
pub fn memory_table(props: &MemoryTableProps) -> Html {
    crate::render_count::note("MemoryTable");
    let series = use_series();
    let mut names: Vec<&str> = Vec::new();
    for (_, results) in &props.engines {
        for r in results {
            if !names.contains(&r.name.as_str()) {
                names.push(&r.name);
            }
        }
    }
    if names.is_empty() {
        return html! {};
    }
    let named = props.engines.len() > 1;
    let at_n = props.engines.iter().flat_map(|(_, r)| r).find_map(|r| r.n);
    let sources: Vec<(EngineId, MemorySource)> = props
        .engines
        .iter()
        .filter_map(|(engine, results)| {
            Some((*engine, results.iter().find_map(|r| r.memory)?.source))
        })
        .collect();
    let pending = |engine: EngineId| engine == EngineId::Cpython && props.cpython_pending;
    html! {
        <section class="memory-results" aria-label="Memory">
            {for props.engines.iter().map(|(engine, results)| verdict(*engine, results, named))}
            <div class="table-wrap">
                <table class="memory-table">
                    <caption>
                        {"Memory of one execution, net of the setup: its peak, and what it allocated per loop"}
                        {at_n.map(|n| format!(" · at n={}", format::size(n))).unwrap_or_default()}
                    </caption>
                    <thead>
                        if named {
                            <tr class="engine-group">
                                <td></td>
                                {for props.engines.iter().map(|(engine, _)| html! {
                                    <th scope="colgroup" colspan="2" class={classes!((*engine == EngineId::Cpython).then_some("cpython"))}>{engine.label()}</th>
                                })}
                            </tr>
                        }
                        <tr>
                            <th scope="col">{"variant"}</th>
                            {for props.engines.iter().map(|(engine, _)| {
                                let class = classes!((*engine == EngineId::Cpython).then_some("cpython"));
                                html! {
                                    <>
                                        <th scope="col" class={classes!("num", class.clone())}>{"peak"}</th>
                                        <th scope="col" class={classes!("num", class)}>{"allocated per loop"}</th>
                                    </>
                                }
                            })}
                        </tr>
                    </thead>
                    <tbody>
                        {for names.iter().map(|&name| html! {
                            <tr data-variant={name.to_owned()}>
                                <th scope="row">
                                    <span class={classes!("swatch", format!("series-{}", series.slot(name)))} aria-hidden="true"></span>
                                    {name.to_owned()}
                                </th>
                                {for props.engines.iter().map(|(engine, results)| cells(*engine, results, name, pending(*engine)))}
                            </tr>
                        })}
                    </tbody>
                </table>
            </div>
            if !sources.is_empty() {
                <ul class="memory-sources muted">
                    {for sources.iter().map(|(engine, source)| html! {
                        <li data-engine={engine_key(*engine)} data-source={source_key(*source)}>
                            if named { <strong>{format!("{}: ", engine.label())}</strong> }
                            {what_it_counts(*source)}
                        </li>
                    })}
                </ul>
            }
        </section>
    }
}
