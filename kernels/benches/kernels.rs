//! Criterion benchmarks: every kernel at 1..N threads (N = available parallelism) with both
//! schedules, through the same `run_job` the page calls.
//!
//! The job size defaults to 0.25 (a quarter of the lab's default work) so that a full run stays
//! in minutes on the 2-core lab machine; set `LOOPLAB_BENCH_SIZE` to change it. For the lab's
//! table (median of 5, speed-up, checksum) use `examples/bench_kernels.rs` instead.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use looplab_kernels::{run_job, JobSpec, KernelId, Schedule};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn bench_size() -> f64 {
    std::env::var("LOOPLAB_BENCH_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.25)
}

fn kernels(c: &mut Criterion) {
    let origin = Instant::now();
    let clock = move || origin.elapsed().as_secs_f64() * 1000.0;
    let max_threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pools: Vec<rayon::ThreadPool> = (1..=max_threads)
        .map(|n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("thread pool")
        })
        .collect();
    let size = bench_size();
    for kernel in KernelId::ALL {
        let mut group = c.benchmark_group(kernel.name());
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500));
        for schedule in Schedule::ALL {
            for pool in &pools {
                let spec = JobSpec {
                    kernel,
                    size,
                    schedule,
                    chunks_hint: 0,
                };
                let threads = pool.current_num_threads();
                group.bench_with_input(
                    BenchmarkId::new(schedule.name(), threads),
                    &spec,
                    |b, spec| {
                        b.iter(|| {
                            pool.install(|| {
                                black_box(run_job(spec, &clock).expect("valid job").checksum)
                            })
                        })
                    },
                );
            }
        }
        group.finish();
    }
}

criterion_group!(benches, kernels);
criterion_main!(benches);
