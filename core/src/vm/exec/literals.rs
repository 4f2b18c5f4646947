//! Literal instructions: objects, arrays, spread and rest, closures and classes.

use crate::bytecode::FuncFlavor;
use crate::heap::*;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// NewObject: -> {}.
    #[inline(always)]
    pub(super) fn exec_new_object(&mut self) {
        let o = self.new_object();
        self.push(Value::Obj(o));
    }

    /// NewArray: -> [].
    #[inline(always)]
    pub(super) fn exec_new_array(&mut self) {
        let a = self.new_array(Vec::new());
        self.push(a);
    }

    /// ArrayPush: arr v -> arr.
    #[inline(always)]
    pub(super) fn exec_array_push(&mut self) {
        let v = self.pop();
        if let Some(Value::Obj(a)) = self.stack.last() {
            let a = *a;
            if let ObjKind::Array(items) = &mut self.heap.obj_mut(a).kind {
                items.push(v);
            }
        }
    }

    /// ArrayHole: arr -> arr (one more element, a hole).
    #[inline(always)]
    pub(super) fn exec_array_hole(&mut self) {
        if let Some(Value::Obj(a)) = self.stack.last() {
            let a = *a;
            if let ObjKind::Array(items) = &mut self.heap.obj_mut(a).kind {
                items.push(Value::Uninit);
            }
        }
    }

    /// ArraySpread: arr iter next -> arr.
    #[inline(always)]
    pub(super) fn exec_array_spread(&mut self) -> Result<(), Value> {
        let next = self.pop();
        let iter = self.pop();
        let items = self.drain_iterator(&iter, &next)?;
        if let Some(Value::Obj(a)) = self.stack.last() {
            let a = *a;
            if let ObjKind::Array(v) = &mut self.heap.obj_mut(a).kind {
                v.extend(items);
            }
        }
        Ok(())
    }

    /// DefineField: obj key value -> obj.
    #[inline(always)]
    pub(super) fn exec_define_field(&mut self) -> Result<(), Value> {
        let v = self.pop();
        let k = self.pop();
        let private = matches!(&k, Value::Str(s) if s.starts_with('#'));
        let k = self.to_property_key(&k)?;
        if let Some(Value::Obj(o)) = self.stack.last() {
            let o = *o;
            if private {
                self.heap.obj_mut(o).put(k, v, WRITABLE);
            } else {
                self.define_own(o, k, v);
            }
        }
        Ok(())
    }

    /// DefineNamed: obj value -> obj.
    #[inline(always)]
    pub(super) fn exec_define_named(&mut self, i: u32) {
        let v = self.pop();
        let k = PropKey::Str(self.str_atoms[i as usize]);
        if let Some(Value::Obj(o)) = self.stack.last() {
            let o = *o;
            self.define_own(o, k, v);
        }
    }

    /// DefineMethod: obj key fn -> obj (kind 0 a method, 1 a getter, 2 a setter).
    #[inline(always)]
    pub(super) fn exec_define_method(&mut self, kind: u8, enumerable: bool) -> Result<(), Value> {
        let f = self.pop();
        let k = self.pop();
        let k = self.to_property_key(&k)?;
        let Some(Value::Obj(o)) = self.stack.last() else {
            return Ok(());
        };
        let o = *o;
        if let Value::Obj(fo) = &f {
            if let ObjKind::Function(FuncKind::Closure { home, .. }) =
                &mut self.heap.obj_mut(*fo).kind
            {
                *home = Some(o);
            }
        }
        let flags = if enumerable { DEFAULT_FLAGS } else { HIDDEN };
        let obj = self.heap.obj_mut(o);
        match kind {
            0 => obj.put(k, f, flags),
            _ => {
                let (mut g, mut s) = (Value::Undefined, Value::Undefined);
                if let Some(Prop {
                    slot: Slot::Accessor { get, set },
                    ..
                }) = obj.get_own(k)
                {
                    g = get.clone();
                    s = set.clone();
                }
                if kind == 1 {
                    g = f;
                } else {
                    s = f;
                }
                obj.remove(k);
                obj.push_prop(Prop {
                    key: k,
                    slot: Slot::Accessor { get: g, set: s },
                    flags,
                });
            }
        }
        Ok(())
    }

    /// CopyDataProps: obj src -> obj (object spread).
    #[inline(always)]
    pub(super) fn exec_copy_data_props(&mut self) -> Result<(), Value> {
        let src = self.pop();
        if let Some(Value::Obj(o)) = self.stack.last() {
            let o = *o;
            self.copy_data_props(o, &src, &[])?;
        }
        Ok(())
    }

    /// RequireObjectCoercible: v -> v, a TypeError for null or undefined.
    #[inline(always)]
    pub(super) fn exec_require_object_coercible(&mut self) -> Result<(), Value> {
        let v = self.stack.last().cloned().unwrap_or(Value::Undefined);
        if let Some(e) = self.destructure_error(&v, None) {
            return Err(e);
        }
        Ok(())
    }

    /// ObjectRest: src excludedKeysArray -> newObject.
    #[inline(always)]
    pub(super) fn exec_object_rest(&mut self) -> Result<(), Value> {
        let excluded = self.pop();
        let src = self.pop();
        let keys = self.array_items(&excluded);
        let mut ex = Vec::new();
        for k in keys {
            ex.push(self.to_property_key(&k)?);
        }
        let o = self.new_object();
        self.copy_data_props(o, &src, &ex)?;
        self.push(Value::Obj(o));
        Ok(())
    }

    /// Closure: -> a new closure of function idx over the current environment.
    #[inline(always)]
    pub(super) fn exec_closure(&mut self, fi: usize, idx: u32) {
        let env = self.frames[fi].env;
        let code = &self.program.functions[idx as usize];
        let (is_arrow, is_generator) = (code.flavor == FuncFlavor::Arrow, code.is_generator);
        let (this_val, home) = if is_arrow {
            let callee = self.frames[fi].callee;
            let home = match &self.heap.obj(callee).kind {
                ObjKind::Function(FuncKind::Closure { home, .. }) => *home,
                _ => None,
            };
            (None, home)
        } else {
            (None, None)
        };
        let p = self.realm.function_proto;
        let o = self.alloc(
            Some(p),
            ObjKind::Function(FuncKind::Closure {
                func: idx,
                env,
                this_val,
                home,
            }),
        );
        if is_generator {
            let gp = self.realm.generator_proto;
            let proto = self.alloc(Some(gp), ObjKind::Ordinary);
            let k = PropKey::Str(self.names.prototype);
            self.heap.obj_mut(o).put(k, Value::Obj(proto), WRITABLE);
        }
        self.push(Value::Obj(o));
    }

    /// MakeClass: superclass-or-hole ctor -> ctor proto.
    #[inline(always)]
    pub(super) fn exec_make_class(&mut self, has_super: bool) -> Result<(), Value> {
        let ctor = self.pop();
        let sup = if has_super { Some(self.pop()) } else { None };
        let Value::Obj(c) = ctor else {
            return Ok(());
        };
        let mut proto_parent = Some(self.realm.object_proto);
        if let Some(s) = sup {
            match &s {
                Value::Null => {
                    proto_parent = None;
                }
                Value::Obj(so) if self.is_callable(&s) => {
                    let so = *so;
                    self.heap.obj_mut(c).proto = Some(so);
                    let pp = self.get(&s, PropKey::Str(self.names.prototype))?;
                    proto_parent = match pp {
                        Value::Obj(p) => Some(p),
                        _ => None,
                    };
                }
                _ => {
                    let d = self.to_display_short(&s);
                    return Err(self.type_error(&format!(
                        "Class extends value {d} is not a constructor or null"
                    )));
                }
            }
        }
        let proto = self.alloc(proto_parent, ObjKind::Ordinary);
        let kp = PropKey::Str(self.names.prototype);
        let kc = PropKey::Str(self.names.constructor);
        self.heap.obj_mut(c).put(kp, Value::Obj(proto), 0);
        self.heap.obj_mut(proto).put(kc, Value::Obj(c), HIDDEN);
        if let ObjKind::Function(FuncKind::Closure { home, .. }) = &mut self.heap.obj_mut(c).kind {
            *home = Some(proto);
        }
        self.push(Value::Obj(c));
        self.push(Value::Obj(proto));
        Ok(())
    }
}
