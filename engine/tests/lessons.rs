//! Every lesson in `lessons/` parses, and every claim it makes holds when
//! the lesson runs on this engine. A test binary of its own, and the lessons
//! run one after another, so that no two timings share the machine's cores.
//! `LESSONS=a,b` runs only those lessons (file stems).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyrace_engine::{Session, SessionOptions};
use pyrace_model::lesson::{self, ClaimKind, Lesson, RunFigures, Verdict};
use pyrace_model::{
    Comparison, HarnessOptions, Mode, RunEvent, RunRequest, RunStatus, TraceProfile, Variant,
};

/// The CLI's allocator, which counts what a statement allocates: the
/// lessons' memory claims are measured here as `pyrace lesson` measures
/// them (with the system allocator, every peak reads "not measured").
#[global_allocator]
static ALLOCATOR: pyrace_engine::memory::LimitedAllocator = pyrace_engine::memory::LimitedAllocator;

fn lesson_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| only(p))
        .collect();
    files.sort();
    files
}

/// `LESSONS=a,b` runs only those lessons (file stems).
fn only(path: &std::path::Path) -> bool {
    std::env::var("LESSONS").map_or(true, |only| {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        only.split(',').any(|id| id == stem)
    })
}

fn load(path: &PathBuf) -> Lesson {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    lesson::parse(&name, &text).unwrap_or_else(|e| panic!("{e}"))
}

/// What a lesson's run measured: its comparison, or, for a lesson with
/// `profile: lines`, each program's line profile and call tree.
#[derive(Default)]
struct Measured {
    comparison: Option<Comparison>,
    traces: Vec<(String, TraceProfile)>,
}

impl Measured {
    /// The claims' verdicts on these figures.
    fn check<'a>(&self, lesson: &'a Lesson) -> Vec<(&'a lesson::Claim, Verdict)> {
        let figures = RunFigures {
            comparison: self.comparison.as_ref(),
            traces: self
                .traces
                .iter()
                .filter_map(|(name, trace)| {
                    let variant = lesson.variants.iter().find(|v| &v.name == name)?;
                    Some((name.as_str(), trace, variant.code.as_str()))
                })
                .collect(),
        };
        lesson
            .claims
            .iter()
            .map(|claim| (claim, claim.check(&figures)))
            .collect()
    }
}

/// Runs a lesson natively; `None` with the reason when it did not finish.
fn run(lesson: &Lesson) -> Result<Measured, String> {
    // More rounds than the interactive default: the medians the claims are
    // judged on then stand firm against a burst of load on a shared machine.
    let request = lesson.request(HarnessOptions {
        min_rounds: 9,
        ..HarnessOptions::default()
    });
    pyrace_engine::allocation_count::installed();
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
    let measured = Measured {
        comparison: events.iter().find_map(|e| match e {
            RunEvent::Result { comparison, .. } => Some(comparison.clone()),
            _ => None,
        }),
        traces: events
            .iter()
            .filter_map(|e| match e {
                RunEvent::Traced {
                    variant, profile, ..
                } => Some((variant.clone(), profile.clone())),
                _ => None,
            })
            .collect(),
    };
    if measured.comparison.is_none() && measured.traces.is_empty() {
        return Err("no result".to_owned());
    }
    Ok(measured)
}

#[test]
fn every_lesson_parses_and_records_cpython_figures() {
    let files = lesson_files();
    assert!(
        files.len() >= 20 || std::env::var("LESSONS").is_ok(),
        "only {} lessons",
        files.len()
    );
    for path in &files {
        let lesson = load(path);
        let reference = lesson
            .reference
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no `cpython` block", path.display()));
        assert_eq!(reference.version, "CPython 3.11.7", "{}", path.display());
        for v in &lesson.variants {
            let recorded = if lesson.profile {
                reference
                    .hottest_lines
                    .iter()
                    .any(|(name, _)| name == &v.name)
            } else {
                reference.times.iter().any(|(name, _)| name == &v.name)
            };
            assert!(
                recorded,
                "{}: no CPython figure for {}",
                path.display(),
                v.name
            );
        }
        // A claim on memory or on the profile holds on CPython's recorded
        // figures too: what it says is not about one engine's speed (a
        // time claim may hold here and not on CPython, and the prose says
        // so).
        for claim in &lesson.claims {
            let engine_neutral = matches!(
                claim.kind,
                ClaimKind::PeakBy { .. }
                    | ClaimKind::PeakBound { .. }
                    | ClaimKind::MemoryGrowth { .. }
                    | ClaimKind::HottestLine { .. }
            );
            if !engine_neutral {
                continue;
            }
            let verdict = claim.check(reference);
            assert!(
                verdict.passed,
                "{}:{}: `{}` on the recorded CPython figures: {}",
                path.display(),
                claim.line,
                claim.text,
                verdict.measured
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
                Ok(measured) => {
                    // Every label a sweep produces, claimed or not: the
                    // report shows what a reader's table would say.
                    let sweep = measured.comparison.as_ref().map(|c| c.sweep.as_slice());
                    for series in sweep.unwrap_or_default() {
                        if let Some(g) = &series.growth {
                            report.push_str(&format!(
                                "{name} | growth {} | {}{}\n",
                                series.name,
                                g.summary(),
                                if attempt > 1 { " | second run" } else { "" }
                            ));
                        }
                    }
                    measured.check(&lesson)
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
