// End-to-end tests of stepping through a run in the playground (dist/), as a learner would:
// every gallery example and a hand-written #code= link, from the end back to the start and
// forward again, with the console at each end matching `looplab run`; every pane's content on a
// known step of the nextTick-vs-promise example; the stepping keys (and that the editor keeps
// its own keys); the current statement highlighted in the editor. Also measures seeking at
// 100 k steps (scrubber input to rendered pane, and a fast drag that must not queue up work)
// and counts main-thread long tasks over the session; the numbers go to
// artifacts/playground-steps-metrics.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARTIFACTS, serveDist, launchBrowser, openPage, screenshot, assertNoLongTasks,
  EXAMPLES_DIR, SLUGS, ensureLooplab, looplabLines, looplabTrace, settledConsole, consoleLines, codeShown, openEditor,
  openLink,
} from './harness.mjs';

let server;
let browser;
const metrics = {};

before(async () => {
  ensureLooplab();
  server = await serveDist({ isolated: true });
  browser = await launchBrowser();
});

after(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'playground-steps-metrics.json'), JSON.stringify(metrics, null, 2));
  console.log('playground stepping metrics', JSON.stringify(metrics));
  await browser?.close();
  await server?.close();
});

/** The step counter: [index shown, number of steps]. */
async function counter(page) {
  const el = await page.$('[data-testid="step-counter"]');
  return [Number(await el.getAttribute('data-step')), Number(await el.getAttribute('data-len'))];
}

/** Waits until the panes show step `step`. */
async function atStep(page, step) {
  await page.waitForSelector(`[data-testid="panes"][data-step="${step}"]`, { timeout: 20_000 });
  assert.equal((await counter(page))[0], step);
}

/** Starts a long-task observer; returns a function that reads what it saw. */
async function observeLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: false });
  });
  return () => page.evaluate(() => window.__longTasks);
}

test('every example and a #code= link: back to the start and forward again, consoles match looplab run', async (t) => {
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=${SLUGS[0]}`);
  await settledConsole(page);
  const longTasks = [];
  const source = "const p = new Promise((r) => setTimeout(() => r('late'), 5));\np.then((v) => console.log('then', v));\nsetImmediate(() => console.error('immediate'));\nconsole.log('sync');\n";
  const runs = [
    ...SLUGS.map((slug) => ({ name: slug, url: `${server.url}#ex=${slug}`, code: readFileSync(join(EXAMPLES_DIR, `${slug}.js`), 'utf8') })),
    { name: '#code=', url: `${server.url}#code=${Buffer.from(source).toString('base64url')}`, code: source },
  ];
  for (const run of runs) {
    await openLink(page, run.url);
    const expected = looplabLines(run.code);
    // A finished run opens at its last step, with the whole console.
    assert.deepEqual(await settledConsole(page), expected, run.name);
    const [, len] = await counter(page);
    assert.ok(len > 5, `${run.name}: ${len} steps`);
    await atStep(page, len - 1);
    // Long tasks while stepping (each page load is over by now).
    const seen = await observeLongTasks(page);
    // Back to the start: nothing printed yet, the main module about to run.
    await page.click('[data-testid="reset"]');
    await atStep(page, 0);
    assert.deepEqual(await consoleLines(page), { stdout: [], stderr: [] }, run.name);
    assert.equal(await page.getAttribute('[data-testid="phase"]', 'data-phase'), 'main');
    // Forward again, one step, a few steps, one step back, then to the end.
    await page.click('[data-testid="step-forward"]');
    await atStep(page, 1);
    for (let i = 0; i < 3; i++) await page.click('[data-testid="step-forward"]');
    await atStep(page, 4);
    await page.click('[data-testid="step-back"]');
    await atStep(page, 3);
    await page.click('[data-testid="run-to-end"]');
    await atStep(page, len - 1);
    assert.deepEqual(await consoleLines(page), expected, `${run.name} after stepping`);
    assert.equal(await page.getAttribute('[data-testid="phase"]', 'data-phase'), 'exit');
    // Walking forward step by step prints the lines one at a time (short runs).
    if (len <= 150) {
      await page.click('[data-testid="reset"]');
      await atStep(page, 0);
      let printed = 0;
      const all = [...expected.stdout, ...expected.stderr].length;
      for (let i = 1; i < len; i++) {
        await page.keyboard.press('ArrowRight');
        await atStep(page, i);
        const n = await page.$$eval('[data-testid="console-line"]', (l) => l.length);
        assert.ok(n === printed || n === printed + 1, `${run.name} step ${i}: ${printed} -> ${n} lines`);
        printed = n;
      }
      assert.equal(printed, all, run.name);
    }
    longTasks.push(...await seen());
  }
  metrics.long_tasks_stepping_session = longTasks;
  await assertNoLongTasks(t, longTasks, assert);
  assert.deepEqual(problems, []);
  await context.close();
});

test('every pane on a known step of the queues example (inside the timer callback, after its last line)', async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=queues&step=24`);
  await settledConsole(page);
  await atStep(page, 24);
  const text = async (id) => (await page.textContent(`[data-testid="${id}"]`)).replace(/\s+/g, ' ').trim();
  assert.match(await text('narration'), /Printed to stdout: timer callback: end/);
  assert.equal(await page.getAttribute('[data-testid="narration"]', 'aria-live'), 'polite');
  assert.equal(await page.getAttribute('[data-testid="narration"]', 'data-rule'), 'console.output');
  // Call stack: the timer callback's frame on top of nothing else, at line 8.
  assert.equal(await page.getAttribute('[data-testid="call-stack"]', 'data-depth'), '1');
  assert.match(await text('call-stack'), /\(anonymous\) line 8/);
  assert.match(await text('current-callback'), /timer queue/);
  // One job on each queue, the microtask a reaction to promise #1.
  assert.match(await text('nexttick-queue'), /^\(anonymous\)$/);
  assert.match(await text('microtask-queue'), /reaction\s*\(anonymous\) · promise #1/);
  assert.equal(await page.getAttribute('[data-testid="immediate-queue"]', 'data-count'), '1');
  // The inner setTimeout(0) is due at 2 ms, on the time axis.
  assert.match(await text('timers'), /due 2 ms\s*\(anonymous\)/);
  assert.equal(await page.$$eval('.pg-axis-dot', (d) => d.length), 1);
  // Nothing on the network or the thread pool: four idle lanes.
  assert.match(await text('pending-io'), /No I\/O in flight/);
  assert.equal(await page.getAttribute('[data-testid="thread-pool"]', 'data-slots'), '4');
  assert.equal(await page.getAttribute('[data-testid="thread-pool"]', 'data-busy'), '0');
  // Promise #1 (Promise.resolve()) is fulfilled and awaited by the handler, whose then made #2.
  const promises = await page.$$eval('[data-testid="promises"] tbody tr', (rows) => rows.map((r) =>
    [...r.cells].map((c) => c.textContent.replace(/\s+/g, ' ').trim()).join(' | ')));
  assert.deepEqual(promises, ['#1 | fulfilled | undefined | (anonymous) → #2', '#2 | pending | — | nobody yet']);
  assert.equal(await page.$$eval('[data-testid="promise-chains"] .pg-chain-node', (n) => n.length), 2);
  // The timers phase is lit; the clock has passed 1 ms.
  assert.equal(await page.getAttribute('[data-testid="phase"]', 'data-phase'), 'timers');
  assert.equal(await page.$$eval('.pg-phase-box.lit', (b) => b.map((x) => x.textContent)).then((l) => l.length), 1);
  assert.match(await text('clock'), /virtual clock 1\.\d+ ms/);
  // The console so far: the two lines of the timer callback.
  assert.deepEqual(await consoleLines(page), { stdout: ['timer callback: start', 'timer callback: end'], stderr: [] });
  // The statement being run is highlighted in the read-only code, and in the editor once opened.
  await codeShown(page);
  await page.waitForSelector('[data-testid="code-view"] [data-testid="editor-step"]');
  assert.equal(await page.textContent('[data-testid="editor-step"]'), "console.log('timer callback: end');");
  await openEditor(page);
  await page.waitForSelector('.cm-editor [data-testid="editor-step"]');
  assert.equal(await page.textContent('.cm-editor [data-testid="editor-step"]'), "console.log('timer callback: end');");
  assert.deepEqual(problems, []);
  await context.close();
});

test('keys step (not while typing in the editor); step over and callbacks jump; play plays', async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=queues`);
  await settledConsole(page);
  const [, len] = await counter(page);
  await page.keyboard.press('Home');
  await atStep(page, 0);
  await page.keyboard.press('ArrowRight');
  await atStep(page, 1);
  await page.keyboard.press('ArrowRight');
  await atStep(page, 2);
  await page.keyboard.press('ArrowLeft');
  await atStep(page, 1);
  // Shift+→: to the next macrotask (the outer timer's callback), then the immediate.
  await page.keyboard.press('Shift+ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="narration"]')?.dataset.rule === 'run.timer');
  const [timerStep] = await counter(page);
  await page.keyboard.press('Shift+ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="narration"]')?.dataset.rule === 'run.immediate');
  await page.keyboard.press('Shift+ArrowLeft');
  await atStep(page, timerStep);
  // Step over from a statement of the callback goes to its next statement, not into calls.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await atStep(page, timerStep + 2);
  assert.match(await page.textContent('[data-testid="narration"]'), /Line 3/);
  await page.click('[data-testid="step-over"]');
  await page.waitForFunction(() => /Line 4/.test(document.querySelector('[data-testid="narration"]')?.textContent));
  await page.keyboard.press('End');
  await atStep(page, len - 1);
  // In the editor, arrows move the cursor, not the trace.
  await openEditor(page);
  await page.click('.cm-content');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Home');
  await page.waitForTimeout(300);
  assert.equal((await counter(page))[0], len - 1);
  // Space plays from the start (outside the editor), and pauses.
  await page.click('[data-testid="reset"]');
  await atStep(page, 0);
  await page.selectOption('.pg-speed select', '30');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Space');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-counter"]').dataset.step) >= 5);
  assert.equal(await page.getAttribute('[data-testid="play"]', 'aria-pressed'), 'true');
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('[data-testid="play"]', 'aria-pressed'), 'false');
  const [paused] = await counter(page);
  await page.waitForTimeout(400);
  assert.equal((await counter(page))[0], paused);
  assert.deepEqual(problems, []);
  await context.close();
});

// About 100 k steps: a loop of statements and variable writes.
const LONG = 'let total = 0;\nfor (let i = 0; i < 34000; i++) {\n  total += i % 7;\n}\nconsole.log(total);\n';

test('seeking at 100 k steps: scrubber input to rendered pane, and a fast drag does not queue up', async (t) => {
  const { context, page, problems } = await openPage(browser, `${server.url}#code=${Buffer.from(LONG).toString('base64url')}`);
  assert.deepEqual(await settledConsole(page), looplabLines(LONG));
  const [, len] = await counter(page);
  assert.ok(len >= 100_000, `${len} steps`);
  await atStep(page, len - 1);
  await page.waitForTimeout(500);
  const seekLongTasks = await observeLongTasks(page);
  // One seek at a time: set the scrubber, wait until the panes show that step.
  const seek = (target) => page.evaluate((target) => new Promise((resolve) => {
    const t0 = performance.now();
    const done = () => document.querySelector(`[data-testid="panes"][data-step="${target}"]`);
    const observer = new MutationObserver(() => {
      if (done()) { observer.disconnect(); resolve(performance.now() - t0); }
    });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-step'] });
    const input = document.querySelector('[data-testid="scrubber"]');
    input.value = String(target);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }), target);
  const times = [];
  let x = 12345;
  for (let i = 0; i < 40; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    times.push(await seek(x % len));
  }
  times.sort((a, b) => a - b);
  const median = times[times.length >> 1];
  const p90 = times[Math.floor(times.length * 0.9)];
  metrics.seek_steps = len;
  metrics.seek_ms = { median: +median.toFixed(1), p90: +p90.toFixed(1), max: +times.at(-1).toFixed(1) };
  t.diagnostic(`seek at ${len} steps: median ${median.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms (target < 16 ms)`);
  metrics.long_tasks_seeking = await seekLongTasks();
  await assertNoLongTasks(t, metrics.long_tasks_seeking, assert);
  // A synthetic burst (all inputs in one task, faster than any real drag) is measured apart.
  const burstLongTasks = await observeLongTasks(page);
  // A fast drag: 300 positions in one go. Only a few views are rendered, the last one is the
  // final position, and it arrives about as fast as a single seek would.
  const drag = await page.evaluate((len) => new Promise((resolve) => {
    const input = document.querySelector('[data-testid="scrubber"]');
    const shown = new Set();
    const last = Math.floor(len / 3);
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      const panes = document.querySelector('[data-testid="panes"]');
      shown.add(panes.dataset.step);
      if (panes.dataset.step === String(last)) {
        observer.disconnect();
        resolve({ rendered: shown.size, ms: performance.now() - t0 });
      }
    });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-step'] });
    for (let i = 300; i >= 1; i--) {
      input.value = String(Math.floor(last + i * 97) % len);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    input.value = String(last);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }), len);
  metrics.drag_301_positions = { views_rendered: drag.rendered, ms_to_final: +drag.ms.toFixed(1) };
  t.diagnostic(`drag of 301 positions: ${drag.rendered} views rendered, final one after ${drag.ms.toFixed(1)} ms`);
  assert.ok(drag.rendered <= 5, `${drag.rendered} views rendered for one drag`);
  metrics.drag_301_positions.long_tasks = await burstLongTasks();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a nondeterministic point shows both possible orders', async () => {
  const source = "setTimeout(() => console.log('timeout'), 0);\nsetImmediate(() => console.log('immediate'));\n";
  const trace = looplabTrace(source);
  const step = trace.steps.find((s) => s.rule === 'nondeterminism.timeout-vs-immediate').step;
  const { context, page, problems } = await openPage(browser, `${server.url}#code=${Buffer.from(source).toString('base64url')}&step=${step}`);
  await settledConsole(page);
  await atStep(page, step);
  assert.equal(await page.getAttribute('[data-testid="narration"]', 'data-rule'), 'nondeterminism.timeout-vs-immediate');
  const orders = await page.$$eval('[data-testid="alternatives"] p', (p) => p.map((x) => x.textContent));
  assert.equal(orders.length, 2);
  assert.match(orders[0], /^Timer first/);
  assert.match(orders[1], /^Immediate first/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the thread pool and the network in flight, mid-run (screenshots in light and dark, desktop and phone)', async () => {
  const read = (slug) => readFileSync(join(EXAMPLES_DIR, `${slug}.js`), 'utf8');
  // Six pbkdf2 calls on four threads: right after the second one had to wait.
  const pool = looplabTrace(read('threadpool'));
  const waiting = pool.steps.filter((s) => s.rule === 'threadpool.wait')[1].step;
  // Promise.all: right after its third request went out.
  const net = looplabTrace(read('promise-all'));
  const inFlight = net.steps.filter((s) => s.rule === 'io.network.start')[5].step;
  for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    for (const scheme of ['light', 'dark']) {
      const { context, page, problems } = await openPage(browser, `${server.url}#ex=threadpool&step=${waiting}`, { viewport, colorScheme: scheme });
      await settledConsole(page);
      await atStep(page, waiting);
      assert.equal(await page.getAttribute('[data-testid="thread-pool"]', 'data-busy'), '4');
      assert.equal(await page.$$eval('[data-testid="thread-pool"] .pg-lane.busy', (l) => l.length), 4);
      assert.match(await page.textContent('[data-testid="pool-queue"]'), /Waiting for a free thread: crypto\.pbkdf2, crypto\.pbkdf2/);
      // On a phone the panes are tabs: show the thread pool's.
      if (label === 'phone') await page.click('[role="tab"][data-tab="io"]');
      await screenshot(page, `playground-steps-threadpool-${label}-${scheme}`);
      await openLink(page, `${server.url}#ex=promise-all&step=${inFlight}`);
      await settledConsole(page);
      await atStep(page, inFlight);
      const io = await page.$$eval('[data-testid="pending-io"] .pg-job', (l) => l.map((x) => x.textContent));
      assert.equal(io.length, 3, io.join(' | '));
      assert.ok(io.every((x) => x.startsWith('in flight')), io.join(' | '));
      assert.deepEqual(io.map((x) => x.match(/GET http:\/\/(\w+)\.example/)[1]), ['users', 'orders', 'prices']);
      if (label === 'phone') await page.click('[role="tab"][data-tab="io"]');
      await screenshot(page, `playground-steps-network-${label}-${scheme}`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});
