//! The compiler: walks the oxc AST and emits [`crate::bytecode::Instr`] for each function.
//!
//! Names are resolved at compile time to (environment depth, slot) pairs; names not found in
//! any enclosing scope are globals. Constructs outside the supported subset produce an
//! `unsupported: <feature>` diagnostic before anything runs.
//!
//! This module holds the compiler's state, its entry point and the emitting primitives; each
//! kind of syntax compiles in its own module: `statement` (with `loops`, `switch`,
//! `try_catch`), `expression` (with `literals`, `member`, `call`, `ops`, `unary`, `assign`,
//! `await_yield`), `pattern` (declarations, destructuring, assignment targets), `function`,
//! `class`, `property_key`; `bindings` resolves names and opens block scopes, `jump_control`
//! unwinds for break/continue/return, `iteration` emits the iterator protocol, `scope` and
//! `call_text` are the compile-time scopes and V8's naming of expressions in error messages.

mod bindings;
mod call_text;
mod class;
mod expression;
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
    /// The file being compiled (see `FunctionCode::file`).
    file: u16,
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
        Self::compile_project(prog, &[], prelude)
    }

    /// Compiles the user's script (function 0), the project's modules it may `require`
    /// (absolute path, parsed file) and, optionally, the host prelude.
    pub fn compile_project(
        prog: &'a oxc_ast::ast::Program<'a>,
        modules: &[(String, &'a oxc_ast::ast::Program<'a>)],
        prelude: Option<&'a oxc_ast::ast::Program<'a>>,
    ) -> CResult<Program> {
        let mut c = Compiler {
            program: Program::default(),
            string_ids: HashMap::new(),
            fns: vec![],
            cur_span: 0,
            internal: false,
            file: 0,
            source: "",
            fn_end: vec![],
            method_text_start: None,
            force_strict: 0,
            pattern_subject: None,
            iterated_call: None,
        };
        c.script_body(prog)?;
        for (k, (path, module)) in modules.iter().enumerate() {
            c.file = k as u16 + 1;
            let at = c.program.functions.len() as u32;
            c.script_body(module)?;
            c.program
                .files
                .push(crate::bytecode::SourceFile::new(path, module.source_text));
            c.program.modules.push(crate::bytecode::ModuleEntry {
                path: path.clone(),
                kind: crate::bytecode::ModuleKind::Script(at),
            });
        }
        c.file = 0;
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
            file: c.file,
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
}

fn js_str(s: &oxc_str::JSStr<'_>) -> String {
    match s.as_str() {
        Some(x) => x.to_string(),
        None => format!("{s:?}"),
    }
}
