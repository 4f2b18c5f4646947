//! The simulated machine: virtual cores shared by worker threads, and determinism.

use looplab_core::{run, RunOptions};

/// Four workers each count to `n` (the same work); the main thread waits for all of them.
fn four_counters(n: u64) -> String {
    format!(
        r#"
const {{ Worker, isMainThread, parentPort }} = require('worker_threads');
if (isMainThread) {{
  let left = 4;
  for (let i = 0; i < 4; i++) {{
    const w = new Worker(__filename);
    w.on('message', (c) => {{ if (--left === 0) console.log('all done', c); }});
  }}
}} else {{
  let c = 0;
  for (let i = 0; i < {n}; i++) c++;
  parentPort.postMessage(c);
}}
"#
    )
}

fn virtual_ms(source: &str, cores: u32) -> f64 {
    let options = RunOptions {
        cores,
        ..Default::default()
    };
    let out = run(source, &options);
    assert_eq!(out.exit_code, 0, "stderr: {}", out.stderr);
    assert_eq!(out.stdout, "all done 2000000\n");
    out.virtual_time_ns as f64 / 1e6
}

#[test]
fn cpu_bound_workers_share_cores_by_time_slices() {
    let src = four_counters(2_000_000);
    let t1 = virtual_ms(&src, 1);
    let t2 = virtual_ms(&src, 2);
    let t4 = virtual_ms(&src, 4);
    let t8 = virtual_ms(&src, 8);
    // the start-up cost is common to all; the counting is 4 x W of CPU time
    let start = looplab_core::CostModel::default().worker_start_ns as f64 / 1e6;
    let (w1, w2, w4, w8) = (t1 - start, t2 - start, t4 - start, t8 - start);
    assert!(w4 > 0.0);
    // one core: four times the work of one worker; two cores: twice
    assert!(
        (w1 / w4 - 4.0).abs() < 0.4,
        "1 core {t1} ms vs 4 cores {t4} ms"
    );
    assert!(
        (w2 / w4 - 2.0).abs() < 0.25,
        "2 cores {t2} ms vs 4 cores {t4} ms"
    );
    // more cores than threads buy nothing
    assert!(
        (w8 / w4 - 1.0).abs() < 0.05,
        "8 cores {t8} ms vs 4 cores {t4} ms"
    );
}

#[test]
fn the_same_program_gives_the_same_run() {
    let src = four_counters(300_000);
    let options = RunOptions {
        cores: 2,
        ..Default::default()
    };
    let a = run(&src, &options);
    let b = run(&src, &options);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.steps, b.steps);
    assert_eq!(a.virtual_time_ns, b.virtual_time_ns);
}

#[test]
fn a_waiting_thread_is_woken_by_notify() {
    let src = r#"
const { Worker, isMainThread, workerData } = require('worker_threads');
if (isMainThread) {
  const sab = new SharedArrayBuffer(8);
  const cell = new Int32Array(sab);
  const w = new Worker(__filename, { workerData: sab });
  w.on('exit', (code) => console.log('worker exit', code, 'value', Atomics.load(cell, 1)));
  setTimeout(() => {
    Atomics.store(cell, 0, 1);
    console.log('notified', Atomics.notify(cell, 0));
  }, 100);
} else {
  const cell = new Int32Array(workerData);
  const r = Atomics.wait(cell, 0, 0);
  Atomics.store(cell, 1, r === 'ok' ? 42 : -1);
}
"#;
    let out = run(src, &RunOptions::default());
    assert_eq!(
        out.stdout, "notified 1\nworker exit 0 value 42\n",
        "{}",
        out.stderr
    );
}

#[test]
fn a_wait_with_a_timeout_times_out() {
    let src = r#"
const { Worker } = require('worker_threads');
const w = new Worker(`
  const { parentPort } = require('worker_threads');
  const cell = new Int32Array(new SharedArrayBuffer(4));
  parentPort.postMessage(Atomics.wait(cell, 0, 0, 50));
`, { eval: true });
w.on('message', (m) => console.log(m));
"#;
    let out = run(src, &RunOptions::default());
    assert_eq!(out.stdout, "timed-out\n", "{}", out.stderr);
}

#[test]
fn a_worker_bomb_stops_with_a_clear_message() {
    let src = r#"
const { Worker } = require('worker_threads');
for (let i = 0; i < 1000; i++) new Worker('setInterval(() => {}, 1000)', { eval: true });
"#;
    let out = run(src, &RunOptions::default());
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("worker threads"), "{}", out.stderr);
}

#[test]
fn threads_waiting_on_each_other_end_with_a_message() {
    let src = r#"
const { Worker } = require('worker_threads');
new Worker(`require('worker_threads').parentPort.on('message', () => {});`, { eval: true });
"#;
    let out = run(src, &RunOptions::default());
    assert_ne!(out.exit_code, 0);
    assert!(out.stderr.contains("never end"), "{}", out.stderr);
}
