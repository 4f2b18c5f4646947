//! Node's timers: the globals `setTimeout`/`setInterval`/`setImmediate`, their `clear…`
//! forms and `queueMicrotask`; the `Timeout` and `Immediate` objects (`ref`, `unref`,
//! `hasRef`, `refresh`, `[Symbol.toPrimitive]`); and the `timers` module. `timers/promises`
//! is written in JavaScript (`prelude.js`, `timersPromises`).
//!
//! Scheduling only records the callback (in `HostState::timers` / `immediates`); the event
//! loop ([`super::event_loop`]) runs due timers in the timers phase and immediates in the
//! check phase. A delay outside 1..=2147483647 ms is 1 ms, as in Node.

use super::errors::{received, set_code};
use crate::builtins::arg;
use crate::heap::*;
use crate::recorder::Event;
use crate::value::{ObjId, Value};
use crate::vm::{Job, JsResult, Vm};

/// A pending timer (setTimeout / setInterval).
#[derive(Clone, Debug)]
pub struct Timer {
    pub id: u64,
    pub due_ms: u64,
    pub seq: u64,
    pub callback: Value,
    pub args: Vec<Value>,
    pub repeat_ms: Option<u64>,
    pub refed: bool,
    pub object: ObjId,
}

fn delay_ms(vm: &mut Vm, v: &Value) -> Result<u64, Value> {
    let d = vm.to_number(v)?;
    Ok(if !(1.0..=2147483647.0).contains(&d) {
        1
    } else {
        d.trunc() as u64
    })
}

fn new_timer(vm: &mut Vm, args: &[Value], repeat: bool) -> JsResult {
    let cb = arg(args, 0);
    if !vm.is_callable(&cb) {
        let e = vm.type_error(&format!(
            "The \"callback\" argument must be of type function. Received {}",
            received(vm, &cb)
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    let delay = delay_ms(vm, &arg(args, 1))?;
    let extra: Vec<Value> = args.iter().skip(2).cloned().collect();
    vm.host.next_id += 1;
    let id = vm.host.next_id;
    let seq = vm.host.seq;
    vm.host.seq += 1;
    let tp = vm.host.timeout_proto;
    let obj = vm.alloc(Some(tp), ObjKind::Ordinary);
    vm.put(obj, "_idleTimeout", Value::Num(delay as f64));
    let k = vm.heap.key("__id");
    vm.heap.obj_mut(obj).put(k, Value::Num(id as f64), 0);
    let due = vm.clock_ns / 1_000_000 + delay;
    if vm.recording() {
        let label = vm.callback_label(&cb);
        vm.recorder.event(Event::TimerSet {
            id,
            due_ms: due,
            repeat,
            label: &label,
        });
    }
    vm.host.timers.insert(
        id,
        Timer {
            id,
            due_ms: due,
            seq,
            callback: cb,
            args: extra,
            repeat_ms: if repeat { Some(delay) } else { None },
            refed: true,
            object: obj,
        },
    );
    Ok(Value::Obj(obj))
}

fn set_timeout(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    new_timer(vm, args, false)
}
fn set_interval(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    new_timer(vm, args, true)
}
fn timer_id(vm: &mut Vm, v: &Value) -> Option<u64> {
    match v {
        Value::Num(n) => Some(*n as u64),
        Value::Obj(_) => match vm.get_by_name(v, "__id") {
            Ok(Value::Num(n)) => Some(n as u64),
            _ => None,
        },
        _ => None,
    }
}
fn clear_timeout(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if let Some(id) = timer_id(vm, &arg(args, 0)) {
        if vm.host.timers.remove(&id).is_some() {
            vm.host_event(Event::TimerCleared { id });
        }
    }
    Ok(Value::Undefined)
}
fn set_immediate(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cb = arg(args, 0);
    if !vm.is_callable(&cb) {
        let e = vm.type_error(&format!(
            "The \"callback\" argument must be of type function. Received {}",
            received(vm, &cb)
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    vm.host.next_id += 1;
    let id = vm.host.next_id;
    let ip = vm.host.immediate_proto;
    let obj = vm.alloc(Some(ip), ObjKind::Ordinary);
    let k = vm.heap.key("__id");
    vm.heap.obj_mut(obj).put(k, Value::Num(id as f64), 0);
    if vm.recording() {
        let label = vm.callback_label(&cb);
        vm.recorder.event(Event::ImmediateSet { id, label: &label });
    }
    vm.host
        .immediates
        .push_back((id, cb, args.iter().skip(1).cloned().collect()));
    Ok(Value::Obj(obj))
}
fn clear_immediate(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if let Some(id) = timer_id(vm, &arg(args, 0)) {
        let before = vm.host.immediates.len();
        vm.host.immediates.retain(|x| x.0 != id);
        if vm.host.immediates.len() != before {
            vm.host_event(Event::ImmediateCleared { id });
        }
        vm.host.cleared_immediates.insert(id);
    }
    Ok(Value::Undefined)
}
fn timer_set_ref(vm: &mut Vm, this: &Value, r: bool) {
    if let Some(id) = timer_id(vm, this) {
        if let Some(t) = vm.host.timers.get_mut(&id) {
            t.refed = r;
        }
    }
}
fn timeout_ref(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    timer_set_ref(vm, &this, true);
    Ok(this)
}
fn timeout_unref(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    timer_set_ref(vm, &this, false);
    Ok(this)
}
fn timeout_has_ref(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let id = timer_id(vm, &this);
    Ok(Value::Bool(
        id.and_then(|i| vm.host.timers.get(&i))
            .map(|t| t.refed)
            .unwrap_or(false),
    ))
}
fn timeout_refresh(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    if let Some(id) = timer_id(vm, &this) {
        let now = vm.clock_ns / 1_000_000;
        let seq = vm.host.seq;
        vm.host.seq += 1;
        let delay = match vm.get_by_name(&this, "_idleTimeout") {
            Ok(Value::Num(n)) => n as u64,
            _ => 1,
        };
        if let Some(t) = vm.host.timers.get_mut(&id) {
            t.due_ms = now + delay;
            t.seq = seq;
            let (repeat, cb) = (t.repeat_ms.is_some(), t.callback.clone());
            if vm.recording() {
                let label = vm.callback_label(&cb);
                vm.recorder.event(Event::TimerSet {
                    id,
                    due_ms: now + delay,
                    repeat,
                    label: &label,
                });
            }
        }
    }
    Ok(this)
}
fn timeout_to_primitive(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(timer_id(vm, &this)
        .map(|i| Value::Num(i as f64))
        .unwrap_or(Value::Undefined))
}
fn queue_microtask(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let f = arg(args, 0);
    if !vm.is_callable(&f) {
        let e = vm.type_error(&format!(
            "The \"callback\" argument must be of type function. Received {}",
            received(vm, &f)
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    vm.enqueue_job(Job::Callback { func: f });
    Ok(Value::Undefined)
}

/// Installs `Timeout.prototype`, `Immediate.prototype` and the global timer functions and
/// `queueMicrotask`.
pub fn install(vm: &mut Vm) {
    let g = vm.realm.global;
    let op = vm.realm.object_proto;
    let tp = vm.alloc(Some(op), ObjKind::Ordinary);
    vm.host.timeout_proto = tp;
    let tc = vm.make_native(
        "Timeout",
        0,
        |vm, _, _, _| vm.throw_type("Illegal constructor"),
        vec![],
    );
    crate::builtins::link_ctor(vm, tc, tp);
    vm.method(tp, "ref", 0, timeout_ref);
    vm.method(tp, "unref", 0, timeout_unref);
    vm.method(tp, "hasRef", 0, timeout_has_ref);
    vm.method(tp, "refresh", 0, timeout_refresh);
    let prim = vm.make_native("[Symbol.toPrimitive]", 0, timeout_to_primitive, vec![]);
    let k = PropKey::Sym(vm.syms.to_primitive);
    vm.heap.obj_mut(tp).put(k, Value::Obj(prim), HIDDEN);
    let ip = vm.alloc(Some(op), ObjKind::Ordinary);
    vm.host.immediate_proto = ip;
    let ic = vm.make_native(
        "Immediate",
        0,
        |vm, _, _, _| vm.throw_type("Illegal constructor"),
        vec![],
    );
    crate::builtins::link_ctor(vm, ic, ip);
    vm.method(ip, "ref", 0, |_, this, _, _| Ok(this));
    vm.method(ip, "unref", 0, |_, this, _, _| Ok(this));
    vm.method(ip, "hasRef", 0, |_, _, _, _| Ok(Value::Bool(true)));

    vm.method(g, "setTimeout", 2, set_timeout);
    vm.method(g, "setInterval", 2, set_interval);
    vm.method(g, "setImmediate", 1, set_immediate);
    vm.method(g, "clearTimeout", 1, clear_timeout);
    vm.method(g, "clearInterval", 1, clear_timeout);
    vm.method(g, "clearImmediate", 1, clear_immediate);
    vm.method(g, "queueMicrotask", 1, queue_microtask);
}

/// Registers the `timers` module (the global functions) and `timers/promises` (from the
/// prelude).
pub fn install_module(vm: &mut Vm) {
    let tp = super::prelude_get(vm, "timersPromises");
    vm.host.modules.insert("timers/promises".into(), tp);
    let timers = vm.new_object();
    let g = Value::Obj(vm.realm.global);
    for n in [
        "setTimeout",
        "setInterval",
        "setImmediate",
        "clearTimeout",
        "clearInterval",
        "clearImmediate",
    ] {
        let f = vm.get_by_name(&g, n).unwrap_or(Value::Undefined);
        vm.put(timers, n, f);
    }
    vm.host.modules.insert("timers".into(), Value::Obj(timers));
}
