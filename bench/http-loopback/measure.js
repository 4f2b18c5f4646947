// Measures one loopback hop of an in-process HTTP exchange on real Node (docs/costs.md,
// `CostModel::loopback_ns`): the time from http.get() to the server's 'request' event
// (connect + request) and from res.end() to the client's 'response' event (response).
// Run: node bench/http-loopback/measure.js
const http = require('http');
const N = 300;
const toServer = [];
const toClient = [];
let sent;
let ended;
const server = http.createServer((req, res) => {
  toServer.push(performance.now() - sent);
  ended = performance.now();
  res.end('ok');
});
server.listen(0, () => {
  const { port } = server.address();
  let i = 0;
  const next = () => {
    sent = performance.now();
    http.get({ port, path: '/', agent: false }, (res) => {
      toClient.push(performance.now() - ended);
      res.resume();
      res.on('end', () => (++i < N ? setImmediate(next) : done()));
    });
  };
  next();
});
function pct(a, q) {
  const s = a.slice().sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))];
}
const show = (a) => pct(a, 0.5).toFixed(3) + ' (p10 ' + pct(a, 0.1).toFixed(3) + ' .. p90 ' + pct(a, 0.9).toFixed(3) + ')';
function done() {
  console.log('requests', N);
  console.log('get -> request, ms: median', show(toServer));
  console.log('end -> response, ms: median', show(toClient));
  server.close();
}
