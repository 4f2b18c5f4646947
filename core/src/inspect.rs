//! A port of the parts of Node's `util.inspect` that console.log uses: quoting, nesting
//! depth, the 72/80-column line breaking (`reduceToSingleString`), numeric array grouping
//! (`groupArrayElements`), class/function/error/promise/Map/Set rendering, and `util.format`.

use crate::builtins::collections::{map_entries, set_values};
use crate::builtins::typed_array;
use crate::heap::*;
use crate::value::{number_to_string, ObjId, Value};
use crate::vm::Vm;

const BREAK_LENGTH: usize = 80;
const COMPACT: usize = 3;

/// Options for one inspect call.
#[derive(Clone, Copy)]
pub struct InspectOptions {
    pub depth: Option<usize>,
    /// `showHidden`: arrays also show `[length]` (used by `%o`).
    pub show_hidden: bool,
}

impl Default for InspectOptions {
    fn default() -> Self {
        InspectOptions {
            depth: Some(2),
            show_hidden: false,
        }
    }
}

impl InspectOptions {
    pub fn depth(depth: Option<usize>) -> Self {
        InspectOptions {
            depth,
            show_hidden: false,
        }
    }
}

struct Ctx {
    show_hidden: bool,
    depth: Option<usize>,
    indentation: usize,
    current_depth: usize,
    seen: Vec<ObjId>,
    circular: Vec<ObjId>,
}

/// `util.inspect(value)`.
pub fn inspect(vm: &mut Vm, v: &Value, opts: InspectOptions) -> String {
    let mut ctx = Ctx {
        show_hidden: opts.show_hidden,
        depth: opts.depth,
        indentation: 0,
        current_depth: 0,
        seen: vec![],
        circular: vec![],
    };
    let s = format_value(vm, &mut ctx, v, 0, false);
    if !ctx.circular.is_empty() {
        // a second pass adds the <ref *1> marker at the top when the top object is referenced
        let mut ctx2 = Ctx {
            show_hidden: opts.show_hidden,
            depth: opts.depth,
            indentation: 0,
            current_depth: 0,
            seen: vec![],
            circular: ctx.circular.clone(),
        };
        return format_value(vm, &mut ctx2, v, 0, false);
    }
    s
}

/// Quotes a string the way util.inspect does.
pub fn quote_str(s: &str) -> String {
    let q = if !s.contains('\'') {
        '\''
    } else if !s.contains('"') {
        '"'
    } else if !s.contains('`') && !s.contains("${") {
        '`'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

fn format_number(n: f64) -> String {
    if n == 0.0 && n.is_sign_negative() {
        "-0".into()
    } else {
        number_to_string(n)
    }
}

fn format_primitive(vm: &Vm, ctx: &Ctx, v: &Value) -> String {
    match v {
        Value::Str(s) => {
            let len = crate::value::utf16_len(s);
            if len > 16
                && len > BREAK_LENGTH.saturating_sub(ctx.indentation + 4)
                && s.contains('\n')
            {
                let mut pieces = vec![];
                let mut rest: &str = s;
                while let Some(i) = rest.find('\n') {
                    pieces.push(&rest[..=i]);
                    rest = &rest[i + 1..];
                }
                if !rest.is_empty() {
                    pieces.push(rest);
                }
                if pieces.len() > 1 {
                    let sep = format!(" +\n{}", " ".repeat(ctx.indentation + 2));
                    return pieces
                        .iter()
                        .map(|p| quote_str(p))
                        .collect::<Vec<_>>()
                        .join(&sep);
                }
            }
            quote_str(s)
        }
        Value::Num(n) => format_number(*n),
        Value::Bool(b) => b.to_string(),
        Value::Undefined | Value::Uninit => "undefined".into(),
        Value::Null => "null".into(),
        Value::Sym(s) => format!(
            "Symbol({})",
            vm.heap.symbols[*s as usize]
                .description
                .as_deref()
                .unwrap_or("")
        ),
        Value::Obj(_) => String::new(),
    }
}

fn is_identifier(s: &str) -> bool {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn key_text(vm: &Vm, k: PropKey) -> String {
    match k {
        PropKey::Str(a) => {
            let s = vm.heap.atom_str(a);
            if is_identifier(s) {
                s.to_string()
            } else {
                quote_str(s)
            }
        }
        PropKey::Sym(s) => format!(
            "[Symbol({})]",
            vm.heap.symbols[s as usize]
                .description
                .as_deref()
                .unwrap_or("")
        ),
    }
}

/// The constructor name used as a prefix (None for null-prototype objects).
fn constructor_name(vm: &mut Vm, o: ObjId) -> Option<String> {
    let mut cur = Some(o);
    let kc = PropKey::Str(vm.names.constructor);
    let mut guard = 0;
    while let Some(c) = cur {
        guard += 1;
        if guard > 1000 {
            break;
        }
        if let Some(Prop {
            slot: Slot::Data(Value::Obj(f)),
            ..
        }) = vm.heap.obj(c).get_own(kc).cloned()
        {
            if let ObjKind::Function(fk) = &vm.heap.obj(f).kind {
                let fk = fk.clone();
                let name = vm.function_name(f, &fk);
                if !name.is_empty() {
                    return Some(name);
                }
            }
        }
        cur = vm.heap.obj(c).proto;
        if cur.is_none() && c == o {
            return None;
        }
    }
    if vm.heap.obj(o).proto.is_none() {
        None
    } else {
        Some("Object".into())
    }
}

fn function_base(vm: &mut Vm, o: ObjId) -> String {
    let ObjKind::Function(fk) = &vm.heap.obj(o).kind else {
        return String::new();
    };
    let fk = fk.clone();
    let name = vm.function_name(o, &fk);
    if let FuncKind::Closure { func, .. } = &fk {
        let code = &vm.program.functions[*func as usize];
        if code.is_class {
            let mut s = if name.is_empty() {
                "[class (anonymous)".to_string()
            } else {
                format!("[class {name}")
            };
            if code.has_super_class {
                if let Some(p) = vm.heap.obj(o).proto {
                    if let ObjKind::Function(pk) = &vm.heap.obj(p).kind {
                        let pk = pk.clone();
                        let pn = vm.function_name(p, &pk);
                        if !pn.is_empty() {
                            s.push_str(&format!(" extends {pn}"));
                        }
                    }
                }
            }
            s.push(']');
            return s;
        }
        let ty = match (code.is_async, code.is_generator) {
            (true, true) => "AsyncGeneratorFunction",
            (true, false) => "AsyncFunction",
            (false, true) => "GeneratorFunction",
            _ => "Function",
        };
        return if name.is_empty() {
            format!("[{ty} (anonymous)]")
        } else {
            format!("[{ty}: {name}]")
        };
    }
    if name.is_empty() {
        "[Function (anonymous)]".into()
    } else {
        format!("[Function: {name}]")
    }
}

/// An error's stack as Node's `formatError` shows it: `improveStack` puts the constructor
/// name in front when it differs from `name` (`MyError: x`, `DOMException [DataCloneError]:
/// x`), a stack without frames is wrapped in brackets.
fn error_base(vm: &mut Vm, ctx: &Ctx, o: ObjId, ctor: Option<&str>, tag: &str) -> String {
    let stack = vm
        .get(&Value::Obj(o), PropKey::Str(vm.names.stack))
        .unwrap_or(Value::Undefined);
    let mut s = match stack {
        Value::Str(s) if !s.is_empty() => s.to_string(),
        _ => vm.error_header(o),
    };
    let name = match vm.get(&Value::Obj(o), PropKey::Str(vm.names.name)) {
        Ok(Value::Undefined | Value::Null) | Err(_) => "Error".to_string(),
        Ok(n) => vm.to_display(&n),
    };
    s = improve_stack(s, ctor, &name, tag);
    if !s.contains("\n    at") && !s.starts_with('[') {
        s = format!("[{s}]");
    }
    if ctx.indentation > 0 {
        let ind = " ".repeat(ctx.indentation);
        s = s.replace('\n', &format!("\n{ind}"));
    }
    s
}

/// Node's `improveStack` (lib/internal/util/inspect.js). `tag` is `" [Tag]"` or empty.
fn improve_stack(stack: String, ctor: Option<&str>, name: &str, tag: &str) -> String {
    let mut len = name.len();
    let regular = name.ends_with("Error")
        && stack.starts_with(name)
        && matches!(stack.as_bytes().get(len), None | Some(b':') | Some(b'\n'));
    if ctor.is_some() && !regular {
        return stack;
    }
    let prefix = match ctor {
        Some(c) => format!("{c}{tag}"),
        None => {
            // the name the stack starts with, as Node's fallback regex finds it
            let start: String = stack
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "_ []()-".contains(*c))
                .collect();
            let fallback = if start.is_empty() { "Error" } else { &start };
            len = start.len();
            format!("[{fallback}: null prototype]{tag}")
        }
    };
    if name == prefix {
        return stack;
    }
    let rest = stack.get(len..).unwrap_or("");
    if prefix.contains(name) {
        if len == 0 {
            format!("{prefix}: {stack}")
        } else {
            format!("{prefix}{rest}")
        }
    } else {
        format!("{prefix} [{name}]{rest}")
    }
}

fn format_value(vm: &mut Vm, ctx: &mut Ctx, v: &Value, recurse: usize, _nested: bool) -> String {
    let Value::Obj(o) = v else {
        return format_primitive(vm, ctx, v);
    };
    let o = *o;
    if ctx.seen.contains(&o) {
        if !ctx.circular.contains(&o) {
            ctx.circular.push(o);
        }
        let idx = ctx.circular.iter().position(|x| *x == o).unwrap_or(0) + 1;
        return format!("[Circular *{idx}]");
    }
    format_raw(vm, ctx, o, recurse)
}

#[derive(PartialEq, Clone, Copy)]
enum Extras {
    Object,
    Array,
}

fn format_raw(vm: &mut Vm, ctx: &mut Ctx, o: ObjId, recurse: usize) -> String {
    let v = Value::Obj(o);
    if crate::host::buffer::is_buffer(vm, o) {
        // node: `<Buffer 2f 2f ...>`, at most 50 bytes (INSPECT_MAX_BYTES); empty: `<Buffer >`
        let bytes = crate::host::buffer::buffer_bytes(vm, &v).unwrap_or_default();
        let mut out = String::from("<Buffer");
        if bytes.is_empty() {
            out.push(' ');
        }
        for b in bytes.iter().take(50) {
            out.push_str(&format!(" {b:02x}"));
        }
        if bytes.len() > 50 {
            out.push_str(&format!(" ... {} more byte", bytes.len() - 50));
            if bytes.len() > 51 {
                out.push('s');
            }
        }
        out.push('>');
        return out;
    }
    if let Some(r) = crate::builtins::regexp::regexp_of(vm, &v) {
        return format!("/{}/{}", r.source, r.flags);
    }
    let mut keys: Vec<PropKey> = vm.own_enum_keys(o);
    let syms: Vec<PropKey> = vm
        .heap
        .obj(o)
        .props
        .iter()
        .filter(|p| matches!(p.key, PropKey::Sym(_)) && p.flags & ENUMERABLE != 0)
        .map(|p| p.key)
        .collect();
    let ctor = constructor_name(vm, o);
    let tag = match vm.get(&v, PropKey::Sym(vm.syms.to_string_tag)) {
        Ok(Value::Str(s)) if Some(s.as_ref()) != ctor.as_deref() => format!(" [{s}]"),
        _ => String::new(),
    };
    let null_proto_prefix = |kind: &str| format!("[{kind}: null prototype]");
    let mut base = String::new();
    let braces: (String, String);
    let mut extras = Extras::Object;
    let kind_tag;
    let mut output: Vec<String> = vec![];
    enum Body {
        Array(Vec<Value>),
        Set(Vec<Value>),
        Map(Vec<(Value, Value)>),
        Promise(PromiseState),
        None,
    }
    let mut body = Body::None;
    // non-enumerable entries Node adds to errors: `[cause]`, `[errors]`
    let mut hidden_entries: Vec<(String, Value)> = vec![];
    // entries shown before the keys (an ArrayBuffer's contents, a DataView's window)
    let mut hidden_entries_first: Vec<String> = vec![];
    let mut lead_values: Vec<(String, Value)> = vec![];
    let is_array = matches!(vm.heap.obj(o).kind, ObjKind::Array(_));
    let typed = typed_array::typed_view(vm, o);
    if is_array || typed.is_some() {
        keys.retain(|k| vm.heap.key_is_index(*k).is_none());
        let items = match (&vm.heap.obj(o).kind, &typed) {
            (ObjKind::Array(items), _) => items.clone(),
            (_, Some(t)) => typed_array::read_all(vm, t)
                .into_iter()
                .map(Value::Num)
                .collect(),
            _ => vec![],
        };
        let len = items.len();
        let fallback = typed.map_or("Array", |t| t.elem.name());
        let prefix = match ctor.as_deref() {
            Some("Array") if typed.is_none() => String::new(),
            Some(c) => format!("{c}({len}){tag} "),
            None => format!("[{fallback}({len}): null prototype] "),
        };
        braces = (format!("{prefix}["), "]".into());
        if len == 0 && keys.is_empty() && syms.is_empty() && !ctx.show_hidden {
            return format!("{}]", braces.0);
        }
        extras = Extras::Array;
        kind_tag = match (&typed, ctor.as_deref()) {
            (Some(_), Some(c)) => c.to_string(),
            _ => fallback.to_string(),
        };
        body = Body::Array(items);
    } else {
        match &vm.heap.obj(o).kind {
            ObjKind::Set(..) => {
                let vals = set_values(vm, o);
                let c = ctor.clone().unwrap_or_else(|| "Set".into());
                braces = (format!("{c}({}){tag} {{", vals.len()), "}".into());
                if vals.is_empty() && keys.is_empty() {
                    return format!("{}}}", braces.0);
                }
                kind_tag = c;
                body = Body::Set(vals);
            }
            ObjKind::Map(..) => {
                let ents = map_entries(vm, o);
                let c = ctor.clone().unwrap_or_else(|| "Map".into());
                braces = (format!("{c}({}){tag} {{", ents.len()), "}".into());
                if ents.is_empty() && keys.is_empty() {
                    return format!("{}}}", braces.0);
                }
                kind_tag = c;
                body = Body::Map(ents);
            }
            ObjKind::Function(_) => {
                base = function_base(vm, o);
                // hide the implicit `prototype` etc. (non-enumerable anyway)
                if keys.is_empty() && syms.is_empty() {
                    return base;
                }
                braces = ("{".into(), "}".into());
                kind_tag = "Function".into();
            }
            ObjKind::Error => {
                // Node's removeDuplicateErrorKeys: own name/message/stack shown in the stack
                let stack = match vm.get(&v, PropKey::Str(vm.names.stack)) {
                    Ok(Value::Str(s)) => s.to_string(),
                    _ => String::new(),
                };
                let mut kept = vec![];
                for k in keys {
                    let n = vm
                        .heap
                        .key_name(k)
                        .map(|s| s.to_string())
                        .unwrap_or_default();
                    if matches!(n.as_str(), "name" | "message" | "stack") {
                        let x = vm.get(&v, k).unwrap_or(Value::Undefined);
                        let shown = vm.to_display(&x);
                        if stack.contains(&shown) {
                            continue;
                        }
                    }
                    kept.push(k);
                }
                keys = kept;
                base = error_base(vm, ctx, o, ctor.as_deref(), &tag);
                for (name, key) in [("cause", vm.names.cause), ("errors", vm.names.errors)] {
                    let own = keys.contains(&PropKey::Str(key));
                    if own || !vm.has_property(o, PropKey::Str(key)) {
                        continue;
                    }
                    let x = vm.get(&v, PropKey::Str(key)).unwrap_or(Value::Undefined);
                    if name == "errors" && !vm.is_array(&x) {
                        continue;
                    }
                    hidden_entries.push((format!("[{name}]"), x));
                }
                if keys.is_empty() && syms.is_empty() && hidden_entries.is_empty() {
                    return base;
                }
                braces = ("{".into(), "}".into());
                kind_tag = "Error".into();
            }
            ObjKind::Promise { state, .. } => {
                let c = ctor.clone().unwrap_or_else(|| "Promise".into());
                braces = (format!("{c}{tag} {{"), "}".into());
                kind_tag = c;
                body = Body::Promise(state.clone());
            }
            ObjKind::BoxedString(s) => {
                base = format!("[String: {}]", quote_str(s));
                keys.retain(|k| vm.heap.key_is_index(*k).is_none());
                if keys.is_empty() {
                    return base;
                }
                braces = ("{".into(), "}".into());
                kind_tag = "String".into();
            }
            ObjKind::BoxedNumber(n) => {
                base = format!("[Number: {}]", format_number(*n));
                if keys.is_empty() {
                    return base;
                }
                braces = ("{".into(), "}".into());
                kind_tag = "Number".into();
            }
            ObjKind::BoxedBool(b) => {
                base = format!("[Boolean: {b}]");
                if keys.is_empty() {
                    return base;
                }
                braces = ("{".into(), "}".into());
                kind_tag = "Boolean".into();
            }
            ObjKind::Date(t) => {
                base = crate::builtins::date::inspect_string(*t);
                if keys.is_empty() {
                    return base;
                }
                braces = ("{".into(), "}".into());
                kind_tag = "Date".into();
            }
            ObjKind::Arguments => {
                braces = ("[Arguments] [".into(), "]".into());
                extras = Extras::Array;
                kind_tag = "Arguments".into();
                let n = keys.len();
                let _ = n;
            }
            ObjKind::Generator(_) => {
                braces = ("Object [Generator] {".into(), "}".into());
                kind_tag = "Object".into();
            }
            ObjKind::ArrayIter { .. } => {
                braces = ("Object [Array Iterator] {".into(), "}".into());
                kind_tag = "Object".into();
            }
            ObjKind::ArrayBuffer {
                bytes,
                shared,
                detached,
            } => {
                let name = if *shared {
                    "SharedArrayBuffer"
                } else {
                    "ArrayBuffer"
                };
                let bytes = bytes.borrow();
                if *detached {
                    // node shows a transferred buffer without its contents
                    hidden_entries_first.push("(detached)".into());
                } else {
                    // node: at most 100 bytes (maxArrayLength), then `... N more bytes`
                    let mut hex: Vec<String> =
                        bytes.iter().take(100).map(|b| format!("{b:02x}")).collect();
                    if bytes.len() > 100 {
                        let n = bytes.len() - 100;
                        hex.push(format!("... {n} more byte{}", if n > 1 { "s" } else { "" }));
                    }
                    hidden_entries_first.push(format!("[Uint8Contents]: <{}>", hex.join(" ")));
                }
                hidden_entries_first.push(format!("byteLength: {}", bytes.len()));
                let c = ctor.clone().unwrap_or_else(|| name.into());
                braces = (format!("{c} {{"), "}".into());
                kind_tag = c;
            }
            ObjKind::TextEncoder => {
                // node's custom inspect shows a plain object
                hidden_entries_first.push("encoding: 'utf-8'".into());
                braces = ("{".into(), "}".into());
                kind_tag = "Object".into();
            }
            ObjKind::TextDecoder { fatal, ignore_bom } => {
                hidden_entries_first.push("encoding: 'utf-8'".into());
                hidden_entries_first.push(format!("fatal: {fatal}"));
                hidden_entries_first.push(format!("ignoreBOM: {ignore_bom}"));
                let c = ctor.clone().unwrap_or_else(|| "TextDecoder".into());
                braces = (format!("{c} {{"), "}".into());
                kind_tag = c;
            }
            ObjKind::DataView {
                buffer,
                offset,
                length,
            } => {
                hidden_entries_first.push(format!("byteLength: {length}"));
                hidden_entries_first.push(format!("byteOffset: {offset}"));
                lead_values.push(("buffer".into(), Value::Obj(*buffer)));
                let c = ctor.clone().unwrap_or_else(|| "DataView".into());
                braces = (format!("{c} {{"), "}".into());
                kind_tag = c;
            }
            _ => {
                match ctor.as_deref() {
                    Some("Object") => {
                        braces = (
                            if tag.is_empty() {
                                "{".into()
                            } else {
                                format!("Object{tag} {{")
                            },
                            "}".into(),
                        );
                    }
                    Some(c) => braces = (format!("{c}{tag} {{"), "}".into()),
                    None => braces = (format!("{} {{", null_proto_prefix("Object")), "}".into()),
                }
                if keys.is_empty() && syms.is_empty() {
                    return match ctor.as_deref() {
                        Some("Object") if tag.is_empty() => "{}".into(),
                        _ => format!("{}}}", braces.0),
                    };
                }
                kind_tag = ctor.clone().unwrap_or_else(|| "Object".into());
            }
        }
    }
    if let Some(d) = ctx.depth {
        if recurse > d {
            return format!("[{kind_tag}]");
        }
    }
    let recurse = recurse + 1;
    ctx.seen.push(o);
    ctx.current_depth = recurse;
    match body {
        Body::Array(items) => {
            let shown = items.len().min(100);
            let mut i = 0;
            while i < shown {
                if let Value::Uninit = items[i] {
                    let mut j = i;
                    while j < items.len() && matches!(items[j], Value::Uninit) {
                        j += 1;
                    }
                    let n = j - i;
                    output.push(format!("<{n} empty item{}>", if n > 1 { "s" } else { "" }));
                    i = j;
                    continue;
                }
                ctx.indentation += 2;
                let s = format_value(vm, ctx, &items[i], recurse, true);
                ctx.indentation -= 2;
                output.push(s);
                i += 1;
            }
            if items.len() > shown {
                let n = items.len() - shown;
                output.push(format!("... {n} more item{}", if n > 1 { "s" } else { "" }));
            }
            if ctx.show_hidden {
                output.push(format!("[length]: {}", items.len()));
            }
        }
        Body::Set(vals) => {
            ctx.indentation += 2;
            for x in vals {
                output.push(format_value(vm, ctx, &x, recurse, true));
            }
            ctx.indentation -= 2;
        }
        Body::Map(ents) => {
            ctx.indentation += 2;
            for (k, x) in ents {
                let a = format_value(vm, ctx, &k, recurse, true);
                let b = format_value(vm, ctx, &x, recurse, true);
                output.push(format!("{a} => {b}"));
            }
            ctx.indentation -= 2;
        }
        Body::Promise(state) => match state {
            PromiseState::Pending { .. } => output.push("<pending>".into()),
            PromiseState::Fulfilled(x) => {
                ctx.indentation += 2;
                let s = format_value(vm, ctx, &x, recurse, true);
                ctx.indentation -= 2;
                output.push(s);
            }
            PromiseState::Rejected(x) => {
                ctx.indentation += 2;
                let s = format_value(vm, ctx, &x, recurse, true);
                ctx.indentation -= 2;
                output.push(format!("<rejected> {s}"));
            }
        },
        Body::None => {}
    }
    output.append(&mut hidden_entries_first);
    for (label, x) in lead_values {
        ctx.indentation += 2;
        let s = format_value(vm, ctx, &x, recurse, true);
        ctx.indentation -= 2;
        output.push(format!("{label}: {s}"));
    }
    for k in keys.into_iter().chain(syms) {
        let prop = vm.heap.obj(o).get_own(k).cloned();
        let s = match prop.map(|p| p.slot) {
            Some(Slot::Accessor { get, set }) => match (get.is_nullish(), set.is_nullish()) {
                (false, false) => "[Getter/Setter]".to_string(),
                (false, true) => "[Getter]".to_string(),
                (true, false) => "[Setter]".to_string(),
                _ => "undefined".to_string(),
            },
            Some(Slot::Data(x)) => {
                ctx.indentation += 2;
                let s = format_value(vm, ctx, &x, recurse, true);
                ctx.indentation -= 2;
                s
            }
            None => {
                let x = vm.get(&v, k).unwrap_or(Value::Undefined);
                ctx.indentation += 2;
                let s = format_value(vm, ctx, &x, recurse, true);
                ctx.indentation -= 2;
                s
            }
        };
        if extras == Extras::Array && vm.heap.key_is_index(k).is_some() {
            output.push(s);
        } else {
            output.push(format!("{}: {s}", key_text(vm, k)));
        }
    }
    for (label, x) in hidden_entries {
        ctx.indentation += 2;
        let s = format_value(vm, ctx, &x, recurse, true);
        ctx.indentation -= 2;
        output.push(format!("{label}: {s}"));
    }
    ctx.seen.pop();
    if let Some(idx) = ctx.circular.iter().position(|x| *x == o) {
        let r = format!("<ref *{}>", idx + 1);
        base = if base.is_empty() {
            r
        } else {
            format!("{r} {base}")
        };
    }
    reduce_to_single_string(ctx, output, &base, &braces, extras, recurse, Some(o), vm)
}

#[allow(clippy::too_many_arguments)]
fn reduce_to_single_string(
    ctx: &mut Ctx,
    output: Vec<String>,
    base: &str,
    braces: &(String, String),
    extras: Extras,
    recurse: usize,
    value: Option<ObjId>,
    vm: &Vm,
) -> String {
    let entries = output.len();
    let mut output = output;
    if extras == Extras::Array && entries > 6 {
        output = group_array_elements(ctx, output, value, vm);
    }
    if ctx.current_depth - recurse < COMPACT && entries == output.len() {
        let start =
            output.len() + ctx.indentation + braces.0.chars().count() + base.chars().count() + 10;
        if is_below_break_length(&output, start, base) {
            let joined = output.join(", ");
            if !joined.contains('\n') {
                let b = if base.is_empty() {
                    String::new()
                } else {
                    format!("{base} ")
                };
                return format!("{b}{} {joined} {}", braces.0, braces.1);
            }
        }
    }
    let ind = format!("\n{}", " ".repeat(ctx.indentation));
    let b = if base.is_empty() {
        String::new()
    } else {
        format!("{base} ")
    };
    format!(
        "{b}{}{ind}  {}{ind}{}",
        braces.0,
        output.join(&format!(",{ind}  ")),
        braces.1
    )
}

fn is_below_break_length(output: &[String], start: usize, base: &str) -> bool {
    let mut total = output.len() + start;
    if total + output.len() > BREAK_LENGTH {
        return false;
    }
    for o in output {
        total += o.chars().count();
        if total > BREAK_LENGTH {
            return false;
        }
    }
    base.is_empty() || !base.contains('\n')
}

fn group_array_elements(
    ctx: &Ctx,
    output: Vec<String>,
    value: Option<ObjId>,
    vm: &Vm,
) -> Vec<String> {
    let mut total_length = 0usize;
    let mut max_length = 0usize;
    let mut output_length = output.len();
    let has_more = output.last().is_some_and(|s| {
        s.starts_with("... ") && s.ends_with("more items") || s.ends_with("more item")
    });
    if has_more {
        output_length -= 1;
    }
    let separator_space = 2;
    let mut data_len = Vec::with_capacity(output_length);
    for o in output.iter().take(output_length) {
        let len = o.chars().count();
        data_len.push(len);
        total_length += len + separator_space;
        if max_length < len {
            max_length = len;
        }
    }
    let actual_max = max_length + separator_space;
    if actual_max * 3 + ctx.indentation < BREAK_LENGTH
        && (total_length as f64 / actual_max as f64 > 5.0 || max_length <= 6)
    {
        let approx_char_heights = 2.5;
        let average_bias = (actual_max as f64 - total_length as f64 / output.len() as f64).sqrt();
        let biased_max = (actual_max as f64 - 3.0 - average_bias).max(1.0);
        let columns = ((approx_char_heights * biased_max * output_length as f64).sqrt()
            / biased_max)
            .round()
            .min(((BREAK_LENGTH - ctx.indentation) as f64 / actual_max as f64).floor())
            .min((COMPACT * 4) as f64)
            .min(15.0) as usize;
        if columns <= 1 {
            return output;
        }
        let mut tmp = vec![];
        let mut max_line_length = vec![];
        for i in 0..columns {
            let mut line_length = 0;
            let mut j = i;
            while j < output.len() {
                if j < data_len.len() && data_len[j] > line_length {
                    line_length = data_len[j];
                }
                j += columns;
            }
            max_line_length.push(line_length + separator_space);
        }
        let mut pad_start = true;
        if let Some(o) = value {
            if let ObjKind::Array(items) = &vm.heap.obj(o).kind {
                for i in 0..output.len() {
                    if !matches!(items.get(i), Some(Value::Num(_))) {
                        pad_start = false;
                        break;
                    }
                }
            } else if let Some(t) = typed_array::typed_view(vm, o) {
                pad_start = output.len() <= t.length;
            }
        }
        let mut i = 0;
        while i < output_length {
            let max = (i + columns).min(output_length);
            let mut s = String::new();
            let mut j = i;
            while j < max - 1 {
                let cell = format!("{}, ", output[j]);
                let padding = max_line_length[j - i];
                s.push_str(&pad(&cell, padding, pad_start));
                j += 1;
            }
            if pad_start {
                let padding = max_line_length[j - i] - separator_space;
                s.push_str(&pad(&output[j], padding, true));
            } else {
                s.push_str(&output[j]);
            }
            tmp.push(s);
            i += columns;
        }
        if has_more {
            tmp.push(output[output_length].clone());
        }
        return tmp;
    }
    output
}

fn pad(s: &str, width: usize, start: bool) -> String {
    let n = s.chars().count();
    if n >= width {
        return s.to_string();
    }
    let fill = " ".repeat(width - n);
    if start {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// `util.format` / console.log argument formatting.
pub fn format_args(vm: &mut Vm, args: &[Value]) -> String {
    let mut out = String::new();
    let mut rest_start = 0;
    if let Some(Value::Str(f)) = args.first() {
        if f.contains('%') {
            let f = f.to_string();
            let mut ai = 1;
            let mut chars = f.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                let Some(&n) = chars.peek() else {
                    out.push('%');
                    break;
                };
                if n == '%' {
                    chars.next();
                    out.push('%');
                    continue;
                }
                if !matches!(n, 's' | 'd' | 'i' | 'f' | 'j' | 'o' | 'O' | 'c') {
                    out.push('%');
                    continue;
                }
                chars.next();
                if ai >= args.len() {
                    out.push('%');
                    out.push(n);
                    continue;
                }
                let a = args[ai].clone();
                ai += 1;
                let piece = match n {
                    's' => match &a {
                        Value::Str(s) => s.to_string(),
                        Value::Num(x) => format_number(*x),
                        Value::Obj(_) => inspect(vm, &a, InspectOptions::depth(Some(0))),
                        Value::Sym(_) => inspect(vm, &a, InspectOptions::default()),
                        other => vm.to_display(other),
                    },
                    // node: %d is Number(v), %i parseInt(v), %f parseFloat(v); symbols are NaN
                    'd' | 'i' | 'f' if matches!(a, Value::Sym(_)) => "NaN".into(),
                    'd' => format_number(vm.to_number(&a).unwrap_or(f64::NAN)),
                    'i' => match vm.to_string(&a) {
                        Ok(s) => format_number(crate::builtins::number::parse_int_str(&s, 0)),
                        Err(_) => "NaN".into(),
                    },
                    'f' => match vm.to_string(&a) {
                        Ok(s) => format_number(crate::builtins::number::parse_float_str(&s)),
                        Err(_) => "NaN".into(),
                    },
                    'j' => match crate::builtins::json::stringify(
                        vm,
                        a,
                        Value::Undefined,
                        Value::Undefined,
                    ) {
                        Ok(Some(s)) => s,
                        Ok(None) => "undefined".into(),
                        Err(_) => "[Circular]".into(),
                    },
                    'o' => inspect(
                        vm,
                        &a,
                        InspectOptions {
                            depth: Some(4),
                            show_hidden: true,
                        },
                    ),
                    'O' => inspect(vm, &a, InspectOptions::default()),
                    _ => String::new(),
                };
                out.push_str(&piece);
            }
            rest_start = ai;
        } else {
            out.push_str(f);
            rest_start = 1;
        }
    }
    for (i, a) in args.iter().enumerate().skip(rest_start) {
        if i > 0 {
            out.push(' ');
        }
        match a {
            Value::Str(s) => out.push_str(s),
            other => out.push_str(&inspect(vm, other, InspectOptions::default())),
        }
    }
    out
}
