//! Small facts about the browser the page runs in: cross-origin isolation, core count, clocks,
//! and where the workers' module is (its URL, its compiled form, loading it on the page).

use js_sys::{JsString, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `import.meta.url` of the wasm-bindgen JS glue: workers import this URL to load the module.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MAIN_JS_URL: JsString;
}

/// The URL of this module's JS glue.
pub fn main_js_url() -> String {
    MAIN_JS_URL.with(|url| String::from(url.clone()))
}

/// The file name Trunk gives the workers' module's JS glue (a worker module keeps its crate's
/// name, unhashed; `static/index.html` builds it next to the page's own glue).
pub const WORKERS_JS: &str = "looplab-workers.js";

/// The URL of the workers' module's JS glue (what a worker passes to `import()`), next to this
/// module's glue.
pub fn workers_js_url() -> String {
    let main = main_js_url();
    let dir = main.rfind('/').map_or("", |i| &main[..=i]);
    format!("{dir}{WORKERS_JS}")
}

#[cfg(feature = "ui")]
#[wasm_bindgen(inline_js = r#"
const compiled = new Map();
// The workers' module, compiled once per page (off the main thread: compiling is asynchronous)
// and handed to every lab worker, so a fresh worker only instantiates it.
export function compileWorkers(jsUrl) {
  const wasmUrl = jsUrl.replace(/\.js$/, '_bg.wasm');
  if (!compiled.has(wasmUrl)) {
    const module = WebAssembly.compileStreaming(fetch(wasmUrl))
      .catch(() => fetch(wasmUrl).then((r) => r.arrayBuffer()).then((b) => WebAssembly.compile(b)));
    module.catch(() => compiled.delete(wasmUrl));
    compiled.set(wasmUrl, module);
  }
  return compiled.get(wasmUrl);
}
let here = null;
// The workers' module instantiated on the page itself (only the lab's "main thread" demo).
export function loadWorkersHere(jsUrl) {
  if (!here) {
    here = Promise.all([import(jsUrl), compileWorkers(jsUrl)]).then(async ([glue, module]) => {
      await glue.default({ module_or_path: module });
      return glue;
    });
    here.catch(() => { here = null; });
  }
  return here;
}
"#)]
extern "C" {
    /// Resolves with the workers' module compiled (a `WebAssembly.Module`), once per page.
    #[wasm_bindgen(js_name = compileWorkers)]
    pub fn compile_workers(js_url: &str) -> js_sys::Promise;
    /// Resolves with the workers' module instantiated on the page (its JS glue's exports).
    #[wasm_bindgen(js_name = loadWorkersHere)]
    pub fn load_workers_here(js_url: &str) -> js_sys::Promise;
}

fn global_property(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `crossOriginIsolated`: true only when the page was served with COOP `same-origin` and COEP
/// `require-corp`. Without it the browser hides `SharedArrayBuffer`, so wasm threads can't start.
/// (web-sys has no binding for it on `Window`, so it is read by name.)
pub fn cross_origin_isolated() -> bool {
    global_property("crossOriginIsolated")
        .as_bool()
        .unwrap_or(false)
}

/// Whether this browser has `SharedArrayBuffer` at all (it does only when isolated).
pub fn shared_array_buffer_available() -> bool {
    !global_property("SharedArrayBuffer").is_undefined()
}

/// `navigator.hardwareConcurrency` (logical cores the browser reports), at least 1.
pub fn hardware_concurrency() -> u32 {
    let navigator = global_property("navigator");
    Reflect::get(&navigator, &JsValue::from_str("hardwareConcurrency"))
        .ok()
        .and_then(|v| v.as_f64())
        .map(|n| n.max(1.0) as u32)
        .unwrap_or(1)
}

/// `performance.now()` in milliseconds, on the page or in a worker.
pub fn now_ms() -> f64 {
    let performance = global_property("performance");
    Reflect::get(&performance, &JsValue::from_str("now"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&performance).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}
