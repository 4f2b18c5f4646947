//! Unary operators (`typeof`, `delete`, `-`, `+`, `!`, `~`, `void`) and `++`/`--`.

use crate::bytecode::Instr;
use crate::compiler::{CResult, Compiler};
use oxc_ast::ast::*;
use oxc_span::GetSpan;
use oxc_syntax::operator::{UnaryOperator, UpdateOperator};

impl<'a> Compiler<'a> {
    pub(super) fn unary(&mut self, u: &'a UnaryExpression<'a>) -> CResult<()> {
        match u.operator {
            UnaryOperator::Typeof => {
                if let Expression::Identifier(id) = &u.argument {
                    if self.resolve(id.name.as_str()).is_none() && id.name.as_str() != "arguments" {
                        let s = self.str_const(id.name.as_str());
                        self.emit(Instr::TypeofGlobal(s));
                        return Ok(());
                    }
                }
                self.expr(&u.argument)?;
                self.emit(Instr::Typeof);
            }
            UnaryOperator::Delete => match &u.argument {
                Expression::StaticMemberExpression(m) => {
                    self.expr(&m.object)?;
                    let s = self.str_const(m.property.name.as_str());
                    self.emit(Instr::DeleteProp(s));
                }
                Expression::ComputedMemberExpression(m) => {
                    self.expr(&m.object)?;
                    self.expr(&m.expression)?;
                    self.emit(Instr::DeleteElem);
                }
                other => {
                    self.expr(other)?;
                    self.emit(Instr::Pop);
                    self.emit(Instr::True);
                }
            },
            op => {
                self.expr(&u.argument)?;
                let ins = match op {
                    UnaryOperator::UnaryNegation => Instr::Neg,
                    UnaryOperator::UnaryPlus => Instr::ToNumber,
                    UnaryOperator::LogicalNot => Instr::Not,
                    UnaryOperator::BitwiseNot => Instr::BitNot,
                    _ => {
                        // void
                        self.emit(Instr::Pop);
                        Instr::Undef
                    }
                };
                self.emit(ins);
            }
        }
        Ok(())
    }

    pub(super) fn update(&mut self, u: &'a UpdateExpression<'a>) -> CResult<()> {
        let inc = if u.operator == UpdateOperator::Increment {
            Instr::Inc
        } else {
            Instr::Dec
        };
        match &u.argument {
            SimpleAssignmentTarget::AssignmentTargetIdentifier(id) => {
                let name = id.name.as_str();
                self.load_name(name);
                self.emit(Instr::ToNumber);
                if u.prefix {
                    self.emit(inc);
                    self.store_name(name);
                } else {
                    self.emit(Instr::Dup);
                    self.emit(inc);
                    self.store_name(name);
                    self.emit(Instr::Pop);
                }
            }
            SimpleAssignmentTarget::StaticMemberExpression(m) => {
                self.expr(&m.object)?;
                self.emit(Instr::Dup);
                let s = self.str_const(m.property.name.as_str());
                self.emit(Instr::GetProp(s));
                self.emit(Instr::ToNumber);
                if u.prefix {
                    self.emit(inc);
                    self.emit(Instr::SetProp(s));
                } else {
                    // obj old -> old obj old+1
                    self.emit(Instr::Dup);
                    self.emit(Instr::RotRight3);
                    self.emit(inc);
                    self.emit(Instr::SetProp(s));
                    self.emit(Instr::Pop);
                }
            }
            SimpleAssignmentTarget::PrivateFieldExpression(m) => {
                self.expr(&m.object)?;
                self.emit(Instr::Dup);
                let s = self.str_const(&format!("#{}", m.field.name));
                self.emit(Instr::GetProp(s));
                self.emit(Instr::ToNumber);
                if u.prefix {
                    self.emit(inc);
                    self.emit(Instr::SetProp(s));
                } else {
                    // obj old -> old obj old+1
                    self.emit(Instr::Dup);
                    self.emit(Instr::RotRight3);
                    self.emit(inc);
                    self.emit(Instr::SetProp(s));
                    self.emit(Instr::Pop);
                }
            }
            SimpleAssignmentTarget::ComputedMemberExpression(m) => {
                self.expr(&m.object)?;
                self.expr(&m.expression)?;
                self.emit(Instr::Dup2);
                self.emit(Instr::GetElem);
                self.emit(Instr::ToNumber);
                if u.prefix {
                    self.emit(inc);
                    self.emit(Instr::SetElem);
                } else {
                    // obj key old -> old obj key old+1
                    self.emit(Instr::Dup);
                    self.emit(Instr::RotRight4);
                    self.emit(inc);
                    self.emit(Instr::SetElem);
                    self.emit(Instr::Pop);
                }
            }
            other => return self.unsupported("update target", other.span().start),
        }
        Ok(())
    }
}
