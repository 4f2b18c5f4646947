//! Suspension: `await` and `yield` take the running frame off the frame stack (with its
//! part of the value stack) and store it in a promise reaction's holder or the generator;
//! [`Vm::resume_async`] and [`Vm::resume_generator`] put it back and run it.

use crate::heap::*;
use crate::value::{ObjId, Value};
use crate::vm::Vm;
use crate::vm::{Flow, Frame, FrameKind, JsResult};

impl Vm {
    /// Await: v -> , suspends the async frame.
    #[inline(always)]
    pub(super) fn exec_await(&mut self) -> Result<Flow, Value> {
        let v = self.pop();
        self.await_value(v)
    }

    /// Yield: v -> , suspends the generator frame.
    #[inline(always)]
    pub(super) fn exec_yield(&mut self, fi: usize) -> Result<Flow, Value> {
        let v = self.pop();
        let FrameKind::Generator { gen } = self.frames[fi].kind else {
            return Err(self.type_error("yield outside a generator"));
        };
        let mut f = self.frames.pop().expect("frame");
        self.detach(&mut f);
        self.recorder.ret(self.frames.len());
        if let ObjKind::Generator(st) = &mut self.heap.obj_mut(gen).kind {
            *st = GenState::Suspended(Box::new(f));
        }
        let r = self.iter_result(v, false);
        Ok(Flow::Suspend(r))
    }

    /// CheckCatchable: rethrows the generator-return signal at the start of a catch clause.
    #[inline(always)]
    pub(super) fn exec_check_catchable(&mut self) -> Result<(), Value> {
        if let (Some(s), Some(Value::Obj(o))) = (self.gen_return_signal, self.stack.last()) {
            if *o == s {
                let v = self.pop();
                return Err(v);
            }
        }
        Ok(())
    }

    /// `await v`: suspends the current async frame until the promise for `v` settles.
    pub(super) fn await_value(&mut self, v: Value) -> Result<Flow, Value> {
        let promise = self.promise_resolve(v)?;
        let Some(Frame {
            kind:
                FrameKind::Async {
                    promise: own,
                    holder,
                },
            ..
        }) = self.frames.last()
        else {
            return Err(self.type_error("await is only valid in async functions"));
        };
        let (own, holder) = (*own, *holder);
        let mut f = self.frames.pop().expect("frame");
        self.detach(&mut f);
        self.recorder.ret(self.frames.len());
        let (holder, on_ful, on_rej) = match holder {
            Some(h) => h,
            None => {
                let h = self.alloc(None, ObjKind::AsyncFrame(None));
                let on_ful = self.native_fn(
                    self.ids.async_resume,
                    vec![Value::Obj(h), Value::Bool(false)],
                );
                let on_rej = self.native_fn(
                    self.ids.async_resume,
                    vec![Value::Obj(h), Value::Bool(true)],
                );
                f.kind = FrameKind::Async {
                    promise: own,
                    holder: Some((h, on_ful, on_rej)),
                };
                (h, on_ful, on_rej)
            }
        };
        if let ObjKind::AsyncFrame(slot) = &mut self.heap.obj_mut(holder).kind {
            *slot = Some(Box::new(f));
        }
        self.perform_then(promise, Value::Obj(on_ful), Value::Obj(on_rej), None);
        Ok(Flow::Suspend(Value::Obj(own)))
    }

    /// Resumes a suspended async frame with a value or an exception.
    pub fn resume_async(&mut self, holder: ObjId, value: Value, is_throw: bool) -> JsResult {
        let frame = match &mut self.heap.obj_mut(holder).kind {
            ObjKind::AsyncFrame(slot) => slot.take(),
            _ => None,
        };
        let Some(mut frame) = frame else {
            return Ok(Value::Undefined);
        };
        let base = self.frames.len();
        self.attach(&mut frame);
        if !is_throw {
            self.stack.push(value);
            self.recorder.call(frame.func, base + 1, frame.env);
            let env = frame.env;
            self.frames.push(*frame);
            self.note_frame_vars(env);
            self.run(base)
        } else {
            self.recorder.call(frame.func, base + 1, frame.env);
            let env = frame.env;
            self.frames.push(*frame);
            self.note_frame_vars(env);
            match self.unwind(value, base) {
                Ok(Some(v)) => Ok(v),
                Ok(None) => self.run(base),
                Err(e) => Err(e),
            }
        }
    }

    /// Resumes a generator: mode 0 next, 1 throw, 2 return.
    pub fn resume_generator(&mut self, gen: ObjId, value: Value, mode: u8) -> JsResult {
        let st = match &mut self.heap.obj_mut(gen).kind {
            ObjKind::Generator(st) => std::mem::replace(st, GenState::Running),
            _ => return self.throw_type("next method called on incompatible receiver"),
        };
        match st {
            GenState::Running => {
                if let ObjKind::Generator(s) = &mut self.heap.obj_mut(gen).kind {
                    *s = GenState::Running;
                }
                self.throw_type("Generator is already running")
            }
            GenState::Done => {
                if let ObjKind::Generator(s) = &mut self.heap.obj_mut(gen).kind {
                    *s = GenState::Done;
                }
                match mode {
                    1 => Err(value),
                    2 => Ok(self.iter_result(value, true)),
                    _ => Ok(self.iter_result(Value::Undefined, true)),
                }
            }
            GenState::Suspended(mut frame) => {
                let started = frame.pc > 0;
                if mode == 2 && !started {
                    if let ObjKind::Generator(s) = &mut self.heap.obj_mut(gen).kind {
                        *s = GenState::Done;
                    }
                    return Ok(self.iter_result(value, true));
                }
                // a return still unwinding from an earlier `return()` (yield inside finally)
                let pending = self
                    .pending_gen_returns
                    .iter()
                    .position(|p| p.0 == gen)
                    .map(|i| self.pending_gen_returns.swap_remove(i));
                let signal = if mode == 2 {
                    // a return completion: unwind through finally blocks only
                    let s = self.alloc(None, ObjKind::Ordinary);
                    self.gen_return_signal = Some(s);
                    Some((s, value.clone()))
                } else if let (0, Some((_, s, v))) = (mode, pending) {
                    self.gen_return_signal = Some(s);
                    Some((s, v))
                } else {
                    None
                };
                if mode == 1 && !started {
                    if let ObjKind::Generator(s) = &mut self.heap.obj_mut(gen).kind {
                        *s = GenState::Done;
                    }
                    return Err(value);
                }
                self.attach(&mut frame);
                if started && mode == 0 {
                    self.stack.push(value.clone());
                }
                let base = self.frames.len();
                self.recorder.call(frame.func, base + 1, frame.env);
                let env = frame.env;
                self.frames.push(*frame);
                self.note_frame_vars(env);
                self.native_depth += 1;
                let thrown = match (&signal, mode) {
                    (Some((s, _)), 2) => Value::Obj(*s),
                    _ => value.clone(),
                };
                let r = if mode >= 1 {
                    match self.unwind(thrown, base) {
                        Ok(Some(v)) => Ok(v),
                        Ok(None) => self.run(base),
                        Err(e) => Err(e),
                    }
                } else {
                    self.run(base)
                };
                self.native_depth -= 1;
                if let Some((s, ret)) = signal {
                    self.gen_return_signal = None;
                    if let Err(Value::Obj(o)) = &r {
                        if *o == s {
                            if let ObjKind::Generator(st) = &mut self.heap.obj_mut(gen).kind {
                                *st = GenState::Done;
                            }
                            return Ok(self.iter_result(ret, true));
                        }
                    }
                    if r.is_ok()
                        && matches!(
                            &self.heap.obj(gen).kind,
                            ObjKind::Generator(GenState::Suspended(_))
                        )
                    {
                        self.pending_gen_returns.push((gen, s, ret));
                    }
                }
                r
            }
        }
    }
}
