// Closures: creating many small closures in loops and calling them (captured lets, counters,
// arrays of functions, higher-order helpers).
"use strict";
const M = 1000000007;
function makeCounter(step) {
  let n = 0;
  return function () {
    n += step;
    return n;
  };
}
function compose(f, g) {
  return (x) => f(g(x));
}
let sum = 0;
for (let i = 0; i < 150000; i++) {
  const c = makeCounter(i % 7);
  c();
  const add = (x) => x + i;
  const twice = compose(add, (x) => x * 2);
  sum = (sum + c() + twice(3)) % M;
}
const fns = [];
for (let i = 0; i < 1000; i++) {
  fns.push(() => i * 3 + 1);
}
for (let r = 0; r < 150; r++) {
  for (const f of fns) {
    sum = (sum + f()) % M;
  }
}
const mapped = fns.map((f, k) => f() * k).filter((x) => x % 2 === 0).reduce((a, b) => (a + b) % M, 0);
console.log("closures checksum", sum, mapped);
