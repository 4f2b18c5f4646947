//! Browser tests of the page's RegExp engine (the browser's own `RegExp`, which the page's
//! module uses instead of regress): the shared RegExp cases print what Node prints, as they do
//! on the native engine (core/tests/regexp.rs), and pattern syntax errors carry Node's texts.
#![cfg(all(target_arch = "wasm32", feature = "workers"))]

use looplab_core::{run, RunOptions};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn run_on_browser_regexp(source: &str) -> (String, String) {
    looplab_web::playground::regex::install();
    let outcome = run(source, &RunOptions::default());
    (outcome.stdout, outcome.stderr)
}

#[wasm_bindgen_test]
fn regexp_cases_print_what_node_prints() {
    let (stdout, stderr) = run_on_browser_regexp(include_str!("../../core/tests/regexp/cases.js"));
    assert_eq!(stderr, "");
    assert_eq!(stdout, include_str!("../../core/tests/regexp/cases.out"));
}

#[wasm_bindgen_test]
fn syntax_errors_have_nodes_texts() {
    let (stdout, stderr) = run_on_browser_regexp(include_str!("regexp-syntax.js"));
    assert_eq!(stderr, "");
    assert_eq!(stdout, include_str!("regexp-syntax.out"));
}
