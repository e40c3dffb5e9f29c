//! `pyrace lesson FILE`: runs a lesson's comparison, prints its table and
//! checks its claims against what was measured.

use std::time::Duration;

use pyrace_model::HarnessOptions;
use pyrace_model::lesson::{self, Figures, Lesson};

use super::args::LessonArgs;
use super::{EXIT_USAGE, execute_for_result};

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
    let (status, ours, cpython) =
        execute_for_result(&request, false, Some(CALL_TIMEOUT), a.python.as_deref());
    if status != 0 {
        return status;
    }
    let Some(ours) = ours else {
        return EXIT_CLAIM_FAILED;
    };
    if check_claims(&lesson, &ours, cpython.as_ref()) {
        0
    } else {
        EXIT_CLAIM_FAILED
    }
}

/// Prints every claim with the figure it was judged on; true when all hold.
fn check_claims(
    lesson: &Lesson,
    ours: &pyrace_model::Comparison,
    cpython: Option<&pyrace_model::Comparison>,
) -> bool {
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
        let mark = if verdict.passed { "ok  " } else { "FAIL" };
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
