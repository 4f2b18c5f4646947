// Measures the playground's first load and prints the numbers (also to
// artifacts/playground-metrics.json): every request of the first view with its bytes raw and
// gzip, totals split by wasm / JS / CSS / HTML / other, the time until the app is mounted and
// until the page is interactive (the code shown, "Run" ready, the network quiet); then what the
// first run fetches (the simulator's module) and how long until its output is on screen; then
// what the first edit fetches (the editor) and how long it takes; and main-thread long tasks
// after the first load. A second test times the simulator itself in its worker on programs from
// bench/ (artifacts/simulator-speed.json), so a build-flag change that trades speed for size
// shows what it cost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ARTIFACTS, DIST, ROOT, serveDist, launchBrowser, openPage, screenshot, assertNoLongTasks } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serveDist({ isolated: true }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

const kind = (url) => {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.endsWith('.css')) return 'css';
  if (path.endsWith('.js') || path.endsWith('.mjs')) return path.includes('/editor/') ? 'editor' : 'js';
  if (path.endsWith('.html') || path.endsWith('/')) return 'html';
  return 'other';
};

// The first view is everything a first visit fetches, without any input, until the page is
// interactive: the app mounted, the example's code shown with the "Run" button, and the network
// quiet for QUIET_MS. Neither the simulator (a second WebAssembly module, loaded on the first
// run: web/src/playground/state.rs, `simulator`) nor the editor (loaded on the first edit) is
// part of it; the test fails if the page fetches either without input, and measures both on
// their own.
const QUIET_MS = 1000;
const FIRST_VIEW_TARGET = 600 * 1024; // issue 5's target
const FIRST_VIEW_GOAL = 400 * 1024; // the project's goal
// A guard against growth: issue 14's cap for the first view (300 KB gzip); the multi-file
// project and the run settings brought the build to 298.4 KB.
const FIRST_VIEW_GUARD = 300 * 1000;

const sizes = (entries) => {
  const gzip = { wasm: 0, js: 0, css: 0, html: 0, editor: 0, other: 0 };
  const raw = { ...gzip };
  const requests = [];
  for (const [url, k] of entries) {
    const path = decodeURIComponent(new URL(url).pathname);
    const file = join(DIST, path.endsWith('/') ? join(path, 'index.html') : path);
    let body;
    try { body = readFileSync(file); } catch { continue; /* not a file of dist/ */ }
    const zipped = gzipSync(body, { level: 9 }).length;
    gzip[k] += zipped;
    raw[k] += body.length;
    requests.push({ path, kind: k, raw: body.length, gzip: zipped });
  }
  const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
  return { gzip, raw, requests, total: sum(gzip), total_raw: sum(raw) };
};

test('first load: size, time to interactive, first run, first edit, long tasks', async (t) => {
  // A fresh context, as a first visit: nothing cached, no compiled module in the browser's cache.
  const { context, page, problems } = await openPage(browser, 'about:blank');
  const fetched = new Map();
  let lastResponse = Date.now();
  // Context-wide, so that the workers' requests count too.
  context.on('response', (r) => {
    lastResponse = Date.now();
    if (r.url().startsWith(server.url)) fetched.set(r.url(), kind(r.url()));
  });
  const quiet = async () => { while (Date.now() - lastResponse < QUIET_MS) await page.waitForTimeout(100); };
  // When the Yew app first puts something into #app: from then on its controls answer.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.getElementById('app')?.childElementCount > 0) {
        window.__appMountedMs = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${server.url}#ex=queues`);
  await page.waitForSelector('[data-testid="start-panel"] [data-testid="run"]');
  await page.waitForSelector('[data-testid="code-view"] code');
  const interactiveMs = await page.evaluate(() => performance.now());
  await quiet();
  const firstView = sizes([...fetched]);
  assert.deepEqual(firstView.requests.filter((r) => r.kind === 'editor'), [], 'the editor is fetched only on the first edit');
  assert.ok(!firstView.requests.some((r) => r.path.includes('looplab-workers')),
    `the simulator is fetched only on the first run: ${firstView.requests.map((r) => r.path)}`);
  const { domInteractiveMs, appMountedMs } = await page.evaluate(() => ({
    domInteractiveMs: performance.getEntriesByType('navigation')[0].domInteractive,
    appMountedMs: window.__appMountedMs,
  }));
  // Long tasks from here on, during ordinary use: the first run (loading the simulator), the
  // first edit (loading the editor), then a few examples.
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
      .observe({ type: 'longtask' });
  });
  // The first run.
  fetched.clear();
  const runClickedMs = await page.evaluate(() => performance.now());
  await page.click('[data-testid="start-panel"] [data-testid="run"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.dataset.state === 'idle' &&
    document.querySelectorAll('[data-testid="console-line"]').length > 0, null, { timeout: 60_000 });
  const firstOutputMs = await page.evaluate(() => performance.now());
  await quiet();
  const firstRun = sizes([...fetched]);
  assert.ok(firstRun.requests.some((r) => r.path.includes('looplab-workers')), 'the first run loads the simulator');
  // The first edit: a click into the code brings the editor.
  fetched.clear();
  const editClickedMs = await page.evaluate(() => performance.now());
  await page.click('[data-testid="code-view"] code');
  await page.waitForSelector('[data-testid="editor"][data-ready="true"] .cm-content:focus');
  const editorMs = await page.evaluate(() => performance.now());
  await quiet();
  const firstEdit = sizes([...fetched]);
  for (const slug of ['microtasks', 'async-await', 'io-immediate', 'busy-loop']) {
    await page.click(`[data-testid="example-${slug}"]`);
    await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.dataset.state === 'idle' &&
      !document.querySelector('.pg-console').classList.contains('pg-stale'), null, { timeout: 60_000 });
  }
  const longTasks = await page.evaluate(() => window.__long);

  const metrics = {
    first_view_gzip_bytes: firstView.total, first_view_raw_bytes: firstView.total_raw,
    gzip_bytes: firstView.gzip, raw_bytes: firstView.raw, requests: firstView.requests,
    on_first_run_gzip_bytes: firstRun.total, on_first_run_raw_bytes: firstRun.total_raw,
    on_first_run_requests: firstRun.requests,
    on_first_edit_gzip_bytes: firstEdit.total, on_first_edit_raw_bytes: firstEdit.total_raw,
    on_first_edit_requests: firstEdit.requests,
    dom_interactive_ms: Math.round(domInteractiveMs), app_mounted_ms: Math.round(appMountedMs),
    interactive_ms: Math.round(interactiveMs),
    first_run_output_after_click_ms: Math.round(firstOutputMs - runClickedMs),
    editor_after_click_ms: Math.round(editorMs - editClickedMs),
    long_tasks_after_load: longTasks,
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'playground-metrics.json'), JSON.stringify(metrics, null, 2));
  console.log('playground metrics', JSON.stringify(metrics));
  if (firstView.total > FIRST_VIEW_TARGET) t.diagnostic(`first view ${firstView.total} B gzip is over the 600 KB target`);
  else if (firstView.total > FIRST_VIEW_GOAL) t.diagnostic(`first view ${firstView.total} B gzip: under the target, over the 400 KB goal`);
  assert.ok(firstView.total <= FIRST_VIEW_GUARD, `first view ${firstView.total} B gzip (guard ${FIRST_VIEW_GUARD} B)`);
  await assertNoLongTasks(t, longTasks, assert);
  assert.deepEqual(problems, []);
  await screenshot(page, 'playground-first-load');
  await context.close();
});

// The simulator's speed where learners meet it: a fresh simulator worker per program (the same
// sim-worker.js the page uses), the best of a few runs of `elapsed_ms` as the worker reports it
// (compile + run, progress reporting included). Each run must print what node prints.
const SPEED_PROGRAMS = ['fib.js', 'closures.js'];
const SPEED_RUNS = 3;

test('simulator speed in its worker (bench programs)', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  await page.waitForFunction(() => window.wasmBindings !== undefined, null, { timeout: 60_000 });
  const speed = {};
  for (const name of SPEED_PROGRAMS) {
    const file = join(ROOT, 'bench', name);
    const source = readFileSync(file, 'utf8');
    const expected = execFileSync('node', [file], { encoding: 'utf8' }).trimEnd().split('\n');
    const runs = await page.evaluate(async ({ source, runs }) => {
      const moduleJs = new URL('./looplab-workers.js', location.href).href;
      const worker = new Worker('./sim-worker.js', { type: 'module' });
      const ask = (msg) => new Promise((resolve, reject) => {
        worker.onmessage = (e) => {
          if (e.data.op === 'done') resolve(e.data.result);
          else if (e.data.op === 'error') reject(new Error(e.data.message));
        };
        worker.postMessage(msg);
      });
      // The worker answers runs only after its init has finished (it queues them behind it).
      worker.postMessage({ op: 'init', moduleJs });
      const results = [];
      for (let i = 0; i < runs; i++) {
        const r = await ask({ op: 'run', id: i + 1, source, settings: { pool: 4, io_us: 1000, instr_ns: 10 } });
        results.push({ ms: r.elapsed_ms, steps: r.steps, console: r.console.map((l) => l.text), exit: r.exit_code });
      }
      worker.terminate();
      return results;
    }, { source, runs: SPEED_RUNS });
    for (const r of runs) {
      assert.equal(r.exit, 0, `${name} exit code`);
      assert.deepEqual(r.console, expected, `${name} prints what node prints`);
    }
    speed[name] = { best_ms: Math.round(Math.min(...runs.map((r) => r.ms))), steps: runs[0].steps };
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'simulator-speed.json'), JSON.stringify(speed, null, 2));
  console.log('simulator speed', JSON.stringify(speed));
  assert.deepEqual(problems, []);
  await context.close();
});
