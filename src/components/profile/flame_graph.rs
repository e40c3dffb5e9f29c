//! One thread's call tree as an icicle: the program (or the thread's
//! function) at the top, each call under its caller as wide as its share
//! of the thread's time (callees included). A click zooms on a frame (its callers stay above, full
//! width: a click on one zooms back out to it); a search marks the frames
//! whose function matches and says their share; every thread's tree is
//! exported in speedscope's format (a profile per thread) and as
//! collapsed stacks (under the thread's name). The layout
//! (`model::icicle`) draws a bounded number of frames, however large the
//! tree.

use std::rc::Rc;

use pyrace_model::ThreadCalls;
use pyrace_model::flame_export;
use pyrace_model::icicle;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::share::export;
use crate::{bindings, format};

/// Height of one row of frames, in pixels.
const ROW_PX: u32 = 22;

#[derive(Properties, PartialEq)]
pub struct FlameGraphProps {
    /// Every thread's calls, all of them exported.
    pub threads: Rc<Vec<ThreadCalls>>,
    /// Which of them is drawn.
    pub thread: usize,
    pub variant: AttrValue,
    /// The engine that ran the program.
    pub engine: AttrValue,
}

#[function_component(FlameGraph)]
pub fn flame_graph(props: &FlameGraphProps) -> Html {
    crate::render_count::note("FlameGraph");
    let zoom = use_state(|| None::<usize>);
    let query = use_state(String::new);
    let failure = use_state(|| None::<String>);
    let thread = &props.threads[props.thread];
    let tree = &thread.calls;
    let layout = icicle::layout(tree, *zoom);
    let (matched, matched_share) = icicle::search(tree, &query);
    let total = tree.total();

    let on_search = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            query.set(input.value());
        })
    };
    let reset = {
        let zoom = zoom.clone();
        Callback::from(move |_| zoom.set(None))
    };
    let stem = export::profile_file_stem(&props.variant, &props.engine);
    let export = |kind: &'static str| {
        let (threads, failure, stem, name) = (
            props.threads.clone(),
            failure.clone(),
            stem.clone(),
            format!("{} on {}", props.variant, props.engine),
        );
        Callback::from(move |_| {
            let saved = if kind == "speedscope" {
                let json = flame_export::speedscope(&threads, &name).to_string();
                bindings::download_text(
                    &format!("{stem}.speedscope.json"),
                    "application/json",
                    &json,
                )
            } else {
                bindings::download_text(
                    &format!("{stem}.collapsed.txt"),
                    "text/plain",
                    &flame_export::collapsed(&threads),
                )
            };
            failure.set(saved.err());
        })
    };

    let frames = layout.frames.iter().map(|frame| {
        let node = &tree.nodes[frame.node];
        let function = tree.frame_of(node);
        let onclick = {
            let zoom = zoom.clone();
            let target = frame.node;
            Callback::from(move |_| zoom.set(Some(target)))
        };
        let percent = format!("{:.1}%", frame.share * 100.0);
        let title = format!(
            "{} — {} of the program's time ({} in all, {} in itself), {} calls",
            function.label(),
            percent,
            format::duration(node.inclusive),
            format::duration(node.own),
            node.calls,
        );
        // Hue from the function's name, among a flame's reds and yellows:
        // a function has one colour wherever it is called.
        let hue = 10
            + function
                .name
                .bytes()
                .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
                % 40;
        let style = format!(
            "left:{:.4}%;width:{:.4}%;top:{}px;height:{}px;--hue:{hue}",
            frame.start * 100.0,
            frame.width * 100.0,
            frame.depth * ROW_PX,
            ROW_PX - 1
        );
        let classes = classes!(
            "flame-frame",
            frame.above_zoom.then_some("above-zoom"),
            matched[frame.node].then_some("match"),
            (*zoom == Some(frame.node)).then_some("zoomed"),
        );
        html! {
            <button class={classes} {style} {title} {onclick} data-function={function.name.clone()}
                data-share={frame.share.to_string()} data-node={frame.node.to_string()}>
                <span>{format!("{} {percent}", function.name)}</span>
            </button>
        }
    });
    let height = layout.depth.max(1) * ROW_PX;
    html! {
        <div class="flame-graph" data-variant={props.variant.clone()} data-engine={props.engine.clone()}
            data-thread={thread.name.clone()}
            data-zoomed={zoom.map(|z| z.to_string())}>
            <div class="flame-tools">
                <input type="search" class="flame-search" placeholder="Search functions"
                    aria-label={format!("Search the functions of {} on {}", props.variant, props.engine)}
                    value={(*query).clone()} oninput={on_search} />
                if !query.trim().is_empty() {
                    <span class="flame-match-share" data-share={matched_share.to_string()}>
                        {format!("{} frames match · {:.1}% of the time",
                            matched.iter().filter(|m| **m).count(), matched_share * 100.0)}
                    </span>
                }
                if zoom.is_some() {
                    <button class="link-button flame-reset" onclick={reset}>{"Show the whole run"}</button>
                }
                <span class="flame-exports">
                    <button class="flame-export-speedscope" onclick={export("speedscope")}
                        title="Every thread's call tree in speedscope's file format, a profile per thread: open it at speedscope.app">{"speedscope JSON"}</button>
                    <button class="flame-export-collapsed" onclick={export("collapsed")}
                        title="One line per call path, under its thread's name, with its own time in µs (flamegraph.pl, inferno)">{"Collapsed stacks"}</button>
                </span>
            </div>
            <div class="flame-rows" style={format!("height:{height}px")} role="group"
                aria-label={format!("Call tree of {} on {} ({}): {} in all", props.variant, props.engine, thread.name, format::duration(total))}>
                {for frames}
            </div>
            if layout.hidden > 0 || tree.folded_calls > 0 {
                <p class="muted flame-note">
                    {if layout.hidden > 0 { format!("{} call paths too narrow to draw here: zoom to see them. ", layout.hidden) } else { String::new() }}
                    {if tree.folded_calls > 0 { format!("{} calls past the tree's size were counted in their caller.", tree.folded_calls) } else { String::new() }}
                </p>
            }
            if let Some(reason) = &*failure {
                <p class="pane-error" role="alert">{format!("Export failed: {reason}")}</p>
            }
        </div>
    }
}
