//! Declarations and destructuring: `var`/`let`/`const` declarators, binding patterns
//! (object, array, defaults, rest) and assignment targets (including destructuring
//! assignment), with the V8 wording of destructuring errors.

use super::{call_text, CResult, Compiler};
use crate::bytecode::{ErrorSite, Instr, Subject};
use oxc_ast::ast::*;
use oxc_span::GetSpan;

impl<'a> Compiler<'a> {
    pub(super) fn var_decl(&mut self, d: &'a VariableDeclaration<'a>) -> CResult<()> {
        if matches!(
            d.kind,
            VariableDeclarationKind::Using | VariableDeclarationKind::AwaitUsing
        ) {
            return self.unsupported("using declarations", d.span.start);
        }
        for decl in &d.declarations {
            self.cur_span = decl.span.start;
            match &decl.init {
                Some(init) => {
                    let hint = match &decl.id {
                        BindingPattern::BindingIdentifier(id) => id.name.as_str(),
                        _ => "",
                    };
                    let outer = match &decl.id {
                        BindingPattern::ArrayPattern(_) => self.mark_iterated(init),
                        _ => self.iterated_call.take(),
                    };
                    self.expr_named(init, hint)?;
                    self.iterated_call = outer;
                    if let BindingPattern::ArrayPattern(a) = &decl.id {
                        // V8 names the initializer only when its AST position is its start
                        self.cur_span = decl.span.start;
                        if call_text::starts_at_own_position(init) {
                            self.emit_get_iterator_of(init);
                        } else {
                            self.emit_get_iterator_value();
                        }
                        self.bind_array_elements(a, true)?;
                        continue;
                    }
                    self.pattern_subject = Some(self.init_subject(init));
                }
                None => {
                    if d.kind == VariableDeclarationKind::Var {
                        continue;
                    }
                    self.emit(Instr::Undef);
                }
            }
            self.bind_pattern(&decl.id, true)?;
        }
        Ok(())
    }

    /// Binds the value on top of the stack to a pattern (pops it). `init` = declaration.
    pub(super) fn bind_pattern(&mut self, p: &'a BindingPattern<'a>, init: bool) -> CResult<()> {
        let subject = self.pattern_subject.take();
        match p {
            BindingPattern::BindingIdentifier(id) => {
                if init {
                    self.init_name(id.name.as_str());
                } else {
                    self.store_name(id.name.as_str());
                    self.emit(Instr::Pop);
                }
            }
            BindingPattern::AssignmentPattern(a) => {
                self.default_value(&a.right, &a.left)?;
                self.pattern_subject = subject;
                self.bind_pattern(&a.left, init)?;
            }
            BindingPattern::ObjectPattern(o) => {
                // V8 checks the value up front only when the first property cannot do it
                let first = o.properties.first();
                if first.is_none_or(|p| p.computed) {
                    let pc = self.emit(Instr::RequireObjectCoercible);
                    self.site(
                        pc,
                        ErrorSite::Destructure(subject.unwrap_or(Subject::TypedValue)),
                    );
                }
                for (i, prop) in o.properties.iter().enumerate() {
                    self.emit(Instr::Dup);
                    self.prop_key_get(&prop.key, prop.computed)?;
                    // the first read names the destructured value, unless it has a default
                    if let (0, Some(subject)) = (i, subject) {
                        if !prop.computed
                            && !matches!(prop.value, BindingPattern::AssignmentPattern(_))
                        {
                            let pc = self.here() - 1;
                            self.site(pc, ErrorSite::Destructure(subject));
                        }
                    }
                    self.bind_pattern(&prop.value, init)?;
                }
                if let Some(rest) = &o.rest {
                    self.emit(Instr::NewArray);
                    for prop in &o.properties {
                        self.prop_key_value(&prop.key, prop.computed)?;
                        self.emit(Instr::ArrayPush);
                    }
                    self.emit(Instr::ObjectRest);
                    self.bind_pattern(&rest.argument, init)?;
                } else {
                    self.emit(Instr::Pop);
                }
            }
            BindingPattern::ArrayPattern(a) => {
                self.emit_get_iterator_value();
                self.bind_array_elements(a, init)?;
            }
        }
        Ok(())
    }

    /// Binds the elements of an array pattern from the iterator (and next) on the stack.
    pub(super) fn bind_array_elements(
        &mut self,
        a: &'a ArrayPattern<'a>,
        init: bool,
    ) -> CResult<()> {
        for el in &a.elements {
            // iter next
            self.emit(Instr::Dup2);
            self.emit(Instr::IterCall);
            self.emit(Instr::IterValue);
            match el {
                Some(p) => self.bind_pattern(p, init)?,
                None => {
                    self.emit(Instr::Pop);
                }
            }
        }
        if let Some(rest) = &a.rest {
            self.emit(Instr::NewArray);
            // iter next arr  -> spread remaining: use ArraySpread on the iterator pair
            self.emit(Instr::RotRight3);
            // arr iter next
            self.emit(Instr::ArraySpread);
            self.bind_pattern(&rest.argument, init)?;
        } else {
            // IteratorClose (also after an exhausted iterator: `done` is not tracked)
            self.emit_iter_close(false);
        }
        Ok(())
    }

    /// v -> v-or-default (when v is undefined, evaluates `default`)
    pub(super) fn default_value(
        &mut self,
        default: &'a Expression<'a>,
        target: &'a BindingPattern<'a>,
    ) -> CResult<()> {
        self.emit(Instr::Dup);
        self.emit(Instr::Undef);
        self.emit(Instr::StrictEq);
        let jf = self.emit(Instr::JumpIfFalse(0));
        self.emit(Instr::Pop);
        let hint = match target {
            BindingPattern::BindingIdentifier(id) => id.name.as_str(),
            _ => "",
        };
        self.expr_named(default, hint)?;
        let h = self.here();
        self.patch(jf, h);
        Ok(())
    }

    /// Assigns the value on top of the stack to a target (keeps the value).
    pub(super) fn assign_to_target(&mut self, t: &'a AssignmentTarget<'a>) -> CResult<()> {
        let subject = self.pattern_subject.take();
        match t {
            AssignmentTarget::AssignmentTargetIdentifier(id) => self.store_name(id.name.as_str()),
            AssignmentTarget::StaticMemberExpression(m) => {
                self.expr(&m.object)?;
                self.emit(Instr::Swap);
                let s = self.str_const(m.property.name.as_str());
                self.emit(Instr::SetProp(s));
            }
            AssignmentTarget::PrivateFieldExpression(m) => {
                self.expr(&m.object)?;
                self.emit(Instr::Swap);
                let s = self.str_const(&format!("#{}", m.field.name));
                self.emit(Instr::SetProp(s));
            }
            AssignmentTarget::ComputedMemberExpression(m) => {
                self.expr(&m.object)?;
                self.expr(&m.expression)?;
                // v obj key -> obj key v
                self.emit(Instr::RotRight3);
                self.emit(Instr::RotRight3);
                self.emit(Instr::SetElem);
            }
            AssignmentTarget::ArrayAssignmentTarget(a) => {
                self.emit(Instr::Dup);
                self.emit_get_iterator_value();
                for el in &a.elements {
                    self.emit(Instr::Dup2);
                    self.emit(Instr::IterCall);
                    self.emit(Instr::IterValue);
                    match el {
                        Some(t) => self.assign_maybe_default(t)?,
                        None => {
                            self.emit(Instr::Pop);
                        }
                    }
                }
                if let Some(rest) = &a.rest {
                    self.emit(Instr::NewArray);
                    self.emit(Instr::RotRight3);
                    self.emit(Instr::ArraySpread);
                    self.assign_to_target(&rest.target)?;
                    self.emit(Instr::Pop);
                } else {
                    // IteratorClose (also after an exhausted iterator: `done` is not tracked)
                    self.emit_iter_close(false);
                }
            }
            AssignmentTarget::ObjectAssignmentTarget(o) => {
                // as for binding patterns: the first property's read does V8's check
                let first_computed = match o.properties.first() {
                    None => true,
                    Some(AssignmentTargetProperty::AssignmentTargetPropertyProperty(pp)) => {
                        pp.computed
                    }
                    Some(_) => false,
                };
                if first_computed {
                    let pc = self.emit(Instr::RequireObjectCoercible);
                    self.site(
                        pc,
                        ErrorSite::Destructure(subject.unwrap_or(Subject::TypedValue)),
                    );
                }
                for (i, p) in o.properties.iter().enumerate() {
                    self.emit(Instr::Dup);
                    let names_subject = if i == 0 { subject } else { None };
                    match p {
                        AssignmentTargetProperty::AssignmentTargetPropertyIdentifier(id) => {
                            let s = self.str_const(id.binding.name.as_str());
                            let pc = self.emit(Instr::GetProp(s));
                            if let (Some(subject), None) = (names_subject, &id.init) {
                                self.site(pc, ErrorSite::Destructure(subject));
                            }
                            if let Some(init) = &id.init {
                                self.emit(Instr::Dup);
                                self.emit(Instr::Undef);
                                self.emit(Instr::StrictEq);
                                let jf = self.emit(Instr::JumpIfFalse(0));
                                self.emit(Instr::Pop);
                                self.expr(init)?;
                                let h = self.here();
                                self.patch(jf, h);
                            }
                            self.store_name(id.binding.name.as_str());
                            self.emit(Instr::Pop);
                        }
                        AssignmentTargetProperty::AssignmentTargetPropertyProperty(pp) => {
                            self.prop_key_get(&pp.name, pp.computed)?;
                            if let Some(subject) = names_subject {
                                let defaulted = matches!(
                                    pp.binding,
                                    AssignmentTargetMaybeDefault::AssignmentTargetWithDefault(_)
                                );
                                if !pp.computed && !defaulted {
                                    let pc = self.here() - 1;
                                    self.site(pc, ErrorSite::Destructure(subject));
                                }
                            }
                            self.assign_maybe_default(&pp.binding)?;
                        }
                    }
                }
                if let Some(rest) = &o.rest {
                    self.emit(Instr::Dup);
                    self.emit(Instr::NewArray);
                    for p in &o.properties {
                        match p {
                            AssignmentTargetProperty::AssignmentTargetPropertyIdentifier(id) => {
                                let s = self.str_const(id.binding.name.as_str());
                                self.emit(Instr::Str(s));
                            }
                            AssignmentTargetProperty::AssignmentTargetPropertyProperty(pp) => {
                                self.prop_key_value(&pp.name, pp.computed)?;
                            }
                        }
                        self.emit(Instr::ArrayPush);
                    }
                    self.emit(Instr::ObjectRest);
                    self.assign_to_target(&rest.target)?;
                    self.emit(Instr::Pop);
                }
            }
            other => return self.unsupported("assignment target", other.span().start),
        }
        Ok(())
    }

    /// Assigns top of stack to a maybe-default target and pops it.
    fn assign_maybe_default(&mut self, t: &'a AssignmentTargetMaybeDefault<'a>) -> CResult<()> {
        match t {
            AssignmentTargetMaybeDefault::AssignmentTargetWithDefault(d) => {
                self.emit(Instr::Dup);
                self.emit(Instr::Undef);
                self.emit(Instr::StrictEq);
                let jf = self.emit(Instr::JumpIfFalse(0));
                self.emit(Instr::Pop);
                self.expr(&d.init)?;
                let h = self.here();
                self.patch(jf, h);
                self.assign_to_target(&d.binding)?;
            }
            other => {
                let t = other.as_assignment_target().expect("target");
                self.assign_to_target(t)?;
            }
        }
        self.emit(Instr::Pop);
        Ok(())
    }
}
