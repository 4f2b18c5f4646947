// Six password hashes started at once. crypto.pbkdf2 runs on libuv's thread pool, which has
// UV_THREADPOOL_SIZE threads (4 by default): how many finish together?
// To try 6 threads, set the pool size in the run settings: like UV_THREADPOOL_SIZE in the
// environment of `node`, it is read before the pool's first use.
const crypto = require('crypto');

const start = Date.now();
const finished = [];
for (let i = 1; i <= 6; i++) {
  crypto.pbkdf2('secret', 'salt', 100000, 64, 'sha512', () => {
    finished.push(Date.now() - start);
    if (finished.length === 6) report();
  });
}
console.log('6 hashes started');

function report() {
  // The first batch: the hashes that finished before halfway between the first and the last.
  const middle = (finished[0] + finished[5]) / 2;
  const first = finished.filter((ms) => ms < middle).length;
  console.log(`${first} finished in the first batch`);
  console.log(`${6 - first} finished in the second batch`);
}
