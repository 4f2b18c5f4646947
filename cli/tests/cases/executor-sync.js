// A promise does not make CPU work asynchronous: the executor runs synchronously, so a CPU
// loop inside `new Promise` delays a 1 ms timer just as much as the same loop outside it.
const start = Date.now();
setTimeout(() => console.log('timer ran late:', Date.now() - start >= 30), 1);
const work = new Promise((resolve) => {
  console.log('executor runs now, synchronously');
  let spins = 0;
  while (Date.now() - start < 30) spins++;
  resolve(spins >= 0 ? 'done' : 'impossible');
});
console.log('after new Promise: the work is already done');
work.then((result) => console.log('then:', result));
