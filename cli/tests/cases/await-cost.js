// What an await costs, counted in microtask turns: a counter advances once per turn.
let turn = 0;
function count() { if (turn < 10) { turn++; queueMicrotask(count); } }
queueMicrotask(count);
const results = [];
const native = Promise.resolve('native');
const thenable = { then(resolve) { resolve('thenable'); } };
async function awaitValue() { await 42; results.push(['await 42', turn]); }
async function awaitNative() { await native; results.push(['await native promise', turn]); }
async function awaitThenable() { await thenable; results.push(['await thenable', turn]); }
async function returnsValue() { return 1; }
async function returnsPromise() { return native; }
awaitValue();
awaitNative();
awaitThenable();
returnsValue().then(() => results.push(['async fn returning a value settles', turn]));
returnsPromise().then(() => results.push(['async fn returning a promise settles', turn]));
new Promise((resolve) => resolve(native)).then(() => results.push(['resolve(promise) settles', turn]));
setTimeout(() => {
  for (const [what, t] of results) console.log(`${what}: after ${t} turn(s)`);
}, 0);
