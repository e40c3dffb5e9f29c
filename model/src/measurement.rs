//! Raw timing samples as an engine took them, before any statistics. Both
//! pyrace's engine and the CPython reference harness produce this, so one
//! analysis turns either into a `Comparison`.

use serde::{Deserialize, Serialize};

use crate::statement_memory::StatementMemory;
use crate::warmup::Warmup;

/// Everything one comparison measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurements {
    pub engine: String,
    /// One entry per size of `n` (a single entry with `n: None` outside sweeps).
    pub sizes: Vec<SizeMeasurements>,
    pub elapsed: f64,
    pub budget_exhausted: bool,
    /// The timer's step (seconds), as the engine measured it: the least
    /// change between two readings of its clock. `None` where not measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer_step: Option<f64>,
}

/// Samples of every variant at one size, taken in interleaved rounds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SizeMeasurements {
    pub n: Option<u64>,
    /// The empty statement, measured in the same rounds.
    pub baseline: Option<Series>,
    pub variants: Vec<Series>,
    /// The kept round each block of rounds began at (`model::blocks`);
    /// empty: the rounds were one block.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<u32>,
    /// How the warm-up before the kept rounds went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup: Option<Warmup>,
}

/// One variant's samples at one size. Sample `i` of every series at a size
/// was taken in round `i`, which lets ratios be paired by round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    /// Executions of the statement per sample.
    pub loops: u64,
    /// Executions per iteration of the timing loop: above 1 when the
    /// statement was timed unrolled, so each sample carries the loop's own
    /// cost (the baseline) divided by this.
    #[serde(default = "one")]
    pub unroll: u32,
    /// Raw seconds per execution.
    pub samples: Vec<f64>,
    /// What the statement did to memory, measured after its rounds
    /// (`None`: not measured, as for a timed program).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<StatementMemory>,
}

fn one() -> u32 {
    1
}
