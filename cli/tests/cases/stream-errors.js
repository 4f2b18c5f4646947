// Errors and destroy: Node's codes and messages, when 'error' and 'close' fire, finished(),
// and an unhandled stream error ending the process with exit code 1.
const { Readable, Writable, finished } = require('stream');
const log = (...a) => console.log(...a);

const r = new Readable({ read() {} });
r.on('error', (e) => log('push after EOF', e.code, e.message, String(e), e.name));
r.on('close', () => log('r close', r.destroyed, r.readableAborted));
r.push('a');
r.push(null);
r.push('b');

const noRead = new Readable();
noRead.on('error', (e) => log('no _read', e.code, e.message));
noRead.on('data', () => {});

// a Writable without _write throws from write() itself
const noWrite = new Writable();
try {
  noWrite.write('x');
} catch (e) {
  log('no _write', e.code, e.message, String(e));
}

const ended = new Writable({ write(c, e, cb) { cb(); } });
ended.end();
ended.write('late', (e) => log('late write callback', e.code));
ended.on('error', (e) => log('write after end', e.code, e.message));
ended.on('close', () => log('ended close'));

const custom = new Readable({
  read() {},
  destroy(err, cb) {
    log('_destroy', err && err.message);
    cb(err);
  },
});
custom.on('error', (e) => log('custom error', e.message));
custom.on('close', () => log('custom close', custom.errored && custom.errored.message));
custom.destroy(new Error('kaput'));
log('destroyed at once', custom.destroyed);

const early = new Readable({ read() {} });
finished(early, (err) => log('finished early', err && err.code, err && err.message));
early.destroy();

const fine = new Writable({ write(c, e, cb) { cb(); } });
finished(fine, (err) => log('finished fine', err));
fine.end('x');

const failing = new Writable({ write(c, e, cb) { cb(new Error('write failed')); } });
failing.on('error', (e) => log('failing error', e.message));
failing.on('close', () => log('failing close'));
failing.write('a', (e) => log('failing callback', e && e.message));

const twice = new Writable({ write(c, e, cb) { cb(); cb(); } });
twice.on('error', (e) => log('twice', e.code, e.message));
twice.write('z');

process.nextTick(() => log('tick'));
process.on('exit', (code) => log('exit', code));
setTimeout(() => {
  const unhandled = new Writable({ write(c, e, cb) { cb(new Error('nobody listens')); } });
  unhandled.write('x');
}, 10);
