//! A call tree written out for flame-graph tools: collapsed stacks
//! (`main;work;helper 1234` lines, Brendan Gregg's format, which
//! `flamegraph.pl`, inferno and speedscope read) and a speedscope file
//! (its `sampled` profile type: one sample per path, weighted by the path's
//! own seconds; https://www.speedscope.app/file-format-schema.json).

use serde_json::{Value, json};

use crate::call_tree::{CallTree, Frame};

/// Where the speedscope schema lives; speedscope recognises its files by it.
pub const SPEEDSCOPE_SCHEMA: &str = "https://www.speedscope.app/file-format-schema.json";

/// A frame's name in a collapsed stack: `name (file:line)`, without the
/// `;` that separates frames.
fn collapsed_name(frame: &Frame) -> String {
    frame.label().replace(';', ":")
}

/// Collapsed stacks: one line per path with own time, its weight in whole
/// microseconds (paths under a microsecond are left out).
pub fn collapsed(tree: &CallTree) -> String {
    let mut out = String::new();
    for (frames, own) in tree.stacks() {
        let micros = (own * 1e6).round();
        if micros < 1.0 {
            continue;
        }
        let names: Vec<String> = frames
            .iter()
            .map(|&i| collapsed_name(&tree.frames[i as usize]))
            .collect();
        out.push_str(&names.join(";"));
        out.push_str(&format!(" {}\n", micros as u64));
    }
    out
}

/// A speedscope file of `tree`, named `name` (the program).
pub fn speedscope(tree: &CallTree, name: &str) -> Value {
    let frames: Vec<Value> = tree
        .frames
        .iter()
        .map(|f| json!({"name": f.name, "file": f.file, "line": f.line}))
        .collect();
    let (samples, weights): (Vec<Vec<u32>>, Vec<f64>) =
        tree.stacks().filter(|(_, own)| *own > 0.0).unzip();
    json!({
        "$schema": SPEEDSCOPE_SCHEMA,
        "exporter": format!("pyrace {}", env!("CARGO_PKG_VERSION")),
        "name": name,
        "activeProfileIndex": 0,
        "shared": {"frames": frames},
        "profiles": [{
            "type": "sampled",
            "name": name,
            "unit": "seconds",
            "startValue": 0.0,
            "endValue": weights.iter().sum::<f64>(),
            "samples": samples,
            "weights": weights,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call_tree::CallTreeBuilder;

    fn tree() -> CallTree {
        let mut b = CallTreeBuilder::default();
        b.enter(&Frame::new("main", "prog", 1), 0.0);
        b.enter(&Frame::new("work;x", "prog", 5), 0.25);
        b.exit(0.75);
        b.finish(1.0)
    }

    #[test]
    fn collapsed_stacks_weigh_own_time_in_microseconds() {
        assert_eq!(
            collapsed(&tree()),
            "main (prog:1) 500000\nmain (prog:1);work:x (prog:5) 500000\n"
        );
    }

    #[test]
    fn speedscope_files_have_the_schemas_shape() {
        let file = speedscope(&tree(), "prog");
        assert_eq!(file["$schema"], SPEEDSCOPE_SCHEMA);
        assert_eq!(file["shared"]["frames"][1]["name"], "work;x");
        let profile = &file["profiles"][0];
        assert_eq!(profile["type"], "sampled");
        assert_eq!(profile["unit"], "seconds");
        assert_eq!(profile["samples"], json!([[0], [0, 1]]));
        assert_eq!(profile["weights"], json!([0.5, 0.5]));
        assert_eq!(profile["endValue"], 1.0);
        let frames = file["shared"]["frames"].as_array().unwrap().len();
        for sample in profile["samples"].as_array().unwrap() {
            for index in sample.as_array().unwrap() {
                assert!((index.as_u64().unwrap() as usize) < frames);
            }
        }
    }
}
