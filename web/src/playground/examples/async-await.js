// Each `await` costs a trip through the microtask queue. Who reaches the finish line first?
async function awaiter() {
  console.log('awaiter: start');
  await null;
  console.log('awaiter: after 1 await');
  await null;
  console.log('awaiter: after 2 awaits');
}

async function returnsAPromise() {
  // Returning a promise from an async function adopts it: two extra ticks.
  return Promise.resolve('adopted');
}

awaiter();
returnsAPromise().then((v) => console.log('returnsAPromise:', v));

Promise.resolve()
  .then(() => console.log('chain: tick 1'))
  .then(() => console.log('chain: tick 2'))
  .then(() => console.log('chain: tick 3'))
  .then(() => console.log('chain: tick 4'));
