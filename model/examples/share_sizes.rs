//! How long share links get: every lesson of `lessons/` as a share link,
//! without and with a results snapshot, and how long encoding and decoding
//! take. Run by `bench/share-links`.

use std::time::Instant;

use pyrace_model::share::{
    self, ResultRow, ResultsSnapshot, SharedOptions, SharedState, SharedVariant,
};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "lessons".to_owned());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    println!(
        "{:<28} {:>6} {:>6} {:>9} {:>9} {:>9}",
        "lesson", "JSON", "link", "+results", "encode", "decode"
    );
    let mut longest = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let lesson = match pyrace_model::lesson::parse(&name, &text) {
            Ok(lesson) => lesson,
            Err(e) => {
                println!("{name}: not a lesson ({e})");
                continue;
            }
        };
        let mut state = SharedState {
            version: share::VERSION,
            mode: lesson.mode,
            setup: lesson.setup.clone(),
            variants: lesson
                .variants
                .iter()
                .map(|v| SharedVariant {
                    name: v.name.clone(),
                    setup: v.setup.clone(),
                    code: v.code.clone(),
                    thread_mode: v.thread_mode,
                })
                .collect(),
            sweep: lesson
                .sweep
                .as_ref()
                .map(|s| {
                    let sizes: Vec<String> = s.sizes.iter().map(u64::to_string).collect();
                    format!("{}={}", s.var, sizes.join(","))
                })
                .unwrap_or_default(),
            options: SharedOptions {
                budget: lesson.budget,
                ..SharedOptions::default()
            },
            lesson: Some(name.trim_end_matches(".md").to_owned()),
            results: None,
            engines: Vec::new(),
            cpython_results: None,
        };
        let json = share::to_json(&state).unwrap();
        let link = share::encode(&state).unwrap();
        // Figures with as many digits as real ones carry.
        state.results = Some(ResultsSnapshot {
            engine: "RustPython 0.6.0 (wasm32-wasip1-threads)".into(),
            recorded: "2026-11-26T03:43:12.345Z".into(),
            mode: lesson.mode,
            variants: lesson
                .variants
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    ResultRow {
                        name: v.name.clone(),
                        n: None,
                        median: 3.0517578125e-6 * (i + 1) as f64 / 7.0,
                        ci_low: 2.9802322387695312e-6 * (i + 1) as f64 / 7.0,
                        ci_high: 3.337860107421875e-6 * (i + 1) as f64 / 7.0,
                        ratio: 1.0 + i as f64 * 1.2345678901,
                        ratio_low: 1.0 + i as f64 * 1.1111111111,
                        ratio_high: 1.0 + i as f64 * 1.3333333333,
                    }
                    .rounded()
                })
                .collect(),
        });
        let with_results = share::encode(&state).unwrap();
        let rounds = 200;
        let t0 = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(share::encode(&state).unwrap());
        }
        let encode = t0.elapsed().as_secs_f64() / rounds as f64;
        let t0 = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(share::decode(&with_results).unwrap());
        }
        let decode = t0.elapsed().as_secs_f64() / rounds as f64;
        longest = longest.max(with_results.len());
        println!(
            "{:<28} {:>6} {:>6} {:>9} {:>7.0}µs {:>7.0}µs",
            name,
            json.chars().count(),
            link.len(),
            with_results.len(),
            encode * 1e6,
            decode * 1e6
        );
    }
    println!("longest fragment with results: {longest} characters (links warn past 8000)");
}
