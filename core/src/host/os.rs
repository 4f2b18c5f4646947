//! Node's `os`: `cpus()` (one "Looplab Virtual CPU" per [`crate::RunOptions::cores`]),
//! `availableParallelism()`, `platform()` (always `linux`) and `EOL`.

use crate::value::Value;
use crate::vm::{JsResult, Vm};

fn os_cpus(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    let n = vm.host.cpu_count.max(1);
    let mut items = vec![];
    for _ in 0..n {
        let o = vm.new_object();
        vm.put(o, "model", Value::str("Looplab Virtual CPU"));
        vm.put(o, "speed", Value::Num(2400.0));
        let times = vm.new_object();
        for k in ["user", "nice", "sys", "idle", "irq"] {
            vm.put(times, k, Value::Num(0.0));
        }
        vm.put(o, "times", Value::Obj(times));
        items.push(Value::Obj(o));
    }
    Ok(vm.new_array(items))
}
fn os_parallelism(vm: &mut Vm, _t: Value, _args: &[Value], _d: &[Value]) -> JsResult {
    Ok(Value::Num(vm.host.cpu_count.max(1) as f64))
}

/// Registers the `os` module.
pub fn install(vm: &mut Vm) {
    let os = super::new_module(vm, "os");
    vm.method(os, "cpus", 0, os_cpus);
    vm.method(os, "availableParallelism", 0, os_parallelism);
    vm.put(os, "EOL", Value::str("\n"));
    vm.method(os, "platform", 0, |_, _, _, _| Ok(Value::str("linux")));
}
