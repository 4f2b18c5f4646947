const http = require('http');
const cluster = require('cluster');
http.createServer((req, res) => res.end('hello from worker ' + cluster.worker.id + '\n')).listen(3000);
