//! The bus: what the agents of the machine share while one of them runs. A running agent
//! (a `Vm`) cannot reach the others; it leaves messages, spawn and terminate requests here,
//! and the machine ([`super::Machine`]) acts on them between two steps.
//!
//! Ports are the one transport: a `MessageChannel` is two entangled ports, a `Worker` and
//! its `parentPort` are the two ports of the worker's channel (its control messages —
//! `online`, `error`, output lines, `exit` — travel on it too, so they stay in order with the
//! worker's own messages), a `BroadcastChannel` is a port in a named group. A message is
//! addressed to a port; whichever agent owns the port when the message is due receives it.
//!
//! The process's libuv thread pool is here too ([`super::pool`]): every agent submits to it.

use crate::host::clone::Serialized;
use crate::host::Stream;
use std::collections::{BTreeMap, VecDeque};

/// Index of an agent in the machine.
pub type AgentId = usize;
/// A port of the machine (unique for the run).
pub type PortId = u64;

/// What a message carries.
#[derive(Debug)]
pub enum Payload {
    /// A `postMessage` value.
    Data(Serialized),
    /// The worker started running its script (to its `Worker` object).
    Online,
    /// The worker threw and did not catch (to its `Worker` object).
    Error(Serialized),
    /// Output of the worker, forwarded to the process's stdout or stderr.
    Output(Stream, String),
    /// The worker's thread ended with this code (to its `Worker` object; always last).
    Exit(i32),
    /// The entangled port was closed.
    Close,
    /// News of a child process, to its `ChildProcess` object in the parent, or to the
    /// child's `process` object (see [`ProcEvent`]).
    Proc(ProcEvent),
    /// News of the loopback network, to a server or a socket (see [`NetEvent`]).
    Net(NetEvent),
}

/// What the loopback network carries (`host::net`): to a listening server's port a new
/// connection; to one end of a connection what the other end did.
#[derive(Debug)]
pub enum NetEvent {
    /// A client connected; the server's end of the connection (held until accepted).
    Connection(PortId),
    /// The connection is open (to the client's end, one hop after `connect`).
    Connected,
    /// Nobody listens on the port (to the client's end).
    Refused,
    /// A chunk written by the other end: a `Buffer`, or a part of an HTTP exchange.
    Data(Serialized),
    /// The other end will write no more.
    End,
    /// The other end is gone.
    Close,
}

/// A listening server of the machine's loopback network.
#[derive(Debug)]
pub struct Listener {
    /// The port its connections are delivered to.
    pub port: PortId,
    /// What its connections carry: `net` (bytes) or `http` (requests and responses).
    pub proto: String,
}

/// What a child process's channel carries: to the parent's `ChildProcess` object (the
/// handle port) everything but `Signal`; to the child (its end of the channel) IPC messages,
/// `Disconnect` and `Signal`.
#[derive(Debug)]
pub enum ProcEvent {
    /// A forked Node child ran its first statement (what `cluster` calls `online`).
    Online,
    /// A chunk written to the child's stdout (1) or stderr (2), read by the parent.
    Stdio(u8, String),
    /// The child's end of pipe `fd` closed.
    Eof(u8),
    /// An IPC message: JSON text, or a structured clone (`serialization: 'advanced'`).
    Json(String),
    Advanced(Serialized),
    /// The IPC channel closed.
    Disconnect,
    /// The process ended: its exit code, or the signal that killed it.
    Exit {
        code: Option<i32>,
        signal: Option<&'static str>,
    },
    /// A signal for a process that listens for it (`process.on('SIGTERM')`).
    Signal(&'static str),
}

/// A message on its way.
#[derive(Debug)]
pub struct Envelope {
    /// The receiving port.
    pub port: PortId,
    pub payload: Payload,
    /// Virtual time it was sent and the time it can be received.
    pub sent_ns: u64,
    pub due_ns: u64,
    /// Global order of sending (ties of `due_ns` are delivered in it).
    pub seq: u64,
    /// Bytes of its clone (0 for control messages).
    pub bytes: usize,
    /// The sending agent.
    pub from: AgentId,
    /// Its entry in [`Bus::log`].
    pub log: u32,
}

/// One port.
#[derive(Debug)]
pub struct Port {
    pub owner: AgentId,
    /// The entangled port (`None` for a broadcast channel's port).
    pub peer: Option<PortId>,
    /// The broadcast group it belongs to.
    pub group: Option<String>,
    pub closed: bool,
    /// Whether it delivers its messages (a port holds them until it is started, as Node's
    /// do until a `message` listener is added).
    pub started: bool,
    /// Whether it keeps its owner's loop alive (a `message` listener, or a running worker).
    pub refed: bool,
    /// The `Worker` object's end of a worker's channel (not a `MessagePort`: closing the
    /// worker's `parentPort` does not close it).
    pub worker_object: bool,
    /// A listening server's port or an end of a network connection.
    pub net: bool,
}

/// A `new Worker(...)` waiting to be started by the machine.
#[derive(Debug)]
pub struct SpawnRequest {
    /// The agent it will be.
    pub agent: AgentId,
    pub parent: AgentId,
    pub thread_id: u32,
    /// The worker's end of its channel (its `parentPort`).
    pub child_port: PortId,
    /// The script's file name, or `[worker eval]`.
    pub filename: String,
    pub source: String,
    pub worker_data: Serialized,
    pub at_ns: u64,
}

/// A thread blocked in `Atomics.wait`.
#[derive(Debug)]
pub struct Waiter {
    pub agent: AgentId,
    /// Identity of the shared memory (the byte store's address) and the byte index.
    pub key: (usize, usize),
    /// When the wait times out (`u64::MAX`: never).
    pub timeout_ns: u64,
    pub seq: u64,
}

/// A message as the trace records it: sender, receiver, size, times.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MessageRecord {
    pub from: AgentId,
    /// The agent that owned the receiving port when it was sent.
    pub to: AgentId,
    pub to_port: PortId,
    pub kind: &'static str,
    pub bytes: usize,
    pub sent_ns: u64,
    pub due_ns: u64,
}

/// The shared state (see the module docs).
#[derive(Debug, Default)]
pub struct Bus {
    pub ports: BTreeMap<PortId, Port>,
    pub next_port: PortId,
    /// Messages not yet received.
    pub queue: VecDeque<Envelope>,
    pub seq: u64,
    pub spawns: Vec<SpawnRequest>,
    /// `worker.terminate()` calls: (the worker's child port, time).
    pub terminations: Vec<(PortId, u64)>,
    pub next_thread_id: u32,
    /// The id the next agent will have (agents are created in the order they are asked for).
    pub next_agent: AgentId,
    /// Threads blocked in `Atomics.wait`, and the ones `Atomics.notify` woke: (agent, time).
    pub waiters: Vec<Waiter>,
    pub woken: Vec<(AgentId, u64)>,
    /// Every message sent, for the trace.
    pub log: Vec<MessageRecord>,
    /// The process's libuv thread pool (see [`super::pool`]).
    pub pool: super::pool::Pool,
    /// Per-message costs (from the cost model).
    pub message_base_ns: u64,
    pub message_byte_ps: u64,
    /// The processes of the machine (see [`super::process`]).
    pub procs: super::process::ProcessTable,
    /// What reached the terminal, in the order it was written: the main program's output
    /// and that of the children that inherit it.
    pub terminal: Vec<(Stream, String)>,
    /// The loopback network's listening servers, by TCP port number.
    pub listeners: BTreeMap<u16, Listener>,
    /// The next ephemeral port `listen(0)` tries.
    pub next_ephemeral: u16,
}

impl Bus {
    /// A new port owned by `owner`.
    pub fn new_port(&mut self, owner: AgentId) -> PortId {
        let id = self.next_port;
        self.next_port += 1;
        self.ports.insert(
            id,
            Port {
                owner,
                peer: None,
                group: None,
                closed: false,
                started: false,
                refed: false,
                worker_object: false,
                net: false,
            },
        );
        id
    }

    /// Two entangled ports owned by `owner`.
    pub fn channel(&mut self, owner: AgentId) -> (PortId, PortId) {
        let a = self.new_port(owner);
        let b = self.new_port(owner);
        self.ports.get_mut(&a).expect("port").peer = Some(b);
        self.ports.get_mut(&b).expect("port").peer = Some(a);
        (a, b)
    }

    /// Queues `payload` for `port`, sent by `from` at `now`; returns its delivery time.
    pub fn send(&mut self, from: AgentId, port: PortId, payload: Payload, now: u64) -> u64 {
        let bytes = payload_bytes(&payload);
        let cost = self.message_base_ns + (bytes as u64 * self.message_byte_ps) / 1000;
        self.send_at(from, port, payload, now, now + cost)
    }

    /// Queues `payload` for `port`, sent by `from` at `now`, to be received at `due` (or
    /// after what is already queued for the port); returns its delivery time.
    pub fn send_at(
        &mut self,
        from: AgentId,
        port: PortId,
        payload: Payload,
        now: u64,
        due: u64,
    ) -> u64 {
        let bytes = payload_bytes(&payload);
        let kind = match &payload {
            Payload::Data(_) => "message",
            Payload::Online => "online",
            Payload::Error(_) => "error",
            Payload::Output(..) => "output",
            Payload::Exit(_) => "exit",
            Payload::Close => "close",
            Payload::Proc(e) => match e {
                ProcEvent::Online => "online",
                ProcEvent::Stdio(1, _) => "stdout",
                ProcEvent::Stdio(..) => "stderr",
                ProcEvent::Eof(_) => "eof",
                ProcEvent::Json(_) | ProcEvent::Advanced(_) => "ipc",
                ProcEvent::Disconnect => "disconnect",
                ProcEvent::Exit { .. } => "exit",
                ProcEvent::Signal(_) => "signal",
            },
            Payload::Net(e) => match e {
                NetEvent::Connection(_) => "connection",
                NetEvent::Connected => "connect",
                NetEvent::Refused => "refused",
                NetEvent::Data(_) | NetEvent::End | NetEvent::Close => "socket",
            },
        };
        // messages on one port never overtake each other
        let after = self
            .queue
            .iter()
            .filter(|e| e.port == port)
            .map(|e| e.due_ns)
            .max()
            .unwrap_or(0);
        let due = due.max(after);
        let seq = self.seq;
        self.seq += 1;
        let to = self.ports.get(&port).map_or(from, |p| p.owner);
        let log = self.log.len().min(u32::MAX as usize) as u32;
        self.log.push(MessageRecord {
            from,
            to,
            to_port: port,
            kind,
            bytes,
            sent_ns: now,
            due_ns: due,
        });
        self.queue.push_back(Envelope {
            port,
            payload,
            sent_ns: now,
            due_ns: due,
            seq,
            bytes,
            from,
            log,
        });
        due
    }

    /// The log index of the message sent last.
    pub fn last_logged(&self) -> u32 {
        self.log.len().saturating_sub(1).min(u32::MAX as usize) as u32
    }

    /// The earliest delivery time of a message to a port `agent` owns.
    pub fn next_due(&self, agent: AgentId) -> Option<u64> {
        self.queue
            .iter()
            .filter(|e| self.receives(agent, e.port))
            .map(|e| e.due_ns)
            .min()
    }

    /// Removes and returns the first message due by `now` for a port `agent` owns.
    pub fn take_due(&mut self, agent: AgentId, now: u64) -> Option<Envelope> {
        let pos = self
            .queue
            .iter()
            .enumerate()
            .filter(|(_, e)| e.due_ns <= now && self.receives(agent, e.port))
            .min_by_key(|(_, e)| (e.due_ns, e.seq))
            .map(|(i, _)| i)?;
        self.queue.remove(pos)
    }

    /// Drops the listeners whose server closed (or whose thread ended).
    pub fn forget_closed_listeners(&mut self) {
        let ports = &self.ports;
        self.listeners
            .retain(|_, l| ports.get(&l.port).is_some_and(|p| !p.closed));
    }

    /// Whether `agent` owns `port` and the port delivers.
    fn receives(&self, agent: AgentId, port: PortId) -> bool {
        self.ports
            .get(&port)
            .is_some_and(|p| p.owner == agent && p.started)
    }

    /// Whether `agent` owns a ref'ed, open port (its loop stays alive).
    /// A pending `close` or `exit` also does: a closing handle keeps the loop until its
    /// event ran.
    pub fn keeps_alive(&self, agent: AgentId) -> bool {
        self.ports
            .values()
            .any(|p| p.owner == agent && p.refed && !p.closed)
            || self.queue.iter().any(|e| {
                matches!(
                    e.payload,
                    Payload::Close
                        | Payload::Net(NetEvent::Close)
                        | Payload::Exit(_)
                        | Payload::Proc(ProcEvent::Exit { .. } | ProcEvent::Disconnect)
                ) && self.receives(agent, e.port)
            })
    }
}

/// Bytes a payload copies (0 for control messages).
fn payload_bytes(payload: &Payload) -> usize {
    match payload {
        Payload::Data(s)
        | Payload::Error(s)
        | Payload::Proc(ProcEvent::Advanced(s))
        | Payload::Net(NetEvent::Data(s)) => s.byte_size(),
        Payload::Output(_, t) | Payload::Proc(ProcEvent::Stdio(_, t) | ProcEvent::Json(t)) => {
            t.len()
        }
        _ => 0,
    }
}
