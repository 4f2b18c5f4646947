//! Compile-time scopes: which names a scope declares, their slots and kinds, and the
//! hoisting pass that finds `var` and function declarations.

use oxc_ast::ast::*;

/// How a binding was declared; decides TDZ and const-ness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingKind {
    Var,
    Let,
    Const,
    This,
}

/// One compile-time scope; at run time it is one environment record.
#[derive(Debug, Default)]
pub struct Scope {
    pub names: Vec<(String, BindingKind)>,
    /// For a block scope without closures inside: no runtime environment; each name lives in
    /// this slot of the function's top environment instead.
    pub virtual_slots: Option<Vec<usize>>,
}

impl Scope {
    pub fn find(&self, name: &str) -> Option<(usize, BindingKind)> {
        self.names
            .iter()
            .rposition(|(n, _)| n == name)
            .map(|i| (i, self.names[i].1))
    }
    pub fn declare(&mut self, name: &str, kind: BindingKind) -> usize {
        if let Some((i, _)) = self.find(name) {
            if kind != BindingKind::Var {
                self.names[i].1 = kind;
            }
            return i;
        }
        self.names.push((name.to_string(), kind));
        self.names.len() - 1
    }
}

/// Names bound by a binding pattern, in source order.
pub fn pattern_names<'a>(p: &'a BindingPattern<'a>, out: &mut Vec<&'a str>) {
    match p {
        BindingPattern::BindingIdentifier(id) => out.push(id.name.as_str()),
        BindingPattern::ObjectPattern(o) => {
            for prop in &o.properties {
                pattern_names(&prop.value, out);
            }
            if let Some(r) = &o.rest {
                pattern_names(&r.argument, out);
            }
        }
        BindingPattern::ArrayPattern(a) => {
            for e in a.elements.iter().flatten() {
                pattern_names(e, out);
            }
            if let Some(r) = &a.rest {
                pattern_names(&r.argument, out);
            }
        }
        BindingPattern::AssignmentPattern(a) => pattern_names(&a.left, out),
    }
}

/// Collects `var`-declared names of a function body (not descending into nested functions).
pub fn collect_vars<'a>(stmts: &'a [Statement<'a>], out: &mut Vec<&'a str>) {
    for s in stmts {
        collect_vars_stmt(s, out);
    }
}

fn collect_var_decl<'a>(d: &'a VariableDeclaration<'a>, out: &mut Vec<&'a str>) {
    if d.kind == VariableDeclarationKind::Var {
        for decl in &d.declarations {
            pattern_names(&decl.id, out);
        }
    }
}

fn collect_vars_stmt<'a>(s: &'a Statement<'a>, out: &mut Vec<&'a str>) {
    match s {
        Statement::VariableDeclaration(d) => collect_var_decl(d, out),
        Statement::BlockStatement(b) => collect_vars(&b.body, out),
        Statement::IfStatement(i) => {
            collect_vars_stmt(&i.consequent, out);
            if let Some(a) = &i.alternate {
                collect_vars_stmt(a, out);
            }
        }
        Statement::ForStatement(f) => {
            if let Some(ForStatementInit::VariableDeclaration(d)) = &f.init {
                collect_var_decl(d, out);
            }
            collect_vars_stmt(&f.body, out);
        }
        Statement::ForInStatement(f) => {
            if let ForStatementLeft::VariableDeclaration(d) = &f.left {
                collect_var_decl(d, out);
            }
            collect_vars_stmt(&f.body, out);
        }
        Statement::ForOfStatement(f) => {
            if let ForStatementLeft::VariableDeclaration(d) = &f.left {
                collect_var_decl(d, out);
            }
            collect_vars_stmt(&f.body, out);
        }
        Statement::WhileStatement(w) => collect_vars_stmt(&w.body, out),
        Statement::DoWhileStatement(w) => collect_vars_stmt(&w.body, out),
        Statement::LabeledStatement(l) => collect_vars_stmt(&l.body, out),
        Statement::TryStatement(t) => {
            collect_vars(&t.block.body, out);
            if let Some(h) = &t.handler {
                collect_vars(&h.body.body, out);
            }
            if let Some(f) = &t.finalizer {
                collect_vars(&f.body, out);
            }
        }
        Statement::SwitchStatement(sw) => {
            for c in &sw.cases {
                collect_vars(&c.consequent, out);
            }
        }
        _ => {}
    }
}

/// Lexically-scoped declarations directly in a statement list: (name, kind, is_function).
pub fn collect_lexical<'a>(stmts: &'a [Statement<'a>], out: &mut Vec<(&'a str, BindingKind)>) {
    for s in stmts {
        match s {
            Statement::VariableDeclaration(d) if d.kind != VariableDeclarationKind::Var => {
                let kind = if d.kind == VariableDeclarationKind::Const {
                    BindingKind::Const
                } else {
                    BindingKind::Let
                };
                let mut names = Vec::new();
                for decl in &d.declarations {
                    pattern_names(&decl.id, &mut names);
                }
                out.extend(names.into_iter().map(|n| (n, kind)));
            }
            Statement::ClassDeclaration(c) => {
                if let Some(id) = &c.id {
                    out.push((id.name.as_str(), BindingKind::Let));
                }
            }
            Statement::FunctionDeclaration(f) => {
                if let Some(id) = &f.id {
                    out.push((id.name.as_str(), BindingKind::Var));
                }
            }
            _ => {}
        }
    }
}
