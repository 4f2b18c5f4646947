//! Node APIs that run on the simulated libuv thread pool (see [`super::threadpool`]): more of
//! `fs` (writeFile, stat, readdir, their sync forms and `fs.promises`), `crypto.pbkdf2` /
//! `randomBytes`, async `zlib`, `dns.lookup`, and `os.cpus()`.
//!
//! Timing follows Node exactly (which queue, which phase, how many at once); the *bytes* of
//! crypto and zlib results do not: `pbkdf2` yields a deterministic 64-bit mixing digest as a
//! hex string of `keylen` bytes, `randomBytes` a deterministic hex string, and `gzip`/`deflate`
//! a hex encoding of the input that `gunzip`/`inflate` decode again.

use super::globals::{enoent, resolve_path, set_code};
use crate::builtins::arg;
use crate::recorder::IoKind;
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};

/// The trailing callback argument, if any.
fn callback(vm: &Vm, args: &[Value]) -> Option<Value> {
    args.last().filter(|a| vm.is_callable(a)).cloned()
}

/// Runs `result` through the pool: with a callback, `cb(err)` / `cb(null, value)` in the poll
/// phase; without, returns a promise settled in the poll phase.
fn pool_op(
    vm: &mut Vm,
    kind: IoKind,
    label: String,
    cost_ns: u64,
    result: Result<Value, Value>,
    cb: Option<Value>,
) -> JsResult {
    match cb {
        Some(cb) => {
            let args = match result {
                Ok(v) => vec![Value::Null, v],
                Err(e) => vec![e],
            };
            vm.pool_submit(kind, label, cost_ns, cb, args);
            Ok(Value::Undefined)
        }
        None => {
            let cap = vm.new_capability();
            let (f, a) = match result {
                Ok(v) => (cap.resolve.clone(), v),
                Err(e) => (cap.reject.clone(), e),
            };
            vm.pool_submit(kind, label, cost_ns, f, vec![a]);
            Ok(cap.promise)
        }
    }
}

fn require_cb(vm: &mut Vm, args: &[Value]) -> Result<Value, Value> {
    match callback(vm, args) {
        Some(c) => Ok(c),
        None => {
            let e =
                vm.type_error("The \"cb\" argument must be of type function. Received undefined");
            set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
            Err(e)
        }
    }
}

// ---------- fs
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
    let mtime = crate::builtins::number::now_ms(vm);
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
// ---------- crypto
/// A deterministic 64-bit mix (splitmix64) used to derive stand-in bytes.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D049BB133111EB);
    x ^ (x >> 31)
}
fn hex_bytes(seed: u64, n: usize) -> String {
    let mut s = String::with_capacity(n * 2);
    let mut x = seed;
    for _ in 0..n {
        x = mix(x);
        s.push_str(&format!("{:02x}", x & 0xff));
    }
    s
}
fn seed_of(parts: &[&str]) -> u64 {
    let mut h = 0xcbf29ce484222325u64;
    for p in parts {
        for b in p.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100000001b3);
        }
        h = mix(h);
    }
    h
}
fn pbkdf2_parts(vm: &mut Vm, args: &[Value]) -> Result<(String, u64), Value> {
    let pw = vm.to_string(&arg(args, 0))?;
    let salt = vm.to_string(&arg(args, 1))?;
    let iters = vm.to_number(&arg(args, 2))?.max(1.0) as u64;
    let keylen = vm.to_number(&arg(args, 3))?.max(0.0) as usize;
    let digest = match arg(args, 4) {
        Value::Str(s) => s.to_string(),
        _ => "sha1".to_string(),
    };
    let per = vm.host.cost.pbkdf2_iteration_ns(&digest);
    let key = hex_bytes(
        seed_of(&[&pw, &salt, &iters.to_string(), &digest]),
        keylen.min(1 << 16),
    );
    Ok((key, iters * per))
}
fn pbkdf2(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cb = require_cb(vm, args)?;
    let (key, cost) = pbkdf2_parts(vm, args)?;
    let k = Value::str(&key);
    pool_op(
        vm,
        IoKind::Crypto,
        "crypto.pbkdf2".into(),
        cost,
        Ok(k),
        Some(cb),
    )
}
fn pbkdf2_sync(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (key, cost) = pbkdf2_parts(vm, args)?;
    vm.block_for(cost);
    Ok(Value::str(&key))
}
fn random_bytes(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let n = vm.to_number(&arg(args, 0))?.max(0.0) as usize;
    vm.host.random_state = mix(vm.host.random_state);
    let s = Value::str(&hex_bytes(vm.host.random_state, n.min(1 << 16)));
    let cost = vm.host.cost.random_bytes_ns + n as u64 * 10;
    match callback(vm, args) {
        Some(cb) => pool_op(
            vm,
            IoKind::Crypto,
            "crypto.randomBytes".into(),
            cost,
            Ok(s),
            Some(cb),
        ),
        None => {
            vm.block_for(cost);
            Ok(s)
        }
    }
}

// ---------- zlib
fn to_hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}
fn from_hex(s: &str) -> Option<String> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}
fn zlib_op(vm: &mut Vm, args: &[Value], name: &'static str, encode: bool) -> JsResult {
    let cb = require_cb(vm, args)?;
    let input = vm.to_string(&arg(args, 0))?;
    let cost = vm.host.cost.zlib_base_ns + input.len() as u64 * vm.host.cost.zlib_byte_ns;
    let r = if encode {
        Ok(Value::str(&to_hex(&input)))
    } else {
        match from_hex(&input) {
            Some(s) => Ok(Value::str(&s)),
            None => {
                let e = vm.make_error(vm.realm.error_proto, "incorrect header check");
                set_code(vm, &e, "Z_DATA_ERROR");
                Err(e)
            }
        }
    };
    pool_op(vm, IoKind::Zlib, format!("zlib.{name}"), cost, r, Some(cb))
}
fn gzip(vm: &mut Vm, _t: Value, a: &[Value], _d: &[Value]) -> JsResult {
    zlib_op(vm, a, "gzip", true)
}
fn deflate(vm: &mut Vm, _t: Value, a: &[Value], _d: &[Value]) -> JsResult {
    zlib_op(vm, a, "deflate", true)
}
fn gunzip(vm: &mut Vm, _t: Value, a: &[Value], _d: &[Value]) -> JsResult {
    zlib_op(vm, a, "gunzip", false)
}
fn inflate(vm: &mut Vm, _t: Value, a: &[Value], _d: &[Value]) -> JsResult {
    zlib_op(vm, a, "inflate", false)
}

// ---------- dns
/// The virtual address of a host name, if it resolves.
pub fn address_of(vm: &Vm, host: &str) -> Option<String> {
    if host == "localhost" {
        return Some("127.0.0.1".into());
    }
    vm.host
        .network
        .iter()
        .position(|h| h.host == host)
        .map(|i| format!("10.0.0.{}", i + 1))
}
fn dns_lookup(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cb = require_cb(vm, args)?;
    let host = vm.to_string(&arg(args, 0))?;
    let cost = vm.host.cost.dns_lookup_ns;
    let cb_args = match address_of(vm, &host) {
        Some(a) => vec![Value::Null, Value::str(&a), Value::Num(4.0)],
        None => {
            let e = vm.make_error(
                vm.realm.error_proto,
                &format!("getaddrinfo ENOTFOUND {host}"),
            );
            set_code(vm, &e, "ENOTFOUND");
            if let Value::Obj(o) = e {
                vm.put(o, "hostname", Value::str(&host));
            }
            vec![e]
        }
    };
    vm.pool_submit(IoKind::Dns, format!("dns.lookup {host}"), cost, cb, cb_args);
    Ok(Value::Undefined)
}

// ---------- os
fn os_cpus(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let n = vm.host.cpu_count.max(1);
    let mut items = vec![];
    for _ in 0..n {
        let o = vm.new_object();
        vm.put(o, "model", Value::str("Looplab Virtual CPU"));
        vm.put(o, "speed", Value::Num(2400.0));
        let times = vm.new_object();
        for k in ["user", "nice", "sys", "idle", "irq"] {
            vm.put(times, k, Value::Num(0.0));
        }
        vm.put(o, "times", Value::Obj(times));
        items.push(Value::Obj(o));
    }
    Ok(vm.new_array(items))
}
fn os_parallelism(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(vm.host.cpu_count.max(1) as f64))
}

fn module(vm: &mut Vm, name: &str) -> ObjId {
    match vm.host.modules.get(name) {
        Some(Value::Obj(o)) => *o,
        _ => {
            let o = vm.new_object();
            vm.host.modules.insert(name.into(), Value::Obj(o));
            o
        }
    }
}

/// Adds the thread-pool APIs to the module table (after the base modules exist).
pub fn install(vm: &mut Vm) {
    let fs = module(vm, "fs");
    vm.method(fs, "writeFile", 3, write_file);
    vm.method(fs, "writeFileSync", 2, write_file_sync);
    vm.method(fs, "stat", 2, stat);
    vm.method(fs, "statSync", 1, stat_sync);
    vm.method(fs, "readdir", 2, readdir);
    vm.method(fs, "readdirSync", 1, readdir_sync);
    let promises = module(vm, "fs/promises");
    let marker = vec![Value::Bool(true)];
    for (name, f) in [
        ("writeFile", write_file as crate::vm::NativeFn),
        ("stat", stat),
        ("readdir", readdir),
    ] {
        let fo = vm.make_native(name, 2, f, marker.clone());
        vm.put_hidden(promises, name, Value::Obj(fo));
    }

    let crypto = module(vm, "crypto");
    vm.method(crypto, "pbkdf2", 6, pbkdf2);
    vm.method(crypto, "pbkdf2Sync", 5, pbkdf2_sync);
    vm.method(crypto, "randomBytes", 2, random_bytes);

    let zlib = module(vm, "zlib");
    vm.method(zlib, "gzip", 2, gzip);
    vm.method(zlib, "deflate", 2, deflate);
    vm.method(zlib, "gunzip", 2, gunzip);
    vm.method(zlib, "inflate", 2, inflate);

    let dns = module(vm, "dns");
    vm.method(dns, "lookup", 2, dns_lookup);

    let os = module(vm, "os");
    vm.method(os, "cpus", 0, os_cpus);
    vm.method(os, "availableParallelism", 0, os_parallelism);
    vm.put(os, "EOL", Value::str("\n"));
    vm.method(os, "platform", 0, |_, _, _, _| Ok(Value::str("linux")));
}
