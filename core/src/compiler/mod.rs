//! The compiler: walks the oxc AST and emits [`crate::bytecode::Instr`] for each function.
//!
//! Names are resolved at compile time to (environment depth, slot) pairs; names not found in
//! any enclosing scope are globals. Constructs outside the supported subset produce an
//! `unsupported: <feature>` diagnostic before anything runs.

mod bindings;
mod call_text;
mod class;
mod function;
mod iteration;
mod jump_control;
mod pattern;
mod property_key;
mod scope;
mod statement;

use crate::bytecode::{ErrorSite, FuncFlavor, FunctionCode, Instr, Program, Subject};
use class::FieldInit;
use jump_control::Control;
use oxc_ast::ast::*;
use oxc_span::GetSpan;
use oxc_syntax::operator::{
    AssignmentOperator, BinaryOperator, LogicalOperator, UnaryOperator, UpdateOperator,
};
use scope::{BindingKind, Scope};
use std::collections::HashMap;

/// A compile-time failure: an unsupported construct or an early error.
#[derive(Debug, Clone)]
pub struct CompileError {
    pub message: String,
    pub offset: u32,
}

type CResult<T> = Result<T, CompileError>;

struct FnState<'a> {
    code: FunctionCode,
    scopes: Vec<Scope>,
    controls: Vec<Control<'a>>,
    fields: Vec<FieldInit<'a>>,
    pending_labels: Vec<String>,
}

/// Compiles a whole script (CommonJS module body) into a [`Program`].
pub struct Compiler<'a> {
    program: Program,
    string_ids: HashMap<String, u32>,
    fns: Vec<FnState<'a>>,
    cur_span: u32,
    internal: bool,
    source: &'a str,
    /// End offsets of the functions being compiled (for `Function.prototype.toString`).
    fn_end: Vec<u32>,
    /// Where the next compiled function's source text starts, when that is before its own
    /// span: a method's text starts at its key (`get x() {…}`, `async *g() {…}`), as V8's
    /// `Function.prototype.toString` shows it.
    method_text_start: Option<u32>,
    /// > 0 while compiling class bodies (always strict).
    force_strict: u32,
    /// What destructuring errors call the value the next top-level pattern destructures
    /// (taken by that pattern; nested patterns see None).
    pattern_subject: Option<Subject>,
    /// The call whose result is iterated at once (for-of subject, array spread, array
    /// pattern): V8 words its not-a-function error for an iterable.
    iterated_call: Option<oxc_span::Span>,
}

/// The names the CommonJS wrapper passes to the module function, in order.
pub const MODULE_PARAMS: [&str; 5] = ["exports", "require", "module", "__filename", "__dirname"];

impl<'a> Compiler<'a> {
    /// Compiles the user's script (function 0) and, optionally, the host prelude.
    pub fn compile_script(
        prog: &'a oxc_ast::ast::Program<'a>,
        prelude: Option<&'a oxc_ast::ast::Program<'a>>,
    ) -> CResult<Program> {
        let mut c = Compiler {
            program: Program::default(),
            string_ids: HashMap::new(),
            fns: vec![],
            cur_span: 0,
            internal: false,
            source: "",
            fn_end: vec![],
            method_text_start: None,
            force_strict: 0,
            pattern_subject: None,
            iterated_call: None,
        };
        c.script_body(prog)?;
        if let Some(p) = prelude {
            c.internal = true;
            let at = c.program.functions.len();
            c.program.prelude = Some(at as u32);
            c.script_body(p)?;
        }
        Ok(c.program)
    }

    fn script_body(&mut self, prog: &'a oxc_ast::ast::Program<'a>) -> CResult<()> {
        let c = self;
        c.source = prog.source_text;
        let index = c.program.functions.len();
        c.program.functions.push(FunctionCode {
            name: String::new(),
            flavor: FuncFlavor::Script,
            is_async: false,
            is_generator: false,
            param_count: 5,
            env_size: 0,
            this_slot: None,
            self_slot: None,
            code: vec![],
            spans: vec![],
            start: 0,
            end: 0,
            is_class: false,
            has_super_class: false,
            internal: c.internal,
            reuse_env: false,
            stmts: vec![],
            slot_names: vec![],
            block_envs: vec![],
            strict: false,
            error_sites: vec![],
        });
        c.begin_fn(index, FuncFlavor::Script);
        if prog
            .directives
            .iter()
            .any(|d| d.directive.as_str() == "use strict")
        {
            c.cur().code.strict = true;
        }
        let this_slot = c.declare("this", BindingKind::This);
        c.cur().code.this_slot = Some(this_slot as u16);
        for (i, p) in MODULE_PARAMS.iter().enumerate() {
            let slot = c.declare(p, BindingKind::Var);
            c.emit(Instr::Arg(i as u16));
            c.emit(Instr::InitVar {
                depth: 0,
                slot: slot as u16,
            });
        }
        c.hoist_body(&prog.body)?;
        for s in &prog.body {
            c.stmt(s)?;
        }
        c.emit(Instr::Undef);
        c.emit(Instr::Return);
        c.end_fn(index);
        Ok(())
    }

    fn cur(&mut self) -> &mut FnState<'a> {
        self.fns.last_mut().expect("function state")
    }

    fn emit(&mut self, i: Instr) -> usize {
        let span = self.cur_span;
        let f = &mut self.cur().code;
        f.code.push(i);
        f.spans.push(span);
        f.code.len() - 1
    }

    fn here(&mut self) -> usize {
        self.cur().code.code.len()
    }

    fn patch(&mut self, at: usize, target: usize) {
        let t = target as u32;
        let code = &mut self.cur().code.code;
        code[at] = match code[at] {
            Instr::Jump(_) => Instr::Jump(t),
            Instr::JumpIfFalse(_) => Instr::JumpIfFalse(t),
            Instr::JumpIfTrue(_) => Instr::JumpIfTrue(t),
            Instr::JumpIfFalseKeep(_) => Instr::JumpIfFalseKeep(t),
            Instr::JumpIfTrueKeep(_) => Instr::JumpIfTrueKeep(t),
            Instr::JumpIfNotNullishKeep(_) => Instr::JumpIfNotNullishKeep(t),
            Instr::JumpIfNullishUndef(_) => Instr::JumpIfNullishUndef(t),
            Instr::PushHandler(_) => Instr::PushHandler(t),
            Instr::ForInNext(_) => Instr::ForInNext(t),
            ref other => other.clone(),
        };
    }

    fn in_async_generator(&mut self) -> bool {
        let c = &self.cur().code;
        c.is_async && c.is_generator
    }

    /// `await` of the value on the stack. In an async generator (compiled as a sync
    /// generator) it yields `%AsyncGeneratorAwait%(v)`, a marker the prelude's driver awaits.
    fn emit_await(&mut self) {
        if self.in_async_generator() {
            let s = self.str_const("%AsyncGeneratorAwait%");
            self.emit(Instr::GetGlobal(s));
            self.emit(Instr::Swap);
            self.emit(Instr::Undef);
            self.emit(Instr::Swap);
            self.emit(Instr::Call(1));
            self.emit(Instr::Yield);
        } else {
            self.emit(Instr::Await);
        }
    }

    /// Records how the instruction at `pc` names its operand in error messages.
    fn site(&mut self, pc: usize, site: ErrorSite) {
        self.cur().code.error_sites.push((pc as u32, site));
    }

    /// The expression as V8 prints it in error messages, as a string constant.
    fn expr_text(&mut self, e: &Expression<'_>) -> u32 {
        let t = call_text::expression_text(e, self.source);
        self.str_const(&t)
    }

    /// What destructuring errors call the value of a declaration's or assignment's
    /// initializer.
    fn init_subject(&mut self, init: &Expression<'_>) -> Subject {
        Subject::Text(self.expr_text(init))
    }

    fn str_const(&mut self, s: &str) -> u32 {
        if let Some(i) = self.string_ids.get(s) {
            return *i;
        }
        let i = self.program.strings.len() as u32;
        self.program.strings.push(s.to_string());
        self.string_ids.insert(s.to_string(), i);
        i
    }

    fn unsupported<T>(&self, what: &str, offset: u32) -> CResult<T> {
        Err(CompileError {
            message: format!("unsupported: {what}"),
            offset,
        })
    }

    fn begin_fn(&mut self, index: usize, flavor: FuncFlavor) {
        let mut code = self.program.functions[index].clone();
        code.strict = self.force_strict > 0 || self.fns.last().is_some_and(|f| f.code.strict);
        let _ = flavor;
        self.fns.push(FnState {
            code,
            scopes: vec![Scope::default()],
            controls: vec![],
            fields: vec![],
            pending_labels: vec![],
        });
    }

    fn end_fn(&mut self, index: usize) {
        let st = self.fns.pop().expect("fn");
        let mut code = st.code;
        if code.flavor != FuncFlavor::Script {
            // Only a closure created in this function (its own `Closure` instructions, blocks
            // included) can capture the function's environment.
            code.reuse_env = !code.code.iter().any(|i| matches!(i, Instr::Closure(_)));
            code.end = self.fn_end.pop().unwrap_or(code.start);
        }
        code.env_size = st.scopes[0].names.len() as u16;
        code.slot_names = st.scopes[0].names.iter().map(|n| n.0.clone()).collect();
        self.program.functions[index] = code;
    }

    fn expr_named(&mut self, e: &'a Expression<'a>, name: &str) -> CResult<()> {
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

    fn expr(&mut self, e: &'a Expression<'a>) -> CResult<()> {
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

    fn template_literal(&mut self, t: &'a TemplateLiteral<'a>) -> CResult<()> {
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

    fn array_literal(&mut self, a: &'a ArrayExpression<'a>) -> CResult<()> {
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

    fn object_literal(&mut self, o: &'a ObjectExpression<'a>) -> CResult<()> {
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

    fn binary(&mut self, b: &'a BinaryExpression<'a>) -> CResult<()> {
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

    fn logical(&mut self, l: &'a LogicalExpression<'a>) -> CResult<()> {
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

    fn conditional(&mut self, c: &'a ConditionalExpression<'a>) -> CResult<()> {
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

    fn static_member(&mut self, m: &'a StaticMemberExpression<'a>) -> CResult<()> {
        self.expr(&m.object)?;
        self.cur_span = m.property.span.start;
        let s = self.str_const(m.property.name.as_str());
        self.emit(Instr::GetProp(s));
        Ok(())
    }

    fn computed_member(&mut self, m: &'a ComputedMemberExpression<'a>) -> CResult<()> {
        self.expr(&m.object)?;
        self.expr(&m.expression)?;
        self.emit(Instr::GetElem);
        Ok(())
    }

    fn private_field(&mut self, p: &'a PrivateFieldExpression<'a>) -> CResult<()> {
        self.expr(&p.object)?;
        let s = self.str_const(&format!("#{}", p.field.name));
        self.emit(Instr::GetProp(s));
        Ok(())
    }

    fn new_expression(&mut self, n: &'a NewExpression<'a>) -> CResult<()> {
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

    fn optional_chain(&mut self, c: &'a ChainExpression<'a>) -> CResult<()> {
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

    fn await_expression(&mut self, a: &'a AwaitExpression<'a>) -> CResult<()> {
        self.expr(&a.argument)?;
        self.cur_span = a.span.start;
        self.emit_await();
        Ok(())
    }

    fn yield_expression(&mut self, y: &'a YieldExpression<'a>) -> CResult<()> {
        if y.delegate && self.in_async_generator() {
            return self.unsupported("yield* in async generators", y.span.start);
        }
        if y.delegate {
            // yield* iterable: loop forwarding values
            match &y.argument {
                Some(a) => self.expr(a)?,
                None => {
                    self.emit(Instr::Undef);
                }
            }
            // V8 prints the operand of `yield*` as an unprinted part, and describes
            // a literal operand by its value
            let literal = y.argument.as_ref().is_some_and(|a| {
                matches!(
                    call_text::strip_parens(a),
                    Expression::NumericLiteral(_)
                        | Expression::StringLiteral(_)
                        | Expression::BooleanLiteral(_)
                        | Expression::NullLiteral(_)
                )
            });
            if literal {
                self.emit_get_iterator_value();
            } else {
                let text = self.str_const("yield* (intermediate value)");
                let pc = self.emit(Instr::GetIterator);
                self.site(pc, ErrorSite::Iterable { text, call: false });
            }
            let top = self.here();
            self.emit(Instr::Dup2);
            self.emit(Instr::IterCall);
            self.emit(Instr::Dup);
            self.emit(Instr::IterDone);
            let jd = self.emit(Instr::JumpIfTrue(0));
            self.emit(Instr::IterValue);
            self.emit(Instr::Yield);
            self.emit(Instr::Pop);
            self.emit(Instr::Jump(top as u32));
            let d = self.here();
            self.patch(jd, d);
            self.emit(Instr::IterValue);
            self.emit(Instr::RotRight3);
            self.emit(Instr::Pop);
            self.emit(Instr::Pop);
        } else {
            match &y.argument {
                Some(a) => self.expr(a)?,
                None => {
                    self.emit(Instr::Undef);
                }
            }
            if self.in_async_generator() {
                // `yield v` in an async generator awaits v first
                self.emit_await();
            }
            self.emit(Instr::Yield);
        }
        Ok(())
    }

    fn regexp_literal(&mut self, r: &'a RegExpLiteral<'a>) -> CResult<()> {
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

    fn private_in(&mut self, p: &'a PrivateInExpression<'a>) -> CResult<()> {
        let s = self.str_const(&format!("#{}", p.left.name));
        self.emit(Instr::Str(s));
        self.expr(&p.right)?;
        self.emit(Instr::In);
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

    fn chain_object(&mut self, e: &'a Expression<'a>, jumps: &mut Vec<usize>) -> CResult<()> {
        match e {
            Expression::StaticMemberExpression(_) | Expression::ComputedMemberExpression(_) => {
                self.member_chain(e.as_member_expression().expect("member"), jumps)
            }
            Expression::CallExpression(c) => self.call(c, Some(jumps)),
            other => self.expr(other),
        }
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

    fn call(
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

    fn unary(&mut self, u: &'a UnaryExpression<'a>) -> CResult<()> {
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

    fn assignment(&mut self, a: &'a AssignmentExpression<'a>) -> CResult<()> {
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

    fn update(&mut self, u: &'a UpdateExpression<'a>) -> CResult<()> {
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

fn js_str(s: &oxc_str::JSStr<'_>) -> String {
    match s.as_str() {
        Some(x) => x.to_string(),
        None => format!("{s:?}"),
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
