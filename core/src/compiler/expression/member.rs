//! Property access (`o.x`, `o[k]`, `o.#x`) and optional chains (`o?.x`, `o?.f()`), whose
//! nullish short-circuits all jump to the end of the chain.

use crate::bytecode::Instr;
use crate::compiler::{CResult, Compiler};
use oxc_ast::ast::*;

impl<'a> Compiler<'a> {
    pub(super) fn static_member(&mut self, m: &'a StaticMemberExpression<'a>) -> CResult<()> {
        self.expr(&m.object)?;
        self.cur_span = m.property.span.start;
        let s = self.str_const(m.property.name.as_str());
        self.emit(Instr::GetProp(s));
        Ok(())
    }

    pub(super) fn computed_member(&mut self, m: &'a ComputedMemberExpression<'a>) -> CResult<()> {
        self.expr(&m.object)?;
        self.expr(&m.expression)?;
        self.emit(Instr::GetElem);
        Ok(())
    }

    pub(super) fn private_field(&mut self, p: &'a PrivateFieldExpression<'a>) -> CResult<()> {
        self.expr(&p.object)?;
        let s = self.str_const(&format!("#{}", p.field.name));
        self.emit(Instr::GetProp(s));
        Ok(())
    }

    pub(super) fn optional_chain(&mut self, c: &'a ChainExpression<'a>) -> CResult<()> {
        let mut nullish_jumps = vec![];
        match &c.expression {
            ChainElement::CallExpression(call) => self.call(call, Some(&mut nullish_jumps))?,
            ChainElement::TSNonNullExpression(t) => {
                return self.unsupported("TypeScript", t.span.start)
            }
            other => {
                let m = other.as_member_expression().expect("member");
                self.member_chain(m, &mut nullish_jumps)?;
            }
        }
        let h = self.here();
        for j in nullish_jumps {
            self.patch(j, h);
        }
        Ok(())
    }

    /// Compiles a member expression inside an optional chain.
    fn member_chain(&mut self, m: &'a MemberExpression<'a>, jumps: &mut Vec<usize>) -> CResult<()> {
        let (object, optional) = match m {
            MemberExpression::StaticMemberExpression(s) => (&s.object, s.optional),
            MemberExpression::ComputedMemberExpression(c) => (&c.object, c.optional),
            MemberExpression::PrivateFieldExpression(p) => {
                return self.unsupported("private class members", p.span.start)
            }
        };
        self.chain_object(object, jumps)?;
        if optional {
            jumps.push(self.emit(Instr::JumpIfNullishUndef(0)));
        }
        match m {
            MemberExpression::StaticMemberExpression(s) => {
                let i = self.str_const(s.property.name.as_str());
                self.emit(Instr::GetProp(i));
            }
            MemberExpression::ComputedMemberExpression(c) => {
                self.expr(&c.expression)?;
                self.emit(Instr::GetElem);
            }
            MemberExpression::PrivateFieldExpression(_) => {}
        }
        Ok(())
    }

    pub(super) fn chain_object(
        &mut self,
        e: &'a Expression<'a>,
        jumps: &mut Vec<usize>,
    ) -> CResult<()> {
        match e {
            Expression::StaticMemberExpression(_) | Expression::ComputedMemberExpression(_) => {
                self.member_chain(e.as_member_expression().expect("member"), jumps)
            }
            Expression::CallExpression(c) => self.call(c, Some(jumps)),
            other => self.expr(other),
        }
    }
}
