//! One row of a Gantt chart: a thread, an asyncio task or a child process,
//! marked by a badge of its kind, with its spans in the part of the run in
//! view. What a state means depends on the row's kind (a task's `blocked`
//! is a suspension at an `await`), so the span titles say it per kind.

use pyrace_model::{Span, ThreadMode, ThreadState, ThreadTrack, TrackKind};
use yew::prelude::*;

use super::gantt_view::GanttView;
use crate::format;

/// Spans narrower than this share of the view are below a pixel: they are
/// not drawn, so runs with thousands of switches stay quick to draw.
const VISIBLE: f64 = 1.0 / 4000.0;

pub fn state_class(state: ThreadState) -> &'static str {
    match state {
        ThreadState::Running => "running",
        ThreadState::WaitingForGil => "waiting",
        ThreadState::Blocked => "blocked",
        ThreadState::Starting => "starting",
    }
}

/// What `state` means on a row of `kind`.
pub fn state_label(state: ThreadState, kind: TrackKind, mode: ThreadMode) -> &'static str {
    match (kind, state) {
        (TrackKind::Task, ThreadState::Running) => "a step of the task runs on the event loop",
        (TrackKind::Task, ThreadState::Blocked) => "suspended at an await",
        (TrackKind::Process, ThreadState::Starting) => "being spawned",
        (TrackKind::Process, ThreadState::Running) => "alive, until its parent sees it end",
        // Without a GIL nothing queues threads but the OS: a thread that is
        // not blocked runs, or waits for a core when there are more
        // threads than cores.
        (_, ThreadState::Running) if mode == ThreadMode::Free => {
            "running Python (or ready, waiting for a core)"
        }
        (_, ThreadState::Running) => "running Python",
        (_, ThreadState::WaitingForGil) => "waiting for the GIL",
        (_, ThreadState::Blocked) => "blocked (sleep, lock, queue, join, I/O)",
        (_, ThreadState::Starting) => "starting",
    }
}

/// The badge of a row's kind and the word for it.
pub fn kind_badge(kind: TrackKind) -> (&'static str, &'static str) {
    match kind {
        TrackKind::Thread => ("T", "thread"),
        TrackKind::Task => ("A", "asyncio task"),
        TrackKind::Process => ("P", "child process"),
    }
}

pub fn kind_class(kind: TrackKind) -> &'static str {
    match kind {
        TrackKind::Thread => "thread",
        TrackKind::Task => "task",
        TrackKind::Process => "process",
    }
}

#[derive(Properties, PartialEq)]
pub struct GanttRowProps {
    pub track: ThreadTrack,
    pub view: GanttView,
    pub mode: ThreadMode,
}

#[function_component(GanttRow)]
pub fn gantt_row(props: &GanttRowProps) -> Html {
    crate::render_count::note("GanttRow");
    let GanttRowProps { track, view, mode } = props;
    let kind = track.kind;
    let (badge, kind_name) = kind_badge(kind);
    let own_running: f64 = track
        .spans
        .iter()
        .filter(|s| s.state == ThreadState::Running)
        .map(|s| s.end - s.start)
        .sum();
    let ended = track
        .exit_code
        .map(|code| format!(", exited with code {code}"))
        .unwrap_or_default();
    let title = match kind {
        TrackKind::Process => {
            format!(
                "{kind_name} {}: alive {}{ended}",
                track.name,
                format::duration(own_running)
            )
        }
        TrackKind::Task => format!(
            "{kind_name} {}: {} steps, running {}",
            track.name,
            track
                .spans
                .iter()
                .filter(|s| s.state == ThreadState::Running)
                .count(),
            format::duration(own_running)
        ),
        TrackKind::Thread => {
            format!(
                "{kind_name} {}: running {}",
                track.name,
                format::duration(own_running)
            )
        }
    };
    let min_width = view.width() * VISIBLE;
    let last = track.spans.len().saturating_sub(1);
    html! {
        <div class={classes!("gantt-row", kind_class(kind))} data-thread={track.name.clone()} data-kind={kind_class(kind)}
            data-exit-code={track.exit_code.map(|c| c.to_string())}>
            <span class="gantt-label" title={title}>
                <span class={classes!("gantt-kind", kind_class(kind))} aria-label={kind_name}>{badge}</span>
                {track.name.clone()}
            </span>
            <div class="gantt-track">
                {for track.spans.iter().enumerate()
                    .filter(|(_, s)| s.end > view.from && s.start < view.to && s.end - s.start >= min_width)
                    .map(|(i, s)| span_html(s, *view, kind, *mode, if i == last { ended.as_str() } else { "" }))}
            </div>
        </div>
    }
}

fn span_html(span: &Span, view: GanttView, kind: TrackKind, mode: ThreadMode, after: &str) -> Html {
    let left = view.percent(span.start).max(0.0);
    let right = view.percent(span.end).min(100.0);
    let title = format!(
        "{} for {} ({} – {}){after}",
        state_label(span.state, kind, mode),
        format::duration(span.end - span.start),
        format::duration(span.start),
        format::duration(span.end)
    );
    html! {
        <div class={classes!("gantt-span", state_class(span.state))}
            style={format!("left:{left:.3}%;width:{:.3}%", (right - left).max(0.0))} {title}></div>
    }
}
