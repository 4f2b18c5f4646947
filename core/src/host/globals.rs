//! Host globals and built-in modules: console, timers, queueMicrotask, process, require
//! (fs with a virtual file system, events, util, timers, timers/promises).

use super::{Stream, Timer};
use crate::builtins::arg;
use crate::builtins::typed_array::{self, ElemKind};
use crate::heap::*;
use crate::inspect::{format_args, inspect, InspectOptions};
use crate::recorder::{Event, IoKind};
use crate::value::{ObjId, Value};
use crate::vm::{Abort, Job, JsResult, Vm};

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

// ---------- timers
fn delay_ms(vm: &mut Vm, v: &Value) -> Result<u64, Value> {
    let d = vm.to_number(v)?;
    Ok(if !(1.0..=2147483647.0).contains(&d) {
        1
    } else {
        d.trunc() as u64
    })
}

fn new_timer(vm: &mut Vm, args: &[Value], repeat: bool) -> JsResult {
    let cb = arg(args, 0);
    if !vm.is_callable(&cb) {
        let e = vm.type_error(&format!(
            "The \"callback\" argument must be of type function. Received {}",
            received(vm, &cb)
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    let delay = delay_ms(vm, &arg(args, 1))?;
    let extra: Vec<Value> = args.iter().skip(2).cloned().collect();
    vm.host.next_id += 1;
    let id = vm.host.next_id;
    let seq = vm.host.seq;
    vm.host.seq += 1;
    let tp = vm.host.timeout_proto;
    let obj = vm.alloc(Some(tp), ObjKind::Ordinary);
    vm.put(obj, "_idleTimeout", Value::Num(delay as f64));
    let k = vm.heap.key("__id");
    vm.heap.obj_mut(obj).put(k, Value::Num(id as f64), 0);
    let due = vm.clock_ns / 1_000_000 + delay;
    if vm.recording() {
        let label = vm.callback_label(&cb);
        vm.recorder.event(Event::TimerSet {
            id,
            due_ms: due,
            repeat,
            label: &label,
        });
    }
    vm.host.timers.insert(
        id,
        Timer {
            id,
            due_ms: due,
            seq,
            callback: cb,
            args: extra,
            repeat_ms: if repeat { Some(delay) } else { None },
            refed: true,
            object: obj,
        },
    );
    Ok(Value::Obj(obj))
}

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

pub(crate) fn set_code(vm: &mut Vm, e: &Value, code: &str) {
    if let Value::Obj(o) = e {
        vm.put(*o, "code", Value::str(code));
    }
}

fn set_timeout(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    new_timer(vm, args, false)
}
fn set_interval(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    new_timer(vm, args, true)
}
fn timer_id(vm: &mut Vm, v: &Value) -> Option<u64> {
    match v {
        Value::Num(n) => Some(*n as u64),
        Value::Obj(_) => match vm.get_by_name(v, "__id") {
            Ok(Value::Num(n)) => Some(n as u64),
            _ => None,
        },
        _ => None,
    }
}
fn clear_timeout(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if let Some(id) = timer_id(vm, &arg(args, 0)) {
        if vm.host.timers.remove(&id).is_some() {
            vm.host_event(Event::TimerCleared { id });
        }
    }
    Ok(Value::Undefined)
}
fn set_immediate(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cb = arg(args, 0);
    if !vm.is_callable(&cb) {
        let e = vm.type_error(&format!(
            "The \"callback\" argument must be of type function. Received {}",
            received(vm, &cb)
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    vm.host.next_id += 1;
    let id = vm.host.next_id;
    let ip = vm.host.immediate_proto;
    let obj = vm.alloc(Some(ip), ObjKind::Ordinary);
    let k = vm.heap.key("__id");
    vm.heap.obj_mut(obj).put(k, Value::Num(id as f64), 0);
    if vm.recording() {
        let label = vm.callback_label(&cb);
        vm.recorder.event(Event::ImmediateSet { id, label: &label });
    }
    vm.host
        .immediates
        .push_back((id, cb, args.iter().skip(1).cloned().collect()));
    Ok(Value::Obj(obj))
}
fn clear_immediate(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    if let Some(id) = timer_id(vm, &arg(args, 0)) {
        let before = vm.host.immediates.len();
        vm.host.immediates.retain(|x| x.0 != id);
        if vm.host.immediates.len() != before {
            vm.host_event(Event::ImmediateCleared { id });
        }
        vm.host.cleared_immediates.insert(id);
    }
    Ok(Value::Undefined)
}
fn timer_set_ref(vm: &mut Vm, this: &Value, r: bool) {
    if let Some(id) = timer_id(vm, this) {
        if let Some(t) = vm.host.timers.get_mut(&id) {
            t.refed = r;
        }
    }
}
fn timeout_ref(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    timer_set_ref(vm, &this, true);
    Ok(this)
}
fn timeout_unref(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    timer_set_ref(vm, &this, false);
    Ok(this)
}
fn timeout_has_ref(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let id = timer_id(vm, &this);
    Ok(Value::Bool(
        id.and_then(|i| vm.host.timers.get(&i))
            .map(|t| t.refed)
            .unwrap_or(false),
    ))
}
fn timeout_refresh(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    if let Some(id) = timer_id(vm, &this) {
        let now = vm.clock_ns / 1_000_000;
        let seq = vm.host.seq;
        vm.host.seq += 1;
        let delay = match vm.get_by_name(&this, "_idleTimeout") {
            Ok(Value::Num(n)) => n as u64,
            _ => 1,
        };
        if let Some(t) = vm.host.timers.get_mut(&id) {
            t.due_ms = now + delay;
            t.seq = seq;
            let (repeat, cb) = (t.repeat_ms.is_some(), t.callback.clone());
            if vm.recording() {
                let label = vm.callback_label(&cb);
                vm.recorder.event(Event::TimerSet {
                    id,
                    due_ms: now + delay,
                    repeat,
                    label: &label,
                });
            }
        }
    }
    Ok(this)
}
fn timeout_to_primitive(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(timer_id(vm, &this)
        .map(|i| Value::Num(i as f64))
        .unwrap_or(Value::Undefined))
}
fn queue_microtask(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let f = arg(args, 0);
    if !vm.is_callable(&f) {
        let e = vm.type_error(&format!(
            "The \"callback\" argument must be of type function. Received {}",
            received(vm, &f)
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    vm.enqueue_job(Job::Callback { func: f });
    Ok(Value::Undefined)
}

// ---------- process
fn next_tick(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let f = arg(args, 0);
    if !vm.is_callable(&f) {
        let e = vm.type_error(&format!(
            "The \"callback\" argument must be of type function. Received {}",
            received(vm, &f)
        ));
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    if vm.host.exiting {
        return Ok(Value::Undefined);
    }
    if vm.recording() {
        let label = vm.callback_label(&f);
        vm.recorder.event(Event::TickQueued { label: &label });
    }
    vm.host
        .next_ticks
        .push_back((f, args.iter().skip(1).cloned().collect()));
    Ok(Value::Undefined)
}
fn process_exit(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let code = match arg(args, 0) {
        Value::Undefined => vm.exit_code(),
        v => vm.to_number(&v)? as i32,
    };
    let p = vm.host.process;
    vm.put(p, "exitCode", Value::Num(code as f64));
    vm.abort = Some(Abort::Exit(code));
    Err(Value::Undefined)
}
fn process_cwd(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::str(&vm.host.cwd.clone()))
}
fn process_hrtime(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let ns = vm.clock_ns;
    Ok(vm.new_array(vec![
        Value::Num((ns / 1_000_000_000) as f64),
        Value::Num((ns % 1_000_000_000) as f64),
    ]))
}
fn process_memory(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let o = vm.new_object();
    let n = (vm.heap.objects.len() * 64) as f64;
    vm.put(o, "rss", Value::Num(n));
    vm.put(o, "heapTotal", Value::Num(n));
    vm.put(o, "heapUsed", Value::Num(n));
    vm.put(o, "external", Value::Num(0.0));
    vm.put(o, "arrayBuffers", Value::Num(0.0));
    Ok(Value::Obj(o))
}

// ---------- fs
pub(crate) fn resolve_path(vm: &Vm, p: &str) -> String {
    if p.starts_with('/') {
        return normalize(p);
    }
    normalize(&format!("{}/{}", vm.host.cwd, p))
}
fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = vec![];
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}
pub(crate) fn enoent(vm: &mut Vm, path: &str) -> Value {
    let e = vm.make_error(
        vm.realm.error_proto,
        &format!("ENOENT: no such file or directory, open '{path}'"),
    );
    if let Value::Obj(o) = e {
        vm.put(o, "errno", Value::Num(-2.0));
        vm.put(o, "code", Value::str("ENOENT"));
        vm.put(o, "syscall", Value::str("open"));
        vm.put(o, "path", Value::str(path));
    }
    e
}
pub(crate) fn read_file_result(vm: &mut Vm, path_v: &Value) -> Result<String, Value> {
    let p = vm.to_string(path_v)?;
    let full = resolve_path(vm, &p);
    match vm.host.files.get(&full) {
        Some(s) => Ok(s.clone()),
        None => Err(enoent(vm, &p)),
    }
}
/// The `encoding` of an fs options argument (a string or `{ encoding }`): `None` for a Buffer.
fn fs_encoding(vm: &mut Vm, options: &Value) -> Result<Option<String>, Value> {
    let enc = match options {
        Value::Str(s) => Value::Str(s.clone()),
        Value::Obj(o) if !vm.is_callable(options) => vm.get_by_name(&Value::Obj(*o), "encoding")?,
        _ => Value::Undefined,
    };
    match enc {
        Value::Undefined | Value::Null => Ok(None),
        v => {
            let e = vm.to_string(&v)?;
            match canonical_encoding(&e) {
                Some(c) => Ok(Some(c.into())),
                None => {
                    let msg = format!("unsupported: fs encoding '{e}'");
                    Err(vm.make_error(vm.realm.error_proto, &msg))
                }
            }
        }
    }
}
/// The file contents as the options ask: a string for an encoding, else a Buffer.
fn file_value(vm: &mut Vm, text: &str, encoding: Option<&str>) -> Value {
    match encoding {
        Some(e) => Value::str(&decode_bytes(text.as_bytes(), e)),
        None => new_buffer(vm, text.as_bytes()),
    }
}
fn read_file_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let enc = fs_encoding(vm, &arg(args, 1))?;
    let s = read_file_result(vm, &arg(args, 0))?;
    vm.block_for(vm.host.fs_latency_ns / 4);
    Ok(file_value(vm, &s, enc.as_deref()))
}

// ---------- Buffer (the class itself is in `buffer.rs`)
/// A new Buffer holding `bytes`: a Uint8Array view with `Buffer.prototype` over a fresh
/// ArrayBuffer.
pub fn new_buffer(vm: &mut Vm, bytes: &[u8]) -> Value {
    let proto = vm
        .host
        .buffer_proto
        .unwrap_or(vm.realm.typed.protos[ElemKind::Uint8.index()]);
    Value::Obj(typed_array::new_typed_from_bytes(
        vm,
        ElemKind::Uint8,
        proto,
        bytes.to_vec(),
    ))
}
/// The bytes of a Buffer or any other Uint8Array (`None` if `v` is not one).
pub fn buffer_bytes(vm: &mut Vm, v: &Value) -> Option<Vec<u8>> {
    let Value::Obj(o) = v else { return None };
    let view = typed_array::typed_view(vm, *o)?;
    (view.elem == ElemKind::Uint8).then(|| typed_array::view_bytes(vm, &view))
}
/// The bytes any ArrayBuffer view (typed array, DataView) covers.
pub fn any_view_bytes(vm: &Vm, v: &Value) -> Option<Vec<u8>> {
    let Value::Obj(o) = v else { return None };
    if let Some(view) = typed_array::typed_view(vm, *o) {
        return Some(typed_array::view_bytes(vm, &view));
    }
    match &vm.heap.obj(*o).kind {
        ObjKind::DataView {
            buffer,
            offset,
            length,
        } => Some(typed_array::buffer_range(
            vm,
            *buffer,
            *offset,
            offset + length,
        )),
        _ => None,
    }
}
/// Node's name for a supported encoding (`utf8`, `latin1`, `hex`, `base64`, `base64url`).
pub(crate) fn canonical_encoding(e: &str) -> Option<&'static str> {
    Some(match e.to_ascii_lowercase().as_str() {
        "utf8" | "utf-8" => "utf8",
        "latin1" | "binary" => "latin1",
        "hex" => "hex",
        "base64" => "base64",
        "base64url" => "base64url",
        "ascii" => "ascii",
        _ => return None,
    })
}

/// The encoding argument `v` (default utf8), or Node's "Unknown encoding" TypeError.
pub(crate) fn encoding_arg(vm: &mut Vm, v: &Value) -> Result<&'static str, Value> {
    if let Value::Undefined = v {
        return Ok("utf8");
    }
    let e = vm.to_string(v)?;
    match canonical_encoding(&e) {
        Some(c) => Ok(c),
        None => {
            let err = vm.type_error(&format!("Unknown encoding: {e}"));
            set_code(vm, &err, "ERR_UNKNOWN_ENCODING");
            Err(err)
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8], url: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..=chunk.len() {
            let c = B64[(n >> (18 - 6 * i) & 63) as usize];
            out.push(match (url, c) {
                (true, b'+') => '-',
                (true, b'/') => '_',
                _ => c as char,
            });
        }
        if !url {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Node's lenient base64 decoding (either alphabet, stops at `=`, skips anything else).
fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Bytes as a string in `encoding` (Buffer#toString).
pub(crate) fn decode_bytes(bytes: &[u8], encoding: &str) -> String {
    match encoding {
        "latin1" => bytes.iter().map(|b| *b as char).collect(),
        "ascii" => bytes.iter().map(|b| (*b & 0x7f) as char).collect(),
        "hex" => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        "base64" => base64_encode(bytes, false),
        "base64url" => base64_encode(bytes, true),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// A string's bytes in `encoding` (Buffer.from(string, encoding)).
pub(crate) fn encode_string(s: &str, encoding: &str) -> Vec<u8> {
    match encoding {
        "latin1" | "ascii" => s.chars().map(|c| c as u32 as u8).collect(),
        "hex" => s
            .as_bytes()
            .chunks_exact(2)
            .map_while(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
            .collect(),
        "base64" | "base64url" => base64_decode(s),
        _ => s.as_bytes().to_vec(),
    }
}

/// The bytes of a string (in `encoding`) or of a Buffer; a TypeError for anything else.
pub(crate) fn data_bytes(
    vm: &mut Vm,
    v: &Value,
    encoding: &str,
    arg_name: &str,
) -> Result<Vec<u8>, Value> {
    if let Some(b) = any_view_bytes(vm, v) {
        return Ok(b);
    }
    match v {
        Value::Str(s) => Ok(encode_string(s, encoding)),
        other => {
            let r = received(vm, other);
            let e = vm.type_error(&format!(
                "The \"{arg_name}\" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received {r}"
            ));
            set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
            Err(e)
        }
    }
}
fn read_file(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cb = args
        .iter()
        .rev()
        .find(|a| vm.is_callable(a))
        .cloned()
        .unwrap_or(Value::Undefined);
    if !vm.is_callable(&cb) {
        let e = vm.type_error("The \"cb\" argument must be of type function. Received undefined");
        set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
        return Err(e);
    }
    let enc = match args.get(1) {
        Some(o) if args.len() > 2 => fs_encoding(vm, o)?,
        _ => None,
    };
    let cb_args = match read_file_result(vm, &arg(args, 0)) {
        Ok(s) => {
            let data = file_value(vm, &s, enc.as_deref());
            vec![Value::Null, data]
        }
        Err(e) => vec![e],
    };
    let label = match arg(args, 0) {
        Value::Str(s) => format!("fs.readFile {s}"),
        _ => "fs.readFile".to_string(),
    };
    let cost = vm.host.fs_latency_ns;
    vm.pool_submit(IoKind::Fs, label, cost, cb, cb_args);
    Ok(Value::Undefined)
}
fn exists_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let p = vm.to_string(&arg(args, 0))?;
    let full = resolve_path(vm, &p);
    Ok(Value::Bool(vm.host.files.contains_key(&full)))
}

// ---------- require
fn module_not_found(vm: &mut Vm, name: &str) -> Value {
    let msg = format!(
        "Cannot find module '{name}'\nRequire stack:\n- {}",
        vm.filename
    );
    let e = vm.make_error(vm.realm.error_proto, &msg);
    set_code(vm, &e, "MODULE_NOT_FOUND");
    e
}
fn require(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let name = vm.to_string(&arg(args, 0))?;
    let key = name.strip_prefix("node:").unwrap_or(&name).to_string();
    if let Some(m) = vm.host.modules.get(&key) {
        return Ok(m.clone());
    }
    Err(module_not_found(vm, &name))
}

fn prelude_get(vm: &mut Vm, name: &str) -> Value {
    match vm.host.prelude {
        Some(p) => vm
            .get_by_name(&Value::Obj(p), name)
            .unwrap_or(Value::Undefined),
        None => Value::Undefined,
    }
}

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

/// `util.types.isX(value)`: the check is the function's data (see `install_util_types`).
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

/// Installs the host globals (before the prelude runs).
pub fn install_globals(vm: &mut Vm) {
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

    let op = vm.realm.object_proto;
    let tp = vm.alloc(Some(op), ObjKind::Ordinary);
    vm.host.timeout_proto = tp;
    let tc = vm.make_native(
        "Timeout",
        0,
        |vm, _, _, _| vm.throw_type("Illegal constructor"),
        vec![],
    );
    crate::builtins::link_ctor(vm, tc, tp);
    vm.method(tp, "ref", 0, timeout_ref);
    vm.method(tp, "unref", 0, timeout_unref);
    vm.method(tp, "hasRef", 0, timeout_has_ref);
    vm.method(tp, "refresh", 0, timeout_refresh);
    let prim = vm.make_native("[Symbol.toPrimitive]", 0, timeout_to_primitive, vec![]);
    let k = PropKey::Sym(vm.syms.to_primitive);
    vm.heap.obj_mut(tp).put(k, Value::Obj(prim), HIDDEN);
    let ip = vm.alloc(Some(op), ObjKind::Ordinary);
    vm.host.immediate_proto = ip;
    let ic = vm.make_native(
        "Immediate",
        0,
        |vm, _, _, _| vm.throw_type("Illegal constructor"),
        vec![],
    );
    crate::builtins::link_ctor(vm, ic, ip);
    vm.method(ip, "ref", 0, |_, this, _, _| Ok(this));
    vm.method(ip, "unref", 0, |_, this, _, _| Ok(this));
    vm.method(ip, "hasRef", 0, |_, _, _, _| Ok(Value::Bool(true)));

    vm.method(g, "setTimeout", 2, set_timeout);
    vm.method(g, "setInterval", 2, set_interval);
    vm.method(g, "setImmediate", 1, set_immediate);
    vm.method(g, "clearTimeout", 1, clear_timeout);
    vm.method(g, "clearInterval", 1, clear_timeout);
    vm.method(g, "clearImmediate", 1, clear_immediate);
    vm.method(g, "queueMicrotask", 1, queue_microtask);
    vm.method(g, "structuredClone", 2, super::clone::structured_clone);

    let process = vm.new_object();
    vm.host.process = process;
    vm.method(process, "nextTick", 1, next_tick);
    vm.method(process, "exit", 1, process_exit);
    vm.method(process, "cwd", 0, process_cwd);
    vm.method(process, "hrtime", 0, process_hrtime);
    vm.method(process, "memoryUsage", 0, process_memory);
    vm.put(process, "exitCode", Value::Undefined);
    vm.put(process, "platform", Value::str("linux"));
    vm.put(process, "version", Value::str("v20.20.2"));
    vm.put(process, "pid", Value::Num(4242.0));
    let versions = vm.new_object();
    vm.put(versions, "node", Value::str("20.20.2"));
    vm.put(process, "versions", Value::Obj(versions));
    let env = vm.new_object();
    vm.put(process, "env", Value::Obj(env));
    let argv = vm.new_array(vec![
        Value::str("/usr/local/bin/node"),
        Value::Str(vm.filename.clone()),
    ]);
    vm.put(process, "argv", argv);
    vm.put_hidden(g, "process", Value::Obj(process));
    vm.method(g, "require", 1, require);
    super::buffer::install(vm);
}

/// Wires the prelude's exports into process and the module table.
pub fn install_modules(vm: &mut Vm, prelude: ObjId) {
    vm.host.prelude = Some(prelude);
    let ee = prelude_get(vm, "EventEmitter");
    // process is an EventEmitter
    if let Ok(Value::Obj(proto)) = vm.get(&ee, PropKey::Str(vm.names.prototype)) {
        let p = vm.host.process;
        vm.heap.obj_mut(p).proto = Some(proto);
    }
    vm.host.modules.insert("events".into(), ee);
    let dom_exception = prelude_get(vm, "DOMException");
    let g = vm.realm.global;
    vm.put_hidden(g, "DOMException", dom_exception);
    let ags = prelude_get(vm, "asyncGeneratorStart");
    vm.host.async_gen_start = Some(ags);

    let fs = vm.new_object();
    vm.method(fs, "readFile", 3, read_file);
    vm.method(fs, "readFileSync", 2, read_file_sync);
    vm.method(fs, "existsSync", 1, exists_sync);
    let promises = vm.new_object();
    let rfp = prelude_get(vm, "readFilePromise");
    vm.put(promises, "readFile", rfp);
    vm.put(fs, "promises", Value::Obj(promises));
    vm.put(prelude, "fs", Value::Obj(fs));
    vm.host.modules.insert("fs".into(), Value::Obj(fs));
    vm.host
        .modules
        .insert("fs/promises".into(), Value::Obj(promises));

    let util = vm.new_object();
    let promisify = prelude_get(vm, "promisify");
    vm.put(util, "promisify", promisify);
    let cbify = prelude_get(vm, "callbackify");
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
    let path = prelude_get(vm, "path");
    vm.host.modules.insert("path".into(), path);
    vm.host.modules.insert("util".into(), Value::Obj(util));

    let tp = prelude_get(vm, "timersPromises");
    vm.host.modules.insert("timers/promises".into(), tp);
    let timers = vm.new_object();
    let g = Value::Obj(vm.realm.global);
    for n in [
        "setTimeout",
        "setInterval",
        "setImmediate",
        "clearTimeout",
        "clearInterval",
        "clearImmediate",
    ] {
        let f = vm.get_by_name(&g, n).unwrap_or(Value::Undefined);
        vm.put(timers, n, f);
    }
    vm.host.modules.insert("timers".into(), Value::Obj(timers));
    super::asyncops::install(vm);
    super::net::install(vm, prelude);
    super::assert::install(vm);
}
