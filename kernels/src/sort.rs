//! Parallel merge sort of a deterministic pseudo-random `u32` array, written out by hand (no
//! `par_sort`) so the page can show its structure.
//!
//! What it teaches: divide and conquer with `rayon::join`. The array is halved recursively, the
//! halves are sorted in parallel, then merged. Sorting the small pieces parallelises perfectly;
//! the merges get larger and fewer towards the top, so a naive version ends with one thread
//! merging the whole array alone (Amdahl's serial part). Here the merges are parallel too: the
//! output of a merge is split at a position `k`, and a binary search ("co-rank", the merge path)
//! finds how many elements of each input go before it, so both output halves can be merged
//! independently.
//!
//! - [`Schedule::WorkStealing`]: recursive `rayon::join` down to leaves of `n / chunks` elements;
//!   each leaf sort and each leaf merge is one chunk of the timeline.
//! - [`Schedule::StaticChunks`]: thread *t* sorts block *t*; then in ⌈log₂ threads⌉ rounds the
//!   sorted runs are merged pairwise, the output of each round cut into one equal block per
//!   thread (co-rank again), so every thread does the same amount in every round.
//!
//! The sorted output is unique, so the checksum (a positional hash of the output) is the same
//! for every thread count and schedule.
//!
//! ## SIMD
//! Only for the first step. Merging stays scalar: it is a chain of data-dependent comparisons
//! (which input goes next depends on the previous choice); SIMD merge networks exist but are a
//! different algorithm, and the lab keeps the textbook one (the merge loop is branch-free
//! instead). Before merging starts, every run of a few elements is sorted on its own: with wasm
//! `simd128` that is a sorting network on four vectors, 16 elements at a time (column sort,
//! transpose, two bitonic merges; [`presort_runs`]), instead of insertion sort on runs of
//! [`INSERTION_RUN`]; the native build keeps insertion sort (baseline x86-64 has no unsigned
//! 32-bit vector min/max). The result is the same sorted array either way.

use crate::job::{JobOutput, KernelId};
use crate::schedule::{block_range, chunk_count, Schedule, Timeline};
use rayon::prelude::*;
use std::ops::Range;

/// Runs of this length are sorted by insertion sort before merging starts.
const INSERTION_RUN: usize = 32;

/// What to sort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortParams {
    /// Number of `u32` elements.
    pub len: usize,
}

impl SortParams {
    /// Size 1.0 of a job: 2²⁴ elements (about 1.2 s on one native thread of the lab machine).
    pub const DEFAULT: SortParams = SortParams { len: 1 << 24 };

    /// [`SortParams::DEFAULT`] scaled by `size` (already validated), at least 1 element.
    pub fn scaled(size: f64) -> SortParams {
        SortParams {
            len: ((SortParams::DEFAULT.len as f64 * size).round() as usize).max(1),
        }
    }
}

/// The input: `len` pseudo-random numbers from `seed` (SplitMix64 of the index, so it can be
/// generated in parallel and is the same everywhere).
pub fn generate_input(len: usize, seed: u64) -> Vec<u32> {
    (0..len as u64)
        .into_par_iter()
        .map(|i| (crate::hash::mix64(seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15)) >> 32) as u32)
        .collect()
}

fn insertion_sort(v: &mut [u32]) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

/// Merges the sorted slices `a` and `b` into `out` (`out.len() == a.len() + b.len()`); equal
/// elements are taken from `a` first.
pub fn merge_into(a: &[u32], b: &[u32], out: &mut [u32]) {
    assert_eq!(
        out.len(),
        a.len() + b.len(),
        "merge output has the wrong length"
    );
    let (mut i, mut j, mut k) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        let take_b = y < x;
        out[k] = if take_b { y } else { x };
        j += take_b as usize;
        i += !take_b as usize;
        k += 1;
    }
    out[k..k + a.len() - i].copy_from_slice(&a[i..]);
    out[k + a.len() - i..].copy_from_slice(&b[j..]);
}

/// Co-rank (merge path): the number `i` of elements of `a` among the first `k` outputs of
/// `merge_into(a, b, ..)`; the other `k - i` come from `b`. Binary search, O(log n).
pub fn co_rank(k: usize, a: &[u32], b: &[u32]) -> usize {
    let (mut lo, mut hi) = (k.saturating_sub(b.len()), k.min(a.len()));
    while lo < hi {
        let i = lo + (hi - lo) / 2;
        // i < hi <= k, so j = k - i >= 1; i < a.len().
        if a[i] < b[k - i - 1] {
            lo = i + 1;
        } else {
            hi = i;
        }
    }
    lo
}

/// Sorts each consecutive run of `v` on its own and returns the run length: with wasm `simd128`
/// runs of 16 by a sorting network, otherwise runs of [`INSERTION_RUN`] by insertion sort.
pub fn presort_runs(v: &mut [u32]) -> usize {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        simd::presort_runs_of_16(v)
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        presort_runs_scalar(v)
    }
}

/// [`presort_runs`] without SIMD: insertion sort on runs of [`INSERTION_RUN`].
pub fn presort_runs_scalar(v: &mut [u32]) -> usize {
    for run in v.chunks_mut(INSERTION_RUN) {
        insertion_sort(run);
    }
    INSERTION_RUN
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::insertion_sort;
    use core::arch::wasm32::*;

    /// Compare-and-swap of four lanes at once: (lane-wise minimum, lane-wise maximum).
    #[inline(always)]
    fn cas(a: v128, b: v128) -> (v128, v128) {
        (u32x4_min(a, b), u32x4_max(a, b))
    }

    #[inline(always)]
    fn reverse(v: v128) -> v128 {
        i32x4_shuffle::<3, 2, 1, 0>(v, v)
    }

    /// Sorts one bitonic vector (ascending then descending, or the reverse): compare lanes two
    /// apart, then neighbours.
    #[inline(always)]
    fn sort_bitonic4(v: v128) -> v128 {
        let (lo, hi) = cas(v, i32x4_shuffle::<2, 3, 0, 1>(v, v));
        let v = i32x4_shuffle::<0, 1, 6, 7>(lo, hi);
        let (lo, hi) = cas(v, i32x4_shuffle::<1, 0, 3, 2>(v, v));
        i32x4_shuffle::<0, 5, 2, 7>(lo, hi)
    }

    /// Merges two sorted vectors into eight sorted elements (low half, high half).
    #[inline(always)]
    fn merge4(a: v128, b: v128) -> (v128, v128) {
        let (lo, hi) = cas(a, reverse(b));
        (sort_bitonic4(lo), sort_bitonic4(hi))
    }

    /// Merges two sorted runs of eight (two vectors each) into sixteen sorted elements.
    #[inline(always)]
    fn merge8(a: (v128, v128), b: (v128, v128)) -> [v128; 4] {
        // a ascending followed by b reversed is bitonic: one compare splits it into a low and a
        // high bitonic half of eight, each sorted by one more compare and two in-vector steps.
        let (l0, h0) = cas(a.0, reverse(b.1));
        let (l1, h1) = cas(a.1, reverse(b.0));
        let (l0, l1) = cas(l0, l1);
        let (h0, h1) = cas(h0, h1);
        [
            sort_bitonic4(l0),
            sort_bitonic4(l1),
            sort_bitonic4(h0),
            sort_bitonic4(h1),
        ]
    }

    /// Sorts the 16 elements of four vectors.
    #[inline(always)]
    fn sort16(r: [v128; 4]) -> [v128; 4] {
        // Sort each column (lane) of the 4×4 block with a 5-comparator network...
        let (r0, r1) = cas(r[0], r[1]);
        let (r2, r3) = cas(r[2], r[3]);
        let (r0, r2) = cas(r0, r2);
        let (r1, r3) = cas(r1, r3);
        let (r1, r2) = cas(r1, r2);
        // ...transpose, so that each vector holds one sorted column...
        let t0 = i32x4_shuffle::<0, 4, 1, 5>(r0, r1);
        let t1 = i32x4_shuffle::<2, 6, 3, 7>(r0, r1);
        let t2 = i32x4_shuffle::<0, 4, 1, 5>(r2, r3);
        let t3 = i32x4_shuffle::<2, 6, 3, 7>(r2, r3);
        let c0 = i32x4_shuffle::<0, 1, 4, 5>(t0, t2);
        let c1 = i32x4_shuffle::<2, 3, 6, 7>(t0, t2);
        let c2 = i32x4_shuffle::<0, 1, 4, 5>(t1, t3);
        let c3 = i32x4_shuffle::<2, 3, 6, 7>(t1, t3);
        // ...then merge the four sorted columns pairwise: 4+4, 4+4, 8+8.
        merge8(merge4(c0, c1), merge4(c2, c3))
    }

    pub(super) fn presort_runs_of_16(v: &mut [u32]) -> usize {
        let mut blocks = v.chunks_exact_mut(16);
        for block in &mut blocks {
            // SAFETY: a block is exactly 16 u32 = four 16-byte vectors, read and written
            // unaligned (v128_load/store have no alignment requirement).
            unsafe {
                let p = block.as_mut_ptr() as *mut v128;
                let sorted = sort16([
                    v128_load(p),
                    v128_load(p.add(1)),
                    v128_load(p.add(2)),
                    v128_load(p.add(3)),
                ]);
                for (i, vector) in sorted.into_iter().enumerate() {
                    v128_store(p.add(i), vector);
                }
            }
        }
        insertion_sort(blocks.into_remainder());
        16
    }
}

/// Sequential bottom-up merge sort of `v`, using `scratch` (at least `v.len()` long).
pub fn merge_sort_sequential(v: &mut [u32], scratch: &mut [u32]) {
    let n = v.len();
    let scratch = &mut scratch[..n];
    let mut width = presort_runs(v);
    let mut in_v = true;
    while width < n {
        let (src, dst): (&[u32], &mut [u32]) = if in_v {
            (&*v, &mut *scratch)
        } else {
            (&*scratch, &mut *v)
        };
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            merge_into(&src[start..mid], &src[mid..end], &mut dst[start..end]);
        }
        in_v = !in_v;
        width *= 2;
    }
    if !in_v {
        v.copy_from_slice(scratch);
    }
}

/// Merge of `a` and `b` into `out`, split by co-rank into pieces of at most `grain` outputs
/// that run as separate rayon tasks (and separate timeline chunks).
fn merge_parallel(a: &[u32], b: &[u32], out: &mut [u32], grain: usize, timeline: &Timeline<'_>) {
    if out.len() <= grain {
        timeline.time_next(|| merge_into(a, b, out));
        return;
    }
    let k = out.len() / 2;
    let i = co_rank(k, a, b);
    let (out_lo, out_hi) = out.split_at_mut(k);
    rayon::join(
        || merge_parallel(&a[..i], &b[..k - i], out_lo, grain, timeline),
        || merge_parallel(&a[i..], &b[k - i..], out_hi, grain, timeline),
    );
}

/// Work-stealing merge sort: sorts `v`, leaving the result in `buf` if `result_in_buf`, else in
/// `v` (the two alternate roles level by level, so nothing is copied back).
fn sort_work_stealing(
    v: &mut [u32],
    buf: &mut [u32],
    result_in_buf: bool,
    leaf: usize,
    timeline: &Timeline<'_>,
) {
    let n = v.len();
    if n <= leaf {
        timeline.time_next(|| {
            merge_sort_sequential(v, buf);
            if result_in_buf {
                buf.copy_from_slice(v);
            }
        });
        return;
    }
    let mid = n / 2;
    {
        let (v_lo, v_hi) = v.split_at_mut(mid);
        let (buf_lo, buf_hi) = buf.split_at_mut(mid);
        rayon::join(
            || sort_work_stealing(v_lo, buf_lo, !result_in_buf, leaf, timeline),
            || sort_work_stealing(v_hi, buf_hi, !result_in_buf, leaf, timeline),
        );
    }
    if result_in_buf {
        let (lo, hi) = v.split_at(mid);
        merge_parallel(lo, hi, buf, leaf, timeline);
    } else {
        let (lo, hi) = buf.split_at(mid);
        merge_parallel(lo, hi, v, leaf, timeline);
    }
}

/// Cuts `buf` into the consecutive pieces `ranges` (which must tile `0..buf.len()`).
fn split_ranges<'a>(
    mut buf: &'a mut [u32],
    ranges: &[Range<usize>],
) -> Vec<(Range<usize>, &'a mut [u32])> {
    let mut parts = Vec::with_capacity(ranges.len());
    for range in ranges {
        let (head, tail) = std::mem::take(&mut buf).split_at_mut(range.len());
        parts.push((range.clone(), head));
        buf = tail;
    }
    parts
}

/// Static schedule: one block per thread, then rounds of pairwise merges with one equal output
/// block per thread. Returns true if the result ended in `scratch`.
fn sort_static(data: &mut [u32], scratch: &mut [u32], timeline: &Timeline<'_>) -> bool {
    let n = data.len();
    let threads = rayon::current_num_threads().max(1);
    let blocks: Vec<_> = (0..threads).map(|t| block_range(n, threads, t)).collect();
    let items: Vec<_> = split_ranges(data, &blocks)
        .into_iter()
        .zip(split_ranges(scratch, &blocks))
        .collect();
    timeline.run_phase(
        Schedule::StaticChunks,
        items,
        |_, ((_, block), (_, block_scratch))| {
            merge_sort_sequential(block, block_scratch);
        },
    );

    let mut runs = blocks;
    let mut in_scratch = false;
    while runs.len() > 1 {
        let pairs: Vec<(Range<usize>, Range<usize>)> = runs
            .chunks(2)
            .map(|p| {
                (
                    p[0].clone(),
                    p.get(1).cloned().unwrap_or(p[0].end..p[0].end),
                )
            })
            .collect();
        let (src, dst): (&[u32], &mut [u32]) = if in_scratch {
            (&*scratch, &mut *data)
        } else {
            (&*data, &mut *scratch)
        };
        let outputs: Vec<_> = (0..threads).map(|t| block_range(n, threads, t)).collect();
        timeline.run_phase(
            Schedule::StaticChunks,
            split_ranges(dst, &outputs),
            |_, (mine, out)| {
                for (ra, rb) in &pairs {
                    let (lo, hi) = (mine.start.max(ra.start), mine.end.min(rb.end));
                    if lo >= hi {
                        continue;
                    }
                    let (a, b) = (&src[ra.clone()], &src[rb.clone()]);
                    let (k0, k1) = (lo - ra.start, hi - ra.start);
                    let (i0, i1) = (co_rank(k0, a, b), co_rank(k1, a, b));
                    merge_into(
                        &a[i0..i1],
                        &b[k0 - i0..k1 - i1],
                        &mut out[lo - mine.start..hi - mine.start],
                    );
                }
            },
        );
        runs = pairs.into_iter().map(|(a, b)| a.start..b.end).collect();
        in_scratch = !in_scratch;
    }
    in_scratch
}

/// Sorts `data` on the current pool with `schedule`, recording chunks in `timeline`.
pub fn parallel_merge_sort(
    data: &mut Vec<u32>,
    schedule: Schedule,
    chunks_hint: u32,
    timeline: &Timeline<'_>,
) {
    let n = data.len();
    let mut scratch = vec![0u32; n];
    match schedule {
        Schedule::WorkStealing => {
            let chunks = chunk_count(schedule, chunks_hint, n);
            let leaf = n.div_ceil(chunks).max(1);
            sort_work_stealing(data, &mut scratch, false, leaf, timeline);
        }
        Schedule::StaticChunks => {
            if sort_static(data, &mut scratch, timeline) {
                std::mem::swap(data, &mut scratch);
            }
        }
    }
}

/// Sorts a deterministic input of `params.len` numbers; returns the sorted array and the output.
pub fn sort_job(
    params: &SortParams,
    schedule: Schedule,
    chunks_hint: u32,
    clock: &(dyn Fn() -> f64 + Sync),
) -> (Vec<u32>, JobOutput) {
    let mut data = generate_input(params.len, 0x100b_1ab5);
    let timeline = Timeline::new(clock);
    let start_ms = timeline.now();
    parallel_merge_sort(&mut data, schedule, chunks_hint, &timeline);
    let elapsed_ms = timeline.now() - start_ms;
    let output = JobOutput {
        kernel: KernelId::Sort,
        schedule,
        threads: rayon::current_num_threads() as u32,
        size: params.len as f64 / SortParams::DEFAULT.len as f64,
        checksum: crate::hash::positional_hash(&data),
        items: params.len as u64,
        elapsed_ms,
        chunks: timeline.into_spans(),
    };
    (data, output)
}

pub(crate) fn run(
    params: &SortParams,
    schedule: Schedule,
    chunks_hint: u32,
    clock: &(dyn Fn() -> f64 + Sync),
) -> JobOutput {
    sort_job(params, schedule, chunks_hint, clock).1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_clock() -> f64 {
        0.0
    }

    fn sort_with(input: &[u32], schedule: Schedule, threads: usize, chunks_hint: u32) -> Vec<u32> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut data = input.to_vec();
        pool.install(|| {
            parallel_merge_sort(&mut data, schedule, chunks_hint, &Timeline::new(&no_clock))
        });
        data
    }

    #[test]
    fn output_is_sorted_and_a_permutation_of_the_input() {
        let random = generate_input(10_007, 42);
        let inputs: Vec<Vec<u32>> = vec![
            vec![],
            vec![5],
            vec![2, 1],
            vec![3, 1, 2],
            random.clone(),
            random.iter().map(|x| x % 4).collect(),
            (0..5000).collect(),
            (0..5000).rev().collect(),
            vec![7; 1000],
        ];
        for input in &inputs {
            let mut expected = input.clone();
            expected.sort_unstable();
            for threads in [1, 2, 3] {
                for schedule in Schedule::ALL {
                    for hint in [0, 1, 7, 64] {
                        let got = sort_with(input, schedule, threads, hint);
                        assert!(got.windows(2).all(|w| w[0] <= w[1]), "sorted");
                        // Equal to the std-sorted input: same multiset, hence a permutation.
                        assert_eq!(
                            got,
                            expected,
                            "len {} {threads} threads {schedule:?} hint {hint}",
                            input.len()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn sequential_sort_and_merge_helpers() {
        let mut v = generate_input(1000, 7);
        let mut expected = v.clone();
        expected.sort_unstable();
        merge_sort_sequential(&mut v, &mut vec![0; 1000]);
        assert_eq!(v, expected);

        let (a, b) = ([1, 3, 5, 7], [2, 3, 4, 8, 9]);
        let mut out = [0; 9];
        merge_into(&a, &b, &mut out);
        assert_eq!(out, [1, 2, 3, 3, 4, 5, 7, 8, 9]);
        for k in 0..=9 {
            let i = co_rank(k, &a, &b);
            let mut prefix = [&a[..i], &b[..k - i]].concat();
            prefix.sort_unstable();
            assert_eq!(prefix, out[..k], "co-rank at {k}");
        }
    }

    #[test]
    fn job_checksum_is_the_positional_hash_of_the_sorted_input() {
        let params = SortParams { len: 3000 };
        let (sorted, out) = sort_job(&params, Schedule::WorkStealing, 0, &no_clock);
        let mut expected = generate_input(3000, 0x100b_1ab5);
        expected.sort_unstable();
        assert_eq!(sorted, expected);
        assert_eq!(out.checksum, crate::hash::positional_hash(&expected));
    }
}
