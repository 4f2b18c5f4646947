//! Classes: the constructor (explicit or default, base or derived), instance field
//! initialisers, methods and accessors, and static fields.

use super::scope::BindingKind;
use super::{CResult, Compiler};
use crate::bytecode::{FuncFlavor, Instr};
use oxc_ast::ast::*;

/// Instance field initialisers of the class whose constructor is being compiled.
#[derive(Clone)]
pub(super) struct FieldInit<'a> {
    key: &'a PropertyKey<'a>,
    value: Option<&'a Expression<'a>>,
}

impl<'a> Compiler<'a> {
    pub(super) fn class(&mut self, c: &'a Class<'a>, name: &str) -> CResult<()> {
        self.force_strict += 1;
        let r = self.class_inner(c, name);
        self.force_strict -= 1;
        r
    }

    fn class_inner(&mut self, c: &'a Class<'a>, name: &str) -> CResult<()> {
        let derived = c.heritage.is_some();
        if let Some(sc) = &c.heritage {
            self.expr(&sc.expression)?;
        }
        let mut ctor: Option<&'a Function<'a>> = None;
        let mut fields = vec![];
        for el in &c.body.body {
            match el {
                ClassElement::MethodDefinition(m)
                    if m.kind == MethodDefinitionKind::Constructor =>
                {
                    ctor = Some(&m.value)
                }
                ClassElement::PropertyDefinition(p) if !p.r#static => fields.push(FieldInit {
                    key: &p.key,
                    value: p.value.as_ref(),
                }),
                ClassElement::AccessorProperty(a) => {
                    return self.unsupported("accessor properties", a.span.start)
                }
                ClassElement::TSIndexSignature(a) => {
                    return self.unsupported("TypeScript", a.span.start)
                }
                _ => {}
            }
        }
        // constructor
        let flavor = FuncFlavor::ClassConstructor { derived };
        let idx = self.new_function_slot(name, flavor, false, false, c.span.start);
        self.fn_end.push(c.span.end);
        self.program.functions[idx].is_class = true;
        self.program.functions[idx].has_super_class = derived;
        self.begin_fn(idx, flavor);
        self.cur().fields = fields;
        let this_slot = self.declare("this", BindingKind::This);
        self.cur().code.this_slot = Some(this_slot as u16);
        match ctor {
            Some(f) => {
                self.params(&f.params)?;
                if !derived {
                    self.emit_field_inits()?;
                }
                if let Some(body) = &f.body {
                    self.hoist_body(&body.statements)?;
                    for s in &body.statements {
                        self.stmt(s)?;
                    }
                }
            }
            None => {
                if derived {
                    self.emit(Instr::RestArgs(0));
                    self.emit(Instr::SuperCallSpread);
                    if let Some((depth, slot, _)) = self.resolve("this") {
                        self.emit(Instr::InitVar { depth, slot });
                    } else {
                        self.emit(Instr::Pop);
                    }
                    self.emit_field_inits()?;
                } else {
                    self.emit_field_inits()?;
                }
            }
        }
        self.load_name("this");
        self.emit(Instr::Return);
        self.end_fn(idx);
        self.emit(Instr::Closure(idx as u32));
        self.emit(Instr::MakeClass { has_super: derived });
        // stack: ctor proto
        for el in &c.body.body {
            match el {
                ClassElement::MethodDefinition(m)
                    if m.kind != MethodDefinitionKind::Constructor =>
                {
                    if m.r#static {
                        self.emit(Instr::Swap);
                    }
                    self.prop_key_value(&m.key, m.computed)?;
                    let mname = Self::static_key_name(&m.key, m.computed).unwrap_or_default();
                    self.method_text_start = Some(self.skip_static(m.span.start, m.r#static));
                    self.function(&m.value, &mname, FuncFlavor::Method)?;
                    let kind = match m.kind {
                        MethodDefinitionKind::Get => 1,
                        MethodDefinitionKind::Set => 2,
                        _ => 0,
                    };
                    self.emit(Instr::DefineMethod {
                        kind,
                        enumerable: false,
                    });
                    if m.r#static {
                        self.emit(Instr::Swap);
                    }
                }
                _ => {}
            }
        }
        self.emit(Instr::Pop);
        for el in &c.body.body {
            match el {
                ClassElement::PropertyDefinition(p) if p.r#static => {
                    self.prop_key_value(&p.key, p.computed)?;
                    match &p.value {
                        Some(v) => self.expr(v)?,
                        None => {
                            self.emit(Instr::Undef);
                        }
                    }
                    self.emit(Instr::DefineField);
                }
                ClassElement::StaticBlock(b) => {
                    return self.unsupported("static blocks", b.span.start)
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn emit_field_inits(&mut self) -> CResult<()> {
        let fields = self.cur().fields.clone();
        for f in fields {
            self.load_name("this");
            self.prop_key_value(f.key, false)?;
            match f.value {
                Some(v) => {
                    let hint = Self::static_key_name(f.key, false).unwrap_or_default();
                    self.expr_named(v, &hint)?
                }
                None => {
                    self.emit(Instr::Undef);
                }
            }
            self.emit(Instr::DefineField);
            self.emit(Instr::Pop);
        }
        Ok(())
    }

    /// The offset after a class member's `static` keyword (V8's method text leaves it out).
    fn skip_static(&self, start: u32, is_static: bool) -> u32 {
        let rest = self.source.get(start as usize..).unwrap_or("");
        match rest.strip_prefix("static") {
            Some(after) if is_static => {
                let skipped = rest.len() - after.trim_start().len();
                start + skipped as u32
            }
            _ => start,
        }
    }
}
