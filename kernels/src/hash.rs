//! Checksums shared by the kernels.
//!
//! A checksum is how the lab proves that more threads changed *when* work happened but not *what*
//! it computed: every kernel's checksum must be identical for 1, 2, … threads and for both
//! schedules. Two flavours are used:
//!
//! - [`fnv1a_u32`] / [`fnv1a_u8`]: a sequential, order-sensitive hash (a misplaced row changes it);
//! - [`positional_hash`]: a wrapping *sum* of per-element hashes that include the element's index.
//!   It is still order-sensitive (index is mixed in) but can be computed in parallel, because a
//!   sum does not care in which order partial sums are added.

use rayon::prelude::*;

/// FNV-1a offset basis (64-bit).
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a prime (64-bit).
pub const FNV_PRIME: u64 = 0x100_0000_01b3;

/// FNV-1a over 32-bit cells (one step per cell, as the Mandelbrot checksum always did).
pub fn fnv1a_u32(cells: &[u32]) -> u64 {
    cells
        .iter()
        .fold(FNV_OFFSET, |h, &c| (h ^ c as u64).wrapping_mul(FNV_PRIME))
}

/// FNV-1a over bytes.
pub fn fnv1a_u8(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(FNV_OFFSET, |h, &b| (h ^ b as u64).wrapping_mul(FNV_PRIME))
}

/// SplitMix64's finaliser: a cheap, well-mixing bijection on `u64`.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Order-sensitive checksum of `values` computed on the current rayon pool: the wrapping sum
/// over `i` of `mix64(i * φ + value_i)`. Identical for every thread count.
pub fn positional_hash(values: &[u32]) -> u64 {
    const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
    values
        .par_iter()
        .enumerate()
        .map(|(i, &v)| mix64((i as u64).wrapping_mul(GOLDEN).wrapping_add(v as u64)))
        .reduce(|| 0, u64::wrapping_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_of_empty_input_is_the_offset_basis() {
        assert_eq!(fnv1a_u32(&[]), FNV_OFFSET);
        assert_eq!(fnv1a_u8(&[]), FNV_OFFSET);
    }

    #[test]
    fn positional_hash_sees_swapped_elements() {
        assert_ne!(positional_hash(&[1, 2, 3]), positional_hash(&[2, 1, 3]));
        assert_eq!(positional_hash(&[1, 2, 3]), positional_hash(&[1, 2, 3]));
    }

    #[test]
    fn mix64_is_not_identity() {
        assert_ne!(mix64(1), 1);
        assert_ne!(mix64(1), mix64(2));
    }
}
