// util: promisify (also of setTimeout), callbackify, inspect options, format, types.
const util = require('util');
function legacy(x, cb) {
  setTimeout(() => (x < 0 ? cb(new Error('negative')) : cb(null, x * 2)), 1);
}
const p = util.promisify(legacy);
p(21).then((v) => console.log('promisify', v));
p(-1).catch((e) => console.log('promisify error', e.message));
const sleep = util.promisify(setTimeout);
sleep(10, 'slept').then((v) => console.log(v));
util.callbackify(async (x) => x + 1)(1, (err, v) => console.log('callbackify', err, v));
console.log(util.format('%s has %d items costing %i, %j', 'cart', 3, 9.99, { a: 1 }));
console.log(util.format('%o', [1, { b: 2 }]), util.format('extra', 1, 'two'));
console.log(util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: 0 }));
console.log(util.inspect({ a: { b: { c: { d: 1 } } } }, { depth: null }));
console.log(util.inspect('str'), util.inspect([1, 'two', [3]]));
console.log(util.types.isPromise(Promise.resolve()), util.types.isPromise({ then() {} }));
console.log(util.types.isDate(new Date(0)), util.types.isRegExp(/x/), util.types.isAsyncFunction(async () => {}));
console.log(util.isDeepStrictEqual({ a: [1, 2] }, { a: [1, 2] }), util.isDeepStrictEqual({ a: 1 }, { a: '1' }));
