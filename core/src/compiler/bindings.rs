//! Names and block scopes: how a name compiles to a slot read or write (TDZ sites, `const`
//! assignment, globals), block environments (real, or virtual slots of the function's top
//! environment when nothing can capture them) and the hoisting of `var` and function declarations.

use super::jump_control::Control;
use super::scope::{collect_lexical, collect_vars, BindingKind, Scope};
use super::{CResult, Compiler};
use crate::bytecode::{ErrorSite, FuncFlavor, Instr};
use oxc_ast::ast::*;

impl<'a> Compiler<'a> {
    pub(super) fn declare(&mut self, name: &str, kind: BindingKind) -> usize {
        self.cur()
            .scopes
            .last_mut()
            .expect("scope")
            .declare(name, kind)
    }

    /// Resolves a name: Some((depth, slot, kind)) or None for a global.
    pub(super) fn resolve(&self, name: &str) -> Option<(u16, u16, BindingKind)> {
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

    pub(super) fn load_name(&mut self, name: &str) {
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
    pub(super) fn binding_site(&mut self, pc: usize, name: &str, kind: BindingKind) {
        if kind != BindingKind::Var {
            let s = self.str_const(name);
            self.site(pc, ErrorSite::Binding(s));
        }
    }

    /// Stores the value on top of the stack into a name (keeps the value).
    pub(super) fn store_name(&mut self, name: &str) {
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
    pub(super) fn init_name(&mut self, name: &str) {
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
    pub(super) fn push_block_scope(
        &mut self,
        decls: &[(&str, BindingKind)],
        span: oxc_span::Span,
    ) -> u8 {
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

    pub(super) fn pop_block_scope(&mut self, pushed: u8) {
        if pushed == 1 {
            self.emit_pop_env();
            self.cur().scopes.pop();
            self.cur().controls.pop();
        } else if pushed == 2 {
            self.cur().scopes.pop();
        }
    }

    /// Declares vars and hoists function declarations of a function or script body.
    pub(super) fn hoist_body(&mut self, body: &'a [Statement<'a>]) -> CResult<()> {
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

    pub(super) fn hoist_functions(&mut self, body: &'a [Statement<'a>]) -> CResult<()> {
        for s in body {
            if let Statement::FunctionDeclaration(f) = s {
                let name = f.id.as_ref().map(|i| i.name.as_str()).unwrap_or("");
                self.function(f, name, FuncFlavor::Normal)?;
                self.init_name(name);
            }
        }
        Ok(())
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
