//! Runs a comparison under CPython with the same method (`--python PATH`):
//! pyrace generates the timing functions, the reference harness script runs
//! them, and pyrace analyses the samples, so both engines' figures differ
//! only in the interpreter that produced them.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Child, Command, Stdio};

use pyrace_model::analysis::analyze;
use pyrace_model::reference_spec::reference_spec;
use pyrace_model::{Comparison, Measurements, PyError, PyErrorKind, RunRequest};
use serde::Deserialize;

/// The reference harness, run with `python -c`, after the profiler's code
/// (its `StatementMeter` measures each statement's memory).
fn script() -> String {
    format!(
        "{}\n{}",
        include_str!("../python/pyrace_profiler.py"),
        include_str!("../python/reference_harness.py")
    )
}

#[derive(Deserialize)]
struct Reply {
    measurements: Measurements,
    errors: Vec<ReferenceError>,
}

/// A variant that failed under the reference interpreter, as the
/// reference harness's `describe` writes it.
#[derive(Deserialize)]
struct ReferenceError {
    variant: String,
    exc_type: String,
    message: String,
    part: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    traceback: String,
}

impl ReferenceError {
    fn into_py_error(self) -> (String, PyError) {
        let kind = if self.exc_type == "SyntaxError" {
            PyErrorKind::Syntax
        } else {
            PyErrorKind::Exception
        };
        let error = PyError {
            kind,
            exc_type: self.exc_type,
            message: self.message,
            part: self.part,
            line: self.line,
            column: self.column,
            traceback: self.traceback,
        };
        (self.variant, error)
    }
}

/// What CPython measured: its comparison, and the variants that failed
/// there, by name.
pub type Reference = (Comparison, BTreeMap<String, PyError>);

/// Starts `command` (a CPython named `python`, for messages) and writes
/// `input` to its stdin, which is then closed.
pub(crate) fn start_python(
    command: &mut Command,
    python: &str,
    input: &str,
) -> Result<Child, String> {
    let mut child = command
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {python}: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(input.as_bytes())
        .map_err(|e| format!("cannot talk to {python}: {e}"))?;
    Ok(child)
}

/// Measures `request` under the Python at `python`.
pub fn compare(python: &str, request: &RunRequest) -> Result<Reference, String> {
    let spec = reference_spec(request);
    let mut command = Command::new(python);
    command
        .args(["-c", &script()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = start_python(&mut command, python, &spec.to_string())?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{python} failed: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{python} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let reply: Reply = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("unexpected reply from {python}: {e}"))?;
    let errors = reply
        .errors
        .into_iter()
        .map(ReferenceError::into_py_error)
        .collect();
    Ok((analyze(&reply.measurements), errors))
}
