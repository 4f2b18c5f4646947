// structuredClone: deep copies, cycles, Maps/Sets/Dates, class instances lose their class,
// functions throw a DataCloneError.
class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
  norm() {
    return Math.hypot(this.x, this.y);
  }
}
const original = { p: new Point(3, 4), when: new Date(0), tags: new Set(['a']), index: new Map([['k', [1, 2]]]) };
original.self = original;
const copy = structuredClone(original);
console.log(copy);
console.log(copy.self === copy, copy.p instanceof Point, typeof copy.p.norm, copy.index.get('k') !== original.index.get('k'));
try {
  structuredClone({ fn() {} });
} catch (e) {
  console.log(e.name, e.code, e instanceof Error);
}
try {
  structuredClone(Symbol('s'));
} catch (e) {
  console.log(e.message);
}
