// Writable: write() returning false past highWaterMark, 'drain', _final, end(chunk, cb),
// 'prefinish'/'finish'/'close', writev, and the order against ticks and promise jobs.
const { Writable } = require('stream');
const log = (...a) => console.log(...a);

const w = new Writable({
  highWaterMark: 5,
  write(chunk, enc, cb) {
    log('_write', chunk.toString(), enc);
    setImmediate(cb);
  },
  final(cb) {
    log('final');
    process.nextTick(cb);
  },
});
w.on('drain', () => log('drain', w.writableLength));
w.on('prefinish', () => log('prefinish'));
w.on('finish', () => log('finish', w.writableFinished));
w.on('close', () => log('close'));
log(w.write('abc'), w.writableLength, w.writableNeedDrain);
log(w.write('def'), w.writableLength, w.writableNeedDrain);
log(w.write('g', () => log('cb g')), w.writableLength);
w.end('end', () => log('end cb'));
log('ended', w.writableEnded, w.writableFinished);
process.nextTick(() => log('tick'));

// synchronous _write: callbacks, 'finish' and 'close' come on later ticks
const out = [];
const s = new Writable({
  write(c, e, cb) {
    out.push(c.toString());
    cb();
  },
});
s.on('finish', () => log('sync finish', out.join('')));
s.on('close', () => log('sync close'));
for (let i = 0; i < 3; i++) log('sync write', s.write(String(i), () => log('cb', i)));
s.end(() => log('sync end cb'));
Promise.resolve().then(() => log('microtask'));

// objectMode counts objects; highWaterMark 2
const ow = new Writable({
  objectMode: true,
  highWaterMark: 2,
  write(c, e, cb) {
    log('object', c);
    cb();
  },
});
ow.on('finish', () => log('object finish'));
log(ow.write({ a: 1 }), ow.write(2), ow.write(3));
ow.end();

// writev receives what was buffered while a write was in flight; cork/uncork
const v = new Writable({
  write(c, e, cb) {
    log('single', c.toString());
    setImmediate(cb);
  },
  writev(chunks, cb) {
    log('writev', chunks.map((x) => x.chunk.toString()).join('|'));
    setImmediate(cb);
  },
});
v.write('1');
v.write('2');
v.write('3', () => {
  v.cork();
  v.write('4');
  v.write('5');
  log('corked', v.writableCorked, v.writableLength);
  v.uncork();
  v.end();
});
v.on('finish', () => log('writev finish'));
