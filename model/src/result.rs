//! The figures a comparison ends with.

use serde::{Deserialize, Serialize};

use crate::growth::Growth;
use crate::statement_memory::StatementMemory;
use crate::stats::Summary;
use crate::warmup::Warmup;
use crate::warnings::Warning;

/// How many times slower than the fastest variant, with a 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// One variant's timing, per loop, baseline already subtracted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantResult {
    pub name: String,
    /// The size of `n` these figures are for, in a sweep.
    pub n: Option<u64>,
    /// Statement executions per sample.
    pub loops: u64,
    /// Seconds per loop, net of the empty-statement baseline.
    pub time: Summary,
    /// Raw seconds per loop of every kept sample, in the order taken.
    pub samples: Vec<f64>,
    pub ops_per_sec: f64,
    pub ratio: Ratio,
    pub fastest: bool,
    /// What one execution held at its peak and allocated per loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<StatementMemory>,
}

/// A variant's times over the sizes of a sweep, and its fitted growth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSeries {
    pub name: String,
    pub points: Vec<SweepPoint>,
    pub growth: Option<Growth>,
    /// The growth of the peak memory with `n`, fitted like time's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_growth: Option<Growth>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub n: u64,
    /// Median seconds per loop, net of the baseline.
    pub median: f64,
    pub low: f64,
    pub high: f64,
    /// Peak bytes of one execution at this size, where measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_bytes: Option<u64>,
}

/// The result of comparing variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Which engine measured this, e.g. `RustPython 0.6.0 (native)`.
    pub engine: String,
    /// Per-variant results (in a sweep: at the largest size every variant reached).
    pub variants: Vec<VariantResult>,
    /// Seconds per loop of an empty statement, measured the same way.
    pub baseline: Option<Summary>,
    /// Series per variant, in a sweep.
    pub sweep: Vec<SweepSeries>,
    /// Interleaved rounds kept (the last size's, in a sweep).
    pub rounds: u32,
    /// Wall-clock seconds the comparison took.
    pub elapsed: f64,
    /// True when the budget ended sampling before `min_rounds` or before every size.
    pub budget_exhausted: bool,
    /// Where the headline figures are weak, and what to do (none in results
    /// recorded before warnings existed).
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// The warm-up before the headline size's kept rounds (none in results
    /// recorded before warm-ups were reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup: Option<Warmup>,
}

impl Comparison {
    /// The result of the named variant.
    pub fn variant(&self, name: &str) -> Option<&VariantResult> {
        self.variants.iter().find(|v| v.name == name)
    }

    /// The series of the named variant, in a sweep.
    pub fn series(&self, name: &str) -> Option<&SweepSeries> {
        self.sweep.iter().find(|s| s.name == name)
    }
}
