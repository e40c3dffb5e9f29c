//! What the engines' tracer (`engine/python/pyrace_profiler.py`) measured
//! of one program run: its lines and its call tree, read from the compact
//! JSON the tracer writes on either engine and held to the model's bounds.

use serde::{Deserialize, Serialize};

use crate::call_tree::{CallNode, CallTree, Frame};
use crate::line_profile::{LineProfile, LineStat};

/// The line profile and call tree of one run.
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
    pub lines: LineProfile,
    pub calls: CallTree,
}

/// The tracer's reply: rows as arrays, to keep a large profile small.
#[derive(Deserialize)]
struct Reply {
    tracer: String,
    #[serde(default)]
    bias_seconds: f64,
    total_seconds: f64,
    /// `[file, line, hits, seconds, peak bytes or null]`.
    lines: Vec<(String, u32, u64, f64, Option<f64>)>,
    dropped_hits: u64,
    /// `[name, file, first line]`.
    frames: Vec<(String, String, u32)>,
    /// `[frame, parent or -1, calls, inclusive, own]`.
    nodes: Vec<(u32, i64, u64, f64, f64)>,
    folded_calls: u64,
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
        let calls = CallTree {
            frames: reply
                .frames
                .into_iter()
                .map(|(name, file, line)| Frame { name, file, line })
                .collect(),
            nodes: reply
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
            folded_calls: reply.folded_calls,
        }
        .bounded()?;
        Ok(TraceProfile {
            tracer: reply.tracer,
            hook_seconds: reply.bias_seconds,
            lines,
            calls,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tracers_reply_reads_as_lines_and_a_tree() {
        let json = r#"{"tracer":"sys.settrace","total_seconds":2.0,
            "lines":[["prog",3,100,1.5,2048],["prog",1,1,0.5,null]],"dropped_hits":0,
            "frames":[["<module>","prog",1],["hot","prog",2]],
            "nodes":[[0,-1,1,2.0,0.5],[1,0,100,1.5,1.5]],"folded_calls":0}"#;
        let profile = TraceProfile::from_tracer_json(json).unwrap();
        assert_eq!(profile.tracer, "sys.settrace");
        assert_eq!(
            profile.hook_seconds, 0.0,
            "left in when the reply names none"
        );
        let top = profile.lines.ranked()[0];
        assert_eq!((top.line, top.hits, top.peak_bytes), (3, 100, Some(2048)));
        assert!((profile.lines.share(top) - 0.75).abs() < 1e-12);
        assert_eq!(profile.calls.nodes[1].parent, Some(0));
        assert_eq!(profile.calls.nodes[0].parent, None);
        assert_eq!(profile.calls.total(), 2.0);
    }

    #[test]
    fn a_reply_whose_tree_points_nowhere_is_refused() {
        let json = r#"{"tracer":"x","total_seconds":1.0,"lines":[],"dropped_hits":0,
            "frames":[],"nodes":[[3,-1,1,1.0,1.0]],"folded_calls":0}"#;
        assert!(TraceProfile::from_tracer_json(json).is_err());
        assert!(TraceProfile::from_tracer_json("{").is_err());
    }
}
