// structuredClone with a transfer list: transferred ArrayBuffers move to the clone and are
// detached here (empty views, TypeErrors from methods and constructors), Node's checks of the
// transfer list and their error texts, and SharedArrayBuffers that stay shared.
const show = (label, f) => {
  try {
    const r = f();
    console.log(label, 'ok', r);
  } catch (e) {
    console.log(label, e.constructor.name, e.name, e.code, e.message);
  }
};

// a transfer moves the bytes: the clone has them, the original is detached
const buf = new ArrayBuffer(8);
const bytes = new Uint8Array(buf, 2, 4);
const words = new Uint16Array(buf);
const view = new DataView(buf, 1, 3);
bytes.set([7, 8, 9]);
const moved = structuredClone(buf, { transfer: [buf] });
console.log(moved, new Uint8Array(moved));
console.log(buf.byteLength, buf, bytes, words);
console.log(bytes.length, bytes.byteLength, bytes.byteOffset, bytes[0], bytes.buffer === buf);
bytes[0] = 5;
console.log(bytes[0], 0 in bytes, Object.keys(bytes), JSON.stringify(bytes), ArrayBuffer.isView(bytes));
console.log(Object.prototype.toString.call(bytes), bytes[Symbol.toStringTag]);

// what a detached buffer refuses
show('new Uint8Array(buffer)', () => new Uint8Array(buf));
show('new Uint8Array(buffer, 0, 0)', () => new Uint8Array(buf, 0, 0));
show('new Uint16Array(buffer, 1)', () => new Uint16Array(buf, 1));
show('new Int8Array(view)', () => new Int8Array(bytes));
show('new DataView(buffer)', () => new DataView(buf));
show('slice', () => buf.slice(0));
show('Buffer.from(buffer)', () => Buffer.from(buf));
show('DataView byteLength', () => view.byteLength);
show('DataView byteOffset', () => view.byteOffset);
show('DataView buffer', () => view.buffer === buf);
show('getInt8', () => view.getInt8(0));
show('setUint16', () => view.setUint16(0, 1));
for (const [name, call] of [
  ['at', (t) => t.at(0)], ['fill', (t) => t.fill(1)], ['join', (t) => t.join()],
  ['toString', (t) => t.toString()], ['toLocaleString', (t) => t.toLocaleString()],
  ['indexOf', (t) => t.indexOf(1)], ['includes', (t) => t.includes(1)],
  ['lastIndexOf', (t) => t.lastIndexOf(1)], ['map', (t) => t.map((x) => x)],
  ['filter', (t) => t.filter(Boolean)], ['forEach', (t) => t.forEach(() => {})],
  ['every', (t) => t.every(Boolean)], ['some', (t) => t.some(Boolean)],
  ['find', (t) => t.find(Boolean)], ['findLastIndex', (t) => t.findLastIndex(Boolean)],
  ['reduce', (t) => t.reduce((a, b) => a + b, 0)], ['reduceRight', (t) => t.reduceRight((a, b) => a + b, 0)],
  ['reverse', (t) => t.reverse()], ['toReversed', (t) => t.toReversed()],
  ['sort', (t) => t.sort()], ['toSorted', (t) => t.toSorted()], ['with', (t) => t.with(0, 1)],
  ['slice', (t) => t.slice()], ['subarray', (t) => t.subarray(0)], ['copyWithin', (t) => t.copyWithin(0, 1)],
  ['set', (t) => t.set([1])], ['set from it', () => new Uint8Array(4).set(bytes)],
  ['values', (t) => t.values()], ['keys', (t) => t.keys()], ['entries', (t) => t.entries()],
  ['spread', (t) => [...t]], ['from', (t) => Uint8Array.from(t)],
]) {
  show(name, () => call(bytes));
}

// a detached buffer cannot be cloned, but transferring it again gives an empty buffer
show('clone detached', () => structuredClone(buf));
show('clone its view', () => structuredClone({ bytes }));
show('transfer detached', () => structuredClone(buf, { transfer: [buf] }));
show('transfer detached, not in the value', () => structuredClone(1, { transfer: [buf] }));
show('transfer detached with its view', () => structuredClone(bytes, { transfer: [buf] }));

// the checks of the transfer list, in order, before anything is written or detached
const kept = new ArrayBuffer(4);
show('duplicate', () => structuredClone(kept, { transfer: [kept, kept] }));
show('duplicate later', () => structuredClone(1, { transfer: [kept, new ArrayBuffer(1), kept] }));
show('shared', () => structuredClone(1, { transfer: [new SharedArrayBuffer(4)] }));
show('typed array', () => structuredClone(1, { transfer: [new Uint8Array(2)] }));
show('plain object', () => structuredClone(1, { transfer: [{}] }));
show('number', () => structuredClone(1, { transfer: [kept, 1] }));
show('null entry', () => structuredClone(1, { transfer: [null] }));
show('function in the value', () => structuredClone({ kept, f() {} }, { transfer: [kept] }));
show('symbol and bad entry', () => structuredClone({ s: Symbol('s') }, { transfer: [kept, {}] }));
console.log('still attached:', kept.byteLength);

// the forms a transfer list may take
const forms = [
  ['array', (b) => ({ transfer: [b] })],
  ['set', (b) => ({ transfer: new Set([b]) })],
  ['generator', (b) => ({ transfer: (function* () { yield b; })() })],
  ['getter', (b) => ({ get transfer() { return [b]; } })],
  ['nested options', (b) => ({ transfer: { transfer: [b] } })],
  ['not iterable', () => ({ transfer: {} })],
  ['null', () => ({ transfer: null })],
  ['no options', () => undefined],
  ['null options', () => null],
];
for (const [name, options] of forms) {
  const b = new ArrayBuffer(3);
  show(name, () => [structuredClone(b, options(b)).byteLength, b.byteLength]);
}
show('number list', () => structuredClone(1, { transfer: 5 }));
show('string list', () => structuredClone(1, { transfer: 'ab' }));
show('nested number', () => structuredClone(1, { transfer: { transfer: 5 } }));
show('string options', () => structuredClone(1, 'x'));
show('number options', () => structuredClone(1, 5));

// views travel with their transferred buffer; shared references stay shared
const both = new ArrayBuffer(6);
new Uint8Array(both).set([1, 2, 3, 4, 5, 6]);
const parts = { whole: both, again: both, mid: new Uint16Array(both, 2, 2), dv: new DataView(both, 1, 2) };
const arrived = structuredClone(parts, { transfer: [both] });
console.log(arrived, both.byteLength, parts.mid.length, parts.dv.buffer === both);
console.log(arrived.whole === arrived.again, arrived.mid.buffer === arrived.whole, arrived.dv.getUint8(0));

// a Buffer's own memory can be transferred; it arrives as a Uint8Array
const nodeBuf = Buffer.alloc(5, 1);
const fromBuf = structuredClone(nodeBuf, { transfer: [nodeBuf.buffer] });
console.log(fromBuf, nodeBuf.length, nodeBuf.buffer.byteLength, nodeBuf);

// a transferred buffer listed but not in the value is detached all the same
const unlisted = new ArrayBuffer(2);
console.log(structuredClone('x', { transfer: [unlisted] }), unlisted.byteLength);

// SharedArrayBuffers are shared by their clones, never transferred
const sab = new SharedArrayBuffer(4);
const sabClone = structuredClone({ sab, ints: new Int16Array(sab) });
sabClone.ints[1] = 300;
console.log(new Int16Array(sab)[1], sabClone.sab === sabClone.ints.buffer, sabClone.sab === sab);
new Uint8Array(sab)[0] = 9;
console.log(new Uint8Array(sabClone.sab)[0], sab.byteLength);
