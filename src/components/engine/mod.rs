//! The engines as the page shows them: an engine's status (`status`, one
//! component for every engine) and the "CPython too" switch that loads
//! CPython (`cpython_switch`).

mod cpython_switch;
mod status;

pub use cpython_switch::CpythonSwitch;
pub use status::EngineStatus;
