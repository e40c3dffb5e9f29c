//! CPython's adapter: its worker (`www/cpython/` through
//! `www/app/cpython-glue.js`) times a request with the reference harness's
//! spec, which pyrace writes from the request here ([`reference_spec`]; none
//! in Run mode), streams its samples, output and errors, and replies with
//! how the run ended and the raw `Measurements` as Python wrote them. The figures are made here,
//! with `model::analysis` — the very code that turns RustPython's samples
//! into figures — and the part ends with the events RustPython's engine
//! would have sent.

use pyrace_model::analysis::analyze;
use pyrace_model::reference_spec::reference_spec;
use pyrace_model::{Measurements, Mode, RunEvent, RunRequest, RunStatus};
use serde::Deserialize;

use super::EngineAdapter;

pub struct Cpython;

/// How a run on CPython ended (`www/protocol.js` `cpythonReplyJson`).
#[derive(Debug, Deserialize)]
struct Reply {
    status: RunStatus,
    elapsed: f64,
    /// What the timing modes' `time_spec` returned; `None` in Run mode or
    /// when the run did not get that far (stopped, crashed).
    timing: Option<Timing>,
}

/// What `pyrace_cpython.py`'s `time_spec` returns.
#[derive(Debug, Deserialize)]
struct Timing {
    /// The raw samples, for the analysis here.
    measurements: Option<Measurements>,
    /// A variant failed (its `VariantError` was sent): the run failed.
    failed: bool,
}

impl EngineAdapter for Cpython {
    fn input(&self, request: &RunRequest) -> String {
        match request.mode {
            Mode::Run => String::new(),
            _ => reference_spec(request).to_string(),
        }
    }

    fn closing_events(&self, run_id: u64, reply: &str) -> Result<Vec<RunEvent>, String> {
        let reply: Reply =
            serde_json::from_str(reply).map_err(|e| format!("unreadable reply ({e})"))?;
        Ok(closing_events(run_id, &reply))
    }
}

/// The events that end run `run_id` after `reply`: each variant's figures
/// and the comparison (when there are samples), then `Finished`.
fn closing_events(run_id: u64, reply: &Reply) -> Vec<RunEvent> {
    let mut events = Vec::new();
    if let Some(measurements) = reply
        .timing
        .as_ref()
        .and_then(|timing| timing.measurements.as_ref())
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
    let failed = reply.timing.as_ref().is_some_and(|timing| timing.failed);
    events.push(RunEvent::Finished {
        run_id,
        status: match reply.status {
            RunStatus::Ok if failed => RunStatus::Failed,
            status => status,
        },
        elapsed: reply.elapsed,
    });
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timing_reply_becomes_figures_through_the_shared_analysis() {
        let json = r#"{"status":"ok","elapsed":1.5,"timing":{"failed":false,"measurements":{
            "engine":"CPython 3.14.2","elapsed":1.5,"budget_exhausted":false,
            "sizes":[{"n":null,
              "baseline":{"name":"(empty statement)","loops":1000,"unroll":1,"samples":[1e-8,1e-8,1e-8]},
              "variants":[
                {"name":"list","loops":10,"unroll":1,"samples":[1e-4,1.1e-4,0.9e-4,1e-4,1e-4]},
                {"name":"set","loops":100000,"unroll":20,"samples":[3e-8,3e-8,3e-8,3e-8,3e-8]}]}]}}}"#;
        let events = Cpython.closing_events(4, json).unwrap();
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
        let reply = r#"{"status":"stopped","elapsed":0.2,"timing":null}"#;
        assert_eq!(
            Cpython.closing_events(2, reply).unwrap(),
            vec![RunEvent::Finished {
                run_id: 2,
                status: RunStatus::Stopped,
                elapsed: 0.2
            }]
        );
    }

    #[test]
    fn a_failed_variant_fails_the_run() {
        let reply = r#"{"status":"ok","elapsed":0.3,"timing":{"measurements":null,"failed":true}}"#;
        assert!(matches!(
            Cpython.closing_events(2, reply).unwrap().as_slice(),
            [RunEvent::Finished {
                status: RunStatus::Failed,
                ..
            }]
        ));
    }

    #[test]
    fn an_unreadable_reply_says_so() {
        let error = Cpython.closing_events(2, "").unwrap_err();
        assert!(error.starts_with("unreadable reply"), "{error}");
    }

    #[test]
    fn run_mode_needs_no_spec_and_timing_modes_get_the_reference_spec() {
        let mut request = RunRequest {
            run_id: 1,
            mode: Mode::Compare,
            setup: String::new(),
            variants: vec![pyrace_model::Variant::new("a", "x = 1")],
            options: Default::default(),
        };
        let spec: serde_json::Value = serde_json::from_str(&Cpython.input(&request)).unwrap();
        assert!(spec.is_object(), "{spec}");
        request.mode = Mode::Run;
        assert_eq!(Cpython.input(&request), "");
    }
}
