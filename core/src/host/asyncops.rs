//! Node APIs that run on the simulated libuv thread pool (see [`super::threadpool`]): more of
//! `fs` (writeFile, stat, readdir, their sync forms and `fs.promises`), `crypto.pbkdf2` /
//! `randomBytes`, async `zlib`, `dns.lookup`, and `os.cpus()`.
//!
//! Timing follows Node (which queue, which phase, how many at once, virtual cost from the cost
//! model). Results are real: `pbkdf2`, `createHash` and `createHmac` (md5, sha1, sha224,
//! sha256, sha384, sha512) use the RustCrypto crates and print exactly what Node prints;
//! `randomBytes`/`randomUUID` come from the run's deterministic random state (random in Node,
//! so only their shape can match); zlib compresses byte for byte as Node does, at the level
//! the options give ([`super::deflate`]); decompression uses miniz_oxide.

use super::deflate::Wrapper;
use super::globals::{
    data_bytes, decode_bytes, encoding_arg, enoent, new_buffer, received, resolve_path, set_code,
};
use crate::builtins::arg;
use crate::heap::ObjKind;
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
// ---------- crypto
/// A deterministic 64-bit mix (splitmix64): the virtual machine's random source.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D049BB133111EB);
    x ^ (x >> 31)
}
/// `n` bytes from the run's deterministic random state.
fn random_vec(vm: &mut Vm, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        vm.host.random_state = mix(vm.host.random_state);
        out.extend(vm.host.random_state.to_le_bytes());
    }
    out.truncate(n);
    out
}

/// The digest algorithms `createHash`, `createHmac` and `pbkdf2` accept.
#[derive(Clone, Copy)]
enum Algo {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

fn algo(name: &str) -> Option<Algo> {
    Some(match name.to_ascii_lowercase().as_str() {
        "md5" => Algo::Md5,
        "sha1" => Algo::Sha1,
        "sha224" => Algo::Sha224,
        "sha256" => Algo::Sha256,
        "sha384" => Algo::Sha384,
        "sha512" => Algo::Sha512,
        _ => return None,
    })
}

fn digest_of(a: Algo, data: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    match a {
        Algo::Md5 => md5::Md5::digest(data).to_vec(),
        Algo::Sha1 => sha1::Sha1::digest(data).to_vec(),
        Algo::Sha224 => sha2::Sha224::digest(data).to_vec(),
        Algo::Sha256 => sha2::Sha256::digest(data).to_vec(),
        Algo::Sha384 => sha2::Sha384::digest(data).to_vec(),
        Algo::Sha512 => sha2::Sha512::digest(data).to_vec(),
    }
}

fn hmac_of(a: Algo, key: &[u8], data: &[u8]) -> Vec<u8> {
    use hmac::{Hmac, KeyInit, Mac};
    fn run<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut m = <M as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }
    match a {
        Algo::Md5 => run::<Hmac<md5::Md5>>(key, data),
        Algo::Sha1 => run::<Hmac<sha1::Sha1>>(key, data),
        Algo::Sha224 => run::<Hmac<sha2::Sha224>>(key, data),
        Algo::Sha256 => run::<Hmac<sha2::Sha256>>(key, data),
        Algo::Sha384 => run::<Hmac<sha2::Sha384>>(key, data),
        Algo::Sha512 => run::<Hmac<sha2::Sha512>>(key, data),
    }
}

fn pbkdf2_of(a: Algo, pw: &[u8], salt: &[u8], rounds: u32, out: &mut [u8]) {
    use hmac::Hmac;
    match a {
        Algo::Md5 => pbkdf2::pbkdf2::<Hmac<md5::Md5>>(pw, salt, rounds, out),
        Algo::Sha1 => pbkdf2::pbkdf2::<Hmac<sha1::Sha1>>(pw, salt, rounds, out),
        Algo::Sha224 => pbkdf2::pbkdf2::<Hmac<sha2::Sha224>>(pw, salt, rounds, out),
        Algo::Sha256 => pbkdf2::pbkdf2::<Hmac<sha2::Sha256>>(pw, salt, rounds, out),
        Algo::Sha384 => pbkdf2::pbkdf2::<Hmac<sha2::Sha384>>(pw, salt, rounds, out),
        Algo::Sha512 => pbkdf2::pbkdf2::<Hmac<sha2::Sha512>>(pw, salt, rounds, out),
    }
    .expect("HMAC takes any key length");
}

fn invalid_digest(vm: &mut Vm, name: &str) -> Value {
    let e = vm.type_error(&format!("Invalid digest: {name}"));
    set_code(vm, &e, "ERR_CRYPTO_INVALID_DIGEST");
    e
}

fn arg_type_error(vm: &mut Vm, name: &str, expected: &str, v: &Value) -> Value {
    let r = received(vm, v);
    let e = vm.type_error(&format!(
        "The \"{name}\" argument must be of type {expected}. Received {r}"
    ));
    set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
    e
}

/// Larger keys than this are refused (the derivation runs in the simulator's own time).
const MAX_PBKDF2_KEYLEN: usize = 1 << 16;

/// Validates pbkdf2's arguments and derives the key; returns it with its virtual cost.
fn pbkdf2_parts(vm: &mut Vm, args: &[Value]) -> Result<(Vec<u8>, u64), Value> {
    let pw = data_bytes(vm, &arg(args, 0), "utf8", "password")?;
    let salt = data_bytes(vm, &arg(args, 1), "utf8", "salt")?;
    let int_arg = |vm: &mut Vm, i: usize, name: &str, min: f64| -> Result<f64, Value> {
        let v = arg(args, i);
        let Value::Num(n) = v else {
            return Err(arg_type_error(vm, name, "number", &v));
        };
        if n.fract() != 0.0 || !(min..=2147483647.0).contains(&n) {
            let e = vm.range_error(&format!(
                "The value of \"{name}\" is out of range. It must be >= {min} && <= 2147483647. Received {}",
                crate::value::number_to_string(n)
            ));
            set_code(vm, &e, "ERR_OUT_OF_RANGE");
            return Err(e);
        }
        Ok(n)
    };
    let iterations = int_arg(vm, 2, "iterations", 1.0)? as u32;
    let keylen = int_arg(vm, 3, "keylen", 0.0)? as usize;
    let digest = match arg(args, 4) {
        Value::Str(s) => s.to_string(),
        v => return Err(arg_type_error(vm, "digest", "string", &v)),
    };
    let Some(a) = algo(&digest) else {
        return Err(invalid_digest(vm, &digest));
    };
    if keylen > MAX_PBKDF2_KEYLEN {
        let msg = format!("unsupported: pbkdf2 keylen above {MAX_PBKDF2_KEYLEN}");
        return Err(vm.make_error(vm.realm.error_proto, &msg));
    }
    let mut key = vec![0u8; keylen];
    pbkdf2_of(a, &pw, &salt, iterations, &mut key);
    let per = vm
        .host
        .cost
        .pbkdf2_iteration_ns(&digest.to_ascii_lowercase());
    Ok((key, iterations as u64 * per))
}
fn pbkdf2(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cb = match arg(args, 5) {
        f if vm.is_callable(&f) => f,
        other => return Err(arg_type_error(vm, "callback", "function", &other)),
    };
    let (key, cost) = pbkdf2_parts(vm, args)?;
    let k = new_buffer(vm, &key);
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
    Ok(new_buffer(vm, &key))
}
fn random_bytes(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let size = arg(args, 0);
    let Value::Num(n) = size else {
        return Err(arg_type_error(vm, "size", "number", &size));
    };
    if !(0.0..=2147483647.0).contains(&n) || n.fract() != 0.0 {
        let e = vm.range_error(&format!(
            "The value of \"size\" is out of range. It must be >= 0 && <= 2147483647. Received {}",
            crate::value::number_to_string(n)
        ));
        set_code(vm, &e, "ERR_OUT_OF_RANGE");
        return Err(e);
    }
    let n = (n as usize).min(MAX_PBKDF2_KEYLEN);
    let bytes = random_vec(vm, n);
    let b = new_buffer(vm, &bytes);
    let cost = vm.host.cost.random_bytes_ns + n as u64 * 10;
    match callback(vm, args) {
        Some(cb) => pool_op(
            vm,
            IoKind::Crypto,
            "crypto.randomBytes".into(),
            cost,
            Ok(b),
            Some(cb),
        ),
        None => {
            vm.block_for(cost);
            Ok(b)
        }
    }
}
fn random_uuid(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let mut b = random_vec(vm, 16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = decode_bytes(&b, "hex");
    let s = format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    );
    Ok(Value::str(&s))
}

/// `createHash(name)` / `createHmac(name, key)`: the object's input accumulates in
/// `HostState::hashes` until `digest()`.
fn create_hash_object(vm: &mut Vm, a: Algo, key: Option<Vec<u8>>) -> Value {
    let proto = vm.host.hash_proto.unwrap_or(vm.realm.object_proto);
    let o = vm.alloc(Some(proto), ObjKind::Ordinary);
    vm.host.hashes.insert(
        o,
        super::HashState {
            algo: a as u8,
            key,
            data: Vec::new(),
            done: false,
        },
    );
    Value::Obj(o)
}
fn create_hash(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let name = match arg(args, 0) {
        Value::Str(s) => s.to_string(),
        v => return Err(arg_type_error(vm, "algorithm", "string", &v)),
    };
    match algo(&name) {
        Some(a) => Ok(create_hash_object(vm, a, None)),
        None => {
            let e = vm.make_error(vm.realm.error_proto, "Digest method not supported");
            set_code(vm, &e, "ERR_OSSL_EVP_UNSUPPORTED");
            Err(e)
        }
    }
}
fn create_hmac(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let name = match arg(args, 0) {
        Value::Str(s) => s.to_string(),
        v => return Err(arg_type_error(vm, "hmac", "string", &v)),
    };
    let key = data_bytes(vm, &arg(args, 1), "utf8", "key")?;
    match algo(&name) {
        Some(a) => Ok(create_hash_object(vm, a, Some(key))),
        None => Err(invalid_digest(vm, &name)),
    }
}
fn hash_state<'v>(vm: &'v mut Vm, this: &Value) -> Result<&'v mut super::HashState, Value> {
    let live = matches!(this, Value::Obj(o) if vm.host.hashes.contains_key(o));
    if !live {
        return vm.throw_type("Illegal invocation");
    }
    let Value::Obj(o) = this else { unreachable!() };
    let finalized = vm.host.hashes.get(o).is_some_and(|h| h.done);
    if finalized {
        let e = vm.make_error(vm.realm.error_proto, "Digest already called");
        set_code(vm, &e, "ERR_CRYPTO_HASH_FINALIZED");
        return Err(e);
    }
    Ok(vm.host.hashes.get_mut(o).expect("checked"))
}
fn hash_update(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    hash_state(vm, &this)?;
    let enc = encoding_arg(vm, &arg(args, 1))?;
    let bytes = data_bytes(vm, &arg(args, 0), enc, "data")?;
    hash_state(vm, &this)?.data.extend(bytes);
    Ok(this)
}
fn hash_digest(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let h = hash_state(vm, &this)?;
    h.done = true;
    let (a, key, data) = (h.algo, h.key.clone(), std::mem::take(&mut h.data));
    let a = [
        Algo::Md5,
        Algo::Sha1,
        Algo::Sha224,
        Algo::Sha256,
        Algo::Sha384,
        Algo::Sha512,
    ][a as usize];
    let out = match key {
        Some(k) => hmac_of(a, &k, &data),
        None => digest_of(a, &data),
    };
    match arg(args, 0) {
        Value::Undefined => Ok(new_buffer(vm, &out)),
        e => {
            let enc = encoding_arg(vm, &e)?;
            Ok(Value::str(&decode_bytes(&out, enc)))
        }
    }
}

// ---------- zlib
/// The zlib container formats: zlib (deflate/inflate), gzip, or raw deflate.
#[derive(Clone, Copy, PartialEq)]
enum ZFormat {
    Zlib,
    Gzip,
    Raw,
}

/// Compresses exactly as Node's zlib does at `level` (see [`super::deflate`]).
fn compress(data: &[u8], level: u32, f: ZFormat) -> Vec<u8> {
    let wrapper = match f {
        ZFormat::Zlib => Wrapper::Zlib,
        ZFormat::Gzip => Wrapper::Gzip,
        ZFormat::Raw => Wrapper::Raw,
    };
    super::deflate::compress(data, level, wrapper)
}

/// The compression level of a zlib call's options (Node's checks and messages; a missing or
/// NaN level is the default, 6). Options that change the bytes but are not simulated are
/// refused.
fn zlib_level(vm: &mut Vm, options: &Value) -> Result<u32, Value> {
    let Value::Obj(_) = options else {
        return Ok(6);
    };
    // Node's defaults, which are what is simulated.
    for (name, default) in [
        ("windowBits", Some(15.0)),
        ("memLevel", Some(8.0)),
        ("strategy", Some(0.0)),
        ("chunkSize", Some(16384.0)),
        ("dictionary", None),
    ] {
        let v = vm.get_by_name(options, name)?;
        let is_default = match v {
            Value::Undefined => true,
            Value::Num(n) => Some(n) == default,
            _ => false,
        };
        if !is_default {
            let msg = format!(
                "unsupported: zlib option \"{name}\" (Looplab compresses with Node's default windowBits, memLevel, strategy and chunkSize; only \"level\" can be changed)"
            );
            return Err(vm.make_error(vm.realm.error_proto, &msg));
        }
    }
    match vm.get_by_name(options, "level")? {
        Value::Undefined => Ok(6),
        Value::Num(n) if n.is_nan() => Ok(6),
        Value::Num(n) if n.is_finite() && (-1.0..=9.0).contains(&n) => {
            Ok(if n < 0.0 { 6 } else { n as u32 })
        }
        Value::Num(n) => {
            let (must, shown) = if n.is_finite() {
                ("be >= -1 and <= 9", crate::value::number_to_string(n))
            } else {
                ("be a finite number", crate::value::number_to_string(n))
            };
            let e = vm.range_error(&format!(
                "The value of \"options.level\" is out of range. It must {must}. Received {shown}"
            ));
            set_code(vm, &e, "ERR_OUT_OF_RANGE");
            Err(e)
        }
        other => {
            let e = vm.type_error(&format!(
                "The \"options.level\" property must be of type number. Received {}",
                received(vm, &other)
            ));
            set_code(vm, &e, "ERR_INVALID_ARG_TYPE");
            Err(e)
        }
    }
}

/// Decompresses, or names the problem like Node's zlib errors do.
fn decompress(data: &[u8], f: ZFormat) -> Result<Vec<u8>, (&'static str, &'static str, i32)> {
    use miniz_oxide::inflate::{decompress_to_vec, decompress_to_vec_zlib};
    let bad_header = ("incorrect header check", "Z_DATA_ERROR", -3);
    let bad_data = ("invalid stored block lengths", "Z_DATA_ERROR", -3);
    let eof = ("unexpected end of file", "Z_BUF_ERROR", -5);
    match f {
        ZFormat::Zlib => {
            if data.len() < 2 || (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 != 0 {
                return Err(if data.len() < 2 { eof } else { bad_header });
            }
            decompress_to_vec_zlib(data).map_err(|_| bad_data)
        }
        ZFormat::Raw => decompress_to_vec(data).map_err(|_| bad_data),
        ZFormat::Gzip => {
            if data.len() < 10 {
                return Err(eof);
            }
            if data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
                return Err(bad_header);
            }
            let flags = data[3];
            let mut i = 10usize;
            if flags & 4 != 0 {
                let n = *data.get(i).ok_or(eof)? as usize
                    | (*data.get(i + 1).ok_or(eof)? as usize) << 8;
                i += 2 + n;
            }
            for bit in [8u8, 16] {
                if flags & bit != 0 {
                    while *data.get(i).ok_or(eof)? != 0 {
                        i += 1;
                    }
                    i += 1;
                }
            }
            if flags & 2 != 0 {
                i += 2;
            }
            let body = data.get(i..).ok_or(eof)?;
            let out = decompress_to_vec(body).map_err(|_| bad_data)?;
            Ok(out)
        }
    }
}

fn zlib_error(vm: &mut Vm, (msg, code, errno): (&str, &str, i32)) -> Value {
    let e = vm.make_error(vm.realm.error_proto, msg);
    if let Value::Obj(o) = e {
        vm.put(o, "errno", Value::Num(errno as f64));
        vm.put(o, "code", Value::str(code));
    }
    e
}

/// One zlib call: `sync` returns the Buffer; otherwise the work goes to the thread pool and
/// the callback gets `(err, buffer)` in the poll phase.
fn zlib_op(
    vm: &mut Vm,
    args: &[Value],
    name: &'static str,
    encode: bool,
    f: ZFormat,
    sync: bool,
) -> JsResult {
    let cb = if sync {
        None
    } else {
        Some(require_cb(vm, args)?)
    };
    let input = data_bytes(vm, &arg(args, 0), "utf8", "buffer")?;
    let cost = vm.host.cost.zlib_base_ns + input.len() as u64 * vm.host.cost.zlib_byte_ns;
    let r = if encode {
        let options = arg(args, 1);
        let level = if vm.is_callable(&options) {
            6
        } else {
            zlib_level(vm, &options)?
        };
        Ok(compress(&input, level, f))
    } else {
        decompress(&input, f)
    };
    let r = match r {
        Ok(bytes) => Ok(new_buffer(vm, &bytes)),
        Err(e) => Err(zlib_error(vm, e)),
    };
    if sync {
        vm.block_for(cost);
        return r;
    }
    pool_op(vm, IoKind::Zlib, format!("zlib.{name}"), cost, r, cb)
}

macro_rules! zlib_fns {
    ($($fn_name:ident, $js:literal, $encode:expr, $format:expr, $sync:expr;)*) => {
        $(fn $fn_name(vm: &mut Vm, _t: Value, a: &[Value], _d: &[Value]) -> JsResult {
            zlib_op(vm, a, $js, $encode, $format, $sync)
        })*
        /// (name, native) of every zlib function.
        const ZLIB_FNS: &[(&str, crate::vm::NativeFn)] = &[$(($js, $fn_name)),*];
    };
}
zlib_fns! {
    gzip, "gzip", true, ZFormat::Gzip, false;
    gunzip, "gunzip", false, ZFormat::Gzip, false;
    deflate, "deflate", true, ZFormat::Zlib, false;
    inflate, "inflate", false, ZFormat::Zlib, false;
    deflate_raw, "deflateRaw", true, ZFormat::Raw, false;
    inflate_raw, "inflateRaw", false, ZFormat::Raw, false;
    gzip_sync, "gzipSync", true, ZFormat::Gzip, true;
    gunzip_sync, "gunzipSync", false, ZFormat::Gzip, true;
    deflate_sync, "deflateSync", true, ZFormat::Zlib, true;
    inflate_sync, "inflateSync", false, ZFormat::Zlib, true;
    deflate_raw_sync, "deflateRawSync", true, ZFormat::Raw, true;
    inflate_raw_sync, "inflateRawSync", false, ZFormat::Raw, true;
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
    vm.method(crypto, "randomUUID", 0, random_uuid);
    vm.method(crypto, "createHash", 1, create_hash);
    vm.method(crypto, "createHmac", 2, create_hmac);
    let hp = vm.new_object();
    vm.method(hp, "update", 2, hash_update);
    vm.method(hp, "digest", 1, hash_digest);
    vm.host.hash_proto = Some(hp);

    let zlib = module(vm, "zlib");
    for (name, f) in ZLIB_FNS {
        let fo = vm.make_native(name, 2, *f, vec![]);
        vm.put_hidden(zlib, name, Value::Obj(fo));
    }

    let dns = module(vm, "dns");
    vm.method(dns, "lookup", 2, dns_lookup);

    let os = module(vm, "os");
    vm.method(os, "cpus", 0, os_cpus);
    vm.method(os, "availableParallelism", 0, os_parallelism);
    vm.put(os, "EOL", Value::str("\n"));
    vm.method(os, "platform", 0, |_, _, _, _| Ok(Value::str("linux")));
}
