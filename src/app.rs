//! The page: the playground context and its layout — top bar, the lesson's
//! prose, the shared setup, the variant panes side by side, and the results.

use yew::prelude::*;

use crate::components::{
    LessonProse, LinkNotice, OutputConsole, ResultsPanel, SetupPane, TopBar, VariantPanes,
};
use crate::hooks::{
    PlaygroundHandle, load_draft, use_playground, use_run_shortcut, use_saved_draft,
    use_shared_link,
};

#[function_component(App)]
pub fn app() -> Html {
    let handle = use_playground(load_draft);
    use_saved_draft(&handle.draft);
    use_run_shortcut(&handle);
    use_shared_link(&handle);
    html! {
        <ContextProvider<PlaygroundHandle> context={handle}>
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
        </ContextProvider<PlaygroundHandle>>
    }
}
