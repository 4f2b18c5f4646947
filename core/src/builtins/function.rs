//! `Function.prototype` (call, apply, bind, toString) and generator objects' methods.

use super::arg;
use crate::heap::*;
use crate::value::Value;
use crate::vm::{JsResult, Vm};

fn call(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let t = arg(args, 0);
    let rest = if args.len() > 1 { &args[1..] } else { &[] };
    vm.call(&this, t, rest)
}

fn apply(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let t = arg(args, 0);
    let list = match arg(args, 1) {
        Value::Undefined | Value::Null => vec![],
        v if vm.is_array(&v) => vm.array_items(&v),
        Value::Obj(o) => {
            let n = vm.get(&Value::Obj(o), PropKey::Str(vm.names.length))?;
            let n = vm.to_number(&n)? as usize;
            let mut out = vec![];
            for i in 0..n.min(1_000_000) {
                out.push(vm.get_elem(&Value::Obj(o), &Value::Num(i as f64))?);
            }
            out
        }
        _ => return vm.throw_type("CreateListFromArrayLike called on non-object"),
    };
    vm.call(&this, t, &list)
}

fn bind(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Value::Obj(target) = this else {
        return vm.throw_type("Bind must be called on a function");
    };
    if !vm.is_callable(&this) {
        return vm.throw_type("Bind must be called on a function");
    }
    let bound_args: Vec<Value> = args.iter().skip(1).cloned().collect();
    let p = vm.realm.function_proto;
    let o = vm.alloc(
        Some(p),
        ObjKind::Function(FuncKind::Bound {
            target,
            this: arg(args, 0),
            args: bound_args.into(),
        }),
    );
    Ok(Value::Obj(o))
}

pub(crate) fn to_string(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    if let Value::Obj(o) = &this {
        if let ObjKind::Function(k) = &vm.heap.obj(*o).kind {
            let k = k.clone();
            if let FuncKind::Closure { func, .. } = &k {
                let code = &vm.program.functions[*func as usize];
                let source = vm.source_of(*func);
                let start = (code.start as usize).min(source.len());
                let end = code.end as usize;
                if end > start {
                    if let Some(text) = source.get(start..end) {
                        return Ok(Value::str(text));
                    }
                }
                // fallback: the source text from the function start to its matching brace
                let text = extract_function_text(source.get(start..).unwrap_or(""));
                return Ok(Value::str(&text));
            }
            let name = vm.function_name(*o, &k);
            return Ok(Value::str(&format!(
                "function {name}() {{ [native code] }}"
            )));
        }
    }
    vm.throw_type("Function.prototype.toString requires that 'this' be a Function")
}

fn extract_function_text(src: &str) -> String {
    let mut depth = 0i32;
    let mut seen = false;
    for (i, c) in src.char_indices() {
        match c {
            '{' => {
                depth += 1;
                seen = true;
            }
            '}' => {
                depth -= 1;
                if seen && depth == 0 {
                    return src[..=i].to_string();
                }
            }
            _ => {}
        }
    }
    src.lines().next().unwrap_or("").to_string()
}

fn function_ctor(vm: &mut Vm, _this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    vm.throw_type("unsupported: the Function constructor")
}

fn gen_next(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Value::Obj(g) = this else {
        return vm.throw_type("next method called on incompatible receiver");
    };
    vm.resume_generator(g, arg(args, 0), 0)
}
fn gen_throw(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Value::Obj(g) = this else {
        return vm.throw_type("throw method called on incompatible receiver");
    };
    vm.resume_generator(g, arg(args, 0), 1)
}
fn gen_return(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Value::Obj(g) = this else {
        return vm.throw_type("return method called on incompatible receiver");
    };
    vm.resume_generator(g, arg(args, 0), 2)
}
fn return_this(_vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(this)
}

/// next() of the async-from-sync iterator wrapper used by `for await` over sync iterables.
fn async_from_sync_next(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let it = vm.get_by_name(&this, "__iter")?;
    let next = vm.get_by_name(&this, "__next")?;
    let cap = vm.new_capability();
    match vm.call(&next, it, &[]) {
        Ok(r) => {
            let done = vm.get(&r, PropKey::Str(vm.names.done))?.truthy();
            let value = vm.get(&r, PropKey::Str(vm.names.value))?;
            match vm.promise_resolve(value) {
                Ok(p) => {
                    let thunk = vm.make_native("", 1, unwrap_value, vec![Value::Bool(done)]);
                    let Value::Obj(cp) = cap.promise else {
                        return Ok(Value::Undefined);
                    };
                    let _ = cp;
                    let inner = vm.new_capability();
                    vm.perform_then(p, Value::Obj(thunk), Value::Undefined, Some(inner.clone()));
                    vm.call(&cap.resolve, Value::Undefined, &[inner.promise])?;
                }
                Err(e) => {
                    vm.call(&cap.reject, Value::Undefined, &[e])?;
                }
            }
        }
        Err(e) => {
            vm.call(&cap.reject, Value::Undefined, &[e])?;
        }
    }
    Ok(cap.promise)
}

fn unwrap_value(vm: &mut Vm, _this: Value, args: &[Value], d: &[Value]) -> JsResult {
    Ok(vm.iter_result(arg(args, 0), d[0].truthy()))
}

pub fn install(vm: &mut Vm) {
    let fp = vm.realm.function_proto;
    vm.method(fp, "call", 1, call);
    vm.method(fp, "apply", 2, apply);
    vm.method(fp, "bind", 1, bind);
    vm.method(fp, "toString", 0, to_string);
    let ctor = vm.make_native("Function", 1, function_ctor, vec![]);
    super::link_ctor(vm, ctor, fp);
    let g = vm.realm.global;
    vm.put_hidden(g, "Function", Value::Obj(ctor));
    let gp = vm.realm.generator_proto;
    vm.method(gp, "next", 1, gen_next);
    vm.method(gp, "throw", 1, gen_throw);
    vm.method(gp, "return", 1, gen_return);
    let tag = PropKey::Sym(vm.syms.to_string_tag);
    vm.heap
        .obj_mut(gp)
        .put(tag, Value::str("Generator"), CONFIGURABLE);
    let ip = vm.realm.iterator_proto;
    let f = vm.make_native("[Symbol.iterator]", 0, return_this, vec![]);
    let k = PropKey::Sym(vm.syms.iterator);
    vm.heap.obj_mut(ip).put(k, Value::Obj(f), HIDDEN);
    let ap = vm.realm.async_from_sync_proto;
    vm.method(ap, "next", 0, async_from_sync_next);
}
