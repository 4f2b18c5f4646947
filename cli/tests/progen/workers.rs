//! The workers family: programs that start 1 to 3 `worker_threads` workers and exchange
//! messages with them, with structured-clone payloads (numbers, strings, arrays, objects, Map,
//! Set, Date, nested), ArrayBuffers moved by transfer lists, a `MessageChannel` inside the main
//! thread or between two workers, a `SharedArrayBuffer` updated with `Atomics`, and every way a
//! worker ends (its port closed, `process.exit(n)`, an uncaught throw, `terminate()`).
//!
//! A program forks itself: `if (isMainThread) { ... } else if (workerData.role === "w2") { ... }`,
//! and some workers run code given with `eval: true` instead. The main thread runs an
//! `async function main()` made of *phases*; each phase starts its workers, talks to them and
//! awaits every one's `exit` before the next phase begins, so workers of different phases never
//! overlap.
//!
//! # What Node orders, and what it does not (measured on Node 20)
//! Every line of output is written by the main thread: a worker's `console.log` sends its text
//! to the main thread over the worker's internal port, and the main thread writes it when it
//! handles that message. The user's messages travel over a different port, so:
//! - A worker's `console.log` is **not** ordered against its own `postMessage`: a worker that
//!   logs and then posts is often seen by the main thread's `message` handler first (after the
//!   first chunk, a worker's stdout waits for the main thread to acknowledge it, so later lines
//!   lag even more).
//! - It **is** ordered before that worker's `error` and `exit` events (stdout is drained before
//!   the worker is reported gone, also after `process.exit(n)` and an uncaught throw), and
//!   after its `online` event (same internal port, posted before the worker's code runs).
//! - `terminate()` drops what the worker had logged but not yet handed over, so a worker that
//!   is terminated never logs. `terminate()`'s promise resolves with 1 after the `exit` event.
//! - One port delivers in order; two ports (two workers, or a worker's `parentPort` and a
//!   `MessageChannel` port it was given) do not, and a port's messages are not ordered against
//!   the sending worker's `exit` either (`exit` waits only for the worker's `parentPort`).
//! - Messages posted just before `process.exit(n)` or `port.close()` are still delivered.
//! - `parentPort.removeAllListeners("message")` does not let the worker end (the port stays
//!   referenced), whereas `close()` and removing the last listener with `off`/`once` do.
//! - `threadId` counts workers in creation order (the main thread is 0, eval workers count),
//!   and `worker.threadId` reads -1 once the worker has exited.
//! - Structured clone copies at the moment of posting; a transferred ArrayBuffer is detached
//!   (`byteLength` 0) in the sender; an `error` event carries an Error of the thrown class
//!   with its message.
//!
//! Hence each phase has a single *printer*: either the main thread (its workers are silent
//! and it prints as replies arrive from one port, in request/reply lockstep) or one worker (the
//! main thread and every other worker stay silent and the main thread stores what arrives, to
//! print it after every worker of the phase has exited). Main prints `error` and `exit` events
//! of a single worker as they come (they follow everything that worker logged); with several
//! workers it prints per-worker results in index order after `Promise.all` of their exits.
//! Inside one thread, asynchronous steps form one chain (each step waits for one timer,
//! immediate, tick or promise), so no two timers race; a worker that answers requests
//! asynchronously gets the next request only after its reply. Atomics are used only in
//! forms whose result is fixed: sums with `Atomics.add`, a gate awaited in a
//! `while (Atomics.load(...) === 0) Atomics.wait(...)` loop, `wait` on a slot nobody writes
//! (`"timed-out"`) or with a value it does not hold (`"not-equal"`); the count `notify`
//! returns is never printed.

use super::Gen;

/// Payload kinds: what the main thread sends and how the worker transforms it.
const KINDS: u32 = 9;

/// How a conversation (a request/reply phase) ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// Main sends "stop", the worker closes `parentPort` (exit 0).
    Close,
    /// Main sends "stop", the worker removes its listeners and closes the port a bit later.
    RemoveAll,
    /// Main sends "stop", the worker calls `process.exit(n)`.
    Exit(u32),
    /// Main sends "stop", the worker throws (an `error` event, exit 1).
    Throw,
    /// Main terminates the worker (exit 1); silent workers only.
    Terminate,
    /// The worker closes its port after its last reply.
    SelfClose,
    /// The conversation runs over a `MessageChannel` port given to the worker; main closes
    /// its end, and the worker, with nothing left to wait for, ends (exit 0).
    PortClosed,
}

struct Workers<'a> {
    g: &'a mut Gen,
    /// The worker branches of the program (`} else if (workerData.role === ...) {`).
    roles: String,
    /// Workers the program may still start (1 to 3 in all).
    workers_left: u32,
    /// The main thread uses the `ask(w, v)` helper.
    need_ask: bool,
    /// Phases so far; phase `p` names its values `w{p}`, `got{p}`, `codes{p}`...
    phases: u32,
}

/// Generate a whole workers-family program. Returns whether it deliberately ends fatally.
pub(super) fn program(g: &mut Gen) -> bool {
    let budget = g.rng.range(1, 3) as u32;
    let mut w = Workers {
        g,
        roles: String::new(),
        workers_left: budget,
        need_ask: false,
        phases: 0,
    };
    w.g.open("if (isMainThread) {");
    // 'exit', 'beforeExit' and 'unhandledRejection' hooks and process.exitCode, in the main
    // thread only (a worker has its own process object).
    w.g.process_hooks();
    let main = w.capture(2, |w| {
        while w.workers_left > 0 {
            if w.phases > 0 && w.g.rng.chance(35) {
                w.main_interlude();
            }
            w.phase();
            if w.g.lines() > 28 {
                break;
            }
        }
        if w.g.rng.chance(25) {
            w.in_thread_channel();
        }
    });
    w.g.line("const exitOf = (w) => new Promise((res) => w.once(\"exit\", res));");
    if w.need_ask {
        w.g.line("const ask = (w, v, transfer = []) => new Promise((res) => { w.once(\"message\", res); w.postMessage(v, transfer); });");
    }
    w.g.open("async function main() {");
    w.g.body.push_str(&main);
    let fatal = !w.g.no_fatal && w.g.rng.chance(10);
    if fatal {
        w.g.fatal_ending();
    } else {
        w.g.log();
    }
    w.g.close("}");
    w.g.line("main();");
    w.g.indent -= 1;
    let roles = std::mem::take(&mut w.roles);
    w.g.body.push_str(&roles);
    w.g.line("}");
    fatal
}

impl Workers<'_> {
    /// Runs `f` with an empty body at `indent` and returns the text it emitted.
    fn capture(&mut self, indent: usize, f: impl FnOnce(&mut Self)) -> String {
        let body = std::mem::take(&mut self.g.body);
        let saved_indent = std::mem::replace(&mut self.g.indent, indent);
        f(self);
        self.g.indent = saved_indent;
        std::mem::replace(&mut self.g.body, body)
    }

    /// Emits a worker branch `} else if (workerData.role === "ROLE") {` whose body `f` writes.
    fn role(&mut self, role: &str, f: impl FnOnce(&mut Self)) {
        let text = self.capture(1, f);
        self.roles
            .push_str(&format!("}} else if (workerData.role === \"{role}\") {{\n"));
        self.roles.push_str(&text);
    }

    /// Emits `const NAME = \`...\`;` holding the code of an eval worker that `f` writes.
    fn eval_code(&mut self, name: &str, f: impl FnOnce(&mut Self)) {
        let indent = self.g.indent + 1;
        let code = self.capture(indent, |w| {
            w.g.line("const { parentPort, workerData, threadId } = require(\"worker_threads\");");
            f(w);
        });
        let mut code = code;
        if code.contains("msg(") {
            // The program's own helpers are not in scope in an eval worker.
            let pad = "  ".repeat(indent);
            code = format!("{pad}const msg = (e) => (e instanceof Error ? e.name + \": \" + e.message : \"value \" + String(e));\n{code}");
        }
        let escaped = code
            .replace('\\', "\\\\")
            .replace('`', "\\`")
            .replace("${", "\\${");
        self.g.line(&format!("const {name} = `"));
        self.g.body.push_str(&escaped);
        self.g.line("`;");
    }

    /// One phase that uses some of the remaining workers.
    fn phase(&mut self) {
        self.phases += 1;
        let left = self.workers_left;
        match self.g.rng.below(11) {
            0..=3 => self.conversation(false),
            4 | 5 => self.fan_out(),
            6 | 7 => self.shared_memory(),
            8 | 9 if left >= 2 => self.relay(),
            8 | 9 => self.conversation(false),
            _ => self.conversation(true),
        }
    }

    /// `new Worker(...)` for a role of this file or, sometimes, for eval code.
    fn new_worker(&mut self, role: &str, data: &str, eval: bool) -> String {
        if eval {
            format!("new Worker(code{role}, {{ eval: true, workerData: {{ {data} }} }})")
        } else {
            format!(
                "new Worker(__filename, {{ workerData: {{ role: \"{role}\"{}{data} }} }})",
                if data.is_empty() { "" } else { ", " }
            )
        }
    }

    /// Writes the worker's code: a branch of this file or eval code named `code{role}`.
    fn worker_code(&mut self, role: &str, eval: bool, f: impl FnOnce(&mut Self)) {
        if eval {
            self.eval_code(&format!("code{role}"), f);
        } else {
            self.role(role, f);
        }
    }

    // ------------------------------------------------------------------ payloads

    /// A payload expression of `kind` for the main thread to send, and the worker's function
    /// that makes the reply from it. Kind 8 is an ArrayBuffer (sent with a transfer list).
    fn payload(&mut self, kind: u32) -> (String, &'static str) {
        let g = &mut self.g;
        match kind {
            0 => {
                let v = g.num_expr(1);
                let f = *g.rng.pick(&[
                    "(m) => m * 3 + 1",
                    "(m) => [m, typeof m, Object.is(m, -0), Number.isNaN(m)]",
                    "(m) => ({ twice: m * 2, str: String(m) })",
                ]);
                (v, f)
            }
            1 => {
                // (Some of the generator's string expressions are numbers.)
                let v = g.str_expr();
                let f = *g.rng.pick(&[
                    "(m) => String(m).toUpperCase() + String(m).length",
                    "(m) => String(m).split(\"\").reverse().join(\"\")",
                    "(m) => [m, typeof m, String(m).slice(1)]",
                ]);
                (v, f)
            }
            2 => {
                let (a, b, c) = (g.small_int(), g.small_int(), g.small_int());
                let v = format!("[{a}, [{b}, {c}], \"s\", null]");
                let f = *g.rng.pick(&[
                    "(m) => m.flat().map((x) => (typeof x === \"number\" ? x * 2 : x))",
                    "(m) => [m.length, Array.isArray(m[1]), ...m]",
                ]);
                (v, f)
            }
            3 => {
                let (a, b) = (g.small_int(), g.small_int());
                let s = g.rng.pick(&["x", "yy", "z z"]).to_string();
                let v = format!("{{ a: {a}, b: [{b}, \"{s}\"], c: {{ d: true, e: undefined }} }}");
                let f = *g.rng.pick(&[
                    "(m) => ({ ...m, keys: Object.keys(m), tid: threadId })",
                    "(m) => [m.c, m.b.length, \"e\" in m.c]",
                ]);
                (v, f)
            }
            4 => {
                let (a, b) = (g.small_int(), g.small_int());
                let v = format!("new Map([[\"a\", {a}], [{b}, [\"b\"]]])");
                let f = *g.rng.pick(&[
                    "(m) => [m instanceof Map, m.size, [...m.keys()]]",
                    "(m) => new Map([...m].map(([k, v]) => [String(v), k]))",
                ]);
                (v, f)
            }
            5 => {
                let (a, b) = (g.small_int(), g.small_int());
                let v = format!("new Set([{a}, \"two\", {b}, {a}])");
                let f = *g.rng.pick(&[
                    "(m) => new Set([...m].reverse())",
                    "(m) => [m instanceof Set, m.size, m.has(\"two\")]",
                ]);
                (v, f)
            }
            6 => {
                let days = g.rng.range(0, 20000);
                let v = format!("new Date({})", days * 86_400_000 + g.rng.range(0, 999));
                let f = *g.rng.pick(&[
                    "(m) => [m instanceof Date, m.toISOString()]",
                    "(m) => new Date(m.getTime() + 3600000)",
                ]);
                (v, f)
            }
            7 => {
                let a = g.small_int();
                let v = format!(
                    "{{ list: [new Map([[{a}, new Set([\"n\"])]])], when: new Date(0), deep: {{ a: [[{a}]] }} }}"
                );
                let f = *g.rng.pick(&[
                    "(m) => m",
                    "(m) => [m.list[0].get(m.deep.a[0][0]), m.when.getTime()]",
                ]);
                (v, f)
            }
            _ => {
                let n = g.rng.range(1, 6);
                let v = format!(
                    "new Uint8Array({n}).map((_, i) => i * {}).buffer",
                    g.rng.range(1, 9)
                );
                let f = *g.rng.pick(&[
                    "(m) => { new Uint8Array(m).reverse(); return m; }",
                    "(m) => { new Uint8Array(m)[0] = 200; return m; }",
                ]);
                (v, f)
            }
        }
    }

    // ------------------------------------------------------------------ phases

    /// One worker, requests and replies in lockstep, over `parentPort` or (`via_port`) over a
    /// `MessageChannel` port sent to the worker with a transfer list. Either the main thread
    /// prints each reply as it arrives (silent worker) or the worker logs and the replies are
    /// printed after its exit.
    fn conversation(&mut self, via_port: bool) {
        self.workers_left -= 1;
        self.need_ask = true;
        let p = self.phases;
        let role = format!("w{p}");
        let w = format!("w{p}");
        let chatty = self.g.rng.chance(40);
        let eval = self.g.rng.chance(30);
        let asynchronous = self.g.rng.chance(50);
        let ending = match self.g.rng.below(6) {
            _ if via_port => Ending::PortClosed,
            0 => Ending::Close,
            1 => Ending::RemoveAll,
            2 => Ending::Exit(self.g.rng.range(0, 4) as u32),
            3 => Ending::Throw,
            4 if !chatty => Ending::Terminate,
            _ => Ending::SelfClose,
        };
        let n = self.g.rng.range(1, 3) as usize;
        let requests: Vec<(u32, String, &'static str)> = (0..n)
            .map(|_| {
                let kind = self.g.rng.below(KINDS as usize) as u32;
                let (v, f) = self.payload(kind);
                (kind, v, f)
            })
            .collect();

        // The worker.
        let fns: Vec<&str> = requests.iter().map(|r| r.2).collect();
        self.worker_code(&role, eval, |w| {
            w.g.line(&format!("const steps = [{}];", fns.join(", ")));
            w.g.line("let n = 0;");
            let kw = if asynchronous { "async " } else { "" };
            let port = if via_port {
                // `once`: the port alone keeps the worker alive afterwards.
                w.g.open("parentPort.once(\"message\", ({ port }) => {");
                "port"
            } else {
                "parentPort"
            };
            w.g.open(&format!("{port}.on(\"message\", {kw}(m) => {{"));
            if !matches!(
                ending,
                Ending::SelfClose | Ending::Terminate | Ending::PortClosed
            ) {
                w.g.open("if (m === \"stop\") {");
                if chatty {
                    w.g.log_expr("threadId, \"stops\"");
                }
                match ending {
                    Ending::Close => w.g.line("parentPort.close();"),
                    Ending::RemoveAll => {
                        w.g.line("parentPort.removeAllListeners(\"message\");");
                        let l = w.g.label();
                        let log = if chatty {
                            format!("console.log(\"{l}\", n); ")
                        } else {
                            String::new()
                        };
                        w.g.line(&format!(
                            "setTimeout(() => {{ {log}parentPort.close(); }}, 1);"
                        ));
                    }
                    Ending::Exit(code) => w.g.line(&format!("process.exit({code});")),
                    _ => {
                        let class = *w.g.rng.pick(&["Error", "RangeError", "TypeError"]);
                        w.g.line(&format!(
                            "throw new {class}(\"{role} gives up after \" + n);"
                        ));
                    }
                }
                if matches!(ending, Ending::Close | Ending::RemoveAll) {
                    w.g.line("return;");
                }
                w.g.close("}");
            }
            if chatty {
                w.g.log_expr("threadId, m");
                if w.g.rng.chance(50) {
                    w.g.micro_stmt(0);
                }
            }
            if asynchronous {
                w.async_step(chatty);
            }
            w.g.line("const r = steps[n++](m);");
            w.g.line(&format!(
                "{port}.postMessage(r, r instanceof ArrayBuffer ? [r] : []);"
            ));
            if ending == Ending::SelfClose {
                w.g.line("if (n === steps.length) parentPort.close();");
            }
            w.g.close("});");
            if via_port {
                w.g.close("});");
            }
        });

        // The main thread.
        let data = if eval || self.g.rng.chance(50) {
            format!("k: {n}")
        } else {
            String::new()
        };
        let make = self.new_worker(&role, &data, eval);
        self.g.line(&format!("const {w} = {make};"));
        if ending == Ending::Throw {
            let l = self.g.label();
            self.g.line(&format!(
                "{w}.on(\"error\", (e) => console.log(\"{l} error\", e instanceof Error, e.name, e.message));"
            ));
        }
        self.g.line(&format!("const {w}exit = exitOf({w});"));
        // Who the main thread asks: the worker, or its end of the channel.
        let peer = if via_port {
            let ch = format!("ch{p}");
            self.g.line(&format!("const {ch} = new MessageChannel();"));
            self.g.line(&format!(
                "{w}.postMessage({{ port: {ch}.port2 }}, [{ch}.port2]);"
            ));
            format!("{ch}.port1")
        } else {
            w.clone()
        };
        if self.g.rng.chance(50) {
            // Requests are posted only once the worker is online, so a reply cannot race this.
            self.g.line(&format!(
                "await new Promise((res) => {w}.once(\"online\", res));"
            ));
            self.g.log_expr(&format!("\"online\", {w}.threadId"));
        }
        if chatty {
            self.g.line(&format!("const got{p} = [];"));
        }
        for (i, (kind, v, _)) in requests.iter().enumerate() {
            let (call, after) = if *kind == 8 {
                let ab = format!("ab{p}_{i}");
                self.g.line(&format!("const {ab} = {v};"));
                (
                    format!("await ask({peer}, {ab}, [{ab}])"),
                    format!(", \"sent\", {ab}.byteLength"),
                )
            } else if *kind == 3 && self.g.rng.chance(50) {
                // The clone is taken when posting: a later change does not travel.
                let o = format!("o{p}_{i}");
                self.g.line(&format!("const {o} = {v};"));
                let q = format!("q{p}_{i}");
                self.g.line(&format!("const {q} = ask({peer}, {o});"));
                self.g.line(&format!("{o}.a = \"changed\";"));
                (format!("await {q}"), format!(", {o}.a"))
            } else {
                (format!("await ask({peer}, {v})"), String::new())
            };
            let shown = if *kind == 8 {
                format!("new Uint8Array({call})")
            } else {
                call
            };
            if chatty {
                let item = if after.is_empty() {
                    shown
                } else {
                    format!("[{shown}{after}]")
                };
                self.g.line(&format!("got{p}.push({item});"));
            } else {
                self.g.log_expr(&format!("{shown}{after}"));
            }
        }
        match ending {
            Ending::SelfClose => {}
            Ending::PortClosed => self.g.line(&format!("{peer}.close();")),
            Ending::Terminate => {
                self.g
                    .log_expr(&format!("\"terminate\", await {w}.terminate()"));
            }
            _ => self.g.line(&format!("{w}.postMessage(\"stop\");")),
        }
        self.g.log_expr(&format!("\"exit\", await {w}exit"));
        if chatty {
            self.g.log_expr(&format!("got{p}"));
        }
    }

    /// One awaited asynchronous step inside a worker's async handler (a chain: it waits for
    /// exactly one thing), with a tick or a microtask around it when the worker may print.
    fn async_step(&mut self, chatty: bool) {
        let d = *self.g.rng.pick(&[0, 1, 2, 5]);
        let wait = match self.g.rng.below(4) {
            0 => format!("await new Promise((res) => setTimeout(res, {d}));"),
            1 => "await new Promise((res) => setImmediate(res));".to_string(),
            2 => "await new Promise((res) => process.nextTick(res));".to_string(),
            _ => "await null;".to_string(),
        };
        if chatty && self.g.rng.chance(50) {
            let l = self.g.label();
            self.g
                .line(&format!("process.nextTick(() => console.log(\"{l}\", n));"));
        }
        self.g.line(&wait);
    }

    /// 1 to 3 workers started at once on inputs from `workerData`; each posts a result or two
    /// and ends on its own. At most one of them prints; the main thread prints after all exits.
    fn fan_out(&mut self) {
        let k = self.g.rng.range(1, self.workers_left as i64) as usize;
        self.workers_left -= k as u32;
        let p = self.phases;
        let role = format!("w{p}");
        let eval = self.g.rng.chance(30);
        let printer = if self.g.rng.chance(50) {
            Some(self.g.rng.below(k))
        } else {
            None
        };
        let kind = self.g.rng.below(8) as u32;
        let (inputs, f): (Vec<String>, &str) = {
            let mut f = "";
            let v = (0..k)
                .map(|_| {
                    let (v, ff) = self.payload(kind);
                    f = ff;
                    v
                })
                .collect();
            (v, f)
        };
        // Which worker fails, and how.
        let failing = self.g.rng.below(k);
        let how = self.g.rng.below(4);
        let steps = self.g.rng.range(1, 3);
        self.worker_code(&role, eval, |w| {
            w.g.line("const { i, input } = workerData;");
            w.g.line(&format!("const f = {f};"));
            if let Some(c) = printer {
                let l = w.g.label();
                w.g.line(&format!(
                    "if (i === {c}) console.log(\"{l}\", \"worker\", i, threadId, input);"
                ));
            }
            w.g.line("parentPort.postMessage([\"first\", f(input)]);");
            let mut closes = Vec::new();
            for s in 1..=steps {
                let (open, close) = match w.g.rng.below(5) {
                    0 => (
                        "setTimeout(() => {".to_string(),
                        format!("}}, {});", w.g.rng.pick(&[0, 1, 3])),
                    ),
                    1 => ("setImmediate(() => {".to_string(), "});".to_string()),
                    2 => ("process.nextTick(() => {".to_string(), "});".to_string()),
                    3 => (
                        "Promise.resolve(i).then((v) => {".to_string(),
                        "});".to_string(),
                    ),
                    _ => ("(async () => {".to_string(), "})();".to_string()),
                };
                w.g.open(&open);
                if open.starts_with("(async") {
                    w.g.line("await new Promise((res) => setImmediate(res));");
                }
                if let Some(c) = printer {
                    let l = w.g.label();
                    if w.g.rng.chance(40) {
                        w.g.open(&format!("if (i === {c}) {{"));
                        w.g.line(&format!("console.log(\"{l}\", i, {s});"));
                        w.g.micro_stmt(0);
                        w.g.close("}");
                    } else {
                        w.g.line(&format!("if (i === {c}) console.log(\"{l}\", i, {s});"));
                    }
                }
                if w.g.rng.chance(50) || s == steps {
                    w.g.line(&format!("parentPort.postMessage([\"step {s}\", i * {s}]);"));
                }
                closes.push(close);
            }
            match how {
                0 => {
                    w.g.line(&format!("if (i === {failing}) process.exit(i + 3);"))
                }
                1 => {
                    let class = *w.g.rng.pick(&["Error", "RangeError", "TypeError"]);
                    w.g.line(&format!(
                        "if (i === {failing}) throw new {class}(\"worker \" + i + \" failed\");"
                    ));
                }
                _ => {}
            }
            for c in closes.into_iter().rev() {
                w.g.close(&c);
            }
        });

        let ws = format!("ws{p}");
        self.g
            .line(&format!("const in{p} = [{}];", inputs.join(", ")));
        let make = self.new_worker(&role, "i, input", eval);
        self.g
            .line(&format!("const {ws} = in{p}.map((input, i) => {make});"));
        // An `error` event is not ordered against the worker's messages: kept apart.
        self.g.line(&format!("const out{p} = {ws}.map(() => []);"));
        self.g.line(&format!("const err{p} = [];"));
        self.g.line(&format!(
            "{ws}.forEach((w, i) => {{ w.on(\"message\", (m) => out{p}[i].push(m)); w.on(\"error\", (e) => {{ err{p}[i] = e.name + \": \" + e.message; }}); }});"
        ));
        self.g.line(&format!(
            "const codes{p} = await Promise.all({ws}.map(exitOf));"
        ));
        let l = self.g.label();
        self.g.line(&format!(
            "out{p}.forEach((o, i) => console.log(\"{l}\", i, o, err{p}[i], codes{p}[i]));"
        ));
    }

    /// 1 or 2 workers share a `SharedArrayBuffer`: they add to a counter, fill their own slot,
    /// wait at a gate that the main thread (or the other worker) opens, and report the
    /// results of waits whose outcome is fixed.
    fn shared_memory(&mut self) {
        let k = if self.workers_left >= 2 && self.g.rng.chance(50) {
            2
        } else {
            1
        };
        self.workers_left -= k as u32;
        let p = self.phases;
        let role = format!("w{p}");
        let eval = self.g.rng.chance(25);
        let adds = self.g.rng.range(1, 6);
        let mul = self.g.rng.range(2, 9);
        // The gate is opened by the main thread, or by worker 1 when there are two.
        let worker_opens = k == 2 && self.g.rng.chance(50);
        let timeout = *self.g.rng.pick(&[0, 1, 3]);
        self.worker_code(&role, eval, |w| {
            w.g.line("const { sab, i } = workerData;");
            w.g.line("const ia = new Int32Array(sab);");
            w.g.line(&format!(
                "for (let k = 0; k < {adds}; k++) Atomics.add(ia, 0, i + 1);"
            ));
            w.g.line(&format!("Atomics.store(ia, 1 + i, ia[7] * {mul} + i);"));
            if worker_opens {
                w.g.line("if (i === 1) { Atomics.store(ia, 4, 1); Atomics.notify(ia, 4); }");
            }
            w.g.line("while (Atomics.load(ia, 4) === 0) Atomics.wait(ia, 4, 0);");
            w.g.line(&format!(
                "parentPort.postMessage([i, Atomics.wait(ia, 5, 0, {timeout}), Atomics.wait(ia, 6, 1), Atomics.load(ia, 4)]);"
            ));
        });
        let ia = format!("ia{p}");
        self.g.line(&format!(
            "const {ia} = new Int32Array(new SharedArrayBuffer(32));"
        ));
        let seed_value = self.g.rng.range(1, 50);
        self.g
            .line(&format!("Atomics.store({ia}, 7, {seed_value});"));
        let ws = format!("ws{p}");
        let make = self.new_worker(&role, &format!("sab: {ia}.buffer, i"), eval);
        let list: Vec<String> = (0..k).map(|i| i.to_string()).collect();
        self.g.line(&format!(
            "const {ws} = [{}].map((i) => {make});",
            list.join(", ")
        ));
        self.g.line(&format!("const got{p} = [];"));
        self.g.line(&format!(
            "{ws}.forEach((w, i) => w.on(\"message\", (m) => {{ got{p}[i] = m; }}));"
        ));
        if !worker_opens {
            let d = *self.g.rng.pick(&[0, 2, 5]);
            self.g.line(&format!(
                "setTimeout(() => {{ Atomics.store({ia}, 4, 1); Atomics.notify({ia}, 4); }}, {d});"
            ));
        }
        self.g.line(&format!(
            "const codes{p} = await Promise.all({ws}.map(exitOf));"
        ));
        self.g.log_expr(&format!(
            "Atomics.load({ia}, 0), Array.from({ia}.subarray(1, 4)), got{p}, codes{p}"
        ));
    }

    /// Two workers joined by a `MessageChannel`: each gets one port with a transfer list; the
    /// first sends numbers to the second, which sums them and reports to the main thread.
    fn relay(&mut self) {
        self.workers_left -= 2;
        let p = self.phases;
        let (ra, rb) = (format!("w{p}a"), format!("w{p}b"));
        let n = self.g.rng.range(1, 4);
        let eval = self.g.rng.chance(25);
        self.worker_code(&ra, eval, |w| {
            w.g.open("parentPort.once(\"message\", ({ port, base }) => {");
            w.g.line("for (let k = 1; k <= workerData.n; k++) port.postMessage(base * k);");
            w.g.close("});");
        });
        // The second worker ends when its port closes (its `parentPort` listener was a
        // `once`), or by `process.exit`.
        let exits = self.g.rng.chance(50);
        self.worker_code(&rb, false, |w| {
            w.g.open("parentPort.once(\"message\", ({ port }) => {");
            w.g.line("const seen = [];");
            w.g.open("port.on(\"message\", (v) => {");
            w.g.line("seen.push(v);");
            w.g.open("if (seen.length === workerData.n) {");
            w.g.line("parentPort.postMessage({ seen, sum: seen.reduce((a, b) => a + b, 0) });");
            w.g.line("port.close();");
            if exits {
                w.g.line("process.exit(workerData.n);");
            }
            w.g.close("}");
            w.g.close("});");
            w.g.close("});");
        });
        let base = self.g.small_int();
        let ch = format!("ch{p}");
        self.g.line(&format!("const {ch} = new MessageChannel();"));
        let a = self.new_worker(&ra, &format!("n: {n}"), eval);
        let b = self.new_worker(&rb, &format!("n: {n}"), false);
        self.g.line(&format!("const a{p} = {a};"));
        self.g.line(&format!("const b{p} = {b};"));
        self.g.line(&format!(
            "a{p}.postMessage({{ port: {ch}.port1, base: {base} }}, [{ch}.port1]);"
        ));
        self.g.line(&format!(
            "b{p}.postMessage({{ port: {ch}.port2 }}, [{ch}.port2]);"
        ));
        self.g.line(&format!("const got{p} = [];"));
        self.g
            .line(&format!("b{p}.on(\"message\", (m) => got{p}.push(m));"));
        self.g.line(&format!(
            "const codes{p} = await Promise.all([a{p}, b{p}].map(exitOf));"
        ));
        self.g.log_expr(&format!("got{p}, codes{p}"));
    }

    /// A `MessageChannel` inside the main thread (no worker running): values posted on one
    /// port arrive in order at the other, which closes when it has them all.
    fn in_thread_channel(&mut self) {
        let p = self.phases + 1;
        self.phases += 1;
        let ch = format!("ch{p}");
        let n = self.g.rng.range(1, 3) as usize;
        self.g.line(&format!("const {ch} = new MessageChannel();"));
        let l = self.g.label();
        self.g.line(&format!(
            "const done{p} = new Promise((res) => {{ let n = 0; {ch}.port2.on(\"message\", (v) => {{ console.log(\"{l}\", v); if (++n === {n}) {{ {ch}.port2.close(); res(n); }} }}); }});"
        ));
        for _ in 0..n {
            let kind = self.g.rng.below(8) as u32;
            let (v, _) = self.payload(kind);
            self.g.line(&format!("{ch}.port1.postMessage({v});"));
        }
        self.g.log_expr(&format!("\"posted\", await done{p}"));
    }

    /// Main-thread work between phases (no worker is running): microtasks, a plain block, or
    /// one awaited timer or immediate.
    fn main_interlude(&mut self) {
        match self.g.rng.below(4) {
            0 => self.g.micro_stmt(0),
            1 => self.g.plain_block(),
            2 => {
                let d = *self.g.rng.pick(&[0, 1, 4]);
                let l = self.g.label();
                self.g.line(&format!(
                    "await new Promise((res) => setTimeout(res, {d})); console.log(\"{l}\");"
                ));
            }
            _ => {
                let (l1, l2) = (self.g.label(), self.g.label());
                self.g.line(&format!(
                    "process.nextTick(() => console.log(\"{l1}\")); await new Promise((res) => setImmediate(res)); console.log(\"{l2}\");"
                ));
            }
        }
    }
}
