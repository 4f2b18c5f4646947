// The lab worker: one instance of Looplab's wasm module with its own shared memory and, when the
// page is cross-origin isolated, a rayon pool of k threads (wasm-bindgen-rayon sub-workers).
// The page talks to it one request at a time (see web/src/lab/client.rs).
let wasm = null;

self.addEventListener('message', async (event) => {
  const msg = event.data;
  // wasm-bindgen-rayon's own messages carry `type`, ours carry `op`.
  if (!msg || typeof msg.op !== 'string') return;
  try {
    if (msg.op === 'init') {
      wasm = await import(msg.mainJs);
      await wasm.default({ module_or_path: msg.module });
      const poolStart = performance.now();
      if (msg.threads > 0) await wasm.initThreadPool(msg.threads);
      postMessage({
        op: 'ready',
        poolMs: performance.now() - poolStart,
        sharedMemory: wasm.lab_memory_is_shared(),
        threads: msg.threads > 0 ? msg.threads : 1,
      });
    } else if (msg.op === 'mandelbrot') {
      const result = wasm.lab_run_mandelbrot(msg.job, msg.globalPool);
      postMessage({ op: 'result', report: result.report, rgba: result.rgba },
                  [result.rgba.buffer]);
    } else {
      postMessage({ op: 'error', message: `unknown request ${msg.op}` });
    }
  } catch (e) {
    postMessage({ op: 'error', message: String((e && e.message) || e) });
  }
});
