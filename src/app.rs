//! The page: the playground context and its layout — top bar, the lesson's
//! prose, the shared setup, the variant panes side by side, and the results.

use yew::prelude::*;

use crate::components::{
    LessonProse, LinkNotice, OutputConsole, ResultsPanel, SetupPane, TopBar, VariantPanes,
};
use crate::hooks::{
    load_draft, use_playground, use_run_shortcut, use_saved_draft, use_shared_link,
};

#[function_component(App)]
pub fn app() -> Html {
    let contexts = use_playground(load_draft);
    use_saved_draft(&contexts.draft);
    use_run_shortcut(&contexts.handle);
    use_shared_link(&contexts.handle);
    contexts.provide(html! {
            <div class="app">
                <TopBar />
                <main class="workspace">
                    <LinkNotice />
                    <LessonProse />
                    <SetupPane />
                    <VariantPanes />
                    <ResultsPanel />
                    <OutputConsole />
                </main>
            </div>
    })
}
