//! Calls and `new`: the callee and its `this` (member, private, `super` calls), arguments
//! (with spread), and the V8 naming of a callee that is not a function.

use crate::bytecode::{ErrorSite, Instr};
use crate::compiler::{call_text, CResult, Compiler};
use oxc_ast::ast::*;

impl<'a> Compiler<'a> {
    pub(super) fn call(
        &mut self,
        c: &'a CallExpression<'a>,
        mut chain: Option<&mut Vec<usize>>,
    ) -> CResult<()> {
        let callee = &c.callee;
        match callee {
            Expression::Super(_) => {
                let spread = self.args(&c.arguments)?;
                self.cur_span = c.span.start;
                if spread {
                    self.emit(Instr::SuperCallSpread);
                } else {
                    self.emit(Instr::SuperCall(c.arguments.len() as u16));
                }
                // initialise `this` (a second `super()` finds it bound) and run field
                // initialisers
                self.emit(Instr::Dup);
                if let Some((depth, slot, kind)) = self.resolve("this") {
                    let pc = self.emit(Instr::InitVar { depth, slot });
                    self.binding_site(pc, "this", kind);
                }
                self.emit_field_inits()?;
                return Ok(());
            }
            Expression::StaticMemberExpression(m) if matches!(m.object, Expression::Super(_)) => {
                self.load_name("this");
                let s = self.str_const(m.property.name.as_str());
                self.emit(Instr::GetSuper(s));
                self.load_name("this");
            }
            Expression::PrivateFieldExpression(p) => {
                self.expr(&p.object)?;
                self.emit(Instr::Dup);
                let s = self.str_const(&format!("#{}", p.field.name));
                self.emit(Instr::GetProp(s));
                self.emit(Instr::Swap);
            }
            Expression::StaticMemberExpression(_) | Expression::ComputedMemberExpression(_) => {
                let m = callee.as_member_expression().expect("member");
                let (object, optional) = match m {
                    MemberExpression::StaticMemberExpression(s) => (&s.object, s.optional),
                    MemberExpression::ComputedMemberExpression(s) => (&s.object, s.optional),
                    MemberExpression::PrivateFieldExpression(p) => {
                        return self.unsupported("private class members", p.span.start)
                    }
                };
                match chain.as_deref_mut() {
                    Some(j) => self.chain_object(object, j)?,
                    None => self.expr(object)?,
                }
                if optional {
                    if let Some(j) = chain.as_deref_mut() {
                        j.push(self.emit(Instr::JumpIfNullishUndef(0)));
                    }
                }
                self.emit(Instr::Dup);
                match m {
                    MemberExpression::StaticMemberExpression(s) => {
                        self.cur_span = s.property.span.start;
                        let i = self.str_const(s.property.name.as_str());
                        self.emit(Instr::GetProp(i));
                    }
                    MemberExpression::ComputedMemberExpression(s) => {
                        self.expr(&s.expression)?;
                        self.emit(Instr::GetElem);
                    }
                    MemberExpression::PrivateFieldExpression(_) => {}
                }
                self.emit(Instr::Swap);
            }
            other => {
                match chain.as_deref_mut() {
                    Some(j) => self.chain_object(other, j)?,
                    None => self.expr(other)?,
                }
                self.emit(Instr::Undef);
            }
        }
        if c.optional {
            // callee this -> if callee nullish: undefined
            self.emit(Instr::Swap);
            if let Some(j) = chain.as_mut() {
                // need to drop `this` when short-circuiting: use a small sequence
                let skip = self.emit(Instr::JumpIfNotNullishKeep(0));
                self.emit(Instr::Pop);
                self.emit(Instr::Undef);
                j.push(self.emit(Instr::Jump(0)));
                let h = self.here();
                self.patch(skip, h);
            }
            self.emit(Instr::Swap);
        }
        let spread = self.args(&c.arguments)?;
        self.cur_span = c.span.start;
        let pc = if spread {
            self.emit(Instr::CallSpread)
        } else {
            self.emit(Instr::Call(c.arguments.len() as u16))
        };
        if self.iterated_call == Some(c.span) {
            self.iterated_call = None;
            let (text, _) = call_text::iterable_text(callee, self.source);
            let text = self.str_const(&text);
            self.site(pc, ErrorSite::IteratedCallee(text));
        } else {
            let text = self.expr_text(callee);
            self.site(pc, ErrorSite::Callee(text));
        }
        Ok(())
    }

    pub(super) fn new_expression(&mut self, n: &'a NewExpression<'a>) -> CResult<()> {
        self.expr(&n.callee)?;
        let spread = self.args(&n.arguments)?;
        let pc = if spread {
            self.emit(Instr::NewSpread)
        } else {
            self.emit(Instr::New(n.arguments.len() as u16))
        };
        let text = self.expr_text(&n.callee);
        self.site(pc, ErrorSite::Callee(text));
        Ok(())
    }

    /// Pushes arguments; returns true when they were collected into one array (spread).
    fn args(&mut self, args: &'a [Argument<'a>]) -> CResult<bool> {
        let spread = args.iter().any(|a| matches!(a, Argument::SpreadElement(_)));
        if spread {
            // V8 calls with one final spread argument directly (CallWithSpread); any other
            // spread is built into an array first, which describes a bad value by value
            let direct = args.iter().filter(|a| a.is_spread()).count() == 1
                && args.last().is_some_and(|a| a.is_spread());
            self.emit(Instr::NewArray);
            for a in args {
                match a {
                    Argument::SpreadElement(s) => {
                        self.expr(&s.argument)?;
                        let (callee, call) = call_text::iterable_text(&s.argument, self.source);
                        if direct {
                            let text = self.expr_text(&s.argument);
                            let pc = self.emit(Instr::GetIterator);
                            self.site(pc, ErrorSite::SpreadArgument(text));
                        } else if call {
                            let text = self.str_const(&callee);
                            let pc = self.emit(Instr::GetIterator);
                            self.site(pc, ErrorSite::IterableCallResult(text));
                        } else {
                            self.emit_get_iterator_value();
                        }
                        self.emit(Instr::ArraySpread);
                    }
                    other => {
                        self.expr(other.as_expression().expect("expr"))?;
                        self.emit(Instr::ArrayPush);
                    }
                }
            }
        } else {
            for a in args {
                self.expr(a.as_expression().expect("expr"))?;
            }
        }
        Ok(spread)
    }
}
