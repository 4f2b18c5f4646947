//! Conversions (ToPrimitive, ToNumber, ToString, ToPropertyKey, display strings, typeof),
//! the operators that need the heap (addition, loose equality, relational comparison,
//! instanceof) and the iteration protocol (GetIterator, draining iterators).

use super::{JsResult, Vm};
use crate::bytecode::Instr;
use crate::heap::*;
use crate::value::*;

impl Vm {
    pub fn to_property_key(&mut self, v: &Value) -> Result<PropKey, Value> {
        Ok(match v {
            Value::Str(s) => self.heap.key(s),
            Value::Sym(s) => PropKey::Sym(*s),
            Value::Num(n) => {
                let s = number_to_string(*n);
                self.heap.key(&s)
            }
            other => {
                let p = self.to_primitive(other, "string")?;
                if let Value::Sym(s) = p {
                    return Ok(PropKey::Sym(s));
                }
                let s = self.to_string(&p)?;
                self.heap.key(&s)
            }
        })
    }

    pub fn to_primitive(&mut self, v: &Value, hint: &str) -> JsResult {
        let Value::Obj(o) = v else {
            return Ok(v.clone());
        };
        match &self.heap.obj(*o).kind {
            ObjKind::BoxedString(s) => return Ok(Value::Str(s.clone())),
            ObjKind::BoxedNumber(n) => return Ok(Value::Num(*n)),
            ObjKind::BoxedBool(b) => return Ok(Value::Bool(*b)),
            _ => {}
        }
        let tp = self.get(v, PropKey::Sym(self.syms.to_primitive))?;
        if self.is_callable(&tp) {
            let r = self.call(&tp, v.clone(), &[Value::str(hint)])?;
            if !matches!(r, Value::Obj(_)) {
                return Ok(r);
            }
            return self.throw_type("Cannot convert object to primitive value");
        }
        let order = if hint == "string" {
            [self.names.to_string, self.names.value_of]
        } else {
            [self.names.value_of, self.names.to_string]
        };
        for name in order {
            let f = self.get(v, PropKey::Str(name))?;
            if self.is_callable(&f) {
                let r = self.call(&f, v.clone(), &[])?;
                if !matches!(r, Value::Obj(_)) {
                    return Ok(r);
                }
            }
        }
        self.throw_type("Cannot convert object to primitive value")
    }

    pub fn to_number(&mut self, v: &Value) -> Result<f64, Value> {
        Ok(match v {
            Value::Num(n) => *n,
            Value::Undefined | Value::Uninit => f64::NAN,
            Value::Null => 0.0,
            Value::Bool(b) => *b as u8 as f64,
            Value::Str(s) => string_to_number(s),
            Value::Sym(_) => return self.throw_type("Cannot convert a Symbol value to a number"),
            Value::Obj(_) => {
                let p = self.to_primitive(v, "number")?;
                self.to_number(&p)?
            }
        })
    }

    pub fn to_string(&mut self, v: &Value) -> Result<String, Value> {
        Ok(match v {
            Value::Str(s) => s.to_string(),
            Value::Num(n) => number_to_string(*n),
            Value::Undefined | Value::Uninit => "undefined".into(),
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Sym(_) => return self.throw_type("Cannot convert a Symbol value to a string"),
            Value::Obj(_) => {
                let p = self.to_primitive(v, "string")?;
                self.to_string(&p)?
            }
        })
    }

    /// ToString as a [`JsStr`] (strings are passed through without copying).
    pub fn to_js_string(&mut self, v: Value) -> Result<JsStr, Value> {
        match v {
            Value::Str(s) => Ok(s),
            other => Ok(JsStr::from(self.to_string(&other)?)),
        }
    }

    /// ToString that never throws (for messages).
    pub fn to_display(&mut self, v: &Value) -> String {
        match v {
            Value::Sym(s) => format!(
                "Symbol({})",
                self.heap.symbols[*s as usize]
                    .description
                    .as_deref()
                    .unwrap_or("")
            ),
            _ => {
                let saved = self.abort.clone();
                let r = self.to_string(v).unwrap_or_else(|_| "[object]".into());
                self.abort = saved;
                r
            }
        }
    }

    /// Short description used in TypeError messages ("undefined", "obj.x", ...).
    pub fn to_display_short(&mut self, v: &Value) -> String {
        match v {
            Value::Str(s) => format!("\"{s}\""),
            Value::Obj(o) => match &self.heap.obj(*o).kind {
                ObjKind::Function(_) => "function".into(),
                ObjKind::Array(_) => "array".into(),
                _ => "#<Object>".into(),
            },
            other => self.to_display(other),
        }
    }

    /// As [`Vm::to_display_short`], with strings unquoted (V8's texts for a bad callback or
    /// prototype: "ab is not a function", "… Object or null: p").
    pub fn to_display_unquoted(&mut self, v: &Value) -> String {
        match v {
            Value::Str(s) => s.to_string(),
            other => self.to_display_short(other),
        }
    }

    pub fn type_of(&self, v: &Value) -> &'static str {
        match v {
            Value::Undefined | Value::Uninit => "undefined",
            Value::Null => "object",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::Sym(_) => "symbol",
            Value::Obj(o) => match self.heap.obj(*o).kind {
                ObjKind::Function(_) => "function",
                _ => "object",
            },
        }
    }

    // ---------- operators
    pub fn add(&mut self, a: Value, b: Value) -> JsResult {
        if let (Value::Str(x), Value::Str(y)) = (&a, &b) {
            return Ok(Value::Str(JsStr::concat(x, y)));
        }
        let pa = self.to_primitive(&a, "default")?;
        let pb = self.to_primitive(&b, "default")?;
        if matches!(pa, Value::Str(_)) || matches!(pb, Value::Str(_)) {
            let x = self.to_js_string(pa)?;
            let y = self.to_js_string(pb)?;
            return Ok(Value::Str(JsStr::concat(&x, &y)));
        }
        Ok(Value::Num(self.to_number(&pa)? + self.to_number(&pb)?))
    }

    pub fn loose_eq(&mut self, a: &Value, b: &Value) -> Result<bool, Value> {
        Ok(match (a, b) {
            (Value::Undefined | Value::Null, Value::Undefined | Value::Null) => true,
            (Value::Undefined | Value::Null, _) | (_, Value::Undefined | Value::Null) => false,
            (Value::Num(_), Value::Str(_)) | (Value::Str(_), Value::Num(_)) => {
                self.to_number(a)? == self.to_number(b)?
            }
            (Value::Bool(_), _) => {
                let n = Value::Num(self.to_number(a)?);
                self.loose_eq(&n, b)?
            }
            (_, Value::Bool(_)) => {
                let n = Value::Num(self.to_number(b)?);
                self.loose_eq(a, &n)?
            }
            (Value::Obj(_), Value::Num(_) | Value::Str(_) | Value::Sym(_)) => {
                let p = self.to_primitive(a, "default")?;
                self.loose_eq(&p, b)?
            }
            (Value::Num(_) | Value::Str(_) | Value::Sym(_), Value::Obj(_)) => {
                let p = self.to_primitive(b, "default")?;
                self.loose_eq(a, &p)?
            }
            _ => a.strict_eq(b),
        })
    }

    pub fn compare(&mut self, a: Value, b: Value, op: &Instr) -> Result<bool, Value> {
        let pa = self.to_primitive(&a, "number")?;
        let pb = self.to_primitive(&b, "number")?;
        if let (Value::Str(x), Value::Str(y)) = (&pa, &pb) {
            let (x, y): (Vec<u16>, Vec<u16>) =
                (x.encode_utf16().collect(), y.encode_utf16().collect());
            return Ok(match op {
                Instr::Lt => x < y,
                Instr::Le => x <= y,
                Instr::Gt => x > y,
                _ => x >= y,
            });
        }
        let x = self.to_number(&pa)?;
        let y = self.to_number(&pb)?;
        Ok(match op {
            Instr::Lt => x < y,
            Instr::Le => x <= y,
            Instr::Gt => x > y,
            _ => x >= y,
        })
    }

    pub fn instance_of(&mut self, a: &Value, b: &Value) -> Result<bool, Value> {
        if !matches!(b, Value::Obj(_)) {
            return self.throw_type("Right-hand side of 'instanceof' is not an object");
        }
        if !self.is_callable(b) {
            return self.throw_type("Right-hand side of 'instanceof' is not callable");
        }
        // the realm defines no Function.prototype[@@hasInstance], so a callable one is the
        // program's own (a class's `static [Symbol.hasInstance]`)
        let hi = self.get(b, PropKey::Sym(self.syms.has_instance))?;
        if self.is_callable(&hi) {
            let r = self.call(&hi, b.clone(), std::slice::from_ref(a))?;
            return Ok(r.truthy());
        }
        let mut target = b.clone();
        if let Value::Obj(bo) = b {
            if let ObjKind::Function(FuncKind::Bound { target: t, .. }) = &self.heap.obj(*bo).kind {
                target = Value::Obj(*t);
            }
        }
        let Value::Obj(mut o) = a.clone() else {
            return Ok(false);
        };
        let proto = self.get(&target, PropKey::Str(self.names.prototype))?;
        let Value::Obj(p) = proto else {
            return Ok(false);
        };
        loop {
            match self.heap.obj(o).proto {
                Some(x) if x == p => return Ok(true),
                Some(x) => o = x,
                None => return Ok(false),
            }
        }
    }

    // ---------- iteration
    /// GetIterator(v, sync): returns (iterator, next method).
    pub fn get_iterator(&mut self, v: &Value) -> Result<(Value, Value), Value> {
        let f = match v {
            Value::Undefined | Value::Null => Value::Undefined,
            _ => self.get(v, PropKey::Sym(self.syms.iterator))?,
        };
        if !self.is_callable(&f) {
            return Err(self.not_iterable_error(v));
        }
        let it = self.call(&f, v.clone(), &[])?;
        if !matches!(it, Value::Obj(_)) {
            return self.throw_type("Result of the Symbol.iterator method is not an object");
        }
        let next = self.get(&it, PropKey::Str(self.names.next))?;
        Ok((it, next))
    }

    pub fn get_async_iterator(&mut self, v: &Value) -> Result<(Value, Value), Value> {
        let f = self.get(v, PropKey::Sym(self.syms.async_iterator))?;
        if self.is_callable(&f) {
            let it = self.call(&f, v.clone(), &[])?;
            let next = self.get(&it, PropKey::Str(self.names.next))?;
            return Ok((it, next));
        }
        let (it, next) = self.get_iterator(v)?;
        // CreateAsyncFromSyncIterator: an object whose next awaits the sync result's value
        let p = self.realm.async_from_sync_proto;
        let w = self.alloc(Some(p), ObjKind::Ordinary);
        self.put_hidden(w, "__iter", it);
        self.put_hidden(w, "__next", next);
        let n = self.get(&Value::Obj(w), PropKey::Str(self.names.next))?;
        Ok((Value::Obj(w), n))
    }

    /// Fast path: `next()` on a built-in array iterator without calling through the VM.
    pub fn fast_array_iter_next(&mut self, it: &Value) -> Option<Value> {
        crate::builtins::array::array_iter_fast_next(self, it)
    }

    /// Collects all remaining values of an iterator.
    pub fn drain_iterator(&mut self, it: &Value, next: &Value) -> Result<Vec<Value>, Value> {
        if let Value::Obj(o) = it {
            if let Some(v) = crate::builtins::array::array_iter_drain(self, *o) {
                return Ok(v);
            }
        }
        let mut out = Vec::new();
        loop {
            let r = self.call(next, it.clone(), &[])?;
            if !matches!(r, Value::Obj(_)) {
                return self.throw_type("Iterator result is not an object");
            }
            let d = self.get(&r, PropKey::Str(self.names.done))?;
            if d.truthy() {
                return Ok(out);
            }
            out.push(self.get(&r, PropKey::Str(self.names.value))?);
            if out.len() > 50_000_000 {
                return Err(self.range_error("Invalid array length"));
            }
        }
    }

    /// Iterates any iterable into a Vec.
    pub fn iterate_to_vec(&mut self, v: &Value) -> Result<Vec<Value>, Value> {
        if let Value::Obj(o) = v {
            if let ObjKind::Array(items) = &self.heap.obj(*o).kind {
                // arrays with the default iterator
                let n = items.len();
                let _ = n;
                if self.array_iterator_is_default(*o) {
                    return Ok(self.array_items(v));
                }
            }
        }
        let (it, next) = self.get_iterator(v)?;
        self.drain_iterator(&it, &next)
    }

    fn array_iterator_is_default(&mut self, o: ObjId) -> bool {
        let k = PropKey::Sym(self.syms.iterator);
        self.heap.obj(o).find(k).is_none()
    }
}
