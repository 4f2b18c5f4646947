//! Binary, logical (`&&`, `||`, `??`, short-circuiting) and conditional operators, and
//! `#x in o`.

use crate::bytecode::Instr;
use crate::compiler::{CResult, Compiler};
use oxc_ast::ast::*;
use oxc_syntax::operator::{BinaryOperator, LogicalOperator};

impl<'a> Compiler<'a> {
    pub(super) fn binary(&mut self, b: &'a BinaryExpression<'a>) -> CResult<()> {
        if let BinaryOperator::In = b.operator {
            self.expr(&b.left)?;
            self.expr(&b.right)?;
            self.emit(Instr::In);
            return Ok(());
        }
        self.expr(&b.left)?;
        self.expr(&b.right)?;
        self.emit(binop(b.operator));
        Ok(())
    }

    pub(super) fn logical(&mut self, l: &'a LogicalExpression<'a>) -> CResult<()> {
        self.expr(&l.left)?;
        let j = match l.operator {
            LogicalOperator::And => self.emit(Instr::JumpIfFalseKeep(0)),
            LogicalOperator::Or => self.emit(Instr::JumpIfTrueKeep(0)),
            LogicalOperator::Coalesce => self.emit(Instr::JumpIfNotNullishKeep(0)),
        };
        self.expr(&l.right)?;
        let h = self.here();
        self.patch(j, h);
        Ok(())
    }

    pub(super) fn conditional(&mut self, c: &'a ConditionalExpression<'a>) -> CResult<()> {
        self.expr(&c.test)?;
        let jf = self.emit(Instr::JumpIfFalse(0));
        self.expr(&c.consequent)?;
        let j = self.emit(Instr::Jump(0));
        let h = self.here();
        self.patch(jf, h);
        self.expr(&c.alternate)?;
        let h = self.here();
        self.patch(j, h);
        Ok(())
    }

    pub(super) fn private_in(&mut self, p: &'a PrivateInExpression<'a>) -> CResult<()> {
        let s = self.str_const(&format!("#{}", p.left.name));
        self.emit(Instr::Str(s));
        self.expr(&p.right)?;
        self.emit(Instr::In);
        Ok(())
    }
}

fn binop(op: BinaryOperator) -> Instr {
    match op {
        BinaryOperator::Equality => Instr::Eq,
        BinaryOperator::Inequality => Instr::Ne,
        BinaryOperator::StrictEquality => Instr::StrictEq,
        BinaryOperator::StrictInequality => Instr::StrictNe,
        BinaryOperator::LessThan => Instr::Lt,
        BinaryOperator::LessEqualThan => Instr::Le,
        BinaryOperator::GreaterThan => Instr::Gt,
        BinaryOperator::GreaterEqualThan => Instr::Ge,
        BinaryOperator::Addition => Instr::Add,
        BinaryOperator::Subtraction => Instr::Sub,
        BinaryOperator::Multiplication => Instr::Mul,
        BinaryOperator::Division => Instr::Div,
        BinaryOperator::Remainder => Instr::Mod,
        BinaryOperator::Exponential => Instr::Exp,
        BinaryOperator::ShiftLeft => Instr::Shl,
        BinaryOperator::ShiftRight => Instr::Shr,
        BinaryOperator::ShiftRightZeroFill => Instr::UShr,
        BinaryOperator::BitwiseOR => Instr::BitOr,
        BinaryOperator::BitwiseXOR => Instr::BitXor,
        BinaryOperator::BitwiseAnd => Instr::BitAnd,
        BinaryOperator::In => Instr::In,
        BinaryOperator::Instanceof => Instr::InstanceOf,
    }
}
