// cluster round-robin: workers that started listening one after another get sequential
// connections in turn.
const cluster = require('cluster');
const http = require('http');
if (cluster.isPrimary) {
  cluster.on('listening', (w, addr) => {
    console.log('listening', w.id, addr);
    if (w.id < 3) cluster.fork(); else go(0);
  });
  cluster.fork();
  function go(i) {
    if (i === 6) { for (const id in cluster.workers) cluster.workers[id].kill(); return; }
    http.get({ port: 3000, agent: false, path: '/' + i }, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (b += d));
      res.on('end', () => { console.log(res.statusCode, b); go(i + 1); });
    });
  }
} else {
  http.createServer((req, res) => res.end('worker ' + cluster.worker.id + ' ' + req.url)).listen(3000);
}
