//! The loaded lesson's prose, above the panes, folded away on request.

use yew::prelude::*;

use super::claims::LessonClaims;
use super::figures::LessonFigures;
use crate::components::{use_draft, use_handle};
use super::markdown::{self, Block, Inline};

fn inline(runs: &[Inline]) -> Html {
    runs.iter()
        .map(|run| match run {
            Inline::Text(text) => html! { {text.clone()} },
            Inline::Code(code) => html! { <code>{code.clone()}</code> },
            Inline::Strong(text) => html! { <strong>{text.clone()}</strong> },
            Inline::Emphasis(text) => html! { <em>{text.clone()}</em> },
        })
        .collect()
}

#[function_component(LessonProse)]
pub fn lesson_prose() -> Html {
    crate::render_count::note("LessonProse");
    let handle = use_handle();
    let draft = use_draft();
    let Some(entry) = handle.lesson_of(&draft) else {
        return html! {};
    };
    let lesson = &entry.lesson;
    // The lesson's own top heading repeats its title: the summary shows it.
    let blocks: Vec<Block> = markdown::parse(&lesson.prose)
        .into_iter()
        .skip_while(|block| matches!(block, Block::Heading(1, _)))
        .collect();
    html! {
        <details class="lesson-prose" open=true>
            <summary>
                <span class="lesson-topic">{lesson.topic.clone()}</span>
                <span class="lesson-title">{lesson.title.clone()}</span>
            </summary>
            <div class="prose">
                {for blocks.iter().map(|block| match block {
                    Block::Heading(_, runs) => html! { <h3>{inline(runs)}</h3> },
                    Block::Paragraph(runs) => html! { <p>{inline(runs)}</p> },
                    Block::List(items) => html! { <ul>{for items.iter().map(|item| html! { <li>{inline(item)}</li> })}</ul> },
                    Block::Code(code) => html! { <pre><code>{code.clone()}</code></pre> },
                })}
                <LessonFigures />
                <LessonClaims />
            </div>
        </details>
    }
}
