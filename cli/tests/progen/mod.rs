//! Seeded generator of random JavaScript programs whose output is deterministic under Node.
//!
//! The families:
//! - [`Family::Micro`]: promises, async functions, thenables, combinators, `queueMicrotask`,
//!   `process.nextTick`, plus small plain-language pieces (numbers, strings, arrays, objects,
//!   closures, classes). Everything runs in the microtask/nextTick queues, so Node's order is
//!   fixed by the spec and by Node's tick processing.
//! - [`Family::Macro`]: timers, intervals, immediates, `fs.readFile` callbacks and
//!   `timers/promises`, with microtasks queued from inside the macrotasks. Timer delays are chosen
//!   by a small scheduling model (see `macros.rs`) so that Node's order never depends on how much
//!   time actually elapsed.
//! - [`Family::Io`]: `fs` callbacks, sync forms and `fs.promises` on real files (ENOENT
//!   included), `EventEmitter` and `events.once`, `timers/promises`, as one chain of stages
//!   that each wait for one thing, with immediates and small timers placed only where the
//!   loop's phase order fixes their order (see `io.rs`).
//!
//! - [`Family::Typed`]: `ArrayBuffer`, typed arrays, `DataView`, `Atomics` and `Buffer`
//!   operations with every result printed (see `typed.rs`); synchronous, plus a few deferred
//!   to a microtask or a timer.
//! - [`Family::Errors`]: erroneous expressions in try/catch that print each caught error's
//!   class and message, so V8's error texts are compared byte for byte (see `errors.rs`).
//! - [`Family::Workers`]: 1 to 3 `worker_threads` workers exchanging messages (structured
//!   clone, transfer lists, `MessageChannel`, `SharedArrayBuffer` and `Atomics`, every way a
//!   worker ends), shaped so that every printed line has a causal order (see `workers.rs`).
//! - [`Family::Processes`]: `child_process` (`fork` of the program itself with IPC both ways,
//!   `exec`/`execFile` of shell lines, `spawn`, the sync forms, `util.promisify(exec)`) and
//!   `cluster`, as a chain of phases that each await their processes, so the order of what
//!   parallel processes print is fixed (see `processes.rs`; `LOOPLAB_PROCGEN_OFF` turns parts
//!   off).
//!
//! The micro, macro and io families also use, in small amounts: plain-language pieces (numbers
//! incl. -0/NaN/floats, strings, arrays, objects, Map/Set, closures, classes, generators,
//! control flow, coercions, JSON, `console.log` layout and format specifiers) and `process`
//! hooks ('exit' and 'beforeExit' listeners, an 'unhandledRejection' handler,
//! `process.exitCode`).
//!
//! The same `(family, seed)` always yields the same program text.

mod errors;
mod io;
mod macros;
mod micro;
pub mod processes;
mod typed;
mod workers;

use std::fmt::Write as _;

/// Which kind of program to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Micro,
    Macro,
    Io,
    Typed,
    Errors,
    Workers,
    Processes,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::Micro => "micro",
            Family::Macro => "macro",
            Family::Io => "io",
            Family::Typed => "typed",
            Family::Errors => "errors",
            Family::Workers => "workers",
            Family::Processes => "processes",
        }
    }
}

/// One generated program.
#[derive(Clone, Debug)]
pub struct Program {
    pub family: Family,
    pub seed: u64,
    pub source: String,
    /// The program deliberately ends with an uncaught error or an unhandled rejection, so Node
    /// exits with code 1 (stdout must still match).
    pub expect_fatal: bool,
    /// The exit code node must give: 1 when fatal, else `process.exitCode` if the program
    /// sets it, else 0.
    pub exit_code: i32,
}

impl Program {
    /// A file name that identifies the program: `micro_000123.js`.
    pub fn file_name(&self) -> String {
        format!("{}_{:06}.js", self.family.name(), self.seed)
    }
}

/// Generate the program for `(family, seed)`.
pub fn generate(family: Family, seed: u64) -> Program {
    // Keep programs between MIN_LINES and MAX_LINES: retry with derived seeds (deterministic).
    let mut sub = 0u64;
    loop {
        let mut g = Gen::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ sub ^ family as u64);
        // A workers (processes) program runs its top level in every thread (process): it adds
        // the hooks to its main branch itself.
        if family != Family::Workers && family != Family::Processes {
            g.process_hooks();
        }
        let fatal = match family {
            Family::Micro => micro::program(&mut g),
            Family::Macro => macros::program(&mut g),
            Family::Io => io::program(&mut g),
            Family::Typed => typed::program(&mut g),
            Family::Errors => errors::program(&mut g),
            Family::Workers => workers::program(&mut g),
            Family::Processes => processes::program(&mut g),
        };
        let exit_code = if fatal { 1 } else { g.exit_code };
        let source = g.finish(family, seed);
        let lines = source.lines().count();
        let max = match family {
            Family::Workers => WORKERS_MAX_LINES,
            Family::Processes => PROCESSES_MAX_LINES,
            _ => MAX_LINES,
        };
        if (MIN_LINES..=max).contains(&lines) || sub >= 50 {
            return Program {
                family,
                seed,
                source,
                expect_fatal: fatal,
                exit_code,
            };
        }
        sub += 1;
    }
}

pub const MIN_LINES: usize = 20;
pub const MAX_LINES: usize = 80;
/// Workers programs stay shorter: each worker costs Node some 30 ms to start.
pub const WORKERS_MAX_LINES: usize = 60;
/// Processes programs hold the code of every role they start (forked children, cluster
/// workers), so they may be longer; what they cost is the node processes they start (1 to 3).
pub const PROCESSES_MAX_LINES: usize = 100;

/// splitmix64: tiny, fast, good enough for program generation.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0xD1B5_4A32_D192_ED03)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }
    /// True with probability `pct`/100.
    pub fn chance(&mut self, pct: u32) -> bool {
        (self.next_u64() % 100) < pct as u64
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Program text builder plus the naming state shared by both families.
pub(crate) struct Gen {
    pub rng: Rng,
    body: String,
    indent: usize,
    labels: u32,
    vars: u32,
    /// Helpers the body used; emitted once at the top of the program.
    pub need_msg: bool,
    pub need_with_resolvers: bool,
    pub need_fs: bool,
    pub need_timers_promises: bool,
    /// The I/O family's helpers: `fs.promises`, `events`, `here(name)`, `errShape(e)`.
    pub need_io: bool,
    /// An `unhandledRejection` handler is installed: no deliberate fatal ending then.
    pub no_fatal: bool,
    /// `process.exitCode` set by the program (0 when not set).
    pub exit_code: i32,
}

impl Gen {
    fn new(seed: u64) -> Self {
        Gen {
            rng: Rng::new(seed),
            body: String::new(),
            indent: 0,
            labels: 0,
            vars: 0,
            need_msg: false,
            need_with_resolvers: false,
            need_fs: false,
            need_timers_promises: false,
            need_io: false,
            no_fatal: false,
            exit_code: 0,
        }
    }

    fn finish(self, family: Family, seed: u64) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "// looplab progen: family={} seed={}",
            family.name(),
            seed
        );
        s.push_str("\"use strict\";\n");
        if self.need_fs {
            s.push_str("const fs = require(\"fs\");\n");
        }
        if self.need_io {
            // Both ways of reaching fs.promises.
            s.push_str(if seed.is_multiple_of(2) {
                "const fsp = require(\"fs/promises\");\n"
            } else {
                "const fsp = fs.promises;\n"
            });
            s.push_str(
                "const path = require(\"path\");\nconst { EventEmitter, once } = require(\"events\");\nconst here = (name) => path.join(__dirname, name);\nconst errShape = (e) => [e.code, e.errno, e.syscall, e.message.replace(__dirname, \"<dir>\")];\n",
            );
        }
        if self.need_timers_promises || self.need_io {
            s.push_str("const tp = require(\"timers/promises\");\n");
        }
        if self.need_msg {
            s.push_str(
                "const msg = (e) => (e instanceof Error ? e.name + \": \" + e.message : \"value \" + String(e));\n",
            );
        }
        if self.need_with_resolvers {
            s.push_str(
                "const withResolvers = typeof Promise.withResolvers === \"function\"\n  ? () => Promise.withResolvers()\n  : () => { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };\n",
            );
        }
        // The first console.log initialises stdout (a pipe or a file) lazily, which takes a few
        // ms in node: do it before any timer is created so it cannot skew timer start times.
        if family == Family::Workers {
            // Both ways of naming the module; the top level runs in every thread, and only
            // the main thread may print before anything is ordered.
            s.push_str(if seed.is_multiple_of(2) {
                "const { Worker, isMainThread, parentPort, workerData, threadId, MessageChannel } = require(\"node:worker_threads\");\n"
            } else {
                "const { Worker, isMainThread, parentPort, workerData, threadId, MessageChannel } = require(\"worker_threads\");\n"
            });
            s.push_str("if (isMainThread) console.log(\"start\");\n");
        } else if family == Family::Processes {
            // Every process runs the top level: the parent's branch prints "start".
        } else {
            s.push_str("console.log(\"start\");\n");
        }
        s.push_str(&self.body);
        s
    }

    /// Optional `process` hooks at the start of a program: 'exit' and 'beforeExit' listeners,
    /// an 'unhandledRejection' handler (with a rejection for it), and `process.exitCode`.
    fn process_hooks(&mut self) {
        if self.rng.chance(20) {
            let l = self.label();
            self.line(&format!(
                "process.on(\"exit\", (code) => console.log(\"{l} exit\", code, process.exitCode));"
            ));
        }
        if self.rng.chance(12) {
            let b = self.var("bx");
            let (l1, l2, l3) = (self.label(), self.label(), self.label());
            self.line(&format!("let {b} = 0;"));
            self.line(&format!(
                "process.on(\"beforeExit\", (code) => {{ console.log(\"{l1} beforeExit\", code, {b}); if ({b}++ === 0) {{ setTimeout(() => console.log(\"{l2} late\"), 5); Promise.resolve().then(() => console.log(\"{l3}\")); }} }});"
            ));
        }
        if self.rng.chance(8) {
            self.need_msg = true;
            self.no_fatal = true;
            let (l1, l2) = (self.label(), self.label());
            self.line(&format!(
                "process.on(\"unhandledRejection\", (r, p) => console.log(\"{l1} unhandled\", msg(r), p instanceof Promise));"
            ));
            self.line(&format!(
                "Promise.reject(new Error(\"{l2} nobody catches this\"));"
            ));
        }
        if self.rng.chance(8) {
            self.exit_code = self.rng.range(0, 3) as i32;
            self.line(&format!("process.exitCode = {};", self.exit_code));
        }
    }

    /// Number of lines emitted so far (the budget that keeps programs small).
    pub fn lines(&self) -> usize {
        self.body.lines().count()
    }

    pub fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.body.push_str("  ");
        }
        self.body.push_str(s);
        self.body.push('\n');
    }
    pub fn open(&mut self, s: &str) {
        self.line(s);
        self.indent += 1;
    }
    pub fn close(&mut self, s: &str) {
        self.indent -= 1;
        self.line(s);
    }

    /// Append `;` to the last emitted line (ends a multi-line expression statement).
    pub fn terminate(&mut self) {
        if self.body.ends_with('\n') {
            self.body.pop();
        }
        self.body.push_str(";\n");
    }

    /// A fresh, program-unique label such as `L7`.
    pub fn label(&mut self) -> String {
        self.labels += 1;
        format!("L{}", self.labels)
    }
    /// A fresh identifier with the given prefix (`p3`, `af4`, ...).
    pub fn var(&mut self, prefix: &str) -> String {
        self.vars += 1;
        format!("{}{}", prefix, self.vars)
    }

    /// `console.log("Lk");`
    pub fn log(&mut self) {
        let l = self.label();
        self.line(&format!("console.log(\"{l}\");"));
    }
    /// `console.log("Lk", expr);`
    pub fn log_expr(&mut self, expr: &str) {
        let l = self.label();
        self.line(&format!("console.log(\"{l}\", {expr});"));
    }

    // ---------------------------------------------------------------- plain-language values

    /// A small integer literal (parenthesised when negative).
    pub fn small_int(&mut self) -> String {
        let n = self.rng.range(-4, 12);
        if n < 0 {
            format!("({n})")
        } else {
            n.to_string()
        }
    }

    /// A numeric expression: integer and float arithmetic, -0, NaN, Infinity, Math helpers.
    pub fn num_expr(&mut self, depth: u32) -> String {
        if depth == 0 || self.rng.chance(35) {
            return match self.rng.below(10) {
                0..=4 => self.small_int(),
                5 => self
                    .rng
                    .pick(&["0.1", "0.2", "1.5", "2.25", "0.7", "3.14", "1e21", "1e-7"])
                    .to_string(),
                6 => self
                    .rng
                    .pick(&["-0", "(0 * -1)", "NaN", "(0 / 0)"])
                    .to_string(),
                7 => self
                    .rng
                    .pick(&["(1 / 3)", "(2 / 3)", "(10 / 4)"])
                    .to_string(),
                8 => self
                    .rng
                    .pick(&["2 ** 10", "2 ** 53", "(7 % 3)", "(-7 % 3)", "(5.5 % 2)"])
                    .to_string(),
                _ => self
                    .rng
                    .pick(&[
                        "parseInt(\"42px\")",
                        "Number(\"0x1f\")",
                        "parseFloat(\"3.5e2\")",
                        "Number(\"\")",
                        "+\"7\"",
                    ])
                    .to_string(),
            };
        }
        let a = self.num_expr(depth - 1);
        match self.rng.below(12) {
            0 | 1 => format!("({a} + {})", self.num_expr(depth - 1)),
            2 => format!("({a} - {})", self.num_expr(depth - 1)),
            3 | 4 => format!("({a} * {})", self.num_expr(depth - 1)),
            5 => format!("({a} / {})", self.num_expr(depth - 1)),
            6 => format!("({a} % {})", self.num_expr(depth - 1)),
            7 => format!("-({a})"),
            8 => format!(
                "Math.{}({a})",
                self.rng
                    .pick(&["floor", "round", "abs", "trunc", "sign", "sqrt", "ceil"])
            ),
            9 => format!(
                "Math.{}({a}, {})",
                self.rng.pick(&["max", "min"]),
                self.num_expr(depth - 1)
            ),
            10 => format!("Number(({a}).toFixed({}))", self.rng.below(4)),
            _ => format!("(\"\" + {a}).length"),
        }
    }

    /// A string expression (never containing quotes or newlines in its value).
    pub fn str_expr(&mut self) -> String {
        match self.rng.below(10) {
            0 => {
                let n = self.num_expr(1);
                let w = self.rng.pick(&["ab", "x", "k", "zz"]).to_string();
                format!("`{w}=${{{n}}}`")
            }
            1 => format!(
                "\"{}\".toUpperCase()",
                self.rng.pick(&["abc", "hello", "mix3d"])
            ),
            2 => format!(
                "\"{}\".repeat({})",
                self.rng.pick(&["ab", "-", "xy"]),
                self.rng.below(4)
            ),
            3 => "\"a-b-c\".split(\"-\").reverse().join(\"+\")".to_string(),
            4 => format!(
                "\"hello world\".slice({}, {})",
                self.rng.below(4),
                self.rng.range(4, 9)
            ),
            5 => format!("String({})", self.num_expr(1)),
            6 => format!(
                "\"{}\".padStart({}, \"0\")",
                self.rng.below(50),
                self.rng.range(1, 5)
            ),
            7 => format!(
                "`${{[{}, {}]}}|${{{{}}}}`",
                self.small_int(),
                self.small_int()
            ),
            8 => format!("\"q\" + {} + true + null", self.num_expr(1)),
            _ => format!(
                "[\"b\", \"a\", \"c\"].{}",
                self.rng.pick(&[
                    "sort().join(\"\")",
                    "indexOf(\"c\")",
                    "at(-1)",
                    "concat([\"d\"]).join()"
                ])
            ),
        }
    }

    /// An array expression with at most five short elements (so `console.log` keeps it on
    /// one line).
    pub fn arr_expr(&mut self) -> String {
        let lit = |g: &mut Gen| {
            let n = g.rng.range(1, 4);
            let xs: Vec<String> = (0..n).map(|_| g.small_int()).collect();
            format!("[{}]", xs.join(", "))
        };
        match self.rng.below(9) {
            0 => {
                let k = self.small_int();
                format!("{}.map((x) => x * {k})", lit(self))
            }
            1 => format!("{}.filter((x) => x % 2 === 0)", lit(self)),
            2 => "[10, 9, 1, 100].sort()".to_string(),
            3 => format!("{}.sort((a, b) => b - a)", lit(self)),
            4 => format!(
                "Array.from({{ length: {} }}, (_, i) => i * i)",
                self.rng.range(0, 5)
            ),
            5 => format!("[1, [2, [{}]]].flat()", self.small_int()),
            6 => format!("{}.concat([\"s\", {}])", lit(self), self.num_expr(1)),
            7 => format!("[{}, {}, -0, NaN]", self.num_expr(1), self.str_expr()),
            _ => format!("{}.reverse().slice(1)", lit(self)),
        }
    }

    /// An object expression (small, printed on one line by `console.log`).
    pub fn obj_expr(&mut self) -> String {
        match self.rng.below(6) {
            0 => format!("{{ a: {}, b: {} }}", self.num_expr(1), self.str_expr()),
            1 => format!(
                "{{ ...{{ x: 1, y: 2 }}, y: {}, z: [{}] }}",
                self.small_int(),
                self.small_int()
            ),
            2 => format!("Object.keys({{ k{}: 1, b: 2, a: 3 }})", self.rng.below(9)),
            3 => format!(
                "JSON.stringify({{ n: {}, s: \"t\", arr: [1, NaN, -0] }})",
                self.num_expr(1)
            ),
            4 => format!("Object.entries({{ p: {}, q: \"r\" }})", self.small_int()),
            _ => format!(
                "{{ nested: {{ v: {} }}, ok: {} }}",
                self.small_int(),
                self.rng.pick(&["true", "false", "null", "undefined"])
            ),
        }
    }

    /// Any printable value expression.
    pub fn value_expr(&mut self) -> String {
        match self.rng.below(8) {
            0..=2 => self.num_expr(3),
            3 | 4 => self.str_expr(),
            5 | 6 => self.arr_expr(),
            _ => self.obj_expr(),
        }
    }

    /// A few statements of plain JavaScript (closures, classes, loops, destructuring), each
    /// ending in a `console.log`.
    pub fn plain_block(&mut self) {
        if self.rng.chance(45) {
            return self.plain_extra();
        }
        match self.rng.below(7) {
            0 => {
                let v = self.value_expr();
                self.log_expr(&v);
            }
            1 => {
                let mk = self.var("mk");
                let c = self.var("c");
                let start = self.small_int();
                let k = self.small_int();
                self.line(&format!(
                    "const {mk} = (start) => {{ let n = start; return {{ inc: () => ++n, add: (k) => (n += k) }}; }};"
                ));
                self.line(&format!("const {c} = {mk}({start});"));
                self.line(&format!("{c}.inc(); {c}.add({k});"));
                self.log_expr(&format!("{c}.inc(), {c}.add(0.5)"));
            }
            2 => {
                let a = self.var("Shape");
                let b = self.var("Sq");
                let w = self.rng.range(1, 6);
                self.line(&format!("class {a} {{ constructor(w, h) {{ this.w = w; this.h = h; }} area() {{ return this.w * this.h; }} get tag() {{ return `${{this.w}}x${{this.h}}`; }} static of(n) {{ return new this(n, n + 1); }} }}"));
                self.line(&format!("class {b} extends {a} {{ constructor(s) {{ super(s, s); this.kind = \"sq\"; }} area() {{ return super.area() + 0.5; }} }}"));
                let e = match self.rng.below(3) {
                    0 => format!("new {b}({w}).area(), {a}.of({w}).tag, new {b}(2) instanceof {a}"),
                    1 => format!("new {b}({w})"),
                    _ => format!("{a}.of({w}), {b}.of({w}).area()"),
                };
                self.log_expr(&e);
            }
            3 => {
                let acc = self.var("acc");
                let n = self.rng.range(2, 7);
                let k = self.num_expr(1);
                self.line(&format!("let {acc} = 0;"));
                self.line(&format!(
                    "for (let i = 0; i < {n}; i++) {{ if (i === 3) continue; {acc} += i * {k}; }}"
                ));
                self.log_expr(&acc);
            }
            4 => {
                let fs = self.var("fns");
                self.line(&format!("const {fs} = [];"));
                let n = self.rng.range(1, 4);
                let k = self.small_int();
                self.line(&format!(
                    "for (let i = 0; i < {n}; i++) {fs}.push(() => i * {k});"
                ));
                self.log_expr(&format!("{fs}.map((f) => f())"));
            }
            5 => {
                let o = self.var("o");
                let v = self.value_expr();
                let (a, b0, b1) = (self.small_int(), self.small_int(), self.small_int());
                self.line(&format!(
                    "const {o} = {{ a: {a}, b: [{b0}, {b1}], c: {v} }};"
                ));
                self.line(&format!(
                    "const {{ a: {o}a, b: [, {o}b], ...{o}rest }} = {o};"
                ));
                self.log_expr(&format!("{o}a, {o}b, Object.keys({o}rest)"));
            }
            _ => {
                let lbl = self.label();
                // V8's messages are part of the output when a program prints them.
                let (body, message) = match self.rng.below(6) {
                    0 => ("null.x", true),
                    1 => ("undefinedThing + 1", true),
                    2 => ("const o = {}; o.method()", true),
                    3 => ("undefined.length", true),
                    4 => ("new Array(-1)", true),
                    _ => ("(void 0)()", false),
                };
                let m = if message { ", e.message" } else { "" };
                self.line(&format!("try {{ {body}; }} catch (e) {{ console.log(\"{lbl}\", e.name{m}, e instanceof TypeError, e.constructor === ReferenceError); }}"));
            }
        }
    }
    /// More of the language and library: collections, console.log layout (long arrays, deep
    /// nesting, format specifiers), control flow, coercions, number formatting, generators.
    fn plain_extra(&mut self) {
        match self.rng.below(12) {
            0 => {
                let m = self.var("m");
                let k = self.small_int();
                self.line(&format!(
                    "const {m} = new Map([[1, \"a\"], [\"k\", [1, 2]], [{k}, {{ q: {k} }}]]);"
                ));
                self.line(&format!("{m}.set(\"z\", -0).delete(1);"));
                self.log_expr(&format!(
                    "{m}, {m}.size, [...{m}.keys()], {m}.has(\"k\"), {m}.get({k})"
                ));
                let st = self.var("st");
                self.line(&format!("const {st} = new Set([3, 1, 3, \"x\", {k}]);"));
                self.log_expr(&format!("{st}, {st}.size, [...{st}].join(\"|\")"));
            }
            1 => {
                // Array layout: more than 6 entries are grouped in columns, more than 100 cut.
                let n = *self.rng.pick(&[7, 9, 12, 16, 23, 27, 40, 101, 130]);
                let f = *self.rng.pick(&[
                    "i * 3",
                    "i % 3 === 0 ? \"s\" + i : i",
                    "i / 4",
                    "-i * 111",
                    "String.fromCharCode(97 + (i % 26)).repeat(1 + (i % 4))",
                    "i % 5 === 0 ? null : i % 7 === 0 ? undefined : i * 1.5",
                ]);
                self.log_expr(&format!("Array.from({{ length: {n} }}, (_, i) => {f})"));
            }
            2 => {
                // Nesting beyond depth 2 prints [Object] / [Array]; long lines break.
                let v = self.small_int();
                let e = *self.rng.pick(&[
                    "{ a: { b: { c: { d: 1 } } }, arr: [[1, [2, [3, [4]]]]] }",
                    "{ aaaaaaaaaa: \"bbbbbbbbbbbbbbbbbbbb\", cccccccccc: \"dddddddddddddddddddd\", eeeeeeeeee: \"ffffffffffffffffffff\", g: 1 }",
                    "{ \"key-with-dash\": 1, 2: \"num\", valid_id: [], nested: { arr: [{ x: 1 }] } }",
                    "[\"it's\", 'say \"hi\"', \"tab\\there\", \"nl\\nhere\"]",
                    "{ f() {}, g: function () {}, h: () => {}, k: class K {} }",
                    "[1, , 3, undefined, null]",
                    "{ get g() { return 1; }, set s(v) {}, [\"comp\" + \"uted\"]: true }",
                    "[[], {}, [[]], [{}], \"\", 0]",
                ]);
                self.log_expr(&format!("{e}, {v}"));
            }
            3 => {
                let l = self.label();
                let a = self.num_expr(1);
                let b = self.str_expr();
                let spec = *self.rng.pick(&[
                    "%s=%d (%i) %f %%",
                    "%s and %s",
                    "%j|%d|%s",
                    "%d%% of %s",
                    "%i:%i",
                    "%O %s",
                ]);
                self.line(&format!(
                    "console.log(\"{l} {spec}\", {b}, {a}, {a}, \"2.5\", {{ k: [1] }});"
                ));
            }
            4 => {
                let x = self.rng.range(0, 6);
                let acc = self.var("sw");
                self.line(&format!("let {acc} = \"\";"));
                self.open(&format!("outer{acc}: for (let i = 0; i < 4; i++) {{"));
                self.open(&format!("switch ((i + {x}) % 4) {{"));
                self.line(&format!("case 0: {acc} += \"z\";"));
                self.line(&format!("case 1: {acc} += \"o\"; break;"));
                self.line(&format!(
                    "case 2: if (i > 1) continue outer{acc}; {acc} += \"t\"; break;"
                ));
                self.line(&format!("default: {acc} += i;"));
                self.close("}");
                self.line(&format!(
                    "let j = 0; do {{ {acc} += \".\"; j++; }} while (j < i % 2);"
                ));
                self.close("}");
                self.log_expr(&acc);
            }
            5 => {
                let e = *self.rng.pick(&[
                    "\"1\" == 1, null == undefined, null === undefined, NaN == NaN, [] + {}, [] == \"\", [1] == 1",
                    "typeof null, typeof (() => 1), typeof undefined, typeof NaN, typeof Symbol()",
                    "-7 >> 1, -7 >>> 28, 5 & 3, 5 | 8, 5 ^ 1, 1 << 31, ~5, 2 ** -1",
                    "\"b\" > \"a\", \"B\" < \"a\", \"10\" < \"9\", 10 < 9, \"abc\".localeCompare === undefined",
                    "({ a: 1 })?.a, (null)?.a, (undefined)?.[0], null ?? \"d\", 0 ?? \"d\", 0 || \"d\", \"\" && 1",
                    "Object.is(-0, 0), Object.is(NaN, NaN), 1 / -0, -0 === 0, [NaN].includes(NaN), [NaN].indexOf(NaN)",
                    "\"x\" in { x: 1 }, delete {}.x, void 0, (1, 2), !!\"0\", !!\"\", +[], +{}, +\"\", +\" 12 \"",
                ]);
                self.log_expr(e);
            }
            6 => {
                let n = self.num_expr(1);
                let e = *self.rng.pick(&[
                    "(255).toString(16), (0.5).toString(2), (25).toString(36), (-255).toString(2)",
                    "(1234.5678).toPrecision(6), (0.000123).toPrecision(2), (123.456).toExponential(2), (1e21).toFixed(2)",
                    "Number.MAX_SAFE_INTEGER + 2, 5e-324, 2 ** -1074, 1.7976931348623157e308 * 10, 0.1 * 3, 1 / 7",
                    "parseInt(\"0x10\"), parseInt(\"08\"), parseInt(\"1e3\"), parseFloat(\".5e-3\"), Number(\"1_000\"), Number(\" \\n42\\t\")",
                    "Number.isInteger(5.0), Number.isSafeInteger(2 ** 53), (12345.6789).toFixed(1), (-1.5).toFixed(0), (2.5).toFixed(0), (1.005).toFixed(2)",
                    "123456789 * 1000000000000, 1e21 + 1, 100 / 3, -1e-7, 1e300 * 1e10, 2 ** 31 | 0",
                ]);
                self.log_expr(&format!("{e}, {n}"));
            }
            7 => {
                let s = *self.rng.pick(&[
                    "\"  Mixed Case  \".trim().toLowerCase()",
                    "\"a-b_c d\".replace(/[-_ ]/g, \"+\")",
                    "\"banana\".replaceAll(\"a\", \"o\")",
                    "\"banana\".indexOf(\"an\", 2) + \"banana\".lastIndexOf(\"an\")",
                    "\"Hello\".startsWith(\"He\") && \"Hello\".endsWith(\"lo\") && \"Hello\".includes(\"ll\")",
                    "\"a,b,,c\".split(\",\", 3)",
                    "\"abc\".split(\"\")",
                    "\"x\".codePointAt(0) + \"\\u00e9\".length + \"caf\\u00e9\".toUpperCase()",
                    "[\"b10\", \"a2\", \"b9\", \"a10\"].sort()",
                    "\"%\" + encodeURIComponent(\"a b&c\") + decodeURIComponent(\"%41\")",
                    "\"abcdef\".substring(4, 1) + \"abcdef\".substr(-3, 2) + \"abcdef\".slice(-2)",
                    "/(\\d+)-(\\d+)/.exec(\"tel 12-345\").slice(1)",
                ]);
                self.log_expr(s);
            }
            8 => {
                let e = *self.rng.pick(&[
                    "JSON.stringify({ a: [1, { b: 2 }], c: \"s\", d: undefined, e: null }, null, 2)",
                    "JSON.parse('{\"x\":[1,2,{\"y\":null}],\"z\":\"w\"}')",
                    "JSON.stringify([undefined, () => 1, NaN, -0, Infinity, \"q\\\"uote\"])",
                    "JSON.stringify({ b: 1, a: [], 10: \"ten\", 2: \"two\" })",
                    "JSON.stringify(\"line\\nbreak\\u0001\")",
                ]);
                self.log_expr(e);
            }
            9 => {
                let e = *self.rng.pick(&[
                    "[5, 1, 4].find((x) => x < 5), [5, 1, 4].findIndex((x) => x > 9), [5, 1, 4].some((x) => x > 4), [5, 1, 4].every((x) => x > 0)",
                    "[1, 2, 3, 4, 5].splice(1, 2), [1, 2, 3].fill(0, 1), [[1, 2], [3]].flatMap((x) => x), [1, null, undefined, 2].join(\"-\")",
                    "[3, 1, 2].reverse(), [1, 2, 3].indexOf(2), [1, 2, 3].lastIndexOf(4), Array.isArray([]), Array.of(7, 8)",
                    "[{ k: 1, v: \"a\" }, { k: 0, v: \"b\" }, { k: 1, v: \"c\" }, { k: 0, v: \"d\" }].sort((x, y) => x.k - y.k).map((o) => o.v).join(\"\")",
                    "Object.assign({ a: 1 }, { b: 2 }, { a: 3 }), Object.values({ x: 1, y: [2] }), Object.fromEntries([[\"p\", 1]])",
                    "Object.keys({ b: 1, 2: 1, a: 1, 1: 1, \"-1\": 1, \"01\": 1 })",
                ]);
                self.log_expr(e);
            }
            10 => {
                let g = self.var("gen");
                let n = self.rng.range(1, 4);
                self.line(&format!(
                    "function* {g}(n) {{ for (let i = 0; i < n; i++) {{ const got = yield i * 2; if (got) yield \"got \" + got; }} return \"done\"; }}"
                ));
                let it = self.var("it");
                self.line(&format!("const {it} = {g}({n});"));
                self.log_expr(&format!("{it}.next(), {it}.next(\"x\"), [...{g}({n})]"));
            }
            _ => {
                let f = self.var("fn");
                let a = self.small_int();
                self.line(&format!(
                    "function {f}(a, b = a * 2, ...rest) {{ const {{ x = 5, y }} = rest[0] || {{}}; return [a, b, rest.length, x, y]; }}"
                ));
                self.log_expr(&format!("{f}({a}), {f}({a}, undefined, {{ y: 1 }}), {f}.length, {f}.name, {f}(...[1, 2, 3])"));
            }
        }
    }
}
