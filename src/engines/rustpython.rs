//! RustPython's adapter: its engine (`www/engine.js` through
//! `www/app/rustpython-glue.js`) reads the request as it is and streams
//! every event of the run itself, `Finished` included, so there is nothing
//! to add on either side.

use pyrace_model::{RunEvent, RunRequest};

use super::EngineAdapter;

pub struct Rustpython;

impl EngineAdapter for Rustpython {
    fn input(&self, _request: &RunRequest) -> String {
        String::new()
    }

    fn closing_events(&self, _run_id: u64, _reply: &str) -> Result<Vec<RunEvent>, String> {
        Ok(Vec::new())
    }
}
