//! The tables of `pyrace profile`: the top frames of the call tree, every
//! line as line_profiler prints it, and the memory figures.

use pyrace_model::units::bytes;
use pyrace_model::{LineStat, MemoryProfile, TraceProfile};

use super::units::time;

/// Frames listed by inclusive time.
const TOP_FRAMES: usize = 15;

/// The frames that took the most time, callees included: one table per
/// thread, the main thread's first.
pub fn frames(profile: &TraceProfile) {
    if let Some(share) = profile.hook_share {
        let fate = if profile.hook_seconds > 0.0 {
            "taken out of every figure"
        } else {
            "left in, as line_profiler leaves it"
        };
        println!(
            "Calling the tracer's hooks took {} of the traced time: {fate}.",
            TraceProfile::hook_share_words(share)
        );
    }
    let several = profile.threads.len() > 1;
    for thread in &profile.threads {
        let tree = &thread.calls;
        let total = tree.total();
        if several {
            println!(
                "Call tree of {} ({}): {} in all",
                thread.name,
                profile.tracer,
                time(total)
            );
        } else {
            println!(
                "Call tree ({}): {} in all",
                profile.tracer,
                time(profile.lines.total_seconds)
            );
        }
        println!(
            "{:>10} {:>6} {:>10} {:>9}  function",
            "inclusive", "%", "own", "calls"
        );
        for t in tree.by_frame().iter().take(TOP_FRAMES) {
            let share = if total > 0.0 {
                100.0 * t.inclusive / total
            } else {
                0.0
            };
            println!(
                "{:>10} {:>6.1} {:>10} {:>9}  {}",
                time(t.inclusive),
                share,
                time(t.own),
                t.calls,
                tree.frames[t.frame as usize].label()
            );
        }
        if tree.folded_calls > 0 {
            println!(
                "({} calls past the tree's bound were counted in their callers)",
                tree.folded_calls
            );
        }
        if several {
            println!();
        }
    }
}

/// Every line that ran, in source order, with line_profiler's columns.
pub fn lines(profile: &TraceProfile, source: &str) {
    let source_lines: Vec<&str> = source.lines().collect();
    let text = |l: &LineStat| {
        source_lines
            .get((l.line as usize).wrapping_sub(1))
            .copied()
            .unwrap_or("")
    };
    let p = &profile.lines;
    println!();
    println!("Line profile: {} in all", time(p.total_seconds));
    println!(
        "{:>6} {:>10} {:>10} {:>10} {:>7}  Line Contents",
        "Line", "Hits", "Time", "Per Hit", "% Time"
    );
    for l in p.in_source_order() {
        println!(
            "{:>6} {:>10} {:>10} {:>10} {:>7.1}  {}",
            l.line,
            l.hits,
            time(l.seconds),
            time(l.per_hit()),
            100.0 * p.share(l),
            text(l)
        );
    }
    if let Some(hot) = p.ranked().first() {
        println!("Hottest: line {} ({})", hot.line, text(hot).trim());
    }
    if p.dropped_hits > 0 {
        println!("({} hits of lines past the table's bound)", p.dropped_hits);
    }
}

/// The memory figures and, when the lines were traced, the lines that
/// peaked highest.
pub fn memory(memory: &MemoryProfile, profile: Option<&TraceProfile>, source: &str) {
    println!();
    println!("Memory: {}", memory.source.label());
    println!("  peak {} above the start", bytes(memory.peak_bytes as f64));
    match (memory.allocated_bytes, memory.allocations) {
        (Some(b), Some(n)) => println!("  allocated {} in {n} allocations", bytes(b as f64)),
        _ => println!("  allocated: not counted by this engine (tracemalloc keeps no total)"),
    }
    println!(
        "  still held at the end: {}",
        bytes(memory.retained_bytes as f64)
    );
    let Some(profile) = profile else {
        println!("  (each line's peak: with --lines)");
        return;
    };
    let top = profile
        .lines
        .top_allocating(pyrace_model::limits::MEMORY_TOP_LINES);
    if top.is_empty() {
        return;
    }
    let source_lines: Vec<&str> = source.lines().collect();
    println!("  lines by peak above their start:");
    for l in top {
        let text = source_lines
            .get((l.line as usize).wrapping_sub(1))
            .copied()
            .unwrap_or("");
        println!(
            "  {:>10}  line {:>4}  {}",
            bytes(l.peak_bytes.unwrap_or(0) as f64),
            l.line,
            text.trim()
        );
    }
}
