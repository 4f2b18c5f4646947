// util.isDeepStrictEqual and assert.deepEqual (loose) on many pairs.
const util = require('util');
const assert = require('assert');
const cyc1 = { a: 1 }; cyc1.self = cyc1;
const cyc2 = { a: 1 }; cyc2.self = cyc2;
const cyc3 = { a: 1 }; cyc3.self = { a: 1, self: cyc3 };
const sym = Symbol('s');
class P { constructor() { this.x = 1; } }
const sparse1 = [1, , 3];
const sparse2 = [1, undefined, 3];
const re1 = /a/g; const re2 = /a/g; re2.lastIndex = 1;
const err1 = new Error('m'); const err2 = new Error('m'); const err3 = new TypeError('m');
const pairs = [
  ['1 vs 1', 1, 1], ['NaN', NaN, NaN], ['0 vs -0', 0, -0], ['1 vs "1"', 1, '1'],
  ['null vs undefined', null, undefined], ['str', 'ab', 'ab'], ['bool', true, false],
  ['objects', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }], ['objects differ', { a: 1 }, { a: 2 }],
  ['extra key', { a: 1 }, { a: 1, b: undefined }], ['nested NaN', { a: NaN }, { a: NaN }],
  ['nested -0', [0], [-0]], ['arrays', [1, 2, 3], [1, 2, 3]], ['array length', [1, 2], [1, 2, 3]],
  ['sparse vs undefined', sparse1, sparse2], ['sparse vs sparse', [1, , 3], [1, , 3]],
  ['array vs object', [1], { 0: 1 }], ['array extra prop', Object.assign([1], { x: 1 }), [1]],
  ['prototype', new P(), { x: 1 }], ['same class', new P(), new P()],
  ['null proto', Object.create(null), {}],
  ['symbol keys', { [sym]: 1 }, { [sym]: 1 }], ['symbol keys differ', { [sym]: 1 }, { [sym]: 2 }],
  ['symbol vs none', { [sym]: 1 }, {}], ['symbols', Symbol('a'), Symbol('a')],
  ['maps', new Map([[1, 'a'], [2, 'b']]), new Map([[2, 'b'], [1, 'a']])],
  ['maps differ', new Map([[1, 'a']]), new Map([[1, 'b']])],
  ['map object keys', new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'v']])],
  ['map object keys differ', new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 2 }, 'v']])],
  ['sets', new Set([1, 2, 3]), new Set([3, 2, 1])], ['sets differ', new Set([1]), new Set([2])],
  ['set objects', new Set([{ a: 1 }, { b: 2 }]), new Set([{ b: 2 }, { a: 1 }])],
  ['set objects differ', new Set([{ a: 1 }]), new Set([{ a: 2 }])],
  ['set loose', new Set([1]), new Set(['1'])], ['map loose', new Map([[1, 'x']]), new Map([['1', 'x']])],
  ['typed', new Uint8Array([1, 2]), new Uint8Array([1, 2])],
  ['typed differ', new Uint8Array([1, 2]), new Uint8Array([1, 3])],
  ['typed kinds', new Uint8Array([1]), new Int8Array([1])],
  ['float -0', new Float64Array([-0]), new Float64Array([0])],
  ['float NaN', new Float64Array([NaN]), new Float64Array([NaN])],
  ['buffers', Buffer.from('ab'), Buffer.from('ab')], ['buffer vs u8', Buffer.from('ab'), new Uint8Array([97, 98])],
  ['array buffers', new Uint8Array([1, 2]).buffer, new Uint8Array([1, 2]).buffer],
  ['array buffers differ', new ArrayBuffer(2), new ArrayBuffer(3)],
  ['dataview', new DataView(new ArrayBuffer(2)), new DataView(new ArrayBuffer(2))],
  ['dates', new Date(5), new Date(5)], ['dates differ', new Date(5), new Date(6)],
  ['date vs object', new Date(5), {}], ['invalid dates', new Date(NaN), new Date(NaN)],
  ['regexps', /a/g, /a/g], ['regexp flags', /a/g, /a/i], ['regexp lastIndex', re1, re2],
  ['boxed numbers', new Number(1), new Number(1)], ['boxed numbers differ', new Number(1), new Number(2)],
  ['boxed -0', new Number(-0), new Number(0)], ['boxed NaN', new Number(NaN), new Number(NaN)],
  ['boxed strings', new String('a'), new String('a')], ['boxed bool', new Boolean(true), new Boolean(false)],
  ['boxed vs prim', new Number(1), 1], ['boxed with prop', Object.assign(new String('a'), { x: 1 }), new String('a')],
  ['errors', err1, err2], ['error classes', err1, err3], ['error messages', new Error('a'), new Error('b')],
  ['functions', function f() {}, function f() {}], ['same function', Math.max, Math.max],
  ['getter', { get a() { return 1; } }, { a: 1 }],
  ['non-enumerable', Object.defineProperty({}, 'x', { value: 1 }), {}],
  ['arguments', (function () { return arguments; })(1), [1]],
  ['nested', { a: [{ b: new Map([[1, new Set([1])]]) }] }, { a: [{ b: new Map([[1, new Set([1])]]) }] }],
  ['loose only', { a: 1 }, { a: '1' }], ['loose null', { a: null }, { a: undefined }],
];
for (const [name, a, b] of pairs) {
  let loose;
  try { assert.deepEqual(a, b); loose = true; } catch (e) { loose = e.code; }
  console.log(name.padEnd(24), util.isDeepStrictEqual(a, b), util.isDeepStrictEqual(b, a), loose);
}
