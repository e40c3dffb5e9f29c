//! A line profile of one variant's run: for each line of the program, how
//! often it ran and the seconds from its start to the next line of the same
//! call (callees included, as `line_profiler` counts them), with each line's
//! share of the variant's time. Built by aggregating, bounded by
//! `limits::MAX_PROFILE_LINES`: never a list of events.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::limits::MAX_PROFILE_LINES;

/// One line's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineStat {
    pub file: String,
    /// 1-based.
    pub line: u32,
    /// Times the line started.
    pub hits: u64,
    /// Seconds from each start of the line to the next line of the same
    /// call, summed (time in functions it called included).
    pub seconds: f64,
    /// Most bytes held at once while the line ran, above what was held
    /// when it started (callees included), over all its hits: measured when
    /// memory is traced with the lines (`MemoryProfile::source` says what
    /// the engine counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_bytes: Option<u64>,
}

impl LineStat {
    /// Seconds per hit.
    pub fn per_hit(&self) -> f64 {
        if self.hits > 0 {
            self.seconds / self.hits as f64
        } else {
            0.0
        }
    }
}

/// The lines of one variant's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineProfile {
    /// Seconds the whole program ran, by the profiler's clock (its own time
    /// left out): what each line's share is of.
    pub total_seconds: f64,
    pub lines: Vec<LineStat>,
    /// Hits of lines left out because the table was full.
    #[serde(default)]
    pub dropped_hits: u64,
}

impl LineProfile {
    /// `line`'s share of the variant's time, 0 to 1 (nested lines overlap:
    /// a call's line includes the lines of the function it calls).
    pub fn share(&self, line: &LineStat) -> f64 {
        if self.total_seconds > 0.0 {
            line.seconds / self.total_seconds
        } else {
            0.0
        }
    }

    /// The lines, most seconds first (then by file and line).
    pub fn ranked(&self) -> Vec<&LineStat> {
        let mut lines: Vec<&LineStat> = self.lines.iter().collect();
        lines.sort_by(|a, b| {
            b.seconds
                .total_cmp(&a.seconds)
                .then_with(|| (&a.file, a.line).cmp(&(&b.file, b.line)))
        });
        lines
    }

    /// The lines in source order.
    pub fn in_source_order(&self) -> Vec<&LineStat> {
        let mut lines: Vec<&LineStat> = self.lines.iter().collect();
        lines.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        lines
    }

    /// Up to `count` lines with the highest memory peaks (lines with none
    /// measured left out).
    pub fn top_allocating(&self, count: usize) -> Vec<&LineStat> {
        let mut lines: Vec<&LineStat> = self
            .lines
            .iter()
            .filter(|l| l.peak_bytes.is_some_and(|b| b > 0))
            .collect();
        lines.sort_by_key(|l| std::cmp::Reverse(l.peak_bytes));
        lines.truncate(count);
        lines
    }

    /// The profile cut to `limits::MAX_PROFILE_LINES` lines, the slowest
    /// kept and the rest's hits counted as dropped: a profile from outside
    /// (another engine's reply) is held to the same bound as ours.
    pub fn bounded(mut self) -> LineProfile {
        if self.lines.len() > MAX_PROFILE_LINES {
            self.lines.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
            let dropped: u64 = self.lines[MAX_PROFILE_LINES..].iter().map(|l| l.hits).sum();
            self.lines.truncate(MAX_PROFILE_LINES);
            self.dropped_hits += dropped;
        }
        self
    }
}

/// Sums line events into a `LineProfile`, keeping at most `limit` lines.
#[derive(Debug)]
pub struct LineAggregator {
    index: HashMap<(String, u32), usize>,
    lines: Vec<LineStat>,
    limit: usize,
    dropped_hits: u64,
}

impl Default for LineAggregator {
    fn default() -> Self {
        LineAggregator::with_limit(MAX_PROFILE_LINES)
    }
}

impl LineAggregator {
    pub fn with_limit(limit: usize) -> LineAggregator {
        LineAggregator {
            index: HashMap::new(),
            lines: Vec::new(),
            limit,
            dropped_hits: 0,
        }
    }

    /// Adds `hits` runs of `file:line` that took `seconds` (and peaked at
    /// `peak` bytes above their start, when measured).
    pub fn add(&mut self, file: &str, line: u32, hits: u64, seconds: f64, peak: Option<u64>) {
        let key = (file.to_owned(), line);
        let at = match self.index.get(&key) {
            Some(&at) => at,
            None if self.lines.len() < self.limit => {
                self.lines.push(LineStat {
                    file: key.0.clone(),
                    line,
                    hits: 0,
                    seconds: 0.0,
                    peak_bytes: None,
                });
                self.index.insert(key, self.lines.len() - 1);
                self.lines.len() - 1
            }
            None => {
                self.dropped_hits += hits;
                return;
            }
        };
        let stat = &mut self.lines[at];
        stat.hits += hits;
        stat.seconds += seconds;
        if let Some(bytes) = peak {
            stat.peak_bytes = Some(stat.peak_bytes.unwrap_or(0).max(bytes));
        }
    }

    /// The profile of a run that lasted `total_seconds`.
    pub fn finish(self, total_seconds: f64) -> LineProfile {
        LineProfile {
            total_seconds,
            lines: self.lines,
            dropped_hits: self.dropped_hits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_sum_their_events_and_rank_by_seconds() {
        let mut agg = LineAggregator::default();
        agg.add("prog", 2, 1, 0.1, None);
        agg.add("prog", 3, 1000, 0.6, Some(10));
        agg.add("prog", 3, 1000, 0.2, Some(5));
        agg.add("prog", 1, 1, 0.01, None);
        let profile = agg.finish(1.0);
        let ranked = profile.ranked();
        assert_eq!(ranked[0].line, 3);
        assert_eq!(ranked[0].hits, 2000);
        assert!((profile.share(ranked[0]) - 0.8).abs() < 1e-12);
        assert!((ranked[0].per_hit() - 0.0004).abs() < 1e-12);
        assert_eq!(ranked[0].peak_bytes, Some(10));
        assert_eq!(
            profile
                .in_source_order()
                .iter()
                .map(|l| l.line)
                .collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(profile.top_allocating(5).len(), 1);
    }

    #[test]
    fn a_full_table_counts_new_lines_as_dropped() {
        let mut agg = LineAggregator::with_limit(2);
        for line in 1..=5 {
            agg.add("prog", line, 3, 0.1, None);
        }
        agg.add("prog", 1, 1, 0.1, None);
        let profile = agg.finish(1.0);
        assert_eq!(profile.lines.len(), 2);
        assert_eq!(profile.lines[0].hits, 4);
        assert_eq!(profile.dropped_hits, 9);
    }

    #[test]
    fn a_profile_from_outside_is_cut_to_the_limit() {
        let lines = (0..MAX_PROFILE_LINES as u32 + 3)
            .map(|line| LineStat {
                file: "big".into(),
                line,
                hits: 1,
                seconds: line as f64,
                peak_bytes: None,
            })
            .collect();
        let profile = LineProfile {
            total_seconds: 1.0,
            lines,
            dropped_hits: 0,
        }
        .bounded();
        assert_eq!(profile.lines.len(), MAX_PROFILE_LINES);
        assert_eq!(profile.dropped_hits, 3);
        assert_eq!(profile.ranked()[0].line, MAX_PROFILE_LINES as u32 + 2);
    }
}
