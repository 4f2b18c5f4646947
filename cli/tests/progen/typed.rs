//! The typed family: `ArrayBuffer`/`SharedArrayBuffer`, the nine typed arrays, `DataView`,
//! `Atomics` and `Buffer`, with every result printed by `console.log` (so `util.inspect`'s
//! forms are checked too). A program declares a few buffers and views, then runs random
//! operations on them: element reads and writes with values that wrap, clamp or round, views
//! sharing one buffer (`subarray`, `new X(buffer, offset, length)`, `Buffer.from(arrayBuffer)`,
//! `buf.slice`), the methods, iteration, conversions, DataView accessors in both byte orders,
//! Atomics, Buffer's encodings and accessors, `structuredClone`, and the errors (printed from
//! `try`/`catch` as name, code and message). Some operations run later from a microtask or a
//! timer, which does not change their order.
//!
//! Everything is synchronous and single-threaded, so Node's output is fixed. What depends on
//! Node's 8 KiB Buffer pool (`byteOffset` and `buffer` of Buffers made by `from`, `concat`,
//! `allocUnsafe`) and the contents of `allocUnsafe` memory are never printed.

use super::Gen;

/// Typed array constructors and their element sizes.
const KINDS: [(&str, usize); 9] = [
    ("Int8Array", 1),
    ("Uint8Array", 1),
    ("Uint8ClampedArray", 1),
    ("Int16Array", 2),
    ("Uint16Array", 2),
    ("Int32Array", 4),
    ("Uint32Array", 4),
    ("Float32Array", 4),
    ("Float64Array", 8),
];

/// Element values that exercise the conversions (wrapping, clamping, rounding, NaN, -0).
const ELEMS: [&str; 30] = [
    "0",
    "1",
    "7",
    "42",
    "-1",
    "-5",
    "127",
    "128",
    "200",
    "255",
    "256",
    "300",
    "-129",
    "1000",
    "65535",
    "65536",
    "-32769",
    "2147483648",
    "4294967295",
    "1.5",
    "2.5",
    "-2.5",
    "0.1",
    "1e10",
    "-0",
    "NaN",
    "Infinity",
    "\"12\"",
    "true",
    "null",
];

#[derive(Default)]
struct State {
    /// Declarations are at the top level (not inside a deferred callback), so later steps
    /// may use them.
    top: bool,
    /// Typed arrays (not Buffers): name, kind index.
    arrays: Vec<(String, usize)>,
    /// ArrayBuffers and SharedArrayBuffers: name, byte length.
    buffers: Vec<(String, usize)>,
    /// Node Buffers.
    node_buffers: Vec<String>,
    /// DataViews: name, byte length.
    views: Vec<(String, usize)>,
}

/// One typed-family program. Returns true when it ends with an uncaught error.
pub(super) fn program(g: &mut Gen) -> bool {
    let mut st = State {
        top: true,
        ..State::default()
    };
    declare_buffer(g, &mut st);
    declare_array(g, &mut st);
    declare_node_buffer(g, &mut st);
    let target = g.rng.range(22, 55) as usize;
    while g.lines() < target {
        if g.rng.chance(12) {
            deferred_block(g, &mut st);
        } else {
            step(g, &mut st, true);
        }
    }
    if !g.no_fatal && g.rng.chance(8) {
        let l = g.label();
        g.line(&format!("console.log(\"{l} last\");"));
        let bad = g
            .rng
            .pick(&[
                "new Uint8Array(-1);",
                "new DataView(new ArrayBuffer(2)).getInt32(0);",
                "Buffer.alloc(1).readUInt16LE(0);",
                "new Int16Array(new ArrayBuffer(3));",
            ])
            .to_string();
        g.line(&bad);
        return true;
    }
    false
}

/// Operations queued on a microtask or a timer (no declarations: they stay top-level).
fn deferred_block(g: &mut Gen, st: &mut State) {
    let opener = match g.rng.below(3) {
        0 => "queueMicrotask(() => {",
        1 => "Promise.resolve().then(() => {",
        _ => "setTimeout(() => {",
    };
    g.open(opener);
    st.top = false;
    for _ in 0..g.rng.range(1, 3) {
        step(g, st, false);
    }
    st.top = true;
    g.close("});");
}

fn step(g: &mut Gen, st: &mut State, top: bool) {
    match g.rng.below(20) {
        0 if top => declare_array(g, st),
        1 if top => declare_buffer(g, st),
        2 if top => declare_node_buffer(g, st),
        3 if top => declare_view(g, st),
        4 | 5 => element_writes(g, st),
        6..=9 => array_method(g, st),
        10 => conversions(g, st),
        11 | 12 => data_view_ops(g, st),
        13 => atomics(g, st),
        14..=16 => buffer_ops(g, st),
        17 => clone(g, st),
        18 => errors(g),
        _ => shared_views(g, st),
    }
}

fn elem(g: &mut Gen) -> String {
    g.rng.pick(&ELEMS).to_string()
}

fn elems(g: &mut Gen, lo: i64, hi: i64) -> String {
    let n = g.rng.range(lo, hi);
    let xs: Vec<String> = (0..n).map(|_| elem(g)).collect();
    format!("[{}]", xs.join(", "))
}

fn kind(g: &mut Gen) -> usize {
    g.rng.below(KINDS.len())
}

fn any_array(g: &mut Gen, st: &State) -> Option<(String, usize)> {
    if st.arrays.is_empty() {
        return None;
    }
    Some(st.arrays[g.rng.below(st.arrays.len())].clone())
}

fn declare_buffer(g: &mut Gen, st: &mut State) {
    let name = g.var("ab");
    let len = 8 * g.rng.range(1, 4) as usize;
    let ctor = if g.rng.chance(30) {
        "SharedArrayBuffer"
    } else {
        "ArrayBuffer"
    };
    g.line(&format!("const {name} = new {ctor}({len});"));
    if st.top {
        st.buffers.push((name, len));
    }
}

fn declare_array(g: &mut Gen, st: &mut State) {
    let k = kind(g);
    let (ctor, size) = KINDS[k];
    let name = g.var("t");
    let src = match g.rng.below(8) {
        0 => g.rng.range(0, 12).to_string(),
        1 | 2 => elems(g, 0, 9),
        3 if !st.buffers.is_empty() => {
            let (b, len) = st.buffers[g.rng.below(st.buffers.len())].clone();
            let max = len / size;
            let off = g.rng.range(0, (max as i64 - 1).max(0)) as usize;
            if g.rng.chance(50) {
                format!("{b}, {}", off * size)
            } else {
                let n = g.rng.range(0, (max - off) as i64);
                format!("{b}, {}, {n}", off * size)
            }
        }
        4 if !st.arrays.is_empty() => any_array(g, st).map(|a| a.0).unwrap_or_default(),
        5 => format!("new Set({})", elems(g, 0, 5)),
        6 => format!("{{ length: {}, 0: {} }}", g.rng.range(1, 4), elem(g)),
        _ => {
            let n = g.rng.range(10, 40);
            let k = g.rng.range(1, 9);
            format!("Array.from({{ length: {n} }}, (_, i) => i * {k})")
        }
    };
    let decl = match g.rng.below(6) {
        0 => format!("{ctor}.from({}, (x) => x * 3)", elems(g, 0, 6)),
        1 => format!("{ctor}.of({})", elems(g, 0, 5).trim_matches(['[', ']'])),
        _ => format!("new {ctor}({src})"),
    };
    g.line(&format!("const {name} = {decl};"));
    g.log_expr(&name);
    if st.top {
        st.arrays.push((name, k));
    }
}

fn declare_node_buffer(g: &mut Gen, st: &mut State) {
    let name = g.var("b");
    let decl = match g.rng.below(7) {
        0 => format!(
            "Buffer.from(\"{}\")",
            g.rng.pick(&["hello", "abc", "héllo wörld", "", "zz top"])
        ),
        1 => format!(
            "Buffer.from(\"{}\", \"{}\")",
            g.rng.pick(&["68656c6c6f", "00ff10", "aGVsbG8=", "AQID"]),
            g.rng.pick(&["hex", "base64", "latin1", "utf8"])
        ),
        2 => format!("Buffer.from({})", elems(g, 0, 8)),
        3 => format!(
            "Buffer.alloc({}, {})",
            g.rng.range(0, 12),
            g.rng.pick(&["0", "1", "257", "\"ab\"", "\"x\""])
        ),
        4 => format!(
            "Buffer.allocUnsafe({}).fill({})",
            g.rng.range(0, 8),
            elem(g)
        ),
        5 if !st.node_buffers.is_empty() => {
            let a = g.rng.pick(&st.node_buffers).clone();
            format!("Buffer.concat([{a}, Buffer.from(\"!\")])")
        }
        _ => format!("Buffer.alloc({})", g.rng.range(0, 70)),
    };
    g.line(&format!("const {name} = {decl};"));
    g.log_expr(&format!("{name}, {name}.length"));
    if st.top {
        st.node_buffers.push(name);
    }
}

fn declare_view(g: &mut Gen, st: &mut State) {
    if st.buffers.is_empty() {
        return declare_buffer(g, st);
    }
    let (b, len) = st.buffers[g.rng.below(st.buffers.len())].clone();
    let name = g.var("dv");
    let off = g.rng.range(0, len as i64 / 2) as usize;
    let (args, vlen) = if g.rng.chance(50) {
        (format!("{b}, {off}"), len - off)
    } else {
        let n = g.rng.range(0, (len - off) as i64) as usize;
        (format!("{b}, {off}, {n}"), n)
    };
    g.line(&format!("const {name} = new DataView({args});"));
    g.log_expr(&name);
    if st.top {
        st.views.push((name, vlen));
    }
}

fn element_writes(g: &mut Gen, st: &mut State) {
    let Some((a, _)) = any_array(g, st) else {
        return declare_array(g, st);
    };
    let mut parts = vec![];
    for _ in 0..g.rng.range(1, 3) {
        let key = g
            .rng
            .pick(&[
                "0", "1", "2", "5", "-1", "\"1.5\"", "\"-0\"", "1.5", "-0", "100",
            ])
            .to_string();
        let v = elem(g);
        parts.push(format!("{a}[{key}] = {v};"));
    }
    g.line(&parts.join(" "));
    let k = g.rng.pick(&["0", "1", "5", "\"1.5\"", "-1"]).to_string();
    g.log_expr(&format!("{a}, {a}[{k}], {k} in {a}, {a}.length"));
}

fn callback(g: &mut Gen) -> String {
    g.rng
        .pick(&[
            "(x) => x > 1",
            "(x) => x % 2 === 0",
            "(x, i) => i > 1",
            "(x) => x < 0",
            "(x) => Number.isNaN(x)",
        ])
        .to_string()
}

fn array_method(g: &mut Gen, st: &mut State) {
    let Some((a, _)) = any_array(g, st) else {
        return declare_array(g, st);
    };
    let e = elem(g);
    let i = g.rng.range(-3, 6);
    let j = g.rng.range(-2, 8);
    let expr = match g.rng.below(24) {
        0 => format!("{a}.map((x, i) => x * 2 + i)"),
        1 => format!("{a}.filter({})", callback(g)),
        2 => format!("{a}.reduce((s, x) => s + x, 0)"),
        3 => format!("{a}.join(\"{}\")", g.rng.pick(&[",", "-", "", " | "])),
        4 => format!("{a}.indexOf({e}), {a}.lastIndexOf({e}), {a}.includes({e})"),
        5 => format!("{a}.at({i}), {a}.at(-1)"),
        6 => format!("{a}.fill({e}, {i}, {j})"),
        7 => format!("{a}.slice({i}, {j})"),
        8 => {
            let s = g.var("s");
            g.line(&format!("const {s} = {a}.subarray({i}, {j});"));
            g.line(&format!("if ({s}.length > 0) {s}[0] = {e};"));
            format!("{s}, {s}.byteOffset, {s}.length, {a}")
        }
        9 => format!("{a}.sort()"),
        10 => format!("{a}.sort((x, y) => y - x)"),
        11 => format!("{a}.reverse()"),
        12 => {
            let src = match any_array(g, st) {
                Some((b, _)) if g.rng.chance(50) => format!("{b}.subarray(0, 2)"),
                _ => elems(g, 0, 3),
            };
            let off = g.rng.range(0, 2);
            g.line(&format!(
                "if ({a}.length >= {off} + 3) {a}.set({src}, {off});"
            ));
            a.clone()
        }
        13 => format!("{a}.copyWithin({i}, {j})"),
        14 => format!(
            "{a}.find({c}), {a}.findIndex({c}), {a}.findLast({c}), {a}.findLastIndex({c})",
            c = callback(g)
        ),
        15 => format!("{a}.every({c}), {a}.some({c})", c = callback(g)),
        16 => format!("[...{a}.keys()], [...{a}.entries()].slice(0, 2)"),
        17 => format!("{a}.toSorted(), {a}.toReversed()"),
        18 if i >= 0 => format!("{a}.length > {i} ? {a}.with({i}, {e}) : {a}.length"),
        19 => {
            let l = g.label();
            g.line(&format!(
                "{a}.forEach((x, i, arr) => {{ if (i < 3) console.log(\"{l}\", x, i, arr === {a}); }});"
            ));
            return;
        }
        20 => format!("{a}.length, {a}.byteLength, {a}.byteOffset, {a}.BYTES_PER_ELEMENT"),
        21 => format!("{a}.buffer.byteLength, {a}.buffer instanceof ArrayBuffer"),
        22 => format!("{a}.reduceRight((s, x) => s + \",\" + x, \"\")"),
        _ => format!("{a}.map((x) => x / 3)"),
    };
    g.log_expr(&expr);
}

fn conversions(g: &mut Gen, st: &mut State) {
    let Some((a, _)) = any_array(g, st) else {
        return declare_array(g, st);
    };
    let expr = match g.rng.below(8) {
        0 => format!("Array.from({a})"),
        1 => format!("[...{a}]"),
        2 => format!("JSON.stringify({a})"),
        3 => format!("String({a}), `${{{a}}}`"),
        4 => format!("Object.keys({a}).length, Object.entries({a}).slice(0, 2)"),
        5 => {
            let l = g.label();
            g.line(&format!(
                "for (const x of {a}) {{ if (x > 100) {{ console.log(\"{l}\", x); break; }} }}"
            ));
            return;
        }
        6 => format!("{{ nested: {{ arr: {a} }}, list: [{a}] }}"),
        _ => format!("Object.prototype.toString.call({a}), {a} instanceof Uint8Array"),
    };
    g.log_expr(&expr);
}

fn data_view_ops(g: &mut Gen, st: &mut State) {
    if st.views.is_empty() {
        return declare_view(g, st);
    }
    let (v, len) = st.views[g.rng.below(st.views.len())].clone();
    let (ty, size) = *g.rng.pick(&[
        ("Int8", 1usize),
        ("Uint8", 1),
        ("Int16", 2),
        ("Uint16", 2),
        ("Int32", 4),
        ("Uint32", 4),
        ("Float32", 4),
        ("Float64", 8),
    ]);
    let little = g.rng.pick(&["", ", true", ", false"]).to_string();
    let fits = len >= size;
    let off = if fits && g.rng.chance(85) {
        g.rng.range(0, (len - size) as i64)
    } else {
        len as i64 + g.rng.range(-1, 2)
    };
    let e = elem(g);
    let (ty2, _) = *g.rng.pick(&[
        ("Int8", 1usize),
        ("Uint16", 2),
        ("Int32", 4),
        ("Float32", 4),
    ]);
    g.open("try {");
    g.line(&format!("{v}.set{ty}({off}, {e}{little});"));
    g.log_expr(&format!(
        "{v}.get{ty}({off}{little}), {v}.get{ty2}(0, true), {v}.byteLength, {v}.byteOffset"
    ));
    g.close("} catch (e) {");
    g.indent_more_log_error();
}

fn atomics(g: &mut Gen, st: &mut State) {
    let ia = g.var("ia");
    let k = *g.rng.pick(&[0usize, 1, 3, 4, 5, 6, 7]);
    let (ctor, size) = KINDS[k];
    let backing = match st.buffers.iter().find(|b| b.1 % size == 0) {
        Some((b, _)) if g.rng.chance(40) => b.clone(),
        _ => format!("new SharedArrayBuffer({})", size * 4),
    };
    g.line(&format!("const {ia} = new {ctor}({backing});"));
    let i = g.rng.range(0, 4);
    let v = elem(g);
    let op = g
        .rng
        .pick(&["add", "sub", "and", "or", "xor", "exchange", "store"])
        .to_string();
    let expected = elem(g);
    g.open("try {");
    g.log_expr(&format!(
        "Atomics.{op}({ia}, {i}, {v}), Atomics.load({ia}, {i}), Atomics.compareExchange({ia}, 0, {expected}, 9), {ia}"
    ));
    g.close("} catch (e) {");
    g.indent_more_log_error();
}

fn buffer_ops(g: &mut Gen, st: &mut State) {
    if st.node_buffers.is_empty() {
        return declare_node_buffer(g, st);
    }
    let b = g.rng.pick(&st.node_buffers).clone();
    let off = g.rng.range(0, 6);
    let (ty, _size) = *g.rng.pick(&[
        ("UInt8", 1usize),
        ("Int8", 1),
        ("UInt16LE", 2),
        ("UInt16BE", 2),
        ("Int16LE", 2),
        ("Int32BE", 4),
        ("UInt32LE", 4),
        ("FloatLE", 4),
        ("DoubleBE", 8),
        ("Uint16LE", 2),
    ]);
    let expr = match g.rng.below(16) {
        0 => format!(
            "{b}.toString(\"{}\")",
            g.rng.pick(&["utf8", "hex", "base64", "latin1", "base64url"])
        ),
        1 => format!("{b}.toString(\"hex\", {off}, {})", off + 3),
        2 => {
            let s = g.var("s");
            let (from, to, v) = (g.rng.range(0, 2), g.rng.range(2, 5), elem(g));
            g.line(&format!("const {s} = {b}.slice({from}, {to});"));
            g.line(&format!("if ({s}.length) {s}[0] = {v};"));
            format!("{s}, {b}")
        }
        3 => {
            g.open("try {");
            g.log_expr(&format!("{b}.read{ty}({off})"));
            g.close("} catch (e) {");
            g.indent_more_log_error();
            return;
        }
        4 => {
            let v = g.rng.pick(&["1", "-1", "255", "256", "1.5", "-200", "65535", "70000"]);
            g.open("try {");
            g.log_expr(&format!("{b}.write{ty}({v}, {off}), {b}"));
            g.close("} catch (e) {");
            g.indent_more_log_error();
            return;
        }
        5 => format!(
            "{b}.indexOf(\"{n}\"), {b}.includes(\"{n}\"), {b}.lastIndexOf(\"{n}\")",
            n = g.rng.pick(&["l", "lo", "a", "", "zz"])
        ),
        6 => format!(
            "{b}.equals(Buffer.from(\"abc\")), {b}.compare(Buffer.from(\"b\")), Buffer.compare({b}, Buffer.alloc(1))"
        ),
        7 => {
            let text = g.rng.pick(&["XY", "hé", "1234567"]).to_string();
            g.open("try {");
            g.log_expr(&format!("{b}.write(\"{text}\", {off}), {b}"));
            g.close("} catch (e) {");
            g.indent_more_log_error();
            return;
        }
        8 => format!("{b}.fill({}, {off}), {b}", g.rng.pick(&["\"ab\"", "0", "65", "\"\""])),
        9 => {
            let other = g.rng.pick(&st.node_buffers).clone();
            format!("{b}.copy({other}, {off}), {other}")
        }
        10 => format!("JSON.stringify({b}), {b}.toJSON().data.length"),
        11 => format!("[...{b}].slice(0, 4), {b}.map((x) => x + 1)"),
        12 => format!("Buffer.byteLength({b}), Buffer.byteLength(\"héllo\"), Buffer.isBuffer({b})"),
        13 => format!("Buffer.concat([{b}, {b}], {})", g.rng.range(0, 12)),
        14 => format!("{b}.subarray({off}), {b}.reverse()"),
        _ => {
            let ab = g.var("ab");
            g.line(&format!("const {ab} = new ArrayBuffer(6);"));
            let s = g.var("shared");
            let (off, v) = (g.rng.range(0, 3), elem(g));
            g.line(&format!("const {s} = Buffer.from({ab}, {off}, 3);"));
            g.line(&format!("{s}[1] = {v};"));
            format!("new Uint8Array({ab}), {s}.byteOffset, {s}.buffer === {ab}")
        }
    };
    g.log_expr(&expr);
}

fn clone(g: &mut Gen, st: &mut State) {
    let what = match g.rng.below(4) {
        0 if !st.node_buffers.is_empty() => g.rng.pick(&st.node_buffers).clone(),
        1 if !st.buffers.is_empty() => st.buffers[g.rng.below(st.buffers.len())].0.clone(),
        2 if !st.views.is_empty() => st.views[g.rng.below(st.views.len())].0.clone(),
        _ => match any_array(g, st) {
            Some((a, _)) => a,
            None => return declare_array(g, st),
        },
    };
    let c = g.var("c");
    g.line(&format!(
        "const {c} = structuredClone({{ x: {what}, y: {what} }});"
    ));
    g.log_expr(&format!("{c}.x, {c}.x === {c}.y, {c}.x === {what}"));
}

fn errors(g: &mut Gen) {
    let bad = g
        .rng
        .pick(&[
            "new Uint8Array(-1)",
            "new Uint16Array(new ArrayBuffer(3))",
            "new Int32Array(new ArrayBuffer(8), 2)",
            "new Float64Array(new ArrayBuffer(8), 0, 2)",
            "Uint8Array(2)",
            "new ArrayBuffer(-1)",
            "new Uint8Array(2).set([1, 2, 3])",
            "new Uint8Array(2).set([1], -1)",
            "Uint8Array.prototype.fill.call([], 0)",
            "new DataView({})",
            "new DataView(new ArrayBuffer(2), 3)",
            "new DataView(new ArrayBuffer(2), 1, 2)",
            "new DataView(new ArrayBuffer(4)).getFloat64(0)",
            "Atomics.add(new Float64Array(2), 0, 1)",
            "Atomics.load(new Int32Array(2), 5)",
            "new Uint8Array(1).map(1)",
            "new Int8Array(0).reduce((a, b) => a + b)",
            "Buffer.alloc(-1)",
            "Buffer.from(5)",
            "Buffer.concat([1])",
            "Buffer.alloc(2).readInt8(1.5)",
            "Buffer.alloc(2).writeUInt8(300)",
            "Buffer.alloc(4).writeInt16BE(1, 3)",
            "new Uint8Array(2).with(5, 1)",
        ])
        .to_string();
    g.open("try {");
    g.log_expr(&bad);
    g.close("} catch (e) {");
    g.indent_more_log_error();
}

/// Several views over one buffer: writes through one are seen through the others.
fn shared_views(g: &mut Gen, st: &mut State) {
    if st.buffers.is_empty() {
        return declare_buffer(g, st);
    }
    let (b, len) = st.buffers[g.rng.below(st.buffers.len())].clone();
    let (k1, k2) = (kind(g), kind(g));
    let (c1, s1) = KINDS[k1];
    let (c2, s2) = KINDS[k2];
    let x = g.var("x");
    let y = g.var("y");
    let off2 = s2 * g.rng.range(0, ((len / s2) as i64 - 1).max(0)) as usize;
    g.line(&format!("const {x} = new {c1}({b}, 0, {});", len / s1));
    g.line(&format!("const {y} = new {c2}({b}, {off2});"));
    let i = g.rng.range(0, 3);
    let v = elem(g);
    g.line(&format!("{x}[{i}] = {v};"));
    g.log_expr(&format!("{x}, {y}, {y}.buffer === {b}"));
    if st.top {
        st.arrays.push((x, k1));
        st.arrays.push((y, k2));
    }
}

impl Gen {
    /// Closes a `catch (e) {` opened by the caller: prints the error's name, code and message.
    fn indent_more_log_error(&mut self) {
        self.indent += 1;
        let l = self.label();
        self.line(&format!("console.log(\"{l}\", e.name, e.code, e.message);"));
        self.close("}");
    }
}
