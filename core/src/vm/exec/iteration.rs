//! Iteration instructions: the iterator protocol (for-of, spread, destructuring) and the
//! key walk of for-in.

use crate::heap::*;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// GetIterator: iterable -> iterator next.
    #[inline(always)]
    pub(super) fn exec_get_iterator(&mut self) -> Result<(), Value> {
        let v = self.pop();
        let (it, next) = self.get_iterator(&v)?;
        self.push(it);
        self.push(next);
        Ok(())
    }

    /// GetAsyncIterator: iterable -> iterator next (sync iterators are wrapped).
    #[inline(always)]
    pub(super) fn exec_get_async_iterator(&mut self) -> Result<(), Value> {
        let v = self.pop();
        let (it, next) = self.get_async_iterator(&v)?;
        self.push(it);
        self.push(next);
        Ok(())
    }

    /// IterCall: iterator next -> result (array iterators without a call).
    #[inline(always)]
    pub(super) fn exec_iter_call(&mut self) -> Result<(), Value> {
        let next = self.pop();
        let it = self.pop();
        // fast path for array iterators
        if let Some(r) = self.fast_array_iter_next(&it) {
            self.push(r);
            return Ok(());
        }
        let at = self.stack.len();
        if let Some(v) = self.invoke(next, it, 0, at)? {
            self.push(v);
        }
        Ok(())
    }

    /// IterDone: result -> done.
    #[inline(always)]
    pub(super) fn exec_iter_done(&mut self) -> Result<(), Value> {
        let r = self.pop();
        if !matches!(r, Value::Obj(_)) {
            let d = self.to_display_short(&r);
            return Err(self.type_error(&format!("Iterator result {d} is not an object")));
        }
        let d = self.get(&r, PropKey::Str(self.names.done))?;
        self.push(Value::Bool(d.truthy()));
        Ok(())
    }

    /// IterValue: result -> value.
    #[inline(always)]
    pub(super) fn exec_iter_value(&mut self) -> Result<(), Value> {
        let r = self.pop();
        let v = if let Value::Obj(_) = r {
            self.get(&r, PropKey::Str(self.names.value))?
        } else {
            Value::Undefined
        };
        self.push(v);
        Ok(())
    }

    /// IterClose: iterator next -> , calls iterator.return if there is one.
    #[inline(always)]
    pub(super) fn exec_iter_close(&mut self) -> Result<(), Value> {
        let _next = self.pop();
        let it = self.pop();
        if let Value::Obj(_) = it {
            let ret = self.get(&it, PropKey::Str(self.names.ret))?;
            if self.is_callable(&ret) {
                self.call(&ret, it, &[])?;
            }
        }
        Ok(())
    }

    /// ForInPrepare: obj -> keysArray index.
    #[inline(always)]
    pub(super) fn exec_for_in_prepare(&mut self) {
        let o = self.pop();
        let keys = self.for_in_keys(&o);
        let arr = self.new_array(keys);
        self.push(arr);
        self.push(Value::Num(0.0));
    }

    /// ForInNext: keysArray index -> keysArray index+1 key, or jumps when exhausted.
    #[inline(always)]
    pub(super) fn exec_for_in_next(&mut self, fi: usize, t: u32) {
        let idx = self.pop();
        let arr = self.stack.last().cloned().unwrap_or(Value::Undefined);
        let i = if let Value::Num(n) = idx {
            n as usize
        } else {
            0
        };
        let item = match &arr {
            Value::Obj(a) => match &self.heap.obj(*a).kind {
                ObjKind::Array(items) => items.get(i).cloned(),
                _ => None,
            },
            _ => None,
        };
        match item {
            Some(k) => {
                self.push(Value::Num((i + 1) as f64));
                self.push(k);
            }
            None => {
                self.push(idx);
                self.frames[fi].pc = t;
            }
        }
    }
}
