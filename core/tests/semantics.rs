//! End-to-end checks of tricky semantics, compared with what Node prints.

use looplab_core::{run, RunOptions};

fn out(src: &str) -> (String, i32) {
    let src = src.to_string();
    let o = std::thread::Builder::new()
        .stack_size(1 << 28)
        .spawn(move || run(&src, &RunOptions::default()))
        .unwrap()
        .join()
        .expect("no panic");
    (o.stdout, o.exit_code)
}

#[test]
fn tdz_is_a_reference_error() {
    let (s, c) = out("try { x; } catch (e) { console.log(e.name, e.message); } let x = 1;");
    assert_eq!(
        s,
        "ReferenceError Cannot access 'x' before initialization\n"
    );
    assert_eq!(c, 0);
}

#[test]
fn var_vs_let_closures() {
    let (s, _) = out("var a=[],b=[]; for (var i=0;i<3;i++) a.push(()=>i); for (let j=0;j<3;j++) b.push(()=>j); console.log(a.map(f=>f()), b.map(f=>f()));");
    assert_eq!(s, "[ 3, 3, 3 ] [ 0, 1, 2 ]\n");
}

#[test]
fn finally_runs_on_return_and_break() {
    let (s, _) = out("function f(){ try { return 1; } finally { console.log('fin'); } } console.log(f()); for (const x of [1,2]) { try { break; } finally { console.log('b', x); } }");
    assert_eq!(s, "fin\n1\nb 1\n");
}

#[test]
fn generators_and_spread() {
    let (s, _) = out("function* g(){ yield 1; yield* [2,3]; return 4; } console.log([...g()]); const it = g(); console.log(it.next(), it.next().value);");
    assert_eq!(s, "[ 1, 2, 3 ]\n{ value: 1, done: false } 2\n");
}

#[test]
fn unbounded_recursion_is_catchable() {
    let (s, c) = out("function r(){ return r(); } try { r(); } catch (e) { console.log(e instanceof RangeError, e.message); }");
    assert_eq!(s, "true Maximum call stack size exceeded\n");
    assert_eq!(c, 0);
}

#[test]
fn budget_stops_infinite_loops() {
    let o = run(
        "while (true) {}",
        &RunOptions {
            instruction_budget: 10_000,
            ..Default::default()
        },
    );
    assert_eq!(o.exit_code, looplab_core::EXIT_BUDGET);
    assert!(o.stderr.contains("stopped after"));
}

#[test]
fn busy_wait_on_virtual_clock_terminates() {
    let (s, _) = out(
        "const end = Date.now() + 50; let n = 0; while (Date.now() < end) n++; console.log(n > 0);",
    );
    assert_eq!(s, "true\n");
}

#[test]
fn unsupported_features_are_refused_up_front() {
    let o = run("console.log('x'); const r = /a/;", &RunOptions::default());
    assert_eq!(o.stdout, "");
    assert_eq!(o.exit_code, 1);
    assert!(
        o.stderr
            .starts_with("unsupported: regular expressions at 1:29"),
        "{}",
        o.stderr
    );
}

#[test]
fn syntax_errors_exit_1() {
    let o = run("let = = 3;", &RunOptions::default());
    assert_eq!(o.exit_code, 1);
    assert!(o.stderr.contains("SyntaxError"));
}

#[test]
fn garbage_inputs_do_not_panic() {
    for src in [
        "",
        "}",
        "((((",
        "a.b.c.d()",
        "new new new",
        "x = x + ",
        "\u{0}\u{1}",
        "`${`",
        "class { }",
        "null.x",
        "undefined()",
        "[...1]",
        "for (const x of 5) {}",
        "throw 1",
        "Promise.reject(1)",
        "let a = {}; a.a = a; console.log(a)",
        "JSON.parse('{')",
        "new Array(-1)",
        "'x'.repeat(-1)",
    ] {
        let o = run(
            src,
            &RunOptions {
                instruction_budget: 1_000_000,
                ..Default::default()
            },
        );
        assert!(
            o.exit_code == 0 || o.exit_code == 1,
            "{src:?} -> {}",
            o.exit_code
        );
    }
}

#[test]
fn number_grouping_in_arrays() {
    let (s, _) = out("console.log([1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,100]);");
    assert_eq!(
        s,
        "[\n   1,   2,  3,  4,  5,  6,  7,  8,  9,\n  10,  11, 12, 13, 14, 15, 16, 17, 18,\n  19,  20, 21, 22, 23, 24, 25, 26, 27,\n  28, 100\n]\n"
    );
}

#[test]
fn private_class_members() {
    let (s, _) = out("class C { #n = 1; static #k = 2; #m() { return this.#n + C.#k; } run() { this.#n += 40; return this.#m(); } static has(o) { return #n in o; } } const c = new C(); console.log(c.run(), C.has(c), C.has({}), c);");
    assert_eq!(s, "43 true false C {}\n");
}

#[test]
fn sloppy_this_is_global_and_strict_this_is_undefined() {
    let (s, _) = out("function f() { return this === globalThis; } function g() { 'use strict'; return this; } console.log(f(), g());");
    assert_eq!(s, "true undefined\n");
}

#[test]
fn break_out_of_for_of_closes_generators() {
    let (s, _) = out("function* g() { try { yield 1; yield 2; } finally { console.log('cleanup'); } } for (const v of g()) { console.log(v); break; } const it = g(); it.next(); console.log(it.return(9), it.next());");
    assert_eq!(
        s,
        "1\ncleanup\ncleanup\n{ value: 9, done: true } { value: undefined, done: true }\n"
    );
}
