//! The CPython figures a lesson was written against: its ```` ```cpython ````
//! block (version, machine, a time per variant, growth labels), read by the
//! parser and shown beside a reader's live run, and the [`Figures`] claims
//! are checked against when no live CPython run is there.

use serde::{Deserialize, Serialize};

use super::parser::{Block, Parser};
use super::{Figures, GrowthFigure, LessonError};
use crate::growth::GrowthClass;
use crate::request::{Sweep, Variant};

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
    /// The size the times are for, in a sweep (its largest).
    pub n: Option<u64>,
}

impl Figures for Reference {
    fn time(&self, variant: &str, n: Option<u64>) -> Option<f64> {
        if n.is_some() && n != self.n {
            return None;
        }
        self.times
            .iter()
            .find(|(name, _)| name == variant)
            .map(|t| t.1)
    }

    fn growth(&self, variant: &str) -> Option<GrowthFigure> {
        self.growth
            .iter()
            .find(|(name, _)| name == variant)
            .map(|g| GrowthFigure {
                class: Some(g.1),
                exponent: None,
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
            } else if let Some(name) = key.strip_prefix("growth ") {
                let name = name.trim();
                if !known(name) {
                    return self.err(number, format!("no variant {name:?}"));
                }
                let Some(class) = GrowthClass::parse(value) else {
                    return self.err(number, format!("{value:?} is not a growth class"));
                };
                growth.push((name.to_owned(), class));
            } else if known(key) {
                let Some(seconds) = parse_time(value) else {
                    return self.err(number, format!("{value:?} is not a time such as `43.2 µs`"));
                };
                times.push((key.to_owned(), seconds));
            } else {
                return self.err(
                    number,
                    format!("`{key}` is neither version, machine, `growth NAME` nor a variant"),
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
