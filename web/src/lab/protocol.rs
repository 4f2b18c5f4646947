//! Messages between the page and a lab worker, and the pure logic of the lab's measurements:
//! parsing the learner's input, summarising repeated timings, speedup and efficiency, frame-gap
//! statistics and chart scales. Everything here is plain Rust, tested natively.

use looplab_kernels::stats::{spread, Spread};
use looplab_kernels::{ChunkSpan, JobSpec, KernelId, Schedule};
use serde::{Deserialize, Serialize};

/// The most threads one sweep point may ask for. Browsers cap workers per page well above this,
/// but every thread is a Web Worker with its own stack: more only shows oversubscription.
pub const MAX_THREADS: u32 = 32;
/// The most points one sweep may contain.
pub const MAX_POINTS: usize = 12;
/// The most repeats per point.
pub const MAX_REPEATS: u32 = 15;

/// One request to a lab worker: run `spec` `repeats` times on the worker's pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobRequest {
    pub spec: JobSpec,
    pub repeats: u32,
}

/// What a worker reports for one [`JobRequest`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobReport {
    /// Threads in the pool that ran the job (`rayon::current_num_threads()` inside the worker).
    pub threads: u32,
    /// The kernel's own time of each repeat (input generation excluded), in milliseconds.
    pub times_ms: Vec<f64>,
    /// The checksum as a decimal string (a `u64` does not fit a JS number); the same in every
    /// repeat, or the worker reports an error.
    pub checksum: String,
    /// Units of work of one repeat.
    pub items: u64,
    /// The scale factor actually used.
    pub size: f64,
    /// The chunk timeline of the last repeat.
    pub chunks: Vec<ChunkSpan>,
}

/// The sizes the learner can pick: a label and the kernels' scale factor.
pub const SIZES: [(&str, f64); 4] = [
    ("tiny (for tests)", 0.02),
    ("small", 0.25),
    ("medium", 0.5),
    ("large", 1.0),
];

/// A label for a kernel in the page's select.
pub fn kernel_label(kernel: KernelId) -> &'static str {
    match kernel {
        KernelId::Mandelbrot => "Mandelbrot set",
        KernelId::Primes => "Count primes",
        KernelId::Blur => "Blur an image",
        KernelId::Sort => "Merge sort",
    }
}

/// A label for a schedule in the page's select.
pub fn schedule_label(schedule: Schedule) -> &'static str {
    match schedule {
        Schedule::WorkStealing => "work stealing (many small chunks)",
        Schedule::StaticChunks => "static chunks (one block per thread)",
    }
}

/// Parses a comma-separated list of thread counts such as `1,2,4`. Order is kept, duplicates
/// are dropped; anything else gets a message saying what is wrong.
pub fn parse_thread_list(text: &str) -> Result<Vec<u32>, String> {
    let mut counts = Vec::new();
    for part in text.split(',').map(str::trim) {
        if part.is_empty() {
            continue;
        }
        let k: u32 = part.parse().map_err(|_| {
            format!("“{part}” is not a whole number; write thread counts like 1,2,4")
        })?;
        if k == 0 || k > MAX_THREADS {
            return Err(format!(
                "{k} threads is out of range: use 1 to {MAX_THREADS}"
            ));
        }
        if !counts.contains(&k) {
            counts.push(k);
        }
    }
    if counts.is_empty() {
        return Err("Give at least one thread count, for example 1,2".into());
    }
    if counts.len() > MAX_POINTS {
        return Err(format!("At most {MAX_POINTS} thread counts per run"));
    }
    Ok(counts)
}

/// Parses the repeat count (1 to [`MAX_REPEATS`]).
pub fn parse_repeats(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_REPEATS).contains(&n) => Ok(n),
        _ => Err(format!(
            "Repeats must be a whole number from 1 to {MAX_REPEATS}"
        )),
    }
}

/// Speedup of `ms` over the one-thread time, when the sweep measured one thread.
pub fn speedup(one_thread_ms: Option<f64>, ms: f64) -> Option<f64> {
    one_thread_ms.filter(|_| ms > 0.0).map(|base| base / ms)
}

/// One measured point of a sweep, summarised.
#[derive(Clone, Debug, PartialEq)]
pub struct PointSummary {
    pub threads: u32,
    pub spread: Spread,
    /// Speedup of the median over the one-thread median (when 1 thread was measured).
    pub speedup: Option<f64>,
    /// `speedup / threads`.
    pub efficiency: Option<f64>,
    /// The speedup range implied by the slowest and fastest repeat.
    pub speedup_range: Option<(f64, f64)>,
}

/// Summarises `(threads, times)` points: median, spread, speedup, efficiency.
pub fn summarise(points: &[(u32, Vec<f64>)]) -> Vec<PointSummary> {
    let base = points
        .iter()
        .find(|(k, _)| *k == 1)
        .and_then(|(_, t)| spread(t))
        .map(|s| s.median);
    points
        .iter()
        .filter_map(|(k, times)| {
            let s = spread(times)?;
            let up = speedup(base, s.median);
            Some(PointSummary {
                threads: *k,
                spread: s,
                speedup: up,
                efficiency: up.map(|u| u / f64::from(*k)),
                speedup_range: base.filter(|_| s.min > 0.0).map(|b| (b / s.max, b / s.min)),
            })
        })
        .collect()
}

/// What the page learned from watching frames while something ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrameStats {
    /// Frames the page drew during the window.
    pub frames: u32,
    /// The longest gap between two consecutive frames, in milliseconds.
    pub longest_gap_ms: f64,
    /// Frames that should have been drawn at 60 Hz but were not.
    pub dropped: u32,
    /// Long tasks (> 50 ms) the browser reported, and their total duration.
    pub long_tasks: u32,
    pub long_task_ms: f64,
    /// The wall time of the window, in milliseconds.
    pub window_ms: f64,
}

/// The nominal frame interval at 60 Hz.
pub const FRAME_MS: f64 = 1000.0 / 60.0;

/// Frame statistics from the timestamps of the frames drawn (sorted, in milliseconds): the
/// longest gap, and the frames missed (a gap of `g` ms hides `round(g / 16.7) - 1` frames).
pub fn frame_stats(frame_times: &[f64], long_tasks: &[f64], window_ms: f64) -> FrameStats {
    let mut longest: f64 = 0.0;
    let mut dropped = 0u32;
    for pair in frame_times.windows(2) {
        let gap = pair[1] - pair[0];
        longest = longest.max(gap);
        let missed = (gap / FRAME_MS).round() - 1.0;
        if missed > 0.0 {
            dropped += missed as u32;
        }
    }
    FrameStats {
        frames: frame_times.len() as u32,
        longest_gap_ms: longest,
        dropped,
        long_tasks: long_tasks.len() as u32,
        long_task_ms: long_tasks.iter().fold(0.0, |a, b| a + b),
        window_ms,
    }
}

/// Payload sizes of the messaging benchmark: 1 KiB × 4ⁿ up to `max_bytes`.
pub fn payload_sizes(max_bytes: u64) -> Vec<u64> {
    let mut sizes = Vec::new();
    let mut size = 1024u64;
    while size <= max_bytes {
        sizes.push(size);
        size *= 4;
    }
    sizes
}

/// `1024` → `1 KB`, `1048576` → `1 MB` (binary units, as the sizes are powers of two).
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A linear or logarithmic map from data to pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub px_lo: f64,
    pub px_hi: f64,
    pub log: bool,
}

impl Scale {
    /// Maps `value` to pixels (values outside `lo..hi` extrapolate).
    pub fn at(&self, value: f64) -> f64 {
        let (v, lo, hi) = if self.log {
            (
                value.max(f64::MIN_POSITIVE).log10(),
                self.lo.log10(),
                self.hi.log10(),
            )
        } else {
            (value, self.lo, self.hi)
        };
        if hi == lo {
            return self.px_lo;
        }
        self.px_lo + (v - lo) / (hi - lo) * (self.px_hi - self.px_lo)
    }
}

/// The decades `10ⁿ` covering `lo..=hi` (for log-axis ticks).
pub fn decades(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi >= lo) {
        return Vec::new();
    }
    let (a, b) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    (a..=b).map(|e| 10f64.powi(e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_explains_bad_ones() {
        assert_eq!(parse_thread_list("1,2"), Ok(vec![1, 2]));
        assert_eq!(parse_thread_list(" 4 , 1,4,,2 "), Ok(vec![4, 1, 2]));
        assert!(parse_thread_list("").unwrap_err().contains("at least one"));
        assert!(parse_thread_list("1,two").unwrap_err().contains("“two”"));
        assert!(parse_thread_list("0").unwrap_err().contains("out of range"));
        assert!(parse_thread_list("999999999999")
            .unwrap_err()
            .contains("not a whole number"));
        let many = (1..=13)
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(",");
        assert!(parse_thread_list(&many).unwrap_err().contains("At most"));
        assert_eq!(parse_repeats(" 3 "), Ok(3));
        assert!(parse_repeats("0").is_err());
        assert!(parse_repeats("x").is_err());
        assert!(parse_repeats("16").is_err());
    }

    #[test]
    fn summaries_speedup_and_efficiency() {
        assert_eq!(speedup(Some(400.0), 200.0), Some(2.0));
        assert_eq!(speedup(None, 200.0), None);
        assert_eq!(speedup(Some(400.0), 0.0), None);
        let rows = summarise(&[
            (1, vec![400.0, 410.0, 390.0]),
            (2, vec![250.0, 200.0, 205.0]),
        ]);
        assert_eq!(rows[0].spread.median, 400.0);
        assert_eq!(rows[0].speedup, Some(1.0));
        assert_eq!(rows[1].spread.median, 205.0);
        let up = rows[1].speedup.unwrap();
        assert!((up - 400.0 / 205.0).abs() < 1e-12);
        assert!((rows[1].efficiency.unwrap() - up / 2.0).abs() < 1e-12);
        assert_eq!(rows[1].speedup_range, Some((1.6, 2.0)));
        // Without a one-thread point there is no baseline.
        let rows = summarise(&[(2, vec![100.0]), (4, vec![60.0])]);
        assert!(rows
            .iter()
            .all(|r| r.speedup.is_none() && r.efficiency.is_none()));
    }

    #[test]
    fn frame_gaps_and_dropped_frames() {
        let smooth: Vec<f64> = (0..10).map(|i| i as f64 * FRAME_MS).collect();
        let s = frame_stats(&smooth, &[], 150.0);
        assert_eq!((s.frames, s.dropped), (10, 0));
        assert!((s.longest_gap_ms - FRAME_MS).abs() < 1e-9);
        // A 500 ms freeze between two frames hides about 29 frames.
        let frozen = [0.0, 20.0, 520.0, 540.0];
        let s = frame_stats(&frozen, &[480.0], 600.0);
        assert_eq!(s.longest_gap_ms, 500.0);
        assert_eq!(s.dropped, 29);
        assert_eq!((s.long_tasks, s.long_task_ms), (1, 480.0));
        assert_eq!(frame_stats(&[], &[], 0.0).longest_gap_ms, 0.0);
    }

    #[test]
    fn sizes_scales_and_labels() {
        assert_eq!(payload_sizes(64 << 20).len(), 9);
        assert_eq!(
            payload_sizes(1 << 20),
            vec![1024, 4096, 16384, 65536, 262144, 1 << 20]
        );
        assert_eq!(format_bytes(1024), "1 KB");
        assert_eq!(format_bytes(64 << 20), "64 MB");
        assert_eq!(format_bytes(1536), "1.5 KB");
        let lin = Scale {
            lo: 0.0,
            hi: 10.0,
            px_lo: 100.0,
            px_hi: 0.0,
            log: false,
        };
        assert_eq!(lin.at(5.0), 50.0);
        let log = Scale {
            lo: 1.0,
            hi: 100.0,
            px_lo: 0.0,
            px_hi: 200.0,
            log: true,
        };
        assert!((log.at(10.0) - 100.0).abs() < 1e-9);
        assert_eq!(decades(0.05, 20.0), vec![0.01, 0.1, 1.0, 10.0, 100.0]);
        assert!(decades(0.0, 1.0).is_empty());
    }
}
