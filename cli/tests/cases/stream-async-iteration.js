// for await over Readables, break (destroys the stream), errors, and Readable.from over
// arrays, generators, async generators, strings and promises.
const { Readable } = require('stream');
const log = (...a) => console.log(...a);

async function main() {
  const r = Readable.from(['x', 'y', 'z']);
  for await (const c of r) log('iter', c);
  log('after loop', r.destroyed, r.readableEnded);

  let i = 0;
  const timed = new Readable({
    read() {
      setTimeout(() => this.push(i < 3 ? 'n' + i++ : null), 1);
    },
  });
  timed.setEncoding('utf8');
  for await (const c of timed) log('timed', c);

  const endless = new Readable({ objectMode: true, read() { this.push(1); } });
  for await (const c of endless) {
    log('endless', c);
    break;
  }
  log('endless destroyed', endless.destroyed);

  async function* gen() {
    yield 'g1';
    await null;
    yield 'g2';
  }
  const fromGen = Readable.from(gen());
  fromGen.on('data', (d) => log('async gen', d));
  await new Promise((res) => fromGen.on('end', res));
  log('async gen end');

  function* sync() {
    yield 1;
    yield Promise.resolve(2);
    yield 3;
  }
  for await (const v of Readable.from(sync())) log('sync gen', v);
  for await (const v of Readable.from('whole string')) log('string', v);

  const bad = new Readable({ read() { this.destroy(new Error('bad')); } });
  try {
    for await (const c of bad) log(c);
  } catch (e) {
    log('iteration error', e.message);
  }
  try {
    Readable.from(42);
  } catch (e) {
    log(e.code, e.message);
  }
  const withNull = Readable.from([1, null, 3]);
  withNull.on('error', (e) => log('null value', e.code, e.message));
  withNull.resume();
}
main().then(() => log('done'));
process.nextTick(() => log('tick'));
