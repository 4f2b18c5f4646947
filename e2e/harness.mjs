// Shared set-up for the end-to-end tests: a static server for dist/ (with or without the
// cross-origin isolation headers) and Debian's headless Chromium driven by playwright-core.
import { createServer } from 'node:http';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..');
export const DIST = join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'artifacts');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

/** Serves dist/ on 127.0.0.1 (a free port). `isolated` adds COOP/COEP like scripts/serve. */
export async function serveDist({ isolated = true } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(DIST, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
                        'Cache-Control': 'no-store' };
      if (isolated) {
        headers['Cross-Origin-Opener-Policy'] = 'same-origin';
        headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** Opens a page and collects console errors and uncaught page errors. */
export async function openPage(browser, url, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(String(err)));
  await page.goto(url);
  return { context, page, problems };
}

export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Fills the lab's thread list, runs it, and returns the result rows' attributes. */
export async function runLab(page, threads, { timeout = 120_000, expectRows } = {}) {
  await page.getByTestId('lab-threads').fill(threads);
  await page.getByTestId('lab-run').click();
  const expected = expectRows ?? threads.split(',').length;
  await page.waitForFunction(
    ({ n }) => document.querySelectorAll('[data-testid="lab-result"]').length >= n &&
      !document.querySelector('[data-testid="lab-run"]').disabled,
    // Polled on a timer, not on every animation frame (the default): frames forced by the test
    // would take CPU from the kernel being measured.
    { n: expected }, { timeout, polling: 250 });
  return page.$$eval('[data-testid="lab-result"]', (rows) => rows.map((r) => ({
    threads: Number(r.dataset.threads), ms: Number(r.dataset.ms), checksum: r.dataset.checksum,
  })));
}

/**
 * Checks main-thread long tasks (> 50 ms). The Long Tasks API measures wall-clock time, so on an
 * overloaded machine (1-minute load average above the core count) a short task can be reported
 * as long: then the tasks are only reported, not asserted.
 */
export async function assertNoLongTasks(t, longTasks, assert) {
  const { loadavg, cpus } = await import('node:os');
  const load = loadavg()[0];
  const cores = cpus().length;
  if (load > cores) {
    t.diagnostic(`load average ${load.toFixed(1)} on ${cores} cores: long tasks not asserted (${longTasks.join(', ') || 'none'} ms)`);
    return;
  }
  assert.deepEqual(longTasks, [], `main-thread long tasks: ${longTasks.join(', ')} ms`);
}

/**
 * The two ways to run one job at k = 1..N threads in one page load, measured in the page against
 * the lab worker's protocol (static/lab-worker.js):
 * - `fresh`: a new lab worker per k, whose rayon global pool gets k threads (what the lab does);
 * - `subpool`: one lab worker without a global pool that, per k, starts k thread workers and
 *   builds a k-thread pool on them (web/src/lab/worker.rs, `SubPool`), then drops it.
 * Returns `{ fresh: [{ k, startMs, kernelMs, checksum, threads }], subpool: { startMs, runs:
 * [{ k, startMs, buildMs, kernelMs, checksum, threads }] } }`; kernel times are medians of
 * `repeats`, start-up times run from the request to a ready pool.
 */
export async function comparePoolStrategies(page, { threads, kernel = 'Mandelbrot', size = 0.25, repeats = 3 }) {
  return page.evaluate(async ({ threads, kernel, size, repeats }) => {
    // The workers' module, compiled once as the page does (web/src/platform.rs).
    const moduleJs = new URL('./looplab-workers.js', location.href).href;
    const module = await WebAssembly.compileStreaming(fetch(new URL('./looplab-workers_bg.wasm', location.href)));
    const request = { spec: { kernel, size, schedule: 'WorkStealing', chunks_hint: 0 }, repeats };
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ask = (worker, msg) => new Promise((ok, fail) => {
      worker.onmessage = (e) => {
        if (e.data?.op === 'error') fail(new Error(e.data.message));
        else if (e.data?.op === 'ready' || e.data?.op === 'result') ok(e.data);
      };
      worker.onerror = (e) => fail(new Error(e.message || 'the lab worker failed'));
      worker.postMessage(msg);
    });
    const start = async (k) => {
      const t0 = performance.now();
      const worker = new Worker('./lab-worker.js', { type: 'module' });
      await ask(worker, { op: 'init', moduleJs, module, threads: k });
      return { worker, startMs: performance.now() - t0 };
    };
    const job = async (worker) => {
      const { report } = await ask(worker, { op: 'job', request, globalPool: true, live: false });
      return { kernelMs: median(report.times_ms), checksum: report.checksum, threads: report.threads };
    };
    const fresh = [];
    for (const k of threads) {
      const { worker, startMs } = await start(k);
      try {
        fresh.push({ k, startMs, ...(await job(worker)) });
      } finally {
        worker.terminate();
      }
    }
    const { worker, startMs } = await start(0);
    const runs = [];
    try {
      for (const k of threads) {
        const t0 = performance.now();
        const { buildMs } = await ask(worker, { op: 'subpool-start', threads: k });
        const poolStartMs = performance.now() - t0;
        runs.push({ k, startMs: poolStartMs, buildMs, ...(await job(worker)) });
        await ask(worker, { op: 'subpool-stop' });
      }
    } finally {
      worker.terminate();
    }
    return { fresh, subpool: { startMs, runs } };
  }, { threads, kernel, size, repeats });
}

// ---- the playground

export const EXAMPLES_DIR = join(ROOT, 'web/src/playground/examples');
export const SLUGS = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.js')).map((f) => f.slice(0, -3)).sort();
const LOOPLAB = join(ROOT, 'target/release/looplab');
// The playground's virtual network, passed to `looplab run` the way the page's runs see it.
const HOST_ARGS = JSON.parse(readFileSync(join(EXAMPLES_DIR, 'network.json'), 'utf8'))
  .flatMap((h) => ['--host', `${h.host}@${h.latency_ms}:${h.body_json}`]);

/** Builds `looplab` (release) if it is missing. */
export function ensureLooplab() {
  if (!existsSync(LOOPLAB)) {
    execFileSync('cargo', ['build', '--release', '-p', 'looplab-cli', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  }
}

/** Runs `looplab COMMAND` on `source` (written to a file) on the playground's network. */
function looplab(command, source) {
  const dir = mkdtempSync(join(tmpdir(), 'looplab-e2e-'));
  const file = join(dir, 'main.js');
  writeFileSync(file, source);
  return spawnSync(LOOPLAB, [command, ...HOST_ARGS, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** What `looplab run` prints for `source` (on the playground's network), line by line per stream. */
export function looplabLines(source) {
  const { stdout, stderr } = looplab('run', source);
  const split = (text) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
  return { stdout: split(stdout), stderr: split(stderr) };
}

/** The trace `looplab trace` writes for `source` (on the playground's network), parsed. */
export function looplabTrace(source) {
  return JSON.parse(looplab('trace', source).stdout);
}

/** The console pane's lines by stream. */
export async function consoleLines(page) {
  return page.$$eval('[data-testid="console"] [data-testid="console-line"]', (lines) => ({
    stdout: lines.filter((l) => l.dataset.stream === 'stdout').map((l) => l.querySelector('.pg-line-text').textContent),
    stderr: lines.filter((l) => l.dataset.stream === 'stderr').map((l) => l.querySelector('.pg-line-text').textContent),
  }));
}

/**
 * Opens a playground link as a fresh load, the way a visitor following it arrives (a pasted link
 * in an open page is tested on its own in playground.test.mjs).
 */
export async function openLink(page, url) {
  await page.goto('about:blank');
  await page.goto(url);
}

/**
 * Presses "Run" if the page still waits for the learner to start the simulator (a fresh load
 * shows the code only, see web/src/playground/state.rs `simulator`).
 */
export async function startSimulator(page) {
  // The start panel is rendered with the playground itself: once that is there, it is too.
  await page.waitForSelector('[data-testid="playground"]', { timeout: 30_000 });
  const run = page.locator('[data-testid="start-panel"] [data-testid="run"]');
  if (await run.count()) await run.click();
}

/** Starts the simulator if needed, waits for the run of the current code to finish, and returns
 * the console lines by stream. */
export async function settledConsole(page) {
  await startSimulator(page);
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid="run-status"]');
    const pane = document.querySelector('.pg-console');
    // Idle alone is also the state before the first run starts: wait for a finished run too.
    const exited = document.querySelector('[data-testid="exit-code"]');
    return status && status.dataset.state === 'idle' && exited && pane && !pane.classList.contains('pg-stale');
  }, null, { timeout: 60_000 });
  return consoleLines(page);
}

/**
 * Waits for the code as the page first shows it: the read-only view (CodeMirror loads only when
 * the learner edits), or the editor if it was opened already.
 */
export async function codeShown(page) {
  await page.waitForSelector('[data-testid="code-view"] code, [data-testid="editor"][data-ready="true"] .cm-content',
    { timeout: 30_000 });
}

/** Opens the editor the way a learner would (the "Edit" button) unless it is open; waits for it. */
export async function openEditor(page) {
  await codeShown(page);
  if (await page.$('[data-testid="editor"][data-mode="view"]')) await page.click('[data-testid="edit-code"]');
  await page.waitForSelector('[data-testid="editor"][data-ready="true"] .cm-content', { timeout: 30_000 });
}

/** Replaces the editor's text the way a user would (open the editor, select all, type). */
export async function typeCode(page, text) {
  await openEditor(page);
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}
