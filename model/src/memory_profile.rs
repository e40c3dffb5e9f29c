//! What a variant's program allocated while it ran, net of what the setup
//! left: its peak above the start and, where the engine counts them, the
//! bytes and number of its allocations. Each engine measures differently,
//! and `MemorySource` says how, so the figures are read for what they are.

use serde::{Deserialize, Serialize};

/// How an engine measured memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemorySource {
    /// CPython's `tracemalloc`: memory of Python's allocators (objects and
    /// their buffers), per line of the code that allocated it. It keeps no
    /// total of all allocations, only what is held now and the peak.
    Tracemalloc,
    /// RustPython's own memory: the engine's allocator counts every
    /// allocation of the process (the interpreter's included, every
    /// thread), which is more than Python objects and not comparable
    /// byte for byte with CPython's.
    RustpythonAllocator,
}

impl MemorySource {
    /// What the figures count, in a few words.
    pub fn label(self) -> &'static str {
        match self {
            MemorySource::Tracemalloc => "CPython tracemalloc (Python's allocators)",
            MemorySource::RustpythonAllocator => {
                "RustPython's own memory (the engine process's allocator)"
            }
        }
    }
}

/// Memory of one program run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryProfile {
    pub source: MemorySource,
    /// Most bytes held at once above what was held when the program started.
    pub peak_bytes: u64,
    /// Bytes allocated in all while it ran; `None` where the engine does
    /// not count them (`tracemalloc`).
    pub allocated_bytes: Option<u64>,
    /// Allocations made while it ran; `None` where not counted.
    pub allocations: Option<u64>,
    /// Bytes still held at the end above the start (below zero when the
    /// program freed what the setup held).
    pub retained_bytes: i64,
}

impl MemoryProfile {
    /// How many times `other`'s peak this peak is; `None` when `other`
    /// peaked at nothing.
    pub fn peak_ratio(&self, other: &MemoryProfile) -> Option<f64> {
        (other.peak_bytes > 0).then(|| self.peak_bytes as f64 / other.peak_bytes as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peaks_compare_and_sources_serialise_by_name() {
        let list = MemoryProfile {
            source: MemorySource::RustpythonAllocator,
            peak_bytes: 40_000_000,
            allocated_bytes: Some(48_000_000),
            allocations: Some(1_000_100),
            retained_bytes: 0,
        };
        let generator = MemoryProfile {
            peak_bytes: 2_000,
            ..list.clone()
        };
        assert_eq!(list.peak_ratio(&generator), Some(20_000.0));
        let none = MemoryProfile {
            peak_bytes: 0,
            ..list.clone()
        };
        assert_eq!(list.peak_ratio(&none), None);
        let json = serde_json::to_value(&list).unwrap();
        assert_eq!(json["source"], "rustpython_allocator");
        let cpython: MemoryProfile = serde_json::from_str(
            r#"{"source":"tracemalloc","peak_bytes":5,"allocated_bytes":null,
                "allocations":null,"retained_bytes":-3}"#,
        )
        .unwrap();
        assert_eq!(cpython.allocated_bytes, None);
        assert_eq!(cpython.retained_bytes, -3);
    }
}
