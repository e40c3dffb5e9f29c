//! Processes started by a program that is not a file (as in the playground,
//! where `pyrace request` runs code sent as JSON): multiprocessing's spawn
//! children re-run the program from its source as `__mp_main__`.

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn children_of_a_program_without_a_file_rerun_it_from_source() {
    let code = "import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
OFFSET = 1000
def shifted(x):
    return x + OFFSET
if __name__ == '__main__':
    with mp.Pool(2) as pool:
        print('pool', pool.map(shifted, range(3)))
    with ProcessPoolExecutor(1) as ex:
        print('executor', ex.submit(shifted, 5).result())
    print('main ran as', __name__)
";
    let request = serde_json::json!({
        "run_id": 7,
        "mode": "run",
        "setup": "import os",
        "variants": [{"name": "main", "code": code}],
        "options": {},
    });
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyrace"))
        .arg("request")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pyrace runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let printed: String = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|e| e["event"] == "output" && e["run_id"] == 7)
        .map(|e| e["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        printed, "pool [1000, 1001, 1002]\nexecutor 1005\nmain ran as __main__\n",
        "{stdout}\n{stderr}"
    );
}
