// Stream subclasses, Duplex (allowHalfOpen), once('readable'), unshift, highWaterMark 0,
// backpressure over many objects, argument errors, stream/promises finished.
const { Readable, Writable, Transform, Duplex, PassThrough, Stream, finished } = require('stream');
const { finished: fin } = require('stream/promises');
const log = (...a) => console.log(...a);
class Counter extends Readable {
  constructor(max) { super({ objectMode: true }); this.n = 0; this.max = max; }
  _read() { this.n < this.max ? this.push(this.n++) : this.push(null); }
}
class Upper extends Transform {
  _transform(chunk, enc, cb) { this.push(String(chunk).toUpperCase()); cb(); }
}
class Collect extends Writable {
  constructor() { super({ objectMode: true }); this.items = []; }
  _write(c, e, cb) { this.items.push(c); cb(); }
}
const c = new Collect();
c.on('finish', () => log('collected', c.items));
new Counter(5).pipe(new Transform({ objectMode: true, transform(x, e, cb) { cb(null, x * 2); } })).pipe(c);
const d = new Duplex({
  read() {},
  write(chunk, enc, cb) { log('duplex got', chunk.toString()); this.push(chunk.toString().split('').reverse().join('')); cb(); },
  final(cb) { this.push(null); cb(); },
});
d.on('data', (x) => log('duplex out', x.toString()));
d.on('end', () => log('duplex end'));
d.on('finish', () => log('duplex finish'));
d.on('close', () => log('duplex close'));
d.write('abc');
d.end('xyz');
log(new Counter(1) instanceof Stream, d instanceof Writable, d instanceof Readable, new PassThrough() instanceof Duplex);
log(Object.keys(require('stream')).sort().join());
const half = new Duplex({ allowHalfOpen: false, read() {}, write(c, e, cb) { cb(); } });
half.on('finish', () => log('half finish'));
half.on('end', () => log('half end'));
half.on('close', () => log('half close'));
half.resume();
half.push(null);
const u = new Upper();
u.setEncoding('utf8');
u.on('data', (s) => log('upper', s));
u.write('hi');
u.end('there');
const r = new Readable({ read() {} });
r.once('readable', () => { log('once readable', String(r.read())); r.on('data', (x) => log('then data', String(x))); });
r.push('first');
setImmediate(() => { r.push('second'); r.push(null); });

const ww = new Writable({ write(c, e, cb) { cb(); } });
try { ww.write(42); } catch (e) { log(e.code, e.message); }
try { ww.write(null); } catch (e) { log(e.code, e.message); }
try { new Readable({ highWaterMark: -1 }); } catch (e) { log(e.code, e.message); }
const rr = new Readable({ read() {} });
rr.on('error', (e) => log('push type', e.code, e.message));
rr.push(5);
const r3 = new Readable({ read() {} });
r3.push('hello');
r3.once('readable', () => {
  const c = r3.read(2);
  log('read2', String(c));
  r3.unshift(c);
  log('after unshift', r3.readableLength, String(r3.read()));
});
let count = 0;
const big = Readable.from(Array.from({ length: 40 }, (_, i) => i));
const slow = new Writable({ objectMode: true, highWaterMark: 3, write(c, e, cb) { count++; if (count % 10 === 0) log('at', c, big.readableLength, slow.writableLength); setImmediate(cb); } });
big.pipe(slow).on('finish', () => log('big finish', count));
const src2 = new PassThrough();
const dst = new Writable({ write(c, e, cb) { cb(new Error('dst fail')); } });
dst.on('error', (e) => log('dst error', e.message, src2.isPaused()));
src2.pipe(dst);
src2.write('x');
const hw0 = new Readable({ highWaterMark: 0, read() { log('hw0 _read'); this.push('z'); this.push(null); } });
hw0.on('data', (d) => log('hw0', String(d)));
const pr = new PassThrough();
fin(pr).then(() => log('fin resolved'));
pr.resume();
pr.end('q');
const dd = new Readable({ read() { this.push('d'); } });
dd.on('data', (x) => { log('dd data'); dd.destroy(); });
dd.on('close', () => log('dd close', dd.readableAborted));
finished(dd, (err) => log('dd finished', err && err.code));
process.nextTick(() => log('tick'));
(async () => { log('async start'); await null; log('after await'); })();
