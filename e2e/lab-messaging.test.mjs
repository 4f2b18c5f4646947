// Part 4: messaging costs (clone, transfer, shared) and the lost-update race.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist({ isolated: true }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('round trips by clone, transfer and SharedArrayBuffer are charted for every size', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  await page.getByTestId('lab-msg-size').selectOption({ label: '16 MB' });
  await page.getByTestId('lab-msg-run').click();
  await page.getByTestId('lab-messaging-chart').waitFor({ timeout: 60_000 });
  const points = await page.$$eval('[data-testid="lab-msg-point"]', (ps) => ps.map((p) => ({
    method: p.dataset.method, bytes: Number(p.dataset.bytes), ms: Number(p.dataset.ms) })));
  for (const method of ['clone', 'transfer', 'shared']) {
    const mine = points.filter((p) => p.method === method);
    assert.equal(mine.length, 8, `${method}: 1 KB..16 MB is 8 sizes`);
    assert.ok(mine.every((p) => p.ms > 0 && Number.isFinite(p.ms)), method);
  }
  const at = (method, bytes) => points.find((p) => p.method === method && p.bytes === bytes).ms;
  console.log(`16 MB round trip: clone ${at('clone', 16 << 20)} ms, transfer ${at('transfer', 16 << 20)} ms, shared ${at('shared', 16 << 20)} ms`);
  // Copying 16 MB twice costs more than moving or sharing it.
  assert.ok(at('clone', 16 << 20) > at('transfer', 16 << 20), 'clone beats transfer at 16 MB?');
  await page.getByTestId('lab-messaging-chart').scrollIntoViewIfNeeded();
  await screenshot(page, 'lab-messaging');
  assert.deepEqual(problems, []);
  await context.close();
});

test('race: lost updates without atomics, exactly k×n with Atomics.add', async () => {
  const { context, page, problems } = await openPage(browser, server.url);
  await page.getByTestId('lab-race-threads').selectOption('2');
  await page.getByTestId('lab-race-increments').selectOption({ index: 0 }); // 10 000 000
  await page.getByTestId('lab-race-run').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="lab-race-result"]').length === 2,
    null, { timeout: 60_000 });
  const rows = await page.$$eval('[data-testid="lab-race-result"]', (rs) => rs.map((r) => ({
    update: r.dataset.update, lost: Number(r.dataset.lost), final: Number(r.dataset.final),
    expected: Number(r.dataset.expected) })));
  console.log('race', JSON.stringify(rows));
  const plain = rows.find((r) => r.update === 'load-then-store');
  const atomic = rows.find((r) => r.update === 'fetch-add');
  assert.equal(plain.expected, 2 * 10_000_000);
  assert.ok(plain.lost > 0, 'two threads doing load-then-store lose updates');
  assert.equal(plain.final + plain.lost, plain.expected);
  assert.equal(atomic.lost, 0);
  assert.equal(atomic.final, 2 * 10_000_000);
  await page.getByTestId('lab-race-run').scrollIntoViewIfNeeded();
  await screenshot(page, 'lab-race');
  assert.deepEqual(problems, []);
  await context.close();
});
