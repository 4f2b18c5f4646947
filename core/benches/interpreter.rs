//! Interpreter benchmarks: the classic programs of `bench/*.js` (recursive fib, loops with
//! closures, string building, array sort, a 100k promise chain) run through [`run`], the same
//! entry point `looplab run` uses (parse + compile + run + event loop).
//!
//! Every program's stdout is checked once against `bench/expected/NAME.txt` (written by real
//! `node`) before it is timed, so a broken engine cannot bench fast.
//! `cargo bench -p looplab-core --bench interpreter [-- NAME]`; `bench/compare.sh` times the same
//! files against `node --jitless`.

use criterion::{criterion_group, criterion_main, Criterion};
use looplab_core::{run, RunOptions};
use std::hint::black_box;
use std::time::Duration;

/// (name, source, node's stdout)
const PROGRAMS: &[(&str, &str, &str)] = &[
    (
        "fib",
        include_str!("../../bench/fib.js"),
        include_str!("../../bench/expected/fib.txt"),
    ),
    (
        "closures",
        include_str!("../../bench/closures.js"),
        include_str!("../../bench/expected/closures.txt"),
    ),
    (
        "strings",
        include_str!("../../bench/strings.js"),
        include_str!("../../bench/expected/strings.txt"),
    ),
    (
        "sort",
        include_str!("../../bench/sort.js"),
        include_str!("../../bench/expected/sort.txt"),
    ),
    (
        "promises",
        include_str!("../../bench/promises.js"),
        include_str!("../../bench/expected/promises.txt"),
    ),
];

fn bench(c: &mut Criterion) {
    let opts = RunOptions::default();
    let mut g = c.benchmark_group("interpreter");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(5));
    for (name, src, expected) in PROGRAMS {
        let out = run(src, &opts);
        assert_eq!(
            (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
            (*expected, "", 0),
            "bench/{name}.js does not print what node prints"
        );
        g.bench_function(*name, |b| b.iter(|| run(black_box(src), &opts)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
