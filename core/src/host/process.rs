//! Node's `process` object: `nextTick`, `exit`, `exitCode`, `cwd`, `hrtime`, `memoryUsage`,
//! `env`, `argv`, `pid`, `ppid`, `execPath`, `kill`, `stdout` and `stderr` (streams built on
//! first use, [`super::stream::stdio`]) and the constant properties (a process's
//! own values are its [`Identity`]); `process` as an EventEmitter (its `emit` is the
//! prelude's) for `uncaughtException`, `unhandledRejection`, `beforeExit` and `exit`; and
//! Node's fatal-exception path: an uncaught error goes to `uncaughtException` listeners or is
//! printed the way Node prints it, and the process exits.
//!
//! The nextTick queue itself is drained by the event loop ([`super::event_loop`]).

use super::errors::{received, set_code};
use super::Stream;
use crate::builtins::arg;
use crate::heap::PropKey;
use crate::machine::process::{Kill, StdioMode, EXEC_PATH, MAIN_PID, MAIN_PPID};
use crate::recorder::Event;
use crate::value::Value;
use crate::vm::{Abort, JsResult, Vm};

/// Who a process is: what `process.pid`, `ppid`, `argv`, `execArgv` and `env` say, and how
/// it is connected to its parent. Every thread of a process has the process's identity.
#[derive(Clone, Debug)]
pub struct Identity {
    pub pid: u32,
    pub ppid: u32,
    /// `process.argv` (empty: `[execPath, the program's file]`).
    pub argv: Vec<String>,
    pub exec_argv: Vec<String>,
    /// `process.env`, in order.
    pub env: Vec<(String, String)>,
    /// A child's end of its channel to the parent (its IPC when `ipc`, and its signals).
    pub channel: Option<u64>,
    pub ipc: bool,
    /// IPC messages use the structured clone (`serialization: 'advanced'`).
    pub advanced: bool,
    /// A child's parent-side port, where its stdout and stderr go, and its stdio.
    pub stdio: Option<(u64, [StdioMode; 3])>,
    /// Whether its stdout and stderr are the terminal's (the main program's are; a child's
    /// are when it inherits them from a parent whose are).
    pub terminal: [bool; 2],
}

impl Default for Identity {
    fn default() -> Self {
        Identity {
            pid: MAIN_PID,
            ppid: MAIN_PPID,
            argv: Vec::new(),
            exec_argv: Vec::new(),
            env: Vec::new(),
            channel: None,
            ipc: false,
            advanced: false,
            stdio: None,
            terminal: [true, true],
        }
    }
}

fn next_tick(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let f = arg(args, 0);
    if !vm.is_callable(&f) {
        let e = vm.type_error(&format!(
            "The \"callback\" argument must be of type function. Received {}",
            received(vm, &f)
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    if vm.host.exiting {
        return Ok(Value::Undefined);
    }
    if vm.recording() {
        let label = vm.callback_label(&f);
        vm.recorder.event(Event::TickQueued { label: &label });
    }
    vm.host
        .next_ticks
        .push_back((f, args.iter().skip(1).cloned().collect()));
    Ok(Value::Undefined)
}
fn process_exit(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let code = match arg(args, 0) {
        Value::Undefined => vm.exit_code(),
        v => vm.to_number(&v)? as i32,
    };
    let p = vm.host.process;
    vm.put(p, "exitCode", Value::Num(code as f64));
    vm.abort = Some(Abort::Exit(code));
    Err(Value::Undefined)
}
/// `process.kill(pid, signal = 'SIGTERM')`: sends a signal to a process of the machine (0
/// only checks that it exists); Node's `ESRCH` error when there is none.
fn process_kill(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let pid = arg(args, 0);
    let Value::Num(n) = pid else {
        let e = vm.type_error(&format!(
            "The \"pid\" argument must be of type number. Received {}",
            received(vm, &pid)
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    };
    let signal = match signal_arg(vm, &arg(args, 1))? {
        Some(s) => s,
        None => return Ok(Value::Bool(exists(vm, n))),
    };
    if !exists(vm, n) {
        let e = vm.make_error(vm.realm.error_proto, "kill ESRCH");
        if let Value::Obj(o) = e {
            vm.put(o, "errno", Value::Num(-3.0));
            vm.put(o, "code", Value::str("ESRCH"));
            vm.put(o, "syscall", Value::str("kill"));
        }
        return Err(e);
    }
    vm.send_signal(n as u32, signal);
    Ok(Value::Bool(true))
}

/// Whether process `pid` of the machine is running (or still tearing down).
fn exists(vm: &Vm, pid: f64) -> bool {
    let now = vm.clock_ns;
    let exit_ns = vm.host.cost.process_exit_ns;
    match &vm.host.link {
        Some(l) if pid >= 0.0 && pid.fract() == 0.0 => l
            .bus
            .borrow()
            .procs
            .get(pid as u32)
            .is_some_and(|e| e.alive(now) || e.tearing_down(now, exit_ns, "SIGKILL")),
        _ => false,
    }
}

/// A signal argument (`'SIGTERM'` by default, a name or a number); `None` for signal 0.
pub(crate) fn signal_arg(vm: &mut Vm, v: &Value) -> Result<Option<&'static str>, Value> {
    let found = match v {
        Value::Undefined => Some("SIGTERM"),
        Value::Num(n) if *n == 0.0 => return Ok(None),
        Value::Num(n) => crate::machine::process::signal_name(*n as i32),
        Value::Str(s) => crate::machine::process::SIGNALS
            .iter()
            .find(|(name, _)| **name == **s)
            .map(|(name, _)| *name),
        _ => None,
    };
    match found {
        Some(s) => Ok(Some(s)),
        None => {
            let shown = vm.to_display(v);
            let e = vm.type_error(&format!("Unknown signal: {shown}"));
            set_code(vm, &e, "ERR_UNKNOWN_SIGNAL");
            Err(e)
        }
    }
}

impl Vm {
    /// Asks the machine to deliver `signal` to process `pid` (after this step).
    pub(crate) fn send_signal(&mut self, pid: u32, signal: &'static str) {
        let now = self.clock_ns;
        if let Some(l) = &self.host.link {
            let from = l.id;
            l.bus.borrow_mut().procs.kills.push(Kill {
                pid,
                signal,
                at_ns: now,
                from,
            });
        }
        self.host_event(Event::Signal { pid, signal });
    }
}

fn process_cwd(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::str(&vm.host.cwd.clone()))
}
fn process_hrtime(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let ns = vm.clock_ns;
    Ok(vm.new_array(vec![
        Value::Num((ns / 1_000_000_000) as f64),
        Value::Num((ns % 1_000_000_000) as f64),
    ]))
}
fn process_memory(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = vm.new_object();
    let n = (vm.heap.objects.len() * 64) as f64;
    vm.put(o, "rss", Value::Num(n));
    vm.put(o, "heapTotal", Value::Num(n));
    vm.put(o, "heapUsed", Value::Num(n));
    vm.put(o, "external", Value::Num(0.0));
    vm.put(o, "arrayBuffers", Value::Num(0.0));
    Ok(Value::Obj(o))
}

/// `process.stdout` / `process.stderr`: a getter that builds the stream on first use.
fn stdio_get(vm: &mut Vm, _t: Value, _args: &[Value], d: &[Value]) -> JsResult {
    let fd = match d.first() {
        Some(Value::Num(n)) if *n == 2.0 => 2,
        _ => 1,
    };
    super::stream::stdio(vm, fd)
}

/// Installs the global `process` (an EventEmitter once the prelude has run, see
/// [`inherit_event_emitter`]).
pub fn install(vm: &mut Vm) {
    let g = vm.realm.global;

    let process = vm.new_object();
    vm.host.process = process;
    vm.method(process, "nextTick", 1, next_tick);
    vm.method(process, "exit", 1, process_exit);
    vm.method(process, "cwd", 0, process_cwd);
    vm.method(process, "hrtime", 0, process_hrtime);
    vm.method(process, "memoryUsage", 0, process_memory);
    vm.put(process, "exitCode", Value::Undefined);
    vm.put(process, "platform", Value::str("linux"));
    vm.put(process, "version", Value::str("v20.20.2"));
    vm.method(process, "kill", 2, process_kill);
    let identity = vm.host.identity.clone();
    vm.put(process, "pid", Value::Num(identity.pid as f64));
    vm.put(process, "ppid", Value::Num(identity.ppid as f64));
    vm.put(process, "execPath", Value::str(EXEC_PATH));
    let versions = vm.new_object();
    vm.put(versions, "node", Value::str("20.20.2"));
    vm.put(process, "versions", Value::Obj(versions));
    let env = vm.new_object();
    for (k, v) in &identity.env {
        vm.put(env, k, Value::str(v));
    }
    vm.put(process, "env", Value::Obj(env));
    let argv = if identity.argv.is_empty() {
        vec![Value::str(EXEC_PATH), Value::Str(vm.filename.clone())]
    } else {
        identity.argv.iter().map(|a| Value::str(a)).collect()
    };
    let argv = vm.new_array(argv);
    vm.put(process, "argv", argv);
    let exec_argv = identity.exec_argv.iter().map(|a| Value::str(a)).collect();
    let exec_argv = vm.new_array(exec_argv);
    vm.put(process, "execArgv", exec_argv);
    crate::builtins::getter(vm, process, "stdout", stdio_get, vec![Value::Num(1.0)]);
    crate::builtins::getter(vm, process, "stderr", stdio_get, vec![Value::Num(2.0)]);
    vm.put_hidden(g, "process", Value::Obj(process));
}

/// Makes `process` an EventEmitter: its prototype becomes `EventEmitter.prototype`.
pub fn inherit_event_emitter(vm: &mut Vm, event_emitter: &Value) {
    if let Ok(Value::Obj(proto)) = vm.get(event_emitter, PropKey::Str(vm.names.prototype)) {
        let p = vm.host.process;
        vm.heap.obj_mut(p).proto = Some(proto);
    }
}

impl Vm {
    pub(super) fn process_listener_count(&mut self, event: &str) -> usize {
        let p = Value::Obj(self.host.process);
        let f = match self.get_by_name(&p, "listenerCount") {
            Ok(f) => f,
            Err(_) => return 0,
        };
        match self.call(&f, p, &[Value::str(event)]) {
            Ok(Value::Num(n)) => n as usize,
            _ => 0,
        }
    }

    /// process.emit(event, ...args); returns whether listeners existed.
    pub fn process_emit(&mut self, event: &str, args: &[Value]) -> Result<bool, Value> {
        let p = Value::Obj(self.host.process);
        let f = self.get_by_name(&p, "emit")?;
        let mut all = vec![Value::str(event)];
        all.extend_from_slice(args);
        Ok(self.call(&f, p, &all)?.truthy())
    }

    /// Node's fatal-exception path: uncaughtException listeners or print + exit 1.
    /// Returns Err(()) when the process must stop.
    pub fn handle_uncaught(&mut self, e: Value, origin: &str) -> Result<(), ()> {
        if self.abort.is_some() {
            return Err(());
        }
        if self.process_listener_count("uncaughtException") > 0 {
            match self.process_emit("uncaughtException", &[e, Value::str(origin)]) {
                Ok(_) => return Ok(()),
                Err(e2) => {
                    if self.abort.is_none() {
                        self.print_fatal(&e2, "uncaughtException");
                        self.abort = Some(Abort::Exit(7));
                    }
                    return Err(());
                }
            }
        }
        if !self.report_to_parent(&e) {
            self.print_fatal(&e, origin);
        }
        self.abort = Some(Abort::Exit(1));
        Err(())
    }

    /// Where Node's caret goes for an uncaught `e`: the `throw` statement that threw it, else
    /// the first frame of its stack. (file, line, column), 1-based.
    fn fatal_location(&mut self, e: &Value) -> Option<(String, usize, usize)> {
        let Value::Obj(o) = e else { return None };
        if let Some((thrown, at, func)) = self.last_throw {
            if thrown == *o {
                let (file, l, c) = self.position(func, at);
                return Some((file, l as usize, c as usize));
            }
        }
        let stack = self
            .get(e, PropKey::Str(self.names.stack))
            .unwrap_or(Value::Undefined);
        let Value::Str(s) = &stack else { return None };
        let loc = s.lines().nth(1).and_then(|l| {
            l.rsplit_once('(')
                .map(|x| x.1.trim_end_matches(')').to_string())
                .or_else(|| l.trim().strip_prefix("at ").map(|x| x.to_string()))
        })?;
        let mut parts = loc.rsplitn(3, ':');
        let col: usize = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
        let line: usize = parts.next().and_then(|c| c.parse().ok()).unwrap_or(1);
        let file = parts.next().unwrap_or("").to_string();
        Some((file, line, col))
    }

    /// Prints an uncaught error the way Node does (stderr).
    pub fn print_fatal(&mut self, e: &Value, origin: &str) {
        let mut text = String::new();
        let is_error = matches!(e, Value::Obj(o) if matches!(self.heap.obj(*o).kind, crate::heap::ObjKind::Error));
        if origin == "unhandledRejection" && !is_error {
            let shown = match e {
                Value::Str(s) => s.to_string(),
                other => crate::inspect::inspect(self, other, Default::default()),
            };
            text.push_str(&format!(
                "node:internal/process/promises:289\n            triggerUncaughtException(err, true /* fromPromise */);\n            ^\n\n[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason \"{shown}\".] {{\n  code: 'ERR_UNHANDLED_REJECTION'\n}}\n"
            ));
        } else {
            if let Some((file, line, col)) = self.fatal_location(e) {
                let source = self.source_named(&file);
                if let Some(src_line) = source.lines().nth(line.saturating_sub(1)) {
                    text.push_str(&format!(
                        "{file}:{line}\n{src_line}\n{}^\n\n",
                        " ".repeat(col.saturating_sub(1))
                    ));
                }
            }
            let shown = if is_error {
                crate::inspect::inspect(self, e, Default::default())
            } else {
                format!(
                    "Uncaught {}",
                    crate::inspect::inspect(self, e, Default::default())
                )
            };
            text.push_str(&shown);
            text.push('\n');
        }
        text.push_str("\nNode.js v20.20.2\n");
        self.write(Stream::Stderr, text);
    }

    /// process.exitCode as an integer.
    pub fn exit_code(&mut self) -> i32 {
        let p = Value::Obj(self.host.process);
        match self.get_by_name(&p, "exitCode") {
            Ok(Value::Num(n)) => n as i32,
            Ok(Value::Str(s)) => s.parse().unwrap_or(0),
            _ => 0,
        }
    }
}
