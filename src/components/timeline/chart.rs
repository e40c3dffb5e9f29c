//! One variant's timeline as a Gantt chart: a row per thread, asyncio task
//! and child process, coloured by what it did (running Python, waiting for
//! the GIL, blocked or suspended, being spawned), on a time axis that zooms
//! with the wheel, the buttons, or by dragging over a range; with the wall
//! time and how busy the cores were.

use pyrace_model::{ThreadMode, ThreadState, Timeline, TrackKind};
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::gantt_row::{GanttRow, kind_badge, kind_class, state_class, state_label};
use super::gantt_view::GanttView;
use crate::bindings;
use crate::components::charts::scale::Scale;
use crate::components::thread_mode::label as mode_label;
use crate::format;

#[derive(Properties, PartialEq)]
pub struct TimelineChartProps {
    pub variant: AttrValue,
    pub timeline: Timeline,
    pub slot: usize,
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// Where the pointer is across `element`, from 0 to 1.
fn fraction(element: &Element, offset_x: i32) -> f64 {
    let width = f64::from(element.client_width().max(1));
    (f64::from(offset_x) / width).clamp(0.0, 1.0)
}

#[function_component(TimelineChart)]
pub fn timeline_chart(props: &TimelineChartProps) -> Html {
    crate::render_count::note("TimelineChart");
    let timeline = &props.timeline;
    let duration = timeline.duration;
    let view = use_state(|| GanttView::whole(duration));
    // A drag in progress: where it started and where the pointer is, as
    // fractions across the plot.
    let drag = use_state(|| None::<(f64, f64)>);
    let overlay = use_node_ref();

    {
        // A new run's timeline starts at the whole run.
        let view = view.clone();
        use_effect_with(timeline.clone(), move |t| {
            view.set(GanttView::whole(t.duration))
        });
    }
    {
        let view = view.clone();
        let overlay = overlay.clone();
        use_effect_with((*view, overlay.clone()), move |(current, _)| {
            let current = *current;
            let listener = overlay.cast::<Element>().and_then(|element| {
                let target = element.clone();
                bindings::on_wheel(&element, move |e| {
                    e.prevent_default();
                    let at = fraction(&target, e.offset_x());
                    let factor = if e.delta_y() < 0.0 { 0.8 } else { 1.25 };
                    view.set(current.zoom(factor, at, duration));
                })
            });
            move || drop(listener)
        });
    }

    let current = *view;
    let zoom_by = |factor: f64| {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| view.set(view.zoom(factor, 0.5, duration)))
    };
    let reset = {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| view.set(GanttView::whole(duration)))
    };
    let at = |e: &MouseEvent| {
        e.target_dyn_into::<HtmlElement>()
            .map_or(0.0, |el| fraction(&el, e.offset_x()))
    };
    let on_down = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| {
            if e.button() == 0 {
                e.prevent_default();
                let x = at(&e);
                drag.set(Some((x, x)));
            }
        })
    };
    let on_move = {
        let drag = drag.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some((start, _)) = *drag {
                drag.set(Some((start, at(&e))));
            }
        })
    };
    let on_up = {
        let drag = drag.clone();
        let view = view.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some((start, _)) = *drag {
                let end = at(&e);
                // A click is not a range: only a real drag zooms.
                if (end - start).abs() > 0.01 {
                    view.set(view.select(start, end, duration));
                }
                drag.set(None);
            }
        })
    };
    let on_leave = {
        let drag = drag.clone();
        Callback::from(move |_: MouseEvent| drag.set(None))
    };

    let cores = bindings::cores();
    let gil = timeline.mode == ThreadMode::Gil;
    let running = timeline.total(ThreadState::Running);
    let waiting = timeline.total(ThreadState::WaitingForGil);
    let blocked = timeline.total(ThreadState::Blocked);
    let zoomed = current.zoomed(duration);
    let in_view = zoomed.then(|| {
        let running = timeline.total_within(ThreadState::Running, current.from, current.to);
        let busy = running / current.width() / f64::from(cores);
        format!(
            "In view {} – {}: {} of the cores busy",
            format::duration(current.from),
            format::duration(current.to),
            percent(busy.min(1.0))
        )
    });
    let scale = Scale::linear((current.from, current.to), (0.0, 100.0));
    let ticks = scale.ticks(6);
    let threads = timeline.count(TrackKind::Thread);
    let tasks = timeline.count(TrackKind::Task);
    let processes = timeline.count(TrackKind::Process);
    let rows_summary = [
        (threads, "thread", "threads"),
        (tasks, "task", "tasks"),
        (processes, "process", "processes"),
    ]
    .into_iter()
    .filter(|(n, one, _)| *n > 0 || *one == "thread")
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect::<Vec<_>>()
    .join(" · ");
    let legend = legend_items(timeline.mode, tasks > 0, processes > 0);
    let kinds: Vec<TrackKind> = [TrackKind::Thread, TrackKind::Task, TrackKind::Process]
        .into_iter()
        .filter(|k| timeline.count(*k) > 0)
        .collect();
    let not_counted = (tasks > 0 || processes > 0).then_some(
        " Task and process rows are left out: a task's steps are its thread's running time, \
         and a process row is its lifetime as its parent sees it.",
    );

    html! {
        <figure class={classes!("timeline-chart", (tasks > 0 || processes > 0).then_some("wide-labels"))} data-variant={props.variant.clone()} data-mode={mode_label(timeline.mode)}>
            <figcaption class="timeline-head">
                <span class={classes!("swatch", format!("series-{}", props.slot))} aria-hidden="true"></span>
                <strong>{props.variant.clone()}</strong>
                <span class="muted timeline-rows">{format!(" · {} · {rows_summary}", mode_label(timeline.mode))}</span>
                <dl class="timeline-stats">
                    <div><dt>{"Wall time"}</dt><dd class="wall">{format::duration(duration)}</dd></div>
                    <div title={format!("Running time of all threads ({}) over wall time × {cores} cores{}{}", format::duration(running),
                        if gil { "" } else { ". Without a GIL a thread that is ready but waiting for a core counts as running: this is an upper bound." },
                        not_counted.unwrap_or_default())}>
                        <dt>{"CPU utilisation"}</dt>
                        <dd class="utilisation">{format!("{}{} of {cores} core{}", if gil { "" } else { "up to " },
                            percent(timeline.utilisation(cores)), if cores == 1 { "" } else { "s" })}</dd>
                    </div>
                    <div title="Running time of all threads over wall time: how many threads ran Python at once, on average">
                        <dt>{"Parallelism"}</dt><dd class="parallelism">{format!("{:.2}×", timeline.parallelism())}</dd>
                    </div>
                    if gil {
                        <div><dt>{"Waiting for the GIL"}</dt><dd>{format::duration(waiting)}</dd></div>
                    }
                    <div><dt>{"Blocked"}</dt><dd>{format::duration(blocked)}</dd></div>
                </dl>
            </figcaption>
            <div class="gantt-tools">
                <button onclick={zoom_by(0.5)} aria-label="Zoom in" title="Zoom in (or scroll over the chart)">{"+"}</button>
                <button onclick={zoom_by(2.0)} disabled={!zoomed} aria-label="Zoom out" title="Zoom out">{"−"}</button>
                <button onclick={reset} disabled={!zoomed} class="gantt-reset" title="Show the whole run">{"Whole run"}</button>
                <span class="muted gantt-hint">{in_view.unwrap_or_else(|| "Drag over a range or scroll to zoom".to_owned())}</span>
            </div>
            <div class="gantt" role="img" aria-label={format!("Timeline of {}: {rows_summary} over {}", props.variant,
                format::duration(duration))}>
                {for timeline.threads.iter().map(|track| html! {
                    <GanttRow track={track.clone()} view={current} mode={timeline.mode} />
                })}
                <div class="gantt-axis" aria-hidden="true">
                    {for ticks.iter().map(|&t| html! {
                        <span class="gantt-tick" style={format!("left:{:.3}%", scale.at(t))}>{format::duration(t)}</span>
                    })}
                </div>
                <div class="gantt-overlay" ref={overlay}
                    onmousedown={on_down} onmousemove={on_move} onmouseup={on_up} onmouseleave={on_leave}>
                    if let Some((a, b)) = *drag {
                        <div class="gantt-selection" style={format!("left:{:.2}%;width:{:.2}%", a.min(b) * 100.0, (a - b).abs() * 100.0)}></div>
                    }
                </div>
            </div>
            <ul class="legend gantt-legend">
                {for legend.into_iter().map(|(state, text)| html! {
                    <li><span class={classes!("gantt-key", state_class(state))} aria-hidden="true"></span>{text}</li>
                })}
            </ul>
            if kinds.len() > 1 {
                <ul class="legend gantt-kinds">
                    {for kinds.into_iter().map(|kind| {
                        let (badge, name) = kind_badge(kind);
                        html! { <li><span class={classes!("gantt-kind", kind_class(kind))} aria-hidden="true">{badge}</span>{name}</li> }
                    })}
                </ul>
            }
        </figure>
    }
}

/// The legend: each state drawn, with what it means on each kind of row
/// the chart has.
fn legend_items(mode: ThreadMode, tasks: bool, processes: bool) -> Vec<(ThreadState, String)> {
    let per_kind = |state: ThreadState| {
        let mut text = state_label(state, TrackKind::Thread, mode).to_owned();
        for (present, kind, word) in [
            (tasks, TrackKind::Task, "task"),
            (processes, TrackKind::Process, "process"),
        ] {
            if present && state != ThreadState::WaitingForGil {
                let meaning = state_label(state, kind, mode);
                if meaning != text && !(kind == TrackKind::Process && state == ThreadState::Blocked)
                {
                    text.push_str(&format!("; {word}: {meaning}"));
                }
            }
        }
        (state, text)
    };
    let mut items = vec![per_kind(ThreadState::Running)];
    if mode == ThreadMode::Gil {
        items.push(per_kind(ThreadState::WaitingForGil));
    }
    items.push(per_kind(ThreadState::Blocked));
    if processes {
        items.push((
            ThreadState::Starting,
            format!(
                "process: {}",
                state_label(ThreadState::Starting, TrackKind::Process, mode)
            ),
        ));
    }
    items
}
