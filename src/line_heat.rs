//! What the editors' time-per-line gutters show (`www/app/line-heat.js`
//! draws them): for each engine that traced a pane's program, each line's
//! share of the program's time, its hits, and the figures of its title.

use pyrace_model::{EngineId, LineStat};
use serde::Serialize;
use serde_json::json;

use crate::format;
use crate::state::Runs;

#[derive(Serialize)]
struct HeatLine {
    line: u32,
    share: f64,
    label: String,
    title: String,
}

/// A figure in at most three characters: `7`, `62`, `4.5`.
fn short(value: f64) -> String {
    if value >= 9.95 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Hits in a few characters: `×7`, `×20k`, `×1.5M`.
fn hits_short(hits: u64) -> String {
    match hits {
        0..1_000 => format!("×{hits}"),
        1_000..1_000_000 => format!("×{}k", short(hits as f64 / 1e3)),
        _ => format!("×{}M", short(hits as f64 / 1e6)),
    }
}

fn heat_line(engine: EngineId, line: &LineStat, share: f64) -> HeatLine {
    let percent = format!("{}%", short(share * 100.0));
    HeatLine {
        line: line.line,
        share,
        label: format!("{percent} {}", hits_short(line.hits)),
        title: format!(
            "Line {} on {}: {} hits, {} in all, {} per hit ({percent} of the program's time, callees included; measured under the line tracer, which slows every line)",
            line.line,
            engine.label(),
            line.hits,
            format::duration(line.seconds),
            format::duration(line.per_hit()),
        ),
    }
}

/// The gutters' JSON for the pane `key`'s program: one column per engine
/// whose part of the last run traced it; empty when none did.
pub fn line_heat_json(runs: &Runs, key: u32) -> String {
    let columns: Vec<_> = EngineId::ALL
        .into_iter()
        .filter_map(|engine| {
            let run = runs.part(engine)?;
            let name = run.name_of(key)?;
            let trace = run.traces.get(name)?;
            let lines: Vec<HeatLine> = run
                .program_lines(name)
                .into_iter()
                .map(|line| heat_line(engine, line, trace.lines.share(line).clamp(0.0, 1.0)))
                .collect();
            (!lines.is_empty()).then(|| json!({"engine": engine.label(), "lines": lines}))
        })
        .collect();
    if columns.is_empty() {
        String::new()
    } else {
        serde_json::Value::from(columns).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, Draft, Playground};
    use pyrace_model::{RunEvent, TraceProfile};

    #[test]
    fn a_traced_pane_gets_a_column_of_its_own_lines() {
        let mut playground = Playground::new(Draft::default());
        let run = playground.prepare_run().unwrap();
        let run_id = run.request.run_id;
        let (key, name) = run.panes[0].clone();
        playground.apply(Action::Start(Box::new(run)));
        assert_eq!(
            line_heat_json(&playground.runs, key),
            "",
            "nothing traced yet"
        );
        let profile = TraceProfile::from_tracer_json(&format!(
            r#"{{"tracer":"sys.settrace","total_seconds":2.0,
            "lines":[["{name}",3,20000,1.5,null],["{name}",1,1,0.5,null],["setup",1,1,9.0,null]],
            "dropped_hits":0,"threads":[]}}"#
        ))
        .unwrap();
        playground.apply(Action::Event(
            EngineId::Rustpython,
            Box::new(RunEvent::Traced {
                run_id,
                variant: name,
                profile,
            }),
        ));
        let json: serde_json::Value =
            serde_json::from_str(&line_heat_json(&playground.runs, key)).unwrap();
        let columns = json.as_array().unwrap();
        assert_eq!(columns.len(), 1);
        assert_eq!(columns[0]["engine"], "RustPython");
        let lines = columns[0]["lines"].as_array().unwrap();
        assert_eq!(lines.len(), 2, "the setup's line is not the pane's");
        assert_eq!(lines[1]["line"], 3);
        assert_eq!(lines[1]["share"], 0.75);
        assert_eq!(lines[1]["label"], "75% ×20k");
        let title = lines[1]["title"].as_str().unwrap();
        assert!(
            title.contains("20000 hits") && title.contains("75.0 µs per hit"),
            "{title}"
        );
    }

    #[test]
    fn hit_counts_stay_short() {
        assert_eq!(hits_short(7), "×7");
        assert_eq!(hits_short(20_000), "×20k");
        assert_eq!(hits_short(1_500_000), "×1.5M");
        assert_eq!(short(100.0), "100");
        assert_eq!(short(0.04), "0.0");
    }
}
