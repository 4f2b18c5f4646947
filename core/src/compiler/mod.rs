//! The compiler: walks the oxc AST and emits [`crate::bytecode::Instr`] for each function.
//!
//! Names are resolved at compile time to (environment depth, slot) pairs; names not found in
//! any enclosing scope are globals. Constructs outside the supported subset produce an
//! `unsupported: <feature>` diagnostic before anything runs.

mod call_text;
mod scope;

use crate::bytecode::{ErrorSite, FuncFlavor, FunctionCode, Instr, Program, Subject};
use oxc_ast::ast::*;
use oxc_span::GetSpan;
use oxc_syntax::operator::{
    AssignmentOperator, BinaryOperator, LogicalOperator, UnaryOperator, UpdateOperator,
};
use scope::{collect_lexical, collect_vars, pattern_names, BindingKind, Scope};
use std::collections::HashMap;

/// A compile-time failure: an unsupported construct or an early error.
#[derive(Debug, Clone)]
pub struct CompileError {
    pub message: String,
    pub offset: u32,
}

type CResult<T> = Result<T, CompileError>;

/// Something that the unwinding code for break/continue/return has to undo.
#[derive(Debug, Clone)]
enum Control<'a> {
    /// An environment pushed by a block.
    Env,
    /// A loop or labelled statement that can be a break (and maybe continue) target.
    Breakable {
        labels: Vec<String>,
        is_loop: bool,
        breaks: Vec<usize>,
        continues: Vec<usize>,
    },
    /// An iterator (iter, next) kept on the operand stack by for-of; leaving the loop early
    /// closes it (IteratorClose, awaited for `for await`).
    Iterator { is_async: bool },
    /// The handler that closes a for-of iterator when its body throws, and the current value
    /// kept under the body's operand stack.
    IterBody,
    /// for-in state (keys, index) on the operand stack.
    ForIn,
    /// An active exception handler; with the finally block to inline when leaving.
    Try {
        finally: Option<&'a BlockStatement<'a>>,
        scope_len: usize,
    },
    /// Extra values on the operand stack (e.g. a saved exception during finally).
    Extra,
}

/// Instance field initialisers of the class whose constructor is being compiled.
#[derive(Clone)]
struct FieldInit<'a> {
    key: &'a PropertyKey<'a>,
    value: Option<&'a Expression<'a>>,
}

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

    // ---------- helpers
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
    /// Compiles an expression whose value is iterated at once (see `iterated_call`).
    fn iterated_expr(&mut self, e: &'a Expression<'a>) -> CResult<()> {
        let outer = self.mark_iterated(e);
        self.expr(e)?;
        self.iterated_call = outer;
        Ok(())
    }
    /// Marks `e`, when it is a call, as iterated at once (see `iterated_call`); returns the
    /// enclosing mark, to be put back once `e` is compiled.
    fn mark_iterated(&mut self, e: &Expression<'_>) -> Option<oxc_span::Span> {
        let outer = self.iterated_call.take();
        if let Expression::CallExpression(c) = call_text::strip_parens(e) {
            self.iterated_call = Some(c.span);
        }
        outer
    }
    /// GetIterator of the value on the stack, named as V8 names `e` in "is not iterable".
    fn emit_get_iterator_of(&mut self, e: &Expression<'_>) {
        let (text, call) = call_text::iterable_text(e, self.source);
        let text = self.str_const(&text);
        let pc = self.emit(Instr::GetIterator);
        self.site(pc, ErrorSite::Iterable { text, call });
    }
    /// GetIterator of a value V8 describes by value (patterns, arguments after a spread).
    fn emit_get_iterator_value(&mut self) {
        let pc = self.emit(Instr::GetIterator);
        self.site(pc, ErrorSite::IterableValue);
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
    fn declare(&mut self, name: &str, kind: BindingKind) -> usize {
        self.cur()
            .scopes
            .last_mut()
            .expect("scope")
            .declare(name, kind)
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

    /// Resolves a name: Some((depth, slot, kind)) or None for a global.
    fn resolve(&self, name: &str) -> Option<(u16, u16, BindingKind)> {
        let mut depth = 0u16;
        for f in self.fns.iter().rev() {
            let runtime_above_top = f.scopes[1..]
                .iter()
                .filter(|s| s.virtual_slots.is_none())
                .count() as u16;
            let fn_start = depth;
            for s in f.scopes.iter().rev() {
                if let Some((slot, kind)) = s.find(name) {
                    return Some(match &s.virtual_slots {
                        Some(v) => (fn_start + runtime_above_top, v[slot] as u16, kind),
                        None => (depth, slot as u16, kind),
                    });
                }
                if s.virtual_slots.is_none() {
                    depth += 1;
                }
            }
        }
        None
    }

    /// Whether source text in `span` could create a closure (conservative text check).
    fn may_create_closure(&self, span: oxc_span::Span) -> bool {
        let t = self
            .source
            .get(span.start as usize..span.end as usize)
            .unwrap_or("=>");
        t.contains("=>") || t.contains("function") || t.contains("class") || has_method_shorthand(t)
    }

    fn load_name(&mut self, name: &str) {
        match self.resolve(name) {
            Some((depth, slot, kind)) => {
                let pc = self.emit(Instr::GetVar { depth, slot });
                self.binding_site(pc, name, kind);
            }
            None => {
                let s = self.str_const(name);
                self.emit(Instr::GetGlobal(s));
            }
        }
    }
    /// Names a binding that can be in its temporal dead zone for the instruction at `pc`.
    fn binding_site(&mut self, pc: usize, name: &str, kind: BindingKind) {
        if kind != BindingKind::Var {
            let s = self.str_const(name);
            self.site(pc, ErrorSite::Binding(s));
        }
    }
    /// Stores the value on top of the stack into a name (keeps the value).
    fn store_name(&mut self, name: &str) {
        match self.resolve(name) {
            Some((_, _, BindingKind::Const)) => {
                let s = self.str_const(name);
                self.emit(Instr::ConstAssign(s));
            }
            Some((depth, slot, kind)) => {
                let pc = self.emit(Instr::SetVar { depth, slot });
                self.binding_site(pc, name, kind);
            }
            None => {
                let s = self.str_const(name);
                self.emit(Instr::SetGlobal(s));
            }
        }
    }
    /// Initialises a declared binding from the top of the stack (pops).
    fn init_name(&mut self, name: &str) {
        match self.resolve(name) {
            Some((depth, slot, _)) => {
                self.emit(Instr::InitVar { depth, slot });
            }
            None => {
                let s = self.str_const(name);
                self.emit(Instr::SetGlobal(s));
                self.emit(Instr::Pop);
            }
        }
    }

    /// Opens a block scope: 0 = nothing declared, 1 = runtime environment, 2 = virtual (its
    /// bindings are slots of the function's top environment, since nothing can capture them).
    fn push_block_scope(&mut self, decls: &[(&str, BindingKind)], span: oxc_span::Span) -> u8 {
        if decls.is_empty() {
            return 0;
        }
        if !self.may_create_closure(span) {
            let mut slots = vec![];
            let mut sc = Scope::default();
            for (n, k) in decls {
                let idx = sc.declare(n, *k);
                if idx == slots.len() {
                    let hidden = format!("{n}#{}", self.cur().scopes[0].names.len());
                    let slot = self.cur().scopes[0].declare(&hidden, *k);
                    slots.push(slot);
                }
            }
            let depth = self.cur().scopes[1..]
                .iter()
                .filter(|s| s.virtual_slots.is_none())
                .count() as u16;
            for (i, slot) in slots.iter().enumerate() {
                if sc.names[i].1 != BindingKind::Var {
                    self.emit(Instr::Tdz {
                        depth,
                        slot: *slot as u16,
                    });
                }
            }
            sc.virtual_slots = Some(slots);
            self.cur().scopes.push(sc);
            return 2;
        }
        let at = self.emit(Instr::PushEnv(0));
        self.cur().scopes.push(Scope::default());
        for (n, k) in decls {
            self.declare(n, *k);
        }
        let n = self.cur().scopes.last().map(|s| s.names.len()).unwrap_or(0);
        self.cur().code.code[at] = Instr::PushEnv(n as u16);
        let names = self
            .cur()
            .scopes
            .last()
            .map(|s| s.names.iter().map(|n| n.0.clone()).collect())
            .unwrap_or_default();
        self.cur()
            .code
            .block_envs
            .push((at as u32, u32::MAX, names));
        self.cur().controls.push(Control::Env);
        1
    }
    /// Emits `PopEnv` and closes the innermost open block-environment record (the trace shows a
    /// block's locals between its `PushEnv` and this `PopEnv`).
    fn emit_pop_env(&mut self) {
        let at = self.emit(Instr::PopEnv) as u32;
        if let Some(open) = self
            .cur()
            .code
            .block_envs
            .iter_mut()
            .rev()
            .find(|b| b.1 == u32::MAX)
        {
            open.1 = at;
        }
    }
    fn pop_block_scope(&mut self, pushed: u8) {
        if pushed == 1 {
            self.emit_pop_env();
            self.cur().scopes.pop();
            self.cur().controls.pop();
        } else if pushed == 2 {
            self.cur().scopes.pop();
        }
    }

    /// Declares vars and hoists function declarations of a function or script body.
    fn hoist_body(&mut self, body: &'a [Statement<'a>]) -> CResult<()> {
        let mut vars = Vec::new();
        collect_vars(body, &mut vars);
        for v in vars {
            if self.cur().scopes[0].find(v).is_none() {
                let slot = self.declare(v, BindingKind::Var);
                self.emit(Instr::Undef);
                self.emit(Instr::InitVar {
                    depth: 0,
                    slot: slot as u16,
                });
            }
        }
        let mut lex = Vec::new();
        collect_lexical(body, &mut lex);
        for (n, k) in &lex {
            self.declare(n, *k);
        }
        self.hoist_functions(body)
    }

    fn hoist_functions(&mut self, body: &'a [Statement<'a>]) -> CResult<()> {
        for s in body {
            if let Statement::FunctionDeclaration(f) = s {
                let name = f.id.as_ref().map(|i| i.name.as_str()).unwrap_or("");
                self.function(f, name, FuncFlavor::Normal)?;
                self.init_name(name);
            }
        }
        Ok(())
    }

    // ---------- statements
    fn stmts(&mut self, body: &'a [Statement<'a>]) -> CResult<()> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn block(&mut self, body: &'a [Statement<'a>]) -> CResult<()> {
        let mut lex = Vec::new();
        collect_lexical(body, &mut lex);
        let span = match (body.first(), body.last()) {
            (Some(a), Some(b)) => oxc_span::Span::new(a.span().start, b.span().end),
            _ => oxc_span::Span::new(0, 0),
        };
        let pushed = self.push_block_scope(&lex, span);
        self.hoist_functions(body)?;
        self.stmts(body)?;
        self.pop_block_scope(pushed);
        Ok(())
    }

    fn stmt(&mut self, s: &'a Statement<'a>) -> CResult<()> {
        self.cur_span = s.span().start;
        if !matches!(
            s,
            Statement::BlockStatement(_)
                | Statement::FunctionDeclaration(_)
                | Statement::EmptyStatement(_)
        ) {
            let (pc, sp) = (self.here() as u32, s.span());
            self.cur().code.stmts.push((pc, sp.start, sp.end));
        }
        let labels = std::mem::take(&mut self.cur().pending_labels);
        match s {
            Statement::ExpressionStatement(e) => {
                self.expr(&e.expression)?;
                self.emit(Instr::Pop);
            }
            Statement::BlockStatement(b) => self.block(&b.body)?,
            Statement::EmptyStatement(_) => {}
            Statement::DebuggerStatement(_) => {
                self.emit(Instr::Debugger);
            }
            Statement::VariableDeclaration(d) => self.var_decl(d)?,
            Statement::FunctionDeclaration(_) => {} // hoisted
            Statement::ClassDeclaration(c) => {
                let name = c.id.as_ref().map(|i| i.name.as_str()).unwrap_or("");
                self.class(c, name)?;
                self.init_name(name);
            }
            Statement::ReturnStatement(r) => {
                match &r.argument {
                    Some(e) => {
                        self.expr(e)?;
                        if self.in_async_generator() {
                            // `return v` in an async generator awaits v
                            self.emit_await();
                        }
                    }
                    None => {
                        self.emit(Instr::Undef);
                    }
                }
                self.unwind_for_return()?;
                self.emit(Instr::Return);
            }
            Statement::IfStatement(i) => {
                self.expr(&i.test)?;
                let jf = self.emit(Instr::JumpIfFalse(0));
                self.stmt(&i.consequent)?;
                if let Some(alt) = &i.alternate {
                    let j = self.emit(Instr::Jump(0));
                    let h = self.here();
                    self.patch(jf, h);
                    self.stmt(alt)?;
                    let h = self.here();
                    self.patch(j, h);
                } else {
                    let h = self.here();
                    self.patch(jf, h);
                }
            }
            Statement::ThrowStatement(t) => {
                self.expr(&t.argument)?;
                self.cur_span = t.span.start;
                self.emit(Instr::Throw);
            }
            Statement::WhileStatement(w) => {
                let top = self.here();
                self.expr(&w.test)?;
                let jf = self.emit(Instr::JumpIfFalse(0));
                self.loop_body(labels, &w.body, top)?;
                self.emit(Instr::Jump(top as u32));
                let end = self.here();
                self.patch(jf, end);
                self.finish_loop(end, top);
            }
            Statement::DoWhileStatement(w) => {
                let top = self.here();
                self.loop_body(labels, &w.body, top)?;
                let cont = self.here();
                self.expr(&w.test)?;
                self.emit(Instr::JumpIfTrue(top as u32));
                let end = self.here();
                self.finish_loop(end, cont);
            }
            Statement::ForStatement(f) => self.for_stmt(f, labels)?,
            Statement::ForOfStatement(f) => self.for_of(f, labels)?,
            Statement::ForInStatement(f) => self.for_in(f, labels)?,
            Statement::BreakStatement(b) => {
                let label = b.label.as_ref().map(|l| l.name.as_str());
                self.jump_out(label, false, b.span.start)?;
            }
            Statement::ContinueStatement(b) => {
                let label = b.label.as_ref().map(|l| l.name.as_str());
                self.jump_out(label, true, b.span.start)?;
            }
            Statement::LabeledStatement(l) => {
                let mut labels = labels;
                labels.push(l.label.name.to_string());
                let is_loop = matches!(
                    l.body,
                    Statement::ForStatement(_)
                        | Statement::ForOfStatement(_)
                        | Statement::ForInStatement(_)
                        | Statement::WhileStatement(_)
                        | Statement::DoWhileStatement(_)
                        | Statement::LabeledStatement(_)
                );
                if is_loop {
                    self.cur().pending_labels = labels;
                    self.stmt(&l.body)?;
                } else {
                    self.cur().controls.push(Control::Breakable {
                        labels,
                        is_loop: false,
                        breaks: vec![],
                        continues: vec![],
                    });
                    self.stmt(&l.body)?;
                    let end = self.here();
                    self.finish_loop(end, end);
                }
            }
            Statement::SwitchStatement(sw) => self.switch(sw, labels)?,
            Statement::TryStatement(t) => self.try_stmt(t)?,
            Statement::WithStatement(w) => return self.unsupported("with statement", w.span.start),
            other => return self.unsupported("module syntax or TypeScript", other.span().start),
        }
        Ok(())
    }

    fn var_decl(&mut self, d: &'a VariableDeclaration<'a>) -> CResult<()> {
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
    fn bind_pattern(&mut self, p: &'a BindingPattern<'a>, init: bool) -> CResult<()> {
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
    fn bind_array_elements(&mut self, a: &'a ArrayPattern<'a>, init: bool) -> CResult<()> {
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
    fn default_value(
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

    /// obj -> obj[key]
    fn prop_key_get(&mut self, key: &'a PropertyKey<'a>, computed: bool) -> CResult<()> {
        match (key, computed) {
            (PropertyKey::StaticIdentifier(id), false) => {
                let s = self.str_const(id.name.as_str());
                self.emit(Instr::GetProp(s));
            }
            _ => {
                self.prop_key_value(key, computed)?;
                self.emit(Instr::GetElem);
            }
        }
        Ok(())
    }

    /// -> key value (string or symbol)
    fn prop_key_value(&mut self, key: &'a PropertyKey<'a>, computed: bool) -> CResult<()> {
        match key {
            PropertyKey::StaticIdentifier(id) => {
                let s = self.str_const(id.name.as_str());
                self.emit(Instr::Str(s));
            }
            PropertyKey::PrivateIdentifier(p) => {
                let s = self.str_const(&format!("#{}", p.name));
                self.emit(Instr::Str(s));
            }
            other => {
                let e = other.as_expression().expect("expression key");
                if !computed {
                    match e {
                        Expression::StringLiteral(s) => {
                            let v = js_str(&s.value);
                            let s = self.str_const(&v);
                            self.emit(Instr::Str(s));
                            return Ok(());
                        }
                        Expression::NumericLiteral(n) => {
                            let v = crate::value::number_to_string(n.value);
                            let s = self.str_const(&v);
                            self.emit(Instr::Str(s));
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                self.expr(e)?;
            }
        }
        Ok(())
    }

    fn static_key_name(key: &PropertyKey<'_>, computed: bool) -> Option<String> {
        if computed {
            return None;
        }
        match key {
            PropertyKey::StaticIdentifier(id) => Some(id.name.to_string()),
            PropertyKey::StringLiteral(s) => Some(js_str(&s.value)),
            PropertyKey::NumericLiteral(n) => Some(crate::value::number_to_string(n.value)),
            PropertyKey::PrivateIdentifier(p) => Some(format!("#{}", p.name)),
            _ => None,
        }
    }

    fn loop_body(
        &mut self,
        labels: Vec<String>,
        body: &'a Statement<'a>,
        _top: usize,
    ) -> CResult<()> {
        self.cur().controls.push(Control::Breakable {
            labels,
            is_loop: true,
            breaks: vec![],
            continues: vec![],
        });
        self.stmt(body)
    }

    /// Pops the innermost Breakable control and patches its jumps.
    fn finish_loop(&mut self, brk: usize, cont: usize) {
        if let Some(Control::Breakable {
            breaks, continues, ..
        }) = self.cur().controls.pop()
        {
            for b in breaks {
                self.patch(b, brk);
            }
            for c in continues {
                self.patch(c, cont);
            }
        }
    }

    fn for_stmt(&mut self, f: &'a ForStatement<'a>, labels: Vec<String>) -> CResult<()> {
        let mut pushed = 0;
        let mut per_iter = false;
        if let Some(init) = &f.init {
            match init {
                ForStatementInit::VariableDeclaration(d)
                    if d.kind != VariableDeclarationKind::Var =>
                {
                    let mut names = Vec::new();
                    for decl in &d.declarations {
                        pattern_names(&decl.id, &mut names);
                    }
                    let kind = if d.kind == VariableDeclarationKind::Const {
                        BindingKind::Const
                    } else {
                        BindingKind::Let
                    };
                    let decls: Vec<(&str, BindingKind)> =
                        names.into_iter().map(|n| (n, kind)).collect();
                    pushed = self.push_block_scope(&decls, f.span);
                    per_iter = pushed == 1;
                    self.var_decl(d)?;
                }
                ForStatementInit::VariableDeclaration(d) => self.var_decl(d)?,
                other => {
                    self.expr(other.as_expression().expect("expr"))?;
                    self.emit(Instr::Pop);
                }
            }
        }
        let top = self.here();
        let mut jf = None;
        if let Some(t) = &f.test {
            self.expr(t)?;
            jf = Some(self.emit(Instr::JumpIfFalse(0)));
        }
        self.loop_body(labels, &f.body, top)?;
        let cont = self.here();
        if per_iter {
            self.emit(Instr::CopyEnv);
        }
        if let Some(u) = &f.update {
            self.expr(u)?;
            self.emit(Instr::Pop);
        }
        self.emit(Instr::Jump(top as u32));
        let end = self.here();
        if let Some(j) = jf {
            self.patch(j, end);
        }
        self.finish_loop(end, cont);
        self.pop_block_scope(pushed);
        Ok(())
    }

    /// Binds the loop value (on the stack) to a for-in/of left side, inside a fresh scope for
    /// let/const. Returns whether a scope was pushed.
    fn for_left(&mut self, left: &'a ForStatementLeft<'a>, span: oxc_span::Span) -> CResult<u8> {
        match left {
            ForStatementLeft::VariableDeclaration(d) => {
                let decl = &d.declarations[0];
                if d.kind == VariableDeclarationKind::Var {
                    self.bind_pattern(&decl.id, false)?;
                    Ok(0)
                } else {
                    let mut names = Vec::new();
                    pattern_names(&decl.id, &mut names);
                    let kind = if d.kind == VariableDeclarationKind::Const {
                        BindingKind::Const
                    } else {
                        BindingKind::Let
                    };
                    let decls: Vec<(&str, BindingKind)> =
                        names.into_iter().map(|n| (n, kind)).collect();
                    let pushed = self.push_block_scope(&decls, span);
                    // V8 calls the loop's value by its internal name
                    let name = self.str_const(".for");
                    if let BindingPattern::ArrayPattern(a) = &decl.id {
                        let pc = self.emit(Instr::GetIterator);
                        let call = false;
                        self.site(pc, ErrorSite::Iterable { text: name, call });
                        self.bind_array_elements(a, true)?;
                    } else {
                        self.pattern_subject = Some(Subject::Text(name));
                        self.bind_pattern(&decl.id, true)?;
                    }
                    Ok(pushed)
                }
            }
            other => {
                let t = other.as_assignment_target().expect("target");
                self.assign_to_target(t)?;
                self.emit(Instr::Pop);
                Ok(0)
            }
        }
    }

    /// iterator next -> (IteratorClose with a normal completion: calls `iterator.return` if
    /// present, awaits its result for async iteration, and requires an object back).
    fn emit_iter_close(&mut self, is_async: bool) {
        self.emit(Instr::Pop);
        self.emit(Instr::Dup);
        let ret = self.str_const("return");
        self.emit(Instr::GetProp(ret));
        let jnone = self.emit(Instr::JumpIfNullishUndef(0));
        self.emit(Instr::Swap);
        self.emit(Instr::Call(0));
        if is_async {
            self.emit_await();
        }
        // IterDone throws "Iterator result x is not an object" for a non-object
        self.emit(Instr::IterDone);
        self.emit(Instr::Pop);
        let jend = self.emit(Instr::Jump(0));
        let none = self.here();
        self.patch(jnone, none);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        let end = self.here();
        self.patch(jend, end);
    }

    /// e iterator next -> (IteratorClose with a throw completion: errors from `return` and
    /// its awaited result are ignored, then `e` is rethrown). The close runs on copies of
    /// `iterator next` so that the handler always finds the same stack below it.
    fn emit_iter_close_throw(&mut self, is_async: bool) {
        let h = self.emit(Instr::PushHandler(0));
        self.emit(Instr::Dup2);
        self.emit_iter_close(is_async);
        self.emit(Instr::PopHandler);
        let jok = self.emit(Instr::Jump(0));
        let caught = self.here();
        self.patch(h, caught);
        // e iterator next error
        self.emit(Instr::Pop);
        let ok = self.here();
        self.patch(jok, ok);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        self.emit(Instr::Throw);
    }

    /// Layout (stack `iterator next` held across the loop, plus the current value while the
    /// body runs, so that the body's handler always finds `iterator next value` below it):
    /// ```text
    /// top:  next() [await] done? -> exit;  value;  PushHandler(close_throw)
    ///       Dup <bind> <body> [PopEnv]
    /// cont: PopHandler; Pop value; Jump top
    /// brk:  PopHandler; Pop value; IteratorClose   (break out of this loop)
    /// close_throw: IteratorClose(throw); rethrow   (the body or the binding threw)
    /// exit: drop result, iterator, next
    /// ```
    /// Leaving through `return` or a labelled break unwinds `IterBody` (PopHandler, Pop) and
    /// `Iterator` (IteratorClose) in `unwind_controls`.
    fn for_of(&mut self, f: &'a ForOfStatement<'a>, labels: Vec<String>) -> CResult<()> {
        let is_async = f.r#await;
        if is_async {
            self.expr(&f.right)?;
        } else {
            self.iterated_expr(&f.right)?;
        }
        let saved = self.cur_span;
        self.cur_span = f.right.span().start;
        if matches!(
            call_text::strip_parens(&f.right),
            Expression::ChainExpression(_)
                | Expression::LogicalExpression(_)
                | Expression::ConditionalExpression(_)
        ) || matches!(
            call_text::strip_parens(&f.right),
            Expression::UnaryExpression(u) if u.operator == UnaryOperator::LogicalNot
        ) {
            // V8 has no position for these subjects here: it describes the value
            self.emit_get_iterator_value();
        } else {
            let (mut text, call) = call_text::iterable_text(&f.right, self.source);
            if is_async && call {
                // V8 keeps the call's `(...)` when it names an async iterable
                text = call_text::expression_text(&f.right, self.source);
            }
            let text = self.str_const(&text);
            let pc = self.emit(if is_async {
                Instr::GetAsyncIterator
            } else {
                Instr::GetIterator
            });
            self.site(pc, ErrorSite::Iterable { text, call });
        }
        self.cur_span = saved;
        self.cur().controls.push(Control::Iterator { is_async });
        let top = self.here();
        self.emit(Instr::Dup2);
        self.emit(Instr::IterCall);
        if is_async {
            self.emit_await();
        }
        self.emit(Instr::Dup);
        self.emit(Instr::IterDone);
        let jdone = self.emit(Instr::JumpIfTrue(0));
        self.emit(Instr::IterValue);
        let handler = self.emit(Instr::PushHandler(0));
        self.emit(Instr::Dup);
        self.cur().controls.push(Control::IterBody);
        self.cur().controls.push(Control::Breakable {
            labels,
            is_loop: true,
            breaks: vec![],
            continues: vec![],
        });
        let pushed = self.for_left(&f.left, f.span)?;
        self.stmt(&f.body)?;
        // `continue` pops the per-iteration environment itself (unwinding `Env`)
        self.pop_block_scope(pushed);
        let cont = self.here();
        self.emit(Instr::PopHandler);
        self.emit(Instr::Pop);
        self.emit(Instr::Jump(top as u32));
        let brk = self.here();
        self.emit(Instr::PopHandler);
        self.emit(Instr::Pop);
        self.emit_iter_close(is_async);
        let jend = self.emit(Instr::Jump(0));
        let close_throw = self.here();
        self.patch(handler, close_throw);
        // iterator next value e
        self.emit(Instr::Swap);
        self.emit(Instr::Pop);
        self.emit(Instr::RotRight3);
        self.emit_iter_close_throw(is_async);
        let done = self.here();
        self.patch(jdone, done);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        let end = self.here();
        self.patch(jend, end);
        self.finish_loop(brk, cont);
        self.cur().controls.pop(); // IterBody
        self.cur().controls.pop(); // Iterator
        Ok(())
    }

    fn for_in(&mut self, f: &'a ForInStatement<'a>, labels: Vec<String>) -> CResult<()> {
        self.expr(&f.right)?;
        self.emit(Instr::ForInPrepare);
        self.cur().controls.push(Control::ForIn);
        let top = self.here();
        let jdone = self.emit(Instr::ForInNext(0));
        self.cur().controls.push(Control::Breakable {
            labels,
            is_loop: true,
            breaks: vec![],
            continues: vec![],
        });
        let pushed = self.for_left(&f.left, f.span)?;
        self.stmt(&f.body)?;
        // `continue` pops the per-iteration environment itself (unwinding `Env`), so the normal
        // path pops it before the continue target, not after.
        self.pop_block_scope(pushed);
        let cont = self.here();
        self.emit(Instr::Jump(top as u32));
        let brk = self.here();
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        let jend = self.emit(Instr::Jump(0));
        let done = self.here();
        self.patch(jdone, done);
        self.emit(Instr::Pop);
        self.emit(Instr::Pop);
        let end = self.here();
        self.patch(jend, end);
        self.finish_loop(brk, cont);
        self.cur().controls.pop();
        Ok(())
    }

    fn switch(&mut self, sw: &'a SwitchStatement<'a>, labels: Vec<String>) -> CResult<()> {
        self.expr(&sw.discriminant)?;
        let mut lex = Vec::new();
        for c in &sw.cases {
            collect_lexical(&c.consequent, &mut lex);
        }
        let pushed = self.push_block_scope(&lex, sw.span);
        for c in &sw.cases {
            self.hoist_functions(&c.consequent)?;
        }
        // discriminant stays on the stack during tests
        let mut case_jumps = vec![];
        for c in &sw.cases {
            if let Some(t) = &c.test {
                self.emit(Instr::Dup);
                self.expr(t)?;
                self.emit(Instr::StrictEq);
                case_jumps.push(Some(self.emit(Instr::JumpIfTrue(0))));
            } else {
                case_jumps.push(None);
            }
        }
        let to_default = self.emit(Instr::Jump(0));
        self.cur().controls.push(Control::Extra);
        self.cur().controls.push(Control::Breakable {
            labels,
            is_loop: false,
            breaks: vec![],
            continues: vec![],
        });
        let mut default_at = None;
        for (i, c) in sw.cases.iter().enumerate() {
            let h = self.here();
            match case_jumps[i] {
                Some(j) => self.patch(j, h),
                None => default_at = Some(h),
            }
            self.stmts(&c.consequent)?;
        }
        let brk = self.here();
        self.finish_loop(brk, brk);
        self.cur().controls.pop(); // Extra
        let end_jump = self.emit(Instr::Jump(0));
        let no_match = self.here();
        match default_at {
            Some(d) => self.patch(to_default, d),
            None => self.patch(to_default, no_match),
        }
        let after_default_fix = self.here();
        let _ = after_default_fix;
        if default_at.is_none() {
            // no match: fall to end
        }
        let end = self.here();
        self.patch(end_jump, end);
        // both paths arrive here with the discriminant on the stack
        self.emit(Instr::Pop);
        self.pop_block_scope(pushed);
        Ok(())
    }

    fn try_stmt(&mut self, t: &'a TryStatement<'a>) -> CResult<()> {
        let fin: Option<&'a BlockStatement<'a>> = t.finalizer.as_deref();
        let scope_len = self.cur().scopes.len();
        let h = self.emit(Instr::PushHandler(0));
        self.cur().controls.push(Control::Try {
            finally: fin,
            scope_len,
        });
        self.block(&t.block.body)?;
        self.cur().controls.pop();
        self.emit(Instr::PopHandler);
        if let Some(f) = &t.finalizer {
            self.block(&f.body)?;
        }
        let jend = self.emit(Instr::Jump(0));
        let catch_at = self.here();
        self.patch(h, catch_at);
        let mut jend2 = None;
        if let Some(handler) = &t.handler {
            let h2 = if t.finalizer.is_some() {
                let h2 = self.emit(Instr::PushHandler(0));
                self.cur().controls.push(Control::Try {
                    finally: fin,
                    scope_len,
                });
                Some(h2)
            } else {
                None
            };
            self.emit(Instr::CheckCatchable);
            match &handler.param {
                Some(p) => {
                    let mut names = Vec::new();
                    pattern_names(&p.pattern, &mut names);
                    let decls: Vec<(&str, BindingKind)> =
                        names.into_iter().map(|n| (n, BindingKind::Let)).collect();
                    let pushed = self.push_block_scope(&decls, handler.span);
                    self.pattern_subject = Some(Subject::Text(self.str_const(".catch")));
                    self.bind_pattern(&p.pattern, true)?;
                    self.block(&handler.body.body)?;
                    self.pop_block_scope(pushed);
                }
                None => {
                    self.emit(Instr::Pop);
                    self.block(&handler.body.body)?;
                }
            }
            if let Some(h2) = h2 {
                self.cur().controls.pop();
                self.emit(Instr::PopHandler);
                if let Some(f) = &t.finalizer {
                    self.block(&f.body)?;
                }
                jend2 = Some(self.emit(Instr::Jump(0)));
                let c2 = self.here();
                self.patch(h2, c2);
            }
        }
        if let Some(f) = &t.finalizer {
            // exception on the stack
            self.cur().controls.push(Control::Extra);
            self.block(&f.body)?;
            self.cur().controls.pop();
            self.emit(Instr::Throw);
        }
        let end = self.here();
        self.patch(jend, end);
        if let Some(j) = jend2 {
            self.patch(j, end);
        }
        Ok(())
    }

    /// Emits the unwinding for controls from the innermost up to (not including) index `stop`.
    /// `carry` = a value (return value) sits on top of the stack and must be preserved.
    fn unwind_controls(&mut self, stop: usize, carry: bool) -> CResult<()> {
        let n = self.cur().controls.len();
        let saved: Vec<Control<'a>> = self.cur().controls.clone();
        for i in (stop..n).rev() {
            match &saved[i] {
                Control::Env => {
                    self.emit(Instr::PopEnv);
                }
                Control::Breakable { .. } => {}
                Control::Iterator { is_async } => {
                    if carry {
                        self.emit(Instr::RotRight3);
                    }
                    self.emit_iter_close(*is_async);
                }
                Control::IterBody => {
                    self.emit(Instr::PopHandler);
                    if carry {
                        self.emit(Instr::Swap);
                    }
                    self.emit(Instr::Pop);
                }
                Control::ForIn => {
                    if carry {
                        self.emit(Instr::RotRight3);
                    }
                    self.emit(Instr::Pop);
                    self.emit(Instr::Pop);
                }
                Control::Extra => {
                    if carry {
                        self.emit(Instr::Swap);
                    }
                    self.emit(Instr::Pop);
                }
                Control::Try { finally, scope_len } => {
                    self.emit(Instr::PopHandler);
                    if let Some(f) = finally {
                        // Compile the finally body in the context outside this try.
                        let rest: Vec<Control<'a>> = saved[..i].to_vec();
                        let removed: Vec<Control<'a>> = self.cur().controls.drain(i..).collect();
                        let _ = rest;
                        if carry {
                            self.cur().controls.push(Control::Extra);
                        }
                        let block: &'a BlockStatement<'a> = f;
                        // scopes must match: envs popped above correspond to scope entries, but
                        // the compile-time scope stack still includes them; finally bodies only
                        // reference names visible at the try statement, which resolve the same
                        // way after adjusting for popped envs.
                        let keep = *scope_len;
                        let hidden: Vec<Scope> = self.cur().scopes.drain(keep..).collect();
                        self.block(&block.body)?;
                        self.cur().scopes.extend(hidden);
                        if carry {
                            self.cur().controls.pop();
                        }
                        self.cur().controls.extend(removed);
                    }
                }
            }
        }
        Ok(())
    }

    fn unwind_for_return(&mut self) -> CResult<()> {
        let needs = self
            .cur()
            .controls
            .iter()
            .any(|c| matches!(c, Control::Try { .. } | Control::Iterator { .. }));
        if needs {
            self.unwind_controls(0, true)?;
        }
        Ok(())
    }

    fn jump_out(&mut self, label: Option<&str>, is_continue: bool, offset: u32) -> CResult<()> {
        let controls = &self.cur().controls;
        let mut target = None;
        for (i, c) in controls.iter().enumerate().rev() {
            if let Control::Breakable {
                labels, is_loop, ..
            } = c
            {
                let ok = match label {
                    Some(l) => labels.iter().any(|x| x == l),
                    None => *is_loop || !is_continue && !labels.is_empty() && false,
                };
                let ok = ok || (label.is_none() && !is_continue && !*is_loop && labels.is_empty());
                if ok && (!is_continue || *is_loop) {
                    target = Some(i);
                    break;
                }
            }
        }
        let Some(t) = target else {
            return self.unsupported("break/continue target", offset);
        };
        self.unwind_controls(t + 1, false)?;
        let j = self.emit(Instr::Jump(0));
        if let Control::Breakable {
            breaks, continues, ..
        } = &mut self.cur().controls[t]
        {
            if is_continue {
                continues.push(j);
            } else {
                breaks.push(j);
            }
        }
        Ok(())
    }

    // ---------- functions
    fn new_function_slot(
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
            reuse_env: false,
            stmts: vec![],
            slot_names: vec![],
            block_envs: vec![],
            strict: false,
            error_sites: vec![],
        });
        self.program.functions.len() - 1
    }

    fn params(&mut self, params: &'a FormalParameters<'a>) -> CResult<()> {
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

    /// Compiles a function and emits `Closure` for it.
    fn function(&mut self, f: &'a Function<'a>, name: &str, flavor: FuncFlavor) -> CResult<()> {
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

    fn arrow(&mut self, a: &'a ArrowFunctionExpression<'a>, name: &str) -> CResult<()> {
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

    fn emit_field_inits(&mut self) -> CResult<()> {
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

    fn class(&mut self, c: &'a Class<'a>, name: &str) -> CResult<()> {
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

    // ---------- expressions
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
            Expression::TemplateLiteral(t) => {
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
            }
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
            Expression::ArrayExpression(a) => {
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
            }
            Expression::ObjectExpression(o) => {
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
                                            return self.unsupported(
                                                "__proto__ in object literals",
                                                p.span.start,
                                            );
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
            }
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
            Expression::BinaryExpression(b) => {
                if let BinaryOperator::In = b.operator {
                    self.expr(&b.left)?;
                    self.expr(&b.right)?;
                    self.emit(Instr::In);
                    return Ok(());
                }
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.emit(binop(b.operator));
            }
            Expression::LogicalExpression(l) => {
                self.expr(&l.left)?;
                let j = match l.operator {
                    LogicalOperator::And => self.emit(Instr::JumpIfFalseKeep(0)),
                    LogicalOperator::Or => self.emit(Instr::JumpIfTrueKeep(0)),
                    LogicalOperator::Coalesce => self.emit(Instr::JumpIfNotNullishKeep(0)),
                };
                self.expr(&l.right)?;
                let h = self.here();
                self.patch(j, h);
            }
            Expression::ConditionalExpression(c) => {
                self.expr(&c.test)?;
                let jf = self.emit(Instr::JumpIfFalse(0));
                self.expr(&c.consequent)?;
                let j = self.emit(Instr::Jump(0));
                let h = self.here();
                self.patch(jf, h);
                self.expr(&c.alternate)?;
                let h = self.here();
                self.patch(j, h);
            }
            Expression::AssignmentExpression(a) => self.assignment(a)?,
            Expression::UpdateExpression(u) => self.update(u)?,
            Expression::StaticMemberExpression(m) => {
                self.expr(&m.object)?;
                self.cur_span = m.property.span.start;
                let s = self.str_const(m.property.name.as_str());
                self.emit(Instr::GetProp(s));
            }
            Expression::ComputedMemberExpression(m) => {
                self.expr(&m.object)?;
                self.expr(&m.expression)?;
                self.emit(Instr::GetElem);
            }
            Expression::PrivateFieldExpression(p) => {
                self.expr(&p.object)?;
                let s = self.str_const(&format!("#{}", p.field.name));
                self.emit(Instr::GetProp(s));
            }
            Expression::CallExpression(c) => self.call(c, None)?,
            Expression::NewExpression(n) => {
                self.expr(&n.callee)?;
                let spread = self.args(&n.arguments)?;
                let pc = if spread {
                    self.emit(Instr::NewSpread)
                } else {
                    self.emit(Instr::New(n.arguments.len() as u16))
                };
                let text = self.expr_text(&n.callee);
                self.site(pc, ErrorSite::Callee(text));
            }
            Expression::ChainExpression(c) => {
                let mut nullish_jumps = vec![];
                match &c.expression {
                    ChainElement::CallExpression(call) => {
                        self.call(call, Some(&mut nullish_jumps))?
                    }
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
            }
            Expression::AwaitExpression(a) => {
                self.expr(&a.argument)?;
                self.cur_span = a.span.start;
                self.emit_await();
            }
            Expression::YieldExpression(y) => {
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
            }
            Expression::Super(s) => return self.unsupported("bare super", s.span.start),
            Expression::NewTarget(_) => {
                self.emit(Instr::NewTarget);
            }
            Expression::RegExpLiteral(r) => {
                // each evaluation creates a new RegExp: %RegExpCreate%(pattern, flags)
                let f = self.str_const("%RegExpCreate%");
                self.emit(Instr::GetGlobal(f));
                self.emit(Instr::Undef);
                let p = self.str_const(r.regex.pattern.text.as_str());
                self.emit(Instr::Str(p));
                let fl = self.str_const(&r.regex.flags.to_string());
                self.emit(Instr::Str(fl));
                self.emit(Instr::Call(2));
            }
            Expression::BigIntLiteral(b) => return self.unsupported("BigInt", b.span.start),
            Expression::TaggedTemplateExpression(t) => {
                return self.unsupported("tagged templates", t.span.start)
            }
            Expression::ImportExpression(i) => {
                return self.unsupported("dynamic import", i.span.start)
            }
            Expression::ImportMeta(i) => return self.unsupported("import.meta", i.span.start),
            Expression::PrivateInExpression(p) => {
                let s = self.str_const(&format!("#{}", p.left.name));
                self.emit(Instr::Str(s));
                self.expr(&p.right)?;
                self.emit(Instr::In);
            }
            other => return self.unsupported("JSX or TypeScript", other.span().start),
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

    /// Assigns the value on top of the stack to a target (keeps the value).
    fn assign_to_target(&mut self, t: &'a AssignmentTarget<'a>) -> CResult<()> {
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

/// Whether `src` may contain a method definition (`name(...) {`, `get x() {`, `[k]() {`):
/// a `)` followed by `{` whose parenthesised part is not the head of `if`/`for`/`while`/
/// `switch`/`catch` (conservative: a false positive only costs the env-reuse optimisation).
fn has_method_shorthand(src: &str) -> bool {
    let b = src.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c != b'{' {
            continue;
        }
        let mut j = i;
        while j > 0 && b[j - 1].is_ascii_whitespace() {
            j -= 1;
        }
        if j == 0 || b[j - 1] != b')' {
            continue;
        }
        // find the matching '('
        let mut depth = 0i32;
        let mut k = j;
        let mut open = None;
        while k > 0 {
            k -= 1;
            match b[k] {
                b')' => depth += 1,
                b'(' => {
                    depth -= 1;
                    if depth == 0 {
                        open = Some(k);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(open) = open else { return true };
        let mut e = open;
        while e > 0 && b[e - 1].is_ascii_whitespace() {
            e -= 1;
        }
        let mut w = e;
        while w > 0 && (b[w - 1].is_ascii_alphanumeric() || b[w - 1] == b'_' || b[w - 1] == b'$') {
            w -= 1;
        }
        let word = &src[w..e];
        if !matches!(word, "if" | "for" | "while" | "switch" | "catch" | "with") {
            return true;
        }
    }
    false
}
