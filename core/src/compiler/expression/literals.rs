//! Literals that build values: template literals, array literals (with spread), object
//! literals (properties, methods, accessors, spread) and regular expressions.

use crate::bytecode::{FuncFlavor, Instr};
use crate::compiler::{js_str, CResult, Compiler};
use oxc_ast::ast::*;

impl<'a> Compiler<'a> {
    pub(super) fn template_literal(&mut self, t: &'a TemplateLiteral<'a>) -> CResult<()> {
        let first = t.quasis[0]
            .value
            .cooked
            .as_ref()
            .map(js_str)
            .unwrap_or_default();
        let i = self.str_const(&first);
        self.emit(Instr::Str(i));
        for (k, ex) in t.expressions.iter().enumerate() {
            self.expr(ex)?;
            self.emit(Instr::ToStringValue);
            self.emit(Instr::Add);
            let q = t.quasis[k + 1]
                .value
                .cooked
                .as_ref()
                .map(js_str)
                .unwrap_or_default();
            if !q.is_empty() {
                let i = self.str_const(&q);
                self.emit(Instr::Str(i));
                self.emit(Instr::Add);
            }
        }
        Ok(())
    }

    pub(super) fn array_literal(&mut self, a: &'a ArrayExpression<'a>) -> CResult<()> {
        self.emit(Instr::NewArray);
        for el in &a.elements {
            match el {
                ArrayExpressionElement::SpreadElement(s) => {
                    self.iterated_expr(&s.argument)?;
                    self.emit_get_iterator_of(&s.argument);
                    self.emit(Instr::ArraySpread);
                }
                ArrayExpressionElement::Elision(_) => {
                    self.emit(Instr::ArrayHole);
                }
                other => {
                    self.expr(other.as_expression().expect("expr"))?;
                    self.emit(Instr::ArrayPush);
                }
            }
        }
        Ok(())
    }

    pub(super) fn object_literal(&mut self, o: &'a ObjectExpression<'a>) -> CResult<()> {
        self.emit(Instr::NewObject);
        for p in &o.properties {
            match p {
                ObjectPropertyKind::SpreadProperty(s) => {
                    self.expr(&s.argument)?;
                    self.emit(Instr::CopyDataProps);
                }
                ObjectPropertyKind::ObjectProperty(p) => {
                    let name = Self::static_key_name(&p.key, p.computed);
                    match p.kind {
                        PropertyKind::Init if !p.method => {
                            if let (Some(n), false) = (&name, p.computed) {
                                if n == "__proto__" && !p.shorthand {
                                    return self
                                        .unsupported("__proto__ in object literals", p.span.start);
                                }
                                self.expr_named(&p.value, n)?;
                                let s = self.str_const(n);
                                self.emit(Instr::DefineNamed(s));
                            } else {
                                self.prop_key_value(&p.key, p.computed)?;
                                self.expr(&p.value)?;
                                self.emit(Instr::DefineField);
                            }
                        }
                        _ => {
                            self.prop_key_value(&p.key, p.computed)?;
                            let n = name.unwrap_or_default();
                            match &p.value {
                                Expression::FunctionExpression(f) => {
                                    self.method_text_start = Some(p.span.start);
                                    self.function(f, &n, FuncFlavor::Method)?
                                }
                                other => self.expr(other)?,
                            }
                            let kind = match p.kind {
                                PropertyKind::Get => 1,
                                PropertyKind::Set => 2,
                                PropertyKind::Init => 0,
                            };
                            self.emit(Instr::DefineMethod {
                                kind,
                                enumerable: true,
                            });
                        }
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn regexp_literal(&mut self, r: &'a RegExpLiteral<'a>) -> CResult<()> {
        // each evaluation creates a new RegExp: %RegExpCreate%(pattern, flags)
        let f = self.str_const("%RegExpCreate%");
        self.emit(Instr::GetGlobal(f));
        self.emit(Instr::Undef);
        let p = self.str_const(r.regex.pattern.text.as_str());
        self.emit(Instr::Str(p));
        let fl = self.str_const(&r.regex.flags.to_string());
        self.emit(Instr::Str(fl));
        self.emit(Instr::Call(2));
        Ok(())
    }
}
