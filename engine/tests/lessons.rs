//! Every lesson in `lessons/` parses, and every claim it makes holds when
//! the lesson runs on this engine. A test binary of its own, and the lessons
//! run one after another, so that no two timings share the machine's cores.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyrace_engine::{Session, SessionOptions};
use pyrace_model::lesson::{self, Lesson};
use pyrace_model::{Comparison, HarnessOptions, Mode, RunEvent, RunRequest, RunStatus, Variant};

fn lesson_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
}

fn load(path: &PathBuf) -> Lesson {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    lesson::parse(&name, &text).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a lesson natively; `None` with the reason when it did not finish.
fn run(lesson: &Lesson) -> Result<Comparison, String> {
    // More rounds than the interactive default: the medians the claims are
    // judged on then stand firm against a burst of load on a shared machine.
    let request = lesson.request(HarnessOptions {
        min_rounds: 9,
        ..HarnessOptions::default()
    });
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let session = Session::new(
        SessionOptions {
            call_timeout: Some(Duration::from_secs(60)),
            ..SessionOptions::default()
        },
        Arc::new(move |e| sink.lock().unwrap().push(e)),
    );
    // Lessons that start processes start them as `pyrace` children, as the
    // CLI and the playground do: this test binary is no Python executable.
    let executable = RunRequest {
        run_id: 0,
        mode: Mode::Run,
        setup: String::new(),
        variants: vec![Variant::new(
            "executable",
            format!(
                "import multiprocessing\nmultiprocessing.set_executable({:?})\n",
                env!("CARGO_BIN_EXE_pyrace")
            ),
        )],
        options: HarnessOptions::default(),
    };
    assert_eq!(session.execute(&executable), RunStatus::Ok);
    events.lock().unwrap().clear();
    let status = session.execute(&request);
    let events = events.lock().unwrap();
    let errors: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Error { error, .. } => Some(error.to_string()),
            RunEvent::VariantError { variant, error, .. } => Some(format!("{variant}: {error}")),
            _ => None,
        })
        .collect();
    if status != RunStatus::Ok || !errors.is_empty() {
        return Err(format!("status {status:?}: {}", errors.join("; ")));
    }
    // A lesson that asks for the same-result check requires it to pass.
    if let Some(check) = events.iter().find_map(|e| match e {
        RunEvent::ResultCheck { check, .. } => Some(check),
        _ => None,
    }) && !check.agree
    {
        return Err(check.sentence());
    }
    events
        .iter()
        .find_map(|e| match e {
            RunEvent::Result { comparison, .. } => Some(comparison.clone()),
            _ => None,
        })
        .ok_or_else(|| "no result".to_owned())
}

#[test]
fn every_lesson_parses_and_records_cpython_figures() {
    let files = lesson_files();
    assert!(files.len() >= 20, "only {} lessons", files.len());
    for path in &files {
        let lesson = load(path);
        let reference = lesson
            .reference
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no `cpython` block", path.display()));
        assert_eq!(reference.version, "CPython 3.11.7", "{}", path.display());
        for v in &lesson.variants {
            assert!(
                reference.times.iter().any(|(name, _)| name == &v.name),
                "{}: no CPython time for {}",
                path.display(),
                v.name
            );
        }
    }
}

/// Every lesson runs without an error (so the `assert`s in its code hold,
/// lessons without timing claims included) and every claim holds.
#[test]
fn every_claim_holds_on_this_engine() {
    let mut failures = Vec::new();
    let mut report = String::new();
    for path in &lesson_files() {
        let lesson = load(path);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // A lesson whose claim misses is run once more before it counts as a
        // failure: the claims leave a wide margin, so only a burst of load
        // from outside the test can make one miss, and it rarely lasts.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let verdicts = match run(&lesson) {
                Ok(c) => {
                    // Every label a sweep produces, claimed or not: the
                    // report shows what a reader's table would say.
                    for series in &c.sweep {
                        if let Some(g) = &series.growth {
                            report.push_str(&format!(
                                "{name} | growth {} | {}{}\n",
                                series.name,
                                g.summary(),
                                if attempt > 1 { " | second run" } else { "" }
                            ));
                        }
                    }
                    lesson
                        .claims
                        .iter()
                        .map(|claim| (claim, claim.check(&c)))
                        .collect::<Vec<_>>()
                }
                Err(reason) => {
                    failures.push(format!("{name}: did not run: {reason}"));
                    break;
                }
            };
            let missed: Vec<String> = verdicts
                .iter()
                .filter(|(_, v)| !v.passed)
                .map(|(claim, v)| {
                    format!(
                        "{name}:{}: `{}` measured {}",
                        claim.line, claim.text, v.measured
                    )
                })
                .collect();
            if missed.is_empty() || attempt == 2 {
                for (claim, v) in &verdicts {
                    let cpython = lesson
                        .reference
                        .as_ref()
                        .map(|r| claim.check(r).measured)
                        .unwrap_or_default();
                    report.push_str(&format!(
                        "{name} | {} | {} | CPython {cpython}{}\n",
                        claim.text,
                        v.measured,
                        if attempt > 1 { " | second run" } else { "" }
                    ));
                }
                failures.extend(missed);
                break;
            }
            eprintln!(
                "{name}: a claim missed ({}); running it again",
                missed.join("; ")
            );
        }
    }
    eprintln!("{report}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_cli_refuses_a_malformed_lesson_with_its_line() {
    let dir = std::env::temp_dir().join(format!("pyrace-lesson-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.md");
    std::fs::write(
        &file,
        "---\ntitle: t\ntopic: t\nmode: compare\n---\n```python variant=a\npass\n```\nexpect: a beats b\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pyrace"))
        .arg("lesson")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("broken.md:9: cannot read the claim"),
        "{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing runs from a malformed lesson"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
