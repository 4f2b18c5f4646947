//! How Node words and codes the errors of its API argument checks, shared by the host
//! modules: the "Received …" tail of `ERR_INVALID_ARG_TYPE` messages, the `code` property, and
//! the whole "The "x" argument must be of type y" TypeError.

use crate::value::Value;
use crate::vm::Vm;

/// Node's description of a received argument (`type string ('a')`, `an instance of Object`…).
pub(crate) fn received(vm: &Vm, v: &Value) -> String {
    match v {
        Value::Undefined => "undefined".into(),
        Value::Null => "null".into(),
        Value::Str(s) => format!("type string ('{s}')"),
        Value::Num(n) => format!("type number ({})", crate::value::number_to_string(*n)),
        Value::Bool(b) => format!("type boolean ({b})"),
        Value::Obj(_) => "an instance of Object".into(),
        Value::Sym(_) => "type symbol".into(),
        _ => {
            let _ = vm;
            "undefined".into()
        }
    }
}

/// Sets the Node error code (`err.code`) of the error `e`.
pub(crate) fn set_code(vm: &mut Vm, e: &Value, code: &str) {
    if let Value::Obj(o) = e {
        vm.put(*o, "code", Value::str(code));
    }
}

/// `ERR_INVALID_ARG_TYPE`: "The "`name`" argument must be of type `expected`. Received …".
pub(crate) fn arg_type_error(vm: &mut Vm, name: &str, expected: &str, v: &Value) -> Value {
    let r = received(vm, v);
    let e = vm.type_error(&format!(
        "The \"{name}\" argument must be of type {expected}. Received {r}"
    ));
    set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
    e
}
