//! Operator instructions: arithmetic, bitwise, equality, relational, `instanceof`, `in`,
//! and the unary operators. Their semantics on non-numbers are in
//! [`crate::vm::conversions`].

use crate::bytecode::Instr;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// Add: a b -> a + b (numeric addition or concatenation).
    #[inline(always)]
    pub(super) fn exec_add(&mut self) -> Result<(), Value> {
        let b = self.pop();
        let a = self.pop();
        let v = match (&a, &b) {
            (Value::Num(x), Value::Num(y)) => Value::Num(x + y),
            _ => self.add(a, b)?,
        };
        self.push(v);
        Ok(())
    }

    /// Sub, Mul, Div, Mod, Exp: a b -> number.
    #[inline(always)]
    pub(super) fn exec_arithmetic(&mut self, ins: &Instr) -> Result<(), Value> {
        let b = self.pop();
        let a = self.pop();
        let (x, y) = match (&a, &b) {
            (Value::Num(x), Value::Num(y)) => (*x, *y),
            _ => (self.to_number(&a)?, self.to_number(&b)?),
        };
        let r = match ins {
            Instr::Sub => x - y,
            Instr::Mul => x * y,
            Instr::Div => x / y,
            Instr::Mod => js_rem(x, y),
            _ => js_pow(x, y),
        };
        self.push(Value::Num(r));
        Ok(())
    }

    /// BitAnd, BitOr, BitXor, Shl, Shr, UShr: a b -> number.
    #[inline(always)]
    pub(super) fn exec_bitwise(&mut self, ins: &Instr) -> Result<(), Value> {
        let b = self.pop();
        let a = self.pop();
        let x = self.to_number(&a)?;
        let y = self.to_number(&b)?;
        let xi = crate::value::to_int32(x);
        let yu = crate::value::to_uint32(y);
        let r = match ins {
            Instr::BitAnd => (xi & crate::value::to_int32(y)) as f64,
            Instr::BitOr => (xi | crate::value::to_int32(y)) as f64,
            Instr::BitXor => (xi ^ crate::value::to_int32(y)) as f64,
            Instr::Shl => xi.wrapping_shl(yu & 31) as f64,
            Instr::Shr => (xi >> (yu & 31)) as f64,
            _ => (crate::value::to_uint32(x) >> (yu & 31)) as f64,
        };
        self.push(Value::Num(r));
        Ok(())
    }

    /// Eq, Ne: a b -> bool (`==`, `!=`).
    #[inline(always)]
    pub(super) fn exec_loose_equality(&mut self, ins: &Instr) -> Result<(), Value> {
        let b = self.pop();
        let a = self.pop();
        let r = self.loose_eq(&a, &b)?;
        self.push(Value::Bool(if matches!(ins, Instr::Eq) { r } else { !r }));
        Ok(())
    }

    /// StrictEq: a b -> bool.
    #[inline(always)]
    pub(super) fn exec_strict_eq(&mut self) {
        let b = self.pop();
        let a = self.pop();
        self.push(Value::Bool(a.strict_eq(&b)));
    }

    /// StrictNe: a b -> bool.
    #[inline(always)]
    pub(super) fn exec_strict_ne(&mut self) {
        let b = self.pop();
        let a = self.pop();
        self.push(Value::Bool(!a.strict_eq(&b)));
    }

    /// Lt, Le, Gt, Ge: a b -> bool.
    #[inline(always)]
    pub(super) fn exec_relational(&mut self, ins: &Instr) -> Result<(), Value> {
        let b = self.pop();
        let a = self.pop();
        let r = match (&a, &b) {
            (Value::Num(x), Value::Num(y)) => match ins {
                Instr::Lt => x < y,
                Instr::Le => x <= y,
                Instr::Gt => x > y,
                _ => x >= y,
            },
            _ => self.compare(a, b, ins)?,
        };
        self.push(Value::Bool(r));
        Ok(())
    }

    /// InstanceOf: a b -> bool.
    #[inline(always)]
    pub(super) fn exec_instance_of(&mut self) -> Result<(), Value> {
        let b = self.pop();
        let a = self.pop();
        let r = self.instance_of(&a, &b)?;
        self.push(Value::Bool(r));
        Ok(())
    }

    /// In: key obj -> bool (a TypeError when obj is not an object).
    #[inline(always)]
    pub(super) fn exec_in(&mut self) -> Result<(), Value> {
        let b = self.pop();
        let a = self.pop();
        let Value::Obj(o) = b else {
            let key = self.to_display(&a);
            let target = self.to_display(&b);
            return Err(self.type_error(&format!(
                "Cannot use 'in' operator to search for '{key}' in {target}"
            )));
        };
        let k = self.to_property_key(&a)?;
        let r = self.has_property(o, k);
        self.push(Value::Bool(r));
        Ok(())
    }

    /// Neg: a -> -a.
    #[inline(always)]
    pub(super) fn exec_neg(&mut self) -> Result<(), Value> {
        let a = self.pop();
        let x = self.to_number(&a)?;
        self.push(Value::Num(-x));
        Ok(())
    }

    /// ToNumber: a -> number (unary `+`).
    #[inline(always)]
    pub(super) fn exec_to_number(&mut self) -> Result<(), Value> {
        let a = self.pop();
        let x = match a {
            Value::Num(n) => n,
            _ => self.to_number(&a)?,
        };
        self.push(Value::Num(x));
        Ok(())
    }

    /// Inc, Dec: a -> number + 1 / - 1.
    #[inline(always)]
    pub(super) fn exec_increment(&mut self, ins: &Instr) -> Result<(), Value> {
        let a = self.pop();
        let x = self.to_number(&a)?;
        self.push(Value::Num(if matches!(ins, Instr::Inc) {
            x + 1.0
        } else {
            x - 1.0
        }));
        Ok(())
    }

    /// Not: a -> bool.
    #[inline(always)]
    pub(super) fn exec_not(&mut self) {
        let a = self.pop();
        self.push(Value::Bool(!a.truthy()));
    }

    /// BitNot: a -> number (`~`).
    #[inline(always)]
    pub(super) fn exec_bit_not(&mut self) -> Result<(), Value> {
        let a = self.pop();
        let x = self.to_number(&a)?;
        self.push(Value::Num(!crate::value::to_int32(x) as f64));
        Ok(())
    }

    /// Typeof: a -> string.
    #[inline(always)]
    pub(super) fn exec_typeof(&mut self) {
        let a = self.pop();
        let t = self.type_of(&a);
        let v = self.intern(t);
        self.push(v);
    }

    /// ToStringValue: v -> string (a template literal's substitution).
    #[inline(always)]
    pub(super) fn exec_to_string_value(&mut self) -> Result<(), Value> {
        let a = self.pop();
        let s = match a {
            Value::Str(_) => a,
            Value::Sym(_) => {
                return Err(self.type_error("Cannot convert a Symbol value to a string"))
            }
            _ => Value::str(&self.to_string(&a)?),
        };
        self.push(s);
        Ok(())
    }
}

pub fn js_rem(x: f64, y: f64) -> f64 {
    if y == 0.0 || x.is_infinite() || x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if y.is_infinite() {
        return x;
    }
    let r = x % y;
    if r == 0.0 && x.is_sign_negative() {
        -0.0
    } else {
        r
    }
}

pub fn js_pow(x: f64, y: f64) -> f64 {
    if y.is_nan() {
        return f64::NAN;
    }
    if y == 0.0 {
        return 1.0;
    }
    if (x == 1.0 || x == -1.0) && y.is_infinite() {
        return f64::NAN;
    }
    x.powf(y)
}
