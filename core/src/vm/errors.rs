//! Creating the errors the engine throws: error objects with V8-style `stack` text, and the
//! messages V8 words from the failing instruction's source (the compiler records an
//! [`ErrorSite`] for instructions that can fail, naming their operand).

use super::Vm;
use crate::bytecode::{ErrorSite, FuncFlavor, Instr, Subject};
use crate::heap::*;
use crate::value::{ObjId, Value};

impl Vm {
    /// Creates an error object of the given prototype with `message` and a `stack`.
    pub fn make_error(&mut self, proto: ObjId, message: &str) -> Value {
        let o = self.alloc(Some(proto), ObjKind::Error);
        if !message.is_empty() || true {
            let m = self.names.message;
            self.heap
                .obj_mut(o)
                .put(PropKey::Str(m), Value::str(message), HIDDEN);
        }
        self.attach_stack(o);
        Value::Obj(o)
    }
    /// Sets `stack` on an error from its name/message and the current frames.
    pub fn attach_stack(&mut self, o: ObjId) {
        let header = self.error_header(o);
        let mut s = header;
        s.push_str(&self.stack_trace_lines());
        let k = self.names.stack;
        self.heap
            .obj_mut(o)
            .put(PropKey::Str(k), Value::str(&s), HIDDEN);
    }
    pub fn error_header(&mut self, o: ObjId) -> String {
        let name = match self.get(&Value::Obj(o), PropKey::Str(self.names.name)) {
            Ok(Value::Str(s)) => s.to_string(),
            _ => "Error".to_string(),
        };
        let msg = match self.get(&Value::Obj(o), PropKey::Str(self.names.message)) {
            Ok(Value::Str(s)) => s.to_string(),
            Ok(Value::Undefined) | Err(_) => String::new(),
            Ok(v) => self.to_display(&v),
        };
        if msg.is_empty() {
            name
        } else if name.is_empty() {
            msg
        } else {
            format!("{name}: {msg}")
        }
    }
    /// "    at fn (file:line:col)" lines for the current frame stack (innermost first).
    pub fn stack_trace_lines(&self) -> String {
        self.stack_trace_lines_below(None)
    }
    /// Like [`Vm::stack_trace_lines`], but when `constructor` has a frame, that frame and the
    /// ones above it are left out (V8 starts an error's stack below its `new.target`).
    pub fn stack_trace_lines_below(&self, constructor: Option<ObjId>) -> String {
        let skip = constructor
            .and_then(|c| self.frames.iter().rev().position(|f| f.callee == c))
            .map_or(0, |i| i + 1);
        let mut s = String::new();
        for f in self
            .frames
            .iter()
            .rev()
            .skip(skip)
            .filter(|f| !self.program.functions[f.func as usize].internal)
            .take(10)
        {
            let code = &self.program.functions[f.func as usize];
            let pc = (f.pc as usize)
                .saturating_sub(1)
                .min(code.spans.len().saturating_sub(1));
            let off = code.spans.get(pc).copied().unwrap_or(code.start);
            let (file, l, c) = self.position(f.func, off);
            let name = match code.flavor {
                FuncFlavor::Script => "Object.<anonymous>".to_string(),
                _ if code.name.is_empty() => String::new(),
                _ => code.name.clone(),
            };
            if name.is_empty() {
                s.push_str(&format!("\n    at {file}:{l}:{c}"));
            } else {
                s.push_str(&format!("\n    at {name} ({file}:{l}:{c})"));
            }
        }
        s
    }
    pub fn type_error(&mut self, msg: &str) -> Value {
        let p = self.realm.type_error_proto;
        self.make_error(p, msg)
    }
    pub fn range_error(&mut self, msg: &str) -> Value {
        let p = self.realm.range_error_proto;
        self.make_error(p, msg)
    }
    pub fn reference_error(&mut self, msg: &str) -> Value {
        let p = self.realm.reference_error_proto;
        self.make_error(p, msg)
    }
    pub fn throw_type<T>(&mut self, msg: &str) -> Result<T, Value> {
        Err(self.type_error(msg))
    }

    pub(in crate::vm) fn not_function_error(&mut self, callee: &Value) -> Value {
        // Describe the callee by the expression that produced it, like V8 does.
        if let Some((_, Some(ErrorSite::IteratedCallee(t)))) = self.current_site() {
            let t = &self.program.strings[t as usize];
            let message = format!("{t} is not a function or its return value is not iterable");
            return self.type_error(&message);
        }
        let desc = self
            .callee_text()
            .unwrap_or_else(|| self.to_display_short(callee));
        self.type_error(&format!("{desc} is not a function"))
    }

    /// The current instruction of the running frame and the error site the compiler recorded
    /// for it (how V8 would name its operand in an error message).
    pub(crate) fn current_site(&self) -> Option<(&Instr, Option<ErrorSite>)> {
        let f = self.frames.last()?;
        let code = &self.program.functions[f.func as usize];
        let pc = (f.pc as usize).checked_sub(1)?;
        Some((code.code.get(pc)?, code.error_site(pc)))
    }

    /// Whether the frame at `fi` runs strict-mode code (where refused assignments throw).
    #[inline]
    pub(in crate::vm) fn frame_is_strict(&self, fi: usize) -> bool {
        self.program.functions[self.frames[fi].func as usize].strict
    }

    /// The failing call's callee as V8 names it (`o.f(...).g`), when the current instruction
    /// is that call.
    pub(in crate::vm) fn callee_text(&self) -> Option<String> {
        match self.current_site()? {
            (
                Instr::Call(_) | Instr::CallSpread | Instr::New(_) | Instr::NewSpread,
                Some(ErrorSite::Callee(t)),
            ) => Some(self.program.strings[t as usize].clone()),
            _ => None,
        }
    }

    /// V8's description of a value it has no source text for: its type, and for primitives
    /// the value (`number 5`, `string "ab"`, `object null`, `undefined`).
    pub fn value_description(&mut self, v: &Value) -> String {
        let ty = self.type_of(v);
        match v {
            Value::Str(s) => format!("{ty} \"{s}\""),
            Value::Null | Value::Bool(_) | Value::Num(_) => {
                format!("{ty} {}", self.to_display(v))
            }
            _ => ty.to_string(),
        }
    }

    /// The TypeError for a value that is not iterable, worded as V8 words it at the current
    /// instruction (for-of, spread, destructuring, or a built-in).
    pub fn not_iterable_error(&mut self, v: &Value) -> Value {
        let site = self.current_site().map(|(i, s)| (i.clone(), s));
        let message = match site {
            Some((ins, Some(ErrorSite::Iterable { text, call }))) => {
                let t = &self.program.strings[text as usize];
                let what = if matches!(ins, Instr::GetAsyncIterator) {
                    "async iterable"
                } else {
                    "iterable"
                };
                if call {
                    format!("{t} is not a function or its return value is not {what}")
                } else {
                    format!("{t} is not {what}")
                }
            }
            Some((_, Some(ErrorSite::IterableCallResult(text)))) => {
                let t = &self.program.strings[text as usize];
                format!("{t} is not iterable (cannot read property Symbol(Symbol.iterator))")
            }
            Some((_, Some(ErrorSite::SpreadArgument(text)))) => match v {
                Value::Undefined | Value::Null => {
                    let t = &self.program.strings[text as usize];
                    let shown = if matches!(v, Value::Null) {
                        "null"
                    } else {
                        "undefined"
                    };
                    format!("{t} is not iterable (cannot read property {shown})")
                }
                _ => "Spread syntax requires ...iterable[Symbol.iterator] to be a function".into(),
            },
            _ => {
                let d = self.value_description(v);
                format!("{d} is not iterable (cannot read property Symbol(Symbol.iterator))")
            }
        };
        self.type_error(&message)
    }

    /// A destructuring TypeError for reading `key` of a null/undefined `o`, when the current
    /// instruction is the first read (or the check) of an object pattern.
    pub(crate) fn destructure_error(&mut self, o: &Value, key: Option<String>) -> Option<Value> {
        if !o.is_nullish() {
            return None;
        }
        let Some((_, Some(ErrorSite::Destructure(subject)))) = self.current_site() else {
            return None;
        };
        let shown = if matches!(o, Value::Null) {
            "null"
        } else {
            "undefined"
        };
        let named = match subject {
            Subject::Text(t) => self.program.strings[t as usize].clone(),
            Subject::TypedValue => self.value_description(o),
        };
        let message = match key {
            Some(k) => format!("Cannot destructure property '{k}' of '{named}' as it is {shown}."),
            None => format!("Cannot destructure '{named}' as it is {shown}."),
        };
        Some(self.type_error(&message))
    }

    /// Whether the current InitVar binds `this` after a `super()` call (a second call is a
    /// ReferenceError once the parent constructor has run).
    #[inline]
    pub(in crate::vm) fn binds_this_again(&self) -> bool {
        matches!(self.current_site(), Some((_, Some(ErrorSite::Binding(n))))
            if self.program.strings[n as usize] == "this")
    }

    /// The ReferenceError for a binding read or written in its temporal dead zone, named by
    /// the current instruction's site (`this` before `super()` in a derived constructor).
    #[inline]
    pub(in crate::vm) fn tdz_error(&mut self) -> Value {
        let name = match self.current_site() {
            Some((_, Some(ErrorSite::Binding(n)))) => self.program.strings[n as usize].clone(),
            _ => "variable".into(),
        };
        if name == "this" {
            return self.reference_error(
                "Must call super constructor in derived class before accessing 'this' or returning from derived constructor",
            );
        }
        self.reference_error(&format!("Cannot access '{name}' before initialization"))
    }
}
