//! What the engines' tracer (`engine/python/pyrace_profiler.py`) measured
//! of one program run: its lines (all threads' together) and one call tree
//! per thread, read from the compact JSON the tracer writes on either
//! engine and held to the model's bounds.

use serde::{Deserialize, Serialize};

use crate::call_tree::{CallNode, CallTree, Frame};
use crate::line_profile::{LineProfile, LineStat};
use crate::thread_calls::{self, ThreadCalls};

/// The line profile and call trees of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceProfile {
    /// The hook the tracer used: `sys.monitoring` or `sys.settrace`.
    pub tracer: String,
    /// Seconds taken out of the figures per hook call: what calling a hook
    /// costs, measured when the tracer started. 0 when that cost is left
    /// in (where the clock is too coarse to measure it), as line_profiler
    /// leaves it in.
    #[serde(default)]
    pub hook_seconds: f64,
    /// The share (0–1) of the traced time that calling the hooks took, by
    /// the same measurement, whether taken out or left in; None where it
    /// was not measured.
    #[serde(default)]
    pub hook_share: Option<f64>,
    /// Every thread's lines together; `total_seconds` is the time of all
    /// threads added up, which each line's share is of.
    pub lines: LineProfile,
    /// One call tree per thread, the main thread's first
    /// (`thread_calls::ordered`).
    pub threads: Vec<ThreadCalls>,
}

/// The tracer's reply: rows as arrays, to keep a large profile small.
#[derive(Deserialize)]
struct Reply {
    tracer: String,
    #[serde(default)]
    bias_seconds: f64,
    #[serde(default)]
    hook_share: Option<f64>,
    total_seconds: f64,
    /// `[file, line, hits, seconds, peak bytes or null]`.
    lines: Vec<(String, u32, u64, f64, Option<f64>)>,
    dropped_hits: u64,
    threads: Vec<ReplyThread>,
}

/// One thread of the tracer's reply.
#[derive(Deserialize)]
struct ReplyThread {
    name: String,
    ident: u64,
    main: bool,
    /// `[name, file, first line]`.
    frames: Vec<(String, String, u32)>,
    /// `[frame, parent or -1, calls, inclusive, own]`.
    nodes: Vec<(u32, i64, u64, f64, f64)>,
    folded_calls: u64,
}

impl ReplyThread {
    fn into_calls(self) -> ThreadCalls {
        let calls = CallTree {
            frames: self
                .frames
                .into_iter()
                .map(|(name, file, line)| Frame { name, file, line })
                .collect(),
            nodes: self
                .nodes
                .into_iter()
                .map(|(frame, parent, calls, inclusive, own)| CallNode {
                    frame,
                    parent: u32::try_from(parent).ok(),
                    calls,
                    inclusive,
                    own,
                })
                .collect(),
            folded_calls: self.folded_calls,
        };
        ThreadCalls {
            name: self.name,
            ident: self.ident,
            main: self.main,
            calls,
        }
    }
}

impl TraceProfile {
    /// Reads the tracer's JSON reply.
    pub fn from_tracer_json(json: &str) -> Result<TraceProfile, String> {
        let reply: Reply =
            serde_json::from_str(json).map_err(|e| format!("unreadable profile: {e}"))?;
        let lines = reply
            .lines
            .into_iter()
            .map(|(file, line, hits, seconds, peak)| LineStat {
                file,
                line,
                hits,
                seconds,
                peak_bytes: peak.map(|b| b.max(0.0) as u64),
            })
            .collect();
        let lines = LineProfile {
            total_seconds: reply.total_seconds,
            lines,
            dropped_hits: reply.dropped_hits,
        }
        .bounded();
        let threads = thread_calls::ordered(
            reply
                .threads
                .into_iter()
                .map(ReplyThread::into_calls)
                .collect(),
        )?;
        Ok(TraceProfile {
            tracer: reply.tracer,
            hook_seconds: reply.bias_seconds,
            hook_share: reply.hook_share.map(|s| s.clamp(0.0, 1.0)),
            lines,
            threads,
        })
    }

    /// How much of the traced time calling the hooks took, in words:
    /// "about 65 %", or "nearly all" from 95 % on (a calibration reads
    /// within a few percent at best, and the share is capped at the whole).
    pub fn hook_share_words(share: f64) -> String {
        if share >= 0.95 {
            "nearly all".to_owned()
        } else {
            format!("about {:.0} %", 100.0 * share)
        }
    }

    /// The call tree of the thread that ran the program.
    pub fn main_calls(&self) -> Option<&CallTree> {
        self.threads.iter().find(|t| t.main).map(|t| &t.calls)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hooks_share_is_read_and_kept_within_the_whole() {
        let reply = |share: &str| {
            format!(
                r#"{{"tracer":"sys.settrace","total_seconds":1.0,"hook_share":{share},
                "lines":[],"dropped_hits":0,"threads":[]}}"#
            )
        };
        let share = |share: &str| {
            TraceProfile::from_tracer_json(&reply(share))
                .unwrap()
                .hook_share
        };
        assert_eq!(share("0.93"), Some(0.93));
        assert_eq!(share("1.4"), Some(1.0), "a share of the whole at most");
        assert_eq!(share("null"), None, "not measured");
        assert_eq!(TraceProfile::hook_share_words(0.654), "about 65 %");
        assert_eq!(TraceProfile::hook_share_words(1.0), "nearly all");
        let without = r#"{"tracer":"sys.settrace","total_seconds":1.0,
            "lines":[],"dropped_hits":0,"threads":[]}"#;
        assert_eq!(
            TraceProfile::from_tracer_json(without).unwrap().hook_share,
            None
        );
    }

    #[test]
    fn the_tracers_reply_reads_as_lines_and_a_tree() {
        let json = r#"{"tracer":"sys.settrace","total_seconds":2.0,
            "lines":[["prog",3,100,1.5,2048],["prog",1,1,0.5,null]],"dropped_hits":0,
            "threads":[{"name":"MainThread","ident":5,"main":true,
            "frames":[["<module>","prog",1],["hot","prog",2]],
            "nodes":[[0,-1,1,2.0,0.5],[1,0,100,1.5,1.5]],"folded_calls":0}]}"#;
        let profile = TraceProfile::from_tracer_json(json).unwrap();
        assert_eq!(profile.tracer, "sys.settrace");
        assert_eq!(
            profile.hook_seconds, 0.0,
            "left in when the reply names none"
        );
        let top = profile.lines.ranked()[0];
        assert_eq!((top.line, top.hits, top.peak_bytes), (3, 100, Some(2048)));
        assert!((profile.lines.share(top) - 0.75).abs() < 1e-12);
        let calls = profile.main_calls().unwrap();
        assert_eq!(calls.nodes[1].parent, Some(0));
        assert_eq!(calls.nodes[0].parent, None);
        assert_eq!(calls.total(), 2.0);
        assert_eq!(
            (profile.threads[0].name.as_str(), profile.threads[0].ident),
            ("MainThread", 5)
        );
    }

    #[test]
    fn a_reply_whose_tree_points_nowhere_is_refused() {
        let json = r#"{"tracer":"x","total_seconds":1.0,"lines":[],"dropped_hits":0,
            "threads":[{"name":"MainThread","ident":1,"main":true,
            "frames":[],"nodes":[[3,-1,1,1.0,1.0]],"folded_calls":0}]}"#;
        assert!(TraceProfile::from_tracer_json(json).is_err());
        assert!(TraceProfile::from_tracer_json("{").is_err());
    }

    #[test]
    fn each_thread_gets_its_tree_the_main_thread_first() {
        // The tracer lists threads as it met them: a worker first here.
        let json = r#"{"tracer":"sys.settrace","total_seconds":4.0,
            "lines":[["prog",2,10,1.0,null],["prog",5,10,3.0,null]],"dropped_hits":0,
            "threads":[
            {"name":"Thread-1 (work_a)","ident":7,"main":false,
             "frames":[["work_a","prog",1]],"nodes":[[0,-1,1,1.0,1.0]],"folded_calls":0},
            {"name":"Thread-2 (work_b)","ident":8,"main":false,
             "frames":[["work_b","prog",4]],"nodes":[[0,-1,1,2.5,2.5]],"folded_calls":0},
            {"name":"MainThread","ident":1,"main":true,
             "frames":[["<module>","prog",1]],"nodes":[[0,-1,1,0.5,0.5]],"folded_calls":0}]}"#;
        let profile = TraceProfile::from_tracer_json(json).unwrap();
        let order: Vec<(&str, &str)> = profile
            .threads
            .iter()
            .map(|t| (t.name.as_str(), t.calls.frames[0].name.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("MainThread", "<module>"),
                ("Thread-2 (work_b)", "work_b"),
                ("Thread-1 (work_a)", "work_a")
            ]
        );
        // The lines stay one table, of all threads' time.
        assert_eq!(profile.lines.lines.len(), 2);
        assert!((profile.lines.share(&profile.lines.lines[1]) - 0.75).abs() < 1e-12);
        assert_eq!(profile.main_calls().unwrap().total(), 0.5);
    }
}
