//! Node's `fs` on a virtual file system (`HostState::files`, path → contents, set by
//! [`crate::RunOptions::files`]; directories are implied by the paths): `readFile`,
//! `writeFile`, `stat`, `readdir` in callback form, their `…Sync` forms, `existsSync`, and
//! `fs.promises` (= `fs/promises`; its `readFile` is the prelude's `readFilePromise`).
//!
//! Timing follows Node: a callback or promise operation runs on the simulated libuv thread
//! pool ([`super::threadpool`]) for its virtual cost and completes in the poll phase; a
//! `…Sync` call blocks the loop (advances the clock) for a quarter of that cost.

use super::buffer::new_buffer;
use super::encoding::{canonical_encoding, decode_bytes};
use super::errors::set_code;
use super::prelude_get;
use super::threadpool::{pool_op, require_cb};
use crate::builtins::arg;
use crate::recorder::IoKind;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};

pub(crate) fn resolve_path(vm: &Vm, p: &str) -> String {
    if p.starts_with('/') {
        return normalize(p);
    }
    normalize(&format!("{}/{}", vm.host.cwd, p))
}
/// `p` without `.`, `..` and empty segments (an absolute path).
pub(crate) fn normalize(p: &str) -> String {
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

fn write_result(vm: &mut Vm, args: &[Value]) -> Result<(String, String), Value> {
    let p = vm.to_string(&arg(args, 0))?;
    let data = match arg(args, 1) {
        v @ Value::Str(_) => vm.to_string(&v)?,
        Value::Undefined => String::new(),
        v => vm.to_string(&v)?,
    };
    Ok((p, data))
}
fn write_file_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (p, data) = write_result(vm, args)?;
    let full = resolve_path(vm, &p);
    vm.host.files.insert(full, data);
    let c = vm.host.cost.fs_write_ns / 4;
    vm.block_for(c);
    Ok(Value::Undefined)
}
fn write_file(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    let cb = if d.is_empty() {
        Some(require_cb(vm, args)?)
    } else {
        None
    };
    let (p, data) = write_result(vm, args)?;
    let full = resolve_path(vm, &p);
    // the data is visible once the write completes; we apply it at submission (single writer)
    vm.host.files.insert(full, data);
    let c = vm.host.cost.fs_write_ns;
    pool_op(
        vm,
        IoKind::Fs,
        format!("fs.writeFile {p}"),
        c,
        Ok(Value::Undefined),
        cb,
    )
}

fn is_dir(vm: &Vm, full: &str) -> bool {
    let prefix = if full == "/" {
        "/".to_string()
    } else {
        format!("{full}/")
    };
    vm.host.files.keys().any(|k| k.starts_with(&prefix))
}

fn stat_method(vm: &mut Vm, this: Value, _args: &[Value], d: &[Value]) -> JsResult {
    let _ = (vm, this);
    Ok(d.first().cloned().unwrap_or(Value::Bool(false)))
}

fn stat_result(vm: &mut Vm, pv: &Value) -> Result<Value, Value> {
    let p = vm.to_string(pv)?;
    let full = resolve_path(vm, &p);
    let (file, size) = match vm.host.files.get(&full) {
        Some(s) => (true, s.len()),
        None if is_dir(vm, &full) => (false, 4096),
        None => {
            let e = enoent(vm, &p);
            if let Value::Obj(o) = e {
                vm.put(
                    o,
                    "message",
                    Value::str(&format!("ENOENT: no such file or directory, stat '{p}'")),
                );
                vm.put(o, "syscall", Value::str("stat"));
            }
            return Err(e);
        }
    };
    let o = vm.new_object();
    vm.put(o, "size", Value::Num(size as f64));
    let mtime = crate::builtins::date::now_ms(vm);
    vm.put(o, "mtimeMs", Value::Num(mtime));
    let f = vm.make_native("isFile", 0, stat_method, vec![Value::Bool(file)]);
    vm.put_hidden(o, "isFile", Value::Obj(f));
    let dfn = vm.make_native("isDirectory", 0, stat_method, vec![Value::Bool(!file)]);
    vm.put_hidden(o, "isDirectory", Value::Obj(dfn));
    Ok(Value::Obj(o))
}
fn stat_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let r = stat_result(vm, &arg(args, 0))?;
    let c = vm.host.cost.fs_stat_ns / 4;
    vm.block_for(c);
    Ok(r)
}
fn stat(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    let cb = if d.is_empty() {
        Some(require_cb(vm, args)?)
    } else {
        None
    };
    let p = vm.to_string(&arg(args, 0))?;
    let r = stat_result(vm, &arg(args, 0));
    let c = vm.host.cost.fs_stat_ns;
    pool_op(vm, IoKind::Fs, format!("fs.stat {p}"), c, r, cb)
}

fn readdir_result(vm: &mut Vm, pv: &Value) -> Result<Value, Value> {
    let p = vm.to_string(pv)?;
    let full = resolve_path(vm, &p);
    if !is_dir(vm, &full) {
        let e = enoent(vm, &p);
        if let Value::Obj(o) = e {
            vm.put(
                o,
                "message",
                Value::str(&format!("ENOENT: no such file or directory, scandir '{p}'")),
            );
            vm.put(o, "syscall", Value::str("scandir"));
        }
        return Err(e);
    }
    let prefix = if full == "/" {
        "/".to_string()
    } else {
        format!("{full}/")
    };
    let mut names: Vec<String> = vm
        .host
        .files
        .keys()
        .filter_map(|k| k.strip_prefix(&prefix))
        .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
        .collect();
    names.sort();
    names.dedup();
    let items = names.iter().map(|n| Value::str(n)).collect();
    Ok(vm.new_array(items))
}
fn readdir_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let r = readdir_result(vm, &arg(args, 0))?;
    let c = vm.host.cost.fs_stat_ns / 4;
    vm.block_for(c);
    Ok(r)
}
fn readdir(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    let cb = if d.is_empty() {
        Some(require_cb(vm, args)?)
    } else {
        None
    };
    let p = vm.to_string(&arg(args, 0))?;
    let r = readdir_result(vm, &arg(args, 0));
    let c = vm.host.cost.fs_stat_ns;
    pool_op(vm, IoKind::Fs, format!("fs.readdir {p}"), c, r, cb)
}

/// Creates the `fs` and `fs/promises` modules with `readFile`, `readFileSync` and
/// `existsSync`. The thread-pool operations are added later by [`install_pool_ops`]: the
/// host's objects are created in a fixed order, and object ids appear in traces.
pub fn install(vm: &mut Vm, prelude: ObjId) {
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
}

/// Adds `writeFile`, `stat` and `readdir` (callback, sync and promise forms).
pub fn install_pool_ops(vm: &mut Vm) {
    let fs = super::module_object(vm, "fs");
    vm.method(fs, "writeFile", 3, write_file);
    vm.method(fs, "writeFileSync", 2, write_file_sync);
    vm.method(fs, "stat", 2, stat);
    vm.method(fs, "statSync", 1, stat_sync);
    vm.method(fs, "readdir", 2, readdir);
    vm.method(fs, "readdirSync", 1, readdir_sync);
    let promises = super::module_object(vm, "fs/promises");
    // a native's data marks its promise form (no callback: it returns a promise)
    let marker = vec![Value::Bool(true)];
    for (name, f) in [
        ("writeFile", write_file as crate::vm::NativeFn),
        ("stat", stat),
        ("readdir", readdir),
    ] {
        let fo = vm.make_native(name, 2, f, marker.clone());
        vm.put_hidden(promises, name, Value::Obj(fo));
    }
}
