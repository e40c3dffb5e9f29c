//! What a timed statement does to memory: the most it holds at once during
//! one execution, net of its setup, and what it allocates per execution.
//! Measured by each engine after the statement's timed rounds, never during
//! them (counting slows the statement, `tracemalloc` several times over):
//! the setup runs, the count starts, one execution gives the peak, more
//! executions give the per-loop totals. `MemorySource` says what the bytes
//! are (CPython's `tracemalloc` or RustPython's own allocator), and the two
//! are not comparable byte for byte.

use serde::{Deserialize, Serialize};

use crate::memory_profile::MemorySource;

/// Memory of one statement, at one size in a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StatementMemory {
    pub source: MemorySource,
    /// Most bytes held at once, above what the setup left, during the
    /// statement's first measured execution.
    pub peak_bytes: u64,
    /// Executions the per-loop figures are averaged over.
    pub loops: u64,
    /// Bytes allocated per execution; `None` where the engine keeps no
    /// total of allocations (`tracemalloc`).
    pub allocated_bytes_per_loop: Option<f64>,
    /// Allocations per execution; `None` where not counted.
    pub allocations_per_loop: Option<f64>,
}

impl StatementMemory {
    /// How many times `other`'s peak this peak is; `None` when `other` held
    /// nothing at its peak.
    pub fn peak_ratio(&self, other: &StatementMemory) -> Option<f64> {
        (other.peak_bytes > 0).then(|| self.peak_bytes as f64 / other.peak_bytes as f64)
    }
}

/// How many executions the per-loop figures count: as many as one timed
/// sample ran, bounded so that a statement timed in thousands of loops
/// (under a counting allocator, or `tracemalloc` several times slower)
/// does not add much to the run.
pub fn loops_for(timed_loops: u64) -> u64 {
    timed_loops.clamp(1, crate::limits::MEMORY_LOOPS_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory(peak_bytes: u64) -> StatementMemory {
        StatementMemory {
            source: MemorySource::Tracemalloc,
            peak_bytes,
            loops: 3,
            allocated_bytes_per_loop: None,
            allocations_per_loop: None,
        }
    }

    #[test]
    fn peaks_compare_only_against_a_peak_above_nothing() {
        assert_eq!(memory(8_000_000).peak_ratio(&memory(400)), Some(20_000.0));
        assert_eq!(memory(8).peak_ratio(&memory(0)), None);
    }

    #[test]
    fn the_per_loop_count_follows_the_timed_loops_within_bounds() {
        assert_eq!(loops_for(0), 1);
        assert_eq!(loops_for(7), 7);
        assert_eq!(
            loops_for(1_000_000),
            crate::limits::MEMORY_LOOPS_MAX,
            "a fast statement is not run a million more times"
        );
    }

    #[test]
    fn tracemalloc_figures_read_back_without_totals() {
        let json = r#"{"source":"tracemalloc","peak_bytes":4096,"loops":5,
            "allocated_bytes_per_loop":null,"allocations_per_loop":null}"#;
        let back: StatementMemory = serde_json::from_str(json).unwrap();
        assert_eq!(
            back,
            StatementMemory {
                loops: 5,
                ..memory(4096)
            }
        );
    }
}
