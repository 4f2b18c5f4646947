// The child process of processes.js's fork measurements. At the top of its script it sends
// one IPC message ('up'), then answers each message from its parent:
// - { kind: 'ping', i } comes back unchanged;
// - { kind: 'payload', data } is answered with the time it arrived (monotonic ns, the same
//   clock as the parent's), so the parent can compute the one-way latency;
// - { kind: 'exit' } makes it write the current time to stdout, synchronously, and call
//   process.exit(0): the parent times from that moment to its `exit` event.
'use strict';
const fs = require('node:fs');

process.send('up');

process.on('message', (message) => {
  const arrivedNs = Number(process.hrtime.bigint());
  if (message.kind === 'ping') {
    process.send(message);
  } else if (message.kind === 'payload') {
    process.send(arrivedNs);
  } else if (message.kind === 'exit') {
    fs.writeSync(1, `${Number(process.hrtime.bigint())}\n`);
    process.exit(0);
  } else {
    throw new Error(`ipc-child: unknown message kind ${message.kind}`);
  }
});
