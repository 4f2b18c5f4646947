// Seed: "Cluster IPC ... process.send({ type: 'log', msg: 'Worker did something!' }) ...
// worker.on('message', (msg) => console.log('Message from worker:', msg))".
const cluster = require('cluster');

if (cluster.isPrimary) {
  // Master process
  const worker = cluster.fork();
  worker.on('online', () => {
    console.log('worker', worker.id, 'is online');
    worker.send('do something');
  });
  worker.on('message', (msg) => {
    console.log('Message from worker:', msg);
    worker.disconnect();
  });
  worker.on('exit', (code, signal) => {
    console.log('worker exit', code, signal, worker.exitedAfterDisconnect);
  });
} else {
  // Worker process
  process.on('message', (m) => {
    console.log('worker got', m);
    process.send({ type: 'log', msg: 'Worker did something!' });
  });
}
