//! The iterator protocol as emitted for `for…of`, spread and array destructuring: GetIterator
//! with the operand named as V8 names it in "is not iterable", and IteratorClose for normal
//! and throw completions.

use super::{call_text, CResult, Compiler};
use crate::bytecode::{ErrorSite, Instr};
use oxc_ast::ast::*;

impl<'a> Compiler<'a> {
    /// Compiles an expression whose value is iterated at once (see `iterated_call`).
    pub(super) fn iterated_expr(&mut self, e: &'a Expression<'a>) -> CResult<()> {
        let outer = self.mark_iterated(e);
        self.expr(e)?;
        self.iterated_call = outer;
        Ok(())
    }

    /// Marks `e`, when it is a call, as iterated at once (see `iterated_call`); returns the
    /// enclosing mark, to be put back once `e` is compiled.
    pub(super) fn mark_iterated(&mut self, e: &Expression<'_>) -> Option<oxc_span::Span> {
        let outer = self.iterated_call.take();
        if let Expression::CallExpression(c) = call_text::strip_parens(e) {
            self.iterated_call = Some(c.span);
        }
        outer
    }

    /// GetIterator of the value on the stack, named as V8 names `e` in "is not iterable".
    pub(super) fn emit_get_iterator_of(&mut self, e: &Expression<'_>) {
        let (text, call) = call_text::iterable_text(e, self.source);
        let text = self.str_const(&text);
        let pc = self.emit(Instr::GetIterator);
        self.site(pc, ErrorSite::Iterable { text, call });
    }

    /// GetIterator of a value V8 describes by value (patterns, arguments after a spread).
    pub(super) fn emit_get_iterator_value(&mut self) {
        let pc = self.emit(Instr::GetIterator);
        self.site(pc, ErrorSite::IterableValue);
    }

    /// iterator next -> (IteratorClose with a normal completion: calls `iterator.return` if
    /// present, awaits its result for async iteration, and requires an object back).
    pub(super) fn emit_iter_close(&mut self, is_async: bool) {
        self.emit(Instr::Pop);
        self.emit(Instr::Dup);
        let ret = self.str_const("return");
        self.emit(Instr::GetProp(ret));
        let jnone = self.emit(Instr::JumpIfNullishUndef(0));
        self.emit(Instr::Swap);
        self.emit(Instr::Call(0));
        if is_async {
            self.emit_await();
        }
        // IterDone throws "Iterator result x is not an object" for a non-object
        self.emit(Instr::IterDone);
        self.emit(Instr::Pop);
        let jend = self.emit(Instr::Jump(0));
        let none = self.here();
        self.patch(jnone, none);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        let end = self.here();
        self.patch(jend, end);
    }

    /// e iterator next -> (IteratorClose with a throw completion: errors from `return` and
    /// its awaited result are ignored, then `e` is rethrown). The close runs on copies of
    /// `iterator next` so that the handler always finds the same stack below it.
    pub(super) fn emit_iter_close_throw(&mut self, is_async: bool) {
        let h = self.emit(Instr::PushHandler(0));
        self.emit(Instr::Dup2);
        self.emit_iter_close(is_async);
        self.emit(Instr::PopHandler);
        let jok = self.emit(Instr::Jump(0));
        let caught = self.here();
        self.patch(h, caught);
        // e iterator next error
        self.emit(Instr::Pop);
        let ok = self.here();
        self.patch(jok, ok);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        self.emit(Instr::Throw);
    }
}
