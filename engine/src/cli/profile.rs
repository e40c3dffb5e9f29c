//! `pyrace profile FILE`: runs a program once under the line tracer (and,
//! with `--memory`, the memory meter), on this engine or, with `--python`,
//! on CPython by the same profiler, and prints what they measured, also
//! when the program raised or was stopped, up to that point.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyrace_engine::profile_reference::ProfileRequest;
use pyrace_engine::{Session, SessionOptions};
use pyrace_model::{
    HarnessOptions, MemoryProfile, Mode, OutputStream, PyError, PyErrorKind, RunEvent, RunRequest,
    TraceProfile, Variant, flame_export,
};

use super::args::ProfileArgs;
use super::profile_tables;

/// What one profiled run gave.
#[derive(Default)]
struct Measured {
    profile: Option<TraceProfile>,
    memory: Option<MemoryProfile>,
    error: Option<PyError>,
}

pub fn run(a: &ProfileArgs) -> i32 {
    let source = match std::fs::read_to_string(&a.file) {
        Ok(source) => source,
        Err(e) => return super::usage(&format!("cannot read {}: {e}", a.file.display())),
    };
    let name = a.file.display().to_string();
    // Memory alone runs untraced: the tracer's hooks would slow a program
    // that allocates as it loops by orders of magnitude.
    let lines = !a.memory || a.lines || a.speedscope.is_some() || a.collapsed.is_some();
    let measured = match &a.python {
        Some(python) => {
            let request = ProfileRequest {
                filename: &name,
                source: &source,
                lines,
                memory: a.memory,
                timeout: Some(a.timeout),
                output_to_stderr: a.json,
            };
            match pyrace_engine::profile_reference::profile(python, &request) {
                Ok(r) => Measured {
                    profile: r.profile,
                    memory: r.memory,
                    error: r.error,
                },
                Err(e) => {
                    eprintln!("pyrace: --python: {e}");
                    return 1;
                }
            }
        }
        None => run_here(&name, &source, lines, a),
    };
    if let Err(e) = write_exports(a, &measured, &name) {
        eprintln!("pyrace: {e}");
        return 1;
    }
    if a.json {
        print_json(&measured);
    } else {
        if let Some(profile) = &measured.profile {
            profile_tables::frames(profile);
            if a.lines {
                profile_tables::lines(profile, &source);
            }
        }
        if let Some(memory) = &measured.memory {
            profile_tables::memory(memory, measured.profile.as_ref(), &source);
        }
    }
    match &measured.error {
        None => 0,
        Some(error) => {
            eprint!("{}", error.traceback);
            if error.traceback.is_empty() {
                eprintln!("{error}");
            }
            if error.kind == PyErrorKind::Timeout {
                eprintln!(
                    "pyrace: stopped after {} s; the profile is up to there",
                    a.timeout
                );
                super::EXIT_STOPPED
            } else {
                1
            }
        }
    }
}

/// Runs the program on this engine, its output passed through (to stderr
/// with `--json`, which keeps stdout for the figures).
fn run_here(name: &str, source: &str, lines: bool, a: &ProfileArgs) -> Measured {
    let measured: Arc<Mutex<Measured>> = Arc::default();
    let json = a.json;
    let sink = {
        let measured = Arc::clone(&measured);
        Arc::new(move |event: RunEvent| {
            let mut m = measured.lock().unwrap();
            match event {
                RunEvent::Output { stream, text, .. } => {
                    if stream == OutputStream::Stderr || json {
                        let _ = std::io::stderr().write_all(text.as_bytes());
                    } else {
                        let mut out = std::io::stdout().lock();
                        let _ = out.write_all(text.as_bytes());
                        let _ = out.flush();
                    }
                }
                RunEvent::Traced { profile, .. } => m.profile = Some(profile),
                RunEvent::Memory { memory, .. } => m.memory = Some(memory),
                RunEvent::Error { error, .. } | RunEvent::VariantError { error, .. } => {
                    m.error = Some(error)
                }
                _ => {}
            }
        })
    };
    let session = Session::new(
        SessionOptions {
            call_timeout: Some(Duration::from_secs_f64(a.timeout)),
            ..SessionOptions::default()
        },
        sink,
    );
    let request = RunRequest {
        run_id: 1,
        mode: Mode::Run,
        setup: String::new(),
        variants: vec![Variant::new(name, source)],
        options: HarnessOptions {
            trace_lines: lines,
            memory: a.memory,
            ..HarnessOptions::default()
        },
    };
    session.execute(&request);
    std::mem::take(&mut *measured.lock().unwrap())
}

fn write_exports(a: &ProfileArgs, measured: &Measured, name: &str) -> Result<(), String> {
    let threads = measured.profile.as_ref().map(|p| &p.threads[..]);
    let write = |path: &std::path::Path, text: String| {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    if let (Some(path), Some(threads)) = (&a.speedscope, threads) {
        let file = flame_export::speedscope(threads, name);
        write(
            path,
            serde_json::to_string(&file).expect("JSON values serialise"),
        )?;
    }
    if let (Some(path), Some(threads)) = (&a.collapsed, threads) {
        write(path, flame_export::collapsed(threads))?;
    }
    Ok(())
}

/// One object per line of code, hottest first, then the memory object.
fn print_json(measured: &Measured) {
    if let Some(profile) = &measured.profile {
        for line in profile.lines.ranked() {
            let mut object = serde_json::json!({
                "file": line.file,
                "line": line.line,
                "hits": line.hits,
                "seconds": line.seconds,
            });
            if let Some(peak) = line.peak_bytes {
                object["peak_bytes"] = peak.into();
            }
            super::print_json_value(&object);
        }
    }
    if let Some(memory) = &measured.memory {
        super::print_json_value(&serde_json::json!({
            "peak_bytes": memory.peak_bytes,
            "allocated_bytes": memory.allocated_bytes,
            "allocations": memory.allocations,
            "retained_bytes": memory.retained_bytes,
            "source": memory.source,
        }));
    }
}
