// Without cross-origin isolation every part of the lab explains what it cannot do and still runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist({ isolated: false }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('not isolated: messaging without SharedArrayBuffer, race on one thread, no pool button', async () => {
  const { context, page, problems } = await openPage(browser, server.url, { serviceWorkers: 'block' });
  await page.getByTestId('lab-fallback').waitFor();
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
  assert.match(await page.getByTestId('lab-msg-fallback').innerText(), /SharedArrayBuffer/);
  assert.match(await page.getByTestId('lab-race-fallback').innerText(), /single thread/);
  assert.equal(await page.getByTestId('lab-block-pool').count(), 0);

  await page.getByTestId('lab-msg-size').selectOption({ label: '1 MB' });
  await page.getByTestId('lab-msg-run').click();
  await page.getByTestId('lab-messaging-chart').waitFor({ timeout: 60_000 });
  const methods = await page.$$eval('[data-testid="lab-msg-point"]', (ps) => [...new Set(ps.map((p) => p.dataset.method))]);
  assert.deepEqual(methods.sort(), ['clone', 'transfer']);

  await page.getByTestId('lab-race-increments').selectOption({ index: 2 });
  await page.getByTestId('lab-race-run').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="lab-race-result"]').length === 2,
    null, { timeout: 60_000 });
  const lost = await page.$$eval('[data-testid="lab-race-result"]', (rs) => rs.map((r) => Number(r.dataset.lost)));
  assert.deepEqual(lost, [0, 0], 'one thread cannot race with itself');
  await screenshot(page, 'lab-fallback-parts');
  assert.deepEqual(problems, []);
  await context.close();
});
