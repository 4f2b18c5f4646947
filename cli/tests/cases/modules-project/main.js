const a = require('./a');
const again = require('./a.js');
console.log(a.name, a === again, require('./data.json'), __filename.endsWith('main.js'));
try { require('./broken'); } catch (e) { console.log(e.name); }
try { require('./nope'); } catch (e) { console.log(e.code); }
console.log(require('./lib').fromB);
