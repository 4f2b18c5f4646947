//! Snapshot tests of the compiler's output.

use expect_test::expect;

#[test]
fn simple_function_bytecode() {
    let p = looplab_core::compile("function add(a, b) { return a + b; }\nlet x = add(1, 2);")
        .expect("compiles");
    expect![[r#"
        fn #0 "" Script params=5 env=8
             0  Arg(0)
             1  InitVar 0:1
             2  Arg(1)
             3  InitVar 0:2
             4  Arg(2)
             5  InitVar 0:3
             6  Arg(3)
             7  InitVar 0:4
             8  Arg(4)
             9  InitVar 0:5
            10  Closure(1)
            11  InitVar 0:6
            12  GetVar 0:6
            13  Undef
            14  Num(1.0)
            15  Num(2.0)
            16  Call(2)
            17  InitVar 0:7
            18  Undef
            19  Return
        fn #1 "add" Normal params=2 env=3
             0  Arg(0)
             1  InitVar 0:1
             2  Arg(1)
             3  InitVar 0:2
             4  GetVar 0:1
             5  GetVar 0:2
             6  Add
             7  Return
             8  Undef
             9  Return
    "#]]
    .assert_eq(&p.disassemble());
}
