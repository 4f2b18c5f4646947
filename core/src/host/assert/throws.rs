//! `assert.throws`, `doesNotThrow` and `rejects`: calling the function (or awaiting the
//! promise) and checking what it threw against a class, a RegExp, a validation object or a
//! validation function, as Node's `expectedException` does.

use super::*;

/// `throws(fn, [error], [message])`: calls `fn` and checks what it threw.
pub(super) fn throws(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let f = arg(args, 0);
    if !vm.is_callable(&f) {
        let shown = received(vm, &f);
        let e = vm.type_error(&format!(
            "The \"fn\" argument must be of type function. {shown}"
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    let (expected, message) = expectation(args);
    match vm.call(&f, Value::Undefined, &[]) {
        Ok(_) => {
            if vm.abort.is_some() {
                return Err(Value::Undefined);
            }
            missing(vm, "throws", "exception", expected, message)
        }
        Err(thrown) => {
            if vm.abort.is_some() {
                return Err(thrown);
            }
            check_thrown(vm, "throws", thrown, expected, message)
        }
    }
}

/// `(error, message)` of `throws`/`rejects`; a string in place of `error` is the message.
pub(super) fn expectation(args: &[Value]) -> (Value, Value) {
    match arg(args, 1) {
        Value::Str(s) if args.len() <= 2 => (Value::Undefined, Value::Str(s)),
        e => (e, arg(args, 2)),
    }
}

/// "Missing expected exception (Name): message".
pub(super) fn missing(
    vm: &mut Vm,
    operator: &str,
    what: &str,
    expected: Value,
    message: Value,
) -> JsResult {
    let mut details = String::new();
    if let Value::Obj(_) = expected {
        if let Value::Str(n) = vm.get_by_name(&expected, "name")? {
            if !n.is_empty() {
                details.push_str(&format!(" ({n})"));
            }
        }
    }
    if message.truthy() {
        let m = vm.to_string(&message)?;
        details.push_str(&format!(": {m}"));
    } else {
        details.push('.');
    }
    let text = Value::str(&format!("Missing expected {what}{details}"));
    fail_with(vm, Value::Undefined, expected, operator, &text, None)
}

/// Node's `expectedException`: does `thrown` satisfy `expected` (absent, a RegExp, a
/// validation object, an Error class or a validation function)?
pub(super) fn check_thrown(
    vm: &mut Vm,
    operator: &str,
    thrown: Value,
    expected: Value,
    message: Value,
) -> JsResult {
    if matches!(expected, Value::Undefined) {
        return Ok(Value::Undefined);
    }
    let custom = message.truthy();
    let generated: String;
    if !vm.is_callable(&expected) {
        if is_regexp(vm, &expected) {
            let s = vm.to_string(&thrown)?;
            if regexp_matches(vm, &expected, &s)? {
                return Ok(Value::Undefined);
            }
            let r = inspect_value(vm, &expected);
            let input = inspect_value(vm, &Value::str(&s));
            generated =
                format!("The input did not match the regular expression {r}. Input:\n\n{input}\n");
        } else if !is_object(&thrown) {
            let e = assertion_error(
                vm,
                thrown,
                expected,
                "deepStrictEqual",
                &if custom { message } else { Value::Undefined },
                None,
            )?;
            if let Value::Obj(o) = e {
                vm.put(o, "operator", Value::str(operator));
            }
            return Err(e);
        } else {
            return check_validation_object(vm, operator, thrown, expected, message);
        }
    } else {
        let proto = vm.get_by_name(&expected, "prototype")?;
        if !matches!(proto, Value::Undefined) && vm.instance_of(&thrown, &expected)? {
            return Ok(Value::Undefined);
        }
        let error_ctor = vm.get_by_name(&Value::Obj(vm.realm.global), "Error")?;
        let is_error_class = match (&expected, &error_ctor) {
            (Value::Obj(e), Value::Obj(err)) => e == err || inherits(vm, *e, *err),
            _ => false,
        };
        if is_error_class {
            let name = vm.get_by_name(&expected, "name")?;
            let name = vm.to_display(&name);
            let mut m = format!("The error is expected to be an instance of \"{name}\". Received ");
            if is_error(vm, &thrown) {
                let ctor = vm.get_by_name(&thrown, "constructor")?;
                let ctor_name = match ctor {
                    Value::Obj(_) => vm.get_by_name(&ctor, "name")?,
                    _ => Value::Undefined,
                };
                let actual_name = if ctor_name.truthy() {
                    ctor_name
                } else {
                    vm.get_by_name(&thrown, "name")?
                };
                let actual_name = vm.to_display(&actual_name);
                if actual_name == name {
                    m.push_str("an error with identical name but a different prototype.");
                } else {
                    m.push_str(&format!("\"{actual_name}\""));
                }
                let msg = vm.get_by_name(&thrown, "message")?;
                if msg.truthy() {
                    let msg = vm.to_display(&msg);
                    m.push_str(&format!("\n\nError message:\n\n{msg}"));
                }
            } else {
                let shown = inspect(vm, &thrown, InspectOptions::depth(Some(0)));
                m.push_str(&format!("\"{shown}\""));
            }
            generated = m;
        } else {
            let this = Value::Obj(vm.new_object());
            let r = vm.call(&expected, this, std::slice::from_ref(&thrown))?;
            if matches!(r, Value::Bool(true)) {
                return Ok(Value::Undefined);
            }
            let name = vm.get_by_name(&expected, "name")?;
            let name = match name {
                Value::Str(s) if !s.is_empty() => format!("\"{s}\" "),
                _ => String::new(),
            };
            let shown = inspect_value(vm, &r);
            let mut m = format!(
                "The {name}validation function is expected to return \"true\". Received {shown}"
            );
            if is_error(vm, &thrown) {
                let t = vm.to_string(&thrown)?;
                m.push_str(&format!("\n\nCaught error:\n\n{t}"));
            }
            generated = m;
        }
    }
    let e = if custom {
        if is_error(vm, &message) {
            return Err(message);
        }
        assertion_error(vm, thrown, expected, operator, &message, None)?
    } else {
        assertion_error(
            vm,
            thrown,
            expected,
            operator,
            &Value::Undefined,
            Some(generated),
        )?
    };
    Err(e)
}

pub(super) fn inherits(vm: &Vm, o: ObjId, target: ObjId) -> bool {
    let mut cur = vm.heap.obj(o).proto;
    while let Some(p) = cur {
        if p == target {
            return true;
        }
        cur = vm.heap.obj(p).proto;
    }
    false
}

/// A validation object: each of its own enumerable keys (plus `name` and `message` when it
/// is an Error) must be deeply equal in the thrown value (a RegExp matches a string).
pub(super) fn check_validation_object(
    vm: &mut Vm,
    operator: &str,
    thrown: Value,
    expected: Value,
    message: Value,
) -> JsResult {
    let Value::Obj(eo) = expected else {
        return Ok(Value::Undefined);
    };
    let mut keys: Vec<PropKey> = vm.own_enum_keys(eo);
    if is_error(vm, &expected) {
        keys.push(PropKey::Str(vm.names.name));
        keys.push(PropKey::Str(vm.names.message));
    } else if keys.is_empty() {
        let shown = inspect(vm, &expected, InspectOptions::default());
        let e = vm.type_error(&format!(
            "The argument 'error' may not be an empty object. Received {shown}"
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_VALUE");
        return Err(e);
    }
    for k in keys {
        let want = vm.get(&expected, k)?;
        let Value::Obj(to) = thrown else { break };
        let got = vm.get(&thrown, k)?;
        if let Value::Str(s) = &got {
            if is_regexp(vm, &want) && regexp_matches(vm, &want, s)? {
                continue;
            }
        }
        if vm.has_property(to, k) && deep_equal(vm, &got, &want, Mode::Strict)? {
            continue;
        }
        if message.truthy() {
            return fail_with(vm, thrown, expected, operator, &message, None);
        }
        // Node diffs two placeholder objects holding the compared keys (see the module doc)
        let e = assertion_error(
            vm,
            thrown,
            expected,
            "deepStrictEqual",
            &Value::Undefined,
            None,
        )?;
        if let Value::Obj(o) = e {
            vm.put(o, "operator", Value::str(operator));
        }
        return Err(e);
    }
    Ok(Value::Undefined)
}

/// `doesNotThrow(fn, [error], [message])`.
pub(super) fn does_not_throw(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let f = arg(args, 0);
    let (expected, message) = expectation(args);
    match vm.call(&f, Value::Undefined, &[]) {
        Ok(_) => Ok(Value::Undefined),
        Err(thrown) => {
            if vm.abort.is_some() {
                return Err(thrown);
            }
            // Node rethrows errors of another class than the one named
            if vm.is_callable(&expected) && !vm.instance_of(&thrown, &expected)? {
                return Err(thrown);
            }
            let details = if message.truthy() {
                format!(": {}", vm.to_string(&message)?)
            } else {
                ".".to_string()
            };
            let m = match &thrown {
                Value::Obj(_) => vm.get_by_name(&thrown, "message")?,
                _ => Value::Undefined,
            };
            let m = vm.to_display(&m);
            let text = Value::str(&format!(
                "Got unwanted exception{details}\nActual message: \"{m}\""
            ));
            fail_with(vm, thrown, expected, "doesNotThrow", &text, None)
        }
    }
}

/// `rejects(promiseOrFn, [error], [message])`: a promise settled by the checks of `throws`.
pub(super) fn rejects(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let outer = vm.new_promise();
    let (expected, message) = expectation(args);
    let target = arg(args, 0);
    let awaited = if vm.is_callable(&target) {
        match vm.call(&target, Value::Undefined, &[]) {
            Ok(v) => v,
            Err(e) => {
                vm.reject_promise(outer, e);
                return Ok(Value::Obj(outer));
            }
        }
    } else {
        target
    };
    let Some(p) = vm.is_promise(&awaited) else {
        let shown = received(vm, &awaited);
        let e = vm.type_error(&format!(
            "The \"promiseFn\" argument must be of type function or an instance of Promise. {shown}"
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        vm.reject_promise(outer, e);
        return Ok(Value::Obj(outer));
    };
    let data = vec![Value::Obj(outer), expected, message];
    let on_ful = vm.make_native("", 1, rejects_fulfilled, data.clone());
    let on_rej = vm.make_native("", 1, rejects_rejected, data);
    vm.perform_then(p, Value::Obj(on_ful), Value::Obj(on_rej), None);
    Ok(Value::Obj(outer))
}

pub(super) fn rejects_fulfilled(vm: &mut Vm, _t: Value, _args: &[Value], d: &[Value]) -> JsResult {
    let Value::Obj(outer) = d[0] else {
        return Ok(Value::Undefined);
    };
    match missing(vm, "rejects", "rejection", d[1].clone(), d[2].clone()) {
        Err(e) => vm.reject_promise(outer, e),
        Ok(_) => vm.fulfill_promise(outer, Value::Undefined),
    }
    Ok(Value::Undefined)
}

pub(super) fn rejects_rejected(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    let Value::Obj(outer) = d[0] else {
        return Ok(Value::Undefined);
    };
    match check_thrown(vm, "rejects", arg(args, 0), d[1].clone(), d[2].clone()) {
        Err(e) => vm.reject_promise(outer, e),
        Ok(_) => vm.fulfill_promise(outer, Value::Undefined),
    }
    Ok(Value::Undefined)
}
