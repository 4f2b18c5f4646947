//! Browser tests (wasm-bindgen-test in headless Chromium, in a dedicated worker where blocking
//! is allowed): the threaded build really has shared memory and real rayon threads, and the
//! kernel's answer does not depend on the thread count; the kernels' `simd128` paths that only
//! exist in this build give the right answers.
#![cfg(all(target_arch = "wasm32", feature = "workers"))]

use looplab_kernels::mandelbrot::{render, MandelbrotParams};
use looplab_kernels::sort::merge_sort_sequential;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const SMALL: MandelbrotParams = MandelbrotParams {
    width: 256,
    height: 192,
    max_iter: 300,
};

fn render_on(pool: &rayon::ThreadPool) -> u64 {
    let mut cells = vec![0u32; (SMALL.width * SMALL.height) as usize];
    pool.install(|| render(&SMALL, &mut cells))
}

#[wasm_bindgen_test]
fn memory_is_a_shared_array_buffer() {
    assert!(looplab_web::lab::worker::lab_memory_is_shared());
}

#[wasm_bindgen_test]
async fn a_pool_of_two_real_threads_computes_the_same_image() {
    JsFuture::from(looplab_web::init_thread_pool(2))
        .await
        .expect("initThreadPool(2) failed");
    assert_eq!(rayon::current_num_threads(), 2);

    // Both threads of the global pool take part: record which thread ran each row.
    let seen: std::collections::BTreeSet<usize> = (0..64)
        .flat_map(|_| {
            let (a, b) = rayon::join(
                || {
                    spin();
                    rayon::current_thread_index()
                },
                || {
                    spin();
                    rayon::current_thread_index()
                },
            );
            [a, b]
        })
        .flatten()
        .collect();
    assert_eq!(
        seen.len(),
        2,
        "expected both threads to run work, saw {seen:?}"
    );

    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .use_current_thread()
        .build()
        .unwrap();
    let mut cells = vec![0u32; (SMALL.width * SMALL.height) as usize];
    let on_two = render(&SMALL, &mut cells);
    assert_eq!(render_on(&single), on_two);
}

/// A little CPU work so that `join`'s second half is stolen by the other thread.
fn spin() {
    let mut x = 0u64;
    for i in 0..200_000u64 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(i);
    }
    std::hint::black_box(x);
}

#[wasm_bindgen_test]
fn merge_sort_with_the_simd_presort_sorts() {
    for len in [
        0usize, 1, 2, 15, 16, 17, 31, 32, 33, 48, 100, 1023, 1024, 1025, 100_000,
    ] {
        // Not `sort::generate_input`: it runs on rayon, and this test has no pool.
        let mut state = 0x2545_f491_4f6c_dd1d_u64 ^ len as u64;
        let random = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 32) as u32
            })
            .collect::<Vec<_>>();
        for input in [
            random,
            (0..len as u32).rev().collect(),
            (0..len as u32).map(|i| i % 5).collect::<Vec<_>>(),
        ] {
            let mut expected = input.clone();
            expected.sort_unstable();
            let mut sorted = input;
            merge_sort_sequential(&mut sorted, &mut vec![0; len]);
            assert_eq!(sorted, expected, "length {len}");
        }
    }
}
