//! `pyrace`: run and time Python snippets side by side from a terminal.

mod cli;

fn main() {
    std::process::exit(cli::main());
}
