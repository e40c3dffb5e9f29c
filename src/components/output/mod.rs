//! What programs printed: one console's text (`view`) and the output
//! written outside any variant (`console`).

mod console;
mod view;

pub use console::OutputConsole;
pub use view::OutputView;
