//! A comparison's memory read in words, apart from its time verdict: the
//! variant whose statement peaks highest against the one that peaks lowest,
//! said only when they differ a lot (`limits::MEMORY_RATIO_WORTH_SAYING`).
//! A peak is measured once per size, after the timed rounds, so it carries
//! no interval; and each engine counts its own way (`MemorySource`), so a
//! sentence is about one engine's variants, never across engines.

use crate::limits::{MEMORY_PEAK_WORTH_SAYING, MEMORY_RATIO_WORTH_SAYING};
use crate::result::VariantResult;
use crate::statement_memory::StatementMemory;
use crate::units::{bytes, grouped_three_digits};

/// The highest peak against the lowest, among one engine's variants.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryVerdict {
    pub higher: String,
    pub higher_peak: u64,
    pub lower: String,
    pub lower_peak: u64,
    /// `higher_peak ÷ lower_peak`; `None` when the lower one held nothing
    /// above its setup.
    pub ratio: Option<f64>,
}

impl MemoryVerdict {
    /// The verdict of one engine's results; `None` with fewer than two
    /// measured peaks, or when the peaks are too close (or too small) to
    /// be worth a sentence.
    pub fn of(variants: &[VariantResult]) -> Option<MemoryVerdict> {
        let measured: Vec<(&str, &StatementMemory)> = variants
            .iter()
            .filter_map(|v| Some((v.name.as_str(), v.memory.as_ref()?)))
            .collect();
        if measured.len() < 2 {
            return None;
        }
        let higher = measured.iter().max_by_key(|(_, m)| m.peak_bytes)?;
        let lower = measured.iter().min_by_key(|(_, m)| m.peak_bytes)?;
        let ratio = higher.1.peak_ratio(lower.1);
        let worth_saying = match ratio {
            Some(r) => r >= MEMORY_RATIO_WORTH_SAYING,
            None => higher.1.peak_bytes >= MEMORY_PEAK_WORTH_SAYING,
        };
        worth_saying.then(|| MemoryVerdict {
            higher: higher.0.to_owned(),
            higher_peak: higher.1.peak_bytes,
            lower: lower.0.to_owned(),
            lower_peak: lower.1.peak_bytes,
            ratio,
        })
    }

    /// In words: "list peaks 9,060× higher than gen (8.05 MB against 888 B)",
    /// or "list peaks at 8.05 MB; gen holds nothing above its setup".
    pub fn sentence(&self) -> String {
        match self.ratio {
            Some(ratio) => format!(
                "{} peaks {}× higher than {} ({} against {})",
                self.higher,
                grouped_three_digits(ratio),
                self.lower,
                bytes(self.higher_peak as f64),
                bytes(self.lower_peak as f64)
            ),
            None => format!(
                "{} peaks at {}; {} holds nothing above its setup",
                self.higher,
                bytes(self.higher_peak as f64),
                self.lower
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory_profile::MemorySource;
    use crate::result::Ratio;
    use crate::stats::Summary;

    fn variant(name: &str, peak_bytes: Option<u64>) -> VariantResult {
        VariantResult {
            name: name.into(),
            n: None,
            loops: 10,
            time: Summary::of(&[1e-3, 1e-3, 1e-3]).unwrap(),
            samples: vec![1e-3; 3],
            ops_per_sec: 1e3,
            ratio: Ratio {
                value: 1.0,
                low: 1.0,
                high: 1.0,
            },
            fastest: false,
            memory: peak_bytes.map(|peak_bytes| StatementMemory {
                source: MemorySource::RustpythonAllocator,
                peak_bytes,
                loops: 10,
                allocated_bytes_per_loop: None,
                allocations_per_loop: None,
            }),
        }
    }

    #[test]
    fn the_highest_peak_is_read_against_the_lowest() {
        let found = MemoryVerdict::of(&[
            variant("gen", Some(888)),
            variant("list", Some(8_048_000)),
            variant("tuple", Some(4_000_000)),
        ])
        .unwrap();
        assert_eq!(
            (found.higher.as_str(), found.lower.as_str()),
            ("list", "gen")
        );
        assert_eq!(
            found.sentence(),
            "list peaks 9,060× higher than gen (8.05 MB against 888 B)"
        );
    }

    #[test]
    fn close_peaks_and_missing_ones_say_nothing() {
        assert_eq!(
            MemoryVerdict::of(&[variant("a", Some(1000)), variant("b", Some(1500))]),
            None,
            "1.5× is not worth a sentence"
        );
        assert_eq!(
            MemoryVerdict::of(&[variant("a", Some(1_000_000)), variant("b", None)]),
            None,
            "a missing peak is never read as nothing"
        );
    }

    #[test]
    fn a_peak_against_nothing_is_said_without_a_ratio() {
        let found =
            MemoryVerdict::of(&[variant("list", Some(80_000)), variant("pass", Some(0))]).unwrap();
        assert_eq!(
            found.sentence(),
            "list peaks at 80.0 kB; pass holds nothing above its setup"
        );
        assert_eq!(
            MemoryVerdict::of(&[variant("a", Some(12)), variant("b", Some(0))]),
            None,
            "a few bytes against none is noise"
        );
    }
}
