//! The results' charts: per-loop medians as bars (`bar_chart`), every
//! sample as a dot (`distribution_plot`), time against `n` (`sweep_chart`)
//! and peak memory against `n` (`memory_chart`), both drawn by `log_log`,
//! what the value charts share (`axis`), and their pure parts: the value
//! scale and ticks (`scale`) and the stripes that mark CPython's bars (`stripes`).

pub mod scale;
pub mod stripes;

browser_only! {
    mod axis;
    mod bar_chart;
    mod distribution_plot;
    mod log_log;
    mod memory_chart;
    mod sweep_chart;

    pub use axis::engine_key;
    pub use bar_chart::BarChart;
    pub use distribution_plot::DistributionPlot;
    pub use memory_chart::MemoryChart;
    pub use sweep_chart::SweepChart;
}
