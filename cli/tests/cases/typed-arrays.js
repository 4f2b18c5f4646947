// ArrayBuffer, typed arrays, DataView, Atomics and Buffer as a Uint8Array: construction,
// element conversion, shared memory, methods, iteration, errors, printing and cloning.
const show = (f) => { try { console.log(f()); } catch (e) { console.log(e.name, e.code || '-', e.message); } };

// printing
console.log(new Uint8Array([1, 2, 3]), new Uint8Array(0), new Float64Array(0));
console.log(new ArrayBuffer(2), new ArrayBuffer(0), new SharedArrayBuffer(3));
console.log(new ArrayBuffer(60));
console.log(new ArrayBuffer(120));
console.log(new DataView(new ArrayBuffer(4), 1, 2));
console.log(new Float32Array([1.1, -0, NaN, Infinity]), new Int16Array(10));
console.log(new Uint8Array(120));
console.log(new Uint8Array([1, 200, 3, 4, 5, 6, 7, 8, 9, 10]), new Float64Array([1.5, 2, 3, 4, 5, 6, 7]));
console.log({ a: new Uint8Array(2), b: Buffer.from('ab') }, [new Uint8Array(2)], { a: { b: { c: new Uint8Array(2) } } });
const extra = new Uint8Array(2); extra.x = 5; console.log(extra);
class Bytes extends Uint8Array {}
const mine = new Bytes(2); console.log(mine, mine instanceof Uint8Array, Object.prototype.toString.call(mine));
console.log(Object.prototype.toString.call(new Uint8Array(1)), String(new Uint8Array([1, 2])), typeof new Int8Array(1));
console.log(JSON.stringify(new Uint8Array([1, 2])), JSON.stringify(new ArrayBuffer(2)), JSON.stringify({ b: Buffer.from('a') }));
console.log(Object.keys(new Uint8Array(3)), Object.getOwnPropertyNames(new Uint8Array(2)));
console.log(Uint8Array.name, Uint8Array.length, Uint8Array.BYTES_PER_ELEMENT, new Float64Array(1).BYTES_PER_ELEMENT);
console.log(Object.getPrototypeOf(Uint8Array).name, Object.getPrototypeOf(Int8Array) === Object.getPrototypeOf(Float32Array));
console.log(Atomics, ArrayBuffer.isView(new DataView(new ArrayBuffer(1))), ArrayBuffer.isView(new ArrayBuffer(1)));

// conversions and the integer-indexed exotic behaviour
console.log(new Uint8ClampedArray([1.5, 2.5, -3, 300, NaN, 0.5]), Int8Array.of(127, 128, -129));
console.log(new Uint16Array([-1, 65536, 1.9]), new Uint32Array([-1]), new Int32Array([2 ** 31]));
const t = new Uint8Array(4);
t[1.5] = 3; t[-0] = 9; t['-0'] = 8; t[10] = 1; t[1] = '7'; t[2] = true;
console.log(t, t[10], t['1.5'], '1.5' in t, 10 in t, 1 in t, t.length, t.byteLength);
for (const k in t) console.log('key', k);

// shared memory
const ab = new ArrayBuffer(8);
const bytes = new Uint8Array(ab);
const words = new Uint16Array(ab, 2, 2);
words[0] = 0x1234;
console.log(bytes, words.byteOffset, words.byteLength, words.buffer === ab, bytes.buffer.byteLength);
const sub = bytes.subarray(2, 4); sub[1] = 0xff; console.log(words[0], sub.byteOffset);
const copy = bytes.slice(2, 4); copy[0] = 0; console.log(bytes[2], copy);
console.log(ab.slice(2, 4), ab.slice(-2).byteLength);

// constructors and statics
console.log(new Int16Array([1, 2]), new Int16Array(new Set([3, 4])), new Int16Array(new Uint8Array([5, 6])), new Int16Array({ length: 2, 0: 7 }));
console.log(Uint8Array.from([1, 2, 3], (x) => x * 2), Float32Array.from('123'), Uint8Array.of());
show(() => new Uint8Array(-1));
show(() => new Uint16Array(new ArrayBuffer(3)));
show(() => new Uint16Array(new ArrayBuffer(4), 1));
show(() => new Uint16Array(new ArrayBuffer(4), 0, 3));
show(() => Uint8Array(2));
show(() => new ArrayBuffer(-1));
show(() => new Uint8Array(2).set([1, 2, 3]));
show(() => Uint8Array.prototype.fill.call([], 0));

// methods
const m = new Int8Array([5, -3, 9, 0, -3]);
console.log(m.indexOf(-3), m.lastIndexOf(-3), m.includes(9), m.includes('9'), m.at(-1), m.join('|'));
console.log(m.map((x) => x * 40), m.filter((x) => x > 0), m.reduce((a, b) => a + b), m.reduceRight((a, b) => a + ',' + b, ''));
console.log(m.find((x) => x < 0), m.findIndex((x) => x > 5), m.findLast((x) => x < 0), m.findLastIndex((x) => x > 100));
console.log(m.every((x) => x > -5), m.some((x) => x > 8), m.slice(1, 3), m.slice(-2));
console.log(new Float64Array([3, -0, 0, NaN, 1]).sort(), new Uint8Array([3, 1, 2]).sort((a, b) => b - a));
console.log(new Uint8Array([1, 2, 3]).reverse(), new Uint8Array(5).fill(7, 1, -1), new Uint8Array([1, 2, 3, 4, 5]).copyWithin(0, 3));
const target = new Uint8Array(5); target.set([1, 2]); target.set(new Uint8Array([9, 9]), 3); console.log(target);
console.log(new Uint8Array([1, 2]).toReversed(), new Uint8Array([2, 1]).toSorted(), new Uint8Array([1, 2]).with(0, 5));
const it = new Uint8Array([4, 5]);
console.log([...it], Array.from(it), [...it.keys()], [...it.entries()], it.values().next());
let total = 0; for (const x of new Float32Array([0.5, 0.25])) total += x; console.log(total);
new Uint8Array([7, 8]).forEach((x, i, arr) => console.log('each', x, i, arr.length));
show(() => new Uint8Array(1).map(1));
show(() => new Uint8Array(0).reduce((a, b) => a + b));

// DataView
const dv = new DataView(new ArrayBuffer(8));
dv.setInt16(0, -2); dv.setFloat32(4, 1.5, true); dv.setUint8(2, 300);
console.log(dv.getUint16(0), dv.getInt16(0, true), dv.getFloat32(4, true), dv.getUint8(1), dv.getUint8(2), dv.byteLength);
dv.setFloat64(0, Math.PI); console.log(dv.getFloat64(0), dv.getUint32(0), dv.getInt32(4, true));
show(() => dv.getInt32(6));
show(() => new DataView({}));
show(() => new DataView(new ArrayBuffer(2), 3));
show(() => new DataView(new ArrayBuffer(2), 1, 2));

// Atomics (one thread: plain operations)
const ia = new Int32Array(new SharedArrayBuffer(8));
console.log(Atomics.add(ia, 0, 5), Atomics.sub(ia, 0, 2), Atomics.load(ia, 0), Atomics.exchange(ia, 1, 7), ia);
console.log(Atomics.compareExchange(ia, 1, 7, 8), Atomics.compareExchange(ia, 1, 7, 9), Atomics.and(ia, 1, 12), Atomics.or(ia, 1, 1), Atomics.xor(ia, 1, 3), ia);
console.log(Atomics.store(new Int8Array(1), 0, 300), Atomics.compareExchange(new Int8Array([5]), 0, 5, 200), Atomics.isLockFree(4));
console.log(Atomics.wait(ia, 0, 1), Atomics.wait(ia, 0, 3, 10), Atomics.notify(ia, 0));
show(() => Atomics.add(new Float64Array(2), 0, 1));
show(() => Atomics.add(new Int32Array(2), 5, 1));
show(() => Atomics.wait(new Int32Array(4), 0, 0));

// Buffer is a Uint8Array
const b = Buffer.from([1, 2, 3]);
console.log(Object.getPrototypeOf(Buffer.prototype) === Uint8Array.prototype, b instanceof Uint8Array, Buffer.isBuffer(new Uint8Array(1)));
console.log(b.map((v) => v * 2), Buffer.from([3, 1]).sort(), b.filter((v) => v > 1), b.slice(1), b.subarray(0, 1), Buffer.from([1, 2, 3]).reverse());
const s = Buffer.from('hello'); const view = s.slice(1, 3); view[0] = 69; console.log(s.toString(), view.buffer === s.buffer);
const backing = new ArrayBuffer(4); const shared = Buffer.from(backing, 1, 2); shared[0] = 9;
console.log(new Uint8Array(backing), shared.byteOffset, shared.buffer === backing, Buffer.alloc(3).buffer);
console.log(Buffer.from(new Uint16Array([258, 3])), Buffer.from(new Uint16Array([258, 3]).buffer), Buffer.from({ length: 2, 0: 1 }));
console.log(Buffer.byteLength(new Uint16Array(3)), Buffer.byteLength(new ArrayBuffer(5)), Buffer.byteLength('héllo'));
console.log(Buffer.alloc(5, 'ab'), Buffer.alloc(3, 257), Buffer.allocUnsafe(2).fill(0), Buffer.concat([Buffer.from('a'), new Uint8Array([98])]), Buffer.concat([Buffer.from('abc')], 2));
console.log(Buffer.compare(Buffer.from('a'), Buffer.from('b')), Buffer.from('b').compare(Buffer.from('a')), Buffer.from('abc').equals(new Uint8Array([97, 98, 99])));
console.log(s.indexOf('l'), s.includes('ll'), s.indexOf(108), s.lastIndexOf('l'), s.indexOf(Buffer.from('o')), s.indexOf('z'));
const dst = Buffer.alloc(3); console.log(Buffer.from('hello').copy(dst, 1, 0), dst);
const w = Buffer.from('hello'); console.log(w.write('HE'), w.write('zz', 3), w.toString(), w.toString('hex', 1, 3));
console.log(Buffer.from('abc').fill('x'), Buffer.from('abcd').fill(0, 1, 3), Buffer.isEncoding('utf8'), Buffer.isEncoding('nope'));
const n = Buffer.alloc(8);
console.log(n.writeUInt16BE(0x1234, 0), n.writeInt16LE(-2, 2), n.writeFloatBE(1.5, 4), n);
console.log(n.readUInt16BE(0), n.readUint16LE(0), n.readInt16LE(2), n.readFloatBE(4), n.readInt8(2), n.readUInt32LE(0));
console.log(n.writeDoubleLE(-0.1), n.readDoubleLE(0), n.writeInt32BE(-5, 4), n.readInt32BE(4), n.readUInt8(7));
show(() => n.writeUInt8(300, 0));
show(() => n.writeInt32BE(2 ** 31, 0));
show(() => n.readUInt8(8));
show(() => n.readInt8(1.5));
show(() => n.readInt8('1'));
show(() => Buffer.alloc(2).readDoubleLE(0));
show(() => Buffer.alloc(-1));
show(() => Buffer.from(5));
show(() => Buffer.concat([1]));
console.log([...Buffer.from('hi')], Buffer.from('hi').entries().next(), JSON.stringify(Buffer.from('hi')));

// structuredClone
console.log(structuredClone(Buffer.from([1, 2])), structuredClone(new Uint16Array([1, 2])), structuredClone(mine));
const both = structuredClone({ a: new Uint8Array(ab, 0, 4), b: new Uint16Array(ab), ab });
both.a[0] = 1; console.log(both.b[0] & 0xff, both.a.buffer === both.b.buffer, both.ab === both.b.buffer, bytes[0]);
console.log(structuredClone(new DataView(ab, 1)), structuredClone(new Float32Array([1.5])));
const sab = new SharedArrayBuffer(2); const sabClone = structuredClone(sab); new Uint8Array(sabClone)[0] = 7;
console.log(new Uint8Array(sab)[0], sabClone === sab);

// TextEncoder / TextDecoder (utf-8)
const enc = new TextEncoder(); const dec = new TextDecoder();
console.log(enc, dec, [enc], { d: new TextDecoder('utf8', { fatal: true }) }, enc.encoding, dec.encoding, dec.fatal, dec.ignoreBOM);
console.log(enc.encode('héllo'), enc.encode(), dec.decode(enc.encode('hé')), dec.decode(), dec.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xff, 0x42, 0xe2, 0x82])));
console.log(dec.decode(new Uint16Array([0x4142]).buffer), dec.decode(new DataView(new Uint8Array([67]).buffer)), new TextDecoder('UTF-8', { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).length);
const into = new Uint8Array(4); console.log(enc.encodeInto('héllo', into), into, Object.prototype.toString.call(enc), structuredClone(enc));
show(() => new TextDecoder('foo'));
show(() => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xff])));
show(() => dec.decode('abc'));

// util.types
const types = require('util').types;
console.log(types.isTypedArray(b), types.isUint8Array(b), types.isUint16Array(b), types.isArrayBuffer(ab), types.isAnyArrayBuffer(sab),
  types.isSharedArrayBuffer(sab), types.isArrayBufferView(dv), types.isDataView(dv), types.isFloat64Array(new Float64Array(1)), types.isTypedArray([]));
