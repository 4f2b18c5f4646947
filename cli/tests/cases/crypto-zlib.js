// crypto hashes/HMAC/pbkdf2 and zlib's compressed bytes print exactly what Node prints.
const crypto = require('crypto');
const zlib = require('zlib');
console.log(crypto.createHash('sha256').update('learn the event loop').digest('hex'));
console.log(crypto.createHash('sha512').update('a').update('b').digest('base64'));
console.log(crypto.createHmac('sha1', 'secret').update('message').digest('hex'));
// five pbkdf2 calls share the 4-thread pool; which finishes first varies in Node, so the
// keys are printed in call order once all are done
const keys = [];
let left = 5;
for (let i = 0; i < 5; i++) {
  crypto.pbkdf2('password', 'salt' + i, 2000, 16, 'sha256', (err, key) => {
    keys[i] = key.toString('hex');
    if (--left === 0) {
      console.log('pbkdf2', keys);
      zlib.gzip('compress me, please', (err2, gz) => {
        zlib.gunzip(gz, (err3, back) => {
          console.log('gunzip', err3, back.toString());
          zlib.deflate(text, { level: 9 }, (err4, buf) => console.log('deflate on the pool', err4, buf.toString('hex')));
        });
      });
    }
  });
}
console.log(crypto.pbkdf2Sync('password', 'salt', 1, 20, 'sha1').toString('hex'));
console.log(zlib.inflateSync(zlib.deflateSync(Buffer.from('buffers too'))).toString());
console.log(zlib.gunzipSync(zlib.gzipSync('x'.repeat(5000))).length);
// compressed bytes equal Node's (Chromium's zlib) at every level, sync and on the pool
const text = Buffer.from('the event loop runs timers, then poll, then check. '.repeat(40));
for (let level = -1; level <= 9; level++) {
  console.log('deflate', level, zlib.deflateSync(text, { level }).toString('base64'));
}
console.log('gzip', zlib.gzipSync('hello hello hello').toString('hex'));
console.log('raw', zlib.deflateRawSync(text, { level: 1 }).length, zlib.deflateRawSync(Buffer.alloc(70000), { level: 0 }).length);
for (const options of [{ level: 10 }, { level: '1' }, { level: -Infinity }]) {
  try {
    zlib.deflateSync('x', options);
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
}
console.log('round trip', zlib.inflateSync(zlib.deflateSync(text, { level: 3 })).equals(text), text.equals(Buffer.from('other')));
try {
  text.equals('a string');
} catch (e) {
  console.log(e.name, e.code, e.message);
}
