//! The ```` ```cpython ```` block `pyrace lesson FILE --python PATH` prints
//! for the lesson's file: CPython's figures in the form the lesson parser
//! reads back (`model::lesson::reference`), so a writer re-measures a
//! lesson by pasting its output.

use pyrace_model::units;
use pyrace_model::{Comparison, Mode};

/// The block's lines, without the fences.
pub fn lines(version: &str, comparison: Option<&Comparison>, hot: &[(String, String)]) -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut out = format!(
        "version: {}\nmachine: {cores}-core {} {}\n",
        short_version(version),
        std::env::consts::ARCH,
        os_name()
    );
    if let Some(c) = comparison {
        for v in &c.variants {
            out.push_str(&format!("{}: {}\n", v.name, units::duration(v.time.median)));
        }
        for v in &c.variants {
            if let Some(memory) = &v.memory {
                out.push_str(&format!(
                    "{} peak: {}\n",
                    v.name,
                    units::bytes(memory.peak_bytes as f64)
                ));
            }
        }
        for s in &c.sweep {
            if let Some(class) = s.growth.and_then(|g| g.class) {
                out.push_str(&format!("growth {}: {class}\n", s.name));
            }
            if let Some(class) = s.memory_growth.and_then(|g| g.class) {
                out.push_str(&format!("memory growth {}: {class}\n", s.name));
            }
        }
    }
    for (variant, text) in hot {
        out.push_str(&format!("hottest line {variant}: {text}\n"));
    }
    out
}

/// Prints the block to paste, with what it was measured by.
pub fn print(mode: Mode, block: &str) {
    let how = if mode == Mode::Run {
        "the hottest line of each program, profiled"
    } else {
        "median per loop; peak memory of one execution by tracemalloc"
    };
    println!("\nCPython's figures for the lesson's `cpython` block ({how}):\n");
    println!("```cpython\n{block}```");
}

/// `CPython 3.11.7` of `CPython 3.11.7 (/usr/bin/python3)`.
fn short_version(engine: &str) -> &str {
    engine.split(" (").next().unwrap_or(engine)
}

fn os_name() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "macOS",
        "windows" => "Windows",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_loses_the_interpreter_path() {
        assert_eq!(
            short_version("CPython 3.11.7 (/usr/bin/python3)"),
            "CPython 3.11.7"
        );
        let block = lines(
            "CPython 3.12.1",
            None,
            &[("slow".into(), "if i not in seen:".into())],
        );
        assert!(block.starts_with("version: CPython 3.12.1\nmachine: "));
        assert!(block.ends_with("hottest line slow: if i not in seen:\n"));
    }
}
