// An in-process HTTP server and client: request body, writeHead, setHeader, streamed
// response parts, keep-alive vs agent: false, 404 JSON, close, ECONNREFUSED, close twice.
const http = require('http');
const log = (...a) => console.log(...a);
const server = http.createServer((req, res) => {
  log('server', req.method, req.url, req.headers.host.startsWith('localhost:'), req.headers['x-test']);
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    log('request body', JSON.stringify(body));
    if (req.url === '/missing') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'not found' }));
      return;
    }
    res.statusCode = 201;
    res.setHeader('X-Count', 3);
    log('has header', res.hasHeader('x-count'), res.getHeader('X-COUNT'), res.headersSent);
    res.write('part1 ');
    log('headersSent after write', res.headersSent);
    setTimeout(() => res.end('part2'), 5);
  });
  res.on('finish', () => log('res finish', req.url));
});
server.on('listening', () => log('listening event'));
server.listen(0, () => {
  const port = server.address().port;
  log('address', typeof port, server.address().family);
  const req = http.request({ port, method: 'POST', path: '/items?x=1', headers: { 'X-Test': 'yes' } }, (res) => {
    log('status', res.statusCode, res.statusMessage, res.headers['x-count'], res.headers['transfer-encoding'], res.headers.connection);
    res.on('data', (c) => log('chunk', JSON.stringify(c.toString())));
    res.on('end', () => {
      log('end 1');
      http.get(`http://localhost:${port}/missing`, (res2) => {
        log('status2', res2.statusCode, res2.statusMessage, res2.headers['content-type'], res2.headers['content-length']);
        let b = '';
        res2.on('data', (c) => (b += c));
        res2.on('end', () => {
          log('json', JSON.parse(b));
          server.close(() => {
            log('closed');
            http.get({ port, path: '/', agent: false }).on('error', (e) => log('after close', e.code, e.syscall));
            server.close((err) => log('close again', err.code, err.message));
          });
        });
      });
    });
  });
  req.write('hello ');
  req.end('world');
  process.nextTick(() => log('tick after request'));
});
log('sync', server.listening);
