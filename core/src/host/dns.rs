//! Node's `dns.lookup` on the virtual network: `localhost` is 127.0.0.1, the hosts a run
//! declares ([`crate::RunOptions::network`]) are 10.0.0.1, 10.0.0.2, … in order (Node's
//! answers depend on the machine, so only their shape can match); anything else fails with
//! `ENOTFOUND`. A lookup runs on the simulated thread pool ([`super::threadpool`]), as
//! `getaddrinfo` does in Node.

use super::errors::set_code;
use super::threadpool::require_cb;
use crate::builtins::arg;
use crate::recorder::IoKind;
use crate::value::Value;
use crate::vm::{JsResult, Vm};

/// The virtual address of a host name, if it resolves.
pub fn address_of(vm: &Vm, host: &str) -> Option<String> {
    if host == "localhost" {
        return Some("127.0.0.1".into());
    }
    vm.host
        .network
        .iter()
        .position(|h| h.host == host)
        .map(|i| format!("10.0.0.{}", i + 1))
}
fn dns_lookup(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let cb = require_cb(vm, args)?;
    let host = vm.to_string(&arg(args, 0))?;
    let cost = vm.host.cost.dns_lookup_ns;
    let cb_args = match address_of(vm, &host) {
        Some(a) => vec![Value::Null, Value::str(&a), Value::Num(4.0)],
        None => {
            let e = vm.make_error(
                vm.realm.error_proto,
                &format!("getaddrinfo ENOTFOUND {host}"),
            );
            set_code(vm, &e, "ENOTFOUND");
            if let Value::Obj(o) = e {
                vm.put(o, "hostname", Value::str(&host));
            }
            vec![e]
        }
    };
    vm.pool_submit(IoKind::Dns, format!("dns.lookup {host}"), cost, cb, cb_args);
    Ok(Value::Undefined)
}

/// Registers the `dns` module.
pub fn install(vm: &mut Vm) {
    let dns = super::new_module(vm, "dns");
    vm.method(dns, "lookup", 2, dns_lookup);
}
