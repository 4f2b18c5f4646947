//! `await` and `yield`/`yield*`. Async generators are compiled as sync generators: their
//! `await` yields a marker that the prelude's driver awaits.

use crate::bytecode::{ErrorSite, Instr};
use crate::compiler::{call_text, CResult, Compiler};
use oxc_ast::ast::*;

impl<'a> Compiler<'a> {
    pub(in crate::compiler) fn in_async_generator(&mut self) -> bool {
        let c = &self.cur().code;
        c.is_async && c.is_generator
    }

    /// `await` of the value on the stack. In an async generator (compiled as a sync
    /// generator) it yields `%AsyncGeneratorAwait%(v)`, a marker the prelude's driver awaits.
    pub(in crate::compiler) fn emit_await(&mut self) {
        if self.in_async_generator() {
            let s = self.str_const("%AsyncGeneratorAwait%");
            self.emit(Instr::GetGlobal(s));
            self.emit(Instr::Swap);
            self.emit(Instr::Undef);
            self.emit(Instr::Swap);
            self.emit(Instr::Call(1));
            self.emit(Instr::Yield);
        } else {
            self.emit(Instr::Await);
        }
    }

    pub(super) fn await_expression(&mut self, a: &'a AwaitExpression<'a>) -> CResult<()> {
        self.expr(&a.argument)?;
        self.cur_span = a.span.start;
        self.emit_await();
        Ok(())
    }

    pub(super) fn yield_expression(&mut self, y: &'a YieldExpression<'a>) -> CResult<()> {
        if y.delegate && self.in_async_generator() {
            return self.unsupported("yield* in async generators", y.span.start);
        }
        if y.delegate {
            // yield* iterable: loop forwarding values
            match &y.argument {
                Some(a) => self.expr(a)?,
                None => {
                    self.emit(Instr::Undef);
                }
            }
            // V8 prints the operand of `yield*` as an unprinted part, and describes
            // a literal operand by its value
            let literal = y.argument.as_ref().is_some_and(|a| {
                matches!(
                    call_text::strip_parens(a),
                    Expression::NumericLiteral(_)
                        | Expression::StringLiteral(_)
                        | Expression::BooleanLiteral(_)
                        | Expression::NullLiteral(_)
                )
            });
            if literal {
                self.emit_get_iterator_value();
            } else {
                let text = self.str_const("yield* (intermediate value)");
                let pc = self.emit(Instr::GetIterator);
                self.site(pc, ErrorSite::Iterable { text, call: false });
            }
            let top = self.here();
            self.emit(Instr::Dup2);
            self.emit(Instr::IterCall);
            self.emit(Instr::Dup);
            self.emit(Instr::IterDone);
            let jd = self.emit(Instr::JumpIfTrue(0));
            self.emit(Instr::IterValue);
            self.emit(Instr::Yield);
            self.emit(Instr::Pop);
            self.emit(Instr::Jump(top as u32));
            let d = self.here();
            self.patch(jd, d);
            self.emit(Instr::IterValue);
            self.emit(Instr::RotRight3);
            self.emit(Instr::Pop);
            self.emit(Instr::Pop);
        } else {
            match &y.argument {
                Some(a) => self.expr(a)?,
                None => {
                    self.emit(Instr::Undef);
                }
            }
            if self.in_async_generator() {
                // `yield v` in an async generator awaits v first
                self.emit_await();
            }
            self.emit(Instr::Yield);
        }
        Ok(())
    }
}
