//! `pyrace profile --python PATH`: one program profiled under CPython by the
//! same profiler the engine runs (`python/pyrace_profiler.py`, then
//! `python/profile_runner.py`), so that both engines' profiles differ only
//! in the interpreter measured. The program's output goes to ours.

use std::process::{Command, Stdio};

use pyrace_model::limits::{MAX_CALL_TREE_NODES, MAX_PROFILE_LINES};
use pyrace_model::{MemoryProfile, PyError, PyErrorKind, TraceProfile};
use serde::Deserialize;

use crate::reference::start_python;
use crate::traced_run::TracerReply;

/// The profiler, then the runner, run with `python -c`.
fn script() -> String {
    format!(
        "{}\n{}",
        include_str!("../python/pyrace_profiler.py"),
        include_str!("../python/profile_runner.py")
    )
}

/// What CPython measured of the program, and how it ended.
#[derive(Debug)]
pub struct ReferenceProfile {
    pub profile: Option<TraceProfile>,
    pub memory: Option<MemoryProfile>,
    pub error: Option<PyError>,
}

#[derive(Deserialize)]
struct Reply {
    #[serde(flatten)]
    profiles: TracerReply,
    error: Option<ReplyError>,
}

#[derive(Deserialize)]
struct ReplyError {
    exc_type: String,
    message: String,
    line: Option<u32>,
    traceback: String,
    timeout: bool,
}

/// What to measure of one program, and how.
pub struct ProfileRequest<'a> {
    pub filename: &'a str,
    pub source: &'a str,
    pub lines: bool,
    pub memory: bool,
    pub timeout: Option<f64>,
    /// The program's stdout goes to our stderr (ours carries figures).
    pub output_to_stderr: bool,
}

/// Profiles the program under the Python at `python`.
pub fn profile(python: &str, r: &ProfileRequest) -> Result<ReferenceProfile, String> {
    let ProfileRequest {
        filename,
        source,
        lines,
        memory,
        timeout,
        ..
    } = *r;
    let reply_path = std::env::temp_dir().join(format!(
        "pyrace-profile-{}-{}.json",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    let request = serde_json::json!({
        "source": source,
        "filename": filename,
        "lines": lines,
        "memory": memory,
        "timeout": timeout,
        "max_lines": MAX_PROFILE_LINES,
        "max_nodes": MAX_CALL_TREE_NODES,
        "reply": reply_path.display().to_string(),
    });
    let mut command = Command::new(python);
    command.args(["-c", &script()]);
    if r.output_to_stderr {
        command.stdout(Stdio::from(std::io::stderr()));
    }
    let mut child = start_python(&mut command, python, &request.to_string())?;
    let status = child.wait().map_err(|e| format!("{python} failed: {e}"))?;
    let text = std::fs::read_to_string(&reply_path);
    let _ = std::fs::remove_file(&reply_path);
    let text = text.map_err(|_| format!("{python} ended ({status}) without a profile"))?;
    let reply: Reply =
        serde_json::from_str(&text).map_err(|e| format!("unexpected reply from {python}: {e}"))?;
    let (profile, memory) = reply.profiles.profiles()?;
    let error = reply.error.map(|e| PyError {
        kind: if e.timeout {
            PyErrorKind::Timeout
        } else if e.exc_type == "SyntaxError" {
            PyErrorKind::Syntax
        } else {
            PyErrorKind::Exception
        },
        exc_type: e.exc_type,
        message: e.message,
        part: Some(filename.to_owned()),
        line: e.line,
        column: None,
        traceback: e.traceback,
    });
    Ok(ReferenceProfile {
        profile,
        memory,
        error,
    })
}
