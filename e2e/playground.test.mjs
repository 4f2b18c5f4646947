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
  EXAMPLES_DIR, SLUGS, ensureLooplab, looplabLines, settledConsole, editorReady, typeCode, openLink,
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
        await editorReady(page);
        await screenshot(page, `playground-${slug}-${label}-${scheme}`);
      }
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
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
  await editorReady(page);
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
  await editorReady(page);
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
