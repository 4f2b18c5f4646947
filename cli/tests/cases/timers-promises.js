// timers/promises: setTimeout/setImmediate/setInterval with values, ordering against plain timers.
const tp = require('timers/promises');
(async () => {
  console.log('before');
  const v = await tp.setTimeout(20, 'value');
  console.log('after setTimeout', v);
  const w = await tp.setImmediate('imm');
  console.log('after setImmediate', w);
  const results = await Promise.all([tp.setTimeout(30, 'slow'), tp.setTimeout(10, 'fast')]);
  console.log(results);
  // setInterval: an async iterator; the interval starts with the first next() and is cleared
  // when the loop is left
  let n = 0;
  for await (const tick of tp.setInterval(5, 'tick')) {
    console.log(tick, ++n);
    Promise.resolve().then(() => console.log('microtask after tick', n));
    if (n === 3) break;
  }
  const it = tp.setInterval(2, { k: 1 });
  console.log(await it.next(), await it.return('r'), await it.next());
})();
setTimeout(() => console.log('plain 10ms'), 10);
