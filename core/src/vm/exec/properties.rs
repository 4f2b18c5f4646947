//! Property instructions: named and computed reads, writes and deletes, and `super.name`.
//! The lookups themselves are in [`crate::vm::ops`].

use crate::heap::*;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// GetProp: obj -> value.
    #[inline(always)]
    pub(super) fn exec_get_prop(&mut self, i: u32) -> Result<(), Value> {
        let o = self.pop();
        let k = PropKey::Str(self.str_atoms[i as usize]);
        let v = match self.get_named(&o, k, i) {
            Ok(v) => v,
            Err(e) => {
                let key = Some(self.key_display(k));
                return Err(self.destructure_error(&o, key).unwrap_or(e));
            }
        };
        self.push(v);
        Ok(())
    }

    /// SetProp: obj value -> value (a refused assignment throws in strict code).
    #[inline(always)]
    pub(super) fn exec_set_prop(&mut self, fi: usize, i: u32) -> Result<(), Value> {
        let v = self.pop();
        let o = self.pop();
        let k = PropKey::Str(self.str_atoms[i as usize]);
        if !self.set_checked(&o, k, v.clone())? && self.frame_is_strict(fi) {
            return Err(self.failed_set_error(&o, k));
        }
        self.push(v);
        Ok(())
    }

    /// GetElem: obj key -> value.
    #[inline(always)]
    pub(super) fn exec_get_elem(&mut self) -> Result<(), Value> {
        let key = self.pop();
        let o = self.pop();
        let v = match self.get_elem(&o, &key) {
            Ok(v) => v,
            Err(e) => {
                let key = Some(self.to_display(&key));
                return Err(self.destructure_error(&o, key).unwrap_or(e));
            }
        };
        self.push(v);
        Ok(())
    }

    /// SetElem: obj key value -> value.
    #[inline(always)]
    pub(super) fn exec_set_elem(&mut self, fi: usize) -> Result<(), Value> {
        let v = self.pop();
        let key = self.pop();
        let o = self.pop();
        if !self.set_elem(&o, &key, v.clone())? && self.frame_is_strict(fi) {
            let k = self.to_property_key(&key)?;
            return Err(self.failed_set_error(&o, k));
        }
        self.push(v);
        Ok(())
    }

    /// DeleteProp: obj -> bool.
    #[inline(always)]
    pub(super) fn exec_delete_prop(&mut self, i: u32) -> Result<(), Value> {
        let o = self.pop();
        let k = PropKey::Str(self.str_atoms[i as usize]);
        let r = self.delete(&o, k)?;
        self.push(Value::Bool(r));
        Ok(())
    }

    /// DeleteElem: obj key -> bool (an array element becomes a hole).
    #[inline(always)]
    pub(super) fn exec_delete_elem(&mut self) -> Result<(), Value> {
        let key = self.pop();
        let o = self.pop();
        let k = self.to_property_key(&key)?;
        if let (Value::Obj(id), Some(idx)) = (&o, self.heap.key_is_index(k)) {
            if let ObjKind::Array(items) = &mut self.heap.obj_mut(*id).kind {
                if (idx as usize) < items.len() {
                    items[idx as usize] = Value::Uninit;
                }
                self.push(Value::Bool(true));
                return Ok(());
            }
        }
        let r = self.delete(&o, k)?;
        self.push(Value::Bool(r));
        Ok(())
    }

    /// GetSuper: this -> value, `super.name` on the home object's prototype.
    #[inline(always)]
    pub(super) fn exec_get_super(&mut self, fi: usize, i: u32) -> Result<(), Value> {
        let this = self.pop();
        let callee = self.frames[fi].callee;
        let home = match &self.heap.obj(callee).kind {
            ObjKind::Function(FuncKind::Closure { home, .. }) => *home,
            _ => None,
        };
        let Some(home) = home else {
            return Err(self.type_error("'super' keyword unexpected here"));
        };
        let proto = self.heap.obj(home).proto;
        let k = PropKey::Str(self.str_atoms[i as usize]);
        let v = match proto {
            Some(p) => self.get_with_receiver(p, k, &this)?,
            None => Value::Undefined,
        };
        self.push(v);
        Ok(())
    }
}
