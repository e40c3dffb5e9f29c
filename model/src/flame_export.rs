//! A profile's call trees written out for flame-graph tools: collapsed
//! stacks (`MainThread;main;work;helper 1234` lines, Brendan Gregg's
//! format, which `flamegraph.pl`, inferno and speedscope read), each stack
//! under its thread's name, and a speedscope file with one profile per
//! thread (its `sampled` profile type: one sample per path, weighted by the
//! path's own seconds; https://www.speedscope.app/file-format-schema.json).

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::call_tree::Frame;
use crate::thread_calls::ThreadCalls;

/// Where the speedscope schema lives; speedscope recognises its files by it.
pub const SPEEDSCOPE_SCHEMA: &str = "https://www.speedscope.app/file-format-schema.json";

/// A name in a collapsed stack, without the `;` that separates frames.
fn collapsed_name(name: &str) -> String {
    name.replace(';', ":")
}

/// Collapsed stacks: one line per path with own time, the thread's name
/// first, its weight in whole microseconds (paths under a microsecond are
/// left out).
pub fn collapsed(threads: &[ThreadCalls]) -> String {
    let mut out = String::new();
    for thread in threads {
        let tree = &thread.calls;
        let root = collapsed_name(&thread.name);
        for (frames, own) in tree.stacks() {
            let micros = (own * 1e6).round();
            if micros < 1.0 {
                continue;
            }
            out.push_str(&root);
            for &i in &frames {
                out.push(';');
                out.push_str(&collapsed_name(&tree.frames[i as usize].label()));
            }
            out.push_str(&format!(" {}\n", micros as u64));
        }
    }
    out
}

/// A speedscope file of `threads`, named `name` (the program): the
/// threads' frames in one shared table, one profile per thread, named for
/// it, the first (the main thread's) shown first.
pub fn speedscope(threads: &[ThreadCalls], name: &str) -> Value {
    let mut shared: Vec<&Frame> = Vec::new();
    let mut index: HashMap<&Frame, u32> = HashMap::new();
    let profiles: Vec<Value> = threads
        .iter()
        .map(|thread| {
            let tree = &thread.calls;
            // This tree's frame indices in the shared table.
            let to_shared: Vec<u32> = tree
                .frames
                .iter()
                .map(|f| {
                    *index.entry(f).or_insert_with(|| {
                        shared.push(f);
                        (shared.len() - 1) as u32
                    })
                })
                .collect();
            let (samples, weights): (Vec<Vec<u32>>, Vec<f64>) = tree
                .stacks()
                .filter(|(_, own)| *own > 0.0)
                .map(|(frames, own)| {
                    let frames = frames.iter().map(|&i| to_shared[i as usize]).collect();
                    (frames, own)
                })
                .unzip();
            json!({
                "type": "sampled",
                "name": thread.name,
                "unit": "seconds",
                "startValue": 0.0,
                "endValue": weights.iter().sum::<f64>(),
                "samples": samples,
                "weights": weights,
            })
        })
        .collect();
    let frames: Vec<Value> = shared
        .iter()
        .map(|f| json!({"name": f.name, "file": f.file, "line": f.line}))
        .collect();
    json!({
        "$schema": SPEEDSCOPE_SCHEMA,
        "exporter": format!("pyrace {}", env!("CARGO_PKG_VERSION")),
        "name": name,
        "activeProfileIndex": 0,
        "shared": {"frames": frames},
        "profiles": profiles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call_tree::CallTreeBuilder;

    fn main_thread() -> ThreadCalls {
        let mut b = CallTreeBuilder::default();
        b.enter(&Frame::new("main", "prog", 1), 0.0);
        b.enter(&Frame::new("work;x", "prog", 5), 0.25);
        b.exit(0.75);
        ThreadCalls {
            name: "MainThread".into(),
            ident: 1,
            main: true,
            calls: b.finish(1.0),
        }
    }

    /// A worker that runs `work;x` (shared with the main thread) and `spin`.
    fn worker() -> ThreadCalls {
        let mut b = CallTreeBuilder::default();
        b.enter(&Frame::new("work;x", "prog", 5), 0.0);
        b.enter(&Frame::new("spin", "prog", 9), 0.0);
        b.exit(2.0);
        ThreadCalls {
            name: "Thread-1 (work)".into(),
            ident: 2,
            main: false,
            calls: b.finish(2.0),
        }
    }

    #[test]
    fn collapsed_stacks_weigh_own_time_in_microseconds_under_their_thread() {
        assert_eq!(
            collapsed(&[main_thread()]),
            "MainThread;main (prog:1) 500000\nMainThread;main (prog:1);work:x (prog:5) 500000\n"
        );
        let both = collapsed(&[main_thread(), worker()]);
        assert!(
            both.ends_with("Thread-1 (work);work:x (prog:5);spin (prog:9) 2000000\n"),
            "{both}"
        );
        assert_eq!(both.lines().count(), 3, "the worker's own zero left out");
    }

    #[test]
    fn speedscope_files_have_the_schemas_shape() {
        let file = speedscope(&[main_thread()], "prog");
        assert_eq!(file["$schema"], SPEEDSCOPE_SCHEMA);
        assert_eq!(file["shared"]["frames"][1]["name"], "work;x");
        let profile = &file["profiles"][0];
        assert_eq!(profile["type"], "sampled");
        assert_eq!(profile["name"], "MainThread");
        assert_eq!(profile["unit"], "seconds");
        assert_eq!(profile["samples"], json!([[0], [0, 1]]));
        assert_eq!(profile["weights"], json!([0.5, 0.5]));
        assert_eq!(profile["endValue"], 1.0);
    }

    #[test]
    fn speedscope_has_a_profile_per_thread_over_one_frame_table() {
        let file = speedscope(&[main_thread(), worker()], "prog");
        let frames = file["shared"]["frames"].as_array().unwrap();
        let names: Vec<&str> = frames.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            ["main", "work;x", "spin"],
            "a frame of both threads once"
        );
        let profiles = file["profiles"].as_array().unwrap();
        assert_eq!(profiles.len(), 2);
        assert_eq!(profiles[1]["name"], "Thread-1 (work)");
        assert_eq!(profiles[1]["samples"], json!([[1, 2]]));
        assert_eq!(profiles[1]["endValue"], 2.0);
        for profile in profiles {
            for sample in profile["samples"].as_array().unwrap() {
                for index in sample.as_array().unwrap() {
                    assert!((index.as_u64().unwrap() as usize) < frames.len());
                }
            }
        }
    }
}
