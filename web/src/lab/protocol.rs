//! Messages between the page and a lab worker, and the pure logic of a thread-count sweep.

use serde::{Deserialize, Serialize};

/// The most threads one sweep point may ask for. Browsers cap workers per page well above this,
/// but every thread is a Web Worker with its own stack: more only shows oversubscription.
pub const MAX_THREADS: u32 = 32;
/// The most points one sweep may contain.
pub const MAX_POINTS: usize = 12;

/// One job for a lab worker: render the Mandelbrot set `repeats` times on the worker's pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MandelbrotJob {
    pub width: u32,
    pub height: u32,
    pub max_iter: u32,
    pub repeats: u32,
}

impl Default for MandelbrotJob {
    fn default() -> Self {
        let p = looplab_kernels::mandelbrot::MandelbrotParams::DEFAULT;
        MandelbrotJob {
            width: p.width,
            height: p.height,
            max_iter: p.max_iter,
            repeats: 3,
        }
    }
}

/// What a worker reports for one job (the image travels separately, as a transferred buffer).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobReport {
    /// Threads in the pool that ran the job (`rayon::current_num_threads()` inside the worker).
    pub threads: u32,
    /// Wall time of each repeat, in milliseconds.
    pub times_ms: Vec<f64>,
    /// The image's checksum as a decimal string (a `u64` does not fit a JS number).
    pub checksum: String,
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

/// The median of the samples (the mean of the middle two for an even count).
pub fn median(samples: &[f64]) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    })
}

/// Speedup of `ms` over the one-thread time, when the sweep measured one thread.
pub fn speedup(one_thread_ms: Option<f64>, ms: f64) -> Option<f64> {
    one_thread_ms.filter(|_| ms > 0.0).map(|base| base / ms)
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
    }

    #[test]
    fn median_and_speedup() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(speedup(Some(400.0), 200.0), Some(2.0));
        assert_eq!(speedup(None, 200.0), None);
        assert_eq!(speedup(Some(400.0), 0.0), None);
    }
}
