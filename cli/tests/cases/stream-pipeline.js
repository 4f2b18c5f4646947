// stream.pipeline (callback) and stream/promises pipeline with Transforms, async generator
// stages, Readable.from, and the errors that end a pipeline.
const { pipeline, Readable, Transform, Writable, PassThrough } = require('stream');
const { pipeline: pipelinePromise } = require('stream/promises');
const util = require('util');
const log = (...a) => console.log(...a);

const chunks = [];
pipeline(
  Readable.from(['a', 'b', 'c']),
  new Transform({
    objectMode: true,
    transform(c, e, cb) {
      log('t', c);
      cb(null, c + c);
    },
  }),
  new Writable({
    objectMode: true,
    write(c, e, cb) {
      chunks.push(c);
      log('w', c);
      cb();
    },
  }),
  (err) => log('pipeline done', err, chunks),
);
process.nextTick(() => log('tick'));
Promise.resolve().then(() => log('microtask'));

(async () => {
  await pipelinePromise(
    Readable.from([1, 2, 3]),
    async function* (source) {
      for await (const x of source) yield x * 10;
    },
    new Writable({
      objectMode: true,
      write(c, e, cb) {
        log('pw', c);
        cb();
      },
    }),
  );
  log('promise pipeline done');
  try {
    await pipelinePromise(
      new Readable({ read() { this.destroy(new Error('boom')); } }),
      new Writable({ write(c, e, cb) { cb(); } }),
    );
  } catch (e) {
    log('caught', e.message);
  }
  await new Promise((resolve) => {
    pipeline(
      new Readable({ read() { this.push('x'); this.push(null); } }),
      new Writable({ write(c, e, cb) { cb(new Error('write failed')); } }),
      (err) => {
        log('callback error', err && err.message);
        resolve();
      },
    );
  });
  const destroyed = new PassThrough();
  const p = pipelinePromise(Readable.from(['z']), destroyed);
  destroyed.destroy();
  await p.catch((e) => log('premature', e.code, e.message));
  log('promisified is promises.pipeline', util.promisify(pipeline) === pipelinePromise);
  try {
    pipeline(Readable.from([]), () => {});
  } catch (e) {
    log(e.code, e.message);
  }
})();
