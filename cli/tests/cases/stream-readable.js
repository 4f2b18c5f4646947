// Readable in flowing and paused mode: when 'data', 'readable', 'end' and 'close' fire
// relative to process.nextTick, promise jobs, timers and immediates.
const { Readable } = require('stream');
const log = (...a) => console.log(...a);

// flowing: pushes before a 'data' listener are buffered; flowing starts on a tick
const r = new Readable({ read() {} });
r.on('data', (c) => log('flowing data', c.toString()));
r.on('end', () => log('flowing end', r.readableEnded));
r.on('close', () => log('flowing close', r.destroyed));
r.push('a');
r.push('b');
r.push(null);
log('flowing sync', r.readableFlowing, r.isPaused());
process.nextTick(() => log('tick'));
Promise.resolve().then(() => log('microtask'));
setImmediate(() => log('immediate'));

// paused: 'readable' then read() until null, with _read called on demand
let i = 0;
const p = new Readable({
  highWaterMark: 4,
  read(n) {
    log('_read', n, i);
    if (i < 4) this.push('x' + i++);
    else this.push(null);
  },
});
p.on('readable', () => {
  let c;
  log('readable', p.readableLength);
  while ((c = p.read()) !== null) log('read', c.toString());
});
p.on('end', () => log('paused end'));

// read(n) slices across buffered chunks
const rn = new Readable({ read() {} });
rn.push('abcdefgh');
rn.push('ijk');
log(rn.read(3).toString(), rn.read(6).toString(), rn.read(5), rn.readableLength);
rn.push(null);
log(String(rn.read(5)));

// pause/resume and the 'pause'/'resume' events
const q = new Readable({ read() {} });
q.on('data', (d) => log('q data', d.toString(), q.isPaused()));
q.on('pause', () => log('pause event'));
q.on('resume', () => log('resume event'));
q.push('one');
q.pause();
log('paused?', q.isPaused(), q.readableFlowing);
setImmediate(() => {
  q.resume();
  q.push('two');
  q.push(null);
});
q.on('end', () => log('q end'));

// objectMode and setEncoding with characters split across chunks
const o = new Readable({ objectMode: true, read() {} });
o.on('data', (d) => log('object', d));
o.push({ n: 1 });
o.push([2, 3]);
o.push('four');
o.push(null);
const bytes = Buffer.from('héllo wörld €');
let pos = 0;
const enc = new Readable({
  read() {
    if (pos < bytes.length) {
      this.push(bytes.subarray(pos, pos + 3));
      pos += 3;
    } else this.push(null);
  },
});
enc.setEncoding('utf8');
let text = '';
enc.on('data', (d) => {
  text += d;
  log('utf8 piece', JSON.stringify(d));
});
enc.on('end', () => log('utf8 end', text, enc.readableEncoding));
