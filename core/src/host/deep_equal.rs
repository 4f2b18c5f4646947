//! Node's deep equality (`util.isDeepStrictEqual`, `assert.deepStrictEqual`,
//! `assert.deepEqual`), the algorithm of Node 20's `lib/internal/util/comparisons.js`
//! written anew for this heap:
//!
//! - Primitives: `Object.is` in strict mode (NaN equals NaN, -0 differs from 0); `==` (or both
//!   NaN) in loose mode. Functions and symbols are equal only to themselves.
//! - Objects: strict mode wants the same `[[Prototype]]`; both modes want the same
//!   `Object.prototype.toString` tag, the same own enumerable string keys (strict: and own
//!   enumerable symbols) with deeply equal values.
//! - Arrays by length and elements (holes only match holes); typed arrays and `DataView`s by
//!   their bytes (loose mode compares float arrays by element with `==`, so `0 == -0`);
//!   `ArrayBuffer`s by bytes; `Date`s by time; RegExps by source, flags and `lastIndex`;
//!   boxed primitives by their value; errors by `message` and `name` (their stacks are
//!   ignored); `Map`s and `Set`s by contents, object keys and members matched deeply
//!   against any not yet matched counterpart (loose mode also matches `1` with `'1'`).
//! - Cycles: see [`Memo`]. Known difference: for two cycles of different shapes whose
//!   members are pairwise equal (`a.self = a` against `b.self = { a: 1, self: b }`),
//!   Node 20.20 answers true and this answers false (Node's own source shows both
//!   answers in different versions); equal cycles and acyclic values match Node.

use crate::builtins::typed_array::{buffer_range, typed_view, ElemKind};
use crate::heap::{ObjKind, PropKey, ENUMERABLE};
use crate::value::{ObjId, Value};
use crate::vm::Vm;
use std::collections::HashSet;

/// Strict (`deepStrictEqual`, `isDeepStrictEqual`) or loose (`deepEqual`) comparison.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Strict,
    Loose,
}

/// Cycle detection, as Node 20 does it: the outermost pair (`a`, `b`), then the second
/// pair (`c`, `d`), then a set of every object on the current comparison path. Meeting a
/// pair whose two objects are both on the path counts as equal; only one of them, unequal.
struct Memo {
    a: ObjId,
    b: ObjId,
    c: Option<ObjId>,
    d: Option<ObjId>,
    deep: bool,
    on_path: Option<HashSet<ObjId>>,
}

/// How [`key_check`] walks an object's contents besides its keys.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Contents {
    Plain,
    Array,
    Set,
    Map,
}

/// Are `a` and `b` deeply equal? Getters run (as in Node), so this may throw.
pub fn deep_equal(vm: &mut Vm, a: &Value, b: &Value, mode: Mode) -> Result<bool, Value> {
    let mut memo = None;
    inner(vm, a, b, mode, &mut memo)
}

/// `util.isDeepStrictEqual(a, b)`.
pub fn is_deep_strict_equal(
    vm: &mut Vm,
    _this: Value,
    args: &[Value],
    _d: &[Value],
) -> crate::vm::JsResult {
    let a = args.first().cloned().unwrap_or(Value::Undefined);
    let b = args.get(1).cloned().unwrap_or(Value::Undefined);
    Ok(Value::Bool(deep_equal(vm, &a, &b, Mode::Strict)?))
}

/// `typeof v === 'object' && v !== null`.
fn object_of(vm: &Vm, v: &Value) -> Option<ObjId> {
    match v {
        Value::Obj(o) if !matches!(vm.heap.obj(*o).kind, ObjKind::Function(_)) => Some(*o),
        _ => None,
    }
}

fn inner(
    vm: &mut Vm,
    a: &Value,
    b: &Value,
    mode: Mode,
    memo: &mut Option<Memo>,
) -> Result<bool, Value> {
    if a.strict_eq(b) {
        return Ok(mode == Mode::Loose || a.same_value(b));
    }
    let both_nan = matches!((a, b), (Value::Num(x), Value::Num(y)) if x.is_nan() && y.is_nan());
    let (oa, ob) = match mode {
        Mode::Strict => {
            let Some(oa) = object_of(vm, a) else {
                return Ok(both_nan);
            };
            let Some(ob) = object_of(vm, b) else {
                return Ok(false);
            };
            if vm.heap.obj(oa).proto != vm.heap.obj(ob).proto {
                return Ok(false);
            }
            (oa, ob)
        }
        Mode::Loose => {
            let Some(oa) = object_of(vm, a) else {
                if object_of(vm, b).is_some() {
                    return Ok(false);
                }
                return Ok(both_nan || vm.loose_eq(a, b)?);
            };
            let Some(ob) = object_of(vm, b) else {
                return Ok(false);
            };
            (oa, ob)
        }
    };
    if tag(vm, a)? != tag(vm, b)? {
        return Ok(false);
    }
    let (ka, kb) = (kind_of(vm, oa), kind_of(vm, ob));
    match ka {
        Kind::Array => {
            let len = |vm: &Vm, o| match &vm.heap.obj(o).kind {
                ObjKind::Array(items) => items.len(),
                _ => usize::MAX,
            };
            if kb != Kind::Array || len(vm, oa) != len(vm, ob) {
                return Ok(false);
            }
            let Some(keys_a) = same_count_of_non_index_keys(vm, oa, ob, mode) else {
                return Ok(false);
            };
            return key_check(vm, oa, ob, mode, memo, Contents::Array, Some(keys_a));
        }
        Kind::Other if tag(vm, a)? == "[object Object]" => {
            return key_check(vm, oa, ob, mode, memo, Contents::Plain, None);
        }
        Kind::Date => {
            let time = |vm: &Vm, o| match vm.heap.obj(o).kind {
                ObjKind::Date(t) => t,
                _ => f64::NAN,
            };
            let (ta, tb) = (time(vm, oa), time(vm, ob));
            // `getTime() !== getTime()`: two invalid dates differ
            if kb != Kind::Date || ta != tb {
                return Ok(false);
            }
        }
        Kind::RegExp => {
            if kb != Kind::RegExp || !similar_regexps(vm, oa, ob)? {
                return Ok(false);
            }
        }
        Kind::Error => {
            if kb != Kind::Error {
                return Ok(false);
            }
            for name in ["message", "name"] {
                let x = vm.get_by_name(a, name)?;
                let y = vm.get_by_name(b, name)?;
                if !x.strict_eq(&y) {
                    return Ok(false);
                }
            }
        }
        Kind::View => {
            if kb != Kind::View || !similar_views(vm, oa, ob, mode) {
                return Ok(false);
            }
            let Some(keys_a) = same_count_of_non_index_keys(vm, oa, ob, mode) else {
                return Ok(false);
            };
            return key_check(vm, oa, ob, mode, memo, Contents::Plain, Some(keys_a));
        }
        Kind::Set | Kind::Map => {
            let size = |vm: &Vm, o| match &vm.heap.obj(o).kind {
                ObjKind::Set(v, _) => v.iter().filter(|x| !matches!(x, Value::Uninit)).count(),
                ObjKind::Map(v, _) => v.iter().filter(|x| !matches!(x.0, Value::Uninit)).count(),
                _ => usize::MAX,
            };
            if kb != ka || size(vm, oa) != size(vm, ob) {
                return Ok(false);
            }
            let contents = if ka == Kind::Set {
                Contents::Set
            } else {
                Contents::Map
            };
            return key_check(vm, oa, ob, mode, memo, contents, None);
        }
        Kind::ArrayBuffer => {
            if kb != Kind::ArrayBuffer || buffer_bytes(vm, oa) != buffer_bytes(vm, ob) {
                return Ok(false);
            }
        }
        Kind::Boxed => {
            if kb != Kind::Boxed || !equal_boxed(vm, oa, ob) {
                return Ok(false);
            }
        }
        Kind::Other => {
            if kb != Kind::Other {
                return Ok(false);
            }
        }
    }
    key_check(vm, oa, ob, mode, memo, Contents::Plain, None)
}

/// What `innerDeepEqual` tells apart.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Array,
    Date,
    RegExp,
    Error,
    /// A typed array or a DataView.
    View,
    Set,
    Map,
    ArrayBuffer,
    Boxed,
    Other,
}

fn kind_of(vm: &Vm, o: ObjId) -> Kind {
    match &vm.heap.obj(o).kind {
        ObjKind::Array(_) => Kind::Array,
        ObjKind::Date(_) => Kind::Date,
        ObjKind::Error => Kind::Error,
        ObjKind::TypedArray { .. } | ObjKind::DataView { .. } => Kind::View,
        ObjKind::Set(..) => Kind::Set,
        ObjKind::Map(..) => Kind::Map,
        ObjKind::ArrayBuffer { .. } => Kind::ArrayBuffer,
        ObjKind::BoxedBool(_) | ObjKind::BoxedNumber(_) | ObjKind::BoxedString(_) => Kind::Boxed,
        _ if vm.realm.regexps.contains_key(&o) => Kind::RegExp,
        // `val instanceof Error` for objects that are not native errors
        _ if inherits_from(vm, o, vm.realm.error_proto) => Kind::Error,
        _ => Kind::Other,
    }
}

fn inherits_from(vm: &Vm, o: ObjId, proto: ObjId) -> bool {
    let mut cur = vm.heap.obj(o).proto;
    let mut hops = 0;
    while let Some(p) = cur {
        if p == proto {
            return true;
        }
        hops += 1;
        if hops > 10_000 {
            break;
        }
        cur = vm.heap.obj(p).proto;
    }
    false
}

/// `Object.prototype.toString.call(v)`.
fn tag(vm: &mut Vm, v: &Value) -> Result<String, Value> {
    let t = crate::builtins::object::object_to_string(vm, v.clone(), &[], &[])?;
    Ok(match t {
        Value::Str(s) => s.to_string(),
        _ => String::new(),
    })
}

fn similar_regexps(vm: &mut Vm, a: ObjId, b: ObjId) -> Result<bool, Value> {
    let (Some(x), Some(y)) = (vm.realm.regexps.get(&a), vm.realm.regexps.get(&b)) else {
        return Ok(false);
    };
    if x.source != y.source || x.flags != y.flags {
        return Ok(false);
    }
    let la = vm.get_by_name(&Value::Obj(a), "lastIndex")?;
    let lb = vm.get_by_name(&Value::Obj(b), "lastIndex")?;
    Ok(la.strict_eq(&lb))
}

/// The bytes a typed array or DataView sees, and its element kind (None for a DataView).
fn view_bytes(vm: &Vm, o: ObjId) -> (Vec<u8>, Option<ElemKind>) {
    if let Some(v) = typed_view(vm, o) {
        let end = v.offset + v.length * v.elem.size();
        return (buffer_range(vm, v.buffer, v.offset, end), Some(v.elem));
    }
    match vm.heap.obj(o).kind {
        ObjKind::DataView {
            buffer,
            offset,
            length,
        } => (buffer_range(vm, buffer, offset, offset + length), None),
        _ => (Vec::new(), None),
    }
}

fn similar_views(vm: &Vm, a: ObjId, b: ObjId, mode: Mode) -> bool {
    let (x, ex) = view_bytes(vm, a);
    let (y, _) = view_bytes(vm, b);
    if x.len() != y.len() {
        return false;
    }
    match (mode, ex) {
        // loose mode compares float elements with `==`: 0 equals -0, NaN differs from NaN
        (Mode::Loose, Some(ElemKind::Float32)) => x.chunks(4).zip(y.chunks(4)).all(|(p, q)| {
            f32::from_le_bytes(p.try_into().unwrap()) == f32::from_le_bytes(q.try_into().unwrap())
        }),
        (Mode::Loose, Some(ElemKind::Float64)) => x.chunks(8).zip(y.chunks(8)).all(|(p, q)| {
            f64::from_le_bytes(p.try_into().unwrap()) == f64::from_le_bytes(q.try_into().unwrap())
        }),
        _ => x == y,
    }
}

fn buffer_bytes(vm: &Vm, o: ObjId) -> Vec<u8> {
    buffer_range(vm, o, 0, usize::MAX)
}

fn equal_boxed(vm: &Vm, a: ObjId, b: ObjId) -> bool {
    match (&vm.heap.obj(a).kind, &vm.heap.obj(b).kind) {
        (ObjKind::BoxedNumber(x), ObjKind::BoxedNumber(y)) => {
            Value::Num(*x).same_value(&Value::Num(*y))
        }
        (ObjKind::BoxedString(x), ObjKind::BoxedString(y)) => x == y,
        (ObjKind::BoxedBool(x), ObjKind::BoxedBool(y)) => x == y,
        _ => false,
    }
}

/// Own enumerable keys that are not array indices (strict mode: symbols too, after the
/// strings), as Node's `getOwnNonIndexProperties`.
/// `a`'s non-index keys when `b` has as many, else `None` (the first check of Node's
/// `keyCheck` for arrays and views).
fn same_count_of_non_index_keys(vm: &Vm, a: ObjId, b: ObjId, mode: Mode) -> Option<Vec<PropKey>> {
    let keys_a = non_index_keys(vm, a, mode);
    (keys_a.len() == non_index_keys(vm, b, mode).len()).then_some(keys_a)
}

fn non_index_keys(vm: &Vm, o: ObjId, mode: Mode) -> Vec<PropKey> {
    let props = &vm.heap.obj(o).props;
    let enumerable = |k: &PropKey| {
        props
            .iter()
            .any(|p| p.key == *k && p.flags & ENUMERABLE != 0)
    };
    let mut keys: Vec<PropKey> = props
        .iter()
        .map(|p| p.key)
        .filter(|k| matches!(k, PropKey::Str(_)) && vm.heap.key_is_index(*k).is_none())
        .filter(enumerable)
        .collect();
    if mode == Mode::Strict {
        keys.extend(
            props
                .iter()
                .map(|p| p.key)
                .filter(|k| matches!(k, PropKey::Sym(_)))
                .filter(enumerable),
        );
    }
    keys
}

fn own_enumerable(vm: &mut Vm, o: ObjId, k: PropKey) -> bool {
    if let (ObjKind::BoxedString(s), Some(i)) = (&vm.heap.obj(o).kind, vm.heap.key_is_index(k)) {
        return (i as usize) < s.encode_utf16().count();
    }
    match vm.heap.obj(o).get_own(k) {
        Some(p) => p.flags & ENUMERABLE != 0,
        None => vm.has_own(o, k),
    }
}

fn enumerable_symbols(vm: &Vm, o: ObjId) -> Vec<PropKey> {
    vm.heap
        .obj(o)
        .props
        .iter()
        .filter(|p| matches!(p.key, PropKey::Sym(_)) && p.flags & ENUMERABLE != 0)
        .map(|p| p.key)
        .collect()
}

/// Node's `keyCheck`: the same own enumerable keys (given, or `Object.keys` plus, in strict
/// mode, enumerable symbols), then the contents through the memo.
fn key_check(
    vm: &mut Vm,
    a: ObjId,
    b: ObjId,
    mode: Mode,
    memo: &mut Option<Memo>,
    contents: Contents,
    given_keys: Option<Vec<PropKey>>,
) -> Result<bool, Value> {
    let keys_given = given_keys.is_some();
    let mut keys = match given_keys {
        Some(k) => k,
        None => {
            let ka = vm.own_enum_keys(a);
            let kb = vm.own_enum_keys(b);
            if ka.len() != kb.len() {
                return Ok(false);
            }
            ka
        }
    };
    for &k in &keys {
        if !own_enumerable(vm, b, k) {
            return Ok(false);
        }
    }
    if mode == Mode::Strict && !keys_given {
        let sa = enumerable_symbols(vm, a);
        for &k in &sa {
            if !own_enumerable(vm, b, k) {
                return Ok(false);
            }
        }
        if enumerable_symbols(vm, b).len() != sa.len() {
            return Ok(false);
        }
        keys.extend(sa);
    }
    if keys.is_empty() {
        let empty = match (contents, &vm.heap.obj(a).kind) {
            (Contents::Plain, _) => true,
            (Contents::Array, ObjKind::Array(items)) => items.is_empty(),
            (_, ObjKind::Set(v, _)) => v.iter().all(|x| matches!(x, Value::Uninit)),
            (_, ObjKind::Map(v, _)) => v.iter().all(|x| matches!(x.0, Value::Uninit)),
            _ => false,
        };
        if empty {
            return Ok(true);
        }
    }
    let Some(m) = memo.as_mut() else {
        *memo = Some(Memo {
            a,
            b,
            c: None,
            d: None,
            deep: false,
            on_path: None,
        });
        return obj_equiv(vm, a, b, mode, &keys, memo, contents);
    };
    if m.on_path.is_none() {
        if !m.deep {
            if m.a == a {
                return Ok(m.b == b);
            }
            if m.b == b {
                return Ok(false);
            }
            m.c = Some(a);
            m.d = Some(b);
            m.deep = true;
            let result = obj_equiv(vm, a, b, mode, &keys, memo, contents);
            if let Some(m) = memo.as_mut() {
                m.deep = false;
            }
            return result;
        }
        let mut set: HashSet<ObjId> = [m.a, m.b].into_iter().collect();
        set.extend(m.c);
        set.extend(m.d);
        m.on_path = Some(set);
    }
    let set = m.on_path.as_mut().expect("created above");
    let before = set.len();
    set.insert(a);
    set.insert(b);
    if before + 2 != set.len() {
        return Ok(before == set.len());
    }
    let equal = obj_equiv(vm, a, b, mode, &keys, memo, contents);
    if let Some(set) = memo.as_mut().and_then(|m| m.on_path.as_mut()) {
        set.remove(&a);
        set.remove(&b);
    }
    equal
}

fn prop(vm: &mut Vm, o: ObjId, k: PropKey) -> Result<Value, Value> {
    vm.get(&Value::Obj(o), k)
}

fn obj_equiv(
    vm: &mut Vm,
    a: ObjId,
    b: ObjId,
    mode: Mode,
    keys: &[PropKey],
    memo: &mut Option<Memo>,
    contents: Contents,
) -> Result<bool, Value> {
    match contents {
        Contents::Set => {
            if !set_equiv(vm, a, b, mode, memo)? {
                return Ok(false);
            }
        }
        Contents::Map => {
            if !map_equiv(vm, a, b, mode, memo)? {
                return Ok(false);
            }
        }
        Contents::Array => {
            let items = |vm: &Vm, o| match &vm.heap.obj(o).kind {
                ObjKind::Array(items) => items.clone(),
                _ => Vec::new(),
            };
            let (xs, ys) = (items(vm, a), items(vm, b));
            for (i, (x, y)) in xs.iter().zip(&ys).enumerate() {
                match (matches!(x, Value::Uninit), matches!(y, Value::Uninit)) {
                    (false, false) => {
                        if !inner(vm, x, y, mode, memo)? {
                            return Ok(false);
                        }
                    }
                    (true, true) => {
                        // a sparse array: the own keys from here on (the first `i` are the
                        // indices already compared) must match by name
                        let ka = vm.own_enum_keys(a);
                        let kb = vm.own_enum_keys(b);
                        for &k in ka.iter().skip(i) {
                            if !vm.has_own(b, k) {
                                return Ok(false);
                            }
                            let (x, y) = (prop(vm, a, k)?, prop(vm, b, k)?);
                            if !inner(vm, &x, &y, mode, memo)? {
                                return Ok(false);
                            }
                        }
                        return Ok(ka.len() == kb.len());
                    }
                    _ => return Ok(false),
                }
            }
        }
        Contents::Plain => {}
    }
    for &k in keys {
        let (x, y) = (prop(vm, a, k)?, prop(vm, b, k)?);
        if !inner(vm, &x, &y, mode, memo)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn set_members(vm: &Vm, o: ObjId) -> Vec<Value> {
    match &vm.heap.obj(o).kind {
        ObjKind::Set(v, _) => v
            .iter()
            .filter(|x| !matches!(x, Value::Uninit))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

fn map_entries(vm: &Vm, o: ObjId) -> Vec<(Value, Value)> {
    match &vm.heap.obj(o).kind {
        ObjKind::Map(v, _) => v
            .iter()
            .filter(|x| !matches!(x.0, Value::Uninit))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

fn set_has(vm: &Vm, o: ObjId, v: &Value) -> bool {
    set_members(vm, o).iter().any(|m| m.same_value_zero(v))
}

fn map_get(vm: &Vm, o: ObjId, k: &Value) -> Option<Value> {
    map_entries(vm, o)
        .into_iter()
        .find(|(key, _)| key.same_value_zero(k))
        .map(|(_, v)| v)
}

/// Node's `findLooseMatchingPrimitives`: `Err(answer)` when the primitive can or cannot
/// match loosely whatever the other collection holds; `Ok(alt)` with the value to look for.
fn loose_alternative(prim: &Value) -> Result<Value, bool> {
    match prim {
        Value::Undefined | Value::Uninit => Ok(Value::Null),
        Value::Null => Ok(Value::Undefined),
        Value::Sym(_) => Err(false),
        Value::Str(s) => {
            let n = crate::value::string_to_number(s);
            if n.is_nan() {
                Err(false)
            } else {
                Err(true)
            }
        }
        Value::Num(n) if n.is_nan() => Err(false),
        _ => Err(true),
    }
}

fn set_equiv(
    vm: &mut Vm,
    a: ObjId,
    b: ObjId,
    mode: Mode,
    memo: &mut Option<Memo>,
) -> Result<bool, Value> {
    let mut pending: Option<Vec<Value>> = None;
    for v in set_members(vm, a) {
        if object_of(vm, &v).is_some() {
            pending.get_or_insert_with(Vec::new).push(v);
        } else if !set_has(vm, b, &v) {
            if mode == Mode::Strict {
                return Ok(false);
            }
            let might = match loose_alternative(&v) {
                Err(answer) => answer,
                Ok(alt) => set_has(vm, b, &alt) && !set_has(vm, a, &alt),
            };
            if !might {
                return Ok(false);
            }
            pending.get_or_insert_with(Vec::new).push(v);
        }
    }
    let Some(mut pending) = pending else {
        return Ok(true);
    };
    for v in set_members(vm, b) {
        let needs_match = if object_of(vm, &v).is_some() {
            true
        } else {
            mode == Mode::Loose && !set_has(vm, a, &v)
        };
        if needs_match && !take_equal(vm, &mut pending, &v, mode, memo)? {
            return Ok(false);
        }
    }
    Ok(pending.is_empty())
}

/// Removes the first member of `pending` deeply equal to `v`; false when there is none.
fn take_equal(
    vm: &mut Vm,
    pending: &mut Vec<Value>,
    v: &Value,
    mode: Mode,
    memo: &mut Option<Memo>,
) -> Result<bool, Value> {
    for i in 0..pending.len() {
        let candidate = pending[i].clone();
        if inner(vm, v, &candidate, mode, memo)? {
            pending.remove(i);
            return Ok(true);
        }
    }
    Ok(false)
}

fn map_equiv(
    vm: &mut Vm,
    a: ObjId,
    b: ObjId,
    mode: Mode,
    memo: &mut Option<Memo>,
) -> Result<bool, Value> {
    let mut pending: Option<Vec<Value>> = None;
    for (key, item) in map_entries(vm, a) {
        if object_of(vm, &key).is_some() {
            pending.get_or_insert_with(Vec::new).push(key);
            continue;
        }
        let matched = match map_get(vm, b, &key) {
            Some(other) => inner(vm, &item, &other, mode, memo)?,
            None => false,
        };
        if matched {
            continue;
        }
        if mode == Mode::Strict {
            return Ok(false);
        }
        let might = match loose_alternative(&key) {
            Err(answer) => answer,
            Ok(alt) => match map_get(vm, b, &alt) {
                Some(other) => {
                    map_get(vm, a, &alt).is_none() && inner(vm, &item, &other, Mode::Loose, memo)?
                }
                None => false,
            },
        };
        if !might {
            return Ok(false);
        }
        pending.get_or_insert_with(Vec::new).push(key);
    }
    let Some(mut pending) = pending else {
        return Ok(true);
    };
    for (key, item) in map_entries(vm, b) {
        let needs_match = if object_of(vm, &key).is_some() {
            true
        } else if mode == Mode::Loose {
            match map_get(vm, a, &key) {
                Some(mine) => !inner(vm, &mine, &item, mode, memo)?,
                None => true,
            }
        } else {
            false
        };
        if needs_match && !take_equal_entry(vm, &mut pending, a, &key, &item, mode, memo)? {
            return Ok(false);
        }
    }
    Ok(pending.is_empty())
}

/// Removes the first key of `pending` deeply equal to `key` whose value in `map` is deeply
/// equal to `item`; false when there is none.
fn take_equal_entry(
    vm: &mut Vm,
    pending: &mut Vec<Value>,
    map: ObjId,
    key: &Value,
    item: &Value,
    mode: Mode,
    memo: &mut Option<Memo>,
) -> Result<bool, Value> {
    for i in 0..pending.len() {
        let candidate = pending[i].clone();
        if inner(vm, key, &candidate, mode, memo)? {
            let mine = map_get(vm, map, &candidate).unwrap_or(Value::Undefined);
            if inner(vm, item, &mine, mode, memo)? {
                pending.remove(i);
                return Ok(true);
            }
        }
    }
    Ok(false)
}
