//! The native side of the lab's "native vs wasm" comparison: runs every kernel at 1..N threads
//! (N = available parallelism) with both schedules and prints a table of the median time over
//! several runs, the spread, the speed-up over one thread and the checksum, then the Amdahl fit
//! and the lost-update race.
//!
//! `cargo run --release -p looplab-kernels --example bench_kernels -- [--runs 5] [--size 1.0]
//! [--kernel mandelbrot,primes,blur,sort] [--schedule work-stealing,static] [--threads N]`

use looplab_kernels::race::{race_counter, CounterUpdate};
use looplab_kernels::stats::{fit_amdahl, spread};
use looplab_kernels::{run_job, JobOutput, JobSpec, KernelId, Schedule};
use std::time::Instant;

struct Options {
    runs: usize,
    size: f64,
    kernels: Vec<KernelId>,
    schedules: Vec<Schedule>,
    max_threads: usize,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        runs: 5,
        size: 1.0,
        kernels: KernelId::ALL.to_vec(),
        schedules: Schedule::ALL.to_vec(),
        max_threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--runs" => options.runs = value.parse().map_err(|e| format!("--runs: {e}"))?,
            "--size" => options.size = value.parse().map_err(|e| format!("--size: {e}"))?,
            "--threads" => {
                options.max_threads = value.parse().map_err(|e| format!("--threads: {e}"))?
            }
            "--kernel" => {
                options.kernels = value
                    .split(',')
                    .map(|name| {
                        KernelId::from_name(name).ok_or_else(|| format!("unknown kernel {name}"))
                    })
                    .collect::<Result<_, _>>()?
            }
            "--schedule" => {
                options.schedules = value
                    .split(',')
                    .map(|name| {
                        Schedule::from_name(name).ok_or_else(|| format!("unknown schedule {name}"))
                    })
                    .collect::<Result<_, _>>()?
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    options.runs = options.runs.max(1);
    options.max_threads = options.max_threads.max(1);
    Ok(options)
}

fn main() {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("bench_kernels: {message}");
            std::process::exit(2);
        }
    };
    let origin = Instant::now();
    let clock = move || origin.elapsed().as_secs_f64() * 1000.0;
    let pools: Vec<rayon::ThreadPool> = (1..=options.max_threads)
        .map(|n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .expect("thread pool")
        })
        .collect();

    // The lab machine is shared: other processes on the same cores distort every number here.
    let load = || {
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
    };
    if let Ok(load) = load() {
        println!(
            "load average before: {load} ({} cores)",
            std::thread::available_parallelism().map_or(1, |n| n.get())
        );
    }
    println!(
        "{:<11} {:<14} {:>7} {:>10} {:>19} {:>8} {:>18} {:>7}",
        "kernel",
        "schedule",
        "threads",
        "median ms",
        "min..max ms",
        "speedup",
        "checksum",
        "chunks"
    );
    let mut fits = Vec::new();
    let mut all_agree = true;
    for &kernel in &options.kernels {
        let mut kernel_checksum = None;
        for &schedule in &options.schedules {
            // Runs alternate between the thread counts (1, 2, .., N, 1, 2, ..) so that a change
            // in the machine's load during the measurement hits every thread count alike.
            let spec = JobSpec {
                kernel,
                size: options.size,
                schedule,
                chunks_hint: 0,
            };
            let mut outputs: Vec<Vec<JobOutput>> = pools.iter().map(|_| Vec::new()).collect();
            for _ in 0..options.runs {
                for (pool, runs) in pools.iter().zip(&mut outputs) {
                    runs.push(pool.install(|| run_job(&spec, &clock)).expect("valid job"));
                }
            }
            let mut one_thread_ms = None;
            let mut points = Vec::new();
            for (pool, outputs) in pools.iter().zip(&outputs) {
                let times: Vec<f64> = outputs.iter().map(|o| o.elapsed_ms).collect();
                let summary = spread(&times).expect("at least one run");
                let checksum = outputs[0].checksum;
                let agree = outputs.iter().all(|o| o.checksum == checksum)
                    && *kernel_checksum.get_or_insert(checksum) == checksum;
                all_agree &= agree;
                let base = *one_thread_ms.get_or_insert(summary.median);
                points.push((pool.current_num_threads() as u32, summary.median));
                println!(
                    "{:<11} {:<14} {:>7} {:>10.1} {:>19} {:>7.2}x {:>18} {:>7}",
                    kernel.name(),
                    schedule.name(),
                    pool.current_num_threads(),
                    summary.median,
                    format!("{:.1}..{:.1}", summary.min, summary.max),
                    base / summary.median,
                    format!("{checksum:016x}{}", if agree { "" } else { "!" }),
                    outputs[0].chunks.len(),
                );
            }
            fits.push((kernel, schedule, fit_amdahl(&points)));
        }
    }
    println!();
    for (kernel, schedule, fit) in fits {
        match fit {
            Some(fit) => println!(
                "amdahl {:<11} {:<14} serial fraction {:.3}  T1 {:.1} ms  max speedup {:.1}",
                kernel.name(),
                schedule.name(),
                fit.serial_fraction,
                fit.t1_ms,
                fit.max_speedup
            ),
            None => println!(
                "amdahl {:<11} {:<14} (needs two thread counts)",
                kernel.name(),
                schedule.name()
            ),
        }
    }
    println!();
    let widest = pools.last().expect("one pool at least");
    for update in CounterUpdate::ALL {
        let outcome = widest.install(|| race_counter(update, 10_000_000, &clock));
        println!(
            "race {:<16} {} threads x {} = {:>9}  counted {:>9}  lost {:>9}  {:.1} ms",
            update.name(),
            outcome.threads,
            outcome.increments_per_thread,
            outcome.expected,
            outcome.final_count,
            outcome.lost_updates,
            outcome.elapsed_ms
        );
    }
    if let Ok(load) = load() {
        println!("load average after: {load}");
    }
    if !all_agree {
        eprintln!(
            "bench_kernels: checksums differ between runs, thread counts or schedules (marked !)"
        );
        std::process::exit(1);
    }
}
