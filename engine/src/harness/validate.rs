//! What is checked of a request before anything runs, and the error that
//! says what is wrong with it.

use pyrace_model::limits::{self, is_identifier};
use pyrace_model::{Mode, PyError, PyErrorKind, RunRequest};

/// Checks what can be checked before running anything.
pub fn validate(request: &RunRequest) -> Result<(), String> {
    if request.variants.is_empty() {
        return Err("nothing to compare: add at least one variant".into());
    }
    let mut seen = std::collections::HashSet::new();
    for v in &request.variants {
        if v.name.trim().is_empty() {
            return Err("every variant needs a name".into());
        }
        if !seen.insert(v.name.as_str()) {
            return Err(format!(
                "two variants are named {:?}: names must differ",
                v.name
            ));
        }
    }
    let o = &request.options;
    if !(o.target_sample > 0.0 && o.target_sample.is_finite()) {
        return Err("the target sample time must be a positive number of seconds".into());
    }
    limits::BUDGET.check("the budget", o.budget)?;
    limits::SWITCH_INTERVAL.check("the switch interval", o.switch_interval)?;
    if request.mode == Mode::Sweep {
        let Some(sweep) = &o.sweep else {
            return Err("a sweep needs sizes, e.g. n=10,100,1000".into());
        };
        if sweep.sizes.is_empty() {
            return Err("a sweep needs at least one size".into());
        }
        if !is_identifier(&sweep.var) {
            return Err(format!("{:?} cannot be a variable name", sweep.var));
        }
    }
    Ok(())
}

pub(super) fn request_error(message: String) -> PyError {
    PyError {
        kind: PyErrorKind::Request,
        exc_type: "RequestError".into(),
        message,
        part: None,
        line: None,
        column: None,
        traceback: String::new(),
    }
}
