//! Helpers the VM and the host call at their hook points: they build [`Event`]s (labels,
//! value previews) only when a recorder is listening, so plain runs pay one flag test.

use crate::heap::{FuncKind, ObjKind, PromiseState};
use crate::recorder::{Event, PromiseOp, ValuePreview};
use crate::value::{ObjId, Value};
use crate::vm::Vm;

impl Vm {
    /// Whether a recorder wants host events.
    #[inline(always)]
    pub fn recording(&self) -> bool {
        self.recorder.recording()
    }

    /// A short human label for a callback value: its function name or "(anonymous)".
    pub fn callback_label(&self, f: &Value) -> String {
        let Value::Obj(o) = f else {
            return "(not a function)".into();
        };
        match &self.heap.obj(*o).kind {
            ObjKind::Function(FuncKind::Closure { func, .. }) => {
                let n = &self.program.functions[*func as usize].name;
                if n.is_empty() {
                    "(anonymous)".into()
                } else {
                    n.clone()
                }
            }
            ObjKind::Function(FuncKind::Native { id, data }) => {
                if *id == self.ids.async_resume {
                    if let Some(Value::Obj(h)) = data.first() {
                        if let ObjKind::AsyncFrame(Some(fr)) = &self.heap.obj(*h).kind {
                            let n = &self.program.functions[fr.func as usize].name;
                            return if n.is_empty() {
                                "resume async (anonymous)".into()
                            } else {
                                format!("resume async {n}")
                            };
                        }
                    }
                    return "resume async function".into();
                }
                if *id == self.ids.resolve_fn {
                    return "resolve".into();
                }
                if *id == self.ids.reject_fn {
                    return "reject".into();
                }
                let n = self.natives[*id as usize].name;
                if n.is_empty() {
                    "(native)".into()
                } else {
                    n.to_string()
                }
            }
            ObjKind::Function(FuncKind::Bound { target, .. }) => {
                format!("bound {}", self.callback_label(&Value::Obj(*target)))
            }
            _ => "(not a function)".into(),
        }
    }

    /// A heap-free preview of a value.
    pub fn preview(&self, v: &Value) -> ValuePreview {
        match v {
            Value::Undefined | Value::Uninit => ValuePreview::Undefined,
            Value::Null => ValuePreview::Null,
            Value::Bool(b) => ValuePreview::Bool(*b),
            Value::Num(n) => ValuePreview::Num(*n),
            Value::Str(s) => ValuePreview::Str(s.chars().take(60).collect()),
            Value::Obj(o) => match &self.heap.obj(*o).kind {
                ObjKind::Function(_) => ValuePreview::Function(self.callback_label(v)),
                ObjKind::Array(items) => ValuePreview::Array(items.len() as u32),
                ObjKind::Promise { .. } => ValuePreview::Promise(*o),
                _ => ValuePreview::Object(*o),
            },
            Value::Sym(_) => ValuePreview::Other("Symbol()".into()),
        }
    }

    /// Reports a promise change to a listening recorder.
    #[inline]
    pub fn note_promise(&mut self, id: ObjId, op: PromiseOp) {
        if self.recording() {
            let value = match &self.heap.obj(id).kind {
                ObjKind::Promise {
                    state: PromiseState::Fulfilled(v) | PromiseState::Rejected(v),
                    ..
                } if matches!(op, PromiseOp::Fulfilled | PromiseOp::Rejected) => {
                    Some(self.preview(v))
                }
                _ => None,
            };
            self.recorder.event(Event::Promise { id, op, value });
        }
    }

    /// Reports a handler registration on promise `id` (PerformPromiseThen): who waits for it
    /// (`on_fulfilled`'s label, or the async function an `await` resumes) and the promise the
    /// registration returns.
    #[inline]
    pub fn note_then(&mut self, id: ObjId, derived: Option<&Value>, on_fulfilled: &Value) {
        if self.recording() {
            let handler = if self.is_callable(on_fulfilled) {
                self.callback_label(on_fulfilled)
            } else {
                "(pass value on)".to_string()
            };
            let derived = match derived {
                Some(Value::Obj(o))
                    if matches!(self.heap.obj(*o).kind, ObjKind::Promise { .. }) =>
                {
                    Some(*o)
                }
                _ => None,
            };
            self.recorder.event(Event::Then {
                promise: id,
                derived,
                handler: &handler,
            });
        }
    }

    /// Reports a variable write (instruction-level hook; only called while tracing).
    pub(crate) fn note_var(&mut self, env: u32, slot: u16) {
        let v = &self.heap.envs[env as usize].slots[slot as usize];
        let value = self.preview(v);
        self.recorder.event(Event::Var { env, slot, value });
    }

    /// Reports every initialised slot of a resumed frame's environment (while tracing).
    pub(crate) fn note_frame_vars(&mut self, env: u32) {
        if !self.recording() {
            return;
        }
        let n = self.heap.envs[env as usize].slots.len();
        for slot in 0..n.min(u16::MAX as usize) {
            if !matches!(self.heap.envs[env as usize].slots[slot], Value::Uninit) {
                self.note_var(env, slot as u16);
            }
        }
    }
}
