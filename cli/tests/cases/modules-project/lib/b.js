const a = require('../a');
console.log('b sees a partially', a.name);
exports.done = true;
