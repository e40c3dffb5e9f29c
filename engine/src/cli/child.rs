//! `pyrace` as a Python executable: `multiprocessing` starts each child
//! process as `sys.executable [-B -s …] -c CODE ARGS…`, so the CLI accepts
//! that form and runs CODE as CPython would. Each child is an engine of its
//! own, with its own memory: real processes, spawn semantics.

use std::sync::{Arc, Mutex};

use pyrace_engine::{Session, SessionOptions};
use pyrace_model::{HarnessOptions, Mode, OutputStream, RunEvent, RunRequest, RunStatus, Variant};

/// Environment variable through which a `--json` run asks its child
/// processes to write their output as JSON events too.
pub const EVENTS_ENV: &str = "PYRACE_CHILD_EVENTS";

/// CPython options that take no value, accepted and ignored.
const FLAGS: &[&str] = &[
    "-B", "-s", "-E", "-I", "-S", "-u", "-O", "-OO", "-b", "-bb", "-q", "-P", "-R",
];
/// CPython options that take a value, accepted and ignored.
const VALUED: &[&str] = &["-X", "-W"];

/// Runs a Python-style invocation (`pyrace [flags] -c CODE ARGS…`); `None`
/// when `args` is not one.
pub fn run(args: &[String]) -> Option<i32> {
    let mut i = 1;
    while i < args.len() {
        let arg = args[i].as_str();
        if arg == "-c" {
            let code = args.get(i + 1)?.clone();
            let argv: Vec<String> = std::iter::once("-c".to_owned())
                .chain(args[i + 2..].iter().cloned())
                .collect();
            return Some(run_code(code, argv));
        } else if FLAGS.contains(&arg) {
            i += 1;
        } else if VALUED.contains(&arg) {
            i += 2;
        } else {
            return None;
        }
    }
    None
}

fn run_code(code: String, argv: Vec<String>) -> i32 {
    let run_id = std::env::var(EVENTS_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    // `sys.exit(n)` ends a child with status n, as it ends CPython.
    let exit_status: Arc<Mutex<Option<i32>>> = Arc::default();
    let status_slot = Arc::clone(&exit_status);
    let session = Session::new(
        SessionOptions {
            argv: Some(argv),
            ..SessionOptions::default()
        },
        Arc::new(move |event| {
            if let RunEvent::Error { error, .. } = &event
                && error.exc_type == "SystemExit"
            {
                *status_slot.lock().unwrap() = Some(error.message.parse().unwrap_or(1));
            }
            forward(event, run_id)
        }),
    );
    let request = RunRequest {
        run_id: run_id.unwrap_or(0),
        mode: Mode::Run,
        setup: String::new(),
        variants: vec![Variant::new("<string>", code)],
        options: HarnessOptions::default(),
    };
    match session.execute(&request) {
        RunStatus::Ok => 0,
        _ => exit_status.lock().unwrap().unwrap_or(1),
    }
}

/// A child shows only what its program writes: as the parent's JSON events
/// when the parent prints JSON, else as plain text on the inherited streams.
fn forward(event: RunEvent, json_run_id: Option<u64>) {
    use std::io::Write;
    match (event, json_run_id) {
        (RunEvent::Output { stream, text, .. }, Some(run_id)) => {
            super::print_json_value(&RunEvent::Output {
                run_id,
                stream,
                text,
                variant: None,
            });
        }
        (
            RunEvent::Output {
                stream: OutputStream::Stdout,
                text,
                ..
            },
            None,
        ) => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
        (
            RunEvent::Output {
                stream: OutputStream::Stderr,
                text,
                ..
            },
            None,
        ) => {
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
        (RunEvent::Error { error, .. }, _) if error.exc_type != "SystemExit" => {
            let _ = std::io::stderr().write_all(error.traceback.as_bytes());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_python_style_invocations_are_taken() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(run(&args(&["pyrace", "compare", "a=1"])), None);
        assert_eq!(run(&args(&["pyrace", "-B", "-X"])), None);
        assert_eq!(run(&args(&["pyrace", "--help"])), None);
        assert_eq!(run(&args(&["pyrace", "-B", "-s"])), None);
    }
}
