//! Starts the browser engine once, reporting download progress and its
//! capabilities to the playground state.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::bindings::{self, Engine};
use crate::state::{EngineAction, EngineInfo, Playground};

/// The engine, once started; shared with the context handle.
pub type EngineSlot = Rc<RefCell<Option<Engine>>>;

#[hook]
pub fn use_engine(state: &UseReducerHandle<Playground>) -> EngineSlot {
    let slot: EngineSlot = use_mut_ref(|| None);
    {
        let slot = slot.clone();
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(async move {
                bindings::register_isolation_worker().await;
                let progress = dispatcher.clone();
                let started = bindings::start(move |loaded, total| {
                    progress.dispatch(EngineAction::Progress { loaded, total }.into());
                })
                .await;
                match started {
                    Ok(engine) => {
                        let info = EngineInfo {
                            threads: engine.threads(),
                            isolated: engine.isolated(),
                            timer_resolution: engine.timer_resolution(),
                        };
                        *slot.borrow_mut() = Some(engine);
                        dispatcher.dispatch(EngineAction::Ready(info).into());
                    }
                    Err(reason) => dispatcher.dispatch(EngineAction::Failed(reason).into()),
                }
            });
        });
    }
    slot
}
