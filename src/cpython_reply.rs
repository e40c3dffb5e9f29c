//! The end of a run on CPython: the worker replies with its raw
//! `Measurements` (timing modes) and how the run ended; the app analyses
//! them with `model::analysis`, the very code that turns RustPython's
//! samples into figures, and ends the run with the events RustPython's
//! engine would have sent.

use pyrace_model::analysis::analyze;
use pyrace_model::{Measurements, RunEvent, RunStatus};
use serde::Deserialize;

/// What the CPython worker says when a run ends.
#[derive(Debug, Deserialize)]
pub struct CpythonReply {
    pub status: RunStatus,
    pub elapsed: f64,
    /// The samples of a timing run; `None` in Run mode or when stopped early.
    #[serde(default)]
    pub measurements: Option<Measurements>,
}

/// The events that end run `run_id` after `reply`: each variant's figures
/// and the comparison (when there are samples), then `Finished`.
pub fn closing_events(run_id: u64, reply: &CpythonReply) -> Vec<RunEvent> {
    let mut events = Vec::new();
    if let Some(measurements) = reply
        .measurements
        .as_ref()
        .filter(|m| m.sizes.iter().any(|s| !s.variants.is_empty()))
    {
        let comparison = analyze(measurements);
        for result in &comparison.variants {
            events.push(RunEvent::VariantDone {
                run_id,
                result: result.clone(),
            });
        }
        events.push(RunEvent::Result { run_id, comparison });
    }
    events.push(RunEvent::Finished {
        run_id,
        status: reply.status,
        elapsed: reply.elapsed,
    });
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timing_reply_becomes_figures_through_the_shared_analysis() {
        let json = r#"{"status":"ok","elapsed":1.5,"measurements":{
            "engine":"CPython 3.14.2","elapsed":1.5,"budget_exhausted":false,
            "sizes":[{"n":null,
              "baseline":{"name":"(empty statement)","loops":1000,"unroll":1,"samples":[1e-8,1e-8,1e-8]},
              "variants":[
                {"name":"list","loops":10,"unroll":1,"samples":[1e-4,1.1e-4,0.9e-4,1e-4,1e-4]},
                {"name":"set","loops":100000,"unroll":20,"samples":[3e-8,3e-8,3e-8,3e-8,3e-8]}]}]}}"#;
        let reply: CpythonReply = serde_json::from_str(json).unwrap();
        let events = closing_events(4, &reply);
        let Some(RunEvent::Result { comparison, .. }) = events.iter().rev().nth(1) else {
            panic!("a result before finished: {events:?}")
        };
        assert_eq!(comparison.engine, "CPython 3.14.2");
        let list = comparison.variant("list").unwrap();
        assert!(
            list.ratio.value > 1000.0,
            "net of the baseline: {}",
            list.ratio.value
        );
        assert!(matches!(
            events.last(),
            Some(RunEvent::Finished {
                status: RunStatus::Ok,
                ..
            })
        ));
    }

    #[test]
    fn a_run_mode_reply_only_finishes() {
        let reply: CpythonReply =
            serde_json::from_str(r#"{"status":"stopped","elapsed":0.2,"measurements":null}"#)
                .unwrap();
        assert_eq!(
            closing_events(2, &reply),
            vec![RunEvent::Finished {
                run_id: 2,
                status: RunStatus::Stopped,
                elapsed: 0.2
            }]
        );
    }
}
