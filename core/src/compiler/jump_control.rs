//! Jump bookkeeping for `break`, `continue` and `return`: the stack of things a jump out of a
//! construct must undo (block environments, iterators, for-in state, handlers, inlined
//! `finally` blocks), and the patching of break/continue targets.

use super::scope::Scope;
use super::{CResult, Compiler};
use crate::bytecode::Instr;
use oxc_ast::ast::*;

/// Something that the unwinding code for break/continue/return has to undo.
#[derive(Debug, Clone)]
pub(super) enum Control<'a> {
    /// An environment pushed by a block.
    Env,
    /// A loop or labelled statement that can be a break (and maybe continue) target.
    Breakable {
        labels: Vec<String>,
        is_loop: bool,
        breaks: Vec<usize>,
        continues: Vec<usize>,
    },
    /// An iterator (iter, next) kept on the operand stack by for-of; leaving the loop early
    /// closes it (IteratorClose, awaited for `for await`).
    Iterator { is_async: bool },
    /// The handler that closes a for-of iterator when its body throws, and the current value
    /// kept under the body's operand stack.
    IterBody,
    /// for-in state (keys, index) on the operand stack.
    ForIn,
    /// An active exception handler; with the finally block to inline when leaving.
    Try {
        finally: Option<&'a BlockStatement<'a>>,
        scope_len: usize,
    },
    /// Extra values on the operand stack (e.g. a saved exception during finally).
    Extra,
}

impl<'a> Compiler<'a> {
    pub(super) fn loop_body(
        &mut self,
        labels: Vec<String>,
        body: &'a Statement<'a>,
        _top: usize,
    ) -> CResult<()> {
        self.cur().controls.push(Control::Breakable {
            labels,
            is_loop: true,
            breaks: vec![],
            continues: vec![],
        });
        self.stmt(body)
    }

    /// Pops the innermost Breakable control and patches its jumps.
    pub(super) fn finish_loop(&mut self, brk: usize, cont: usize) {
        if let Some(Control::Breakable {
            breaks, continues, ..
        }) = self.cur().controls.pop()
        {
            for b in breaks {
                self.patch(b, brk);
            }
            for c in continues {
                self.patch(c, cont);
            }
        }
    }

    /// Emits the unwinding for controls from the innermost up to (not including) index `stop`.
    /// `carry` = a value (return value) sits on top of the stack and must be preserved.
    fn unwind_controls(&mut self, stop: usize, carry: bool) -> CResult<()> {
        let n = self.cur().controls.len();
        let saved: Vec<Control<'a>> = self.cur().controls.clone();
        for i in (stop..n).rev() {
            match &saved[i] {
                Control::Env => {
                    self.emit(Instr::PopEnv);
                }
                Control::Breakable { .. } => {}
                Control::Iterator { is_async } => {
                    if carry {
                        self.emit(Instr::RotRight3);
                    }
                    self.emit_iter_close(*is_async);
                }
                Control::IterBody => {
                    self.emit(Instr::PopHandler);
                    if carry {
                        self.emit(Instr::Swap);
                    }
                    self.emit(Instr::Pop);
                }
                Control::ForIn => {
                    if carry {
                        self.emit(Instr::RotRight3);
                    }
                    self.emit(Instr::Pop);
                    self.emit(Instr::Pop);
                }
                Control::Extra => {
                    if carry {
                        self.emit(Instr::Swap);
                    }
                    self.emit(Instr::Pop);
                }
                Control::Try { finally, scope_len } => {
                    self.emit(Instr::PopHandler);
                    if let Some(f) = finally {
                        // Compile the finally body in the context outside this try.
                        let rest: Vec<Control<'a>> = saved[..i].to_vec();
                        let removed: Vec<Control<'a>> = self.cur().controls.drain(i..).collect();
                        let _ = rest;
                        if carry {
                            self.cur().controls.push(Control::Extra);
                        }
                        let block: &'a BlockStatement<'a> = f;
                        // scopes must match: envs popped above correspond to scope entries, but
                        // the compile-time scope stack still includes them; finally bodies only
                        // reference names visible at the try statement, which resolve the same
                        // way after adjusting for popped envs.
                        let keep = *scope_len;
                        let hidden: Vec<Scope> = self.cur().scopes.drain(keep..).collect();
                        self.block(&block.body)?;
                        self.cur().scopes.extend(hidden);
                        if carry {
                            self.cur().controls.pop();
                        }
                        self.cur().controls.extend(removed);
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn unwind_for_return(&mut self) -> CResult<()> {
        let needs = self
            .cur()
            .controls
            .iter()
            .any(|c| matches!(c, Control::Try { .. } | Control::Iterator { .. }));
        if needs {
            self.unwind_controls(0, true)?;
        }
        Ok(())
    }

    pub(super) fn jump_out(
        &mut self,
        label: Option<&str>,
        is_continue: bool,
        offset: u32,
    ) -> CResult<()> {
        let controls = &self.cur().controls;
        let mut target = None;
        for (i, c) in controls.iter().enumerate().rev() {
            if let Control::Breakable {
                labels, is_loop, ..
            } = c
            {
                let ok = match label {
                    Some(l) => labels.iter().any(|x| x == l),
                    None => *is_loop || !is_continue && !labels.is_empty() && false,
                };
                let ok = ok || (label.is_none() && !is_continue && !*is_loop && labels.is_empty());
                if ok && (!is_continue || *is_loop) {
                    target = Some(i);
                    break;
                }
            }
        }
        let Some(t) = target else {
            return self.unsupported("break/continue target", offset);
        };
        self.unwind_controls(t + 1, false)?;
        let j = self.emit(Instr::Jump(0));
        if let Control::Breakable {
            breaks, continues, ..
        } = &mut self.cur().controls[t]
        {
            if is_continue {
                continues.push(j);
            } else {
                breaks.push(j);
            }
        }
        Ok(())
    }
}
