//! Node's `util`: `inspect` and `format` (rendered by [`crate::inspect`]), `isDeepStrictEqual`,
//! `types.isX` checks, and `promisify`/`callbackify` (written in JavaScript, `prelude.js`).

use crate::builtins::arg;
use crate::heap::*;
use crate::inspect::{format_args, inspect, InspectOptions};
use crate::value::Value;
use crate::vm::{JsResult, Vm};

fn util_inspect(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let mut opts = InspectOptions::default();
    if let Value::Obj(o) = arg(args, 1) {
        let d = vm.get_by_name(&Value::Obj(o), "depth")?;
        match d {
            Value::Num(n) if n.is_finite() => opts.depth = Some(n.max(0.0) as usize),
            Value::Num(_) | Value::Null => opts.depth = None,
            _ => {}
        }
    }
    Ok(Value::str(&inspect(vm, &arg(args, 0), opts)))
}
fn util_format(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::str(&format_args(vm, args)))
}

/// `util.types.isX(value)`: the check is the function's data (see [`install`]).
fn util_type_check(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    let Value::Obj(o) = arg(args, 0) else {
        return Ok(Value::Bool(false));
    };
    let which = match d.first() {
        Some(Value::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    let v = Value::Obj(o);
    let r = match (which.as_str(), &vm.heap.obj(o).kind) {
        ("isPromise", ObjKind::Promise { .. }) => true,
        ("isDate", ObjKind::Date(_)) => true,
        ("isMap", ObjKind::Map(..)) => true,
        ("isSet", ObjKind::Set(..)) => true,
        ("isNativeError", ObjKind::Error) => true,
        ("isGeneratorObject", ObjKind::Generator(_)) => true,
        ("isBoxedPrimitive", ObjKind::BoxedBool(_))
        | ("isBoxedPrimitive", ObjKind::BoxedNumber(_))
        | ("isBoxedPrimitive", ObjKind::BoxedString(_)) => true,
        (
            "isAsyncFunction" | "isGeneratorFunction",
            ObjKind::Function(FuncKind::Closure { func, .. }),
        ) => {
            let code = &vm.program.functions[*func as usize];
            if which == "isAsyncFunction" {
                code.is_async
            } else {
                code.is_generator
            }
        }
        ("isRegExp", _) => crate::builtins::regexp::regexp_of(vm, &v).is_some(),
        ("isArrayBuffer", ObjKind::ArrayBuffer { shared, .. }) => !shared,
        ("isSharedArrayBuffer", ObjKind::ArrayBuffer { shared, .. }) => *shared,
        ("isAnyArrayBuffer", ObjKind::ArrayBuffer { .. }) => true,
        ("isDataView" | "isArrayBufferView", ObjKind::DataView { .. }) => true,
        ("isTypedArray" | "isArrayBufferView", ObjKind::TypedArray { .. }) => true,
        (name, ObjKind::TypedArray { elem, .. }) => name.strip_prefix("is") == Some(elem.name()),
        _ => false,
    };
    Ok(Value::Bool(r))
}

/// Registers the `util` module.
pub fn install(vm: &mut Vm) {
    let util = vm.new_object();
    let promisify = super::prelude_get(vm, "promisify");
    vm.put(util, "promisify", promisify);
    let cbify = super::prelude_get(vm, "callbackify");
    vm.put(util, "callbackify", cbify);
    vm.method(util, "inspect", 2, util_inspect);
    vm.method(util, "format", 1, util_format);
    vm.method(
        util,
        "isDeepStrictEqual",
        2,
        super::deep_equal::is_deep_strict_equal,
    );
    let types = vm.new_object();
    for name in [
        "isPromise",
        "isDate",
        "isRegExp",
        "isMap",
        "isSet",
        "isNativeError",
        "isAsyncFunction",
        "isGeneratorFunction",
        "isGeneratorObject",
        "isBoxedPrimitive",
        "isArrayBuffer",
        "isSharedArrayBuffer",
        "isAnyArrayBuffer",
        "isArrayBufferView",
        "isDataView",
        "isTypedArray",
        "isInt8Array",
        "isUint8Array",
        "isUint8ClampedArray",
        "isInt16Array",
        "isUint16Array",
        "isInt32Array",
        "isUint32Array",
        "isFloat32Array",
        "isFloat64Array",
    ] {
        let f = vm.make_native(name, 1, util_type_check, vec![Value::str(name)]);
        vm.put(types, name, Value::Obj(f));
    }
    vm.put(util, "types", Value::Obj(types));
    vm.host.modules.insert("util".into(), Value::Obj(util));
}
