//! Call instructions: calls, spread calls, `new` and `super(...)`. The calling machinery
//! itself is in [`crate::vm::call`].

use crate::bytecode::Instr;
use crate::heap::*;
use crate::value::Value;
use crate::vm::Vm;

impl Vm {
    /// Call: callee this args... -> result (the arguments stay where they are).
    #[inline(always)]
    pub(super) fn exec_call(&mut self, argc: u16) -> Result<(), Value> {
        // callee this args... : the arguments stay where they are
        let argc = argc as usize;
        if self.push_plain_call(argc) {
            return Ok(());
        }
        let args_base = self.stack.len().saturating_sub(argc);
        let drop_to = args_base.saturating_sub(2);
        if args_base < drop_to + 2 {
            return Err(self.type_error("internal error: call without a callee"));
        }
        let callee = std::mem::replace(&mut self.stack[drop_to], Value::Undefined);
        let this = std::mem::replace(&mut self.stack[drop_to + 1], Value::Undefined);
        if let Some(v) = self.invoke(callee, this, argc, drop_to)? {
            self.push(v);
        }
        Ok(())
    }

    /// CallSpread: callee this argsArray -> result.
    #[inline(always)]
    pub(super) fn exec_call_spread(&mut self) -> Result<(), Value> {
        let arr = self.pop();
        let this = self.pop();
        let callee = self.pop();
        let drop_to = self.stack.len();
        let args = self.array_items(&arr);
        let argc = args.len();
        self.stack.extend(args);
        if let Some(v) = self.invoke(callee, this, argc, drop_to)? {
            self.push(v);
        }
        Ok(())
    }

    /// New: callee args... -> object.
    #[inline(always)]
    pub(super) fn exec_new(&mut self, argc: u16) -> Result<(), Value> {
        let argc = argc as usize;
        let args_base = self.stack.len().saturating_sub(argc);
        let Some(drop_to) = args_base.checked_sub(1) else {
            return Err(self.type_error("internal error: new without a callee"));
        };
        let callee = std::mem::replace(&mut self.stack[drop_to], Value::Undefined);
        if let Some(v) = self.construct_in_loop(callee, argc, drop_to)? {
            self.push(v);
        }
        Ok(())
    }

    /// NewSpread: callee argsArray -> object.
    #[inline(always)]
    pub(super) fn exec_new_spread(&mut self) -> Result<(), Value> {
        let arr = self.pop();
        let callee = self.pop();
        let drop_to = self.stack.len();
        let args = self.array_items(&arr);
        let argc = args.len();
        self.stack.extend(args);
        if let Some(v) = self.construct_in_loop(callee, argc, drop_to)? {
            self.push(v);
        }
        Ok(())
    }

    /// SuperCall, SuperCallSpread: args... -> this, calls the parent constructor.
    #[inline(always)]
    pub(super) fn exec_super_call(&mut self, ins: &Instr, fi: usize) -> Result<(), Value> {
        let argc = match ins {
            Instr::SuperCall(n) => *n as usize,
            _ => {
                let a = self.pop();
                let items = self.array_items(&a);
                let n = items.len();
                self.stack.extend(items);
                n
            }
        };
        let args_base = self.stack.len().saturating_sub(argc);
        let callee = self.frames[fi].callee;
        let parent = self.heap.obj(callee).proto;
        let nt = self.frames[fi].new_target.clone();
        // `extends null` leaves Function.prototype as the parent: V8 calls it null
        let parent = parent.filter(|p| *p != self.realm.function_proto);
        let Some(parent) = parent else {
            self.stack.truncate(args_base);
            let name = match &self.heap.obj(callee).kind {
                ObjKind::Function(fk) => self.function_name(callee, &fk.clone()),
                _ => String::new(),
            };
            let name = if name.is_empty() {
                "anonymous class".to_string()
            } else {
                name
            };
            return Err(self.type_error(&format!(
                "Super constructor null of {name} is not a constructor"
            )));
        };
        if let ObjKind::Function(FuncKind::Closure { .. }) = &self.heap.obj(parent).kind {
            if let Some(v) = self.push_closure_frame(
                parent,
                Value::Undefined,
                args_base,
                argc,
                args_base,
                nt,
                true,
            )? {
                self.push(v);
            }
        } else {
            let args = self.take_args(args_base, args_base);
            let r = self.construct(&Value::Obj(parent), &args, Some(nt));
            self.recycle_args(args);
            let v = r?;
            self.push(v);
        }
        Ok(())
    }
}
