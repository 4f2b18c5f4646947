//! `AssertionError` and the texts Node generates for it: operator names, the `+ actual -
//! expected` diff of `strictEqual`/`deepStrictEqual`, the source text of a falsy `assert(...)`
//! call, and the `AssertionError` constructor.

use super::*;

/// Node's readable operator names, by operator.
pub(super) fn readable(operator: &str) -> &'static str {
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
pub(super) fn is_object(v: &Value) -> bool {
    matches!(v, Value::Obj(_))
}

pub(super) fn is_function(vm: &Vm, v: &Value) -> bool {
    vm.is_callable(v)
}

/// Node's `inspectValue` (see the module doc for objects).
pub(super) fn inspect_value(vm: &mut Vm, v: &Value) -> String {
    inspect(vm, v, InspectOptions::depth(Some(1000)))
}

/// Node's `createErrDiff` for `strictEqual` and `deepStrictEqual`.
pub(super) fn err_diff(
    vm: &mut Vm,
    actual: &Value,
    expected: &Value,
    mut operator: &str,
) -> String {
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
pub(super) fn generated_message(
    vm: &mut Vm,
    actual: &Value,
    expected: &Value,
    operator: &str,
) -> String {
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
pub(super) fn assertion_error(
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

pub(super) fn make_assertion_error(
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
pub(super) fn fail_with(
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

pub(super) fn is_error(vm: &Vm, v: &Value) -> bool {
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

/// The source text of the call expression the innermost JavaScript frame is executing, as
/// Node shows it for a falsy `assert(...)`: the callee (`assert`, `assert.ok`) and its
/// balanced argument list. Lines after the first lose their indentation up to the call's
/// column and get two spaces, as in Node.
pub(super) fn call_site_text(vm: &Vm) -> Option<String> {
    let frame = vm.frames.last()?;
    let code = &vm.program.functions[frame.func as usize];
    let pc = (frame.pc as usize).checked_sub(1)?;
    let offset = *code.spans.get(pc)? as usize;
    let source = vm.source_of(frame.func);
    let src: &str = &source;
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

/// `new AssertionError({ message, actual, expected, operator })`.
pub(super) fn assertion_error_ctor(
    vm: &mut Vm,
    _t: Value,
    args: &[Value],
    _d: &[Value],
) -> JsResult {
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
pub(super) fn assertion_error_proto(vm: &mut Vm) -> ObjId {
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
