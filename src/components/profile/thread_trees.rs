//! A profile's call trees, one per thread: the threads to pick from (the
//! thread that ran the program first, then the others by their time,
//! busiest first, as `model::thread_calls` orders them), over the chosen
//! thread's icicle. A program without threads shows its one tree alone.

use std::rc::Rc;

use pyrace_model::ThreadCalls;
use yew::prelude::*;

use super::flame_graph::FlameGraph;
use crate::format;

#[derive(Properties, PartialEq)]
pub struct ThreadTreesProps {
    pub threads: Rc<Vec<ThreadCalls>>,
    pub variant: AttrValue,
    /// The engine that ran the program.
    pub engine: AttrValue,
}

#[function_component(ThreadTrees)]
pub fn thread_trees(props: &ThreadTreesProps) -> Html {
    crate::render_count::note("ThreadTrees");
    let chosen = use_state(|| 0usize);
    let threads = &props.threads;
    let at = (*chosen).min(threads.len().saturating_sub(1));
    let all: f64 = threads.iter().map(ThreadCalls::seconds).sum();
    let choices = threads.iter().enumerate().map(|(i, thread)| {
        let onclick = {
            let chosen = chosen.clone();
            Callback::from(move |_| chosen.set(i))
        };
        let share = if all > 0.0 {
            thread.seconds() / all
        } else {
            0.0
        };
        html! {
            <button class={classes!("thread-choice", (i == at).then_some("chosen"))}
                aria-pressed={(i == at).to_string()} {onclick}
                data-thread={thread.name.clone()} data-main={thread.main.to_string()}
                title={format!("{}: {} under its calls, {:.1}% of all threads' time", thread.name,
                    format::duration(thread.seconds()), share * 100.0)}>
                {thread.name.clone()}
                <span class="thread-time">{format!(" {}", format::duration(thread.seconds()))}</span>
            </button>
        }
    });
    html! {
        <div class="thread-trees" data-threads={threads.len().to_string()}>
            if threads.len() > 1 {
                <div class="thread-picker" role="group"
                    aria-label={format!("Threads of {} on {}: each has its call tree", props.variant, props.engine)}>
                    <span class="muted thread-picker-label">{"Call tree of"}</span>
                    {for choices}
                </div>
            }
            if !threads.is_empty() {
                <FlameGraph key={at} threads={threads.clone()} thread={at}
                    variant={props.variant.clone()} engine={props.engine.clone()} />
            }
        </div>
    }
}
