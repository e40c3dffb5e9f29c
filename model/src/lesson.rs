//! Lessons: one Markdown file each, parsed into a run request, the claims it
//! makes about the result, and the CPython figures it was written against.
//!
//! ````text
//! ---
//! title: Membership: list vs set
//! topic: data structures
//! tags: hashing, membership
//! mode: sweep
//! sweep: n=100,1000,10000
//! ---
//! Prose in Markdown.
//!
//! ```python setup
//! L = list(range(n)); S = set(L)
//! ```
//! ```python variant=list
//! -1 in L
//! ```
//! ```python variant=set
//! -1 in S
//! ```
//! expect: set faster than list by >= 20x at n=10000
//! expect: growth list O(n)
//! expect: growth list exponent >= 0.8
//!
//! ```cpython
//! version: CPython 3.11.7
//! machine: 2-core x86_64 Linux VM
//! list: 43.2 µs
//! set: 21.5 ns
//! growth list: O(n)
//! ```
//! ````
//!
//! Front matter may add `same_result: last line` (or `same_result: NAME`):
//! the run checks, before timing, that every variant gives the same value
//! (`model::result_check`), and the lessons test requires that it does.
//!
//! A `python variant=NAME setup` block is that variant's own setup, and
//! `python variant=NAME threads=gil` (or `threads=free`) runs that variant
//! in the given thread mode whatever the run's mode is. Other fenced blocks
//! are prose. A file with any mistake is refused as a whole,
//! with its file, line and reason.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::growth::GrowthClass;
use crate::limits::{self, is_identifier};
use crate::request::{HarnessOptions, Mode, RunRequest, Sweep, ThreadMode, Variant};
use crate::result::Comparison;

/// Why a lesson file was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    pub file: String,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.reason)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.reason)
        }
    }
}

impl std::error::Error for LessonError {}

/// A parsed lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub title: String,
    pub topic: String,
    pub tags: Vec<String>,
    /// `Compare`, `Sweep` or `Program`: a lesson always times something.
    pub mode: Mode,
    /// Wall-clock budget the lesson asks for, when the default is too short.
    pub budget: Option<f64>,
    pub sweep: Option<Sweep>,
    /// The same-result check the lesson asks for: `""` compares each
    /// variant's last line, else the named value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_result: Option<String>,
    /// The Markdown without the blocks and lines parsed into the fields below.
    pub prose: String,
    pub setup: String,
    pub variants: Vec<Variant>,
    pub claims: Vec<Claim>,
    pub reference: Option<Reference>,
}

impl Lesson {
    /// The run request of this lesson, with `options` for the harness knobs
    /// the lesson does not set itself.
    pub fn request(&self, options: HarnessOptions) -> RunRequest {
        RunRequest {
            run_id: 1,
            mode: self.mode,
            setup: self.setup.clone(),
            variants: self.variants.clone(),
            options: HarnessOptions {
                budget: self.budget.unwrap_or(options.budget),
                sweep: self.sweep.clone(),
                check_result: self.same_result.clone().or(options.check_result),
                ..options
            },
        }
    }
}

/// A statement a lesson makes about its result, checked after every run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The claim as written after `expect:`.
    pub text: String,
    /// Its line in the lesson file.
    pub line: usize,
    pub kind: ClaimKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// `FAST faster than SLOW by >= Kx [at n=N]`, also written
    /// `SLOW slower than FAST by >= Kx` or `FAST wall <= F * SLOW`:
    /// SLOW's median time is at least `factor` times FAST's.
    FasterBy {
        fast: String,
        slow: String,
        factor: f64,
        n: Option<u64>,
    },
    /// `growth NAME CLASS [or CLASS…]`: the fitted growth of a sweep.
    Growth {
        variant: String,
        classes: Vec<GrowthClass>,
    },
    /// `growth NAME exponent >= X` (or `<= X`): the fitted log-log slope of
    /// a sweep, for claims a label would state too sharply ("grows at least
    /// linearly": a cache can tip a scan's label between O(n) and
    /// O(n log n), but not its exponent below 0.8).
    Exponent {
        variant: String,
        bound: Bound,
        value: f64,
    },
}

/// Which side of a value a figure must lie on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    AtLeast,
    AtMost,
}

impl Bound {
    fn holds(self, figure: f64, value: f64) -> bool {
        match self {
            Bound::AtLeast => figure >= value,
            Bound::AtMost => figure <= value,
        }
    }
}

/// A variant's fitted growth as claims read it: the label when there is a
/// clear one, and the exponent when it is known (recorded CPython figures
/// hold labels only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrowthFigure {
    pub class: Option<GrowthClass>,
    pub exponent: Option<f64>,
}

/// The figures a claim is checked against: a live `Comparison` or a
/// lesson's recorded CPython reference.
pub trait Figures {
    /// Median seconds per loop of `variant` at size `n` (`None`: the headline size).
    fn time(&self, variant: &str, n: Option<u64>) -> Option<f64>;
    fn growth(&self, variant: &str) -> Option<GrowthFigure>;
}

impl Figures for Comparison {
    fn time(&self, variant: &str, n: Option<u64>) -> Option<f64> {
        match n {
            None => self.variant(variant).map(|v| v.time.median),
            Some(n) => self
                .series(variant)?
                .points
                .iter()
                .find(|p| p.n == n)
                .map(|p| p.median),
        }
    }

    fn growth(&self, variant: &str) -> Option<GrowthFigure> {
        self.series(variant)?.growth.map(|g| GrowthFigure {
            class: g.class,
            exponent: Some(g.exponent),
        })
    }
}

/// What checking a claim found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub passed: bool,
    /// The measured figure in words, e.g. `list/set = 1846×` or `list O(n)`.
    pub measured: String,
    /// The measured ratio, for ratio claims.
    pub ratio: Option<f64>,
    /// The figures lack what the claim reads (another size, a variant that
    /// did not run, a recorded block without exponents): not checked.
    #[serde(default)]
    pub missing: bool,
}

impl Verdict {
    fn missing(measured: String) -> Verdict {
        Verdict {
            passed: false,
            measured,
            ratio: None,
            missing: true,
        }
    }
}

impl Claim {
    /// Checks the claim against measured figures.
    pub fn check(&self, figures: &dyn Figures) -> Verdict {
        match &self.kind {
            ClaimKind::FasterBy {
                fast,
                slow,
                factor,
                n,
            } => {
                let at = n.map(|n| format!(" at n={n}")).unwrap_or_default();
                match (figures.time(fast, *n), figures.time(slow, *n)) {
                    (Some(f), Some(s)) if f > 0.0 && s.is_finite() => {
                        let ratio = s / f;
                        Verdict {
                            passed: ratio >= *factor,
                            measured: format!("{slow}/{fast} = {}{at}", format_ratio(ratio)),
                            ratio: Some(ratio),
                            missing: false,
                        }
                    }
                    _ => Verdict::missing(format!("no time for {fast} and {slow}{at}")),
                }
            }
            ClaimKind::Growth { variant, classes } => match figures.growth(variant) {
                Some(GrowthFigure {
                    class: Some(class), ..
                }) => Verdict {
                    passed: classes.contains(&class),
                    measured: format!("{variant} {class}"),
                    ratio: None,
                    missing: false,
                },
                Some(GrowthFigure {
                    class: None,
                    exponent,
                }) => Verdict {
                    passed: false,
                    measured: match exponent {
                        Some(e) => format!("{variant} no clear label (n^{e:.2})"),
                        None => format!("{variant} no clear label"),
                    },
                    ratio: None,
                    missing: false,
                },
                None => Verdict::missing(format!("no growth fitted for {variant}")),
            },
            ClaimKind::Exponent {
                variant,
                bound,
                value,
            } => match figures.growth(variant).and_then(|g| g.exponent) {
                Some(e) => Verdict {
                    passed: bound.holds(e, *value),
                    measured: format!("{variant} n^{e:.2}"),
                    ratio: None,
                    missing: false,
                },
                None => Verdict::missing(format!("no exponent measured for {variant}")),
            },
        }
    }
}

/// One decimal is enough for a claim's figure: the thresholds are round.
fn format_ratio(r: f64) -> String {
    format!("{r:.1}×")
}

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

impl Sweep {
    /// Parses `VAR=SIZE,SIZE,…` (underscores allowed in sizes).
    pub fn parse(spec: &str) -> Result<Sweep, String> {
        let bad = || format!("{spec:?}: expected e.g. n=10,100,1000");
        let (var, sizes) = spec.split_once('=').ok_or_else(bad)?;
        let sizes = sizes
            .split(',')
            .map(|s| s.trim().replace('_', "").parse::<u64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| bad())?;
        if var.trim().is_empty() || sizes.is_empty() {
            return Err(bad());
        }
        Ok(Sweep {
            var: var.trim().to_owned(),
            sizes,
        })
    }
}

/// Parses a lesson; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
    Parser {
        file,
        lines: text.lines().collect(),
    }
    .lesson()
}

/// One fenced block: its info string, body and the line it opened on.
struct Block {
    info: String,
    body: String,
    line: usize,
}

struct Parser<'a> {
    file: &'a str,
    lines: Vec<&'a str>,
}

/// Front matter as read, before validation.
#[derive(Default)]
struct Front {
    title: Option<String>,
    topic: Option<String>,
    tags: Vec<String>,
    mode: Option<(Mode, usize)>,
    budget: Option<f64>,
    sweep: Option<(Sweep, usize)>,
    same_result: Option<String>,
}

impl Parser<'_> {
    fn err<T>(&self, line: usize, reason: impl Into<String>) -> Result<T, LessonError> {
        Err(LessonError {
            file: self.file.to_owned(),
            line,
            reason: reason.into(),
        })
    }

    fn lesson(&self) -> Result<Lesson, LessonError> {
        let (front, body_start) = self.front_matter()?;
        let mode = match front.mode {
            Some((mode, _)) => mode,
            None => return self.err(1, "front matter needs `mode: compare|sweep|program`"),
        };
        let Some(title) = front.title else {
            return self.err(1, "front matter needs `title:`");
        };
        let Some(topic) = front.topic else {
            return self.err(1, "front matter needs `topic:`");
        };
        match (&front.sweep, mode) {
            (None, Mode::Sweep) => {
                return self.err(1, "`mode: sweep` needs `sweep: n=SIZE,SIZE,…`");
            }
            (Some((_, line)), m) if m != Mode::Sweep => {
                return self.err(*line, "`sweep:` needs `mode: sweep`");
            }
            _ => {}
        }
        let sweep = front.sweep.map(|s| s.0);

        let mut prose = String::new();
        let mut setup: Option<String> = None;
        let mut variants: Vec<Variant> = Vec::new();
        let mut own_setups: Vec<(String, String, usize)> = Vec::new();
        let mut claim_lines: Vec<(usize, &str)> = Vec::new();
        let mut reference_block: Option<Block> = None;

        let mut i = body_start;
        while i < self.lines.len() {
            let line = self.lines[i];
            let number = i + 1;
            if let Some(fence) = fence_of(line) {
                let start = i;
                let block = self.block(i, fence)?;
                i = block_end(&self.lines, i, fence) + 1;
                let words: Vec<&str> = block.info.split_whitespace().collect();
                match words.as_slice() {
                    ["python", "setup"] => {
                        if setup.is_some() {
                            return self.err(number, "a second `python setup` block");
                        }
                        setup = Some(block.body);
                    }
                    ["python", v, rest @ ..] if v.starts_with("variant=") => {
                        let name = &v["variant=".len()..];
                        let (is_setup, thread_mode) = self.variant_attributes(rest, number)?;
                        if !is_identifier(name) {
                            return self.err(
                                number,
                                format!(
                                    "variant name {name:?} must be one word (letters, digits, _)"
                                ),
                            );
                        }
                        if is_setup {
                            if own_setups.iter().any(|s| s.0 == name) {
                                return self
                                    .err(number, format!("a second setup for variant {name:?}"));
                            }
                            own_setups.push((name.to_owned(), block.body, number));
                        } else {
                            if variants.iter().any(|v| v.name == name) {
                                return self.err(number, format!("a second variant {name:?}"));
                            }
                            variants.push(Variant {
                                thread_mode,
                                ..Variant::new(name, block.body)
                            });
                        }
                    }
                    ["python", other, ..] if other.contains('=') || *other == "setup" => {
                        return self.err(
                            number,
                            format!(
                                "cannot read the fence info {:?}: expected `python setup`, `python variant=NAME` or `python variant=NAME setup`",
                                block.info
                            ),
                        );
                    }
                    ["cpython"] => {
                        if reference_block.is_some() {
                            return self.err(number, "a second `cpython` block");
                        }
                        reference_block = Some(block);
                    }
                    _ => {
                        // An illustration: part of the prose.
                        for l in &self.lines[start..i] {
                            prose.push_str(l);
                            prose.push('\n');
                        }
                    }
                }
                continue;
            }
            if let Some(rest) = line.trim_start().strip_prefix("expect:") {
                claim_lines.push((number, rest.trim()));
            } else {
                prose.push_str(line);
                prose.push('\n');
            }
            i += 1;
        }

        if variants.is_empty() {
            return self.err(
                0,
                "no variants: add a block ```python variant=NAME for each",
            );
        }
        for (name, body, line) in own_setups {
            match variants.iter_mut().find(|v| v.name == name) {
                Some(v) => v.setup = body,
                None => {
                    return self.err(
                        line,
                        format!("setup for variant {name:?}, which has no block"),
                    );
                }
            }
        }
        let mut claims = Vec::new();
        for (line, text) in claim_lines {
            let kind = parse_claim(text).or_else(|reason| self.err(line, reason))?;
            self.validate_claim(&kind, line, mode, sweep.as_ref(), &variants)?;
            claims.push(Claim {
                text: text.to_owned(),
                line,
                kind,
            });
        }
        let reference = match reference_block {
            Some(block) => Some(self.reference(&block, sweep.as_ref(), &variants)?),
            None => None,
        };
        Ok(Lesson {
            title,
            topic,
            tags: front.tags,
            mode,
            budget: front.budget,
            sweep,
            same_result: front.same_result,
            prose: prose.trim().to_owned() + "\n",
            setup: setup.unwrap_or_default(),
            variants,
            claims,
            reference,
        })
    }

    /// Reads what follows `variant=NAME` in a fence: `setup` (the block is
    /// the variant's own setup) or `threads=gil|free` (its thread mode).
    fn variant_attributes(
        &self,
        words: &[&str],
        line: usize,
    ) -> Result<(bool, Option<ThreadMode>), LessonError> {
        match words {
            [] => Ok((false, None)),
            ["setup"] => Ok((true, None)),
            [threads] if threads.starts_with("threads=") => match &threads["threads=".len()..] {
                "gil" => Ok((false, Some(ThreadMode::Gil))),
                "free" => Ok((false, Some(ThreadMode::Free))),
                other => self.err(
                    line,
                    format!("threads={other}: expected threads=gil or threads=free"),
                ),
            },
            _ => self.err(
                line,
                format!(
                    "cannot read {:?} after the variant's name: expected `setup` or `threads=gil|free`",
                    words.join(" ")
                ),
            ),
        }
    }

    /// Reads the `---` front matter; returns it and the index of the first body line.
    fn front_matter(&self) -> Result<(Front, usize), LessonError> {
        if self.lines.first().map(|l| l.trim_end()) != Some("---") {
            return self.err(1, "a lesson starts with front matter between `---` lines");
        }
        let Some(end) = self
            .lines
            .iter()
            .skip(1)
            .position(|l| l.trim_end() == "---")
            .map(|p| p + 1)
        else {
            return self.err(1, "the front matter is not closed by a `---` line");
        };
        let mut front = Front::default();
        let mut seen: Vec<&str> = Vec::new();
        for (i, line) in self.lines[1..end].iter().enumerate() {
            let number = i + 2;
            if line.trim().is_empty() {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                return self.err(number, format!("{line:?} is not `key: value`"));
            };
            let (key, value) = (key.trim(), value.trim());
            if seen.contains(&key) {
                return self.err(number, format!("`{key}` is given twice"));
            }
            seen.push(key);
            if value.is_empty() {
                return self.err(number, format!("`{key}` has no value"));
            }
            match key {
                "title" => front.title = Some(value.to_owned()),
                "topic" => front.topic = Some(value.to_owned()),
                "tags" => {
                    front.tags = value
                        .split(',')
                        .map(|t| t.trim().to_owned())
                        .filter(|t| !t.is_empty())
                        .collect();
                }
                "mode" => {
                    let mode = match value {
                        "compare" => Mode::Compare,
                        "sweep" => Mode::Sweep,
                        "program" => Mode::Program,
                        _ => {
                            return self.err(
                                number,
                                format!("mode {value:?}: expected compare, sweep or program"),
                            );
                        }
                    };
                    front.mode = Some((mode, number));
                }
                "budget" => match value.trim_end_matches('s').trim().parse::<f64>() {
                    Ok(b) => match limits::BUDGET.check("the budget", b) {
                        Ok(b) => front.budget = Some(b),
                        Err(why) => return self.err(number, why),
                    },
                    Err(_) => {
                        return self.err(
                            number,
                            format!("budget {value:?}: expected seconds, e.g. 8"),
                        );
                    }
                },
                "same_result" => match value {
                    "last line" => front.same_result = Some(String::new()),
                    name if is_identifier(name) => front.same_result = Some(name.to_owned()),
                    _ => {
                        return self.err(
                            number,
                            format!("same_result {value:?}: expected `last line` or a name"),
                        );
                    }
                },
                "sweep" => match Sweep::parse(value) {
                    Ok(s) if is_identifier(&s.var) => front.sweep = Some((s, number)),
                    Ok(s) => {
                        return self.err(number, format!("{:?} cannot be a variable name", s.var));
                    }
                    Err(e) => return self.err(number, format!("sweep {e}")),
                },
                _ => {
                    return self.err(
                        number,
                        format!(
                            "unknown front-matter key `{key}` (known: title, topic, tags, mode, sweep, budget, same_result)"
                        ),
                    );
                }
            }
        }
        Ok((front, end + 1))
    }

    /// The fenced block opening at line index `start`.
    fn block(&self, start: usize, fence: usize) -> Result<Block, LessonError> {
        let end = block_end(&self.lines, start, fence);
        if end >= self.lines.len() {
            return self.err(start + 1, "this code block is never closed");
        }
        let info = self.lines[start].trim_start()[fence..].trim().to_owned();
        let mut body = String::new();
        for l in &self.lines[start + 1..end] {
            body.push_str(l);
            body.push('\n');
        }
        Ok(Block {
            info,
            body,
            line: start + 1,
        })
    }

    fn validate_claim(
        &self,
        kind: &ClaimKind,
        line: usize,
        mode: Mode,
        sweep: Option<&Sweep>,
        variants: &[Variant],
    ) -> Result<(), LessonError> {
        let known = |name: &str| -> Result<(), LessonError> {
            if variants.iter().any(|v| v.name == name) {
                Ok(())
            } else {
                let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                self.err(
                    line,
                    format!("no variant {name:?} (variants: {})", names.join(", ")),
                )
            }
        };
        match kind {
            ClaimKind::FasterBy { fast, slow, n, .. } => {
                known(fast)?;
                known(slow)?;
                if fast == slow {
                    return self.err(line, "a variant cannot be compared with itself");
                }
                match (n, sweep) {
                    (Some(n), Some(s)) if !s.sizes.contains(n) => self.err(
                        line,
                        format!("n={n} is not one of the sweep's sizes {:?}", s.sizes),
                    ),
                    (Some(_), None) => self.err(line, "`at n=…` needs `mode: sweep`"),
                    _ => Ok(()),
                }
            }
            ClaimKind::Growth { variant, .. } | ClaimKind::Exponent { variant, .. } => {
                known(variant)?;
                if mode != Mode::Sweep {
                    return self.err(line, "a growth claim needs `mode: sweep`");
                }
                Ok(())
            }
        }
    }

    fn reference(
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

/// The length of the backtick fence that opens a block on `line`, if any.
fn fence_of(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let ticks = t.chars().take_while(|&c| c == '`').count();
    (ticks >= 3).then_some(ticks)
}

/// Index of the line closing the block opened at `start` (past the end if none).
fn block_end(lines: &[&str], start: usize, fence: usize) -> usize {
    lines[start + 1..]
        .iter()
        .position(|l| {
            let t = l.trim();
            t.len() >= fence && t.chars().all(|c| c == '`')
        })
        .map_or(lines.len(), |p| start + 1 + p)
}

/// Parses `43.2 µs`, `12 ns`, `1.5 ms`, `0.8 s` (`us` for µs).
fn parse_time(text: &str) -> Option<f64> {
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

/// Parses the text of an `expect:` line.
pub fn parse_claim(text: &str) -> Result<ClaimKind, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let forms = "expected `A faster than B by >= 10x [at n=N]`, `A slower than B by >= 10x`, `A wall <= 0.4 * B`, `growth A O(n) [or O(n log n)]` or `growth A exponent >= 0.8`";
    match words.as_slice() {
        ["growth", variant, "exponent", op @ (">=" | "<="), value] => {
            let value = value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("{value:?} is not a number"))?;
            Ok(ClaimKind::Exponent {
                variant: (*variant).to_owned(),
                bound: if *op == ">=" {
                    Bound::AtLeast
                } else {
                    Bound::AtMost
                },
                value,
            })
        }
        ["growth", variant, rest @ ..] if !rest.is_empty() => {
            let mut classes = Vec::new();
            for part in rest.join(" ").split(" or ") {
                match GrowthClass::parse(part) {
                    Some(c) => classes.push(c),
                    None => {
                        return Err(format!(
                            "{:?} is not a growth class such as O(n)",
                            part.trim()
                        ));
                    }
                }
            }
            Ok(ClaimKind::Growth {
                variant: (*variant).to_owned(),
                classes,
            })
        }
        [
            a,
            dir @ ("faster" | "slower"),
            "than",
            b,
            "by",
            ">=",
            factor,
            rest @ ..,
        ] => {
            let factor = parse_factor(factor.trim_end_matches(['x', '×']))?;
            let n = parse_at(rest)?;
            let (fast, slow) = if *dir == "faster" { (a, b) } else { (b, a) };
            Ok(ClaimKind::FasterBy {
                fast: (*fast).to_owned(),
                slow: (*slow).to_owned(),
                factor,
                n,
            })
        }
        [a, "wall" | "time", "<=", f, "*", b, rest @ ..] => {
            let f = parse_factor(f)?;
            Ok(ClaimKind::FasterBy {
                fast: (*a).to_owned(),
                slow: (*b).to_owned(),
                factor: 1.0 / f,
                n: parse_at(rest)?,
            })
        }
        _ => Err(format!("cannot read the claim {text:?}: {forms}")),
    }
}

fn parse_factor(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f > 0.0 && f.is_finite() => Ok(f),
        _ => Err(format!("{text:?} is not a positive number")),
    }
}

fn parse_at(rest: &[&str]) -> Result<Option<u64>, String> {
    match rest {
        [] => Ok(None),
        ["at", size] => size
            .strip_prefix("n=")
            .and_then(|n| n.replace('_', "").parse().ok())
            .map(Some)
            .ok_or_else(|| format!("{size:?}: expected `at n=SIZE`")),
        _ => Err(format!("unexpected {:?} after the claim", rest.join(" "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::growth::Growth;
    use crate::result::{Ratio, SweepPoint, SweepSeries, VariantResult};
    use crate::stats::Summary;

    const GOOD: &str = "---
title: Membership
topic: data structures
tags: hashing, membership
mode: sweep
sweep: n=100,1000,10000
---
Why sets win.

```python setup
L = list(range(n))
```

```python variant=list
-1 in L
```

```python variant=set setup
S = set(L)
```

```python variant=set
-1 in S
```

```python
# an illustration, not a variant
```

expect: set faster than list by >= 20x at n=10000
expect: growth list O(n)
expect: growth set O(1) or O(log n)

```cpython
version: CPython 3.11.7
machine: 2-core x86_64 Linux VM
list: 43.2 µs
set: 21.5 ns
growth list: O(n)
```
";

    fn bad(text: &str) -> LessonError {
        parse("bad.md", text).expect_err("should be refused")
    }

    #[test]
    fn parses_a_whole_lesson() {
        let l = parse("good.md", GOOD).unwrap();
        assert_eq!(l.title, "Membership");
        assert_eq!(l.tags, ["hashing", "membership"]);
        assert_eq!(l.mode, Mode::Sweep);
        assert_eq!(l.sweep.as_ref().unwrap().sizes, [100, 1000, 10000]);
        assert_eq!(l.setup, "L = list(range(n))\n");
        assert_eq!(l.variants.len(), 2);
        assert_eq!(l.variants[1].setup, "S = set(L)\n");
        assert_eq!(l.variants[1].code, "-1 in S\n");
        assert_eq!(l.claims.len(), 3);
        assert_eq!(l.claims[0].line, 30);
        assert_eq!(
            l.claims[0].kind,
            ClaimKind::FasterBy {
                fast: "set".into(),
                slow: "list".into(),
                factor: 20.0,
                n: Some(10000)
            }
        );
        assert!(l.prose.contains("Why sets win."));
        assert!(l.prose.contains("an illustration"));
        assert!(!l.prose.contains("expect:"));
        assert!(!l.prose.contains("-1 in S"));
        let r = l.reference.as_ref().unwrap();
        assert_eq!(r.version, "CPython 3.11.7");
        assert_eq!(r.n, Some(10000));
        assert!((r.times[0].1 - 43.2e-6).abs() < 1e-12);
        let req = l.request(HarnessOptions::default());
        assert_eq!(req.mode, Mode::Sweep);
        assert_eq!(req.options.sweep, l.sweep);
    }

    #[test]
    fn a_lesson_can_ask_for_the_same_result_check() {
        assert_eq!(parse("good.md", GOOD).unwrap().same_result, None);
        let with = |value: &str| {
            GOOD.replacen(
                "sweep: n=100,1000,10000\n",
                &format!("sweep: n=100,1000,10000\nsame_result: {value}\n"),
                1,
            )
        };
        let last = parse("last.md", &with("last line")).unwrap();
        assert_eq!(last.same_result.as_deref(), Some(""));
        assert_eq!(
            last.request(HarnessOptions::default())
                .options
                .check_result
                .as_deref(),
            Some("")
        );
        let named = parse("named.md", &with("out")).unwrap();
        assert_eq!(named.same_result.as_deref(), Some("out"));
        let e = bad(&with("the output"));
        assert!(e.reason.contains("expected `last line` or a name"), "{e}");
    }

    #[test]
    fn a_lesson_budget_is_one_the_playground_runs() {
        let with = |value: &str| {
            GOOD.replacen(
                "sweep: n=100,1000,10000\n",
                &format!("sweep: n=100,1000,10000\nbudget: {value}\n"),
                1,
            )
        };
        assert_eq!(parse("b.md", &with("12 s")).unwrap().budget, Some(12.0));
        let e = bad(&with("300"));
        assert!(
            e.reason
                .contains("the budget must be from 0.1 to 120 seconds"),
            "{e}"
        );
        assert!(bad(&with("soon")).reason.contains("expected seconds"));
    }

    #[test]
    fn a_variant_can_ask_for_its_thread_mode() {
        let text = GOOD.replace(
            "```python variant=list\n",
            "```python variant=list threads=gil\n",
        );
        let l = parse("gil.md", &text).unwrap();
        assert_eq!(l.variants[0].thread_mode, Some(ThreadMode::Gil));
        assert_eq!(l.variants[1].thread_mode, None);
        let req = l.request(HarnessOptions::default());
        assert_eq!(req.variants[0].thread_mode, Some(ThreadMode::Gil));
        assert_eq!(req.options.thread_mode, ThreadMode::Free);

        let free = GOOD.replace(
            "```python variant=set\n",
            "```python variant=set threads=free\n",
        );
        let l = parse("free.md", &free).unwrap();
        assert_eq!(l.variants[1].thread_mode, Some(ThreadMode::Free));

        let e = bad(&GOOD.replace(
            "```python variant=list\n",
            "```python variant=list threads=fast\n",
        ));
        assert_eq!(e.line, 14);
        assert!(
            e.reason.contains("expected threads=gil or threads=free"),
            "{e}"
        );
        let e = bad(&GOOD.replace("```python variant=list\n", "```python variant=list gil\n"));
        assert_eq!(e.line, 14);
        assert!(e.reason.contains("cannot read \"gil\""), "{e}");
    }

    #[test]
    fn claims_parse_in_every_form() {
        let k = parse_claim("list slower than set by >= 3x").unwrap();
        assert_eq!(
            k,
            ClaimKind::FasterBy {
                fast: "set".into(),
                slow: "list".into(),
                factor: 3.0,
                n: None
            }
        );
        let k = parse_claim("threads wall <= 0.4 * sequential").unwrap();
        let ClaimKind::FasterBy { fast, factor, .. } = k else {
            panic!()
        };
        assert_eq!(fast, "threads");
        assert!((factor - 2.5).abs() < 1e-12);
        assert!(parse_claim("growth x O(n log n) or O(n^2)").is_ok());
        assert!(parse_claim("growth x O(2^n)").is_err());
        assert!(parse_claim("set beats list").is_err());
        assert!(parse_claim("a faster than b by >= -2x").is_err());
        assert!(parse_claim("a faster than b by >= 2x at 100").is_err());
        assert!(parse_claim("a faster than b by >= 2x at n=100 please").is_err());
    }

    #[test]
    fn malformed_files_name_the_line_and_reason() {
        let e = bad(&GOOD.replace("topic:", "topics:"));
        assert_eq!((e.file.as_str(), e.line), ("bad.md", 3));
        assert!(
            e.reason.contains("unknown front-matter key `topics`"),
            "{e}"
        );

        let e = bad(&GOOD.replace("by >= 20x", "by at least 20x"));
        assert_eq!(e.line, 30);
        assert!(e.reason.contains("cannot read the claim"), "{e}");

        let e = bad(&GOOD.replace("growth list O(n)", "growth tuple O(n)"));
        assert_eq!(e.line, 31);
        assert!(e.reason.contains("no variant \"tuple\""), "{e}");

        let e = bad(&GOOD.replace("at n=10000", "at n=5"));
        assert!(e.reason.contains("not one of the sweep's sizes"), "{e}");

        let e = bad(&GOOD.replace("mode: sweep", "mode: race"));
        assert_eq!(e.line, 5);

        let e = bad(&GOOD.replace("```python variant=list\n-1 in L\n```\n", ""));
        assert!(e.reason.contains("no variant \"list\""), "{e}");

        let e = bad("---\ntitle: t\ntopic: t\nmode: compare\n---\nno code\n");
        assert!(e.reason.contains("no variants"), "{e}");
        assert_eq!(e.to_string(), format!("bad.md: {}", e.reason));

        let e = bad(&GOOD.replace(
            "```python variant=set setup",
            "```python variant=tuple setup",
        ));
        assert!(e.reason.contains("which has no block"), "{e}");

        let e = bad("---\ntitle: t\ntopic: t\nmode: compare\n---\n```python variant=a\nx\n");
        assert_eq!(e.line, 6);
        assert!(e.reason.contains("never closed"), "{e}");

        let e = bad(&GOOD.replace("list: 43.2 µs", "list: fast"));
        assert!(e.reason.contains("not a time"), "{e}");

        let e = bad(&GOOD.replace("mode: sweep\n", "mode: compare\n"));
        assert!(e.reason.contains("needs `mode: sweep`"), "{e}");

        let e = bad(&GOOD.replace("```python variant=set\n", "```python variant=list\n"));
        assert!(e.reason.contains("a second variant"), "{e}");

        let e = bad("title: t\n");
        assert_eq!(e.line, 1);
    }

    fn result(name: &str, median: f64) -> VariantResult {
        let time = Summary::of(&[median]).unwrap();
        VariantResult {
            name: name.into(),
            n: Some(10000),
            loops: 1,
            time,
            samples: vec![median],
            ops_per_sec: 1.0 / median,
            ratio: Ratio {
                value: 1.0,
                low: 1.0,
                high: 1.0,
            },
            fastest: false,
        }
    }

    fn series(name: &str, median: f64, class: GrowthClass) -> SweepSeries {
        SweepSeries {
            name: name.into(),
            points: vec![SweepPoint {
                n: 10000,
                median,
                low: median,
                high: median,
            }],
            growth: Some(Growth {
                class: Some(class),
                exponent: 1.0,
                fit_error: 0.0,
                runner_up: None,
            }),
        }
    }

    #[test]
    fn checks_claims_against_a_comparison_and_the_reference() {
        let l = parse("good.md", GOOD).unwrap();
        let c = Comparison {
            engine: "test".into(),
            variants: vec![result("list", 1e-4), result("set", 1e-7)],
            baseline: None,
            sweep: vec![
                series("list", 1e-4, GrowthClass::Linear),
                series("set", 1e-7, GrowthClass::Quadratic),
            ],
            rounds: 5,
            elapsed: 1.0,
            budget_exhausted: false,
            warnings: Vec::new(),
            warmup: None,
        };
        let v = l.claims[0].check(&c);
        assert!(v.passed);
        assert_eq!(v.measured, "list/set = 1000.0× at n=10000");
        assert!(l.claims[1].check(&c).passed);
        let v = l.claims[2].check(&c);
        assert!(!v.passed);
        assert_eq!(v.measured, "set O(n²)");

        let r = l.reference.as_ref().unwrap();
        let v = l.claims[0].check(r);
        assert!(v.passed);
        assert!((v.ratio.unwrap() - 43.2e-6 / 21.5e-9).abs() < 1e-6);
        // No growth recorded for `set`: the claim cannot be confirmed.
        assert!(!l.claims[2].check(r).passed);
    }

    /// A sweep of one variant, `list`, with the given label and exponent.
    fn list_sweep(class: Option<GrowthClass>, exponent: f64) -> Comparison {
        let mut list = series("list", 1e-4, GrowthClass::Linear);
        let growth = list.growth.as_mut().unwrap();
        growth.class = class;
        growth.exponent = exponent;
        Comparison {
            engine: "test".into(),
            variants: vec![result("list", 1e-4)],
            baseline: None,
            sweep: vec![list],
            rounds: 5,
            elapsed: 1.0,
            budget_exhausted: false,
            warnings: Vec::new(),
            warmup: None,
        }
    }

    #[test]
    fn exponent_claims_read_the_fitted_slope() {
        let claim = |text: &str| Claim {
            text: text.into(),
            line: 1,
            kind: parse_claim(text).unwrap(),
        };
        let c = list_sweep(Some(GrowthClass::Linear), 1.09);
        let v = claim("growth list exponent >= 0.8").check(&c);
        assert!(v.passed);
        assert_eq!(v.measured, "list n^1.09");
        assert!(!claim("growth list exponent <= 1.05").check(&c).passed);
        // A recorded CPython block holds no exponent: nothing to confirm.
        let r = Reference {
            version: "CPython".into(),
            machine: "m".into(),
            times: vec![],
            growth: vec![("list".into(), GrowthClass::Linear)],
            n: None,
        };
        let v = claim("growth list exponent >= 0.8").check(&r);
        assert!(!v.passed);
        assert_eq!(v.measured, "no exponent measured for list");
        assert!(parse_claim("growth list exponent >= fast").is_err());
        assert!(parse_claim("growth list exponent > 1").is_err());
    }

    #[test]
    fn a_sweep_with_no_clear_label_fails_a_label_claim_and_says_so() {
        let c = list_sweep(None, 1.42);
        let claim = Claim {
            text: "growth list O(n)".into(),
            line: 1,
            kind: parse_claim("growth list O(n)").unwrap(),
        };
        let v = claim.check(&c);
        assert!(!v.passed);
        assert_eq!(v.measured, "list no clear label (n^1.42)");
    }

    #[test]
    fn times_parse_with_units() {
        assert_eq!(parse_time("2 s"), Some(2.0));
        assert!((parse_time("43.2 µs").unwrap() - 43.2e-6).abs() < 1e-15);
        assert!((parse_time("5us").unwrap() - 5e-6).abs() < 1e-15);
        assert_eq!(parse_time("5 parsecs"), None);
        assert_eq!(parse_time("-1 s"), None);
    }
}
