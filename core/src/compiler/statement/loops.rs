//! Loops: `while`, `do…while`, `for`, `for…in` and `for…of` / `for await…of` (with the
//! binding of the loop variable and per-iteration environments).

use crate::bytecode::{ErrorSite, Instr, Subject};
use crate::compiler::jump_control::Control;
use crate::compiler::scope::{pattern_names, BindingKind};
use crate::compiler::{call_text, CResult, Compiler};
use oxc_ast::ast::*;
use oxc_span::GetSpan;
use oxc_syntax::operator::UnaryOperator;

impl<'a> Compiler<'a> {
    pub(super) fn while_loop(
        &mut self,
        w: &'a WhileStatement<'a>,
        labels: Vec<String>,
    ) -> CResult<()> {
        let top = self.here();
        self.expr(&w.test)?;
        let jf = self.emit(Instr::JumpIfFalse(0));
        self.loop_body(labels, &w.body, top)?;
        self.emit(Instr::Jump(top as u32));
        let end = self.here();
        self.patch(jf, end);
        self.finish_loop(end, top);
        Ok(())
    }

    pub(super) fn do_while_loop(
        &mut self,
        w: &'a DoWhileStatement<'a>,
        labels: Vec<String>,
    ) -> CResult<()> {
        let top = self.here();
        self.loop_body(labels, &w.body, top)?;
        let cont = self.here();
        self.expr(&w.test)?;
        self.emit(Instr::JumpIfTrue(top as u32));
        let end = self.here();
        self.finish_loop(end, cont);
        Ok(())
    }

    pub(super) fn for_stmt(&mut self, f: &'a ForStatement<'a>, labels: Vec<String>) -> CResult<()> {
        let mut pushed = 0;
        let mut per_iter = false;
        if let Some(init) = &f.init {
            match init {
                ForStatementInit::VariableDeclaration(d)
                    if d.kind != VariableDeclarationKind::Var =>
                {
                    let mut names = Vec::new();
                    for decl in &d.declarations {
                        pattern_names(&decl.id, &mut names);
                    }
                    let kind = if d.kind == VariableDeclarationKind::Const {
                        BindingKind::Const
                    } else {
                        BindingKind::Let
                    };
                    let decls: Vec<(&str, BindingKind)> =
                        names.into_iter().map(|n| (n, kind)).collect();
                    pushed = self.push_block_scope(&decls, f.span);
                    per_iter = pushed == 1;
                    self.var_decl(d)?;
                }
                ForStatementInit::VariableDeclaration(d) => self.var_decl(d)?,
                other => {
                    self.expr(other.as_expression().expect("expr"))?;
                    self.emit(Instr::Pop);
                }
            }
        }
        let top = self.here();
        let mut jf = None;
        if let Some(t) = &f.test {
            self.expr(t)?;
            jf = Some(self.emit(Instr::JumpIfFalse(0)));
        }
        self.loop_body(labels, &f.body, top)?;
        let cont = self.here();
        if per_iter {
            self.emit(Instr::CopyEnv);
        }
        if let Some(u) = &f.update {
            self.expr(u)?;
            self.emit(Instr::Pop);
        }
        self.emit(Instr::Jump(top as u32));
        let end = self.here();
        if let Some(j) = jf {
            self.patch(j, end);
        }
        self.finish_loop(end, cont);
        self.pop_block_scope(pushed);
        Ok(())
    }

    /// Binds the loop value (on the stack) to a for-in/of left side, inside a fresh scope for
    /// let/const. Returns whether a scope was pushed.
    fn for_left(&mut self, left: &'a ForStatementLeft<'a>, span: oxc_span::Span) -> CResult<u8> {
        match left {
            ForStatementLeft::VariableDeclaration(d) => {
                let decl = &d.declarations[0];
                if d.kind == VariableDeclarationKind::Var {
                    self.bind_pattern(&decl.id, false)?;
                    Ok(0)
                } else {
                    let mut names = Vec::new();
                    pattern_names(&decl.id, &mut names);
                    let kind = if d.kind == VariableDeclarationKind::Const {
                        BindingKind::Const
                    } else {
                        BindingKind::Let
                    };
                    let decls: Vec<(&str, BindingKind)> =
                        names.into_iter().map(|n| (n, kind)).collect();
                    let pushed = self.push_block_scope(&decls, span);
                    // V8 calls the loop's value by its internal name
                    let name = self.str_const(".for");
                    if let BindingPattern::ArrayPattern(a) = &decl.id {
                        let pc = self.emit(Instr::GetIterator);
                        let call = false;
                        self.site(pc, ErrorSite::Iterable { text: name, call });
                        self.bind_array_elements(a, true)?;
                    } else {
                        self.pattern_subject = Some(Subject::Text(name));
                        self.bind_pattern(&decl.id, true)?;
                    }
                    Ok(pushed)
                }
            }
            other => {
                let t = other.as_assignment_target().expect("target");
                self.assign_to_target(t)?;
                self.emit(Instr::Pop);
                Ok(0)
            }
        }
    }

    /// Layout (stack `iterator next` held across the loop, plus the current value while the
    /// body runs, so that the body's handler always finds `iterator next value` below it):
    /// ```text
    /// top:  next() [await] done? -> exit;  value;  PushHandler(close_throw)
    ///       Dup <bind> <body> [PopEnv]
    /// cont: PopHandler; Pop value; Jump top
    /// brk:  PopHandler; Pop value; IteratorClose   (break out of this loop)
    /// close_throw: IteratorClose(throw); rethrow   (the body or the binding threw)
    /// exit: drop result, iterator, next
    /// ```
    /// Leaving through `return` or a labelled break unwinds `IterBody` (PopHandler, Pop) and
    /// `Iterator` (IteratorClose) in `unwind_controls`.
    pub(super) fn for_of(&mut self, f: &'a ForOfStatement<'a>, labels: Vec<String>) -> CResult<()> {
        let is_async = f.r#await;
        if is_async {
            self.expr(&f.right)?;
        } else {
            self.iterated_expr(&f.right)?;
        }
        let saved = self.cur_span;
        self.cur_span = f.right.span().start;
        if matches!(
            call_text::strip_parens(&f.right),
            Expression::ChainExpression(_)
                | Expression::LogicalExpression(_)
                | Expression::ConditionalExpression(_)
        ) || matches!(
            call_text::strip_parens(&f.right),
            Expression::UnaryExpression(u) if u.operator == UnaryOperator::LogicalNot
        ) {
            // V8 has no position for these subjects here: it describes the value
            self.emit_get_iterator_value();
        } else {
            let (mut text, call) = call_text::iterable_text(&f.right, self.source);
            if is_async && call {
                // V8 keeps the call's `(...)` when it names an async iterable
                text = call_text::expression_text(&f.right, self.source);
            }
            let text = self.str_const(&text);
            let pc = self.emit(if is_async {
                Instr::GetAsyncIterator
            } else {
                Instr::GetIterator
            });
            self.site(pc, ErrorSite::Iterable { text, call });
        }
        self.cur_span = saved;
        self.cur().controls.push(Control::Iterator { is_async });
        let top = self.here();
        self.emit(Instr::Dup2);
        self.emit(Instr::IterCall);
        if is_async {
            self.emit_await();
        }
        self.emit(Instr::Dup);
        self.emit(Instr::IterDone);
        let jdone = self.emit(Instr::JumpIfTrue(0));
        self.emit(Instr::IterValue);
        let handler = self.emit(Instr::PushHandler(0));
        self.emit(Instr::Dup);
        self.cur().controls.push(Control::IterBody);
        self.cur().controls.push(Control::Breakable {
            labels,
            is_loop: true,
            breaks: vec![],
            continues: vec![],
        });
        let pushed = self.for_left(&f.left, f.span)?;
        self.stmt(&f.body)?;
        // `continue` pops the per-iteration environment itself (unwinding `Env`)
        self.pop_block_scope(pushed);
        let cont = self.here();
        self.emit(Instr::PopHandler);
        self.emit(Instr::Pop);
        self.emit(Instr::Jump(top as u32));
        let brk = self.here();
        self.emit(Instr::PopHandler);
        self.emit(Instr::Pop);
        self.emit_iter_close(is_async);
        let jend = self.emit(Instr::Jump(0));
        let close_throw = self.here();
        self.patch(handler, close_throw);
        // iterator next value e
        self.emit(Instr::Swap);
        self.emit(Instr::Pop);
        self.emit(Instr::RotRight3);
        self.emit_iter_close_throw(is_async);
        let done = self.here();
        self.patch(jdone, done);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        let end = self.here();
        self.patch(jend, end);
        self.finish_loop(brk, cont);
        self.cur().controls.pop(); // IterBody
        self.cur().controls.pop(); // Iterator
        Ok(())
    }

    pub(super) fn for_in(&mut self, f: &'a ForInStatement<'a>, labels: Vec<String>) -> CResult<()> {
        self.expr(&f.right)?;
        self.emit(Instr::ForInPrepare);
        self.cur().controls.push(Control::ForIn);
        let top = self.here();
        let jdone = self.emit(Instr::ForInNext(0));
        self.cur().controls.push(Control::Breakable {
            labels,
            is_loop: true,
            breaks: vec![],
            continues: vec![],
        });
        let pushed = self.for_left(&f.left, f.span)?;
        self.stmt(&f.body)?;
        // `continue` pops the per-iteration environment itself (unwinding `Env`), so the normal
        // path pops it before the continue target, not after.
        self.pop_block_scope(pushed);
        let cont = self.here();
        self.emit(Instr::Jump(top as u32));
        let brk = self.here();
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        let jend = self.emit(Instr::Jump(0));
        let done = self.here();
        self.patch(jdone, done);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        let end = self.here();
        self.patch(jend, end);
        self.finish_loop(brk, cont);
        self.cur().controls.pop();
        Ok(())
    }
}
