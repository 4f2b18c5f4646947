//! Statements: the dispatch over statement kinds, blocks, and the simple statements (`if`,
//! `return`, `throw`, labels, `break`/`continue`). Loops, `switch` and `try` have their own
//! modules.

mod loops;
mod switch;
mod try_catch;

use crate::bytecode::Instr;
use crate::compiler::jump_control::Control;
use crate::compiler::scope::collect_lexical;
use crate::compiler::{CResult, Compiler};
use oxc_ast::ast::*;
use oxc_span::GetSpan;

impl<'a> Compiler<'a> {
    pub(super) fn stmts(&mut self, body: &'a [Statement<'a>]) -> CResult<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    pub(in crate::compiler) fn block(&mut self, body: &'a [Statement<'a>]) -> CResult<()> {
        let mut lex = Vec::new();
        collect_lexical(body, &mut lex);
        let span = match (body.first(), body.last()) {
            (Some(a), Some(b)) => oxc_span::Span::new(a.span().start, b.span().end),
            _ => oxc_span::Span::new(0, 0),
        };
        let pushed = self.push_block_scope(&lex, span);
        self.hoist_functions(body)?;
        self.stmts(body)?;
        self.pop_block_scope(pushed);
        Ok(())
    }

    pub(in crate::compiler) fn stmt(&mut self, s: &'a Statement<'a>) -> CResult<()> {
        self.cur_span = s.span().start;
        if !matches!(
            s,
            Statement::BlockStatement(_)
                | Statement::FunctionDeclaration(_)
                | Statement::EmptyStatement(_)
        ) {
            let (pc, sp) = (self.here() as u32, s.span());
            self.cur().code.stmts.push((pc, sp.start, sp.end));
        }
        let labels = std::mem::take(&mut self.cur().pending_labels);
        match s {
            Statement::ExpressionStatement(e) => {
                self.expr(&e.expression)?;
                self.emit(Instr::Pop);
            }
            Statement::BlockStatement(b) => self.block(&b.body)?,
            Statement::EmptyStatement(_) => {}
            Statement::DebuggerStatement(_) => {
                self.emit(Instr::Debugger);
            }
            Statement::VariableDeclaration(d) => self.var_decl(d)?,
            Statement::FunctionDeclaration(_) => {} // hoisted
            Statement::ClassDeclaration(c) => {
                let name = c.id.as_ref().map(|i| i.name.as_str()).unwrap_or("");
                self.class(c, name)?;
                self.init_name(name);
            }
            Statement::ReturnStatement(r) => {
                match &r.argument {
                    Some(e) => {
                        self.expr(e)?;
                        if self.in_async_generator() {
                            // `return v` in an async generator awaits v
                            self.emit_await();
                        }
                    }
                    None => {
                        self.emit(Instr::Undef);
                    }
                }
                self.unwind_for_return()?;
                self.emit(Instr::Return);
            }
            Statement::IfStatement(i) => {
                self.expr(&i.test)?;
                let jf = self.emit(Instr::JumpIfFalse(0));
                self.stmt(&i.consequent)?;
                if let Some(alt) = &i.alternate {
                    let j = self.emit(Instr::Jump(0));
                    let h = self.here();
                    self.patch(jf, h);
                    self.stmt(alt)?;
                    let h = self.here();
                    self.patch(j, h);
                } else {
                    let h = self.here();
                    self.patch(jf, h);
                }
            }
            Statement::ThrowStatement(t) => {
                self.expr(&t.argument)?;
                self.cur_span = t.span.start;
                self.emit(Instr::Throw);
            }
            Statement::WhileStatement(w) => self.while_loop(w, labels)?,
            Statement::DoWhileStatement(w) => self.do_while_loop(w, labels)?,
            Statement::ForStatement(f) => self.for_stmt(f, labels)?,
            Statement::ForOfStatement(f) => self.for_of(f, labels)?,
            Statement::ForInStatement(f) => self.for_in(f, labels)?,
            Statement::BreakStatement(b) => {
                let label = b.label.as_ref().map(|l| l.name.as_str());
                self.jump_out(label, false, b.span.start)?;
            }
            Statement::ContinueStatement(b) => {
                let label = b.label.as_ref().map(|l| l.name.as_str());
                self.jump_out(label, true, b.span.start)?;
            }
            Statement::LabeledStatement(l) => {
                let mut labels = labels;
                labels.push(l.label.name.to_string());
                let is_loop = matches!(
                    l.body,
                    Statement::ForStatement(_)
                        | Statement::ForOfStatement(_)
                        | Statement::ForInStatement(_)
                        | Statement::WhileStatement(_)
                        | Statement::DoWhileStatement(_)
                        | Statement::LabeledStatement(_)
                );
                if is_loop {
                    self.cur().pending_labels = labels;
                    self.stmt(&l.body)?;
                } else {
                    self.cur().controls.push(Control::Breakable {
                        labels,
                        is_loop: false,
                        breaks: vec![],
                        continues: vec![],
                    });
                    self.stmt(&l.body)?;
                    let end = self.here();
                    self.finish_loop(end, end);
                }
            }
            Statement::SwitchStatement(sw) => self.switch(sw, labels)?,
            Statement::TryStatement(t) => self.try_stmt(t)?,
            Statement::WithStatement(w) => return self.unsupported("with statement", w.span.start),
            other => return self.unsupported("module syntax or TypeScript", other.span().start),
        }
        Ok(())
    }
}
