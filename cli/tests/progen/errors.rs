//! The errors family: programs that make the engine throw, catch the error and print its
//! class and message, so that every error text is compared with V8's byte for byte.
//!
//! Each statement wraps one erroneous expression in `check(label, fn)`: calls of
//! non-functions through member chains, calls, computed keys and optional chains; property
//! reads and writes on null/undefined at various depths; destructuring (object and array,
//! nested, defaults, parameters, assignment) of null/undefined/numbers; spreads of
//! non-iterables in calls, arrays and `new`; `for…of`, `Array.from`, `new Map/Set`,
//! `Object.fromEntries` and the promise combinators over non-iterables; TDZ reads and
//! writes; `const` assignment; `new` of non-constructors; class constructors without
//! `new`; derived constructors without `super()`; `in` and `instanceof` misuse;
//! `JSON.parse` errors; invalid array lengths and number-formatting ranges; writes to
//! frozen/sealed objects and getter-only properties (programs are strict); Symbol
//! conversions.
//!
//! Left out on purpose (V8 texts this engine does not reproduce, see docs/compatibility.md):
//! array patterns nested in object patterns over non-iterables, nested empty object
//! patterns, `yield*` of non-iterables, BigInt, WeakMap/WeakSet/Reflect/Proxy, and printing a
//! caught error itself (its stack differs in Node's internal frames).

use super::Gen;

/// Generate a whole errors-family program (never fatal).
pub(super) fn program(g: &mut Gen) -> bool {
    // one of three ways learners print a caught error
    let show = *g.rng.pick(&[
        "e.constructor.name + \": \" + e.message",
        "String(e)",
        "e.name, e.message",
    ]);
    g.line(&format!(
        "const check = (label, f) => {{ try {{ const r = f(); console.log(label, \"no error\", typeof r); }} catch (e) {{ console.log(label, {show}); }} }};"
    ));
    g.line("const o = { n: null, u: undefined, num: 5, s: \"str\", yes: true, arr: [1, 2], obj: {}, f() { return {}; }, g() { return null; }, self() { return o; }, deep: { x: { y: null } } };");
    g.line("let x; const k = \"u\"; const key = \"num\";");
    g.line("class Base { constructor() { this.b = 1; } get only() { return 1; } m() { return this; } }");
    let target = g.rng.range(24, 70) as usize;
    while g.lines() < target {
        g.error_case();
    }
    false
}

/// Starting points of member chains: values that are objects, null, undefined or numbers.
const ROOTS: &[&str] = &[
    "o", "o", "x", "o.deep", "o.arr", "o.self()", "o.f()", "o.g()", "o.n", "o.u", "o.num", "o.obj",
    "o.s", "(0, o.u)", "o?.deep", "Base",
];

/// One step of a member chain.
const STEPS: &[&str] = &[
    ".u",
    ".n",
    ".num",
    ".s",
    ".missing",
    ".deep",
    ".x",
    ".y",
    ".arr",
    ".obj",
    "[k]",
    "[key]",
    "[\"u\"]",
    "[\"no such\"]",
    "[0]",
    "[1]",
    "?.u",
    "?.missing",
    "?.[k]",
    ".f()",
    ".self()",
    ".g()",
    ".m()",
];

/// Expressions V8 renders in its own way when they are called or iterated: operators,
/// literals, conditionals, sequences, templates, functions and `new` inside chains.
const EXOTIC: &[&str] = &[
    "o[k + \"x\"]",
    "o[o.s]",
    "o[1 + 2]",
    "o[-1]",
    "o[\"0\"]",
    "(o.u || o.n)",
    "(x ?? o.num)",
    "(o.num + 1)",
    "(o.num - 1 + 2)",
    "(1 + 2 + o.num)",
    "(typeof x)",
    "(-o.num)",
    "(!o.u)",
    "(o.s, o.num)",
    "`a${x}`",
    "[1, 2]",
    "[...o.arr]",
    "({ a: 1 })",
    "(() => 1)()",
    "new Base()",
    "new Base().m()",
    "(o.u ? o.f : o.n)",
    "(o.num = 6)",
    "(o.num *= 1)",
    "(o.num < 3)",
    "(o instanceof Base)",
    "(\"a\" in o)",
    "(void 0)",
    "o.arr[o.num]",
    "o.arr[o.arr.length - 1]",
    "this",
    "(function () {})",
    "o?.self()?.s",
    "o.self?.().s",
];

/// Values that are not iterable (or not objects), by literal and through names.
const NOT_ITERABLE: &[&str] = &[
    "5",
    "o.num",
    "o.u",
    "x",
    "{}",
    "o.obj",
    "null",
    "o.n",
    "true",
    "o.yes",
    "undefined",
    "o",
    "o.f()",
    "o.g()",
    "(0, 5)",
    "o.deep.x",
];

/// Values to destructure that have no properties to read (or are numbers).
const NOT_OBJECT: &[&str] = &[
    "null",
    "undefined",
    "x",
    "o.u",
    "o.n",
    "o.g()",
    "o.f().u",
    "o.deep.x.y",
    "(0, null)",
    "o[k]",
    "void 0",
    "o.num",
    "5",
];

impl Gen {
    /// A random member chain over the fixture object.
    fn member_chain(&mut self) -> String {
        let mut s = self.rng.pick(ROOTS).to_string();
        for _ in 0..self.rng.range(0, 3) {
            s.push_str(self.rng.pick(STEPS));
        }
        s
    }

    /// `check("Ln", () => body);`
    fn check(&mut self, body: &str) {
        let l = self.label();
        self.line(&format!("check(\"{l}\", () => {body});"));
    }

    /// One erroneous statement.
    fn error_case(&mut self) {
        match self.rng.below(20) {
            0..=2 => {
                // calls of non-functions through chains
                let c = self.member_chain();
                let call = match self.rng.below(5) {
                    0 => format!("{c}()"),
                    1 => format!("{c}(1, \"a\")"),
                    2 => format!("{c}?.()"),
                    3 => format!("{c}.toString()"),
                    _ => format!("{c}.call()"),
                };
                self.check(&call);
            }
            3 | 4 => {
                // reads and writes through chains that meet null/undefined
                let c = self.member_chain();
                // an optional chain is no assignment target (a SyntaxError)
                let forms = if c.contains("?.") { 3 } else { 5 };
                let body = match self.rng.below(forms) {
                    0 => format!("{c}.p"),
                    1 => format!("{c}[0]"),
                    2 => format!("{c}?.p.q"),
                    3 => format!("{{ {c}.p = 1; }}"),
                    _ => format!("{{ {c}[k] = 2; }}"),
                };
                self.check(&body);
            }
            5 | 6 => self.destructuring_case(),
            7 | 8 => self.iteration_case(),
            9 => {
                let c = self.member_chain();
                let body = match self.rng.below(8) {
                    // `new a?.b()` is a SyntaxError: parenthesise optional chains
                    0 if c.contains("?.") => format!("new ({c})()"),
                    0 => format!("new {c}()"),
                    1 => "new (() => 1)()".to_string(),
                    2 => "new o.f()".to_string(),
                    3 => "new Symbol()".to_string(),
                    4 => "new Math.max()".to_string(),
                    5 => "new (async function () {})()".to_string(),
                    6 => "new (function* () {})()".to_string(),
                    _ => format!("new {}", self.rng.pick(&["x", "o.num", "o.s", "o.deep"])),
                };
                self.check(&body);
            }
            10 => self.tdz_case(),
            11 => self.class_case(),
            12 => {
                let body = match self.rng.below(6) {
                    0 => format!(
                        "{} in {}",
                        self.rng.pick(&["\"a\"", "k", "0"]),
                        self.rng.pick(&["5", "o.s", "o.num", "\"str\"", "o.yes"])
                    ),
                    1 => format!("{} in o.u", self.rng.pick(&["\"a\"", "k"])),
                    2 => format!(
                        "o instanceof {}",
                        self.rng.pick(&["5", "o.obj", "o", "o.s", "null"])
                    ),
                    3 => "{ const c = 1; c = 2; }".to_string(),
                    4 => "{ const c = { a: 1 }; c.a = 2; c = {}; }".to_string(),
                    _ => format!(
                        "{{ let v = 1; const c = v; for (const i of [1]) {{ c {}= i; }} }}",
                        self.rng.pick(&["+", "-", "*"])
                    ),
                };
                self.check(&body);
            }
            13 => {
                let text = self.rng.pick(&[
                    "{",
                    "",
                    "{\\\"a\\\":1,}",
                    "[1, 2",
                    "tru",
                    "{a:1}",
                    "[1,]",
                    "\\\"abc",
                    "01",
                    "1.",
                    "-",
                    "{\\\"a\\\" 1}",
                    "[1 2]",
                    "nul",
                    "{\\\"a\\\":1}x",
                    "\\\"\\\\x\\\"",
                    "1e",
                    "[\\\"a\\\",]",
                    "undefined",
                    "{\\\"a\\\":}",
                    "'a'",
                ]);
                let l = self.label();
                self.line(&format!("check(\"{l}\", () => JSON.parse(\"{text}\"));"));
            }
            14 => {
                let body = self.rng.pick(&[
                    "new Array(-1)",
                    "new Array(1.5)",
                    "{ const a = [1]; a.length = -1; }",
                    "(1.5).toFixed(101)",
                    "(1.5).toFixed(-1)",
                    "(255).toString(1)",
                    "(255).toString(37)",
                    "(1).toPrecision(0)",
                    "(1).toPrecision(101)",
                    "\"ab\".repeat(-1)",
                    "\"ab\".repeat(Infinity)",
                    "(1).toExponential(-1)",
                    "[].reduce((a, b) => a + b)",
                    "[1].sort(5)",
                    "[1].map(5)",
                    "[1].forEach()",
                    "Array.from([1], 5)",
                    "Object.create(5)",
                    "Object.setPrototypeOf({}, 5)",
                    "Object.keys(null)",
                    "Object.entries(undefined)",
                    "Object.defineProperty(1, \"a\", {})",
                    "o.s.matchAll(/a/)",
                    "new Promise(5)",
                    "Promise()",
                    "Map()",
                    "decodeURIComponent(\"%\")",
                    "{ const c = { b: {} }; c.b.c = c; JSON.stringify(c); }",
                    "{ const c = [{ d: { e: { f: {} } } }]; c[0].d.e.f.g = c; JSON.stringify(c); }",
                ]);
                self.check(body);
            }
            15 => {
                let body = self.rng.pick(&[
                    "{ Object.freeze(o.obj).a = 2; }",
                    "{ const f = Object.freeze({ a: 1 }); f.a = 2; }",
                    "{ const f = Object.freeze([1]); f[0] = 2; }",
                    "{ const f = Object.freeze([1]); f[1] = 2; }",
                    "{ const f = Object.seal({ a: 1 }); f.b = 2; }",
                    "{ const f = Object.preventExtensions({}); f.q = 1; }",
                    "{ const g = { get v() { return 1; } }; g.v = 2; }",
                    "{ new Base().only = 2; }",
                    "{ const d = Object.defineProperty({}, \"a\", { value: 1 }); d.a = 2; }",
                    "{ o.num.p = 1; }",
                    "{ o.s.p = 1; }",
                    "{ class P { constructor() { this.a = 1; Object.freeze(this); } } new P().a = 3; }",
                ]);
                self.check(body);
            }
            16 => {
                let body = self.rng.pick(&[
                    "Symbol() + \"\"",
                    "`${Symbol(\"q\")}`",
                    "+Symbol()",
                    "Symbol() * 2",
                    "Symbol(\"a\") < 1",
                    "String(Symbol(\"ok\"))",
                    "[Symbol()].join()",
                    "Math.max(Symbol())",
                ]);
                self.check(body);
            }
            17 => self.spread_case(),
            18 => {
                // errors thrown on purpose, and their classes
                let body = self.rng.pick(&[
                    "{ throw new RangeError(\"out of range\"); }",
                    "{ throw new TypeError(); }",
                    "{ null.f(); }",
                    "{ undefinedName; }",
                    "{ undefinedName = 1; }",
                    "{ undefinedName(); }",
                    "{ o.f().g.h(); }",
                    "{ (() => { throw new SyntaxError(\"bad\"); })(); }",
                    "{ const e = new Error(\"outer\", { cause: 1 }); throw e; }",
                ]);
                self.check(body);
            }
            19 if self.rng.chance(50) => self.async_case(),
            _ => {
                // calls, reads and iteration of expressions V8 renders specially
                let mut e = self.rng.pick(EXOTIC).to_string();
                if self.rng.chance(40) {
                    e.push_str(self.rng.pick(STEPS));
                }
                let body = match self.rng.below(6) {
                    0 | 1 => format!("{e}()"),
                    2 => format!("{e}.zz()"),
                    3 => format!("{{ for (const v of {e}) {{}} }}"),
                    4 => format!("[...{e}]"),
                    _ => format!("{{ const {{ a }} = {e}.zz; }}"),
                };
                self.check(&body);
            }
        }
    }

    fn destructuring_case(&mut self) {
        let src = self.rng.pick(NOT_OBJECT).to_string();
        let body = match self.rng.below(14) {
            0 => format!("{{ const {{ a }} = {src}; }}"),
            1 => format!("{{ const {{ a, b: c }} = {src}; }}"),
            2 => format!("{{ const {{ a = 1 }} = {src}; }}"),
            3 => format!("{{ let {{ \"a b\": a }} = {src}; }}"),
            4 => format!("{{ const {{ [k]: a }} = {src}; }}"),
            5 => format!("{{ const {{ ...r }} = {src}; }}"),
            6 => format!("{{ let a; ({{ a }} = {src}); }}"),
            7 => format!("{{ const [a] = {src}; }}"),
            8 => format!("{{ let a, b; [a, b] = {src}; }}"),
            9 => format!("(({{ a }}) => a)({src})"),
            10 => format!("((p, {{ a }}) => a)(1, {src})"),
            11 => format!("(([a]) => a)({src})"),
            12 => format!(
                "{{ const {{ a: {{ b }} }} = {}; }}",
                self.rng
                    .pick(&["{ a: null }", "{}", "o", "{ a: undefined }"])
            ),
            _ => format!("{{ for (const {{ a }} of [1, {src}]) {{}} }}"),
        };
        self.check(&body);
    }

    fn iteration_case(&mut self) {
        let v = self.rng.pick(NOT_ITERABLE).to_string();
        let body = match self.rng.below(8) {
            0 | 1 => format!("{{ for (const v of {v}) {{}} }}"),
            2 => format!("[...{v}]"),
            3 => format!("Array.from({v})"),
            4 => format!("new Map({v})"),
            5 => format!("new Set({v})"),
            6 => format!(
                "new Map([{}])",
                self.rng.pick(&["1", "\"ab\"", "null", "[1, 2], 3"])
            ),
            _ => format!("Object.fromEntries({v})"),
        };
        self.check(&body);
    }

    fn spread_case(&mut self) {
        let v = self.rng.pick(NOT_ITERABLE).to_string();
        let body = match self.rng.below(7) {
            0 => format!("Math.max(...{v})"),
            1 => format!("o.self().m(...{v})"),
            2 => format!("console.log(1, ...{v})"),
            3 => format!("Math.min(...{v}, 1)"),
            4 => format!("[1, ...{v}]"),
            5 => format!("new Set(...{v})"),
            _ => format!("Math.max(...[1], ...{v})"),
        };
        self.check(&body);
    }

    fn tdz_case(&mut self) {
        let n = self.var("v");
        let body = match self.rng.below(6) {
            0 => format!("{{ {n}; let {n} = 1; }}"),
            1 => format!("{{ {n} = 2; let {n} = 1; }}"),
            2 => format!("{{ const g = () => {n}; g(); const {n} = 1; }}"),
            3 => format!("{{ typeof {n}; let {n}; }}"),
            4 => format!("{{ new {n}(); class {n} {{}} }}"),
            _ => format!("{{ let {n} = {n} + 1; }}"),
        };
        self.check(&body);
    }

    fn class_case(&mut self) {
        let body = self.rng.pick(&[
            "{ class A {} A(); }",
            "{ Base(); }",
            "{ class B extends Base { constructor() { } } new B(); }",
            "{ class B extends Base { constructor() { this.x = 1; super(); } } new B(); }",
            "{ class B extends Base { constructor() { super(); super(); } } new B(); }",
            "{ class B extends o.num {} }",
            "{ class B extends null {} new B(); }",
            "{ class B extends Base { m() { return super.nope(); } } new B().m(); }",
            "{ new Base().m().nope(); }",
            "{ new Base().b(); }",
            "{ const m = new Base().m; m().b; }",
            "{ class A { #p = 1; m() { return this.#p(); } } new A().m(); }",
            "{ class A { static s() {} } A.s().x; }",
        ]);
        self.check(body);
    }

    /// Rejections from the combinators and async iteration, printed from `.catch`.
    fn async_case(&mut self) {
        let v = self.rng.pick(NOT_ITERABLE).to_string();
        let l = self.label();
        let expr = match self.rng.below(5) {
            0 => format!("Promise.all({v})"),
            1 => format!("Promise.race({v})"),
            2 => format!("Promise.allSettled({v})"),
            3 => format!("Promise.any({v})"),
            _ => format!("(async () => {{ for await (const w of {v}) {{}} }})()"),
        };
        self.line(&format!(
            "{expr}.catch((e) => console.log(\"{l}\", e.constructor.name, e.message));"
        ));
    }
}
