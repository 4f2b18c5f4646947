// Promise.all starts nothing (calling the functions did) and cancels nothing on a rejection.
const started = [];
function op(name, ms, fail) {
  started.push(name);
  return new Promise((resolve, reject) =>
    setTimeout(() => {
      console.log('settled', name);
      if (fail) reject(new Error(name));
      else resolve(name);
    }, ms),
  );
}
const a = op('a', 10);
const b = op('b', 5, true);
const c = op('c', 20);
console.log('started before Promise.all:', started.join(','));
Promise.all([a, b, c]).then(
  () => console.log('all fulfilled'),
  (e) => console.log('Promise.all rejected with', e.message, '- the others keep going'),
);
