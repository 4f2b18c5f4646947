//! The RegExp cases (tests/regexp/cases.js) print what Node prints, on the native engine
//! (regress). The page's engine, the browser's own RegExp, runs the same file in
//! web/tests/regexp.rs.

use looplab_core::{run, RunOptions};

#[test]
fn regexp_cases_print_what_node_prints() {
    let source = include_str!("regexp/cases.js");
    let expected = include_str!("regexp/cases.out");
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || run(source, &RunOptions::default()))
        .unwrap()
        .join()
        .expect("no panic");
    assert_eq!(outcome.stderr, "");
    assert_eq!(outcome.stdout, expected);
}
