//! A comparison read in words, above its table: which variant is faster
//! and by how much, or that no difference is clear; then the warnings
//! where the measurement is weak, each saying what to do.

use pyrace_model::{Comparison, Verdict};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VerdictLineProps {
    pub comparison: Comparison,
    /// Which engine measured it, when the run went to more than one.
    #[prop_or_default]
    pub engine: Option<AttrValue>,
}

#[function_component(VerdictLine)]
pub fn verdict_line(props: &VerdictLineProps) -> Html {
    crate::render_count::note("VerdictLine");
    let c = &props.comparison;
    let verdict = Verdict::of_comparison(c);
    if verdict.is_none() && c.warnings.is_empty() {
        return html! {};
    }
    let label = props
        .engine
        .as_ref()
        .map(|e| html! { <span class="engine-label">{e.clone()}</span> });
    html! {
        <div class="verdict" data-engine={props.engine.as_ref().map(|e| e.to_lowercase())}>
            if let Some(verdict) = verdict {
                <p class={classes!("verdict-sentence", (!verdict.clear).then_some("unclear"))}>
                    {label.clone()}{verdict.sentence()}
                </p>
            }
            if !c.warnings.is_empty() {
                <ul class="measurement-warnings" aria-label="Where this measurement is weak">
                    {for c.warnings.iter().map(|w| html! {
                        <li data-kind={w.kind.slug()} data-variant={w.variant.clone()}>
                            <span aria-hidden="true">{"⚠ "}</span>
                            <strong>{w.message.clone()}</strong>{" "}{w.advice.clone()}
                        </li>
                    })}
                </ul>
            }
        </div>
    }
}
