//! Property tests: every state round-trips, and no input makes decoding
//! panic (`cargo test -p pyrace-model share -- --nocapture` prints how many
//! inputs each property tried).

use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};

use super::*;

/// Characters that break naive codecs: NUL, astral, right-to-left, the
/// override mark, JSON's own syntax, the highest BMP scalar.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => any::<char>(),
        1 => prop::sample::select(vec![
            '\0', '𝔘', '😀', '\u{10FFFF}', 'א', 'ש', 'ع', '\u{202E}', '\u{200F}', '"', '\\',
            '\n', '\u{FFFF}', '\u{FEFF}', 'é', '$', '+', '%', '#',
        ]),
    ]
}

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..max).prop_map(String::from_iter)
}

fn figure() -> impl Strategy<Value = f64> {
    prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO
}

fn mode() -> impl Strategy<Value = Mode> {
    prop::sample::select(vec![Mode::Run, Mode::Compare, Mode::Sweep, Mode::Program])
}

fn thread_mode() -> impl Strategy<Value = Option<ThreadMode>> {
    prop::option::of(prop::sample::select(vec![
        ThreadMode::Free,
        ThreadMode::Gil,
    ]))
}

fn variant() -> impl Strategy<Value = SharedVariant> {
    (text(12), text(40), text(80), thread_mode()).prop_map(|(name, setup, code, thread_mode)| {
        SharedVariant {
            name,
            setup,
            code,
            thread_mode,
        }
    })
}

fn row() -> impl Strategy<Value = ResultRow> {
    (
        text(12),
        prop::option::of(any::<u64>()),
        prop::array::uniform6(figure()),
    )
        .prop_map(|(name, n, f)| ResultRow {
            name,
            n,
            median: f[0],
            ci_low: f[1],
            ci_high: f[2],
            ratio: f[3],
            ratio_low: f[4],
            ratio_high: f[5],
        })
}

fn results() -> impl Strategy<Value = ResultsSnapshot> {
    (
        text(30),
        text(25),
        mode(),
        prop::collection::vec(row(), 0..=MAX_VARIANTS),
    )
        .prop_map(|(engine, recorded, mode, variants)| ResultsSnapshot {
            engine,
            recorded,
            mode,
            variants,
        })
}

fn state() -> impl Strategy<Value = SharedState> {
    (
        mode(),
        text(60),
        prop::collection::vec(variant(), 0..=MAX_VARIANTS),
        text(20),
        (
            prop::option::of(limits::BUDGET.min..=limits::BUDGET.max),
            thread_mode(),
            prop::option::of(limits::SWITCH_INTERVAL.min..=limits::SWITCH_INTERVAL.max),
            prop::option::of(prop::sample::select(vec![String::new(), "out".to_owned()])),
        ),
        prop::option::of(text(20)),
        prop::option::of(results()),
    )
        .prop_map(
            |(
                mode,
                setup,
                variants,
                sweep,
                (budget, thread_mode, switch_interval, same_result),
                lesson,
                results,
            )| {
                SharedState {
                    version: VERSION,
                    mode,
                    setup,
                    variants,
                    sweep,
                    options: SharedOptions {
                        budget,
                        thread_mode,
                        switch_interval,
                        same_result,
                    },
                    lesson,
                    engines: if results.is_some() {
                        vec![EngineId::Cpython]
                    } else {
                        Vec::new()
                    },
                    cpython_results: results.clone(),
                    results,
                }
            },
        )
}

/// Anything a pasted or tampered link could hold.
fn junk() -> impl Strategy<Value = String> {
    let alphabet = prop::sample::select(URI_ALPHABET.to_vec());
    prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<u8>(), 0..64)
            .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        prop::collection::vec(alphabet.clone(), 0..120)
            .prop_map(|b| format!("v1.{}", String::from_utf8(b).unwrap())),
        (any::<u32>(), prop::collection::vec(alphabet, 0..40))
            .prop_map(|(v, b)| format!("v{v}.{}", String::from_utf8(b).unwrap())),
    ]
}

/// Runs a property on `cases` generated inputs and reports how many
/// inputs it tried (`-- --nocapture` shows the counts).
fn check<S: Strategy>(
    what: &str,
    cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let tried = AtomicUsize::new(0);
    let mut runner = TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let outcome = runner.run(&strategy, |input| {
        tried.fetch_add(1, Ordering::Relaxed);
        property(input)
    });
    let tried = tried.load(Ordering::Relaxed);
    eprintln!("share codec: {what}: {tried} inputs tried");
    outcome.unwrap();
    assert!(tried >= cases as usize, "{what}: only {tried} inputs tried");
}

#[test]
fn every_state_round_trips_through_a_link_and_a_file() {
    check("round trips", 3_000, state(), |state| {
        let link = encode(&state).unwrap();
        prop_assert!(link[3..].bytes().all(|b| URI_ALPHABET.contains(&b)));
        prop_assert_eq!(decode(&link).unwrap(), state.clone());
        prop_assert_eq!(from_json(&to_json(&state).unwrap()).unwrap(), state);
        Ok(())
    });
}

#[test]
fn a_tampered_link_fails_cleanly_or_decodes_to_a_valid_state() {
    let alphabet = prop::sample::select(URI_ALPHABET.to_vec());
    let inputs = (
        state(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        alphabet,
    );
    check("tampered links", 3_000, inputs, |(state, cut, at, by)| {
        let link = encode(&state).unwrap();
        let payload = &link.as_bytes()[3..];
        let truncated = &link[..3 + cut.index(payload.len())];
        let mut changed = payload.to_vec();
        let at = at.index(changed.len());
        changed[at] = by;
        let changed = format!("v1.{}", String::from_utf8(changed).unwrap());
        for tampered in [truncated, changed.as_str()] {
            if let Ok(decoded) = decode(tampered) {
                prop_assert!(decoded.check().is_ok());
            }
        }
        Ok(())
    });
}

#[test]
fn decoding_anything_never_panics() {
    check("arbitrary inputs", 100_000, junk(), |input| {
        let _ = decode(&input);
        let _ = from_json(&input);
        Ok(())
    });
}

#[test]
fn the_bounded_decoder_agrees_with_lz_str() {
    let payload = prop::collection::vec(prop::sample::select(URI_ALPHABET.to_vec()), 0..48);
    check(
        "random payloads against lz-str",
        50_000,
        payload,
        |payload| {
            let payload = String::from_utf8(payload).unwrap();
            let ours = decompress_uri(&payload, MAX_JSON_UNITS).ok();
            prop_assert_eq!(
                ours,
                lz_str::decompress_from_encoded_uri_component(&payload)
            );
            Ok(())
        },
    );
    check("real links against lz-str", 500, state(), |state| {
        let json = to_json(&state).unwrap();
        let packed = lz_str::compress_to_encoded_uri_component(json.as_str());
        let ours = decompress_uri(&packed, MAX_JSON_UNITS).unwrap();
        prop_assert_eq!(
            Some(ours),
            lz_str::decompress_from_encoded_uri_component(&packed)
        );
        Ok(())
    });
}
