// One thread of a lab sub-pool (see SubPool in web/src/lab/worker.rs): started by a lab worker,
// it instantiates the same module on the lab worker's shared memory, says it is ready, then
// takes one rayon thread from the sub-pool's channel and runs it until the pool is dropped.
self.addEventListener('message', async ({ data }) => {
  if (!data || data.op !== 'thread') return;
  try {
    const wasm = await import(data.moduleJs);
    await wasm.default({ module_or_path: data.module, memory: data.memory });
    postMessage({ op: 'thread-ready' });
    wasm.lab_subpool_thread(data.handover);
  } catch (e) {
    postMessage({ op: 'error', message: String((e && e.message) || e) });
  }
}, { once: true });
