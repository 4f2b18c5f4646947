// Seed: "The Cluster Module ... if (cluster.isPrimary) { for (let i = 0; i < cpus; i++)
// cluster.fork(); } else { require('./server.js'); }". The number of CPUs differs between
// machines, so two workers; each "server" reports to the primary instead of listening.
const cluster = require('cluster');

if (cluster.isPrimary) {
  // I am the manager process
  const cpus = 2;
  const reports = [];
  for (let i = 0; i < cpus; i++) {
    cluster.fork(); // Create a worker for each CPU
  }
  cluster.on('message', (worker, msg) => {
    reports.push([worker.id, msg]);
    worker.disconnect();
  });
  let exited = 0;
  cluster.on('exit', (worker, code, signal) => {
    if (++exited === cpus) {
      reports.sort((a, b) => a[0] - b[0]);
      for (const [id, msg] of reports) console.log('worker', id, 'said', msg);
      console.log('all workers exited; isPrimary', cluster.isPrimary);
    }
  });
  console.log('primary forked', Object.keys(cluster.workers));
} else {
  // I am a worker process (server.js would start here)
  process.send({ ready: true, id: cluster.worker.id, isWorker: cluster.isWorker });
}
