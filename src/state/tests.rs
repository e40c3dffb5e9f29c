//! The playground reducer, slice by slice, as a person drives it.

use super::*;
use pyrace_model::share::ResultsSnapshot;
use pyrace_model::timeline::Timeline;
use pyrace_model::{
    GilOverhead, MemoryProfile, MemorySource, Mode, OutputStream, Profile, PyError, PyErrorKind,
    RunEvent, RunStatus, ThreadMode, TraceProfile, limits,
};

fn error(part: &str, line: u32) -> PyError {
    PyError {
        kind: PyErrorKind::Syntax,
        exc_type: "SyntaxError".into(),
        message: "invalid syntax".into(),
        part: Some(part.into()),
        line: Some(line),
        column: None,
        traceback: String::new(),
    }
}

fn started(playground: &mut Playground) -> u64 {
    let run = playground.prepare_run().expect("the default draft runs");
    let id = run.request.run_id;
    playground.apply(Action::Start(Box::new(run)));
    id
}

#[test]
fn events_of_older_runs_are_dropped() {
    let mut playground = Playground::new(Draft::default());
    let first = started(&mut playground);
    let second = started(&mut playground);
    assert_eq!(second, first + 1);
    for run_id in [first, second] {
        playground.apply(Action::Event(
            EngineId::Rustpython,
            Box::new(RunEvent::Output {
                run_id,
                stream: OutputStream::Stdout,
                text: format!("from {run_id}\n"),
                variant: None,
            }),
        ));
    }
    let run = playground.runs.run().unwrap();
    assert_eq!(run.output.text, format!("from {second}\n"));
}

fn output(run_id: u64, variant: Option<&str>, text: &str) -> Action {
    Action::Event(
        EngineId::Rustpython,
        Box::new(RunEvent::Output {
            run_id,
            stream: OutputStream::Stdout,
            text: text.into(),
            variant: variant.map(Into::into),
        }),
    )
}

#[test]
fn a_batch_of_events_is_the_same_change_as_the_events_one_by_one() {
    let texts = ["a\n", "b\n", "c\n"];
    let mut one_by_one = Playground::new(Draft::default());
    let run_id = started(&mut one_by_one);
    for text in texts {
        one_by_one.apply(output(run_id, None, text));
    }
    let mut batched = Playground::new(Draft::default());
    started(&mut batched);
    let events = texts
        .iter()
        .map(|text| RunEvent::Output {
            run_id,
            stream: OutputStream::Stdout,
            text: (*text).into(),
            variant: None,
        })
        .collect();
    batched.apply(Action::Events(EngineId::Rustpython, events));
    assert_eq!(batched, one_by_one);
    assert_eq!(batched.runs.run().unwrap().output.text, "a\nb\nc\n");
}

#[test]
fn output_goes_to_the_pane_of_the_variant_that_wrote_it() {
    let mut playground = Playground::new(Draft::default());
    let run_id = started(&mut playground);
    playground.apply(output(run_id, Some("list"), "from list\n"));
    playground.apply(output(run_id, Some("set"), "from set\n"));
    playground.apply(output(run_id, Some("list"), "again\n"));
    playground.apply(output(run_id, None, "outside\n"));
    playground.apply(output(run_id, Some("unknown"), "stray\n"));
    let run = playground.runs.run().unwrap();
    assert_eq!(run.output_of("list").unwrap().text, "from list\nagain\n");
    assert_eq!(run.output_of("set").unwrap().text, "from set\n");
    assert_eq!(run.output.text, "outside\nstray\n");
}

#[test]
fn each_console_keeps_only_its_own_tail() {
    let mut playground = Playground::new(Draft::default());
    let run_id = started(&mut playground);
    playground.apply(output(run_id, Some("set"), "first\n"));
    let line = "é".repeat(999) + "\n";
    for _ in 0..60 {
        playground.apply(output(run_id, Some("list"), &line));
    }
    let run = playground.runs.run().unwrap();
    let list = run.output_of("list").unwrap();
    assert!(list.truncated);
    assert!(list.text.len() <= limits::MAX_OUTPUT_CHARS);
    assert!(list.text.ends_with(&line));
    let set = run.output_of("set").unwrap();
    assert!(!set.truncated);
    assert_eq!(set.text, "first\n");
    assert!(!run.output.truncated);
}

fn ready(playground: &mut Playground) {
    playground.apply(Action::Engine(
        EngineId::Rustpython,
        EngineAction::Ready(EngineInfo {
            name: "RustPython".into(),
            threads: true,
            isolated: true,
            timer_resolution: 5e-6,
        }),
    ));
}

fn finished(run_id: u64, status: RunStatus) -> Action {
    Action::Event(
        EngineId::Rustpython,
        Box::new(RunEvent::Finished {
            run_id,
            status,
            elapsed: 0.1,
        }),
    )
}

#[test]
fn a_stop_or_a_crash_restarts_the_engine_until_it_is_ready() {
    let mut playground = Playground::new(Draft::default());
    ready(&mut playground);
    let run_id = started(&mut playground);
    playground.apply(finished(run_id, RunStatus::Stopped));
    assert!(matches!(
        playground.engines.get(EngineId::Rustpython),
        EngineState::Restarting(_)
    ));
    assert!(!playground.engines.ready(), "Run waits for the new process");
    playground.apply(Action::Engine(
        EngineId::Rustpython,
        EngineAction::Restarted,
    ));
    assert!(playground.engines.ready());

    let run_id = started(&mut playground);
    let mut crash = error("list", 1);
    crash.kind = PyErrorKind::Crash;
    crash.part = None;
    playground.apply(Action::Event(
        EngineId::Rustpython,
        Box::new(RunEvent::Error {
            run_id,
            error: crash,
        }),
    ));
    playground.apply(finished(run_id, RunStatus::Failed));
    assert!(matches!(
        playground.engines.get(EngineId::Rustpython),
        EngineState::Restarting(_)
    ));
    playground.apply(Action::Engine(
        EngineId::Rustpython,
        EngineAction::Restarted,
    ));
    assert!(playground.engines.ready());
}

#[test]
fn an_ordinary_failure_leaves_the_engine_ready() {
    let mut playground = Playground::new(Draft::default());
    ready(&mut playground);
    let run_id = started(&mut playground);
    playground.apply(Action::Event(
        EngineId::Rustpython,
        Box::new(RunEvent::Error {
            run_id,
            error: error("setup", 1),
        }),
    ));
    playground.apply(finished(run_id, RunStatus::Failed));
    assert!(playground.engines.ready());
    // A restart report without a restart changes nothing.
    playground.apply(Action::Engine(
        EngineId::Rustpython,
        EngineAction::Restarted,
    ));
    assert!(playground.engines.ready());
}

fn lesson() -> Box<Lesson> {
    Box::new(
        pyrace_model::lesson::parse(
            "join.md",
            "---\ntitle: Join\ntopic: strings\nmode: compare\n---\n\nProse.\n\n```python setup\nxs = ['a'] * 10\n```\n\n```python variant=plus\ns = ''\nfor x in xs: s += x\n```\n\n```python variant=join\ns = ''.join(xs)\n```\n",
        )
        .expect("the test lesson parses"),
    )
}

#[test]
fn panes_count_as_edited_only_when_they_differ_from_what_was_loaded() {
    let mut playground = Playground::new(Draft::default());
    assert!(!playground.draft.edited());
    let key = playground.draft.panes[0].key;
    playground.apply(Action::Edit(DraftEdit::Code {
        key,
        code: "L.index(999)".into(),
    }));
    assert!(playground.draft.edited());
    playground.apply(Action::Edit(DraftEdit::Code {
        key,
        code: "-1 in L".into(),
    }));
    assert!(!playground.draft.edited(), "typed back to what was loaded");
    playground.apply(Action::Edit(DraftEdit::SetMode(Mode::Run)));
    assert!(!playground.draft.edited(), "the mode is not a pane");

    playground.apply(Action::LoadLesson {
        id: "join".into(),
        lesson: lesson(),
    });
    assert_eq!(playground.draft.panes.len(), 2);
    assert!(!playground.draft.edited());
    playground.apply(Action::Edit(DraftEdit::Setup("xs = []".into())));
    assert!(playground.draft.edited());

    // Edits made before a reload are still edits after it.
    let stored = serde_json::to_string(&*playground.draft).unwrap();
    let restored: Draft = serde_json::from_str(&stored).unwrap();
    assert!(Playground::new(restored.repaired()).draft.edited());
}

#[test]
fn a_draft_saved_before_loaded_was_kept_compares_with_the_default() {
    let default: Draft =
        serde_json::from_str(r#"{"setup":"L = list(range(1000))\nS = set(L)"}"#).unwrap();
    assert!(!Playground::new(default.repaired()).draft.edited());
    let edited: Draft = serde_json::from_str(r#"{"setup":"x = 1"}"#).unwrap();
    assert!(Playground::new(edited.repaired()).draft.edited());
}

#[test]
fn empty_and_duplicate_panes_are_left_out_with_a_reason() {
    let mut playground = Playground::new(Draft::default());
    playground.apply(Action::Edit(DraftEdit::AddPane));
    playground.apply(Action::Edit(DraftEdit::AddPane));
    let keys: Vec<u32> = playground.draft.panes.iter().map(|p| p.key).collect();
    playground.apply(Action::Edit(DraftEdit::Rename {
        key: keys[3],
        name: "list".into(),
    }));
    playground.apply(Action::Edit(DraftEdit::Code {
        key: keys[3],
        code: "1".into(),
    }));
    let run = playground.prepare_run().unwrap();
    assert_eq!(run.request.variants.len(), 1, "only `set` is valid");
    assert!(run.problems[&keys[2]].contains("empty"));
    assert!(run.problems[&keys[0]].contains("names must differ"));
    assert!(run.problems[&keys[3]].contains("names must differ"));
}

#[test]
fn the_same_result_switch_asks_for_the_check_in_timed_modes_and_is_kept() {
    let mut playground = Playground::new(Draft::default());
    let check = |p: &Playground| p.prepare_run().unwrap().request.options.check_result;
    assert_eq!(check(&playground), None);
    playground.apply(Action::Edit(DraftEdit::SameResult(true)));
    assert_eq!(check(&playground), Some(String::new()));
    playground.apply(Action::Edit(DraftEdit::SameResultName(" result ".into())));
    assert_eq!(check(&playground), Some("result".into()));
    playground.apply(Action::Edit(DraftEdit::SetMode(Mode::Run)));
    assert_eq!(check(&playground), None, "Run mode times nothing");
    let saved = serde_json::to_string(&*playground.draft).unwrap();
    let restored: Draft = serde_json::from_str(&saved).unwrap();
    assert!(restored.same_result && restored.same_result_name == "result");
}

#[test]
fn thread_modes_and_profiling_reach_the_request_and_survive_a_reload() {
    let mut playground = Playground::new(Draft::default());
    let keys: Vec<u32> = playground.draft.panes.iter().map(|p| p.key).collect();
    playground.apply(Action::Edit(DraftEdit::ThreadMode(ThreadMode::Gil)));
    playground.apply(Action::Edit(DraftEdit::SwitchInterval(0.001)));
    playground.apply(Action::Edit(DraftEdit::PaneThreadMode {
        key: keys[1],
        mode: Some(ThreadMode::Free),
    }));
    playground.apply(Action::Edit(DraftEdit::Profile(true)));
    let request = playground.prepare_run().unwrap().request;
    assert_eq!(request.options.thread_mode, ThreadMode::Gil);
    assert_eq!(request.options.switch_interval, 0.001);
    assert_eq!(request.variants[0].thread_mode, None);
    assert_eq!(request.variants[1].thread_mode, Some(ThreadMode::Free));
    assert!(!request.options.profile, "only Run mode profiles");
    assert!(
        !request.options.trace_lines && !request.options.memory,
        "timed runs are never traced"
    );
    playground.apply(Action::Edit(DraftEdit::SetMode(Mode::Run)));
    let options = playground.prepare_run().unwrap().request.options;
    assert!(
        options.trace_lines && options.memory && !options.profile,
        "lines by default"
    );
    playground.apply(Action::Edit(DraftEdit::Profiler(Profiler::CProfile)));
    let options = playground.prepare_run().unwrap().request.options;
    assert!(options.profile && !options.trace_lines && !options.memory);

    let saved = serde_json::to_string(&*playground.draft).unwrap();
    let restored: Draft = serde_json::from_str(&saved).unwrap();
    assert_eq!(restored, *playground.draft);
    playground.apply(Action::Edit(DraftEdit::SwitchInterval(f64::NAN)));
    playground.apply(Action::Edit(DraftEdit::SwitchInterval(10.0)));
    assert_eq!(
        playground.draft.switch_interval,
        limits::SWITCH_INTERVAL.max
    );
    // A draft saved before thread modes existed reads as free-threaded.
    let old: Draft =
        serde_json::from_str(r#"{"panes":[{"key":1,"name":"a","code":"1"}]}"#).unwrap();
    assert_eq!(old.thread_mode, ThreadMode::Free);
    assert_eq!(old.panes[0].thread_mode, None);
}

#[test]
fn timelines_profiles_and_the_gil_overhead_are_kept_per_run() {
    let mut playground = Playground::new(Draft::default());
    let run_id = started(&mut playground);
    let overhead = GilOverhead {
        plain: 0.01,
        hooked: 0.012,
        ratio: 1.2,
        ratio_low: 1.1,
        ratio_high: 1.3,
        rounds: 9,
    };
    playground.apply(Action::Event(
        EngineId::Rustpython,
        Box::new(RunEvent::GilOverhead {
            run_id,
            overhead: overhead.clone(),
        }),
    ));
    playground.apply(Action::Event(
        EngineId::Rustpython,
        Box::new(RunEvent::Profile {
            run_id,
            variant: "set".into(),
            profile: Profile { rows: Vec::new() },
        }),
    ));
    playground.apply(Action::Event(
        EngineId::Rustpython,
        Box::new(RunEvent::Timeline {
            run_id,
            variant: "list".into(),
            timeline: Timeline {
                duration: 1.0,
                threads: Vec::new(),
                mode: ThreadMode::Gil,
            },
        }),
    ));
    let run = playground.runs.run().unwrap();
    assert_eq!(run.gil_overhead, Some(overhead));
    assert!(run.profiles.contains_key("set"));
    assert_eq!(run.timelines["list"].mode, ThreadMode::Gil);
    started(&mut playground);
    let next = playground.runs.run().unwrap();
    assert!(next.timelines.is_empty() && next.profiles.is_empty() && next.gil_overhead.is_none());
}

#[test]
fn line_traces_and_memory_are_kept_per_variant_whatever_the_engine_calls_the_file() {
    let mut playground = Playground::new(Draft::default());
    let run_id = started(&mut playground);
    let trace = |file: &str| {
        TraceProfile::from_tracer_json(&format!(
            r#"{{"tracer":"sys.settrace","total_seconds":1.0,
            "lines":[["{file}",2,10,0.75,null],["{file}",1,1,0.25,null],["setup",1,1,0.5,null]],
            "dropped_hits":0,"threads":[]}}"#
        ))
        .unwrap()
    };
    for (variant, file) in [("list", "list"), ("set", "<set>")] {
        playground.apply(Action::Event(
            EngineId::Rustpython,
            Box::new(RunEvent::Traced {
                run_id,
                variant: variant.into(),
                profile: trace(file),
            }),
        ));
    }
    playground.apply(Action::Event(
        EngineId::Rustpython,
        Box::new(RunEvent::Memory {
            run_id,
            variant: "list".into(),
            memory: MemoryProfile {
                source: MemorySource::RustpythonAllocator,
                peak_bytes: 4096,
                allocated_bytes: Some(8192),
                allocations: Some(3),
                retained_bytes: 0,
            },
        }),
    ));
    let run = playground.runs.run().unwrap();
    let lines: Vec<u32> = run.program_lines("list").iter().map(|l| l.line).collect();
    assert_eq!(
        lines,
        [1, 2],
        "the program's lines in source order, the setup's left out"
    );
    assert_eq!(run.memory["list"].peak_bytes, 4096);
    assert_eq!(
        run.program_lines("set").len(),
        2,
        "CPython's name for the file"
    );
    assert!(run.program_lines("other").is_empty());
    started(&mut playground);
    let next = playground.runs.run().unwrap();
    assert!(next.traces.is_empty() && next.memory.is_empty());
}

#[test]
fn errors_are_found_by_the_part_they_concern() {
    let mut playground = Playground::new(Draft::default());
    let run_id = started(&mut playground);
    playground.apply(Action::Event(
        EngineId::Rustpython,
        Box::new(RunEvent::VariantError {
            run_id,
            variant: "set".into(),
            error: error("set", 1),
        }),
    ));
    let run = playground.runs.run().unwrap();
    assert_eq!(run.error_in("set").and_then(|e| e.line), Some(1));
    assert!(run.error_in("list").is_none());
}

#[test]
fn panes_duplicate_move_and_keep_keys() {
    let mut playground = Playground::new(Draft::default());
    let first = playground.draft.panes[0].key;
    playground.apply(Action::Edit(DraftEdit::DuplicatePane(first)));
    assert_eq!(playground.draft.panes[1].name, "list copy");
    playground.apply(Action::Edit(DraftEdit::MovePane {
        key: first,
        offset: 1,
    }));
    assert_eq!(playground.draft.panes[1].key, first);
    let keys: Vec<u32> = playground.draft.panes.iter().map(|p| p.key).collect();
    let mut unique = keys.clone();
    unique.dedup();
    assert_eq!(keys.len(), unique.len());
}

#[test]
fn a_bad_sweep_is_refused() {
    let mut playground = Playground::new(Draft::default());
    playground.apply(Action::Edit(DraftEdit::SetMode(Mode::Sweep)));
    playground.apply(Action::Edit(DraftEdit::Sweep("n=ten".into())));
    assert!(matches!(
        playground.prepare_run(),
        Err(Refusal {
            sweep_problem: Some(_),
            ..
        })
    ));
}

#[test]
fn stored_drafts_are_repaired() {
    let stored: Draft = serde_json::from_str(
        r#"{"panes":[{"key":1,"name":"a","code":"1"},{"key":1,"name":"b","code":"2"}]}"#,
    )
    .unwrap();
    let draft = stored.repaired();
    assert_ne!(draft.panes[0].key, draft.panes[1].key);
    assert!(draft.next_key > draft.panes[1].key);
}

fn shared(draft: &Draft) -> SharedState {
    let link = pyrace_model::share::encode(&draft.to_shared()).unwrap();
    pyrace_model::share::decode(&link).unwrap()
}

#[test]
fn a_link_holds_as_many_panes_as_the_playground() {
    let mut playground = Playground::new(Draft::default());
    for _ in 0..limits::MAX_VARIANTS + 2 {
        playground.apply(Action::Edit(DraftEdit::AddPane));
    }
    assert_eq!(playground.draft.panes.len(), limits::MAX_VARIANTS);
    let opened = Draft::from_shared(&shared(&playground.draft), 100);
    assert_eq!(opened.panes.len(), limits::MAX_VARIANTS);
}

/// A link or stored draft outside the ranges of `limits` is refused by the
/// codec or brought inside by the repair, never cut to another limit.
#[test]
fn budgets_and_intervals_follow_the_limits_everywhere() {
    let mut playground = Playground::new(Draft::default());
    playground.apply(Action::Edit(DraftEdit::Budget(limits::BUDGET.max)));
    assert_eq!(playground.draft.budget, limits::BUDGET.max);
    playground.apply(Action::Edit(DraftEdit::SwitchInterval(
        limits::SWITCH_INTERVAL.max,
    )));
    let opened = Draft::from_shared(&shared(&playground.draft), 10);
    assert_eq!(opened.budget, limits::BUDGET.max);
    assert_eq!(opened.switch_interval, limits::SWITCH_INTERVAL.max);
    let stored: Draft = serde_json::from_str(r#"{"budget":1e9,"switch_interval":-1}"#).unwrap();
    let repaired = stored.repaired();
    assert_eq!(repaired.budget, limits::BUDGET.max);
    assert_eq!(repaired.switch_interval, limits::SWITCH_INTERVAL.min);
    let request = Playground::new(repaired).prepare_run().unwrap().request;
    assert_eq!(request.options.budget, limits::BUDGET.max);
}

#[test]
fn a_draft_travels_through_a_link_intact() {
    let mut playground = Playground::new(Draft::default());
    playground.apply(Action::LoadLesson {
        id: "join".into(),
        lesson: lesson(),
    });
    playground.apply(Action::Edit(DraftEdit::SetMode(Mode::Sweep)));
    playground.apply(Action::Edit(DraftEdit::Sweep("n=1,2,3".into())));
    playground.apply(Action::Edit(DraftEdit::Budget(10.0)));
    playground.apply(Action::Edit(DraftEdit::SameResult(true)));
    playground.apply(Action::Edit(DraftEdit::SameResultName("out".into())));
    let key = playground.draft.panes[1].key;
    playground.apply(Action::Edit(DraftEdit::PaneSetup {
        key,
        setup: "sep = 'שלום 😀'".into(),
    }));
    let sent = playground.draft.clone();

    let opened = Draft::from_shared(&shared(&sent), 1);
    assert_eq!(opened.to_shared(), sent.to_shared());
    assert_eq!(opened.pane_texts(), sent.pane_texts());
    assert_eq!(opened.lesson.as_deref(), Some("join"));
    assert!(opened.same_result, "the same-result check travels");
    assert_eq!(opened.same_result_name, "out");
    assert!(
        !Playground::new(opened).draft.edited(),
        "as the link loaded it"
    );
}

#[test]
fn opening_a_link_replaces_the_panes_runs_nothing_and_keeps_the_old_draft() {
    let mut playground = Playground::new(Draft::default());
    let key = playground.draft.panes[0].key;
    playground.apply(Action::Edit(DraftEdit::Code {
        key,
        code: "my own work".into(),
    }));
    let mine = playground.draft.clone();
    let mut theirs = Draft::default();
    theirs.panes[0].code = "their code".into();
    let mut state = shared(&theirs);
    state.results = Some(ResultsSnapshot {
        engine: "RustPython 0.6.0 (browser)".into(),
        recorded: "2026-11-26T03:00:00Z".into(),
        mode: pyrace_model::Mode::Compare,
        variants: Vec::new(),
    });
    playground.apply(Action::OpenShared {
        state: Box::new(state),
        source: "link",
    });
    assert_eq!(playground.draft.panes[0].code, "their code");
    assert!(
        playground.runs.run().is_none() && playground.runs.last_run_id == 0,
        "nothing ran"
    );
    assert!(playground.runs.shared[EngineId::Rustpython].is_some());
    assert_eq!(playground.link.notice, Some(LinkNotice::Opened("link")));
    let keys: Vec<u32> = playground.draft.panes.iter().map(|p| p.key).collect();
    assert!(keys.iter().all(|k| *k > key), "fresh keys: {keys:?}");

    // A real run replaces the recorded results.
    started(&mut playground);
    assert!(playground.runs.shared[EngineId::Rustpython].is_none());

    playground.apply(Action::RestoreReplaced);
    assert_eq!(playground.draft, mine);
    assert!(playground.link.replaced.is_none() && playground.link.notice.is_none());
}

#[test]
fn opening_the_state_already_shown_keeps_nothing_to_restore() {
    let mut playground = Playground::new(Draft::default());
    let state = shared(&playground.draft);
    playground.apply(Action::OpenShared {
        state: Box::new(state),
        source: "file",
    });
    assert!(playground.link.replaced.is_none());
    assert_eq!(playground.link.notice, Some(LinkNotice::Opened("file")));
}

#[test]
fn a_bad_link_changes_nothing_but_the_notice() {
    let mut playground = Playground::new(Draft::default());
    let before = playground.draft.clone();
    let link = pyrace_model::share::encode(&before.to_shared()).unwrap();
    playground.apply(open_link(&link[..link.len() - 9]));
    assert_eq!(playground.draft, before);
    assert_eq!(
        playground.link.notice,
        Some(LinkNotice::Failed(
            "This link could not be opened: it is damaged: probably cut short or changed when it was copied.".into()
        ))
    );
    playground.apply(open_link(&link.replacen("v1.", "v9.", 1)));
    assert!(
        matches!(&playground.link.notice, Some(LinkNotice::Failed(m)) if m.contains("newer pyrace"))
    );
    playground.apply(open_file("x.pyrace.json", "{"));
    assert!(
        matches!(&playground.link.notice, Some(LinkNotice::Failed(m)) if m.starts_with("The file “x.pyrace.json”"))
    );
    assert_eq!(playground.draft, before);
    playground.apply(Action::DismissLinkNotice);
    assert!(playground.link.notice.is_none());
}

#[test]
fn a_shared_state_missing_parts_opens_with_defaults() {
    let state =
        pyrace_model::share::from_json(r#"{"pyrace":1,"mode":"run","variants":[]}"#).unwrap();
    let draft = Draft::from_shared(&state, 1);
    assert_eq!(draft.mode, Mode::Run);
    assert!(
        !draft.panes.is_empty(),
        "an empty link still leaves panes to type in"
    );
    assert_eq!(draft.budget, limits::BUDGET.default);
    assert_eq!(draft.sweep, Draft::default().sweep);
}

#[test]
fn a_profiling_lesson_opens_in_run_mode_with_the_line_profiler_on() {
    let mut playground = Playground::new(Draft {
        profiler: Profiler::CProfile,
        ..Draft::default()
    });
    let profiled = pyrace_model::lesson::parse(
        "profiling.md",
        "---\ntitle: Profile\ntopic: profiling\nmode: run\nprofile: lines\n---\n```python variant=slow\nx = sum(range(10))\n```\nexpect: hottest line in slow \"x = sum\"\n",
    )
    .expect("the profiled lesson parses");
    playground.apply(Action::LoadLesson {
        id: "profiling".into(),
        lesson: Box::new(profiled),
    });
    let draft = &playground.draft;
    assert_eq!(draft.mode, Mode::Run);
    assert!(draft.profile);
    assert_eq!(draft.profiler, Profiler::Lines);
    let started = prepare::prepare(draft, 1, vec![EngineId::Rustpython]).unwrap();
    assert!(started.request.options.trace_lines && started.request.options.memory);

    // A timed lesson after it opens unprofiled.
    playground.apply(Action::LoadLesson {
        id: "join".into(),
        lesson: lesson(),
    });
    assert_eq!(playground.draft.mode, Mode::Compare);
    assert!(!playground.draft.profile);
}
