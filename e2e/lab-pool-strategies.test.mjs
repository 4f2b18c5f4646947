// Issue 2's two ways to run one job at several thread counts in one page load: a fresh worker
// per k, and one worker hosting a k-thread pool per job on its global pool. Both must compute the
// same thing with the asked number of threads; scripts/bench-lab reports their costs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage, screenshot, comparePoolStrategies } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist({ isolated: true }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('fresh worker per k and a sub-pool per k give the same checksums with k threads', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  await page.getByTestId('lab-run').waitFor();
  const result = await comparePoolStrategies(page, { threads: [1, 2, 3], size: 0.02, repeats: 1 });
  console.log(JSON.stringify(result));
  const checksums = new Set([...result.fresh, ...result.subpool.runs].map((r) => r.checksum));
  assert.equal(checksums.size, 1, `one checksum for every strategy and k: ${[...checksums]}`);
  assert.deepEqual(result.fresh.map((r) => r.threads), [1, 2, 3]);
  assert.deepEqual(result.subpool.runs.map((r) => r.threads), [1, 2, 3]);
  for (const r of [...result.fresh, ...result.subpool.runs]) {
    assert.ok(r.startMs > 0 && Number.isFinite(r.startMs), `start-up measured: ${JSON.stringify(r)}`);
  }
  // An absurd thread count is refused with a message, and the worker stays usable.
  const refused = await page.evaluate(async () => {
    const moduleJs = new URL('./looplab-workers.js', location.href).href;
    const module = new URL('./looplab-workers_bg.wasm', location.href).href;
    const worker = new Worker('./lab-worker.js', { type: 'module' });
    const ask = (msg) => new Promise((ok) => { worker.onmessage = (e) => ok(e.data); worker.postMessage(msg); });
    await ask({ op: 'init', moduleJs, module, threads: 0 });
    const answer = await ask({ op: 'subpool-start', threads: 1000 });
    worker.terminate();
    return answer;
  });
  assert.equal(refused.op, 'error');
  assert.match(refused.message, /a sub-pool has 1 to 64 threads, not 1000/);
  await screenshot(page, 'lab-pool-strategies');
  assert.deepEqual(problems, []);
  await context.close();
});
