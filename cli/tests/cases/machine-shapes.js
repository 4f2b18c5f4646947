// Machine-dependent results: only their shape is compared (os.cpus, randomBytes, dns.lookup).
const os = require('os');
const crypto = require('crypto');
const dns = require('dns');
const cpus = os.cpus();
console.log(Array.isArray(cpus), cpus.length > 0, Object.keys(cpus[0]).sort(), typeof cpus[0].speed);
console.log(Object.keys(cpus[0].times).sort());
const bytes = crypto.randomBytes(16);
console.log(Buffer.isBuffer(bytes), bytes.length, /^[0-9a-f]{32}$/.test(bytes.toString('hex')));
crypto.randomBytes(4, (err, b) => console.log('async randomBytes', err, b.length));
console.log(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
dns.lookup('localhost', (err, address, family) => {
  console.log('lookup', err, typeof address, family === 4 || family === 6);
});
