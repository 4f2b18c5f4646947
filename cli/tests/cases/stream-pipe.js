// pipe through a Transform into a slow Writable (backpressure), PassThrough, unpipe, and the
// order of 'end'/'finish'/'close' along the chain.
const { Readable, Writable, Transform, PassThrough } = require('stream');
const log = (...a) => console.log(...a);

let n = 0;
const src = new Readable({
  highWaterMark: 8,
  read() {
    if (n < 6) this.push('chunk' + n++ + ';');
    else this.push(null);
  },
});
const up = new Transform({
  transform(chunk, enc, cb) {
    log('transform', chunk.toString());
    cb(null, chunk.toString().toUpperCase());
  },
  flush(cb) {
    log('flush');
    this.push('[done]');
    cb();
  },
});
const sink = new Writable({
  highWaterMark: 10,
  write(c, e, cb) {
    log('sink', c.toString());
    setTimeout(cb, 1);
  },
});
src.on('end', () => log('src end'));
up.on('end', () => log('up end'));
up.on('finish', () => log('up finish'));
sink.on('finish', () => log('sink finish'));
sink.on('pipe', (s) => log('pipe event', s === up));
src.on('close', () => log('src close'));
up.on('close', () => log('up close'));
sink.on('close', () => log('sink close'));
src.pipe(up).pipe(sink);

const pt = new PassThrough();
pt.on('data', (d) => log('pt data', d.toString()));
pt.on('end', () => log('pt end'));
pt.write('hello');
pt.end('world');

// one source, two destinations; unpipe one of them once the chain above has closed
const from = new PassThrough();
const a = new PassThrough();
const b = new PassThrough();
from.pipe(a);
from.pipe(b);
a.on('unpipe', () => log('a unpipe'));
a.on('data', (d) => log('a', d.toString()));
b.on('data', (d) => log('b', d.toString()));
from.write('1');
sink.on('close', () => {
  from.unpipe(a);
  from.write('2');
  from.end();
  log('pipes', from._readableState.pipes.length);
});
