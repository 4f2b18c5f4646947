// Inside a timer callback we queue one job on each queue. In what order do they run?
setTimeout(() => {
  console.log('timer callback: start');
  setTimeout(() => console.log('setTimeout 0'), 0);
  setImmediate(() => console.log('setImmediate'));
  Promise.resolve().then(() => console.log('promise.then'));
  process.nextTick(() => console.log('process.nextTick'));
  console.log('timer callback: end');
}, 0);
