// Array.prototype.sort with a comparator on 200k pseudo-random numbers (Park-Miller LCG, exact
// in doubles), then a checksum over the sorted array.
"use strict";
const N = 200000;
let x = 12345;
const a = new Array(N);
for (let i = 0; i < N; i++) {
  x = (x * 48271) % 2147483647;
  a[i] = x % 1000000;
}
a.sort((p, q) => p - q);
let ok = true;
let chk = 0;
for (let i = 0; i < N; i++) {
  if (i > 0 && a[i - 1] > a[i]) ok = false;
  chk = (chk * 31 + a[i]) % 1000000007;
}
console.log("sort checksum", ok, a[0], a[N >> 1], a[N - 1], chk);
