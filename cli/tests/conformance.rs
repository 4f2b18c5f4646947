//! Runs the shared conformance corpus (`../shared/conformance/cases` relative to the
//! workspace root, or `LOOPLAB_CONFORMANCE_DIR`) through `looplab-core` and asserts every
//! case of the tiers we fully pass. Without the corpus it skips with a note, or fails under CI
//! (`CI` or `LOOPLAB_REQUIRE_NODE=1` set; see `looplab_testkit`).

use looplab_testkit::{conformance_dir, on_big_stack};
use std::path::PathBuf;

/// Tiers that must pass completely.
const REQUIRED_TIERS: &[&str] = &["t1-", "t2-", "t3-", "t4-", "t5-"];

#[test]
fn conformance_corpus() {
    let Some(dir) = conformance_dir("conformance_corpus") else {
        return;
    };
    let dir = std::fs::canonicalize(&dir).expect("canonical cases dir");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "js"))
        .collect();
    names.sort();
    let mut failures = vec![];
    let mut checked = 0;
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if !REQUIRED_TIERS.iter().any(|t| name.starts_with(t)) {
            continue;
        }
        checked += 1;
        let source = std::fs::read_to_string(&path).expect("read case");
        let expected = std::fs::read_to_string(path.with_extension("stdout")).expect("stdout file");
        let exit: i32 = std::fs::read_to_string(path.with_extension("exit"))
            .expect("exit file")
            .trim()
            .parse()
            .expect("exit code");
        let options = looplab_core::RunOptions {
            filename: path.display().to_string(),
            cwd: dir.display().to_string(),
            ..Default::default()
        };
        let src = source.clone();
        let outcome = on_big_stack(move || looplab_core::run(&src, &options));
        if outcome.stdout != expected || outcome.exit_code != exit {
            failures.push(format!(
                "{name}: exit {} (expected {exit})\n--- expected\n{expected}--- actual\n{}--- stderr\n{}",
                outcome.exit_code, outcome.stdout, outcome.stderr
            ));
        }
    }
    assert!(checked > 0, "no cases found in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
