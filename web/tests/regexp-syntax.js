// Syntax errors of patterns built at run time, with the texts Node prints (web/tests/regexp.rs
// runs this through the page's RegExp engine; regress, the native engine, words some of them
// differently). regexp-syntax.out is what `node regexp-syntax.js` prints.
for (const [pattern, flags] of [["(", ""], ["[", "g"], ["a{2,1}", ""], ["(?<a>x)(?<a>y)", ""], ["\\p{Foo}", "u"],
  ["*", "i"], ["x)", "m"], ["\\k<nope>", "u"], ["(?<=a", "s"], ["[z-a]", ""], ["a**", "y"], ["[[a]--", "v"]]) {
  try { new RegExp(pattern, flags); console.log("ok", pattern); } catch (e) { console.log(e.name + ": " + e.message); }
}
