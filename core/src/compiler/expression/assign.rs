//! Assignment expressions: plain (`=`, delegating targets to `pattern`), compound (`+=` …)
//! and logical (`&&=`, `||=`, `??=`).

use crate::bytecode::Instr;
use crate::compiler::{CResult, Compiler};
use oxc_ast::ast::*;
use oxc_span::GetSpan;
use oxc_syntax::operator::AssignmentOperator;

impl<'a> Compiler<'a> {
    pub(super) fn assignment(&mut self, a: &'a AssignmentExpression<'a>) -> CResult<()> {
        let op = a.operator;
        if op == AssignmentOperator::Assign {
            let hint = match &a.left {
                AssignmentTarget::AssignmentTargetIdentifier(id) => id.name.as_str(),
                _ => "",
            };
            let outer = match &a.left {
                AssignmentTarget::ArrayAssignmentTarget(_) => self.mark_iterated(&a.right),
                _ => self.iterated_call.take(),
            };
            self.expr_named(&a.right, hint)?;
            self.iterated_call = outer;
            if let AssignmentTarget::ObjectAssignmentTarget(_) = &a.left {
                self.pattern_subject = Some(self.init_subject(&a.right));
            }
            return self.assign_to_target(&a.left);
        }
        let logical = matches!(
            op,
            AssignmentOperator::LogicalAnd
                | AssignmentOperator::LogicalOr
                | AssignmentOperator::LogicalNullish
        );
        // load the current value, keeping the reference parts on the stack
        match &a.left {
            AssignmentTarget::AssignmentTargetIdentifier(id) => {
                let name = id.name.as_str();
                self.load_name(name);
                if logical {
                    let j = self.logical_jump(op);
                    self.emit(Instr::Pop);
                    self.expr_named(&a.right, name)?;
                    self.store_name(name);
                    let h = self.here();
                    self.patch(j, h);
                } else {
                    self.expr(&a.right)?;
                    self.emit(compound_op(op));
                    self.store_name(name);
                }
            }
            AssignmentTarget::StaticMemberExpression(m) => {
                self.expr(&m.object)?;
                self.emit(Instr::Dup);
                let s = self.str_const(m.property.name.as_str());
                self.emit(Instr::GetProp(s));
                if logical {
                    let j = self.logical_jump(op);
                    self.emit(Instr::Pop);
                    self.expr(&a.right)?;
                    self.emit(Instr::SetProp(s));
                    let end = self.emit(Instr::Jump(0));
                    let h = self.here();
                    self.patch(j, h);
                    self.emit(Instr::Swap);
                    self.emit(Instr::Pop);
                    let h = self.here();
                    self.patch(end, h);
                } else {
                    self.expr(&a.right)?;
                    self.emit(compound_op(op));
                    self.emit(Instr::SetProp(s));
                }
            }
            AssignmentTarget::PrivateFieldExpression(m) => {
                self.expr(&m.object)?;
                self.emit(Instr::Dup);
                let s = self.str_const(&format!("#{}", m.field.name));
                self.emit(Instr::GetProp(s));
                if logical {
                    let j = self.logical_jump(op);
                    self.emit(Instr::Pop);
                    self.expr(&a.right)?;
                    self.emit(Instr::SetProp(s));
                    let end = self.emit(Instr::Jump(0));
                    let h = self.here();
                    self.patch(j, h);
                    self.emit(Instr::Swap);
                    self.emit(Instr::Pop);
                    let h = self.here();
                    self.patch(end, h);
                } else {
                    self.expr(&a.right)?;
                    self.emit(compound_op(op));
                    self.emit(Instr::SetProp(s));
                }
            }
            AssignmentTarget::ComputedMemberExpression(m) => {
                self.expr(&m.object)?;
                self.expr(&m.expression)?;
                self.emit(Instr::Dup2);
                self.emit(Instr::GetElem);
                if logical {
                    let j = self.logical_jump(op);
                    self.emit(Instr::Pop);
                    self.expr(&a.right)?;
                    self.emit(Instr::SetElem);
                    let end = self.emit(Instr::Jump(0));
                    let h = self.here();
                    self.patch(j, h);
                    // obj key v -> v
                    self.emit(Instr::RotRight3);
                    self.emit(Instr::Pop);
                    self.emit(Instr::Pop);
                    let h = self.here();
                    self.patch(end, h);
                } else {
                    self.expr(&a.right)?;
                    self.emit(compound_op(op));
                    self.emit(Instr::SetElem);
                }
            }
            other => return self.unsupported("compound assignment target", other.span().start),
        }
        Ok(())
    }

    /// For logical assignment: jumps (keeping the current value) when no assignment happens.
    fn logical_jump(&mut self, op: AssignmentOperator) -> usize {
        match op {
            AssignmentOperator::LogicalAnd => self.emit(Instr::JumpIfFalseKeep(0)),
            AssignmentOperator::LogicalOr => self.emit(Instr::JumpIfTrueKeep(0)),
            _ => self.emit(Instr::JumpIfNotNullishKeep(0)),
        }
    }
}

fn compound_op(op: AssignmentOperator) -> Instr {
    match op {
        AssignmentOperator::Addition => Instr::Add,
        AssignmentOperator::Subtraction => Instr::Sub,
        AssignmentOperator::Multiplication => Instr::Mul,
        AssignmentOperator::Division => Instr::Div,
        AssignmentOperator::Remainder => Instr::Mod,
        AssignmentOperator::Exponential => Instr::Exp,
        AssignmentOperator::ShiftLeft => Instr::Shl,
        AssignmentOperator::ShiftRight => Instr::Shr,
        AssignmentOperator::ShiftRightZeroFill => Instr::UShr,
        AssignmentOperator::BitwiseOR => Instr::BitOr,
        AssignmentOperator::BitwiseXOR => Instr::BitXor,
        AssignmentOperator::BitwiseAnd => Instr::BitAnd,
        _ => Instr::Nop,
    }
}
