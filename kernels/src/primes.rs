//! Counting primes below N with a segmented sieve of Eratosthenes.
//!
//! What it teaches: a "embarrassingly parallel" kernel with even work. The numbers `0..N` are cut
//! into segments of [`SEGMENT_BYTES`] odd numbers (small enough to stay in the L1/L2 cache), and
//! runs of consecutive segments are the chunks; every chunk is sieved independently with the
//! same small table of base primes up to √N (each prime's next multiple carried from one segment
//! to the next within the chunk), so the chunks can go to any thread in any order. Static blocks
//! and work stealing perform about the same here — unlike Mandelbrot — and the speed-up is close
//! to the number of cores.
//!
//! The checksum combines the number of primes and their (wrapping) sum, both independent of the
//! order in which segments are counted.
//!
//! ## SIMD
//! Not written by hand: the hot loop crosses off every p-th byte, a strided scatter of single-byte
//! stores that `simd128` cannot speed up (it has no scatter). The counting loop keeps its sums in
//! `u32` so that the compiler vectorises it four cells per instruction (`i32x4` on wasm).

use crate::job::{JobOutput, KernelId};
use crate::schedule::{block_range, chunk_count, Schedule, Timeline};

/// Odd numbers per sieve segment (one byte each): 32 KiB, which fits the L1 data cache.
pub const SEGMENT_BYTES: usize = 32 * 1024;
/// Integers covered by one segment.
const SEGMENT_SPAN: u64 = 2 * SEGMENT_BYTES as u64;

/// What to count: the primes `p < limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrimesParams {
    pub limit: u64,
}

impl PrimesParams {
    /// Size 1.0 of a job: primes below 2·10⁹ (about 1.1 s on one native thread of the lab machine).
    pub const DEFAULT: PrimesParams = PrimesParams {
        limit: 2_000_000_000,
    };

    /// [`PrimesParams::DEFAULT`] scaled by `size` (already validated), at least 2.
    pub fn scaled(size: f64) -> PrimesParams {
        PrimesParams {
            limit: ((PrimesParams::DEFAULT.limit as f64 * size).round() as u64).max(2),
        }
    }
}

/// Number and wrapping sum of the primes found in a range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrimeTally {
    pub count: u64,
    pub sum: u64,
}

impl PrimeTally {
    fn add(self, other: PrimeTally) -> PrimeTally {
        PrimeTally {
            count: self.count + other.count,
            sum: self.sum.wrapping_add(other.sum),
        }
    }
}

/// The odd primes `p` with `p * p < limit`: the base primes a segmented sieve below `limit`
/// needs. A plain sieve of Eratosthenes (the table is tiny: √N).
pub fn base_primes(limit: u64) -> Vec<u32> {
    let mut root = (limit as f64).sqrt() as u64;
    while root * root >= limit && root > 0 {
        root -= 1;
    }
    while (root + 1) * (root + 1) < limit {
        root += 1;
    }
    // Now root = the largest r with r*r < limit.
    let n = root as usize + 1;
    let mut composite = vec![false; n];
    let mut primes = Vec::new();
    for i in 2..n {
        if !composite[i] {
            if i > 2 {
                primes.push(i as u32);
            }
            let mut j = i * i;
            while j < n {
                composite[j] = true;
                j += i;
            }
        }
    }
    primes
}

/// Counts the primes in `lo..hi` (with `hi <=` the limit `base` was made for), sieving one
/// segment of [`SEGMENT_BYTES`] odd numbers at a time in `segment` (resized to that).
///
/// Each base prime's next odd multiple is found once per range (one division) and then carried
/// from segment to segment, so the hot loops are only the crossing-off stores and the count.
pub fn sieve_range(lo: u64, hi: u64, base: &[u32], segment: &mut Vec<u8>) -> PrimeTally {
    let mut tally = PrimeTally::default();
    if lo <= 2 && 2 < hi {
        tally = PrimeTally { count: 1, sum: 2 };
    }
    // Cell i stands for the odd number first + 2i.
    let first = lo.max(3) | 1;
    if first >= hi {
        return tally;
    }
    let cells_in_range = (hi - first).div_ceil(2);
    // next[j]: the cell of base[j]'s next odd multiple still to cross off (from p², the
    // smaller multiples have smaller factors).
    let mut next: Vec<u64> = base
        .iter()
        .map(|&p| p as u64)
        .take_while(|&p| p * p < hi)
        .map(|p| {
            let mut multiple = (p * p).max(first.div_ceil(p) * p);
            if multiple.is_multiple_of(2) {
                multiple += p;
            }
            (multiple - first) / 2
        })
        .collect();
    segment.resize(SEGMENT_BYTES, 0);
    let mut seg_start = 0u64;
    while seg_start < cells_in_range {
        let len = (cells_in_range - seg_start).min(SEGMENT_BYTES as u64) as usize;
        let seg_end = seg_start + len as u64;
        let cells = &mut segment[..len];
        cells.fill(1);
        for (next, &p) in next.iter_mut().zip(base) {
            if *next >= seg_end {
                continue;
            }
            *next = seg_start + cross_off(cells, (*next - seg_start) as usize, p as usize) as u64;
        }
        tally = tally.add(count_cells(first + 2 * seg_start, cells));
        seg_start = seg_end;
    }
    tally
}

/// Clears `cells[index]`, `cells[index + step]`, … and returns the first index past the end.
/// Unrolled by four: most of the sieve's time is this loop, and fewer loop tests per store pay
/// on wasm (each loop back-edge there also checks for interrupts).
fn cross_off(cells: &mut [u8], mut index: usize, step: usize) -> usize {
    let len = cells.len();
    while index + 3 * step < len {
        cells[index] = 0;
        cells[index + step] = 0;
        cells[index + 2 * step] = 0;
        cells[index + 3 * step] = 0;
        index += 4 * step;
    }
    while index < len {
        cells[index] = 0;
        index += step;
    }
    index
}

/// The primes among the cells of one segment (cell i = the odd number `first + 2i`, 1 = prime).
/// A segment has at most [`SEGMENT_BYTES`] cells, so the count and the sum of indices fit in
/// `u32`, which lets the compiler add four cells per vector instruction instead of two.
fn count_cells(first: u64, cells: &[u8]) -> PrimeTally {
    debug_assert!(cells.len() <= SEGMENT_BYTES);
    let mut count = 0u32;
    let mut index_sum = 0u32;
    for (i, &cell) in cells.iter().enumerate() {
        let is_prime = cell as u32;
        count += is_prime;
        index_sum = index_sum.wrapping_add(i as u32 & is_prime.wrapping_neg());
    }
    let count = count as u64;
    PrimeTally {
        count,
        sum: count.wrapping_mul(first).wrapping_add(2 * index_sum as u64),
    }
}

/// Checksum of a tally (mixes both numbers).
pub fn tally_checksum(tally: PrimeTally) -> u64 {
    crate::hash::mix64(tally.count ^ crate::hash::mix64(tally.sum))
}

/// Counts primes below `params.limit` on the current pool; segments are the unit of work.
pub fn count_primes(
    params: &PrimesParams,
    schedule: Schedule,
    chunks_hint: u32,
    clock: &(dyn Fn() -> f64 + Sync),
) -> (PrimeTally, JobOutput) {
    let limit = params.limit;
    let base = base_primes(limit);
    let segments = limit.div_ceil(SEGMENT_SPAN) as usize;
    let timeline = Timeline::new(clock);
    let chunks = chunk_count(schedule, chunks_hint, segments);
    let ranges: Vec<_> = (0..chunks)
        .map(|i| block_range(segments, chunks, i))
        .collect();
    let start_ms = timeline.now();
    let tallies = timeline.run_phase(schedule, ranges, |_, range| {
        let lo = range.start as u64 * SEGMENT_SPAN;
        let hi = (range.end as u64 * SEGMENT_SPAN).min(limit);
        let mut segment = Vec::new();
        sieve_range(lo, hi, &base, &mut segment)
    });
    let elapsed_ms = timeline.now() - start_ms;
    let tally = tallies
        .into_iter()
        .fold(PrimeTally::default(), PrimeTally::add);
    let output = JobOutput {
        kernel: KernelId::Primes,
        schedule,
        threads: rayon::current_num_threads() as u32,
        size: limit as f64 / PrimesParams::DEFAULT.limit as f64,
        checksum: tally_checksum(tally),
        items: limit,
        elapsed_ms,
        chunks: timeline.into_spans(),
    };
    (tally, output)
}

pub(crate) fn run(
    params: &PrimesParams,
    schedule: Schedule,
    chunks_hint: u32,
    clock: &(dyn Fn() -> f64 + Sync),
) -> JobOutput {
    count_primes(params, schedule, chunks_hint, clock).1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_clock() -> f64 {
        0.0
    }

    fn naive(limit: u64) -> PrimeTally {
        let mut tally = PrimeTally::default();
        for n in 2..limit {
            if (2..n).take_while(|d| d * d <= n).all(|d| n % d != 0) {
                tally = tally.add(PrimeTally { count: 1, sum: n });
            }
        }
        tally
    }

    fn count(limit: u64, schedule: Schedule, threads: usize) -> PrimeTally {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| count_primes(&PrimesParams { limit }, schedule, 0, &no_clock).0)
    }

    #[test]
    fn known_prime_counts() {
        assert_eq!(
            count(100, Schedule::WorkStealing, 2),
            PrimeTally {
                count: 25,
                sum: 1060
            }
        );
        assert_eq!(count(1_000_000, Schedule::WorkStealing, 3).count, 78_498);
        assert_eq!(count(1_000_000, Schedule::StaticChunks, 3).count, 78_498);
        assert_eq!(count(10_000_000, Schedule::StaticChunks, 2).count, 664_579);
    }

    #[test]
    fn small_limits_match_trial_division() {
        for limit in (0..300).chain([
            SEGMENT_SPAN - 1,
            SEGMENT_SPAN,
            SEGMENT_SPAN + 1,
            3 * SEGMENT_SPAN + 7,
        ]) {
            assert_eq!(
                count(limit, Schedule::WorkStealing, 2),
                naive(limit),
                "limit {limit}"
            );
        }
    }

    #[test]
    fn ranges_add_up_whatever_the_split() {
        let limit = 200_000;
        let base = base_primes(limit);
        let mut buf = Vec::new();
        let whole = sieve_range(0, limit, &base, &mut buf);
        for cut in [1, 2, 3, 4, 9, 65_537, 199_999] {
            let parts =
                sieve_range(0, cut, &base, &mut buf).add(sieve_range(cut, limit, &base, &mut buf));
            assert_eq!(parts, whole, "cut at {cut}");
        }
    }

    #[test]
    fn carried_offsets_match_single_segment_pieces_far_out() {
        // Near 10¹⁰ the base primes go up to 10⁵, beyond one segment's cells, so some primes
        // skip whole segments; pieces of 1000 never carry anything from one segment to the next.
        let lo = 10_000_000_000;
        let hi = lo + 5 * SEGMENT_SPAN + 3;
        let base = base_primes(hi);
        assert!(*base.last().unwrap() as usize > SEGMENT_BYTES);
        let mut buf = Vec::new();
        let whole = sieve_range(lo, hi, &base, &mut buf);
        let mut pieces = PrimeTally::default();
        for start in (lo..hi).step_by(1000) {
            pieces = pieces.add(sieve_range(start, (start + 1000).min(hi), &base, &mut buf));
        }
        assert_eq!(whole, pieces);
        assert!(whole.count > 10_000, "{whole:?}");
    }

    #[test]
    fn base_primes_are_exactly_those_below_the_root() {
        assert_eq!(base_primes(2), Vec::<u32>::new());
        assert_eq!(base_primes(10), vec![3]);
        assert_eq!(base_primes(26), vec![3, 5]);
        assert_eq!(base_primes(49), vec![3, 5]);
        assert_eq!(base_primes(50), vec![3, 5, 7]);
    }
}
