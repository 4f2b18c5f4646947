//! Calling and constructing functions: from native code ([`Vm::call`], [`Vm::construct`],
//! which run the callee's frames to completion in a nested loop) and from the interpreter
//! loop ([`Vm::invoke`], [`Vm::construct_in_loop`], which push a frame and return, so a
//! JavaScript call costs no Rust stack).

use super::{Frame, FrameKind, JsResult, Vm};
use crate::bytecode::FuncFlavor;
use crate::heap::*;
use crate::value::{ObjId, Value};

impl Vm {
    /// Calls a function from native code and runs it to completion (or suspension).
    pub fn call(&mut self, f: &Value, this: Value, args: &[Value]) -> JsResult {
        if self.abort.is_some() {
            return Err(Value::Undefined);
        }
        let Value::Obj(fo) = f else {
            let d = self.to_display_short(f);
            return self.throw_type(&format!("{d} is not a function"));
        };
        let fo = *fo;
        let kind = match &self.heap.obj(fo).kind {
            ObjKind::Function(k) => k.clone(),
            _ => {
                let d = self.to_display_short(f);
                return self.throw_type(&format!("{d} is not a function"));
            }
        };
        match kind {
            FuncKind::Native { id, data } => {
                let nf = self.natives[id as usize].f;
                self.native_depth += 1;
                if self.native_depth > 300 {
                    self.native_depth -= 1;
                    return Err(self.range_error("Maximum call stack size exceeded"));
                }
                let saved = self.new_target.take();
                let r = nf(self, this, args, &data);
                self.new_target = saved;
                self.native_depth -= 1;
                r
            }
            FuncKind::Bound {
                target,
                this: bthis,
                args: bargs,
            } => {
                let mut all: Vec<Value> = bargs.to_vec();
                all.extend_from_slice(args);
                self.call(&Value::Obj(target), bthis, &all)
            }
            FuncKind::Closure { .. } => {
                let base = self.frames.len();
                match self.push_frame_with_args(fo, this, args, Value::Undefined, false)? {
                    Some(v) => Ok(v),
                    None => self.run_nested(base),
                }
            }
        }
    }

    /// Runs frames pushed at index `base` to completion from a native context.
    pub fn run_nested(&mut self, base: usize) -> JsResult {
        self.native_depth += 1;
        if self.native_depth > 300 {
            self.native_depth -= 1;
            self.drop_frames(base);
            return Err(self.range_error("Maximum call stack size exceeded"));
        }
        let r = self.run(base);
        self.native_depth -= 1;
        r
    }

    /// `new F(...args)` from native code.
    pub fn construct(&mut self, f: &Value, args: &[Value], new_target: Option<Value>) -> JsResult {
        let Value::Obj(fo) = f else {
            let d = self.to_display_short(f);
            return self.throw_type(&format!("{d} is not a constructor"));
        };
        let fo = *fo;
        let nt = new_target.unwrap_or(Value::Obj(fo));
        let kind = match &self.heap.obj(fo).kind {
            ObjKind::Function(k) => k.clone(),
            _ => {
                let d = self.to_display_short(f);
                return self.throw_type(&format!("{d} is not a constructor"));
            }
        };
        match kind {
            FuncKind::Native { id, data } => {
                if !self.natives[id as usize].constructor {
                    let d = self
                        .callee_text()
                        .unwrap_or_else(|| self.to_display_short(f));
                    return self.throw_type(&format!("{d} is not a constructor"));
                }
                let nf = self.natives[id as usize].f;
                let saved = self.new_target.replace(nt);
                let r = nf(self, Value::Undefined, args, &data);
                self.new_target = saved;
                r
            }
            FuncKind::Bound {
                target,
                args: bargs,
                ..
            } => {
                let mut all: Vec<Value> = bargs.to_vec();
                all.extend_from_slice(args);
                let nt2 = if let Value::Obj(n) = nt {
                    if n == fo {
                        Value::Obj(target)
                    } else {
                        nt
                    }
                } else {
                    nt
                };
                self.construct(&Value::Obj(target), &all, Some(nt2))
            }
            FuncKind::Closure { func, .. } => {
                let code = &self.program.functions[func as usize];
                if matches!(code.flavor, FuncFlavor::Arrow | FuncFlavor::Method)
                    || code.is_async
                    || code.is_generator
                {
                    let d = self.to_display_short(f);
                    return self.throw_type(&format!("{d} is not a constructor"));
                }
                let base = self.frames.len();
                match self.push_frame_with_args(fo, Value::Undefined, args, nt, true)? {
                    Some(v) => Ok(v),
                    None => self.run_nested(base),
                }
            }
        }
    }

    /// Creates the `this` object for a base constructor from new.target's prototype.
    pub fn ordinary_create_from(
        &mut self,
        new_target: &Value,
        fallback: ObjId,
        kind: ObjKind,
    ) -> ObjId {
        let proto = match new_target {
            Value::Obj(_) => match self.get(new_target, PropKey::Str(self.names.prototype)) {
                Ok(Value::Obj(p)) => p,
                _ => fallback,
            },
            _ => fallback,
        };
        self.alloc(Some(proto), kind)
    }

    /// Pushes a frame for a closure called from native code with `args` (copied onto the value
    /// stack). Returns like [`Vm::push_closure_frame`].
    pub(in crate::vm) fn push_frame_with_args(
        &mut self,
        fo: ObjId,
        this: Value,
        args: &[Value],
        new_target: Value,
        construct: bool,
    ) -> Result<Option<Value>, Value> {
        let at = self.stack.len();
        self.stack.extend_from_slice(args);
        self.push_closure_frame(fo, this, at, args.len(), at, new_target, construct)
    }

    /// Pushes a frame for a closure call whose `argc` arguments are on the value stack from
    /// `args_base`; `drop_to` is where the stack is cut back to when the call is over. Returns
    /// Some(value) when the call completes immediately (generator creation), None when a frame
    /// was pushed. When no frame is pushed (a value or an error) the stack is already cut back.
    #[allow(clippy::too_many_arguments)]
    pub fn push_closure_frame(
        &mut self,
        fo: ObjId,
        this: Value,
        args_base: usize,
        argc: usize,
        drop_to: usize,
        new_target: Value,
        construct: bool,
    ) -> Result<Option<Value>, Value> {
        let r = self
            .push_closure_frame_inner(fo, this, args_base, argc, drop_to, new_target, construct);
        if !matches!(r, Ok(None)) {
            self.stack.truncate(drop_to);
        }
        r
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(in crate::vm) fn push_closure_frame_inner(
        &mut self,
        fo: ObjId,
        this: Value,
        args_base: usize,
        argc: usize,
        drop_to: usize,
        new_target: Value,
        construct: bool,
    ) -> Result<Option<Value>, Value> {
        let ObjKind::Function(FuncKind::Closure {
            func,
            env,
            this_val,
            ..
        }) = &self.heap.obj(fo).kind
        else {
            return Err(Value::Undefined);
        };
        let (func, penv, this_val) = (*func, *env, this_val.clone());
        if self.frames.len() >= self.max_frames {
            return Err(self.range_error("Maximum call stack size exceeded"));
        }
        let code = &self.program.functions[func as usize];
        let (flavor, strict, env_size, this_slot, self_slot, is_async, is_generator) = (
            code.flavor,
            code.strict,
            code.env_size,
            code.this_slot,
            code.self_slot,
            code.is_async,
            code.is_generator,
        );
        if let FuncFlavor::ClassConstructor { .. } = flavor {
            if !construct {
                let n = code.name.clone();
                return Err(self.type_error(&format!(
                    "Class constructor {n} cannot be invoked without 'new'"
                )));
            }
        }
        let env = self.heap.new_env_uninit(env_size as usize, Some(penv));
        let mut kind = FrameKind::Normal;
        let mut this_v = match this_val {
            Some(t) => t,
            None => this,
        };
        if construct {
            kind = FrameKind::Construct;
            match flavor {
                FuncFlavor::ClassConstructor { derived: true } => this_v = Value::Uninit,
                _ => {
                    let op = self.realm.object_proto;
                    let o = self.ordinary_create_from(&new_target, op, ObjKind::Ordinary);
                    this_v = Value::Obj(o);
                }
            }
        }
        if !strict && !construct && flavor != FuncFlavor::Arrow {
            this_v = match this_v {
                Value::Undefined | Value::Null | Value::Uninit => Value::Obj(self.realm.global),
                Value::Obj(_) => this_v,
                prim => crate::builtins::object::to_object(self, &prim)
                    .map(Value::Obj)
                    .unwrap_or(prim),
            };
        }
        if let Some(ts) = this_slot {
            self.heap.envs[env as usize].slots[ts as usize] = this_v;
        }
        if let Some(ss) = self_slot {
            self.heap.envs[env as usize].slots[ss as usize] = Value::Obj(fo);
        }
        if is_async && !is_generator {
            let p = self.new_promise();
            kind = FrameKind::Async {
                promise: p,
                holder: None,
            };
        }
        let mut frame = Frame {
            func,
            pc: 0,
            args_base: args_base as u32,
            argc: argc as u32,
            drop_to: drop_to as u32,
            env,
            handlers: Vec::new(),
            callee: fo,
            new_target,
            kind,
            saved: Vec::new(),
        };
        if is_generator {
            frame.saved = self.stack.drain(args_base..).collect();
            self.stack.truncate(drop_to);
            let gp = match self.get(&Value::Obj(fo), PropKey::Str(self.names.prototype)) {
                Ok(Value::Obj(p)) => p,
                _ => self.realm.generator_proto,
            };
            let g = self.alloc(
                Some(gp),
                ObjKind::Generator(GenState::Suspended(Box::new(frame))),
            );
            if let ObjKind::Generator(GenState::Suspended(f)) = &mut self.heap.obj_mut(g).kind {
                if let FrameKind::Normal = f.kind {
                    f.kind = FrameKind::Generator { gen: g };
                }
            }
            if is_async {
                // an async generator: its body runs as this sync generator (awaits compile
                // to yields of a marker) driven by the prelude's AsyncGenerator queue
                let start = self
                    .host
                    .async_gen_start
                    .clone()
                    .unwrap_or(Value::Undefined);
                return self
                    .call(&start, Value::Undefined, &[Value::Obj(g)])
                    .map(Some);
            }
            return Ok(Some(Value::Obj(g)));
        }
        self.frames.push(frame);
        self.recorder.call(func, self.frames.len(), env);
        Ok(None)
    }

    /// The common case of `Call` from the loop, without the general path's checks: a
    /// closure that is not a class constructor, generator or async function, receiving
    /// `this` unchanged (strict, arrow, or an object; no bound `this`), below the frame limit. Its frame is
    /// pushed and true returned; false means nothing was done.
    #[inline(never)]
    pub(in crate::vm) fn push_plain_call(&mut self, argc: usize) -> bool {
        let len = self.stack.len();
        let Some(drop_to) = len.checked_sub(argc + 2) else {
            return false;
        };
        let Value::Obj(fo) = self.stack[drop_to] else {
            return false;
        };
        let ObjKind::Function(FuncKind::Closure {
            func,
            env: penv,
            this_val,
            ..
        }) = &self.heap.obj(fo).kind
        else {
            return false;
        };
        if this_val.is_some() {
            return false;
        }
        let (func, penv) = (*func, *penv);
        let code = &self.program.functions[func as usize];
        let plain = matches!(
            code.flavor,
            FuncFlavor::Normal | FuncFlavor::Arrow | FuncFlavor::Method
        ) && !code.is_async
            && !code.is_generator
            && (code.strict
                || code.flavor == FuncFlavor::Arrow
                || matches!(self.stack[drop_to + 1], Value::Obj(_)));
        if !plain || self.frames.len() >= self.max_frames {
            return false;
        }
        let this_v = std::mem::replace(&mut self.stack[drop_to + 1], Value::Undefined);
        let (this_slot, self_slot) = (code.this_slot, code.self_slot);
        let env = self.heap.new_env_uninit(code.env_size as usize, Some(penv));
        let slots = &mut self.heap.envs[env as usize].slots;
        if let Some(ts) = this_slot {
            slots[ts as usize] = this_v;
        }
        if let Some(ss) = self_slot {
            slots[ss as usize] = Value::Obj(fo);
        }
        // built in place: `Vec::push` of a frame is an out-of-line call and a copy
        self.frames.reserve(1);
        let end = self.frames.len();
        // SAFETY: capacity for one more frame was reserved; the slot past the end is
        // uninitialised and becomes part of the vector.
        unsafe {
            std::ptr::write(
                self.frames.as_mut_ptr().add(end),
                Frame {
                    func,
                    pc: 0,
                    args_base: (drop_to + 2) as u32,
                    argc: argc as u32,
                    drop_to: drop_to as u32,
                    env,
                    handlers: Vec::new(),
                    callee: fo,
                    new_target: Value::Undefined,
                    kind: FrameKind::Normal,
                    saved: Vec::new(),
                },
            );
            self.frames.set_len(end + 1);
        }
        self.recorder.call(func, self.frames.len(), env);
        true
    }

    /// Moves the top values of the stack from `args_base` into a (recycled) vector for a
    /// built-in, cutting the stack back to `drop_to`.
    #[inline]
    pub(in crate::vm) fn take_args(&mut self, args_base: usize, drop_to: usize) -> Vec<Value> {
        let mut v = self.args_pool.pop().unwrap_or_default();
        let at = args_base.min(self.stack.len());
        v.extend(self.stack.drain(at..));
        self.stack.truncate(drop_to);
        v
    }

    #[inline]
    pub(in crate::vm) fn recycle_args(&mut self, mut v: Vec<Value>) {
        if self.args_pool.len() < 64 && v.capacity() <= 64 {
            v.clear();
            self.args_pool.push(v);
        }
    }

    /// Calls `callee` from inside the run loop with the top `argc` values of the stack as its
    /// arguments: a closure gets a frame (its arguments stay where they are), a built-in runs
    /// now. `drop_to` is where the stack is cut back to once the call is over. Returns
    /// Some(result) if the result is available immediately.
    pub(in crate::vm) fn invoke(
        &mut self,
        callee: Value,
        this: Value,
        argc: usize,
        drop_to: usize,
    ) -> Result<Option<Value>, Value> {
        let args_base = self.stack.len().saturating_sub(argc);
        if let Value::Obj(fo) = &callee {
            if let ObjKind::Function(FuncKind::Closure { .. }) = &self.heap.obj(*fo).kind {
                return self.push_closure_frame(
                    *fo,
                    this,
                    args_base,
                    argc,
                    drop_to,
                    Value::Undefined,
                    false,
                );
            }
        }
        if !self.is_callable(&callee) {
            self.stack.truncate(drop_to);
            return Err(self.not_function_error(&callee));
        }
        let args = self.take_args(args_base, drop_to);
        let r = self.call(&callee, this, &args);
        self.recycle_args(args);
        r.map(Some)
    }

    /// `new callee(...)` from inside the run loop with the top `argc` values of the stack as
    /// arguments; `drop_to` as for [`Vm::invoke`].
    pub(in crate::vm) fn construct_in_loop(
        &mut self,
        callee: Value,
        argc: usize,
        drop_to: usize,
    ) -> Result<Option<Value>, Value> {
        let args_base = self.stack.len().saturating_sub(argc);
        if let Value::Obj(fo) = &callee {
            if let ObjKind::Function(FuncKind::Closure { func, .. }) = &self.heap.obj(*fo).kind {
                let code = &self.program.functions[*func as usize];
                if matches!(code.flavor, FuncFlavor::Arrow | FuncFlavor::Method)
                    || code.is_async
                    || code.is_generator
                {
                    self.stack.truncate(drop_to);
                    let d = self.callee_text().unwrap_or_default();
                    return Err(self.type_error(&format!("{d} is not a constructor")));
                }
                let fo = *fo;
                return self.push_closure_frame(
                    fo,
                    Value::Undefined,
                    args_base,
                    argc,
                    drop_to,
                    Value::Obj(fo),
                    true,
                );
            }
        }
        if !self.is_callable(&callee) {
            self.stack.truncate(drop_to);
            let d = self
                .callee_text()
                .unwrap_or_else(|| self.to_display_short(&callee));
            return Err(self.type_error(&format!("{d} is not a constructor")));
        }
        let args = self.take_args(args_base, drop_to);
        let r = self.construct(&callee, &args, None);
        self.recycle_args(args);
        r.map(Some)
    }
}
