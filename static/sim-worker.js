// The simulator worker: one instance of Looplab's wasm module (no thread pool) that runs
// JavaScript programs through looplab-core, off the page's main thread.
// Protocol (see web/src/playground/client.rs): the page posts { op: 'init', mainJs, module }
// once, then { op: 'run', id, source, settings }; the worker answers with any number of
// { op: 'progress', id, steps } and then { op: 'done', id, result } or { op: 'error', id, message }.
// The page cancels a run by terminating this worker.
let ready = null;

self.addEventListener('message', async (event) => {
  const msg = event.data;
  // wasm-bindgen-rayon's own messages carry `type`, ours carry `op`.
  if (!msg || typeof msg.op !== 'string') return;
  try {
    if (msg.op === 'init') {
      ready = import(msg.mainJs).then(async (wasm) => {
        await wasm.default({ module_or_path: msg.module });
        return wasm;
      });
      await ready;
    } else if (msg.op === 'run') {
      if (!ready) throw new Error('the worker was not initialised');
      const wasm = await ready;
      const result = wasm.sim_run(msg.id, msg.source, msg.settings);
      postMessage({ op: 'done', id: msg.id, result });
    } else {
      postMessage({ op: 'error', id: msg.id, message: `unknown request ${msg.op}` });
    }
  } catch (e) {
    postMessage({ op: 'error', id: msg.id ?? 0, message: String((e && e.message) || e) });
  }
});
