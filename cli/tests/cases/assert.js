// The assert module: each function passing and failing; caught AssertionErrors print
// name, code, message, operator and generatedMessage.
const assert = require('assert');
const strict = require('node:assert/strict');
function show(label, f) {
  try {
    f();
    console.log(label, 'passed');
  } catch (e) {
    console.log(label, e.name, e.code, JSON.stringify(e.message), e.operator, e.generatedMessage,
      e instanceof assert.AssertionError, e instanceof Error);
  }
}
show('assert true', () => assert(true));
show('assert false', () => assert(false));
show('ok 0', () => assert.ok(0));
show('ok expr', () => assert.ok(1 === 2));
show('ok message', () => assert.ok(null, 'custom text'));
show('ok no args', () => assert.ok());
show('equal pass', () => assert.equal(1, '1'));
show('equal fail', () => assert.equal(1, 2));
show('notEqual fail', () => assert.notEqual(1, '1'));
show('strictEqual pass', () => assert.strictEqual(NaN, NaN));
show('strictEqual fail', () => assert.strictEqual(1, 2));
show('strictEqual strings', () => assert.strictEqual('a', 'b'));
show('strictEqual long', () => assert.strictEqual('hello world', 'hello there'));
show('strictEqual zeros', () => assert.strictEqual(0, -0));
show('strictEqual message', () => assert.strictEqual(1, 2, 'they differ'));
show('strictEqual error', () => assert.strictEqual(1, 2, new TypeError('mine')));
show('notStrictEqual fail', () => assert.notStrictEqual(5, 5));
show('notStrictEqual long', () => assert.notStrictEqual('abcdefg', 'abcdefg'));
show('deepStrictEqual pass', () => assert.deepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
show('deepStrictEqual prim', () => assert.deepStrictEqual(1, '1'));
show('deepStrictEqual msg', () => assert.deepStrictEqual([1], [2], new RangeError('as is')));
show('notDeepStrictEqual fail', () => assert.notDeepStrictEqual(7, 7));
show('deepEqual pass', () => assert.deepEqual({ a: 1 }, { a: '1' }));
show('deepEqual fail', () => assert.deepEqual(1, 2));
show('notDeepEqual fail', () => assert.notDeepEqual(3, '3'));
show('strict.equal', () => strict.equal(1, '1'));
show('strict.deepEqual', () => strict.deepEqual(1, '1'));
show('strict.deepEqual msg', () => strict.deepEqual(true, 1, 'loose is not enough'));
show('assert.strict', () => assert.strict.equal(2, 3));
show('throws pass', () => assert.throws(() => { throw new TypeError('bad'); }, TypeError));
show('throws missing', () => assert.throws(() => {}));
show('throws missing class', () => assert.throws(() => {}, TypeError));
show('throws missing msg', () => assert.throws(() => {}, TypeError, 'should throw'));
show('throws regexp pass', () => assert.throws(() => { throw new Error('boom 42'); }, /boom \d+/));
show('throws regexp fail', () => assert.throws(() => { throw new Error('bang'); }, /boom/));
show('throws class fail', () => assert.throws(() => { throw new RangeError('r'); }, TypeError));
show('throws object pass', () => assert.throws(() => { throw new Error('x'); }, { message: 'x', name: 'Error' }));
show('throws object regexp', () => assert.throws(() => { throw new Error('xyz'); }, { message: /y/ }));
show('throws validate pass', () => assert.throws(() => { throw 1; }, (e) => e === 1));
show('throws validate fail', () => assert.throws(() => { throw new Error('v'); }, function check() { return false; }));
show('throws rethrow', () => assert.throws(() => { throw new Error('x'); }, { message: 'y' }, 'custom'));
show('doesNotThrow', () => assert.doesNotThrow(() => { throw new Error('oops'); }));
show('fail', () => assert.fail());
show('fail message', () => assert.fail('boom'));
show('match pass', () => assert.match('abc', /b/));
show('match fail', () => assert.match('xyz', /abc/));
show('match type', () => assert.match(123, /1/));
show('doesNotMatch fail', () => assert.doesNotMatch('abc', /b/));
const e = new assert.AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' });
console.log(e.name, e.code, JSON.stringify(e.message), e.actual, e.expected, e.operator, e.generatedMessage);
console.log(Object.keys(e), e.stack.split('\n')[0]);
const c = new assert.AssertionError({ message: 'own' });
console.log(c.message, c.generatedMessage, c.operator);
(async () => {
  await assert.rejects(Promise.reject(new TypeError('t')), TypeError);
  console.log('rejects pass');
  for (const [label, p] of [
    ['rejects missing', () => assert.rejects(Promise.resolve(1))],
    ['rejects fn missing', () => assert.rejects(async () => 1, Error)],
    ['rejects class fail', () => assert.rejects(Promise.reject(new RangeError('r')), TypeError)],
  ]) {
    try {
      await p();
      console.log(label, 'passed');
    } catch (err) {
      console.log(label, err.name, err.code, JSON.stringify(err.message), err.operator, err.generatedMessage);
    }
  }
})();
