// Caught errors print V8's exact texts: how V8 names a callee, an iterable or a destructured
// value from the source (o.f(...).g, o.x y, (intermediate value)), and the built-ins' messages.
const t = (f) => { try { f(); } catch (e) { console.log(e.constructor.name + ': ' + e.message); } };
const o = { f() { return {}; }, g() {}, n: null, u: undefined, a: [1], num: 5 };
let x;
const k = 'a';

// destructuring null/undefined names the value's source
t(() => { const x = undefined; const { a } = x; });
t(() => { function f({ a }) {} f(); });
t(() => { function f({ a }) {} f(null); });
t(() => { const { a } = null; });
t(() => { const { a } = o.u; });
t(() => { const { a } = o.g(); });
t(() => { const { a, b } = o.f().u; });
t(() => { const { 'a b': a } = null; });
t(() => { const { a = 1 } = null; });
t(() => { const { [k]: a } = o.u; });
t(() => { let a; ({ a } = null); });
t(() => { const f = ({ a }) => a; f(); });
t(() => { for (const { a } of [null]) {} });
t(() => { try { throw null; } catch ({ a }) {} });
t(() => { const { a: { b } } = {}; });

// spreads, for-of, array destructuring and built-ins over non-iterables
t(() => { console.log(...5); });
t(() => { Math.max(...{}); });
t(() => { Math.max(...o.u); });
t(() => { Math.max(...null, 1); });
t(() => [...5]);
t(() => [...o.u]);
t(() => { for (const v of o.num) {} });
t(() => { for (const v of o.f()) {} });
t(() => { const [a] = 5; });
t(() => { const [a] = o.u; });
t(() => { let a; [a] = {}; });
t(() => { new Map(5); });
t(() => { new Set({}); });
t(() => { new Map([1]); });
t(() => { Array.from(null); });
t(() => { Array.from([1], 'ab'); });
t(() => { Object.fromEntries([1]); });

// callees as V8 renders them
t(() => { o.f(1).g(); });
t(() => { o.a[0](); });
t(() => { o['x y'](); });
t(() => { o[1 + 1](); });
t(() => { ({ a: 1 }).f(); });
t(() => { (o.u ? 1 : 2)(); });
t(() => { (x + 1)(); });
t(() => { (-o.num)(); });
t(() => { o?.zz(); });
t(() => { new o.f(); });
t(() => { new Math.max(); });
t(() => { new (() => 1)(); });
t(() => { class C { m() { return super.zz(); } } new C().m(); });
t(() => { class C {} new C().m(); });

// classes
t(() => { class A {} class B extends A { constructor() { } } new B(); });
t(() => { class A {} class B extends A { constructor() { this.x = 1; super(); } } new B(); });
t(() => { class A {} A(); });
t(() => { y; let y = 1; });

// strict-mode writes that fail
t(() => { 'use strict'; Object.freeze({ a: 1 }).a = 2; });
t(() => { 'use strict'; const g = { get v() { return 1; } }; g.v = 2; });
t(() => { class A { get v() { return 1; } m() { this.v = 2; } } new A().m(); });
t(() => { 'use strict'; Object.freeze([1])[1] = 2; });
t(() => { 'use strict'; (5).p = 1; });

// other built-in texts
t(() => { [1].sort(5); });
t(() => { (255).toString(1); });
t(() => { Object.create(5); });
t(() => { Object.setPrototypeOf({}, 'p'); });

// a call whose result is iterated at once, and calls inside an iterable's text
t(() => { for (const v of o.zz()) {} });
t(() => [...o.zz()]);
t(() => { const [a] = o.zz(); });
t(() => { for (const v of (() => 1)().n) {} });
t(() => { for (const v of (x ?? o.num)) {} });
t(() => [...(x ?? o.num)]);

// JSON.stringify names the path of a cycle
t(() => { const a = { b: { c: {} } }; a.b.c.d = a; JSON.stringify(a); });
t(() => { const a = [{ d: { e: { f: {} } } }]; a[0].d.e.f.g = a; JSON.stringify(a); });
