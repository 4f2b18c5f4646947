// A 100k-long promise chain, then an async function awaiting 100k times: microtask queue
// throughput and promise allocation.
"use strict";
const M = 1000003;
let p = Promise.resolve(0);
for (let i = 0; i < 100000; i++) {
  p = p.then((v) => (v + i) % M);
}
async function loop(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    s = (s + (await i)) % M;
  }
  return s;
}
p.then((v) => loop(100000).then((s) => console.log("promises checksum", v, s)));
