//! `try`/`catch`/`finally`: exception handlers, the catch parameter's scope, and `finally`
//! blocks inlined on every way out (see `jump_control` for break/continue/return).

use crate::bytecode::{Instr, Subject};
use crate::compiler::jump_control::Control;
use crate::compiler::scope::{pattern_names, BindingKind};
use crate::compiler::{CResult, Compiler};
use oxc_ast::ast::*;

impl<'a> Compiler<'a> {
    pub(super) fn try_stmt(&mut self, t: &'a TryStatement<'a>) -> CResult<()> {
        let fin: Option<&'a BlockStatement<'a>> = t.finalizer.as_deref();
        let scope_len = self.cur().scopes.len();
        let h = self.emit(Instr::PushHandler(0));
        self.cur().controls.push(Control::Try {
            finally: fin,
            scope_len,
        });
        self.block(&t.block.body)?;
        self.cur().controls.pop();
        self.emit(Instr::PopHandler);
        if let Some(f) = &t.finalizer {
            self.block(&f.body)?;
        }
        let jend = self.emit(Instr::Jump(0));
        let catch_at = self.here();
        self.patch(h, catch_at);
        let mut jend2 = None;
        if let Some(handler) = &t.handler {
            let h2 = if t.finalizer.is_some() {
                let h2 = self.emit(Instr::PushHandler(0));
                self.cur().controls.push(Control::Try {
                    finally: fin,
                    scope_len,
                });
                Some(h2)
            } else {
                None
            };
            self.emit(Instr::CheckCatchable);
            match &handler.param {
                Some(p) => {
                    let mut names = Vec::new();
                    pattern_names(&p.pattern, &mut names);
                    let decls: Vec<(&str, BindingKind)> =
                        names.into_iter().map(|n| (n, BindingKind::Let)).collect();
                    let pushed = self.push_block_scope(&decls, handler.span);
                    self.pattern_subject = Some(Subject::Text(self.str_const(".catch")));
                    self.bind_pattern(&p.pattern, true)?;
                    self.block(&handler.body.body)?;
                    self.pop_block_scope(pushed);
                }
                None => {
                    self.emit(Instr::Pop);
                    self.block(&handler.body.body)?;
                }
            }
            if let Some(h2) = h2 {
                self.cur().controls.pop();
                self.emit(Instr::PopHandler);
                if let Some(f) = &t.finalizer {
                    self.block(&f.body)?;
                }
                jend2 = Some(self.emit(Instr::Jump(0)));
                let c2 = self.here();
                self.patch(h2, c2);
            }
        }
        if let Some(f) = &t.finalizer {
            // exception on the stack
            self.cur().controls.push(Control::Extra);
            self.block(&f.body)?;
            self.cur().controls.pop();
            self.emit(Instr::Throw);
        }
        let end = self.here();
        self.patch(jend, end);
        if let Some(j) = jend2 {
            self.patch(j, end);
        }
        Ok(())
    }
}
