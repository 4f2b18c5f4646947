// The seeds' cluster skeleton as a project: every worker runs server.js, and all of them
// listen on port 3000. The primary owns the port and hands connections out round-robin,
// so four requests on fresh connections reach both workers twice.
const cluster = require('cluster');
const http = require('http');

if (cluster.isPrimary) {
  const workers = 2;
  let listening = 0;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('listening', (worker, address) => {
    if (++listening === workers) ask(4);
  });
  function ask(n) {
    const answers = [];
    for (let i = 0; i < n; i++) {
      setTimeout(() => {
        http.get({ port: 3000, path: '/' + i, agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (body += d));
          res.on('end', () => {
            answers.push(body.trim());
            if (answers.length === n) {
              const perWorker = {};
              for (const a of answers) perWorker[a.split(' ')[3]] = (perWorker[a.split(' ')[3]] || 0) + 1;
              console.log(Object.values(perWorker));
              cluster.disconnect(() => console.log('all workers gone'));
            }
          });
        });
      }, i * 10);
    }
  }
} else {
  require('./server.js');
}
