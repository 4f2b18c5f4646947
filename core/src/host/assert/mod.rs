//! Node's `assert` module (`require('assert')`, `node:assert`, `assert/strict`), written for
//! this host after Node 20's `lib/assert.js` and `lib/internal/assert/assertion_error.js`.
//!
//! `assert(v)`/`ok`, `equal`, `notEqual`, `strictEqual`, `notStrictEqual`, `deepEqual`,
//! `notDeepEqual`, `deepStrictEqual`, `notDeepStrictEqual` (deep equality is
//! [`super::deep_equal`]), `throws`, `doesNotThrow`, `rejects`, `fail`, `match`,
//! `doesNotMatch` and `AssertionError` (name `AssertionError`, code `ERR_ASSERTION`, own
//! `generatedMessage`, `code`, `actual`, `expected`, `operator`; its stack starts with
//! `AssertionError [ERR_ASSERTION]: message`). `assert.strict` and `assert/strict` are the
//! same functions with `equal` meaning `strictEqual` and so on.
//!
//! Messages equal Node 20's for: custom messages (a string, or an Error thrown as it is; under
//! `strictEqual`/`deepStrictEqual` the comparison follows the custom first line, as in Node);
//! `strictEqual`/`deepStrictEqual` of two primitives (`1 !== 2`, or Node's `+ actual -
//! expected` diff with its `^` indicator for longer strings); `notStrictEqual` and
//! `notDeepStrictEqual` of primitives; `equal`, `notEqual`, `deepEqual`, `notDeepEqual` of
//! primitives; `ok`/`assert` called on one line (the source text of the call, found from the
//! call site, as Node reads it from the file), and without arguments; `throws`/`rejects`
//! without an exception ("Missing expected exception (Name): message"), against a class,
//! a RegExp or a validation function; `fail`; `match`/`doesNotMatch`.
//!
//! Known differences (the message path is the same, only the text differs): when an operand
//! of a generated comparison message is an object or a function, Node prints it with
//! `util.inspect`'s `compact: false, sorted: true` layout (one property per line) and diffs
//! those lines; here the lines are this host's default `util.inspect` layout, so such diffs
//! are laid out differently. The same holds for the diff Node prints when a `throws`
//! validation object does not match. An `ok` call spread over several lines is shown from
//! its source text with Node's indentation rule only when the call site is found.

use super::deep_equal::{deep_equal, Mode};
use super::errors::set_code;
use crate::builtins::arg;
use crate::heap::{ObjKind, PropKey, HIDDEN};
use crate::inspect::{inspect, InspectOptions};
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};

mod message;
mod throws;

use message::*;
use throws::*;

// ---------- the assertions

/// `assert(value, message)` / `assert.ok`.
fn ok(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if args.is_empty() {
        let m = "No value argument passed to `assert.ok()`".to_string();
        return fail_with(
            vm,
            Value::Undefined,
            Value::Bool(true),
            "==",
            &Value::Undefined,
            Some(m),
        );
    }
    if arg(args, 0).truthy() {
        return Ok(Value::Undefined);
    }
    let message = arg(args, 1);
    let generated = match call_site_text(vm) {
        Some(code) => format!("The expression evaluated to a falsy value:\n\n  {code}\n"),
        None => {
            let a = inspect_value(vm, &arg(args, 0));
            format!("{a} == true")
        }
    };
    fail_with(
        vm,
        arg(args, 0),
        Value::Bool(true),
        "==",
        &message,
        Some(generated),
    )
}

fn equal(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (a, b) = (arg(args, 0), arg(args, 1));
    let same = vm.loose_eq(&a, &b)? || both_nan(&a, &b);
    if same {
        return Ok(Value::Undefined);
    }
    fail_with(vm, a, b, "==", &arg(args, 2), None)
}

fn not_equal(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (a, b) = (arg(args, 0), arg(args, 1));
    let same = vm.loose_eq(&a, &b)? || both_nan(&a, &b);
    if !same {
        return Ok(Value::Undefined);
    }
    fail_with(vm, a, b, "!=", &arg(args, 2), None)
}

fn both_nan(a: &Value, b: &Value) -> bool {
    matches!((a, b), (Value::Num(x), Value::Num(y)) if x.is_nan() && y.is_nan())
}

fn strict_equal(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (a, b) = (arg(args, 0), arg(args, 1));
    if a.same_value(&b) {
        return Ok(Value::Undefined);
    }
    fail_with(vm, a, b, "strictEqual", &arg(args, 2), None)
}

fn not_strict_equal(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (a, b) = (arg(args, 0), arg(args, 1));
    if !a.same_value(&b) {
        return Ok(Value::Undefined);
    }
    fail_with(vm, a, b, "notStrictEqual", &arg(args, 2), None)
}

/// The four deep comparisons; the data says which (0 deepEqual, 1 notDeepEqual,
/// 2 deepStrictEqual, 3 notDeepStrictEqual).
fn deep(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    let which = match d.first() {
        Some(Value::Num(n)) => *n as u8,
        _ => 0,
    };
    let (mode, negated, operator) = match which {
        0 => (Mode::Loose, false, "deepEqual"),
        1 => (Mode::Loose, true, "notDeepEqual"),
        2 => (Mode::Strict, false, "deepStrictEqual"),
        _ => (Mode::Strict, true, "notDeepStrictEqual"),
    };
    let (a, b) = (arg(args, 0), arg(args, 1));
    if deep_equal(vm, &a, &b, mode)? != negated {
        return Ok(Value::Undefined);
    }
    fail_with(vm, a, b, operator, &arg(args, 2), None)
}

/// `assert.fail([message])`.
fn fail(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let message = arg(args, 0);
    if args.is_empty() || matches!(message, Value::Undefined | Value::Null) {
        let e = assertion_error(
            vm,
            Value::Undefined,
            Value::Undefined,
            "fail",
            &Value::Undefined,
            Some("Failed".to_string()),
        )?;
        return Err(e);
    }
    fail_with(
        vm,
        Value::Undefined,
        Value::Undefined,
        "fail",
        &message,
        None,
    )
}

/// Does `re` match `s` (RegExp.prototype.exec, so `lastIndex` behaves as in Node)?
fn regexp_matches(vm: &mut Vm, re: &Value, s: &str) -> Result<bool, Value> {
    let exec = vm.get_by_name(re, "exec")?;
    let r = vm.call(&exec, re.clone(), &[Value::str(s)])?;
    Ok(!matches!(r, Value::Null))
}

fn is_regexp(vm: &Vm, v: &Value) -> bool {
    crate::builtins::regexp::regexp_of(vm, v).is_some()
}

/// `assert.match` (data 0) and `assert.doesNotMatch` (data 1).
fn match_(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    let negated = matches!(d.first(), Some(Value::Num(n)) if *n == 1.0);
    let operator = if negated { "doesNotMatch" } else { "match" };
    let (s, re, message) = (arg(args, 0), arg(args, 1), arg(args, 2));
    if !is_regexp(vm, &re) {
        let shown = received(vm, &re);
        let e = vm.type_error(&format!(
            "The \"regexp\" argument must be an instance of RegExp. {shown}"
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    let generated = match &s {
        Value::Str(text) => {
            if regexp_matches(vm, &re, text)? != negated {
                return Ok(Value::Undefined);
            }
            let r = inspect_value(vm, &re);
            let input = inspect_value(vm, &s);
            let verb = if negated {
                "was expected to not match"
            } else {
                "did not match"
            };
            format!("The input {verb} the regular expression {r}. Input:\n\n{input}\n")
        }
        _ => {
            let shown = received(vm, &s);
            format!("The \"string\" argument must be of type string. {shown}")
        }
    };
    fail_with(vm, s, re, operator, &message, Some(generated))
}

/// Node's "Received ..." tail of an invalid-argument message.
fn received(vm: &mut Vm, v: &Value) -> String {
    match v {
        Value::Undefined | Value::Null => format!("Received {}", inspect_value(vm, v)),
        Value::Obj(o) if vm.is_callable(v) => {
            let name = vm
                .get_by_name(&Value::Obj(*o), "name")
                .ok()
                .and_then(|n| match n {
                    Value::Str(s) if !s.is_empty() => Some(s.to_string()),
                    _ => None,
                });
            match name {
                Some(n) => format!("Received function {n}"),
                None => "Received function ".to_string(),
            }
        }
        Value::Obj(o) => {
            let ctor = vm
                .get_by_name(&Value::Obj(*o), "constructor")
                .ok()
                .and_then(|c| vm.get_by_name(&c, "name").ok())
                .and_then(|n| match n {
                    Value::Str(s) if !s.is_empty() => Some(s.to_string()),
                    _ => None,
                });
            match ctor {
                Some(n) => format!("Received an instance of {n}"),
                None => format!(
                    "Received {}",
                    inspect(vm, v, InspectOptions::depth(Some(0)))
                ),
            }
        }
        _ => {
            let mut shown = inspect(vm, v, InspectOptions::default());
            if shown.chars().count() > 28 {
                shown = format!("{}...", shown.chars().take(25).collect::<String>());
            }
            let t = match v {
                Value::Str(_) => "string",
                Value::Num(_) => "number",
                Value::Bool(_) => "boolean",
                Value::Sym(_) => "symbol",
                _ => "undefined",
            };
            format!("Received type {t} ({shown})")
        }
    }
}

/// Creates the `assert` function (and `assert.strict`) and registers `assert` and
/// `assert/strict` in the module table.
pub fn install(vm: &mut Vm) {
    let error_proto = vm.realm.error_proto;
    let proto = vm.alloc(Some(error_proto), ObjKind::Ordinary);
    let ctor = vm.make_native("AssertionError", 1, assertion_error_ctor, vec![]);
    crate::builtins::link_ctor(vm, ctor, proto);
    let error_ctor = vm.get_by_name(&Value::Obj(vm.realm.global), "Error").ok();
    if let Some(Value::Obj(e)) = error_ctor {
        vm.heap.obj_mut(ctor).proto = Some(e);
    }
    vm.put_hidden(proto, "name", Value::str("AssertionError"));

    let loose = build(vm, ctor, false);
    let strict = build(vm, ctor, true);
    vm.put_hidden(loose, "strict", Value::Obj(strict));
    vm.put_hidden(strict, "strict", Value::Obj(strict));
    vm.host.modules.insert("assert".into(), Value::Obj(loose));
    vm.host
        .modules
        .insert("assert/strict".into(), Value::Obj(strict));
}

fn build(vm: &mut Vm, ctor: ObjId, strict: bool) -> ObjId {
    let name = if strict { "strict" } else { "ok" };
    let a = vm.make_native(name, 2, ok, vec![]);
    vm.natives.last_mut().expect("just registered").constructor = false;
    let deep_fn = |vm: &mut Vm, name: &'static str, which: u8| {
        let f = vm.make_native(name, 3, deep, vec![Value::Num(which as f64)]);
        vm.natives.last_mut().expect("just registered").constructor = false;
        Value::Obj(f)
    };
    vm.method(a, "ok", 2, ok);
    let (eq, ne): (crate::vm::NativeFn, crate::vm::NativeFn) = if strict {
        (strict_equal, not_strict_equal)
    } else {
        (equal, not_equal)
    };
    vm.method(a, "equal", 3, eq);
    vm.method(a, "notEqual", 3, ne);
    vm.method(a, "strictEqual", 3, strict_equal);
    vm.method(a, "notStrictEqual", 3, not_strict_equal);
    let (de, nde) = if strict { (2, 3) } else { (0, 1) };
    let f = deep_fn(vm, "deepEqual", de);
    vm.put_hidden(a, "deepEqual", f);
    let f = deep_fn(vm, "notDeepEqual", nde);
    vm.put_hidden(a, "notDeepEqual", f);
    let f = deep_fn(vm, "deepStrictEqual", 2);
    vm.put_hidden(a, "deepStrictEqual", f);
    let f = deep_fn(vm, "notDeepStrictEqual", 3);
    vm.put_hidden(a, "notDeepStrictEqual", f);
    vm.method(a, "throws", 3, throws);
    vm.method(a, "doesNotThrow", 3, does_not_throw);
    vm.method(a, "rejects", 3, rejects);
    vm.method(a, "fail", 1, fail);
    for (name, which) in [("match", 0.0), ("doesNotMatch", 1.0)] {
        let f = vm.make_native(name, 3, match_, vec![Value::Num(which)]);
        vm.natives.last_mut().expect("just registered").constructor = false;
        vm.put_hidden(a, name, Value::Obj(f));
    }
    vm.put_hidden(a, "AssertionError", Value::Obj(ctor));
    a
}
