//! The playground's `Draft` to and from the share-link state
//! (`pyrace_model::share::SharedState`): what an embed opens, and what its
//! "Open in pyrace" link and the embed generator write.

use pyrace_model::share::{self, ShareError, SharedOptions, SharedState, SharedVariant};

use crate::state::{Draft, Pane, PlayMode};

/// The draft a shared state describes. The panes count as freshly loaded,
/// so nothing in them counts as an edit yet.
pub fn draft_from_shared(state: &SharedState) -> Draft {
    let defaults = Draft::default();
    let panes = state
        .variants
        .iter()
        .zip(1..)
        .map(|(variant, key)| Pane {
            key,
            name: variant.name.clone(),
            code: variant.code.clone(),
            setup: variant.setup.clone(),
        })
        .collect();
    let mut draft = Draft {
        mode: PlayMode::of(state.mode),
        setup: state.setup.clone(),
        panes,
        sweep: if state.sweep.is_empty() {
            defaults.sweep
        } else {
            state.sweep.clone()
        },
        budget: state.options.budget.unwrap_or(defaults.budget),
        lesson: state.lesson.clone(),
        next_key: 1,
        loaded: None,
    }
    .repaired();
    draft.loaded = Some(draft.pane_texts());
    draft
}

/// The shared state of a draft, without results.
pub fn shared_from_draft(draft: &Draft) -> SharedState {
    SharedState {
        version: share::VERSION,
        mode: draft.mode.engine_mode(),
        setup: draft.setup.clone(),
        variants: draft
            .panes
            .iter()
            .map(|pane| SharedVariant {
                name: pane.name.clone(),
                setup: pane.setup.clone(),
                code: pane.code.clone(),
                thread_mode: None,
            })
            .collect(),
        sweep: draft.sweep.clone(),
        options: SharedOptions {
            budget: Some(draft.budget),
            ..SharedOptions::default()
        },
        lesson: draft.lesson.clone(),
        results: None,
    }
}

/// A share-link fragment (without `#`) for a draft.
pub fn fragment_of(draft: &Draft) -> Result<String, ShareError> {
    share::encode(&shared_from_draft(draft))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_survives_the_trip_through_a_link() {
        let mut draft = Draft {
            mode: PlayMode::Sweep,
            sweep: "n=10,100".to_owned(),
            budget: 2.0,
            lesson: Some("membership".to_owned()),
            ..Draft::default()
        };
        draft.panes[1].setup = "import bisect\n# ünïcödé ✓".to_owned();
        let fragment = fragment_of(&draft).expect("encodes");
        assert!(fragment.starts_with("v1."));
        let back = draft_from_shared(&share::decode(&fragment).expect("decodes"));
        assert_eq!(back.mode, draft.mode);
        assert_eq!(back.setup, draft.setup);
        assert_eq!(back.panes, draft.panes);
        assert_eq!(back.sweep, draft.sweep);
        assert_eq!(back.budget, draft.budget);
        assert_eq!(back.lesson, draft.lesson);
        assert!(!back.panes.is_empty() && back.loaded == Some(back.pane_texts()));
    }

    #[test]
    fn missing_options_take_the_playground_defaults() {
        let state = share::from_json(
            r#"{"pyrace":1,"mode":"compare","variants":[{"name":"a","code":"1"}]}"#,
        )
        .expect("a minimal state");
        let draft = draft_from_shared(&state);
        let defaults = Draft::default();
        assert_eq!(draft.budget, defaults.budget);
        assert_eq!(draft.sweep, defaults.sweep);
        assert_eq!(draft.panes.len(), 1);
        assert_eq!(draft.next_key, 2);
    }
}
