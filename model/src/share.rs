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
    /// shows, and the full seventeen would double a link's length.
    pub fn rounded(self) -> ResultRow {
        let round = |x: f64| {
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

/// lz-string's alphabet for `compressToEncodedURIComponent`: six bits a
/// character (its 65th, `$`, is never written, but lz-string reads it as 64).
const URI_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lz {
    Corrupt,
    TooLong,
}

/// Reads the bit stream of `decompressFromEncodedURIComponent`, most
/// significant bit of each six-bit character first.
struct Bits<'a> {
    chars: std::slice::Iter<'a, u8>,
    value: u8,
    position: u8,
}

impl Bits<'_> {
    fn bit(&mut self) -> Result<bool, Lz> {
        let set = self.value & self.position != 0;
        self.position >>= 1;
        if self.position == 0 {
            self.position = 1 << 5;
            self.value = self.next_value()?;
        }
        Ok(set)
    }

    fn next_value(&mut self) -> Result<u8, Lz> {
        let c = self.chars.next().ok_or(Lz::Corrupt)?;
        URI_ALPHABET
            .iter()
            .position(|k| k == c)
            .map(|i| i as u8)
            .ok_or(Lz::Corrupt)
    }

    /// `n` bits, least significant first, as lz-string writes codes.
    fn bits(&mut self, n: u8) -> Result<u32, Lz> {
        // Codes wider than the dictionary can ever be mean a damaged stream.
        if n > 31 {
            return Err(Lz::Corrupt);
        }
        let mut value = 0;
        for i in 0..n {
            value |= u32::from(self.bit()?) << i;
        }
        Ok(value)
    }
}

/// A dictionary entry: a literal, or a run of the output so far (every
/// entry but a literal is a previous entry plus the first unit of the one
/// after it, which is where it stands in the output), so the dictionary
/// costs a few bytes an entry however long the entries get.
#[derive(Clone, Copy)]
enum Entry {
    Literal(u16),
    Span { start: usize, len: usize },
}

/// lz-string's decompression of a URI-component string, as lz-str 0.2
/// does it (`None` there is `Corrupt` here), but failing with `TooLong` as
/// soon as the output passes `max_units`.
fn decompress_uri(input: &str, max_units: usize) -> Result<Vec<u16>, Lz> {
    let mut bits = Bits {
        chars: input.as_bytes().iter(),
        value: 0,
        position: 1 << 5,
    };
    if input.is_empty() {
        return Ok(Vec::new());
    }
    bits.value = bits.next_value()?;
    // Codes 0, 1 and 2 are "a literal of 8 bits", "of 16 bits" and "end".
    let mut dictionary = vec![Entry::Literal(0), Entry::Literal(1), Entry::Literal(2)];
    let first = match bits.bits(2)? {
        0 => bits.bits(8)?,
        1 => bits.bits(16)?,
        2 => return Ok(Vec::new()),
        _ => return Err(Lz::Corrupt),
    } as u16;
    dictionary.push(Entry::Literal(first));
    let mut out = vec![first];
    // The previous entry, as a run of `out`.
    let mut w = (0, 1);
    let mut num_bits: u8 = 3;
    let mut enlarge_in: u64 = 4;
    loop {
        let mut code = bits.bits(num_bits)? as usize;
        match code {
            0 | 1 => {
                let literal = bits.bits(if code == 0 { 8 } else { 16 })? as u16;
                dictionary.push(Entry::Literal(literal));
                code = dictionary.len() - 1;
                enlarge_in -= 1;
            }
            2 => return Ok(out),
            _ => {}
        }
        if enlarge_in == 0 {
            enlarge_in = 1 << num_bits;
            num_bits += 1;
        }
        let start = out.len();
        match dictionary.get(code) {
            Some(Entry::Literal(unit)) => out.push(*unit),
            Some(&Entry::Span { start, len }) => out.extend_from_within(start..start + len),
            None if code == dictionary.len() => {
                out.extend_from_within(w.0..w.0 + w.1);
                out.push(out[w.0]);
            }
            None => return Err(Lz::Corrupt),
        }
        if out.len() > max_units {
            return Err(Lz::TooLong);
        }
        // The previous entry plus this one's first unit: contiguous in `out`.
        dictionary.push(Entry::Span {
            start: w.0,
            len: w.1 + 1,
        });
        enlarge_in -= 1;
        w = (start, out.len() - start);
        if enlarge_in == 0 {
            enlarge_in = 1 << num_bits;
            num_bits += 1;
        }
    }
}

/// Property tests: every state round-trips, and no input makes decoding
/// panic (`cargo test -p pyrace-model share -- --nocapture` prints how many
/// inputs each property tried).
#[cfg(test)]
mod props {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use proptest::prelude::*;
    use proptest::test_runner::{TestCaseError, TestRunner};

    use super::*;

    /// Characters that break naive codecs: NUL, astral, right-to-left, the
    /// override mark, JSON's own syntax, the highest BMP scalar.
    fn tricky_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => any::<char>(),
            1 => prop::sample::select(vec![
                '\0', '𝔘', '😀', '\u{10FFFF}', 'א', 'ש', 'ع', '\u{202E}', '\u{200F}', '"', '\\',
                '\n', '\u{FFFF}', '\u{FEFF}', 'é', '$', '+', '%', '#',
            ]),
        ]
    }

    fn text(max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(tricky_char(), 0..max).prop_map(String::from_iter)
    }

    fn figure() -> impl Strategy<Value = f64> {
        prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO
    }

    fn mode() -> impl Strategy<Value = Mode> {
        prop::sample::select(vec![Mode::Run, Mode::Compare, Mode::Sweep, Mode::Program])
    }

    fn thread_mode() -> impl Strategy<Value = Option<ThreadMode>> {
        prop::option::of(prop::sample::select(vec![
            ThreadMode::Free,
            ThreadMode::Gil,
        ]))
    }

    fn variant() -> impl Strategy<Value = SharedVariant> {
        (text(12), text(40), text(80), thread_mode()).prop_map(
            |(name, setup, code, thread_mode)| SharedVariant {
                name,
                setup,
                code,
                thread_mode,
            },
        )
    }

    fn row() -> impl Strategy<Value = ResultRow> {
        (
            text(12),
            prop::option::of(any::<u64>()),
            prop::array::uniform6(figure()),
        )
            .prop_map(|(name, n, f)| ResultRow {
                name,
                n,
                median: f[0],
                ci_low: f[1],
                ci_high: f[2],
                ratio: f[3],
                ratio_low: f[4],
                ratio_high: f[5],
            })
    }

    fn results() -> impl Strategy<Value = ResultsSnapshot> {
        (
            text(30),
            text(25),
            mode(),
            prop::collection::vec(row(), 0..=MAX_VARIANTS),
        )
            .prop_map(|(engine, recorded, mode, variants)| ResultsSnapshot {
                engine,
                recorded,
                mode,
                variants,
            })
    }

    fn state() -> impl Strategy<Value = SharedState> {
        (
            mode(),
            text(60),
            prop::collection::vec(variant(), 0..=MAX_VARIANTS),
            text(20),
            (
                prop::option::of(limits::BUDGET.min..=limits::BUDGET.max),
                thread_mode(),
                prop::option::of(limits::SWITCH_INTERVAL.min..=limits::SWITCH_INTERVAL.max),
                prop::option::of(prop::sample::select(vec![String::new(), "out".to_owned()])),
            ),
            prop::option::of(text(20)),
            prop::option::of(results()),
        )
            .prop_map(
                |(
                    mode,
                    setup,
                    variants,
                    sweep,
                    (budget, thread_mode, switch_interval, same_result),
                    lesson,
                    results,
                )| {
                    SharedState {
                        version: VERSION,
                        mode,
                        setup,
                        variants,
                        sweep,
                        options: SharedOptions {
                            budget,
                            thread_mode,
                            switch_interval,
                            same_result,
                        },
                        lesson,
                        engines: if results.is_some() {
                            vec![EngineId::Cpython]
                        } else {
                            Vec::new()
                        },
                        cpython_results: results.clone(),
                        results,
                    }
                },
            )
    }

    /// Anything a pasted or tampered link could hold.
    fn junk() -> impl Strategy<Value = String> {
        let alphabet = prop::sample::select(URI_ALPHABET.to_vec());
        prop_oneof![
            any::<String>(),
            prop::collection::vec(any::<u8>(), 0..64)
                .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
            prop::collection::vec(alphabet.clone(), 0..120)
                .prop_map(|b| format!("v1.{}", String::from_utf8(b).unwrap())),
            (any::<u32>(), prop::collection::vec(alphabet, 0..40))
                .prop_map(|(v, b)| format!("v{v}.{}", String::from_utf8(b).unwrap())),
        ]
    }

    /// Runs a property on `cases` generated inputs and reports how many
    /// inputs it tried (`-- --nocapture` shows the counts).
    fn check<S: Strategy>(
        what: &str,
        cases: u32,
        strategy: S,
        property: impl Fn(S::Value) -> Result<(), TestCaseError>,
    ) where
        S::Value: std::fmt::Debug,
    {
        let tried = AtomicUsize::new(0);
        let mut runner = TestRunner::new(ProptestConfig {
            cases,
            failure_persistence: None,
            ..ProptestConfig::default()
        });
        let outcome = runner.run(&strategy, |input| {
            tried.fetch_add(1, Ordering::Relaxed);
            property(input)
        });
        let tried = tried.load(Ordering::Relaxed);
        eprintln!("share codec: {what}: {tried} inputs tried");
        outcome.unwrap();
        assert!(tried >= cases as usize, "{what}: only {tried} inputs tried");
    }

    #[test]
    fn every_state_round_trips_through_a_link_and_a_file() {
        check("round trips", 3_000, state(), |state| {
            let link = encode(&state).unwrap();
            prop_assert!(link[3..].bytes().all(|b| URI_ALPHABET.contains(&b)));
            prop_assert_eq!(decode(&link).unwrap(), state.clone());
            prop_assert_eq!(from_json(&to_json(&state).unwrap()).unwrap(), state);
            Ok(())
        });
    }

    #[test]
    fn a_tampered_link_fails_cleanly_or_decodes_to_a_valid_state() {
        let alphabet = prop::sample::select(URI_ALPHABET.to_vec());
        let inputs = (
            state(),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            alphabet,
        );
        check("tampered links", 3_000, inputs, |(state, cut, at, by)| {
            let link = encode(&state).unwrap();
            let payload = &link.as_bytes()[3..];
            let truncated = &link[..3 + cut.index(payload.len())];
            let mut changed = payload.to_vec();
            let at = at.index(changed.len());
            changed[at] = by;
            let changed = format!("v1.{}", String::from_utf8(changed).unwrap());
            for tampered in [truncated, changed.as_str()] {
                if let Ok(decoded) = decode(tampered) {
                    prop_assert!(decoded.check().is_ok());
                }
            }
            Ok(())
        });
    }

    #[test]
    fn decoding_anything_never_panics() {
        check("arbitrary inputs", 100_000, junk(), |input| {
            let _ = decode(&input);
            let _ = from_json(&input);
            Ok(())
        });
    }

    #[test]
    fn the_bounded_decoder_agrees_with_lz_str() {
        let payload = prop::collection::vec(prop::sample::select(URI_ALPHABET.to_vec()), 0..48);
        check(
            "random payloads against lz-str",
            50_000,
            payload,
            |payload| {
                let payload = String::from_utf8(payload).unwrap();
                let ours = decompress_uri(&payload, MAX_JSON_UNITS).ok();
                prop_assert_eq!(
                    ours,
                    lz_str::decompress_from_encoded_uri_component(&payload)
                );
                Ok(())
            },
        );
        check("real links against lz-str", 500, state(), |state| {
            let json = to_json(&state).unwrap();
            let packed = lz_str::compress_to_encoded_uri_component(json.as_str());
            let ours = decompress_uri(&packed, MAX_JSON_UNITS).unwrap();
            prop_assert_eq!(
                Some(ours),
                lz_str::decompress_from_encoded_uri_component(&packed)
            );
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engines_field_is_optional_and_carries_cpython() {
        let plain = sample();
        let json = to_json(&plain).unwrap();
        assert!(!json.contains("engines"), "absent when RustPython only");
        let mut both = plain.clone();
        both.engines = vec![EngineId::Cpython];
        let fragment = encode(&both).unwrap();
        assert!(fragment.starts_with("v1."));
        assert_eq!(decode(&fragment).unwrap().engines, vec![EngineId::Cpython]);
        // A link of this format written before the field existed reads as
        // RustPython only.
        assert!(decode(&encode(&plain).unwrap()).unwrap().engines.is_empty());
    }

    fn sample() -> SharedState {
        SharedState {
            version: VERSION,
            mode: Mode::Compare,
            setup: "L = list(range(1000))\nS = set(L)".into(),
            variants: vec![
                SharedVariant {
                    name: "list".into(),
                    setup: String::new(),
                    code: "-1 in L".into(),
                    thread_mode: None,
                },
                SharedVariant {
                    name: "set".into(),
                    setup: "x = 1".into(),
                    code: "-1 in S".into(),
                    thread_mode: Some(ThreadMode::Gil),
                },
            ],
            sweep: "n=100,1000".into(),
            options: SharedOptions {
                budget: Some(5.0),
                thread_mode: None,
                switch_interval: None,
                same_result: None,
            },
            lesson: Some("membership".into()),
            results: None,
            engines: Vec::new(),
            cpython_results: None,
        }
    }

    #[test]
    fn a_link_round_trips() {
        let state = sample();
        let link = encode(&state).unwrap();
        assert!(link.starts_with("v1."), "{link}");
        assert!(
            link[3..].bytes().all(|b| URI_ALPHABET.contains(&b)),
            "{link}"
        );
        assert_eq!(decode(&link).unwrap(), state);
        assert_eq!(decode(&format!("#{link}")).unwrap(), state);
    }

    #[test]
    fn escaped_and_spaced_links_still_decode() {
        let state = sample();
        let link = encode(&state).unwrap();
        let mangled = link
            .replace('+', " ")
            .replace('$', "%24")
            .replace('-', "%2d");
        assert_eq!(decode(&mangled).unwrap(), state);
    }

    #[test]
    fn bad_links_say_what_is_wrong() {
        let link = encode(&sample()).unwrap();
        assert_eq!(decode(""), Err(ShareError::NotALink));
        assert_eq!(decode("lesson=x"), Err(ShareError::NotALink));
        assert_eq!(decode("v1."), Err(ShareError::NotALink));
        assert_eq!(decode("vx.abc"), Err(ShareError::NotALink));
        assert_eq!(
            decode(&link.replacen("v1.", "v9.", 1)),
            Err(ShareError::FutureVersion(9))
        );
        assert_eq!(
            decode(&link[..link.len() / 2]),
            Err(ShareError::Corrupt),
            "cut short"
        );
        assert_eq!(
            decode("v1.a!b"),
            Err(ShareError::Corrupt),
            "not the alphabet"
        );
        let not_json = format!("v1.{}", lz_str::compress_to_encoded_uri_component("hello"));
        assert!(matches!(decode(&not_json), Err(ShareError::NotJson(_))));
        let wrong = format!(
            "v1.{}",
            lz_str::compress_to_encoded_uri_component(r#"{"pyrace":1,"mode":"fast"}"#)
        );
        assert!(matches!(decode(&wrong), Err(ShareError::WrongShape(_))));
        let newer = format!(
            "v1.{}",
            lz_str::compress_to_encoded_uri_component(r#"{"pyrace":2,"whatever":[]}"#)
        );
        assert_eq!(decode(&newer), Err(ShareError::FutureVersion(2)));
    }

    #[test]
    fn limits_are_enforced_both_ways() {
        let mut state = sample();
        state.variants = vec![state.variants[0].clone(); MAX_VARIANTS + 1];
        assert!(matches!(encode(&state), Err(ShareError::TooLarge(_))));
        let json = serde_json::to_string(&state).unwrap();
        assert!(matches!(from_json(&json), Err(ShareError::TooLarge(_))));

        let mut state = sample();
        state.variants[0].code = "x".repeat(MAX_TEXT_CHARS + 1);
        let json = serde_json::to_string(&state).unwrap();
        let link = format!(
            "v1.{}",
            lz_str::compress_to_encoded_uri_component(json.as_str())
        );
        assert!(matches!(decode(&link), Err(ShareError::TooLarge(_))));

        let mut state = sample();
        state.options.budget = Some(-1.0);
        assert!(matches!(encode(&state), Err(ShareError::WrongShape(_))));
    }

    /// A link opens with exactly the budget and switch interval the
    /// playground would run (the ranges of `limits`), and one outside them
    /// says so instead of being cut silently.
    #[test]
    fn option_ranges_are_the_playgrounds() {
        let with = |budget: f64, interval: f64| {
            let mut state = sample();
            state.options.budget = Some(budget);
            state.options.switch_interval = Some(interval);
            state
        };
        let widest = with(limits::BUDGET.max, limits::SWITCH_INTERVAL.max);
        assert_eq!(decode(&encode(&widest).unwrap()).unwrap(), widest);
        let narrowest = with(limits::BUDGET.min, limits::SWITCH_INTERVAL.min);
        assert_eq!(decode(&encode(&narrowest).unwrap()).unwrap(), narrowest);
        let json = serde_json::to_string(&with(300.0, 0.005)).unwrap();
        let link = format!(
            "v1.{}",
            lz_str::compress_to_encoded_uri_component(json.as_str())
        );
        let refused = decode(&link).unwrap_err().to_string();
        assert!(
            refused.contains("the budget must be from 0.1 to 120 seconds (it is 300)"),
            "{refused}"
        );
        let json = serde_json::to_string(&with(5.0, 2.0)).unwrap();
        assert!(matches!(from_json(&json), Err(ShareError::WrongShape(_))));
    }

    #[test]
    fn the_same_result_check_travels_and_its_name_is_checked() {
        let mut state = sample();
        state.options.same_result = Some("out".into());
        assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
        state.options.same_result = Some(String::new());
        assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
        state.options.same_result = Some("not a name".into());
        let refused = encode(&state).unwrap_err().to_string();
        assert!(refused.contains("is not a Python name"), "{refused}");
    }

    #[test]
    fn a_decompression_bomb_stops_at_the_bound() {
        // A run of one character packs into a few characters a doubling:
        // 200 000 units from about 1 000 characters.
        let bomb = lz_str::compress_to_encoded_uri_component("a".repeat(200_000).as_str());
        assert!(bomb.len() < 2_000, "{}", bomb.len());
        assert_eq!(decompress_uri(&bomb, 100_000), Err(Lz::TooLong));
        assert_eq!(decompress_uri(&bomb, 200_000).map(|u| u.len()), Ok(200_000));
        let link = format!("v1.{bomb}");
        assert!(matches!(decode(&link), Err(ShareError::NotJson(_))));
    }

    #[test]
    fn the_empty_state_round_trips() {
        let empty = SharedState {
            version: VERSION,
            mode: Mode::Run,
            setup: String::new(),
            variants: Vec::new(),
            sweep: String::new(),
            options: SharedOptions::default(),
            lesson: None,
            results: None,
            engines: Vec::new(),
            cpython_results: None,
        };
        assert_eq!(
            to_json(&empty).unwrap(),
            r#"{"pyrace":1,"mode":"run","variants":[]}"#
        );
        assert_eq!(decode(&encode(&empty).unwrap()).unwrap(), empty);
    }

    /// The largest state allowed, in the characters that cost most: every
    /// limit reached at once still opens.
    #[test]
    fn the_largest_state_round_trips() {
        let label = |c: char| c.to_string().repeat(MAX_LABEL_CHARS);
        let row = |name: String| ResultRow {
            name,
            n: Some(u64::MAX),
            median: f64::MAX,
            ci_low: f64::MIN_POSITIVE,
            ci_high: -0.0,
            ratio: 1e300,
            ratio_low: 5e-324,
            ratio_high: 1.0,
        };
        let mut state = SharedState {
            version: VERSION,
            mode: Mode::Sweep,
            setup: String::new(),
            variants: (0..MAX_VARIANTS)
                .map(|i| SharedVariant {
                    name: label(['\0', '𝔘', 'ש', '\u{202E}', '😀', '"'][i]),
                    setup: String::new(),
                    code: String::new(),
                    thread_mode: Some(ThreadMode::Gil),
                })
                .collect(),
            sweep: label('9'),
            options: SharedOptions {
                budget: Some(limits::BUDGET.max),
                thread_mode: Some(ThreadMode::Free),
                switch_interval: Some(limits::SWITCH_INTERVAL.max),
                same_result: None,
            },
            lesson: Some(label('é')),
            results: Some(ResultsSnapshot {
                engine: label('\0'),
                recorded: label('\u{10FFFF}'),
                mode: Mode::Sweep,
                variants: (0..MAX_VARIANTS).map(|_| row(label('\0'))).collect(),
            }),
            engines: Vec::new(),
            cpython_results: None,
        };
        // Names and result names of every variant, sweep, lesson, engine, date.
        let used = MAX_LABEL_CHARS * (2 * MAX_VARIANTS + 4);
        // The rest of the text budget goes to code, NUL (six characters
        // in JSON) and astral characters (two UTF-16 units) alike.
        let mut left = MAX_TOTAL_CHARS - used;
        for (i, variant) in state.variants.iter_mut().enumerate() {
            let chars = left.min(MAX_TEXT_CHARS);
            variant.code = if i % 2 == 0 { "\0" } else { "😀" }.repeat(chars);
            left -= chars;
        }
        state.setup = "\0".repeat(left.min(MAX_TEXT_CHARS));
        state.check().expect("at the limits, not over them");
        assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
        state.setup.push('x');
        assert!(matches!(state.check(), Err(ShareError::TooLarge(_))));
    }

    #[test]
    fn results_snapshot_keeps_the_figures_shown() {
        use crate::{Ratio, Summary, VariantResult};
        let summary = Summary::of(&[1e-6, 2e-6, 3e-6]).unwrap();
        let comparison = Comparison {
            engine: "RustPython 0.6.0 (browser)".into(),
            variants: vec![VariantResult {
                name: "list".into(),
                n: None,
                loops: 10,
                time: summary,
                samples: vec![1e-6, 2e-6, 3e-6],
                ops_per_sec: 5e5,
                ratio: Ratio {
                    value: 1.0,
                    low: 1.0,
                    high: 1.0,
                },
                fastest: true,
            }],
            baseline: None,
            sweep: Vec::new(),
            rounds: 3,
            elapsed: 1.0,
            budget_exhausted: false,
            warnings: Vec::new(),
        };
        let snapshot = ResultsSnapshot::of(&comparison, Mode::Compare, "2026-11-26T03:00:00Z");
        let row = &snapshot.variants[0];
        for (kept, measured) in [(row.median, summary.median), (row.ci_high, summary.ci_high)] {
            assert!(
                (kept - measured).abs() <= measured * 5e-4,
                "{kept} for {measured}"
            );
        }
        assert_eq!(row.ratio, 1.0);
        let json = serde_json::to_string(row).unwrap();
        assert!(json.len() < 120, "four digits, not seventeen: {json}");
        let mut state = sample();
        state.results = Some(snapshot);
        assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
    }
}
