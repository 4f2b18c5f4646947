//! The interpreter loop: [`Vm::run`] runs the top frame's instructions until a frame below
//! `base` would be left, delivering completions to callers and unwinding exceptions to their
//! handlers. [`Vm::step`] executes the hot instructions inline; every other instruction goes
//! through [`Vm::step_slow`], a dispatching match whose arms call one method per instruction,
//! defined in this module's files by family (the families of `bytecode.rs`):
//!
//! - [`variables`], constants, stack shuffling, bindings, environments and the arguments;
//! - [`properties`], property reads, writes and deletes;
//! - [`operators`], arithmetic, comparison and the other operators;
//! - [`control`], jumps, `return`, `throw` and exception handlers;
//! - [`calls`], calls, `new` and `super(...)`;
//! - [`literals`], object, array, function and class literals;
//! - [`iteration`], the iterator protocol and `for-in`;
//! - [`suspension`], `await`, `yield` and resuming suspended frames.

mod calls;
mod control;
mod iteration;
mod literals;
pub mod operators;
mod properties;
mod suspension;
mod variables;

use super::{Abort, Frame, FrameKind, JsResult, Vm};
use crate::bytecode::Instr;
use crate::heap::*;
use crate::value::{PushPlain, Value};

/// The interpreter loop runs [`Vm::safe_point`] every `SAFE_POINT_MASK + 1` instructions.
#[cfg(not(looplab_gc_stress))]
const SAFE_POINT_MASK: u64 = 1023;
#[cfg(looplab_gc_stress)]
const SAFE_POINT_MASK: u64 = 15;

/// What the loop does after an instruction.
pub enum Flow {
    Next,
    /// The frame returned this value (not yet popped).
    Complete(Value),
    /// The frame suspended (already popped); deliver this value to the caller.
    Suspend(Value),
}

impl Vm {
    /// Runs until the frame at index `base` completes; returns its completion value.
    pub fn run(&mut self, base: usize) -> JsResult {
        let program = self.program.clone();
        let trace = self.recorder.wants_instructions();
        loop {
            if self.frames.len() <= base {
                return Ok(Value::Undefined);
            }
            let fi = self.frames.len() - 1;
            let func = self.frames[fi].func;
            let code = &program.functions[func as usize];
            // the top frame's instructions, until one pushes, completes, suspends or throws
            let r = loop {
                let pc = self.frames[fi].pc;
                let Some(ins) = code.code.get(pc as usize) else {
                    return Err(Value::Undefined);
                };
                self.steps += 1;
                self.clock_ns += self.instr_cost_ns;
                if self.steps > self.budget {
                    self.abort = Some(Abort::Budget);
                }
                if self.steps & SAFE_POINT_MASK == 0 && self.abort.is_none() {
                    self.safe_point();
                }
                if self.abort.is_some() {
                    if self.abort == Some(Abort::Yield) {
                        // the instruction runs when the job resumes: it is not counted twice
                        self.steps -= 1;
                        self.clock_ns -= self.instr_cost_ns;
                    } else {
                        self.drop_frames(base);
                    }
                    return Err(Value::Undefined);
                }
                if trace {
                    self.recorder
                        .instruction(func, pc, code.spans[pc as usize], self.clock_ns);
                }
                self.frames[fi].pc = pc + 1;
                match self.step(ins, fi, base) {
                    Ok(Flow::Next) => {
                        if trace {
                            if let Instr::SetVar { depth, slot } | Instr::InitVar { depth, slot } =
                                ins
                            {
                                let env = self.env_at(self.frames[fi].env, *depth);
                                self.note_var(env, *slot);
                            }
                        }
                        if self.frames.len() != fi + 1 {
                            // a call pushed a frame
                            break Ok(Flow::Next);
                        }
                    }
                    other => break other,
                }
            };
            let delivered = match r {
                Ok(Flow::Next) => None,
                Ok(Flow::Complete(v)) => match self.complete_frame(v) {
                    Ok(v) => Some(v),
                    // the frame is gone: its caller gets the exception
                    Err(e) if self.frames.len() > base => self.unwind(e, base)?,
                    Err(e) => return Err(e),
                },
                // the suspending instruction already removed the frame
                Ok(Flow::Suspend(v)) => Some(v),
                // Some: an async frame turned the exception into a rejected promise
                Err(e) => self.unwind(e, base)?,
            };
            if let Some(v) = delivered {
                if self.frames.len() <= base {
                    return Ok(v);
                }
                self.stack.push(v);
            }
        }
    }

    /// The periodic check of the interpreter loop: collects garbage when due and allowed here,
    /// and stops the run when the live heap exceeds the heap budget. Where no collection may
    /// run (inside a built-in's callback) twice the budget is tolerated, since part of the
    /// count may be garbage.
    #[cold]
    #[inline(never)]
    fn safe_point(&mut self) {
        let collectable = self.native_depth == self.gc_depth;
        if collectable && (self.gc_due() || self.heap.object_count() > self.heap_budget) {
            self.collect_garbage();
        }
        let limit = if collectable {
            self.heap_budget
        } else {
            self.heap_budget.saturating_mul(2)
        };
        if self.heap.object_count() > limit {
            self.abort = Some(Abort::Heap);
        } else if self.native_depth == self.yield_depth && self.clock_ns >= self.slice_end_ns {
            self.abort = Some(Abort::Yield);
        }
    }

    /// Cuts the value stack back below a finished frame and recycles its environment when
    /// nothing can reference it.
    fn recycle(&mut self, f: &Frame) {
        self.stack.truncate(f.drop_to as usize);
        if self.program.functions[f.func as usize].reuse_env {
            self.heap.free_envs.push(f.env);
        }
    }

    fn complete_frame(&mut self, v: Value) -> Result<Value, Value> {
        let f = self.frames.pop().expect("frame");
        self.recycle(&f);
        self.recorder.ret(self.frames.len());
        let v = match f.kind {
            FrameKind::Normal => v,
            FrameKind::Construct => {
                if let Value::Obj(_) = v {
                    v
                } else {
                    let code = &self.program.functions[f.func as usize];
                    let this = code
                        .this_slot
                        .map(|s| self.heap.envs[f.env as usize].slots[s as usize].clone());
                    match this {
                        Some(Value::Uninit) => {
                            return Err(self.reference_error(
                                "Must call super constructor in derived class before accessing 'this' or returning from derived constructor",
                            ))
                        }
                        Some(t) => t,
                        None => v,
                    }
                }
            }
            FrameKind::Async { promise, .. } => {
                self.resolve_promise_value(promise, v)?;
                Value::Obj(promise)
            }
            FrameKind::Generator { gen } => {
                if let ObjKind::Generator(st) = &mut self.heap.obj_mut(gen).kind {
                    *st = GenState::Done;
                }
                self.iter_result(v, true)
            }
        };
        Ok(v)
    }

    /// Unwinds an exception. Returns Ok(Some(v)) when an async frame absorbed it (v is its
    /// promise, to be delivered to the caller), Ok(None) when a handler took it, or Err when it
    /// escapes frame `base`.
    fn unwind(&mut self, e: Value, base: usize) -> Result<Option<Value>, Value> {
        loop {
            if self.abort.is_some() {
                self.drop_frames(base);
                return Err(e);
            }
            let Some(f) = self.frames.last_mut() else {
                return Err(e);
            };
            if let Some(h) = f.handlers.pop() {
                let keep = f.operand_base() + h.stack_len as usize;
                f.env = h.env;
                f.pc = h.pc;
                self.stack.truncate(keep);
                self.stack.push(e);
                return Ok(None);
            }
            let f = self.frames.pop().expect("frame");
            self.recycle(&f);
            self.recorder.ret(self.frames.len());
            match f.kind {
                FrameKind::Async { promise, .. } => {
                    self.reject_promise(promise, e);
                    return Ok(Some(Value::Obj(promise)));
                }
                FrameKind::Generator { gen } => {
                    if let ObjKind::Generator(st) = &mut self.heap.obj_mut(gen).kind {
                        *st = GenState::Done;
                    }
                }
                _ => {}
            }
            if self.frames.len() <= base {
                return Err(e);
            }
        }
    }

    #[inline(always)]
    fn env_at(&self, mut env: EnvId, depth: u16) -> EnvId {
        for _ in 0..depth {
            env = self.heap.envs[env as usize].parent.unwrap_or(env);
        }
        env
    }

    /// The arguments of frame `fi` (a running frame).
    #[inline(always)]
    fn frame_args(&self, fi: usize) -> &[Value] {
        let f = &self.frames[fi];
        let a = f.args_base as usize;
        self.stack.get(a..a + f.argc as usize).unwrap_or(&[])
    }

    #[inline(always)]
    fn pop(&mut self) -> Value {
        self.stack.pop().unwrap_or(Value::Undefined)
    }
    #[inline(always)]
    fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    /// Executes one instruction: the hot instructions inline, the rest in [`Vm::step_slow`].
    ///
    /// The hot paths read stack values through references and write results in place: moving
    /// a value that was just written (a tag byte and a payload, stored separately) as one
    /// 16-byte load stalls the processor's store forwarding.
    #[inline(always)]
    fn step(&mut self, ins: &Instr, fi: usize, base: usize) -> Result<Flow, Value> {
        let st = &mut self.stack;
        match ins {
            Instr::Num(n) => st.push_num(*n),
            Instr::Undef => st.push_undefined(),
            Instr::Pop => drop_top(st),
            Instr::Dup => {
                let v = st.last().map_or(Value::Undefined, Value::dup);
                st.push(v);
            }
            Instr::GetVar { depth, slot } => {
                let env = self.env_at(self.frames[fi].env, *depth);
                let v = &self.heap.envs[env as usize].slots[*slot as usize];
                if let Value::Uninit = v {
                    return Err(self.tdz_error());
                }
                let v = v.dup();
                self.stack.push(v);
            }
            Instr::InitVar { depth, slot } => {
                let v = st.pop().unwrap_or(Value::Undefined);
                let env = self.env_at(self.frames[fi].env, *depth);
                let old = &self.heap.envs[env as usize].slots[*slot as usize];
                if !matches!(old, Value::Uninit) && self.binds_this_again() {
                    return Err(self.reference_error("Super constructor may only be called once"));
                }
                self.heap.envs[env as usize].slots[*slot as usize] = v;
            }
            Instr::Arg(i) => {
                let f = &self.frames[fi];
                let v = if (*i as u32) < f.argc {
                    self.stack[(f.args_base + *i as u32) as usize].dup()
                } else {
                    Value::Undefined
                };
                self.stack.push(v);
            }
            Instr::Jump(t) => self.frames[fi].pc = *t,
            Instr::JumpIfFalse(t) | Instr::JumpIfTrue(t) => {
                let v = st.last().is_some_and(Value::truthy);
                drop_top(st);
                if v == matches!(ins, Instr::JumpIfTrue(_)) {
                    self.frames[fi].pc = *t;
                }
            }
            Instr::Add
            | Instr::Sub
            | Instr::Mul
            | Instr::Lt
            | Instr::Le
            | Instr::Gt
            | Instr::Ge
            | Instr::StrictEq
                if matches!(st.as_slice(), [.., Value::Num(_), Value::Num(_)]) =>
            {
                let n = st.len();
                let (Value::Num(a), Value::Num(b)) = (&st[n - 2], &st[n - 1]) else {
                    unreachable!()
                };
                let (a, b) = (*a, *b);
                // SAFETY: both operands are numbers (nothing to drop); the result replaces
                // the first, the length drops by one.
                unsafe {
                    st.set_len(n - 1);
                    let dst = st.as_mut_ptr().add(n - 2);
                    match ins {
                        Instr::Add => Value::write_num(dst, a + b),
                        Instr::Sub => Value::write_num(dst, a - b),
                        Instr::Mul => Value::write_num(dst, a * b),
                        Instr::Lt => Value::write_bool(dst, a < b),
                        Instr::Le => Value::write_bool(dst, a <= b),
                        Instr::Gt => Value::write_bool(dst, a > b),
                        Instr::Ge => Value::write_bool(dst, a >= b),
                        _ => Value::write_bool(dst, a == b),
                    }
                }
            }
            Instr::Return if fi > base && matches!(self.frames[fi].kind, FrameKind::Normal) => {
                // a plain frame returning to a caller in this loop
                self.return_to_caller();
            }
            _ => return self.step_slow(ins, fi),
        }
        Ok(Flow::Next)
    }

    /// `Return` of a normal frame whose caller runs in the same loop: the value goes straight
    /// onto the caller's stack.
    #[inline(never)]
    fn return_to_caller(&mut self) {
        let v = self.stack.pop().unwrap_or(Value::Undefined);
        if let Some(f) = self.frames.pop() {
            self.recycle(&f);
            self.recorder.ret(self.frames.len());
        }
        self.stack.push(v);
    }

    /// Executes an instruction the fast path leaves out: dispatches to its family's method
    /// (each `#[inline(always)]`, so this is one match as if written out here).
    #[inline(never)]
    fn step_slow(&mut self, ins: &Instr, fi: usize) -> Result<Flow, Value> {
        match ins {
            // ---- constants, the stack, variables and the frame's arguments: exec/variables.rs
            Instr::Undef => self.push(Value::Undefined),
            Instr::Null => self.push(Value::Null),
            Instr::True => self.push(Value::Bool(true)),
            Instr::False => self.push(Value::Bool(false)),
            Instr::Num(n) => self.push(Value::Num(*n)),
            Instr::Str(i) => self.exec_str(*i),
            Instr::Pop => {
                self.pop();
            }
            Instr::Dup => self.exec_dup(),
            Instr::Dup2 => self.exec_dup2(),
            Instr::Swap => self.exec_swap(),
            Instr::RotRight3 => self.exec_rot_right3(),
            Instr::RotRight4 => self.exec_rot_right4(),
            Instr::GetVar { depth, slot } => self.exec_get_var(fi, *depth, *slot)?,
            Instr::SetVar { depth, slot } => self.exec_set_var(fi, *depth, *slot)?,
            Instr::InitVar { depth, slot } => self.exec_init_var(fi, *depth, *slot)?,
            Instr::ConstAssign(_) => {
                return Err(self.type_error("Assignment to constant variable."))
            }
            Instr::GetGlobal(i) => self.exec_get_global(*i)?,
            Instr::SetGlobal(i) => self.exec_set_global(fi, *i)?,
            Instr::TypeofGlobal(i) => self.exec_typeof_global(*i)?,
            Instr::PushEnv(n) => self.exec_push_env(fi, *n),
            Instr::PopEnv => self.exec_pop_env(fi),
            Instr::CopyEnv => self.exec_copy_env(fi),
            Instr::Arg(i) => self.exec_arg(fi, *i),
            Instr::RestArgs(n) => self.exec_rest_args(fi, *n),
            Instr::Arguments => self.exec_arguments(fi),
            Instr::NewTarget => self.exec_new_target(fi),
            Instr::Tdz { depth, slot } => self.exec_tdz(fi, *depth, *slot),
            // ---- properties: exec/properties.rs
            Instr::GetProp(i) => self.exec_get_prop(*i)?,
            Instr::SetProp(i) => self.exec_set_prop(fi, *i)?,
            Instr::GetElem => self.exec_get_elem()?,
            Instr::SetElem => self.exec_set_elem(fi)?,
            Instr::DeleteProp(i) => self.exec_delete_prop(*i)?,
            Instr::DeleteElem => self.exec_delete_elem()?,
            Instr::GetSuper(i) => self.exec_get_super(fi, *i)?,
            // ---- operators: exec/operators.rs
            Instr::Add => self.exec_add()?,
            Instr::Sub | Instr::Mul | Instr::Div | Instr::Mod | Instr::Exp => {
                self.exec_arithmetic(ins)?
            }
            Instr::BitAnd
            | Instr::BitOr
            | Instr::BitXor
            | Instr::Shl
            | Instr::Shr
            | Instr::UShr => self.exec_bitwise(ins)?,
            Instr::Eq | Instr::Ne => self.exec_loose_equality(ins)?,
            Instr::StrictEq => self.exec_strict_eq(),
            Instr::StrictNe => self.exec_strict_ne(),
            Instr::Lt | Instr::Le | Instr::Gt | Instr::Ge => self.exec_relational(ins)?,
            Instr::InstanceOf => self.exec_instance_of()?,
            Instr::In => self.exec_in()?,
            Instr::Neg => self.exec_neg()?,
            Instr::ToNumber => self.exec_to_number()?,
            Instr::Inc | Instr::Dec => self.exec_increment(ins)?,
            Instr::Not => self.exec_not(),
            Instr::BitNot => self.exec_bit_not()?,
            Instr::Typeof => self.exec_typeof(),
            Instr::ToStringValue => self.exec_to_string_value()?,
            // ---- control flow and exceptions: exec/control.rs
            Instr::Jump(t) => self.frames[fi].pc = *t,
            Instr::JumpIfFalse(t) => self.exec_jump_if_false(fi, *t),
            Instr::JumpIfTrue(t) => self.exec_jump_if_true(fi, *t),
            Instr::JumpIfFalseKeep(t) => self.exec_jump_if_false_keep(fi, *t),
            Instr::JumpIfTrueKeep(t) => self.exec_jump_if_true_keep(fi, *t),
            Instr::JumpIfNotNullishKeep(t) => self.exec_jump_if_not_nullish_keep(fi, *t),
            Instr::JumpIfNullishUndef(t) => self.exec_jump_if_nullish_undef(fi, *t),
            Instr::Return => return self.exec_return(),
            Instr::Throw => return self.exec_throw(fi),
            Instr::PushHandler(t) => self.exec_push_handler(fi, *t),
            Instr::PopHandler => {
                self.frames[fi].handlers.pop();
            }
            // ---- calls: exec/calls.rs
            Instr::Call(argc) => self.exec_call(*argc)?,
            Instr::CallSpread => self.exec_call_spread()?,
            Instr::New(argc) => self.exec_new(*argc)?,
            Instr::NewSpread => self.exec_new_spread()?,
            Instr::SuperCall(_) | Instr::SuperCallSpread => self.exec_super_call(ins, fi)?,
            // ---- object, array, function and class literals: exec/literals.rs
            Instr::NewObject => self.exec_new_object(),
            Instr::NewArray => self.exec_new_array(),
            Instr::ArrayPush => self.exec_array_push(),
            Instr::ArrayHole => self.exec_array_hole(),
            Instr::ArraySpread => self.exec_array_spread()?,
            Instr::DefineField => self.exec_define_field()?,
            Instr::DefineNamed(i) => self.exec_define_named(*i),
            Instr::DefineMethod { kind, enumerable } => {
                self.exec_define_method(*kind, *enumerable)?
            }
            Instr::CopyDataProps => self.exec_copy_data_props()?,
            Instr::RequireObjectCoercible => self.exec_require_object_coercible()?,
            Instr::ObjectRest => self.exec_object_rest()?,
            Instr::Closure(idx) => self.exec_closure(fi, *idx),
            Instr::MakeClass { has_super } => self.exec_make_class(*has_super)?,
            // ---- iteration: exec/iteration.rs
            Instr::GetIterator => self.exec_get_iterator()?,
            Instr::GetAsyncIterator => self.exec_get_async_iterator()?,
            Instr::IterCall => self.exec_iter_call()?,
            Instr::IterDone => self.exec_iter_done()?,
            Instr::IterValue => self.exec_iter_value()?,
            Instr::IterClose => self.exec_iter_close()?,
            Instr::ForInPrepare => self.exec_for_in_prepare(),
            Instr::ForInNext(t) => self.exec_for_in_next(fi, *t),
            // ---- suspension: exec/suspension.rs
            Instr::Await => return self.exec_await(),
            Instr::Yield => return self.exec_yield(fi),
            Instr::Debugger | Instr::Nop => {}
            Instr::CheckCatchable => self.exec_check_catchable()?,
        }
        Ok(Flow::Next)
    }
}

/// Drops the top value of the stack (only a string has anything to release).
#[inline(always)]
fn drop_top(st: &mut Vec<Value>) {
    match st.last() {
        Some(Value::Str(_)) => {
            st.pop();
        }
        // SAFETY: the top value is plain data (nothing to drop).
        Some(_) => unsafe { st.set_len(st.len() - 1) },
        None => {}
    }
}
