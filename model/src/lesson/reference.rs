//! The CPython figures a lesson was written against: its ```` ```cpython ````
//! block (version, machine, a time per variant, growth labels, peak memory
//! and its growth, a profiled program's hottest line), read by the parser
//! and shown beside a reader's live run, and the [`Figures`] claims are
//! checked against when no live CPython run is there.
//!
//! ````text
//! ```cpython
//! version: CPython 3.11.7
//! machine: 2-core x86_64 Linux VM
//! list: 736 µs
//! list peak: 405 kB
//! memory growth list: O(n)
//! hottest line slow: if i not in seen:
//! ```
//! ````

use serde::{Deserialize, Serialize};

use super::parser::{Block, Parser};
use super::{Figures, GrowthFigure, LessonError};
use crate::growth::GrowthClass;
use crate::hot_line::HotLine;
use crate::request::{Sweep, Variant};
use crate::units;

/// CPython's figures for a lesson, measured with `pyrace compare --python`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// e.g. `CPython 3.11.7`.
    pub version: String,
    /// e.g. `2-core x86_64 Linux VM`.
    pub machine: String,
    /// Median seconds per loop per variant, at the headline size.
    pub times: Vec<(String, f64)>,
    pub growth: Vec<(String, GrowthClass)>,
    /// Peak bytes of one execution per variant, at the headline size
    /// (`tracemalloc`'s count).
    #[serde(default)]
    pub peaks: Vec<(String, u64)>,
    #[serde(default)]
    pub memory_growth: Vec<(String, GrowthClass)>,
    /// A profiled lesson's hottest line per variant, its code as written.
    #[serde(default)]
    pub hottest_lines: Vec<(String, String)>,
    /// The size the times are for, in a sweep (its largest).
    pub n: Option<u64>,
}

/// The figure recorded for `variant` in `list`.
fn recorded<'a, T>(list: &'a [(String, T)], variant: &str) -> Option<&'a T> {
    list.iter()
        .find(|(name, _)| name == variant)
        .map(|(_, value)| value)
}

impl Figures for Reference {
    fn time(&self, variant: &str, n: Option<u64>) -> Option<f64> {
        if n.is_some() && n != self.n {
            return None;
        }
        recorded(&self.times, variant).copied()
    }

    fn growth(&self, variant: &str) -> Option<GrowthFigure> {
        recorded(&self.growth, variant).map(|&class| GrowthFigure {
            class: Some(class),
            exponent: None,
        })
    }

    fn peak(&self, variant: &str, n: Option<u64>) -> Option<u64> {
        if n.is_some() && n != self.n {
            return None;
        }
        recorded(&self.peaks, variant).copied()
    }

    fn memory_growth(&self, variant: &str) -> Option<GrowthFigure> {
        recorded(&self.memory_growth, variant).map(|&class| GrowthFigure {
            class: Some(class),
            exponent: None,
        })
    }

    fn hottest_line(&self, variant: &str) -> Option<HotLine> {
        // The line's number and share are not recorded: its code says it.
        recorded(&self.hottest_lines, variant).map(|text| HotLine {
            line: 0,
            text: text.clone(),
            function: "its program".to_owned(),
            share: 0.0,
        })
    }
}

impl Parser<'_> {
    /// The reference of the ```` ```cpython ```` block `block`.
    pub(super) fn reference(
        &self,
        block: &Block,
        sweep: Option<&Sweep>,
        variants: &[Variant],
    ) -> Result<Reference, LessonError> {
        let mut version = None;
        let mut machine = None;
        let mut times = Vec::new();
        let mut growth = Vec::new();
        let mut memory_growth = Vec::new();
        let mut peaks = Vec::new();
        let mut hottest_lines = Vec::new();
        for (i, line) in block.body.lines().enumerate() {
            let number = block.line + 1 + i;
            if line.trim().is_empty() {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                return self.err(number, format!("{line:?} is not `key: value`"));
            };
            let (key, value) = (key.trim(), value.trim());
            let known = |name: &str| variants.iter().any(|v| v.name == name);
            if key == "version" {
                version = Some(value.to_owned());
            } else if key == "machine" {
                machine = Some(value.to_owned());
            } else if let Some(name) = key.strip_prefix("hottest line ") {
                let name = name.trim();
                if !known(name) {
                    return self.err(number, format!("no variant {name:?}"));
                }
                hottest_lines.push((name.to_owned(), value.to_owned()));
            } else if let Some((list, name)) = key
                .strip_prefix("memory growth ")
                .map(|name| (&mut memory_growth, name))
                .or_else(|| key.strip_prefix("growth ").map(|name| (&mut growth, name)))
            {
                let name = name.trim();
                if !known(name) {
                    return self.err(number, format!("no variant {name:?}"));
                }
                let Some(class) = GrowthClass::parse(value) else {
                    return self.err(number, format!("{value:?} is not a growth class"));
                };
                list.push((name.to_owned(), class));
            } else if let Some(name) = key.strip_suffix(" peak").filter(|name| known(name)) {
                let Some(bytes) = units::parse_bytes(value) else {
                    return self.err(number, format!("{value:?} is not a size such as `3.9 MB`"));
                };
                peaks.push((name.to_owned(), bytes));
            } else if known(key) {
                let Some(seconds) = parse_time(value) else {
                    return self.err(number, format!("{value:?} is not a time such as `43.2 µs`"));
                };
                times.push((key.to_owned(), seconds));
            } else {
                return self.err(
                    number,
                    format!(
                        "`{key}` is neither version, machine, a variant, `NAME peak`, `growth NAME`, `memory growth NAME` nor `hottest line NAME`"
                    ),
                );
            }
        }
        let (Some(version), Some(machine)) = (version, machine) else {
            return self.err(
                block.line,
                "a `cpython` block needs `version:` and `machine:`",
            );
        };
        Ok(Reference {
            version,
            machine,
            times,
            growth,
            peaks,
            memory_growth,
            hottest_lines,
            n: sweep.and_then(|s| s.sizes.iter().max().copied()),
        })
    }
}

/// Parses `43.2 µs`, `12 ns`, `1.5 ms`, `0.8 s` (`us` for µs).
pub(super) fn parse_time(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))?;
    let (value, unit) = text.split_at(split);
    let value: f64 = value.trim().parse().ok()?;
    let scale = match unit.trim() {
        "s" => 1.0,
        "ms" => 1e-3,
        "µs" | "us" => 1e-6,
        "ns" => 1e-9,
        _ => return None,
    };
    (value.is_finite() && value > 0.0).then_some(value * scale)
}
