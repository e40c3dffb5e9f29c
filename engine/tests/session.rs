//! The engine's `Session` as the CLI and the browser drive it: programs,
//! errors, and the timing harness's guarantees.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyrace_engine::{Session, SessionOptions};
use pyrace_model::{
    Comparison, HarnessOptions, Mode, OutputStream, PyError, PyErrorKind, ResultCheck, RunEvent,
    RunRequest, RunStatus, Variant,
};

struct Recorded {
    status: RunStatus,
    events: Vec<RunEvent>,
}

impl Recorded {
    fn stdout(&self) -> String {
        self.events
            .iter()
            .filter_map(|e| match e {
                RunEvent::Output {
                    stream: OutputStream::Stdout,
                    text,
                    ..
                } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn comparison(&self) -> &Comparison {
        self.events
            .iter()
            .find_map(|e| match e {
                RunEvent::Result { comparison, .. } => Some(comparison),
                _ => None,
            })
            .expect("a result event")
    }

    fn run_error(&self) -> &PyError {
        self.events
            .iter()
            .find_map(|e| match e {
                RunEvent::Error { error, .. } => Some(error),
                _ => None,
            })
            .expect("an error event")
    }

    fn variant_error(&self, name: &str) -> &PyError {
        self.events
            .iter()
            .find_map(|e| match e {
                RunEvent::VariantError { variant, error, .. } if variant == name => Some(error),
                _ => None,
            })
            .unwrap_or_else(|| panic!("an error event for {name}"))
    }
}

fn execute_with(options: SessionOptions, request: &RunRequest) -> Recorded {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let session = Session::new(options, Arc::new(move |e| sink.lock().unwrap().push(e)));
    let status = session.execute(request);
    let events = events.lock().unwrap().clone();
    Recorded { status, events }
}

fn execute(request: &RunRequest) -> Recorded {
    execute_with(SessionOptions::default(), request)
}

fn program(code: &str) -> RunRequest {
    RunRequest {
        run_id: 7,
        mode: Mode::Run,
        setup: String::new(),
        variants: vec![Variant::new("main.py", code)],
        options: HarnessOptions::default(),
    }
}

fn comparison(setup: &str, variants: &[(&str, &str)], options: HarnessOptions) -> RunRequest {
    RunRequest {
        run_id: 9,
        mode: if options.sweep.is_some() {
            Mode::Sweep
        } else {
            Mode::Compare
        },
        setup: setup.into(),
        variants: variants.iter().map(|(n, c)| Variant::new(*n, *c)).collect(),
        options,
    }
}

fn quick() -> HarnessOptions {
    HarnessOptions {
        target_sample: 0.005,
        budget: 1.0,
        ..HarnessOptions::default()
    }
}

#[test]
fn a_program_streams_its_output_and_ends_ok() {
    let r = execute(&program(
        "import sys\nfor i in range(3):\n    print('line', i)\nprint('done', file=sys.stderr)\n",
    ));
    assert_eq!(r.status, RunStatus::Ok);
    assert_eq!(r.stdout(), "line 0\nline 1\nline 2\n");
    assert!(matches!(
        r.events.first(),
        Some(RunEvent::Started { run_id: 7, .. })
    ));
    assert!(matches!(
        r.events.last(),
        Some(RunEvent::Finished {
            status: RunStatus::Ok,
            ..
        })
    ));
    assert!(r.events.iter().all(|e| e.run_id() == 7));
    assert!(r.events.iter().any(|e| matches!(e, RunEvent::Output { stream: OutputStream::Stderr, text, .. } if text.contains("done"))));
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let r = execute(&program("x = 1\ny = (2,\n"));
    assert_eq!(r.status, RunStatus::Failed);
    let e = r.run_error();
    assert_eq!(e.kind, PyErrorKind::Syntax);
    assert_eq!(e.part.as_deref(), Some("main.py"));
    assert_eq!((e.line, e.column), (Some(2), Some(5)));
    assert!(e.message.contains("never closed"), "{e:?}");
}

#[test]
fn an_exception_carries_its_traceback_and_line() {
    let r = execute(&program("def f():\n    return {}['missing']\n\nf()\n"));
    assert_eq!(r.status, RunStatus::Failed);
    let e = r.run_error();
    assert_eq!(
        (e.kind, e.exc_type.as_str()),
        (PyErrorKind::Exception, "KeyError")
    );
    assert_eq!(e.line, Some(2));
    assert!(
        e.traceback.contains("Traceback (most recent call last)"),
        "{}",
        e.traceback
    );
    assert!(
        e.traceback.contains("return {}['missing']"),
        "{}",
        e.traceback
    );
}

#[test]
fn sys_exit_zero_is_success_and_threads_are_joined() {
    let r = execute(&program(
        "import threading, time, sys\ndef work():\n    time.sleep(0.05)\n    print('thread done')\nthreading.Thread(target=work).start()\n",
    ));
    assert_eq!(r.status, RunStatus::Ok);
    assert_eq!(r.stdout(), "thread done\n");
    assert_eq!(
        execute(&program("import sys\nsys.exit(0)\n")).status,
        RunStatus::Ok
    );
    assert_eq!(
        execute(&program("import sys\nsys.exit(3)\n")).status,
        RunStatus::Failed
    );
}

#[test]
fn samples_are_interleaved_round_by_round_each_block_starting_one_further_on() {
    let r = execute(&comparison(
        "",
        &[("a", "1"), ("b", "2"), ("c", "3")],
        quick(),
    ));
    let order: Vec<(String, u32)> = r
        .events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Sample { variant, round, .. } => Some((variant.clone(), *round)),
            _ => None,
        })
        .collect();
    assert!(order.len() >= 9, "{order:?}");
    let rounds: Vec<Vec<&str>> = order
        .chunks(3)
        .filter(|r| r.len() == 3)
        .map(|r| r.iter().map(|(name, _)| name.as_str()).collect())
        .collect();
    for (i, names) in rounds.iter().enumerate() {
        // Every variant once per round, the round's samples numbered alike…
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, ["a", "b", "c"], "{order:?}");
        assert!(
            order[3 * i..3 * i + 3]
                .iter()
                .all(|(_, round)| *round as usize == i)
        );
        // …every round of a block in the block's order, and the next
        // block starting one variant further on (model::blocks).
        if let Some(next) = rounds.get(i + 1) {
            assert!(next == names || next[0] == names[1], "{order:?}");
        }
    }
    // A second of rounds falls into more than one block.
    let firsts: std::collections::BTreeSet<&str> = rounds.iter().map(|r| r[0]).collect();
    assert!(firsts.len() >= 2, "{order:?}");
}

#[test]
fn a_failing_setup_names_its_variant_and_the_others_still_report() {
    let r = execute(&comparison(
        "",
        &[("ok", "1 + 1"), ("bad", "1 + 1")],
        HarnessOptions { ..quick() },
    ));
    assert_eq!(r.status, RunStatus::Ok);
    let mut request = comparison("", &[("ok", "1 + 1"), ("bad", "1 + 1")], quick());
    request.variants[1].setup = "x = 1\nraise ValueError('no data')\n".into();
    let r = execute(&request);
    assert_eq!(r.status, RunStatus::Failed);
    let e = r.variant_error("bad");
    assert_eq!(e.part.as_deref(), Some("bad setup"));
    assert_eq!((e.exc_type.as_str(), e.line), ("ValueError", Some(2)));
    assert!(e.traceback.contains("no data"));
    assert!(r.comparison().variant("ok").is_some());
    assert!(r.comparison().variant("bad").is_none());
}

#[test]
fn errors_in_statements_and_shared_setup_point_at_their_part() {
    let r = execute(&comparison(
        "",
        &[("good", "1"), ("typo", "1 +* 2")],
        quick(),
    ));
    let e = r.variant_error("typo");
    assert_eq!(
        (e.kind, e.part.as_deref(), e.line),
        (PyErrorKind::Syntax, Some("typo"), Some(1))
    );
    assert!(e.column.is_some());
    assert!(r.comparison().variant("good").is_some());

    let r = execute(&comparison(
        "import nonexistent_module_xyz",
        &[("a", "1")],
        quick(),
    ));
    assert_eq!(r.status, RunStatus::Failed);
    let e = r.run_error();
    assert_eq!(
        (e.part.as_deref(), e.exc_type.as_str()),
        (Some("setup"), "ModuleNotFoundError")
    );
}

#[test]
fn bad_requests_are_refused_before_running() {
    let r = execute(&comparison("", &[("a", "1"), ("a", "2")], quick()));
    assert_eq!(r.run_error().kind, PyErrorKind::Request);
    assert!(r.run_error().message.contains("named \"a\""));
    let r = execute(&comparison("", &[], quick()));
    assert_eq!(r.run_error().kind, PyErrorKind::Request);
    let mut sweep = comparison("", &[("a", "1")], quick());
    sweep.mode = Mode::Sweep;
    assert_eq!(execute(&sweep).run_error().kind, PyErrorKind::Request);
    // The budget and switch interval the playground, links and lessons
    // accept (model::limits), and no other.
    let mut long = comparison("", &[("a", "1")], quick());
    long.options.budget = 300.0;
    let r = execute(&long);
    assert_eq!(r.run_error().kind, PyErrorKind::Request);
    assert!(
        r.run_error()
            .message
            .contains("the budget must be from 0.1 to 120 seconds"),
        "{}",
        r.run_error().message
    );
    let mut interval = comparison("", &[("a", "1")], quick());
    interval.options.switch_interval = 0.0;
    assert_eq!(execute(&interval).run_error().kind, PyErrorKind::Request);
}

#[test]
fn whole_programs_are_timed_and_their_repeats_are_quiet() {
    let mut request = comparison(
        "",
        &[
            (
                "short",
                "import time\nprint('short ran')\ntime.sleep(0.01)\n",
            ),
            ("long", "import time\ntime.sleep(0.03)\n"),
        ],
        HarnessOptions {
            budget: 1.5,
            ..HarnessOptions::default()
        },
    );
    request.mode = Mode::Program;
    let r = execute(&request);
    assert_eq!(r.status, RunStatus::Ok);
    assert_eq!(r.stdout(), "short ran\n", "only the first run prints");
    let c = r.comparison();
    let short = c.variant("short").unwrap();
    let long = c.variant("long").unwrap();
    assert_eq!(short.loops, 1);
    assert!(short.fastest);
    assert!(long.ratio.value > 1.5, "{:?}", long.ratio);
}

#[test]
fn output_is_capped_and_says_so() {
    let r = execute_with(
        SessionOptions {
            output_batch: Some(Duration::from_millis(15)),
            output_limit: Some(1000),
            ..SessionOptions::default()
        },
        &program("for i in range(10000):\n    print(i)\nprint('after')\n"),
    );
    assert_eq!(r.status, RunStatus::Ok);
    let out = r.stdout();
    assert!(out.len() < 1200, "{} bytes", out.len());
    assert!(out.contains("output stopped after 1000 bytes"));
    let messages = r
        .events
        .iter()
        .filter(|e| matches!(e, RunEvent::Output { .. }))
        .count();
    assert!(
        messages < 10,
        "{messages} output events for a batched flood"
    );
}

#[test]
fn threads_can_be_refused_with_a_clear_message() {
    let r = execute_with(
        SessionOptions {
            threads_unavailable: Some("threads need the full playground".into()),
            ..SessionOptions::default()
        },
        &program(
            "import threading\nprint('single-threaded code runs')\nthreading.Thread(target=print).start()\n",
        ),
    );
    assert_eq!(r.status, RunStatus::Failed);
    assert_eq!(r.stdout(), "single-threaded code runs\n");
    let e = r.run_error();
    assert_eq!(e.exc_type, "RuntimeError");
    assert_eq!(e.message, "threads need the full playground");
}

#[test]
fn programs_can_run_the_harness_themselves() {
    let r = execute(&program(
        "import pyrace, _pyrace\nprint(_pyrace.engine())\nr = pyrace.compare({'list': '-1 in L', 'set': '-1 in S'}, setup='L = list(range(1000)); S = set(L)', budget=1)\nfastest = [v['name'] for v in r['variants'] if v['fastest']]\nprint(fastest)\n",
    ));
    assert_eq!(r.status, RunStatus::Ok, "{:?}", r.events);
    assert!(r.stdout().starts_with("RustPython 0.6.0"), "{}", r.stdout());
    assert!(r.stdout().ends_with("['set']\n"), "{}", r.stdout());
    assert!(
        !r.events
            .iter()
            .any(|e| matches!(e, RunEvent::Sample { .. })),
        "a nested comparison emits no events"
    );
}

#[test]
fn runs_reuse_the_interpreter_with_fresh_globals() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let session = Session::new(
        SessionOptions::default(),
        Arc::new(move |e| sink.lock().unwrap().push(e)),
    );
    let first = RunRequest {
        run_id: 1,
        ..program("import sys\nx = 41\nsys.pyrace_marker = 'kept'\nprint(x + 1)\n")
    };
    assert_eq!(session.execute(&first), RunStatus::Ok);
    let second = RunRequest {
        run_id: 2,
        ..program("import sys\nprint(sys.pyrace_marker)\nprint(x)\n")
    };
    assert_eq!(session.execute(&second), RunStatus::Failed);
    let events = events.lock().unwrap();
    let out = |id| -> String {
        events
            .iter()
            .filter_map(|e| match e {
                RunEvent::Output {
                    run_id,
                    stream: OutputStream::Stdout,
                    text,
                    ..
                } if *run_id == id => Some(text.as_str()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(out(1), "42\n");
    // The interpreter (and its modules) is the same; the globals are new.
    assert_eq!(out(2), "kept\n");
    assert!(events.iter().any(
        |e| matches!(e, RunEvent::Error { run_id: 2, error, .. } if error.exc_type == "NameError")
    ));
}

#[test]
fn cprofile_is_available_and_finds_the_hotspot() {
    let r = execute(&program(
        "import cProfile, pstats, io\ndef slow(n):\n    out = []\n    for i in range(n):\n        if i not in out:\n            out.append(i)\n    return out\nprofiler = cProfile.Profile()\nwith profiler:\n    slow(3000)\ntext = io.StringIO()\npstats.Stats(profiler, stream=text).sort_stats('tottime').print_stats(1)\nprint(text.getvalue())\ncProfile.run('slow(10)')\n",
    ));
    assert_eq!(r.status, RunStatus::Ok, "{:?}", r.events);
    let out = r.stdout();
    let first_row = out
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("ncalls"))
        .nth(1)
        .unwrap_or_default();
    assert!(first_row.ends_with("(slow)"), "{out}");
    assert!(out.contains("function calls in"), "{out}");
}

#[test]
fn asyncio_runs_on_the_socketless_loop_used_where_there_are_no_sockets() {
    let r = execute(&program(
        "import asyncio, time, _pyrace_asyncio
async def work(i):
    await asyncio.sleep(0.1)
    return i
async def main():
    t0 = time.perf_counter()
    print(await asyncio.gather(*(work(i) for i in range(8))), time.perf_counter() - t0 < 0.3)
    try:
        await asyncio.wait_for(asyncio.sleep(1), 0.05)
    except TimeoutError:
        print('timed out')
    print(await asyncio.to_thread(sum, [1, 2, 3]))
    task = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print('cancelled')
asyncio.run(main(), loop_factory=_pyrace_asyncio.PyraceEventLoop)
",
    ));
    assert_eq!(r.status, RunStatus::Ok, "{:?}", r.events);
    assert_eq!(
        r.stdout(),
        "[0, 1, 2, 3, 4, 5, 6, 7] True\ntimed out\n6\ncancelled\n"
    );
}

#[test]
fn run_mode_runs_the_setups_first_and_tags_output_with_its_variant() {
    let mut request = program("");
    request.setup = "greeting = 'hello'".into();
    request.variants = vec![
        Variant {
            setup: "who = 'a'".into(),
            ..Variant::new("a", "print(greeting, who)")
        },
        Variant {
            setup: "who = 'b'".into(),
            ..Variant::new("b", "print(greeting, who)")
        },
    ];
    let r = execute(&request);
    assert_eq!(r.status, RunStatus::Ok, "{:?}", r.events);
    let written_by = |name: &str| -> String {
        r.events
            .iter()
            .filter_map(|e| match e {
                RunEvent::Output {
                    text,
                    variant: Some(v),
                    ..
                } if v == name => Some(text.as_str()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(written_by("a"), "hello a\n");
    assert_eq!(written_by("b"), "hello b\n");
    assert_eq!(r.stdout(), "hello a\nhello b\n", "nothing untagged");
}

fn result_check(recorded: &Recorded) -> &ResultCheck {
    recorded
        .events
        .iter()
        .find_map(|e| match e {
            RunEvent::ResultCheck { check, .. } => Some(check),
            _ => None,
        })
        .expect("a result check event")
}

#[test]
fn the_same_result_check_compares_last_values_before_any_timing() {
    let options = HarnessOptions {
        budget: 0.3,
        target_sample: 0.002,
        check_result: Some(String::new()),
        ..HarnessOptions::default()
    };
    // Unequal: a list index against a membership test.
    let unequal = execute(&comparison(
        "L = list(range(5000))\nS = set(L)",
        &[("list", "L.index(4999)"), ("set", "4999 in S")],
        options.clone(),
    ));
    let check = result_check(&unequal);
    assert!(!check.agree);
    assert_eq!(check.gave(), "list gave 4999, set gave True");
    // The check comes before the first sample.
    let at = |f: fn(&RunEvent) -> bool| unequal.events.iter().position(f).unwrap();
    assert!(
        at(|e| matches!(e, RunEvent::ResultCheck { .. }))
            < at(|e| matches!(e, RunEvent::Sample { .. }))
    );
    // Equal, over several lines; and a named value.
    let equal = execute(&comparison(
        "L = list(range(100))",
        &[
            ("loop", "total = 0\nfor x in L:\n    total += x\ntotal"),
            ("sum", "sum(L)"),
        ],
        options.clone(),
    ));
    assert!(result_check(&equal).agree, "{:?}", result_check(&equal));
    let named = execute(&comparison(
        "",
        &[
            ("a", "result = sorted([3, 1, 2])"),
            ("b", "result = [1, 2]"),
        ],
        HarnessOptions {
            check_result: Some("result".into()),
            ..options
        },
    ));
    let check = result_check(&named);
    assert!(!check.agree);
    assert_eq!(check.gave(), "a gave [1, 2, 3], b gave [1, 2]");
    // Without the option there is no check.
    let plain = execute(&comparison(
        "",
        &[("a", "1"), ("b", "2")],
        HarnessOptions {
            budget: 0.2,
            target_sample: 0.002,
            ..HarnessOptions::default()
        },
    ));
    assert!(
        !plain
            .events
            .iter()
            .any(|e| matches!(e, RunEvent::ResultCheck { .. }))
    );
}
