//! Trace benchmarks: recorded steps per second and bytes per step for a ~1M-step program,
//! the cost of recording against a plain run, and random-access seek time.
//!
//! `cargo bench -p looplab-core --bench trace` prints, besides criterion's timings, one
//! summary line per program (`trace-summary: ...`) with steps, bytes/step and the seek numbers.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use looplab_core::trace::{record, Seeker};
use looplab_core::{run, RunOptions};
use std::hint::black_box;
use std::time::Instant;

/// About a million statement steps (plus variable writes), with callbacks and promises mixed in.
pub const MILLION: &str = r#"
let total = 0;
function work(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += i;
  }
  return s;
}
for (let k = 0; k < 2000; k++) {
  setTimeout(() => { total += work(50); }, k % 10);
  Promise.resolve(k).then((v) => { total += work(50) + v; });
  setImmediate(() => { total += work(40); });
}
setTimeout(() => console.log('total', total), 20);
"#;

fn summary(name: &str, src: &str) {
    let opts = RunOptions::default();
    let t0 = Instant::now();
    let plain = run(src, &opts);
    let plain_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let (out, t) = record(src, &opts);
    let rec_s = t1.elapsed().as_secs_f64();
    assert_eq!(plain.stdout, out.stdout);
    // random seeks from wherever the cursor is
    let mut c = t.cursor();
    let mut x = 0x9E3779B97F4A7C15u64;
    let n = 2000;
    let mut seeks = Vec::with_capacity(n);
    let ts = Instant::now();
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let i = (x % t.len() as u64) as usize;
        let s0 = Instant::now();
        c.seek(i);
        black_box(c.state());
        seeks.push(s0.elapsed().as_secs_f64());
    }
    let mean_seek = ts.elapsed().as_secs_f64() / n as f64;
    // The worst seek on a shared machine is often a preemption; the 99th percentile is not.
    seeks.sort_by(f64::total_cmp);
    let p99 = seeks[n * 99 / 100];
    let worst = seeks[n - 1];
    // The slowest seeks by construction: to the last step before each keyframe (the longest
    // replay), from the far end of the trace; best of 5 tries each, so that a preemption on a
    // shared machine does not count.
    let mut ends: Vec<usize> = t
        .keyframes
        .iter()
        .skip(1)
        .map(|(k, _)| *k as usize - 1)
        .collect();
    ends.push(t.len() - 1);
    let mut slowest = 0f64;
    for &i in &ends {
        let best = (0..5)
            .map(|_| {
                c.seek(if i < t.len() / 2 { t.len() - 1 } else { 0 });
                let s0 = Instant::now();
                c.seek(i);
                black_box(c.state());
                s0.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        slowest = slowest.max(best);
    }
    let tv = Instant::now();
    for k in 0..200 {
        black_box(t.view((k * 7919) % t.len()));
    }
    let view_s = tv.elapsed().as_secs_f64() / 200.0;
    println!(
        "trace-summary: {name}: {} steps, {:.2} M recorded steps/s, recording {:.2}x a plain run ({:.3} s vs {:.3} s), {:.1} bytes/step (+{:.1} keyframe bytes/step, {} keyframes), seek mean {:.3} ms p99 {:.3} ms worst {:.3} ms, longest replay (best of 5) {:.3} ms, view {:.3} ms",
        t.len(),
        t.len() as f64 / rec_s / 1e6,
        rec_s / plain_s,
        rec_s,
        plain_s,
        t.bytes_per_step(),
        t.keyframe_bytes() as f64 / t.len() as f64,
        t.keyframes.len(),
        mean_seek * 1e3,
        p99 * 1e3,
        worst * 1e3,
        slowest * 1e3,
        view_s * 1e3,
    );
}

fn bench(c: &mut Criterion) {
    summary("million", MILLION);
    let opts = RunOptions::default();
    let (_, t) = record(MILLION, &opts);
    let mut g = c.benchmark_group("trace");
    g.sample_size(10);
    g.throughput(Throughput::Elements(t.len() as u64));
    g.bench_function("record_million", |b| {
        b.iter(|| record(black_box(MILLION), &opts))
    });
    g.bench_function("plain_run_million", |b| {
        b.iter(|| run(black_box(MILLION), &opts))
    });
    g.finish();
    let mut g = c.benchmark_group("seek");
    let mut x = 12345u64;
    let mut cur = t.cursor();
    g.bench_function("random_seek", |b| {
        b.iter(|| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            cur.seek(((x >> 33) % t.len() as u64) as usize);
            black_box(cur.position())
        })
    });
    g.bench_function("random_view", |b| {
        b.iter(|| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            black_box(t.view(((x >> 33) % t.len() as u64) as usize))
        })
    });
    g.finish();

    // What the page's simulator worker does for one view at ~100 k steps (the e2e test's
    // program): seek to the step before, narrate the step, apply it, render the view.
    let (_, t100k) = record(HUNDRED_K, &opts);
    assert!(t100k.len() >= 100_000, "{} steps", t100k.len());
    let mut g = c.benchmark_group("seek_100k");
    let mut seeker = Seeker::default();
    g.bench_function("step_and_view", |b| {
        b.iter(|| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let i = 1 + ((x >> 33) % (t100k.len() as u64 - 1)) as usize;
            seeker.seek(&t100k, i - 1);
            let step = t100k.step_from(i, seeker.state());
            seeker.forward(&t100k);
            black_box((step, seeker.view(&t100k)))
        })
    });
    g.finish();
}

/// About 100 k steps (the playground's seek-latency e2e test runs the same program).
pub const HUNDRED_K: &str =
    "let total = 0;\nfor (let i = 0; i < 34000; i++) {\n  total += i % 7;\n}\nconsole.log(total);\n";

criterion_group!(benches, bench);
criterion_main!(benches);
