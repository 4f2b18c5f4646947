// A timer of 0 ms and an already-resolved promise: which callback runs first?
setTimeout(() => console.log('timeout'), 0);

Promise.resolve('value').then((v) => {
  console.log('then:', v);
  Promise.resolve().then(() => console.log('a then queued inside a then'));
});

queueMicrotask(() => console.log('queueMicrotask'));
console.log('sync');
