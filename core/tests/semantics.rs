//! End-to-end checks of tricky semantics, compared with what Node prints.

use looplab_core::{run, RunOptions};

fn out(src: &str) -> (String, i32) {
    let src = src.to_string();
    let o = looplab_testkit::on_big_stack(move || run(&src, &RunOptions::default()));
    (o.stdout, o.exit_code)
}

#[test]
fn tdz_is_a_reference_error() {
    let (s, c) = out("try { x; } catch (e) { console.log(e.name, e.message); } let x = 1;");
    assert_eq!(
        s,
        "ReferenceError Cannot access 'x' before initialization\n"
    );
    assert_eq!(c, 0);
}

#[test]
fn var_vs_let_closures() {
    let (s, _) = out("var a=[],b=[]; for (var i=0;i<3;i++) a.push(()=>i); for (let j=0;j<3;j++) b.push(()=>j); console.log(a.map(f=>f()), b.map(f=>f()));");
    assert_eq!(s, "[ 3, 3, 3 ] [ 0, 1, 2 ]\n");
}

#[test]
fn finally_runs_on_return_and_break() {
    let (s, _) = out("function f(){ try { return 1; } finally { console.log('fin'); } } console.log(f()); for (const x of [1,2]) { try { break; } finally { console.log('b', x); } }");
    assert_eq!(s, "fin\n1\nb 1\n");
}

#[test]
fn generators_and_spread() {
    let (s, _) = out("function* g(){ yield 1; yield* [2,3]; return 4; } console.log([...g()]); const it = g(); console.log(it.next(), it.next().value);");
    assert_eq!(s, "[ 1, 2, 3 ]\n{ value: 1, done: false } 2\n");
}

#[test]
fn unbounded_recursion_is_catchable() {
    let (s, c) = out("function r(){ return r(); } try { r(); } catch (e) { console.log(e instanceof RangeError, e.message); }");
    assert_eq!(s, "true Maximum call stack size exceeded\n");
    assert_eq!(c, 0);
}

#[test]
fn budget_stops_infinite_loops() {
    let o = run(
        "while (true) {}",
        &RunOptions {
            instruction_budget: 10_000,
            ..Default::default()
        },
    );
    assert_eq!(o.exit_code, looplab_core::EXIT_BUDGET);
    assert!(o.stderr.contains("stopped after"));
}

#[test]
fn busy_wait_on_virtual_clock_terminates() {
    let (s, _) = out(
        "const end = Date.now() + 50; let n = 0; while (Date.now() < end) n++; console.log(n > 0);",
    );
    assert_eq!(s, "true\n");
}

#[test]
fn unsupported_features_are_refused_up_front() {
    let o = run("console.log('x'); const r = 10n;", &RunOptions::default());
    assert_eq!(o.stdout, "");
    assert_eq!(o.exit_code, 1);
    assert!(
        o.stderr.starts_with("unsupported: BigInt at 1:29"),
        "{}",
        o.stderr
    );
}

#[test]
fn syntax_errors_exit_1() {
    let o = run("let = = 3;", &RunOptions::default());
    assert_eq!(o.exit_code, 1);
    assert!(o.stderr.contains("SyntaxError"));
}

#[test]
fn garbage_inputs_do_not_panic() {
    for src in [
        "",
        "}",
        "((((",
        "a.b.c.d()",
        "new new new",
        "x = x + ",
        "\u{0}\u{1}",
        "`${`",
        "class { }",
        "null.x",
        "undefined()",
        "[...1]",
        "for (const x of 5) {}",
        "throw 1",
        "Promise.reject(1)",
        "let a = {}; a.a = a; console.log(a)",
        "JSON.parse('{')",
        "new Array(-1)",
        "'x'.repeat(-1)",
    ] {
        let o = run(
            src,
            &RunOptions {
                instruction_budget: 1_000_000,
                ..Default::default()
            },
        );
        assert!(
            o.exit_code == 0 || o.exit_code == 1,
            "{src:?} -> {}",
            o.exit_code
        );
    }
}

#[test]
fn number_grouping_in_arrays() {
    let (s, _) = out("console.log([1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,100]);");
    assert_eq!(
        s,
        "[\n   1,   2,  3,  4,  5,  6,  7,  8,  9,\n  10,  11, 12, 13, 14, 15, 16, 17, 18,\n  19,  20, 21, 22, 23, 24, 25, 26, 27,\n  28, 100\n]\n"
    );
}

#[test]
fn number_to_exponential_precision_and_rounding() {
    let (s, c) = out("console.log((123.456).toExponential(2), (0).toExponential(), (1.5e-7).toExponential(3), (123456).toExponential(), (-1.25).toExponential(1), (1.45).toExponential(1));\nconsole.log((1234.5678).toPrecision(6), (0.000123).toPrecision(2), (123.456).toPrecision(2), (1e21).toPrecision(3), (0).toPrecision(3), (-0.5).toPrecision(1), (99.99).toPrecision(3), (1.25).toPrecision(2));\nconsole.log(Math.round(-0), Math.round(-0.4), Math.round(2.5), Math.round(-2.5), Math.round(0.49999999999999994), (-0.001).toFixed(2), (-0).toFixed(2), (-1.5).toFixed(0));\n");
    assert_eq!(s, "1.23e+2 0e+0 1.500e-7 1.23456e+5 -1.3e+0 1.4e+0\n1234.57 0.00012 1.2e+2 1.00e+21 0.00 -0.5 100 1.3\n-0 -0 3 -2 0 -0.00 0.00 -2\n");
    assert_eq!(c, 0);
}

#[test]
fn format_specifiers_match_node() {
    let (s, c) = out("console.log(\"%i|%i|%i|%i\", \"10,-1\", -0, 1e21, Infinity);\nconsole.log(\"%d|%d|%d|%d|%d\", \"10,-1\", -0, 1e21, Infinity, \"0x10\");\nconsole.log(\"%i|%i|%i|%d|%i|%f\", 2.7, -2.7, \"  42abc\", {}, [], \"1.5x\");\nconsole.log(\"%c|x %o %o\", \"color: red\", [1], []);\n");
    assert_eq!(s, "10|0|1|NaN\nNaN|-0|1e+21|Infinity|16\n2|-2|42|NaN|NaN|1.5\n|x [ 1, [length]: 1 ] [ [length]: 0 ]\n");
    assert_eq!(c, 0);
}

#[test]
fn uri_encoding_and_decoding() {
    let (s, c) = out("console.log(encodeURIComponent(\"a b&c/é?😀\"), encodeURI(\"http://x.com/a b?q=1&r=é#h\"), decodeURIComponent(\"%41%C3%A9\"), decodeURI(\"%41%2F%3F\"));\ntry { decodeURIComponent(\"%E0%A4%A\"); } catch (e) { console.log(e.name, e.message, e instanceof URIError); }\n");
    assert_eq!(s, "a%20b%26c%2F%C3%A9%3F%F0%9F%98%80 http://x.com/a%20b?q=1&r=%C3%A9#h Aé A%2F%3F\nURIError URI malformed true\n");
    assert_eq!(c, 0);
}

#[test]
fn async_generators_queue_and_for_await() {
    let (s, c) = out("async function* g() { console.log(\"start\"); yield 1; const x = await Promise.resolve(2); yield x; try { yield 3; } finally { console.log(\"fin\"); } return 9; }\n(async () => { for await (const v of g()) console.log(\"v\", v); console.log(\"done\"); })();\nPromise.resolve().then(() => console.log(\"t1\")).then(() => console.log(\"t2\")).then(() => console.log(\"t3\")).then(() => console.log(\"t4\")).then(() => console.log(\"t5\"));\nconst it = g();\nit.next().then((r) => console.log(\"n1\", r)); it.next().then((r) => console.log(\"n2\", r)); it.return(7).then((r) => console.log(\"r\", r)); it.next().then((r) => console.log(\"n3\", r));\nasync function* h() { yield 1; throw new Error(\"boom\"); }\n(async () => { try { for await (const v of h()) console.log(\"h\", v); } catch (e) { console.log(\"caught\", e.message); } })();\nconst k = h(); k.throw(new Error(\"early\")).catch((e) => console.log(\"early\", e.message)); k.next().then((r) => console.log(\"after\", r));\nconsole.log(Object.prototype.toString.call(g()), typeof g().next, g()[Symbol.asyncIterator] !== undefined);\n");
    assert_eq!(s, "start\nstart\n[object AsyncGenerator] function true\nt1\nearly early\nafter { value: undefined, done: true }\nv 1\nt2\nn1 { value: 1, done: false }\nh 1\nt3\ncaught boom\nt4\nn2 { value: 2, done: false }\nv 2\nt5\nr { value: 7, done: true }\nn3 { value: undefined, done: true }\nv 3\nfin\ndone\n");
    assert_eq!(c, 0);
}

#[test]
fn fs_read_file_gives_a_buffer_without_encoding() {
    let (s, c) = out("const b = Buffer.from(\"h\\u00e9llo\"); console.log(b, b.length, b.toString(), b.toString(\"hex\"), [b], Buffer.isBuffer(b), Buffer.isBuffer(\"x\"), JSON.stringify(Buffer.from(\"ab\")));\nconst fs = require(\"fs\");\nfs.readFile(__filename, (e, buf) => { console.log(e, buf[0], typeof buf[1], String.fromCharCode(buf[0], buf[1]), buf.toString(\"utf8\").split(\"\\n\")[0], String(buf).length === buf.length); console.log(buf); });\nfs.readFile(__filename, \"utf8\", (e, s) => console.log(typeof s, s.split(\"\\n\")[0].length));\nconsole.log(Buffer.isBuffer(fs.readFileSync(__filename)), typeof fs.readFileSync(__filename, { encoding: \"utf8\" }));\n");
    assert_eq!(s, "<Buffer 68 c3 a9 6c 6c 6f> 6 héllo 68c3a96c6c6f [ <Buffer 68 c3 a9 6c 6c 6f> ] true false {\"type\":\"Buffer\",\"data\":[97,98]}\ntrue string\nnull 99 number co const b = Buffer.from(\"h\\u00e9llo\"); console.log(b, b.length, b.toString(), b.toString(\"hex\"), [b], Buffer.isBuffer(b), Buffer.isBuffer(\"x\"), JSON.stringify(Buffer.from(\"ab\"))); true\n<Buffer 63 6f 6e 73 74 20 62 20 3d 20 42 75 66 66 65 72 2e 66 72 6f 6d 28 22 68 5c 75 30 30 65 39 6c 6c 6f 22 29 3b 20 63 6f 6e 73 6f 6c 65 2e 6c 6f 67 28 62 ... 570 more bytes>\nstring 177\n");
    assert_eq!(c, 0);
}

#[test]
fn regular_expressions_match_node() {
    let (s, c) = out("console.log(\"a-b_c d\".replace(/[-_ ]/g, \"+\"), /(\\d+)-(\\d+)/.exec(\"tel 12-345\").slice(1));\nconsole.log(/(\\d+)-(\\d+)/.exec(\"tel 12-345\"));\nconsole.log(/a-b/g, new RegExp(\"a/b\", \"gi\"), String(/x/y), /(?:)/.source, new RegExp(\"\").source);\nconst re = /o/g; console.log(re.test(\"foo\"), re.lastIndex, re.test(\"foo\"), re.lastIndex, re.test(\"foo\"), re.lastIndex);\nconsole.log(\"2024-01-15\".match(/(?<y>\\d+)-(?<m>\\d+)/).groups, \"a1b22c333\".match(/\\d+/g), \"xyz\".match(/\\d/), \"xyz\".match(/\\d/g));\nconsole.log([...\"a1b22\".matchAll(/\\d+/g)].map((m) => m[0] + \"@\" + m.index));\nconsole.log(\"John Smith\".replace(/(\\w+)\\s(\\w+)/, \"$2, $1\"), \"aaa\".replace(/a/g, (m, i) => i), \"x\".replace(/x/, \"$$-$&-$`-$'\"));\nconsole.log(\"a, b,c\".split(/\\s*,\\s*/), \"abc\".split(/(b)/), \"\".split(/x/), \"ab\".split(/(?:)/), \"a1b2c3\".split(/\\d/, 2));\nconsole.log(\"hello world\".search(/o/), \"abc\".search(/z/), /A/i.test(\"a\"), /^b/m.test(\"a\\nb\"), /a.b/s.test(\"a\\nb\"));\nconsole.log(\"2024-01-15\".replace(/(?<y>\\d+)-(?<m>\\d+)/, \"$<m>/$<y>\"), \"aaa\".replaceAll(/a/g, \"b\"));\ntry { \"x\".replaceAll(/x/, \"y\"); } catch (e) { console.log(e.name, e.message); }\ntry { new RegExp(\"a\", \"gg\"); } catch (e) { console.log(e.name, e.message); }\nconst sticky = /a/y; console.log(sticky.test(\"ba\"), sticky.lastIndex); sticky.lastIndex = 1; console.log(sticky.test(\"ba\"), sticky.lastIndex);\nconsole.log(/\\u{1F600}/u.test(\"😀\"), \"café\".replace(/é/, \"e\"), \"x😀y\".split(/(?:)/u).length, { r: /q/ }, re.flags, re.global, re.source);\n");
    assert_eq!(s, "a+b+c+d [ '12', '345' ]\n[\n  '12-345',\n  '12',\n  '345',\n  index: 4,\n  input: 'tel 12-345',\n  groups: undefined\n]\n/a-b/g /a\\/b/gi /x/y (?:) (?:)\ntrue 2 true 3 false 0\n[Object: null prototype] { y: '2024', m: '01' } [ '1', '22', '333' ] null null\n[ '1@1', '22@3' ]\nSmith, John 012 $-x--\n[ 'a', 'b', 'c' ] [ 'a', 'b', 'c' ] [ '' ] [ 'a', 'b' ] [ 'a', 'b' ]\n4 -1 true true true\n01/2024-15 bbb\nTypeError String.prototype.replaceAll called with a non-global RegExp argument\nSyntaxError Invalid flags supplied to RegExp constructor 'gg'\nfalse 0\ntrue 2\ntrue cafe 3 { r: /q/ } g true o\n");
    assert_eq!(c, 0);
}

#[test]
fn callee_text_in_not_a_function_messages() {
    let (s, c) = out("const t = (f) => { try { f(); } catch (e) { console.log(e.constructor.name + \": \" + e.message); } };\nconst foo = { bar: 1 }; let x = 5;\nt(() => foo.bar()); t(() => x()); t(() => new x()); t(() => foo[\"bar\"]()); t(() => null.x); t(() => { const o = {}; o.method(); });\n");
    assert_eq!(s, "TypeError: foo.bar is not a function\nTypeError: x is not a function\nTypeError: x is not a constructor\nTypeError: foo.bar is not a function\nTypeError: Cannot read properties of null (reading 'x')\nTypeError: o.method is not a function\n");
    assert_eq!(c, 0);
}

#[test]
fn string_indexing_is_consistent_on_long_strings() {
    let (s, c) = out("const s = \"ab\\u00e9\".repeat(40) + \"xyz\"; let h = 0; for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) % 1000003;\nconst a = \"q\".repeat(100); console.log(h, s.length, s[2], s.charAt(119), s.at(-1), a.length, a.charCodeAt(99), a[100], s.codePointAt(2), a.charCodeAt(100));\n");
    assert_eq!(s, "26436 123 é é z 100 113 undefined 233 NaN\n");
    assert_eq!(c, 0);
}

#[test]
fn private_class_members() {
    let (s, _) = out("class C { #n = 1; static #k = 2; #m() { return this.#n + C.#k; } run() { this.#n += 40; return this.#m(); } static has(o) { return #n in o; } } const c = new C(); console.log(c.run(), C.has(c), C.has({}), c);");
    assert_eq!(s, "43 true false C {}\n");
}

#[test]
fn sloppy_this_is_global_and_strict_this_is_undefined() {
    let (s, _) = out("function f() { return this === globalThis; } function g() { 'use strict'; return this; } console.log(f(), g());");
    assert_eq!(s, "true undefined\n");
}

#[test]
fn break_out_of_for_of_closes_generators() {
    let (s, _) = out("function* g() { try { yield 1; yield 2; } finally { console.log('cleanup'); } } for (const v of g()) { console.log(v); break; } const it = g(); it.next(); console.log(it.return(9), it.next());");
    assert_eq!(
        s,
        "1\ncleanup\ncleanup\n{ value: 9, done: true } { value: undefined, done: true }\n"
    );
}

/// An async iterator whose `return()` settles 10 ms later, logging when called and settled.
const SLOW_CLOSE_ITER: &str = "function mk(name) { let i = 0; return { [Symbol.asyncIterator]() { return this; }, next() { i++; return Promise.resolve({ value: i, done: i > 5 }); }, return() { console.log(name, 'return called'); return new Promise((r) => setTimeout(() => { console.log(name, 'return settled'); r({ done: true }); }, 10)); } }; }\n";

#[test]
fn for_await_break_return_and_throw_await_the_iterators_return() {
    let src = format!(
        "{SLOW_CLOSE_ITER}async function a() {{ for await (const x of mk('A')) {{ if (x === 2) break; }} console.log('after A'); }}
async function b() {{ for await (const x of mk('B')) {{ if (x === 2) return 'ret'; }} }}
async function c() {{ try {{ for await (const x of mk('C')) {{ throw new Error('boom'); }} }} catch (e) {{ console.log('caught', e.message); }} }}
(async () => {{ await a(); console.log(await b()); await c(); }})();"
    );
    let (s, c) = out(&src);
    assert_eq!(
        s,
        "A return called\nA return settled\nafter A\nB return called\nB return settled\nret\nC return called\nC return settled\ncaught boom\n"
    );
    assert_eq!(c, 0);
}

#[test]
fn for_of_closes_on_throw_and_checks_the_return_result() {
    let (s, _) = out("const it = { [Symbol.iterator]() { let i = 0; return { next() { return { value: i++, done: false }; }, return() { console.log('return'); return {}; } }; } };
try { for (const x of it) { throw new Error('boom'); } } catch (e) { console.log('caught', e.message); }
for (const x of it) { if (x > 1) break; }
const [p, q] = it; console.log(p, q);
const bad = { [Symbol.iterator]() { return { next() { return { value: 1, done: false }; }, return() { return 5; } }; } };
try { for (const x of bad) break; } catch (e) { console.log(e.constructor.name, e.message); }
const bad2 = { [Symbol.asyncIterator]() { return { next() { return { value: 1, done: false }; }, return() { return 5; } }; } };
(async () => { try { for await (const x of bad2) break; } catch (e) { console.log(e.constructor.name, e.message); } })();");
    assert_eq!(
        s,
        "return\ncaught boom\nreturn\nreturn\n0 1\nTypeError Iterator result 5 is not an object\nTypeError Iterator result 5 is not an object\n"
    );
}

#[test]
fn continue_in_for_of_with_closures_keeps_the_outer_scope() {
    let (s, _) = out("const fs = []; const outer = 'o'; for (const x of [1, 2, 3]) { fs.push(() => x + outer); if (x === 2) continue; console.log(x, outer); } console.log(fs.map((f) => f()), outer);");
    assert_eq!(s, "1 o\n3 o\n[ '1o', '2o', '3o' ] o\n");
}

#[test]
fn continue_in_for_in_with_closures_keeps_the_outer_scope() {
    let (s, code) = out("const fs = []; const outer = 'o'; for (const k in { a: 1, b: 2, c: 3 }) { const f = () => k + outer; if (k === 'b') continue; fs.push(f); } console.log(fs.map((f) => f()), outer);");
    assert_eq!((s.as_str(), code), ("[ 'ao', 'co' ] o\n", 0));
}

#[test]
fn yield_inside_finally_during_return() {
    let (s, _) = out("function* g() { try { yield 1; yield 2; } finally { console.log('fin'); yield 'in-finally'; console.log('fin2'); } }
const it = g(); console.log(it.next()); console.log(it.return(9)); console.log(it.next()); console.log(it.next());
async function* ag() { try { yield 1; yield 2; } finally { console.log('ag fin'); await null; console.log('ag fin after await'); } }
(async () => { for await (const x of ag()) { console.log(x); break; } console.log('done'); })();");
    assert_eq!(
        s,
        "{ value: 1, done: false }\nfin\n{ value: 'in-finally', done: false }\nfin2\n{ value: 9, done: true }\n{ value: undefined, done: true }\n1\nag fin\nag fin after await\ndone\n"
    );
}

#[test]
fn methods_capturing_parameters_survive_env_reuse() {
    let (s, _) = out("function mk(name) { return { hi() { return 'hi ' + name; }, get n() { return name; } }; } const o = mk('A'); mk('B'); console.log(o.hi(), o.n);");
    assert_eq!(s, "hi A A\n");
}

#[test]
fn structured_clone_copies_deeply_and_keeps_cycles() {
    let (s, c) = out("const o = { a: 1, b: [1, , { c: 3 }], d: new Date(0), r: /x/g, m: new Map([[1, { k: 2 }]]), s: new Set([1]) }; o.self = o; o.shared = o.b[2];
const c = structuredClone(o);
console.log(c, c.self === c, c.shared === c.b[2], c.b[2] !== o.b[2], c.d instanceof Date);
class P { constructor() { this.x = 1; } get y() { return 2; } }
const arr = [new P()]; arr.extra = 'e';
console.log(structuredClone(arr), structuredClone(new P()) instanceof P);
const e = new RangeError('r', { cause: 'c' }); e.extra = 1;
const ce = structuredClone(e); console.log(ce instanceof RangeError, ce.message, ce.extra, ce.cause, ce.stack === e.stack);
console.log(structuredClone(-0), structuredClone('s'), structuredClone(null), structuredClone(new Boolean(false)));");
    assert_eq!(
        s,
        "<ref *1> {
  a: 1,
  b: [ 1, <1 empty item>, { c: 3 } ],
  d: 1970-01-01T00:00:00.000Z,
  r: /x/g,
  m: Map(1) { 1 => { k: 2 } },
  s: Set(1) { 1 },
  self: [Circular *1],
  shared: { c: 3 }
} true true true true
[ { x: 1 }, extra: 'e' ] false
true r undefined c true
-0 s null [Boolean: false]
"
    );
    assert_eq!(c, 0);
}

#[test]
fn structured_clone_throws_data_clone_error() {
    let (s, _) = out("try { structuredClone(() => 1); } catch (e) { console.log(e.name, e.message, e.code, e instanceof Error, e instanceof DOMException, String(e)); console.log(e.stack.split('\\n')[0]); }
for (const v of [Symbol('x'), Promise.resolve(1), [function named(a) { return a; }]]) { try { structuredClone(v); } catch (e) { console.log(e.message); } }
try { structuredClone(); } catch (e) { console.log(e.name, e.message); }");
    assert_eq!(
        s,
        "DataCloneError () => 1 could not be cloned. 25 true true DataCloneError: () => 1 could not be cloned.
DataCloneError: () => 1 could not be cloned.
Symbol(x) could not be cloned.
#<Promise> could not be cloned.
function named(a) { return a; } could not be cloned.
TypeError The value argument must be specified
"
    );
}

#[test]
fn errors_print_with_their_subclass_and_name_like_node() {
    let (s, _) = out("class MyError extends Error {}
console.log(String(new MyError('a')), new MyError('a').stack.split('\\n')[1].trim().startsWith('at Object.<anonymous>'));
class ValidationError extends Error { constructor(m) { super(m); this.name = 'ValidationError'; } }
const v = new ValidationError('bad'); console.log(v.stack.split('\\n')[0], Object.keys(v));
console.log([new MyError('in array'), v].map((e) => require('util').inspect(e).split('\\n')[0]));
class C extends Error { constructor(m) { super(m); this.name = 'CError'; } }
console.log(require('util').inspect(new C('x')).split('\\n')[0]);
const f = new Error('x'); f.stack; f.name = 'Foo'; console.log(require('util').inspect(f).split('\\n').slice(-2));
console.log(require('util').inspect(new Error('outer', { cause: 'why' })).split('\\n').slice(-2));");
    assert_eq!(
        s,
        "Error: a true
ValidationError: bad [ 'name' ]
[ 'MyError: in array', 'ValidationError: bad' ]
C [CError]: x
[ \"  name: 'Foo'\", '}' ]
[ \"  [cause]: 'why'\", '}' ]
"
    );
}

#[test]
fn v8_error_messages_learners_hit() {
    let (s, _) = out(
        r#"const t = (f) => { try { f(); } catch (e) { console.log(e.constructor.name + ': ' + e.message); } };
t(() => { const o = {}; for (const x of o) {} });
t(() => { 'x' in 'str'; });
t(() => { ({}) instanceof 5; });
t(() => { new (() => 1)(); });
t(() => { new Map().get.call({}, 1); });
t(() => { new Set().add.call([], 1); });
t(() => JSON.parse(undefined));
t(() => JSON.parse('tru'));
t(() => JSON.parse('-'));
t(() => JSON.parse('01'));
t(() => JSON.parse('a'.repeat(40)));
t(() => JSON.parse('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,x]'));"#,
    );
    assert_eq!(
        s,
        r#"TypeError: o is not iterable
TypeError: Cannot use 'in' operator to search for 'x' in str
TypeError: Right-hand side of 'instanceof' is not an object
TypeError: (intermediate value) is not a constructor
TypeError: Method Map.prototype.get called on incompatible receiver #<Object>
TypeError: Method Set.prototype.add called on incompatible receiver [object Array]
SyntaxError: "undefined" is not valid JSON
SyntaxError: Unexpected end of JSON input
SyntaxError: No number after minus sign in JSON at position 1
SyntaxError: Unexpected number in JSON at position 1
SyntaxError: Unexpected token 'a', "aaaaaaaaaa"... is not valid JSON
SyntaxError: Unexpected token 'x', ...",18,19,20,x]" is not valid JSON
"#
    );
}

#[test]
fn crypto_hashes_and_zlib_round_trips_are_real() {
    let (s, c) = out("const crypto = require('crypto'); const zlib = require('zlib');
console.log(crypto.createHash('sha256').update('hello').digest('hex'));
console.log(crypto.createHash('sha1').update('hello').update(' world').digest('base64'));
console.log(crypto.createHash('md5').update('hello').digest('hex'));
console.log(crypto.createHmac('sha256', 'key').update('data').digest('hex'));
console.log(crypto.pbkdf2Sync('pw', 'salt', 1000, 32, 'sha256').toString('hex'));
crypto.pbkdf2('pw', 'salt', 1000, 16, 'sha512', (err, key) => console.log('async', err, key.toString('hex')));
console.log(zlib.deflateSync('hello hello hello hello').toString('hex'), zlib.inflateSync(zlib.deflateSync('x'.repeat(1000))).toString().length);
zlib.gzip('async trip', (err, buf) => zlib.gunzip(buf, (err2, out) => console.log('gunzip', err2, out.toString())));
zlib.inflate('not compressed', (err) => console.log(err.message, err.code, err.errno));
try { crypto.pbkdf2Sync('a', 'b', 1, 8); } catch (e) { console.log(e.message); }");
    assert_eq!(
        s,
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
Kq5sNclPz7QV2+lfQIuc6R7oRu0=
5d41402abc4b2a76b9719d911017c592
5031fe3d989c6d1537a013fa6e739da23463fdaec3b70137d828e36ace221bd0
0a38253555ce37f5c72a6b703f996814ebf241f203af146e93dcdeb031c5567e
789ccb48cdc9c957c8402701680308b1 1000
The \"digest\" argument must be of type string. Received undefined
async null dba2956d5d8f05e6f06dc9732ca6037d
incorrect header check Z_DATA_ERROR -3
gunzip null async trip
"
    );
    assert_eq!(c, 0);
}

#[test]
fn uncaught_error_caret_points_at_the_throw_statement() {
    let o = run(
        "const e = new Error('made here');\nfunction later() {\n  throw e;\n}\nlater();\n",
        &RunOptions::default(),
    );
    assert_eq!(o.exit_code, 1);
    let head: Vec<&str> = o.stderr.lines().take(4).collect();
    assert_eq!(head[1..], ["  throw e;", "  ^", ""]);
    assert!(head[0].ends_with(":3"), "{}", head[0]);
}

#[test]
fn typed_array_views_share_one_buffer() {
    let (s, c) = out("const ab = new ArrayBuffer(4); const u8 = new Uint8Array(ab); const u16 = new Uint16Array(ab, 2, 1);
u16[0] = 0x0102; const sub = u8.subarray(1, 3); sub[0] = 9; const copy = u8.slice(); copy[3] = 0;
console.log(u8, u16[0], sub.byteOffset, copy[3], u8[3], u16.buffer === ab);");
    assert_eq!(s, "Uint8Array(4) [ 0, 9, 2, 1 ] 258 1 0 1 true\n");
    assert_eq!(c, 0);
}

#[test]
fn typed_array_element_keys_convert_and_ignore_out_of_range() {
    let (s, _) = out("const t = new Int8Array(2); t[0] = 200; t[1] = '-3.7'; t[5] = 1; t['1.5'] = 2; t['-0'] = 4;
const c = new Uint8ClampedArray([2.5, 3.5, -1, 999]);
console.log(t, t[5], Object.keys(t), 5 in t, c, new Float32Array([0.1])[0]);");
    assert_eq!(
        s,
        "Int8Array(2) [ -56, -3 ] undefined [ '0', '1' ] false Uint8ClampedArray(4) [ 2, 4, 0, 255 ] 0.10000000149011612\n"
    );
}

#[test]
fn data_view_reads_and_writes_both_endiannesses() {
    let (s, _) = out("const dv = new DataView(new ArrayBuffer(8), 2);
dv.setUint16(0, 0xabcd); dv.setInt32(2, -2, true);
console.log(dv.getUint16(0, true).toString(16), dv.getUint8(0), dv.getInt32(2, true), dv.getUint32(2), dv.byteOffset);
try { dv.getFloat64(0); } catch (e) { console.log(e.name, e.message); }");
    assert_eq!(
        s,
        "cdab 171 -2 4278190079 2\nRangeError Offset is outside the bounds of the DataView\n"
    );
}

#[test]
fn buffer_is_a_uint8array_and_slices_share_memory() {
    let (s, _) = out("const b = Buffer.from('abcd'); const part = b.slice(1, 3); part[0] = 0x5a;
console.log(b.toString(), b instanceof Uint8Array, Object.getPrototypeOf(Buffer.prototype) === Uint8Array.prototype,
  part.buffer === b.buffer, b.readUInt16BE(2), b.map(x => x + 1), structuredClone(b));");
    assert_eq!(
        s,
        "aZcd true true true 25444 <Buffer 62 5b 64 65> Uint8Array(4) [ 97, 90, 99, 100 ]\n"
    );
}

#[test]
fn atomics_are_plain_operations_with_the_spec_results() {
    let (s, _) = out("const a = new Int16Array(new SharedArrayBuffer(4));
console.log(Atomics.add(a, 0, 40000), a[0], Atomics.compareExchange(a, 0, -25536, 1), Atomics.load(a, 0), Atomics.store(a, 1, 1.9));
try { Atomics.load(new Float32Array(1), 0); } catch (e) { console.log(e.message); }
console.log(Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1), Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5));");
    assert_eq!(
        s,
        "0 -25536 -25536 1 1\n[object Float32Array] is not an integer typed array.\nnot-equal timed-out\n"
    );
    // with no other thread to notify it, a wait without a time-out never ends (Node hangs)
    let o = looplab_core::run(
        "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); console.log('never');",
        &Default::default(),
    );
    assert_eq!(o.stdout, "");
    assert!(o.stderr.contains("would never end"), "{}", o.stderr);
}

#[test]
fn error_texts_name_callees_iterables_and_destructured_values_like_v8() {
    let (s, c) = out(
        r#"const t = (f) => { try { f(); } catch (e) { console.log(e.constructor.name + ': ' + e.message); } };
const o = { f() { return {}; }, n: null, u: undefined, a: [1], num: 5 };
let x, k = 'a';
t(() => o.f(1).g());
t(() => o['x y']());
t(() => o[1 + 1]());
t(() => ({ a: 1, b: 2 }).f());
t(() => (o.u ? 1 : 2)());
t(() => (x + k + 1)());
t(() => new o.f());
t(() => new Math.max());
t(() => { const { a } = o.u; });
t(() => { function f({ a }) {} f(null); });
t(() => { let a; ({ a } = x); });
t(() => { const { [k]: a } = null; });
t(() => { const { a = 1 } = null; });
t(() => { for (const { a } of [null]) {} });
t(() => { console.log(...5); });
t(() => { Math.max(...o.u); });
t(() => { Math.max(...o.f(), 1); });
t(() => { for (const v of o.f()) {} });
t(() => { const [a] = o.num; });
t(() => [...o.num]);
t(() => new Map(5));
t(() => { class A {} class B extends A { constructor() { } } new B(); });
t(() => { class A {} class B extends A { constructor() { super(); super(); } } new B(); });
t(() => { class B extends null {} new B(); });
"#,
    );
    assert_eq!(c, 0);
    assert_eq!(
        s,
        "TypeError: o.f(...).g is not a function
TypeError: o.x y is not a function
TypeError: o[2] is not a function
TypeError: {(intermediate value)(intermediate value)}.f is not a function
TypeError: (intermediate value)(intermediate value)(intermediate value) is not a function
TypeError: (x + k + 1) is not a function
TypeError: o.f is not a constructor
TypeError: Math.max is not a constructor
TypeError: Cannot destructure property 'a' of 'o.u' as it is undefined.
TypeError: Cannot destructure property 'a' of 'object null' as it is null.
TypeError: Cannot destructure property 'a' of 'x' as it is undefined.
TypeError: Cannot destructure 'null' as it is null.
TypeError: Cannot read properties of null (reading 'a')
TypeError: Cannot destructure property 'a' of '.for' as it is null.
TypeError: Spread syntax requires ...iterable[Symbol.iterator] to be a function
TypeError: o.u is not iterable (cannot read property undefined)
TypeError: o.f is not iterable (cannot read property Symbol(Symbol.iterator))
TypeError: o.f is not a function or its return value is not iterable
TypeError: number 5 is not iterable (cannot read property Symbol(Symbol.iterator))
TypeError: o.num is not iterable
TypeError: number 5 is not iterable (cannot read property Symbol(Symbol.iterator))
ReferenceError: Must call super constructor in derived class before accessing 'this' or returning from derived constructor
ReferenceError: Super constructor may only be called once
TypeError: Super constructor null of B is not a constructor
"
    );
}

#[test]
fn strict_code_throws_on_refused_writes_and_undeclared_assignments() {
    let (s, c) = out(r#"'use strict';
const t = (f) => { try { f(); } catch (e) { console.log(e.constructor.name + ': ' + e.message); } };
t(() => { Object.freeze({ a: 1 }).a = 2; });
t(() => { const g = { get v() { return 1; } }; g.v = 2; });
t(() => { class P { get v() { return 1; } m() { this.v = 2; } } new P().m(); });
t(() => { Object.freeze([1])[0] = 2; });
t(() => { Object.preventExtensions({}).q = 1; });
t(() => { (5).p = 1; });
t(() => { undeclared = 1; });
t(() => JSON.parse('{"a":1,}'));
t(() => JSON.parse('[1, 2'));
t(() => JSON.parse('1.'));
t(() => JSON.parse('"\\x"'));
"#);
    assert_eq!(c, 0);
    assert_eq!(
        s,
        "TypeError: Cannot assign to read only property 'a' of object '#<Object>'
TypeError: Cannot set property v of #<Object> which has only a getter
TypeError: Cannot set property v of #<P> which has only a getter
TypeError: Cannot assign to read only property '0' of object '[object Array]'
TypeError: Cannot add property q, object is not extensible
TypeError: Cannot create property 'p' on number '5'
ReferenceError: undeclared is not defined
SyntaxError: Expected double-quoted property name in JSON at position 7
SyntaxError: Expected ',' or ']' after array element in JSON at position 5
SyntaxError: Unterminated fractional number in JSON at position 2
SyntaxError: Bad escaped character in JSON at position 2
"
    );
    // sloppy code still ignores them
    let (s, _) = out("const f = Object.freeze({ a: 1 }); f.a = 2; sloppyGlobal = 3; console.log(f.a, sloppyGlobal);");
    assert_eq!(s, "1 3\n");
}
