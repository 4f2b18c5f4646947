//! The microtask family: promise chains, async functions, thenables, combinators,
//! `Promise.withResolvers`, `queueMicrotask`, `process.nextTick`, and late-handled rejections.
//!
//! Nothing here creates a macrotask, so every statement is safe to use inside a macrotask
//! callback too (the macro family does that): all of it settles within one microtask drain,
//! so a rejection is always handled before Node looks for unhandled ones.

use super::Gen;

/// Generate a whole microtask-family program. Returns whether it deliberately ends fatally.
pub(super) fn program(g: &mut Gen) -> bool {
    let target = g.rng.range(24, 62) as usize;
    while g.lines() < target {
        if g.rng.chance(22) {
            g.plain_block();
        } else {
            g.micro_stmt(2);
        }
    }
    if !g.no_fatal && g.rng.chance(15) {
        g.fatal_ending();
        true
    } else {
        false
    }
}

impl Gen {
    /// `setTimeout(cb, d)` whose callback logs a fresh label and maybe queues a microtask
    /// (shared by the macro and io families).
    pub(crate) fn small_timer(&mut self, d: u32) {
        let l = self.label();
        if self.rng.chance(40) {
            self.open("setTimeout(() => {");
            self.line(&format!("console.log(\"{l}\");"));
            self.micro_stmt(0);
            self.close(&format!("}}, {d});"));
        } else {
            self.line(&format!("setTimeout(() => console.log(\"{l}\"), {d});"));
        }
    }

    /// One microtask-producing statement (possibly nested up to `depth`).
    pub(crate) fn micro_stmt(&mut self, depth: u32) {
        match self.rng.below(if depth == 0 { 4 } else { 11 }) {
            0 => self.chain(depth),
            1 => self.tick_or_qm(depth),
            2 => self.combinator(),
            3 => {
                let v = self.value_expr();
                self.log_expr(&v);
            }
            4 | 5 => self.async_fn(depth),
            6 => self.with_resolvers(),
            7 => self.late_rejection(),
            8 => self.chain(depth),
            9 => self.tick_or_qm(depth),
            _ => {
                if self.rng.chance(10) {
                    self.async_generator()
                } else {
                    self.executor_promise(depth)
                }
            }
        }
    }

    /// An async generator consumed with `for await`, interleaving with everything else.
    fn async_generator(&mut self) {
        self.need_msg = true;
        let g = self.var("ag");
        let (a1, _) = self.awaitable(false);
        let (a2, _) = self.awaitable(false);
        let l1 = self.label();
        self.open(&format!("async function* {g}() {{"));
        self.line(&format!("console.log(\"{l1}\");"));
        self.line("yield 1;");
        self.line(&format!("yield {a1};"));
        self.line("await null;");
        self.line(&format!("yield await {a2};"));
        self.close("}");
        let l2 = self.label();
        let l3 = self.label();
        let l4 = self.label();
        if self.rng.chance(50) {
            self.line(&format!(
                "(async () => {{ for await (const v of {g}()) console.log(\"{l2}\", v); console.log(\"{l3}\"); }})().catch((e) => console.log(\"{l4}\", msg(e)));"
            ));
        } else {
            let it = self.var("it");
            self.line(&format!("const {it} = {g}();"));
            self.line(&format!(
                "{it}.next().then((r) => console.log(\"{l2}\", r)); {it}.next().then((r) => console.log(\"{l3}\", r)); {it}.return(7).then((r) => console.log(\"{l4}\", r));"
            ));
        }
    }

    /// A small integer used as a promise value.
    fn pval(&mut self) -> String {
        self.rng.range(0, 9).to_string()
    }

    fn err_ctor(&mut self) -> &'static str {
        self.rng.pick(&["Error", "TypeError", "RangeError"])
    }

    /// An expression to await / resolve with / put in a combinator. Returns (expr, may_reject).
    /// Thenables and executors log, so the extra ticks they cost are visible.
    pub(crate) fn awaitable(&mut self, allow_reject: bool) -> (String, bool) {
        let v = self.pval();
        if allow_reject && self.rng.chance(30) {
            self.need_msg = true;
            let e = self.var("e");
            let c = self.err_ctor();
            let x = match self.rng.below(5) {
                0 => format!("Promise.reject(new {c}(\"{e}\"))"),
                1 => format!("{{ then(_, rej) {{ rej(new {c}(\"{e}\")); }} }}"),
                2 => format!("new Promise((_, rej) => rej(\"plain {e}\"))"),
                3 => format!("(async () => {{ throw new {c}(\"{e}\"); }})()"),
                _ => format!("new Promise(() => {{ throw new {c}(\"{e}\"); }})"),
            };
            return (x, true);
        }
        let x = match self.rng.below(9) {
            0 => v,
            1 => format!("Promise.resolve({v})"),
            2 => {
                let l = self.label();
                format!("{{ then(res) {{ console.log(\"{l}\"); res({v}); }} }}")
            }
            3 => {
                let l = self.label();
                format!("new Promise((res) => {{ console.log(\"{l}\"); res({v}); }})")
            }
            4 => format!("new Promise((res) => queueMicrotask(() => res({v})))"),
            5 => format!("new Promise((res) => process.nextTick(res, {v}))"),
            6 => format!("(async () => {{ await null; return {v}; }})()"),
            7 => format!("new Promise((res) => res(Promise.resolve({v})))"),
            _ => {
                let l = self.label();
                format!("Promise.resolve({{ then(r) {{ console.log(\"{l}\"); r({v}); }} }})")
            }
        };
        (x, false)
    }

    /// `Promise.resolve(v).then(...).catch(...).finally(...)`.
    fn chain(&mut self, depth: u32) {
        self.need_msg = true;
        let (src, mut rej) = match self.rng.below(4) {
            0 => {
                let v = self.pval();
                (format!("Promise.resolve({v})"), false)
            }
            1 => self.awaitable(true),
            2 => {
                let (a, r) = self.awaitable(true);
                (format!("Promise.resolve({a})"), r)
            }
            _ => {
                let v = self.pval();
                (format!("new Promise((res) => res({v}))"), false)
            }
        };
        // An awaitable might be a plain value or a thenable object: wrap it.
        let src = if src.starts_with("Promise") || src.starts_with("new Promise") {
            src
        } else {
            format!("Promise.resolve({src})")
        };
        self.line(&src);
        self.indent += 1;
        let steps = self.rng.range(1, 4);
        for _ in 0..steps {
            match self.rng.below(6) {
                0..=2 => {
                    self.open(".then((v) => {");
                    self.log_expr("v");
                    if depth > 0 && self.rng.chance(25) {
                        self.micro_stmt(depth - 1);
                    }
                    let (r, rr) = self.handler_return();
                    rej = rej || rr;
                    self.line(&r);
                    self.close("})");
                }
                3 => {
                    let l1 = self.label();
                    let l2 = self.label();
                    self.line(&format!(
                        ".then((v) => {{ console.log(\"{l1}\", v); return v + 1; }}, (e) => {{ console.log(\"{l2}\", msg(e)); return -1; }})"
                    ));
                    rej = false;
                }
                4 => {
                    let l = self.label();
                    if self.rng.chance(25) {
                        // Non-function handlers pass the value or the reason through.
                        let pass =
                            self.rng
                                .pick(&[".then()", ".then(null)", ".then(undefined, null)"]);
                        self.line(pass);
                    } else if self.rng.chance(30) {
                        self.line(&format!(
                            ".then(null, (e) => {{ console.log(\"{l}\", msg(e)); return 0; }})"
                        ));
                        rej = false;
                    } else {
                        self.line(&format!(
                            ".catch((e) => {{ console.log(\"{l}\", msg(e)); return 0; }})"
                        ));
                        rej = false;
                    }
                }
                _ => {
                    let l = self.label();
                    let body = match self.rng.below(3) {
                        0 => format!("console.log(\"{l}\")"),
                        1 => format!("{{ console.log(\"{l}\"); return Promise.resolve(99); }}"),
                        _ => format!(
                            "{{ console.log(\"{l}\"); return {{ then(r) {{ r(98); }} }}; }}"
                        ),
                    };
                    self.line(&format!(".finally(() => {body})"));
                }
            }
        }
        if rej {
            let l = self.label();
            self.line(&format!(".catch((e) => console.log(\"{l}\", msg(e)))"));
        }
        self.terminate();
        self.indent -= 1;
    }

    /// What a `.then` handler returns: a value, a promise, a thenable, or a rejection.
    fn handler_return(&mut self) -> (String, bool) {
        match self.rng.below(7) {
            0 | 1 => ("return v * 2 + 1;".to_string(), false),
            2 => {
                let (a, r) = self.awaitable(true);
                (format!("return {a};"), r)
            }
            3 => {
                let e = self.var("t");
                (format!("throw new Error(\"{e}\");"), true)
            }
            4 => ("return [v, String(v)];".to_string(), false),
            _ => {
                let (a, r) = self.awaitable(false);
                (format!("return {a};"), r)
            }
        }
    }

    /// `process.nextTick(cb, args...)` or `queueMicrotask(cb)` with a nested body.
    fn tick_or_qm(&mut self, depth: u32) {
        let tick = self.rng.chance(50);
        let l = self.label();
        let nargs = if tick { self.rng.below(3) } else { 0 };
        if tick {
            let params = ["a", "b"][..nargs].join(", ");
            self.open(&format!("process.nextTick(({params}) => {{"));
            if nargs > 0 {
                self.line(&format!("console.log(\"{l}\", {params});"));
            } else {
                self.line(&format!("console.log(\"{l}\");"));
            }
        } else {
            self.open("queueMicrotask(() => {");
            self.line(&format!("console.log(\"{l}\");"));
        }
        if depth > 0 {
            let n = self.rng.range(0, 2);
            for _ in 0..n {
                self.micro_stmt(depth - 1);
            }
        }
        if tick {
            let nargs_vals: Vec<String> = (0..nargs).map(|_| self.value_expr()).collect();
            let tail = if nargs_vals.is_empty() {
                String::new()
            } else {
                format!(", {}", nargs_vals.join(", "))
            };
            self.close(&format!("}}{tail});"));
        } else {
            self.close("});");
        }
    }

    /// `Promise.all / allSettled / race / any` over a few awaitables.
    fn combinator(&mut self) {
        self.need_msg = true;
        let n = self.rng.range(1, 4);
        let mut xs = Vec::new();
        for _ in 0..n {
            xs.push(self.awaitable(true).0);
        }
        let arr = xs.join(", ");
        let l1 = self.label();
        let l2 = self.label();
        match self.rng.below(4) {
            0 => self.line(&format!(
                "Promise.all([{arr}]).then((vs) => console.log(\"{l1}\", vs), (e) => console.log(\"{l2}\", msg(e)));"
            )),
            1 => self.line(&format!(
                "Promise.allSettled([{arr}]).then((rs) => console.log(\"{l1}\", rs.map((r) => (r.status === \"fulfilled\" ? r.value : msg(r.reason)))));"
            )),
            2 => self.line(&format!(
                "Promise.race([{arr}]).then((v) => console.log(\"{l1}\", v), (e) => console.log(\"{l2}\", msg(e)));"
            )),
            _ => self.line(&format!(
                "Promise.any([{arr}]).then((v) => console.log(\"{l1}\", v), (e) => console.log(\"{l2}\", e instanceof AggregateError, e.message, e.errors.map(msg)));"
            )),
        }
    }

    /// An async function (declaration or arrow) called twice, with awaits, try/catch and
    /// maybe a throw; both calls are handled.
    fn async_fn(&mut self, depth: u32) {
        self.need_msg = true;
        let prefix = if self.rng.chance(50) { "af" } else { "aa" };
        let name = self.var(prefix);
        let arrow = name.starts_with("aa");
        if arrow {
            self.open(&format!("const {name} = async (p) => {{"));
        } else {
            self.open(&format!("async function {name}(p) {{"));
        }
        self.log_expr("p");
        let a = self.var("a");
        let (aw, _) = self.awaitable(false);
        self.line(&format!("const {a} = await {aw};"));
        self.log_expr(&a);
        if self.rng.chance(50) {
            let (rj, _) = self.awaitable(true);
            self.open("try {");
            self.line(&format!("await {rj};"));
            self.log();
            self.close("} catch (e) {");
            self.indent += 1;
            let l = self.label();
            self.line(&format!("console.log(\"{l}\", msg(e));"));
            if self.rng.chance(40) {
                self.close("} finally {");
                self.indent += 1;
                self.log();
            }
            self.close("}");
        }
        if self.rng.chance(40) {
            let l = self.label();
            let n = self.rng.range(1, 3);
            self.line(&format!(
                "for (let i = 0; i < {n}; i++) {{ await null; console.log(\"{l}\", p, i); }}"
            ));
        }
        if depth > 0 && self.rng.chance(40) {
            self.micro_stmt(depth - 1);
        }
        let th = self.rng.range(2, 8);
        if self.rng.chance(50) {
            self.line(&format!(
                "if (p > {th}) throw new RangeError(\"big \" + p);"
            ));
        }
        // Returning a promise or a thenable from an async function costs extra ticks.
        let ret = match self.rng.below(5) {
            0 => format!("return Promise.resolve(p + {a});"),
            1 => format!("return {{ then(r) {{ r(p - {a}); }} }};"),
            2 => "return await Promise.resolve(p);".to_string(),
            _ => format!("return p * 2 + {a};"),
        };
        self.line(&ret);
        self.close(if arrow { "};" } else { "}" });
        let calls = self.rng.range(1, 2);
        for _ in 0..calls {
            let p = self.rng.range(0, 9);
            let l1 = self.label();
            let l2 = self.label();
            self.line(&format!(
                "{name}({p}).then((v) => console.log(\"{l1}\", v), (e) => console.log(\"{l2}\", msg(e)));"
            ));
        }
    }

    /// `Promise.withResolvers()` (or the equivalent), settled later from a tick/microtask.
    fn with_resolvers(&mut self) {
        self.need_msg = true;
        self.need_with_resolvers = true;
        let w = self.var("wr");
        let l1 = self.label();
        let l2 = self.label();
        self.line(&format!("const {w} = withResolvers();"));
        self.line(&format!(
            "{w}.promise.then((v) => console.log(\"{l1}\", v), (e) => console.log(\"{l2}\", msg(e)));"
        ));
        let settle = if self.rng.chance(25) {
            format!("{w}.reject(new Error(\"{w}\"))")
        } else {
            let (a, _) = self.awaitable(true);
            format!("{w}.resolve({a})")
        };
        let l = self.label();
        match self.rng.below(3) {
            0 => self.line(&format!(
                "process.nextTick(() => {{ console.log(\"{l}\"); {settle}; }});"
            )),
            1 => self.line(&format!(
                "queueMicrotask(() => {{ console.log(\"{l}\"); {settle}; }});"
            )),
            _ => self.line(&format!(
                "Promise.resolve().then(() => {{ console.log(\"{l}\"); {settle}; }});"
            )),
        }
    }

    /// A rejected promise whose handler is attached later in the same drain.
    fn late_rejection(&mut self) {
        self.need_msg = true;
        let p = self.var("lr");
        let c = self.err_ctor();
        self.line(&format!(
            "const {p} = Promise.reject(new {c}(\"late {p}\"));"
        ));
        let l = self.label();
        let attach = format!("{p}.catch((e) => console.log(\"{l}\", msg(e)))");
        match self.rng.below(3) {
            0 => self.line(&format!("process.nextTick(() => {attach});")),
            1 => self.line(&format!("queueMicrotask(() => {attach});")),
            _ => self.line(&format!(
                "Promise.resolve().then(() => Promise.resolve()).then(() => {attach});"
            )),
        }
    }

    /// `new Promise(executor)` that logs synchronously and settles now or later.
    fn executor_promise(&mut self, depth: u32) {
        self.need_msg = true;
        let l = self.label();
        self.open("new Promise((res, rej) => {");
        self.line(&format!("console.log(\"{l}\");"));
        if depth > 0 && self.rng.chance(30) {
            self.micro_stmt(depth - 1);
        }
        let v = self.pval();
        match self.rng.below(4) {
            0 => self.line(&format!("res({v});")),
            1 => self.line(&format!("process.nextTick(() => res({v}));")),
            2 => self.line(&format!("queueMicrotask(() => rej(new Error(\"x{v}\")));")),
            _ => {
                let (a, _) = self.awaitable(true);
                self.line(&format!("res({a});"));
            }
        }
        let l1 = self.label();
        let l2 = self.label();
        self.close(&format!(
            "}}).then((v) => console.log(\"{l1}\", v), (e) => console.log(\"{l2}\", msg(e)));"
        ));
    }

    /// End the program with an uncaught error or an unhandled rejection (exit code 1).
    pub(crate) fn fatal_ending(&mut self) {
        self.log();
        let l = self.label();
        match self.rng.below(5) {
            0 => self.line("Promise.reject(new Error(\"unhandled at the end\"));"),
            1 => self.line(&format!(
                "process.nextTick(() => {{ console.log(\"{l}\"); throw new Error(\"uncaught in tick\"); }});"
            )),
            2 => self.line(&format!(
                "queueMicrotask(() => {{ console.log(\"{l}\"); throw new TypeError(\"uncaught in microtask\"); }});"
            )),
            3 => self.line(&format!(
                "(async () => {{ console.log(\"{l}\"); await null; throw new Error(\"async unhandled\"); }})();"
            )),
            _ => self.line("throw new Error(\"uncaught at top level\");"),
        }
    }
}
