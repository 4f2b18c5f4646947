// Hosts that cannot send headers: the service worker isolates the page; and where even that is
// impossible, the page says why and the lab still runs on one thread.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage, screenshot, runLab } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist({ isolated: false }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('without headers, the service worker makes the page isolated after one reload', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  await page.waitForFunction(() => self.crossOriginIsolated === true, null, { timeout: 30_000 });
  await page.getByTestId('lab-run').waitFor();
  assert.equal(await page.getByTestId('isolation').getAttribute('data-isolated'), 'true');
  assert.deepEqual(problems, []);
  await context.close();
});

test('with no way to isolate, the page explains and runs single-threaded', async () => {
  const { context, page, problems } = await openPage(browser, server.url, { serviceWorkers: 'block' });
  await page.getByTestId('lab-fallback').waitFor();
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
  assert.match(await page.getByTestId('lab-fallback').innerText(), /Cross-Origin-Embedder-Policy/);
  // Asked for 1 and 2 threads, it can honestly run only one point, on one thread.
  const rows = await runLab(page, '1,2', { expectRows: 1 });
  await screenshot(page, 'lab-not-isolated');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].threads, 1);
  assert.deepEqual(problems, []);
  await context.close();
});
