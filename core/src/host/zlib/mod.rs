//! Node's `zlib`: `gzip`/`gunzip`, `deflate`/`inflate`, `deflateRaw`/`inflateRaw` and their
//! `…Sync` forms, with Node's option checks and error texts.
//!
//! Compression is byte for byte Node's at every `level` ([`deflate::compress`]: zlib's
//! algorithm with the string hash of the Chromium zlib that Node 20 bundles); options that would change the bytes in ways not simulated
//! (`windowBits`, `memLevel`, `strategy`, `chunkSize`, `dictionary`) are refused unless they
//! have Node's default value. Decompression uses miniz_oxide. The async forms run on the
//! simulated thread pool ([`super::threadpool`]) for their virtual cost; the sync forms block
//! the loop for it.

pub mod deflate;

use super::buffer::{data_bytes, new_buffer};
use super::errors::{received, set_code};
use super::threadpool::{pool_op, require_cb};
use crate::builtins::arg;
use crate::recorder::IoKind;
use crate::value::Value;
use crate::vm::{JsResult, Vm};
use deflate::Wrapper;

/// The zlib container formats: zlib (deflate/inflate), gzip, or raw deflate.
#[derive(Clone, Copy, PartialEq)]
enum ZFormat {
    Zlib,
    Gzip,
    Raw,
}

/// Compresses exactly as Node's zlib does at `level` (see [`deflate::compress`]).
fn compress(data: &[u8], level: u32, f: ZFormat) -> Vec<u8> {
    let wrapper = match f {
        ZFormat::Zlib => Wrapper::Zlib,
        ZFormat::Gzip => Wrapper::Gzip,
        ZFormat::Raw => Wrapper::Raw,
    };
    deflate::compress(data, level, wrapper)
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

/// Registers the `zlib` module.
pub fn install(vm: &mut Vm) {
    let zlib = super::new_module(vm, "zlib");
    for (name, f) in ZLIB_FNS {
        let fo = vm.make_native(name, 2, *f, vec![]);
        vm.put_hidden(zlib, name, Value::Obj(fo));
    }
}
