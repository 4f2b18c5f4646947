//! The machine's loopback network: the native side of `net` (and of `http`, which the
//! prelude builds on it). A listening server is a port of the bus registered under its TCP
//! port number ([`Bus::listeners`]), so two servers of any two processes on the machine
//! cannot bind one number (`EADDRINUSE`), and a client in any process reaches the one that
//! did. A connection is a pair of entangled bus ports: the client's end, and the server's
//! end that is delivered to the listener (`connection`) and held until a socket object
//! starts it — which lets `cluster`'s primary hand the server's end to a worker over IPC
//! before any byte was read ([`transfer`]).
//!
//! Every hop costs [`crate::CostModel::loopback_ns`] plus the bytes at the IPC rate. The
//! prelude's `netModule(natives)` is the JavaScript side; it is built on the first
//! `require('net')` or `require('http')`.

use super::clone::{deserialize, serialize};
use crate::builtins::arg;
use crate::machine::bus::{AgentId, Bus, Listener, NetEvent, Payload, PortId};
use crate::recorder::Event;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};

/// The first port `listen(0)` hands out (Node asks the OS; here they count up from it).
pub const FIRST_EPHEMERAL_PORT: u16 = 41234;
/// `errno` of `EADDRINUSE` on Linux.
const EADDRINUSE: f64 = -98.0;

/// A TCP port number argument (0 when it is not one: the prelude validated it).
fn tcp_port_arg(args: &[Value]) -> u16 {
    match arg(args, 0) {
        Value::Num(n) if (0.0..=65535.0).contains(&n) => n as u16,
        _ => 0,
    }
}

fn port_arg(args: &[Value], i: usize) -> PortId {
    match arg(args, i) {
        Value::Num(n) if n >= 0.0 => n as PortId,
        _ => u64::MAX,
    }
}

fn me(vm: &Vm) -> AgentId {
    vm.host.link.as_ref().expect("every agent has a link").id
}

fn with_bus<R>(vm: &Vm, f: impl FnOnce(&mut Bus) -> R) -> R {
    let l = vm.host.link.as_ref().expect("every agent has a link");
    f(&mut l.bus.borrow_mut())
}

/// Delay of one loopback hop carrying `bytes`.
fn hop(vm: &Vm, bytes: usize) -> u64 {
    let c = &vm.host.cost;
    c.loopback_ns + bytes as u64 * c.ipc_byte_ps / 1000
}

/// `listen(port, proto)`: binds TCP `port` (0: the next free ephemeral one) for this
/// agent; returns `[port, listenerPort]`, or `-98` when another server holds the number.
fn net_listen(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let wanted = tcp_port_arg(args);
    let proto = vm.to_string(&arg(args, 1))?.to_string();
    let owner = me(vm);
    let bound = with_bus(vm, |bus| {
        bus.forget_closed_listeners();
        let number = if wanted == 0 {
            let mut n = bus.next_ephemeral.max(FIRST_EPHEMERAL_PORT);
            while bus.listeners.contains_key(&n) {
                n = n.checked_add(1)?;
            }
            bus.next_ephemeral = n.saturating_add(1);
            n
        } else if bus.listeners.contains_key(&wanted) {
            return None;
        } else {
            wanted
        };
        let port = bus.new_port(owner);
        if let Some(p) = bus.ports.get_mut(&port) {
            p.started = true;
            p.refed = true;
            p.net = true;
        }
        bus.listeners.insert(number, Listener { port, proto });
        Some((number, port))
    });
    Ok(match bound {
        Some((number, port)) => {
            vm.new_array(vec![Value::Num(number as f64), Value::Num(port as f64)])
        }
        None => Value::Num(EADDRINUSE),
    })
}

/// `unlisten(listenerPort)`: the number is free again; connections not yet accepted are
/// refused by the closing.
fn net_unlisten(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    with_bus(vm, |bus| {
        if let Some(p) = bus.ports.get_mut(&port) {
            p.closed = true;
            p.refed = false;
        }
        bus.listeners.retain(|_, l| l.port != port);
    });
    Ok(Value::Undefined)
}

/// `connect(port, proto)`: opens a connection to the server listening on TCP `port`; returns
/// this end's port, which hears `connect` (or `refused` when nobody listens) after one hop.
/// Returns -1 when the server speaks another protocol (an `http` server's connections carry
/// requests, not bytes: a raw `net` client cannot talk to it here).
fn net_connect(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let number = tcp_port_arg(args);
    let proto = vm.to_string(&arg(args, 1))?.to_string();
    let owner = me(vm);
    let now = vm.clock_ns;
    let due = now + hop(vm, 0);
    let result = with_bus(vm, |bus| {
        bus.forget_closed_listeners();
        let listener = bus
            .listeners
            .get(&number)
            .map(|l| (l.port, l.proto.clone()));
        if let Some((_, p)) = &listener {
            if *p != proto {
                return None;
            }
        }
        let (client, server) = bus.channel(owner);
        for end in [client, server] {
            if let Some(p) = bus.ports.get_mut(&end) {
                p.net = true;
            }
        }
        if let Some(p) = bus.ports.get_mut(&client) {
            p.started = true;
            p.refed = true;
        }
        let logged = match listener {
            Some((listener, _)) => {
                let server_agent = bus.ports.get(&listener).map_or(owner, |p| p.owner);
                if let Some(p) = bus.ports.get_mut(&server) {
                    p.owner = server_agent;
                    p.refed = true;
                }
                bus.send_at(
                    owner,
                    listener,
                    Payload::Net(NetEvent::Connection(server)),
                    now,
                    due,
                );
                let logged = bus.last_logged();
                bus.send_at(
                    server_agent,
                    client,
                    Payload::Net(NetEvent::Connected),
                    now,
                    due,
                );
                Some(logged)
            }
            None => {
                bus.send_at(owner, client, Payload::Net(NetEvent::Refused), now, due);
                None
            }
        };
        Some((client, logged))
    });
    match result {
        None => Ok(Value::Num(-1.0)),
        Some((client, logged)) => {
            if let Some(msg) = logged {
                vm.host_event(Event::MessagePosted { msg });
            }
            Ok(Value::Num(client as f64))
        }
    }
}

/// `write(port, value, hops)`: sends a chunk (a `Buffer`, or for `http` a part of a request
/// or response) to the other end, `hops` loopback hops from now (2 for a request on a
/// connection still being opened: the handshake, then the data).
fn net_write(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    let hops = match arg(args, 2) {
        Value::Num(n) if (1.0..=4.0).contains(&n) => n as u64,
        _ => 1,
    };
    let no_ports = |_: &Vm, _: ObjId| None;
    let mut s = serialize(vm, &arg(args, 1), &[], &no_ports)?;
    s.keep_buffers = true;
    let bytes = s.byte_size();
    let due = vm.clock_ns + (hops - 1) * hop(vm, 0) + hop(vm, bytes);
    send_to_peer(vm, port, NetEvent::Data(s), due)
}

/// `end(port)`: this end will write no more (the other end's readable side ends).
fn net_end(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    let due = vm.clock_ns + hop(vm, 0);
    send_to_peer(vm, port, NetEvent::End, due)
}

/// `close(port)`: this end is gone; the other end hears `close` after one hop.
fn net_close(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    let due = vm.clock_ns + hop(vm, 0);
    let sent = send_to_peer(vm, port, NetEvent::Close, due);
    with_bus(vm, |bus| {
        if let Some(p) = bus.ports.get_mut(&port) {
            p.closed = true;
            p.refed = false;
        }
    });
    if let Some(l) = vm.host.link.as_mut() {
        l.objects.remove(&port);
    }
    sent
}

fn send_to_peer(vm: &mut Vm, port: PortId, event: NetEvent, due: u64) -> JsResult {
    let from = me(vm);
    let now = vm.clock_ns;
    let logged = with_bus(vm, |bus| {
        let p = bus.ports.get(&port)?;
        if p.closed {
            return None;
        }
        let peer = p.peer?;
        if bus.ports.get(&peer).is_none_or(|q| q.closed) {
            return None;
        }
        bus.send_at(from, peer, Payload::Net(event), now, due);
        Some(bus.last_logged())
    });
    match logged {
        Some(msg) => {
            vm.host_event(Event::MessagePosted { msg });
            Ok(Value::Bool(true))
        }
        None => Ok(Value::Bool(false)),
    }
}

/// `accept(port, socket, ref)`: the socket object of a connection's end; its held data
/// flows from now on (and, with `ref`, it keeps the loop alive).
fn net_accept(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    let refed = arg(args, 2).truthy();
    if let (Value::Obj(o), Some(l)) = (arg(args, 1), vm.host.link.as_mut()) {
        l.objects.insert(port, o);
    }
    with_bus(vm, |bus| {
        if let Some(p) = bus.ports.get_mut(&port) {
            p.started = true;
            p.refed = refed && !p.closed;
        }
    });
    Ok(Value::Undefined)
}

/// `ref(port, ref)`: whether this end keeps the loop alive (a kept-alive socket waiting in
/// the agent's pool does not).
fn net_ref(vm: &mut Vm, _this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let port = port_arg(args, 0);
    let refed = arg(args, 1).truthy();
    with_bus(vm, |bus| {
        if let Some(p) = bus.ports.get_mut(&port) {
            p.refed = refed && !p.closed;
        }
    });
    Ok(Value::Undefined)
}

/// Hands the server's end of a connection to the agent that owns `to` (the other end of an
/// IPC channel): `cluster`'s primary passing an accepted connection to a worker. The end
/// holds what arrives until the worker's socket starts it.
pub(crate) fn transfer(bus: &mut Bus, conn: PortId, to: PortId) -> bool {
    let Some(receiver) = bus.ports.get(&to).map(|p| p.owner) else {
        return false;
    };
    match bus.ports.get_mut(&conn) {
        Some(p) if p.net && !p.closed => {
            p.owner = receiver;
            p.started = false;
            p.refed = true;
            true
        }
        _ => false,
    }
}

/// Builds the natives and the prelude's `netModule` for this agent (first `require` of
/// `net` or `http`).
fn build(vm: &mut Vm) -> JsResult {
    if let Some(m) = vm.host.modules.get("\0net") {
        return Ok(m.clone());
    }
    let natives = vm.new_object();
    vm.method(natives, "listen", 2, net_listen);
    vm.method(natives, "unlisten", 1, net_unlisten);
    vm.method(natives, "connect", 2, net_connect);
    vm.method(natives, "write", 3, net_write);
    vm.method(natives, "end", 1, net_end);
    vm.method(natives, "close", 1, net_close);
    vm.method(natives, "accept", 3, net_accept);
    vm.method(natives, "ref", 2, net_ref);
    let factory = super::prelude_get(vm, "netModule");
    let built = vm.call(&factory, Value::Undefined, &[Value::Obj(natives)])?;
    let dispatch = vm.get_by_name(&built, "dispatch")?;
    if let Some(l) = vm.host.link.as_mut() {
        l.net_dispatch = Some(dispatch);
    }
    vm.host.modules.insert("\0net".into(), built.clone());
    Ok(built)
}

/// The first `require('net')`.
pub fn load(vm: &mut Vm) -> JsResult {
    let built = build(vm)?;
    let module = vm.get_by_name(&built, "net")?;
    vm.host.modules.insert("net".into(), module.clone());
    Ok(module)
}

/// The first `require('http')` (or `https`): the prelude's `httpModule` over this network.
pub fn load_http(vm: &mut Vm) -> JsResult {
    let built = build(vm)?;
    let factory = super::prelude_get(vm, "httpModule");
    let module = vm.call(&factory, Value::Undefined, &[built])?;
    vm.host.modules.insert("http".into(), module.clone());
    vm.host.modules.insert("https".into(), module.clone());
    Ok(module)
}

impl Vm {
    /// A network event for a socket or server of this agent: the call of the prelude's
    /// `dispatch(target, kind, value)`, kinds 1 connection (the server's end), 2 data,
    /// 3 end, 4 refused, 5 close, 6 connected.
    pub(crate) fn net_message(
        &mut self,
        port: PortId,
        event: NetEvent,
    ) -> Option<(Value, Vec<Value>)> {
        let (kind, value) = match event {
            NetEvent::Connection(end) => (1, Value::Num(end as f64)),
            NetEvent::Data(s) => {
                let mut no_ports = |_: &mut Vm, _: u64| Value::Undefined;
                (2, deserialize(self, &s, &mut no_ports))
            }
            NetEvent::End => (3, Value::Undefined),
            NetEvent::Refused => (4, Value::Undefined),
            NetEvent::Close => (5, Value::Undefined),
            NetEvent::Connected => (6, Value::Undefined),
        };
        let l = self.host.link.as_mut()?;
        let target = *l.objects.get(&port)?;
        if kind == 5 || kind == 4 {
            l.objects.remove(&port);
            if let Some(p) = l.bus.borrow_mut().ports.get_mut(&port) {
                p.closed = true;
                p.refed = false;
            }
        }
        let dispatch = l.net_dispatch.clone()?;
        Some((
            dispatch,
            vec![Value::Obj(target), Value::Num(kind as f64), value],
        ))
    }
}
