// The simulator worker: one instance of the workers' wasm module (looplab-workers, no thread
// pool) that runs JavaScript programs through looplab-core, off the page's main thread, and
// keeps the last run's trace to answer view requests (web/src/playground/worker.rs).
// Protocol (see web/src/playground/client.rs): the page posts { op: 'init', moduleJs } (the
// URL of that module's JS glue; the glue fetches the .wasm next to it) once, then { op: 'run', id, source, settings, project? } (project: { files, main }, when the
// program has more files than its main one); the worker answers with any number of
// { op: 'progress', id, steps } and then { op: 'done', id, result } or { op: 'error', id, message }.
// { op: 'view', seq, run, from, nav } asks for the view of a step of run `run`'s trace; the answer is
// { op: 'view', view } or { op: 'view-error', message }. The page sends one view request at a
// time. The page cancels a run by terminating this worker.
// When the engine traps (a panic is an `unreachable` trap in the page's build; a stack overflow
// inside wasm is a RangeError), the instance may be left in any state: the worker answers
// { op: 'crash', message }, refuses everything after, and the page replaces it.
let ready = null;
let crashed = null;

// Reports `e` as a crash when it came out of the engine's wasm code itself.
function crash(e) {
  if (!(e instanceof WebAssembly.RuntimeError || e instanceof RangeError)) return false;
  crashed = String(e.message || e);
  postMessage({ op: 'crash', id: 0, message: crashed });
  return true;
}

self.addEventListener('message', async (event) => {
  const msg = event.data;
  // wasm-bindgen-rayon's own messages carry `type`, ours carry `op`.
  if (!msg || typeof msg.op !== 'string') return;
  if (crashed) {
    postMessage({ op: 'error', id: msg.id ?? 0, message: `the simulator crashed earlier (${crashed})` });
    return;
  }
  if (msg.op === 'view') {
    try {
      if (!ready) throw new Error('the worker was not initialised');
      const wasm = await ready;
      postMessage({ op: 'view', id: 0, view: wasm.sim_view(msg.seq, msg.run, msg.from, msg.nav) });
    } catch (e) {
      if (!crash(e)) postMessage({ op: 'view-error', id: 0, message: String((e && e.message) || e) });
    }
    return;
  }
  try {
    if (msg.op === 'init') {
      ready = import(msg.moduleJs).then(async (wasm) => {
        await wasm.default();
        return wasm;
      });
      await ready;
    } else if (msg.op === 'run') {
      if (!ready) throw new Error('the worker was not initialised');
      const wasm = await ready;
      const result = wasm.sim_run(msg.id, msg.source, msg.settings, msg.project);
      postMessage({ op: 'done', id: msg.id, result });
    } else {
      postMessage({ op: 'error', id: msg.id, message: `unknown request ${msg.op}` });
    }
  } catch (e) {
    if (!crash(e)) postMessage({ op: 'error', id: msg.id ?? 0, message: String((e && e.message) || e) });
  }
});
