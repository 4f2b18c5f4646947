//! Processes on the simulated machine: the process table, and what the machine does when a
//! process starts, is signalled and ends.
//!
//! A process is a pid, a parent, argv, an environment, a working directory, three stdio
//! streams and an exit status. There are two kinds:
//! - a **Node process** (the main program, `fork`, `spawn('node', ...)`): its main thread is
//!   an agent of the machine like any other thread (its own heap, loop and clock; it takes a
//!   core like the rest), and its workers belong to it;
//! - a **program** (`echo`, `ls`, `/bin/sh -c LINE`, the seeds' `ffmpeg`...): the virtual
//!   shell ([`crate::shell`]) runs it when it is spawned, and what it will write, and when it
//!   will end, is queued at once as timed messages to its parent (its CPU time is reported
//!   but does not take a core of the machine).
//!
//! A child talks to its parent on one channel of the bus: the parent's end is the
//! `ChildProcess` object's *handle port* (`spawn`, output chunks, end of each pipe, IPC
//! messages, `disconnect`, `exit`), the child's end carries IPC messages and signals to the
//! child's `process` object. Costs come from the cost model, measured on Node here
//! (docs/costs.md): a spawn is seen after `process_start_ns`, a forked Node runs its first
//! statement after `fork_start_ns`, its parent hears of its end `process_exit_ns` later, and
//! an IPC message or a pipe chunk takes `ipc_message_base_ns` plus `ipc_byte_ps` per byte.

use super::bus::{AgentId, PortId};

/// A process id.
pub type Pid = u32;
/// The main program's pid, and its parent's (the shell that started it).
pub const MAIN_PID: Pid = 4242;
pub const MAIN_PPID: Pid = 4241;
/// The most processes one run may start (a fork bomb ends here: `spawn EAGAIN`).
pub const MAX_PROCESSES: usize = 64;
/// Where `node` lives on the machine (`process.execPath`).
pub const EXEC_PATH: &str = "/usr/local/bin/node";

/// What one of a child's stdio streams is connected to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdioMode {
    /// A pipe the parent reads (`child.stdout`) or writes (`child.stdin`).
    Pipe,
    /// The parent's own stream.
    Inherit,
    /// Nothing (`/dev/null`).
    Ignore,
}

/// One process of the machine.
#[derive(Clone, Debug)]
pub struct ProcEntry {
    pub pid: Pid,
    pub ppid: Pid,
    /// How the report names it: the command line.
    pub command: String,
    /// A Node process's main thread (`None` for a program).
    pub agent: Option<AgentId>,
    /// The parent's end of the channel (`None` for the main program).
    pub handle: Option<PortId>,
    /// The child's end of the channel.
    pub child_port: Option<PortId>,
    /// stdin, stdout, stderr.
    pub stdio: [StdioMode; 3],
    /// Whether it has an IPC channel, and whether it is still connected.
    pub ipc: bool,
    pub connected: bool,
    /// Messages on the channel use the structured clone instead of JSON.
    pub advanced: bool,
    pub started_ns: u64,
    /// A program's end, known when it starts; a Node process's when it ended.
    pub ends_ns: Option<u64>,
    /// Exit code, or the signal that ended it.
    pub exit: Option<(Option<i32>, Option<&'static str>)>,
    /// CPU time a program used (a Node process's is in its thread's slices).
    pub cpu_ns: u64,
    /// A program that reads its stdin and waits for the parent to end it.
    pub waiting_for_input: Option<PendingProgram>,
    /// Signals a Node child listens for (`process.on('SIGTERM')`): delivered to it instead
    /// of ending it.
    pub handled: Vec<&'static str>,
}

/// A program that has not run yet: it reads its stdin, which its parent is still writing.
#[derive(Clone, Debug)]
pub struct PendingProgram {
    pub file: String,
    pub args: Vec<String>,
    pub cwd: String,
    pub env: Vec<(String, String)>,
    /// What the parent wrote so far.
    pub input: String,
    /// When it exists (it runs from then, or from the end of its input if later).
    pub begin_ns: u64,
}

impl ProcEntry {
    /// Whether it is still running at `now`.
    pub fn alive(&self, now: u64) -> bool {
        self.exit.is_none() && self.ends_ns.is_none_or(|e| e > now)
    }

    /// A Node child whose main thread ended with a code by `now` but whose process still
    /// tears down (`exit_ns`: exit listeners ran, its heap is being freed): a signal it does
    /// not listen for still ends it, and its parent hears of the signal, not the code (a
    /// cluster worker killed right after it disconnected).
    pub fn tearing_down(&self, now: u64, exit_ns: u64, signal: &str) -> bool {
        self.handle.is_some()
            && self.agent.is_some()
            && matches!(self.exit, Some((Some(_), None)))
            && (signal == "SIGKILL" || !self.handled.contains(&signal))
            && self
                .ends_ns
                .is_some_and(|e| now >= e && now < e.saturating_add(exit_ns))
    }
}

/// A Node child the machine is to boot.
#[derive(Clone, Debug)]
pub struct NodeSpawn {
    /// The agent its main thread will be.
    pub agent: AgentId,
    pub pid: Pid,
    pub parent: AgentId,
    /// The child's end of its channel.
    pub child_port: PortId,
    pub handle: PortId,
    pub filename: String,
    pub source: String,
    pub identity: crate::host::process::Identity,
    pub at_ns: u64,
    /// The file system as the parent sees it when it forks (what the child starts with).
    pub files: std::collections::HashMap<String, String>,
    pub dirs: std::collections::BTreeSet<String>,
}

/// A signal on its way to a process.
#[derive(Clone, Debug)]
pub struct Kill {
    pub pid: Pid,
    pub signal: &'static str,
    pub at_ns: u64,
    pub from: AgentId,
}

/// The process table and the requests for the machine (see the module docs).
#[derive(Debug)]
pub struct ProcessTable {
    pub entries: Vec<ProcEntry>,
    pub next_pid: Pid,
    pub spawns: Vec<NodeSpawn>,
    pub kills: Vec<Kill>,
    /// How each child ends, as its parent will hear it (a program's is known when it
    /// starts): by pid, the exit code or the signal. For the report.
    pub outcomes: std::collections::BTreeMap<Pid, (Option<i32>, Option<&'static str>)>,
}

impl Default for ProcessTable {
    fn default() -> Self {
        ProcessTable {
            entries: vec![ProcEntry {
                pid: MAIN_PID,
                ppid: MAIN_PPID,
                command: "node".into(),
                agent: Some(0),
                handle: None,
                child_port: None,
                stdio: [StdioMode::Inherit; 3],
                ipc: false,
                connected: false,
                advanced: false,
                started_ns: 0,
                ends_ns: None,
                exit: None,
                cpu_ns: 0,
                waiting_for_input: None,
                handled: Vec::new(),
            }],
            next_pid: MAIN_PID + 1,
            spawns: Vec::new(),
            kills: Vec::new(),
            outcomes: std::collections::BTreeMap::new(),
        }
    }
}

impl ProcessTable {
    pub fn get(&self, pid: Pid) -> Option<&ProcEntry> {
        self.entries.iter().find(|e| e.pid == pid)
    }
    pub fn get_mut(&mut self, pid: Pid) -> Option<&mut ProcEntry> {
        self.entries.iter_mut().find(|e| e.pid == pid)
    }
    /// The process whose channel has `port` at either end.
    pub fn by_port(&self, port: PortId) -> Option<&ProcEntry> {
        self.entries
            .iter()
            .find(|e| e.handle == Some(port) || e.child_port == Some(port))
    }
    pub fn by_port_mut(&mut self, port: PortId) -> Option<&mut ProcEntry> {
        self.entries
            .iter_mut()
            .find(|e| e.handle == Some(port) || e.child_port == Some(port))
    }
    /// A new pid, or `None` when the machine has no room for another process.
    pub fn allocate(&mut self) -> Option<Pid> {
        if self.entries.len() >= MAX_PROCESSES {
            return None;
        }
        let pid = self.next_pid;
        self.next_pid += 1;
        Some(pid)
    }
}

/// Linux's number of a signal name (for `kill -l`-style reports and exit statuses).
pub fn signal_number(name: &str) -> Option<i32> {
    SIGNALS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
}

/// The name of a signal number.
pub fn signal_name(number: i32) -> Option<&'static str> {
    SIGNALS.iter().find(|(_, k)| *k == number).map(|(n, _)| *n)
}

/// The signals a program can send, as Linux numbers them.
pub const SIGNALS: &[(&str, i32)] = &[
    ("SIGHUP", 1),
    ("SIGINT", 2),
    ("SIGQUIT", 3),
    ("SIGILL", 4),
    ("SIGTRAP", 5),
    ("SIGABRT", 6),
    ("SIGBUS", 7),
    ("SIGFPE", 8),
    ("SIGKILL", 9),
    ("SIGUSR1", 10),
    ("SIGSEGV", 11),
    ("SIGUSR2", 12),
    ("SIGPIPE", 13),
    ("SIGALRM", 14),
    ("SIGTERM", 15),
    ("SIGCHLD", 17),
    ("SIGCONT", 18),
    ("SIGSTOP", 19),
    ("SIGTSTP", 20),
    ("SIGWINCH", 28),
];

use super::bus::{Payload, ProcEvent};
use super::{Agent, AgentState, Machine, Thread};

/// One process as the machine report shows it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ProcessReport {
    pub pid: Pid,
    pub ppid: Pid,
    pub command: String,
    /// Its main thread's agent (a Node process).
    pub agent: Option<AgentId>,
    /// Its exit code, or the signal that ended it (a program's are known when it starts,
    /// so they are reported even if the run ended first).
    pub exit_code: Option<i32>,
    pub signal: Option<&'static str>,
    pub start_ns: u64,
    pub end_ns: Option<u64>,
    /// CPU time of a program (a Node process's is in its threads' slices).
    pub cpu_ns: u64,
    /// The two ends of its channel to its parent: the `ChildProcess` object's port (where
    /// output chunks, the ends of pipes, IPC messages and the exit arrive) and the child's
    /// own (IPC messages to it). The trace finds a message's process by them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle: Option<PortId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<PortId>,
    /// How IPC messages are serialised, when it has an IPC channel: `json` or `advanced`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipc: Option<&'static str>,
}

impl ProcessTable {
    pub fn report(&self) -> Vec<ProcessReport> {
        self.entries
            .iter()
            .map(|e| (e, e.exit.or_else(|| self.outcomes.get(&e.pid).copied())))
            .map(|(e, exit)| ProcessReport {
                pid: e.pid,
                ppid: e.ppid,
                command: e.command.clone(),
                agent: e.agent,
                exit_code: exit.and_then(|x| x.0),
                signal: exit.and_then(|x| x.1),
                start_ns: e.started_ns,
                end_ns: e.ends_ns,
                cpu_ns: e.cpu_ns,
                handle: e.handle,
                channel: e.child_port,
                ipc: e
                    .ipc
                    .then_some(if e.advanced { "advanced" } else { "json" }),
            })
            .collect()
    }
}

impl Machine {
    /// Boots a Node child: its main thread becomes runnable `fork_start_ns` after the spawn,
    /// and its parent hears `online` then.
    pub(super) fn spawn_process(&mut self, p: NodeSpawn) {
        let id = self.agents.len();
        let Some(mut vm) = self.boot_thread(
            id,
            &p.source,
            &p.filename,
            0,
            None,
            p.identity.clone(),
            "a child process",
        ) else {
            return;
        };
        let start = p.at_ns + self.options.cost.fork_start_ns;
        vm.clock_ns = p.at_ns;
        vm.host.files = p.files;
        vm.host.dirs = p.dirs;
        // messages sent to it before it runs wait for it
        vm.host.looping.begin_ns = start;
        // the child says it is up over its channel at the end of its bootstrap, before its
        // first statement (what `cluster` calls online)
        let online = start;
        self.bus.borrow_mut().send_at(
            id,
            p.handle,
            Payload::Proc(ProcEvent::Online),
            p.at_ns,
            online,
        );
        self.agents.push(Agent {
            vm,
            pid: p.pid,
            thread_id: 0,
            parent: Some(p.parent),
            worker_port: None,
            state: AgentState::Idle(Some(start)),
            core: None,
            slice_start: 0,
            exit_code: None,
        });
    }

    /// Whether agent `i` is the main thread of a child process.
    pub(super) fn is_child_process(&self, i: AgentId) -> bool {
        let a = &self.agents[i];
        a.thread_id == 0 && a.vm.host.identity.stdio.is_some()
    }

    /// The process of agent `i` ends (its main thread exited with `code`, or `signal`
    /// killed it): all its threads stop, and its parent hears, after `process_exit_ns`, that
    /// the channel is gone, that its pipes are at their end, and the exit.
    pub(super) fn end_process(
        &mut self,
        i: AgentId,
        code: Option<i32>,
        signal: Option<&'static str>,
    ) {
        let pid = self.agents[i].pid;
        let now = self.agents[i].vm.clock_ns;
        let status = code.unwrap_or_else(|| 128 + signal.and_then(signal_number).unwrap_or(0));
        for j in 0..self.agents.len() {
            if self.agents[j].pid != pid || self.agents[j].state == AgentState::Done {
                continue;
            }
            self.release_core(j);
            self.queue.retain(|q| *q != Thread::Agent(j));
            let a = &mut self.agents[j];
            a.state = AgentState::Done;
            a.exit_code = Some(status);
            let mut bus = self.bus.borrow_mut();
            super::close_ports_of(&mut bus, j, now);
            bus.pool.forget_agent(j);
        }
        let done = now + self.options.cost.process_exit_ns;
        let mut bus = self.bus.borrow_mut();
        let Some(e) = bus.procs.get_mut(pid) else {
            return;
        };
        e.exit = Some((code, signal));
        e.ends_ns = Some(now);
        let connected = std::mem::take(&mut e.connected);
        let (handle, stdio) = (e.handle, e.stdio);
        let Some(handle) = handle else { return };
        if connected {
            bus.send_at(i, handle, Payload::Proc(ProcEvent::Disconnect), now, done);
        }
        finish_on(&mut bus, i, handle, stdio, now, done, code, signal);
    }

    /// Delivers a signal: a Node process ends by it (a program's remaining output and end
    /// are cancelled); signals whose default is to do nothing are dropped.
    pub(super) fn signal(&mut self, k: Kill) {
        if matches!(k.signal, "SIGCHLD" | "SIGWINCH" | "SIGCONT" | "SIGURG") {
            return;
        }
        if self.signal_in_teardown(&k) {
            return;
        }
        let entry = {
            let bus = self.bus.borrow();
            match bus.procs.get(k.pid) {
                Some(e) if e.alive(k.at_ns) => e.clone(),
                _ => return,
            }
        };
        match entry.agent {
            Some(a) if entry.handle.is_none() => {
                // the main program itself: the run ends with the shell's status for a signal
                let status = 128 + signal_number(k.signal).unwrap_or(0);
                self.release_core(a);
                let agent = &mut self.agents[a];
                agent.vm.clock_ns = agent.vm.clock_ns.max(k.at_ns);
                agent.state = AgentState::Done;
                agent.exit_code = Some(status);
                if let Some(e) = self.bus.borrow_mut().procs.get_mut(k.pid) {
                    e.exit = Some((None, Some(k.signal)));
                    e.ends_ns = Some(k.at_ns);
                }
            }
            Some(_) if k.signal != "SIGKILL" && entry.handled.contains(&k.signal) => {
                // its 'SIGTERM' listeners run instead of the default action
                if let Some(port) = entry.child_port {
                    let due = k.at_ns + self.options.cost.ipc_cost(0);
                    self.bus.borrow_mut().send_at(
                        k.from,
                        port,
                        Payload::Proc(ProcEvent::Signal(k.signal)),
                        k.at_ns,
                        due,
                    );
                }
            }
            Some(a) => {
                let v = &mut self.agents[a].vm;
                v.clock_ns = v.clock_ns.max(k.at_ns);
                // its end is a step of its own thread in a trace (no 'exit' listener runs)
                let now = v.clock_ns;
                v.host_event(crate::recorder::Event::Clock { ns: now });
                v.host_event(crate::recorder::Event::Phase(crate::recorder::Phase::Exit));
                self.end_process(a, None, Some(k.signal));
            }
            None => {
                let Some(handle) = entry.handle else { return };
                let done = k.at_ns + self.options.cost.process_exit_ns;
                let mut bus = self.bus.borrow_mut();
                // what the program would still have written, and its end, are cancelled
                bus.queue
                    .retain(|m| m.port != handle || m.due_ns <= k.at_ns);
                if let Some(e) = bus.procs.get_mut(k.pid) {
                    e.exit = Some((None, Some(k.signal)));
                    e.ends_ns = Some(k.at_ns);
                }
                finish_on(
                    &mut bus,
                    k.from,
                    handle,
                    entry.stdio,
                    k.at_ns,
                    done,
                    None,
                    Some(k.signal),
                );
            }
        }
    }

    /// A signal for a child that is tearing down (see [`ProcEntry::tearing_down`]): the exit
    /// its parent is about to hear of becomes the signal's. Returns whether it was one.
    fn signal_in_teardown(&mut self, k: &Kill) -> bool {
        let exit_ns = self.options.cost.process_exit_ns;
        let mut bus = self.bus.borrow_mut();
        let Some(handle) = bus
            .procs
            .get(k.pid)
            .filter(|e| e.tearing_down(k.at_ns, exit_ns, k.signal))
            .and_then(|e| e.handle)
        else {
            return false;
        };
        for m in bus.queue.iter_mut().filter(|m| m.port == handle) {
            if let Payload::Proc(ProcEvent::Exit { code, signal }) = &mut m.payload {
                *code = None;
                *signal = Some(k.signal);
            }
        }
        if let Some(e) = bus.procs.get_mut(k.pid) {
            e.exit = Some((None, Some(k.signal)));
        }
        bus.procs.outcomes.insert(k.pid, (None, Some(k.signal)));
        true
    }

    /// How the report and the narration name agent `i`: "main thread" and "worker N" in the
    /// main program, "process PID" and "process PID worker N" in a child.
    pub(super) fn agent_name(&self, i: AgentId) -> String {
        let a = &self.agents[i];
        let child = self
            .bus
            .borrow()
            .procs
            .get(a.pid)
            .is_some_and(|e| e.handle.is_some());
        match (child, a.thread_id) {
            (false, t) => super::thread_name(t),
            (true, 0) => format!("process {}", a.pid),
            (true, t) => format!("process {} worker {t}", a.pid),
        }
    }
}

/// Queues the end of a child on its parent's handle port: the end of each pipe, then the exit.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish_on(
    bus: &mut super::bus::Bus,
    from: AgentId,
    handle: PortId,
    stdio: [StdioMode; 3],
    now: u64,
    done: u64,
    code: Option<i32>,
    signal: Option<&'static str>,
) {
    if let Some(pid) = bus.procs.by_port(handle).map(|e| e.pid) {
        bus.procs.outcomes.insert(pid, (code, signal));
    }
    for fd in [1u8, 2] {
        if stdio[fd as usize] == StdioMode::Pipe {
            bus.send_at(from, handle, Payload::Proc(ProcEvent::Eof(fd)), now, done);
        }
    }
    bus.send_at(
        from,
        handle,
        Payload::Proc(ProcEvent::Exit { code, signal }),
        now,
        done,
    );
}
