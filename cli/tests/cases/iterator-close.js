// Leaving for...of / for await early calls (and awaits) the iterator's return().
function* numbers() {
  try {
    yield 1;
    yield 2;
    yield 3;
  } finally {
    console.log('generator cleanup');
  }
}
for (const n of numbers()) {
  if (n === 2) break;
  console.log(n);
}
const slowClose = {
  [Symbol.asyncIterator]() {
    let i = 0;
    return {
      next: () => Promise.resolve({ value: ++i, done: false }),
      return: () => new Promise((r) => setTimeout(() => { console.log('closed'); r({ done: true }); }, 5)),
    };
  },
};
(async () => {
  for await (const v of slowClose) {
    if (v === 2) break;
  }
  console.log('after loop: return() was awaited');
  try {
    for await (const v of slowClose) throw new Error('body threw ' + v);
  } catch (e) {
    console.log(e.message);
  }
})();
