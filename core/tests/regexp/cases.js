// RegExp cases run by every regular-expression engine the simulator has: regress natively
// (core/tests/regexp.rs) and the browser's own RegExp in the page (web/tests/regexp.rs). The
// expected output, cases.out, is what `node cases.js` prints.
console.log("a-b_c d".replace(/[-_ ]/g, "+"), /(\d+)-(\d+)/.exec("tel 12-345").slice(1));
console.log(/(\d+)-(\d+)/.exec("tel 12-345"));
console.log(/a-b/g, new RegExp("a/b", "gi"), String(/x/y), /(?:)/.source, new RegExp("").source);
const re = /o/g; console.log(re.test("foo"), re.lastIndex, re.test("foo"), re.lastIndex, re.test("foo"), re.lastIndex);
console.log("2024-01-15".match(/(?<y>\d+)-(?<m>\d+)/).groups, "a1b22c333".match(/\d+/g), "xyz".match(/\d/), "xyz".match(/\d/g));
console.log([..."a1b22".matchAll(/\d+/g)].map((m) => m[0] + "@" + m.index));
console.log("John Smith".replace(/(\w+)\s(\w+)/, "$2, $1"), "aaa".replace(/a/g, (m, i) => i), "x".replace(/x/, "$$-$&-$`-$'"));
console.log("a, b,c".split(/\s*,\s*/), "abc".split(/(b)/), "".split(/x/), "ab".split(/(?:)/), "a1b2c3".split(/\d/, 2));
console.log("hello world".search(/o/), "abc".search(/z/), /A/i.test("a"), /^b/m.test("a\nb"), /a.b/s.test("a\nb"));
console.log("2024-01-15".replace(/(?<y>\d+)-(?<m>\d+)/, "$<m>/$<y>"), "aaa".replaceAll(/a/g, "b"));
try { "x".replaceAll(/x/, "y"); } catch (e) { console.log(e.name, e.message); }
try { new RegExp("a", "gg"); } catch (e) { console.log(e.name, e.message); }
try { new RegExp("a", "uv"); } catch (e) { console.log(e.name, e.message); }
const sticky = /a/y; console.log(sticky.test("ba"), sticky.lastIndex); sticky.lastIndex = 1; console.log(sticky.test("ba"), sticky.lastIndex);
console.log(/\u{1F600}/u.test("😀"), "café".replace(/é/, "e"), "x😀y".split(/(?:)/u).length, { r: /q/ }, re.flags, re.global, re.source);
// Lookaround, backreferences (numbered and named), lazy and possessive-looking quantifiers.
console.log("price: $42, €17".match(/(?<=\$)\d+/)[0], "foo.bar".replace(/\w+(?=\.)/, "X"), /(?<!a)b/.exec("ab cb").index);
console.log(/(\w)\1/.exec("abccd")[0], /(?<q>['"]).*?\k<q>/.exec(`say "hi" 'there'`)[0], "aaa".match(/a+?/)[0], "<a><b>".match(/<.+?>/g));
// Unicode: property escapes, case folding, surrogate pairs and their indices.
console.log("Łódź 2024".match(/\p{L}+/gu), /\p{Script=Greek}/u.test("α"), /ÉTÉ/i.test("été"), /\u212A/i.test("k"), /\u212A/iu.test("k"));
console.log("a😀b😀".replace(/😀/gu, "!"), "😀😀".lastIndexOf("😀"), /./u.exec("😀x")[0].length, /./.exec("😀x")[0].length, "x😀".search(/😀/u));
const g = /(?:)/gu; console.log("😀".replace(g, "-"), "ab".replace(/(?:)/g, "-"), [..."a😀".matchAll(/(?:)/gu)].map((m) => m.index));
// Sets (v flag), dotAll, multiline anchors, word boundaries.
console.log(/[\p{L}--[a-z]]/v.test("a"), /[\p{L}--[a-z]]/v.test("A"), /[[a-z]&&[aeiou]]+/v.exec("xyzoia")[0]);
console.log("l1\nl2\nl3".match(/^l\d$/gm), "a\nb".match(/a.b/s) !== null, "cat scatter cat".match(/\bcat\b/g).length);
// lastIndex: past the end, non-writable; exec with g walks the string.
const w = /\d/g; w.lastIndex = 99; console.log(w.exec("123"), w.lastIndex);
const steps = []; const walk = /\w(\d)?/g; let m; while ((m = walk.exec("a1bc2")) !== null) steps.push(m[0] + ":" + m[1] + "@" + m.index + "/" + walk.lastIndex); console.log(steps);
const frozen = Object.defineProperty(/x/g, "lastIndex", { value: 0, writable: false });
try { frozen.exec("x"); } catch (e) { console.log(e.name); }
// Replacement functions with captures, offsets and named groups; split with captures and limits.
console.log("2024-01-15".replace(/(?<y>\d+)-(?<m>\d+)-(?<d>\d+)/, (all, y, mo, d, at, s, groups) => [d, mo, y, at, s.length, groups.y].join("|")));
console.log("one  two   three".split(/(\s+)/), "a,b;c".split(/[,;]/, 2), "abc".split(/(?:)/, 0), "test".split(/(t)?/));
console.log("x".replace(/(y)?x/, "[$1]"), "abc".replace(/b/, "$0|$00|$10|$<n>"), "aXbX".replace(/X/g, "$'"), "ab".replace(/(?<n>a)/, "[$<n>][$<m>]"));
