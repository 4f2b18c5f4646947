// Does wrapping CPU work in a promise make it asynchronous? The executor of `new Promise` runs
// synchronously, on the spot: the loop below blocks the thread just as it would outside.
const start = Date.now();
setTimeout(() => console.log(`1 ms timer ran after ${Date.now() - start >= 30 ? '30 ms or more' : 'less than 30 ms'}`), 1);

const work = new Promise((resolve) => {
  console.log('executor starts');
  let spins = 0;
  while (Date.now() - start < 30) spins++; // 30 ms of CPU work
  console.log('executor ends');
  resolve(spins);
});

console.log('new Promise returned: the work is already done');
work.then(() => console.log('then handler: a microtask, still before the timer'));
