//! `TextEncoder` and `TextDecoder` for UTF-8 (the encoding Node supports without ICU data):
//! strings to `Uint8Array`s and back, with the BOM, `fatal` and replacement-character rules
//! of the WHATWG Encoding Standard.

use super::typed_array::{self, buffer_range, new_typed_from_bytes, ElemKind};
use super::{arg, getter, link_ctor};
use crate::heap::*;
use crate::value::Value;
use crate::vm::{JsResult, Vm};

fn node_error(vm: &mut Vm, e: Value, code: &str) -> Value {
    if let Value::Obj(o) = e {
        vm.put(o, "code", Value::str(code));
    }
    e
}

fn encoder_ctor(vm: &mut Vm, _this: Value, _args: &[Value], d: &[Value]) -> JsResult {
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type("Class constructor TextEncoder cannot be invoked without 'new'");
    };
    let p = match d.first() {
        Some(Value::Obj(p)) => *p,
        _ => vm.realm.object_proto,
    };
    Ok(Value::Obj(vm.ordinary_create_from(
        &nt,
        p,
        ObjKind::TextEncoder,
    )))
}

fn this_encoder(vm: &mut Vm, this: &Value) -> Result<(), Value> {
    match this {
        Value::Obj(o) if matches!(vm.heap.obj(*o).kind, ObjKind::TextEncoder) => Ok(()),
        _ => {
            let e = vm.type_error("Value of \"this\" must be of type TextEncoder");
            Err(node_error(vm, e, "ERR_INVALID_THIS"))
        }
    }
}

fn encoding_getter(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    match &this {
        Value::Obj(o)
            if matches!(
                vm.heap.obj(*o).kind,
                ObjKind::TextEncoder | ObjKind::TextDecoder { .. }
            ) =>
        {
            Ok(Value::str("utf-8"))
        }
        _ => vm.throw_type("Value of \"this\" must be of type TextEncoder or TextDecoder"),
    }
}

fn input_string(vm: &mut Vm, v: &Value) -> Result<String, Value> {
    match v {
        Value::Undefined => Ok(String::new()),
        other => vm.to_string(other),
    }
}

fn encode(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    this_encoder(vm, &this)?;
    let s = input_string(vm, &arg(args, 0))?;
    let p = vm.realm.typed.protos[ElemKind::Uint8.index()];
    Ok(Value::Obj(new_typed_from_bytes(
        vm,
        ElemKind::Uint8,
        p,
        s.into_bytes(),
    )))
}

fn encode_into(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    this_encoder(vm, &this)?;
    let s = input_string(vm, &arg(args, 0))?;
    let dest = arg(args, 1);
    let view = match &dest {
        Value::Obj(o) => typed_array::typed_view(vm, *o).filter(|v| v.elem == ElemKind::Uint8),
        _ => None,
    };
    let Some(view) = view else {
        let e = vm.type_error("The \"dest\" argument must be an instance of Uint8Array.");
        return Err(node_error(vm, e, "ERR_INVALID_ARG_TYPE"));
    };
    // whole characters only; `read` counts UTF-16 code units
    let (mut read, mut written) = (0usize, 0usize);
    let mut out = Vec::with_capacity(view.length);
    for c in s.chars() {
        if written + c.len_utf8() > view.length {
            break;
        }
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        written += c.len_utf8();
        read += c.len_utf16();
    }
    typed_array::buffer_write(vm, view.buffer, view.offset, &out);
    let r = vm.new_object();
    vm.put(r, "read", Value::Num(read as f64));
    vm.put(r, "written", Value::Num(written as f64));
    Ok(Value::Obj(r))
}

/// Whether `label` names UTF-8 (the labels of the Encoding Standard).
fn is_utf8_label(label: &str) -> bool {
    matches!(
        label.trim().to_ascii_lowercase().as_str(),
        "utf-8"
            | "utf8"
            | "unicode-1-1-utf-8"
            | "unicode11utf8"
            | "unicode20utf8"
            | "x-unicode20utf8"
    )
}

fn decoder_ctor(vm: &mut Vm, _this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let Some(nt) = vm.new_target.clone() else {
        return vm.throw_type("Class constructor TextDecoder cannot be invoked without 'new'");
    };
    let label = match arg(args, 0) {
        Value::Undefined => "utf-8".to_string(),
        v => vm.to_string(&v)?,
    };
    if !is_utf8_label(&label) {
        let known = [
            "utf-16le",
            "utf-16",
            "utf-16be",
            "latin1",
            "ascii",
            "iso-8859-1",
            "windows-1252",
        ];
        if known.contains(&label.trim().to_ascii_lowercase().as_str()) {
            let msg = format!("unsupported: TextDecoder for \"{label}\" (only utf-8)");
            return Err(vm.make_error(vm.realm.error_proto, &msg));
        }
        let e = vm.range_error(&format!("The \"{label}\" encoding is not supported"));
        return Err(node_error(vm, e, "ERR_ENCODING_NOT_SUPPORTED"));
    }
    let opts = arg(args, 1);
    let (fatal, ignore_bom) = match &opts {
        Value::Obj(_) => {
            let f = vm.get_by_name(&opts, "fatal")?.truthy();
            let i = vm.get_by_name(&opts, "ignoreBOM")?.truthy();
            (f, i)
        }
        _ => (false, false),
    };
    let p = match d.first() {
        Some(Value::Obj(p)) => *p,
        _ => vm.realm.object_proto,
    };
    Ok(Value::Obj(vm.ordinary_create_from(
        &nt,
        p,
        ObjKind::TextDecoder { fatal, ignore_bom },
    )))
}

fn this_decoder(vm: &mut Vm, this: &Value) -> Result<(bool, bool), Value> {
    if let Value::Obj(o) = this {
        if let ObjKind::TextDecoder { fatal, ignore_bom } = vm.heap.obj(*o).kind {
            return Ok((fatal, ignore_bom));
        }
    }
    let e = vm.type_error("Value of \"this\" must be of type TextDecoder");
    Err(node_error(vm, e, "ERR_INVALID_THIS"))
}

fn fatal_getter(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(this_decoder(vm, &this)?.0))
}
fn ignore_bom_getter(vm: &mut Vm, this: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Bool(this_decoder(vm, &this)?.1))
}

fn decode(vm: &mut Vm, this: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let (fatal, ignore_bom) = this_decoder(vm, &this)?;
    let input = arg(args, 0);
    let bytes = match &input {
        Value::Undefined => vec![],
        Value::Obj(o) => match &vm.heap.obj(*o).kind {
            ObjKind::ArrayBuffer { bytes, .. } => bytes.borrow().clone(),
            ObjKind::TypedArray { .. } => {
                crate::host::buffer::any_view_bytes(vm, &input).unwrap_or_default()
            }
            &ObjKind::DataView {
                buffer,
                offset,
                length,
            } => buffer_range(vm, buffer, offset, offset + length),
            _ => return Err(bad_input(vm)),
        },
        _ => return Err(bad_input(vm)),
    };
    let body = if !ignore_bom && bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        &bytes[3..]
    } else {
        &bytes[..]
    };
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Value::str(s)),
        Err(_) if fatal => {
            let e = vm.type_error("The encoded data was not valid for encoding utf-8");
            Err(node_error(vm, e, "ERR_ENCODING_INVALID_ENCODED_DATA"))
        }
        Err(_) => Ok(Value::str(&String::from_utf8_lossy(body))),
    }
}

fn bad_input(vm: &mut Vm) -> Value {
    let e = vm.type_error(
        "The \"list\" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.",
    );
    node_error(vm, e, "ERR_INVALID_ARG_TYPE")
}

pub fn install(vm: &mut Vm) {
    let op = vm.realm.object_proto;
    let g = vm.realm.global;
    let tag = PropKey::Sym(vm.syms.to_string_tag);

    let ep = vm.alloc(Some(op), ObjKind::Ordinary);
    let ec = vm.make_native("TextEncoder", 0, encoder_ctor, vec![Value::Obj(ep)]);
    link_ctor(vm, ec, ep);
    getter(vm, ep, "get encoding", encoding_getter, vec![]);
    vm.method(ep, "encode", 0, encode);
    vm.method(ep, "encodeInto", 2, encode_into);
    vm.heap
        .obj_mut(ep)
        .put(tag, Value::str("TextEncoder"), CONFIGURABLE);
    vm.put_hidden(g, "TextEncoder", Value::Obj(ec));

    let dp = vm.alloc(Some(op), ObjKind::Ordinary);
    let dc = vm.make_native("TextDecoder", 0, decoder_ctor, vec![Value::Obj(dp)]);
    link_ctor(vm, dc, dp);
    getter(vm, dp, "get encoding", encoding_getter, vec![]);
    getter(vm, dp, "get fatal", fatal_getter, vec![]);
    getter(vm, dp, "get ignoreBOM", ignore_bom_getter, vec![]);
    vm.method(dp, "decode", 1, decode);
    vm.heap
        .obj_mut(dp)
        .put(tag, Value::str("TextDecoder"), CONFIGURABLE);
    vm.put_hidden(g, "TextDecoder", Value::Obj(dc));
}
