//! Instructions on constants, the operand stack, bindings (local, via environments, and
//! global) and the frame's arguments.

use crate::heap::*;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// Str: pushes a string constant.
    #[inline(always)]
    pub(super) fn exec_str(&mut self, i: u32) {
        let s = self.str_vals[i as usize].clone();
        self.push(Value::Str(s))
    }

    /// Dup: a -> a a.
    #[inline(always)]
    pub(super) fn exec_dup(&mut self) {
        let v = self.stack.last().cloned().unwrap_or(Value::Undefined);
        self.push(v);
    }

    /// Dup2: a b -> a b a b.
    #[inline(always)]
    pub(super) fn exec_dup2(&mut self) {
        let st = &mut self.stack;
        let n = st.len();
        if n >= 2 {
            let a = st[n - 2].clone();
            let b = st[n - 1].clone();
            st.push(a);
            st.push(b);
        }
    }

    /// Swap: a b -> b a.
    #[inline(always)]
    pub(super) fn exec_swap(&mut self) {
        let st = &mut self.stack;
        let n = st.len();
        if n >= 2 {
            st.swap(n - 1, n - 2);
        }
    }

    /// RotRight3: a b c -> c a b.
    #[inline(always)]
    pub(super) fn exec_rot_right3(&mut self) {
        let st = &mut self.stack;
        let n = st.len();
        if n >= 3 {
            st[n - 3..].rotate_right(1);
        }
    }

    /// RotRight4: a b c d -> d a b c.
    #[inline(always)]
    pub(super) fn exec_rot_right4(&mut self) {
        let st = &mut self.stack;
        let n = st.len();
        if n >= 4 {
            st[n - 4..].rotate_right(1);
        }
    }

    /// GetVar: reads a binding (a ReferenceError in its temporal dead zone).
    #[inline(always)]
    pub(super) fn exec_get_var(&mut self, fi: usize, depth: u16, slot: u16) -> Result<(), Value> {
        let env = self.env_at(self.frames[fi].env, depth);
        let v = self.heap.envs[env as usize].slots[slot as usize].clone();
        if let Value::Uninit = v {
            return Err(self.tdz_error());
        }
        self.push(v);
        Ok(())
    }

    /// SetVar: v -> v, stores into an initialised binding.
    #[inline(always)]
    pub(super) fn exec_set_var(&mut self, fi: usize, depth: u16, slot: u16) -> Result<(), Value> {
        let env = self.env_at(self.frames[fi].env, depth);
        if let Value::Uninit = self.heap.envs[env as usize].slots[slot as usize] {
            return Err(self.tdz_error());
        }
        let v = self.stack.last().cloned().unwrap_or(Value::Undefined);
        self.heap.envs[env as usize].slots[slot as usize] = v;
        Ok(())
    }

    /// InitVar: v -> , initialises a binding (leaving its temporal dead zone).
    #[inline(always)]
    pub(super) fn exec_init_var(&mut self, fi: usize, depth: u16, slot: u16) -> Result<(), Value> {
        let v = self.pop();
        let env = self.env_at(self.frames[fi].env, depth);
        let old = &self.heap.envs[env as usize].slots[slot as usize];
        if !matches!(old, Value::Uninit) && self.binds_this_again() {
            return Err(self.reference_error("Super constructor may only be called once"));
        }
        self.heap.envs[env as usize].slots[slot as usize] = v;
        Ok(())
    }

    /// GetGlobal: reads a global (a ReferenceError when there is none).
    #[inline(always)]
    pub(super) fn exec_get_global(&mut self, i: u32) -> Result<(), Value> {
        let k = PropKey::Str(self.str_atoms[i as usize]);
        let g = self.realm.global;
        if !self.has_property(g, k) {
            let n = self.str_vals[i as usize].clone();
            return Err(self.reference_error(&format!("{n} is not defined")));
        }
        let v = self.get(&Value::Obj(g), k)?;
        self.push(v);
        Ok(())
    }

    /// SetGlobal: v -> v, assigns a global.
    #[inline(always)]
    pub(super) fn exec_set_global(&mut self, fi: usize, i: u32) -> Result<(), Value> {
        let k = PropKey::Str(self.str_atoms[i as usize]);
        let v = self.stack.last().cloned().unwrap_or(Value::Undefined);
        let g = self.realm.global;
        // strict code may not create a global by assigning to an undeclared name
        if self.frame_is_strict(fi) && !self.has_property(g, k) {
            let n = self.str_vals[i as usize].clone();
            return Err(self.reference_error(&format!("{n} is not defined")));
        }
        self.set(&Value::Obj(g), k, v)?;
        Ok(())
    }

    /// TypeofGlobal: `typeof name` for a global (undefined when there is none).
    #[inline(always)]
    pub(super) fn exec_typeof_global(&mut self, i: u32) -> Result<(), Value> {
        let k = PropKey::Str(self.str_atoms[i as usize]);
        let g = self.realm.global;
        let v = if self.has_property(g, k) {
            self.get(&Value::Obj(g), k)?
        } else {
            Value::Undefined
        };
        let t = self.type_of(&v);
        self.push(Value::str(t));
        Ok(())
    }

    /// PushEnv: enters a new environment of n slots.
    #[inline(always)]
    pub(super) fn exec_push_env(&mut self, fi: usize, n: u16) {
        let parent = self.frames[fi].env;
        let e = self.heap.new_env_uninit(n as usize, Some(parent));
        self.frames[fi].env = e;
    }

    /// PopEnv: leaves the current environment.
    #[inline(always)]
    pub(super) fn exec_pop_env(&mut self, fi: usize) {
        let e = self.frames[fi].env;
        if let Some(p) = self.heap.envs[e as usize].parent {
            self.frames[fi].env = p;
        }
    }

    /// CopyEnv: replaces the environment with a copy (per-iteration `let` bindings).
    #[inline(always)]
    pub(super) fn exec_copy_env(&mut self, fi: usize) {
        let e = self.frames[fi].env;
        self.frames[fi].env = self.heap.copy_env(e);
    }

    /// Arg: -> the i-th argument (or undefined).
    #[inline(always)]
    pub(super) fn exec_arg(&mut self, fi: usize, i: u16) {
        let v = self
            .frame_args(fi)
            .get(i as usize)
            .cloned()
            .unwrap_or(Value::Undefined);
        self.push(v);
    }

    /// RestArgs: -> an array of the arguments from index n.
    #[inline(always)]
    pub(super) fn exec_rest_args(&mut self, fi: usize, n: u16) {
        let rest: Vec<Value> = self
            .frame_args(fi)
            .iter()
            .skip(n as usize)
            .cloned()
            .collect();
        let a = self.new_array(rest);
        self.push(a);
    }

    /// Arguments: -> an arguments object.
    #[inline(always)]
    pub(super) fn exec_arguments(&mut self, fi: usize) {
        let args = self.frame_args(fi).to_vec();
        let p = self.realm.object_proto;
        let o = self.alloc(Some(p), ObjKind::Arguments);
        for (i, a) in args.iter().enumerate() {
            let k = self.heap.key(&i.to_string());
            self.heap.obj_mut(o).put(k, a.clone(), DEFAULT_FLAGS);
        }
        let k = PropKey::Str(self.names.length);
        self.heap
            .obj_mut(o)
            .put(k, Value::Num(args.len() as f64), HIDDEN);
        self.push(Value::Obj(o));
    }

    /// NewTarget: -> the frame's new.target.
    #[inline(always)]
    pub(super) fn exec_new_target(&mut self, fi: usize) {
        let v = self.frames[fi].new_target.clone();
        self.push(v);
    }

    /// Tdz: puts a binding back into its temporal dead zone.
    #[inline(always)]
    pub(super) fn exec_tdz(&mut self, fi: usize, depth: u16, slot: u16) {
        let env = self.env_at(self.frames[fi].env, depth);
        self.heap.envs[env as usize].slots[slot as usize] = Value::Uninit;
    }
}
