//! Property access: [[Get]], [[Set]], [[Delete]] and [[HasProperty]] on ordinary objects,
//! arrays, strings, functions, typed arrays and the other exotic kinds, own-key listing and
//! for-in keys, and data-property copying. Conversions and operators are in
//! [`super::conversions`].

use super::{JsResult, Vm};
use crate::builtins::typed_array;
use crate::bytecode::FuncFlavor;
use crate::heap::*;
use crate::value::*;

impl Vm {
    // ---------- property lookup
    /// Own property including virtual ones (array index/length, function name/length).
    fn own_virtual(&mut self, o: ObjId, k: PropKey) -> Option<Value> {
        let names_len = self.names.length;
        match &self.heap.obj(o).kind {
            ObjKind::Array(items) => {
                if k == PropKey::Str(names_len) {
                    return Some(Value::Num(items.len() as f64));
                }
                if let Some(i) = self.heap.key_is_index(k) {
                    return match items.get(i as usize) {
                        Some(Value::Uninit) | None => None,
                        Some(v) => Some(v.clone()),
                    };
                }
                None
            }
            ObjKind::BoxedString(s) => {
                if k == PropKey::Str(names_len) {
                    return Some(Value::Num(utf16_len(s) as f64));
                }
                None
            }
            ObjKind::TypedArray { .. } => match self.heap.key_is_index(k) {
                Some(i) => typed_array::element_get(self, o, i as usize)
                    .filter(|v| !matches!(v, Value::Undefined)),
                None => None,
            },
            ObjKind::Function(fk) => {
                let fk = fk.clone();
                if k == PropKey::Str(self.names.name) && self.heap.obj(o).find(k).is_none() {
                    return Some(Value::str(&self.function_name(o, &fk)));
                }
                if k == PropKey::Str(names_len) && self.heap.obj(o).find(k).is_none() {
                    let n = match &fk {
                        FuncKind::Closure { func, .. } => {
                            self.program.functions[*func as usize].param_count as f64
                        }
                        FuncKind::Native { id, .. } => self.natives[*id as usize].length as f64,
                        FuncKind::Bound { .. } => 0.0,
                    };
                    return Some(Value::Num(n));
                }
                if k == PropKey::Str(self.names.prototype) && self.heap.obj(o).find(k).is_none() {
                    if let FuncKind::Closure { func, .. } = fk {
                        let code = &self.program.functions[func as usize];
                        if code.flavor == FuncFlavor::Normal && !code.is_async {
                            let proto = self.new_object();
                            let kc = PropKey::Str(self.names.constructor);
                            self.heap.obj_mut(proto).put(kc, Value::Obj(o), HIDDEN);
                            self.heap.obj_mut(o).put(k, Value::Obj(proto), WRITABLE);
                            return Some(Value::Obj(proto));
                        }
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// For a typed array's [[Set]]: `Some(Some(i))` for an element key in range,
    /// `Some(None)` for any other canonical numeric key (ignored), `None` for other keys.
    fn typed_element_key(&self, k: PropKey) -> Option<Option<usize>> {
        let PropKey::Str(a) = k else { return None };
        if let Some(i) = self.heap.key_is_index(k) {
            return Some(Some(i as usize));
        }
        typed_array::canonical_numeric(self.heap.atom_str(a)).map(|_| None)
    }

    pub fn function_name(&self, o: ObjId, fk: &FuncKind) -> String {
        if let Some(Prop {
            slot: Slot::Data(Value::Str(s)),
            ..
        }) = self.heap.obj(o).get_own(PropKey::Str(self.names.name))
        {
            return s.to_string();
        }
        match fk {
            FuncKind::Closure { func, .. } => self.program.functions[*func as usize].name.clone(),
            FuncKind::Native { id, .. } => self.natives[*id as usize].name.to_string(),
            FuncKind::Bound { target, .. } => {
                let t = *target;
                let inner = match &self.heap.obj(t).kind {
                    ObjKind::Function(k) => self.function_name(t, k),
                    _ => String::new(),
                };
                format!("bound {inner}")
            }
        }
    }

    pub fn has_property(&mut self, o: ObjId, k: PropKey) -> bool {
        let mut cur = Some(o);
        while let Some(c) = cur {
            if self.heap.obj(c).find(k).is_some() || self.own_virtual(c, k).is_some() {
                return true;
            }
            cur = self.heap.obj(c).proto;
        }
        false
    }

    pub fn has_own(&mut self, o: ObjId, k: PropKey) -> bool {
        self.heap.obj(o).find(k).is_some() || self.own_virtual(o, k).is_some()
    }

    /// [[Get]] with an explicit receiver, starting the lookup at `start`.
    pub fn get_with_receiver(&mut self, start: ObjId, k: PropKey, receiver: &Value) -> JsResult {
        let mut cur = Some(start);
        let mut hops = 0;
        while let Some(c) = cur {
            hops += 1;
            if hops > 10000 {
                break;
            }
            let obj = self.heap.obj(c);
            if let Some(i) = obj.find(k) {
                match &obj.props[i].slot {
                    Slot::Data(v) => return Ok(v.clone()),
                    Slot::Accessor { get, .. } => {
                        let g = get.clone();
                        if let Value::Undefined = g {
                            return Ok(Value::Undefined);
                        }
                        return self.call(&g, receiver.clone(), &[]);
                    }
                }
            }
            if let Some(v) = self.own_virtual(c, k) {
                return Ok(v);
            }
            cur = self.heap.obj(c).proto;
        }
        Ok(Value::Undefined)
    }

    /// [[Get]] of a property given by name.
    pub fn get_by_name(&mut self, v: &Value, name: &str) -> JsResult {
        let k = self.heap.key(name);
        self.get(v, k)
    }

    /// [[Get]] on any value (primitives use their prototype).
    pub fn get(&mut self, v: &Value, k: PropKey) -> JsResult {
        match v {
            Value::Obj(o) => self.get_with_receiver(*o, k, v),
            Value::Str(s) => {
                if k == PropKey::Str(self.names.length) {
                    return Ok(Value::Num(crate::builtins::string::units_len(s) as f64));
                }
                if let Some(i) = self.heap.key_is_index(k) {
                    return Ok(string_index(s, i as usize)
                        .map(|c| Value::str(&c))
                        .unwrap_or(Value::Undefined));
                }
                let p = self.realm.string_proto;
                self.get_with_receiver(p, k, v)
            }
            Value::Num(_) => {
                let p = self.realm.number_proto;
                self.get_with_receiver(p, k, v)
            }
            Value::Bool(_) => {
                let p = self.realm.boolean_proto;
                self.get_with_receiver(p, k, v)
            }
            Value::Sym(_) => {
                let p = self.realm.symbol_proto;
                self.get_with_receiver(p, k, v)
            }
            Value::Undefined | Value::Null | Value::Uninit => {
                let what = if let Value::Null = v {
                    "null"
                } else {
                    "undefined"
                };
                let key = self.key_display(k);
                self.throw_type(&format!(
                    "Cannot read properties of {what} (reading '{key}')"
                ))
            }
        }
    }

    pub fn key_display(&self, k: PropKey) -> String {
        match k {
            PropKey::Str(a) => self.heap.atom_str(a).to_string(),
            PropKey::Sym(s) => format!(
                "Symbol({})",
                self.heap.symbols[s as usize]
                    .description
                    .as_deref()
                    .unwrap_or("")
            ),
        }
    }

    /// GetProp with a string-table index (fast path for plain objects).
    pub fn get_named(&mut self, v: &Value, k: PropKey, _i: u32) -> JsResult {
        if let Value::Obj(o) = v {
            let obj = self.heap.obj(*o);
            if let Some(i) = obj.find(k) {
                if let Slot::Data(d) = &obj.props[i].slot {
                    return Ok(d.clone());
                }
            }
        }
        self.get(v, k)
    }

    pub fn get_elem(&mut self, o: &Value, key: &Value) -> JsResult {
        if let (Value::Obj(id), Value::Num(n)) = (o, key) {
            let idx = *n as usize;
            if idx as f64 == *n {
                match &self.heap.obj(*id).kind {
                    ObjKind::Array(items) => {
                        if let Some(v) = items.get(idx) {
                            if !matches!(v, Value::Uninit) {
                                return Ok(v.clone());
                            }
                        }
                    }
                    ObjKind::TypedArray { .. } => {
                        let v = typed_array::element_get(self, *id, idx);
                        return Ok(v.unwrap_or(Value::Undefined));
                    }
                    _ => {}
                }
            }
        }
        if let (Value::Str(s), Value::Num(n)) = (o, key) {
            let idx = *n as usize;
            if idx as f64 == *n {
                return Ok(string_index(s, idx)
                    .map(|c| Value::str(&c))
                    .unwrap_or(Value::Undefined));
            }
        }
        if o.is_nullish() {
            let what = if let Value::Null = o {
                "null"
            } else {
                "undefined"
            };
            let ks = self.to_display(key);
            return self.throw_type(&format!(
                "Cannot read properties of {what} (reading '{ks}')"
            ));
        }
        let k = self.to_property_key(key)?;
        self.get(o, k)
    }

    /// Defines (or overwrites) an own data property, enumerable, handling array indices.
    pub fn define_own(&mut self, o: ObjId, k: PropKey, v: Value) {
        if let ObjKind::TypedArray { .. } = self.heap.obj(o).kind {
            if let Some(i) = self.heap.key_is_index(k) {
                let n = match v {
                    Value::Num(n) => n,
                    other => crate::value::string_to_number(&self.to_display(&other)),
                };
                typed_array::element_set(self, o, i as usize, n);
                return;
            }
        }
        if let Some(i) = self.heap.key_is_index(k) {
            if let ObjKind::Array(items) = &mut self.heap.obj_mut(o).kind {
                let i = i as usize;
                if i < items.len() {
                    items[i] = v;
                    return;
                } else if i < items.len() + 1_000_000 {
                    items.resize(i, Value::Uninit);
                    items.push(v);
                    return;
                }
            }
        }
        self.heap.obj_mut(o).put(k, v, DEFAULT_FLAGS);
    }

    /// [[Set]]; returns false when the assignment was not allowed.
    pub fn set(&mut self, target: &Value, k: PropKey, v: Value) -> Result<bool, Value> {
        let Value::Obj(o) = target else {
            if target.is_nullish() {
                let what = if let Value::Null = target {
                    "null"
                } else {
                    "undefined"
                };
                let key = self.key_display(k);
                return self.throw_type(&format!(
                    "Cannot set properties of {what} (setting '{key}')"
                ));
            }
            return Ok(false);
        };
        let o = *o;
        // arrays
        if let ObjKind::Array(_) = &self.heap.obj(o).kind {
            if self.heap.key_is_index(k).is_some() {
                if self.heap.obj(o).frozen {
                    return Ok(false);
                }
                self.define_own(o, k, v);
                return Ok(true);
            }
            if k == PropKey::Str(self.names.length) {
                let n = self.to_number(&v)?;
                if n < 0.0 || n.fract() != 0.0 || n > 4294967295.0 {
                    return Err(self.range_error("Invalid array length"));
                }
                if n > crate::vm::MAX_DENSE_ARRAY {
                    return Err(
                        self.range_error("Invalid array length (looplab limit: arrays are dense)")
                    );
                }
                if let ObjKind::Array(items) = &mut self.heap.obj_mut(o).kind {
                    items.resize(n as usize, Value::Uninit);
                }
                return Ok(true);
            }
        }
        if let ObjKind::TypedArray { .. } = &self.heap.obj(o).kind {
            if let Some(i) = self.typed_element_key(k) {
                let n = self.to_number(&v)?;
                if let Some(i) = i {
                    typed_array::element_set(self, o, i, n);
                }
                return Ok(true);
            }
        }
        // own or inherited
        let mut cur = Some(o);
        while let Some(c) = cur {
            let obj = self.heap.obj(c);
            if let Some(i) = obj.find(k) {
                let p = &obj.props[i];
                match &p.slot {
                    Slot::Accessor { set, .. } => {
                        let s = set.clone();
                        if let Value::Undefined = s {
                            return Ok(false);
                        }
                        self.call(&s, target.clone(), &[v])?;
                        return Ok(true);
                    }
                    Slot::Data(_) => {
                        if p.flags & WRITABLE == 0 {
                            return Ok(false);
                        }
                        if c == o {
                            if let Slot::Data(d) = &mut self.heap.obj_mut(o).props[i].slot {
                                *d = v;
                            }
                            return Ok(true);
                        }
                        break;
                    }
                }
            }
            cur = obj.proto;
        }
        let obj = self.heap.obj_mut(o);
        if !obj.extensible {
            return Ok(false);
        }
        obj.push_prop(Prop {
            key: k,
            slot: Slot::Data(v),
            flags: DEFAULT_FLAGS,
        });
        Ok(true)
    }

    /// [[Set]] that throws in the strict-mode-like cases Node users hit (frozen objects).
    /// Why [[Set]] of `k` on `target` failed, as the TypeError strict-mode code throws (V8's
    /// texts): a read-only property, a getter without a setter, or a non-extensible object.
    pub fn failed_set_error(&mut self, target: &Value, k: PropKey) -> Value {
        let key = self.key_display(k);
        let Value::Obj(o) = target else {
            let d = self.to_display(target);
            return self.type_error(&format!(
                "Cannot create property '{key}' on {} '{d}'",
                self.type_of(target)
            ));
        };
        let tag = self.object_tag(*o);
        let is_array_index = matches!(self.heap.obj(*o).kind, ObjKind::Array(_))
            && self.heap.key_is_index(k).is_some();
        let mut cur = Some(*o);
        while let Some(c) = cur {
            let obj = self.heap.obj(c);
            if let Some(i) = obj.find(k) {
                if let Slot::Accessor { .. } = obj.props[i].slot {
                    return self.type_error(&format!(
                        "Cannot set property {key} of {tag} which has only a getter"
                    ));
                }
                break;
            }
            cur = obj.proto;
        }
        let own_exists = self.heap.obj(*o).find(k).is_some() || {
            is_array_index
                && matches!(&self.heap.obj(*o).kind, ObjKind::Array(items)
                    if self.heap.key_is_index(k).is_some_and(|i| (i as usize) < items.len()))
        };
        if own_exists || cur.is_some() {
            return self.type_error(&format!(
                "Cannot assign to read only property '{key}' of object '{tag}'"
            ));
        }
        self.type_error(&format!(
            "Cannot add property {key}, object is not extensible"
        ))
    }

    /// The name of the constructor on an object's prototype (None when there is none).
    pub fn constructor_name_of(&self, o: ObjId) -> Option<String> {
        let ctor = self.heap.obj(o).proto.and_then(|p| {
            let proto = self.heap.obj(p);
            let i = proto.find(PropKey::Str(self.names.constructor))?;
            match &proto.props[i].slot {
                Slot::Data(Value::Obj(c)) => Some(*c),
                _ => None,
            }
        })?;
        match &self.heap.obj(ctor).kind {
            ObjKind::Function(fk) => Some(self.function_name(ctor, fk)).filter(|n| !n.is_empty()),
            _ => None,
        }
    }

    /// How V8 names an object in property errors: `#<Object>`, `#<Point>`, `[object Array]`.
    pub fn object_tag(&self, o: ObjId) -> String {
        if let ObjKind::Array(_) = self.heap.obj(o).kind {
            return "[object Array]".into();
        }
        let name = self.constructor_name_of(o);
        format!("#<{}>", name.unwrap_or_else(|| "Object".into()))
    }

    /// [[Set]] for an assignment expression: false when the assignment was refused.
    pub fn set_checked(&mut self, target: &Value, k: PropKey, v: Value) -> Result<bool, Value> {
        if let Value::Obj(o) = target {
            let o = *o;
            let obj = self.heap.obj(o);
            if let Some(i) = obj.find(k) {
                if let Slot::Data(_) = obj.props[i].slot {
                    if obj.props[i].flags & WRITABLE != 0 {
                        if let Slot::Data(d) = &mut self.heap.obj_mut(o).props[i].slot {
                            *d = v;
                        }
                        return Ok(true);
                    }
                }
            }
        }
        self.set(target, k, v)
    }

    /// [[Set]] with a computed key: false when the assignment was refused.
    pub fn set_elem(&mut self, o: &Value, key: &Value, v: Value) -> Result<bool, Value> {
        if let (Value::Obj(id), Value::Num(n)) = (o, key) {
            let idx = *n as usize;
            if idx as f64 == *n {
                if let ObjKind::TypedArray { .. } = self.heap.obj(*id).kind {
                    let n = match v {
                        Value::Num(n) => n,
                        other => self.to_number(&other)?,
                    };
                    // Out-of-range writes are ignored, and not refused: even strict code goes on.
                    typed_array::element_set(self, *id, idx, n);
                    return Ok(true);
                }
                let frozen = self.heap.obj(*id).frozen;
                if let ObjKind::Array(items) = &mut self.heap.obj_mut(*id).kind {
                    if frozen {
                        return Ok(false);
                    }
                    if idx < items.len() {
                        items[idx] = v;
                        return Ok(true);
                    } else if idx == items.len() {
                        items.push(v);
                        return Ok(true);
                    }
                }
            }
        }
        let k = self.to_property_key(key)?;
        self.set(o, k, v)
    }

    pub fn delete(&mut self, o: &Value, k: PropKey) -> Result<bool, Value> {
        match o {
            Value::Obj(id) => {
                let obj = self.heap.obj(*id);
                if obj.frozen {
                    return Ok(false);
                }
                if let ObjKind::TypedArray { length, .. } = obj.kind {
                    // elements of a typed array cannot be deleted
                    if self
                        .heap
                        .key_is_index(k)
                        .is_some_and(|i| (i as usize) < length)
                    {
                        return Ok(false);
                    }
                }
                if let Some(p) = obj.get_own(k) {
                    if p.flags & CONFIGURABLE == 0 {
                        return Ok(false);
                    }
                }
                self.heap.obj_mut(*id).remove(k);
                Ok(true)
            }
            Value::Undefined | Value::Null => {
                self.throw_type("Cannot convert undefined or null to object")
            }
            _ => Ok(true),
        }
    }

    /// Own enumerable string keys in property order (integer keys first for objects).
    pub fn own_enum_keys(&mut self, o: ObjId) -> Vec<PropKey> {
        let mut out = Vec::new();
        match &self.heap.obj(o).kind {
            ObjKind::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    if !matches!(v, Value::Uninit) {
                        out.push(i);
                    }
                }
            }
            ObjKind::BoxedString(s) => {
                for i in 0..utf16_len(s) {
                    out.push(i);
                }
            }
            ObjKind::TypedArray { length, .. } => out.extend(0..*length),
            _ => {}
        }
        let mut keys: Vec<PropKey> = out
            .into_iter()
            .map(|i| self.heap.key(&i.to_string()))
            .collect();
        let obj = self.heap.obj(o);
        let mut ints: Vec<(u32, PropKey)> = vec![];
        let mut strs = vec![];
        for p in &obj.props {
            if p.flags & ENUMERABLE == 0 {
                continue;
            }
            if let PropKey::Str(a) = p.key {
                match array_index(self.heap.atom_str(a)) {
                    Some(i) => ints.push((i, p.key)),
                    None => strs.push(p.key),
                }
            }
        }
        ints.sort_by_key(|x| x.0);
        keys.extend(ints.into_iter().map(|x| x.1));
        keys.extend(strs);
        keys
    }

    /// Own property keys (all, including non-enumerable), strings then symbols.
    pub fn own_keys_all(&mut self, o: ObjId, include_symbols: bool) -> Vec<PropKey> {
        let mut keys = Vec::new();
        if let ObjKind::Array(items) = &self.heap.obj(o).kind {
            let n = items.len();
            for i in 0..n {
                keys.push(self.heap.key(&i.to_string()));
            }
            keys.push(PropKey::Str(self.names.length));
        }
        if let ObjKind::TypedArray { length, .. } = self.heap.obj(o).kind {
            for i in 0..length {
                keys.push(self.heap.key(&i.to_string()));
            }
        }
        let obj = self.heap.obj(o);
        for p in &obj.props {
            if let PropKey::Str(_) = p.key {
                keys.push(p.key);
            }
        }
        if include_symbols {
            for p in &obj.props {
                if let PropKey::Sym(_) = p.key {
                    keys.push(p.key);
                }
            }
        }
        keys
    }

    pub fn for_in_keys(&mut self, v: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut cur = match v {
            Value::Obj(o) => Some(*o),
            Value::Str(s) => {
                for i in 0..utf16_len(s) {
                    out.push(Value::str(&i.to_string()));
                }
                return out;
            }
            _ => None,
        };
        while let Some(c) = cur {
            for k in self.own_enum_keys(c) {
                if seen.insert(k) {
                    if let Some(n) = self.heap.key_name(k) {
                        out.push(Value::Str(n.clone()));
                    }
                }
            }
            // non-enumerable own keys still shadow
            for p in &self.heap.obj(c).props {
                seen.insert(p.key);
            }
            cur = self.heap.obj(c).proto;
        }
        out
    }

    /// CopyDataProperties (object spread / rest).
    pub fn copy_data_props(
        &mut self,
        target: ObjId,
        src: &Value,
        excluded: &[PropKey],
    ) -> Result<(), Value> {
        match src {
            Value::Obj(s) => {
                let s = *s;
                let keys = self.own_enum_keys(s);
                for k in keys {
                    if excluded.contains(&k) {
                        continue;
                    }
                    let v = self.get(src, k)?;
                    self.define_own(target, k, v);
                }
                let syms: Vec<PropKey> = self
                    .heap
                    .obj(s)
                    .props
                    .iter()
                    .filter(|p| matches!(p.key, PropKey::Sym(_)) && p.flags & ENUMERABLE != 0)
                    .map(|p| p.key)
                    .collect();
                for k in syms {
                    if excluded.contains(&k) {
                        continue;
                    }
                    let v = self.get(src, k)?;
                    self.define_own(target, k, v);
                }
            }
            Value::Str(s) => {
                for (i, c) in s.chars().enumerate() {
                    let k = self.heap.key(&i.to_string());
                    self.define_own(target, k, Value::str(&c.to_string()));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The UTF-16 code unit at index i as a string.
pub fn string_index(s: &JsStr, i: usize) -> Option<String> {
    crate::builtins::string::index_string(s, i)
}
