// An empty Buffer prints with a space before '>' (found by the io family of the differential test).
const fs = require('fs');
const path = require('path');
const util = require('util');
const file = path.join(__dirname, 'empty.txt');
fs.writeFileSync(file, '');
console.log(Buffer.alloc(0), [Buffer.alloc(0)], { b: Buffer.from('') }, util.inspect(Buffer.alloc(0)));
fs.readFile(file, (err, buf) => console.log('read', err, buf, String(buf).length));
