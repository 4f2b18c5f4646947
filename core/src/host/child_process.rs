//! `child_process` (and a child's side of its channel): the native half of `spawn`, `fork`,
//! `exec`, `execFile` and their sync forms, whose JavaScript half is the prelude's
//! `childProcess`. Built on the first `require`, and in every Node child at start-up (its
//! `process.send`, `process.on('message')` and signals need it).
//!
//! What a spawn starts is decided here:
//! - `node` (by name or as `process.execPath`) with a file or `-e CODE`: a new Node process
//!   of the machine ([`crate::machine::process::NodeSpawn`]), booted by the machine after
//!   this step; its first statement runs `fork_start_ns` later;
//! - `/bin/sh -c LINE` and the machine's programs: the virtual shell ([`crate::shell`]) runs
//!   them now, and their output chunks and their end are queued on the child's handle port at
//!   the times the run reports. A `node` inside a shell line runs as a separate simulation
//!   (not on this machine's cores) whose output comes back the same way;
//! - anything else: `ENOENT`, as from `posix_spawn`.
//!
//! `spawn` itself blocks the calling thread for `process_start_ns` (libuv's `uv_spawn` waits
//! for the child to exist), as it does in Node.

use super::clone::{deserialize, serialize};
use super::process::Identity;
use super::Stream;
use crate::builtins::arg;
use crate::machine::bus::{Payload, PortId, ProcEvent};
use crate::machine::process::{
    finish_on, NodeSpawn, PendingProgram, ProcEntry, StdioMode, EXEC_PATH,
};
use crate::recorder::{Event, SpawnKind};
use crate::shell::{self, ProgramRun, ShellContext, ShellHost};
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};
use std::cell::Cell;

/// How deep `node` inside shell lines may nest (each is a whole simulation).
const MAX_NESTED_NODE: u32 = 3;

thread_local! {
    static NESTED_NODE: Cell<u32> = const { Cell::new(0) };
}

fn link(vm: &Vm) -> &super::worker_threads::AgentLink {
    vm.host.link.as_ref().expect("every agent has a link")
}

fn port_arg(args: &[Value], i: usize) -> PortId {
    match arg(args, i) {
        Value::Num(n) => n as PortId,
        _ => u64::MAX,
    }
}

/// The natives of the JavaScript side.
fn natives(vm: &mut Vm) -> ObjId {
    let n = vm.new_object();
    vm.method(n, "spawn", 3, cp_spawn);
    vm.method(n, "spawnSync", 3, cp_spawn_sync);
    vm.method(n, "kill", 2, cp_kill);
    vm.method(n, "input", 3, cp_input);
    vm.method(n, "send", 3, cp_send);
    vm.method(n, "disconnect", 1, cp_disconnect);
    vm.method(n, "bind", 2, cp_bind);
    vm.method(n, "ref", 2, cp_ref);
    vm.method(n, "handle", 3, cp_handle);
    n
}

/// Builds the prelude's `childProcess` for this agent: `{ module, dispatch, setupChild }`.
fn build(vm: &mut Vm) -> JsResult {
    if let Some(Value::Obj(b)) = vm.host.modules.get("\0childProcess") {
        return Ok(Value::Obj(*b));
    }
    let n = natives(vm);
    let factory = super::prelude_get(vm, "childProcess");
    let built = vm.call(&factory, Value::Undefined, &[Value::Obj(n)])?;
    let dispatch = vm.get_by_name(&built, "dispatch")?;
    if let Some(l) = vm.host.link.as_mut() {
        l.proc_dispatch = Some(dispatch);
    }
    vm.host
        .modules
        .insert("\0childProcess".into(), built.clone());
    Ok(built)
}

/// The first `require('child_process')`.
pub fn load(vm: &mut Vm) -> JsResult {
    let built = build(vm)?;
    let module = vm.get_by_name(&built, "module")?;
    vm.host
        .modules
        .insert("child_process".into(), module.clone());
    Ok(module)
}

/// The first `require('cluster')` (a worker's was built at its start-up).
pub fn load_cluster(vm: &mut Vm) -> JsResult {
    let built = build(vm)?;
    let get = vm.get_by_name(&built, "cluster")?;
    let module = vm.call(&get, Value::Undefined, &[])?;
    vm.host.modules.insert("cluster".into(), module.clone());
    Ok(module)
}

/// A Node child's start-up: its `process` gets its end of the channel (`send`,
/// `disconnect`, `connected` when it has IPC; signals always).
pub fn install_child(vm: &mut Vm) {
    let identity = vm.host.identity.clone();
    let Some(channel) = identity.channel else {
        return;
    };
    let Ok(built) = build(vm) else { return };
    let Ok(setup) = vm.get_by_name(&built, "setupChild") else {
        return;
    };
    let _ = vm.call(
        &setup,
        Value::Undefined,
        &[
            Value::Num(channel as f64),
            Value::Bool(identity.ipc),
            Value::Bool(identity.advanced),
        ],
    );
}

/// An array of strings (non-arrays: empty).
fn strings(vm: &mut Vm, v: &Value) -> Result<Vec<String>, Value> {
    let mut out = Vec::new();
    for item in vm.array_items(v) {
        out.push(vm.to_string(&item)?.to_string());
    }
    Ok(out)
}

/// What the JavaScript side passes as spawn options.
struct SpawnOptions {
    cwd: String,
    env: Vec<(String, String)>,
    stdio: [StdioMode; 3],
    ipc: bool,
    advanced: bool,
    argv0: Option<String>,
    /// What a sync child reads on stdin (`input`).
    input: Option<String>,
}

fn spawn_options(vm: &mut Vm, v: &Value) -> Result<SpawnOptions, Value> {
    let cwd = match vm.get_by_name(v, "cwd")? {
        Value::Undefined | Value::Null => vm.host.cwd.clone(),
        c => {
            let c = vm.to_string(&c)?.to_string();
            super::fs::resolve_path(vm, &c)
        }
    };
    let env_list = vm.get_by_name(v, "env")?;
    let flat = strings(vm, &env_list)?;
    let env = flat
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect();
    let stdio_list = vm.get_by_name(v, "stdio")?;
    let modes = strings(vm, &stdio_list)?;
    let mut stdio = [StdioMode::Pipe; 3];
    for (k, m) in modes.iter().take(3).enumerate() {
        stdio[k] = match m.as_str() {
            "inherit" => StdioMode::Inherit,
            "ignore" => StdioMode::Ignore,
            _ => StdioMode::Pipe,
        };
    }
    let ipc = vm.get_by_name(v, "ipc")?.truthy();
    let advanced = vm.get_by_name(v, "advanced")?.truthy();
    let argv0 = match vm.get_by_name(v, "argv0")? {
        Value::Str(s) => Some(s.to_string()),
        _ => None,
    };
    let input = match vm.get_by_name(v, "input")? {
        Value::Undefined | Value::Null => None,
        i => Some(vm.to_string(&i)?.to_string()),
    };
    Ok(SpawnOptions {
        cwd,
        env,
        stdio,
        ipc,
        advanced,
        argv0,
        input,
    })
}

/// What a command names.
enum Target {
    /// A Node process: its file name, source and argv after the script.
    Node {
        filename: String,
        source: String,
        argv: Vec<String>,
        exec_argv: Vec<String>,
    },
    /// `node --version` and other output-only invocations of node.
    NodeInfo(ProgramRun),
    /// `/bin/sh -c LINE`.
    Shell(String),
    /// A program of the machine.
    Program,
}

fn is_node(file: &str) -> bool {
    file == "node" || file == EXEC_PATH || file == "/usr/bin/node"
}

fn is_shell(file: &str) -> bool {
    matches!(
        file,
        "sh" | "/bin/sh" | "/usr/bin/sh" | "bash" | "/bin/bash"
    )
}

/// Reads `node [options] (FILE | -e CODE | -p CODE) [args]`.
fn node_target(vm: &Vm, args: &[String], cwd: &str) -> Target {
    let mut exec_argv = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "-v" | "--version" => {
                return Target::NodeInfo(ProgramRun {
                    stdout: vec![(0, "v20.20.2\n".into())],
                    ..Default::default()
                })
            }
            "-e" | "--eval" | "-p" | "--print" => {
                let code = args.get(i + 1).cloned().unwrap_or_default();
                let source = if a.starts_with("-p") || a == "--print" {
                    format!(
                        "console.log(eval({}))",
                        serde_json::to_string(&code).unwrap_or_default()
                    )
                } else {
                    code
                };
                exec_argv.push(a.clone());
                exec_argv.push(args.get(i + 1).cloned().unwrap_or_default());
                return Target::Node {
                    filename: "[eval]".into(),
                    source,
                    argv: args[(i + 2).min(args.len())..].to_vec(),
                    exec_argv,
                };
            }
            s if s.starts_with('-') => {
                exec_argv.push(a.clone());
                i += 1;
            }
            _ => {
                let path = if a.starts_with('/') {
                    super::fs::normalize(a)
                } else {
                    super::fs::normalize(&format!("{cwd}/{a}"))
                };
                let source = match vm.host.files.get(&path) {
                    Some(s) => s.clone(),
                    None => format!(
                        "const e = new Error({}); e.code = 'MODULE_NOT_FOUND'; e.requireStack = []; throw e;",
                        serde_json::to_string(&format!("Cannot find module '{path}'")).unwrap_or_default()
                    ),
                };
                let mut argv = vec![path.clone()];
                argv.extend(args[i + 1..].iter().cloned());
                return Target::Node {
                    filename: path,
                    source,
                    argv,
                    exec_argv,
                };
            }
        }
    }
    Target::NodeInfo(ProgramRun {
        stderr: vec![(
            0,
            "looplab: `node` without a script would start the REPL, which the simulator does not have\n"
                .into(),
        )],
        status: 9,
        ..Default::default()
    })
}

fn target(vm: &Vm, file: &str, args: &[String], cwd: &str) -> Target {
    if is_node(file) {
        return node_target(vm, args, cwd);
    }
    if is_shell(file) && args.first().map(String::as_str) == Some("-c") {
        return Target::Shell(args.get(1).cloned().unwrap_or_default());
    }
    Target::Program
}

/// Runs a program or shell line now (what the spawned process will do), or `None` for a
/// program the machine does not have.
fn run_now(
    vm: &mut Vm,
    file: &str,
    args: &[String],
    o: &SpawnOptions,
    t: &Target,
    stdin: String,
) -> Option<ProgramRun> {
    let ctx = ShellContext {
        cwd: o.cwd.clone(),
        env: o.env.clone(),
        stdin,
    };
    let mut host = VmShell { vm };
    match t {
        Target::NodeInfo(run) => Some(run.clone()),
        Target::Shell(line) => Some(shell::run_line(line, &ctx, &mut host)),
        Target::Program => shell::run_program(file, args, &ctx, &mut host),
        Target::Node { .. } => None,
    }
}

/// `spawn(file, args, options)` → `[pid, handlePort, isNode]`, or a negative errno (`-2`
/// ENOENT, `-11` EAGAIN: the machine's process table is full).
fn cp_spawn(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let file = vm.to_string(&arg(args, 0))?.to_string();
    let argv = strings(vm, &arg(args, 1))?;
    let o = spawn_options(vm, &arg(args, 2))?;
    let start_cost = vm.host.cost.process_start_ns;
    let t = target(vm, &file, &argv, &o.cwd);
    let is_node = matches!(t, Target::Node { .. });
    let program = if is_node {
        None
    } else {
        match run_now(vm, &file, &argv, &o, &t, String::new()) {
            Some(run) => Some(run),
            None => {
                vm.block_for(start_cost);
                return Ok(Value::Num(-2.0));
            }
        }
    };
    let me = link(vm).id;
    let now = vm.clock_ns;
    let (pid, handle, child_port) = {
        let mut bus = link(vm).bus.borrow_mut();
        let Some(pid) = bus.procs.allocate() else {
            drop(bus);
            vm.block_for(start_cost);
            return Ok(Value::Num(-11.0));
        };
        let (handle, child_port) = bus.channel(me);
        if let Some(p) = bus.ports.get_mut(&handle) {
            p.refed = true;
            p.started = true;
        }
        if let Some(p) = bus.ports.get_mut(&child_port) {
            p.started = true;
        }
        (pid, handle, child_port)
    };
    let ppid = vm.host.identity.pid;
    let command = std::iter::once(o.argv0.clone().unwrap_or_else(|| file.clone()))
        .chain(argv.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    let mut entry = ProcEntry {
        pid,
        ppid,
        command: command.clone(),
        agent: None,
        handle: Some(handle),
        child_port: Some(child_port),
        stdio: o.stdio,
        ipc: o.ipc,
        connected: o.ipc,
        advanced: o.advanced,
        started_ns: now,
        ends_ns: None,
        exit: None,
        cpu_ns: 0,
        waiting_for_input: None,
        handled: Vec::new(),
    };
    let begin = now + start_cost;
    match (t, program) {
        (
            Target::Node {
                filename,
                source,
                argv: rest,
                exec_argv,
            },
            _,
        ) => {
            let mut full_argv = vec![o.argv0.clone().unwrap_or_else(|| EXEC_PATH.to_string())];
            full_argv.extend(rest);
            let inherits = |fd: usize| o.stdio[fd] == StdioMode::Inherit;
            let parent_terminal = vm.host.identity.terminal;
            let identity = Identity {
                terminal: [
                    inherits(1) && parent_terminal[0],
                    inherits(2) && parent_terminal[1],
                ],
                pid,
                ppid,
                argv: full_argv,
                exec_argv,
                env: o.env.clone(),
                channel: Some(child_port),
                ipc: o.ipc,
                advanced: o.advanced,
                stdio: Some((handle, o.stdio)),
            };
            let mut bus = link(vm).bus.borrow_mut();
            // the child's end of the channel belongs to its main thread from now on
            let agent = bus.next_agent;
            bus.next_agent += 1;
            if let Some(p) = bus.ports.get_mut(&child_port) {
                p.owner = agent;
            }
            entry.agent = Some(agent);
            bus.procs.entries.push(entry);
            bus.procs.spawns.push(NodeSpawn {
                agent,
                pid,
                parent: me,
                child_port,
                handle,
                filename,
                source,
                identity,
                at_ns: now,
                files: vm.host.files.clone(),
                dirs: vm.host.dirs.clone(),
            });
        }
        (_, Some(run)) if run.read_stdin && o.stdio[0] == StdioMode::Pipe => {
            // it reads what the parent writes to `child.stdin`: it runs when that ends
            entry.waiting_for_input = Some(PendingProgram {
                file,
                args: argv,
                cwd: o.cwd.clone(),
                env: o.env.clone(),
                input: String::new(),
                begin_ns: begin,
            });
            link(vm).bus.borrow_mut().procs.entries.push(entry);
        }
        (_, Some(run)) => {
            link(vm).bus.borrow_mut().procs.entries.push(entry);
            schedule_program(vm, pid, begin, run);
        }
        (_, None) => {}
    }
    let kind = if is_node {
        SpawnKind::Node
    } else {
        SpawnKind::Program
    };
    vm.host_event(Event::Spawned {
        pid,
        command: &command,
        kind,
        block_ns: start_cost,
    });
    vm.block_for(start_cost);
    Ok(vm.new_array(vec![
        Value::Num(pid as f64),
        Value::Num(handle as f64),
        Value::Bool(is_node),
    ]))
}

/// Queues what program `pid`, started at `begin`, writes and its end, on its parent's
/// handle port, at the times its run reports.
fn schedule_program(vm: &mut Vm, pid: u32, begin: u64, run: ProgramRun) {
    let me = link(vm).id;
    let now = vm.clock_ns;
    let cost = vm.host.cost.clone();
    let mut bus = link(vm).bus.borrow_mut();
    let Some(e) = bus.procs.get_mut(pid) else {
        return;
    };
    let end = begin + run.duration_ns;
    e.ends_ns = Some(end);
    e.cpu_ns = run.cpu_ns;
    let (Some(handle), stdio) = (e.handle, e.stdio) else {
        return;
    };
    let mut chunks: Vec<(u64, u8, String)> = run
        .stdout
        .into_iter()
        .map(|(t, s)| (t, 1, s))
        .chain(run.stderr.into_iter().map(|(t, s)| (t, 2, s)))
        .collect();
    chunks.sort_by_key(|c| c.0);
    for (t, fd, text) in chunks {
        let due = begin + t.min(run.duration_ns) + cost.ipc_cost(text.len());
        let payload = match stdio[fd as usize] {
            StdioMode::Pipe => Payload::Proc(ProcEvent::Stdio(fd, text)),
            StdioMode::Inherit => Payload::Output(
                if fd == 1 {
                    Stream::Stdout
                } else {
                    Stream::Stderr
                },
                text,
            ),
            StdioMode::Ignore => continue,
        };
        bus.send_at(me, handle, payload, now, due);
    }
    let done = end + cost.process_exit_ns;
    finish_on(
        &mut bus,
        me,
        handle,
        stdio,
        now,
        done,
        Some(run.status),
        None,
    );
}

/// `input(pid, text, end)`: the parent writes to a waiting program's stdin; at the end of
/// the input the program runs.
fn cp_input(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let pid = match arg(args, 0) {
        Value::Num(n) if n >= 0.0 => n as u32,
        _ => return Ok(Value::Undefined),
    };
    let text = vm.to_string(&arg(args, 1))?.to_string();
    let end = arg(args, 2).truthy();
    let pending = {
        let mut bus = link(vm).bus.borrow_mut();
        let Some(e) = bus.procs.get_mut(pid) else {
            return Ok(Value::Undefined);
        };
        let Some(p) = e.waiting_for_input.as_mut() else {
            return Ok(Value::Undefined);
        };
        if p.input.len() + text.len() > crate::shell::OUTPUT_CAP {
            drop(bus);
            return Err(vm.make_error(
                vm.realm.range_error_proto,
                "looplab: more than 16 MiB written to a child's stdin; the simulator stops there",
            ));
        }
        p.input.push_str(&text);
        if !end {
            return Ok(Value::Undefined);
        }
        e.waiting_for_input.take()
    };
    let Some(p) = pending else {
        return Ok(Value::Undefined);
    };
    let o = SpawnOptions {
        cwd: p.cwd,
        env: p.env,
        stdio: [StdioMode::Pipe; 3],
        ipc: false,
        advanced: false,
        argv0: None,
        input: None,
    };
    let t = target(vm, &p.file, &p.args, &o.cwd);
    if let Some(run) = run_now(vm, &p.file, &p.args, &o, &t, p.input) {
        let begin = p.begin_ns.max(vm.clock_ns);
        schedule_program(vm, pid, begin, run);
    }
    Ok(Value::Undefined)
}

/// `spawnSync(file, args, options)` → `[status, signal, stdout, stderr, pid]`, or a negative
/// errno. The calling thread blocks for the whole run.
fn cp_spawn_sync(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let file = vm.to_string(&arg(args, 0))?.to_string();
    let argv = strings(vm, &arg(args, 1))?;
    let o = spawn_options(vm, &arg(args, 2))?;
    let start_cost = vm.host.cost.process_start_ns;
    let exit_cost = vm.host.cost.process_exit_ns;
    let t = target(vm, &file, &argv, &o.cwd);
    let run = match t {
        Target::Node {
            filename,
            source,
            argv: rest,
            exec_argv,
        } => {
            let mut full = vec![EXEC_PATH.to_string()];
            full.extend(rest);
            Some(nested_node(
                vm, &filename, &source, full, exec_argv, &o.env, &o.cwd,
            ))
        }
        t => {
            let input = o.input.clone().unwrap_or_default();
            run_now(vm, &file, &argv, &o, &t, input)
        }
    };
    let pid = {
        let mut bus = link(vm).bus.borrow_mut();
        bus.procs.allocate()
    };
    let (Some(run), Some(pid)) = (run, pid) else {
        vm.block_for(start_cost);
        return Ok(Value::Num(if pid.is_none() { -11.0 } else { -2.0 }));
    };
    let command = std::iter::once(&file)
        .chain(&argv)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let block_ns = start_cost + run.duration_ns + exit_cost;
    vm.host_event(Event::Spawned {
        pid,
        command: &command,
        kind: SpawnKind::Sync,
        block_ns,
    });
    vm.block_for(block_ns);
    let mut out = String::new();
    let mut err = String::new();
    for (fd, text) in run
        .stdout
        .iter()
        .map(|c| (1, &c.1))
        .chain(run.stderr.iter().map(|c| (2, &c.1)))
    {
        match o.stdio[fd] {
            StdioMode::Pipe => {
                if fd == 1 {
                    out.push_str(text)
                } else {
                    err.push_str(text)
                }
            }
            StdioMode::Inherit => vm.write(
                if fd == 1 {
                    Stream::Stdout
                } else {
                    Stream::Stderr
                },
                text.clone(),
            ),
            StdioMode::Ignore => {}
        }
    }
    Ok(vm.new_array(vec![
        Value::Num(run.status as f64),
        Value::Null,
        Value::str(&out),
        Value::str(&err),
        Value::Num(pid as f64),
    ]))
}

/// Runs `node` as a separate simulation (inside a shell line, or synchronously): its output
/// and duration as a program run.
fn nested_node(
    vm: &Vm,
    filename: &str,
    source: &str,
    argv: Vec<String>,
    exec_argv: Vec<String>,
    env: &[(String, String)],
    cwd: &str,
) -> ProgramRun {
    let depth = NESTED_NODE.with(|d| d.get());
    if depth >= MAX_NESTED_NODE {
        return ProgramRun {
            stderr: vec![(
                0,
                format!("looplab: node processes nest more than {MAX_NESTED_NODE} deep here (a process bomb?); this one did not start\n"),
            )],
            status: 1,
            ..Default::default()
        };
    }
    let options = crate::RunOptions {
        filename: filename.to_string(),
        cwd: cwd.to_string(),
        files: vm
            .host
            .files
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        network: vm.host.network.clone(),
        cost: vm.host.cost.clone(),
        cores: vm.host.cpu_count,
        instruction_budget: vm.budget.saturating_sub(vm.steps).min(200_000_000),
        process: Some(Identity {
            argv,
            exec_argv,
            env: env.to_vec(),
            ..Identity::default()
        }),
        ..Default::default()
    };
    NESTED_NODE.with(|d| d.set(depth + 1));
    let outcome = crate::run(source, &options);
    NESTED_NODE.with(|d| d.set(depth));
    let end = vm.host.cost.fork_start_ns + outcome.virtual_time_ns;
    let mut run = ProgramRun {
        status: outcome.exit_code,
        duration_ns: end,
        cpu_ns: end,
        ..Default::default()
    };
    for (stream, text) in outcome.output {
        match stream {
            Stream::Stdout => run.stdout.push((end, text)),
            Stream::Stderr => run.stderr.push((end, text)),
        }
    }
    run
}

/// `kill(pid, signal)` → whether the process exists.
fn cp_kill(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let pid = match arg(args, 0) {
        Value::Num(n) if n >= 0.0 => n as u32,
        _ => return Ok(Value::Bool(false)),
    };
    let Some(signal) = super::process::signal_arg(vm, &arg(args, 1))? else {
        return Ok(Value::Bool(true));
    };
    let now = vm.clock_ns;
    let exit_ns = vm.host.cost.process_exit_ns;
    let alive = link(vm)
        .bus
        .borrow()
        .procs
        .get(pid)
        .is_some_and(|e| e.alive(now) || e.tearing_down(now, exit_ns, signal));
    if alive {
        vm.send_signal(pid, signal);
    }
    Ok(Value::Bool(alive))
}

/// `send(port, message, advanced)`: an IPC message to the other end of the channel (JSON
/// text, or a structured clone). Returns false when the channel is closed.
fn cp_send(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    let advanced = arg(args, 2).truthy();
    let event = if advanced {
        let no_ports = |_: &Vm, _: ObjId| None;
        let mut s = serialize(vm, &arg(args, 1), &[], &no_ports)?;
        s.keep_buffers = true;
        ProcEvent::Advanced(s)
    } else {
        ProcEvent::Json(vm.to_string(&arg(args, 1))?.to_string())
    };
    let me = link(vm).id;
    let now = vm.clock_ns;
    let cost = vm.host.cost.clone();
    let mut bus = link(vm).bus.borrow_mut();
    let connected = bus.procs.by_port(port).is_some_and(|e| e.connected);
    let Some(peer) = bus.ports.get(&port).and_then(|p| p.peer) else {
        return Ok(Value::Bool(false));
    };
    if !connected {
        return Ok(Value::Bool(false));
    }
    // a connection handed to the other process with the message (cluster's round robin)
    let handed = match arg(args, 3) {
        Value::Num(n) if n >= 0.0 => super::net::transfer(&mut bus, n as PortId, peer),
        _ => false,
    };
    let bytes = match &event {
        ProcEvent::Json(t) => t.len() + 1,
        ProcEvent::Advanced(s) => s.byte_size(),
        _ => 0,
    };
    bus.send_at(
        me,
        peer,
        Payload::Proc(event),
        now,
        now + cost.ipc_cost(bytes),
    );
    let msg = bus.last_logged();
    if handed {
        if let Some(record) = bus.log.last_mut() {
            record.kind = "connection";
        }
    }
    drop(bus);
    if handed {
        if let (Value::Num(n), Some(l)) = (arg(args, 3), vm.host.link.as_mut()) {
            l.objects.remove(&(n as PortId));
        }
    }
    vm.host_event(Event::MessagePosted { msg });
    Ok(Value::Bool(true))
}

/// `disconnect(port)`: closes the IPC channel; the other end hears of it after a message's
/// delay (this end's `disconnect` event is the prelude's, on the next tick).
fn cp_disconnect(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    let me = link(vm).id;
    let now = vm.clock_ns;
    let cost = vm.host.cost.ipc_cost(0);
    let mut bus = link(vm).bus.borrow_mut();
    let Some(entry) = bus.procs.by_port_mut(port) else {
        return Ok(Value::Bool(false));
    };
    if !entry.connected {
        return Ok(Value::Bool(false));
    }
    entry.connected = false;
    let peer = bus.ports.get(&port).and_then(|p| p.peer);
    if let Some(peer) = peer {
        bus.send_at(
            me,
            peer,
            Payload::Proc(ProcEvent::Disconnect),
            now,
            now + cost,
        );
        let msg = bus.last_logged();
        drop(bus);
        vm.host_event(Event::MessagePosted { msg });
    }
    Ok(Value::Bool(true))
}

/// `handle(port, signal, listening)`: whether this child listens for a signal.
fn cp_handle(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    let Some(signal) = super::process::signal_arg(vm, &arg(args, 1))? else {
        return Ok(Value::Undefined);
    };
    let listening = arg(args, 2).truthy();
    let mut bus = link(vm).bus.borrow_mut();
    if let Some(e) = bus.procs.by_port_mut(port) {
        e.handled.retain(|s| *s != signal);
        if listening {
            e.handled.push(signal);
        }
    }
    Ok(Value::Undefined)
}

fn cp_bind(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    if let (Value::Obj(o), Some(l)) = (arg(args, 1), vm.host.link.as_mut()) {
        l.objects.insert(port, o);
    }
    Ok(Value::Undefined)
}

/// `ref(port, flag)`: whether the channel keeps this thread's loop alive.
fn cp_ref(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    let refed = arg(args, 1).truthy();
    if let Some(p) = link(vm).bus.borrow_mut().ports.get_mut(&port) {
        p.refed = refed;
        p.started = true;
    }
    Ok(Value::Undefined)
}

impl crate::CostModel {
    /// Delay of one IPC message or pipe chunk of `bytes` bytes.
    pub fn ipc_cost(&self, bytes: usize) -> u64 {
        self.ipc_message_base_ns + bytes as u64 * self.ipc_byte_ps / 1000
    }
}

impl Vm {
    /// News of a child process (or, in a child, from its parent): the call of the prelude's
    /// dispatcher that delivers it, `dispatch(target, kind, a, b)` with kinds 1 online,
    /// 2 output chunk (fd, text), 3 end of a pipe (fd), 4 message, 5 disconnect, 6 exit
    /// (code, signal), 7 signal (name).
    pub(crate) fn proc_message(
        &mut self,
        port: PortId,
        event: ProcEvent,
    ) -> Option<(Value, Vec<Value>)> {
        let (kind, a, b) = match event {
            ProcEvent::Online => (1, Value::Undefined, Value::Undefined),
            ProcEvent::Stdio(fd, text) => (2, Value::Num(fd as f64), Value::str(&text)),
            ProcEvent::Eof(fd) => (3, Value::Num(fd as f64), Value::Undefined),
            ProcEvent::Json(text) => (4, Value::str(&text), Value::Bool(false)),
            ProcEvent::Advanced(s) => {
                let mut no_ports = |_: &mut Vm, _: u64| Value::Undefined;
                (4, deserialize(self, &s, &mut no_ports), Value::Bool(true))
            }
            ProcEvent::Disconnect => (5, Value::Undefined, Value::Undefined),
            ProcEvent::Exit { code, signal } => {
                if let Some(l) = self.host.link.as_ref() {
                    if let Some(p) = l.bus.borrow_mut().ports.get_mut(&port) {
                        p.refed = false;
                        p.closed = true;
                    }
                }
                (
                    6,
                    code.map_or(Value::Null, |c| Value::Num(c as f64)),
                    signal.map_or(Value::Null, Value::str),
                )
            }
            ProcEvent::Signal(name) => (7, Value::str(name), Value::Undefined),
        };
        let l = self.host.link.as_ref()?;
        let target = *l.objects.get(&port)?;
        let dispatch = l.proc_dispatch.clone()?;
        Some((
            dispatch,
            vec![Value::Obj(target), Value::Num(kind as f64), a, b],
        ))
    }

    /// A child process's main thread writes to its parent: a pipe chunk for the parent's
    /// `child.stdout`/`stderr`, a line the parent prints (`inherit`), or nothing (`ignore`).
    /// Returns false in the main program (it prints itself).
    pub(crate) fn forward_to_parent_process(&mut self, stream: Stream, text: &str) -> bool {
        let Some((port, modes)) = self.host.identity.stdio else {
            return false;
        };
        let Some(l) = self.host.link.as_ref() else {
            return false;
        };
        let fd: u8 = if stream == Stream::Stdout { 1 } else { 2 };
        if self.host.identity.terminal[fd as usize - 1] {
            // the same terminal as the main program's: it writes there itself
            return false;
        }
        let payload = match modes[fd as usize] {
            StdioMode::Pipe => Payload::Proc(ProcEvent::Stdio(fd, text.to_string())),
            StdioMode::Inherit => Payload::Output(stream, text.to_string()),
            StdioMode::Ignore => return true,
        };
        let now = self.clock_ns;
        let due = now + self.host.cost.ipc_cost(text.len());
        let msg = {
            let mut bus = l.bus.borrow_mut();
            bus.send_at(l.id, port, payload, now, due);
            bus.last_logged()
        };
        self.host_event(Event::MessagePosted { msg });
        true
    }
}

/// The shell's view of the machine from the process that runs it.
struct VmShell<'a> {
    vm: &'a mut Vm,
}

impl ShellHost for VmShell<'_> {
    fn read_file(&self, path: &str) -> Option<String> {
        self.vm.host.files.get(path).cloned()
    }
    fn write_file(&mut self, path: &str, contents: String) {
        self.vm.host.files.insert(path.to_string(), contents);
    }
    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        super::fs::dir_entries(&self.vm.host, &super::fs::normalize(path))
    }
    fn run_node(
        &mut self,
        args: &[String],
        _stdin: &str,
        env: &[(String, String)],
        cwd: &str,
    ) -> ProgramRun {
        match node_target(self.vm, args, cwd) {
            Target::Node {
                filename,
                source,
                argv,
                exec_argv,
            } => {
                let mut full = vec![EXEC_PATH.to_string()];
                full.extend(argv);
                nested_node(self.vm, &filename, &source, full, exec_argv, env, cwd)
            }
            Target::NodeInfo(run) => run,
            _ => ProgramRun::default(),
        }
    }
    fn kill(&mut self, pid: i64, signal: i32) -> bool {
        let now = self.vm.clock_ns;
        let exit_ns = self.vm.host.cost.process_exit_ns;
        let Ok(pid) = u32::try_from(pid) else {
            return false;
        };
        let alive = link(self.vm)
            .bus
            .borrow()
            .procs
            .get(pid)
            .is_some_and(|e| e.alive(now) || e.tearing_down(now, exit_ns, "SIGKILL"));
        if alive && signal != 0 {
            if let Some(name) = crate::machine::process::signal_name(signal) {
                self.vm.send_signal(pid, name);
            }
        }
        alive
    }
}
