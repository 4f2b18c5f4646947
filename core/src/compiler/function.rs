//! Functions and arrow functions: a new `FunctionCode` slot, parameters (defaults, patterns,
//! rest), the body, and the `Closure` that creates the function at run time.

use super::scope::{pattern_names, BindingKind};
use super::{CResult, Compiler};
use crate::bytecode::{FuncFlavor, FunctionCode, Instr, Subject};
use oxc_ast::ast::*;
use oxc_span::GetSpan;

impl<'a> Compiler<'a> {
    pub(super) fn new_function_slot(
        &mut self,
        name: &str,
        flavor: FuncFlavor,
        is_async: bool,
        is_generator: bool,
        start: u32,
    ) -> usize {
        self.program.functions.push(FunctionCode {
            name: name.to_string(),
            flavor,
            is_async,
            is_generator,
            param_count: 0,
            env_size: 0,
            this_slot: None,
            self_slot: None,
            code: vec![],
            spans: vec![],
            start,
            end: 0,
            is_class: false,
            has_super_class: false,
            internal: self.internal,
            file: self.file,
            reuse_env: false,
            stmts: vec![],
            slot_names: vec![],
            block_envs: vec![],
            strict: false,
            error_sites: vec![],
        });
        self.program.functions.len() - 1
    }

    pub(super) fn params(&mut self, params: &'a FormalParameters<'a>) -> CResult<()> {
        let mut count = 0u16;
        let mut seen_default = false;
        for (i, p) in params.items.iter().enumerate() {
            let mut names = Vec::new();
            pattern_names(&p.pattern, &mut names);
            for n in names {
                self.declare(n, BindingKind::Var);
            }
            self.emit(Instr::Arg(i as u16));
            let has_default = p.initializer.is_some()
                || matches!(p.pattern, BindingPattern::AssignmentPattern(_));
            if let Some(init) = &p.initializer {
                seen_default = true;
                self.default_value(init, &p.pattern)?;
            } else if !seen_default && !has_default {
                count += 1;
            } else {
                seen_default = true;
            }
            // V8 names a parameter's value by the value, or by its desugared default
            // (`param === undefined ? init : param`, three unprinted parts)
            self.pattern_subject = Some(if has_default {
                Subject::Text(self.str_const(&"(intermediate value)".repeat(3)))
            } else {
                Subject::TypedValue
            });
            self.bind_pattern(&p.pattern, true)?;
        }
        if let Some(rest) = &params.rest {
            let mut names = Vec::new();
            pattern_names(&rest.rest.argument, &mut names);
            for n in names {
                self.declare(n, BindingKind::Var);
            }
            self.emit(Instr::RestArgs(params.items.len() as u16));
            self.bind_pattern(&rest.rest.argument, true)?;
        }
        self.cur().code.param_count = count;
        Ok(())
    }

    /// Compiles a function and emits `Closure` for it.
    pub(super) fn function(
        &mut self,
        f: &'a Function<'a>,
        name: &str,
        flavor: FuncFlavor,
    ) -> CResult<()> {
        let start = self.method_text_start.take().unwrap_or(f.span.start);
        let idx = self.new_function_slot(name, flavor, f.r#async, f.generator, start);
        self.fn_end.push(f.span.end);
        self.begin_fn(idx, flavor);
        if f.body.as_ref().is_some_and(|b| {
            b.directives
                .iter()
                .any(|d| d.directive.as_str() == "use strict")
        }) {
            self.cur().code.strict = true;
        }
        let this_slot = self.declare("this", BindingKind::This);
        self.cur().code.this_slot = Some(this_slot as u16);
        if let Some(id) = &f.id {
            if flavor == FuncFlavor::Normal && f.r#type == FunctionType::FunctionExpression {
                let s = self.declare(id.name.as_str(), BindingKind::Var);
                self.cur().code.self_slot = Some(s as u16);
            }
        }
        self.params(&f.params)?;
        if let Some(body) = &f.body {
            self.hoist_body(&body.statements)?;
            for s in &body.statements {
                self.stmt(s)?;
            }
        }
        self.emit(Instr::Undef);
        self.emit(Instr::Return);
        self.end_fn(idx);
        self.emit(Instr::Closure(idx as u32));
        Ok(())
    }

    pub(super) fn arrow(&mut self, a: &'a ArrowFunctionExpression<'a>, name: &str) -> CResult<()> {
        let idx = self.new_function_slot(name, FuncFlavor::Arrow, a.r#async, false, a.span.start);
        self.fn_end.push(a.span.end);
        self.begin_fn(idx, FuncFlavor::Arrow);
        if let ArrowFunctionBody::FunctionBody(body) = &a.body {
            if body
                .directives
                .iter()
                .any(|d| d.directive.as_str() == "use strict")
            {
                self.cur().code.strict = true;
            }
        }
        self.params(&a.params)?;
        match &a.body {
            ArrowFunctionBody::FunctionBody(body) => {
                self.hoist_body(&body.statements)?;
                for s in &body.statements {
                    self.stmt(s)?;
                }
                self.emit(Instr::Undef);
                self.emit(Instr::Return);
            }
            other => {
                let e = other.as_expression().expect("arrow expression body");
                let (pc, sp) = (self.here() as u32, e.span());
                self.cur().code.stmts.push((pc, sp.start, sp.end));
                self.expr(e)?;
                self.emit(Instr::Return);
            }
        }
        self.end_fn(idx);
        self.emit(Instr::Closure(idx as u32));
        Ok(())
    }
}
