// Checks the network examples against real Node: `node -r ./node-network.cjs EXAMPLE.js`.
// Starts one local HTTP server per host of network.json, answering with the host's body after
// its latency, and routes fetch() for those hosts to them, so real Node sees the same network
// the simulator models (the servers do not keep the process alive).
const http = require('node:http');
const hosts = require('./network.json');
const ports = new Map();
const ready = Promise.all(hosts.map((h) => new Promise((resolve) => {
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end(h.body_json);
    }, h.latency_ms);
  });
  server.listen(0, '127.0.0.1', () => { ports.set(h.host, server.address().port); server.unref(); resolve(); });
})));
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, options) => {
  await ready;
  const u = new URL(url);
  if (ports.has(u.hostname)) { u.host = `127.0.0.1:${ports.get(u.hostname)}`; }
  return realFetch(u, options);
};
