// Function.prototype.toString: methods show their text from the key on (without 'static'), as V8 does.
class A { static async *gen() {} static   s2(x) { return x; } #p() {} get g() { return 1; } set g(v) {} ['comp' + 1]() {} static get sg() { return 2; } showP() { return this.#p.toString(); } }
console.log(A.gen.toString()); console.log(A.s2.toString()); console.log(new A().showP());
console.log(Object.getOwnPropertyDescriptor(A.prototype, 'g').get.toString());
console.log(Object.getOwnPropertyDescriptor(A.prototype, 'g').set.toString());
console.log(A.prototype.comp1.toString());
console.log(Object.getOwnPropertyDescriptor(A, 'sg').get.toString());
const o = { async *ag() {}, ['k' + 2]() { return 2; }, f: function () {}, a: () => 1, set v(x) {} };
console.log(o.ag.toString(), o.k2.toString(), o.f.toString(), o.a.toString());
console.log(Object.getOwnPropertyDescriptor(o, 'v').set.toString());
console.log(String(class { m() {} }.prototype.m));
console.log(`${A}`.length);
