// End-to-end tests of the playground against the built site (dist/): every gallery example and
// hand-written #code= links print in the page exactly what `looplab run` prints for the same
// code; editing re-runs, syntax errors show inline and keep the last run greyed; code survives a
// reload; reset to example is undoable; a long program shows progress, stays responsive and can
// be cancelled; no main-thread long task (> 50 ms) after the first load. Screenshots of every
// example in light and dark, desktop and phone widths go to artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  serveDist, launchBrowser, openPage, screenshot, assertNoLongTasks,
  EXAMPLES_DIR, SLUGS, ensureLooplab, looplabLines, settledConsole, codeShown, typeCode, openLink,
} from './harness.mjs';

let server;
let browser;

before(async () => {
  ensureLooplab();
  server = await serveDist({ isolated: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('every gallery example prints what looplab run prints, in light and dark, desktop and phone', async () => {
  assert.ok(SLUGS.length >= 9, `found ${SLUGS.length} examples`);
  for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    for (const scheme of ['light', 'dark']) {
      const { context, page, problems } = await openPage(browser, server.url, { viewport, colorScheme: scheme });
      for (const slug of SLUGS) {
        await openLink(page, `${server.url}#ex=${slug}`);
        const shown = await settledConsole(page);
        const expected = looplabLines(readFileSync(join(EXAMPLES_DIR, `${slug}.js`), 'utf8'));
        assert.deepEqual(shown, expected, `${slug} (${label}, ${scheme})`);
        assert.equal(await page.getAttribute(`[data-testid="example-${slug}"]`, 'aria-current'), 'true');
        await codeShown(page);
        await screenshot(page, `playground-${slug}-${label}-${scheme}`);
      }
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});

/** Steps back from the end (with the arrow key) until a statement is marked in the code. */
async function stepToAStatement(page) {
  await page.keyboard.press('End');
  for (let i = 0; i < 20 && !(await page.$('[data-testid="code-view"] [data-testid="editor-step"]')); i++) {
    await page.keyboard.press('ArrowLeft');
    await page.waitForTimeout(100);
  }
  await page.waitForSelector('[data-testid="code-view"] [data-testid="editor-step"]');
}

test('the code is read-only until the first edit: highlighted, no editor fetched; a click puts the caret there', async () => {
  const { context, page, problems } = await openPage(browser, 'about:blank');
  const editorRequests = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.includes('/editor/')) editorRequests.push(r.url()); });
  await openLink(page, `${server.url}#ex=queues`);
  await settledConsole(page);
  await codeShown(page);
  const source = readFileSync(join(EXAMPLES_DIR, 'queues.js'), 'utf8');
  // The whole code, with line numbers and colours, named for screen readers.
  assert.equal(await page.textContent('[data-testid="code-view"] code'), source);
  assert.equal(await page.$$eval('[data-testid="code-view"] .pg-ln', (l) => l.length), source.split('\n').length);
  for (const token of ['tok-comment', 'tok-string', 'tok-number', 'tok-propertyName']) {
    assert.ok(await page.$$eval(`[data-testid="code-view"] .${token}`, (l) => l.length) > 0, token);
  }
  assert.equal(await page.getAttribute('[data-testid="code-view"]', 'role'), 'textbox');
  assert.equal(await page.getAttribute('[data-testid="code-view"]', 'aria-label'), 'JavaScript source');
  // Stepping needs no editor.
  await stepToAStatement(page);
  await page.waitForTimeout(300);
  assert.deepEqual(editorRequests, [], 'no editor bundle before the first edit');
  // A click into the code: the editor replaces the view with the caret where the click was.
  const target = await page.$eval('[data-testid="code-view"] .tok-string', (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + 2, y: r.top + r.height / 2, text: el.textContent };
  });
  await page.mouse.click(target.x, target.y);
  await page.waitForSelector('[data-testid="editor"][data-ready="true"] .cm-content:focus');
  // The bundle and its chunks (the JavaScript language comes a moment later), each once.
  await page.waitForFunction(() => document.querySelector('.cm-content .tok-string') !== null);
  assert.ok(editorRequests.some((u) => u.endsWith('/editor/editor.js')), `${editorRequests}`);
  assert.equal(new Set(editorRequests).size, editorRequests.length, `loaded twice: ${editorRequests}`);
  assert.equal(await page.$('[data-testid="code-view"]'), null);
  await page.keyboard.type('Z');
  const at = source.indexOf(target.text);
  const lines = await page.$$eval('.cm-line', (l) => l.map((x) => x.textContent));
  assert.equal(lines.join('\n'), source.slice(0, at) + 'Z' + source.slice(at));
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard: the code view is focusable; Enter opens the editor, a typed character is kept', async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=sync-async`);
  await settledConsole(page);
  await codeShown(page);
  // Focus alone (Tab) does not turn the view into an editor; arrows still step.
  await page.focus('[data-testid="code-view"]');
  await stepToAStatement(page);
  assert.equal(await page.getAttribute('[data-testid="editor"]', 'data-mode'), 'view');
  const step = await page.textContent('[data-testid="editor-step"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="editor"][data-ready="true"] .cm-content:focus');
  // Nothing changed: same code, the same step still marked.
  assert.equal(await page.textContent('.cm-editor [data-testid="editor-step"]'), step);
  // A character typed into the focused view opens the editor with it inserted (fresh page).
  await openLink(page, `${server.url}#ex=sync-async`);
  await settledConsole(page);
  await page.focus('[data-testid="code-view"]');
  await page.keyboard.type('//');
  await page.waitForSelector('[data-testid="editor"][data-ready="true"] .cm-content:focus');
  const source = readFileSync(join(EXAMPLES_DIR, 'sync-async.js'), 'utf8');
  await page.waitForFunction((want) => [...document.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n') === want,
    '//' + source);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an editor that cannot load leaves the read-only code and says so; the next click tries again', async () => {
  const { context, page, problems } = await openPage(browser, 'about:blank');
  await page.route('**/editor/editor.js', (route) => route.fulfill({ status: 503, body: 'unavailable' }));
  await openLink(page, `${server.url}#ex=sync-async`);
  await settledConsole(page);
  await page.click('[data-testid="code-view"] code');
  await page.waitForSelector('[data-testid="editor"] [role="alert"]');
  assert.match(await page.textContent('[data-testid="editor"] [role="alert"]'), /The editor could not load .*read-only/);
  assert.equal(await page.getAttribute('[data-testid="editor"]', 'data-mode'), 'view');
  assert.ok(await page.isVisible('[data-testid="code-view"]'));
  await page.unroute('**/editor/editor.js');
  await page.click('[data-testid="code-view"] code');
  await page.waitForSelector('[data-testid="editor"][data-ready="true"] .cm-content:focus');
  assert.equal(await page.$('[data-testid="editor"] [role="alert"]'), null);
  // The browser reports the failed fetch itself; nothing else went wrong.
  assert.deepEqual(problems.filter((p) => !/503|Failed to fetch|editor\.js/.test(p)), []);
  await context.close();
});

test('hand-written #code= links run, padded or not; a bad link keeps the last code', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  const source = "const p = Promise.resolve('é ✓');\np.then(v => console.log('then', v));\nconsole.error('sync');\n";
  const padded = Buffer.from(source).toString('base64');
  const unpadded = Buffer.from(source).toString('base64url');
  assert.ok(padded.endsWith('=') || padded.includes('+') || padded !== unpadded, 'the two encodings differ');
  for (const code of [padded, unpadded]) {
    await openLink(page, `${server.url}#code=${code}`);
    assert.deepEqual(await settledConsole(page), looplabLines(source));
  }
  // The last code is in localStorage; a broken link (opened in a new tab) says so and shows it.
  await page.waitForFunction(() => localStorage.getItem('looplab.playground.code') !== null);
  const tab = await context.newPage();
  await tab.goto(`${server.url}#code=%%%not-base64`);
  await tab.waitForSelector('[data-testid="notice"]');
  assert.match(await tab.textContent('[data-testid="notice"]'), /could not be read/);
  assert.deepEqual(await settledConsole(tab), looplabLines(source));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link pasted into an open page is followed: the new code runs', async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=${SLUGS[0]}`);
  await settledConsole(page);
  const source = "setTimeout(() => console.log('pasted link'), 0);\nconsole.log('first');\n";
  await page.evaluate((code) => { location.hash = `code=${code}`; }, Buffer.from(source).toString('base64url'));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="console-line"]')]
    .some((l) => l.textContent.includes('pasted link')), null, { timeout: 30_000 });
  assert.deepEqual(await settledConsole(page), looplabLines(source));
  assert.deepEqual(problems, []);
  await context.close();
});

test('editing re-runs; a syntax error is marked inline and greys the last run; code survives reload', async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=sync-async`);
  await settledConsole(page);
  await typeCode(page, "console.log('edited');\n");
  assert.deepEqual((await settledConsole(page)).stdout, ['edited']);
  await page.waitForFunction(() => location.hash.startsWith('#code='));
  await typeCode(page, "console.log('broken' +);\nconsole.log(2);\n");
  await page.waitForSelector('.cm-lintRange-error', { timeout: 10_000 });
  await page.waitForSelector('.pg-console.pg-stale');
  assert.deepEqual(await page.$$eval('[data-testid="console-line"]', (l) => l.map((x) => x.textContent)), ['edited']);
  // Fix it, reload: the code comes back from localStorage (and the URL).
  await typeCode(page, "console.log('kept');\n");
  assert.deepEqual((await settledConsole(page)).stdout, ['kept']);
  await page.waitForFunction(() => localStorage.getItem('looplab.playground.code')?.includes('kept'));
  await page.goto(server.url);
  assert.deepEqual((await settledConsole(page)).stdout, ['kept']);
  // Reset to example, then undo.
  await page.click('[data-testid="reset-example"]');
  assert.deepEqual((await settledConsole(page)).stdout, looplabLines(readFileSync(join(EXAMPLES_DIR, 'sync-async.js'), 'utf8')).stdout);
  await page.click('[data-testid="undo"]');
  assert.deepEqual((await settledConsole(page)).stdout, ['kept']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('settings reach the simulator and the URL', async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=busy-loop`);
  await settledConsole(page);
  const count = async () => {
    const m = (await page.textContent('[data-testid="run-status"]')).match(/Ran ([\d.]+) ?(k|M)? instructions/);
    return Number(m[1]) * ({ k: 1e3, M: 1e6 }[m[2]] ?? 1);
  };
  const before = await count();
  await page.click('.pg-settings summary');
  // At 5 ns per instruction instead of 10, the 50 ms busy loop runs about twice as many.
  await page.fill('[data-testid="setting-ins"]', '5');
  await page.press('[data-testid="setting-ins"]', 'Enter');
  await page.waitForFunction(() => /[#&]ins=5(&|$)/.test(location.hash));
  await settledConsole(page);
  const after = await count();
  assert.ok(after > 1.8 * before && after < 2.2 * before, `instructions ${before} -> ${after}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a long program shows progress, keeps the page responsive, and can be cancelled; no long tasks', async (t) => {
  const { context, page, problems } = await openPage(browser, `${server.url}#ex=sync-async`);
  await settledConsole(page);
  await codeShown(page);
  // The first load is over when the page has been idle for a moment.
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  // About 40 M instructions: several seconds in the simulator.
  await typeCode(page, 'let x = 0;\nfor (let i = 0; i < 5e6; i++) { x += i % 7; }\nconsole.log(x);\n');
  await page.waitForFunction(() => /Running… [\d.]+ (k|M) instructions/.test(
    document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 20_000 });
  // The main thread answers while the worker computes.
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  assert.ok(Date.now() - t0 < 500, 'a frame came quickly');
  await page.click('[data-testid="cancel"]');
  await page.waitForSelector('[data-testid="run-status"][data-state="cancelled"]');
  // A fresh worker runs the next edit.
  await typeCode(page, "console.log('after cancel');\n");
  assert.deepEqual((await settledConsole(page)).stdout, ['after cancel']);
  // The rest of the session, as a user would: examples, theme, presentation, concept pages.
  for (const slug of SLUGS.slice(0, 4)) {
    await page.click(`[data-testid="example-${slug}"]`);
    await settledConsole(page);
  }
  await page.click('[data-testid="theme"]');
  await page.click('[data-testid="presentation"]');
  await page.click('.pg-example .pg-link');
  await page.waitForSelector('[data-testid="concept"]');
  const longTasks = await page.evaluate(() => window.__longTasks);
  await assertNoLongTasks(t, longTasks, assert);
  assert.deepEqual(problems, []);
  await context.close();
});

test('after an engine trap the page restarts the simulator, says so, and keeps the code', async () => {
  const { context, page, problems } = await openPage(browser, 'about:blank');
  // No program makes the engine trap on purpose (a trap is a Looplab bug), so this worker traps
  // the way wasm does (a WebAssembly.RuntimeError out of sim_run) when the code asks for it.
  let workersStarted = 0;
  await page.route('**/sim-worker.js', async (route) => {
    workersStarted += 1;
    const response = await route.fetch();
    const body = (await response.text()).replace('const result = wasm.sim_run(',
      "if (msg.source.includes('TRAP_HERE')) throw new WebAssembly.RuntimeError('unreachable');\n      const result = wasm.sim_run(");
    assert.ok(body.includes('TRAP_HERE'), 'the worker was instrumented');
    await route.fulfill({ response, body });
  });
  await openLink(page, `${server.url}#ex=sync-async`);
  await settledConsole(page);
  const started = workersStarted;
  await typeCode(page, "console.log('TRAP_HERE');\n");
  await page.waitForSelector('[data-testid="run-status"][data-state="failed"]', { timeout: 20_000 });
  assert.match(await page.textContent('[data-testid="run-status"]'), /The simulator crashed on this program — this is a Looplab bug.*"unreachable"/);
  assert.equal(await page.$$eval('.cm-line', (l) => l.map((x) => x.textContent).join('\n')), "console.log('TRAP_HERE');\n");
  for (let i = 0; i < 50 && workersStarted <= started; i++) await page.waitForTimeout(100);
  assert.ok(workersStarted > started, 'a fresh simulator worker was started');
  // The fresh worker runs the next edit.
  await typeCode(page, "console.log('after the crash');\n");
  assert.deepEqual((await settledConsole(page)).stdout, ['after the crash']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('embed mode shows the editor and panes only', async () => {
  const { context, page, problems } = await openPage(browser, `${server.url}?embed#ex=queues`);
  await settledConsole(page);
  assert.equal(await page.$('.topbar'), null);
  assert.equal(await page.$('.pg-gallery'), null);
  assert.ok(await page.$('[data-testid="editor"]'));
  await screenshot(page, 'playground-embed');
  assert.deepEqual(problems, []);
  await context.close();
});
