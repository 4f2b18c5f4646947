// Measures the playground's first load and prints the numbers (also to
// artifacts/playground-metrics.json): bytes on the wire (gzip) split by wasm / JS / CSS for the
// first view and for the lazily loaded editor, time until the first run's output is on screen,
// time until the editor is ready, and main-thread long tasks after the first load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, DIST, serveDist, launchBrowser, openPage, assertNoLongTasks } from './harness.mjs';

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

test('first load: size, time to interactive, long tasks', async (t) => {
  // Warm the browser's compile cache? No: a fresh context per measurement, as a first visit.
  const { context, page, problems } = await openPage(browser, 'about:blank');
  const fetched = new Map();
  page.on('response', (r) => { if (r.url().startsWith(server.url)) fetched.set(r.url(), kind(r.url())); });
  await page.goto(`${server.url}#ex=queues`);
  await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.dataset.state === 'idle' &&
    document.querySelectorAll('[data-testid="console-line"]').length > 0, null, { timeout: 60_000 });
  const firstOutputMs = await page.evaluate(() => performance.now());
  await page.waitForSelector('[data-testid="editor"][data-ready="true"]');
  const editorMs = await page.evaluate(() => performance.now());
  const ttiMs = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return nav.domInteractive;
  });
  // Long tasks from here on, during ordinary use.
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
      .observe({ type: 'longtask' });
  });
  for (const slug of ['microtasks', 'async-await', 'io-immediate', 'busy-loop']) {
    await page.click(`[data-testid="example-${slug}"]`);
    await page.waitForFunction(() => document.querySelector('[data-testid="run-status"]')?.dataset.state === 'idle' &&
      !document.querySelector('.pg-console').classList.contains('pg-stale'), null, { timeout: 60_000 });
  }
  const longTasks = await page.evaluate(() => window.__long);

  const bytes = { wasm: 0, js: 0, css: 0, html: 0, editor: 0, other: 0 };
  for (const [url, k] of fetched) {
    const file = join(DIST, decodeURIComponent(new URL(url).pathname));
    try { bytes[k] += gzipSync(readFileSync(file.endsWith('/') ? join(file, 'index.html') : file), { level: 9 }).length; } catch { /* not a file */ }
  }
  const firstView = bytes.wasm + bytes.js + bytes.css + bytes.html;
  const metrics = {
    gzip_bytes: bytes, first_view_gzip_bytes: firstView,
    dom_interactive_ms: Math.round(ttiMs), first_output_ms: Math.round(firstOutputMs),
    editor_ready_ms: Math.round(editorMs), long_tasks_after_load: longTasks,
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'playground-metrics.json'), JSON.stringify(metrics, null, 2));
  console.log('playground metrics', JSON.stringify(metrics));
  // The target is 600 KB (goal 400 KB); today's build is ~690 KB, mostly the simulator's JS parser
  // and the lab's kernels in one module. This guards against regressions until it is split.
  if (firstView > 600 * 1024) t.diagnostic(`first view ${firstView} B gzip is over the 600 KB target`);
  // A guard against growth, not the target: with the engine, parser, trace recorder, narration
  // and stepping panes in the page's one module the first view is ~1.1 MB gzip today (target
  // 600 KB, missed; see the issue notes). Recording traces for stepping added ~75 KB.
  assert.ok(firstView <= 1150 * 1024, `first view ${firstView} B gzip`);
  await assertNoLongTasks(t, longTasks, assert);
  assert.deepEqual(problems, []);
  await context.close();
});
