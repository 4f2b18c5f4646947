//! `worker_threads` (and what the event loop needs of the machine): the native side of
//! `Worker`, `MessagePort`, `MessageChannel` and `BroadcastChannel`, whose JavaScript side is
//! the prelude's `workerThreads`. The module is built on the first `require`, so a program
//! that does not use it allocates nothing for it.
//!
//! An agent reaches the rest of the machine only through its [`AgentLink`]: the shared
//! [`Bus`] where it leaves messages and requests. Receiving is the poll phase's job
//! ([`Vm::take_message`]): the message is materialised in this agent's heap (the structured
//! clone) and handed to the port's object.

use super::clone::{deserialize, serialize};
use super::Stream;
use crate::builtins::arg;
use crate::machine::bus::{AgentId, Bus, Payload, Port, PortId, SpawnRequest, Waiter};
use crate::recorder::Event;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// What an agent knows of the machine.
#[derive(Debug)]
pub struct AgentLink {
    pub id: AgentId,
    pub bus: Rc<RefCell<Bus>>,
    /// Node's `threadId` (0 for the main thread).
    pub thread_id: u32,
    /// A worker's `parentPort` (its end of the channel to its `Worker` object).
    pub parent_port: Option<PortId>,
    /// A worker's `workerData`, until the module is built.
    pub worker_data: Option<super::clone::Serialized>,
    /// The JavaScript object of each port this agent holds (roots for the collector).
    pub objects: HashMap<PortId, ObjId>,
    /// The prelude's `dispatch` and `makePort`, once the module is built.
    pub dispatch: Option<Value>,
    /// The prelude's dispatcher of child-process news (`child_process`, a child's IPC).
    pub proc_dispatch: Option<Value>,
    /// The prelude's dispatcher of network news (`net`, `http`).
    pub net_dispatch: Option<Value>,
    pub make_port: Option<Value>,
    /// Blocked in `Atomics.wait` (the machine parks the thread after this step).
    pub blocked: bool,
}

impl AgentLink {
    pub fn new(id: AgentId, bus: Rc<RefCell<Bus>>, thread_id: u32) -> AgentLink {
        AgentLink {
            id,
            bus,
            thread_id,
            parent_port: None,
            worker_data: None,
            objects: HashMap::new(),
            dispatch: None,
            proc_dispatch: None,
            net_dispatch: None,
            make_port: None,
            blocked: false,
        }
    }

    /// Every value the link holds (roots for the collector).
    pub fn values(&self) -> impl Iterator<Item = Value> + '_ {
        self.objects
            .values()
            .map(|o| Value::Obj(*o))
            .chain(self.dispatch.iter().cloned())
            .chain(self.proc_dispatch.iter().cloned())
            .chain(self.net_dispatch.iter().cloned())
            .chain(self.make_port.iter().cloned())
    }
}

/// The most worker threads one run may start.
pub const MAX_THREADS: u32 = 64;

fn link(vm: &Vm) -> &AgentLink {
    vm.host.link.as_ref().expect("every agent has a link")
}

fn port_arg(args: &[Value]) -> PortId {
    match arg(args, 0) {
        Value::Num(n) => n as PortId,
        _ => u64::MAX,
    }
}

/// Builds the module for this agent (the first `require('worker_threads')`).
pub fn load(vm: &mut Vm) -> JsResult {
    let natives = vm.new_object();
    vm.method(natives, "spawn", 3, wt_spawn);
    vm.method(natives, "post", 3, wt_post);
    vm.method(natives, "channel", 0, wt_channel);
    vm.method(natives, "broadcast", 1, wt_broadcast);
    vm.method(natives, "bind", 2, wt_bind);
    vm.method(natives, "start", 2, wt_start);
    vm.method(natives, "ref", 2, wt_ref);
    vm.method(natives, "hasRef", 1, wt_has_ref);
    vm.method(natives, "close", 1, wt_close);
    vm.method(natives, "terminate", 1, wt_terminate);
    let info = vm.new_object();
    let (is_main, thread_id, parent_port) = {
        let l = link(vm);
        (l.parent_port.is_none(), l.thread_id, l.parent_port)
    };
    vm.put(info, "isMainThread", Value::Bool(is_main));
    vm.put(info, "threadId", Value::Num(thread_id as f64));
    vm.put(
        info,
        "parentPort",
        parent_port.map_or(Value::Null, |p| Value::Num(p as f64)),
    );
    let data = match vm.host.link.as_mut().and_then(|l| l.worker_data.take()) {
        Some(s) => {
            let mut make = |vm: &mut Vm, id: u64| make_port_object(vm, id);
            deserialize(vm, &s, &mut make)
        }
        None => Value::Null,
    };
    vm.put(info, "workerData", data);
    let factory = super::prelude_get(vm, "workerThreads");
    let built = vm.call(
        &factory,
        Value::Undefined,
        &[Value::Obj(natives), Value::Obj(info)],
    )?;
    let module = vm.get_by_name(&built, "module")?;
    let dispatch = vm.get_by_name(&built, "dispatch")?;
    let make_port = vm.get_by_name(&built, "makePort")?;
    if let Some(l) = vm.host.link.as_mut() {
        l.dispatch = Some(dispatch);
        l.make_port = Some(make_port);
    }
    vm.host
        .modules
        .insert("worker_threads".into(), module.clone());
    Ok(module)
}

/// The receiving side's object for a transferred port.
fn make_port_object(vm: &mut Vm, id: PortId) -> Value {
    let make = match link(vm).make_port.clone() {
        Some(f) => f,
        None => {
            // the module is not built yet in this agent: build it (it defines MessagePort)
            if load(vm).is_err() {
                return Value::Undefined;
            }
            link(vm).make_port.clone().unwrap_or(Value::Undefined)
        }
    };
    vm.call(&make, Value::Undefined, &[Value::Num(id as f64)])
        .unwrap_or(Value::Undefined)
}

/// `spawn(filename, isEval, workerData)` → `[port, threadId]`.
fn wt_spawn(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let filename = vm.to_string(&arg(args, 0))?;
    let is_eval = matches!(arg(args, 1), Value::Bool(true));
    let worker_data = {
        let no_ports = |_: &Vm, _: ObjId| None;
        serialize(vm, &arg(args, 2), &[], &no_ports)?
    };
    let (path, source) = if is_eval {
        ("[worker eval]".to_string(), filename.to_string())
    } else {
        let path = super::fs::resolve_path(vm, &filename);
        match vm.host.files.get(&path) {
            Some(s) => (path, s.clone()),
            None => {
                let msg = format!("Cannot find module '{path}'");
                let src = format!(
                    "const e = new Error({}); e.code = 'MODULE_NOT_FOUND'; e.requireStack = []; throw e;",
                    serde_json::to_string(&msg).unwrap_or_default()
                );
                (path, src)
            }
        }
    };
    let id = link(vm).id;
    let now = vm.clock_ns;
    let mut bus = link(vm).bus.borrow_mut();
    if bus.next_thread_id > MAX_THREADS {
        drop(bus);
        let msg = format!(
            "looplab: this run started more than {MAX_THREADS} worker threads; the simulator stops there (a worker bomb?)"
        );
        return Err(vm.make_error(vm.realm.range_error_proto, &msg));
    }
    let thread_id = bus.next_thread_id;
    bus.next_thread_id += 1;
    let agent = bus.next_agent;
    bus.next_agent += 1;
    let (parent_side, child_side) = bus.channel(id);
    if let Some(p) = bus.ports.get_mut(&parent_side) {
        p.refed = true;
        p.started = true;
        p.worker_object = true;
    }
    // the worker's end belongs to the worker from now on (what is posted to it, and the
    // ports transferred with it, wait for the worker)
    if let Some(p) = bus.ports.get_mut(&child_side) {
        p.owner = agent;
    }
    bus.spawns.push(SpawnRequest {
        agent,
        parent: id,
        thread_id,
        child_port: child_side,
        filename: path,
        source,
        worker_data,
        at_ns: now,
    });
    drop(bus);
    Ok(vm.new_array(vec![
        Value::Num(parent_side as f64),
        Value::Num(thread_id as f64),
    ]))
}

/// `post(port, value, transferList)`.
fn wt_post(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args);
    // the second argument of postMessage: a list, or options with `transfer`, as Node reads it
    let transfer = super::clone::transfer_list(vm, &arg(args, 2))?;
    let ports: HashMap<ObjId, PortId> = link(vm).objects.iter().map(|(p, o)| (*o, *p)).collect();
    let moved: Vec<PortId> = transfer
        .iter()
        .filter_map(|v| match v {
            Value::Obj(o) => ports.get(o).copied(),
            _ => None,
        })
        .collect();
    let port_of = move |_: &Vm, o: ObjId| ports.get(&o).copied();
    let s = serialize(vm, &arg(args, 1), &transfer, &port_of)?;
    let me = link(vm).id;
    let now = vm.clock_ns;
    let mut bus = link(vm).bus.borrow_mut();
    let Some(p) = bus.ports.get(&port) else {
        return Ok(Value::Undefined);
    };
    if p.closed {
        return Ok(Value::Undefined);
    }
    let targets: Vec<PortId> = match (&p.peer, &p.group) {
        (Some(peer), _) => vec![*peer],
        (None, Some(group)) => {
            let group = group.clone();
            bus.ports
                .iter()
                .filter(|(id, q)| **id != port && !q.closed && q.group.as_ref() == Some(&group))
                .map(|(id, _)| *id)
                .collect()
        }
        _ => vec![],
    };
    // transferred ports now belong to the receiver
    if let Some(receiver) = targets
        .first()
        .and_then(|t| bus.ports.get(t))
        .map(|q| q.owner)
    {
        for t in &moved {
            if let Some(q) = bus.ports.get_mut(t) {
                q.owner = receiver;
                q.started = false;
                q.refed = false;
            }
        }
    }
    let extra: Vec<PortId> = targets.iter().skip(1).copied().collect();
    let mut posted = None;
    if let Some(first) = targets.first() {
        bus.send(me, *first, Payload::Data(s), now);
        posted = Some(bus.last_logged());
    }
    drop(bus);
    if let Some(msg) = posted {
        vm.host_event(Event::MessagePosted { msg });
    }
    // a broadcast reaches every other member: one clone each
    for t in extra {
        let no_ports = |_: &Vm, _: ObjId| None;
        let copy = serialize(vm, &arg(args, 1), &[], &no_ports)?;
        let msg = {
            let mut bus = link(vm).bus.borrow_mut();
            bus.send(me, t, Payload::Data(copy), now);
            bus.last_logged()
        };
        vm.host_event(Event::MessagePosted { msg });
    }
    if let Some(l) = vm.host.link.as_mut() {
        for t in moved {
            l.objects.remove(&t);
        }
    }
    Ok(Value::Undefined)
}

fn wt_channel(vm: &mut Vm, _this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let me = link(vm).id;
    let (a, b) = link(vm).bus.borrow_mut().channel(me);
    Ok(vm.new_array(vec![Value::Num(a as f64), Value::Num(b as f64)]))
}

fn wt_broadcast(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let name = vm.to_string(&arg(args, 0))?.to_string();
    let me = link(vm).id;
    let mut bus = link(vm).bus.borrow_mut();
    let id = bus.new_port(me);
    if let Some(p) = bus.ports.get_mut(&id) {
        p.group = Some(name);
    }
    Ok(Value::Num(id as f64))
}

fn wt_bind(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args);
    if let (Value::Obj(o), Some(l)) = (arg(args, 1), vm.host.link.as_mut()) {
        l.objects.insert(port, o);
    }
    Ok(Value::Undefined)
}

/// Changes port `args[0]` of the bus; `args[1]` is the `ref` flag.
fn update_port(vm: &mut Vm, args: &[Value], change: impl FnOnce(&mut Port, bool)) -> JsResult {
    let port = port_arg(args);
    let refed = matches!(arg(args, 1), Value::Bool(true));
    if let Some(p) = link(vm).bus.borrow_mut().ports.get_mut(&port) {
        change(p, refed);
    }
    Ok(Value::Undefined)
}

/// `start(port, ref)`: the port delivers its messages (and, with `ref`, keeps the loop alive).
fn wt_start(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    update_port(vm, args, |p, refed| {
        p.started = true;
        p.refed |= refed;
    })
}

/// `ref(port, ref)`: whether the port keeps its thread's loop alive.
fn wt_ref(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    update_port(vm, args, |p, refed| p.refed = refed)
}

fn wt_has_ref(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args);
    let refed = link(vm)
        .bus
        .borrow()
        .ports
        .get(&port)
        .is_some_and(|p| p.refed && !p.closed);
    Ok(Value::Bool(refed))
}

/// `close(port)`: both ends close; each gets a `close` event after what is queued for it.
fn wt_close(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args);
    let me = link(vm).id;
    let now = vm.clock_ns;
    let mut bus = link(vm).bus.borrow_mut();
    let Some(p) = bus.ports.get(&port) else {
        return Ok(Value::Undefined);
    };
    if p.closed {
        return Ok(Value::Undefined);
    }
    let peer = p
        .peer
        .filter(|q| bus.ports.get(q).is_some_and(|q| !q.worker_object));
    let ends: Vec<PortId> = std::iter::once(port).chain(peer).collect();
    for end in ends {
        if let Some(q) = bus.ports.get_mut(&end) {
            q.closed = true;
            q.started = true;
        }
        bus.send(me, end, Payload::Close, now);
    }
    Ok(Value::Undefined)
}

fn wt_terminate(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args);
    let now = vm.clock_ns;
    link(vm).bus.borrow_mut().terminations.push((port, now));
    Ok(Value::Undefined)
}

impl Vm {
    /// Whether a ref'ed port or a running worker keeps this agent's loop alive.
    pub fn machine_keeps_alive(&self) -> bool {
        match &self.host.link {
            Some(l) => l.bus.borrow().keeps_alive(l.id),
            None => false,
        }
    }

    /// When the next message for this agent is due.
    pub fn next_message_due(&self) -> Option<u64> {
        let l = self.host.link.as_ref()?;
        let bus = l.bus.borrow();
        if bus.queue.is_empty() {
            return None;
        }
        bus.next_due(l.id)
    }

    /// Takes the first message due now. Output lines are written here; a message for
    /// JavaScript comes back as the call that delivers it (the prelude's `dispatch`).
    pub fn take_message(&mut self) -> Option<(Value, Vec<Value>)> {
        let now = self.clock_ns;
        let envelope = {
            let l = self.host.link.as_ref()?;
            let mut bus = l.bus.borrow_mut();
            bus.take_due(l.id, now)?
        };
        let port = envelope.port;
        self.host_event(Event::MessageDelivered { msg: envelope.log });
        // the kinds of the prelude's `dispatch`: 0 message, 1 online, 2 error, 3 exit, 4 close
        let (kind, value) = match envelope.payload {
            Payload::Output(stream, text) => {
                self.write(stream, text);
                return None;
            }
            Payload::Data(s) => {
                let mut make = |vm: &mut Vm, id: u64| make_port_object(vm, id);
                (0, deserialize(self, &s, &mut make))
            }
            Payload::Online => (1, Value::Undefined),
            Payload::Error(s) => {
                let mut make = |vm: &mut Vm, id: u64| make_port_object(vm, id);
                (2, deserialize(self, &s, &mut make))
            }
            Payload::Exit(code) => {
                if let Some(l) = self.host.link.as_ref() {
                    if let Some(p) = l.bus.borrow_mut().ports.get_mut(&port) {
                        p.refed = false;
                        p.closed = true;
                    }
                }
                (3, Value::Num(code as f64))
            }
            Payload::Close => (4, Value::Undefined),
            Payload::Proc(event) => return self.proc_message(port, event),
            Payload::Net(event) => return self.net_message(port, event),
        };
        let l = self.host.link.as_ref()?;
        let target = *l.objects.get(&port)?;
        let dispatch = l.dispatch.clone()?;
        if kind == 4 || kind == 3 {
            if let Some(l) = self.host.link.as_mut() {
                l.objects.remove(&port);
            }
        }
        Some((
            dispatch,
            vec![Value::Obj(target), Value::Num(kind as f64), value],
        ))
    }

    /// `Atomics.wait` blocks this thread on shared-memory cell `key` for at most `timeout_ns`
    /// (`None`: forever): the job yields and the machine parks the thread until
    /// `Atomics.notify` wakes it or the time is up. Only a job the event loop called directly
    /// can be parked (see `event_loop`); returns false where the thread cannot block.
    pub fn atomics_block(&mut self, key: (usize, usize), timeout_ns: Option<u64>) -> bool {
        if self.native_depth != self.yield_depth.saturating_add(1) {
            return false;
        }
        let now = self.clock_ns;
        let Some(l) = self.host.link.as_mut() else {
            return false;
        };
        let mut bus = l.bus.borrow_mut();
        let seq = bus.seq;
        bus.seq += 1;
        bus.waiters.push(Waiter {
            agent: l.id,
            key,
            timeout_ns: timeout_ns.map_or(u64::MAX, |t| now.saturating_add(t)),
            seq,
        });
        drop(bus);
        l.blocked = true;
        self.abort = Some(crate::vm::Abort::Yield);
        true
    }

    /// `Atomics.notify`: wakes up to `count` threads waiting on `key`, first come first
    /// woken; each runs again after the wake-up cost. Returns how many it woke.
    pub fn atomics_notify(&mut self, key: (usize, usize), count: usize) -> usize {
        let now = self.clock_ns;
        let wake = self.host.cost.atomics_wake_ns;
        let Some(l) = self.host.link.as_ref() else {
            return 0;
        };
        let mut bus = l.bus.borrow_mut();
        let mut woken = 0;
        while woken < count {
            let Some(pos) = bus.waiters.iter().position(|w| w.key == key) else {
                break;
            };
            let w = bus.waiters.remove(pos);
            bus.woken.push((w.agent, now + wake));
            woken += 1;
        }
        woken
    }

    /// A worker's uncaught error goes to its `Worker` object as an `error` event instead of
    /// being printed. Returns false on the main thread.
    pub(crate) fn report_to_parent(&mut self, error: &Value) -> bool {
        let Some(port) = self.host.link.as_ref().and_then(|l| l.parent_port) else {
            return false;
        };
        let no_ports = |_: &Vm, _: ObjId| None;
        let s = match serialize(self, error, &[], &no_ports) {
            Ok(s) => s,
            Err(_) => {
                let shown = self.to_display(error);
                let text = Value::str(&shown);
                match serialize(self, &text, &[], &no_ports) {
                    Ok(s) => s,
                    Err(_) => return false,
                }
            }
        };
        let l = self.host.link.as_ref().expect("link");
        let mut bus = l.bus.borrow_mut();
        let Some(peer) = bus.ports.get(&port).and_then(|p| p.peer) else {
            return false;
        };
        let now = self.clock_ns;
        bus.send(l.id, peer, Payload::Error(s), now);
        true
    }

    /// Sends an output line of a worker to its parent (the process's stdout is the main
    /// thread's). Returns false on the main thread.
    pub(crate) fn forward_output(&mut self, stream: Stream, text: &str) -> bool {
        let Some(l) = self.host.link.as_ref() else {
            return false;
        };
        let Some(port) = l.parent_port else {
            return self.forward_to_parent_process(stream, text);
        };
        let mut bus = l.bus.borrow_mut();
        let Some(peer) = bus.ports.get(&port).and_then(|p| p.peer) else {
            return false;
        };
        let now = self.clock_ns;
        bus.send(l.id, peer, Payload::Output(stream, text.to_string()), now);
        true
    }
}
