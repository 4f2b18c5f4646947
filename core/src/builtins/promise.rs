//! Promises exactly per ECMA-262 §27.2: capabilities, resolving functions, reaction and
//! thenable jobs, then/catch/finally, the combinators, and rejection tracking hooks.

use super::{arg, Ids};
use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::{Job, JsResult, Vm};

impl Vm {
    pub fn new_promise(&mut self) -> ObjId {
        let p = self.realm.promise_proto;
        let o = self.alloc(
            Some(p),
            ObjKind::Promise {
                state: PromiseState::Pending {
                    fulfill: vec![],
                    reject: vec![],
                },
                handled: false,
            },
        );
        self.note_promise(o, crate::recorder::PromiseOp::Created);
        o
    }

    pub fn is_promise(&self, v: &Value) -> Option<ObjId> {
        match v {
            Value::Obj(o) if matches!(self.heap.obj(*o).kind, ObjKind::Promise { .. }) => Some(*o),
            _ => None,
        }
    }

    /// CreateResolvingFunctions(promise).
    pub fn resolving_functions(&mut self, p: ObjId) -> (Value, Value) {
        let cell = self.new_array(vec![Value::Bool(false)]);
        let r = self.native_fn(self.ids.resolve_fn, vec![Value::Obj(p), cell.clone()]);
        let j = self.native_fn(self.ids.reject_fn, vec![Value::Obj(p), cell]);
        (Value::Obj(r), Value::Obj(j))
    }

    /// The [[Resolve]] steps for a promise (value may be a thenable).
    pub fn resolve_promise_value(&mut self, p: ObjId, v: Value) -> Result<(), Value> {
        if let Value::Obj(o) = &v {
            if *o == p {
                let e = self.type_error("Chaining cycle detected for promise #<Promise>");
                self.reject_promise(p, e);
                return Ok(());
            }
            let then = match self.get(&v, PropKey::Str(self.names.then)) {
                Ok(t) => t,
                Err(e) => {
                    if self.abort.is_some() {
                        return Err(e);
                    }
                    self.reject_promise(p, e);
                    return Ok(());
                }
            };
            if self.is_callable(&then) {
                self.enqueue_job(Job::ResolveThenable {
                    promise: p,
                    thenable: v,
                    then,
                });
                return Ok(());
            }
        }
        self.fulfill_promise(p, v);
        Ok(())
    }

    pub fn fulfill_promise(&mut self, p: ObjId, v: Value) {
        let reactions = match &mut self.heap.obj_mut(p).kind {
            ObjKind::Promise { state, .. } => {
                match std::mem::replace(state, PromiseState::Fulfilled(v.clone())) {
                    PromiseState::Pending { fulfill, .. } => fulfill,
                    other => {
                        *state = other;
                        return;
                    }
                }
            }
            _ => return,
        };
        self.note_promise(p, crate::recorder::PromiseOp::Fulfilled);
        for r in reactions {
            self.enqueue_job(Job::Reaction {
                reaction: r,
                argument: v.clone(),
            });
        }
    }

    pub fn reject_promise(&mut self, p: ObjId, reason: Value) {
        let (reactions, handled) = match &mut self.heap.obj_mut(p).kind {
            ObjKind::Promise { state, handled } => {
                match std::mem::replace(state, PromiseState::Rejected(reason.clone())) {
                    PromiseState::Pending { reject, .. } => (reject, *handled),
                    other => {
                        *state = other;
                        return;
                    }
                }
            }
            _ => return,
        };
        self.note_promise(p, crate::recorder::PromiseOp::Rejected);
        if !handled {
            self.pending_rejections.push(p);
        }
        for r in reactions {
            self.enqueue_job(Job::Reaction {
                reaction: r,
                argument: reason.clone(),
            });
        }
    }

    /// PerformPromiseThen.
    pub fn perform_then(
        &mut self,
        p: ObjId,
        on_ful: Value,
        on_rej: Value,
        cap: Option<Capability>,
    ) {
        let on_ful = if self.is_callable(&on_ful) {
            on_ful
        } else {
            Value::Undefined
        };
        let on_rej = if self.is_callable(&on_rej) {
            on_rej
        } else {
            Value::Undefined
        };
        self.note_then(p, cap.as_ref().map(|c| &c.promise), &on_ful);
        let fr = Reaction {
            capability: cap.clone(),
            handler: on_ful,
            is_reject: false,
        };
        let rr = Reaction {
            capability: cap,
            handler: on_rej,
            is_reject: true,
        };
        let mut job = None;
        let mut newly_handled = false;
        if let ObjKind::Promise { state, handled } = &mut self.heap.obj_mut(p).kind {
            match state {
                PromiseState::Pending { fulfill, reject } => {
                    fulfill.push(fr);
                    reject.push(rr);
                }
                PromiseState::Fulfilled(v) => {
                    job = Some(Job::Reaction {
                        reaction: fr,
                        argument: v.clone(),
                    })
                }
                PromiseState::Rejected(v) => {
                    job = Some(Job::Reaction {
                        reaction: rr,
                        argument: v.clone(),
                    })
                }
            }
            if !*handled {
                *handled = true;
                newly_handled = true;
            }
        }
        if newly_handled {
            self.note_promise(p, crate::recorder::PromiseOp::Handled);
        }
        if let Some(j) = job {
            self.enqueue_job(j);
        }
    }

    /// A capability for a built-in promise whose resolve/reject are never exposed to user
    /// code: the functions are elided (`undefined`) and the promise is settled directly.
    pub fn new_internal_capability(&mut self) -> Capability {
        let p = self.new_promise();
        Capability {
            promise: Value::Obj(p),
            resolve: Value::Undefined,
            reject: Value::Undefined,
        }
    }

    /// Resolves a capability's promise (directly for internal capabilities).
    pub fn capability_resolve(&mut self, cap: &Capability, v: Value) -> Result<(), Value> {
        if let (Value::Undefined, Value::Obj(p)) = (&cap.resolve, &cap.promise) {
            return self.resolve_promise_value(*p, v);
        }
        self.call(&cap.resolve, Value::Undefined, &[v]).map(|_| ())
    }

    /// Rejects a capability's promise (directly for internal capabilities).
    pub fn capability_reject(&mut self, cap: &Capability, e: Value) -> Result<(), Value> {
        if let (Value::Undefined, Value::Obj(p)) = (&cap.reject, &cap.promise) {
            self.reject_promise(*p, e);
            return Ok(());
        }
        self.call(&cap.reject, Value::Undefined, &[e]).map(|_| ())
    }

    /// NewPromiseCapability(%Promise%).
    pub fn new_capability(&mut self) -> Capability {
        let p = self.new_promise();
        let (resolve, reject) = self.resolving_functions(p);
        Capability {
            promise: Value::Obj(p),
            resolve,
            reject,
        }
    }

    /// NewPromiseCapability(C) for a constructor value.
    pub fn new_capability_from(&mut self, c: &Value) -> Result<Capability, Value> {
        if let Value::Obj(co) = c {
            if *co == self.realm.promise_ctor {
                return Ok(self.new_capability());
            }
        }
        if !self.is_callable(c) {
            return Ok(self.new_capability());
        }
        let holder = self.new_array(vec![Value::Undefined, Value::Undefined]);
        let exec = self.native_fn(self.ids.capability_executor, vec![holder.clone()]);
        let promise = self.construct(c, &[Value::Obj(exec)], None)?;
        let items = self.array_items(&holder);
        Ok(Capability {
            promise,
            resolve: items[0].clone(),
            reject: items[1].clone(),
        })
    }

    /// PromiseResolve(%Promise%, v).
    pub fn promise_resolve(&mut self, v: Value) -> Result<ObjId, Value> {
        if let Some(p) = self.is_promise(&v) {
            let c = self.get(&v, PropKey::Str(self.names.constructor))?;
            if let Value::Obj(co) = c {
                if co == self.realm.promise_ctor {
                    return Ok(p);
                }
            }
        }
        let p = self.new_promise();
        self.resolve_promise_value(p, v)?;
        Ok(p)
    }

    /// Runs one microtask.
    pub fn run_job(&mut self, job: Job) -> Result<(), Value> {
        match job {
            Job::Reaction { reaction, argument } => {
                let result = if let Value::Undefined = reaction.handler {
                    if reaction.is_reject {
                        Err(argument)
                    } else {
                        Ok(argument)
                    }
                } else {
                    self.call(&reaction.handler, Value::Undefined, &[argument])
                };
                if self.abort.is_some() {
                    return Err(Value::Undefined);
                }
                if let Some(cap) = reaction.capability {
                    match result {
                        Ok(v) => self.capability_resolve(&cap, v)?,
                        Err(e) => self.capability_reject(&cap, e)?,
                    }
                    Ok(())
                } else {
                    // reactions without capability (await) swallow nothing: errors here are
                    // internal resumptions that already settled their promise
                    result.map(|_| ())
                }
            }
            Job::ResolveThenable {
                promise,
                thenable,
                then,
            } => {
                let (res, rej) = self.resolving_functions(promise);
                if let Err(e) = self.call(&then, thenable, &[res, rej.clone()]) {
                    if self.abort.is_some() {
                        return Err(e);
                    }
                    self.call(&rej, Value::Undefined, &[e])?;
                }
                Ok(())
            }
            Job::Callback { func } => self.call(&func, Value::Undefined, &[]).map(|_| ()),
        }
    }
}

fn this_promise(vm: &mut Vm, this: &Value, method: &str) -> Result<ObjId, Value> {
    match vm.is_promise(this) {
        Some(p) => Ok(p),
        None => vm.throw_type(&format!(
            "Method Promise.prototype.{method} called on incompatible receiver"
        )),
    }
}

fn resolve_fn(vm: &mut Vm, _this: Value, args: &[Value], data: &[Value]) -> JsResult {
    let Value::Obj(p) = data[0] else {
        return Ok(Value::Undefined);
    };
    if let Value::Obj(cell) = data[1] {
        if let ObjKind::Array(items) = &mut vm.heap.obj_mut(cell).kind {
            if items[0].truthy() {
                return Ok(Value::Undefined);
            }
            items[0] = Value::Bool(true);
        }
    }
    vm.resolve_promise_value(p, arg(args, 0))?;
    Ok(Value::Undefined)
}

fn reject_fn(vm: &mut Vm, _this: Value, args: &[Value], data: &[Value]) -> JsResult {
    let Value::Obj(p) = data[0] else {
        return Ok(Value::Undefined);
    };
    if let Value::Obj(cell) = data[1] {
        if let ObjKind::Array(items) = &mut vm.heap.obj_mut(cell).kind {
            if items[0].truthy() {
                return Ok(Value::Undefined);
            }
            items[0] = Value::Bool(true);
        }
    }
    vm.reject_promise(p, arg(args, 0));
    Ok(Value::Undefined)
}

fn capability_executor(vm: &mut Vm, _this: Value, args: &[Value], data: &[Value]) -> JsResult {
    if let Value::Obj(h) = data[0] {
        if let ObjKind::Array(items) = &mut vm.heap.obj_mut(h).kind {
            items[0] = arg(args, 0);
            items[1] = arg(args, 1);
        }
    }
    Ok(Value::Undefined)
}

fn async_resume(vm: &mut Vm, _this: Value, args: &[Value], data: &[Value]) -> JsResult {
    let Value::Obj(h) = data[0] else {
        return Ok(Value::Undefined);
    };
    vm.resume_async(h, arg(args, 0), data[1].truthy())
}

fn promise_ctor(vm: &mut Vm, _this: Value, args: &[Value], _data: &[Value]) -> JsResult {
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type("Promise constructor cannot be invoked without 'new'");
    };
    let exec = arg(args, 0);
    if !vm.is_callable(&exec) {
        let d = vm.to_display_short(&exec);
        let d = if let Value::Obj(_) = exec {
            "#<Object>".to_string()
        } else {
            d
        };
        return vm.throw_type(&format!("Promise resolver {d} is not a function"));
    }
    let pp = vm.realm.promise_proto;
    let p = vm.ordinary_create_from(
        &nt,
        pp,
        ObjKind::Promise {
            state: PromiseState::Pending {
                fulfill: vec![],
                reject: vec![],
            },
            handled: false,
        },
    );
    vm.note_promise(p, crate::recorder::PromiseOp::Created);
    let (res, rej) = vm.resolving_functions(p);
    if let Err(e) = vm.call(&exec, Value::Undefined, &[res, rej.clone()]) {
        if vm.abort.is_some() {
            return Err(e);
        }
        vm.call(&rej, Value::Undefined, &[e])?;
    }
    Ok(Value::Obj(p))
}

fn promise_then(vm: &mut Vm, this: Value, args: &[Value], _data: &[Value]) -> JsResult {
    let p = this_promise(vm, &this, "then")?;
    let ctor = vm.get(&this, PropKey::Str(vm.names.constructor))?;
    let cap = match ctor {
        Value::Obj(c) if c == vm.realm.promise_ctor => vm.new_internal_capability(),
        _ => vm.new_capability_from(&ctor)?,
    };
    let result = cap.promise.clone();
    vm.perform_then(p, arg(args, 0), arg(args, 1), Some(cap));
    Ok(result)
}

fn invoke_then(vm: &mut Vm, p: &Value, a: Value, b: Value) -> JsResult {
    let then = vm.get(p, PropKey::Str(vm.names.then))?;
    vm.call(&then, p.clone(), &[a, b])
}

fn promise_catch(vm: &mut Vm, this: Value, args: &[Value], _data: &[Value]) -> JsResult {
    invoke_then(vm, &this, Value::Undefined, arg(args, 0))
}

fn promise_finally(vm: &mut Vm, this: Value, args: &[Value], _data: &[Value]) -> JsResult {
    let f = arg(args, 0);
    if !vm.is_callable(&f) {
        return invoke_then(vm, &this, f.clone(), f);
    }
    let tf = vm.native_fn(vm.ids.finally_fn, vec![f.clone(), Value::Bool(false)]);
    let cf = vm.native_fn(vm.ids.finally_fn, vec![f, Value::Bool(true)]);
    invoke_then(vm, &this, Value::Obj(tf), Value::Obj(cf))
}

/// thenFinally / catchFinally.
fn finally_fn(vm: &mut Vm, _this: Value, args: &[Value], data: &[Value]) -> JsResult {
    let result = vm.call(&data[0], Value::Undefined, &[])?;
    let p = vm.promise_resolve(result)?;
    let thunk = vm.native_fn(vm.ids.value_thunk, vec![arg(args, 0), data[1].clone()]);
    invoke_then(vm, &Value::Obj(p), Value::Obj(thunk), Value::Undefined)
}

fn value_thunk(_vm: &mut Vm, _this: Value, _args: &[Value], data: &[Value]) -> JsResult {
    if data[1].truthy() {
        Err(data[0].clone())
    } else {
        Ok(data[0].clone())
    }
}

fn promise_static_resolve(vm: &mut Vm, this: Value, args: &[Value], _data: &[Value]) -> JsResult {
    let v = arg(args, 0);
    if vm.is_promise(&v).is_some() {
        let c = vm.get(&v, PropKey::Str(vm.names.constructor))?;
        if c.strict_eq(&this) {
            return Ok(v);
        }
    }
    let cap = vm.new_capability_from(&this)?;
    vm.call(&cap.resolve, Value::Undefined, &[v])?;
    Ok(cap.promise)
}

fn promise_static_reject(vm: &mut Vm, this: Value, args: &[Value], _data: &[Value]) -> JsResult {
    let cap = vm.new_capability_from(&this)?;
    vm.call(&cap.reject, Value::Undefined, &[arg(args, 0)])?;
    Ok(cap.promise)
}

fn with_resolvers(vm: &mut Vm, this: Value, _args: &[Value], _data: &[Value]) -> JsResult {
    let cap = vm.new_capability_from(&this)?;
    let o = vm.new_object();
    vm.put(o, "promise", cap.promise);
    vm.put(o, "resolve", cap.resolve);
    vm.put(o, "reject", cap.reject);
    Ok(Value::Obj(o))
}

/// Which combinator an element function belongs to.
const ALL: u8 = 0;
const ALL_SETTLED: u8 = 1;
const ANY: u8 = 2;

fn combinator(vm: &mut Vm, this: Value, args: &[Value], kind: u8) -> JsResult {
    let cap = vm.new_capability_from(&this)?;
    let r = combinator_inner(vm, &this, args, kind, &cap);
    match r {
        Ok(v) => Ok(v),
        Err(e) => {
            if vm.abort.is_some() {
                return Err(e);
            }
            vm.call(&cap.reject, Value::Undefined, &[e])?;
            Ok(cap.promise)
        }
    }
}

fn combinator_inner(
    vm: &mut Vm,
    c: &Value,
    args: &[Value],
    kind: u8,
    cap: &Capability,
) -> JsResult {
    let resolve = vm.get_by_name(c, "resolve")?;
    if !vm.is_callable(&resolve) {
        return vm.throw_type("Promise resolve is not a function");
    }
    let items = vm.iterate_to_vec(&arg(args, 0))?;
    let values = vm.new_array(vec![]);
    // remaining counter starts at 1
    let remaining = vm.new_array(vec![Value::Num(1.0)]);
    let cap_obj = vm.new_array(vec![
        cap.promise.clone(),
        cap.resolve.clone(),
        cap.reject.clone(),
    ]);
    for (index, item) in items.into_iter().enumerate() {
        if let Value::Obj(vo) = values {
            if let ObjKind::Array(v) = &mut vm.heap.obj_mut(vo).kind {
                v.push(Value::Undefined);
            }
        }
        let next = vm.call(&resolve, c.clone(), &[item])?;
        bump(vm, &remaining, 1.0);
        let called = vm.new_array(vec![Value::Bool(false)]);
        let mk = |vm: &mut Vm, is_reject: bool| {
            let d = vec![
                Value::Num(index as f64),
                values.clone(),
                remaining.clone(),
                cap_obj.clone(),
                called.clone(),
                Value::Num(kind as f64),
                Value::Bool(is_reject),
            ];
            Value::Obj(vm.native_fn(vm.ids.element_fn, d))
        };
        let (on_f, on_r) = match kind {
            ALL => (mk(vm, false), cap.reject.clone()),
            ALL_SETTLED => (mk(vm, false), mk(vm, true)),
            _ => (cap.resolve.clone(), mk(vm, true)),
        };
        invoke_then(vm, &next, on_f, on_r)?;
    }
    if bump(vm, &remaining, -1.0) == 0.0 {
        finish(vm, kind, &values, &cap_obj)?;
    }
    Ok(cap.promise.clone())
}

fn bump(vm: &mut Vm, cell: &Value, d: f64) -> f64 {
    if let Value::Obj(o) = cell {
        if let ObjKind::Array(items) = &mut vm.heap.obj_mut(*o).kind {
            if let Value::Num(n) = items[0] {
                items[0] = Value::Num(n + d);
                return n + d;
            }
        }
    }
    0.0
}

fn finish(vm: &mut Vm, kind: u8, values: &Value, cap_obj: &Value) -> Result<(), Value> {
    let capv = vm.array_items(cap_obj);
    if kind == ANY {
        let e = vm.make_error(vm.realm.aggregate_error_proto, "All promises were rejected");
        if let Value::Obj(eo) = e {
            let k = PropKey::Str(vm.names.errors);
            vm.heap.obj_mut(eo).put(k, values.clone(), HIDDEN);
        }
        vm.call(&capv[2], Value::Undefined, &[e])?;
    } else {
        vm.call(&capv[1], Value::Undefined, std::slice::from_ref(values))?;
    }
    Ok(())
}

fn element_fn(vm: &mut Vm, _this: Value, args: &[Value], d: &[Value]) -> JsResult {
    if let Value::Obj(c) = d[4] {
        if let ObjKind::Array(items) = &mut vm.heap.obj_mut(c).kind {
            if items[0].truthy() {
                return Ok(Value::Undefined);
            }
            items[0] = Value::Bool(true);
        }
    }
    let index = if let Value::Num(n) = d[0] {
        n as usize
    } else {
        0
    };
    let kind = if let Value::Num(n) = d[5] { n as u8 } else { 0 };
    let is_reject = d[6].truthy();
    let x = arg(args, 0);
    let stored = if kind == ALL_SETTLED {
        let o = vm.new_object();
        if is_reject {
            vm.put(o, "status", Value::str("rejected"));
            vm.put(o, "reason", x);
        } else {
            vm.put(o, "status", Value::str("fulfilled"));
            vm.put(o, "value", x);
        }
        Value::Obj(o)
    } else {
        x
    };
    if let Value::Obj(vo) = d[1] {
        if let ObjKind::Array(items) = &mut vm.heap.obj_mut(vo).kind {
            if index < items.len() {
                items[index] = stored;
            }
        }
    }
    if bump(vm, &d[2], -1.0) == 0.0 {
        finish(vm, kind, &d[1], &d[3])?;
    }
    Ok(Value::Undefined)
}

fn promise_all(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    combinator(vm, this, args, ALL)
}
fn promise_all_settled(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    combinator(vm, this, args, ALL_SETTLED)
}
fn promise_any(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    combinator(vm, this, args, ANY)
}

fn promise_race(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cap = vm.new_capability_from(&this)?;
    let r: JsResult = (|| {
        let resolve = vm.get_by_name(&this, "resolve")?;
        let items = vm.iterate_to_vec(&arg(args, 0))?;
        for item in items {
            let next = vm.call(&resolve, this.clone(), &[item])?;
            invoke_then(vm, &next, cap.resolve.clone(), cap.reject.clone())?;
        }
        Ok(cap.promise.clone())
    })();
    match r {
        Ok(v) => Ok(v),
        Err(e) => {
            vm.call(&cap.reject, Value::Undefined, &[e])?;
            Ok(cap.promise)
        }
    }
}

/// Installs Promise and its internal functions.
pub fn install(vm: &mut Vm) {
    vm.ids = Ids {
        async_resume: vm.register("", 1, async_resume),
        resolve_fn: vm.register("", 1, resolve_fn),
        reject_fn: vm.register("", 1, reject_fn),
        capability_executor: vm.register("", 2, capability_executor),
        finally_fn: vm.register("", 1, finally_fn),
        value_thunk: vm.register("", 0, value_thunk),
        element_fn: vm.register("", 1, element_fn),
        ..vm.ids.clone()
    };
    let proto = vm.realm.promise_proto;
    let ctor = vm.make_native("Promise", 1, promise_ctor, vec![]);
    vm.realm.promise_ctor = ctor;
    super::link_ctor(vm, ctor, proto);
    vm.method(proto, "then", 2, promise_then);
    vm.method(proto, "catch", 1, promise_catch);
    vm.method(proto, "finally", 1, promise_finally);
    let tag = PropKey::Sym(vm.syms.to_string_tag);
    vm.heap
        .obj_mut(proto)
        .put(tag, Value::str("Promise"), CONFIGURABLE);
    vm.method(ctor, "resolve", 1, promise_static_resolve);
    vm.method(ctor, "reject", 1, promise_static_reject);
    vm.method(ctor, "all", 1, promise_all);
    vm.method(ctor, "allSettled", 1, promise_all_settled);
    vm.method(ctor, "any", 1, promise_any);
    vm.method(ctor, "race", 1, promise_race);
    vm.method(ctor, "withResolvers", 0, with_resolvers);
    let g = vm.realm.global;
    vm.put_hidden(g, "Promise", Value::Obj(ctor));
}
