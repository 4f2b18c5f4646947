//! The processes family: programs that start other processes with `child_process` (`fork` with
//! IPC both ways, `exec`/`execFile` of shell lines, `spawn` with streamed output, the sync
//! forms `execSync`/`execFileSync`/`spawnSync`, `util.promisify(exec)`) and `cluster`, shaped so
//! that Node prints the same thing on every run although the processes really run in parallel.
//!
//! A program forks itself: its top level reads `const role = process.argv[2]` (a `cluster`
//! worker gets the role `"cw"`) and runs `main()` when it has no role, or the branch of its
//! role (`} else if (role === "c2") {`) when it was forked or started with `node FILE ROLE` by
//! a shell line. `main()` is made of *phases*; each phase starts its processes, talks to them
//! and awaits every one's `close` (or its callback, or the sync call returns) before the next
//! phase begins, so processes of different phases never overlap.
//!
//! # What Node orders, and what it does not (measured on Node 20, Linux)
//! - A child started with inherited stdout (`fork`'s default, `stdio: "inherit"`) writes to the
//!   same pipe as the parent, synchronously: what it printed before sending a message is
//!   written before anything the parent prints on receiving it, and what it printed before it
//!   ended is written before anything the parent prints on its `exit`/`close`. What it prints
//!   after sending races with the parent, so children print only *before* each reply and in
//!   their ending (`disconnect`/`exit` listeners), and the parent prints nothing between ending
//!   a child and awaiting its `close`.
//! - Messages over one IPC channel arrive in order; a child's messages all arrive before its
//!   `close` (the channel's end is one of the closes `close` waits for), but not before its
//!   `exit`, and `disconnect` is not ordered against `exit` either: the parent's `exit` and
//!   `disconnect` listeners only record, and the records are printed after `close`. Listeners
//!   are attached as soon as the child exists (a child may end before the next `await`).
//! - `close` follows `exit`; `exec`'s callback runs on `close`, so an `exit` listener of an
//!   `exec` child prints before the callback does.
//! - A forked child that the *parent* disconnects (`child.disconnect()`) never emits `close`
//!   (the channel it waits for was closed by us, not by an end-of-file): the parent awaits its
//!   `exit`, and its pipes' own `close` events.
//! - The parent's branch sets `mainDone` when `main()` reaches its end; an `exit` listener
//!   turns an earlier exit (an awaited event that never came, so the loop emptied) into exit
//!   code 99, which no program promises, so the node self-check catches it.
//! - A child that ends right after `process.send` may lose the message: children end in the
//!   send's callback (`process.send(v, () => process.exit(3))`) or on a later "stop" message.
//! - Several children at once (a fan-out, two cluster workers) never print: they reply, the
//!   parent keeps the replies per child and prints them in child order after all have closed;
//!   a child with `silent: true` prints into a pipe that the parent reads and prints at close.
//! - An uncaught throw in a child prints a stack (with paths) to the child's stderr: such
//!   children get a piped stderr, and the parent prints only whether it holds the error's
//!   `Name: message`; `execSync`/`execFileSync` of a line that may fail get `stdio: "pipe"`
//!   (by default they pass the child's stderr through to the parent's).
//! - `cluster`'s `online` is an internal message: it races with the worker's own output, so
//!   workers print only in their message handler, after the primary awaited `online`.
//! - Process ids are never printed, only compared (`m.pid === child.pid`, `m.ppid ===
//!   process.pid`) or typed.
//!
//! Shell lines stay inside what `docs/shell.md` says the virtual shell supports and print the
//! same under dash: builtins and the programs echo, printf, cat, wc, grep, head, env, sleep,
//! kill, node; no `ls` of the program's own directory (it holds the program), no `pwd` but in
//! `/`, `sleep` only in lines that are awaited alone.
//!
//! # Switches
//! `LOOPLAB_PROCGEN_OFF` (a comma-separated list) turns parts off, for a simulator that does
//! not support them yet; see [`SWITCHES`]. Programs stay a pure function of the seed and of
//! that list.

use super::Gen;

/// The parts of the family that `LOOPLAB_PROCGEN_OFF` can turn off, with what each covers.
pub const SWITCHES: [(&str, &str); 14] = [
    (
        "fork",
        "child_process.fork of this file: IPC conversations and fan-outs",
    ),
    ("advanced", "fork with serialization: \"advanced\""),
    (
        "silent",
        "forked children with piped stdio (silent: true, or a piped stderr for a throwing child)",
    ),
    (
        "kill",
        "child.kill(signal), process.kill(pid), the shell's kill, signals in exit codes",
    ),
    (
        "cluster",
        "cluster: isPrimary/isWorker, cluster.fork, online, worker messages, exits",
    ),
    (
        "exec",
        "exec/execFile of shell lines and programs, callbacks",
    ),
    (
        "spawn",
        "spawn with streamed stdout/stderr, stdio inherit/ignore, shell: true, ENOENT",
    ),
    (
        "sync",
        "execSync, execFileSync, spawnSync, results and thrown errors",
    ),
    ("promisify", "util.promisify(exec)"),
    (
        "stdin",
        "writing to a spawned child's stdin, the input option of the sync forms",
    ),
    (
        "files",
        "shell lines that write and read files (redirections, cat/wc/grep/head/ls of files)",
    ),
    (
        "node",
        "node itself started by a shell line, execFile/spawn/spawnSync of process.execPath",
    ),
    ("sleep", "sleep in shell lines"),
    (
        "env",
        "the env and cwd options (with $A/$B, pwd), encoding: \"buffer\", the env program",
    ),
];

/// Which switches are on: all but those `LOOPLAB_PROCGEN_OFF` names.
#[derive(Clone, Debug)]
pub struct Switches {
    off: Vec<String>,
}

impl Switches {
    /// Reads `LOOPLAB_PROCGEN_OFF`; panics on a name that is not a switch.
    pub fn from_env() -> Switches {
        let off: Vec<String> = std::env::var("LOOPLAB_PROCGEN_OFF")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        for name in &off {
            assert!(
                SWITCHES.iter().any(|(s, _)| s == name),
                "LOOPLAB_PROCGEN_OFF: {name:?} is not a switch (switches: {})",
                SWITCHES.map(|(s, _)| s).join(", ")
            );
        }
        Switches { off }
    }
    pub fn on(&self, name: &str) -> bool {
        debug_assert!(SWITCHES.iter().any(|(s, _)| *s == name), "{name}");
        !self.off.iter().any(|s| s == name)
    }
}

/// How a forked child's conversation ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// The parent calls `child.disconnect()`; the child ends with nothing left to do.
    ParentDisconnect,
    /// On "stop" the child calls `process.disconnect()`.
    ChildDisconnect,
    /// On "stop" the child calls `process.exit(n)`.
    Exit(i64),
    /// On "stop" the child sets `process.exitCode = n` and disconnects.
    ExitCode(i64),
    /// On "stop" the child throws (its stderr is piped).
    Throw,
    /// The parent kills the child with a signal.
    Kill(&'static str),
}

struct Procs<'a> {
    g: &'a mut Gen,
    sw: Switches,
    /// The role branches of the program (`} else if (role === ...) {`).
    roles: String,
    /// Node processes the program may still start (forks, cluster workers, `node` lines).
    nodes_left: u32,
    /// Phases so far; phase `p` names its values `c{p}`, `closed{p}`...
    phases: u32,
    need_close: bool,
    need_ask: bool,
    need_sh: bool,
    need_util: bool,
    need_fs: bool,
    /// The cluster phase's worker code (at most one cluster phase per program).
    cluster_role: Option<String>,
}

/// Generate a whole processes-family program. Returns whether it deliberately ends fatally.
pub(super) fn program(g: &mut Gen) -> bool {
    let sw = Switches::from_env();
    let nodes = g.rng.range(1, 3) as u32;
    let mut p = Procs {
        g,
        sw,
        roles: String::new(),
        nodes_left: nodes,
        phases: 0,
        need_close: false,
        need_ask: false,
        need_sh: false,
        need_util: false,
        need_fs: false,
        cluster_role: None,
    };
    // The parent's branch: hooks, helpers, main().
    let hooks = p.capture(1, |p| {
        p.g.line("console.log(\"start\");");
        p.g.process_hooks();
    });
    let main = p.capture(2, |p| {
        let want = p.g.rng.range(2, 4);
        let mut tries = 0;
        while p.phases < want as u32 && tries < 12 {
            tries += 1;
            if p.phases > 0 && p.g.rng.chance(30) {
                p.interlude();
            }
            p.phase();
            if p.g.lines() > 45 {
                break;
            }
        }
    });
    let fatal = !p.g.no_fatal && p.g.rng.chance(8);
    // Module header.
    let prefix = if p.g.rng.chance(50) { "node:" } else { "" };
    p.g.line(&format!(
        "const {{ fork, exec, execFile, spawn, execSync, execFileSync, spawnSync }} = require(\"{prefix}child_process\");"
    ));
    if p.need_util {
        p.g.line("const util = require(\"util\");");
    }
    if p.need_fs {
        p.g.line("const fs = require(\"fs\");");
        p.g.line("const path = require(\"path\");");
    }
    if let Some(worker) = p.cluster_role.take() {
        p.g.line(&format!("const cluster = require(\"{prefix}cluster\");"));
        p.g.line("const role = cluster.isWorker ? \"cw\" : process.argv[2];");
        p.roles
            .push_str(&format!("}} else if (role === \"cw\") {{\n{worker}"));
    } else {
        p.g.line("const role = process.argv[2];");
    }
    p.g.open("if (role === undefined) {");
    p.g.body.push_str(&hooks);
    // A parent whose loop empties before main() ends (an awaited event that never comes)
    // exits with 99, which no program promises.
    p.g.line("let mainDone = false;");
    p.g.line("process.on(\"exit\", () => { if (!mainDone) process.exitCode = 99; });");
    if p.need_close {
        p.g.line("const closeOf = (c) => new Promise((res) => c.on(\"close\", (code, sig) => res([code, sig])));");
    }
    if p.need_ask {
        p.g.line(
            "const ask = (c, v) => new Promise((res) => { c.once(\"message\", res); c.send(v); });",
        );
    }
    if p.need_sh {
        p.g.line("const sh = (line, opts = {}) => new Promise((res) => exec(line, opts, (err, out, errout) => res([err && err.code, out, errout])));");
    }
    p.g.open("async function main() {");
    p.g.body.push_str(&main);
    p.g.line("mainDone = true;");
    if fatal {
        p.g.fatal_ending();
    } else {
        p.g.log();
    }
    p.g.close("}");
    p.g.line("main();");
    p.g.indent -= 1;
    let roles = std::mem::take(&mut p.roles);
    p.g.body.push_str(&roles);
    p.g.line("}");
    fatal
}

/// A JavaScript string literal (double quotes) holding `s`.
fn js(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '"' => o.push_str("\\\""),
            '\n' => o.push_str("\\n"),
            '\t' => o.push_str("\\t"),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

impl Procs<'_> {
    /// Runs `f` with an empty body at `indent` and returns the text it emitted.
    fn capture(&mut self, indent: usize, f: impl FnOnce(&mut Self)) -> String {
        let body = std::mem::take(&mut self.g.body);
        let saved_indent = std::mem::replace(&mut self.g.indent, indent);
        f(self);
        self.g.indent = saved_indent;
        std::mem::replace(&mut self.g.body, body)
    }

    /// Emits a role branch `} else if (role === "ROLE") {` whose body `f` writes.
    fn role(&mut self, role: &str, f: impl FnOnce(&mut Self)) {
        let text = self.capture(1, f);
        self.roles
            .push_str(&format!("}} else if (role === \"{role}\") {{\n"));
        self.roles.push_str(&text);
    }

    /// One phase, of a kind the switches and the node budget allow.
    fn phase(&mut self) {
        let mut kinds: Vec<u32> = Vec::new();
        let node_ok = self.nodes_left > 0;
        if node_ok && self.sw.on("fork") {
            kinds.extend([0, 0, 0, 1, 1]);
        }
        if node_ok && self.sw.on("cluster") && self.cluster_role.is_none() {
            kinds.push(2);
        }
        if node_ok && self.sw.on("node") {
            kinds.push(3);
        }
        if self.sw.on("exec") {
            kinds.extend([4, 4, 5]);
        }
        if self.sw.on("spawn") {
            kinds.extend([6, 6]);
        }
        if self.sw.on("sync") {
            kinds.extend([7, 7]);
        }
        if self.sw.on("promisify") && self.sw.on("exec") {
            kinds.push(8);
        }
        if kinds.is_empty() {
            self.interlude();
            self.phases += 1;
            return;
        }
        self.phases += 1;
        match *self.g.rng.pick(&kinds) {
            0 => self.fork_conversation(),
            1 => self.fork_fan_out(),
            2 => self.cluster_phase(),
            3 => self.node_child(),
            4 => self.exec_lines(),
            5 => self.exec_file(),
            6 => self.spawn_phase(),
            7 => self.sync_phase(),
            _ => self.promisified(),
        }
    }

    // ------------------------------------------------------------------ payloads

    /// A value for IPC: with `advanced`, structured-clone values (typed arrays, Map, Set, Date,
    /// undefined, -0 and NaN kept; no BigInt: the simulator refuses BigInt programs); without, JSON's conversions show (Date → string, Map/Set →
    /// {}, undefined dropped or null, NaN/Infinity → null, a Buffer → { type, data }).
    fn payload(&mut self, advanced: bool) -> String {
        let g = &mut self.g;
        match g.rng.below(if advanced { 11 } else { 10 }) {
            0 => g.num_expr(1),
            1 => g.str_expr(),
            2 => format!("[{}, undefined, \"s\", null]", g.small_int()),
            3 => format!(
                "{{ a: {}, b: [{}, \"x\"], c: {{ d: true, e: undefined }} }}",
                g.small_int(),
                g.small_int()
            ),
            4 => format!("new Map([[\"a\", {}], [{}, [\"b\"]]])", g.small_int(), g.small_int()),
            5 => format!("new Set([{}, \"two\", {}])", g.small_int(), g.small_int()),
            6 => format!(
                "new Date({})",
                g.rng.range(0, 20000) * 86_400_000 + g.rng.range(0, 999)
            ),
            7 => format!(
                "{{ list: [new Map([[{0}, \"m\"]])], when: new Date(0), n: [NaN, -0, Infinity], deep: {{ a: [[{0}]] }} }}",
                g.small_int()
            ),
            8 => format!("Buffer.from({})", js(g.rng.pick(&["hi", "abc", "\u{e9}"]))),
            9 => {
                if advanced {
                    format!(
                        "{{ k: {}, u: undefined, z: [-0, NaN] }}",
                        g.rng.range(0, 99999)
                    )
                } else {
                    format!(
                        "{{ f() {{ return 1; }}, k: {}, u: undefined, s: Symbol(\"x\") }}",
                        g.small_int()
                    )
                }
            }
            _ => format!("new Uint16Array([{}, 65535, 7])", g.rng.range(0, 300)),
        }
    }

    /// How a child turns a request into its reply (works on every payload).
    fn transform(&mut self) -> &'static str {
        self.g.rng.pick(&[
            "(m) => m",
            "(m) => ({ got: m, type: typeof m, arr: Array.isArray(m) })",
            "(m) => (typeof m === \"number\" ? [m * 2, m + 1] : typeof m === \"string\" ? m.toUpperCase() + m.length : m)",
            "(m) => (m !== null && typeof m === \"object\" ? Object.keys(m) : [typeof m, String(m)])",
            "(m) => [m, m === null, typeof m]",
        ])
    }

    /// One awaited asynchronous step inside an async message handler (it waits for one
    /// thing, so the reply still follows the request).
    fn async_step(&mut self) {
        let d = *self.g.rng.pick(&[0, 1, 5]);
        let wait = match self.g.rng.below(4) {
            0 => format!("await new Promise((res) => setTimeout(res, {d}));"),
            1 => "await new Promise((res) => setImmediate(res));".to_string(),
            2 => "await new Promise((res) => process.nextTick(res));".to_string(),
            _ => "await null;".to_string(),
        };
        self.g.line(&wait);
    }

    // ------------------------------------------------------------------ fork

    /// One forked child, requests and replies over IPC (lockstep, or a burst of requests that
    /// the child answers synchronously), a hello message with the child's view of itself, and
    /// one of the endings.
    fn fork_conversation(&mut self) {
        self.nodes_left -= 1;
        self.need_close = true;
        let p = self.phases;
        let role = format!("c{p}");
        let c = format!("ch{p}");
        let advanced = self.sw.on("advanced") && self.g.rng.chance(35);
        let silent = self.sw.on("silent") && self.g.rng.chance(25);
        let chatty = self.g.rng.chance(50);
        let hello = self.g.rng.chance(50);
        let burst = self.g.rng.chance(30);
        let asynchronous = !burst && self.g.rng.chance(50);
        let ending = match self.g.rng.below(7) {
            0 => Ending::ParentDisconnect,
            1 => Ending::ChildDisconnect,
            2 => Ending::Exit(self.g.rng.range(0, 5)),
            3 => Ending::ExitCode(self.g.rng.range(1, 4)),
            4 if self.sw.on("silent") => Ending::Throw,
            5 if self.sw.on("kill") => {
                Ending::Kill(self.g.rng.pick(&["", "SIGTERM", "SIGKILL", "SIGINT"]))
            }
            _ => Ending::ChildDisconnect,
        };
        let extra: Vec<String> = (0..self.g.rng.range(0, 2))
            .map(|_| {
                js(self
                    .g
                    .rng
                    .pick(&["x", "7", "--flag", "two words", "", "-n"]))
            })
            .collect();
        let f = self.transform();
        let throw_class = *self.g.rng.pick(&["Error", "RangeError", "TypeError"]);
        let on_exit = chatty && self.g.rng.chance(40);
        let on_disconnect = chatty && self.g.rng.chance(40);

        // The child.
        self.role(&role, |w| {
            if chatty {
                let l = w.g.label();
                w.g.line(&format!(
                    "console.log(\"{l}\", \"child\", process.argv.slice(2), typeof process.send, process.connected);"
                ));
            }
            if hello {
                w.g.line(&format!(
                    "process.send({{ hello: \"{role}\", pid: process.pid, ppid: process.ppid, argv: process.argv.length }});"
                ));
            }
            w.g.line(&format!("const f = {f};"));
            let handler = if asynchronous {
                "process.on(\"message\", async (m) => {"
            } else {
                "process.on(\"message\", (m) => {"
            };
            w.g.open(handler);
            let stop = match ending {
                Ending::ParentDisconnect | Ending::Kill(_) => None,
                Ending::ChildDisconnect => Some("process.disconnect();".to_string()),
                Ending::Exit(n) => Some(format!("process.exit({n});")),
                Ending::ExitCode(n) => {
                    Some(format!("process.exitCode = {n}; process.disconnect();"))
                }
                Ending::Throw => Some(format!(
                    "throw new {throw_class}(\"child {role} failed\");"
                )),
            };
            if let Some(s) = stop {
                w.g.line(&format!("if (m === \"stop\") {{ {s} return; }}"));
            }
            if chatty {
                let l = w.g.label();
                w.g.line(&format!("console.log(\"{l}\", \"child got\", m);"));
                if asynchronous && w.g.rng.chance(40) {
                    w.g.micro_stmt(0);
                    w.g.line("await new Promise((res) => setImmediate(res));");
                }
            }
            if asynchronous {
                w.async_step();
            }
            w.g.line("process.send(f(m));");
            w.g.close("});");
            if on_disconnect {
                let l = w.g.label();
                w.g.line(&format!(
                    "process.on(\"disconnect\", () => console.log(\"{l}\", \"child disconnected\", process.connected));"
                ));
            }
            if on_exit {
                let l = w.g.label();
                w.g.line(&format!(
                    "process.on(\"exit\", (code) => console.log(\"{l}\", \"child exit\", code, process.exitCode));"
                ));
            }
        });

        // The parent.
        let mut opts = Vec::new();
        if advanced {
            opts.push("serialization: \"advanced\"".to_string());
        }
        let stderr_piped = silent || ending == Ending::Throw;
        if silent {
            opts.push("silent: true".to_string());
        } else if ending == Ending::Throw {
            opts.push("stdio: [\"inherit\", \"inherit\", \"pipe\", \"ipc\"]".to_string());
        }
        let opts = if opts.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", opts.join(", "))
        };
        let mut args = vec![format!("\"{role}\"")];
        args.extend(extra);
        self.g.line(&format!(
            "const {c} = fork(__filename, [{}]{opts});",
            args.join(", ")
        ));
        self.g.line(&format!(
            "const ev{p} = {{ exit: null, disconnect: false }};"
        ));
        self.g.line(&format!(
            "{c}.on(\"exit\", (code, sig) => {{ ev{p}.exit = [code, sig]; }});"
        ));
        self.g.line(&format!(
            "{c}.on(\"disconnect\", () => {{ ev{p}.disconnect = true; }});"
        ));
        if silent {
            self.g.line(&format!("let out{p} = \"\";"));
            self.g.line(&format!(
                "{c}.stdout.on(\"data\", (d) => {{ out{p} += d; }});"
            ));
        }
        if stderr_piped {
            self.g.line(&format!("let err{p} = \"\";"));
            self.g.line(&format!(
                "{c}.stderr.on(\"data\", (d) => {{ err{p} += d; }});"
            ));
        }
        if ending == Ending::ParentDisconnect {
            // A child the parent disconnects never emits `close`: await `exit` (and the
            // pipes' own `close`).
            self.g.line(&format!(
                "const closed{p} = new Promise((res) => {c}.on(\"exit\", (code, sig) => res([code, sig])));"
            ));
            if stderr_piped {
                self.g.line(&format!(
                    "const piped{p} = Promise.all([{c}.stdout, {c}.stderr].filter(Boolean).map((s) => new Promise((res) => s.on(\"close\", res))));"
                ));
            }
        } else {
            self.g.line(&format!("const closed{p} = closeOf({c});"));
        }
        if hello {
            self.g.line(&format!(
                "const hello{p} = new Promise((res) => {c}.once(\"message\", res));"
            ));
        }
        if self.g.rng.chance(40) {
            self.g.line(&format!(
                "await new Promise((res) => {c}.once(\"spawn\", res));"
            ));
            self.g.log_expr(&format!(
                "\"spawned\", typeof {c}.pid, {c}.connected, typeof process.send, process.connected"
            ));
        }
        if hello {
            self.g.line(&format!("const h{p} = await hello{p};"));
            self.g.log_expr(&format!(
                "h{p}.hello, h{p}.pid === {c}.pid, h{p}.ppid === process.pid, h{p}.argv"
            ));
        }
        let n = self.g.rng.range(1, 3);
        if burst {
            self.g.line(&format!(
                "const all{p} = new Promise((res) => {{ const got = []; {c}.on(\"message\", (m) => {{ if (got.push(m) === {n}) res(got); }}); }});"
            ));
            for _ in 0..n {
                let v = self.payload(advanced);
                self.g.line(&format!("{c}.send({v});"));
            }
            self.g.log_expr(&format!("await all{p}"));
        } else {
            self.need_ask = true;
            for _ in 0..n {
                let v = self.payload(advanced);
                self.g.log_expr(&format!("await ask({c}, {v})"));
            }
        }
        match ending {
            Ending::ParentDisconnect => self.g.line(&format!("{c}.disconnect();")),
            Ending::Kill(sig) => {
                let call = if sig.is_empty() {
                    format!("{c}.kill()")
                } else {
                    format!("{c}.kill(\"{sig}\")")
                };
                self.g.log_expr(&format!("{call}, {c}.killed"));
            }
            _ => self.g.line(&format!("{c}.send(\"stop\");")),
        }
        self.g.log_expr(&format!(
            "await closed{p}, ev{p}, {c}.exitCode, {c}.signalCode, {c}.connected, {c}.killed"
        ));
        if ending == Ending::ParentDisconnect && stderr_piped {
            self.g.line(&format!("await piped{p};"));
        }
        if silent {
            self.g.log_expr(&format!("out{p}.split(\"\\n\")"));
        }
        if stderr_piped {
            let needle = if ending == Ending::Throw {
                format!("{throw_class}: child {role} failed")
            } else {
                "Error".to_string()
            };
            self.g.log_expr(&format!("err{p}.includes(\"{needle}\")"));
        }
    }

    /// 1 to 3 forked children at once, their inputs in argv (and sometimes the environment);
    /// each replies and ends on its own. They never print (or print into a pipe with
    /// `silent: true`); the parent prints per child after all closed.
    fn fork_fan_out(&mut self) {
        let k = self.g.rng.range(1, self.nodes_left as i64) as usize;
        self.nodes_left -= k as u32;
        self.need_close = true;
        let p = self.phases;
        let role = format!("f{p}");
        let silent = self.sw.on("silent") && self.g.rng.chance(35);
        let advanced = self.sw.on("advanced") && self.g.rng.chance(25);
        let via_env = self.sw.on("env") && self.g.rng.chance(35);
        let failing = self.g.rng.below(k);
        // 0: natural end, 1: process.exit in the send's callback, 2: exitCode, 3: throw in the
        // send's callback (silent only).
        let how = match self.g.rng.below(4) {
            3 if !silent => 0,
            h => h,
        };
        let throw_class = *self.g.rng.pick(&["Error", "RangeError", "TypeError"]);
        let op = *self.g.rng.pick(&[
            "n * n",
            "[n, n + 1, String(n).padStart(3, \"0\")]",
            "{ n, half: n / 2, neg: -n }",
            "Array.from({ length: n % 4 }, (_, j) => j * n)",
        ]);
        let second = self.g.rng.chance(40);
        self.role(&role, |w| {
            w.g.line("const i = Number(process.argv[3]);");
            if via_env {
                w.g.line("const n = Number(process.env.FAN_INPUT);");
            } else {
                w.g.line("const n = Number(process.argv[4]);");
            }
            if silent {
                let l = w.g.label();
                w.g.line(&format!(
                    "console.log(\"{l}\", \"fan child\", i, process.argv.slice(2));"
                ));
            }
            let mut msg = format!("{{ i, r: {op}, pid: process.pid, ppid: process.ppid }}");
            if advanced {
                msg = format!("{{ i, r: {op}, pid: process.pid, ppid: process.ppid, set: new Set([n, -0]), when: new Date(n) }}");
            }
            if second {
                w.g.line(&format!("process.send({msg});"));
                msg = "[\"second\", i]".to_string();
            }
            match how {
                1 => w.g.line(&format!(
                    "process.send({msg}, () => {{ if (i === {failing}) process.exit(i + 3); }});"
                )),
                2 => {
                    w.g.line(&format!("process.send({msg});"));
                    w.g.line(&format!(
                        "if (i === {failing}) process.exitCode = i + 5;"
                    ));
                }
                3 => w.g.line(&format!(
                    "process.send({msg}, () => {{ if (i === {failing}) throw new {throw_class}(\"fan \" + i); }});"
                )),
                _ => w.g.line(&format!("process.send({msg});")),
            }
        });
        let inputs: Vec<String> = (0..k)
            .map(|_| self.g.rng.range(0, 40).to_string())
            .collect();
        self.g
            .line(&format!("const in{p} = [{}];", inputs.join(", ")));
        let mut opts = Vec::new();
        if via_env {
            opts.push("env: { ...process.env, FAN_INPUT: String(n) }".to_string());
        }
        if silent {
            opts.push("silent: true".to_string());
        }
        if advanced {
            opts.push("serialization: \"advanced\"".to_string());
        }
        let opts = if opts.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", opts.join(", "))
        };
        self.g.line(&format!(
            "const ks{p} = in{p}.map((n, i) => fork(__filename, [\"{role}\", String(i), String(n)]{opts}));"
        ));
        self.g.line(&format!("const got{p} = ks{p}.map(() => []);"));
        self.g.line(&format!(
            "ks{p}.forEach((k, i) => k.on(\"message\", (m) => got{p}[i].push(m)));"
        ));
        if silent {
            self.g
                .line(&format!("const out{p} = ks{p}.map(() => \"\");"));
            self.g
                .line(&format!("const err{p} = ks{p}.map(() => \"\");"));
            self.g.line(&format!(
                "ks{p}.forEach((k, i) => {{ k.stdout.on(\"data\", (d) => {{ out{p}[i] += d; }}); k.stderr.on(\"data\", (d) => {{ err{p}[i] += d; }}); }});"
            ));
        }
        self.g.line(&format!(
            "const codes{p} = await Promise.all(ks{p}.map(closeOf));"
        ));
        let l = self.g.label();
        let mut row = format!(
            "i, got{p}[i].map((m) => (m.pid === undefined ? m : [m.i, m.r, m.pid === k.pid, m.ppid === process.pid, m.set, m.when])), codes{p}[i]"
        );
        if silent {
            row.push_str(&format!(
                ", out{p}[i], err{p}[i].includes(\"{throw_class}: fan \" + i)"
            ));
        }
        self.g.line(&format!(
            "ks{p}.forEach((k, i) => console.log(\"{l}\", {row}));"
        ));
    }

    // ------------------------------------------------------------------ cluster

    /// 1 or 2 cluster workers: the primary awaits their `online`, asks each one thing, and
    /// ends them (`worker.disconnect()`, or on "stop" the worker exits or disconnects itself).
    fn cluster_phase(&mut self) {
        let k = if self.nodes_left >= 2 && self.g.rng.chance(50) {
            2
        } else {
            1
        };
        self.nodes_left -= k as u32;
        self.need_ask = true;
        let p = self.phases;
        // 0: primary disconnects, 1: worker exits with a code, 2: worker disconnects itself.
        let how = self.g.rng.below(3);
        let code = self.g.rng.range(0, 4);
        let f = self.transform();
        let worker = self.capture(1, |w| {
            w.g.line(&format!("const f = {f};"));
            w.g.open("process.on(\"message\", (m) => {");
            match how {
                1 => w.g.line(&format!(
                    "if (m === \"stop\") {{ process.exit(cluster.worker.id + {code}); return; }}"
                )),
                2 => w.g.line(
                    "if (m === \"stop\") { cluster.worker.disconnect(); return; }",
                ),
                _ => {}
            }
            if k == 1 {
                let l = w.g.label();
                w.g.line(&format!(
                    "console.log(\"{l}\", \"worker\", cluster.worker.id, process.env.CW_NAME, cluster.isWorker, cluster.isPrimary, m);"
                ));
            }
            w.g.line("process.send({ id: cluster.worker.id, name: process.env.CW_NAME, pid: process.pid, r: f(m) });");
            w.g.close("});");
        });
        self.cluster_role = Some(worker);
        let ws = format!("ws{p}");
        let names: Vec<String> = (0..k)
            .map(|_| js(self.g.rng.pick(&["alpha", "beta", "gamma", "delta"])))
            .collect();
        self.g
            .log_expr("cluster.isPrimary, cluster.isMaster, cluster.isWorker");
        self.g.line(&format!(
            "const {ws} = [{}].map((name) => cluster.fork({{ CW_NAME: name }}));",
            names.join(", ")
        ));
        self.g.line(&format!(
            "const ex{p} = {ws}.map((w) => new Promise((res) => w.once(\"exit\", (code, sig) => res([w.id, code, sig, w.exitedAfterDisconnect]))));"
        ));
        if self.g.rng.chance(40) {
            self.g.line(&format!("const cex{p} = [];"));
            self.g.line(&format!(
                "cluster.on(\"exit\", (w, code) => cex{p}.push([w.id, code]));"
            ));
        }
        self.g.line(&format!(
            "await Promise.all({ws}.map((w) => new Promise((res) => w.once(\"online\", res))));"
        ));
        self.g.log_expr(&format!(
            "\"online\", {ws}.map((w) => w.id), Object.keys(cluster.workers), {ws}.map((w) => typeof w.process.pid)"
        ));
        let vals: Vec<String> = (0..k).map(|_| self.payload(false)).collect();
        self.g.line(&format!(
            "const r{p} = await Promise.all([{}].map((v, i) => ask({ws}[i], v)));",
            vals.join(", ")
        ));
        self.g.log_expr(&format!(
            "r{p}.map((m, i) => [m.id, m.name, m.pid === {ws}[i].process.pid, m.r])"
        ));
        if how == 0 {
            self.g
                .line(&format!("{ws}.forEach((w) => w.disconnect());"));
        } else {
            self.g
                .line(&format!("{ws}.forEach((w) => w.send(\"stop\"));"));
        }
        self.g.log_expr(&format!("await Promise.all(ex{p})"));
        if self.body_has(&format!("const cex{p}")) {
            self.g.log_expr(&format!("cex{p}.sort()"));
        }
    }

    fn body_has(&self, s: &str) -> bool {
        self.g.body.contains(s)
    }

    // ------------------------------------------------------------------ node as a program

    /// This file run by node without IPC: a `node FILE ROLE` shell line, `execFile`/`spawn`/
    /// `spawnSync`/`execFileSync` of `process.execPath`.
    fn node_child(&mut self) {
        self.nodes_left -= 1;
        let p = self.phases;
        let role = format!("n{p}");
        // 0: a `node` shell line, 1: execFile, 2: spawn with inherited stdio, 3: spawnSync,
        // 4: execFileSync.
        let mut vias = vec![];
        if self.sw.on("exec") {
            vias.extend([0, 1]);
        }
        if self.sw.on("spawn") {
            vias.push(2);
        }
        if self.sw.on("sync") || vias.is_empty() {
            vias.extend([3, 4]);
        }
        let via = *self.g.rng.pick(&vias);
        // spawn with inherited stdio passes stderr through: no throw there.
        let fails = match self.g.rng.below(3) {
            0 => 0,
            1 => 1,
            _ if via == 2 => 1,
            _ => 2,
        };
        let code = self.g.rng.range(1, 9);
        self.role(&role, |w| {
            let l = w.g.label();
            w.g.line(&format!(
                "console.log(\"{l}\", process.argv.slice(2), typeof process.send, process.connected);"
            ));
            if w.g.rng.chance(50) {
                w.g.plain_block();
            }
            match fails {
                1 => w.g.line(&format!("process.exitCode = {code};")),
                2 => w.g.line("throw new Error(\"node child failed\");"),
                _ => {}
            }
        });
        let args: Vec<&str> = (0..self.g.rng.range(0, 2))
            .map(|_| *self.g.rng.pick(&["a", "b c", "7", "--x"]))
            .collect();
        let js_args: Vec<String> = args.iter().map(|a| js(a)).collect();
        let js_args = if js_args.is_empty() {
            String::new()
        } else {
            format!(", {}", js_args.join(", "))
        };
        let has_err = ", stderr.includes(\"Error: node child failed\")";
        match via {
            0 => {
                self.need_sh = true;
                let shell_args: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
                let line = format!(
                    "`node \"${{__filename}}\" {role}{}{}`",
                    if shell_args.is_empty() { "" } else { " " },
                    shell_args.join(" ")
                );
                self.g.line(&format!(
                    "const [code{p}, out{p}, err{p}] = await sh({line});"
                ));
                self.g.log_expr(&format!(
                    "code{p}, out{p}, err{p}.includes(\"Error: node child failed\")"
                ));
            }
            1 => {
                let l = self.g.label();
                self.g.open(&format!(
                    "await new Promise((res) => execFile(process.execPath, [__filename, \"{role}\"{js_args}], (err, stdout, stderr) => {{"
                ));
                self.g.line(&format!(
                    "console.log(\"{l}\", err && err.code, stdout{has_err});"
                ));
                self.g.line("res();");
                self.g.close("}));");
            }
            2 => {
                self.need_close = true;
                self.g.line(&format!(
                    "const sp{p} = spawn(process.execPath, [__filename, \"{role}\"{js_args}], {{ stdio: \"inherit\" }});"
                ));
                self.g.log_expr(&format!("await closeOf(sp{p})"));
            }
            3 => {
                self.g.line(&format!(
                    "const r{p} = spawnSync(process.execPath, [__filename, \"{role}\"{js_args}], {{ encoding: \"utf8\" }});"
                ));
                self.g.log_expr(&format!(
                    "r{p}.status, r{p}.signal, r{p}.stdout, r{p}.stderr.includes(\"Error: node child failed\")"
                ));
            }
            _ => {
                // execFileSync: throws when the child fails.
                let l = self.g.label();
                self.g.open("try {");
                self.g.log_expr(&format!(
                    "execFileSync(process.execPath, [__filename, \"{role}\"{js_args}], {{ encoding: \"utf8\", stdio: \"pipe\" }})"
                ));
                self.g.close("} catch (e) {");
                self.g.indent += 1;
                self.g.line(&format!(
                    "console.log(\"{l}\", e.status, e.signal, e.stdout, String(e.stderr).includes(\"Error: node child failed\"));"
                ));
                self.g.close("}");
            }
        }
    }

    // ------------------------------------------------------------------ shell lines

    /// A word for `echo`.
    fn echo_word(&mut self) -> String {
        self.g
            .rng
            .pick(&[
                "hello",
                "a  b",
                "'single  quoted'",
                "\"double quoted\"",
                "x\\ty",
                "\"tab\\there\"",
                "it\\'s",
                "\"a\\\\b\"",
                "'$HOME'",
                "-n",
                "\"\"",
                "42",
                "*.none",
            ])
            .to_string()
    }

    /// A command that writes lines (the head of a pipeline).
    fn producer(&mut self) -> String {
        match self.g.rng.below(5) {
            0 => "printf 'b\\na\\nc\\nab\\n'".to_string(),
            1 => format!("echo {} {}", self.echo_word(), self.echo_word()),
            2 => "printf '%s\\n' one two three four".to_string(),
            3 => "printf 'x1\\ny2\\nx3\\n'".to_string(),
            _ => "echo one two three".to_string(),
        }
    }

    /// A filter reading its stdin.
    fn filter(&mut self) -> String {
        self.g
            .rng
            .pick(&[
                "grep a",
                "grep -c a",
                "grep -v a",
                "grep -n b",
                "grep -i A",
                "grep '^x'",
                "grep 'o$'",
                "grep -x ab",
                "grep zzz",
                "wc -l",
                "wc -w",
                "wc -c",
                "wc",
                "head -n 2",
                "head -1",
                "head -c 4",
                "cat",
            ])
            .to_string()
    }

    /// One simple command or pipeline for a shell line.
    fn shell_unit(&mut self, files: Option<&str>) -> String {
        let n = self.g.rng.below(100);
        let mut pick = self.g.rng.below(17);
        if files.is_some() && self.g.rng.chance(40) {
            pick = 13;
        }
        match pick {
            0 | 1 => format!("echo {} {}", self.echo_word(), self.echo_word()),
            2 => {
                let (fmt, args) = *self.g.rng.pick(&[
                    ("'%s-%s\\n'", "a b c"),
                    ("'%d|%5d|%-3s|\\n'", "7 42 x"),
                    ("'%x %o %X\\n'", "255 8 171"),
                    ("'[%s]'", "one 'two three'"),
                    ("'%03d\\n'", "5 12"),
                    ("'%.2f\\n'", "3.14159"),
                    ("'%c%c\\n'", "hello world"),
                    ("'no newline'", ""),
                    ("'%s\\n'", "\"$UNSET_VAR\"end"),
                    ("'%d\\n'", "abc"),
                ]);
                format!("printf {fmt} {args}")
            }
            3 => self.g.rng.pick(&["true", "false", ":"]).to_string(),
            4 => format!("echo {}", self.echo_word()),
            5 => format!("echo oops{n} >&2"),
            6 => format!("nosuchcmd{n} arg"),
            7 => format!("V{n}=val{n}; echo \"[$V{n}]\" '[$V{n}]'"),
            8 => "echo \"$NOPE_UNSET.\"".to_string(),
            9 => format!("cat missing{n}.txt"),
            10 => format!("grep -q x missing{n}.txt"),
            11 => "false; echo \"status $?\"".to_string(),
            12 => "! true; echo $?".to_string(),
            13 if files.is_some() => {
                let f = files.unwrap_or_default();
                let (a, b) = (self.echo_word(), self.echo_word());
                format!(
                    "echo {a} > {f} && echo {b} >> {f} && {}",
                    self.g
                        .rng
                        .pick(&[
                            "cat FILE",
                            "wc -l < FILE",
                            "grep -n o FILE",
                            "head -n 1 FILE",
                            "cat FILE FILE | wc -l",
                            "wc -c FILE",
                            "grep -c . FILE",
                        ])
                        .replace("FILE", f)
                )
            }
            14 if self.sw.on("sleep") && self.g.rng.chance(30) => {
                format!("sleep 0.0{} && echo slept", self.g.rng.range(1, 5))
            }
            _ => {
                let mut s = self.producer();
                for _ in 0..self.g.rng.range(1, 2) {
                    s.push_str(" | ");
                    s.push_str(&self.filter());
                }
                s
            }
        }
    }

    /// A shell line: 1 to 3 units joined with `;`, `&&`, `||`, sometimes a syntax error.
    fn shell_line(&mut self, files: Option<&str>) -> String {
        if self.g.rng.chance(5) {
            return self
                .g
                .rng
                .pick(&["echo a && && echo b", "echo 'unterminated", "| wc -l"])
                .to_string();
        }
        let mut s = self.shell_unit(files);
        for _ in 0..self.g.rng.range(0, 2) {
            s.push_str(self.g.rng.pick(&["; ", " && ", " || "]));
            s.push_str(&self.shell_unit(files));
        }
        // `exit N` ends the line, so it comes last.
        if self.g.rng.chance(15) {
            s.push_str(&format!("; exit {}", self.g.rng.range(0, 5)));
        }
        s
    }

    /// A file name for a shell line to write (in the program's directory), when allowed.
    fn scratch_file(&mut self) -> Option<String> {
        (self.sw.on("files") && self.g.rng.chance(30)).then(|| format!("f{}.txt", self.phases))
    }

    /// Options for `exec`: an environment (`$A` and `$B` in the line), `cwd: "/"` with `pwd`,
    /// `encoding: "buffer"`.
    fn exec_options(&mut self, line: &mut String, files: bool) -> String {
        if !self.sw.on("env") {
            return String::new();
        }
        match self.g.rng.below(8) {
            2 if files => String::new(),
            0 => {
                line.push_str("; echo \"A=$A B=$B\"");
                let (a, b) = (
                    self.g.rng.pick(&["one", "two words", "x*y"]).to_string(),
                    self.g.rng.pick(&["1", "", "$NOT"]).to_string(),
                );
                format!("{{ env: {{ A: {}, B: {} }} }}", js(&a), js(&b))
            }
            1 => {
                line.push_str("; env | grep '^GREETING='");
                "{ env: { ...process.env, GREETING: \"hi there\" } }".to_string()
            }
            2 => {
                line.push_str("; pwd");
                "{ cwd: \"/\" }".to_string()
            }
            3 => {
                line.push_str("; env -i K=v L=w");
                String::new()
            }
            4 => "{ encoding: \"buffer\" }".to_string(),
            _ => String::new(),
        }
    }

    /// 1 to 3 `exec` lines: one after the other (callbacks, the `sh` helper, an `exit`
    /// listener), or all at once with their results printed in order.
    fn exec_lines(&mut self) {
        let p = self.phases;
        let n = self.g.rng.range(1, 3);
        let together = n > 1 && self.g.rng.chance(35);
        let files = self.scratch_file();
        if together {
            self.need_sh = true;
            let lines: Vec<String> = (0..n)
                .map(|_| {
                    // No sleep, files or cwd in lines that run at once: keep them independent.
                    let l = self.shell_line(None);
                    format!("sh({})", js(&l))
                })
                .collect();
            self.g.line(&format!(
                "const rs{p} = await Promise.all([{}]);",
                lines.join(", ")
            ));
            let l = self.g.label();
            self.g.line(&format!(
                "rs{p}.forEach(([code, out, err], i) => console.log(\"{l}\", i, code, JSON.stringify(out), JSON.stringify(err)));"
            ));
            return;
        }
        for k in 0..n {
            let mut line = self.shell_line(files.as_deref());
            let opts = self.exec_options(&mut line, files.is_some());
            let opts_arg = if opts.is_empty() {
                String::new()
            } else {
                format!("{opts}, ")
            };
            match self.g.rng.below(3) {
                0 => {
                    self.need_sh = true;
                    let r = format!("r{p}_{k}");
                    let sep = if opts.is_empty() { "" } else { ", " };
                    self.g
                        .line(&format!("const {r} = await sh({}{sep}{opts});", js(&line)));
                    if opts.contains("buffer") || self.g.rng.chance(50) {
                        self.g.log_expr(&r);
                    } else {
                        self.g
                            .log_expr(&format!("{r}[0], {r}[1].split(\"\\n\"), {r}[2].length > 0"));
                    }
                }
                _ => {
                    let l = self.g.label();
                    let with_exit = self.g.rng.chance(40);
                    let ch = if with_exit {
                        format!("const x{p}_{k} = ")
                    } else {
                        String::new()
                    };
                    self.g.open("await new Promise((res) => {");
                    self.g.open(&format!(
                        "{ch}exec({}, {opts_arg}(err, stdout, stderr) => {{",
                        js(&line)
                    ));
                    let shape = *self.g.rng.pick(&[
                        "err ? [err.code, err.killed, err.signal, err.cmd] : null",
                        "err && err.message",
                        "err instanceof Error, err && err.code",
                    ]);
                    self.g.line(&format!(
                        "console.log(\"{l}\", {shape}, stdout, JSON.stringify(stderr));"
                    ));
                    self.g.line("res();");
                    self.g.close("});");
                    if with_exit {
                        let l = self.g.label();
                        self.g.line(&format!(
                            "x{p}_{k}.on(\"exit\", (code, sig) => console.log(\"{l}\", \"exit\", code, sig, typeof x{p}_{k}.pid));"
                        ));
                    }
                    self.g.close("});");
                }
            }
        }
    }

    /// `execFile` of a program with arguments (no shell: `$X` and `*` stay as they are), or
    /// of a program that does not exist (ENOENT), or of a shell builtin (also ENOENT).
    fn exec_file(&mut self) {
        let (prog, args) = *self.g.rng.pick(&[
            ("echo", "[\"a  b\", \"$HOME\", \"*\"]"),
            ("printf", "[\"%s|%s\\n\", \"x\", \"y z\", \"w\"]"),
            ("printf", "[\"%d\\n\", \"nope\"]"),
            ("wc", "[\"-l\", \"missing.txt\"]"),
            ("grep", "[\"-c\", \"a\", \"missing.txt\"]"),
            ("true", "[]"),
            ("false", "[]"),
            ("nosuchprogram", "[\"x\"]"),
            ("cd", "[\"/\"]"),
            ("env", "[\"-i\", \"A=1\", \"B=two\"]"),
            ("head", "[\"-n\", \"1\", \"nofile\"]"),
        ]);
        let (prog, args) = if !self.sw.on("env") && prog == "env" {
            ("echo", "[\"env\"]")
        } else {
            (prog, args)
        };
        let l = self.g.label();
        self.g.open("await new Promise((res) => {");
        self.g.open(&format!(
            "execFile(\"{prog}\", {args}, (err, stdout, stderr) => {{"
        ));
        let shape = *self.g.rng.pick(&[
            "err ? [err.code, err.errno, err.syscall, err.path, err.spawnargs] : null",
            "err ? [err.code, err.killed, err.signal, err.cmd] : null",
            "err && err.message",
        ]);
        self.g.line(&format!(
            "console.log(\"{l}\", {shape}, JSON.stringify(stdout), JSON.stringify(stderr));"
        ));
        self.g.line("res();");
        self.g.close("});");
        self.g.close("});");
    }

    /// `util.promisify(exec)`: resolves with `{ stdout, stderr }`, rejects with an error that
    /// carries them.
    fn promisified(&mut self) {
        self.need_util = true;
        let p = self.phases;
        self.g
            .line(&format!("const execP{p} = util.promisify(exec);"));
        for _ in 0..self.g.rng.range(1, 2) {
            let line = self.shell_line(None);
            let l = self.g.label();
            self.g.open("try {");
            self.g.line(&format!(
                "const {{ stdout, stderr }} = await execP{p}({});",
                js(&line)
            ));
            self.g
                .line(&format!("console.log(\"{l}\", \"ok\", stdout, stderr);"));
            self.g.close("} catch (e) {");
            self.g.indent += 1;
            let l = self.g.label();
            self.g.line(&format!(
                "console.log(\"{l}\", \"failed\", e.code, e.killed, JSON.stringify(e.stdout), JSON.stringify(e.stderr));"
            ));
            self.g.close("}");
        }
    }

    // ------------------------------------------------------------------ spawn

    /// `spawn`: a program with its output collected and printed at `close`, input written to
    /// its stdin, a shell line with `shell: true`, inherited or ignored stdio, a program that
    /// does not exist (an `error` event), or a `sleep` that is killed.
    fn spawn_phase(&mut self) {
        self.need_close = true;
        let p = self.phases;
        let s = format!("sp{p}");
        let kind = self.g.rng.below(7);
        match kind {
            0 if self.sw.on("kill") => {
                self.g
                    .line(&format!("const {s} = spawn(\"sleep\", [\"30\"]);"));
                self.g.line(&format!("const closed{p} = closeOf({s});"));
                match self.g.rng.below(3) {
                    0 => {
                        let sig = *self.g.rng.pick(&["SIGTERM", "SIGKILL", "SIGINT", "SIGHUP"]);
                        self.g.log_expr(&format!(
                            "\"kill\", {s}.kill(\"{sig}\"), {s}.killed, typeof {s}.pid"
                        ));
                    }
                    1 => {
                        self.g.log_expr(&format!(
                            "\"process.kill\", process.kill({s}.pid, \"SIGTERM\")"
                        ));
                    }
                    _ if self.sw.on("exec") => {
                        self.need_sh = true;
                        let flag = *self.g.rng.pick(&["", "-9 ", "-s KILL ", "-TERM "]);
                        self.g.line(&format!(
                            "const k{p} = await sh(\"kill {flag}\" + {s}.pid);"
                        ));
                        self.g.line(&format!("const kc{p} = await closed{p};"));
                        self.g.log_expr(&format!("k{p}, kc{p}, {s}.killed"));
                        return;
                    }
                    _ => {
                        self.g
                            .log_expr(&format!("\"kill\", {s}.kill(), {s}.killed"));
                    }
                }
                self.g
                    .log_expr(&format!("await closed{p}, {s}.exitCode, {s}.signalCode"));
            }
            1 => {
                let prog = *self.g.rng.pick(&["nosuchprog", "no-such-tool", "cd"]);
                self.g
                    .line(&format!("const {s} = spawn(\"{prog}\", [\"--version\"]);"));
                let l = self.g.label();
                self.g.line(&format!(
                    "{s}.on(\"error\", (e) => console.log(\"{l}\", e.code, e.errno, e.syscall, e.path, e.spawnargs, e.message));"
                ));
                self.g
                    .log_expr(&format!("await closeOf({s}), typeof {s}.pid, {s}.exitCode"));
            }
            2 => {
                // stdio inherit: the program writes straight to our stdout before it exits.
                let (prog, args) = *self.g.rng.pick(&[
                    ("echo", "[\"inherited\", \"output\"]"),
                    ("printf", "[\"%s\\n\", \"p\", \"q\"]"),
                    ("false", "[]"),
                ]);
                let stdio = *self.g.rng.pick(&[
                    "\"inherit\"",
                    "\"ignore\"",
                    "[\"ignore\", \"inherit\", \"ignore\"]",
                ]);
                self.g.line(&format!(
                    "const {s} = spawn(\"{prog}\", {args}, {{ stdio: {stdio} }});"
                ));
                self.g
                    .log_expr(&format!("await closeOf({s}), {s}.stdout, {s}.stdio.length"));
            }
            _ => {
                let stdin = self.sw.on("stdin") && self.g.rng.chance(40);
                let shell = !stdin && self.g.rng.chance(30);
                if shell {
                    let line = self.shell_line(None);
                    self.g.line(&format!(
                        "const {s} = spawn({}, {{ shell: true }});",
                        js(&line)
                    ));
                } else if stdin {
                    let prog = *self.g.rng.pick(&[
                        "\"cat\"",
                        "\"wc\", [\"-l\"]",
                        "\"grep\", [\"-n\", \"b\"]",
                        "\"wc\", [\"-c\"]",
                    ]);
                    self.g.line(&format!("const {s} = spawn({prog});"));
                } else {
                    let (prog, args) = *self.g.rng.pick(&[
                        ("echo", "[\"a\", \"b  c\"]"),
                        ("printf", "[\"%s=%d\\n\", \"x\", \"1\", \"y\", \"2\"]"),
                        ("cat", "[\"missing.txt\"]"),
                        ("grep", "[\"-q\", \"x\", \"nofile\"]"),
                        ("head", "[\"-c\", \"2\", \"nofile\"]"),
                        ("printf", "[\"%d\", \"x\"]"),
                    ]);
                    self.g
                        .line(&format!("const {s} = spawn(\"{prog}\", {args});"));
                }
                self.g.line(&format!("const chunks{p} = [];"));
                self.g.line(&format!("let err{p} = \"\";"));
                if self.g.rng.chance(30) {
                    self.g.line(&format!("{s}.stdout.setEncoding(\"utf8\");"));
                    self.g.line(&format!(
                        "{s}.stdout.on(\"data\", (d) => chunks{p}.push(d));"
                    ));
                } else {
                    self.g.line(&format!(
                        "{s}.stdout.on(\"data\", (d) => chunks{p}.push(d));"
                    ));
                }
                self.g.line(&format!(
                    "{s}.stderr.on(\"data\", (d) => {{ err{p} += d; }});"
                ));
                let ev = self.g.rng.chance(40);
                if ev {
                    self.g.line(&format!("const ex{p} = [];"));
                    self.g.line(&format!(
                        "{s}.on(\"exit\", (code, sig) => ex{p}.push(code, sig));"
                    ));
                }
                if stdin {
                    let (a, b) = (
                        js(self.g.rng.pick(&["a\nb\n", "abc\n", "", "one\ntwo"])),
                        js(self.g.rng.pick(&["b\n", "xyz\nbb\n", "last"])),
                    );
                    self.g.line(&format!("{s}.stdin.write({a});"));
                    self.g.line(&format!("{s}.stdin.end({b});"));
                }
                self.g.line(&format!("const code{p} = await closeOf({s});"));
                let shown = if self.body_has(&format!("{s}.stdout.setEncoding")) {
                    format!("chunks{p}.every((t) => typeof t === \"string\"), chunks{p}.join(\"\")")
                } else {
                    format!("Buffer.concat(chunks{p}).toString()")
                };
                let evs = if ev {
                    format!(", ex{p}")
                } else {
                    String::new()
                };
                self.g
                    .log_expr(&format!("code{p}, {shown}, JSON.stringify(err{p}){evs}"));
            }
        }
    }

    // ------------------------------------------------------------------ sync forms

    /// 1 to 3 calls of `execSync`, `execFileSync` or `spawnSync`; their results, or the
    /// errors they throw (status, signal, captured stdout and stderr).
    fn sync_phase(&mut self) {
        let p = self.phases;
        for k in 0..self.g.rng.range(1, 3) {
            match self.g.rng.below(5) {
                0 => {
                    // A line that may fail or write to stderr: stdio "pipe", and try/catch.
                    let line = self.shell_line(None);
                    let l = self.g.label();
                    self.g.open("try {");
                    let enc = if self.g.rng.chance(50) {
                        "encoding: \"utf8\", "
                    } else {
                        ""
                    };
                    self.g.log_expr(&format!(
                        "\"ok\", execSync({}, {{ {enc}stdio: \"pipe\" }})",
                        js(&line)
                    ));
                    self.g.close("} catch (e) {");
                    self.g.indent += 1;
                    let shape = *self.g.rng.pick(&[
                        "e.status, e.signal, String(e.stdout), String(e.stderr)",
                        "e.message, e.status",
                        "e instanceof Error, e.status, e.stderr.length",
                    ]);
                    self.g.line(&format!("console.log(\"{l}\", {shape});"));
                    self.g.close("}");
                }
                1 => {
                    // A line that succeeds quietly, default options.
                    let line = self
                        .g
                        .rng
                        .pick(&[
                            "echo sync",
                            "printf '%s,' a b c",
                            "echo one two | wc -w",
                            "true && echo yes || echo no",
                            "false || echo fallback",
                            "printf 'k\\nl\\n' | head -n 1",
                        ])
                        .to_string();
                    let e = if self.g.rng.chance(50) {
                        format!("execSync({}).toString()", js(&line))
                    } else {
                        format!("execSync({}, {{ encoding: \"utf8\" }})", js(&line))
                    };
                    self.g.log_expr(&e);
                }
                2 if self.sw.on("stdin") => {
                    let input = js(self.g.rng.pick(&["a\nb\nc\n", "hello", "x y\nz\n", ""]));
                    let e = match self.g.rng.below(3) {
                        0 => format!(
                            "execSync(\"wc -l\", {{ input: {input}, encoding: \"utf8\" }})"
                        ),
                        1 => format!("execSync(\"cat\", {{ input: {input} }})"),
                        _ => format!(
                            "spawnSync(\"grep\", [\"-c\", \"[a-z]\"], {{ input: {input}, encoding: \"utf8\" }}).stdout"
                        ),
                    };
                    self.g.log_expr(&e);
                }
                3 => {
                    let (prog, args) = *self.g.rng.pick(&[
                        ("printf", "[\"%s|\", \"a\", \"b\"]"),
                        ("echo", "[\"-n\", \"no newline\"]"),
                        ("cat", "[\"nofile\"]"),
                        ("nosuchprog", "[]"),
                        ("false", "[]"),
                        ("wc", "[\"-c\", \"nofile\"]"),
                    ]);
                    let r = format!("r{p}_{k}");
                    let enc = if self.g.rng.chance(60) {
                        ", { encoding: \"utf8\" }"
                    } else {
                        ""
                    };
                    self.g
                        .line(&format!("const {r} = spawnSync(\"{prog}\", {args}{enc});"));
                    self.g.log_expr(&format!(
                        "{r}.status, {r}.signal, {r}.error && [{r}.error.code, {r}.error.syscall, {r}.error.path], {r}.stdout, {r}.stderr, {r}.output && {r}.output.length"
                    ));
                }
                _ => {
                    let (prog, args) = *self.g.rng.pick(&[
                        ("printf", "[\"%s;\", \"x\", \"y\"]"),
                        ("echo", "[\"file\", \"sync\"]"),
                        ("false", "[]"),
                        ("nosuchprog", "[\"a\"]"),
                        ("grep", "[\"x\", \"nofile\"]"),
                    ]);
                    let l = self.g.label();
                    self.g.open("try {");
                    self.g.log_expr(&format!(
                        "execFileSync(\"{prog}\", {args}, {{ encoding: \"utf8\", stdio: \"pipe\" }})"
                    ));
                    self.g.close("} catch (e) {");
                    self.g.indent += 1;
                    self.g.line(&format!(
                        "console.log(\"{l}\", e.code, e.status, e.message, e.stdout, e.stderr);"
                    ));
                    self.g.close("}");
                }
            }
        }
    }

    /// Parent-only work between phases (no child is running): microtasks, a plain block,
    /// files for later shell lines, or one awaited timer or immediate.
    fn interlude(&mut self) {
        match self.g.rng.below(4) {
            0 => self.g.micro_stmt(0),
            1 => self.g.plain_block(),
            2 if self.sw.on("files") && (self.sw.on("exec") || self.sw.on("sync")) => {
                // Files written with fs, listed and read by a shell line.
                self.need_fs = true;
                let p = self.phases;
                let d = format!("d{p}");
                self.g.line(&format!(
                    "fs.mkdirSync(path.join(__dirname, \"{d}\"), {{ recursive: true }});"
                ));
                let names = ["b.txt", "a.txt", "c.log"];
                let k = self.g.rng.range(1, 3) as usize;
                for name in names.iter().take(k) {
                    let v = js(self
                        .g
                        .rng
                        .pick(&["one\ntwo\n", "alpha\n", "xyz", "b\nab\n"]));
                    self.g.line(&format!(
                        "fs.writeFileSync(path.join(__dirname, \"{d}\", \"{name}\"), {v});"
                    ));
                }
                let line = self
                    .g
                    .rng
                    .pick(&[
                        "ls DIR",
                        "ls DIR && cat DIR/b.txt",
                        "cat DIR/b.txt | wc -l",
                        "grep -c . DIR/b.txt",
                        "ls -1 DIR | head -n 1",
                        "head -n 1 DIR/b.txt",
                    ])
                    .replace("DIR", &d);
                if self.sw.on("sync") {
                    let l = self.g.label();
                    self.g.line(&format!(
                        "try {{ console.log(\"{l}\", execSync({}, {{ encoding: \"utf8\", stdio: \"pipe\" }})); }} catch (e) {{ console.log(\"{l}\", e.status, String(e.stderr)); }}",
                        js(&line)
                    ));
                } else {
                    self.need_sh = true;
                    self.g.log_expr(&format!("await sh({})", js(&line)));
                }
            }
            _ => {
                let d = *self.g.rng.pick(&[0, 1, 4]);
                let l = self.g.label();
                self.g.line(&format!(
                    "await new Promise((res) => setTimeout(res, {d})); console.log(\"{l}\");"
                ));
            }
        }
    }
}
