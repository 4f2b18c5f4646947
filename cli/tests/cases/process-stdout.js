// process.stdout / process.stderr: write (strings in encodings, Buffers, typed arrays, no newline
// added), the write callback's turn (a nextTick, as for Node's synchronous pipe writes), the
// properties of a piped stdout, EventEmitter methods, argument errors, a Readable piped into
// process.stdout (which is not ended), and end() (finish and close; the pipe is shut).
const { Readable, Writable } = require('stream');
const out = process.stdout;
console.log(typeof out, out.isTTY, out.fd, out.columns, process.stderr.fd, process.stderr.isTTY);
console.log(out === process.stdout, out.writable, typeof out.on, typeof out.once, out instanceof Writable);
const r = out.write('abc', (e) => console.log('cb1', e));
console.log(' <- same line', r);
process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('micro'));
out.write('enc\n', 'utf8', (e) => console.log('cb2', e));
out.write(Buffer.from('buf\n'));
out.write(new Uint8Array([104, 105, 10]));
out.write('6869210a', 'hex');
out.write('b2sK', 'base64');
out.write('');
for (const bad of [5, undefined, {}]) {
  try {
    out.write(bad);
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
}
try {
  out.write(null);
} catch (e) {
  console.log(e.name, e.code, e.message);
}
process.stderr.write('to stderr\n');
console.log('listeners', out.listenerCount('data'), out.on('custom', (x) => console.log('custom', x)) === out);
out.emit('custom', 1);
out.once('custom2', (x) => console.log('custom2', x));
out.emit('custom2', 2);
console.log('emit again', out.emit('custom2', 3));

setTimeout(() => {
  const src = Readable.from(['one\n', 'two\n', Buffer.from('three\n')]);
  src.on('end', () => {
    setTimeout(() => {
      console.log('after pipe', out.writable, out.writableEnded);
      // end() shuts a piped stdout (Node's later writes fail with EPIPE): the events are seen
      // through the exit code
      let seen = 0;
      out.on('finish', () => (seen |= 1));
      out.on('close', () => (seen |= 2));
      out.end('ended\n', (e) => (seen |= e === null ? 4 : 8));
      setTimeout(() => {
        process.exitCode = seen;
      }, 5);
    }, 5);
  });
  const dest = src.pipe(out);
  console.log('pipe returns the destination', dest === out);
}, 5);
