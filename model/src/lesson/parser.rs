//! The lesson parser: front matter, fenced blocks (setup, variants, their
//! setups and thread modes), `expect:` lines and the reference block, each
//! checked as it is read; a file with any mistake is refused as a whole,
//! with its file, line and reason.

use super::claims::{Claim, parse_claim};
use super::{Lesson, LessonError};
use crate::limits::{self, is_identifier};
use crate::request::{Mode, Sweep, ThreadMode, Variant};

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
pub(super) struct Block {
    pub(super) info: String,
    pub(super) body: String,
    pub(super) line: usize,
}

pub(super) struct Parser<'a> {
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
    /// `profile: lines`, and its line.
    profile: Option<usize>,
}

impl Parser<'_> {
    pub(super) fn err<T>(&self, line: usize, reason: impl Into<String>) -> Result<T, LessonError> {
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
            None => return self.err(1, "front matter needs `mode: compare|sweep|program|run`"),
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
        match (front.profile, mode) {
            (None, Mode::Run) => {
                return self.err(
                    1,
                    "`mode: run` needs `profile: lines`: a lesson measures something",
                );
            }
            (Some(line), m) if m != Mode::Run => {
                return self.err(line, "`profile:` needs `mode: run`");
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
            profile: front.profile.is_some(),
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
                        "run" => Mode::Run,
                        _ => {
                            return self.err(
                                number,
                                format!("mode {value:?}: expected compare, sweep, program or run"),
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
                "profile" => match value {
                    "lines" => front.profile = Some(number),
                    _ => {
                        return self.err(
                            number,
                            format!(
                                "profile {value:?}: expected `lines` (the line tracer, with calls and memory)"
                            ),
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
                            "unknown front-matter key `{key}` (known: title, topic, tags, mode, sweep, budget, same_result, profile)"
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
