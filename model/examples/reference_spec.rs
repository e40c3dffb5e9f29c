//! Prints the reference harness's spec for a run request: reads a
//! `RunRequest` as JSON on stdin and writes what `pyrace compare --python`
//! and the browser's CPython engine hand CPython (`model::reference_spec`).
//! Benches use it to run pyrace's own timing functions on any CPython
//! without building the engine: `cargo run -q -p pyrace-model --example
//! reference_spec < request.json`.

use std::io::Read;

use pyrace_model::RunRequest;
use pyrace_model::reference_spec::reference_spec;

fn main() {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("reference_spec: cannot read stdin: {e}");
        std::process::exit(2);
    }
    match serde_json::from_str::<RunRequest>(&text) {
        Ok(request) => println!("{}", reference_spec(&request)),
        Err(e) => {
            eprintln!("reference_spec: not a run request: {e}");
            std::process::exit(2);
        }
    }
}
