//! Summaries of repeated timings and the Amdahl's-law fit.
//!
//! What it teaches: a single timing is noise; the lab runs each point several times and shows the
//! median with its spread. Amdahl's law says that if a fraction `s` of the one-thread time `T₁`
//! cannot be parallelised, `p` threads take `T(p) = T₁·(s + (1 − s)/p)` and the speed-up can never
//! exceed `1/s`. [`fit_amdahl`] estimates `s` from measured (threads, median ms) points.
//!
//! The fit: with `a = T₁·s` and `b = T₁·(1 − s)` the law is linear, `T(p) = a + b·(1/p)`, so
//! ordinary least squares on `x = 1/p` gives `a` and `b`; both are constrained to be ≥ 0 (a
//! negative serial time or a slowdown that grows with threads is outside the model, and the fit
//! falls back to the best one-parameter model). Then `s = a / (a + b)` and `T₁ = a + b`.

use serde::{Deserialize, Serialize};

/// Median of `samples` (NaNs are ignored); `None` if there is no number.
pub fn median(samples: &[f64]) -> Option<f64> {
    spread(samples).map(|s| s.median)
}

/// Five-number summary of a set of timings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    pub count: usize,
    pub min: f64,
    /// First quartile (linear interpolation between order statistics).
    pub q1: f64,
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
    pub max: f64,
}

impl Spread {
    /// Interquartile range `q3 - q1`.
    pub fn iqr(&self) -> f64 {
        self.q3 - self.q1
    }
}

/// The five-number summary of `samples` (NaNs are ignored); `None` if there is no number.
pub fn spread(samples: &[f64]) -> Option<Spread> {
    let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| !x.is_nan()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let quantile = |q: f64| {
        let pos = q * (sorted.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
    };
    Some(Spread {
        count: sorted.len(),
        min: sorted[0],
        q1: quantile(0.25),
        median: quantile(0.5),
        q3: quantile(0.75),
        max: sorted[sorted.len() - 1],
    })
}

/// Amdahl's law: time on `threads` threads.
pub fn amdahl_time(t1_ms: f64, serial_fraction: f64, threads: f64) -> f64 {
    t1_ms * (serial_fraction + (1.0 - serial_fraction) / threads)
}

/// Amdahl's law: speed-up on `threads` threads, `1 / (s + (1 - s)/p)`.
pub fn amdahl_speedup(serial_fraction: f64, threads: f64) -> f64 {
    1.0 / (serial_fraction + (1.0 - serial_fraction) / threads)
}

/// The result of [`fit_amdahl`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmdahlFit {
    /// Estimated serial fraction `s`, in `0..=1`.
    pub serial_fraction: f64,
    /// Estimated one-thread time `T₁ = a + b`, in milliseconds.
    pub t1_ms: f64,
    /// `1 / s`: the speed-up no number of threads can beat (infinite when `s` = 0).
    pub max_speedup: f64,
    /// Root-mean-square difference between the points and the fitted curve, in milliseconds.
    pub rms_error_ms: f64,
}

/// Least-squares fit of Amdahl's law to `(threads, median ms)` points (see the module docs).
/// Points with `threads == 0` or a time that is not a finite number > 0 are ignored; `None` if
/// fewer than two distinct thread counts remain.
pub fn fit_amdahl(points: &[(u32, f64)]) -> Option<AmdahlFit> {
    let pts: Vec<(f64, f64)> = points
        .iter()
        .filter(|&&(p, t)| p > 0 && t.is_finite() && t > 0.0)
        .map(|&(p, t)| (1.0 / p as f64, t))
        .collect();
    let first_x = pts.first()?.0;
    if pts.iter().all(|&(x, _)| x == first_x) {
        return None;
    }
    let n = pts.len() as f64;
    let (sx, st) = pts
        .iter()
        .fold((0.0, 0.0), |(sx, st), &(x, t)| (sx + x, st + t));
    let (mx, mt) = (sx / n, st / n);
    let (sxx, sxt) = pts.iter().fold((0.0, 0.0), |(sxx, sxt), &(x, t)| {
        (sxx + (x - mx) * (x - mx), sxt + (x - mx) * (t - mt))
    });
    let (mut a, mut b) = (mt - sxt / sxx * mx, sxt / sxx);
    if a < 0.0 {
        // Best fit through the origin: perfectly parallel.
        a = 0.0;
        b = pts.iter().map(|&(x, t)| x * t).sum::<f64>()
            / pts.iter().map(|&(x, _)| x * x).sum::<f64>();
    }
    if b < 0.0 {
        // More threads made it slower: nothing parallel to see, a constant fits best.
        a = mt;
        b = 0.0;
    }
    let t1_ms = a + b;
    if t1_ms <= 0.0 || !t1_ms.is_finite() {
        return None;
    }
    let serial_fraction = (a / t1_ms).clamp(0.0, 1.0);
    let rms_error_ms = (pts
        .iter()
        .map(|&(x, t)| (a + b * x - t).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    Some(AmdahlFit {
        serial_fraction,
        t1_ms,
        max_speedup: if serial_fraction > 0.0 {
            1.0 / serial_fraction
        } else {
            f64::INFINITY
        },
        rms_error_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_quartiles() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[f64::NAN]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        let s = spread(&[5.0, 1.0, 4.0, 2.0, 3.0, f64::NAN]).unwrap();
        assert_eq!(
            (s.count, s.min, s.q1, s.median, s.q3, s.max),
            (5, 1.0, 2.0, 3.0, 4.0, 5.0)
        );
        assert_eq!(s.iqr(), 2.0);
        let one = spread(&[7.0]).unwrap();
        assert_eq!(
            (one.min, one.median, one.max, one.iqr()),
            (7.0, 7.0, 7.0, 0.0)
        );
    }

    #[test]
    fn recovers_an_exact_serial_fraction() {
        let points: Vec<(u32, f64)> = (1..=8)
            .map(|p| (p, amdahl_time(1000.0, 0.1, p as f64)))
            .collect();
        let fit = fit_amdahl(&points).unwrap();
        assert!((fit.serial_fraction - 0.1).abs() < 1e-9, "{fit:?}");
        assert!((fit.t1_ms - 1000.0).abs() < 1e-6);
        assert!((fit.max_speedup - 10.0).abs() < 1e-6);
        assert!(fit.rms_error_ms < 1e-6);
    }

    #[test]
    fn two_points_as_on_a_two_core_machine() {
        let fit = fit_amdahl(&[(1, 1000.0), (2, 600.0)]).unwrap();
        // 600 = 1000 (s + (1 - s)/2)  =>  s = 0.2
        assert!((fit.serial_fraction - 0.2).abs() < 1e-12);
    }

    #[test]
    fn tolerates_noise() {
        let noise = [1.01, 0.99, 1.005, 0.995, 1.0, 1.01, 0.99, 1.0];
        let points: Vec<(u32, f64)> = (1..=8)
            .map(|p| {
                (
                    p,
                    amdahl_time(500.0, 0.25, p as f64) * noise[p as usize - 1],
                )
            })
            .collect();
        let fit = fit_amdahl(&points).unwrap();
        assert!((fit.serial_fraction - 0.25).abs() < 0.02, "{fit:?}");
        assert!(fit.rms_error_ms > 0.0);
    }

    #[test]
    fn clamps_to_the_model() {
        // Better than linear speed-up (cache effects): no serial part.
        let superlinear = fit_amdahl(&[(1, 1000.0), (2, 450.0), (4, 200.0)]).unwrap();
        assert_eq!(superlinear.serial_fraction, 0.0);
        assert!(superlinear.max_speedup.is_infinite());
        // Slower with more threads: all serial.
        let slower = fit_amdahl(&[(1, 100.0), (2, 120.0), (4, 130.0)]).unwrap();
        assert_eq!(slower.serial_fraction, 1.0);
        assert!((slower.t1_ms - 350.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn refuses_degenerate_input() {
        assert!(fit_amdahl(&[]).is_none());
        assert!(fit_amdahl(&[(2, 100.0)]).is_none());
        assert!(fit_amdahl(&[(2, 100.0), (2, 110.0)]).is_none());
        assert!(fit_amdahl(&[(0, 100.0), (1, f64::NAN), (2, -5.0), (4, 10.0)]).is_none());
        assert!(fit_amdahl(&[(1, 0.0), (2, 0.0)]).is_none());
    }

    #[test]
    fn amdahl_formulas() {
        assert_eq!(amdahl_speedup(0.0, 4.0), 4.0);
        assert_eq!(amdahl_speedup(1.0, 4.0), 1.0);
        assert_eq!(amdahl_time(100.0, 0.5, 2.0), 75.0);
    }
}
