// Binding a port twice: in one process (listen EADDRINUSE), and in a cluster worker whose
// primary already holds the port (bind EADDRINUSE, reported by the primary's handle).
const cluster = require('cluster');
const http = require('http');
const net = require('net');
if (cluster.isPrimary) {
  const a = http.createServer().listen(3001, () => {
    const b = http.createServer().listen(3001);
    b.on('error', (e) => {
      console.log(e.message, e.code, e.errno, e.syscall, e.address, e.port);
      a.close();
      const s = net.createServer().listen(3000, () => {
        const w = cluster.fork();
        w.on('message', (m) => { console.log('worker says', m); s.close(); w.kill(); });
      });
    });
  });
  http.get('http://localhost:3999', () => {}).on('error', (e) => console.log(e.message, e.address));
  net.connect(3998).on('error', (e) => console.log('net', e.message));
} else {
  const srv = http.createServer().listen(3000);
  srv.on('error', (e) => process.send({ message: e.message, code: e.code, errno: e.errno, syscall: e.syscall, address: e.address, port: e.port }));
}
