//! Node's `console` global: `log`/`info`/`debug` to stdout, `error`/`warn`/`trace` to stderr,
//! `dir`, `assert`, and `group`/`groupEnd` indentation. Text is formatted as Node's
//! `util.format` does ([`crate::inspect`]) and written through [`Vm::write`].

use super::Stream;
use crate::builtins::arg;
use crate::inspect::{format_args, inspect, InspectOptions};
use crate::value::Value;
use crate::vm::{JsResult, Vm};

fn print(vm: &mut Vm, stream: Stream, args: &[Value]) {
    let mut s = format_args(vm, args);
    if vm.host.group_indent > 0 {
        let ind = " ".repeat(vm.host.group_indent);
        s = s
            .lines()
            .map(|l| format!("{ind}{l}"))
            .collect::<Vec<_>>()
            .join("\n");
    }
    s.push('\n');
    vm.write(stream, s);
}
fn console_log(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    print(vm, Stream::Stdout, args);
    Ok(Value::Undefined)
}
fn console_error(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    print(vm, Stream::Stderr, args);
    Ok(Value::Undefined)
}
fn console_dir(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let mut s = inspect(vm, &arg(args, 0), InspectOptions::default());
    s.push('\n');
    vm.write(Stream::Stdout, s);
    Ok(Value::Undefined)
}
fn console_trace(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let msg = format_args(vm, args);
    let lines = vm.stack_trace_lines();
    vm.write(Stream::Stderr, format!("Trace: {msg}{lines}\n"));
    Ok(Value::Undefined)
}
fn console_assert(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if !arg(args, 0).truthy() {
        let rest = if args.len() > 1 {
            format_args(vm, &args[1..])
        } else {
            String::new()
        };
        let s = if rest.is_empty() {
            "Assertion failed\n".to_string()
        } else {
            format!("Assertion failed: {rest}\n")
        };
        vm.write(Stream::Stderr, s);
    }
    Ok(Value::Undefined)
}
fn console_group(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if !args.is_empty() {
        print(vm, Stream::Stdout, args);
    }
    vm.host.group_indent += 2;
    Ok(Value::Undefined)
}
fn console_group_end(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    vm.host.group_indent = vm.host.group_indent.saturating_sub(2);
    Ok(Value::Undefined)
}

/// Installs the global `console`.
pub fn install(vm: &mut Vm) {
    let g = vm.realm.global;
    let console = vm.new_object();
    vm.method(console, "log", 0, console_log);
    vm.method(console, "info", 0, console_log);
    vm.method(console, "debug", 0, console_log);
    vm.method(console, "error", 0, console_error);
    vm.method(console, "warn", 0, console_error);
    vm.method(console, "trace", 0, console_trace);
    vm.method(console, "dir", 0, console_dir);
    vm.method(console, "assert", 0, console_assert);
    vm.method(console, "group", 0, console_group);
    vm.method(console, "groupEnd", 0, console_group_end);
    vm.put_hidden(g, "console", Value::Obj(console));
}
