//! Control-flow instructions: conditional jumps, `return`, `throw` and exception handlers.

use crate::value::Value;
use crate::vm::Vm;
use crate::vm::{Flow, Handler};

impl Vm {
    /// JumpIfFalse: pops, jumps when falsy.
    #[inline(always)]
    pub(super) fn exec_jump_if_false(&mut self, fi: usize, t: u32) {
        let v = self.pop();
        if !v.truthy() {
            self.frames[fi].pc = t;
        }
    }

    /// JumpIfTrue: pops, jumps when truthy.
    #[inline(always)]
    pub(super) fn exec_jump_if_true(&mut self, fi: usize, t: u32) {
        let v = self.pop();
        if v.truthy() {
            self.frames[fi].pc = t;
        }
    }

    /// JumpIfFalseKeep: jumps keeping a falsy value, pops a truthy one (`&&`).
    #[inline(always)]
    pub(super) fn exec_jump_if_false_keep(&mut self, fi: usize, t: u32) {
        let v = self.stack.last().map(|v| v.truthy()).unwrap_or(false);
        if !v {
            self.frames[fi].pc = t;
        } else {
            self.pop();
        }
    }

    /// JumpIfTrueKeep: jumps keeping a truthy value, pops a falsy one (`||`).
    #[inline(always)]
    pub(super) fn exec_jump_if_true_keep(&mut self, fi: usize, t: u32) {
        let v = self.stack.last().map(|v| v.truthy()).unwrap_or(false);
        if v {
            self.frames[fi].pc = t;
        } else {
            self.pop();
        }
    }

    /// JumpIfNotNullishKeep: jumps keeping a value that is not nullish, pops a nullish one (`??`).
    #[inline(always)]
    pub(super) fn exec_jump_if_not_nullish_keep(&mut self, fi: usize, t: u32) {
        let n = self.stack.last().map(|v| v.is_nullish()).unwrap_or(true);
        if !n {
            self.frames[fi].pc = t;
        } else {
            self.pop();
        }
    }

    /// JumpIfNullishUndef: a nullish value becomes undefined and jumps (optional chaining).
    #[inline(always)]
    pub(super) fn exec_jump_if_nullish_undef(&mut self, fi: usize, t: u32) {
        let n = self.stack.last().map(|v| v.is_nullish()).unwrap_or(true);
        if n {
            self.pop();
            self.push(Value::Undefined);
            self.frames[fi].pc = t;
        }
    }

    /// Return: v -> , completes the frame.
    #[inline(always)]
    pub(super) fn exec_return(&mut self) -> Result<Flow, Value> {
        let v = self.pop();
        Ok(Flow::Complete(v))
    }

    /// Throw: v -> , throws (remembering where, for the uncaught-error caret).
    #[inline(always)]
    pub(super) fn exec_throw(&mut self, fi: usize) -> Result<Flow, Value> {
        let v = self.pop();
        if let Value::Obj(o) = v {
            let f = &self.frames[fi];
            let code = &self.program.functions[f.func as usize];
            if !code.internal {
                let at = code.spans[(f.pc as usize).saturating_sub(1)];
                self.last_throw = Some((o, at, f.func));
            }
        }
        Err(v)
    }

    /// PushHandler: installs an exception handler that jumps to t.
    #[inline(always)]
    pub(super) fn exec_push_handler(&mut self, fi: usize, t: u32) {
        let f = &mut self.frames[fi];
        let h = Handler {
            pc: t,
            stack_len: self.stack.len().saturating_sub(f.operand_base()) as u32,
            env: f.env,
        };
        f.handlers.push(h);
    }
}
