//! Expressions: the dispatch over expression kinds and the simple ones (primitive literals,
//! identifiers, `this`, sequences). Each family of expressions has its own module.

mod assign;
mod await_yield;
mod call;
mod literals;
mod member;
mod ops;
mod unary;

use crate::bytecode::{FuncFlavor, Instr};
use crate::compiler::{js_str, CResult, Compiler};
use oxc_ast::ast::*;
use oxc_span::GetSpan;

impl<'a> Compiler<'a> {
    pub(in crate::compiler) fn expr_named(
        &mut self,
        e: &'a Expression<'a>,
        name: &str,
    ) -> CResult<()> {
        match e {
            Expression::ArrowFunctionExpression(a) => self.arrow(a, name),
            Expression::FunctionExpression(f) if f.id.is_none() => {
                self.function(f, name, FuncFlavor::Normal)
            }
            Expression::ClassExpression(c) if c.id.is_none() => self.class(c, name),
            Expression::ParenthesizedExpression(p) => self.expr_named(&p.expression, name),
            _ => self.expr(e),
        }
    }

    pub(in crate::compiler) fn expr(&mut self, e: &'a Expression<'a>) -> CResult<()> {
        let saved = self.cur_span;
        self.cur_span = e.span().start;
        let r = self.expr_inner(e);
        self.cur_span = saved;
        r
    }

    fn expr_inner(&mut self, e: &'a Expression<'a>) -> CResult<()> {
        match e {
            Expression::BooleanLiteral(b) => {
                self.emit(if b.value { Instr::True } else { Instr::False });
            }
            Expression::NullLiteral(_) => {
                self.emit(Instr::Null);
            }
            Expression::NumericLiteral(n) => {
                self.emit(Instr::Num(n.value));
            }
            Expression::StringLiteral(s) => {
                let v = js_str(&s.value);
                let i = self.str_const(&v);
                self.emit(Instr::Str(i));
            }
            Expression::TemplateLiteral(t) => self.template_literal(t)?,
            Expression::Identifier(id) => {
                let n = id.name.as_str();
                if n == "undefined" && self.resolve(n).is_none() {
                    self.emit(Instr::Undef);
                } else if n == "arguments" && self.resolve(n).is_none() {
                    if self.cur().code.flavor == FuncFlavor::Arrow {
                        return self
                            .unsupported("`arguments` inside arrow functions", id.span.start);
                    }
                    self.emit(Instr::Arguments);
                } else {
                    self.load_name(n);
                }
            }
            Expression::ThisExpression(_) => self.load_name("this"),
            Expression::ParenthesizedExpression(p) => self.expr(&p.expression)?,
            Expression::SequenceExpression(s) => {
                for (i, x) in s.expressions.iter().enumerate() {
                    self.expr(x)?;
                    if i + 1 < s.expressions.len() {
                        self.emit(Instr::Pop);
                    }
                }
            }
            Expression::ArrayExpression(a) => self.array_literal(a)?,
            Expression::ObjectExpression(o) => self.object_literal(o)?,
            Expression::FunctionExpression(f) => {
                let name =
                    f.id.as_ref()
                        .map(|i| i.name.to_string())
                        .unwrap_or_default();
                self.function(f, &name, FuncFlavor::Normal)?;
            }
            Expression::ArrowFunctionExpression(a) => self.arrow(a, "")?,
            Expression::ClassExpression(c) => {
                let name =
                    c.id.as_ref()
                        .map(|i| i.name.to_string())
                        .unwrap_or_default();
                self.class(c, &name)?;
            }
            Expression::UnaryExpression(u) => self.unary(u)?,
            Expression::BinaryExpression(b) => self.binary(b)?,
            Expression::LogicalExpression(l) => self.logical(l)?,
            Expression::ConditionalExpression(c) => self.conditional(c)?,
            Expression::AssignmentExpression(a) => self.assignment(a)?,
            Expression::UpdateExpression(u) => self.update(u)?,
            Expression::StaticMemberExpression(m) => self.static_member(m)?,
            Expression::ComputedMemberExpression(m) => self.computed_member(m)?,
            Expression::PrivateFieldExpression(p) => self.private_field(p)?,
            Expression::CallExpression(c) => self.call(c, None)?,
            Expression::NewExpression(n) => self.new_expression(n)?,
            Expression::ChainExpression(c) => self.optional_chain(c)?,
            Expression::AwaitExpression(a) => self.await_expression(a)?,
            Expression::YieldExpression(y) => self.yield_expression(y)?,
            Expression::Super(s) => return self.unsupported("bare super", s.span.start),
            Expression::NewTarget(_) => {
                self.emit(Instr::NewTarget);
            }
            Expression::RegExpLiteral(r) => self.regexp_literal(r)?,
            Expression::BigIntLiteral(b) => return self.unsupported("BigInt", b.span.start),
            Expression::TaggedTemplateExpression(t) => {
                return self.unsupported("tagged templates", t.span.start)
            }
            Expression::ImportExpression(i) => {
                return self.unsupported("dynamic import", i.span.start)
            }
            Expression::ImportMeta(i) => return self.unsupported("import.meta", i.span.start),
            Expression::PrivateInExpression(p) => self.private_in(p)?,
            other => return self.unsupported("JSX or TypeScript", other.span().start),
        }
        Ok(())
    }
}
