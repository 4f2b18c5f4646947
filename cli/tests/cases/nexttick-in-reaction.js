// A nextTick queued by a promise reaction waits until the microtask queue is empty (CommonJS).
const log = (s) => console.log(s);
Promise.resolve()
  .then(() => {
    process.nextTick(() => log('T'));
    Promise.resolve().then(() => log('P'));
  })
  .then(() => log('R2'))
  .then(() => log('R3'));
// From the main module, by contrast, the nextTick queue goes first.
setTimeout(() => {
  Promise.resolve().then(() => log('main-like P'));
  process.nextTick(() => log('main-like T'));
}, 0);
