// An HTTP server in a forked child; the parent cannot bind its port (EADDRINUSE), asks it
// over the loopback network, and is refused once the child has gone.
const { fork } = require('child_process');
const http = require('http');
if (process.argv[2] === 'child') {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('from ' + (process.pid === Number(process.env.PARENT) ? 'parent' : 'child') + ' ' + req.method + ' ' + req.url);
  });
  server.listen(3000, () => process.send('ready'));
  process.on('message', (m) => { if (m === 'stop') server.close(() => { console.log('child: closed'); process.disconnect(); }); });
} else {
  const child = fork(__filename, ['child'], { env: { ...process.env, PARENT: String(process.pid) } });
  child.on('message', () => {
    const mine = http.createServer().listen(3000);
    mine.on('error', (e) => {
      console.log('parent listen:', e.code, e.message);
      http.get('http://localhost:3000/hello', (res) => {
        console.log(res.statusCode, res.headers['content-type'], res.headers.connection);
        res.setEncoding('utf8');
        res.on('data', (d) => console.log('body', d));
        res.on('end', () => child.send('stop'));
      });
    });
  });
  child.on('exit', (code, signal) => {
    console.log('child exit', code, signal);
    http.get('http://localhost:3000/', () => {}).on('error', (e) => console.log('after:', e.code));
  });
}
