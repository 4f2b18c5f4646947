// setInterval with clearInterval, unref/ref/hasRef/refresh, timers module, extra arguments.
// Delays are far apart so that Node's order never depends on how fast the machine is.
const timers = require('timers');
let n = 0;
const iv = setInterval((tag) => {
  n++;
  console.log('tick', tag, n);
  if (n === 3) clearInterval(iv);
}, 40, 'iv');
const t = setTimeout(() => console.log('never: unref and nothing else alive at the end'), 2000);
t.unref();
console.log('hasRef after unref', t.hasRef());
const r = setTimeout(() => console.log('ref again fires'), 300);
r.unref();
r.ref();
console.log('hasRef after ref', r.hasRef());
const refreshed = setTimeout(() => console.log('refreshed: fires 100 ms after the refresh'), 100);
setTimeout(() => refreshed.refresh(), 60);
timers.setTimeout((a, b) => console.log('timers module', a, b), 10, 'x', 'y');
const im = setImmediate(() => console.log('never: cleared'));
clearImmediate(im);
setImmediate((v) => console.log('immediate', v), 'arg');
process.nextTick(() => console.log('nextTick'));
console.log(typeof t[Symbol.toPrimitive](), typeof setTimeout(() => {}, 0).ref);
