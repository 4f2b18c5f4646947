// Costs of worker_threads on real Node: starting and ending a worker, and posting messages
// to one (a tiny message, cloned payloads of growing size, a transferred ArrayBuffer).
// Parameters: worker_start_ns, worker_exit_ns, message_base_ns, message_byte_ns,
// message_object_byte_ns, transfer_ns. Run alone: node bench/node-costs/workers.js [--quick]
'use strict';
const path = require('node:path');
const v8 = require('node:v8');
const { Worker } = require('node:worker_threads');
const {
  nowNs,
  summarize,
  fitPerByte,
  record,
  pointRecords,
  formatBytes,
  collect,
  runAsMain,
} = require('./common');

const KB = 1024;
const MB = 1024 * 1024;

// Starts a worker whose script posts one message at its top, and times from the
// constructor to its `online` event and to that first message; then waits for its exit.
function startWorkerOnce() {
  return new Promise((resolve, reject) => {
    const code = "require('node:worker_threads').parentPort.postMessage('up');";
    let onlineNs = NaN;
    let firstMessageNs = NaN;
    const startNs = nowNs();
    const worker = new Worker(code, { eval: true });
    worker.once('online', () => {
      onlineNs = nowNs();
    });
    worker.once('message', () => {
      firstMessageNs = nowNs();
    });
    worker.once('error', reject);
    worker.once('exit', () => {
      resolve({ online: onlineNs - startNs, firstMessage: firstMessageNs - startNs });
    });
  });
}

// Starts a worker with an empty script and times from its `online` event to its `exit`.
function exitWorkerOnce() {
  return new Promise((resolve, reject) => {
    let onlineNs = NaN;
    const worker = new Worker('', { eval: true });
    worker.once('online', () => {
      onlineNs = nowNs();
    });
    worker.once('error', reject);
    worker.once('exit', () => resolve(nowNs() - onlineNs));
  });
}

// A worker running message-peer.js, with `request(message, transferList)` resolving to its
// answer.
function startPeer() {
  const worker = new Worker(path.join(__dirname, 'message-peer.js'));
  let pending = null;
  worker.on('message', (answer) => {
    const resolve = pending;
    pending = null;
    resolve(answer);
  });
  worker.on('error', (error) => {
    throw error;
  });
  return {
    worker,
    request(message, transferList) {
      return new Promise((resolve) => {
        pending = resolve;
        worker.postMessage(message, transferList);
      });
    },
  };
}

// The payloads a clone is timed with, each built to serialize to about `bytes` bytes:
// binary (an ArrayBuffer, copied), numbers (an array of doubles), records (an array of
// small objects whose fields are strings).
const payloadKinds = {
  binary(bytes) {
    return new ArrayBuffer(bytes);
  },
  numbers(bytes) {
    return Array.from({ length: Math.max(1, Math.round(bytes / 9)) }, (_, i) => i + 0.5);
  },
  records(bytes) {
    const build = (count) =>
      Array.from({ length: count }, (_, i) => ({
        name: `customer-${String(i).padStart(6, '0')}`,
        city: i % 2 ? 'Springfield' : 'Shelbyville',
        status: i % 3 ? 'active' : 'paused',
      }));
    // Distinct objects: the serializer writes a repeated reference to one object only once.
    const perRecord = v8.serialize(build(1000)).length / 1000;
    return build(Math.max(1, Math.round(bytes / perRecord)));
  },
};

// One-way times (ns) of posting `payload` as a copy: from just before postMessage on the main
// thread until the worker's `message` handler runs (cloning on both sides included).
async function cloneTimes(peer, payload, count, warmup) {
  return collect(count, warmup, async () => {
    const sentNs = nowNs();
    const arrivedNs = await peer.request({ kind: 'clone', payload });
    return arrivedNs - sentNs;
  });
}

// One-way times (ns) of posting an ArrayBuffer of `bytes` bytes in the transfer list. The
// worker transfers it back, so the same memory goes to and fro.
async function transferTimes(peer, bytes, count, warmup) {
  let buffer = new ArrayBuffer(bytes);
  return collect(count, warmup, async () => {
    const sentNs = nowNs();
    const answer = await peer.request({ kind: 'transfer', buffer }, [buffer]);
    buffer = answer.buffer;
    return answer.arrivedNs - sentNs;
  });
}

async function measure({ quick }) {
  const records = [];

  const starts = await collect(quick ? 5 : 30, quick ? 1 : 3, startWorkerOnce);
  records.push(
    record(
      'worker_start_ns',
      'ns',
      summarize(starts.map((s) => s.firstMessage)),
      'new Worker(code, {eval: true}) until the first message the worker posts at its top',
      { parameter: true },
    ),
    record(
      'worker_start_online_ns',
      'ns',
      summarize(starts.map((s) => s.online)),
      'new Worker(code, {eval: true}) until its online event',
    ),
  );

  const exits = await collect(quick ? 5 : 30, quick ? 1 : 3, exitWorkerOnce);
  records.push(
    record('worker_exit_ns', 'ns', summarize(exits), 'empty worker script: online until exit', {
      parameter: true,
    }),
  );

  const peer = startPeer();
  const roundTrips = await collect(quick ? 200 : 3000, quick ? 50 : 500, async (i) => {
    const sentNs = nowNs();
    await peer.request(i);
    return nowNs() - sentNs;
  });
  records.push(
    record(
      'message_base_ns',
      'ns',
      summarize(roundTrips.map((ns) => ns / 2)),
      'postMessage of a number to a worker that echoes it: round trip / 2',
      { parameter: true },
    ),
  );

  const sizes = quick
    ? [1 * KB, 64 * KB, 1 * MB]
    : [1 * KB, 16 * KB, 64 * KB, 256 * KB, 1 * MB, 4 * MB, 16 * MB];
  const sizeRange = `${formatBytes(sizes[0])}..${formatBytes(sizes[sizes.length - 1])}`;
  const fits = {};
  for (const [kind, build] of Object.entries(payloadKinds)) {
    const points = [];
    for (const size of sizes) {
      const payload = build(size);
      const bytes = v8.serialize(payload).length;
      const big = size >= 4 * MB;
      const count = quick ? 5 : big ? 10 : 30;
      const samples = await cloneTimes(peer, payload, count, quick || big ? 1 : 5);
      points.push({ bytes, samples });
    }
    const fitted = fitPerByte(points);
    fits[kind] = fitted;
    records.push(
      ...pointRecords(
        `clone_${kind}`,
        points,
        fitted.summaries,
        `one-way postMessage of ${kind} (copy), size = v8.serialize length`,
      ),
    );
  }
  const fitNote = (kind) =>
    `base ${Math.round(fits[kind].fit.intercept)} ns, r2 ${fits[kind].fit.r2.toFixed(4)}`;
  records.push(
    record(
      'message_byte_ns',
      'ns/byte',
      fits.binary.slopeStats,
      `least squares slope of one-way time vs size, ArrayBuffer copies ${sizeRange}`,
      { parameter: true, note: fitNote('binary') },
    ),
    record(
      'message_object_byte_ns',
      'ns/byte',
      fits.records.slopeStats,
      `least squares slope, arrays of objects with string fields ${sizeRange}`,
      { parameter: true, note: fitNote('records') },
    ),
    record(
      'message_number_array_byte_ns',
      'ns/byte',
      fits.numbers.slopeStats,
      `least squares slope, arrays of doubles ${sizeRange}`,
      { note: fitNote('numbers') },
    ),
  );

  const transferSamples = quick ? 5 : 30;
  records.push(
    record(
      'transfer_ns',
      'ns',
      summarize(await transferTimes(peer, 16 * MB, transferSamples, quick ? 1 : 5)),
      'one-way postMessage of a 16 MB ArrayBuffer in the transfer list',
      { parameter: true },
    ),
    record(
      'transfer_1KB_ns',
      'ns',
      summarize(await transferTimes(peer, 1 * KB, transferSamples, quick ? 1 : 5)),
      'the same with a 1 KB ArrayBuffer (size-independence check)',
    ),
  );

  await peer.worker.terminate();
  return records;
}

module.exports = { measure };
runAsMain(module, measure);
