//! The share-link codec on the inputs people and mail programs give it.

use super::*;

#[test]
fn the_engines_field_is_optional_and_carries_cpython() {
    let plain = sample();
    let json = to_json(&plain).unwrap();
    assert!(!json.contains("engines"), "absent when RustPython only");
    let mut both = plain.clone();
    both.engines = vec![EngineId::Cpython];
    let fragment = encode(&both).unwrap();
    assert!(fragment.starts_with("v1."));
    assert_eq!(decode(&fragment).unwrap().engines, vec![EngineId::Cpython]);
    // A link of this format written before the field existed reads as
    // RustPython only.
    assert!(decode(&encode(&plain).unwrap()).unwrap().engines.is_empty());
}

fn sample() -> SharedState {
    SharedState {
        version: VERSION,
        mode: Mode::Compare,
        setup: "L = list(range(1000))\nS = set(L)".into(),
        variants: vec![
            SharedVariant {
                name: "list".into(),
                setup: String::new(),
                code: "-1 in L".into(),
                thread_mode: None,
            },
            SharedVariant {
                name: "set".into(),
                setup: "x = 1".into(),
                code: "-1 in S".into(),
                thread_mode: Some(ThreadMode::Gil),
            },
        ],
        sweep: "n=100,1000".into(),
        options: SharedOptions {
            budget: Some(5.0),
            thread_mode: None,
            switch_interval: None,
            same_result: None,
        },
        lesson: Some("membership".into()),
        results: None,
        engines: Vec::new(),
        cpython_results: None,
    }
}

#[test]
fn a_link_round_trips() {
    let state = sample();
    let link = encode(&state).unwrap();
    assert!(link.starts_with("v1."), "{link}");
    assert!(
        link[3..].bytes().all(|b| URI_ALPHABET.contains(&b)),
        "{link}"
    );
    assert_eq!(decode(&link).unwrap(), state);
    assert_eq!(decode(&format!("#{link}")).unwrap(), state);
}

#[test]
fn escaped_and_spaced_links_still_decode() {
    let state = sample();
    let link = encode(&state).unwrap();
    let mangled = link
        .replace('+', " ")
        .replace('$', "%24")
        .replace('-', "%2d");
    assert_eq!(decode(&mangled).unwrap(), state);
}

#[test]
fn bad_links_say_what_is_wrong() {
    let link = encode(&sample()).unwrap();
    assert_eq!(decode(""), Err(ShareError::NotALink));
    assert_eq!(decode("lesson=x"), Err(ShareError::NotALink));
    assert_eq!(decode("v1."), Err(ShareError::NotALink));
    assert_eq!(decode("vx.abc"), Err(ShareError::NotALink));
    assert_eq!(
        decode(&link.replacen("v1.", "v9.", 1)),
        Err(ShareError::FutureVersion(9))
    );
    assert_eq!(
        decode(&link[..link.len() / 2]),
        Err(ShareError::Corrupt),
        "cut short"
    );
    assert_eq!(
        decode("v1.a!b"),
        Err(ShareError::Corrupt),
        "not the alphabet"
    );
    let not_json = format!("v1.{}", lz_str::compress_to_encoded_uri_component("hello"));
    assert!(matches!(decode(&not_json), Err(ShareError::NotJson(_))));
    let wrong = format!(
        "v1.{}",
        lz_str::compress_to_encoded_uri_component(r#"{"pyrace":1,"mode":"fast"}"#)
    );
    assert!(matches!(decode(&wrong), Err(ShareError::WrongShape(_))));
    let newer = format!(
        "v1.{}",
        lz_str::compress_to_encoded_uri_component(r#"{"pyrace":2,"whatever":[]}"#)
    );
    assert_eq!(decode(&newer), Err(ShareError::FutureVersion(2)));
}

#[test]
fn limits_are_enforced_both_ways() {
    let mut state = sample();
    state.variants = vec![state.variants[0].clone(); MAX_VARIANTS + 1];
    assert!(matches!(encode(&state), Err(ShareError::TooLarge(_))));
    let json = serde_json::to_string(&state).unwrap();
    assert!(matches!(from_json(&json), Err(ShareError::TooLarge(_))));

    let mut state = sample();
    state.variants[0].code = "x".repeat(MAX_TEXT_CHARS + 1);
    let json = serde_json::to_string(&state).unwrap();
    let link = format!(
        "v1.{}",
        lz_str::compress_to_encoded_uri_component(json.as_str())
    );
    assert!(matches!(decode(&link), Err(ShareError::TooLarge(_))));

    let mut state = sample();
    state.options.budget = Some(-1.0);
    assert!(matches!(encode(&state), Err(ShareError::WrongShape(_))));
}

/// A link opens with exactly the budget and switch interval the
/// playground would run (the ranges of `limits`), and one outside them
/// says so instead of being cut silently.
#[test]
fn option_ranges_are_the_playgrounds() {
    let with = |budget: f64, interval: f64| {
        let mut state = sample();
        state.options.budget = Some(budget);
        state.options.switch_interval = Some(interval);
        state
    };
    let widest = with(limits::BUDGET.max, limits::SWITCH_INTERVAL.max);
    assert_eq!(decode(&encode(&widest).unwrap()).unwrap(), widest);
    let narrowest = with(limits::BUDGET.min, limits::SWITCH_INTERVAL.min);
    assert_eq!(decode(&encode(&narrowest).unwrap()).unwrap(), narrowest);
    let json = serde_json::to_string(&with(300.0, 0.005)).unwrap();
    let link = format!(
        "v1.{}",
        lz_str::compress_to_encoded_uri_component(json.as_str())
    );
    let refused = decode(&link).unwrap_err().to_string();
    assert!(
        refused.contains("the budget must be from 0.1 to 120 seconds (it is 300)"),
        "{refused}"
    );
    let json = serde_json::to_string(&with(5.0, 2.0)).unwrap();
    assert!(matches!(from_json(&json), Err(ShareError::WrongShape(_))));
}

#[test]
fn the_same_result_check_travels_and_its_name_is_checked() {
    let mut state = sample();
    state.options.same_result = Some("out".into());
    assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
    state.options.same_result = Some(String::new());
    assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
    state.options.same_result = Some("not a name".into());
    let refused = encode(&state).unwrap_err().to_string();
    assert!(refused.contains("is not a Python name"), "{refused}");
}

#[test]
fn a_decompression_bomb_stops_at_the_bound() {
    // A run of one character packs into a few characters a doubling:
    // 200 000 units from about 1 000 characters.
    let bomb = lz_str::compress_to_encoded_uri_component("a".repeat(200_000).as_str());
    assert!(bomb.len() < 2_000, "{}", bomb.len());
    assert_eq!(decompress_uri(&bomb, 100_000), Err(Lz::TooLong));
    assert_eq!(decompress_uri(&bomb, 200_000).map(|u| u.len()), Ok(200_000));
    let link = format!("v1.{bomb}");
    assert!(matches!(decode(&link), Err(ShareError::NotJson(_))));
}

#[test]
fn the_empty_state_round_trips() {
    let empty = SharedState {
        version: VERSION,
        mode: Mode::Run,
        setup: String::new(),
        variants: Vec::new(),
        sweep: String::new(),
        options: SharedOptions::default(),
        lesson: None,
        results: None,
        engines: Vec::new(),
        cpython_results: None,
    };
    assert_eq!(
        to_json(&empty).unwrap(),
        r#"{"pyrace":1,"mode":"run","variants":[]}"#
    );
    assert_eq!(decode(&encode(&empty).unwrap()).unwrap(), empty);
}

/// The largest state allowed, in the characters that cost most: every
/// limit reached at once still opens.
#[test]
fn the_largest_state_round_trips() {
    let label = |c: char| c.to_string().repeat(MAX_LABEL_CHARS);
    let row = |name: String| ResultRow {
        name,
        n: Some(u64::MAX),
        median: f64::MAX,
        ci_low: f64::MIN_POSITIVE,
        ci_high: -0.0,
        ratio: 1e300,
        ratio_low: 5e-324,
        ratio_high: 1.0,
    };
    let mut state = SharedState {
        version: VERSION,
        mode: Mode::Sweep,
        setup: String::new(),
        variants: (0..MAX_VARIANTS)
            .map(|i| SharedVariant {
                name: label(['\0', '𝔘', 'ש', '\u{202E}', '😀', '"'][i]),
                setup: String::new(),
                code: String::new(),
                thread_mode: Some(ThreadMode::Gil),
            })
            .collect(),
        sweep: label('9'),
        options: SharedOptions {
            budget: Some(limits::BUDGET.max),
            thread_mode: Some(ThreadMode::Free),
            switch_interval: Some(limits::SWITCH_INTERVAL.max),
            same_result: None,
        },
        lesson: Some(label('é')),
        results: Some(ResultsSnapshot {
            engine: label('\0'),
            recorded: label('\u{10FFFF}'),
            mode: Mode::Sweep,
            variants: (0..MAX_VARIANTS).map(|_| row(label('\0'))).collect(),
        }),
        engines: Vec::new(),
        cpython_results: None,
    };
    // Names and result names of every variant, sweep, lesson, engine, date.
    let used = MAX_LABEL_CHARS * (2 * MAX_VARIANTS + 4);
    // The rest of the text budget goes to code, NUL (six characters
    // in JSON) and astral characters (two UTF-16 units) alike.
    let mut left = MAX_TOTAL_CHARS - used;
    for (i, variant) in state.variants.iter_mut().enumerate() {
        let chars = left.min(MAX_TEXT_CHARS);
        variant.code = if i % 2 == 0 { "\0" } else { "😀" }.repeat(chars);
        left -= chars;
    }
    state.setup = "\0".repeat(left.min(MAX_TEXT_CHARS));
    state.check().expect("at the limits, not over them");
    assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
    state.setup.push('x');
    assert!(matches!(state.check(), Err(ShareError::TooLarge(_))));
}

#[test]
fn results_snapshot_keeps_the_figures_shown() {
    use crate::{Ratio, Summary, VariantResult};
    let summary = Summary::of(&[1e-6, 2e-6, 3e-6]).unwrap();
    let comparison = Comparison {
        engine: "RustPython 0.6.0 (browser)".into(),
        variants: vec![VariantResult {
            name: "list".into(),
            n: None,
            loops: 10,
            time: summary,
            samples: vec![1e-6, 2e-6, 3e-6],
            ops_per_sec: 5e5,
            ratio: Ratio {
                value: 1.0,
                low: 1.0,
                high: 1.0,
            },
            fastest: true,
            memory: None,
        }],
        baseline: None,
        sweep: Vec::new(),
        rounds: 3,
        elapsed: 1.0,
        budget_exhausted: false,
        warnings: Vec::new(),
        warmup: None,
    };
    let snapshot = ResultsSnapshot::of(&comparison, Mode::Compare, "2026-11-26T03:00:00Z");
    let row = &snapshot.variants[0];
    for (kept, measured) in [(row.median, summary.median), (row.ci_high, summary.ci_high)] {
        assert!(
            (kept - measured).abs() <= measured * 5e-4,
            "{kept} for {measured}"
        );
    }
    assert_eq!(row.ratio, 1.0);
    let json = serde_json::to_string(row).unwrap();
    assert!(json.len() < 120, "four digits, not seventeen: {json}");
    let mut state = sample();
    state.results = Some(snapshot);
    assert_eq!(decode(&encode(&state).unwrap()).unwrap(), state);
}

#[test]
fn rounding_keeps_the_digits_the_page_writes_out() {
    let row = ResultRow {
        name: "list".into(),
        n: None,
        median: 0.000_340_123_4,
        ci_low: 0.000_339_8,
        ci_high: 0.000_341_2,
        ratio: 11_484.4,
        ratio_low: 987.654,
        ratio_high: 12_345.6,
    }
    .rounded();
    assert_eq!(row.median, 3.401e-4);
    assert_eq!(row.ratio_low, 987.7);
    // The page writes ratios of 100 and more whole: "11484×", not "11480×".
    assert_eq!(row.ratio, 11_484.0);
    assert_eq!(
        crate::units::three_digits(row.ratio),
        crate::units::three_digits(11_484.4)
    );
    assert_eq!(row.ratio_high, 12_346.0);
}
