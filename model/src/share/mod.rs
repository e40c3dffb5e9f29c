//! Share links: the whole playground state in a URL fragment, with no server.
//!
//! # The link
//!
//! A link's fragment is `v1.` followed by the state's JSON compressed with
//! lz-string's `compressToEncodedURIComponent` (the Rust crate `lz-str` here,
//! the npm package `lz-string` in JavaScript: the same algorithm and alphabet
//! `A–Z a–z 0–9 + - $`, so a blog script can write links too):
//!
//! ```text
//! https://…/app/#v1.N4IgLgngDgpiBcIAmBDAziAvkA…
//! ```
//!
//! The `v1.` prefix tells the format before anything is decompressed, so a
//! link from a newer pyrace is recognised as such instead of as damage. The
//! same JSON, uncompressed, is the `.pyrace.json` file offered for states too
//! long for a link.
//!
//! # The JSON (format 1)
//!
//! ```json
//! {
//!   "pyrace": 1,
//!   "mode": "compare",
//!   "setup": "L = list(range(1000))\nS = set(L)",
//!   "variants": [
//!     {"name": "list", "code": "-1 in L"},
//!     {"name": "set", "code": "-1 in S", "setup": "", "thread_mode": "gil"}
//!   ],
//!   "sweep": "n=100,1000,10000",
//!   "options": {"budget": 5.0, "thread_mode": "free", "switch_interval": 0.005},
//!   "lesson": "membership",
//!   "results": {
//!     "engine": "RustPython 0.6.0 (browser)",
//!     "recorded": "2026-11-26T03:00:00Z",
//!     "mode": "compare",
//!     "variants": [
//!       {"name": "list", "median": 4.1e-6, "ci_low": 4.0e-6, "ci_high": 4.3e-6,
//!        "ratio": 98.0, "ratio_low": 95.1, "ratio_high": 101.2},
//!       {"name": "set", "median": 4.2e-8, "ci_low": 4.1e-8, "ci_high": 4.4e-8,
//!        "ratio": 1.0, "ratio_low": 1.0, "ratio_high": 1.0}
//!     ]
//!   }
//! }
//! ```
//!
//! - `pyrace` (required): the format, 1. A larger number is a newer pyrace's.
//! - `mode` (required): `compare`, `sweep`, `run` or `program`.
//! - `setup`: the shared setup, run before every variant (default empty).
//! - `variants` (required): up to [`MAX_VARIANTS`], each with `name` and
//!   `code` (required), its own `setup` (default empty) and `thread_mode`
//!   (`free` or `gil`; absent: the run's).
//! - `sweep`: the sizes of `n` as typed, `VAR=SIZE,SIZE,…` (default empty).
//! - `options`: each optional: `budget` (seconds, within
//!   [`limits::BUDGET`]), `thread_mode` of the run, `switch_interval`
//!   (seconds, within [`limits::SWITCH_INTERVAL`]), `same_result` (the
//!   same-result check on: `""` for each variant's last line, or the Python
//!   name whose value is compared).
//! - `lesson`: the id of the lesson the panes came from.
//! - `engines`: the engines besides RustPython that runs also go to:
//!   `["cpython"]` or absent. Readers that do not know it still open the
//!   link (RustPython only), so it stays format 1.
//! - `cpython_results`: CPython's snapshot beside `results`, same shape.
//! - `results`: a snapshot of the last results, shown as "recorded on …,
//!   engine …" until a real run replaces it: the `engine`'s name, when it was
//!   `recorded` (ISO 8601, as typed by the writer), the `mode` they are of,
//!   and per variant its median seconds per loop with its 95% interval, and
//!   how many times slower than the fastest, with its interval; `n` is the
//!   size they are for, in a sweep. Figures this app writes keep four
//!   significant digits.
//!
//! In JavaScript, with the npm `lz-string`:
//!
//! ```js
//! const link = `${appUrl}#v1.` + LZString.compressToEncodedURIComponent(JSON.stringify(state));
//! const state = JSON.parse(LZString.decompressFromEncodedURIComponent(fragment.slice(3)));
//! ```
//!
//! Unknown fields are ignored, so a later pyrace may add optional ones
//! without a new format number. Strings are any Unicode (NUL included).
//! Decoding also accepts what mail and chat programs make of a link: a
//! leading `#`, `%24`-style escapes of `$`, `+` and `-`, and `+` turned into
//! a space.
//!
//! # Bad input
//!
//! Decoding never panics and returns a [`ShareError`] that says what is
//! wrong. Texts, variants and the decompressed size are limited (the
//! `MAX_*` constants), because lz-string output can grow quadratically with
//! its input: this module decompresses with its own port of lz-str's
//! decoder that stops once the output passes [`MAX_JSON_UNITS`] (tested to
//! agree with lz-str on everything lz-str decodes within that bound).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engines::EngineId;
use crate::limits::{
    self, MAX_ENGINES, MAX_JSON_UNITS, MAX_LABEL_CHARS, MAX_LINK_CHARS, MAX_TEXT_CHARS,
    MAX_TOTAL_CHARS, MAX_VARIANTS,
};
use crate::lz_decode::{Lz, URI_ALPHABET, decompress_uri};
use crate::request::{Mode, ThreadMode};
use crate::result::Comparison;

/// The format this pyrace writes and reads.
pub const VERSION: u32 = 1;

/// Everything in the playground that a link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedState {
    /// The format, [`VERSION`].
    #[serde(rename = "pyrace")]
    pub version: u32,
    pub mode: Mode,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub setup: String,
    pub variants: Vec<SharedVariant>,
    /// Sizes of `n` as typed, `VAR=SIZE,SIZE,…`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sweep: String,
    #[serde(default, skip_serializing_if = "SharedOptions::is_empty")]
    pub options: SharedOptions,
    /// The lesson the panes came from, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// The last results, as recorded by whoever shared the state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<ResultsSnapshot>,
    /// The engines runs go to, beside RustPython: `["cpython"]` when
    /// CPython is on. Absent (older links): RustPython only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub engines: Vec<EngineId>,
    /// CPython's last results, beside `results` (RustPython's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpython_results: Option<ResultsSnapshot>,
}

/// One variant pane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedVariant {
    pub name: String,
    /// The variant's own setup, run after the shared one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub setup: String,
    pub code: String,
    /// Overrides the run's thread mode for this variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_mode: Option<ThreadMode>,
}

/// Harness options; absent ones take the playground's defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SharedOptions {
    /// Seconds the harness may spend on one comparison.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_mode: Option<ThreadMode>,
    /// GIL mode's switch interval, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_interval: Option<f64>,
    /// The same-result check, when on: `""` compares each variant's last
    /// line's value, a name the value each leaves in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_result: Option<String>,
}

impl SharedOptions {
    fn is_empty(&self) -> bool {
        *self == SharedOptions::default()
    }
}

/// The last results in brief: enough to show numbers before the engine has
/// loaded, never mistaken for a run on the reader's machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsSnapshot {
    /// The engine that measured them, e.g. `RustPython 0.6.0 (browser)`.
    pub engine: String,
    /// When they were measured (ISO 8601).
    pub recorded: String,
    /// The mode they are results of.
    pub mode: Mode,
    pub variants: Vec<ResultRow>,
}

/// One variant's figures in a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    pub name: String,
    /// The size of `n` they are for, in a sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// Median seconds per loop, net of the baseline.
    pub median: f64,
    /// 95% confidence interval of the median.
    pub ci_low: f64,
    pub ci_high: f64,
    /// Times slower than the fastest variant, with its 95% interval.
    pub ratio: f64,
    pub ratio_low: f64,
    pub ratio_high: f64,
}

impl ResultsSnapshot {
    /// The snapshot of a finished comparison, `recorded` at the given time.
    pub fn of(comparison: &Comparison, mode: Mode, recorded: impl Into<String>) -> Self {
        ResultsSnapshot {
            engine: comparison.engine.clone(),
            recorded: recorded.into(),
            mode,
            variants: comparison
                .variants
                .iter()
                .map(|v| {
                    ResultRow {
                        name: v.name.clone(),
                        n: v.n,
                        median: v.time.median,
                        ci_low: v.time.ci_low,
                        ci_high: v.time.ci_high,
                        ratio: v.ratio.value,
                        ratio_low: v.ratio.low,
                        ratio_high: v.ratio.high,
                    }
                    .rounded()
                })
                .collect(),
        }
    }
}

impl ResultRow {
    /// The figures to four significant digits: one more than the page
    /// shows, and the full seventeen would double a link's length. Figures
    /// of 1000 and more keep their whole part, which the page writes out
    /// (`11484×`), so that a card or an opened link says what the page did.
    pub fn rounded(self) -> ResultRow {
        let round = |x: f64| {
            if x.abs() >= 1000.0 {
                return x.round();
            }
            format!("{x:.3e}")
                .parse::<f64>()
                .ok()
                .filter(|r| r.is_finite())
                .unwrap_or(x)
        };
        ResultRow {
            median: round(self.median),
            ci_low: round(self.ci_low),
            ci_high: round(self.ci_high),
            ratio: round(self.ratio),
            ratio_low: round(self.ratio_low),
            ratio_high: round(self.ratio_high),
            ..self
        }
    }
}

/// Why a link or file could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Not a pyrace state at all (no `v1.` prefix, or nothing after it).
    NotALink,
    /// Written by a newer pyrace, in this format.
    FutureVersion(u32),
    /// The compressed text does not decompress: cut short or altered.
    Corrupt,
    /// It decompresses, but not to JSON.
    NotJson(String),
    /// JSON, but not a pyrace state: what is missing or wrong.
    WrongShape(String),
    /// More than a playground holds.
    TooLarge(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotALink => write!(f, "it holds no pyrace state"),
            ShareError::FutureVersion(v) => write!(
                f,
                "it was made by a newer pyrace (format v{v}; this page reads v{VERSION}): reload to get the newest version"
            ),
            ShareError::Corrupt => write!(
                f,
                "it is damaged: probably cut short or changed when it was copied"
            ),
            ShareError::NotJson(detail) => {
                write!(f, "its content is not a pyrace state ({detail})")
            }
            ShareError::WrongShape(detail) => write!(f, "its state is not valid: {detail}"),
            ShareError::TooLarge(detail) => {
                write!(f, "it holds more than a playground can: {detail}")
            }
        }
    }
}

impl std::error::Error for ShareError {}

/// The fragment of a share link (without `#`) for a state.
pub fn encode(state: &SharedState) -> Result<String, ShareError> {
    let json = to_json(state)?;
    Ok(format!(
        "v{VERSION}.{}",
        lz_str::compress_to_encoded_uri_component(json.as_str())
    ))
}

/// The state in a link's fragment (with or without its `#`).
pub fn decode(fragment: &str) -> Result<SharedState, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLarge(format!(
            "the link is longer than {MAX_LINK_CHARS} characters"
        )));
    }
    let (version, payload) = split_version(fragment)?;
    if version > VERSION {
        return Err(ShareError::FutureVersion(version));
    }
    if version != VERSION || payload.is_empty() {
        return Err(ShareError::NotALink);
    }
    let units = match decompress_uri(&unescape(payload), MAX_JSON_UNITS) {
        Ok(units) => units,
        Err(Lz::Corrupt) => return Err(ShareError::Corrupt),
        Err(Lz::TooLong) => {
            return Err(ShareError::TooLarge(format!(
                "it unpacks to more than {MAX_JSON_UNITS} characters"
            )));
        }
    };
    if units.is_empty() {
        return Err(ShareError::Corrupt);
    }
    let json = String::from_utf16(&units).map_err(|_| ShareError::Corrupt)?;
    from_json(&json)
}

/// The state as JSON, as a `.pyrace.json` file holds it.
pub fn to_json(state: &SharedState) -> Result<String, ShareError> {
    state.check()?;
    serde_json::to_string(state).map_err(|e| ShareError::WrongShape(e.to_string()))
}

/// The state in JSON text (a `.pyrace.json` file, or a decompressed link).
pub fn from_json(json: &str) -> Result<SharedState, ShareError> {
    if json.len() > MAX_JSON_UNITS * 3 {
        return Err(ShareError::TooLarge(format!(
            "it is longer than {MAX_JSON_UNITS} characters"
        )));
    }
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| ShareError::NotJson(e.to_string()))?;
    // The format is read first, so that a newer pyrace's state is reported
    // as such rather than as whatever field this one does not understand.
    let version = value
        .get("pyrace")
        .ok_or_else(|| ShareError::WrongShape("it has no `pyrace` format number".into()))?;
    match version.as_u64() {
        Some(v) if v > u64::from(VERSION) => {
            return Err(ShareError::FutureVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ));
        }
        Some(v) if v == u64::from(VERSION) => {}
        _ => {
            return Err(ShareError::WrongShape(format!("unknown format {version}")));
        }
    }
    let state: SharedState =
        serde_json::from_value(value).map_err(|e| ShareError::WrongShape(e.to_string()))?;
    state.check()?;
    Ok(state)
}

impl SharedState {
    /// The results recorded for `engine`.
    pub fn results_of(&self, engine: EngineId) -> Option<&ResultsSnapshot> {
        match engine {
            EngineId::Rustpython => self.results.as_ref(),
            EngineId::Cpython => self.cpython_results.as_ref(),
        }
    }

    /// Where the results recorded for `engine` go.
    pub fn results_mut(&mut self, engine: EngineId) -> &mut Option<ResultsSnapshot> {
        match engine {
            EngineId::Rustpython => &mut self.results,
            EngineId::Cpython => &mut self.cpython_results,
        }
    }

    /// Checks the limits and the ranges of options.
    pub fn check(&self) -> Result<(), ShareError> {
        if self.version != VERSION {
            return Err(ShareError::WrongShape(format!(
                "format {} is not {VERSION}",
                self.version
            )));
        }
        if self.variants.len() > MAX_VARIANTS {
            return Err(ShareError::TooLarge(format!(
                "{} variants, at most {MAX_VARIANTS}",
                self.variants.len()
            )));
        }
        let mut total = 0;
        let mut text = |what: &str, s: &str, max: usize| {
            let chars = s.chars().count();
            total += chars;
            if chars > max {
                Err(ShareError::TooLarge(format!(
                    "{what} has {chars} characters, at most {max}"
                )))
            } else {
                Ok(())
            }
        };
        text("the setup", &self.setup, MAX_TEXT_CHARS)?;
        text("the sweep", &self.sweep, MAX_LABEL_CHARS)?;
        if let Some(lesson) = &self.lesson {
            text("the lesson id", lesson, MAX_LABEL_CHARS)?;
        }
        if let Some(name) = &self.options.same_result {
            text("the same-result name", name, MAX_LABEL_CHARS)?;
            if !name.is_empty() && !limits::is_identifier(name) {
                return Err(ShareError::WrongShape(format!(
                    "the same-result name {name:?} is not a Python name"
                )));
            }
        }
        for (i, v) in self.variants.iter().enumerate() {
            let i = i + 1;
            text(&format!("variant {i}'s name"), &v.name, MAX_LABEL_CHARS)?;
            text(&format!("variant {i}'s code"), &v.code, MAX_TEXT_CHARS)?;
            text(&format!("variant {i}'s setup"), &v.setup, MAX_TEXT_CHARS)?;
        }
        for results in self.results.iter().chain(&self.cpython_results) {
            if results.variants.len() > MAX_VARIANTS {
                return Err(ShareError::TooLarge(format!(
                    "results of {} variants, at most {MAX_VARIANTS}",
                    results.variants.len()
                )));
            }
            text("the engine name", &results.engine, MAX_LABEL_CHARS)?;
            text("the date recorded", &results.recorded, MAX_LABEL_CHARS)?;
            for row in &results.variants {
                text("a result's name", &row.name, MAX_LABEL_CHARS)?;
                let figures = [
                    row.median,
                    row.ci_low,
                    row.ci_high,
                    row.ratio,
                    row.ratio_low,
                    row.ratio_high,
                ];
                if !figures.iter().all(|x| x.is_finite()) {
                    return Err(ShareError::WrongShape(format!(
                        "the results of “{}” are not finite numbers",
                        row.name
                    )));
                }
            }
        }
        if total > MAX_TOTAL_CHARS {
            return Err(ShareError::TooLarge(format!(
                "{total} characters of text, at most {MAX_TOTAL_CHARS}"
            )));
        }
        let in_range = |what: &str, x: Option<f64>, range: limits::Seconds| match x {
            Some(x) => range
                .check(what, x)
                .map(drop)
                .map_err(ShareError::WrongShape),
            None => Ok(()),
        };
        in_range("the budget", self.options.budget, limits::BUDGET)?;
        in_range(
            "the switch interval",
            self.options.switch_interval,
            limits::SWITCH_INTERVAL,
        )?;
        if self.engines.len() > MAX_ENGINES {
            return Err(ShareError::TooLarge(format!(
                "{} engines, at most {MAX_ENGINES}",
                self.engines.len()
            )));
        }
        Ok(())
    }
}

/// `v<digits>.` and what follows.
fn split_version(fragment: &str) -> Result<(u32, &str), ShareError> {
    let rest = fragment.strip_prefix('v').ok_or(ShareError::NotALink)?;
    let (digits, payload) = rest.split_once('.').ok_or(ShareError::NotALink)?;
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::NotALink);
    }
    let version = digits.parse().map_err(|_| ShareError::NotALink)?;
    Ok((version, payload))
}

/// Undoes what mail and chat programs do to a link: `%2B`-style escapes of
/// the alphabet's symbols, and `+` read as a space.
fn unescape(payload: &str) -> String {
    let mut out = String::with_capacity(payload.len());
    let mut rest = payload;
    while let Some(c) = rest.chars().next() {
        let escaped = rest
            .strip_prefix('%')
            .and_then(|hex| hex.get(..2))
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .filter(|b| URI_ALPHABET.contains(b));
        match escaped {
            Some(b) => {
                out.push(char::from(b));
                rest = &rest[3..];
            }
            None => {
                out.push(if c == ' ' { '+' } else { c });
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
