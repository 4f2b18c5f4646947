//! The node-checked corpus (`cli/tests/cases/*.js`, and `cli/tests/cases/*/` projects of
//! several files whose `main.js` runs): each program runs through real `node` and through
//! the `looplab run` binary, each in its own fresh directory holding only the program (the
//! cases write and list files there), and stdout plus exit code must be equal.
//! The cases cover the Node host modules (fs, timers, timers/promises, events, util, process
//! events, crypto, zlib, structuredClone); machine-dependent results are printed as shapes.
//! Without `node` it skips with a note, or fails under CI (`CI` or `LOOPLAB_REQUIRE_NODE=1`
//! set; see `looplab_testkit`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh, empty directory for one run of one case.
fn scratch_dir(case: &str, runner: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "looplab-node-cases-{}-{case}-{runner}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create scratch dir");
    d
}

/// Runs `program args... FILE` inside a fresh directory; returns (stdout, exit code, stderr).
fn run_in_scratch(
    case: &Path,
    runner: &str,
    program: &str,
    args: &[&str],
) -> (String, i32, String) {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let dir = scratch_dir(&name, runner);
    let file = if case.is_dir() {
        copy_dir(case, &dir);
        dir.join("main.js")
    } else {
        let file = dir.join(&name);
        std::fs::copy(case, &file).expect("copy case");
        file
    };
    let out = Command::new(program)
        .args(args)
        .arg(&file)
        .current_dir(&dir)
        .output()
        .expect("start runner");
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Copies the files of project `from` into `to`, subdirectories included.
fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read project").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("create project dir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy project file");
        }
    }
}

#[test]
fn node_checked_cases() {
    if !looplab_testkit::node("node_checked_cases") {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "js") || p.join("main.js").is_file())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    let looplab = env!("CARGO_BIN_EXE_looplab");
    let mut failures = vec![];
    for case in &cases {
        let (node_out, node_code, node_err) = run_in_scratch(case, "node", "node", &[]);
        let (ours, code, err) = run_in_scratch(case, "looplab", looplab, &["run"]);
        if ours != node_out || code != node_code {
            failures.push(format!(
                "{}: exit {code} (node {node_code})\n--- node\n{node_out}--- node stderr\n{node_err}--- looplab\n{ours}--- looplab stderr\n{err}",
                case.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} node-checked cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
