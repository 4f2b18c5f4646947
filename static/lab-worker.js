// The lab worker: one instance of the workers' wasm module (looplab-workers, compiled once by the
// page and posted here) with its own shared memory and, when the
// page is cross-origin isolated, a rayon pool of k threads (wasm-bindgen-rayon sub-workers).
// The page talks to it one request at a time (see web/src/lab/client.rs); while a Mandelbrot job
// runs, the worker has already posted a `live` message with its memory so the page can watch.
// The `echo` request needs no wasm at all: it is the far end of the messaging benchmark.
let wasm = null;
// What 'init' received (the module's JS glue URL and compiled wasm), for the sub-pool's threads.
let init = null;
let threadWorkers = [];

function startThread(memory, handover) {
  return new Promise((ok, fail) => {
    const worker = new Worker('./lab-thread.js', { type: 'module' });
    worker.onmessage = ({ data }) => (data.op === 'thread-ready' ? ok(worker) : fail(new Error(data.message)));
    worker.onerror = (e) => fail(new Error(e.message || 'a sub-pool thread failed to start'));
    worker.postMessage({ op: 'thread', moduleJs: init.moduleJs, module: init.module, memory, handover });
  });
}

function touch(bytes) {
  // Read and write one byte at each end, so the receiver really has the payload in hand.
  if (bytes.length > 0) {
    bytes[0] = (bytes[0] + 1) & 0xff;
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] + 1) & 0xff;
  }
}

self.addEventListener('message', async (event) => {
  const msg = event.data;
  // wasm-bindgen-rayon's own messages carry `type`, ours carry `op`.
  if (!msg || typeof msg.op !== 'string') return;
  try {
    if (msg.op === 'echo') {
      // clone: the payload was copied to us and is copied back; transfer: ownership moves
      // both ways, no copy; shared: both sides see the same SharedArrayBuffer, nothing moves.
      touch(new Uint8Array(msg.payload));
      if (msg.method === 'transfer') postMessage({ op: 'echo', payload: msg.payload }, [msg.payload]);
      else postMessage({ op: 'echo', payload: msg.payload });
    } else if (msg.op === 'init') {
      init = { moduleJs: msg.moduleJs, module: msg.module };
      wasm = await import(msg.moduleJs);
      await wasm.default({ module_or_path: msg.module });
      const poolStart = performance.now();
      if (msg.threads > 0) await wasm.initThreadPool(msg.threads);
      postMessage({
        op: 'ready',
        poolMs: performance.now() - poolStart,
        sharedMemory: wasm.lab_memory_is_shared(),
        threads: msg.threads > 0 ? msg.threads : 1,
      });
    } else if (msg.op === 'job') {
      if (msg.live) {
        const live = wasm.lab_prepare_live(msg.request);
        // Posting a shared WebAssembly.Memory shares it (allowed only when isolated).
        if (live) postMessage({ op: 'live', ...live });
      }
      const report = wasm.lab_run_job(msg.request, msg.globalPool);
      postMessage({ op: 'result', report });
    } else if (msg.op === 'subpool-start') {
      // The measured alternative to a fresh worker per k (scripts/bench-lab): this worker starts
      // k thread workers of its own and builds a k-thread rayon pool on them; jobs then run there
      // until 'subpool-stop'.
      const started = performance.now();
      const { memory, handover } = wasm.lab_subpool_prepare(msg.threads);
      threadWorkers = await Promise.all(Array.from({ length: msg.threads }, () => startThread(memory, handover)));
      const buildMs = wasm.lab_subpool_build();
      postMessage({ op: 'ready', startMs: performance.now() - started, buildMs, threads: msg.threads });
    } else if (msg.op === 'subpool-stop') {
      wasm.lab_subpool_drop();
      for (const worker of threadWorkers) worker.terminate();
      threadWorkers = [];
      postMessage({ op: 'result' });
    } else if (msg.op === 'race') {
      const outcome = wasm.lab_race(msg.update, msg.increments, msg.globalPool);
      postMessage({ op: 'result', outcome });
    } else {
      postMessage({ op: 'error', message: `unknown request ${msg.op}` });
    }
  } catch (e) {
    postMessage({ op: 'error', message: String((e && e.message) || e) });
  }
});
