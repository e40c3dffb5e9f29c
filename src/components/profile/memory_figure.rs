//! What one variant's program allocated on one engine: its peak above the
//! start, what it allocated in all where the engine counts it, and the
//! lines whose runs held the most at once. Each engine counts differently
//! (`MemorySource`), and the figure says which count it is.

use pyrace_model::{LineStat, MemoryProfile, MemorySource};
use yew::prelude::*;

use crate::format;

#[derive(Properties, PartialEq)]
pub struct MemoryFigureProps {
    pub memory: MemoryProfile,
    /// The program's lines with a peak, highest first.
    pub top_lines: Vec<LineStat>,
    /// The program's code as it ran, for the lines' text.
    pub code: AttrValue,
    pub engine: AttrValue,
}

/// What an engine's memory figures count, in a sentence: said wherever
/// they are shown (here, and beside the timed statements' results).
pub(crate) fn what_it_counts(source: MemorySource) -> &'static str {
    match source {
        MemorySource::RustpythonAllocator => {
            "RustPython's own allocator count: every allocation of the engine while the code ran (the interpreter's own included), not byte for byte comparable with CPython's."
        }
        MemorySource::Tracemalloc => {
            "CPython's tracemalloc: memory of Python's allocators (objects and their buffers)."
        }
    }
}

/// The source as the page's `data-source` attributes name it.
pub(crate) fn source_key(source: MemorySource) -> &'static str {
    match source {
        MemorySource::RustpythonAllocator => "rustpython_allocator",
        MemorySource::Tracemalloc => "tracemalloc",
    }
}

#[function_component(MemoryFigure)]
pub fn memory_figure(props: &MemoryFigureProps) -> Html {
    crate::render_count::note("MemoryFigure");
    let memory = &props.memory;
    let code_lines: Vec<&str> = props.code.lines().collect();
    let source_key = source_key(memory.source);
    let allocated = match (memory.allocated_bytes, memory.allocations) {
        (Some(bytes), Some(count)) => {
            format!(
                " · allocated {} in {count} allocations",
                format::bytes(bytes as f64)
            )
        }
        _ => String::new(),
    };
    html! {
        <div class="memory-figure" data-engine={props.engine.clone()} data-source={source_key}>
            <p class="memory-peak" data-peak-bytes={memory.peak_bytes.to_string()}>
                <strong>{format!("Peak {}", format::bytes(memory.peak_bytes as f64))}</strong>
                {format!(" above the start{allocated} · {} still held at the end", format::bytes(memory.retained_bytes.max(0) as f64))}
            </p>
            <p class="muted memory-source">{what_it_counts(memory.source)}</p>
            if !props.top_lines.is_empty() {
                <table class="results-table memory-lines">
                    <caption>{"Lines that held the most at once while they ran (callees included)"}</caption>
                    <thead><tr><th scope="col" class="num">{"line"}</th><th scope="col" class="num">{"peak"}</th><th scope="col">{"code"}</th></tr></thead>
                    <tbody>
                        {for props.top_lines.iter().map(|line| html! {
                            <tr data-line={line.line.to_string()} data-peak-bytes={line.peak_bytes.unwrap_or(0).to_string()}>
                                <td class="num">{line.line}</td>
                                <td class="num">{format::bytes(line.peak_bytes.unwrap_or(0) as f64)}</td>
                                <td><code>{code_lines.get(line.line as usize - 1).map(|l| l.trim()).unwrap_or("")}</code></td>
                            </tr>
                        })}
                    </tbody>
                </table>
            }
        </div>
    }
}
