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

/// Node's readable operator names, by operator.
fn readable(operator: &str) -> &'static str {
    match operator {
        "deepStrictEqual" => "Expected values to be strictly deep-equal:",
        "strictEqual" => "Expected values to be strictly equal:",
        "strictEqualObject" => "Expected \"actual\" to be reference-equal to \"expected\":",
        "deepEqual" => "Expected values to be loosely deep-equal:",
        "notDeepStrictEqual" => "Expected \"actual\" not to be strictly deep-equal to:",
        "notStrictEqual" => "Expected \"actual\" to be strictly unequal to:",
        "notStrictEqualObject" => "Expected \"actual\" not to be reference-equal to \"expected\":",
        "notDeepEqual" => "Expected \"actual\" not to be loosely deep-equal to:",
        "notIdentical" => "Values have same structure but are not reference-equal:",
        "notDeepEqualUnequal" => "Expected values not to be loosely deep-equal:",
        _ => "",
    }
}

/// `typeof v === 'object' && v !== null || typeof v === 'function'`.
fn is_object(v: &Value) -> bool {
    matches!(v, Value::Obj(_))
}

fn is_function(vm: &Vm, v: &Value) -> bool {
    vm.is_callable(v)
}

/// Node's `inspectValue` (see the module doc for objects).
fn inspect_value(vm: &mut Vm, v: &Value) -> String {
    inspect(vm, v, InspectOptions::depth(Some(1000)))
}

/// Node's `createErrDiff` for `strictEqual` and `deepStrictEqual`.
fn err_diff(vm: &mut Vm, actual: &Value, expected: &Value, mut operator: &str) -> String {
    let actual_inspected = inspect_value(vm, actual);
    let mut actual_lines: Vec<String> = actual_inspected.split('\n').map(String::from).collect();
    let mut expected_lines: Vec<String> = inspect_value(vm, expected)
        .split('\n')
        .map(String::from)
        .collect();
    let (mut other, mut res, mut end) = (String::new(), String::new(), String::new());
    let mut skipped = false;
    let mut i = 0usize;
    let mut indicator = String::new();
    let both_objects = matches!((actual, expected), (Value::Obj(_), Value::Obj(_)))
        && is_function(vm, actual) == is_function(vm, expected);
    if operator == "strictEqual" && both_objects {
        operator = "strictEqualObject";
    }
    if actual_lines.len() == 1 && expected_lines.len() == 1 && actual_lines[0] != expected_lines[0]
    {
        let (a, e): (Vec<u16>, Vec<u16>) = (
            actual_lines[0].encode_utf16().collect(),
            expected_lines[0].encode_utf16().collect(),
        );
        let input_length = a.len() + e.len();
        if input_length <= 12 {
            let zero = |v: &Value| matches!(v, Value::Num(n) if *n == 0.0);
            if !is_object(actual) && !is_object(expected) && !(zero(actual) && zero(expected)) {
                return format!(
                    "{}\n\n{} !== {}\n",
                    readable(operator),
                    actual_lines[0],
                    expected_lines[0]
                );
            }
        } else if operator != "strictEqualObject" && input_length < 80 {
            while i < a.len() && i < e.len() && a[i] == e[i] {
                i += 1;
            }
            if i > 2 {
                indicator = format!("\n  {}^", " ".repeat(i));
                i = 0;
            }
        }
    }
    while let (Some(a), Some(b)) = (actual_lines.last(), expected_lines.last()) {
        if a != b {
            break;
        }
        if i < 3 {
            end = format!("\n  {a}{end}");
        } else {
            other = a.clone();
        }
        i += 1;
        actual_lines.pop();
        expected_lines.pop();
    }
    let max_lines = actual_lines.len().max(expected_lines.len());
    if max_lines == 0 {
        return format!("{}\n\n{actual_inspected}\n", readable("notIdentical"));
    }
    if i >= 5 {
        end = format!("\n...{end}");
        skipped = true;
    }
    if !other.is_empty() {
        end = format!("\n  {other}{end}");
        other.clear();
    }
    let mut printed = 0;
    let mut identical = 0;
    let msg = format!("{}\n+ actual - expected", readable(operator));
    let skipped_msg = " ... Lines skipped";
    let actual_longer = actual_lines.len() >= max_lines;
    let (lines, plus_minus, max_length) = if actual_longer {
        (&actual_lines, "+", expected_lines.len())
    } else {
        (&expected_lines, "-", actual_lines.len())
    };
    let flush_identical = |res: &mut String,
                           printed: &mut usize,
                           skipped: &mut bool,
                           identical: usize,
                           lines: &[String],
                           i: usize| {
        if identical > 2 {
            if identical > 3 {
                if identical > 4 {
                    if identical == 5 {
                        res.push_str(&format!("\n  {}", lines[i - 3]));
                        *printed += 1;
                    } else {
                        res.push_str("\n...");
                        *skipped = true;
                    }
                }
                res.push_str(&format!("\n  {}", lines[i - 2]));
                *printed += 1;
            }
            res.push_str(&format!("\n  {}", lines[i - 1]));
            *printed += 1;
        }
    };
    for i in 0..max_lines {
        if max_length < i + 1 {
            flush_identical(&mut res, &mut printed, &mut skipped, identical, lines, i);
            identical = 0;
            if actual_longer {
                res.push_str(&format!("\n{plus_minus} {}", lines[i]));
            } else {
                other.push_str(&format!("\n{plus_minus} {}", lines[i]));
            }
            printed += 1;
        } else {
            let expected_line = &expected_lines[i];
            let mut actual_line = actual_lines[i].clone();
            let mut diverging = actual_line != *expected_line
                && (!actual_line.ends_with(',')
                    || actual_line[..actual_line.len() - 1] != **expected_line);
            if diverging
                && expected_line.ends_with(',')
                && expected_line[..expected_line.len() - 1] == actual_line
            {
                diverging = false;
                actual_line.push(',');
            }
            if diverging {
                flush_identical(&mut res, &mut printed, &mut skipped, identical, lines, i);
                identical = 0;
                res.push_str(&format!("\n+ {actual_line}"));
                other.push_str(&format!("\n- {expected_line}"));
                printed += 2;
            } else {
                res.push_str(&other);
                other.clear();
                identical += 1;
                if identical <= 2 {
                    res.push_str(&format!("\n  {actual_line}"));
                    printed += 1;
                }
            }
        }
        if printed > 50 && i + 2 < max_lines {
            return format!("{msg}{skipped_msg}\n{res}\n...{other}\n...");
        }
    }
    format!(
        "{msg}{}\n{res}{other}{end}{indicator}",
        if skipped { skipped_msg } else { "" }
    )
}

/// The message Node's `AssertionError` generates from `actual`, `expected` and `operator`.
fn generated_message(vm: &mut Vm, actual: &Value, expected: &Value, operator: &str) -> String {
    match operator {
        "deepStrictEqual" | "strictEqual" => err_diff(vm, actual, expected, operator),
        "notDeepStrictEqual" | "notStrictEqual" => {
            let mut base = readable(operator);
            if operator == "notStrictEqual" && is_object(actual) {
                base = readable("notStrictEqualObject");
            }
            let text = inspect_value(vm, actual);
            let lines: Vec<&str> = text.split('\n').collect();
            if lines.len() == 1 {
                let sep = if lines[0].encode_utf16().count() > 5 {
                    "\n\n"
                } else {
                    " "
                };
                format!("{base}{sep}{}", lines[0])
            } else {
                format!("{base}\n\n{text}\n")
            }
        }
        _ => {
            let res = inspect_value(vm, actual);
            let other = inspect_value(vm, expected);
            if operator == "notDeepEqual" && res == other {
                return format!("{}\n\n{res}", readable(operator));
            }
            match operator {
                "deepEqual" => format!(
                    "{}\n\n{res}\n\nshould loosely deep-equal\n\n{other}",
                    readable(operator)
                ),
                "notDeepEqual" => format!(
                    "{}\n\n{res}\n\nshould not loosely deep-equal\n\n{other}",
                    readable("notDeepEqualUnequal")
                ),
                _ => format!("{res} {operator} {other}"),
            }
        }
    }
}

/// `new AssertionError({ message, actual, expected, operator })`; `message` undefined means
/// a generated one (`generated` when given, else Node's text for the operator).
fn assertion_error(
    vm: &mut Vm,
    actual: Value,
    expected: Value,
    operator: &str,
    message: &Value,
    generated: Option<String>,
) -> Result<Value, Value> {
    let proto = assertion_error_proto(vm);
    let o = vm.alloc(Some(proto), ObjKind::Error);
    make_assertion_error(vm, o, actual, expected, operator, message, generated)
}

fn make_assertion_error(
    vm: &mut Vm,
    o: ObjId,
    actual: Value,
    expected: Value,
    operator: &str,
    message: &Value,
    generated: Option<String>,
) -> Result<Value, Value> {
    let is_generated = matches!(message, Value::Undefined | Value::Null);
    let text = if is_generated {
        match generated {
            Some(t) => t,
            None => generated_message(vm, &actual, &expected, operator),
        }
    } else if generated.is_none() && matches!(operator, "strictEqual" | "deepStrictEqual") {
        // Node 20 keeps the comparison under a custom message: the message replaces the
        // generated text's first line ("Expected values to be strictly equal:")
        let custom = vm.to_string(message)?;
        let full = generated_message(vm, &actual, &expected, operator);
        let rest = full.find('\n').map_or("", |i| &full[i..]);
        format!("{custom}{rest}")
    } else {
        vm.to_string(message)?
    };
    let k = PropKey::Str(vm.names.message);
    vm.heap.obj_mut(o).put(k, Value::str(&text), HIDDEN);
    let name = PropKey::Str(vm.names.name);
    vm.heap
        .obj_mut(o)
        .put(name, Value::str("AssertionError [ERR_ASSERTION]"), HIDDEN);
    vm.attach_stack(o);
    vm.heap
        .obj_mut(o)
        .put(name, Value::str("AssertionError"), HIDDEN);
    vm.put(o, "generatedMessage", Value::Bool(is_generated));
    set_code(vm, &Value::Obj(o), "ERR_ASSERTION");
    vm.put(o, "actual", actual);
    vm.put(o, "expected", expected);
    let op = if operator.is_empty() {
        Value::Undefined
    } else {
        Value::str(operator)
    };
    vm.put(o, "operator", op);
    Ok(Value::Obj(o))
}

/// Throws: a custom message that is an Error is thrown as it is (Node's `innerFail`).
fn fail_with(
    vm: &mut Vm,
    actual: Value,
    expected: Value,
    operator: &str,
    message: &Value,
    generated: Option<String>,
) -> JsResult {
    if is_error(vm, message) {
        return Err(message.clone());
    }
    Err(assertion_error(
        vm, actual, expected, operator, message, generated,
    )?)
}

fn is_error(vm: &Vm, v: &Value) -> bool {
    let Value::Obj(o) = v else { return false };
    if matches!(vm.heap.obj(*o).kind, ObjKind::Error) {
        return true;
    }
    let target = vm.realm.error_proto;
    let mut cur = vm.heap.obj(*o).proto;
    while let Some(p) = cur {
        if p == target {
            return true;
        }
        cur = vm.heap.obj(p).proto;
    }
    false
}

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

/// The source text of the call expression the innermost JavaScript frame is executing, as
/// Node shows it for a falsy `assert(...)`: the callee (`assert`, `assert.ok`) and its
/// balanced argument list. Lines after the first lose their indentation up to the call's
/// column and get two spaces, as in Node.
fn call_site_text(vm: &Vm) -> Option<String> {
    let frame = vm.frames.last()?;
    let code = &vm.program.functions[frame.func as usize];
    let pc = (frame.pc as usize).checked_sub(1)?;
    let offset = *code.spans.get(pc)? as usize;
    let src: &str = &vm.source;
    let bytes = src.as_bytes();
    if offset >= bytes.len() {
        return None;
    }
    let callee_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'.';
    let mut start = offset;
    while start > 0 && callee_char(bytes[start - 1]) {
        start -= 1;
    }
    let mut pos = offset;
    while pos < bytes.len() && callee_char(bytes[pos]) {
        pos += 1;
    }
    if start == pos || bytes.get(pos) != Some(&b'(') {
        return None;
    }
    // the balanced argument list, skipping strings, template literals and comments
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut end = None;
    let mut j = pos;
    while j < bytes.len() {
        let b = bytes[j];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    j += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j + 1);
                        break;
                    }
                }
                _ => {}
            },
        }
        j += 1;
    }
    let text = &src[start..end?];
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let column = src[line_start..start].chars().count();
    let mut lines = text.split('\n');
    let mut out = lines.next()?.to_string();
    for line in lines {
        let trimmed = line
            .char_indices()
            .take_while(|(i, c)| *i < column && (*c == ' ' || *c == '\t'))
            .count();
        out.push_str("\n  ");
        out.push_str(&line[trimmed..]);
    }
    Some(out)
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

/// `throws(fn, [error], [message])`: calls `fn` and checks what it threw.
fn throws(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
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
fn expectation(args: &[Value]) -> (Value, Value) {
    match arg(args, 1) {
        Value::Str(s) if args.len() <= 2 => (Value::Undefined, Value::Str(s)),
        e => (e, arg(args, 2)),
    }
}

/// "Missing expected exception (Name): message".
fn missing(vm: &mut Vm, operator: &str, what: &str, expected: Value, message: Value) -> JsResult {
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
fn check_thrown(
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

fn inherits(vm: &Vm, o: ObjId, target: ObjId) -> bool {
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
fn check_validation_object(
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
fn does_not_throw(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
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
fn rejects(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
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

fn rejects_fulfilled(vm: &mut Vm, _t: Value, _args: &[Value], d: &[Value]) -> JsResult {
    let Value::Obj(outer) = d[0] else {
        return Ok(Value::Undefined);
    };
    match missing(vm, "rejects", "rejection", d[1].clone(), d[2].clone()) {
        Err(e) => vm.reject_promise(outer, e),
        Ok(_) => vm.fulfill_promise(outer, Value::Undefined),
    }
    Ok(Value::Undefined)
}

fn rejects_rejected(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    let Value::Obj(outer) = d[0] else {
        return Ok(Value::Undefined);
    };
    match check_thrown(vm, "rejects", arg(args, 0), d[1].clone(), d[2].clone()) {
        Err(e) => vm.reject_promise(outer, e),
        Ok(_) => vm.fulfill_promise(outer, Value::Undefined),
    }
    Ok(Value::Undefined)
}

/// `new AssertionError({ message, actual, expected, operator })`.
fn assertion_error_ctor(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type("Class constructor AssertionError cannot be invoked without 'new'");
    };
    let options = arg(args, 0);
    if !is_object(&options) {
        let shown = received(vm, &options);
        let e = vm.type_error(&format!(
            "The \"options\" argument must be of type object. {shown}"
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    let get = |vm: &mut Vm, name: &str| vm.get_by_name(&options, name);
    let (message, actual, expected, operator) = (
        get(vm, "message")?,
        get(vm, "actual")?,
        get(vm, "expected")?,
        get(vm, "operator")?,
    );
    let operator = match operator {
        Value::Undefined => String::new(),
        v => vm.to_string(&v)?,
    };
    let proto = assertion_error_proto(vm);
    let o = vm.ordinary_create_from(&nt, proto, ObjKind::Error);
    make_assertion_error(vm, o, actual, expected, &operator, &message, None)
}

/// `AssertionError.prototype` (read from the module, which holds the constructor).
fn assertion_error_proto(vm: &mut Vm) -> ObjId {
    let module = vm.host.modules.get("assert").cloned();
    let proto = module.and_then(|m| {
        let ctor = vm.get_by_name(&m, "AssertionError").ok()?;
        match vm.get_by_name(&ctor, "prototype").ok()? {
            Value::Obj(p) => Some(p),
            _ => None,
        }
    });
    proto.unwrap_or(vm.realm.error_proto)
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
