//! GIL mode's cost, as the engine measured it: the same one-thread CPU loop
//! timed with the switching hook off and on in interleaved rounds, and what
//! that figure means for the GIL-mode results beside it.

use pyrace_model::GilOverhead;
use yew::prelude::*;

use crate::format;

#[derive(Properties, PartialEq)]
pub struct GilOverheadNoteProps {
    pub overhead: GilOverhead,
}

#[function_component(GilOverheadNote)]
pub fn gil_overhead_note(props: &GilOverheadNoteProps) -> Html {
    crate::render_count::note("GilOverheadNote");
    let o = &props.overhead;
    let percent = (o.ratio - 1.0) * 100.0;
    html! {
        <p class="notice gil-overhead" role="note" data-ratio={format!("{:.4}", o.ratio)}>
            <strong>{format!("GIL mode overhead: ×{:.2}", o.ratio)}</strong>
            {format!(" [{:.2}–{:.2}] ", o.ratio_low, o.ratio_high)}
            {format!(
                "— measured by this engine: a CPU-bound loop on one thread took {} with GIL mode's switching hook on and {} without it (median of {} interleaved rounds). ",
                format::duration(o.hooked), format::duration(o.plain), o.rounds
            )}
            {if percent >= 0.5 {
                format!(
                    "So, once a program starts a second thread, its Python runs about {percent:.0}% slower in GIL mode than free-threaded here, a cost CPython's own GIL does not have: read GIL-mode times with that in mind. "
                )
            } else {
                "So the hook costs GIL-mode threads next to nothing here. ".to_owned()
            }}
            {"A program that never starts a second thread runs without the hook."}
        </p>
    }
}
