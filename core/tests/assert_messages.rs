//! Messages of the `assert` module that cli/tests/cases/assert.js cannot check against node
//! because they differ from Node 20's by design (see the module doc of `host::assert`): a
//! generated comparison message with an object operand diffs this host's default
//! `util.inspect` lines, where Node diffs its `compact: false, sorted: true` layout. These
//! tests pin the path (header, `+ actual - expected`, the lines) so a change is seen; Node
//! prints the second one with `[`, `  1` and `]` on lines of their own.

use looplab_core::{run, RunOptions};

fn out(src: &str) -> String {
    let src = src.to_string();
    let o = looplab_testkit::on_big_stack(move || run(&src, &RunOptions::default()));
    assert_eq!(o.stderr, "");
    o.stdout
}

#[test]
fn object_operands_are_diffed_by_inspect_lines() {
    let s = out("const assert = require('assert');
        try { assert.deepStrictEqual({ a: 1 }, { a: '1' }); } catch (e) {
          console.log(JSON.stringify(e.message), e.operator, e.generatedMessage); }");
    assert_eq!(
        s,
        "\"Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n+ { a: 1 }\\n- { a: '1' }\\n       ^\" deepStrictEqual true\n"
    );
}

#[test]
fn reference_inequality_of_equal_looking_objects_is_named() {
    let s = out("const assert = require('assert');
        try { assert.strictEqual([1], [1]); } catch (e) { console.log(JSON.stringify(e.message)); }");
    assert_eq!(
        s,
        "\"Values have same structure but are not reference-equal:\\n\\n[ 1 ]\\n\"\n"
    );
}
