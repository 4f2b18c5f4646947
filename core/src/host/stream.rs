//! `stream` and `stream/promises`: written in JavaScript (`prelude.js`, `exports.stream`, a
//! re-implementation of Node 20's `lib/internal/streams`), built on the first `require` of
//! either name and cached in the module table, so programs without streams run none of it.
//! `process.stdout` and `process.stderr` are streams of it ([`stdio`]), built on first use.

use super::buffer::any_view_bytes;
use super::encoding::{canonical_encoding, encode_string};
use super::Stream;
use crate::builtins::arg;
use crate::value::Value;
use crate::vm::{JsResult, Vm};

/// Builds the `stream` module and `stream/promises`, registers both, and returns the one
/// named `key`.
pub fn load(vm: &mut Vm, key: &str) -> JsResult {
    let factory = super::prelude_get(vm, "stream");
    let built = vm.call(&factory, Value::Undefined, &[])?;
    let stream = vm.get_by_name(&built, "stream")?;
    let promises = vm.get_by_name(&built, "promises")?;
    vm.host.stdio_factory = Some(vm.get_by_name(&built, "stdio")?);
    vm.host.modules.insert("stream".into(), stream.clone());
    vm.host
        .modules
        .insert("stream/promises".into(), promises.clone());
    Ok(if key == "stream/promises" {
        promises
    } else {
        stream
    })
}

/// `process.stdout` (`fd` 1) or `process.stderr` (2): built on first use (the stream module
/// with it), then the same object.
pub(crate) fn stdio(vm: &mut Vm, fd: u8) -> JsResult {
    let i = usize::from(fd == 2);
    if let Some(s) = &vm.host.stdio[i] {
        return Ok(s.clone());
    }
    if vm.host.stdio_factory.is_none() {
        load(vm, "stream")?;
    }
    let factory = vm.host.stdio_factory.clone().unwrap_or(Value::Undefined);
    let write = vm.make_native("writeOut", 2, write_out, vec![Value::Num(f64::from(fd))]);
    let s = vm.call(
        &factory,
        Value::Undefined,
        &[Value::Num(f64::from(fd)), Value::Obj(write)],
    )?;
    vm.host.stdio[i] = Some(s.clone());
    Ok(s)
}

/// The stdio stream's `_write`: its chunk (a string in its encoding, or bytes) as text on the
/// process's stdout or stderr; `null` (its `end()`) shuts that output.
fn write_out(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    let stream = match d.first() {
        Some(Value::Num(n)) if *n == 2.0 => Stream::Stderr,
        _ => Stream::Stdout,
    };
    let text = match arg(args, 0) {
        Value::Null => {
            vm.host.stdio_shut[usize::from(stream == Stream::Stderr)] = true;
            return Ok(Value::Undefined);
        }
        Value::Str(s) => {
            let enc = match arg(args, 1) {
                Value::Str(e) => canonical_encoding(&e).unwrap_or("utf8"),
                _ => "utf8",
            };
            if enc == "utf8" {
                s.to_string()
            } else {
                let bytes = encode_string(&s, enc);
                String::from_utf8_lossy(&bytes).into_owned()
            }
        }
        v => match any_view_bytes(vm, &v) {
            Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            None => vm.to_string(&v)?,
        },
    };
    if !text.is_empty() {
        vm.write(stream, text);
    }
    Ok(Value::Undefined)
}
