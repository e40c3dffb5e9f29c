//! The `pyrace` command line: argument parsing, turning arguments into a
//! `RunRequest`, and printing the events of its run.

mod args;
mod cells;
mod child;
mod lesson;
mod lesson_block;
mod profile;
mod profile_tables;
mod render;
mod units;
mod warm;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;
use pyrace_engine::{EventSink, Session, SessionOptions};
use pyrace_model::{
    Comparison, HarnessOptions, Mode, RunEvent, RunRequest, RunStatus, Sweep, ThreadMode, Variant,
};

use args::{Cli, Command, CompareArgs};

/// Exit status when a run was stopped by its time limit (as `timeout(1)`).
pub(crate) const EXIT_STOPPED: i32 = 124;
/// Why `Thread.start()` fails in a page that cannot share memory between workers.
const THREADS_NEED_ISOLATION: &str = "threads need the full playground: this page is not \
cross-origin isolated, so Python runs on a single thread here. Open it in pyrace to run threads.";
/// Exit status for bad arguments (as clap's own usage errors).
pub(crate) const EXIT_USAGE: i32 = 2;

pub fn main() -> i32 {
    let argv: Vec<String> = std::env::args().collect();
    if let Some(status) = child::run(&argv) {
        return status;
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    match cli.command {
        Command::Run(a) => {
            let code = match std::fs::read_to_string(&a.file) {
                Ok(code) => code,
                Err(e) => return usage(&format!("cannot read {}: {e}", a.file.display())),
            };
            let request = RunRequest {
                run_id: 1,
                mode: Mode::Run,
                setup: String::new(),
                variants: vec![Variant::new(a.file.display().to_string(), code)],
                options: HarnessOptions {
                    thread_mode: thread_mode(a.gil),
                    ..HarnessOptions::default()
                },
            };
            execute(
                &request,
                a.json,
                a.timeout.map(Duration::from_secs_f64),
                None,
            )
        }
        Command::Compare(a) => match compare_request(&a) {
            Ok(request) => {
                let timeout = Some(Duration::from_secs_f64(a.timeout));
                execute(&request, a.json, timeout, a.python.as_deref())
            }
            Err(message) => usage(&message),
        },
        Command::Request => serve_request(),
        Command::Lesson(a) => lesson::run(&a),
        Command::Profile(a) => profile::run(&a),
    }
}

pub(crate) fn usage(message: &str) -> i32 {
    eprintln!(
        "pyrace: {message}\n\nUsage: pyrace compare [--setup CODE] NAME=STMT NAME=STMT …\n       pyrace compare FILE   (cells marked `#%% NAME`)\n       pyrace run FILE\n       pyrace profile [--lines] [--memory] FILE\nMore: pyrace --help"
    );
    EXIT_USAGE
}

fn thread_mode(gil: bool) -> ThreadMode {
    if gil {
        ThreadMode::Gil
    } else {
        ThreadMode::Free
    }
}

/// Builds the request of `pyrace compare` from its arguments.
fn compare_request(a: &CompareArgs) -> Result<RunRequest, String> {
    let mut setup = a.setup.clone().unwrap_or_default();
    let mut variants = Vec::new();
    for spec in &a.variants {
        if spec.ends_with(".py") && !spec.contains('=') {
            let text =
                std::fs::read_to_string(spec).map_err(|e| format!("cannot read {spec}: {e}"))?;
            let file = cells::parse(&text).map_err(|e| format!("{spec}: {e}"))?;
            if !file.setup.is_empty() {
                setup = if setup.is_empty() {
                    file.setup
                } else {
                    format!("{setup}\n{}", file.setup)
                };
            }
            variants.extend(file.variants);
        } else {
            variants.push(args::parse_variant(spec)?);
        }
    }
    if variants.is_empty() {
        return Err("nothing to compare: give NAME=STMT pairs or a cell file".into());
    }
    let sweep = a.sweep.as_deref().map(args::parse_sweep).transpose()?;
    let mode = match (&sweep, a.program) {
        (Some(_), true) => return Err("--sweep and --program cannot be combined".into()),
        (Some(_), false) => Mode::Sweep,
        (None, true) => Mode::Program,
        (None, false) => Mode::Compare,
    };
    let defaults = HarnessOptions::default();
    Ok(RunRequest {
        run_id: 1,
        mode,
        setup,
        variants,
        options: HarnessOptions {
            thread_mode: thread_mode(a.gil),
            target_sample: a.target_sample.unwrap_or(defaults.target_sample),
            budget: a.budget.unwrap_or(defaults.budget),
            min_rounds: a.min_rounds.unwrap_or(defaults.min_rounds),
            sweep: sweep.map(|(var, sizes)| Sweep { var, sizes }),
            check_result: a.same_result.clone(),
            ..defaults
        },
    })
}

/// Runs `request` on a fresh session and prints it; returns the exit status.
fn execute(
    request: &RunRequest,
    json: bool,
    timeout: Option<Duration>,
    python: Option<&str>,
) -> i32 {
    execute_for_result(request, json, timeout, python).0
}

/// As `execute`, and also hands back the comparisons measured: pyrace's and,
/// with `python`, CPython's.
pub(crate) fn execute_for_result(
    request: &RunRequest,
    json: bool,
    timeout: Option<Duration>,
    python: Option<&str>,
) -> (i32, Option<Comparison>, Option<Comparison>) {
    let result: Arc<Mutex<Option<Comparison>>> = Arc::default();
    if json {
        // SAFETY: set before the session starts any thread; nothing else
        // in this process reads or writes the environment concurrently.
        unsafe { std::env::set_var(child::EVENTS_ENV, request.run_id.to_string()) };
    }
    let show: EventSink = if json {
        Arc::new(print_json)
    } else {
        let result = Arc::clone(&result);
        Arc::new(move |event| render::event(&event, &result))
    };
    // With `--python`, CPython measures once pyrace has finished and its
    // `Reference` event is part of the run: the run's `Finished` waits for
    // it, so that it stays the last event.
    let finished: Arc<Mutex<Option<RunEvent>>> = Arc::default();
    let sink: EventSink = match python {
        Some(_) => {
            let (show, finished) = (Arc::clone(&show), Arc::clone(&finished));
            Arc::new(move |event| match event {
                RunEvent::Finished { .. } => *finished.lock().unwrap() = Some(event),
                event => show(event),
            })
        }
        None => Arc::clone(&show),
    };
    let options = SessionOptions {
        call_timeout: timeout,
        measure_gil_overhead: json,
        ..SessionOptions::default()
    };
    // Timed programs run again and again: processes they start can be
    // handed to children started between the runs.
    let session = if request.mode == Mode::Program {
        warm::session(options, sink)
    } else {
        Session::new(options, sink)
    };
    let status = session.execute(request);
    let mut cpython = None;
    let mut reference_failed = false;
    if let Some(python) = python {
        match pyrace_engine::reference::compare(python, request) {
            Ok((comparison, errors)) => {
                cpython = Some(comparison.clone());
                show(RunEvent::Reference {
                    run_id: request.run_id,
                    comparison,
                    errors,
                });
            }
            Err(e) => {
                eprintln!("pyrace: --python: {e}");
                reference_failed = true;
            }
        }
        if let Some(finished) = finished.lock().unwrap().take() {
            show(finished);
        }
    }
    let comparison = result.lock().unwrap().take();
    if reference_failed {
        return (1, comparison, None);
    }
    if python.is_none()
        && let Some(ours) = &comparison
    {
        render::table(ours);
    }
    let code = match status {
        RunStatus::Ok => 0,
        RunStatus::Failed => 1,
        RunStatus::Stopped => EXIT_STOPPED,
    };
    (code, comparison, cpython)
}

fn print_json(event: RunEvent) {
    print_json_value(&event);
}

pub(crate) fn print_json_value(value: &impl serde::Serialize) {
    let line = serde_json::to_string(value).expect("events serialise");
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// `pyrace request`: one `RunRequest` as JSON on stdin, its events as JSON
/// lines on stdout. This is how the browser host drives the engine.
fn serve_request() -> i32 {
    // The interpreter starts before the request is read: a host that starts
    // the engine ahead of time then only waits for the request, and Run
    // begins at once.
    let session = Session::new(
        SessionOptions {
            // A page is driven by messages: batch output, and cap a flood.
            output_batch: Some(Duration::from_millis(15)),
            output_limit: Some(2 * 1024 * 1024),
            call_timeout: None,
            threads_unavailable: (std::env::var("PYRACE_THREADS").as_deref() == Ok("0"))
                .then(|| THREADS_NEED_ISOLATION.to_owned()),
            measure_gil_overhead: true,
            ..SessionOptions::default()
        },
        Arc::new(print_json),
    );
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("pyrace: cannot read the request: {e}");
        return EXIT_USAGE;
    }
    let request: RunRequest = match serde_json::from_str(&input) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("pyrace: the request is not valid: {e}");
            return EXIT_USAGE;
        }
    };
    match session.execute(&request) {
        RunStatus::Ok => 0,
        RunStatus::Failed => 1,
        RunStatus::Stopped => EXIT_STOPPED,
    }
}
