//! Renders an expression the way V8's `CallPrinter` does for error messages ("o.f(...).g is
//! not a function", "Cannot destructure property 'a' of 'o.u' as it is undefined."): member
//! chains as written, inner calls as `f(...)`, string keys as dotted names (`o["x y"]` prints
//! `o.x y`), operators parenthesised with spaces (`(a + b)`, `(1 , 2)`), number literals
//! folded as V8's parser folds them (`o[1+1]` prints `o[2]`), and every sub-expression V8 does
//! not print (object-literal values, `new`, conditionals, functions, `await`) as
//! `(intermediate value)`.

use super::js_str;
use crate::value::number_to_string;
use oxc_ast::ast::*;
use oxc_syntax::operator::{BinaryOperator, LogicalOperator, UnaryOperator};

const INTERMEDIATE: &str = "(intermediate value)";

/// The expression as V8 names it when it is a callee, a `new` target or a destructured value.
pub(super) fn expression_text(e: &Expression<'_>, source: &str) -> String {
    let mut p = Printer::new(source);
    p.find(e, true);
    p.out
}

/// The operand of a failed GetIterator (`for…of`, array spread) as V8 names it, and whether it
/// is a call's result: V8 then names the callee alone ("o.f is not a function or its return
/// value is not iterable").
/// In this mode V8 prints no call's `(...)` and names `new`'s target.
pub(super) fn iterable_text(e: &Expression<'_>, source: &str) -> (String, bool) {
    let mut p = Printer::new(source);
    p.iterating = true;
    p.find(e, true);
    let call = matches!(
        strip_parens(e),
        Expression::CallExpression(_) | Expression::NewExpression(_)
    );
    (p.out, call)
}

/// The expression inside any parentheses (V8's AST keeps none).
pub(super) fn strip_parens<'b, 'a>(mut e: &'b Expression<'a>) -> &'b Expression<'a> {
    while let Expression::ParenthesizedExpression(p) = e {
        e = &p.expression;
    }
    e
}

/// A number the parser folds the expression into (`-1`, `1 + 2`, `~5`), as V8's parser does
/// for unary and binary operators applied to number literals.
fn folded_number(e: &Expression<'_>) -> Option<f64> {
    match strip_parens(e) {
        Expression::NumericLiteral(n) => Some(n.value),
        Expression::UnaryExpression(u) => {
            let v = folded_number(&u.argument)?;
            match u.operator {
                UnaryOperator::UnaryPlus => Some(v),
                UnaryOperator::UnaryNegation => Some(-v),
                UnaryOperator::BitwiseNot => Some(!to_int32(v) as f64),
                _ => None,
            }
        }
        Expression::BinaryExpression(b) => {
            let x = folded_number(&b.left)?;
            let y = folded_number(&b.right)?;
            let (xi, yi) = (to_int32(x), to_int32(y));
            let shift = (yi as u32) & 0x1f;
            Some(match b.operator {
                BinaryOperator::Addition => x + y,
                BinaryOperator::Subtraction => x - y,
                BinaryOperator::Multiplication => x * y,
                BinaryOperator::Division => x / y,
                BinaryOperator::Remainder => crate::vm::js_rem(x, y),
                BinaryOperator::Exponential => crate::vm::js_pow(x, y),
                BinaryOperator::BitwiseOR => (xi | yi) as f64,
                BinaryOperator::BitwiseAnd => (xi & yi) as f64,
                BinaryOperator::BitwiseXOR => (xi ^ yi) as f64,
                BinaryOperator::ShiftLeft => xi.wrapping_shl(shift) as f64,
                BinaryOperator::ShiftRight => (xi >> shift) as f64,
                BinaryOperator::ShiftRightZeroFill => ((xi as u32) >> shift) as f64,
                _ => return None,
            })
        }
        _ => None,
    }
}

fn to_int32(v: f64) -> i32 {
    if !v.is_finite() {
        return 0;
    }
    let m = v.trunc().rem_euclid(4294967296.0);
    m as u32 as i32
}

/// V8's `Literal::ToBooleanIsFalse` for a literal operand of `!` (None: not a literal).
fn literal_is_falsy(e: &Expression<'_>) -> Option<bool> {
    Some(match strip_parens(e) {
        Expression::NullLiteral(_) => true,
        Expression::BooleanLiteral(b) => !b.value,
        Expression::StringLiteral(s) => js_str(&s.value).is_empty(),
        Expression::NumericLiteral(n) => n.value == 0.0 || n.value.is_nan(),
        Expression::Identifier(id) if id.name == "undefined" => return None,
        _ => return None,
    })
}

struct Printer<'s> {
    out: String,
    prints: usize,
    source: &'s str,
    /// Rendering an iterable for "is not iterable" (V8's iterator-error mode).
    iterating: bool,
}

impl<'s> Printer<'s> {
    fn new(source: &'s str) -> Self {
        Printer {
            out: String::new(),
            prints: 0,
            source,
            iterating: false,
        }
    }

    fn print(&mut self, s: &str) {
        self.prints += 1;
        self.out.push_str(s);
    }

    /// V8's `Find(node, print)`: prints the node, or `(intermediate value)` when it printed
    /// nothing or is not to be printed.
    fn find(&mut self, e: &Expression<'_>, print: bool) {
        if print {
            let before = self.prints;
            self.visit(e);
            if self.prints != before {
                return;
            }
        }
        self.print(INTERMEDIATE);
    }

    fn visit(&mut self, e: &Expression<'_>) {
        if let Some(n) = folded_number(e) {
            self.print(&number_to_string(n));
            return;
        }
        match e {
            Expression::ParenthesizedExpression(p) => self.visit(&p.expression),
            Expression::Identifier(id) => self.print(id.name.as_str()),
            Expression::ThisExpression(_) => self.print("this"),
            Expression::NullLiteral(_) => self.print("null"),
            Expression::BooleanLiteral(b) => self.print(if b.value { "true" } else { "false" }),
            Expression::StringLiteral(s) => {
                self.print("\"");
                self.print(&js_str(&s.value));
                self.print("\"");
            }
            Expression::TemplateLiteral(t) if t.expressions.is_empty() => {
                let text = t.quasis[0]
                    .value
                    .cooked
                    .as_ref()
                    .map(js_str)
                    .unwrap_or_default();
                self.print("\"");
                self.print(&text);
                self.print("\"");
            }
            Expression::TemplateLiteral(t) => {
                for sub in &t.expressions {
                    self.find(sub, true);
                }
            }
            Expression::RegExpLiteral(r) => {
                let raw = self
                    .source
                    .get(r.span.start as usize..r.span.end as usize)
                    .unwrap_or("");
                self.print(raw);
            }
            Expression::StaticMemberExpression(m) => {
                self.find(&m.object, true);
                self.print(if m.optional { "?." } else { "." });
                self.print(m.property.name.as_str());
            }
            Expression::ComputedMemberExpression(m) => self.computed_member(m),
            Expression::PrivateFieldExpression(m) => {
                self.find(&m.object, true);
                self.print(if m.optional { "?.[" } else { "[" });
                self.print("#");
                self.print(m.field.name.as_str());
                self.print("]");
            }
            Expression::ChainExpression(_) => self.print(INTERMEDIATE),
            Expression::CallExpression(c) => {
                self.find(&c.callee, true);
                if !self.iterating {
                    self.print("(...)");
                }
            }
            Expression::TaggedTemplateExpression(t) => {
                self.find(&t.tag, true);
                self.print("(...)");
            }
            Expression::NewExpression(n) => self.find(&n.callee, self.iterating),
            Expression::ConditionalExpression(_) => {
                for _ in 0..3 {
                    self.print(INTERMEDIATE);
                }
            }
            Expression::ObjectExpression(o) => {
                self.print("{");
                for _ in &o.properties {
                    self.print(INTERMEDIATE);
                }
                self.print("}");
            }
            Expression::ArrayExpression(a) => {
                self.print("[");
                for (i, el) in a.elements.iter().enumerate() {
                    if i != 0 {
                        self.print(",");
                    }
                    match el {
                        ArrayExpressionElement::SpreadElement(s) => {
                            self.print("(...");
                            self.find(&s.argument, true);
                            self.print(")");
                        }
                        ArrayExpressionElement::Elision(_) => self.print(INTERMEDIATE),
                        other => self.find(other.to_expression(), true),
                    }
                }
                self.print("]");
            }
            Expression::UnaryExpression(u) => {
                if u.operator == UnaryOperator::LogicalNot {
                    if let Some(falsy) = literal_is_falsy(&u.argument) {
                        self.print(if falsy { "true" } else { "false" });
                        return;
                    }
                }
                let op = u.operator.as_str();
                self.print("(");
                self.print(op);
                if matches!(
                    u.operator,
                    UnaryOperator::Delete | UnaryOperator::Typeof | UnaryOperator::Void
                ) {
                    self.print(" ");
                }
                self.find(&u.argument, true);
                self.print(")");
            }
            Expression::UpdateExpression(u) => {
                self.print("(");
                if u.prefix {
                    self.print(u.operator.as_str());
                }
                self.simple_target(&u.argument);
                if !u.prefix {
                    self.print(u.operator.as_str());
                }
                self.print(")");
            }
            Expression::BinaryExpression(b) => {
                let op = b.operator.as_str();
                if b.operator.is_equality() || b.operator.is_compare() || b.operator.is_relational()
                {
                    self.print("(");
                    self.find(&b.left, true);
                    self.print(" ");
                    self.print(op);
                    self.print(" ");
                    self.find(&b.right, true);
                    self.print(")");
                } else {
                    let mut operands = Vec::new();
                    collect_binary(e, b.operator, &mut operands);
                    self.nary(op, &operands);
                }
            }
            Expression::LogicalExpression(l) => {
                let mut operands = Vec::new();
                collect_logical(e, l.operator, &mut operands);
                self.nary(l.operator.as_str(), &operands);
            }
            Expression::SequenceExpression(s) => {
                let operands: Vec<&Expression<'_>> = s.expressions.iter().collect();
                self.nary(",", &operands);
            }
            Expression::AssignmentExpression(a) => match &a.left {
                AssignmentTarget::AssignmentTargetIdentifier(id) => self.print(id.name.as_str()),
                other => match other.as_member_expression() {
                    Some(m) => self.member(m),
                    None => self.print(INTERMEDIATE),
                },
            },
            _ => {}
        }
    }

    fn nary(&mut self, op: &str, operands: &[&Expression<'_>]) {
        self.print("(");
        for (i, x) in operands.iter().enumerate() {
            if i != 0 {
                self.print(" ");
                self.print(op);
                self.print(" ");
            }
            self.find(x, true);
        }
        self.print(")");
    }

    fn simple_target(&mut self, t: &SimpleAssignmentTarget<'_>) {
        match t {
            SimpleAssignmentTarget::AssignmentTargetIdentifier(id) => self.print(id.name.as_str()),
            other => match other.as_member_expression() {
                Some(m) => self.member(m),
                None => self.print(INTERMEDIATE),
            },
        }
    }

    fn member(&mut self, m: &MemberExpression<'_>) {
        match m {
            MemberExpression::StaticMemberExpression(s) => {
                self.find(&s.object, true);
                self.print(if s.optional { "?." } else { "." });
                self.print(s.property.name.as_str());
            }
            MemberExpression::ComputedMemberExpression(c) => self.computed_member(c),
            MemberExpression::PrivateFieldExpression(p) => {
                self.find(&p.object, true);
                self.print("[#");
                self.print(p.field.name.as_str());
                self.print("]");
            }
        }
    }

    fn computed_member(&mut self, m: &ComputedMemberExpression<'_>) {
        // V8 prints a string key (an internalized string literal) as a dotted name, even
        // when it is no identifier: `o["x y"]` prints `o.x y`, `o["0"]` prints `o.0`
        let key = match strip_parens(&m.expression) {
            Expression::StringLiteral(s) => Some(js_str(&s.value)),
            Expression::TemplateLiteral(t) if t.expressions.is_empty() => {
                t.quasis[0].value.cooked.as_ref().map(js_str)
            }
            _ => None,
        };
        self.find(&m.object, true);
        match key {
            Some(k) => {
                self.print(if m.optional { "?." } else { "." });
                self.print(&k);
            }
            None => {
                self.print(if m.optional { "?.[" } else { "[" });
                self.find(&m.expression, true);
                self.print("]");
            }
        }
    }
}

/// The operands of a left-nested chain of one binary operator (V8's `NaryOperation`;
/// `**` is right-associative and never collapsed). Folded number prefixes stay one operand.
fn collect_binary<'b, 'a>(
    e: &'b Expression<'a>,
    op: BinaryOperator,
    out: &mut Vec<&'b Expression<'a>>,
) {
    match strip_parens(e) {
        Expression::BinaryExpression(b)
            if b.operator == op
                && op != BinaryOperator::Exponential
                && folded_number(strip_parens(e)).is_none() =>
        {
            collect_binary(&b.left, op, out);
            out.push(&b.right);
        }
        _ => out.push(e),
    }
}

fn collect_logical<'b, 'a>(
    e: &'b Expression<'a>,
    op: LogicalOperator,
    out: &mut Vec<&'b Expression<'a>>,
) {
    match strip_parens(e) {
        Expression::LogicalExpression(l) if l.operator == op => {
            collect_logical(&l.left, op, out);
            out.push(&l.right);
        }
        _ => out.push(e),
    }
}

/// Whether V8 names a destructured or iterated initializer from its source: only when the
/// expression's AST position is its start (a literal, a name, `this`, an object, array,
/// function or class literal); otherwise it describes the value (`number 5`).
pub(super) fn starts_at_own_position(e: &Expression<'_>) -> bool {
    let e = strip_parens(e);
    if folded_number(e).is_some() {
        return true;
    }
    matches!(
        e,
        Expression::Identifier(_)
            | Expression::ThisExpression(_)
            | Expression::NullLiteral(_)
            | Expression::BooleanLiteral(_)
            | Expression::NumericLiteral(_)
            | Expression::StringLiteral(_)
            | Expression::ObjectExpression(_)
            | Expression::ArrayExpression(_)
            | Expression::FunctionExpression(_)
            | Expression::ArrowFunctionExpression(_)
            | Expression::ClassExpression(_)
            | Expression::UnaryExpression(_)
            | Expression::NewExpression(_)
    )
}
