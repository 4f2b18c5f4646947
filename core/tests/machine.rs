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

/// Six `pbkdf2` calls of 100 ms of CPU each (threadpool.rs's program), printing when each
/// callback ran (ms since the start).
const PBKDF2: &str = r#"
const crypto = require('crypto');
const start = Date.now();
for (let i = 1; i <= 6; i++) {
  crypto.pbkdf2('secret', 'salt', 100000, 64, 'sha512', (err, key) => {
    console.log(i, Date.now() - start);
  });
}
"#;

/// The callbacks' times (ms), sorted, of a run on `cores` cores and a pool of `pool`.
fn pbkdf2_times(cores: u32, pool: u32) -> Vec<u64> {
    let options = RunOptions {
        cores,
        threadpool_size: pool,
        ..Default::default()
    };
    let out = run(PBKDF2, &options);
    assert_eq!(out.exit_code, 0, "stderr: {}", out.stderr);
    let mut t: Vec<u64> = out
        .stdout
        .lines()
        .map(|l| l.split(' ').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(t.len(), 6, "{}", out.stdout);
    t.sort();
    t
}

fn near(got: u64, want: u64, slack: u64) -> bool {
    got >= want && got <= want + slack
}

#[test]
fn pool_threads_with_cpu_work_share_the_cores() {
    // 4 cores: four hashes at once, then two (T = 100 ms)
    assert_eq!(pbkdf2_times(4, 4), vec![100, 100, 100, 100, 200, 200]);
    // 2 cores: the four pool threads take turns on two cores (2T), then the last two run
    // on one core each (3T); context switches cost a little
    let t2 = pbkdf2_times(2, 4);
    assert!(t2[..4].iter().all(|t| near(*t, 200, 8)), "{t2:?}");
    assert!(t2[4..].iter().all(|t| near(*t, 300, 10)), "{t2:?}");
    // 1 core: 6T of CPU on one core
    let t1 = pbkdf2_times(1, 4);
    assert!(t1[..4].iter().all(|t| near(*t, 400, 15)), "{t1:?}");
    assert!(t1[4..].iter().all(|t| near(*t, 600, 20)), "{t1:?}");
    // a pool of 2 on 2 cores: no contention, batches of two
    assert_eq!(pbkdf2_times(2, 2), vec![100, 100, 200, 200, 300, 300]);
}

#[test]
fn a_busy_main_thread_and_pool_work_slow_each_other_on_one_core() {
    // the main thread counts (about 100 ms of CPU) while one pbkdf2 (100 ms) runs
    let src = r#"
const crypto = require('crypto');
const start = Date.now();
crypto.pbkdf2('secret', 'salt', 100000, 64, 'sha512', () => console.log('hash', Date.now() - start));
let c = 0;
for (let i = 0; i < 520000; i++) c += i & 1;
console.log('count', Date.now() - start);
"#;
    let times = |cores: u32| -> (u64, u64) {
        let out = run(
            src,
            &RunOptions {
                cores,
                ..Default::default()
            },
        );
        assert_eq!(out.exit_code, 0, "stderr: {}", out.stderr);
        let mut count = 0;
        let mut hash = 0;
        for l in out.stdout.lines() {
            let (what, t) = l.split_once(' ').unwrap();
            let t: u64 = t.parse().unwrap();
            if what == "count" {
                count = t;
            } else {
                hash = t;
            }
        }
        (count, hash)
    };
    let (count4, hash4) = times(4);
    let (count1, hash1) = times(1);
    assert!((80..=120).contains(&count4), "count alone: {count4} ms");
    assert_eq!(
        hash4,
        count4.max(100),
        "the hash is done at 100 ms; its callback waits for the count"
    );
    // one core: both get half of it while both run
    assert!(
        count1 as f64 > count4 as f64 * 1.6,
        "count {count1} vs {count4} ms"
    );
    assert!(hash1 as f64 > 160.0, "hash on one core: {hash1} ms");
}

#[test]
fn a_worker_shares_the_process_pool() {
    // one pool thread: the worker's readFile waits behind the main thread's 100 ms hash
    let src = r#"
const { Worker, isMainThread, parentPort } = require('worker_threads');
const fs = require('fs');
if (isMainThread) {
  const start = Date.now();
  require('crypto').pbkdf2('secret', 'salt', 100000, 64, 'sha512', () => console.log('hash', Date.now() - start));
  const w = new Worker(__filename);
  w.on('message', (t) => console.log('worker read', t - start));
} else {
  fs.readFile(__filename, () => parentPort.postMessage(Date.now()));
}
"#;
    let options = RunOptions {
        threadpool_size: 1,
        ..Default::default()
    };
    let out = run(src, &options);
    assert_eq!(out.exit_code, 0, "stderr: {}", out.stderr);
    let read: u64 = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("worker read "))
        .expect("worker line")
        .parse()
        .unwrap();
    // the hash ends at 100 ms, the read takes 1 ms after it
    assert!((101..=103).contains(&read), "{}", out.stdout);
    // with two pool threads the read does not wait
    let out = run(src, &RunOptions::default());
    let read: u64 = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("worker read "))
        .expect("worker line")
        .parse()
        .unwrap();
    assert!(read < 100, "{}", out.stdout);
}

#[test]
fn io_on_the_pool_is_not_slowed_by_busy_cores() {
    use looplab_core::trace::{record, Record};
    // one core, busy with three hashes; the readFile waits on the disk, not on a core
    let src = r#"
const crypto = require('crypto');
const fs = require('fs');
for (let i = 0; i < 3; i++) crypto.pbkdf2('secret', 'salt', 100000, 64, 'sha512', () => {});
fs.readFile(__filename, () => {});
"#;
    let options = RunOptions {
        cores: 1,
        ..Default::default()
    };
    let (out, t) = record(src, &options);
    assert_eq!(out.exit_code, 0, "stderr: {}", out.stderr);
    let fs_cost_us = looplab_core::CostModel::default().fs_read_ns / 1000;
    let (slot, cost) = t
        .records
        .iter()
        .find_map(|r| match r {
            Record::PoolStarted {
                slot,
                io: looplab_core::recorder::IoKind::Fs,
                cost_us,
                ..
            } => Some((*slot, *cost_us)),
            _ => None,
        })
        .expect("the read started");
    assert!(cost as u64 >= fs_cost_us);
    let done = t
        .records
        .iter()
        .find_map(|r| match r {
            Record::PoolDone {
                slot: s, done_us, ..
            } if *s == slot => Some(*done_us),
            _ => None,
        })
        .expect("the read is done");
    // submitted in the first millisecond: done within its cost of that
    assert!((done as u64) < cost as u64 + 1000, "read done at {done} µs");
}

#[test]
fn pool_contention_is_deterministic() {
    let options = RunOptions {
        cores: 2,
        ..Default::default()
    };
    let a = run(PBKDF2, &options);
    let b = run(PBKDF2, &options);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.virtual_time_ns, b.virtual_time_ns);
    let (ma, mb) = (a.machine.expect("report"), b.machine.expect("report"));
    assert_eq!(
        serde_json::to_string(&ma).unwrap(),
        serde_json::to_string(&mb).unwrap()
    );
    assert!(ma.slices.iter().any(|s| s.thread == "libuv pool thread 4"));
    assert!(ma.context_switches > 0);
}
