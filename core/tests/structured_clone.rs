//! The structured clone across heaps: values serialised in one `Vm` and built in a second,
//! separate `Vm` (as `postMessage` between agents will do), with transfer lists, shared
//! memory, MessagePort hooks and the message size. What one heap alone can show is checked
//! against Node in `cli/tests/cases/structured-clone-transfer.js`.

use looplab_core::compiler::Compiler;
use looplab_core::heap::{ObjKind, Prop, Slot};
use looplab_core::host::clone::{deserialize, deserialize_with_ports, serialize, Serialized};
use looplab_core::value::{ObjId, Value};
use looplab_core::vm::Vm;
use std::collections::HashSet;

const PRELUDE: &str = include_str!("../src/host/prelude.js");

/// One agent: a `Vm` set up as a run sets one up (globals, the prelude and its modules), that
/// has run `source` as its main module.
fn agent(source: &str) -> Vm {
    let allocator = oxc_allocator::Allocator::default();
    let cjs = oxc_span::SourceType::cjs();
    let parsed = oxc_parser::Parser::new(&allocator, source, cjs).parse();
    let prelude_allocator = oxc_allocator::Allocator::default();
    let prelude = oxc_parser::Parser::new(&prelude_allocator, PRELUDE, cjs).parse();
    let program = Compiler::compile_script(&parsed.program, Some(&prelude.program))
        .unwrap_or_else(|e| panic!("compile: {}", e.message));
    let prelude_index = program.prelude.expect("a prelude");
    let mut vm = Vm::new(program, source, "/agent.js");
    looplab_core::host::install_globals(&mut vm);
    let exports = vm.new_object();
    run_module(&mut vm, prelude_index, exports);
    looplab_core::host::install_modules(&mut vm, exports);
    let exports = vm.new_object();
    run_module(&mut vm, 0, exports);
    vm
}

/// Calls compiled function `index` as a CommonJS module body.
fn run_module(vm: &mut Vm, index: u32, exports: ObjId) {
    let env = vm.heap.new_env(0, None);
    let fp = vm.realm.function_proto;
    let kind = looplab_core::heap::FuncKind::Closure {
        func: index,
        env,
        this_val: None,
        home: None,
    };
    let f = vm.alloc(Some(fp), ObjKind::Function(kind));
    let module = vm.new_object();
    vm.put(module, "exports", Value::Obj(exports));
    let require = call_global_lookup(vm, "require");
    let args = [
        Value::Obj(exports),
        require,
        Value::Obj(module),
        Value::str("/agent.js"),
        Value::str("/"),
    ];
    let mut roots = vec![Value::Obj(f), Value::Obj(exports), Value::Obj(module)];
    roots.extend_from_slice(&args);
    let r = vm.with_gc_window(&roots, |vm| {
        vm.call(&Value::Obj(f), Value::Obj(exports), &args)
    });
    if let Err(e) = r {
        panic!("module threw: {}", vm.to_display(&e));
    }
}

fn call_global_lookup(vm: &mut Vm, name: &str) -> Value {
    let g = Value::Obj(vm.realm.global);
    vm.get_by_name(&g, name).unwrap_or(Value::Undefined)
}

/// `globalThis[name]` of an agent.
fn global(vm: &mut Vm, name: &str) -> Value {
    let v = call_global_lookup(vm, name);
    assert!(!matches!(v, Value::Undefined), "no global {name}");
    v
}

/// Calls the agent's global function `name` with `args`; its result shown as a string.
fn call(vm: &mut Vm, name: &str, args: &[Value]) -> String {
    let f = global(vm, name);
    match vm.call(&f, Value::Undefined, args) {
        Ok(Value::Str(s)) => s.to_string(),
        Ok(v) => vm.to_display(&v),
        Err(e) => panic!("{name} threw: {}", vm.to_display(&e)),
    }
}

fn no_ports(_: &Vm, _: ObjId) -> Option<u64> {
    None
}

fn no_port_objects(_: &mut Vm, id: u64) -> Value {
    panic!("no port was transferred, yet port {id} was asked for")
}

fn send(vm: &mut Vm, value: &Value, transfer: &[Value]) -> Serialized {
    match serialize(vm, value, transfer, &no_ports) {
        Ok(s) => s,
        Err(e) => panic!("serialize threw: {}", vm.to_display(&e)),
    }
}

/// Describes a value's structure in JavaScript: the same text for the original and for a
/// faithful clone (identities inside the value included, prototypes by name).
const DESCRIBE: &str = r#"
globalThis.describe = function describe(root) {
  const seen = new Map();
  const walk = (v) => {
    if (v === null || typeof v !== 'object') return typeof v + ':' + String(v);
    if (seen.has(v)) return '@' + seen.get(v);
    seen.set(v, seen.size);
    const tag = Object.prototype.toString.call(v) + '/' + Object.getPrototypeOf(v).constructor.name;
    if (v instanceof Map) return tag + '{' + [...v].map(([k, x]) => walk(k) + '=>' + walk(x)).join(',') + '}';
    if (v instanceof Set) return tag + '{' + [...v].map(walk).join(',') + '}';
    if (v instanceof Date) return tag + v.getTime();
    if (v instanceof RegExp) return tag + v.source + '/' + v.flags;
    if (v instanceof Error) return tag + v.name + ':' + v.message + ':' + walk(v.cause);
    if (ArrayBuffer.isView(v)) return tag + v.byteOffset + '+' + v.byteLength + '@' + walk(v.buffer);
    if (v instanceof ArrayBuffer) return tag + [...new Uint8Array(v)].join('.');
    const keys = Object.keys(v);
    return tag + (Array.isArray(v) ? v.length + ':' : '') + '{' + keys.map((k) => k + ':' + walk(v[k])).join(',') + '}';
  };
  return walk(root);
};
"#;

/// The message of the cross-heap tests: every kind of value, shared references and a cycle.
const SENDER: &str = r#"
const shared = { note: 'shared', n: -0 };
const buf = new ArrayBuffer(8);
new Uint8Array(buf).set([1, 2, 3, 4, 5, 6, 7, 8]);
const msg = {
  num: 1.5, str: 'héllo ✓', bool: true, nil: null, undef: undefined,
  arr: [1, , 'three', shared],
  map: new Map([[1, shared], ['k', [shared]]]),
  set: new Set(['a', shared]),
  date: new Date(86400000),
  re: /a\/b[c]/gi,
  err: new RangeError('out of range', { cause: shared }),
  boxed: [new String('s'), new Number(2), new Boolean(false)],
  bytes: new Uint16Array(buf, 2, 2),
  view: new DataView(buf, 1, 4),
  buf,
};
msg.self = msg;
globalThis.msg = msg;
"#;

/// The receiver first allocates objects of its own, so ids from the sender would point at
/// the wrong objects here.
const RECEIVER: &str = r#"
globalThis.junk = Array.from({ length: 300 }, (_, i) => ({ i, s: 'x' + i }));
"#;

/// Every object reachable from `v` through the clone's own contents (not prototypes).
fn reachable(vm: &Vm, v: &Value, out: &mut HashSet<ObjId>) {
    let Value::Obj(o) = v else { return };
    if !out.insert(*o) {
        return;
    }
    let obj = vm.heap.obj(*o);
    let mut next: Vec<Value> = obj
        .props
        .iter()
        .filter_map(|p| match p {
            Prop {
                slot: Slot::Data(x),
                ..
            } => Some(x.clone()),
            _ => None,
        })
        .collect();
    match &obj.kind {
        ObjKind::Array(items) | ObjKind::Set(items, _) => next.extend(items.iter().cloned()),
        ObjKind::Map(entries, _) => {
            for (k, x) in entries {
                next.push(k.clone());
                next.push(x.clone());
            }
        }
        ObjKind::TypedArray { buffer, .. } | ObjKind::DataView { buffer, .. } => {
            next.push(Value::Obj(*buffer))
        }
        _ => {}
    }
    for x in next {
        reachable(vm, &x, out);
    }
}

#[test]
fn a_value_crosses_into_a_separate_heap_intact() {
    let mut sender = agent(&format!("{DESCRIBE}{SENDER}"));
    let mut receiver = agent(&format!("{DESCRIBE}{RECEIVER}"));
    let msg = global(&mut sender, "msg");
    let expected = call(&mut sender, "describe", std::slice::from_ref(&msg));

    let message = send(&mut sender, &msg, &[]);
    let objects_before = receiver.heap.objects.len();
    let free_before: HashSet<ObjId> = receiver.heap.free_objs.iter().copied().collect();
    let got = deserialize(&mut receiver, &message, &mut no_port_objects);

    assert_eq!(
        call(&mut receiver, "describe", std::slice::from_ref(&got)),
        expected
    );
    // every object of the clone is new in the receiver's heap: no id came across
    let mut objects = HashSet::new();
    reachable(&receiver, &got, &mut objects);
    assert!(
        objects.len() >= 15,
        "only {} objects reached",
        objects.len()
    );
    for o in &objects {
        assert!(
            *o as usize >= objects_before || free_before.contains(o),
            "object {o} of the clone existed in the receiver before"
        );
    }
    // and the clone's objects have the receiver's prototypes
    let Value::Obj(root) = got else {
        panic!("not an object")
    };
    assert_eq!(
        receiver.heap.obj(root).proto,
        Some(receiver.realm.object_proto)
    );
    let err = match receiver.get_by_name(&Value::Obj(root), "err") {
        Ok(Value::Obj(e)) => e,
        _ => panic!("no err"),
    };
    assert_eq!(
        receiver.heap.obj(err).proto,
        Some(receiver.realm.range_error_proto)
    );
    // the sender still has its value, untouched
    assert_eq!(call(&mut sender, "describe", &[msg]), expected);
}

#[test]
fn a_message_can_be_built_twice() {
    let mut sender = agent(&format!("{DESCRIBE}{SENDER}"));
    let mut receiver = agent(&format!("{DESCRIBE}{RECEIVER}"));
    let msg = global(&mut sender, "msg");
    let message = send(&mut sender, &msg, &[]);
    let first = deserialize(&mut receiver, &message, &mut no_port_objects);
    let second = deserialize(&mut receiver, &message, &mut no_port_objects);
    assert!(!first.strict_eq(&second));
    let a = call(&mut receiver, "describe", &[first]);
    assert_eq!(a, call(&mut receiver, "describe", &[second]));
}

#[test]
fn shared_array_buffer_memory_is_shared_between_heaps() {
    let mut sender = agent(
        r#"
        globalThis.sab = new SharedArrayBuffer(16);
        globalThis.ints = new Int32Array(sab);
        globalThis.msg = { sab, view: new Int32Array(sab, 4, 2) };
        globalThis.read = (i) => String(ints[i]);
        globalThis.write = (i, x) => { ints[i] = x; return ''; };
        "#,
    );
    let mut receiver = agent(
        r#"
        globalThis.read = (m, i) => String(new Int32Array(m.sab)[i]);
        globalThis.write = (m, i, x) => { m.view[i - 1] = x; return ''; };
        "#,
    );
    let msg = global(&mut sender, "msg");
    call(&mut sender, "write", &[Value::Num(1.0), Value::Num(1234.0)]);
    let message = send(&mut sender, &msg, &[]);
    let got = deserialize(&mut receiver, &message, &mut no_port_objects);
    // written before the message: seen by the receiver
    assert_eq!(
        call(&mut receiver, "read", &[got.clone(), Value::Num(1.0)]),
        "1234"
    );
    // written by the receiver after: seen by the sender, and the other way round
    call(
        &mut receiver,
        "write",
        &[got.clone(), Value::Num(2.0), Value::Num(-7.0)],
    );
    assert_eq!(call(&mut sender, "read", &[Value::Num(2.0)]), "-7");
    call(&mut sender, "write", &[Value::Num(3.0), Value::Num(99.0)]);
    assert_eq!(call(&mut receiver, "read", &[got, Value::Num(3.0)]), "99");
    // a shared buffer costs its overhead, not its bytes
    assert!(message.byte_size() < 64, "{}", message.byte_size());
}

#[test]
fn a_transferred_buffer_moves_to_the_receiver_and_is_detached_in_the_sender() {
    let mut sender = agent(
        r#"
        globalThis.buf = new ArrayBuffer(4096);
        globalThis.bytes = new Uint8Array(buf, 8, 16);
        bytes[0] = 42;
        globalThis.state = () => [buf.byteLength, bytes.length, bytes.byteOffset, String(bytes[0])].join(' ');
        "#,
    );
    let mut receiver =
        agent("globalThis.look = (m) => [m.byteLength, new Uint8Array(m)[8]].join(' ');");
    let buf = global(&mut sender, "buf");
    let copied = send(&mut sender, &buf, &[]);
    assert_eq!(call(&mut sender, "state", &[]), "4096 16 8 42");
    let moved = send(&mut sender, &buf, std::slice::from_ref(&buf));
    assert_eq!(call(&mut sender, "state", &[]), "0 0 0 undefined");
    let got = deserialize(&mut receiver, &moved, &mut no_port_objects);
    assert_eq!(call(&mut receiver, "look", &[got]), "4096 42");
    // copying costs the bytes, moving does not
    assert!(copied.byte_size() >= 4096, "{}", copied.byte_size());
    assert!(moved.byte_size() < 64, "{}", moved.byte_size());
}

#[test]
fn byte_size_grows_with_the_payload() {
    let mut vm = agent(
        r#"
        globalThis.small = { s: 'x'.repeat(10), a: Array.from({ length: 10 }, (_, i) => i), b: new Uint8Array(16) };
        globalThis.large = { s: 'x'.repeat(1000), a: Array.from({ length: 10 }, (_, i) => i), b: new Uint8Array(16) };
        globalThis.longer = { s: 'x'.repeat(10), a: Array.from({ length: 100 }, (_, i) => i), b: new Uint8Array(16) };
        globalThis.bigger = { s: 'x'.repeat(10), a: Array.from({ length: 10 }, (_, i) => i), b: new Uint8Array(5000) };
        globalThis.wide = { s: '✓'.repeat(10), a: Array.from({ length: 10 }, (_, i) => i), b: new Uint8Array(16) };
        "#,
    );
    let mut size = |name: &str| {
        let v = global(&mut vm, name);
        send(&mut vm, &v, &[]).byte_size()
    };
    let small = size("small");
    assert!(small > 10 + 10 * 8 + 16, "{small}");
    assert!(size("large") >= small + 990);
    assert!(size("longer") >= small + 90 * 8);
    assert!(size("bigger") >= small + 4984);
    assert!(size("wide") > small, "two-byte strings count more");
}

#[test]
fn ports_must_be_transferred_and_are_made_by_the_receiver() {
    let mut sender = agent("globalThis.port = { id: 'the port' }; globalThis.other = {};");
    let mut receiver = agent(RECEIVER);
    let port = global(&mut sender, "port");
    let other = global(&mut sender, "other");
    let Value::Obj(port_obj) = port else {
        panic!("not an object")
    };
    let port_id = move |_: &Vm, o: ObjId| (o == port_obj).then_some(7u64);
    let value = {
        let o = sender.new_object();
        sender.put(o, "p", port.clone());
        sender.put(o, "again", port.clone());
        Value::Obj(o)
    };
    let shown = |vm: &mut Vm, r: Result<Serialized, Value>| match r {
        Ok(_) => "ok".to_string(),
        Err(e) => {
            let code = vm.get_by_name(&e, "code").unwrap_or(Value::Undefined);
            let msg = vm.get_by_name(&e, "message").unwrap_or(Value::Undefined);
            format!("{} {}", vm.to_display(&code), vm.to_display(&msg))
        }
    };
    let r = serialize(&mut sender, &value, &[], &port_id);
    assert_eq!(
        shown(&mut sender, r),
        "ERR_MISSING_TRANSFERABLE_IN_TRANSFER_LIST Object that needs transfer was found in message but not listed in transferList"
    );
    let r = serialize(&mut sender, &value, &[port.clone(), port.clone()], &port_id);
    assert_eq!(
        shown(&mut sender, r),
        "25 Transfer list contains duplicate MessagePort"
    );
    let r = serialize(&mut sender, &value, &[other], &port_id);
    assert_eq!(
        shown(&mut sender, r),
        "ERR_INVALID_TRANSFER_OBJECT Found invalid object in transferList"
    );

    let message = serialize(&mut sender, &value, &[port], &port_id).expect("serialises");
    assert_eq!(message.transferred_ports(), &[7]);
    let mut made = vec![];
    let (got, ports) = deserialize_with_ports(&mut receiver, &message, &mut |vm, id| {
        made.push(id);
        let o = vm.new_object();
        vm.put(o, "receivingEndOf", Value::Num(id as f64));
        Value::Obj(o)
    });
    assert_eq!(made, [7], "one receiving port per transferred port");
    let p = receiver.get_by_name(&got, "p").expect("p");
    let again = receiver.get_by_name(&got, "again").expect("again");
    assert!(p.strict_eq(&again) && p.strict_eq(&ports[0]));
    let end = receiver.get_by_name(&p, "receivingEndOf").expect("field");
    assert!(end.strict_eq(&Value::Num(7.0)));
}
