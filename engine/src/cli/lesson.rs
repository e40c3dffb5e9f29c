//! `pyrace lesson FILE`: runs a lesson's comparison (or, for a lesson with
//! `profile: lines`, each of its programs under the line tracer), prints
//! its table and checks its claims against what was measured. With
//! `--python`, CPython measures the same and its figures are printed as
//! the lesson's `cpython` block.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyrace_engine::profile_reference::{self, ProfileRequest};
use pyrace_engine::{Session, SessionOptions};
use pyrace_model::lesson::{self, Figures, Lesson, RunFigures};
use pyrace_model::{Comparison, HarnessOptions, RunEvent, RunRequest, RunStatus, TraceProfile};

use super::args::LessonArgs;
use super::{EXIT_USAGE, execute_for_result, lesson_block, render};

/// Exit status when the lesson ran but a claim did not hold.
const EXIT_CLAIM_FAILED: i32 = 1;

/// A run of a variant longer than this is a bug in the lesson, not a lesson.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

pub fn run(a: &LessonArgs) -> i32 {
    let name = a.file.display().to_string();
    let text = match std::fs::read_to_string(&a.file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("pyrace: cannot read {name}: {e}");
            return EXIT_USAGE;
        }
    };
    let lesson = match lesson::parse(&name, &text) {
        Ok(lesson) => lesson,
        Err(e) => {
            eprintln!("pyrace: {e}");
            return EXIT_USAGE;
        }
    };
    println!("{} ({})\n", lesson.title, lesson.topic);
    let mut request = lesson.request(HarnessOptions::default());
    if let Some(budget) = a.budget {
        request.options.budget = budget;
    }
    if lesson.profile {
        return run_profiled(&lesson, &request, a.python.as_deref());
    }
    let (status, ours, cpython) =
        execute_for_result(&request, false, Some(CALL_TIMEOUT), a.python.as_deref());
    if status != 0 {
        return status;
    }
    let Some(ours) = ours else {
        return EXIT_CLAIM_FAILED;
    };
    let held = check_claims(&lesson, &ours, cpython.as_ref().map(|c| c as &dyn Figures));
    if let Some(c) = &cpython {
        lesson_block::print(request.mode, &lesson_block::lines(&c.engine, Some(c), &[]));
    }
    if held { 0 } else { EXIT_CLAIM_FAILED }
}

/// Prints every claim with the figure it was judged on; true when all hold.
fn check_claims(lesson: &Lesson, ours: &dyn Figures, cpython: Option<&dyn Figures>) -> bool {
    if lesson.claims.is_empty() {
        println!("\nno claims: the differences here are shown, not asserted");
        return true;
    }
    let recorded: Option<(&dyn Figures, String)> = match (cpython, &lesson.reference) {
        (Some(c), _) => Some((c, "CPython now".into())),
        (None, Some(r)) => Some((r, format!("{} (recorded)", r.version))),
        (None, None) => None,
    };
    println!();
    let mut all = true;
    for claim in &lesson.claims {
        let verdict = claim.check(ours);
        all &= verdict.passed;
        let mark = match (verdict.passed, verdict.missing) {
            (true, _) => "ok  ",
            (false, true) => "not measured:",
            (false, false) => "FAIL",
        };
        let beside = recorded
            .as_ref()
            .map(|(figures, label)| format!(" · {label}: {}", claim.check(*figures).measured))
            .unwrap_or_default();
        println!(
            "{mark} {} — measured {}{beside}",
            claim.text, verdict.measured
        );
    }
    all
}

/// A lesson with `profile: lines`: each program once under the line
/// tracer here (and under CPython's with `python`), the hottest lines
/// printed and the claims checked.
fn run_profiled(lesson: &Lesson, request: &RunRequest, python: Option<&str>) -> i32 {
    let (status, traces) = trace_here(request);
    if status != RunStatus::Ok {
        return EXIT_CLAIM_FAILED;
    }
    let ours = RunFigures {
        comparison: None,
        traces: traces
            .iter()
            .filter_map(|(name, trace)| {
                let code = request.variants.iter().find(|v| &v.name == name)?;
                Some((name.as_str(), trace, code.code.as_str()))
            })
            .collect(),
    };
    print_hot_lines(&pyrace_engine::engine_name(), request, &ours);
    let Some(python) = python else {
        return exit(check_claims(lesson, &ours, None));
    };
    let cpython = match trace_on_cpython(python, request) {
        Ok(measured) => measured,
        Err(e) => {
            eprintln!("pyrace: --python: {e}");
            return 1;
        }
    };
    let theirs = RunFigures {
        comparison: None,
        traces: cpython
            .traces
            .iter()
            .map(|(name, trace, source)| (name.as_str(), trace, source.as_str()))
            .collect(),
    };
    print_hot_lines(&cpython.version, request, &theirs);
    let held = check_claims(lesson, &ours, Some(&theirs));
    let hot: Vec<(String, String)> = request
        .variants
        .iter()
        .filter_map(|v| Some((v.name.clone(), theirs.hottest_line(&v.name)?.text)))
        .collect();
    lesson_block::print(
        request.mode,
        &lesson_block::lines(&cpython.version, None, &hot),
    );
    exit(held)
}

fn exit(held: bool) -> i32 {
    if held { 0 } else { EXIT_CLAIM_FAILED }
}

fn print_hot_lines(engine: &str, request: &RunRequest, figures: &RunFigures) {
    println!("{engine}, profiled:");
    for v in &request.variants {
        match figures.hottest_line(&v.name) {
            Some(hot) => println!(
                "  {}: hottest line {} `{}` in {}, {:.0}% of the run",
                v.name,
                hot.line,
                hot.text,
                hot.function,
                hot.share * 100.0
            ),
            None => println!("  {}: no line profile", v.name),
        }
    }
}

/// Runs the lesson's programs traced on this engine, their output shown.
fn trace_here(request: &RunRequest) -> (RunStatus, Vec<(String, TraceProfile)>) {
    let traces: Arc<Mutex<Vec<(String, TraceProfile)>>> = Arc::default();
    let shown: Arc<Mutex<Option<Comparison>>> = Arc::default();
    let sink = {
        let traces = Arc::clone(&traces);
        Arc::new(move |event: RunEvent| match event {
            RunEvent::Traced {
                variant, profile, ..
            } => traces.lock().unwrap().push((variant, profile)),
            event => render::event(&event, &shown),
        })
    };
    let session = Session::new(
        SessionOptions {
            call_timeout: Some(CALL_TIMEOUT),
            ..SessionOptions::default()
        },
        sink,
    );
    let status = session.execute(request);
    let traces = std::mem::take(&mut *traces.lock().unwrap());
    (status, traces)
}

/// What CPython's tracer measured of each program.
struct CpythonTraces {
    version: String,
    /// Name, profile, and the source it ran: the setups, then the program.
    traces: Vec<(String, TraceProfile, String)>,
}

/// Each program under CPython. The tracer runs one source and traces its
/// file: the setups run first from a line of their own, as another file
/// (`<setup>`), so that, as on this engine, they are not traced. The
/// program's lines are then one further down; the hot line is recorded by
/// its code, not its number.
fn trace_on_cpython(python: &str, request: &RunRequest) -> Result<CpythonTraces, String> {
    let version = std::process::Command::new(python)
        .args(["-c", "import platform; print(platform.python_version())"])
        .output()
        .map_err(|e| format!("cannot start {python}: {e}"))?;
    let version = format!(
        "CPython {}",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    let mut traces = Vec::new();
    for v in &request.variants {
        let setup = format!("{}\n{}", request.setup, v.setup);
        // A JSON string is a Python string literal.
        let literal = serde_json::to_string(&setup).expect("strings serialise");
        let source = format!(
            "exec(compile({literal}, \"<setup>\", \"exec\"))\n{}",
            v.code
        );
        let filename = format!("<{}>", v.name);
        let measured = profile_reference::profile(
            python,
            &ProfileRequest {
                filename: &filename,
                source: &source,
                lines: true,
                memory: request.options.memory,
                timeout: Some(CALL_TIMEOUT.as_secs_f64()),
                output_to_stderr: false,
            },
        )?;
        if let Some(error) = measured.error {
            return Err(format!("{} failed: {error}", v.name));
        }
        let profile = measured
            .profile
            .ok_or_else(|| format!("no profile of {}", v.name))?;
        traces.push((v.name.clone(), profile, source));
    }
    Ok(CpythonTraces { version, traces })
}
