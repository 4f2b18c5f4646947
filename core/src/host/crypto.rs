//! Node's `crypto`: `createHash`/`createHmac` (md5, sha1, sha224, sha256, sha384, sha512),
//! `pbkdf2`/`pbkdf2Sync`, `randomBytes` and `randomUUID`.
//!
//! Results are real: hashes, HMACs and `pbkdf2` keys use the RustCrypto crates and equal
//! Node's. `randomBytes`/`randomUUID` draw from the run's deterministic generator
//! ([`crate::builtins::number::Prng`], shared with `Math.random`): random in Node, so only
//! their shape can match. `pbkdf2` and async `randomBytes` run on the simulated thread pool
//! ([`super::threadpool`]) for their virtual cost.

use super::buffer::{data_bytes, new_buffer};
use super::encoding::{decode_bytes, encoding_arg};
use super::errors::{arg_type_error, set_code};
use super::threadpool::{callback, pool_op};
use crate::builtins::arg;
use crate::heap::ObjKind;
use crate::recorder::IoKind;
use crate::value::Value;
use crate::vm::{JsResult, Vm};

/// The state of a `crypto.createHash`/`createHmac` object until `digest()`.
#[derive(Debug, Clone, Default)]
pub struct HashState {
    /// Index into the algorithm table (`Algo`, in declaration order).
    pub algo: u8,
    /// The HMAC key (`None` for a plain hash).
    pub key: Option<Vec<u8>>,
    pub data: Vec<u8>,
    pub done: bool,
}

/// `n` bytes from the run's deterministic generator (little-endian words).
fn random_vec(vm: &mut Vm, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        out.extend(vm.realm.random.next_u64().to_le_bytes());
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
        HashState {
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
fn hash_state<'v>(vm: &'v mut Vm, this: &Value) -> Result<&'v mut HashState, Value> {
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

/// Registers the `crypto` module and the prototype of its Hash/Hmac objects.
pub fn install(vm: &mut Vm) {
    let crypto = super::new_module(vm, "crypto");
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
}
