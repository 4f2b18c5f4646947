// A worker blocked by CPU work gets no new connection: worker 1 is first in the queue of
// free workers, so it is handed the first connection, but it cannot acknowledge that
// hand-off until its busy loop ends; until then every other connection goes to worker 2.
const cluster = require('cluster');
const http = require('http');
if (cluster.isPrimary) {
  cluster.on('listening', (w) => { if (w.id < 2) cluster.fork(); else cluster.workers[1].send('block'); });
  cluster.fork();
  const served = [];
  cluster.on('message', (w, m) => {
    if (m !== 'blocking') return;
    for (let i = 0; i < 6; i++) {
      setTimeout(() => {
        http.get({ port: 3000, path: '/' + i, agent: false }, (res) => {
          let b = '';
          res.on('data', (d) => (b += d));
          res.on('end', () => {
            served[i] = b;
            if (served.filter(Boolean).length === 6) {
              console.log(served.join('\n'));
              cluster.disconnect();
            }
          });
        });
      }, i * 20);
    }
  });
} else {
  http.createServer((req, res) => {
    res.end('r' + req.url.slice(1) + ' worker ' + cluster.worker.id);
  }).listen(3000);
  process.on('message', (m) => {
    if (m !== 'block') return;
    process.send('blocking');
    const end = Date.now() + 500;
    while (Date.now() < end);
  });
}
