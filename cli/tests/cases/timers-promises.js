// timers/promises: setTimeout/setImmediate with values, ordering against plain timers.
const tp = require('timers/promises');
(async () => {
  console.log('before');
  const v = await tp.setTimeout(20, 'value');
  console.log('after setTimeout', v);
  const w = await tp.setImmediate('imm');
  console.log('after setImmediate', w);
  const results = await Promise.all([tp.setTimeout(30, 'slow'), tp.setTimeout(10, 'fast')]);
  console.log(results);
})();
setTimeout(() => console.log('plain 10ms'), 10);
