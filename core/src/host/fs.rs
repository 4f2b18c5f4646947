//! Node's `fs` on a virtual file system: `readFile`, `writeFile`, `stat`, `readdir`, `mkdir`,
//! `rmdir`, `unlink`, `rm` in callback form, their `…Sync` forms, `existsSync`, and
//! `fs.promises` (= `fs/promises`; its `readFile` is the prelude's `readFilePromise`).
//!
//! The file system is `HostState::files` (absolute path → contents, set by
//! [`crate::RunOptions::files`]) and `HostState::dirs`, the directories made explicitly (the
//! cwd and `/tmp` at start, `mkdir`). A directory exists when it is `/`, is in `dirs`, or has a
//! file or directory under it ([`lookup`], [`dir_entries`]; the shell of `child_process` sees
//! the same). Removing an entry keeps its directory (it goes into `dirs`), so only `rmdir`
//! and `rm` make a directory disappear. Misuse fails with Node's errors: `ENOENT`, `EEXIST`,
//! `ENOTDIR`, `EISDIR`, `ENOTEMPTY` (errno, code, syscall, path, and Node's message).
//!
//! Timing follows Node: a callback or promise operation runs on the simulated libuv thread
//! pool ([`super::threadpool`]) for its virtual cost and completes in the poll phase; a
//! `…Sync` call blocks the loop (advances the clock) for a quarter of that cost.

use super::buffer::new_buffer;
use super::encoding::{canonical_encoding, decode_bytes};
use super::errors::{arg_type_error, set_code};
use super::threadpool::{pool_op, require_cb};
use super::{prelude_get, HostState};
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
    let (full, found) = locate(vm, &p);
    if let Some(s) = vm.host.files.get(&full) {
        return Ok(s.clone());
    }
    Err(match found {
        Lookup::Dir => fs_error(vm, "EISDIR", "read", None),
        Lookup::NotDir => fs_error(vm, "ENOTDIR", "open", Some(&p)),
        _ => enoent(vm, &p),
    })
}

/// What a path (absolute, normalized) of the virtual file system is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    File,
    Dir,
    /// Nothing there, in an existing directory.
    Missing,
    /// A directory on the way does not exist.
    NoParent,
    /// A file is on the way (`a.txt/b`).
    NotDir,
}

/// Where a path argument (as given) leads: its absolute form and what is there (the empty
/// path is nowhere: Node's `ENOENT`).
fn locate(vm: &Vm, p: &str) -> (String, Lookup) {
    let full = resolve_path(vm, p);
    if p.is_empty() {
        return (full, Lookup::NoParent);
    }
    let found = lookup(&vm.host, &full);
    (full, found)
}

/// `/a/b` → `/a/b/`, `/` → `/`: what the paths under a directory start with.
fn dir_prefix(full: &str) -> String {
    if full == "/" {
        "/".to_string()
    } else {
        format!("{}/", full.trim_end_matches('/'))
    }
}

/// Whether `full` (absolute, normalized) is a directory: `/`, made explicitly, or holding a
/// file or directory.
pub(crate) fn is_dir(host: &HostState, full: &str) -> bool {
    if full == "/" || host.dirs.contains(full) {
        return true;
    }
    let prefix = dir_prefix(full);
    host.files.keys().any(|k| k.starts_with(&prefix))
        || host
            .dirs
            .range(prefix.clone()..)
            .next()
            .is_some_and(|d| d.starts_with(&prefix))
}

/// What `full` (absolute, normalized) is, looking at every directory on the way.
pub(crate) fn lookup(host: &HostState, full: &str) -> Lookup {
    let mut at = 0;
    while let Some(i) = full[at + 1..].find('/') {
        let ancestor = &full[..at + 1 + i];
        if host.files.contains_key(ancestor) {
            return Lookup::NotDir;
        }
        if !is_dir(host, ancestor) {
            return Lookup::NoParent;
        }
        at += 1 + i;
    }
    if host.files.contains_key(full) {
        Lookup::File
    } else if is_dir(host, full) {
        Lookup::Dir
    } else {
        Lookup::Missing
    }
}

/// The names in directory `full` (absolute, normalized), sorted; `None` if it is not a
/// directory. Shared with the shell of `child_process`.
pub(crate) fn dir_entries(host: &HostState, full: &str) -> Option<Vec<String>> {
    if host.files.contains_key(full) || !is_dir(host, full) {
        return None;
    }
    let prefix = dir_prefix(full);
    let mut names: Vec<String> = host
        .files
        .keys()
        .chain(host.dirs.iter())
        .filter_map(|k| k.strip_prefix(&prefix))
        .filter(|rest| !rest.is_empty())
        .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
        .collect();
    names.sort();
    names.dedup();
    Some(names)
}

/// The directory `full` is in (`/` for `/` itself).
fn parent_of(full: &str) -> &str {
    match full.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &full[..i],
    }
}

/// After removing `full`, its directory stays (it no longer has it to be implied by).
fn keep_parent(host: &mut HostState, full: &str) {
    let parent = parent_of(full);
    if parent != "/" {
        host.dirs.insert(parent.to_string());
    }
}

/// A Node file-system error: `CODE: description, syscall 'path'` with `errno`, `code`,
/// `syscall` and `path` (in that order, as Node sets them).
pub(crate) fn fs_error(vm: &mut Vm, code: &str, syscall: &str, path: Option<&str>) -> Value {
    let (errno, what) = match code {
        "ENOENT" => (-2.0, "no such file or directory"),
        "EEXIST" => (-17.0, "file already exists"),
        "ENOTDIR" => (-20.0, "not a directory"),
        "EISDIR" => (-21.0, "illegal operation on a directory"),
        "ENOTEMPTY" => (-39.0, "directory not empty"),
        _ => (-5.0, "i/o error"),
    };
    let msg = match path {
        Some(p) => format!("{code}: {what}, {syscall} '{p}'"),
        None => format!("{code}: {what}, {syscall}"),
    };
    let e = vm.make_error(vm.realm.error_proto, &msg);
    if let Value::Obj(o) = e {
        vm.put(o, "errno", Value::Num(errno));
        vm.put(o, "code", Value::str(code));
        vm.put(o, "syscall", Value::str(syscall));
        if let Some(p) = path {
            vm.put(o, "path", Value::str(p));
        }
    }
    e
}

/// The `path` argument of the directory operations: a string (Node also takes a Buffer or a
/// URL: their text is used).
fn path_arg(vm: &mut Vm, v: &Value) -> Result<String, Value> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Obj(_) if !vm.is_callable(v) => vm.to_string(v),
        _ => Err(arg_type_error(
            vm,
            "path",
            "string or an instance of Buffer or URL",
            v,
        )),
    }
}

/// The options argument (the second, unless it is the callback).
fn options_arg(vm: &Vm, args: &[Value]) -> Value {
    match args.get(1) {
        Some(v) if !vm.is_callable(v) => v.clone(),
        _ => Value::Undefined,
    }
}

/// `options[name]` when options is an object, else `false`.
fn flag(vm: &mut Vm, options: &Value, name: &str) -> Result<bool, Value> {
    match options {
        Value::Obj(_) => Ok(vm.get_by_name(options, name)?.truthy()),
        _ => Ok(false),
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
    let found = matches!(locate(vm, &p).1, Lookup::File | Lookup::Dir);
    Ok(Value::Bool(found))
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
/// Whether a file can be written at `full`: Node's `open` errors when it cannot.
/// Returns the file's absolute path.
fn check_writable(vm: &mut Vm, p: &str) -> Result<String, Value> {
    let (full, found) = locate(vm, p);
    match found {
        Lookup::File | Lookup::Missing => Ok(full),
        Lookup::Dir => Err(fs_error(vm, "EISDIR", "open", Some(p))),
        Lookup::NotDir => Err(fs_error(vm, "ENOTDIR", "open", Some(p))),
        Lookup::NoParent => Err(fs_error(vm, "ENOENT", "open", Some(p))),
    }
}
fn write_file_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (p, data) = write_result(vm, args)?;
    let full = check_writable(vm, &p)?;
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
    // the data is visible once the write completes; we apply it at submission (single writer)
    let r = check_writable(vm, &p).map(|full| {
        vm.host.files.insert(full, data);
        Value::Undefined
    });
    let c = vm.host.cost.fs_write_ns;
    pool_op(vm, IoKind::Fs, format!("fs.writeFile {p}"), c, r, cb)
}

fn stat_method(vm: &mut Vm, this: Value, _args: &[Value], d: &[Value]) -> JsResult {
    let _ = (vm, this);
    Ok(d.first().cloned().unwrap_or(Value::Bool(false)))
}

fn stat_result(vm: &mut Vm, pv: &Value) -> Result<Value, Value> {
    let p = vm.to_string(pv)?;
    let (full, found) = locate(vm, &p);
    let (file, size) = match found {
        Lookup::File => (true, vm.host.files.get(&full).map_or(0, |s| s.len())),
        Lookup::Dir => (false, 4096),
        Lookup::NotDir => return Err(fs_error(vm, "ENOTDIR", "stat", Some(&p))),
        Lookup::Missing | Lookup::NoParent => return Err(fs_error(vm, "ENOENT", "stat", Some(&p))),
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
    let (full, found) = locate(vm, &p);
    let names = match found {
        Lookup::Dir => dir_entries(&vm.host, &full).unwrap_or_default(),
        Lookup::File | Lookup::NotDir => return Err(fs_error(vm, "ENOTDIR", "scandir", Some(&p))),
        Lookup::Missing | Lookup::NoParent => {
            return Err(fs_error(vm, "ENOENT", "scandir", Some(&p)))
        }
    };
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

/// The dirname of a path as given (`a/b` → `a`, `a` → `.`, `/a` → `/`), as Node's mkdirp
/// walks it.
fn given_dirname(p: &str) -> String {
    let t = p.trim_end_matches('/');
    match t.rfind('/') {
        Some(0) => "/".to_string(),
        Some(i) => t[..i].to_string(),
        None if p.starts_with('/') => "/".to_string(),
        None => ".".to_string(),
    }
}

/// `mkdir(path, options)`: makes a directory (`recursive`: with its missing parents, returning
/// the first one made, as given, or `undefined` when it already existed).
fn mkdir_result(vm: &mut Vm, args: &[Value]) -> Result<Value, Value> {
    let p = path_arg(vm, &arg(args, 0))?;
    let recursive = flag(vm, &options_arg(vm, args), "recursive")?;
    let (full, found) = locate(vm, &p);
    match (found, recursive) {
        (Lookup::File, _) | (Lookup::Dir, false) => Err(fs_error(vm, "EEXIST", "mkdir", Some(&p))),
        (Lookup::Dir, true) => Ok(Value::Undefined),
        (Lookup::NotDir, _) => Err(fs_error(vm, "ENOTDIR", "mkdir", Some(&p))),
        (Lookup::NoParent, false) => Err(fs_error(vm, "ENOENT", "mkdir", Some(&p))),
        (Lookup::Missing, false) => {
            vm.host.dirs.insert(full);
            Ok(Value::Undefined)
        }
        (Lookup::Missing | Lookup::NoParent, true) => {
            // the shortest missing ancestor, as given
            let mut first = p.clone();
            loop {
                let up = given_dirname(&first);
                if up == first || lookup(&vm.host, &resolve_path(vm, &up)) == Lookup::Dir {
                    break;
                }
                first = up;
            }
            vm.host.dirs.insert(full);
            Ok(Value::str(&first))
        }
    }
}

/// Removes directory `full` and everything under it.
fn remove_tree(host: &mut HostState, full: &str) {
    let prefix = dir_prefix(full);
    host.files.retain(|k, _| !k.starts_with(&prefix));
    host.dirs.retain(|d| d != full && !d.starts_with(&prefix));
    keep_parent(host, full);
}

/// `rmdir(path)`: removes an empty directory (`recursive`, deprecated in Node: everything
/// under it too).
fn rmdir_result(vm: &mut Vm, args: &[Value]) -> Result<Value, Value> {
    let p = path_arg(vm, &arg(args, 0))?;
    let recursive = flag(vm, &options_arg(vm, args), "recursive")?;
    let (full, found) = locate(vm, &p);
    match found {
        Lookup::Missing | Lookup::NoParent => Err(fs_error(vm, "ENOENT", "rmdir", Some(&p))),
        Lookup::File | Lookup::NotDir => Err(fs_error(vm, "ENOTDIR", "rmdir", Some(&p))),
        Lookup::Dir => {
            let empty = dir_entries(&vm.host, &full).is_none_or(|e| e.is_empty());
            if !empty && !recursive {
                return Err(fs_error(vm, "ENOTEMPTY", "rmdir", Some(&p)));
            }
            remove_tree(&mut vm.host, &full);
            Ok(Value::Undefined)
        }
    }
}

/// `unlink(path)`: removes a file.
fn unlink_result(vm: &mut Vm, args: &[Value]) -> Result<Value, Value> {
    let p = path_arg(vm, &arg(args, 0))?;
    let (full, found) = locate(vm, &p);
    match found {
        Lookup::Missing | Lookup::NoParent => Err(fs_error(vm, "ENOENT", "unlink", Some(&p))),
        Lookup::NotDir => Err(fs_error(vm, "ENOTDIR", "unlink", Some(&p))),
        Lookup::Dir => Err(fs_error(vm, "EISDIR", "unlink", Some(&p))),
        Lookup::File => {
            vm.host.files.remove(&full);
            keep_parent(&mut vm.host, &full);
            Ok(Value::Undefined)
        }
    }
}

/// `rm(path, { recursive, force })`: removes a file, or a directory with `recursive`; with
/// `force` a missing path is no error. A directory without `recursive` is Node's
/// `SystemError [ERR_FS_EISDIR]`.
fn rm_result(vm: &mut Vm, args: &[Value]) -> Result<Value, Value> {
    let p = path_arg(vm, &arg(args, 0))?;
    let options = options_arg(vm, args);
    let recursive = flag(vm, &options, "recursive")?;
    let force = flag(vm, &options, "force")?;
    let (full, found) = locate(vm, &p);
    match found {
        Lookup::Missing | Lookup::NoParent if force => Ok(Value::Undefined),
        Lookup::Missing | Lookup::NoParent => Err(fs_error(vm, "ENOENT", "lstat", Some(&p))),
        Lookup::NotDir => Err(fs_error(vm, "ENOTDIR", "lstat", Some(&p))),
        Lookup::File => {
            vm.host.files.remove(&full);
            keep_parent(&mut vm.host, &full);
            Ok(Value::Undefined)
        }
        Lookup::Dir if recursive => {
            remove_tree(&mut vm.host, &full);
            Ok(Value::Undefined)
        }
        Lookup::Dir => Err(rm_eisdir(vm, &p)),
    }
}

/// Node's `SystemError [ERR_FS_EISDIR]` of `rm` on a directory without `recursive`.
fn rm_eisdir(vm: &mut Vm, p: &str) -> Value {
    let msg = format!("Path is a directory: rm returned EISDIR (is a directory) {p}");
    let e = vm.make_error(vm.realm.error_proto, &msg);
    if let Value::Obj(o) = e {
        vm.put_hidden(o, "name", Value::str("SystemError"));
        let stack = format!(
            "SystemError [ERR_FS_EISDIR]: {msg}{}",
            vm.stack_trace_lines()
        );
        vm.put_hidden(o, "stack", Value::str(&stack));
        vm.put(o, "code", Value::str("ERR_FS_EISDIR"));
        let info = vm.new_object();
        vm.put(info, "code", Value::str("EISDIR"));
        vm.put(info, "message", Value::str("is a directory"));
        vm.put(info, "path", Value::str(p));
        vm.put(info, "syscall", Value::str("rm"));
        vm.put(info, "errno", Value::Num(21.0));
        vm.put(o, "info", Value::Obj(info));
        vm.put(o, "errno", Value::Num(21.0));
        vm.put(o, "syscall", Value::str("rm"));
        vm.put(o, "path", Value::str(p));
    }
    e
}

/// A directory operation's `…Sync` form: blocks the loop a quarter of `fs_stat_ns`.
fn dir_op_sync(
    vm: &mut Vm,
    args: &[Value],
    op: fn(&mut Vm, &[Value]) -> Result<Value, Value>,
) -> JsResult {
    let r = op(vm, args)?;
    let c = vm.host.cost.fs_stat_ns / 4;
    vm.block_for(c);
    Ok(r)
}

/// A directory operation's callback form (no data: the promise form) on the thread pool for
/// `fs_stat_ns`. The change is made at submission, like `writeFile`'s.
fn dir_op(
    vm: &mut Vm,
    args: &[Value],
    d: &[Value],
    name: &str,
    op: fn(&mut Vm, &[Value]) -> Result<Value, Value>,
) -> JsResult {
    let cb = if d.is_empty() {
        Some(require_cb(vm, args)?)
    } else {
        None
    };
    let label = match arg(args, 0) {
        Value::Str(s) => format!("fs.{name} {s}"),
        _ => format!("fs.{name}"),
    };
    // argument errors throw (the promise form rejects), as in Node; file-system errors go to
    // the callback
    if let Err(e) = path_arg(vm, &arg(args, 0)) {
        if cb.is_some() {
            return Err(e);
        }
        let cap = vm.new_capability();
        vm.call(&cap.reject, Value::Undefined, &[e])?;
        return Ok(cap.promise);
    }
    let r = op(vm, args);
    let c = vm.host.cost.fs_stat_ns;
    pool_op(vm, IoKind::Fs, label, c, r, cb)
}

fn mkdir_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    dir_op_sync(vm, args, mkdir_result)
}
fn mkdir(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    dir_op(vm, args, d, "mkdir", mkdir_result)
}
fn rmdir_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    dir_op_sync(vm, args, rmdir_result)
}
fn rmdir(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    dir_op(vm, args, d, "rmdir", rmdir_result)
}
fn unlink_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    dir_op_sync(vm, args, unlink_result)
}
fn unlink(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    dir_op(vm, args, d, "unlink", unlink_result)
}
fn rm_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    dir_op_sync(vm, args, rm_result)
}
fn rm(vm: &mut Vm, _t: Value, args: &[Value], d: &[Value]) -> JsResult {
    dir_op(vm, args, d, "rm", rm_result)
}

/// Creates the `fs` and `fs/promises` modules with `readFile`, `readFileSync` and
/// `existsSync`. The thread-pool operations are added later by [`install_pool_ops`]: the
/// host's objects are created in a fixed order, and object ids appear in traces.
pub fn install(vm: &mut Vm, prelude: ObjId) {
    // the directories a Linux machine has: the cwd (and its parents) and /tmp
    let cwd = normalize(&vm.host.cwd);
    vm.host.dirs.insert(cwd);
    vm.host.dirs.insert("/tmp".to_string());
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

/// Adds `mkdir`, `rmdir`, `unlink`, `rm` (callback, sync and promise forms). Installed after
/// the other modules, so the objects made before keep their ids.
pub fn install_dir_ops(vm: &mut Vm) {
    let fs = super::module_object(vm, "fs");
    vm.method(fs, "mkdir", 3, mkdir);
    vm.method(fs, "mkdirSync", 2, mkdir_sync);
    vm.method(fs, "rmdir", 3, rmdir);
    vm.method(fs, "rmdirSync", 2, rmdir_sync);
    vm.method(fs, "unlink", 2, unlink);
    vm.method(fs, "unlinkSync", 1, unlink_sync);
    vm.method(fs, "rm", 3, rm);
    vm.method(fs, "rmSync", 2, rm_sync);
    let promises = super::module_object(vm, "fs/promises");
    let marker = vec![Value::Bool(true)];
    for (name, f) in [
        ("mkdir", mkdir as crate::vm::NativeFn),
        ("rmdir", rmdir),
        ("unlink", unlink),
        ("rm", rm),
    ] {
        let fo = vm.make_native(name, 2, f, marker.clone());
        vm.put_hidden(promises, name, Value::Obj(fo));
    }
}
