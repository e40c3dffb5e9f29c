//! The run's timelines: one Gantt chart per variant that reported one
//! (`views`, `chart`), a row per thread, asyncio task or child process
//! (`gantt_row`), and the stretch of time shown and its zoom
//! (`gantt_view`, pure).

pub mod gantt_view;

browser_only! {
    mod chart;
    mod gantt_row;
    mod views;

    pub use views::TimelineViews;
}
