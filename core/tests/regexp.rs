//! The RegExp cases (tests/regexp/cases.js) print what Node prints, on the native engine
//! (regress). The page's engine, the browser's own RegExp, runs the same file in
//! web/tests/regexp.rs.

use looplab_core::{run, RunOptions};

#[test]
fn regexp_cases_print_what_node_prints() {
    let source = include_str!("regexp/cases.js");
    let expected = include_str!("regexp/cases.out");
    let outcome = looplab_testkit::on_big_stack(move || run(source, &RunOptions::default()));
    assert_eq!(outcome.stderr, "");
    assert_eq!(outcome.stdout, expected);
}
