//! `stream` and `stream/promises`: written in JavaScript (`prelude.js`, `exports.stream`, a
//! re-implementation of Node 20's `lib/internal/streams`), built on the first `require` of
//! either name and cached in the module table, so programs without streams run none of it.

use crate::value::Value;
use crate::vm::{JsResult, Vm};

/// Builds the `stream` module and `stream/promises`, registers both, and returns the one
/// named `key`.
pub fn load(vm: &mut Vm, key: &str) -> JsResult {
    let factory = super::prelude_get(vm, "stream");
    let built = vm.call(&factory, Value::Undefined, &[])?;
    let stream = vm.get_by_name(&built, "stream")?;
    let promises = vm.get_by_name(&built, "promises")?;
    vm.host.modules.insert("stream".into(), stream.clone());
    vm.host
        .modules
        .insert("stream/promises".into(), promises.clone());
    Ok(if key == "stream/promises" {
        promises
    } else {
        stream
    })
}
