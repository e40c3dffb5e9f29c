//! The hottest line of a profiled program, as a reader finds it: the
//! function that spent the most time of its own (the widest bar of the
//! flame graph's own time, `cProfile`'s `tottime`), then, among that
//! function's lines, the one with the most seconds in the line view.
//! Ranking every line at once would crown the line that calls the hot
//! function, since a line's seconds include its callees'.

use serde::{Deserialize, Serialize};

use crate::call_tree::CallTree;
use crate::trace_profile::TraceProfile;

/// The hot line found, with what it was found by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotLine {
    /// 1-based, in the program.
    pub line: u32,
    /// The line's code, trimmed.
    pub text: String,
    /// The function it belongs to (`<module>` for top-level code).
    pub function: String,
    /// The line's share of the whole run, 0 to 1 (a line also counts the
    /// functions it calls).
    pub share: f64,
}

/// The hottest line of `source`, run as a program whose file the profiler
/// named one of `files`; `None` when the profile holds none of its lines.
pub fn hottest_line(trace: &TraceProfile, files: &[&str], source: &str) -> Option<HotLine> {
    // Every thread's time counts: a function that ran on worker threads
    // is as hot as one on the main thread.
    let calls = CallTree::merged(trace.threads.iter().map(|t| &t.calls));
    let ours = |file: &str| files.contains(&file);
    let hottest_frame = calls
        .by_frame()
        .into_iter()
        .filter(|t| ours(&calls.frames[t.frame as usize].file))
        .max_by(|a, b| a.own.total_cmp(&b.own))
        .map(|t| &calls.frames[t.frame as usize])?;
    let source_lines: Vec<&str> = source.lines().collect();
    let owners = owners(&source_lines);
    let owner = if hottest_frame.name == "<module>" {
        None
    } else {
        Some(definition_line(&source_lines, hottest_frame.line))
    };
    let best = trace
        .lines
        .lines
        .iter()
        .filter(|l| ours(&l.file))
        .filter(|l| match owner {
            // A frame that is no `def` (a comprehension, a lambda) is its
            // one line.
            Some(def) if !is_definition(&source_lines, def) => l.line == def,
            _ => owners.get(l.line as usize - 1).copied().flatten() == owner,
        })
        .max_by(|a, b| a.seconds.total_cmp(&b.seconds).then(b.line.cmp(&a.line)))?;
    Some(HotLine {
        line: best.line,
        text: source_lines
            .get(best.line as usize - 1)
            .map(|l| l.trim().to_owned())
            .unwrap_or_default(),
        function: hottest_frame.name.clone(),
        // The correction for the tracer's cost can leave a line a little
        // more than the run's total.
        share: trace.lines.share(best).min(1.0),
    })
}

/// Whether 1-based `line` opens a function or class.
fn is_definition(lines: &[&str], line: u32) -> bool {
    lines.get(line as usize - 1).is_some_and(|l| {
        let t = l.trim_start();
        t.starts_with("def ") || t.starts_with("async def ") || t.starts_with("class ")
    })
}

/// The line a frame's `def` is on: its first line, or past the decorators
/// its first line may be.
fn definition_line(lines: &[&str], first: u32) -> u32 {
    let mut at = first.max(1);
    while lines
        .get(at as usize - 1)
        .is_some_and(|l| l.trim_start().starts_with('@'))
    {
        at += 1;
    }
    at
}

/// For each line, the 1-based line of the innermost `def` or `class`
/// whose body holds it (`None`: top-level code), by indentation.
fn owners(lines: &[&str]) -> Vec<Option<u32>> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    // Open definitions: (their line, their indentation).
    let mut open: Vec<(u32, usize)> = Vec::new();
    let mut owners = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let blank = line.trim().is_empty() || line.trim_start().starts_with('#');
        if !blank {
            while open.last().is_some_and(|&(_, at)| indent(line) <= at) {
                open.pop();
            }
        }
        owners.push(open.last().map(|&(def, _)| def));
        if !blank && is_definition(lines, i as u32 + 1) {
            open.push((i as u32 + 1, indent(line)));
        }
    }
    owners
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call_tree::{CallNode, CallTree, Frame};
    use crate::line_profile::{LineProfile, LineStat};
    use crate::thread_calls::ThreadCalls;

    const SOURCE: &str = "ids = list(range(3000))

@staticmethod
def unused():
    pass

def dedupe(ids):
    seen = []
    for i in ids:
        if i not in seen:
            seen.append(i)
    return seen

unique = dedupe(ids)
";

    fn line(line: u32, seconds: f64) -> LineStat {
        LineStat {
            file: "slow".into(),
            line,
            hits: 1,
            seconds,
            peak_bytes: None,
        }
    }

    /// `dedupe` spends `own` of its own, the module `module_own`.
    fn trace(own: f64, module_own: f64, lines: Vec<LineStat>) -> TraceProfile {
        TraceProfile {
            tracer: "sys.settrace".into(),
            hook_seconds: 0.0,
            hook_share: None,
            lines: LineProfile {
                total_seconds: 1.0,
                lines,
                dropped_hits: 0,
            },
            threads: vec![ThreadCalls::main_thread(CallTree {
                frames: vec![
                    Frame::new("<module>", "slow", 1),
                    Frame::new("dedupe", "slow", 7),
                ],
                nodes: vec![
                    CallNode {
                        frame: 0,
                        parent: None,
                        calls: 1,
                        inclusive: own + module_own,
                        own: module_own,
                    },
                    CallNode {
                        frame: 1,
                        parent: Some(0),
                        calls: 1,
                        inclusive: own,
                        own,
                    },
                ],
                folded_calls: 0,
            })],
        }
    }

    fn lines() -> Vec<LineStat> {
        vec![
            line(1, 0.01),
            line(9, 0.05),
            line(10, 0.7),
            line(11, 0.1),
            line(14, 0.95),
        ]
    }

    #[test]
    fn the_hot_line_is_in_the_function_with_the_most_own_time() {
        let hot = hottest_line(&trace(0.9, 0.05, lines()), &["slow"], SOURCE).unwrap();
        assert_eq!(hot.line, 10, "not line 14, which only calls dedupe");
        assert_eq!(hot.text, "if i not in seen:");
        assert_eq!(hot.function, "dedupe");
        assert!((hot.share - 0.7).abs() < 1e-12);
    }

    #[test]
    fn top_level_time_ranks_top_level_lines() {
        let hot = hottest_line(&trace(0.01, 0.9, lines()), &["slow"], SOURCE).unwrap();
        assert_eq!(hot.line, 14);
        assert_eq!(hot.function, "<module>");
    }

    #[test]
    fn other_files_and_empty_profiles_give_nothing() {
        assert_eq!(
            hottest_line(&trace(0.9, 0.05, lines()), &["fixed"], SOURCE),
            None
        );
        assert_eq!(
            hottest_line(&trace(0.9, 0.05, vec![]), &["slow"], SOURCE),
            None
        );
    }

    #[test]
    fn bodies_follow_indentation_past_decorators() {
        let source: Vec<&str> = SOURCE.lines().collect();
        let owners = owners(&source);
        assert_eq!(owners[4], Some(4), "`pass` is unused's");
        assert_eq!(owners[9], Some(7));
        assert_eq!(owners[13], None, "back at the top after the body");
        assert_eq!(definition_line(&source, 3), 4);
    }
}
