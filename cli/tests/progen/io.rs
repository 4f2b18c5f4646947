//! The I/O family: `fs` callbacks and `fs.promises` on real files, `EventEmitter` (synchronous
//! emit, `once`, `prependListener`, the `error` event, `events.once`) and `timers/promises`,
//! mixed with immediates, small timers, ticks and microtasks.
//!
//! # Why Node's order is deterministic
//! Real I/O takes an unknown time, so a program is one *chain* of stages: each stage waits for
//! exactly one thing (an fs operation, a timer, an interval's k-th run, an immediate, or an
//! emitter event fired by one of those), and the next stage starts from that wait's
//! continuation. Nothing else that takes time is ever pending when a wait completes, so no
//! two I/O operations, and no I/O and timer, ever race. Around a wait, a stage only adds
//! callbacks whose order against it is fixed by the loop's structure, judged by the phase the
//! stage runs in ([`Ctx`]):
//! - immediates (depth 1) before an I/O or timer wait only when the stage runs in the poll
//!   phase (an I/O callback or the continuation of an awaited fs promise): this loop
//!   iteration's check phase comes before any later poll or timers phase. From the main module
//!   or a timer callback an fs operation can finish in the very next poll phase, before the
//!   check phase, and from the check phase a timer can beat the next iteration's immediates.
//! - immediates before an immediate wait anywhere (the queue is FIFO);
//! - small `setTimeout`s before a timer wait only, with non-decreasing delays not above the
//!   wait's own (same duration list and creation order, or an earlier due time), so they fire
//!   first; they only log and queue microtasks.
//!
//! Concurrent `fs.promises` reads appear only as `Promise.all` whose *values* are printed, in
//! the array's order, whichever finished first. `readdir` lists the program's own directory:
//! the differential test gives every program a directory of its own, emptied before each run
//! (files written by an earlier run would otherwise show).

use super::Gen;

/// The loop phase the current code runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    Main,
    /// An I/O callback or a continuation of an fs promise.
    Poll,
    /// A timer callback or a continuation of a timer promise.
    Timers,
    /// An immediate callback or a continuation of an immediate promise.
    Check,
}

/// What a stage waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wait {
    Io,
    /// A timer of this many ms.
    Timer(u32),
    Immediate,
}

impl Wait {
    fn after(self) -> Ctx {
        match self {
            Wait::Io => Ctx::Poll,
            Wait::Timer(_) => Ctx::Timers,
            Wait::Immediate => Ctx::Check,
        }
    }
}

struct Io<'a> {
    g: &'a mut Gen,
    /// Files the program has written so far (name, content): reads only target these, the
    /// program itself, or names never written (ENOENT).
    files: Vec<(String, String)>,
}

/// Generate a whole I/O-family program. Returns whether it deliberately ends fatally.
pub(super) fn program(g: &mut Gen) -> bool {
    g.need_fs = true;
    g.need_io = true;
    let mut io = Io {
        g,
        files: Vec::new(),
    };
    let n = io.g.rng.range(3, 6) as u32;
    let fatal = !io.g.no_fatal && io.g.rng.chance(12);
    io.g.line("s1();");
    let mut ctx = Ctx::Main;
    for k in 1..=n {
        // A long program ends its chain early (the last stage calls no successor).
        let last = k == n || io.g.lines() > 45;
        ctx = io.stage(k, last, fatal, ctx);
        if last {
            break;
        }
    }
    fatal
}

impl Io<'_> {
    /// Emits `function sK() { ... }` and returns the context its successor runs in.
    fn stage(&mut self, k: u32, last: bool, fatal: bool, ctx: Ctx) -> Ctx {
        let wait = self.pick_wait();
        let promise_style = self.g.rng.chance(50);
        let kw = if promise_style {
            "async function"
        } else {
            "function"
        };
        self.g.open(&format!("{kw} s{k}() {{"));
        self.decorations(ctx, wait);
        let next_ctx = wait.after();
        let end = |io: &mut Io<'_>| {
            let n = io.g.rng.range(0, 2);
            for _ in 0..n {
                io.sync_decoration();
            }
            if last {
                if fatal {
                    io.g.fatal_ending();
                } else {
                    io.g.log();
                }
            } else {
                io.g.line(&format!("s{}();", k + 1));
            }
        };
        match wait {
            Wait::Io => self.io_wait(promise_style, &end),
            Wait::Timer(d) => self.timer_wait(d, promise_style, &end),
            Wait::Immediate => self.immediate_wait(promise_style, &end),
        }
        self.g.close("}");
        next_ctx
    }

    fn pick_wait(&mut self) -> Wait {
        match self.g.rng.below(10) {
            0..=4 => Wait::Io,
            5..=7 => Wait::Timer(*self.g.rng.pick(&[1, 2, 3, 5, 10])),
            _ => Wait::Immediate,
        }
    }

    /// Statements before the wait: synchronous ones anywhere, immediates and small timers only
    /// where their order against `wait` is fixed (see the module docs).
    fn decorations(&mut self, ctx: Ctx, wait: Wait) {
        let immediates_ok = wait == Wait::Immediate || ctx == Ctx::Poll;
        let mut timer_floor = 0;
        for _ in 0..self.g.rng.range(1, 3) {
            match self.g.rng.below(10) {
                0..=2 if immediates_ok => self.immediate(),
                3 | 4 => match wait {
                    Wait::Timer(d) if timer_floor <= d => {
                        timer_floor = self.g.rng.range(timer_floor as i64, d as i64) as u32;
                        self.g.small_timer(timer_floor);
                    }
                    _ => self.sync_decoration(),
                },
                _ => self.sync_decoration(),
            }
        }
    }

    /// A depth-1 `setImmediate` that logs (and maybe queues a microtask).
    fn immediate(&mut self) {
        let l = self.g.label();
        if self.g.rng.chance(40) {
            self.g.open("setImmediate(() => {");
            self.g.line(&format!("console.log(\"{l}\");"));
            self.g.micro_stmt(0);
            self.g.close("});");
        } else {
            let a = self.g.value_expr();
            self.g.line(&format!(
                "setImmediate((x) => console.log(\"{l}\", x), {a});"
            ));
        }
    }

    /// One statement whose effects all happen before the current callback's drain ends.
    fn sync_decoration(&mut self) {
        match self.g.rng.below(9) {
            0 | 1 => self.g.micro_stmt(0),
            2 | 3 => self.emitter_block(),
            4 => self.sync_fs(),
            5 => {
                let l = self.g.label();
                let a = self.g.value_expr();
                self.g.line(&format!(
                    "process.nextTick((x) => console.log(\"{l}\", x), {a});"
                ));
            }
            6 => self.g.plain_block(),
            _ => {
                let v = self.g.value_expr();
                self.g.log_expr(&v);
            }
        }
    }

    /// A fresh file name and content for this program.
    fn new_file(&mut self) -> (String, String) {
        let name = format!("f{}.txt", self.g.var(""));
        let content = match self.g.rng.below(4) {
            0 => format!("line one\\nline {}", self.g.rng.below(100)),
            1 => "x".repeat(self.g.rng.range(0, 12) as usize),
            2 => format!("{{\\\"n\\\": {}}}", self.g.rng.below(1000)),
            _ => format!("caf\\u00e9 {}", self.g.rng.below(10)),
        };
        (name, content)
    }

    /// An existing file to read: one written earlier, or the program itself.
    fn existing_file(&mut self) -> String {
        if self.files.is_empty() || self.g.rng.chance(20) {
            "__filename".to_string()
        } else {
            let i = self.g.rng.below(self.files.len());
            format!("here(\"{}\")", self.files[i].0)
        }
    }

    /// A name no run ever writes.
    fn missing_file(&mut self) -> String {
        format!("here(\"missing{}.txt\")", self.g.rng.below(10))
    }

    /// How a read file's contents are printed (bounded: the program itself is long).
    fn show_text(v: &str) -> String {
        format!("{v}.split(\"\\n\")[0].slice(0, 40), {v}.length")
    }

    /// Synchronous fs: writeFileSync, readFileSync, statSync, existsSync.
    fn sync_fs(&mut self) {
        let l = self.g.label();
        match self.g.rng.below(4) {
            0 => {
                let (name, content) = self.new_file();
                self.g.line(&format!(
                    "fs.writeFileSync(here(\"{name}\"), \"{content}\");"
                ));
                self.g.line(&format!(
                    "console.log(\"{l}\", fs.readFileSync(here(\"{name}\"), \"utf8\"));"
                ));
                self.files.push((name, content));
            }
            1 => {
                let f = self.existing_file();
                self.g.line(&format!(
                    "console.log(\"{l}\", fs.statSync({f}).isFile(), fs.existsSync({f}));"
                ));
            }
            2 => {
                let f = self.missing_file();
                self.g.line(&format!(
                    "try {{ fs.readFileSync({f}); }} catch (e) {{ console.log(\"{l}\", errShape(e)); }}"
                ));
            }
            _ => {
                let f = self.existing_file();
                self.g.line(&format!(
                    "console.log(\"{l}\", fs.readFileSync({f}).toString(\"hex\", 0, 4), fs.readFileSync({f})[1]);"
                ));
            }
        }
    }

    /// An `EventEmitter` used synchronously: listeners in registration order, `once`,
    /// `prependListener`, `off`, emit's return value, and the `error` event.
    fn emitter_block(&mut self) {
        let em = self.g.var("em");
        let (l1, l2, l3) = (self.g.label(), self.g.label(), self.g.label());
        if self.g.rng.chance(30) {
            let cls = self.g.var("Em");
            self.g
                .line(&format!("class {cls} extends EventEmitter {{ hello() {{ return this.emit(\"hi\", this instanceof {cls}); }} }}"));
            self.g.line(&format!("const {em} = new {cls}();"));
            self.g.line(&format!(
                "{em}.on(\"hi\", function (x) {{ console.log(\"{l1}\", x, this === {em}); }});"
            ));
            self.g.line(&format!(
                "console.log(\"{l2}\", {em}.hello(), {em}.hello());"
            ));
            return;
        }
        self.g.line(&format!("const {em} = new EventEmitter();"));
        let f = self.g.var("on");
        self.g
            .line(&format!("const {f} = (...a) => console.log(\"{l1}\", a);"));
        self.g.line(&format!("{em}.on(\"ev\", {f});"));
        match self.g.rng.below(3) {
            0 => self.g.line(&format!(
                "{em}.once(\"ev\", (a) => console.log(\"{l2}\", a));"
            )),
            1 => self.g.line(&format!(
                "{em}.prependListener(\"ev\", () => console.log(\"{l2}\"));"
            )),
            _ => self.g.line(&format!(
                "{em}.prependOnceListener(\"ev\", (a, b) => console.log(\"{l2}\", a, b));"
            )),
        }
        let a = self.g.value_expr();
        let l4 = self.g.label();
        self.g.line(&format!(
            "console.log(\"{l3}\", {em}.emit(\"ev\", {a}, 2), {em}.emit(\"ev\"), {em}.listenerCount(\"ev\"));"
        ));
        match self.g.rng.below(3) {
            0 => {
                self.g.line(&format!("{em}.off(\"ev\", {f});"));
                self.g.line(&format!(
                    "console.log(\"{l4}\", {em}.emit(\"ev\", 3), {em}.eventNames());"
                ));
            }
            1 => self.g.line(&format!(
                "try {{ {em}.emit(\"error\", new RangeError(\"no listener\")); }} catch (e) {{ console.log(\"{l4}\", e.name, e.message); }}"
            )),
            _ => {
                self.g.line(&format!(
                    "{em}.on(\"error\", (e) => console.log(\"{l4}\", e.message));"
                ));
                self.g
                    .line(&format!("{em}.emit(\"error\", new Error(\"handled\"));"));
            }
        }
    }

    /// Waits for one fs operation; `end` emits the continuation's tail.
    fn io_wait(&mut self, promise_style: bool, end: &dyn Fn(&mut Io<'_>)) {
        let l = self.g.label();
        let op = self.g.rng.below(if promise_style { 8 } else { 7 });
        match op {
            // writeFile
            0 => {
                let (name, content) = self.new_file();
                if promise_style {
                    self.g.line(&format!(
                        "const w = await fsp.writeFile(here(\"{name}\"), \"{content}\");"
                    ));
                    self.g.line(&format!("console.log(\"{l}\", w);"));
                } else {
                    self.g.open(&format!(
                        "fs.writeFile(here(\"{name}\"), \"{content}\", (err) => {{"
                    ));
                    self.g.line(&format!("console.log(\"{l}\", err);"));
                }
                self.files.push((name, content));
            }
            // readFile of a written file as a Buffer (or through util.promisify)
            6 if !self.files.is_empty() => {
                let i = self.g.rng.below(self.files.len());
                let f = format!("here(\"{}\")", self.files[i].0);
                if promise_style {
                    self.g.line(&format!(
                        "const b = await require(\"util\").promisify(fs.readFile)({f});"
                    ));
                    self.g.line(&format!("console.log(\"{l}\", b, b.length);"));
                } else {
                    self.g.open(&format!("fs.readFile({f}, (err, b) => {{"));
                    self.g
                        .line(&format!("console.log(\"{l}\", err, b, String(b));"));
                }
            }
            // readFile as text (also when no file was written yet for a Buffer read)
            1 | 2 | 6 => {
                let f = self.existing_file();
                let shown = Self::show_text("t");
                if promise_style {
                    self.g
                        .line(&format!("const t = await fsp.readFile({f}, \"utf8\");"));
                    self.g.line(&format!("console.log(\"{l}\", {shown});"));
                } else {
                    self.g
                        .open(&format!("fs.readFile({f}, \"utf8\", (err, t) => {{"));
                    self.g.line(&format!("console.log(\"{l}\", err, {shown});"));
                }
            }
            // stat
            3 => {
                let f = self.existing_file();
                let shown = "st.size > 0, st.isFile(), st.isDirectory()";
                if promise_style {
                    self.g.line(&format!("const st = await fsp.stat({f});"));
                    self.g.line(&format!("console.log(\"{l}\", {shown});"));
                } else {
                    self.g.open(&format!("fs.stat({f}, (err, st) => {{"));
                    self.g.line(&format!("console.log(\"{l}\", err, {shown});"));
                }
            }
            // readdir of the program's own directory
            4 => {
                if promise_style {
                    self.g.line("const names = await fsp.readdir(__dirname);");
                    self.g.line(&format!("console.log(\"{l}\", names.sort());"));
                } else {
                    self.g.open("fs.readdir(__dirname, (err, names) => {");
                    self.g
                        .line(&format!("console.log(\"{l}\", err, names.sort());"));
                }
            }
            // a missing file: ENOENT's shape
            5 => {
                let f = self.missing_file();
                let call = *self.g.rng.pick(&["readFile", "stat", "readdir"]);
                if promise_style {
                    self.g.line(&format!(
                        "try {{ await fsp.{call}({f}); }} catch (e) {{ console.log(\"{l}\", errShape(e), e instanceof Error); }}"
                    ));
                } else {
                    self.g.open(&format!("fs.{call}({f}, (err, none) => {{"));
                    self.g
                        .line(&format!("console.log(\"{l}\", errShape(err), none);"));
                }
            }
            // two reads at once: only their values, in order
            _ => {
                let (a, b) = (self.existing_file(), self.existing_file());
                self.g.line(&format!(
                    "const [x, y] = await Promise.all([fsp.readFile({a}, \"utf8\"), fsp.readFile({b})]);"
                ));
                self.g.line(&format!(
                    "console.log(\"{l}\", x.length === y.length, y.length, typeof x, Buffer.isBuffer(y));"
                ));
            }
        }
        end(self);
        if !promise_style {
            self.g.close("});");
        }
    }

    /// Waits for a timer of `d` ms: a callback, `timers/promises` (`setTimeout`, or
    /// `setInterval` left after k ticks), an interval's k-th run, or an `events.once` fired by
    /// the timer (maybe with the `error` event).
    fn timer_wait(&mut self, d: u32, promise_style: bool, end: &dyn Fn(&mut Io<'_>)) {
        let l = self.g.label();
        if promise_style {
            match self.g.rng.below(4) {
                0 => {
                    let v = self.g.value_expr();
                    self.g
                        .line(&format!("const v = await tp.setTimeout({d}, {v});"));
                    self.g.line(&format!("console.log(\"{l}\", v);"));
                }
                3 => {
                    let v = self.g.value_expr();
                    let k = self.g.rng.range(1, 3);
                    let n = self.g.var("n");
                    let l2 = self.g.label();
                    self.g.line(&format!("let {n} = 0;"));
                    self.g.open(&format!(
                        "for await (const v of tp.setInterval({d}, {v})) {{"
                    ));
                    self.g.line(&format!("console.log(\"{l2}\", v, ++{n});"));
                    if self.g.rng.chance(40) {
                        self.g.micro_stmt(0);
                    }
                    self.g.line(&format!("if ({n} === {k}) break;"));
                    self.g.close("}");
                    self.g.line(&format!("console.log(\"{l}\", {n});"));
                }
                1 => self.emitter_wait(&format!("setTimeout(() => EMIT, {d})")),
                _ => {
                    let k = self.g.rng.range(2, 3);
                    let n = self.g.var("n");
                    let l2 = self.g.label();
                    self.g.line(&format!("let {n} = 0;"));
                    self.g.open("await new Promise((done) => {");
                    self.g.open("const iv = setInterval(() => {");
                    self.g.line(&format!("console.log(\"{l2}\", ++{n});"));
                    if self.g.rng.chance(40) {
                        self.g.micro_stmt(0);
                    }
                    self.g.line(&format!(
                        "if ({n} === {k}) {{ clearInterval(iv); done(); }}"
                    ));
                    self.g.close(&format!("}}, {d});"));
                    self.g.close("});");
                    self.g.line(&format!("console.log(\"{l}\", {n});"));
                }
            }
            end(self);
        } else if self.g.rng.chance(70) {
            let a = self.g.value_expr();
            self.g.open("setTimeout((a) => {");
            self.g.line(&format!("console.log(\"{l}\", a);"));
            end(self);
            self.g.close(&format!("}}, {d}, {a});"));
        } else {
            let k = self.g.rng.range(2, 3);
            let n = self.g.var("n");
            self.g.line(&format!("let {n} = 0;"));
            self.g.open("const iv = setInterval(() => {");
            self.g.line(&format!("console.log(\"{l}\", ++{n});"));
            self.g.line(&format!("if ({n} < {k}) return;"));
            self.g.line("clearInterval(iv);");
            end(self);
            self.g.close(&format!("}}, {d});"));
        }
    }

    /// Waits for an immediate: a callback, `timers/promises`, or an `events.once` it fires.
    fn immediate_wait(&mut self, promise_style: bool, end: &dyn Fn(&mut Io<'_>)) {
        let l = self.g.label();
        if promise_style {
            if self.g.rng.chance(50) {
                let v = self.g.value_expr();
                self.g
                    .line(&format!("const v = await tp.setImmediate({v});"));
                self.g.line(&format!("console.log(\"{l}\", v);"));
            } else {
                self.emitter_wait("setImmediate(() => EMIT)");
            }
            end(self);
        } else {
            let a = self.g.value_expr();
            self.g.open("setImmediate((a) => {");
            self.g.line(&format!("console.log(\"{l}\", a);"));
            end(self);
            self.g.close(&format!("}}, {a});"));
        }
    }

    /// `await events.once(em, name)` where `schedule` (with `EMIT` standing for the emit call)
    /// fires the event later, or the `error` event, which rejects the promise.
    fn emitter_wait(&mut self, schedule: &str) {
        let em = self.g.var("em");
        let l = self.g.label();
        self.g.line(&format!("const {em} = new EventEmitter();"));
        if self.g.rng.chance(25) {
            let emit = format!("{em}.emit(\"error\", new TypeError(\"emitted error\"))");
            self.g
                .line(&format!("{};", schedule.replace("EMIT", &emit)));
            self.g.line(&format!(
                "try {{ await once({em}, \"done\"); }} catch (e) {{ console.log(\"{l}\", e.name, e.message, {em}.listenerCount(\"error\")); }}"
            ));
        } else {
            let a = self.g.value_expr();
            let l2 = self.g.label();
            let emit = format!("console.log(\"{l2}\", {em}.emit(\"done\", {a}, \"second\"))");
            self.g
                .line(&format!("{};", schedule.replace("EMIT", &emit)));
            self.g
                .line(&format!("const args = await once({em}, \"done\");"));
            self.g.line(&format!(
                "console.log(\"{l}\", args, {em}.listenerCount(\"done\"), {em}.listenerCount(\"error\"));"
            ));
        }
    }
}
