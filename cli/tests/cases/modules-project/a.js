exports.name = 'a';
const b = require('./lib/b');
console.log('a sees b', b.done, typeof module.exports, __dirname === require('path').dirname(__filename));
