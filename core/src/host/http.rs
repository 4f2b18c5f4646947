//! Node's `http`/`https` (`get`) and the global `fetch` on the virtual network: requests go to
//! the hosts a run declares ([`crate::RunOptions::network`]). Network I/O does not use the
//! thread pool: a request completes in the poll phase after the host's latency, so concurrent
//! requests overlap (three parallel fetches take about one latency, three sequential ones
//! three). `fetch` and `http` themselves are written in JavaScript in the prelude on top of
//! the native `netRequest(url, cb)` defined here; servers of the machine itself
//! (`localhost`) are reached over the loopback network of [`super::net`].

use super::event_loop::IoCompletion;
use crate::builtins::arg;
use crate::recorder::{Event, IoKind};
use crate::value::{ObjId, Value};
use crate::vm::{JsResult, Vm};

/// A host of the virtual network.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct HostSpec {
    /// Host name, e.g. `api.example.com`.
    pub host: String,
    /// Round-trip time of one request in virtual milliseconds.
    pub latency_ms: u64,
    /// The response body every path of this host returns (JSON text).
    pub body_json: String,
}

/// The host part of a URL (`http://h:80/p` → `h`).
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map(|x| x.1).unwrap_or(url);
    let hostport = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let hostport = hostport.rsplit('@').next().unwrap_or(hostport);
    hostport.split(':').next().unwrap_or(hostport)
}

/// netRequest(url, cb): cb(null, status, body) or cb(err) in the poll phase.
fn net_request(vm: &mut Vm, _t: Value, args: &[Value], _d: &[Value]) -> JsResult {
    let url = vm.to_string(&arg(args, 0))?;
    let cb = arg(args, 1);
    let host = host_of(&url).to_string();
    let spec = vm.host.network.iter().find(|h| h.host == host).cloned();
    let (latency_ns, cb_args) = match spec {
        Some(h) => (
            h.latency_ms * 1_000_000,
            vec![Value::Null, Value::Num(200.0), Value::str(&h.body_json)],
        ),
        None => {
            let e = vm.make_error(
                vm.realm.error_proto,
                &format!("getaddrinfo ENOTFOUND {host}"),
            );
            super::errors::set_code(vm, &e, "ENOTFOUND");
            (vm.host.cost.dns_lookup_ns, vec![e])
        }
    };
    vm.host.seq += 1;
    let id = vm.host.seq;
    let due = vm.clock_ns + latency_ns;
    if vm.recording() {
        let label = format!("GET {url}");
        vm.recorder.event(Event::IoStarted {
            id,
            kind: IoKind::Network,
            label: &label,
            due_ns: due,
        });
    }
    vm.host.io.push(IoCompletion {
        due_ns: due,
        seq: id,
        callback: cb,
        args: cb_args,
    });
    Ok(Value::Undefined)
}

/// Wires `netRequest` into the prelude and `fetch` into the program's realm (`http` and
/// `https` are built by [`super::net::load_http`] on first `require`).
pub fn install(vm: &mut Vm, prelude: ObjId) {
    let f = vm.make_native("netRequest", 2, net_request, vec![]);
    vm.put(prelude, "netRequest", Value::Obj(f));
    let pv = Value::Obj(prelude);
    if let Ok(fetch @ Value::Obj(_)) = vm.get_by_name(&pv, "fetch") {
        let g = vm.realm.global;
        vm.put_hidden(g, "fetch", fetch);
    }
}
