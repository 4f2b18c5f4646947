// The global agent keeps connections alive: a request made in a response's 'end' handler
// opens a new one (the socket is freed after the handlers), the next reuses one.
const http = require('http');
const server = http.createServer((req, res) => { res.end('hi ' + req.url + ' ' + req.socket.remotePort); });
server.on('connection', () => console.log('connection'));
server.listen(0, () => {
  const port = server.address().port;
  let n = 0;
  const next = () => http.get({ port, path: '/' + n }, (res) => {
    res.resume(); res.on('end', () => { console.log('got', n); if (++n < 3) next(); else server.close(() => console.log('closed')); });
  });
  next();
});
