//! One variant's timeline as a Gantt chart: a row per thread, coloured by
//! what it did (running Python, waiting for the GIL, blocked), on a time
//! axis that zooms with the wheel, the buttons, or by dragging over a
//! range; with the wall time and how busy the cores were.

use pyrace_model::{Span, ThreadMode, ThreadState, Timeline};
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::gantt_view::GanttView;
use super::thread_mode_switch::label as mode_label;
use crate::bindings;
use crate::chart_scale::Scale;
use crate::format;

/// Spans narrower than this share of the view are below a pixel: they are
/// not drawn, so runs with thousands of switches stay quick to draw.
const VISIBLE: f64 = 1.0 / 4000.0;

#[derive(Properties, PartialEq)]
pub struct TimelineChartProps {
    pub variant: AttrValue,
    pub timeline: Timeline,
    pub slot: usize,
}

fn state_class(state: ThreadState) -> &'static str {
    match state {
        ThreadState::Running => "running",
        ThreadState::WaitingForGil => "waiting",
        ThreadState::Blocked => "blocked",
    }
}

fn state_label(state: ThreadState, mode: ThreadMode) -> &'static str {
    match state {
        // Without a GIL nothing queues threads but the OS: a thread that is
        // not blocked runs, or waits for a core when there are more
        // threads than cores.
        ThreadState::Running if mode == ThreadMode::Free => {
            "running Python (or ready, waiting for a core)"
        }
        ThreadState::Running => "running Python",
        ThreadState::WaitingForGil => "waiting for the GIL",
        ThreadState::Blocked => "blocked (sleep, lock, queue, join, I/O)",
    }
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

fn span_html(span: &Span, view: GanttView, mode: ThreadMode) -> Html {
    let left = view.percent(span.start).max(0.0);
    let right = view.percent(span.end).min(100.0);
    let title = format!(
        "{} for {} ({} – {})",
        state_label(span.state, mode),
        format::duration(span.end - span.start),
        format::duration(span.start),
        format::duration(span.end)
    );
    html! {
        <div class={classes!("gantt-span", state_class(span.state))}
            style={format!("left:{left:.3}%;width:{:.3}%", (right - left).max(0.0))} {title}></div>
    }
}

/// Where the pointer is across `element`, from 0 to 1.
fn fraction(element: &Element, offset_x: i32) -> f64 {
    let width = f64::from(element.client_width().max(1));
    (f64::from(offset_x) / width).clamp(0.0, 1.0)
}

#[function_component(TimelineChart)]
pub fn timeline_chart(props: &TimelineChartProps) -> Html {
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
    let min_width = current.width() * VISIBLE;
    let states: &[ThreadState] = if gil {
        &[
            ThreadState::Running,
            ThreadState::WaitingForGil,
            ThreadState::Blocked,
        ]
    } else {
        &[ThreadState::Running, ThreadState::Blocked]
    };

    html! {
        <figure class="timeline-chart" data-variant={props.variant.clone()} data-mode={mode_label(timeline.mode)}>
            <figcaption class="timeline-head">
                <span class={classes!("swatch", format!("series-{}", props.slot))} aria-hidden="true"></span>
                <strong>{props.variant.clone()}</strong>
                <span class="muted">{format!(" · {} · {} thread{}", mode_label(timeline.mode), timeline.threads.len(),
                    if timeline.threads.len() == 1 { "" } else { "s" })}</span>
                <dl class="timeline-stats">
                    <div><dt>{"Wall time"}</dt><dd class="wall">{format::duration(duration)}</dd></div>
                    <div title={format!("Running time of all threads ({}) over wall time × {cores} cores{}", format::duration(running),
                        if gil { "" } else { ". Without a GIL a thread that is ready but waiting for a core counts as running: this is an upper bound." })}>
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
            <div class="gantt" role="img" aria-label={format!("Timeline of {}: {} threads over {}", props.variant,
                timeline.threads.len(), format::duration(duration))}>
                {for timeline.threads.iter().map(|thread| {
                    let own_running: f64 = thread.spans.iter()
                        .filter(|s| s.state == ThreadState::Running)
                        .map(|s| s.end - s.start).sum();
                    html! {
                        <div class="gantt-row" data-thread={thread.name.clone()}>
                            <span class="gantt-label" title={format!("{}: running {}", thread.name, format::duration(own_running))}>
                                {thread.name.clone()}
                            </span>
                            <div class="gantt-track">
                                {for thread.spans.iter()
                                    .filter(|s| s.end > current.from && s.start < current.to && s.end - s.start >= min_width)
                                    .map(|s| span_html(s, current, timeline.mode))}
                            </div>
                        </div>
                    }
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
                {for states.iter().map(|&state| html! {
                    <li><span class={classes!("gantt-key", state_class(state))} aria-hidden="true"></span>{state_label(state, timeline.mode)}</li>
                })}
            </ul>
        </figure>
    }
}
