// The worker at the other end of workers.js's message measurements. It answers each message
// from the main thread at once:
// - a number (a ping) comes back unchanged;
// - { kind: 'clone', payload } is answered with the time it arrived (monotonic ns), so the
//   main thread can compute the one-way latency, cloning included, without a second clone;
// - { kind: 'transfer', buffer } is answered with the arrival time and the same buffer,
//   transferred back, so the main thread can post it again.
'use strict';
const { parentPort } = require('node:worker_threads');

parentPort.on('message', (message) => {
  const arrivedNs = Number(process.hrtime.bigint());
  if (typeof message === 'number') {
    parentPort.postMessage(message);
  } else if (message.kind === 'clone') {
    parentPort.postMessage(arrivedNs);
  } else if (message.kind === 'transfer') {
    parentPort.postMessage({ arrivedNs, buffer: message.buffer }, [message.buffer]);
  } else {
    throw new Error(`message-peer: unknown message kind ${message.kind}`);
  }
});
