// Loads the wasm built from wasm_simd_check.rs (see its docs), checks that the simd128 paths
// match the scalar ones bit for bit, and times both. Exits 1 on any mismatch.
import { readFileSync } from "node:fs";

const path = process.argv[2];
if (!path) {
  console.error("usage: node wasm_simd_check.mjs <wasm_simd_check.wasm>");
  process.exit(2);
}
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const k = instance.exports;
const mismatches = k.simd_mismatches();
console.log(`simd vs scalar mismatches: ${mismatches}`);
let failed = mismatches !== 0;
// The machine may be shared: runs alternate between the two paths and the fastest run of each
// (the least disturbed one) is reported.
for (const name of ["bench_mandelbrot", "bench_blur_rows", "bench_blur_columns", "bench_presort"]) {
  const best = [Infinity, Infinity];
  const sums = [undefined, undefined];
  for (let i = 0; i < 7; i++) {
    for (const fast of [0, 1]) {
      const t0 = performance.now();
      sums[fast] = k[name](fast) >>> 0;
      best[fast] = Math.min(best[fast], performance.now() - t0);
    }
  }
  const same = sums[0] === sums[1];
  failed ||= !same;
  console.log(
    `${name}: scalar ${best[0].toFixed(1)} ms, simd128 ${best[1].toFixed(1)} ms, ` +
      `${(best[0] / best[1]).toFixed(2)}x, results ${same ? "identical" : "DIFFER"}`,
  );
}
process.exit(failed ? 1 : 0);
