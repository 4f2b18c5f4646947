//! Fuzz target: any bytes, read as UTF-8 source, are parsed, compiled and run with small
//! budgets. The engine must never panic or hang: it returns an outcome for every input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use looplab_core::{run, RunOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let options = RunOptions {
        instruction_budget: 200_000,
        heap_budget: 200_000,
        max_call_depth: 500,
        ..RunOptions::default()
    };
    let outcome = run(source, &options);
    // Internal errors (exit 70) mean the engine caught one of its own bugs: treat as a crash.
    assert_ne!(outcome.exit_code, 70, "internal error for input:\n{source}\n{}", outcome.stderr);
});
