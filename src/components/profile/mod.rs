//! The profiler's views: the call trees (one per thread) as icicles with
//! their exports, and memory, from runs under the line tracer (Run mode
//! with Profile on); the editors' time per line is `crate::line_heat`'s.

mod flame_graph;
mod memory_figure;
mod thread_trees;
mod trace_views;

pub(crate) use memory_figure::{source_key, what_it_counts};
pub use trace_views::TraceViews;
